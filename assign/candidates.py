"""Which (researcher, school) pairs may exist at all: the intersection of every pruning policy.

Only prune what cannot be in any feasible plan (stage, max travel, conflicts): pruning by
nearness loses optimality (SOLVER-NOTES.md measured 7-13%).
"""

from __future__ import annotations

from assign.problem import Problem


def candidate_pairs(problem: Problem) -> list[tuple[str, str]]:
    predicates = [p for use in problem.policies if (p := use.policy.allows(problem, use.params)) is not None]
    return [
        (r.id, s.id)
        for r in problem.researchers
        for s in problem.schools
        if all(allowed(r, s) for allowed in predicates)
    ]
