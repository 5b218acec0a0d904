"""`schedule_term(problem, plan, term) -> VisitPlan`: the visits of one term, solved with CP-SAT.

The objective is the weighted sum of the rules' terms (research-day matches, spread …) minus a
cost per day on site that is larger than everything one day can earn: a visit costs a researcher
a day, so no visit is made that no hard rule asks for, and the rules' terms decide *which* days.
(Measured: one such solve is faster than two lexicographic passes, whose first pass alone took
longer to prove than this whole solve.)

Researchers who share no school are independent under rules that are `local` (every built-in
rule: it ties only the pairs of one researcher or of one school), so each group of researchers
linked through shared schools is a model of its own: dozens of small solves take a fraction of
the time of one big one. One non-local rule puts every pair into a single model. Each group starts
from a schedule made without a solver (`assign.calendar.construct`, kept where every rule's audit
accepts it; else CP-SAT's first solution), then CP-SAT improves it within the time limit. Infeasible is
a status: the plan then carries `conflicts`, the rules, entities and dates in a clashing subset,
found by re-solving with one enforcement literal per (rule, entity) as assumptions.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from assign.calendar.construct import Construction, construct, needs_of
from assign.calendar.replan import KEEP_WEIGHT, Before, add_stability, changes
from assign.calendar.schedule import Schedule
from assign.calendar.terms import calendar_of, load_terms, parse_rules, plan_pairs, school_year
from assign.calendar.visit_audit import audit_schedule, audit_year, schools_a_day
from assign.calendar.visit_model import Pair, VisitContext
from assign.calendar.visits import JointInspection, Visit, VisitPlan
from assign.errors import InputError
from assign.locale import _, ngettext
from assign.plan import Plan, TermValue
from assign.problem import Problem
from assign.registry import Registry
from assign.solver.cpsat import (
    FIRST_SCHEDULE_PARAMETERS,
    FOUND,
    STATUS,
    WEIGHT_SCALE,
    SolveOptions,
    calendar_parameters,
    gap,
    hint_all,
    make_solver,
    set_objective,
    weighted_expr,
    worst_status,
)
from assign.vocab import ACTIVITIES


def _build(problem, term, pairs, rules, year_workdays=None, explain=False, before: Before | None = None, year_before: int = 0) -> VisitContext:
    ctx = VisitContext(problem, term, pairs, explain=explain, year_workdays=year_workdays, year_before=year_before)
    core = ctx.for_rule("calendar")
    core.penalize("days_on_site", cp_model.LinearExpr.sum([v for on in ctx.on.values() for v in on]), rank=0, label=_("days on site"), unit=_("days"))
    if schools_a_day(rules) == 1:  # one full day at one school, unless a rule lets close schools share a day
        for rid, own in core.pairs_of_researcher().items():
            if len(own) > 1:
                name = problem.researcher[rid].name
                for i in range(len(term.days)):
                    core.require(sum(ctx.on[p][i] for p in own) <= 1, about=(rid,),
                                 why=_("{name} ({rid}) is at one school a day").format(name=name, rid=rid))
    for use in sorted(rules, key=lambda use: getattr(use.policy, "order", 50)):
        use.policy.apply(ctx.for_rule(use.name), use.params)
    if before is not None:
        add_stability(ctx, before)
    return ctx


def components(pairs: list[Pair]) -> list[list[Pair]]:
    """Groups of pairs linked through a shared researcher or a shared school, in a fixed order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for rid, sid in pairs:
        parent[find("r:" + rid)] = find("s:" + sid)
    groups: dict[str, list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(find("r:" + pair[0]), []).append(pair)
    return sorted(groups.values())


def _solver(workers: int, seed: int, time_limit: float) -> cp_model.CpSolver:
    # The scenario's `solver.parameters` are tuned for the assignment; the calendar keeps its own measured defaults.
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, log=False, parameters={})
    return make_solver(options, time_limit, defaults=calendar_parameters(workers))


