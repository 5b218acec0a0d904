"""spread: visits spread over the term, not bunched at its end.

The term's working days are cut into `parts` equal spans; each pair should have a visit starting
in every span (a reward per span covered, or a hard rule with `hard: true`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    parts: int = Field(2, ge=1, le=20, description=N_("equal spans of the term's working days, each should hold a visit of every pair"))
    weight: float = Field(1.0, ge=0, description=N_("objective weight per (pair, span) covered"))
    hard: bool = Field(False, description=N_("require a visit in every span instead of rewarding it"))


def spans(n: int, parts: int) -> list[range]:
    """Working-day numbers 0…n-1 cut into `parts` spans of (nearly) equal length."""
    cuts = [k * n // parts for k in range(parts + 1)]
    return [range(cuts[k], cuts[k + 1]) for k in range(parts)]


class Spread(VisitRule):
    name = "spread"
    title = "到校分布均匀"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        covered = []
        for pair in ctx.pairs:
            for k, span in enumerate(spans(len(ctx.days), params.parts)):
                starts = [ctx.start[pair][i] for i in span]
                if params.hard:
                    ctx.require(sum(starts) >= 1, about=pair,
                                why=_("{researcher}→{school}: a visit in part {part}/{parts} of the term").format(
                                    researcher=ctx.problem.researcher[pair[0]].name, school=ctx.problem.school[pair[1]].name,
                                    part=k + 1, parts=params.parts))
                    continue
                y = ctx.new_bool(f"covered[{pair[0]},{pair[1]},{k}]")
                ctx.model.add(y <= sum(starts))
                covered.append(y)
        if covered:
            ctx.reward("parts_covered", sum(covered), weight=params.weight, rank=20, label=_("Term parts with a visit"))

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        days = schedule.term.days
        n = len(days)

        def part(i: int) -> int:  # the last span whose first day is not after day i
            return max(k for k in range(params.parts) if k * n // params.parts <= i)

        for rid, sid in schedule.pairs:
            parts = {part(days.index(v.first)) for v in schedule.visits_of_pair(rid, sid) if v.first in days}
            missing = [k + 1 for k in range(params.parts) if k not in parts]
            if missing:
                findings.append(Finding(policy=self.name, severity="error" if params.hard else "warning", researchers=(rid,), schools=(sid,),
                                        message=_("{researcher}→{school}: no visit in parts {missing} of {parts} of {term}").format(
                                            researcher=problem.researcher[rid].name, school=problem.school[sid].name,
                                            missing="、".join(map(str, missing)), parts=params.parts, term=schedule.term.name)))
        return findings
