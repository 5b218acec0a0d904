"""days_per_visit: every visit lasts exactly d consecutive working days.

One day is the common case; a longer stay (蹲点) suits the two-weeks-a-year regime of `000_…`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.locale import N_, _, ngettext


class Params(BaseModel):
    model_config = params_model()
    days: int = Field(1, ge=1, le=10, description=N_("working days each visit lasts"))


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
            values = {"researcher": ctx.problem.researcher[pair[0]].name, "school": ctx.problem.school[pair[1]].name, "days": d}
            why = ngettext("{researcher}→{school}: each visit lasts {days} working day",
                           "{researcher}→{school}: each visit lasts {days} working days", d).format(**values)
            late = ngettext("{researcher}→{school}: each visit lasts {days} working day (too late in the term to start one)",
                            "{researcher}→{school}: each visit lasts {days} working days (too late in the term to start one)", d).format(**values)
            for i in range(n):
                if i + d > n:
                    ctx.require(start[i] == 0, about=about, why=late)
                    continue
                for k in range(1, d):
                    ctx.require(on[i + k] >= start[i], about=about, why=why)
                if i + d < n:
                    ctx.require(on[i + d] + start[i] <= 1, about=about, why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        return [
            Finding(policy=self.name, message=_("{researcher}→{school} visit {number} lasts {n} days, expected {days}").format(
                        researcher=problem.researcher[v.researcher_id].name, school=problem.school[v.school_id].name, number=v.number,
                        n=len(v.days), days=params.days),
                    researchers=(v.researcher_id,), schools=(v.school_id,), dates=v.days)
            for v in schedule.visits if len(v.days) != params.days
        ]
