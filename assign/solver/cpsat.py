"""The CP-SAT settings and small pieces every solve shares: the assignment's and the calendar's.

Parameters measured on 2-core machines, options from a scenario and the command line, status
names, the relative gap, the overall status of passes and of independent parts, progress
reports, the weighted sum of named terms, and complete hints. One copy of each, so the assignment
(`assign.solver.passes`) and the term calendar (`assign.calendar.visit_solve`) cannot drift apart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Protocol

from ortools.sat.python import cp_model, cp_model_helper
from pydantic import ValidationError

from assign.errors import InputError, validation_problems
from assign.modeling import ModelContext, Pair
from assign.solver.sat_parameters import parameters_text

# Measured on 2-core machines (docs/benchmarks.md): with two workers the default portfolio never
# runs an LP-heavy worker and its bound does not move on this model; the LP relaxation is tight,
# so an LP-based worker proves optimality at once. Probing and symmetry detection cost more
# presolve time than they save on this model.
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
# As for the assignment, the LP relaxation is what proves the calendar's models optimal: without an
# LP-heavy worker the demo's autumn term was still 3% from its bound after 10 s. Measured on the
# demo (autumn, 1 worker): 4.8 s as is, 3.2 s without symmetry detection, 2.1 s with every LP
# constraint added at once; both together are the default.
CALENDAR_PARAMETERS: dict[str, Any] = {
    "linearization_level": 2,
    "add_lp_constraints_lazily": False,
    "symmetry_level": 0,
}
# A term's first schedule (every group stopped at its first solution, before any is improved) comes
# sooner without presolve: on the demo's autumn term 1.3 s to a schedule of every group against 2.0 s
# with it (where presolve and the LP often prove the first solution optimal, but later).
# Without the LP (linearization 0) a first schedule is found 9× sooner on the groups of a 400-researcher
# office (0.39 s of CPU against 3.4 s for its three largest); the improvement that follows has the LP.
FIRST_SCHEDULE_PARAMETERS: dict[str, Any] = {"cp_model_presolve": False, "stop_after_first_solution": True, "linearization_level": 0}
ONE_WORKER_PAIRS = 10_000  # a problem with fewer candidate pairs is solved by one worker: `sized_options`
WEIGHT_SCALE = 1000  # weights are floats in scenarios; CP-SAT wants integers

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
}
FOUND = ("OPTIMAL", "FEASIBLE")

Progress = Callable[[str], None]


@dataclass
class SolveOptions:
    time_limit: float
    workers: int
    seed: int
    log: bool
    parameters: dict[str, Any]
    pass_gap: float = 0.0  # a pass that has had its share of the time stops once this close to its bound (PassWatch)
    aggregate: bool = True  # solve interchangeable researchers as types when every policy allows it (assign.solver.aggregate)


def options_for(problem, **overrides: Any) -> SolveOptions:
    """The scenario's solver settings, with the non-None `overrides` (from the command line) over them."""
    s = problem.scenario.solver
    values = {"time_limit": s.time_limit, "workers": s.workers, "seed": s.seed, "log": s.log, "parameters": dict(s.parameters),
              "pass_gap": s.pass_gap, "aggregate": s.aggregate}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SolveOptions(**values)


def default_parameters(workers: int) -> dict[str, Any]:
    """The assignment's measured defaults for this many workers."""
    return SINGLE_WORKER_PARAMETERS if workers == 1 else DEFAULT_PARAMETERS


def sized_options(options: SolveOptions, pairs: int) -> SolveOptions:
    """The options for a model of `pairs` candidate pairs (named: a model of types is as hard as its
    naming, not as small as its counts): below ONE_WORKER_PAIRS, one worker (and so the single-worker
    settings), whatever the scenario allows.

    A second worker pays for itself on a large model only: on the demo county (2,231 pairs in its
    largest part) the weighted solve took 0.41 s with two workers and 0.26 s with one (medians of 7,
    docs/benchmarks.md); from a 120 × 500 county on, the two are on a par or two are ahead."""
    return replace(options, workers=1) if options.workers > 1 and pairs < ONE_WORKER_PAIRS else options


