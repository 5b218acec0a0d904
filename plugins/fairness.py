"""fairness: no researcher gets a much worse deal than the others.

Two objective terms (minimised) and their caps:
- `worst_minutes`: the longest one-way trip of any pair in the plan;
- `spread`: the largest minus the smallest per-researcher total of one-way minutes (among
  researchers with at least one school).
`max_worst` / `max_spread` turn either into a hard cap instead. Minutes are whole numbers, as in
the `travel` policy.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    worst_minutes: bool = Field(True, description=N_("objective: minimise the worst one-way trip"))
    spread: bool = Field(False, description=N_("objective: minimise max − min of per-researcher total travel"))
    max_worst: float | None = Field(None, gt=0, description=N_("hard cap on the worst one-way trip (minutes)"))
    max_spread: float | None = Field(None, ge=0, description=N_("hard cap on max − min per-researcher total travel (minutes)"))
    weight: float = Field(0.5, ge=0, description=N_("weighted mode: points lost per minute of each term"))
    rank: int = Field(35, description=N_("lexicographic mode: rank of worst_minutes (spread is rank + 1)"))


def _totals(problem, plan) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for a in plan.pairs:
        totals[a.researcher_id] += round(problem.minutes(a.researcher_id, a.school_id))
    return totals


class Fairness(Policy):
    name = "fairness"
    title = "公平"
    Params = Params

    def travel_cap(self, params: Params) -> float | None:
        return params.max_worst

    def couples(self, params: Params) -> bool:
        # The worst trip and the spread are maxima over every researcher; a cap on one trip is not.
        return params.worst_minutes or params.spread or params.max_spread is not None

    def allows(self, problem, params: Params):
        if params.max_worst is None:
            return None
        return lambda r, s: round(problem.minutes(r.id, s.id)) <= params.max_worst

    def apply(self, ctx, params: Params) -> None:
        problem = ctx.problem
        if not ctx.x:
            return
        minutes = {pair: round(problem.minutes(*pair)) for pair in ctx.x}
        top = max(minutes.values())
        if params.worst_minutes:
            worst = ctx.model.new_int_var(0, top, "fairness.worst")
            for pair, var in ctx.x.items():
                ctx.model.add(worst >= minutes[pair] * var)
            ctx.penalize("worst_minutes", worst, weight=params.weight, rank=params.rank, label=_("Worst one-way trip"), unit="分钟")
        if params.spread or params.max_spread is not None:
            bound = max(sum(minutes[r.id, sid] for sid, _ in ctx.schools_of(r.id)) for r in problem.researchers)
            hi = ctx.model.new_int_var(0, bound, "fairness.total_hi")
            lo = ctx.model.new_int_var(0, bound, "fairness.total_lo")
            for r in problem.researchers:
                options = ctx.schools_of(r.id)
                if not options:
                    continue
                total = sum(minutes[r.id, sid] * v for sid, v in options)
                has = ctx.new_bool(f"has[{r.id}]")
                ctx.model.add_max_equality(has, [v for _, v in options])
                ctx.model.add(hi >= total)
                ctx.model.add(lo <= total).only_enforce_if(has)  # a researcher without schools does not set the minimum
            ctx.model.add(lo <= hi)
            if params.max_spread is not None:
                ctx.require(hi - lo <= round(params.max_spread), about=("plan",),
                            why=_("per-researcher total travel may differ by at most {cap} min").format(cap=f"{params.max_spread:g}"))
            if params.spread:
                ctx.penalize("spread", hi - lo, weight=params.weight, rank=params.rank + 1,
                             label=_("Spread of per-researcher travel (most − least)"), unit="分钟")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        if params.max_worst is not None:
            for a in plan.pairs:
                m = round(problem.travel.minutes[problem.travel.start_of[a.researcher_id]][a.school_id])
                if m > params.max_worst:
                    findings.append(Finding(policy=self.name, researchers=(a.researcher_id,), schools=(a.school_id,),
                                            message=_("{researcher} → {school} is {minutes} min one way; the cap is {cap} min").format(
                                                researcher=problem.researcher[a.researcher_id].label, school=problem.school[a.school_id].name,
                                                minutes=m, cap=f"{params.max_worst:g}")))
        totals = _totals(problem, plan)
        if params.max_spread is not None and totals:
            hi, lo = max(totals, key=totals.get), min(totals, key=totals.get)
            if totals[hi] - totals[lo] > params.max_spread:
                findings.append(Finding(policy=self.name, researchers=(hi, lo),
                                        message=_("total travel of {most} ({most_minutes} min) and {least} ({least_minutes} min) "
                                                  "differ by more than {cap} min").format(
                                            most=problem.researcher[hi].name, most_minutes=f"{totals[hi]:g}", least=problem.researcher[lo].name,
                                            least_minutes=f"{totals[lo]:g}", cap=f"{params.max_spread:g}")))
        return findings