FIRST_SCHEDULE_LIMIT = 60.0  # seconds the groups may take to find their first schedules, whatever the time limit
FIRST_SCHEDULE_MIN = 1.0  # seconds a group gets for its first schedule however small its share
# A group this small is solved to the end at once, with presolve and the LP: CP-SAT's fixed cost of a
# solve (about 10 ms) is then most of it, so its whole solve costs about what a first solution does and
# is mostly proven optimal, needing no improvement. A larger group stops at its first solution, found
# without presolve and the LP many times sooner (FIRST_SCHEDULE_PARAMETERS).
WHOLE_FIRST_MAX_PAIRS = 8
IMPROVE_MIN = 0.2  # seconds a group's improvement gets however small its share, while the time limit lasts
SHORTCUTS = ("stop_after_first_solution", "cp_model_presolve", "linearization_level")  # what a small group's first solve keeps


def size_share(seconds: float, groups: list[list[Pair]], k: int, among) -> float:
    """Group `k`'s share of `seconds`, by its number of pairs among the groups `among` still to solve."""
    total = sum(len(groups[i]) for i in among)
    return max(0.0, seconds) * len(groups[k]) / total if total else 0.0


def researcher_names(problem: Problem, group: list[Pair], most: int = 5) -> str:
    """The researchers of a group for a message: the first few names, and how many more."""
    ids = sorted({rid for rid, _ in group})
    names = "、".join(problem.researcher[rid].name for rid in ids[:most])
    return names if len(ids) <= most else _("{names} and {n} more").format(names=names, n=len(ids) - most)


@dataclass
class GroupResult:
    """One group's schedule from one solve: what the term's result needs of it, and the solution as a hint."""

    status: str
    visits: list[Visit]
    values: dict[str, float]
    objective: float
    bound: float | None  # None: a constructed schedule kept as it was, whose group has no bound
    solution: list[int]
    inspections: list[JointInspection]


def set_visit_objective(ctx: VisitContext) -> None:
    """One weighted objective in which a day on site costs more than all the rewards one day can earn."""
    days = next(t for t in ctx.terms if t.name == "calendar.days_on_site")
    kept = next((t for t in ctx.terms if t.name == "calendar.kept"), None)  # a re-plan: see assign.calendar.replan
    rest = [t for t in ctx.terms if t is not days and t is not kept]
    day_weight = 1 + sum(t.weight for t in rest if t.sense == "max")
    objective = weighted_expr(rest) - round(day_weight * WEIGHT_SCALE) * days.expr
    if kept is not None:
        objective += round(KEEP_WEIGHT * day_weight * WEIGHT_SCALE) * kept.expr
    set_objective(ctx.model, objective, "max")


def solve_group(ctx: VisitContext, workers: int, seed: int, time_limit: float, first_only: bool = False) -> tuple[str, GroupResult | None]:
    """Solve a group's model; `first_only` stops at the first schedule (the feasible start every group
    gets before any group is improved), except for a small group, solved to the end at once."""
    solver = _solver(workers, seed, time_limit)
    if first_only:
        whole = len(ctx.on) <= WHOLE_FIRST_MAX_PAIRS
        for key, value in FIRST_SCHEDULE_PARAMETERS.items():
            if not (whole and key in SHORTCUTS):
                setattr(solver.parameters, key, value)
    status = STATUS[solver.solve(ctx.model)]
    if status not in FOUND:
        return status, None
    values = {t.name: solver.value(t.expr) for t in ctx.terms}
    objective = solver.objective_value / WEIGHT_SCALE
    return status, GroupResult(status, _visits(ctx, solver), values, objective, max(objective, solver.best_objective_bound / WEIGHT_SCALE),
                               list(solver.response_proto.solution), _inspections(ctx, solver))


class Models:
    """Each group's model, built when first asked for, and the seconds spent building them."""

    def __init__(self, groups: list[list[Pair]], build: Callable[[list[Pair]], VisitContext]):
        self.groups, self.build = groups, build
        self.contexts: dict[int, VisitContext] = {}
        self.seconds = 0.0

    def __getitem__(self, k: int) -> VisitContext:
        if k not in self.contexts:
            began = time.perf_counter()
            self.contexts[k] = self.build(self.groups[k])
            self.seconds += time.perf_counter() - began
        return self.contexts[k]


