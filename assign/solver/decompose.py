"""Exact decomposition: the connected components of the candidate graph are separate problems.

Researchers and schools are the nodes, candidate pairs the edges. When every policy's
constraints and terms are about one researcher, one school or one pair (every policy declares
itself `local`, or its `couples(params)` says no), a component's variables share no constraint with another's and the objective is
a sum over components: each component's optimum together is the whole optimum, in weighted and
in lexicographic mode alike (the best sum of a term is the sum of each component's best). Separate
county offices give one component each (often more: stages that never meet split a county too).

Components are solved largest first, in separate processes when the problem is large enough to
pay for starting them; each solve has the time that is left until the common deadline. The solve
of one part is handed in by the caller (`assign.solver.passes.solve`), so this module never
imports the solver that imports it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Callable

import networkx as nx

from assign.audit import audited
from assign.candidates import candidate_pairs
from assign.kpi import compute_kpis
from assign.locale import _
from assign.plan import Plan, SolvePass, TermValue
from assign.problem import Problem
from assign.solver.cpsat import Progress, SolveOptions, gap, gap_text, overall_gap, passes_status, worst_status

SolvePart = Callable[..., Plan]  # assign.solver.passes.solve: (problem, *, mode, baseline, decompose, audit, **options) -> Plan

PARALLEL_MIN_PAIRS = 10_000  # below this, starting processes costs more than it saves


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
    )


def _solve_part(args) -> Plan:
    solve, problem, mode, baseline, options, deadline = args
    remaining = max(0.05, deadline - time.time())
    return solve(problem, mode=mode, baseline=baseline, decompose=False, audit=False, time_limit=remaining,
                 workers=options.workers, seed=options.seed, log=options.log, parameters=options.parameters)


def solve_components(problem: Problem, parts, solve: SolvePart, *, mode: str, progress: Progress | None, baseline: bool,
                     options: SolveOptions, started: float) -> Plan:
    """Solve each part with `solve` (largest first, in parallel when large) and merge; `started` is
    when finding the parts began."""
    total_pairs = sum(p[2] for p in parts)
    deadline = time.time() + options.time_limit
    # One CP-SAT worker per part, parallel processes for the cores: measured on the 2-core machine,
    # one worker with linearization_level 2 proves a county optimal in 0.3 s where two workers
    # (max_lp) take 1.0 s, and a 22k-pair city in 10 s where two take 15 s (docs/benchmarks.md).
    single = replace(options, workers=1)
    jobs = [(solve, sub_problem(problem, rids, sids), mode, baseline, single, deadline) for rids, sids, _ in parts]
    split_seconds = time.perf_counter() - started  # finding the parts is the decomposed solve's build
    solve_started = time.perf_counter()
    processes = min(len(jobs), os.cpu_count() or 1)  # each part has one CP-SAT worker, whatever `workers` says
    if progress:
        progress(_("{n} independent parts (largest {value} of {total_pairs} pairs)").format(n=len(parts), value=parts[0][2], total_pairs=total_pairs)
                 + (f", {processes} processes" if processes > 1 and total_pairs >= PARALLEL_MIN_PAIRS else ""))
    plans: list[Plan] = []
    if processes > 1 and total_pairs >= PARALLEL_MIN_PAIRS:
        # Parallel processes with one CP-SAT worker each: the parts keep both cores busy.
        with ProcessPoolExecutor(max_workers=processes, mp_context=_context()) as pool:
            for done, plan in enumerate(pool.map(_solve_part, jobs), 1):
                plans.append(plan)
                if progress:
                    progress(_("part {done}/{n}: {status}, gap {value}")
                             .format(done=done, n=len(jobs), status=plan.status, value=gap_text(plan.gap)))
    else:
        for done, job in enumerate(jobs, 1):
            plans.append(_solve_part(job))
            if progress:
                progress(_("part {done}/{n}: {status}, gap {value}")
                         .format(done=done, n=len(jobs), status=plans[-1].status, value=gap_text(plans[-1].gap)))
    return merge_plans(problem, plans, mode, split_seconds, time.perf_counter() - solve_started, options)


def _sum(values):
    return None if any(v is None for v in values) else sum(values)


def merge_plans(problem: Problem, plans: list[Plan], mode: str, split_seconds: float, seconds: float, options: SolveOptions) -> Plan:
    """One plan of the whole problem from the plans of its parts: sums of objectives, bounds and terms."""
    passes = []
    for index, first in enumerate(plans[0].passes):
        mine = [p.passes[index] if index < len(p.passes) else None for p in plans]
        status = worst_status(m.status if m is not None else "UNKNOWN" for m in mine)
        objective = _sum([m.objective if m is not None else None for m in mine])
        bound = _sum([m.bound if m is not None else None for m in mine])
        passes.append(SolvePass(objective_name=first.objective_name, status=status, objective=objective, bound=bound,
                                gap=gap(objective, bound), seconds=round(max(m.seconds for m in mine if m is not None), 3),
                                budget=max((m for m in mine if m is not None), key=lambda m: m.seconds).budget))  # the longest part's
    status = passes_status(passes)
    if any(not p.solved for p in plans):
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
        # The parts' own CP-SAT settings (one worker each), with the whole solve's limit and workers.
        solver_settings={**plans[0].solver_settings, "time_limit": options.time_limit, "workers": options.workers,
                         "decomposed": len(plans)},
    )
    return audited(problem, plan) if plan.solved else plan
