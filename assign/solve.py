"""`solve(problem) -> Plan`: build the CP-SAT model from the policies, solve it, audit the plan.

Objectives are `weighted` (one solve of Σ weight × term) or `lexicographic` (one solve per term in
priority order; each optimum is fixed as a constraint and the previous solution is the complete
hint of the next solve). Infeasible and timed-out are statuses of the plan, never exceptions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from ortools.sat.python import cp_model

from assign.audit import audit_plan
from assign.errors import InputError
from assign.hint import fixed_solve
from assign.kpi import compute_kpis
from assign.modeling import Term, build_model
from assign.plan import Assignment, Plan, SolvePass, TermValue
from assign.problem import Problem

# Measured on 2-core machines (SOLVER-NOTES.md, and the figures in README): with two workers the
# default portfolio never runs an LP-heavy worker and its bound does not move on this model; the
# LP relaxation is tight, so an LP-based worker proves optimality at once.
# Probing and symmetry detection cost more presolve time than they save on this model.
DEFAULT_PARAMETERS: dict[str, Any] = {
    "subsolvers": ["max_lp"],
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "add_lp_constraints_lazily": False,
}
SINGLE_WORKER_PARAMETERS: dict[str, Any] = {
    "linearization_level": 2,
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "add_lp_constraints_lazily": False,
    # Measured on the parts of generated regions (docs/benchmarks.md): three rounds of cuts at the
    # root and no SAT inprocessing prove a 4,000-pair county 15-35% faster; neither changes a result.
    "max_cut_rounds_at_level_zero": 3,
    "use_sat_inprocessing": False,
}
WEIGHT_SCALE = 1000  # weights are floats in scenarios; CP-SAT wants integers

Progress = Callable[[str], None]


@dataclass
class SolveOptions:
    time_limit: float
    workers: int
    seed: int
    log: bool
    parameters: dict[str, Any]


def options_for(problem: Problem, **overrides: Any) -> SolveOptions:
    s = problem.scenario.solver
    values = {"time_limit": s.time_limit, "workers": s.workers, "seed": s.seed, "log": s.log, "parameters": dict(s.parameters)}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SolveOptions(**values)


def make_solver(options: SolveOptions, time_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = options.workers
    p.random_seed = options.seed
    p.max_time_in_seconds = max(0.01, time_limit)
    p.log_search_progress = options.log
    defaults = SINGLE_WORKER_PARAMETERS if options.workers == 1 else DEFAULT_PARAMETERS
    for name, value in {**defaults, **options.parameters}.items():
        if not hasattr(p, name):
            raise InputError.at("solver.parameters", None, name, value, "unknown CP-SAT parameter")
        if isinstance(value, list):
            field = getattr(p, name)
            field.clear()
            field.extend(value)
        else:
            setattr(p, name, value)
    return solver


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution with its bound, for solves a person waits on."""

    def __init__(self, report: Progress, label: str):
        super().__init__()
        self._report, self._label = report, label

    def on_solution_callback(self) -> None:
        obj, bound = self.objective_value, self.best_objective_bound
        self._report(f"{self._label}: {self.wall_time:6.2f}s objective {obj:g}, bound {bound:g}, gap {_gap(obj, bound):.2%}")


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
}


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


def _weighted_expr(terms: list[Term]) -> cp_model.LinearExprT:
    return sum(round(t.weight * WEIGHT_SCALE) * (t.expr if t.sense == "max" else -t.expr) for t in terms)


