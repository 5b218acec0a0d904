"""`assign sweep SCENARIO --set KEY=V1,V2 …`: a grid of variants of one scenario, solved in parallel.

Each `--set` names a dotted key of the scenario file (`policies.max_travel.minutes`,
`solver.time_limit`, `objective`) and its values; the grid is every combination. A variant is
the scenario with those keys merged over it by the what-if rules (`assign.inputs.extend`). Variants are
solved as independent jobs on an executor (`assign.batch.executors`: this machine's cores, or Ray),
one CP-SAT worker each, and each job writes its own plan; the parent only gathers one summary row per variant.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from assign.batch.executors import Executor, LocalExecutor
from assign.errors import AssignError, InputError
from assign.export.safe_names import folder_name
from assign.inputs.extend import merge
from assign.inputs.yaml_file import load_yaml_text
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.passes import solve

SUMMARY_KPIS = ("schools_covered", "priority_covered", "subject_pairs_covered", "contacts", "contacts_乡村", "travel_total", "travel_worst",
                "exceptions")  # exceptions: only a scenario that relaxes has them ("—" otherwise)


@dataclass(frozen=True)
class Setting:
    key: tuple[str, ...]
    values: tuple[Any, ...]


@dataclass
class VariantResult:
    label: str
    overrides: dict[str, Any]
    status: str = "ERROR"
    kpis: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    findings: int = 0  # audit violations: granted exceptions and warnings are not counted
    error: str | None = None
    written: list[str] = field(default_factory=list)


def parse_setting(text: str) -> Setting:
    """`policies.max_travel.minutes=60,75,90` → key path and values (each read as YAML: numbers, true, names)."""
    key, sep, raw = text.partition("=")
    parts = tuple(p.strip() for p in key.split("."))
    if not sep or not all(parts) or not raw.strip():
        raise InputError.at("--set", None, None, text, _("expected KEY.PATH=VALUE1,VALUE2,… e.g. policies.max_travel.minutes=60,75,90"))
    values = []
    for item in raw.split(","):
        try:
            values.append(load_yaml_text(item.strip(), "--set"))
        except InputError as exc:
            raise InputError.at("--set", None, key, item, _("not a value YAML can read ({expected})")
                                                          .format(expected=exc.problems[0].expected)) from None
    return Setting(parts, tuple(values))


def _nested(key: tuple[str, ...], value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(key):
        out = {part: out}
    return out


def variants(settings: list[Setting]) -> list[tuple[str, dict[str, Any]]]:
    """Every combination, as (label, overrides); the label names each key by its last two parts."""
    grid = []
    for combo in itertools.product(*(s.values for s in settings)):
        overrides: dict[str, Any] = {}
        labels = []
        for setting, value in zip(settings, combo):
            overrides = merge(overrides, _nested(setting.key, value))
            labels.append(f"{'.'.join(setting.key[-2:])}={value}")
        grid.append((" ".join(labels), overrides))
    return grid


# What writes a solved variant's files into its folder: `assign.export.roster.write_roster`, handed
# in by the command (a module-level function, so it reaches a spawned worker by name).
WritePlan = Callable[[Problem, Plan, Path], list[Path]]


def solve_variant(scenario: str, label: str, overrides: dict[str, Any], out: str | None, options: dict[str, Any],
                  write: WritePlan | None = None) -> VariantResult:
    """Run in a worker process: load the variant, solve it with one CP-SAT worker, write its plan with `write`."""
    result = VariantResult(label, overrides)
    try:
        problem = load_scenario(scenario, overrides=overrides)
        plan = solve(problem, workers=1, **options)
    except AssignError as exc:
        result.error = str(exc)
        return result
    result.status, result.seconds, result.findings = (plan.status, plan.build_seconds + plan.solve_seconds,
                                                     sum(f.severity == "error" for f in plan.findings))
    if plan.solved:  # an infeasible variant has no KPIs, not zeros
        result.kpis = {k: plan.kpis.get(k) for k in SUMMARY_KPIS}
    if out is not None and write is not None and plan.solved:
        result.written = [str(p) for p in write(problem, plan, Path(out))]
    return result


def run_sweep(scenario: Path, settings: list[Setting], *, out: Path | None = None, write: WritePlan | None = None,
              executor: Executor | None = None, progress: Callable[[str], None] | None = None, **options: Any) -> list[VariantResult]:
    """Solve every variant on `executor` (default: a process pool on this machine's cores); results in
    grid order. With `out` and `write`, each solved variant's files go to a folder of its own under `out`."""
    grid = variants(settings)
    options = {k: v for k, v in options.items() if v is not None}
    jobs = [(str(scenario), label, overrides, None if out is None else str(out / folder_name(f"{i:02d}-{label}")), options, write)
            for i, (label, overrides) in enumerate(grid, start=1)]
    def done(index: int, outcome) -> None:
        if progress:
            progress(_("{variant}: {status} ({done} of {n} in the grid)")
                     .format(variant=grid[index][0], status=outcome.value.status, done=index + 1, n=len(jobs)))

    return [outcome.value for outcome in (executor or LocalExecutor()).run(solve_variant, jobs, done)]
