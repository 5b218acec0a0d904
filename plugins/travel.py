"""travel: an objective term, the total one-way minutes of all pairs (to minimise)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    weight: float = Field(0.2, ge=0, description=N_("weighted mode: objective points lost per minute of one-way travel"))
    rank: int = Field(40, description=N_("lexicographic mode: lower ranks are optimised first"))


class Travel(Policy):
    name = "travel"
    title = "路程"
    local = True  # a sum over pairs
    aggregates = True  # a type's researchers share their trip start: minutes × how many of them take the school
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        # Whole minutes: a planner does not weigh seconds, and CP-SAT needs integer coefficients.
        total = sum(round(ctx.problem.minutes(rid, sid)) * var for (rid, sid), var in ctx.x.items())
        ctx.penalize("total_minutes", total, weight=params.weight, rank=params.rank, label=_("Total one-way minutes"), unit="分钟")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        """The minutes a plan records must be the problem's: a stale plan.json shows here."""
        findings = []
        for a in plan.pairs:
            expected = problem.travel.minutes[problem.travel.start_of[a.researcher_id]][a.school_id]
            if abs(expected - a.minutes) > 0.05:
                findings.append(Finding(policy=self.name, severity="warning", researchers=(a.researcher_id,), schools=(a.school_id,),
                                        message=_("pair ({researcher_id}, {school_id}) records {recorded} min "
                                                  "but the travel matrix says {expected}").format(
                                            researcher_id=a.researcher_id, school_id=a.school_id, recorded=a.minutes, expected=expected)))
        return findings
