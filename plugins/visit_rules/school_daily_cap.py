"""school_daily_cap: at most k researchers at one school on one day, so a visit does not swamp it.

A joint inspection day (联合视导, planned by joint_inspection) is the exception: the school's team comes
together on purpose, and that day is let through (in the model by the day's joint literal, in the
audit by the term's recorded inspections)."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, Finding, VisitRule, params_model
from assign.locale import N_, _, ngettext


class Params(BaseModel):
    model_config = params_model()
    max: int = Field(1, ge=1, le=MAX_COUNT, description=N_("most researchers at one school on one day"))


class SchoolDailyCap(VisitRule):
    name = "school_daily_cap"
    title = "学校每日接待上限"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for sid, pairs in ctx.pairs_of_school().items():
            if len(pairs) <= params.max:
                continue
            why = ngettext("{school} ({school_id}) receives at most {n} researcher a day",
                           "{school} ({school_id}) receives at most {n} researchers a day", params.max).format(
                school=ctx.problem.school[sid].name, school_id=sid, n=params.max)
            joint = ctx.joint_days(sid)
            for i in range(len(ctx.days)):
                allowed = params.max if joint is None else params.max + (len(pairs) - params.max) * joint[i]
                ctx.require(sum(ctx.on[p][i] for p in pairs) <= allowed, about=(sid,), why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        count = Counter((v.school_id, d) for v in schedule.visits for d in v.days)
        for inspection in schedule.plan.inspections:
            count.pop((inspection.school_id, inspection.day), None)
        return [
            Finding(policy=self.name, message=_("{school}: {n} researchers on {day}, at most {max} allowed").format(
                        school=problem.school[sid].name, n=n, day=day, max=params.max),
                    schools=(sid,), dates=(day,))
            for (sid, day), n in sorted(count.items()) if n > params.max
        ]
