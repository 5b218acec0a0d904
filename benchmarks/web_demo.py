"""Benchmark: the web page on the demo county (issue 17's targets: first view under 1 s, first progress
of a demo solve under 2 s, on a 2-core machine).

Protocol: `assign serve` started as a process on a fresh data folder; as soon as it answers, the first
view is timed (GET / over HTTP, the server's first page: template compiled then), then a page already
warm. The demo's four tables are uploaded with the demo-county preset (timed: upload and the tables'
check), then three solves, one after another: each the time from the POST of the solve to the first
progress line, to the first line from the solver (a pass or a part), and to `done`. Medians of the
three; the first solve also counts the worker's start. Run: .venv/bin/python benchmarks/web_demo.py
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from tabulate import tabulate

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county"
RUNS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    data, port = Path(tempfile.mkdtemp(prefix="assign-web-bench-")), free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "assign.cli", "serve", "--port", str(port), "--data", str(data)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    http = httpx2.Client(timeout=30)  # one client: its set-up is not the server's time
    try:
        while True:
            try:
                http.get(f"{url}/static/web.css", timeout=1)
                break
            except httpx2.HTTPError:
                time.sleep(0.05)
        started = time.perf_counter()
        http.get(url + "/", timeout=10).raise_for_status()
        first_view = time.perf_counter() - started
        started = time.perf_counter()
        http.get(url + "/", timeout=10).raise_for_status()
        warm_view = time.perf_counter() - started
        files = {role: (f"{role}.csv", (DEMO / f"{role}.csv").read_bytes()) for role in ("researchers", "schools", "roads", "nodes")}
        started = time.perf_counter()
        project = http.post(f"{url}/api/projects", files=files, data={"preset": "demo-county"}, timeout=30).json()["id"]
        upload = time.perf_counter() - started
        rows = []
        for _ in range(RUNS):
            started = time.perf_counter()
            run = http.post(f"{url}/api/projects/{project}/solve", timeout=30).json()["run"]
            first = solver = None
            while True:
                answer = http.get(f"{url}/api/runs/{run}", timeout=10).json()
                now = time.perf_counter() - started
                if first is None and answer["progress"]:
                    first = now
                if solver is None and len(answer["progress"]) >= 3:
                    solver = now
                if answer["status"] not in ("queued", "running"):
                    break
                time.sleep(0.02)
            rows.append((first, solver, now, answer["plan_status"]))
    finally:
        http.close()
        server.terminate()
        server.wait(timeout=10)
    print(tabulate([["first view (GET /, cold)", f"{first_view * 1000:.0f} ms"], ["a page again (warm)", f"{warm_view * 1000:.0f} ms"],
                    ["upload and check the demo tables", f"{upload:.2f} s"]], tablefmt="github"))
    print()
    print(tabulate([[i + 1, f"{a:.2f}", f"{b:.2f}", f"{c:.2f}", s] for i, (a, b, c, s) in enumerate(rows)]
                   + [["median", *(f"{statistics.median(r[k] for r in rows):.2f}" for k in range(3)), ""]],
                   headers=["solve", "first progress (s)", "first solver line (s)", "done (s)", "status"], tablefmt="github"))


if __name__ == "__main__":
    main()
