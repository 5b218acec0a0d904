"""Why a scenario has no plan: the conflicting requirements, in the policies' own words.

Two steps, cheapest first:
1. `supply_checks`: each policy's `precheck`, counting arguments that need no solver (a researcher
   with fewer candidate schools than their minimum; more schools required than researchers can carry).
2. `explain_infeasible`: the model is rebuilt with one enforcement literal per (policy, entity)
   (`ModelContext(explain=True)`), every literal is assumed true, and CP-SAT's
   `sufficient_assumptions_for_infeasibility()` names a subset that cannot hold together. Each
   literal maps back to the `Requirement`s it enforces, whose `why` says who and why.
The subset is sufficient, not always minimal; it is what CP-SAT found first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from assign.candidates import candidate_pairs
from assign.modeling import build_model
from assign.plan import Finding
from assign.problem import Problem
from assign.solver.cpsat import SolveOptions, make_solver


@dataclass(frozen=True)
class Conflict:
    """One requirement that takes part in the infeasibility."""

    policy: str
    about: tuple[str, ...]
    why: str


def supply_checks(problem: Problem) -> list[Finding]:
    """Each policy's `precheck` on the candidate pairs: demand that supply cannot meet, before any solve."""
    pairs = candidate_pairs(problem)
    findings: list[Finding] = []
    for use in problem.policies:
        findings += use.policy.precheck(problem, use.params, pairs)
    return findings


def explain_infeasible(problem: Problem, time_limit: float = 20.0) -> list[Conflict] | None:
    """Conflicting requirements if the model is infeasible; None if it is not, or if CP-SAT could not tell in time."""
    ctx = build_model(problem, explain=True)
    ctx.model.add_assumptions(ctx.literals())
    # Assumption cores need a single worker; CP-SAT's own defaults, as this search is for a conflict, not an optimum.
    solver = make_solver(SolveOptions(time_limit, workers=1, seed=0, log=False, parameters={}), time_limit, defaults={})
    if solver.solve(ctx.model) != cp_model.INFEASIBLE:
        return None
    core = set(solver.sufficient_assumptions_for_infeasibility())
    conflicts = []
    for requirement in ctx.requirements:
        if requirement.literal is not None and requirement.literal.index in core:
            conflict = Conflict(requirement.policy, requirement.about, requirement.why)
            if conflict not in conflicts:
                conflicts.append(conflict)
    return conflicts