def calendar_parameters(workers: int) -> dict[str, Any]:
    """The calendar's measured defaults: with more than one worker, an LP-heavy one among them."""
    return CALENDAR_PARAMETERS if workers == 1 else {**CALENDAR_PARAMETERS, "subsolvers": ["max_lp"]}


def settings_of(options: SolveOptions) -> dict[str, Any]:
    """What a plan records of how it was solved: limits, seed and every CP-SAT parameter set."""
    return {"time_limit": options.time_limit, "workers": options.workers, "seed": options.seed,
            **default_parameters(options.workers), **options.parameters}


def make_solver(options: SolveOptions, time_limit: float, defaults: dict[str, Any] | None = None) -> cp_model.CpSolver:
    """A CpSolver with the options' workers, seed and log, `defaults` (the assignment's by default)
    and the scenario's own parameters over them; a parameter CP-SAT does not know, or a value of the
    wrong type, is an InputError (a scenario's are checked when it is loaded: `assign.scenario`)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = options.workers
    p.random_seed = options.seed
    p.max_time_in_seconds = max(0.01, time_limit)
    p.log_search_progress = options.log
    defaults = default_parameters(options.workers) if defaults is None else defaults
    try:
        text = parameters_text(options.parameters, ours=defaults)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, "solver.parameters")) from None
    p.merge_text_format(text)
    return solver


def gap(objective: float | None, bound: float | None) -> float | None:
    """Relative gap |objective − bound| / max(1, |objective|); None without both."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


def gap_text(value: float | None) -> str:
    """A gap as printed: "1.23%", or "—" when there is no bound to measure it against."""
    return "—" if value is None else f"{value:.2%}"


class HasStatus(Protocol):
    status: str


class HasGap(Protocol):
    status: str
    gap: float | None


def overall_gap(passes: list[HasGap]) -> float | None:
    """The gap of a solve: the worst pass's; None when a pass that was not proven has no bound (or
    no pass ran), so a plan never reads "0.00%" for a term nobody bounded."""
    if not passes or any(p.gap is None and p.status != "OPTIMAL" for p in passes):
        return None
    return max((p.gap for p in passes if p.gap is not None), default=0.0)


def passes_status(passes: list[HasStatus]) -> str:
    """The status of passes in priority order: the first decides whether there is a plan at all;
    OPTIMAL only when every pass proved its term."""
    if not passes:
        return "UNKNOWN"
    first = passes[0].status
    if first not in FOUND:
        return first
    return "OPTIMAL" if all(p.status == "OPTIMAL" for p in passes) else "FEASIBLE"


def worst_status(statuses: Iterable[str]) -> str:
    """The status of independent parts solved apart: the worst part's, OPTIMAL only when all are."""
    statuses = list(statuses)
    for bad in ("MODEL_INVALID", "INFEASIBLE", "UNKNOWN"):
        if bad in statuses:
            return bad
    return "OPTIMAL" if all(s == "OPTIMAL" for s in statuses) else "FEASIBLE"


