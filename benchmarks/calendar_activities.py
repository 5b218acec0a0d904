"""Benchmark: the demo's autumn term with and without the activity rules (issue 15).

Protocol: the assignment of the demo scenario solved once (its own settings, seed 0); then the term
2026秋 scheduled for those pairs under the demo scenario and under each targets what-if
(`scenarios/whatif/targets-*.yaml`), workers 1, seed 0, the scenario's calendar time limit (10 s),
three repetitions. The table shows the status and gap of the last run, the median time to the first
schedules and of the whole `schedule_term`, the visits, what they are for (lessons observed, visits
with a school research activity, with a lecture) and the audit findings.
Run: .venv/bin/python benchmarks/calendar_activities.py [repetitions]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from tabulate import tabulate

from assign.calendar.visit_solve import schedule_term
from assign.load import load_scenario
from assign.solver.passes import solve

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEMO = SCENARIOS / "demo-county" / "scenario.yaml"


def main(repetitions: int = 3) -> None:
    plan = solve(load_scenario(DEMO), seed=0)
    rows = []
    for path in [DEMO, *sorted((SCENARIOS / "whatif").glob("targets-*.yaml"))]:
        problem = load_scenario(path)
        firsts, totals, result = [], [], None
        for _ in range(repetitions):
            started = time.perf_counter()
            result, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
            totals.append(time.perf_counter() - started)
            firsts.append(result.first_seconds)
        gap = f"{result.gap:.1%}" if result.gap else "0"
        rows.append((path.stem if path != DEMO else "demo-county", result.status, gap, f"{statistics.median(firsts):.1f}",
                     f"{statistics.median(totals):.1f}", len(result.visits), sum(v.lessons for v in result.visits),
                     sum("校本教研" in v.activities for v in result.visits), sum("专题讲座" in v.activities for v in result.visits),
                     len(result.findings)))
    print(tabulate(rows, headers=["scenario", "status", "gap", "first s", "total s", "visits", "lessons", "校本教研", "专题讲座", "findings"]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
