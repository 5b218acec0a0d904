"""The same model as a MIP for HiGHS (or SCIP, CBC) through OR-Tools' `pywraplp`, for benchmarks.

The CP-SAT model proto that the policies built is translated constraint by constraint, so the
MIP covers every policy without a second copy of their code: integer variables with their
bounds; linear constraints with one interval; Boolean or / and / at most one / exactly one; an
enforcement literal on any of these becomes a big-M row from the variables' bounds; the integer
objective with its offset and scaling. What it leaves out, and refuses with a clear error rather
than solving a different problem: domains with holes, linear constraints whose domain is several
intervals, and the non-linear constraints (element, table, automaton, multiplication, division,
min/max, intervals, no-overlap, cumulative, circuit, reservoir). The built-in policies use none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class NotLinear(ValueError):
    """The model has a constraint that this translation does not cover."""


@dataclass
class MipResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    objective: float | None
    bound: float | None
    values: list[float] | None  # by CP-SAT variable index
    build_seconds: float
    solve_seconds: float


def _bound(value: int) -> float:
    if value <= INT_MIN // 2:
        return -pywraplp.Solver.infinity()
    if value >= INT_MAX // 2:
        return pywraplp.Solver.infinity()
    return float(value)


CONSTRAINT_KINDS = ("linear", "bool_or", "bool_and", "at_most_one", "exactly_one", "bool_xor", "all_diff", "automaton", "circuit",
                    "routes", "cumulative", "element", "int_div", "int_mod", "int_prod", "interval", "inverse", "lin_max",
                    "no_overlap", "no_overlap_2d", "reservoir", "table")


def _kind(ct) -> str | None:
    return next((kind for kind in CONSTRAINT_KINDS if getattr(ct, f"has_{kind}")()), None)


def translate(proto, solver: pywraplp.Solver):
    """Variables and rows of `proto` in `solver`; returns the variables by index and the objective's (scale, offset)."""
    variables = []
    for index, var in enumerate(proto.variables):
        if len(var.domain) != 2:
            raise NotLinear(f"variable {var.name or index} has a domain with holes {list(var.domain)}")
        variables.append(solver.IntVar(_bound(var.domain[0]), _bound(var.domain[1]), var.name or f"v{index}"))
    lower = [v.lb() for v in variables]
    upper = [v.ub() for v in variables]

    def literal(ref: int):
        # CP-SAT literals: index ≥ 0 is the variable, a negative ref −i−1 is its negation.
        return (variables[ref], 1.0, 0.0) if ref >= 0 else (variables[-ref - 1], -1.0, 1.0)

    def add_row(terms: list[tuple[object, float]], constant: float, lb: float, ub: float, enforcement: list[int]) -> None:
        # Σ coef·var + constant in [lb, ub]; each enforcement literal l relaxes it by M·(1 − l).
        low = constant + sum(c * (lower[v.index()] if c > 0 else upper[v.index()]) for v, c in terms)
        high = constant + sum(c * (upper[v.index()] if c > 0 else lower[v.index()]) for v, c in terms)
        inf = pywraplp.Solver.infinity()
        for row_lb, row_ub in ((lb, inf), (-inf, ub)) if enforcement else ((lb, ub),):
            if row_lb == -inf and row_ub == inf:
                continue
            extra: list[tuple[object, float]] = []
            extra_constant = 0.0
            for ref in enforcement:
                var, sign, offset = literal(ref)
                # enforced when the literal is 1; the row may be off by M when it is 0.
                big_m = (row_lb - low) if row_lb != -inf else (high - row_ub)
                if big_m <= 0:
                    continue  # the row holds whatever the literal
                if row_lb != -inf:  # expr + M(1 − lit) ≥ lb
                    extra.append((var, -big_m * sign))
                    extra_constant += big_m * (1 - offset)
                else:  # expr − M(1 − lit) ≤ ub
                    extra.append((var, big_m * sign))
                    extra_constant -= big_m * (1 - offset)
            if enforcement and not extra:
                continue
            shift = constant + extra_constant
            row = solver.RowConstraint(row_lb - shift if row_lb != -inf else -inf, row_ub - shift if row_ub != inf else inf)
            for var, coef in terms + extra:
                row.SetCoefficient(var, row.GetCoefficient(var) + coef)

    def literal_sum(refs):
        terms, constant = [], 0.0
        for ref in refs:
            var, sign, offset = literal(ref)
            terms.append((var, sign))
            constant += offset
        return terms, constant

    for index, ct in enumerate(proto.constraints):
        kind = _kind(ct)
        enforcement = list(ct.enforcement_literal)
        if kind == "linear":
            if len(ct.linear.domain) != 2:
                raise NotLinear(f"constraint {ct.name or index}: linear with a domain of several intervals")
            terms = [(variables[v], float(c)) for v, c in zip(ct.linear.vars, ct.linear.coeffs)]
            add_row(terms, 0.0, _bound(ct.linear.domain[0]), _bound(ct.linear.domain[1]), enforcement)
        elif kind in ("bool_or", "at_most_one", "exactly_one"):
            refs = getattr(ct, kind).literals
            terms, constant = literal_sum(refs)
            lb, ub = {"bool_or": (1.0, pywraplp.Solver.infinity()), "at_most_one": (-pywraplp.Solver.infinity(), 1.0),
                      "exactly_one": (1.0, 1.0)}[kind]
            add_row(terms, constant, lb, ub, enforcement)
        elif kind == "bool_and":
            for ref in ct.bool_and.literals:
                terms, constant = literal_sum([ref])
                add_row(terms, constant, 1.0, 1.0, enforcement)
        elif kind is None:
            continue
        else:
            raise NotLinear(f"constraint {ct.name or index}: {kind} is not linear; the MIP translation leaves it out")

    objective = solver.Objective()
    if proto.has_floating_point_objective():
        raise NotLinear("a floating-point objective is not translated")
    scale = proto.objective.scaling_factor or 1.0
    for v, c in zip(proto.objective.vars, proto.objective.coeffs):
        if v >= 0:
            objective.SetCoefficient(variables[v], objective.GetCoefficient(variables[v]) + c)
        else:  # c·not(x) = c − c·x
            var = variables[-v - 1]
            objective.SetCoefficient(var, objective.GetCoefficient(var) - c)
            objective.SetOffset(objective.offset() + c)
    objective.SetOffset(objective.offset() + proto.objective.offset)
    objective.SetMinimization()  # CP-SAT stores a maximisation as minimising the negation, scale −1
    return variables, scale


def solve_mip(proto, *, backend: str = "HIGHS", time_limit: float = 60.0, threads: int = 1) -> MipResult:
    """Translate and solve; objective and bound are in the CP-SAT model's own units and sense."""
    started = time.perf_counter()
    solver = pywraplp.Solver.CreateSolver(backend)
    if solver is None:
        raise RuntimeError(f"OR-Tools has no {backend} solver in this build")
    variables, scale = translate(proto, solver)
    solver.SuppressOutput()
    solver.SetTimeLimit(int(time_limit * 1000))
    if threads > 1:
        solver.SetNumThreads(threads)
    build_seconds = time.perf_counter() - started
    solve_started = time.perf_counter()
    code = solver.Solve()
    solve_seconds = time.perf_counter() - solve_started
    status = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE",
              pywraplp.Solver.INFEASIBLE: "INFEASIBLE"}.get(code, "UNKNOWN")
    if status in ("OPTIMAL", "FEASIBLE"):
        objective = scale * solver.Objective().Value()
        bound = scale * solver.Objective().BestBound()
        values = [v.solution_value() for v in variables]
    else:
        objective = bound = values = None
    return MipResult(status, objective, bound, values, build_seconds, solve_seconds)
