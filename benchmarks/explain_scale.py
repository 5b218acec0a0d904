"""Benchmark: `assign explain` on one big county office, from its plan.json.

Protocol: a 120-researcher / 500-school county with one office (`assign.bench.generate` with one
county, seed 1: the demo's mix of stages, areas, priorities and subjects; great-circle travel),
the demo scenario's policies and its lexicographic objective. The assignment is solved once
(2 workers, 60 s; kept in FOLDER/plan.json, so later runs reuse it), then each researcher asked
is explained from that plan as `assign explain plan.json R --scenario scenario.yaml` does, timed
from the loaded problem and plan to the printed text. By default: the researcher with the most
candidate schools, the first and the last (by 工号).
Run: .venv/bin/python benchmarks/explain_scale.py FOLDER [R00001 …]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml
from tabulate import tabulate

from assign.analysis.why import explain_researcher
from assign.bench.generate import Size, generate
from assign.candidates import candidate_pairs
from assign.export.why_text import why_text
from assign.load import load_scenario
from assign.plan import Plan
from assign.solver.passes import solve

SIZE = Size(1, 120, 500)


def county(folder: Path) -> tuple[Path, Path]:
    """The county's scenario and its solved plan.json, made on the first run."""
    scenario, plan_path = folder / "scenario.yaml", folder / "plan.json"
    if not scenario.exists():
        generate(SIZE, 1, folder, time_limit=60)
        data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
        data["objective"] = "lexicographic"  # the demo scenario's, the product's default
        scenario.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if not plan_path.exists():
        problem = load_scenario(scenario)
        started = time.perf_counter()
        plan = solve(problem, workers=2, seed=0)
        print(f"plan: {plan.status}, {len(plan.pairs)} pairs, {time.perf_counter() - started:.1f} s", flush=True)
        plan_path.write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    return scenario, plan_path


def main(folder: Path, asked: list[str]) -> None:
    scenario, plan_path = county(folder)
    problem = load_scenario(scenario)
    plan = Plan.read(plan_path)
    if not asked:
        options: dict[str, int] = {}
        for rid, _ in candidate_pairs(problem):
            options[rid] = options.get(rid, 0) + 1
        ids = sorted(problem.researcher)
        asked = list(dict.fromkeys([max(ids, key=lambda rid: (options.get(rid, 0), rid)), ids[0], ids[-1]]))
    rows = []
    for rid in asked:
        started = time.perf_counter()
        reasons = explain_researcher(problem, plan, rid)
        why_text(problem, rid, reasons)
        seconds = time.perf_counter() - started
        rows.append((rid, len(reasons), sum(r.alternatives_tried for r in reasons),
                     " ".join(r.alternative.school_id if r.alternative else "—" for r in reasons), f"{seconds:.1f}"))
        print(tabulate(rows[-1:], tablefmt="plain"), flush=True)
    print(tabulate(rows, headers=["researcher", "pairs", "allowed swaps", "best instead", "seconds"]))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
