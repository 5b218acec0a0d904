"""days_per_week: days on site per researcher and teaching week — at most k, and/or on average
at least a (`000_…` 教研室教研员联系学校制度 2: on average at least 2 days a week).

As a target to count a record against, the average is days on site per school year: `average_at_least`
× the working days of the scenario's first school year ÷ 5 (progress pro-rates a yearly target by the
working days gone, so at any date it asks the average over the weeks so far).
"""

from __future__ import annotations

import math
from collections import Counter

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, Target, VisitRule, params_model
from assign.calendar.schedule import teaching_week
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    at_most: int | None = Field(None, ge=1, le=7, description=N_("most days on site in any teaching week"))
    average_at_least: float | None = Field(None, ge=0, le=5,
                                           description=N_("least days on site per week on average over the term (working days ÷ 5 weeks)"))


def needed_days(workdays: int, average: float) -> int:
    return math.ceil(average * workdays / 5 - 1e-9)


class DaysPerWeek(VisitRule):
    name = "days_per_week"
    title = "每周到校天数"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for rid in ctx.pairs_of_researcher():
            name = ctx.problem.researcher[rid].name
            busy = ctx.busy(rid)  # a day at two schools is one day on site
            if params.at_most is not None:
                weeks: dict[int, list] = {}
                for i in range(len(ctx.days)):
                    weeks.setdefault(ctx.week_of(i), []).append(busy[i])
                for _week, on in weeks.items():
                    if len(on) > params.at_most:
                        ctx.require(sum(on) <= params.at_most, about=(rid,),
                                    why=_("{researcher} is on site at most {n} days a week").format(researcher=name, n=params.at_most))
            if params.average_at_least:
                need = needed_days(len(ctx.days), params.average_at_least)
                ctx.require(sum(busy) >= need, about=(rid,),
                            why=_("{researcher} is on site at least {need} days in {term} ({average} a week on average)").format(
                                researcher=name, need=need, term=ctx.term.name, average=f"{params.average_at_least:g}"))

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        if not params.average_at_least or problem.scenario.calendar is None or not problem.scenario.calendar.terms:
            return []
        from assign.calendar.visit_solve import load_terms

        _, year = load_terms(problem, problem.scenario.calendar.terms[0].name)
        need = needed_days(sum(len(t.days) for t in year), params.average_at_least)
        return [Target(rule=self.name, measure="days_on_site", amount=need, per="year", researcher_id=rid)
                for rid in sorted({rid for rid, _ in pairs})]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        rids = sorted({rid for rid, _ in schedule.pairs})
        for rid in rids:
            days = {d for d, _ in schedule.days_of_researcher(rid)}
            name = problem.researcher[rid].name
            if params.at_most is not None:
                for week, n in sorted(Counter(teaching_week(schedule.term.first, d) for d in days).items()):
                    if n > params.at_most:
                        findings.append(Finding(policy=self.name, researchers=(rid,),
                                                message=_("{researcher}: {n} days on site in teaching week {week}, at most {most}").format(
                                                    researcher=name, n=n, week=week, most=params.at_most)))
            if params.average_at_least:
                need = math.ceil(params.average_at_least * len(schedule.term.days) / 5 - 1e-9)
                if len(days) < need:
                    findings.append(Finding(policy=self.name, researchers=(rid,),
                                            message=_("{researcher}: {n} days on site in {term}, expected at least {need}").format(
                                                researcher=name, n=len(days), term=schedule.term.name, need=need)))
        return findings
