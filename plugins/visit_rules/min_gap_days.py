"""min_gap_days: two visits of one researcher to one school start at least g calendar days apart.

Two visits a term are meant to follow up on each other (`000_…` 基本要求(四)), not to fall in
the same week; 14 days is the rhythm of a school's subject-group meetings (`004_…` 四(二)).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(14, ge=1, le=180, description=N_("least calendar days from the first day of one visit to the first day of the next"))


class MinGapDays(VisitRule):
    name = "min_gap_days"
    title = "两次到校最短间隔"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        days = ctx.days
        for pair in ctx.pairs:
            start = ctx.start[pair]
            why = _("{researcher}→{school}: visits start at least {days} days apart").format(
                researcher=ctx.problem.researcher[pair[0]].name, school=ctx.problem.school[pair[1]].name, days=params.days)
            end = 0
            for i in range(len(days)):
                # every window of g calendar days starting on a working day holds at most one start;
                # a window that ends where the previous one ended is inside it, and is left out
                previous_end = end
                end = max(end, i)
                while end < len(days) and (days[end] - days[i]).days < params.days:
                    end += 1
                if end - i > 1 and end > previous_end:
                    ctx.require(ctx.total(start[i:end]) <= 1, about=pair, why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        for rid, sid in schedule.pairs:
            firsts = sorted(v.first for v in schedule.visits if v.researcher_id == rid and v.school_id == sid)
            for a, b in zip(firsts, firsts[1:]):
                if (b - a).days < params.days:
                    findings.append(Finding(policy=self.name,
                                            message=_("{researcher}→{school}: visits on {first} and {second} are {gap} days apart, "
                                                      "expected at least {days}").format(
                                                researcher=problem.researcher[rid].name, school=problem.school[sid].name, first=a, second=b,
                                                gap=(b - a).days, days=params.days),
                                            researchers=(rid,), schools=(sid,), dates=(a, b)))
        return findings
