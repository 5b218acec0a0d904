"""clerk: the by-hand baseline, what a clerk does with the tables, researcher by researcher.

A baseline plugin (entry-point group `assign.baselines`): the solver starts from its plan, so a
plan is never worse than this rule of thumb at any time limit, and `assign bench` shows it beside
the solver. It lives among the plugins because it reads the built-in policies by name.

Round by round, each researcher in turn takes the best school still allowed (first round: one
school each; next rounds: a further school while it gains something and their maximum allows).
"Best" is the school's marginal value under the scenario's weights (a weak school not yet
covered, a school not yet covered, subjects not yet covered there, minus travel); "allowed" is a
candidate pair (every pruning policy) that keeps the school's cap, one researcher per subject,
and urban-and-rural for a researcher's second school. The best of several researcher orders is
kept (order 0 is the table's order; the others are shuffles with fixed seeds).

This is a rule of thumb, as a clerk's is: it reads the parameters of the rules it knows by their
scenario names (`school_count`, `coverage`, `urban_rural_mix`, `travel`), with their defaults
when a scenario leaves them out, and knows nothing of other policies. It never decides what a
plan is worth: `assign.solver.baseline.baseline_plan` scores the result with the model's own objective
terms and checks it with every policy's audit, like any other plan.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from assign.problem import Problem

Pair = tuple[str, str]


@dataclass(frozen=True)
class _Rules:
    priority_weight: float = 60.0
    school_weight: float = 30.0
    subject_weight: float = 0.1
    diminishing: float = 0.5
    travel_weight: float = 0.2
    max_researchers: int | None = 3
    one_per_subject: bool = True
    min_schools: int = 1
    max_schools: int | None = 2
    table_overrides: bool = True
    urban_areas: tuple[str, ...] | None = ("城区", "镇区")  # None: no urban-and-rural rule

    @classmethod
    def of(cls, problem: Problem) -> "_Rules":
        values: dict = {}
        if (p := problem.policy_params("coverage")) is not None:
            values.update(priority_weight=p.priority_weight if p.priority_first else 0.0, school_weight=p.school_weight,
                          subject_weight=p.subject_weight, diminishing=p.diminishing,
                          max_researchers=p.max_researchers, one_per_subject=p.one_per_subject)
        else:
            values.update(priority_weight=0.0, school_weight=0.0, subject_weight=0.0, max_researchers=None, one_per_subject=False)
        if (p := problem.policy_params("travel")) is not None:
            values.update(travel_weight=p.weight)
        else:
            values.update(travel_weight=0.0)
        if (p := problem.policy_params("school_count")) is not None:
            values.update(min_schools=p.min, max_schools=p.max, table_overrides=p.table_overrides)
        else:
            values.update(min_schools=0, max_schools=None)
        p = problem.policy_params("urban_rural_mix")
        values.update(urban_areas=tuple(p.urban_areas) if p is not None and p.per_researcher == "both" else None)
        return cls(**values)


def greedy_pairs(problem: Problem, candidates: list[Pair], orders: int = 10, seed: int = 0) -> tuple[list[Pair], float]:
    """The best of `orders` researcher orders: its pairs and its value under the clerk's own score."""
    rules = _Rules.of(problem)
    options = _options(problem, rules, candidates)
    best: tuple[list[Pair], float] | None = None
    ids = [r.id for r in problem.researchers]
    limits = {r.id: _limits(r, rules) for r in problem.researchers}
    for k in range(orders):
        order = list(ids)
        if k:
            random.Random(seed * 1000 + k).shuffle(order)
        result = _one_order(rules, options, limits, order)
        if best is None or result[1] > best[1]:
            best = result
    return best if best is not None else ([], 0.0)


@dataclass(frozen=True)
class _Option:
    """What the clerk needs of one candidate pair, computed once for every order."""

    school: str
    static_gain: float  # value of covering the school at all, minus this pair's travel
    travel: float
    subjects: frozenset[str]  # needed subjects at the school that the researcher teaches
    cap: int | None
    urban: bool | None
    steps: tuple[int, ...]  # value of the 1st, 2nd, ... subject covered at the school


def _options(problem: Problem, rules: _Rules, candidates: list[Pair]) -> dict[str, list[_Option]]:
    steps_of: dict[int, tuple[int, ...]] = {}
    options: dict[str, list[_Option]] = defaultdict(list)
    for rid, sid in candidates:
        r, s = problem.researcher[rid], problem.school[sid]
        n = len(s.subjects_needed)
        if n not in steps_of:
            steps_of[n] = tuple(max(1, round(100 * rules.diminishing**k)) for k in range(n))
        options[rid].append(_Option(
            school=sid,
            static_gain=rules.school_weight + rules.priority_weight * (s.priority - 1),
            travel=rules.travel_weight * round(problem.minutes(rid, sid)),
            subjects=frozenset(r.subjects) & frozenset(s.subjects_needed),
            cap=s.max_researchers if s.max_researchers is not None else rules.max_researchers,
            urban=(s.area in rules.urban_areas) if rules.urban_areas is not None else None,
            steps=steps_of[n],
        ))
    return options


def _one_order(rules: _Rules, options: dict[str, list[_Option]], limits: dict[str, tuple[int, int | None]],
               order: list[str]) -> tuple[list[Pair], float]:
    count: dict[str, int] = defaultdict(int)
    subjects_at: dict[str, set[str]] = defaultdict(set)
    taken: dict[str, list[_Option]] = defaultdict(list)
    rounds = max((high if high is not None else len(options.get(rid, ())) for rid, (_, high) in limits.items()), default=0)
    total = 0.0
    for _ in range(rounds):
        for rid in order:
            low, high = limits[rid]
            mine = taken[rid]
            if high is not None and len(mine) >= high:
                continue
            # A second school must be of the other kind (urban and rural); a third may be either.
            other_kind = (not mine[0].urban) if len(mine) == 1 and mine[0].urban is not None else None
            held = {option.school for option in mine}
            best, best_gain = None, None
            for option in options.get(rid, ()):
                sid = option.school
                if sid in held or (other_kind is not None and option.urban != other_kind):
                    continue
                n = count[sid]
                if option.cap is not None and n >= option.cap:
                    continue
                there = subjects_at[sid]
                if rules.one_per_subject and not option.subjects.isdisjoint(there):
                    continue
                gain = (option.static_gain if n == 0 else 0.0) - option.travel
                new = len(option.subjects - there)
                if new:
                    have = len(there)
                    gain += rules.subject_weight * sum(option.steps[have:have + new])
                if best_gain is None or gain > best_gain:
                    best, best_gain = option, gain
            if best is None or (best_gain <= 0 and len(mine) >= low):
                continue
            mine.append(best)
            count[best.school] += 1
            subjects_at[best.school] |= best.subjects
            total += best_gain
    return [(rid, option.school) for rid in order for option in taken[rid]], total


def _limits(researcher, rules: _Rules) -> tuple[int, int | None]:
    low, high = rules.min_schools, rules.max_schools
    if rules.table_overrides:
        low = researcher.min_schools if researcher.min_schools is not None else low
        high = researcher.max_schools if researcher.max_schools is not None else high
    return low, high


class Clerk:
    """The baseline plugin: `pairs` gives the best of several researcher orders."""

    name = "clerk"
    title = "手工排法（逐人选校）"

    def pairs(self, problem: Problem, candidates: list[Pair], seed: int = 0) -> list[Pair]:
        return greedy_pairs(problem, candidates, seed=seed)[0]
