"""`assign batch`: every county folder × every what-if as independent tasks, a summary across
counties that agrees with each county's own plan, faults kept to their county, and resuming."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
import yaml
from calendar_fixtures import write_tiny
from click.testing import CliRunner

from assign.batch.executors import LocalExecutor, make_executor
from assign.batch.runner import run_batch
from assign.bench.generate import Size, generate_counties
from assign.cli import main
from assign.plan import Plan

THREE = Size(counties=3, researchers=24, schools=72)


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("region")
    folders = generate_counties(THREE, seed=2, out=root)
    for folder in folders:  # quick solves: the test is about the batch, not the solver
        scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
        scenario["solver"] = {"time_limit": 20, "workers": 1, "seed": 0}
        (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return root


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def batch(*args: str):
    return CliRunner().invoke(main, ["batch", *args])


def test_a_generated_region_is_written_as_one_folder_per_county(region):
    folders = sorted(region.iterdir())
    assert len(folders) == 3 and not [p for p in folders if p.name.startswith(".")]
    for folder in folders:
        assert {p.name for p in folder.iterdir()} == {"scenario.yaml", "researchers.csv", "schools.csv"}
        assert folder.name in yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))["office"]["name"]


def test_the_summary_equals_each_countys_own_plan(region, tmp_path):
    out = tmp_path / "out"
    result = batch(str(region), "-o", str(out), "--processes", "2")
    assert result.exit_code == 0, result.output
    rows = summary(out)
    assert len(rows) == 3
    for row in rows:
        plan = Plan.read(out / row["县（文件夹）"] / "plan.json")
        assert plan.status == "OPTIMAL" and not [f for f in plan.findings if f.severity == "error"]
        assert int(row["有联系教研员的学校"]) == plan.kpis["schools_covered"]
        assert int(row["联系对数"]) == len(plan.pairs)
        assert float(row["单程合计（分钟）"]) == plan.kpis["travel_total"]
        assert (out / row["县（文件夹）"] / "roster.xlsx").is_file()
    assert (out / "summary.xlsx").is_file() and (out / "summary.md").is_file()


def test_a_bad_county_is_named_in_the_summary_and_stops_no_other(region, tmp_path):
    root = shutil.copytree(region, tmp_path / "root")  # a copy this test may change
    bad = sorted(root.iterdir())[0]
    schools = (bad / "schools.csv").read_text(encoding="utf-8-sig").splitlines()
    unknown_area = ",".join(["X1", "坏学校", "小学", "火星", "", "", "", "1"])  # 城乡类型 火星: no such area
    (bad / "schools.csv").write_text("\n".join([schools[0], unknown_area, *schools[1:]]), encoding="utf-8")
    out = tmp_path / "out"
    result = batch(str(root), "-o", str(out), "--processes", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = {r["县（文件夹）"]: r for r in summary(out)}
    assert "schools.csv" in rows[bad.name]["说明"] and rows[bad.name]["状态"] == "ERROR"
    assert all(r["状态"] == "OPTIMAL" for name, r in rows.items() if name != bad.name)


def test_a_batch_run_again_skips_unchanged_counties_and_redoes_a_changed_one(region, tmp_path):
    root = shutil.copytree(region, tmp_path / "root")  # a copy this test may change
    out = tmp_path / "out"
    first = run_batch(root, out, executor=LocalExecutor(1))
    assert all(r.ok and not r.skipped for r in first.results)
    again = run_batch(root, out, executor=LocalExecutor(1))
    assert all(r.skipped for r in again.results)
    assert [r.row for r in again.results] == [r.row for r in first.results]
    changed = sorted(root.iterdir())[1]
    scenario = yaml.safe_load((changed / "scenario.yaml").read_text(encoding="utf-8"))
    scenario["policies"]["school_count"] = {"min": 1, "max": 1}
    (changed / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    third = run_batch(root, out, executor=LocalExecutor(1))
    assert [r.county for r in third.results if not r.skipped] == [changed.name]


def test_a_whatif_asked_of_every_county_shows_its_change_against_each_base(region, tmp_path):
    whatif = tmp_path / "near.yaml"  # no trip over 25 minutes
    whatif.write_text(yaml.safe_dump({"policies": {"max_travel": {"minutes": 25}}}), encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(region, out, whatifs=[whatif], executor=LocalExecutor(2))
    assert [r.variant for r in result.results].count("near") == 3
    for r in result.results:
        assert r.ok and r.row["findings"] == 0
        if r.variant == "near":
            plan = Plan.read(out / r.county / "near" / "plan.json")
            assert plan.kpis["travel_worst"] <= 25 < Plan.read(out / r.county / "plan.json").kpis["travel_worst"]
    from assign.batch.summary import delta_rows

    _, rows = delta_rows(result)
    assert len(rows) == 3 and all(row[5] < 0 for row in rows)  # Δ total travel: shorter trips


def test_batch_schedules_each_countys_term_with_calendar(tmp_path):
    root = tmp_path / "root"
    for county in ("甲县", "乙县"):
        (root / county).mkdir(parents=True)
        write_tiny(root / county, {"visits_per_term": {"min": 2}})
        scenario = yaml.safe_load((root / county / "scenario.yaml").read_text(encoding="utf-8"))
        scenario["policies"] = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}}
        (root / county / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = batch(str(root), "-o", str(out), "--calendar", "2026秋", "--processes", "1")
    assert result.exit_code == 0, result.output
    for county in ("甲县", "乙县"):
        assert (out / county / "calendar-2026秋" / "visits.csv").is_file()
        assert list((out / county / "calendar-2026秋" / "ics").glob("*.ics"))


def die_on_first_try(marker: str) -> int:
    """A job whose process is killed the first time it runs (a lost worker)."""
    path = Path(marker)
    if not path.exists():
        path.write_text("started", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    return 42


def test_the_local_executor_runs_again_a_job_whose_process_was_killed(tmp_path):
    (tmp_path / "b").write_text("started", encoding="utf-8")  # job b has no first try left: it never dies
    outcomes = LocalExecutor(2).run(die_on_first_try, [(str(tmp_path / "a"),), (str(tmp_path / "b"),)])
    assert [o.value for o in outcomes] == [42, 42] and outcomes[0].attempts == 2


ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'assign[ray]'")


@pytest.fixture(scope="module")
def ray_executor():
    executor = make_executor("ray", processes=2)
    yield executor
    ray.shutdown()


def test_ray_gives_the_same_plans_as_local(region, tmp_path, ray_executor):
    local = run_batch(region, tmp_path / "local", executor=LocalExecutor(2))
    remote = run_batch(region, tmp_path / "ray", executor=ray_executor)
    assert [(r.county, r.pairs, r.row["schools_covered"]) for r in local.results] == \
           [(r.county, r.pairs, r.row["schools_covered"]) for r in remote.results]
    assert all(r.ok for r in remote.results)


def ray_task_pids() -> list[int]:
    """Processes running a Ray task of ours (Ray names them after the task's function)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"ray::counted"):
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds Ray's worker processes through /proc")
def test_a_batch_survives_a_killed_ray_worker(tmp_path, ray_executor):
    root = tmp_path / "city"
    # Counties large enough that a task runs for seconds (its solve stops at 4 s): the kill lands in
    # the middle of one, never as it finishes (a task killed after it handed back its result is not retried).
    generate_counties(Size(counties=4, researchers=320, schools=1200), seed=4, out=root)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.setdefault(
        "batch", run_batch(root, tmp_path / "out", executor=ray_executor, options={"time_limit": 4})))
    worker.start()
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and worker.is_alive() and time.monotonic() < deadline:
        pids = ray_task_pids()
        if pids:
            time.sleep(1.0)  # well into the task: loading and solving a county takes seconds
            if pids[0] in ray_task_pids():
                killed = pids[0]
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.02)
    worker.join(timeout=300)
    assert killed is not None, "no Ray task process was seen running"
    results = result["batch"].results
    assert len(results) == 4 and all(r.ok for r in results)
    assert any(r.attempts > 1 for r in results)  # the summary says which county was run again


def test_the_summary_counts_the_exceptions_a_relaxed_whatif_was_granted(region, tmp_path):
    whatif = tmp_path / "two-each.yaml"  # every researcher two schools, bent where a county cannot
    whatif.write_text(yaml.safe_dump({"policies": {"school_count": {"min": 2, "max": 2}}, "on_infeasible": "relax"}), encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(region, out, whatifs=[whatif], executor=LocalExecutor(2))
    relaxed = [r for r in result.results if r.variant == "two-each"]
    assert len(relaxed) == 3 and all(r.ok for r in relaxed)
    for r in relaxed:
        plan = Plan.read(out / r.county / "two-each" / "plan.json")
        assert r.row["exceptions"] == len(plan.exceptions)
        assert r.row["exceptions_by_rule"] == (f"school_count {len(plan.exceptions)}" if plan.exceptions else "")
    assert sum(r.row["exceptions"] for r in relaxed) > 0  # the fixture's counties cannot all give everyone two schools
