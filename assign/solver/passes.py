"""`solve(problem) -> Plan`: build the CP-SAT model from the policies, solve it, audit the plan.

Objectives are `weighted` (one solve of Σ weight × term) or `lexicographic` (one solve per term in
priority order; each optimum is fixed as a constraint and the previous solution is the complete
hint of the next solve). Infeasible and timed-out are statuses of the plan, never exceptions.

A relaxed solve (`on_infeasible: relax`) has one level before all of them: the total severity of
the exceptions, minimised; the exceptions that solution chose are then fixed, so the usual
objective runs with the fewest exceptions the rules allow. In weighted mode too it is a pass of
its own: the same as a weight above everything, without a weight to guess.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from assign.errors import InputError
from assign.modeling import ModelContext, Term, build_model
from assign.plan import Plan, SolvePass
from assign.problem import Problem
from assign.solver.baseline import baseline_pairs
from assign.solver.cpsat import (
    STATUS,
    WEIGHT_SCALE,
    Progress,
    ProgressCallback,
    SolveOptions,
    fixed_solve,
    gap,
    hint_all,
    make_solver,
    options_for,
    weighted_expr,
)
from assign.solver.decompose import components, solve_components
from assign.solver.result import plan_from_solver

EXCEPTIONS = "relax.exceptions"  # the name of the first pass of a relaxed solve


def ordered_terms(terms: list[Term], order: list[str] | None, source: str = "scenario") -> list[Term]:
    """Terms in lexicographic priority: the scenario's `objective.order`, else each term's rank."""
    if not order:
        return sorted(terms, key=lambda t: t.rank)
    by_name = {t.name: t for t in terms}
    unknown = [n for n in order if n not in by_name]
    if unknown:
        raise InputError.at(source, None, "objective.order", unknown, f"unknown objective term(s): the scenario's policies define {sorted(by_name)}")
    named = [by_name[n] for n in order]
    return named + sorted((t for t in terms if t.name not in order), key=lambda t: t.rank)


def objective_stages(problem: Problem, ctx: ModelContext, mode: str) -> list[tuple[str, Any, str]]:
    """The passes of a solve in order, each (name, expression, "max" or "min"): the exceptions pass
    when the problem relaxes, then the weighted sum or each term in lexicographic order."""
    # Every part of a decomposed solve has the same passes: the exceptions pass whenever the problem relaxes.
    stages = [(EXCEPTIONS, ctx.exceptions_expr(), "min")] if problem.relaxing else []
    if mode == "weighted" or not ctx.terms:
        stages.append(("weighted", weighted_expr(ctx.terms), "max"))
    else:
        stages += [(t.name, t.expr, t.sense) for t in ordered_terms(ctx.terms, problem.scenario.objective.order, problem.source)]
    return stages


def solve(
    problem: Problem,
    *,
    mode: str | None = None,
    progress: Progress | None = None,
    hint: Plan | None = None,
    baseline: bool = True,
    decompose: bool = True,
    audit: bool = True,
    **overrides: Any,
) -> Plan:
    """Solve the problem; the returned plan carries status, bound, gap, times, KPIs and audit findings.

    `hint`: a plan to start from (its pairs, completed into a full solution). `baseline`: without
    a hint, start from the by-hand greedy plan, so the plan is never worse than greedy at any time
    limit (weighted mode; the first pass in lexicographic mode). `decompose`: solve the connected
    components of the candidate graph apart when no policy couples the plan (assign.solver.decompose).
    `audit=False` leaves the findings empty (for the parts of a decomposed solve, whose merged plan
    is audited as a whole).
    """
    options = options_for(problem, **overrides)
    mode = mode or problem.scenario.objective.mode
    started = time.perf_counter()
    if decompose and hint is None:
        parts = components(problem)
        if parts is not None:
            return solve_components(problem, parts, solve, mode=mode, progress=progress, baseline=baseline, options=options, started=started)
    ctx = build_model(problem)
    model = ctx.model
    stages = objective_stages(problem, ctx, mode)
    build_seconds = time.perf_counter() - started

    passes: list[SolvePass] = []
    solution: list[int] | None = None
    solve_started = time.perf_counter()
    start = _start_solution(problem, ctx, hint, baseline, options)
    final_solver = None
    for index, (name, expr, sense) in enumerate(stages):
        remaining = options.time_limit - (time.perf_counter() - solve_started)
        if remaining <= 0 and solution is not None:
            # Out of time: the terms not optimised are recorded, so the plan cannot claim OPTIMAL.
            passes += [SolvePass(objective_name=n, status="UNKNOWN", objective=None, bound=None, gap=None, seconds=0.0)
                       for n, _, _ in stages[index:]]
            break
        if sense == "max":
            model.maximize(expr)
        else:
            model.minimize(expr)
        if solution is not None:
            hint_all(model, solution)
        elif start is not None:
            hint_all(model, list(start.response_proto.solution))
        solver = make_solver(options, remaining)
        label = f"[{index + 1}/{len(stages)}] {name}"
        callback = ProgressCallback(progress, label) if progress else None
        if progress:
            progress(f"{label}: solving")
        status = STATUS[solver.solve(model, callback)]
        found = status in ("OPTIMAL", "FEASIBLE")
        objective = solver.objective_value if found else None
        bound = solver.best_objective_bound if found else None
        used = solver
        if index == 0 and start is not None:
            # The complete hint is a feasible solution: keep it whenever the solver returns nothing
            # better (a time limit shorter than presolve returns UNKNOWN even with a hint).
            start_value = start.value(expr)
            # CP-SAT reports the objective as a float (11.000000000000002 for 11): compare with a tolerance.
            if not found or (objective < start_value - 1e-6 if sense == "max" else objective > start_value + 1e-6):
                # The solver's bound, if it got one, still holds for the kept solution.
                used, found, status, objective = start, True, "FEASIBLE", start_value
        passes.append(SolvePass(objective_name=name, status=status, objective=objective, bound=bound,
                                gap=gap(objective, bound), seconds=round(solver.wall_time, 3)))
        if not found:
            if solution is None:
                break  # nothing to fall back on: the plan is INFEASIBLE or UNKNOWN
            continue  # a later pass that found nothing keeps the previous pass's solution
        solution = list(used.response_proto.solution)
        final_solver = used
        if index + 1 < len(stages):
            value = round(used.value(expr))
            model.add(expr >= value if sense == "max" else expr <= value)
            if name == EXCEPTIONS:
                # The chosen exceptions themselves are fixed, not only their total: about twice as
                # fast on the demo county as with the literals left free (docs/benchmarks.md).
                ctx.fix_exceptions(used.boolean_value)
    solve_seconds = time.perf_counter() - solve_started
    return plan_from_solver(problem, ctx, mode, passes, final_solver, build_seconds, solve_seconds, options, audit=audit)


def _start_solution(problem: Problem, ctx: ModelContext, hint: Plan | None, baseline: bool, options: SolveOptions) -> cp_model.CpSolver | None:
    """A complete feasible solution to start from: the given plan's pairs, else the greedy plan's.

    Its auxiliary variables are the best for those pairs: the weighted terms as high, and (relaxed)
    the exceptions as few, as the pairs allow; the two share no variable, so one sum serves both.
    """
    if hint is not None:
        pairs = hint.pair_set()
    elif baseline and (ctx.terms or problem.relaxing):
        pairs = set(baseline_pairs(problem, ctx.pairs, seed=options.seed))
    else:
        return None
    return fixed_solve(ctx, pairs, weighted_expr(ctx.terms) - WEIGHT_SCALE * ctx.exceptions_expr())
