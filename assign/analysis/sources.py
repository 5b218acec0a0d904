"""Where a command's plan comes from: a scenario solved now, or a saved `plan.json` with its scenario.

A plan.json holds only the scenario's *name*, so it needs the scenario file beside it
(`--scenario`, or `assign calendar SCENARIO --plan plan.json`). We chose an option over storing a
path in the Plan because a plan.json is moved and mailed around, and a path stored in it would go
stale. Every command that takes a plan.json reads it here, so a malformed one is the same clear
error everywhere.
"""

from __future__ import annotations

from pathlib import Path

from assign.errors import AssignError, NoPlanError
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.cpsat import Progress
from assign.solver.passes import solve


def is_plan_file(path: Path) -> bool:
    """A saved plan (`plan.json`) rather than a scenario file."""
    return Path(path).suffix.lower() == ".json"


def read_plan_for(problem: Problem, path: Path) -> Plan:
    """A saved plan checked against the problem: every id it names must be in the scenario."""
    plan = Plan.read(path)
    unknown = sorted({a.researcher_id for a in plan.pairs if a.researcher_id not in problem.researcher}
                     | {a.school_id for a in plan.pairs if a.school_id not in problem.school})
    if unknown:
        raise AssignError(_("{path}: the plan names ids the scenario {source} does not have: {names}")
                          .format(path=path, source=problem.source, names=', '.join(unknown[:10])))
    return plan


def plan_of(path: Path, scenario: Path | None, workers: int | None, seed: int | None,
            progress: Progress | None) -> tuple[Problem, Plan]:
    """(problem, plan) of a scenario file (solved now) or of a plan.json with its scenario.

    No plan from the solve is a `NoPlanError` (`assign solve` says why). A saved plan naming ids the
    scenario lacks is an error (a plan of another county must not become an empty calendar).
    """
    if is_plan_file(path):
        if scenario is None:
            raise AssignError(_("{path}: a plan.json names its scenario only by name ({scenario}); give the scenario file with --scenario")
                              .format(path=path, scenario=repr(Plan.read(path).scenario)))
        problem = load_scenario(scenario)
        return problem, read_plan_for(problem, path)
    problem = load_scenario(path)
    plan = solve(problem, progress=progress, workers=workers, seed=seed)
    if not plan.solved:
        raise NoPlanError(_("no plan: {path}: status {status}; `assign solve {path}` says why").format(path=path, status=plan.status))
    return problem, plan