def first_solves(models: Models, among: list[int], workers: int, seed: int) -> dict[int, tuple[str, GroupResult | None]]:
    """CP-SAT's first schedule of each group `among` (those the construction could not start): each
    solve gets its share, by size, of FIRST_SCHEDULE_LIMIT (at least FIRST_SCHEDULE_MIN); a group left
    without one (UNKNOWN) tries again with what is left of it, after the others."""
    deadline = time.perf_counter() + FIRST_SCHEDULE_LIMIT
    groups = models.groups

    def first(k: int, rest: list[int]) -> tuple[str, GroupResult | None]:
        ctx = models[k]
        share = max(FIRST_SCHEDULE_MIN, size_share(deadline - time.perf_counter(), groups, k, rest))
        return solve_group(ctx, workers, seed, share, first_only=True)

    done = {k: first(k, among[n:]) for n, k in enumerate(among)}
    again = [k for k in among if done[k][0] == "UNKNOWN"]
    for n, k in enumerate(again):
        done[k] = first(k, again[n:])
    return done


def constructed(problem: Problem, term, groups: list[list[Pair]], rules, year_terms, year_workdays: int) -> list[Construction | None]:
    """The construction of each group (`assign.calendar.construct`), kept only where every rule's audit
    finds no error about the group's researchers and schools: anything else starts from CP-SAT."""
    pairs = [pair for group in groups for pair in group]
    made = construct(term, groups, needs_of(problem, term, pairs, rules, year_workdays))
    built = [pair for group, c in zip(groups, made) if c is not None for pair in group]
    if not built:
        return made
    draft = VisitPlan(scenario=problem.name, term=term.name, first=term.first, last=term.last, status="FEASIBLE",
                      visits=[v for c in made if c is not None for v in c.visits],
                      inspections=sorted((j for c in made if c is not None for j in c.inspections), key=lambda j: (j.day, j.school_id)))
    group_of = {}
    for k, group in enumerate(groups):
        for rid, sid in group:
            group_of["r:" + rid] = group_of["s:" + sid] = k
    for finding in audit_schedule(problem, Schedule(term, tuple(built), draft, year_terms), rules):
        if finding.severity != "error":
            continue  # a preference the construction leaves unmet (research days): the improvement's work
        about = {group_of.get("r:" + rid) for rid in finding.researchers} | {group_of.get("s:" + sid) for sid in finding.schools}
        if not about - {None}:
            return [None] * len(groups)  # an error about no one in particular: the construction is not used at all
        for k in about - {None}:
            made[k] = None
    return made


def hint_construction(ctx: VisitContext, construction: Construction) -> None:
    """Hint the group's model with the constructed visits: every day on site, visit start and team day."""
    ctx.model.clear_hints()
    days_of = construction.days_of()
    for pair, on in ctx.on.items():
        values = [day in days_of.get(pair, ()) for day in ctx.term.days]
        for i, (var, value) in enumerate(zip(on, values)):
            ctx.model.add_hint(var, value)
            ctx.model.add_hint(ctx.start[pair][i], value and (i == 0 or not values[i - 1]))
    team = {(j.school_id, j.day) for j in construction.inspections}
    for sid, days in ctx.joint.items():
        for var, day in zip(days, ctx.term.days):
            ctx.model.add_hint(var, (sid, day) in team)


