"""`solve(problem) -> Plan`: build the CP-SAT model from the policies, solve it, audit the plan.

Objectives are `weighted` (one solve of Σ weight × term) or `lexicographic` (one solve per term in
priority order; each optimum is fixed as a constraint and the previous solution is the complete
hint of the next solve; a run of terms may be one solve with weights that keep their order:
`assign.solver.joint_passes`). Infeasible and timed-out are statuses of the plan, never exceptions.

A relaxed solve (`on_infeasible: relax`) has one level before all of them: the total severity of
the exceptions, minimised; the exceptions that solution chose are then fixed, so the usual
objective runs with the fewest exceptions the rules allow. In weighted mode too it is a pass of
its own: the same as a weight above everything, without a weight to guess.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from ortools.sat.python import cp_model

from assign.errors import InputError
from assign.locale import _
from assign.modeling import ModelContext, Pair, Term, build_model
from assign.plan import Plan, SolvePass
from assign.problem import Problem
from assign.solver.aggregate import EXPAND_SECONDS, aggregated_model, aggregated_options, expand, not_named_warning
from assign.solver.baseline import baseline_pairs
from assign.solver.cpsat import (
    FOUND,
    STATUS,
    WEIGHT_SCALE,
    PassWatch,
    Progress,
    SolveOptions,
    fixed_solve,
    gap,
    hint_all,
    make_solver,
    nearest_pairs,
    options_for,
    relinked,
    set_objective,
    sized_options,
    weighted_expr,
)
from assign.solver.decompose import components, solve_components
from assign.solver.joint_passes import expr_ranges, joinable, joint_objective, joint_weights, run_gap
from assign.solver.result import plan_from_solver

EXCEPTIONS = "relax.exceptions"  # the name of the first pass of a relaxed solve
# How the passes share the time limit (measured: benchmarks/single_office.py, docs/benchmarks.md).
PASS_SHARE = 2.0  # a pass may take up to twice an even share of the time left…
PASS_FLOOR = 0.5  # …but leaves each later pass at least half an even share of the limit
MIN_PASS_SECONDS = 0.01
RELINK_SECONDS = 1.0  # at most, for the start of the next pass of a re-plan (`relinked`: 0.07 s at 120 × 500)


def ordered_terms(terms: list[Term], order: list[str] | None, source: str = "scenario") -> list[Term]:
    """Terms in lexicographic priority: the scenario's `objective.order`, else each term's rank."""
    if not order:
        return sorted(terms, key=lambda t: t.rank)
    by_name = {t.name: t for t in terms}
    unknown = [n for n in order if n not in by_name]
    if unknown:
        raise InputError.at(source, None, "objective.order", unknown, _("unknown objective term(s): the scenario's policies define {sorted}")
                                                                      .format(sorted=sorted(by_name)))
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
    held: tuple[list[SolvePass], set[Pair]] | None = None,
    **overrides: Any,
) -> Plan:
    """Solve the problem; the returned plan carries status, bound, gap, times, KPIs and audit findings.

    `hint`: a plan to start from (its pairs, completed into a full solution). `baseline`: without
    a hint, start from the by-hand greedy plan, so the plan is never worse than greedy at any time
    limit (weighted mode; the first pass in lexicographic mode). `decompose`: solve the connected
    components of the candidate graph apart when no policy couples the plan (assign.solver.decompose).
    `audit=False` leaves the findings empty (for the parts of a decomposed solve, whose merged plan
    is audited as a whole). `held`: passes already run (on the model of types, whose naming fell
    short of a later term) and the pairs of a plan that meets them: the solve starts from that plan,
    holds those terms at their values and runs the passes after them.
    """
    options = asked = options_for(problem, **overrides)  # `asked`: for a solve on the plain model after the types'
    mode = mode or problem.scenario.objective.mode
    started = time.perf_counter()
    if decompose and hint is None:
        parts = components(problem)
        if parts is not None:
            return solve_components(problem, parts, solve, mode=mode, progress=progress, baseline=baseline, options=options, started=started)
    # Interchangeable researchers solved as types when every policy allows it (assign.solver.aggregate).
    ctx = aggregated_model(problem, options, progress) or build_model(problem)
    options = sized_options(aggregated_options(options) if ctx.types else options, len(ctx.named_pairs()))
    model = ctx.model
    stages = objective_stages(problem, ctx, mode)
    build_seconds = time.perf_counter() - started
    passes: list[SolvePass] = []
    solve_started = time.perf_counter()
    # The incumbent: a solver holding a complete solution of the model as the passes so far have
    # constrained it (the start, then each pass's best). Every pass is hinted with it and keeps it
    # when the solver returns nothing better within the pass's budget.
    settled, start_pairs = held or ([], set())
    incumbent = fixed_solve(ctx, start_pairs, every_term(ctx)) if start_pairs else None
    if incumbent is None:
        settled = []
        incumbent = _start_solution(problem, ctx, hint, baseline, options, budget=0.2 * options.time_limit)
    for (_name, expr, sense), done in zip(stages, settled):
        model.add(expr >= round(done.objective) if sense == "max" else expr <= round(done.objective))
    start_seconds = time.perf_counter() - solve_started
    searched = 0.0  # seconds inside CP-SAT's passes; the rest of the time is the start and the Python between passes
    passes += settled
    replan = hint is not None
    keep_best = bool(ctx.types) or replan  # the incumbent kept at its best for every term: `at_best`
    # Runs of passes solved as one (assign.solver.joint_passes): a fresh solve's leading passes of a
    # small model, to proof; a re-plan's runs anywhere, on a large model each stopping within the pass
    # gap of its last term.
    join_gap = run_gap(len(ctx.pairs), replan, options.pass_gap)
    may_join = joinable(len(ctx.pairs), replan) and (replan or not (problem.relaxing or settled))
    ranges = expr_ranges(model, [expr for _name, expr, _sense in stages]) if may_join else []
    index, tried = len(settled), -1
    while index < len(stages):
        weights, slack = [], 0
        if may_join and index != tried and (replan or index == 0) and stages[index][0] != EXCEPTIONS:
            values = [incumbent.value(e) for _n, e, _s in stages[index:]] if incumbent is not None else None
            weights, slack = joint_weights(ranges[index:], join_gap, values)
        tried = index  # a run not settled within its slack is not tried again: its passes run one by one
        run = stages[index:index + max(1, len(weights))]
        end = index + len(run)
        elapsed = time.perf_counter() - solve_started
        # What the passes cost outside CP-SAT (objective, hints, values: seconds on a large model
        # under load) is kept aside for the passes still to come, so the solve ends near its limit.
        overhead = (elapsed - start_seconds - searched) / index * (len(stages) - index) if index else 0.0
        left = len(stages) - end + 1  # the passes still to run, a run counting as one
        budget = pass_budget(options.time_limit - elapsed - overhead, left, left if weights else len(stages), options.time_limit)
        name, expr, sense = ("", joint_objective(run, weights), "max") if weights else run[0]
        set_objective(model, expr, sense)
        if incumbent is not None:
            hint_all(model, list(incumbent.response_proto.solution))
        before = incumbent
        solver = make_solver(options, budget)
        label = f"[{index + 1}-{end}/{len(stages)}] {' + '.join(n for n, _e, _s in run)}" if weights else f"[{index + 1}/{len(stages)}] {name}"
        if progress:
            progress(_("{label}: solving (at most {budget} s)").format(label=label, budget=f"{budget:.1f}"))
        if weights:
            share, pass_gap, last = (0.0, join_gap, (run[-1][1], run[-1][2], slack)) if join_gap else (budget, 0.0, None)
        else:
            (share, pass_gap), last = watch_terms(options, replan, index, len(stages), options.time_limit - elapsed - overhead), None
        with PassWatch(solver, share, pass_gap, progress, label, last) as watch:
            status = STATUS[solver.solve(model, watch)]
        searched += solver.wall_time
        found = status in FOUND
        objective = solver.objective_value if found else None
        bound = solver.best_objective_bound if status != "INFEASIBLE" else None
        used = solver
        if incumbent is not None:
            # The incumbent is feasible for this pass (it meets every earlier pass's value): keep it
            # when the solver returns nothing better (a budget shorter than presolve returns UNKNOWN
            # even with a hint), and on a tie when it is better on the terms still to come and the
            # pass stopped early or starts from a plan in force: the greedy plan's travel, a
            # re-plan's few changes, survive a later pass that stops early. (A proven pass of a
            # fresh solve takes its own solution on a tie, as it always did: the same roster.)
            kept = incumbent.value(expr)
            tie_breaks = status != "OPTIMAL" or replan
            if found and tie_breaks and end < len(stages) and abs(solver.value(expr) - kept) < 1e-6 and not same_pairs(ctx, incumbent, solver):
                # A tie: the later terms decide, each at its best for both plans (the incumbent is; see
                # `at_best`): on the terms as the pass left them, a re-plan's start lost to a far plan on
                # noise, and the changes pass of a 120 × 500 county then took 7 s instead of 0.6 s.
                incumbent, used = (incumbent if keep_best else at_best(ctx, incumbent)), at_best(ctx, solver)
            if not found or better_later(incumbent, used, stages[index:] if tie_breaks else run):
                used, found, objective = incumbent, True, kept
                status = "OPTIMAL" if status == "OPTIMAL" else "FEASIBLE"
        if weights:
            short = abs(bound - objective) if found and bound is not None else None  # the sum's distance to its bound
            if status != "OPTIMAL" and (short is None or short > slack):
                # Not settled within the slack: the passes run one by one, from the better plan.
                incumbent = (at_best(ctx, used) if keep_best and used is solver else used) if found else incumbent
                continue
            passes += run_passes(run, used, 0.0 if status == "OPTIMAL" else short, solver.wall_time, budget, stopped_for(watch, share))
        else:
            if bound is not None and objective is not None and (bound < objective - 1e-6 if sense == "max" else bound > objective + 1e-6):
                bound = None  # a solver that stopped before its first bound reports none worth printing
            passes.append(SolvePass(objective_name=name, status=status, objective=objective, bound=bound, gap=gap(objective, bound),
                                    seconds=round(solver.wall_time, 3), budget=round(budget, 3),
                                    stop=None if status == "OPTIMAL" else stopped_for(watch, share)))
            if not found:
                break  # the first pass found nothing and there is nothing to fall back on: INFEASIBLE or UNKNOWN
        incumbent, index = used, end
        if end < len(stages):
            # Later passes keep these terms at the values reached (not at the bound): lexicographic fixing.
            for _name, term, term_sense in run:
                value = round(used.value(term))
                model.add(term >= value if term_sense == "max" else term <= value)
            if name == EXCEPTIONS:
                # The chosen exceptions themselves are fixed, not only their total: about twice as
                # fast on the demo county as with the literals left free (docs/benchmarks.md).
                ctx.fix_exceptions(used.boolean_value)
            if keep_best and used is solver:
                incumbent = at_best(ctx, used)  # after the fixing: what the model now holds, the rest at its best
            if replan and before is not None and used is not before and better_later(before, used, stages[end:end + 1]):
                # The pass left the plan it started from (a re-plan's few changes) for a better value of
                # its term, and with it much the next term would keep: the next pass starts from the best
                # plan for that term among those keeping what the two plans agree on (docs/benchmarks.md).
                _next, next_expr, next_sense = stages[end]
                better = relinked(ctx, before, used, next_expr, next_sense, options, min(RELINK_SECONDS, budget))
                if better is not None:
                    searched += better.wall_time
                    incumbent = at_best(ctx, better) if better_later(better, incumbent, stages[end:end + 1]) else incumbent
    types = len(ctx.problem.researchers) if ctx.types else None
    if types is not None and incumbent is not None:
        # Who of each type takes each school: a plan of the plain model, each term at least as good as the counts'.
        named = expand(problem, ctx, incumbent, options, options.time_limit - (time.perf_counter() - started))
        if named is None:
            left = max(MIN_PASS_SECONDS, options.time_limit - (time.perf_counter() - started))
            plan = solve(problem, mode=mode, progress=progress, baseline=baseline, decompose=False, audit=audit,
                         **{**asdict(asked), "time_limit": left, "aggregate": False})
            warning = not_named_warning(types)
            return plan.model_copy(update={"findings": [*plan.findings, warning]}) if plan.solved else plan
        ctx, incumbent, worse = named
        stages = objective_stages(problem, ctx, mode)
        if worse:
            # A term the counts bound more tightly than any naming reaches (the changes against a plan
            # in force: a researcher's own limits keep a school from its holder): the passes before it
            # hold as the types reached them, and the plain model runs it and the rest from the named plan.
            first = next(k for k, (name, _expr, _sense) in enumerate(stages) if name in worse)
            if progress:
                progress(_("the counts by type promise more than their naming gives on {term}: that pass and the rest are solved "
                           "researcher by researcher, from the named plan").format(term=stages[first][0]))
            left = max(MIN_PASS_SECONDS, options.time_limit - (time.perf_counter() - started))
            return solve(problem, mode=mode, progress=progress, hint=hint, baseline=baseline, decompose=False, audit=audit,
                         held=(passes[:first], {pair for pair, var in ctx.x.items() if incumbent.value(var)}),
                         **{**asdict(asked), "time_limit": left, "aggregate": False})
    solve_seconds = time.perf_counter() - solve_started
    if incumbent is not None:
        # Each pass reports the value the returned plan has, which a later pass may have raised
        # above what that pass itself reached; its bound still holds (the plan meets every earlier cap).
        passes = [p.model_copy(update={"objective": float(incumbent.value(expr)), "gap": gap(float(incumbent.value(expr)), p.bound)})
                  if p.objective is not None else p for p, (_, expr, _) in zip(passes, stages)]
    plan = plan_from_solver(problem, ctx, mode, passes, incumbent, build_seconds, solve_seconds, options, audit=audit)
    return plan if types is None else plan.model_copy(update={"solver_settings": {**plan.solver_settings, "researcher_types": types}})


def every_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Every term at once, to maximise with x fixed: the weighted terms as high, and (relaxed) the
    exceptions as few, as the pairs allow; terms share no auxiliary variable, so one sum serves all."""
    return weighted_expr(ctx.terms) - WEIGHT_SCALE * ctx.exceptions_expr()


