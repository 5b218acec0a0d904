"""`assign pareto SCENARIO --between coverage travel`: the trade-off between two objectives.

ε-constraint over the second objective: the two ends are the scenario's usual plan (first
objective first, then the second) and the plan that puts the second first; in between, for each
cap ε on the second objective, the first is optimised under `second ≤ ε` (`≥` for a maximised
one), then the second is tightened with the first fixed, so every point is non-dominated (up to
solver time limits; dominated leftovers are filtered). An objective is named by a term
(`travel.total_minutes`) or by a policy, meaning all its terms in rank order (`coverage` =
priority schools, then schools, then subjects); the second must come down to a single term.
A scenario that relaxes has its fewest exceptions chosen first at every point, as `assign solve` does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from assign.analysis.check import term_values
from assign.batch.executors import Executor
from assign.errors import InputError
from assign.kpi import compute_kpis
from assign.locale import _
from assign.modeling import Term, build_model
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.cpsat import hint_all, make_solver, options_for, set_objective
from assign.solver.passes import EXCEPTIONS


@dataclass
class Point:
    """One plan on the trade-off curve: its term values, KPIs and how the solve went."""

    epsilon: float | None
    values: dict[str, float]
    kpis: dict[str, Any]
    status: str
    seconds: float
    pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Front:
    first: list[str]   # term names, lexicographic
    second: str        # one term name
    senses: dict[str, str]
    labels: dict[str, str]
    points: list[Point]
    current: Point | None = None


def _terms_named(terms: list[Term], name: str, source: str) -> list[Term]:
    exact = [t for t in terms if t.name == name]
    if exact:
        return exact
    of_policy = sorted((t for t in terms if t.policy == name), key=lambda t: t.rank)
    if not of_policy:
        raise InputError.at(source, None, "--between", name,
                            _("no objective term or policy with terms of that name: the scenario has {sorted}")
                            .format(sorted=sorted(t.name for t in terms)))
    return of_policy


def _lexicographic(problem: Problem, names: list[str], cap: tuple[str, float] | None, options, time_limit: float) -> Point:
    """Optimise the named terms in order (each optimum fixed), under an optional cap on one term."""
    started = time.perf_counter()
    ctx = build_model(problem)
    by_name = {t.name: t for t in ctx.terms}
    model = ctx.model
    if cap is not None:
        term = by_name[cap[0]]
        model.add(term.expr <= round(cap[1]) if term.sense == "min" else term.expr >= round(cap[1]))
    status, solver = "UNKNOWN", None
    solution = None
    stages = [(t.name, t.expr, t.sense) for t in (by_name[n] for n in names)]
    if problem.relaxing:
        stages.insert(0, (EXCEPTIONS, ctx.exceptions_expr(), "min"))
    for name, expr, sense in stages:
        set_objective(model, expr, sense)
        if solution is not None:
            hint_all(model, solution)  # a complete hint keeps CP-SAT at the previous optimum
        current = make_solver(options, max(0.5, time_limit - (time.perf_counter() - started)))
        found = current.status_name(current.solve(model))
        if found not in ("OPTIMAL", "FEASIBLE"):
            if solver is None:
                return Point(None if cap is None else cap[1], {}, {}, found, time.perf_counter() - started)
            status = "FEASIBLE"
            break
        status = "OPTIMAL" if found == "OPTIMAL" and status != "FEASIBLE" else "FEASIBLE"
        solver, solution = current, list(current.response_proto.solution)
        value = round(current.value(expr))
        model.add(expr >= value if sense == "max" else expr <= value)
        if name == EXCEPTIONS:
            ctx.fix_exceptions(current.boolean_value)
    pairs = [pair for pair, var in ctx.x.items() if solver.boolean_value(var)]
    values = {t.name: solver.value(t.expr) for t in ctx.terms}
    kpis = compute_kpis(problem, problem.assignments(pairs))
    return Point(None if cap is None else cap[1], values, kpis, status, round(time.perf_counter() - started, 2), pairs)


def _better_or_equal(p: Point, q: Point, first: list[str], second: str, senses: dict[str, str]) -> bool:
    """p is at least as good as q in both objectives (the first compared lexicographically)."""
    def key(point, name):
        return point.values[name] if senses[name] == "max" else -point.values[name]
    first_ok = tuple(key(p, n) for n in first) >= tuple(key(q, n) for n in first)
    return first_ok and key(p, second) >= key(q, second)


def non_dominated(points: list[Point], first: list[str], second: str, senses: dict[str, str]) -> list[Point]:
    """Distinct points that no other point dominates, ordered along the second objective."""
    solved = [p for p in points if p.values]
    distinct: dict[tuple, Point] = {}
    for p in solved:
        distinct.setdefault(tuple(p.values[n] for n in [*first, second]), p)
    kept = [p for p in distinct.values()
            if not any(q is not p and _better_or_equal(q, p, first, second, senses) for q in distinct.values())]
    return sorted(kept, key=lambda p: p.values[second])


def _solve_all(problem: Problem, tasks: list[tuple], options, per_point: float, executor: Executor | None) -> list[Point]:
    """Each (names, cap) task solved, in order: one after another here, or as jobs on `executor` (one
    CP-SAT worker each, so the jobs share the cores instead of fighting over them)."""
    if executor is None or len(tasks) <= 1:
        return [_lexicographic(problem, names, cap, options, per_point) for names, cap in tasks]
    single = replace(options, workers=1)
    return [o.value for o in executor.run(_lexicographic, [(problem, names, cap, single, per_point) for names, cap in tasks])]


def pareto_front(problem: Problem, first: str, second: str, *, points: int = 6, time_limit: float | None = None,
                 current: Plan | None = None, executor: Executor | None = None, **overrides: Any) -> Front:
    """The non-dominated plans between two objectives, by ε-constraint on the second (see module docstring).

    With an `executor`, the two ends, then the points between them, are solved as parallel jobs.
    """
    options = options_for(problem, **overrides)
    per_point = time_limit if time_limit is not None else options.time_limit
    terms = build_model(problem).terms
    first_terms = [t.name for t in _terms_named(terms, first, problem.source)]
    second_terms = _terms_named(terms, second, problem.source)
    if len(second_terms) != 1:
        raise InputError.at(problem.source, None, "--between", second,
                            _("the second objective must be one term, one of {value}").format(value=[t.name for t in second_terms]))
    second_name = second_terms[0].name
    if second_name in first_terms:
        raise InputError.at(problem.source, None, "--between", second, _("the two objectives must differ"))
    senses = {t.name: t.sense for t in terms}
    labels = {t.name: t.label for t in terms}
    best_first, best_second = _solve_all(problem, [([*first_terms, second_name], None), ([second_name, *first_terms], None)],
                                         options, per_point, executor)
    found = [best_first, best_second]
    if best_first.values and best_second.values:
        hi, lo = best_first.values[second_name], best_second.values[second_name]
        caps = [lo + (hi - lo) * k / (points - 1) for k in range(1, max(0, points - 2) + 1)]
        found += _solve_all(problem, [([*first_terms, second_name], (second_name, eps)) for eps in caps], options, per_point, executor)
    front = non_dominated(found, first_terms, second_name, senses)
    mark = None
    if current is not None:
        values = term_values(problem, sorted(current.pair_set()))
        if values is not None:
            mark = Point(None, values, current.kpis, current.status, current.solve_seconds, sorted(current.pair_set()))
    else:
        mark = best_first  # the scenario's own plan: first objective first, as `assign solve` makes it
    return Front(first_terms, second_name, senses, labels, front, mark)
