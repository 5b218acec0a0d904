"""Exact decomposition: the connected components of the candidate graph are separate problems.

Researchers and schools are the nodes, candidate pairs the edges. When every policy's
constraints and terms are about one researcher, one school or one pair (every policy declares
itself `local`, or its `couples(params)` says no), a component's variables share no constraint with another's and the objective is
a sum over components: each component's optimum together is the whole optimum, in weighted and
in lexicographic mode alike (the best sum of a term is the sum of each component's best). Separate
county offices give one component each (often more: stages that never meet split a county too).

Each part runs every pass of its objective to the end (its lexicographic passes one after the
other, as a whole problem would), and the parts' plans are merged: each pass of the merged plan
is the sum of the parts' values of its term, its bound the sum of their bounds, OPTIMAL only when
every part proved it. Parts are scheduled by size: a part holding most of the pairs (a county
whose 学前, 特教 or 高中 researchers form small parts beside the rest) is solved last, alone, with
every worker and the multi-worker settings; the other parts share the cores, one CP-SAT worker
each (in processes when they are large enough to pay for starting them). Each part's time is its
share, by pairs, of the time left among the parts not yet finished, so a part that finishes early
hands its time on. A part that finds nothing in its time (UNKNOWN) keeps its greedy plan, with a
warning naming it, instead of throwing the other parts' plans away. The solve of one part is
handed in by the caller (`assign.solver.passes.solve`), so this module never imports the solver
that imports it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Callable

import networkx as nx

from assign.audit import audited
from assign.candidates import candidate_pairs
from assign.kpi import compute_kpis
from assign.locale import _
from assign.plan import Finding, Plan, SolvePass, TermValue
from assign.problem import Problem
from assign.solver.baseline import baseline_plan
from assign.solver.cpsat import Progress, SolveOptions, gap, overall_gap, passes_status, sized_options, weighted_expr, worst_status

SolvePart = Callable[..., Plan]  # assign.solver.passes.solve: (problem, *, mode, baseline, decompose, audit, **options) -> Plan

PARALLEL_MIN_PAIRS = 10_000  # below this, starting processes costs more than it saves
DOMINANT_SHARE = 0.5  # a part with at least this share of the pairs gets every worker, alone
MIN_PART_SECONDS = 0.05  # the least time a part is given, even when the limit is spent
PART_SLACK = 3.0  # a part may take this many times its share by pairs, while time is left
PART_FLOOR_SECONDS = 1.0  # a part's share is never less (presolve alone takes a good part of a second)
SOLVER_FINDING = "solver"  # the name of the solver's own warnings among a plan's findings (it is no policy)


def _context():
    # fork starts a worker in milliseconds with everything imported (spawn re-imports OR-Tools
    # and pydantic: seconds per worker); the parent has run no solver thread at this point.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def couples_plan(problem: Problem) -> bool:
    """Whether some policy ties the whole plan. A plugin that does not say (no `couples`, not built
    on `Policy`) is taken to couple, as is a `Policy` that does not declare itself `local`: the
    problem is never split on a guess."""
    return any(use.policy.couples(use.params) if callable(getattr(use.policy, "couples", None)) else True
               for use in problem.policies)


def components(problem: Problem) -> list[tuple[list[str], list[str], int]] | None:
    """(researcher ids, school ids, pairs) of each component, largest first; None when one problem is all there is."""
    if couples_plan(problem):
        return None
    pairs = candidate_pairs(problem, relaxed=problem.relaxing)  # the pairs the parts' models will have
    graph = nx.Graph()
    graph.add_nodes_from(("r", r.id) for r in problem.researchers)  # a researcher with no candidate is a component too
    graph.add_edges_from((("r", rid), ("s", sid)) for rid, sid in pairs)
    parts = []
    for nodes in nx.connected_components(graph):
        rids = [key for kind, key in nodes if kind == "r"]
        sids = [key for kind, key in nodes if kind == "s"]
        parts.append((rids, sids, graph.subgraph(nodes).number_of_edges()))
    if len(parts) < 2:
        return None
    order = {r.id: i for i, r in enumerate(problem.researchers)}
    return sorted(parts, key=lambda p: (-p[2], order[p[0][0]]))


def sub_problem(problem: Problem, researcher_ids: list[str], school_ids: list[str]) -> Problem:
    """The problem restricted to one component, with its slice of the travel matrix."""
    rset, sset = set(researcher_ids), set(school_ids)
    return Problem(
        scenario=problem.scenario,
        researchers=tuple(r for r in problem.researchers if r.id in rset),
        schools=tuple(s for s in problem.schools if s.id in sset),
        travel=problem.travel.part(researcher_ids, school_ids),
        policies=problem.policies,
        source=problem.source,
        severity=problem.severity,
        pinned_pairs=tuple((r, s) for r, s in problem.pinned_pairs if r in rset),
        previous_pairs=tuple((r, s) for r, s in problem.previous_pairs if r in rset),
    )


@dataclass
class Part:
    """One component to solve: its place in size order, its problem, its candidate pairs."""

    index: int
    problem: Problem
    pairs: int


def part_budget(seconds_left: float, pairs: int, open_pairs: int, side_by_side: int) -> float:
    """A part's time: PART_SLACK times its share by pairs of the time left among the parts not
    finished (`open_pairs`, its own included; times the parts that run side by side), at least
    PART_FLOOR_SECONDS, never more than the time left.

    Most parts finish far inside their share and hand the rest on, so the slack lets a part that
    needs more take it without starving the parts after it."""
    share = seconds_left * side_by_side * pairs / max(1, open_pairs)
    return max(MIN_PART_SECONDS, min(seconds_left, max(PART_FLOOR_SECONDS, PART_SLACK * share)))


def solve_part(args) -> Plan:
    """One part's solve with every pass, unaudited (the merged plan is audited as a whole); `progress`
    only for a part solved in this process (a person waits on the largest one)."""
    solve, problem, mode, baseline, options, budget, *progress = args
    return solve(problem, mode=mode, baseline=baseline, decompose=False, audit=False, time_limit=budget, progress=progress[0] if progress else None,
                 workers=options.workers, seed=options.seed, log=options.log, parameters=options.parameters, aggregate=options.aggregate)


def solve_components(problem: Problem, parts, solve: SolvePart, *, mode: str, progress: Progress | None, baseline: bool,
                     options: SolveOptions, started: float) -> Plan:
    """Solve each part with `solve`, every pass of each, and merge; `started` is when finding the parts began.

    A part holding at least DOMINANT_SHARE of the pairs is solved last with `options.workers`; the
    others first, one CP-SAT worker each, in parallel processes when they are large.
    """
    total_pairs = sum(p[2] for p in parts)
    deadline = time.perf_counter() + options.time_limit
    todo = [Part(i, sub_problem(problem, rids, sids), pairs) for i, (rids, sids, pairs) in enumerate(parts)]
    dominant = todo[0] if todo[0].pairs >= DOMINANT_SHARE * total_pairs else None
    small = todo[1:] if dominant is not None else todo
    split_seconds = time.perf_counter() - started  # finding the parts is the decomposed solve's build
    solve_started = time.perf_counter()
    small_pairs = sum(p.pairs for p in small)
    processes = min(len(small), os.cpu_count() or 1) if small_pairs >= PARALLEL_MIN_PAIRS else 1
    if progress:
        line = _("{parts} independent parts (largest {largest} of {total} pairs)").format(parts=len(parts), largest=parts[0][2], total=total_pairs)
        if dominant is not None:
            line += _(", the largest with {workers} worker(s) after the others").format(workers=sized_options(options, dominant.pairs).workers)
        if processes > 1:
            line += _(", {processes} processes").format(processes=processes)
        progress(line)
    plans: dict[int, Plan] = {}
    budgets: dict[int, float] = {}
    single = replace(options, workers=1)

    def report(part: Part) -> None:
        if progress:
            plan = plans[part.index]
            progress(_("part {done}/{parts}: {status} in {seconds:.1f} s of {budget:.1f} s").format(
                done=len(plans), parts=len(parts), status=plan.status, seconds=plan.solve_seconds, budget=budgets[part.index]))

    open_pairs = total_pairs
    if processes > 1:
        # Each part is given its share when it starts, of the time then left: a part that finished
        # early has handed its time on to the parts after it.
        with ProcessPoolExecutor(max_workers=processes, mp_context=_context()) as pool:
            queue, running = list(small), {}
            while queue or running:
                while queue and len(running) < processes:
                    part = queue.pop(0)
                    budgets[part.index] = part_budget(deadline - time.perf_counter(), part.pairs, open_pairs, processes)
                    future: Future = pool.submit(solve_part, (solve, part.problem, mode, baseline, single, budgets[part.index]))
                    running[future] = part
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    part = running.pop(future)
                    plans[part.index] = future.result()
                    open_pairs -= part.pairs
                    report(part)
    else:
        for part in small:
            budgets[part.index] = part_budget(deadline - time.perf_counter(), part.pairs, open_pairs, 1)
            plans[part.index] = solve_part((solve, part.problem, mode, baseline, single, budgets[part.index]))
            open_pairs -= part.pairs
            report(part)
    if dominant is not None:
        budgets[dominant.index] = part_budget(deadline - time.perf_counter(), dominant.pairs, open_pairs, 1)
        plans[dominant.index] = solve_part((solve, dominant.problem, mode, baseline, options, budgets[dominant.index], progress))
        report(dominant)
    ordered, warnings = [], []
    # A solve that found nothing stops after its first pass: the others' passes name them all.
    names = [p.objective_name for p in max(plans.values(), key=lambda p: len(p.passes)).passes]
    for part in todo:
        plan = plans[part.index]
        if plan.status == "UNKNOWN":
            fallback = greedy_fallback(part.problem, plan, names, options.seed)
            if fallback is not None:
                warnings.append(fallback_warning(part, len(parts), plan.status, budgets[part.index]))
                if progress:
                    progress(warnings[-1].message)
                plan = fallback
        ordered.append(plan)
    merged = merge_plans(problem, ordered, mode, split_seconds, time.perf_counter() - solve_started, options)
    if warnings and merged.solved:
        merged = merged.model_copy(update={"findings": [*merged.findings, *warnings]})
    return merged


def greedy_fallback(problem: Problem, unknown: Plan, names: list[str], seed: int) -> Plan | None:
    """The part's greedy plan in place of a solve that found nothing: every pass (`names`) FEASIBLE
    at the greedy plan's own value, no bound; None when the greedy plan breaks a hard rule of the model."""
    greedy = baseline_plan(problem, seed=seed)
    if greedy.status != "FEASIBLE":
        return None
    seconds = {p.objective_name: p.seconds for p in unknown.passes}
    passes = [SolvePass(objective_name=name, status="FEASIBLE", objective=pass_value(greedy, name), bound=None, gap=None,
                        seconds=seconds.get(name, 0.0)) for name in names]
    return greedy.model_copy(update={"passes": passes, "mode": unknown.mode, "findings": []})