def evaluate(ctx: VisitContext, construction: Construction) -> GroupResult | None:
    """The constructed schedule scored by the group's own model (a copy with its days on site and team
    days fixed, the rest decided by presolve); None if the model refuses it."""
    days_of = construction.days_of()
    team = {(j.school_id, j.day) for j in construction.inspections}
    model = ctx.model.clone()
    model.clear_hints()
    fixed = [(on, pair in days_of and day in days_of[pair]) for pair, days in ctx.on.items() for on, day in zip(days, ctx.term.days)]
    fixed += [(var, (sid, day) in team) for sid, days in ctx.joint.items() for var, day in zip(days, ctx.term.days)]
    for var, value in fixed:
        model.add(model.get_bool_var_from_proto_index(var.index) == int(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = FIRST_SCHEDULE_LIMIT
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    objective = solver.objective_value / WEIGHT_SCALE  # the copy keeps the variables' indices, so the terms read off it
    return GroupResult("FEASIBLE", construction.visits, {t.name: solver.value(t.expr) for t in ctx.terms}, objective, None, [],
                       construction.inspections)


def improve(ctx: VisitContext, start: GroupResult, workers: int, seed: int, time_limit: float) -> GroupResult:
    """CP-SAT from the group's first schedule (every variable hinted); the start is kept when the solve
    returns nothing better, so a short time limit never loses the schedule already found."""
    hint_all(ctx.model, start.solution)
    status, better = solve_group(ctx, workers, seed, time_limit)
    if better is None or better.objective < start.objective:
        return start  # the very start, so that the caller can tell nothing was found
    if start.bound is not None:
        better.bound = min(better.bound, start.bound)  # both bound every schedule of the group from above
    return better


def improve_construction(ctx: VisitContext, construction: Construction, workers: int, seed: int,
                         time_limit: float) -> tuple[GroupResult | None, bool]:
    """CP-SAT from the group's constructed schedule (its hint), and whether the construction is kept:
    when the solve proves nothing and finds nothing better, the construction stays, scored by the model."""
    better = None
    if time_limit > 0:
        hint_construction(ctx, construction)
        _status, better = solve_group(ctx, workers, seed, time_limit)
        if better is not None and better.status == "OPTIMAL":
            return better, False
    kept = evaluate(ctx, construction)
    if kept is None:  # the model refuses what every audit accepted: CP-SAT's own first schedule instead
        if better is None:
            _status, better = solve_group(ctx, workers, seed, FIRST_SCHEDULE_MIN, first_only=True)
        return better, False
    if better is not None and better.objective >= kept.objective:
        return better, False
    if better is not None:
        kept.bound = max(kept.objective, better.bound)  # the solve's bound holds for every schedule of the group
    return kept, True


def schedule_term(
    problem: Problem,
    plan: Plan,
    term_name: str,
    *,
    registry: Registry | None = None,
    workers: int | None = None,
    seed: int | None = None,
    time_limit: float | None = None,
    previous: VisitPlan | None = None,
    today: dt.date | None = None,
    previous_source: str = "visits.json",
) -> tuple[VisitPlan, Schedule]:
    """Schedule the visits of `plan`'s pairs over one term, and audit them. With `previous` (the term's
    calendar so far) and `today`: re-plan from today (`assign.calendar.replan`)."""
    cal = calendar_of(problem)
    workers = workers or problem.scenario.solver.workers
    seed = problem.scenario.solver.seed if seed is None else seed
    time_limit = time_limit or cal.time_limit
    term, year_terms = load_terms(problem, term_name)
    rules = parse_rules(problem, registry)
    pairs = plan_pairs(problem, plan)
    warnings = [t.warning for t in year_terms if t.name == term.name and t.warning]
    before = None
    if previous is not None:
        if previous.term != term.name:
            raise InputError.at(previous_source, None, "term", previous.term, _("a calendar of term {name} to re-plan").format(name=term.name))
        before = Before.of(previous, today or dt.date.today())

    started = time.perf_counter()
    year_workdays = sum(len(t.days) for t in year_terms)
    year_before = sum(len(t.days) for t in year_terms if t.first < term.first)
    groups = components(pairs) if all(getattr(use.policy, "local", False) for use in rules) else [pairs]

    def build(group: list[Pair]) -> VisitContext:
        ctx = _build(problem, term, group, rules, year_workdays, before=before, year_before=year_before)
        set_visit_objective(ctx)
        return ctx

    # First a schedule for every group, a fixed cost stated as `first_seconds`: the construction where
    # every rule's audit accepts it (a re-plan keeps its past in the model, so it starts from CP-SAT),
    # else CP-SAT's first solution. Then the time limit improves the groups, each from its start,
    # sharing the time by the groups' sizes so that the groups improved last are not starved; building
    # a model is a fixed cost stated apart (`build_seconds`), not taken from the limit.
    models = Models(groups, build)
    made = constructed(problem, term, groups, rules, year_terms, year_workdays) if before is None else [None] * len(groups)
    firsts: list[GroupResult | Construction | None] = list(made)
    first_statuses = ["FEASIBLE" if c is not None else "UNKNOWN" for c in made]
    solving = time.perf_counter()
    for k, (status, result) in first_solves(models, [k for k, c in enumerate(made) if c is None], workers, seed).items():
        first_statuses[k], firsts[k] = status, result
    first_seconds = time.perf_counter() - started
    solve_seconds = time.perf_counter() - solving - models.seconds
    conflicts = []
    for k, status in enumerate(first_statuses):
        if status == "INFEASIBLE":
            conflicts += explain_infeasible(problem, term, groups[k], rules, seed, time_limit, year_workdays, before, year_before)
        elif firsts[k] is None:
            warnings.append(_("{names}: no schedule found within the time limit; their visits are missing from this term")
                            .format(names=researcher_names(problem, groups[k])))
    # The term keeps the groups that have a schedule: one group without any makes it FEASIBLE at
    # best (its visits missing, which the audit names), never the whole term thrown away.
    statuses = [s if s != "UNKNOWN" else "FEASIBLE" for s, found in zip(first_statuses, firsts) if found is None]
    if statuses and all(found is None for found in firsts):
        statuses = first_statuses
    improving, first_build = time.perf_counter(), models.seconds
    ends_at = improving + time_limit
    done_by: dict[int, GroupResult] = {k: found for k, found in enumerate(firsts) if isinstance(found, GroupResult) and found.status == "OPTIMAL"}
    # Smallest first: what they leave of their shares (most are proven at once) goes to the larger groups after them.
    waiting = sorted((k for k, found in enumerate(firsts) if found is not None and k not in done_by), key=lambda k: (len(groups[k]), k))
    unimproved: list[int] = []
    for n, k in enumerate(waiting):
        start = firsts[k]
        building = models.seconds
        ctx = models[k]
        ends_at += models.seconds - building  # building is a fixed cost, not the improvement's time
        left = ends_at - time.perf_counter()
        share = max(IMPROVE_MIN, size_share(left, groups, k, waiting[n:])) if left > 0 else 0.0
        began = time.perf_counter()
        if isinstance(start, Construction):
            done, kept = improve_construction(ctx, start, workers, seed, share)
        else:
            done = improve(ctx, start, workers, seed, share) if share > 0 else start
            kept = done is start
        solve_seconds += time.perf_counter() - began
        if done is None:
            statuses.append("FEASIBLE")
            warnings.append(_("{names}: no schedule found within the time limit; their visits are missing from this term")
                            .format(names=researcher_names(problem, groups[k])))
            continue
        if kept and share == 0:
            unimproved.append(k)
        elif kept and done.status != "OPTIMAL":
            warnings.append(_("{names}: nothing better found in {seconds:.1f} s; the first schedule is kept")
                            .format(names=researcher_names(problem, groups[k]), seconds=share))
        done_by[k] = done
    if unimproved:
        warnings.append(ngettext("the time limit ran out: {n} group keeps its first schedule unimproved ({names})",
                                 "the time limit ran out: {n} groups keep their first schedule unimproved ({names})", len(unimproved))
                        .format(n=len(unimproved), names=researcher_names(problem, [p for k in unimproved for p in groups[k]])))
    results = [done_by[k] for k in sorted(done_by)]
    statuses += [done.status for done in results]
    contexts = [models.contexts[k] for k in sorted(models.contexts)]
    build_seconds = models.seconds - first_build  # the models built after the first schedules (those before are in first_seconds)
    improve_seconds = time.perf_counter() - improving - build_seconds
    visits, values, inspections = [], {}, []
    objective, bound = 0.0, 0.0 if all(done.bound is not None for done in results) else None
    for done in results:
        visits += done.visits
        inspections += done.inspections
        objective += done.objective
        if bound is not None:
            bound += done.bound
        for name, value in done.values.items():
            values[name] = values.get(name, 0) + value
    terms = {t.name: t for ctx in contexts for t in ctx.terms}
    values = {name: TermValue(name=name, label=terms[name].label, sense=terms[name].sense, value=value, weight=terms[name].weight,
                              rank=terms[name].rank, unit=terms[name].unit) for name, value in values.items()}
    status = worst_status(statuses)
    found = status in FOUND
    if not found:
        visits, values, objective, bound, inspections = [], {}, None, None, []
    values = list(values.values())
    result = VisitPlan(
        scenario=problem.name, term=term.name, first=term.first, last=term.last, workdays=len(term.days), status=status,
        objective=objective, bound=bound, gap=gap(objective, bound), components=len(groups), build_seconds=round(build_seconds, 3),
        solve_seconds=round(solve_seconds, 3), first_seconds=round(first_seconds, 3), improve_seconds=round(improve_seconds, 3),
        visits=visits, terms=values, warnings=warnings,
        conflicts=conflicts, inspections=sorted(inspections, key=lambda j: (j.day, j.school_id)),
        solver_settings={"workers": workers, "seed": seed, "time_limit": time_limit},
    )
    if found and before is not None:
        old_findings = audit_schedule(problem, Schedule(term, tuple(pairs), previous, year_terms), rules)
        visits, moved, cancelled = changes(previous, result.visits, before.today, old_findings)
        result = result.model_copy(update={"visits": visits, "changes": moved, "cancelled": cancelled, "today": before.today})
    schedule = Schedule(term, tuple(pairs), result, year_terms)
    if found:
        auditing = time.perf_counter()
        findings = audit_schedule(problem, schedule, rules)
        result = result.model_copy(update={"findings": findings, "audit_seconds": round(time.perf_counter() - auditing, 3)})
        schedule = Schedule(term, tuple(pairs), result, year_terms)
    return result, schedule


def audit_school_years(problem: Problem, schedules: list[Schedule], registry: Registry | None = None) -> list:
    """The yearly rules across the terms of each school year of which every term was scheduled."""
    rules = parse_rules(problem, registry)
    findings = []
    for year in sorted({school_year(s.term.first) for s in schedules}):
        terms = [s for s in schedules if school_year(s.term.first) == year]
        if len(terms) == len(terms[0].year_terms):
            findings += audit_year(problem, terms, rules)
    return findings


def audit_visits(problem: Problem, plan: Plan, visits: VisitPlan, registry: Registry | None = None) -> list:
    """Audit a visit plan read back from a file (or edited by hand) against the scenario's rules."""
    term, year_terms = load_terms(problem, visits.term)
    schedule = Schedule(term, tuple(plan_pairs(problem, plan)), visits, year_terms)
    return audit_schedule(problem, schedule, parse_rules(problem, registry))


def _inspections(ctx: VisitContext, solver: cp_model.CpSolver) -> list[JointInspection]:
    """The joint inspection days the solve chose, each with the researchers of the school on site that day."""
    out = []
    for sid, days in sorted(ctx.joint.items()):
        for i, lit in enumerate(days):
            if solver.boolean_value(lit):
                team = tuple(sorted(rid for (rid, s), on in ctx.on.items() if s == sid and solver.boolean_value(on[i])))
                out.append(JointInspection(school_id=sid, day=ctx.term.days[i], researcher_ids=team))
    return out


def _visits(ctx: VisitContext, solver: cp_model.CpSolver) -> list[Visit]:
    """Runs of consecutive on-site working days, per pair, numbered in date order, each with what it is
    for: the activities the rules planned at it (in vocab.ACTIVITIES order, 听课 when it observes
    lessons) and the lessons of its days."""
    visits = []
    days = ctx.term.days
    for pair, on in ctx.on.items():
        run: list[int] = []
        number = 0
        for i, var in enumerate(on + [None]):
            if var is not None and solver.boolean_value(var):
                run.append(i)
            elif run:
                number += 1
                lessons = sum(solver.value(ctx.lessons[pair][k]) for k in run) if pair in ctx.lessons else 0
                held = {word for word, by_pair in ctx.activity.items()
                        if pair in by_pair and any(solver.boolean_value(by_pair[pair][k]) for k in run)}
                if lessons:
                    held.add("听课")
                visits.append(Visit(researcher_id=pair[0], school_id=pair[1], number=number, days=tuple(days[k] for k in run),
                                    activities=tuple(word for word in ACTIVITIES if word in held), lessons=lessons))
                run = []
    return visits


def explain_infeasible(problem, term, pairs, rules, seed: int, time_limit: float, year_workdays: int | None = None,
                       before: Before | None = None, year_before: int = 0) -> list[str]:
    """Which rules, about whom, clash: a subset of enforcement literals CP-SAT needed to prove infeasibility."""
    ctx = _build(problem, term, pairs, rules, year_workdays, explain=True, before=before, year_before=year_before)
    literals = ctx.literals()
    if not literals:
        return [_("no rule constraint is involved: the term has no working days or the model is empty")]
    ctx.model.clear_objective()
    ctx.model.add_assumptions(literals)
    solver = _solver(1, seed, time_limit)  # assumption cores need a single worker
    if solver.solve(ctx.model) != cp_model.INFEASIBLE:
        return [_("the conflict could not be isolated within the time limit")]
    core = set(solver.sufficient_assumptions_for_infeasibility())
    lines = []
    for req in ctx.requirements:
        if req.literal is not None and req.literal.index in core:
            line = f"[{req.policy}] {req.why}"
            if line not in lines:
                lines.append(line)
    return lines
