"""`assign serve` as the office runs it: a real server process on a local port. A long solve is
cancelled (its worker process ends), and a server killed with `kill -9` mid-solve, started again on
the same data folder, still has the project and shows the run as interrupted; the orphaned worker ends
by itself.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from assign.web import db

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo-county"
SLOW_PRESET = "urban-rural-community"  # its last pass runs to a 120 s limit: a solve still going when it is killed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "assign.cli", "serve", "--port", str(port), "--data", str(data)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/api/presets", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"assign serve did not answer within 30 s: {server.stderr.read().decode()[-2000:]}")


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def slow_run(url: str) -> tuple[int, int]:
    files = {role: (f"{role}.csv", (DEMO / f"{role}.csv").read_bytes(), "text/csv") for role in ("researchers", "schools")}
    created = httpx2.post(f"{url}/api/projects", files=files, data={"preset": SLOW_PRESET, "name": "城乡共同体"}, timeout=30)
    assert created.status_code == 201, created.text
    project = created.json()["id"]
    run = httpx2.post(f"{url}/api/projects/{project}/solve", timeout=30).json()["run"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = httpx2.get(f"{url}/api/runs/{run}", timeout=5).json()
        if answer["status"] == "running" and any("solving" in line for line in answer["progress"]):
            return project, run
        assert answer["status"] in db.ACTIVE, answer
        time.sleep(0.1)
    raise AssertionError("the solve did not start within 60 s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = start_server(tmp_path, port)
    yield tmp_path, port, process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def worker_pid(data: Path, run: int) -> int:
    return sqlite3.connect(data / db.DB_NAME).execute("SELECT pid FROM runs WHERE id = ?", (run,)).fetchone()[0]


def test_cancel_ends_the_solve_and_its_worker_process(server):
    data, port, _ = server
    url = f"http://127.0.0.1:{port}"
    _, run = slow_run(url)
    pid = worker_pid(data, run)
    answer = httpx2.post(f"{url}/api/runs/{run}/cancel", timeout=10).json()
    assert answer == {"run": run, "cancelled": True, "status": "cancelled"}
    assert gone(pid, 5)
    assert httpx2.get(f"{url}/api/runs/{run}", timeout=5).json()["status"] == "cancelled"


def test_a_server_killed_mid_solve_shows_the_project_and_the_interrupted_run_after_restart(server):
    data, port, process = server
    url = f"http://127.0.0.1:{port}"
    project, run = slow_run(url)
    pid = worker_pid(data, run)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert gone(pid, 5), "the worker of a killed server kept solving"
    again = start_server(data, port)
    try:
        answer = httpx2.get(f"{url}/api/projects/{project}", timeout=10).json()
        assert answer["name"] == "城乡共同体" and answer["runs"][0]["status"] == "interrupted"
        assert httpx2.get(f"{url}/api/runs/{run}", timeout=5).json()["status"] == "interrupted"
        page = httpx2.get(f"{url}/projects/{project}", timeout=10).text
        assert "城乡共同体" in page and "interrupted" in page
        # The project is whole: it solves again.
        assert httpx2.post(f"{url}/api/projects/{project}/solve", timeout=10).status_code == 202
    finally:
        again.terminate()
        again.wait(timeout=10)