def _hint_all(model: cp_model.CpModel, solution: list[int]) -> None:
    # A hint on x alone does not keep CP-SAT at the previous solution; every auxiliary variable must be hinted.
    model.clear_hints()
    for index, value in enumerate(solution):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


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
    components of the candidate graph apart when no policy couples the plan (assign.decompose).
    `audit=False` leaves the findings empty (for the parts of a decomposed solve, whose merged plan
    is audited as a whole).
    """
    options = options_for(problem, **overrides)
    mode = mode or problem.scenario.objective.mode
    started = time.perf_counter()
    if decompose and hint is None:
        from assign.decompose import components, solve_components

        parts = components(problem)
        if parts is not None:
            return solve_components(problem, parts, mode=mode, progress=progress, baseline=baseline, options=options, started=started)
    ctx = build_model(problem)
    model = ctx.model
    weighted = mode == "weighted" or not ctx.terms
    if weighted:
        stages = [("weighted", _weighted_expr(ctx.terms), "max")]
        # Set before the start solution is made, so that its copy of the model carries the objective.
        model.maximize(stages[0][1])
    else:
        stages = [(t.name, t.expr, t.sense) for t in ordered_terms(ctx.terms, problem.scenario.objective.order, problem.source)]
    build_seconds = time.perf_counter() - started

    passes: list[SolvePass] = []
    solution: list[int] | None = None
    solve_started = time.perf_counter()
    start = _start_solution(problem, ctx, hint, baseline, options, objective_set=weighted)
    final_solver = None
    for index, (name, expr, sense) in enumerate(stages):
        remaining = options.time_limit - (time.perf_counter() - solve_started)
        if remaining <= 0 and solution is not None:
            # Out of time: the terms not optimised are recorded, so the plan cannot claim OPTIMAL.
            passes += [SolvePass(objective_name=n, status="UNKNOWN", objective=None, bound=None, gap=None, seconds=0.0)
                       for n, _, _ in stages[index:]]
            break
        if weighted:
            pass  # set above
        elif sense == "max":
            model.maximize(expr)
        else:
            model.minimize(expr)
        if solution is not None:
            _hint_all(model, solution)
        elif start is not None:
            _hint_all(model, list(start.response_proto.solution))
        solver = make_solver(options, remaining)
        label = f"[{index + 1}/{len(stages)}] {name}"
        callback = _ProgressCallback(progress, label) if progress else None
        if progress:
            progress(f"{label}: solving")
        status = _STATUS[solver.solve(model, callback)]
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
                                gap=_gap(objective, bound), seconds=round(solver.wall_time, 3)))
        if not found:
            if solution is None:
                break  # nothing to fall back on: the plan is INFEASIBLE or UNKNOWN
            continue  # a later pass that found nothing keeps the previous pass's solution
        solution = list(used.response_proto.solution)
        final_solver = used
        if index + 1 < len(stages):
            value = round(used.value(expr))
            model.add(expr >= value if sense == "max" else expr <= value)
    solve_seconds = time.perf_counter() - solve_started
    return _make_plan(problem, ctx, mode, passes, final_solver, build_seconds, solve_seconds, options, audit=audit)


def _start_solution(problem: Problem, ctx, hint: Plan | None, baseline: bool, options: SolveOptions, objective_set: bool = False) -> cp_model.CpSolver | None:
    """A complete feasible solution to start from: the given plan's pairs, else the greedy plan's."""
    if hint is not None:
        pairs = hint.pair_set()
    elif baseline and ctx.terms:
        from assign.baseline import baseline_pairs

        pairs = set(baseline_pairs(problem, ctx.pairs, seed=options.seed))
    else:
        return None
    return fixed_solve(ctx, pairs, None if objective_set else _weighted_expr(ctx.terms))


def _overall_status(passes: list[SolvePass]) -> str:
    if not passes:
        return "UNKNOWN"
    first = passes[0].status
    if first not in ("OPTIMAL", "FEASIBLE"):
        return first
    return "OPTIMAL" if all(p.status == "OPTIMAL" for p in passes) else "FEASIBLE"


def _make_plan(problem, ctx, mode, passes, solver, build_seconds, solve_seconds, options, audit: bool = True) -> Plan:
    pairs: list[Assignment] = []
    terms: list[TermValue] = []
    if solver is not None:
        pairs = [
            Assignment(researcher_id=rid, school_id=sid, minutes=problem.minutes(rid, sid))
            for (rid, sid), var in ctx.x.items()
            if solver.boolean_value(var)
        ]
        terms = [
            TermValue(name=t.name, label=t.label, sense=t.sense, value=solver.value(t.expr), weight=t.weight, rank=t.rank, unit=t.unit)
            for t in ctx.terms
        ]
    gaps = [p.gap for p in passes if p.gap is not None]
    last = next((p for p in reversed(passes) if p.objective is not None), None)
    plan = Plan(
        scenario=problem.name,
        title=problem.title,
        contact_period=problem.scenario.contact_period.label,
        travel_method=problem.travel.label,
        mode=mode,
        status=_overall_status(passes),
        objective=last.objective if last else None,
        bound=last.bound if last else None,
        gap=max(gaps) if gaps else None,
        build_seconds=round(build_seconds, 3),
        solve_seconds=round(solve_seconds, 3),
        candidate_pairs=len(ctx.pairs),
        passes=passes,
        pairs=pairs,
        terms=terms,
        kpis=compute_kpis(problem, pairs),
        solver_settings={"time_limit": options.time_limit, "workers": options.workers, "seed": options.seed,
                         **(SINGLE_WORKER_PARAMETERS if options.workers == 1 else DEFAULT_PARAMETERS), **options.parameters},
    )
    if not plan.solved or not audit:
        return plan  # no plan: nothing to audit; a part of a decomposed solve: the merged plan is audited
    return plan.model_copy(update={"findings": audit_plan(problem, plan)})
