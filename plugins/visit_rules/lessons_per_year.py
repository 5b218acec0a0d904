"""lessons_per_year: lessons observed at own contact schools per school year.

`000_…` 教研室教研员联系学校制度 3: 每年深入联系学校听课不少于100节 (at least 100 lessons a year);
教研员联系学校工作制度—规章制度 二2: 10 节以上. A researcher on site observes at most `per_day`
lessons that day (a school day leaves room for a few, with the talk with the teachers after each),
so a yearly total needs ⌈lessons ÷ per_day⌉ days on site, split over the terms of the school year
in proportion to their working days, as `days_on_site_per_year` splits its days.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    lessons: int = Field(100, ge=1, le=1000, description=N_("least lessons observed at own contact schools per school year"))
    per_day: int = Field(3, ge=1, le=8, description=N_("most lessons one day on site leaves room to observe"))
    part_time_share: float = Field(0.5, ge=0, le=1, description=N_("share of `lessons` asked of part-time (兼职) researchers"))


class LessonsPerYear(VisitRule):
    name = "lessons_per_year"
    title = "每年听课节数"
    local = True
    Params = Params

    def _days(self, problem, rid: str, params: Params) -> int:
        """Days on site a year that the lessons need."""
        scale = params.part_time_share if problem.researcher[rid].kind == "兼职" else 1.0
        return math.ceil(math.ceil(params.lessons * scale - 1e-9) / params.per_day - 1e-9)

    def apply(self, ctx, params: Params) -> None:
        for rid in ctx.pairs_of_researcher():
            need = ctx.year_share(self._days(ctx.problem, rid, params))
            ctx.require(sum(ctx.busy(rid)) >= need, about=(rid,),
                        why=_("{researcher} observes {lessons} lessons a year at {per_day} a day: at least {need} days on site in {term}").format(
                            researcher=ctx.problem.researcher[rid].name, lessons=params.lessons, per_day=params.per_day, need=need,
                            term=ctx.term.name))

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        year = sum(len(t.days) for t in schedule.year_terms) or len(schedule.term.days)
        findings = []
        for rid in sorted({rid for rid, _sid in schedule.pairs}):
            scale = params.part_time_share if problem.researcher[rid].kind == "兼职" else 1.0
            wanted = math.ceil(params.lessons * scale * len(schedule.term.days) / year - 1e-9)  # this term's lessons
            days = len({d for d, _ in schedule.days_of_researcher(rid)})
            if days * params.per_day < wanted:
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=_("{researcher}: {days} days on site in {term} leave room for {room} lessons at {per_day} a day; "
                                                  "the term's share of {lessons} a year is {wanted}").format(
                                            researcher=problem.researcher[rid].name, days=days, term=schedule.term.name,
                                            room=days * params.per_day, per_day=params.per_day, lessons=params.lessons, wanted=wanted)))
        return findings
