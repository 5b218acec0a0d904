"""visits_per_term: each researcher visits each contact school at least n times a term.

`000_…` (Shandong notice, 基本要求(四)): at least two visits to each contact school per term.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from assign.calendar.rule import MAX_COUNT, Finding, Target, VisitRule, params_model
from assign.locale import N_, _, ngettext


class Params(BaseModel):
    model_config = params_model()
    min: int = Field(2, ge=0, le=MAX_COUNT, description=N_("least visits per researcher-school pair per term"))
    max: int | None = Field(None, ge=1, le=MAX_COUNT, description=N_("most visits per pair per term (null: no limit)"))

    @model_validator(mode="after")
    def _ordered(self) -> "Params":
        if self.max is not None and self.min > self.max:
            raise ValueError(_("min {min} is above max {max}").format(min=self.min, max=self.max))
        return self


class VisitsPerTerm(VisitRule):
    name = "visits_per_term"
    title = "每学期到校次数"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for rid, sid in ctx.pairs:
            count = sum(ctx.start[rid, sid])
            values = {"researcher": ctx.problem.researcher[rid].name, "school": ctx.problem.school[sid].name, "term": ctx.term.name}
            if params.min:
                ctx.require(count >= params.min, about=(rid, sid),
                            why=ngettext("{researcher}→{school} needs at least {n} visit in {term}",
                                         "{researcher}→{school} needs at least {n} visits in {term}", params.min).format(n=params.min, **values))
            if params.max is not None:
                ctx.require(count <= params.max, about=(rid, sid),
                            why=ngettext("{researcher}→{school} may have at most {n} visit in {term}",
                                         "{researcher}→{school} may have at most {n} visits in {term}", params.max).format(n=params.max, **values))

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        return [Target(rule=self.name, measure="visits", amount=params.min, per="term", researcher_id=rid, school_id=sid)
                for rid, sid in sorted(set(pairs)) if params.min]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        for rid, sid in schedule.pairs:
            n = len({v.number for v in schedule.visits if v.researcher_id == rid and v.school_id == sid})
            if n < params.min or (params.max is not None and n > params.max):
                values = {"researcher": problem.researcher[rid].name, "school": problem.school[sid].name, "n": n, "term": schedule.term.name,
                          "min": params.min, "max": params.max}
                if params.max is not None:
                    message = ngettext("{researcher}→{school}: {n} visit in {term}, expected {min}-{max}",
                                       "{researcher}→{school}: {n} visits in {term}, expected {min}-{max}", n)
                else:
                    message = ngettext("{researcher}→{school}: {n} visit in {term}, expected at least {min}",
                                       "{researcher}→{school}: {n} visits in {term}, expected at least {min}", n)
                findings.append(Finding(policy=self.name, message=message.format(**values), researchers=(rid,), schools=(sid,)))
        return findings
