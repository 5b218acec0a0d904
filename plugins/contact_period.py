"""contact_period: a pairing inside its contact period stays (联系周期, `000_…` 基本要求(三): fixed
for two years as a rule; 教研室制度: one year).

A researcher's `current_schools` with `since` (YYYY-MM) started a period of `years` years
(default: the scenario's contact_period.years). If that period has not ended by the scenario's
contact_period.start, the pair is fixed in the new plan. If it has ended, `renew: allow` lets the
optimiser keep or drop it, `renew: forbid` rules the same pair out (rotation). Rows without
`since` are left free (the loader already warns about them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, Relaxable, params_model


class Params(BaseModel):
    model_config = params_model()
    years: int | None = Field(None, ge=1, le=6, description=N_("length of a contact period in years (default: the scenario's contact_period.years)"))
    renew: Literal["allow", "forbid"] = Field("allow", description=N_("whether a pair whose period has ended may be chosen again"))


def _months(text: str) -> int:
    year, month = (int(p) for p in text.split("-")[:2])
    return year * 12 + month - 1


def running(problem, researcher, params: Params) -> bool | None:
    """True if the researcher's current pairing is still inside its period at the plan's start; None if unknown."""
    if researcher.since is None:
        return None
    years = params.years or problem.scenario.contact_period.years
    return _months(researcher.since) + 12 * years > _months(problem.scenario.contact_period.start)


class ContactPeriod(Policy):
    name = "contact_period"
    title = "联系周期"
    local = True  # each researcher's own pairs in force
    Params = Params
    relaxable = {"keep": Relaxable(3, "联系周期内保持原联系")}

    def allows(self, problem, params: Params):
        if params.renew == "allow":
            return None
        return lambda r, s: not (s.id in r.current_schools and running(problem, r, params) is False)

    def apply(self, ctx, params: Params) -> None:
        for r in ctx.problem.researchers:
            if not running(ctx.problem, r, params):
                continue
            options = dict(ctx.schools_of(r.id))
            for sid in r.current_schools:
                why = _("{researcher} has contacted {school} since {since}; the period has not ended").format(
                    researcher=r.label, school=ctx.problem.school[sid].name, since=r.since)
                var = options.get(sid)
                if var is None:  # pruned by another policy: the requirement cannot hold, and must say so
                    var = ctx.new_bool(f"missing[{r.id},{sid}]")
                    ctx.model.add(var == 0)
                ctx.require(var == 1, about=(r.id, sid), why=why, rule="keep")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        pairs = plan.pair_set()
        findings = []
        for r in problem.researchers:
            state = running(problem, r, params)
            for sid in r.current_schools:
                values = {"researcher": r.label, "school": problem.school[sid].name, "since": r.since}
                if state and (r.id, sid) not in pairs:
                    findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(sid,), rule="keep",
                                            message=_("{researcher} → {school} (since {since}) is inside its contact period but was dropped").format(
                                                **values),
                                            note=_("{school} not kept (since {since}, the period has not ended)").format(**values)))
                if state is False and params.renew == "forbid" and (r.id, sid) in pairs:
                    findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(sid,), rule="renew",
                                            message=_("{researcher} → {school} (since {since}) has ended and may not be renewed").format(**values)))
        return findings
