"""Benchmark: scheduling each term of the demo county's calendar.

Protocol: the demo scenario as shipped; the assignment solved once (its own settings, seed 0);
then each term scheduled with workers 1 and 2, seed 0, three repetitions; the table shows the
median wall time of `schedule_term` (build + solve + audit), the status and the number of visits.
Run: .venv/bin/python benchmarks/calendar_demo.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from tabulate import tabulate

from assign.calendar.visit_solve import schedule_term
from assign.load import load_scenario
from assign.solver.passes import solve

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"


def main() -> None:
    problem = load_scenario(DEMO)
    plan = solve(problem, seed=0)
    rows = []
    for term in [t.name for t in problem.scenario.calendar.terms]:
        for workers in (1, 2):
            times, result = [], None
            for _ in range(3):
                started = time.perf_counter()
                result, _ = schedule_term(problem, plan, term, workers=workers, seed=0)
                times.append(time.perf_counter() - started)
            rows.append((term, workers, result.status, result.components, len(result.visits), result.workdays,
                         f"{statistics.median(times):.2f}", f"{min(times):.2f}", f"{max(times):.2f}", len(result.findings)))
    print(tabulate(rows, headers=["term", "workers", "status", "models", "visits", "working days", "median s", "min s", "max s", "findings"]))


if __name__ == "__main__":
    main()