def same_pairs(ctx: ModelContext, a: cp_model.CpSolver, b: cp_model.CpSolver) -> bool:
    """Whether two solutions give every x the same value (the same plan)."""
    first, second = a.response_proto.solution, b.response_proto.solution
    return all(first[var.index] == second[var.index] for var in ctx.x.values())


def at_best(ctx: ModelContext, solution: cp_model.CpSolver) -> cp_model.CpSolver:
    """`solution`'s x with every other variable at its best for every term (`every_term`): what its
    plan is worth on each term, and the hint of the next pass; `solution` itself if that cannot be had.

    A pass leaves the terms it does not optimise where they fell. On the model of types (and in a
    re-plan, where ties keep the start) the incumbent is always at its best: after the schools pass
    of a 400 × 1,500 county the subjects term of its solution was 0, and hinted so, the subjects
    pass found nothing better in 30 s; at its best (0.03 s, the counts fixed) the hint was worth
    48,808 and the pass was proven optimal in 29 s.
    """
    values = solution.response_proto.solution
    best = fixed_solve(ctx, {pair: values[var.index] for pair, var in ctx.x.items()}, every_term(ctx), time_limit=EXPAND_SECONDS)
    return best if best is not None else solution


def better_later(a: cp_model.CpSolver, b: cp_model.CpSolver, stages: list[tuple[str, Any, str]]) -> bool:
    """Whether solution `a` is lexicographically better than `b` over `stages` (name, expression,
    sense), the first decisive; equal values (CP-SAT's floats, with a tolerance) go on to the next."""
    for _name, expr, sense in stages:
        diff = a.value(expr) - b.value(expr)
        if abs(diff) > 1e-6:
            return diff > 0 if sense == "max" else diff < 0
    return False


