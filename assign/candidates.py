"""Which (researcher, school) pairs may exist at all: the intersection of every pruning policy.

Only prune what cannot be in any feasible plan (stage, max travel, conflicts): pruning by
nearness loses optimality (7-13% in our measurements).
"""

from __future__ import annotations

from assign.problem import Problem


def candidate_pairs(problem: Problem) -> list[tuple[str, str]]:
    """Pairs in researcher order, then school order. A policy's `school_filter`, when it has one,
    stands for its `allows` (same pairs, sets instead of a call per pair)."""
    filters, predicates = [], []
    for use in problem.policies:
        school_filter = getattr(use.policy, "school_filter", None)
        found = school_filter(problem, use.params) if school_filter is not None else None
        if found is not None:
            filters.append(found)
        elif (allowed := use.policy.allows(problem, use.params)) is not None:
            predicates.append(allowed)
    position = {s.id: i for i, s in enumerate(problem.schools)}
    pairs = []
    for r in problem.researchers:
        if filters:
            sets = sorted((f(r) for f in filters), key=len)
            ids = set(sets[0]).intersection(*sets[1:])
            schools = [problem.school[sid] for sid in sorted(ids, key=position.__getitem__)]
        else:
            schools = problem.schools
        pairs += [(r.id, s.id) for s in schools if all(allowed(r, s) for allowed in predicates)]
    return pairs
