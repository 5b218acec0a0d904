"""days_per_visit: every visit lasts exactly d consecutive working days.

One day is the common case; a longer stay (蹲点) suits the two-weeks-a-year regime of `000_…`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(1, ge=1, le=10, description="working days each visit lasts")


class DaysPerVisit(VisitRule):
    name = "days_per_visit"
    title = "每次到校天数"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        d, n = params.days, len(ctx.days)
        for pair in ctx.pairs:
            start, on = ctx.start[pair], ctx.on[pair]
            about = pair
            why = f"{ctx.problem.researcher[pair[0]].name}→{ctx.problem.school[pair[1]].name}: each visit lasts {d} working day(s)"
            for i in range(n):
                if i + d > n:
                    ctx.require(start[i] == 0, about=about, why=why + " (too late in the term to start one)")
                    continue
                for k in range(1, d):
                    ctx.require(on[i + k] >= start[i], about=about, why=why)
                if i + d < n:
                    ctx.require(on[i + d] + start[i] <= 1, about=about, why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        return [
            Finding(policy=self.name, message=f"{problem.researcher[v.researcher_id].name}→{problem.school[v.school_id].name} "
                                              f"visit {v.number} lasts {len(v.days)} day(s), expected {params.days}",
                    researchers=(v.researcher_id,), schools=(v.school_id,), dates=v.days)
            for v in schedule.visits if len(v.days) != params.days
        ]
