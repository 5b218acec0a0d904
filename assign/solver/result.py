"""A `Plan` from a finished solve: the chosen pairs, each term's value, status, bound and gap,
KPIs and the audit findings. One place fills a solved plan, for the passes and the baseline alike."""

from __future__ import annotations

from ortools.sat.python import cp_model

from assign.audit import audited
from assign.kpi import compute_kpis
from assign.modeling import ModelContext
from assign.plan import Plan, SolvePass, TermValue
from assign.problem import Problem
from assign.solver.cpsat import SolveOptions, overall_gap, passes_status, settings_of


def plan_from_solver(problem: Problem, ctx: ModelContext, mode: str, passes: list[SolvePass], solver: cp_model.CpSolver | None,
                     build_seconds: float, solve_seconds: float, options: SolveOptions, audit: bool = True) -> Plan:
    """The plan of `solver`'s values for `ctx` (None: no solution, an empty plan with the passes' status).

    `audit=False` leaves the findings empty (a part of a decomposed solve: the merged plan is audited).
    """
    pairs, terms, exceptions = [], [], []
    if solver is not None:
        exceptions = ctx.exceptions(solver.boolean_value)
        pairs = problem.assignments(pair for pair, var in ctx.x.items() if solver.boolean_value(var))
        terms = [TermValue(name=t.name, label=t.label, sense=t.sense, value=solver.value(t.expr), weight=t.weight, rank=t.rank, unit=t.unit)
                 for t in ctx.terms]
    last = next((p for p in reversed(passes) if p.objective is not None), None)
    plan = Plan(
        **problem.plan_header(),
        mode=mode,
        status=passes_status(passes),
        objective=last.objective if last else None,
        bound=last.bound if last else None,
        gap=overall_gap(passes),
        build_seconds=round(build_seconds, 3),
        solve_seconds=round(solve_seconds, 3),
        candidate_pairs=len(ctx.named_pairs()),
        passes=passes,
        pairs=pairs,
        terms=terms,
        kpis=compute_kpis(problem, pairs, exceptions),
        exceptions=exceptions,
        solver_settings=settings_of(options),
    )
    if not plan.solved or not audit:
        return plan
    return audited(problem, plan)
