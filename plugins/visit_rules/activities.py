"""What the activity rules share: an activity (a word of `vocab.ACTIVITIES`) that each researcher holds
a number of times a term or a school year at their contact schools — a lecture, a research or
demonstration lesson, a school research activity.

The model side asks the host for the day literals of the word (`RuleContext.activity_days`: a visit
holds it on one of its days at most, so visits and held days count the same), allows at most one a
day per researcher, forbids the days a rule excludes, and plans exactly the term's number: a yearly
count falls into the terms of the school year as `RuleContext.year_part` splits it (a yearly 1 in the
first term). The audit side counts the visits whose `activities` name the word, with the term's part
of a yearly count worked out again from the dates of the school year's terms (`term_part`), apart
from the model.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from assign.calendar.rule import Finding, Target, VisitRule
from assign.locale import _


def term_part(total: int, schedule) -> int:
    """The part of a yearly `total` due in the schedule's term: due by its last day less due before its first,
    each in proportion to the school year's working days up to then, rounded up."""
    terms = list(schedule.year_terms) or [schedule.term]
    year = sum(len(t.days) for t in terms) or 1
    before = sum(1 for t in terms for d in t.days if d < schedule.term.first)
    through = before + len(schedule.term.days)
    return max(0, min(total, math.ceil(total * through / year - 1e-9)) - min(total, math.ceil(total * before / year - 1e-9)))


def visits_holding(visits, researcher_id: str, word: str) -> list:
    """The researcher's visits whose activities name `word`, in date order."""
    return sorted((v for v in visits if v.researcher_id == researcher_id and word in v.activities), key=lambda v: v.first)


def researchers_of(pairs) -> list[str]:
    """The researchers of the pairs, in id order."""
    return sorted({rid for rid, _sid in pairs})


class ActivityRule(VisitRule):
    """A visit rule that plans `word` at each researcher's visits: `count` times a term or a school year.

    Subclasses set `name`, `title`, `Params` (with `count`, and `per` unless `fixed_per` says it),
    `word` and `measure` (a key of `rule.MEASURES`), and may narrow the days (`allowed`) and check
    each holding visit (`visit_problem`)."""

    word: ClassVar[str]
    measure: ClassVar[str]
    fixed_per: ClassVar[Literal["term", "year"] | None] = None
    local = True

    def per(self, params) -> Literal["term", "year"]:
        return self.fixed_per or params.per

    def allowed(self, ctx, pair, params) -> list[bool] | None:
        """Per working day: may the pair's visit hold the word that day? None: any day on site."""
        return None

    def visit_problem(self, problem, schedule, visit, params) -> str | None:
        """What is wrong with one visit that holds the word (None: nothing), worked out apart from `allowed`."""
        return None

    def apply(self, ctx, params) -> None:
        for rid, pairs in ctx.pairs_of_researcher().items():
            need = params.count if self.per(params) == "term" else ctx.year_part(params.count)
            name = ctx.problem.researcher[rid].name
            held = {}
            for pair in pairs:
                held[pair] = ctx.activity_days(pair, self.word)
                days = self.allowed(ctx, pair, params)
                banned = [h for h, ok in zip(held[pair], days) if not ok] if days is not None else []
                if banned:
                    ctx.require(sum(banned) == 0, about=pair,
                                why=_("{name}→{school}: {activity} only on the days the rule allows").format(
                                       name=name, school=ctx.problem.school[pair[1]].name, activity=self.word))
            if len(pairs) > 1:  # two schools on one day (one_trip_per_day) still hold one of it that day
                for i in range(len(ctx.days)):
                    ctx.require(sum(held[p][i] for p in pairs) <= 1, about=(rid,),
                                why=_("{name} holds at most one {activity} a day").format(name=name, activity=self.word))
            if self.per(params) == "term":
                why = _("{name} holds {n} {activity} in {term}").format(name=name, n=need, activity=self.word, term=ctx.term.name)
            else:
                why = _("{name} holds {n} {activity} in {term} (its part of {count} a school year)").format(
                    name=name, n=need, activity=self.word, term=ctx.term.name, count=params.count)
            ctx.require(sum(h for p in pairs for h in held[p]) == need, about=(rid,), why=why)

    def audit(self, problem, schedule, params) -> list[Finding]:
        findings = []
        for rid in researchers_of(schedule.pairs):
            name = problem.researcher[rid].name
            need = params.count if self.per(params) == "term" else term_part(params.count, schedule)
            mine = visits_holding(schedule.visits, rid, self.word)
            if len(mine) < need:
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=_("{name}: {n} visit(s) with {activity} in {term}, expected at least {need}").format(
                                            name=name, n=len(mine), activity=self.word, term=schedule.term.name, need=need)))
            for v in mine:
                problem_text = self.visit_problem(problem, schedule, v, params)
                if problem_text:
                    findings.append(Finding(policy=self.name, researchers=(rid,), schools=(v.school_id,), dates=v.days, message=problem_text))
        return findings

    def audit_year(self, problem, schedules, params) -> list[Finding]:
        if self.per(params) != "year":
            return []
        held: dict[str, int] = {}
        for schedule in schedules:
            for rid in researchers_of(schedule.pairs):
                held[rid] = held.get(rid, 0) + len(visits_holding(schedule.visits, rid, self.word))
        terms = "、".join(s.term.name for s in schedules)
        return [Finding(policy=self.name, researchers=(rid,),
                        message=_("{name}: {n} visit(s) with {activity} in {terms}, expected at least {need} a school year").format(
                            name=problem.researcher[rid].name, n=n, activity=self.word, terms=terms, need=params.count))
                for rid, n in sorted(held.items()) if rid in problem.researcher and n < params.count]

    def targets(self, problem, pairs, params) -> list[Target]:
        return [Target(rule=self.name, measure=self.measure, amount=params.count, per=self.per(params), researcher_id=rid)
                for rid in researchers_of(pairs)]