def fallback_warning(part: Part, parts: int, status: str, budget: float) -> Finding:
    """The warning that names a part which kept its greedy plan, its size and why."""
    rids = tuple(r.id for r in part.problem.researchers)
    names = "、".join(r.name for r in part.problem.researchers[:3]) + ("…" if len(rids) > 3 else "")
    message = _("part {part} of {parts} ({researchers} researchers: {names}; {schools} schools) ended {status} "
                "in its {budget:.1f} s: its researchers keep the greedy plan, not an optimised one").format(
        part=part.index + 1, parts=parts, researchers=len(rids), names=names, schools=len(part.problem.schools),
        status=status, budget=budget)
    return Finding(policy=SOLVER_FINDING, severity="warning", researchers=rids, message=message)


def pass_value(plan: Plan, name: str) -> float:
    """The value in `plan` of the pass named `name`: its term's, the weighted sum of every term, or
    (the only other pass, a relaxed solve's first) the total severity of its exceptions."""
    terms = {t.name: t for t in plan.terms}
    if name in terms:
        return terms[name].value
    if name == "weighted":
        return float(weighted_expr(TermAsValue(t) for t in plan.terms))
    return float(sum(e.severity for e in plan.exceptions))


class TermAsValue:
    """A term's final value where `weighted_expr` reads an expression: the weighted sum of a plan."""

    def __init__(self, term: TermValue):
        self.expr, self.sense, self.weight = term.value, term.sense, term.weight


