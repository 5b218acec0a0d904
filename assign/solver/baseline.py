"""The baseline plan the solver starts from, and that `assign bench` shows beside it.

Baselines are plugins (entry-point group `assign.baselines`: an object with a `name` and
`pairs(problem, candidates, seed) -> pairs`), found by a function, never at import time. The
built-in one plays what a clerk does by hand (`assign_plugins.clerk`). The core only scores what
a baseline hands back, with the model's own terms, and audits it like any other plan.
"""

from __future__ import annotations

import functools
import sys
import time
from importlib.metadata import entry_points

from assign.audit import audit_plan
from assign.errors import PolicyError
from assign.locale import _
from assign.modeling import ModelContext, Pair, build_model
from assign.plan import Plan, SolvePass
from assign.problem import Problem
from assign.solver.cpsat import WEIGHT_SCALE, SolveOptions, fixed_solve, weighted_expr
from assign.solver.result import plan_from_solver

BASELINE_GROUP = "assign.baselines"


def installed_baselines() -> dict[str, object]:
    """Every installed baseline by name; a broken or duplicate one is a PolicyError naming it.

    Looked up once per `sys.path` (what decides which are installed): reading every package's
    entry points took 0.02 s, paid by each part of a decomposed solve."""
    return dict(_baselines_on(tuple(sys.path)))


@functools.lru_cache(maxsize=8)
def _baselines_on(path: tuple[str, ...]) -> dict[str, object]:
    found: dict[str, object] = {}
    for ep in sorted(entry_points(group=BASELINE_GROUP), key=lambda e: e.name):
        try:
            loaded = ep.load()
            baseline = loaded() if isinstance(loaded, type) else loaded
        except Exception as exc:
            raise PolicyError(_("baseline plugin {name} ({value}) failed to load: {name2}: {exc}")
                              .format(name=repr(ep.name), value=ep.value, name2=type(exc).__name__, exc=exc)) from exc
        if getattr(baseline, "name", None) != ep.name or not callable(getattr(baseline, "pairs", None)):
            raise PolicyError(_("baseline plugin {name} ({value}) needs `name` = {name} and a callable `pairs`")
                              .format(name=repr(ep.name), value=ep.value))
        if ep.name in found:
            raise PolicyError(_("baseline name {name} is registered twice").format(name=repr(ep.name)))
        found[ep.name] = baseline
    return found


def baseline_pairs(problem: Problem, candidates: list[Pair], seed: int = 0) -> list[Pair]:
    """The pairs of the first installed baseline (by name), limited to candidate pairs; [] without one."""
    allowed = set(candidates)
    for baseline in installed_baselines().values():
        return [pair for pair in baseline.pairs(problem, candidates, seed=seed) if pair in allowed]
    return []


def baseline_plan(problem: Problem, *, seed: int = 0) -> Plan:
    """The baseline's plan, scored by the model's own weighted objective and checked by every audit."""
    started = time.perf_counter()
    ctx: ModelContext = build_model(problem)
    build_seconds = time.perf_counter() - started
    solve_started = time.perf_counter()
    pairs = baseline_pairs(problem, ctx.pairs, seed=seed)
    objective = weighted_expr(ctx.terms)
    # In a relaxed scenario the baseline is granted the fewest exceptions its pairs need, as a roster is.
    solver = fixed_solve(ctx, set(pairs), objective - WEIGHT_SCALE * ctx.exceptions_expr())
    seconds = time.perf_counter() - solve_started
    value = solver.value(objective) if solver is not None else None
    status = "FEASIBLE" if solver is not None else "INFEASIBLE"
    passes = [SolvePass(objective_name="baseline", status=status, objective=value, bound=None, gap=None, seconds=round(seconds, 3))]
    options = SolveOptions(time_limit=0.0, workers=1, seed=seed, log=False, parameters={})
    plan = plan_from_solver(problem, ctx, "weighted", passes, solver, build_seconds, seconds, options)
    if solver is None:  # the pairs break a hard rule the baseline does not know: show them, audited
        plan = plan.model_copy(update={"pairs": problem.assignments(pairs)})
        plan = plan.model_copy(update={"findings": audit_plan(problem, plan)})
    return plan
