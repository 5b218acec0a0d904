"""Benchmark (not a test): a warm re-plan after a one-row change against a cold solve, demo county.

    python -m assign.bench.replan [--workers 1] [--seed 0] [--repeat 3]

Protocol: the demo county (scenarios/demo-county, plus the stability policy, which does nothing
without a plan in force). The one-row change is the what-if that adds one researcher (R047,
primary maths) by a table edit. Timed, each `--repeat` times, median wall seconds of
`assign.replan.solve_from` (model build + all lexicographic passes; loading is not timed):

- cold: the changed scenario solved from nothing;
- warm, full: re-planned from the base plan (hint on x, stability ranked after coverage);
- warm, local: only the researchers the change touches re-optimised (`--local`).

It prints the seconds, the ratio to cold (target: warm ≤ 25% of cold), pairs changed against the
base plan, schools covered, and audit findings. Same seed and workers everywhere.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from tabulate import tabulate

from assign.analysis.replan import solve_from, with_previous
from assign.load import DEMO_SCENARIO, load_scenario

DEMO = DEMO_SCENARIO
NEW_ROW = {"工号": "R047", "姓名": "周新民", "学科": "数学", "学段": "小学"}


def _timed(problem, repeat: int, **options):
    seconds, plan = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        plan = solve_from(problem, **options)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    options = {"workers": args.workers, "seed": args.seed}
    with tempfile.TemporaryDirectory() as folder:
        base_file, changed_file = Path(folder) / "base.yaml", Path(folder) / "changed.yaml"
        base_file.write_text(yaml.safe_dump({"extends": str(DEMO), "policies": {"stability": {}}}, allow_unicode=True), encoding="utf-8")
        changed_file.write_text(yaml.safe_dump({"extends": "base.yaml", "edits": {"researchers": {"add": [NEW_ROW]}}}, allow_unicode=True),
                                encoding="utf-8")
        base_plan = solve_from(load_scenario(base_file), **options)
        changed = load_scenario(changed_file)
    warm, _ = with_previous(changed, sorted(base_plan.pair_set()))
    rows = []
    cold_seconds, cold = _timed(changed, args.repeat, **options)
    for label, problem, extra in (("cold", changed, {}), ("warm, full", warm, {}), ("warm, local", warm, {"local": True})):
        seconds, plan = (cold_seconds, cold) if label == "cold" else _timed(problem, args.repeat, **options, **extra)
        rows.append([label, f"{seconds:.2f}", f"{seconds / cold_seconds:.0%}", plan.status, len(plan.pair_set() ^ base_plan.pair_set()),
                     plan.kpis["schools_covered"], plan.kpis["subject_pairs_covered"], len(plan.findings)])
    print(f"demo county + one researcher; {platform.processor() or platform.machine()}, "
          f"workers={args.workers}, seed={args.seed}, median of {args.repeat}")
    print(tabulate(rows, headers=["solve", "seconds", "of cold", "status", "pairs changed vs base", "schools covered", "subject pairs", "findings"],
                   disable_numparse=True))


if __name__ == "__main__":
    main()
