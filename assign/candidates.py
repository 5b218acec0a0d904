"""Which (researcher, school) pairs may exist at all: the intersection of every pruning policy.

Only prune what cannot be in any feasible plan (stage, max travel, conflicts): pruning by
nearness loses optimality (7-13% in our measurements). When a scenario relaxes, a pruning that
may bend (`Policy.relax_pruning`, e.g. a travel cap) keeps its pairs: the model then requires
each of them away under that rule, so a pair beyond the cap is an exception, not impossible.
"""

from __future__ import annotations

from assign.problem import PolicyUse, Problem


def bent_pruning(problem: Problem) -> list[PolicyUse]:
    """The policies whose pruning bends in this scenario: a `relax_pruning` rule the scenario lets bend."""
    return [use for use in problem.policies
            if (rule := getattr(use.policy, "relax_pruning", None)) is not None and f"{use.name}.{rule}" in problem.severity]


def candidate_pairs(problem: Problem, relaxed: bool = False) -> list[tuple[str, str]]:
    """Pairs in researcher order, then school order. A policy's `school_filter`, when it has one,
    stands for its `allows` (same pairs, sets instead of a call per pair).

    `relaxed`: the candidates of a relaxed model, where the pruning of `bent_pruning` policies is left out.
    """
    skipped = {use.name for use in bent_pruning(problem)} if relaxed else set()
    filters, predicates = [], []
    for use in problem.policies:
        if use.name in skipped:
            continue
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
