"""Reference solvers run pass by pass on our own model, for `assign bench`: HiGHS and CP-SAT LNS-only.

Each runs the passes of `assign.solver.passes.objective_stages` (the weighted sum, or each term in
lexicographic order) on the model the policies built, fixing each pass's value before the next as
our solve does. Every pass's solution is completed by `fixed_solve` (x fixed, every auxiliary
variable solved), so a pass's value is the model's own value of those pairs, never the other
solver's number, and the final plan is scored and audited like any other.

- `highs`: each pass's model translated to a MIP (`assign.bench.mip`) and solved by HiGHS, given
  the time left (as our passes are).
- `lns`: CP-SAT with only its large-neighbourhood-search workers, from the greedy plan's complete
  solution, each pass hinted with the previous one; a local search proves nothing, so each pass
  gets an equal share of the time left (a search that never stops would starve the later passes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from assign.bench.mip import solve_mip
from assign.modeling import ModelContext, build_model
from assign.plan import Plan, SolvePass
from assign.problem import Problem
from assign.solver.baseline import baseline_pairs
from assign.solver.cpsat import DEFAULT_PARAMETERS, STATUS, WEIGHT_SCALE, SolveOptions, fixed_solve, gap, hint_all, make_solver, weighted_expr
from assign.solver.passes import objective_stages
from assign.solver.result import plan_from_solver

# Our presolve settings (probing and symmetry detection alone took a 15 s pass of the 120 × 500
# county before any search), with only the LNS workers searching.
LNS_PARAMETERS: dict[str, Any] = {**{k: v for k, v in DEFAULT_PARAMETERS.items() if k != "subsolvers"}, "use_lns_only": True}


@dataclass
class PassResult:
    """What one pass of a reference solver found: status, bound (in the model's units), and its
    solution completed by `fixed_solve` (None: nothing found)."""

    status: str
    bound: float | None
    solution: cp_model.CpSolver | None


def highs_pass(ctx: ModelContext, expr, sense: str, seconds: float, previous: cp_model.CpSolver | None) -> PassResult:
    """One pass by HiGHS: the model with this pass's objective as a MIP; its pairs completed."""
    if sense == "max":
        ctx.model.maximize(expr)
    else:
        ctx.model.minimize(expr)
    result = solve_mip(ctx.model.proto, time_limit=seconds, threads=1)
    if result.values is None:
        return PassResult(result.status, None, None)
    pairs = {pair for pair, var in ctx.x.items() if result.values[var.index] > 0.5}
    completed = fixed_solve(ctx, pairs, expr if sense == "max" else -expr)
    # A MIP solution that breaks a row within HiGHS's tolerance is no plan of the model.
    return PassResult(result.status if completed is not None else "MODEL_INVALID", result.bound, completed)


def lns_pass(ctx: ModelContext, expr, sense: str, seconds: float, previous: cp_model.CpSolver | None, workers: int, seed: int) -> PassResult:
    """One pass by CP-SAT's LNS workers alone, hinted with the previous pass's (or the greedy) solution."""
    if sense == "max":
        ctx.model.maximize(expr)
    else:
        ctx.model.minimize(expr)
    if previous is not None:
        hint_all(ctx.model, list(previous.response_proto.solution))
    options = SolveOptions(time_limit=seconds, workers=workers, seed=seed, log=False, parameters=LNS_PARAMETERS)
    solver = make_solver(options, seconds, defaults={})
    status = STATUS[solver.solve(ctx.model)]
    if status not in ("OPTIMAL", "FEASIBLE"):
        # Nothing found in the time: the solution it started from still holds, as our solve keeps its start.
        return PassResult("FEASIBLE" if previous is not None else status, None, previous)
    return PassResult(status, solver.best_objective_bound, solver)


def reference_plan(problem: Problem, method: str, mode: str, time_limit: float, workers: int = 2, seed: int = 0) -> Plan:
    """The plan of `method` ("highs" or "lns") in `mode`, every pass recorded with its value, bound and seconds."""
    started = time.perf_counter()
    ctx = build_model(problem)
    stages = objective_stages(problem, ctx, mode)
    build_seconds = time.perf_counter() - started
    solve_started = time.perf_counter()
    previous = None
    if method == "lns":
        pairs = set(baseline_pairs(problem, ctx.pairs, seed=seed))
        previous = fixed_solve(ctx, pairs, weighted_expr(ctx.terms) - WEIGHT_SCALE * ctx.exceptions_expr())
    passes: list[SolvePass] = []
    final = previous
    for index, (name, expr, sense) in enumerate(stages):
        left = time_limit - (time.perf_counter() - solve_started)
        if left <= 0 and final is not None:
            passes += [SolvePass(objective_name=n, status="UNKNOWN", objective=final.value(e), bound=None, gap=None, seconds=0.0)
                       for n, e, _ in stages[index:]]
            break
        pass_started = time.perf_counter()
        if method == "highs":
            result = highs_pass(ctx, expr, sense, max(0.1, left), final)
        else:
            result = lns_pass(ctx, expr, sense, max(0.1, left / (len(stages) - index)), final, workers, seed)
        seconds = round(time.perf_counter() - pass_started, 3)
        if result.solution is None:
            passes.append(SolvePass(objective_name=name, status=result.status, objective=None, bound=None, gap=None, seconds=seconds))
            if final is None:
                break
            continue
        value = result.solution.value(expr)
        passes.append(SolvePass(objective_name=name, status=result.status, objective=value, bound=result.bound,
                                gap=gap(value, result.bound), seconds=seconds))
        final = result.solution
        ctx.model.add(expr >= round(value) if sense == "max" else expr <= round(value))
    settings = {"backend": "HiGHS via pywraplp, 1 thread" if method == "highs" else f"CP-SAT LNS only, {workers} workers, greedy start",
                "time_limit": time_limit}
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, log=False, parameters={})
    plan = plan_from_solver(problem, ctx, mode, passes, final, build_seconds, time.perf_counter() - solve_started, options)
    return plan.model_copy(update={"solver_settings": settings})
