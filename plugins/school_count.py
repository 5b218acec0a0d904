"""school_count: how many contact schools each researcher has (1-2, or at least 2, ...).

`000_…` asks for 1-2 schools (教研室教研员联系学校制度) or at least two (Shandong notice);
`002_…` for 1-2. A researcher's own `min_schools` / `max_schools` columns override the defaults.

In the aggregated model (`assign.solver.aggregate`) a type of n researchers with limits low…high
holds T = Σ_s x[t, s] schools, each x at most n: n·low ≤ T ≤ n·high is exact. Necessary: sum the
researchers' counts. Sufficient: deal the T copies round robin, school after school, to researchers
1, 2, …, n, 1, …: the copies of one school (at most n) are consecutive, so they go to different
researchers, and each researcher gets ⌊T/n⌋ or ⌈T/n⌉, within low…high. Any other bound on a
researcher's count that holds summed (workload's) holds for this balanced split too.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field, model_validator

from assign.locale import N_, _, ngettext
from assign.policy import MAX_COUNT, Finding, Policy, Relaxable, params_model


class Params(BaseModel):
    model_config = params_model()
    min: int = Field(1, ge=0, le=MAX_COUNT, description=N_("least contact schools per researcher"))
    max: int | None = Field(2, ge=1, le=MAX_COUNT, description=N_("most contact schools per researcher (null: no upper limit)"))
    table_overrides: bool = Field(True, description=N_("use each researcher's min_schools / max_schools columns when given"))

    @model_validator(mode="after")
    def _ordered(self) -> "Params":
        if self.max is not None and self.min > self.max:
            raise ValueError(_("min {min} is above max {max}").format(min=self.min, max=self.max))
        return self


def limits(researcher, params: Params) -> tuple[int, int | None]:
    """(least, most) schools for this researcher under these parameters.

    A personal max_schools below the rule's min (a part-time researcher under "at least two")
    lowers that person's min to it, and a personal min_schools above the rule's max raises that
    person's max to it: the table speaks for the person, the rule for everyone.
    """
    low, high = params.min, params.max
    if params.table_overrides:
        low = researcher.min_schools if researcher.min_schools is not None else low
        high = researcher.max_schools if researcher.max_schools is not None else high
        if researcher.min_schools is None and high is not None:
            low = min(low, high)
        if researcher.max_schools is None and high is not None:
            high = max(low, high)
    return low, high


def _at_least(researcher, n: int) -> str:
    return ngettext("{researcher} needs at least {n} contact school", "{researcher} needs at least {n} contact schools", n).format(
        researcher=researcher.label, n=n)


class SchoolCount(Policy):
    name = "school_count"
    title = "联系学校数"
    local = True  # each researcher's own count
    aggregates = True  # a type's count between n·min and n·max: exact (the module's docstring)
    Params = Params
    # "One school instead of two" is the mildest exception an office grants; a stated maximum never bends.
    relaxable = {"min": Relaxable(1, "最少联系学校数")}

    def apply(self, ctx, params: Params) -> None:
        for r in ctx.problem.researchers:
            low, high = limits(r, params)
            n = ctx.count(r.id)  # 1, or the researchers of r's type in the aggregated model
            count = sum(var for _, var in ctx.schools_of(r.id))
            if low > 0:
                ctx.require(count >= n * low, about=(r.id,), why=_at_least(r, low), rule="min")
            if ctx.bends("min"):
                # Each school short is one step of the exception: "one school instead of two" costs
                # one, none at all two, so a relaxed plan never leaves someone with less than it must.
                for k in range(low - 1, 0, -1):
                    ctx.require(count >= n * k, about=(r.id,), why=_at_least(r, k), rule="min")
            if high is not None:
                ctx.require(count <= n * high, about=(r.id,), rule="max",
                            why=ngettext("{researcher} may have at most {n} contact school", "{researcher} may have at most {n} contact schools",
                                         high).format(researcher=r.label, n=high))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        counts = Counter(a.researcher_id for a in plan.pairs)
        findings = []
        for r in problem.researchers:
            low, high = limits(r, params)
            n = counts.get(r.id, 0)
            if n < low or (high is not None and n > high):
                if high is not None:
                    message = ngettext("{researcher} has {n} contact school; expected {low}-{high}",
                                       "{researcher} has {n} contact schools; expected {low}-{high}", n)
                else:
                    message = ngettext("{researcher} has {n} contact school; expected at least {low}",
                                       "{researcher} has {n} contact schools; expected at least {low}", n)
                findings.append(Finding(policy=self.name, message=message.format(researcher=r.label, n=n, low=low, high=high),
                                        researchers=(r.id,), rule="min" if n < low else "max",
                                        note=ngettext("{n} contact school", "{n} contact schools", n).format(n=n)))
        return findings

    def precheck(self, problem, params: Params, pairs) -> list[Finding]:
        """Supply against demand: a researcher's candidates, and all researchers' capacity."""
        options = Counter(rid for rid, _ in pairs)
        findings = []
        for r in problem.researchers:
            low, _high = limits(r, params)  # not `_`: that name is gettext's in this module
            n = options.get(r.id, 0)
            if n < low:
                findings.append(Finding(policy=self.name, researchers=(r.id,), rule="min",
                                        message=ngettext("{researcher} needs at least {low} contact schools but only {n} passes the pruning "
                                                         "policies (stage, subject, travel, conflicts)",
                                                         "{researcher} needs at least {low} contact schools but only {n} pass the pruning "
                                                         "policies (stage, subject, travel, conflicts)", n).format(researcher=r.label, low=low, n=n),
                                        note=ngettext("only {n} {stages} school can be contacted", "only {n} {stages} schools can be contacted",
                                                      n).format(n=n, stages="、".join(r.stages))))
        return findings
