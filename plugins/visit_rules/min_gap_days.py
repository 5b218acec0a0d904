"""min_gap_days: two visits of one researcher to one school start at least g calendar days apart.

Two visits a term are meant to follow up on each other (`000_…` 基本要求(四)), not to fall in
the same week; 14 days is the rhythm of a school's subject-group meetings (`004_…` 四(二)).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(14, ge=1, le=180, description="least calendar days from the first day of one visit to the first day of the next")


class MinGapDays(VisitRule):
    name = "min_gap_days"
    title = "两次到校最短间隔"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        days = ctx.days
        for pair in ctx.pairs:
            start = ctx.start[pair]
            why = f"{ctx.problem.researcher[pair[0]].name}→{ctx.problem.school[pair[1]].name}: visits start at least {params.days} days apart"
            end = 0
            for i in range(len(days)):
                # every window of g calendar days starting on a working day holds at most one start;
                # a window that ends where the previous one ended is inside it, and is left out
                previous_end = end
                end = max(end, i)
                while end < len(days) and (days[end] - days[i]).days < params.days:
                    end += 1
                if end - i > 1 and end > previous_end:
                    ctx.require(sum(start[i:end]) <= 1, about=pair, why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        for rid, sid in schedule.pairs:
            firsts = sorted(v.first for v in schedule.visits if v.researcher_id == rid and v.school_id == sid)
            for a, b in zip(firsts, firsts[1:]):
                if (b - a).days < params.days:
                    findings.append(Finding(policy=self.name,
                                            message=f"{problem.researcher[rid].name}→{problem.school[sid].name}: visits on {a} and {b} "
                                                    f"are {(b - a).days} days apart, expected at least {params.days}",
                                            researchers=(rid,), schools=(sid,), dates=(a, b)))
        return findings
