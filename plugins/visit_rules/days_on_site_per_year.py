"""days_on_site_per_year: days at contact schools across the terms of a school year.

Two regimes of `000_…`: at least two weeks (10 working days) a year on site (Shandong notice,
基本要求(二)), or at least 100 days a year (教研室教研员联系学校制度 2). The yearly total is split
over the scenario's terms of that school year in proportion to their working days, so each term
can be scheduled on its own and still add up.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, Target, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(10, ge=1, le=250, description=N_("least days on site at own contact schools per school year"))
    part_time_share: float = Field(0.5, ge=0, le=1, description=N_("share of `days` asked of part-time (兼职) researchers"))


class DaysOnSitePerYear(VisitRule):
    name = "days_on_site_per_year"
    title = "每年到校天数"
    local = True
    Params = Params

    def _target(self, problem, rid: str, params: Params) -> int:
        scale = params.part_time_share if problem.researcher[rid].kind == "兼职" else 1.0
        return math.ceil(params.days * scale - 1e-9)

    def apply(self, ctx, params: Params) -> None:
        for rid, _pairs in ctx.pairs_of_researcher().items():
            need = ctx.year_share(self._target(ctx.problem, rid, params))
            ctx.require(sum(ctx.busy(rid)) >= need, about=(rid,),
                        why=_("{researcher} is on site at least {need} days in {term} (share of {target} a year)").format(
                            researcher=ctx.problem.researcher[rid].name, need=need, term=ctx.term.name,
                            target=self._target(ctx.problem, rid, params)))

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        return [Target(rule=self.name, measure="days_on_site", amount=self._target(problem, rid, params), per="year", researcher_id=rid)
                for rid in sorted({rid for rid, _ in pairs})]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        year = sum(len(t.days) for t in schedule.year_terms) or len(schedule.term.days)
        findings = []
        for rid in sorted({rid for rid, _sid in schedule.pairs}):
            target = self._target(problem, rid, params)
            need = math.ceil(target * len(schedule.term.days) / year - 1e-9)
            got = len({d for d, _ in schedule.days_of_researcher(rid)})
            if got < need:
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=_("{researcher}: {n} days on site in {term}, "
                                                  "expected at least {need} (share of {target} a year)").format(
                                            researcher=problem.researcher[rid].name, n=got, term=schedule.term.name, need=need, target=target)))
        return findings

    def audit_year(self, problem, schedules, params: Params) -> list[Finding]:
        # The year's total over its terms, counted off the visits (the per-term shares round up, so
        # this holds whenever every term's audit does; it also holds a calendar edited by hand to it).
        days: dict[str, set] = {}
        for schedule in schedules:
            for rid, _sid in schedule.pairs:
                days.setdefault(rid, set())
            for v in schedule.visits:
                days.setdefault(v.researcher_id, set()).update(v.days)
        names = "、".join(s.term.name for s in schedules)
        return [Finding(policy=self.name, researchers=(rid,),
                        message=_("{researcher}: {n} days on site in {terms}, expected at least {target} a year").format(
                            researcher=problem.researcher[rid].name, n=len(got), terms=names, target=self._target(problem, rid, params)))
                for rid, got in sorted(days.items()) if rid in problem.researcher and len(got) < self._target(problem, rid, params)]