class PassWatch(cp_model.CpSolverSolutionCallback):
    """Watches one pass: reports each improving solution with its bound (for a person waiting), and
    stops the search once the pass has had `share` seconds and its best solution is within
    `gap_limit` of the bound.

    A lexicographic pass that cannot be proven soon spends most of its time closing the last
    fraction of a percent (measured: the 120 × 500 county's "subjects" pass found 20,700 against a
    bound of 20,800 in 8.6 s and took 22 s more to prove it), time the later passes need. Before its
    share a pass runs on as it always did, so a pass proven within its share (every pass of the demo)
    is unchanged and a one-worker solve stays deterministic. CP-SAT calls back on new solutions and
    new bounds only, so a timer checks once at the end of the share.
    """

    def __init__(self, solver: cp_model.CpSolver, share: float, gap_limit: float, report: Progress | None = None, label: str = "",
                 last: tuple[cp_model.LinearExprT, str, int] | None = None):
        super().__init__()
        self._solver, self._share, self._limit = solver, share, gap_limit
        self._report, self._label = report, label
        # A run of joined passes (assign.solver.joint_passes): its last term, that term's sense and the
        # slack of the weights. The gap that stops it, and the one reported, is that term's own.
        self._last, self._last_value = last, None
        self._started = time.perf_counter()
        self._objective: float | None = None
        self._bound: float | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.stopped_at: float | None = None  # seconds into the pass when the watch stopped it
        if gap_limit > 0:
            solver.best_bound_callback = self._on_bound

    def __enter__(self) -> "PassWatch":
        if self._limit > 0:
            self._timer = threading.Timer(self._share, self._check)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._solver.best_bound_callback = None

    def on_solution_callback(self) -> None:
        obj, bound = self.objective_value, self.best_objective_bound
        last = self.value(self._last[0]) if self._last is not None else None
        with self._lock:
            self._objective, self._bound, self._last_value = obj, bound, last
        if self._report:
            if last is not None:
                obj, bound = last, self._last_bound()
            self._report(f"{self._label}: {self.wall_time:6.2f}s objective {obj:g}, bound {'—' if bound is None else f'{bound:g}'}, "
                         f"gap {gap_text(gap(obj, bound))}")
        self._check()

    def _on_bound(self, bound: float) -> None:
        with self._lock:
            self._bound = bound
        self._check()

    def _check(self) -> None:
        elapsed = time.perf_counter() - self._started
        with self._lock:
            # At a gap of 0 CP-SAT ends the search itself, and says OPTIMAL.
            close = self._limit > 0 and (value := self._gap()) is not None and 0 < value <= self._limit
            if not close or elapsed < self._share - 0.01 or self.stopped_at is not None:
                return
            self.stopped_at = elapsed
        self._solver.stop_search()

    def _gap(self) -> float | None:
        """The gap the watch stops on: the pass's, or a joined run's last term's."""
        if self._last is None:
            return gap(self._objective, self._bound)
        return gap(self._last_value, self._last_bound())

    def _last_bound(self) -> float | None:
        """A joined run's bound on its last term: the sum's distance to its bound, once within the
        slack (None before: an earlier term is not proven yet)."""
        if self._last is None or self._objective is None or self._bound is None or self._last_value is None:
            return None
        short = abs(self._bound - self._objective)
        if short > self._last[2]:
            return None
        return self._last_value + (short if self._last[1] == "max" else -short)


class WeightedTerm(Protocol):
    expr: Any
    sense: str
    weight: float


def weighted_expr(terms: Iterable[WeightedTerm]) -> cp_model.LinearExprT:
    """Σ weight × term, maximised terms added and minimised ones subtracted, in integer units."""
    return sum(round(t.weight * WEIGHT_SCALE) * (t.expr if t.sense == "max" else -t.expr) for t in terms)


def set_objective(model: cp_model.CpModel, expr: cp_model.LinearExprT, sense: str) -> None:
    """`model.maximize(expr)` (`sense` "max") or `model.minimize(expr)`, written to the proto in bulk.

    OR-Tools appends the objective one variable at a time from Python: 0.01 s per objective on a
    120 × 500 county, paid by every pass and every fixed solve (0.23 s of a warm re-plan); its own
    flattening and a list each for variables and coefficients take a fifth of that."""
    if isinstance(expr, cp_model.LinearExpr) and not expr.is_integer():
        (model.maximize if sense == "max" else model.minimize)(expr)
        return
    model.clear_objective()
    objective = model.proto.objective
    if isinstance(expr, int):
        objective.offset, objective.scaling_factor = expr, 1.0
        return
    sign = -1 if sense == "max" else 1  # CP-SAT minimises; a maximum is the minimum of the negation, scaled by -1
    flat = cp_model_helper.FlatIntExpr(expr)
    objective.vars.extend([var.index for var in flat.vars])
    objective.coeffs.extend([sign * c for c in flat.coeffs])
    objective.offset, objective.scaling_factor = sign * flat.offset, float(sign)


def hint_all(model: cp_model.CpModel, solution: list[int]) -> None:
    """Hint every variable of the model with a previous solution of it."""
    # A hint on x alone does not keep CP-SAT at the previous solution; every auxiliary variable must be hinted.
    # Written to the proto in bulk: `add_hint` per variable took 0.1 s per pass on a 120 × 500 county.
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(solution)))
    hint.values.extend(solution)


