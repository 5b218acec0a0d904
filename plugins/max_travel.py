"""max_travel: no contact school further than a one-way time cap from the researcher's start."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, Relaxable, params_model


class Params(BaseModel):
    model_config = params_model()
    minutes: float = Field(90, gt=0, description=N_("longest one-way trip allowed, in minutes"))


class MaxTravel(Policy):
    name = "max_travel"
    title = "单程时间上限"
    local = True  # only prunes single pairs
    aggregates = True  # prunes pairs only: a type's researchers share their candidates
    Params = Params
    # A trip somewhat over the cap is an exception an office can grant, dearer than one school fewer.
    relaxable = {"minutes": Relaxable(5, "单程时间上限")}
    relax_pruning = "minutes"

    def travel_cap(self, params: Params) -> float | None:
        return params.minutes

    def allows(self, problem, params: Params):
        return lambda r, s: problem.minutes(r.id, s.id) <= params.minutes

    def school_filter(self, problem, params: Params):
        within: dict[str, frozenset[str]] = {}  # by trip start: every researcher there shares it

        def schools(r):
            start = problem.travel.start_of[r.id]
            if start not in within:
                within[start] = frozenset(sid for sid, m in problem.travel.minutes[start].items() if m <= params.minutes)
            return within[start]

        return schools

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        for a in plan.pairs:
            minutes = problem.travel.minutes[problem.travel.start_of[a.researcher_id]][a.school_id]
            if minutes > params.minutes:
                r, s = problem.researcher[a.researcher_id], problem.school[a.school_id]
                values = {"minutes": f"{minutes:.0f}", "cap": f"{params.minutes:g}"}
                findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(s.id,), rule="minutes",
                                        message=_("{researcher} → {school} is {minutes} min one way; the cap is {cap} min").format(
                                            researcher=r.label, school=s.name, **values),
                                        note=_("{minutes} min one way (cap {cap} min)").format(**values)))
        return findings
