"""Benchmark: time to a term's first schedule and to its proof, from the demo county to a city office.

Protocol: four offices, each with the demo's calendar section (its terms, holidays, holiday file
and visit rules, joint inspections and term edges included): the demo county as shipped; a
synthetic 120-researcher / 500-school county, a synthetic 400-researcher / 1,500-school office
(one county office: every researcher starts there) and the synthetic 400-researcher / 1,500-school
city (10 counties) of `assign generate` (seed 0). The assignment is solved once per office
(workers 2, weighted, a 30 s limit: the calendar schedules whatever pairs it gets); then the
autumn term 2026秋 is scheduled with workers 1, seed 0, and the calendar's time limit (LIMIT
seconds, default the scenario's: the demo's 10 s), which covers the first schedules and their
improvement. "first s" is the time to a schedule of every group (build included), "total s" the
wall time of `schedule_term` (build, first schedules, improvement, audit), "write s" the time of
`write_term_files` (visits.xlsx/.csv/.md/.json and every .ics file, "files" of them).
Run: .venv/bin/python benchmarks/calendar_scale.py [--limit LIMIT] [demo county500 office400 city]
"""

from __future__ import annotations

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
OFFICES = {"demo": None, "county500": Size(1, 120, 500), "office400": Size(1, 400, 1500), "city": SIZES["city"]}


def with_demo_calendar(path: Path) -> Path:
    """The generated scenario with the demo's calendar section (holiday file made absolute)."""
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    calendar = dict(demo["calendar"], holiday_file=str(DEMO.parent / demo["calendar"]["holiday_file"]))
    calendar.pop("records", None)  # the demo's own filled records name the demo's researchers
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario["calendar"] = calendar
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main(names: list[str], limit: float | None) -> None:
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
            rows.append((name, len(problem.researchers), len(problem.schools), len(plan.pairs), f"{plan_seconds:.1f}", visits.components,
                         len(visits.visits), len(visits.inspections), visits.status,
                         "—" if visits.gap is None else f"{visits.gap:.2%}", f"{visits.first_seconds:.1f}", f"{total:.1f}",
                         sum(f.severity == "error" for f in visits.findings), len(visits.warnings), len(files), f"{written:.1f}"))
            print(tabulate(rows[-1:], tablefmt="plain"), flush=True)
    print(tabulate(rows, headers=["office", "researchers", "schools", "pairs", "assignment s", "models", "visits", "joint days",
                                  "status", "gap", "first s", "total s", "audit errors", "warnings", "files", "write s"]))


if __name__ == "__main__":
    args = sys.argv[1:]
    given = float(args[args.index("--limit") + 1]) if "--limit" in args else None
    if "--limit" in args:
        del args[args.index("--limit"):args.index("--limit") + 2]
    main(args or list(OFFICES), given)