def run_passes(run: list[tuple[str, Any, str]], solution: cp_model.CpSolver, short: float, seconds: float, budget: float,
               stop: str) -> list[SolvePass]:
    """The passes one run settled (assign.solver.joint_passes): each term at the solution's value, the
    run's sum `short` of its bound. Within the slack that proves every term but the last (value =
    bound); the last is at most `short` from its own bound, and if not proven, stopped for `stop`.
    The run's seconds and budget are the first pass's."""
    out = []
    for k, (name, expr, sense) in enumerate(run):
        value = float(round(solution.value(expr)))
        bound = value if k + 1 < len(run) else value + (short if sense == "max" else -short)
        out.append(SolvePass(objective_name=name, status="OPTIMAL" if bound == value else "FEASIBLE", objective=value, bound=bound,
                             gap=gap(value, bound), seconds=round(seconds, 3) if k == 0 else 0.0, budget=round(budget, 3) if k == 0 else 0.0,
                             joint_with=run[0][0] if k else None, stop=None if bound == value else stop))
    return out


def stopped_for(watch: PassWatch, share: float) -> str:
    """Why a pass not proven stopped (`SolvePass.stop`): its watch stopped it within the pass gap, at
    once (`gap`) or after its share of the time (`share`); else its budget ran out (`limit`)."""
    if watch.stopped_at is None:
        return "limit"
    return "share" if share > 0 else "gap"