def merge_plans(problem: Problem, plans: list[Plan], mode: str, split_seconds: float, seconds: float, options: SolveOptions) -> Plan:
    """One plan of the whole problem from the plans of its parts.

    Each pass: the sum of the parts' values of its term in their final plans (what the merged plan
    has, even where a later pass improved on a pass that stopped early), the sum of their bounds
    (none when a part has none), OPTIMAL only when every part's pass is; its seconds, the longest part's;
    joined with an earlier pass when it was in every part.
    """
    template = max(plans, key=lambda p: len(p.passes)).passes
    solved = all(p.solved for p in plans)
    passes = []
    for index, first in enumerate(template):
        mine = [p.passes[index] if index < len(p.passes) else None for p in plans]
        status = worst_status(m.status if m is not None else "UNKNOWN" for m in mine)
        if solved:
            objective = sum(pass_value(p, first.objective_name) for p in plans)
        else:
            objective = _sum([m.objective if m is not None else None for m in mine])
        bound = _sum([m.bound if m is not None else None for m in mine])
        longest = max((m for m in mine if m is not None), key=lambda m: m.seconds, default=None)
        passes.append(SolvePass(objective_name=first.objective_name, status=status, objective=objective, bound=bound,
                                gap=gap(objective, bound), seconds=round(max((m.seconds for m in mine if m is not None), default=0.0), 3),
                                budget=longest.budget if longest is not None else None,  # the longest part's
                                joint_with=_common(m.joint_with if m is not None else None for m in mine),
                                stop=None if status == "OPTIMAL" else _stop(m.stop if m is not None else "limit" for m in mine)))
    status = passes_status(passes)
    if not solved:
        status = next(p.status for p in plans if not p.solved)
    pairs = [a for p in plans for a in p.pairs] if status in ("OPTIMAL", "FEASIBLE") else []
    exceptions = [e for p in plans for e in p.exceptions] if status in ("OPTIMAL", "FEASIBLE") else []
    terms: dict[str, TermValue] = {}
    for p in plans:
        for t in p.terms:
            terms[t.name] = t.model_copy(update={"value": terms[t.name].value + t.value}) if t.name in terms else t
    last = next((p for p in reversed(passes) if p.objective is not None), None)
    plan = Plan(
        **problem.plan_header(), mode=mode, status=status,
        objective=last.objective if last else None, bound=last.bound if last else None, gap=overall_gap(passes),
        build_seconds=round(split_seconds, 3), solve_seconds=round(seconds, 3),
        candidate_pairs=sum(p.candidate_pairs for p in plans), passes=passes, pairs=pairs, terms=list(terms.values()),
        kpis=compute_kpis(problem, pairs, exceptions), exceptions=exceptions,
        # The largest part's CP-SAT settings, with the whole solve's limit and workers.
        solver_settings={**plans[0].solver_settings, "time_limit": options.time_limit, "workers": options.workers,
                         "decomposed": len(plans)},
    )
    return audited(problem, plan) if plan.solved else plan


def _common(values):
    """The one value every part has, else None (a pass joined in some parts only ran on its own in the others)."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _stop(stops) -> str:
    """Why a merged pass stopped: the reason of the part that more time would help most (a budget, a share, the gap)."""
    found = set(stops)
    return "limit" if "limit" in found else "share" if "share" in found else "gap"


def _sum(values):
    return None if any(v is None for v in values) else sum(values)
