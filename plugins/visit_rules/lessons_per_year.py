"""lessons_per_year: lessons observed (听课) at own contact schools per school year, planned visit by visit.

`000_…` 教研室教研员联系学校制度 3: 每年深入联系学校听课不少于100节 (at least 100 lessons a year);
教研员联系学校工作制度—规章制度 二2: 10 节以上; `001_…` 篇2 二(二): 80. A researcher on site observes at
most `lessons_per_day` lessons that day (a school day leaves room for a few, with the talk with the
teachers after each; two schools on one day share that room). The calendar plans how many lessons each
visit observes so that the term's part of the yearly total is met exactly: the yearly total falls into
the school year's terms in proportion to their working days (the parts add up to the total), and each
visit carries its lessons (`Visit.lessons`, 听课 among its activities).

`per_day`, the parameter's earlier name, is still read.
"""

from __future__ import annotations

import math

from pydantic import AliasChoices, BaseModel, Field

from assign.calendar.rule import Finding, Target, VisitRule, params_model
from assign.locale import N_, _
from assign_plugins.visit_rules.activities import researchers_of, term_part


class Params(BaseModel):
    model_config = params_model()
    lessons: int = Field(100, ge=1, le=1000, description=N_("least lessons observed at own contact schools per school year"))
    lessons_per_day: int = Field(3, ge=1, le=8, validation_alias=AliasChoices("lessons_per_day", "per_day"),
                                 description=N_("most lessons one day on site leaves room to observe (earlier name: per_day)"))
    part_time_share: float = Field(0.5, ge=0, le=1, description=N_("share of `lessons` asked of part-time (兼职) researchers"))


class LessonsPerYear(VisitRule):
    name = "lessons_per_year"
    title = "每年听课节数"
    local = True
    Params = Params

    def _yearly(self, problem, rid: str, params: Params) -> int:
        """Lessons a year asked of the researcher (part-timers their share, rounded up)."""
        scale = params.part_time_share if problem.researcher[rid].kind == "兼职" else 1.0
        return math.ceil(params.lessons * scale - 1e-9)

    def apply(self, ctx, params: Params) -> None:
        most = params.lessons_per_day
        for rid, pairs in ctx.pairs_of_researcher().items():
            name = ctx.problem.researcher[rid].name
            need = ctx.year_part(self._yearly(ctx.problem, rid, params))
            counts = {pair: ctx.lessons(pair, most) for pair in pairs}
            if len(pairs) > 1:  # two schools on one day share the day's room for lessons
                for i in range(len(ctx.days)):
                    ctx.require(sum(counts[p][i] for p in pairs) <= most, about=(rid,),
                                why=_("{name} observes at most {most} lessons a day").format(name=name, most=most))
            ctx.require(sum(n for p in pairs for n in counts[p]) == need, about=(rid,),
                        why=_("{name} observes {lessons} lessons a year at {most} a day: {need} in {term}").format(
                            name=name, lessons=self._yearly(ctx.problem, rid, params), most=most, need=need, term=ctx.term.name))

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        # Apart from apply: the visits' own lessons, and the term's part worked out from the dates of the school year's terms.
        findings = []
        for rid in researchers_of(schedule.pairs):
            name = problem.researcher[rid].name
            mine = [v for v in schedule.visits if v.researcher_id == rid]
            for v in mine:
                if v.lessons > params.lessons_per_day * len(v.days):
                    findings.append(Finding(policy=self.name, researchers=(rid,), schools=(v.school_id,), dates=v.days,
                                            message=_("{name}→{school} on {day}: {n} lessons in {days} day(s), at most {most} a day").format(
                                                name=name, school=problem.school[v.school_id].name, day=v.first, n=v.lessons,
                                                days=len(v.days), most=params.lessons_per_day)))
            got = sum(v.lessons for v in mine)
            need = term_part(self._yearly(problem, rid, params), schedule)
            if got < need:
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=_("{name}: {n} lessons observed in {term}, expected at least {need} "
                                                  "(its part of {lessons} a year)").format(
                                            name=name, n=got, term=schedule.term.name, need=need, lessons=self._yearly(problem, rid, params))))
        return findings

    def audit_year(self, problem, schedules, params: Params) -> list[Finding]:
        got: dict[str, int] = {}
        for schedule in schedules:
            for rid in researchers_of(schedule.pairs):
                got[rid] = got.get(rid, 0) + sum(v.lessons for v in schedule.visits if v.researcher_id == rid)
        terms = "、".join(s.term.name for s in schedules)
        return [Finding(policy=self.name, researchers=(rid,),
                        message=_("{name}: {n} lessons observed in {terms}, expected at least {need} a school year").format(
                            name=problem.researcher[rid].name, n=n, terms=terms, need=self._yearly(problem, rid, params)))
                for rid, n in sorted(got.items()) if rid in problem.researcher and n < self._yearly(problem, rid, params)]

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        return [Target(rule=self.name, measure="lessons", amount=self._yearly(problem, rid, params), per="year", researcher_id=rid)
                for rid in researchers_of(pairs)]