def nearest_pairs(ctx: ModelContext, pairs: set[Pair], options: SolveOptions, time_limit: float) -> dict[Pair, int] | None:
    """The value of each x in a plan the model allows that differs from `pairs` in as few pairs as
    could be found within `time_limit` (a copy of the model, its own objective replaced); None if
    none was found. In the aggregated model the values are counts, and a count's distance is how
    far it moved.

    A plan in force that a change broke (a new researcher needs a school, a school was removed)
    is repaired this way before a re-plan starts from it: hinting the broken plan as it is would
    leave CP-SAT without a feasible start, and the passes would start from scratch.
    """
    model = ctx.model.clone()
    model.clear_hints()
    target = ctx.counts(pairs)
    distance = []
    for pair, var in ctx.x.items():
        copy = model.get_int_var_from_proto_index(var.index)
        value = target.get(pair, 0)
        model.add_hint(copy, value)
        if ctx.count(pair[0]) == 1:
            distance.append(1 - copy if value else copy)
        else:
            moved = model.new_int_var(0, ctx.count(pair[0]), "")
            model.add_abs_equality(moved, copy - value)
            distance.append(moved)
    set_objective(model, sum(distance), "min")
    # The measured defaults without the scenario's own parameters: those tune the passes' search
    # (a deterministic-time cap would leave a re-plan with no start at all); `time_limit` bounds this.
    solver = make_solver(replace(options, parameters={}), time_limit)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {pair: solver.value(var) for pair, var in ctx.x.items()}


def relinked(ctx: ModelContext, start: cp_model.CpSolver, found: cp_model.CpSolver, objective: cp_model.LinearExprT, sense: str,
             options: SolveOptions, time_limit: float) -> cp_model.CpSolver | None:
    """The best solution for `objective` (`sense`: "max" or "min") of the model as it stands that
    keeps every x on which `start` and `found` agree, from `found` (a solution of it); None if none
    was found in `time_limit`.

    Between two passes of a re-plan: a pass that improves its term may land far from the plan it
    started from (an LP-guided dive of CP-SAT found the subjects optimum of a 120 × 500 county 356
    counts away from the local re-plan), and the next pass, the changes, would crawl back by local
    search (7 s). The plans between the two, the differences free and the rest held, hold one as good
    on the term just solved and close on the next: 5 or 7 changes in 0.06-0.15 s; the changes pass
    from there 0.6-1.1 s."""
    model = ctx.model.clone()
    hint_all(model, list(found.response_proto.solution))
    a, b = start.response_proto.solution, found.response_proto.solution
    for var in ctx.x.values():
        if a[var.index] == b[var.index]:
            domain = model.proto.variables[var.index].domain
            domain[0], domain[1] = a[var.index], a[var.index]
    set_objective(model, objective, sense)
    # One worker with the measured single-worker settings (the LP at level 2: CP-SAT's own defaults
    # took over a second for 356 free counts at 120 × 500, these 0.15 s); not the scenario's own, which tune the passes.
    solver = make_solver(replace(options, workers=1, parameters={}), time_limit)
    return solver if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def fixed_solve(ctx: ModelContext, pairs: set[Pair] | dict[Pair, int], objective: cp_model.LinearExprT | None,
                time_limit: float = 60.0) -> cp_model.CpSolver | None:
    """A complete solution from an assignment: a copy of the model with x fixed to `pairs` (or to
    the value of each x, a dict), every auxiliary variable solved, maximising `objective` (None: the
    model's own, already set); None if the pairs are infeasible.

    A hint on x alone did not keep CP-SAT above greedy at short limits; a complete hint did. With
    every x fixed the rest of the model is decided by presolve, so this solve is tiny; its result is
    both a hint and the exact value of a plan under the model's own terms (a greedy plan or a roster
    is scored by the same objective as CP-SAT's). The solver's values index the original model's
    variables (the copy keeps indices).
    """
    model = ctx.model.clone()
    model.clear_hints()
    counts = pairs if isinstance(pairs, dict) else ctx.counts(pairs)  # 1 per pair; in the aggregated model, how many of each type
    for pair, var in ctx.x.items():
        value = counts.get(pair, 0)
        domain = model.proto.variables[var.index].domain
        domain[0], domain[1] = value, value  # a Boolean's domain is [0, 1], a count's [0, n]
    if objective is not None:
        set_objective(model, objective, "max")
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
