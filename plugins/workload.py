"""workload: part-time researchers (兼职教研员) carry fewer contact schools.

`002_…` 三(二)4: part-time researchers and rehired retirees supplement the full-time ones, so
they get at most `part_time_max` schools (default 1). A researcher's own max_schools column is
a separate, per-person limit handled by `school_count`.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from assign.locale import N_, _, ngettext
from assign.policy import MAX_COUNT, Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    part_time_max: int = Field(1, ge=0, le=MAX_COUNT, description=N_("most contact schools of a part-time (兼职) researcher"))
    part_time_kinds: list[str] = Field(["兼职"], description=N_("researcher kinds (类别) the cap applies to"))


class Workload(Policy):
    name = "workload"
    title = "兼职工作量"
    local = True  # each researcher's own count
    # A type of n part-timers: at most n × part_time_max schools, each at most n times; dealt round
    # robin (as school_count's docstring shows) each gets at most part_time_max.
    aggregates = True
    Params = Params
    relaxable = {}  # a part-timer's load is their contract: it never bends

    def apply(self, ctx, params: Params) -> None:
        for r in ctx.problem.researchers:
            options = ctx.schools_of(r.id)
            if r.kind in params.part_time_kinds and len(options) > params.part_time_max:
                ctx.require(sum(v for _, v in options) <= ctx.count(r.id) * params.part_time_max, about=(r.id,),
                            why=ngettext("{researcher} is {kind} and may have at most {n} contact school",
                                         "{researcher} is {kind} and may have at most {n} contact schools",
                                         params.part_time_max).format(researcher=r.label, kind=r.kind, n=params.part_time_max))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        counts = Counter(a.researcher_id for a in plan.pairs)
        findings = []
        for r in problem.researchers:
            if r.kind in params.part_time_kinds and counts.get(r.id, 0) > params.part_time_max:
                findings.append(Finding(policy=self.name, researchers=(r.id,),
                                        message=_("{researcher} is {kind} with {n} schools; at most {max}").format(
                                            researcher=r.label, kind=r.kind, n=counts[r.id], max=params.part_time_max)))
        return findings
