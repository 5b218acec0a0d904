"""Benchmark: a term's first schedule, its improvement and its files, from the demo county to a city office.

Protocol: five offices, each with the demo's calendar section (its terms, holidays, holiday file
and visit rules, joint inspections and term edges included; not its filled records): the demo
county as shipped; the single-office counties of `assign generate` made like the demo (a road
table, townships on a ring): `county-120` (120 researchers × 500 schools) and `county-400`
(400 × 1,500: the issue's "400-researcher office"); a 400 × 1,500 office without a road table
(`Size(1, 400, 1500)`, every researcher starting at the one office); and the generated city (10
county offices). All seed 0. The assignment is solved once per office (workers 2, weighted, a 30 s
limit: the calendar schedules whatever pairs it gets); then the autumn term 2026秋 is scheduled
with workers 1, seed 0 and the calendar's time limit (LIMIT seconds, default the scenario's: the
demo's 10 s), which bounds the improvement of the first schedules.

Columns: "first s" the time to a schedule of every group (the construction and its audit, and
CP-SAT's first solutions where the audit rejected it), "models s" building the groups' models
after it, "improve s" the improvement (within the limit), "total s" the wall time of
`schedule_term` (the final audit included), "write s" `write_term_files` (visits.xlsx/.csv/.md/.json
and every .ics file, "files" of them), "CLI s" the wall time of `assign calendar SCENARIO --plan
plan.json --term 2026秋 -o DIR -q` in a process of its own (loading, scheduling and writing).
Run: .venv/bin/python benchmarks/calendar_scale.py [--limit LIMIT] [--no-cli] [demo county120 county400 office400 city]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from tabulate import tabulate

from assign.bench.generate import SIZES, Size, generate
from assign.calendar.visit_solve import schedule_term
from assign.export.term_files import write_term_files
from assign.load import load_scenario
from assign.solver.passes import solve

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"
OFFICES = {"demo": None, "county120": SIZES["county-120"], "county400": SIZES["county-400"], "office400": Size(1, 400, 1500),
           "city": SIZES["city"]}


def with_demo_calendar(path: Path) -> Path:
    """The generated scenario with the demo's calendar section (holiday file made absolute, no records)."""
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    calendar = dict(demo["calendar"], holiday_file=str(DEMO.parent / demo["calendar"]["holiday_file"]))
    calendar.pop("records", None)  # the demo's own filled records name the demo's researchers
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario["calendar"] = calendar
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cli_seconds(scenario: Path, plan_json: Path, out: Path, limit: float | None) -> tuple[float, int]:
    """Wall seconds and exit code of `assign calendar … --plan plan.json -q` in its own process."""
    command = [str(Path(sys.executable).parent / "assign"), "calendar", str(scenario), "--plan", str(plan_json), "--term", "2026秋",
               "-o", str(out), "-q", *(["--time-limit", f"{limit:g}"] if limit is not None else [])]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env={**os.environ, "ASSIGN_LANG": "en"})
    return time.perf_counter() - started, done.returncode


def main(names: list[str], limit: float | None, cli: bool) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            size = OFFICES[name]
            path = DEMO if size is None else with_demo_calendar(generate(size, 0, Path(tmp) / name, time_limit=30))
            problem = load_scenario(path)
            started = time.perf_counter()
            plan = solve(problem, workers=2, seed=0, time_limit=30)
            plan_seconds = time.perf_counter() - started
            started = time.perf_counter()
            visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0, time_limit=limit)
            total = time.perf_counter() - started
            started = time.perf_counter()
            files = write_term_files(problem, visits, Path(tmp) / name / "calendar", f"{problem.title} 2026秋")
            written = time.perf_counter() - started
            wall = "—"
            if cli:
                plan_json = Path(tmp) / f"{name}-plan.json"
                plan_json.write_text(plan.model_dump_json(), encoding="utf-8")
                seconds, code = cli_seconds(path, plan_json, Path(tmp) / name / "cli", limit)
                wall = f"{seconds:.1f}" if code == 0 else f"{seconds:.1f} (exit {code})"
            rows.append((name, len(problem.researchers), len(problem.schools), len(plan.pairs), f"{plan_seconds:.1f}", visits.components,
                         len(visits.visits), len(visits.inspections), visits.status, "—" if visits.gap is None else f"{visits.gap:.2%}",
                         f"{visits.first_seconds:.2f}", f"{visits.build_seconds:.1f}", f"{visits.improve_seconds:.1f}", f"{total:.1f}",
                         sum(f.severity == "error" for f in visits.findings), len(visits.warnings), len(files), f"{written:.1f}", wall))
            print(tabulate(rows[-1:], tablefmt="plain"), flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(tabulate(rows, headers=["office", "researchers", "schools", "pairs", "assignment s", "groups", "visits", "joint days", "status",
                                  "gap", "first s", "models s", "improve s", "total s", "audit errors", "warnings", "files", "write s",
                                  "CLI s"]))


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--help" in args or "-h" in args:
        print(__doc__)
        sys.exit(0)
    given = float(args[args.index("--limit") + 1]) if "--limit" in args else None
    if "--limit" in args:
        del args[args.index("--limit"):args.index("--limit") + 2]
    with_cli = "--no-cli" not in args
    args = [a for a in args if a != "--no-cli"]
    main(args or list(OFFICES), given, with_cli)
