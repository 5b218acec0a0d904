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


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(10, ge=1, le=250, description="least days on site at own contact schools per school year")
    part_time_share: float = Field(0.5, ge=0, le=1, description="share of `days` asked of part-time (兼职) researchers")


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
                        why=f"{ctx.problem.researcher[rid].name} is on site at least {need} day(s) in {ctx.term.name} "
                            f"(share of {self._target(ctx.problem, rid, params)} a year)")

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        return [Target(rule=self.name, measure="days_on_site", amount=self._target(problem, rid, params), per="year", researcher_id=rid)
                for rid in sorted({rid for rid, _ in pairs})]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        year = sum(len(t.days) for t in schedule.year_terms) or len(schedule.term.days)
        findings = []
        for rid in sorted({rid for rid, _ in schedule.pairs}):
            target = self._target(problem, rid, params)
            need = math.ceil(target * len(schedule.term.days) / year - 1e-9)
            got = len({d for d, _ in schedule.days_of_researcher(rid)})
            if got < need:
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=f"{problem.researcher[rid].name}: {got} day(s) on site in {schedule.term.name}, "
                                                f"expected at least {need} (share of {target} a year)"))
        return findings

    def audit_year(self, problem, schedules, params: Params) -> list[Finding]:
        # The year's total over its terms, counted off the visits (the per-term shares round up, so
        # this holds whenever every term's audit does; it also holds a calendar edited by hand to it).
        days: dict[str, set] = {}
        for schedule in schedules:
            for rid, _ in schedule.pairs:
                days.setdefault(rid, set())
            for v in schedule.visits:
                days.setdefault(v.researcher_id, set()).update(v.days)
        names = "、".join(s.term.name for s in schedules)
        return [Finding(policy=self.name, researchers=(rid,),
                        message=f"{problem.researcher[rid].name}: {len(got)} day(s) on site in {names}, "
                                f"expected at least {self._target(problem, rid, params)} a year")
                for rid, got in sorted(days.items()) if rid in problem.researcher and len(got) < self._target(problem, rid, params)]