def watch_terms(options: SolveOptions, replan: bool, index: int, passes: int, remaining: float) -> tuple[float, float]:
    """(share, gap) for the PassWatch of pass `index`: after `share` seconds the pass stops once
    within `gap` of its bound.

    A fresh solve gives each pass an even share of what is left before it may stop, and runs the
    last pass (no one to hand its time to) to proof or to the limit. A re-plan starts from the plan
    in force, and what the office wants from it is few changes, not the proof of the last half
    percent: every pass, the last too, hands on as soon as it is within the gap.
    """
    if replan:
        return 0.0, options.pass_gap
    if index + 1 == passes:
        return remaining, 0.0
    return remaining / (passes - index), options.pass_gap


def pass_budget(remaining: float, passes_left: int, passes_total: int, time_limit: float) -> float:
    """Seconds for the next pass: at most PASS_SHARE times an even share of what is left, and never
    so much that a later pass gets less than its floor (PASS_FLOOR times an even share of the limit
    over the passes `passes_total`); the last pass takes whatever is left. A pass that is proven
    sooner hands its unused time on."""
    if passes_left <= 1:
        return max(MIN_PASS_SECONDS, remaining)
    floor = max(MIN_PASS_SECONDS, PASS_FLOOR * time_limit / passes_total)
    share = PASS_SHARE * remaining / passes_left
    return max(MIN_PASS_SECONDS, min(share, remaining - floor * (passes_left - 1)))


def _start_solution(problem: Problem, ctx: ModelContext, hint: Plan | None, baseline: bool, options: SolveOptions,
                    budget: float) -> cp_model.CpSolver | None:
    """A complete feasible solution to start from: the given plan's pairs, else the greedy plan's.

    A given plan the rules no longer allow whole (a re-plan after a change: a new researcher needs a
    school) is first repaired to the nearest plan the rules allow (`nearest_pairs`, within `budget`
    seconds), so the passes start from the plan in force, not from scratch.
    Its auxiliary variables are the best for those pairs: the weighted terms as high, and (relaxed)
    the exceptions as few, as the pairs allow; the two share no variable, so one sum serves both.
    """
    objective = every_term(ctx)
    if hint is not None:
        pairs = hint.pair_set()
        start = fixed_solve(ctx, pairs, objective)
        if start is None:
            nearest = nearest_pairs(ctx, pairs, options, budget)
            start = fixed_solve(ctx, nearest, objective) if nearest is not None else None
        if start is not None or not baseline:
            return start
    if not (baseline and (ctx.terms or problem.relaxing)):
        return None
    return fixed_solve(ctx, set(baseline_pairs(problem, ctx.named_pairs(), seed=options.seed)), objective)
