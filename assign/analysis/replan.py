"""Re-planning from the plan in force: read it (plan.json or a roster file), hand it to the problem.

The previous pairs reach the policies through `Problem.previous_pairs` (the stability policy
counts changes against them) and the solver as a hint on x. Pairs that name a researcher or
school the scenario no longer has are set aside as forced changes, not errors: a what-if that
removes a school must still be able to start from the plan that had it.
"""

from __future__ import annotations

import time
from pathlib import Path

from assign.analysis.check import read_roster
from assign.errors import InputError
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.cpsat import Progress
from assign.solver.passes import MIN_PASS_SECONDS, solve

Pair = tuple[str, str]
# The share of the time limit the local re-plan may take when it is only the start of the full one.
LOCAL_START_SHARE = 0.25


def read_pairs(path: str | Path) -> list[Pair]:
    """The pairs of a saved plan (`plan.json`) or of a roster (`.csv`/`.xlsx` with 工号 + 学校代码)."""
    path = Path(path)
    if not path.exists():
        raise InputError.at(path, None, None, None, _("plan file not found"))
    if path.suffix.lower() == ".json":
        return [(a.researcher_id, a.school_id) for a in Plan.read(path).pairs]
    # Ids are checked against the problem later, leniently (see the module docstring).
    return read_roster(None, path)


def load_with_plan_in_force(scenario: Path, plan_in_force: Path | None) -> tuple[Problem, list[Pair]]:
    """The scenario's problem carrying the plan in force (`--from`), if given, and the pairs of that
    plan naming ids the scenario lacks (set aside as forced changes)."""
    problem = load_scenario(scenario)
    if plan_in_force is None:
        return problem, []
    return with_previous(problem, read_pairs(plan_in_force))


def with_previous(problem: Problem, pairs: list[Pair]) -> tuple[Problem, list[Pair]]:
    """The problem carrying the plan in force, and the pairs of it that name ids the problem lacks."""
    known = [(r, s) for r, s in pairs if r in problem.researcher and s in problem.school]
    gone = [(r, s) for r, s in pairs if (r, s) not in set(known)]
    return problem.model_copy(update={"previous_pairs": tuple(dict.fromkeys(known))}), gone


def hint_plan(problem: Problem) -> Plan | None:
    """The plan in force as a Plan, for `solve(problem, hint=...)`; None without one."""
    if not problem.previous_pairs:
        return None
    return Plan(**problem.plan_header(), mode="lexicographic", status="FEASIBLE", pairs=problem.assignments(problem.previous_pairs))


def _with_local_scope(problem: Problem) -> Problem | None:
    """The problem with every policy that offers a local re-plan switched to it, or None if none does.

    The core names no policy: a policy offers a local re-plan by a `scope` parameter that accepts
    `touched` (the built-in stability policy does).
    """
    uses, switched = list(problem.policies), False
    for i, use in enumerate(uses):
        if "scope" not in type(use.params).model_fields:
            continue
        try:
            params = type(use.params).model_validate({**use.params.model_dump(), "scope": "touched"})
        except ValueError:
            continue  # a `scope` of some other meaning
        uses[i] = use.model_copy(update={"params": params})
        switched = True
    return problem.model_copy(update={"policies": tuple(uses)}) if switched else None


def keeps_plan_in_force(problem: Problem) -> bool:
    """Whether a policy of the problem keeps the plan in force: one that counts changes against it and
    offers the local re-plan (a `scope` accepting `touched`, as `stability` does). Without one the
    plan in force only starts the solve, and any pair may change."""
    return _with_local_scope(problem) is not None


def solve_from(problem: Problem, *, local: bool = False, progress: Progress | None = None, **options) -> Plan:
    """Solve a problem that carries the plan in force, starting from it.

    The local re-plan comes first (policies with `scope: touched`, see `_with_local_scope`: only the
    researchers the change touches move; a small model, a fraction of a second on a 120 × 500
    county). `local`: that is the answer, when it has one. Else the full re-plan starts from it: the
    plan in force with the change already absorbed, feasible and, but for what moving others gains,
    as good, so the full passes start near their optimum and near the plan in force (measured on a
    120 × 500 county, one researcher added: the changes pass proven in 0.6 s against 3.6 s from the
    plan in force repaired; docs/benchmarks.md). Without a local plan (the change reaches
    researchers it keeps fixed, or no policy offers one) the full re-plan starts from the plan in
    force. Without a plan in force this is an ordinary solve.
    """
    hint = hint_plan(problem)
    narrow = _with_local_scope(problem) if problem.previous_pairs else None
    local_seconds = 0.0
    if narrow is not None:
        started = time.perf_counter()
        limit = options.get("time_limit") or problem.scenario.solver.time_limit
        if not local and progress:
            progress(_("the local re-plan first (only the researchers the change touches move): the full re-plan starts from it"))
        # Only a local re-plan that is the answer is audited: a start is audited as the full plan (0.3 s at 120 × 500).
        first = solve(narrow, hint=hint, progress=progress if local else None, audit=local,
                      **{**options, "time_limit": limit if local else LOCAL_START_SHARE * limit})
        if first.solved and local:
            return first
        if first.solved:
            hint = first
        local_seconds = time.perf_counter() - started
        options = {**options, "time_limit": max(MIN_PASS_SECONDS, limit - local_seconds)}
    plan = solve(problem, hint=hint, progress=progress, **options)
    if not local_seconds:
        return plan
    # The local re-plan is part of this solve's time and of its limit (the plan's own, printed by `solve`).
    return plan.model_copy(update={"solve_seconds": round(plan.solve_seconds + local_seconds, 3),
                                   "solver_settings": {**plan.solver_settings, "time_limit": limit}})


def change_summary(problem: Problem, plan: Plan, label: str) -> str:
    """One line: pairs kept, added and dropped against the plan in force (the details are `assign compare`'s)."""
    previous, pairs = set(problem.previous_pairs), plan.pair_set()
    kept, added, dropped = previous & pairs, pairs - previous, previous - pairs
    moved = sorted({r for r, _s in added | dropped})
    line = _("against the plan in force ({plan}): {kept} pairs kept, {added} added, {dropped} dropped").format(
        plan=label, kept=len(kept), added=len(added), dropped=len(dropped))
    if moved:
        line += _("; researchers whose schools changed: {names}").format(names="、".join(problem.researcher[r].name for r in moved))
    return line
