"""one_trip_per_day: a researcher is at one school a day — or at two, when they are close
enough that one trip takes in both (`within_minutes` between the schools, by the scenario's
travel estimate)."""

from __future__ import annotations

from itertools import combinations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.travel import great_circle_minutes


class Params(BaseModel):
    model_config = params_model()
    within_minutes: float | None = Field(None, gt=0, description="two schools on one day when they are at most this many minutes apart (null: never)")


def between(problem, a: str, b: str) -> float:
    """Minutes between two schools by the scenario's great-circle estimate."""
    sa, sb = problem.school[a], problem.school[b]
    t = problem.scenario.travel
    return great_circle_minutes((sa.lon, sa.lat), (sb.lon, sb.lat), t.detour_factor, t.speed_kmh)


def may_share(problem, a: str, b: str, params: Params) -> bool:
    return params.within_minutes is not None and between(problem, a, b) <= params.within_minutes


class OneTripPerDay(VisitRule):
    name = "one_trip_per_day"
    title = "每日一趟"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for rid, pairs in ctx.pairs_of_researcher().items():
            name = ctx.problem.researcher[rid].name
            for p, q in combinations(pairs, 2):
                if may_share(ctx.problem, p[1], q[1], params):
                    continue
                for i in range(len(ctx.days)):
                    ctx.require(ctx.on[p][i] + ctx.on[q][i] <= 1, about=(rid,), why=f"{name} can reach only one of {ctx.problem.school[p[1]].name} and {ctx.problem.school[q[1]].name} in a day")
            if len(pairs) > 2:
                for i in range(len(ctx.days)):
                    ctx.require(sum(ctx.on[p][i] for p in pairs) <= 2, about=(rid,), why=f"{name} visits at most two schools a day")

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        by_day: dict = {}
        for v in schedule.visits:
            for d in v.days:
                by_day.setdefault((v.researcher_id, d), []).append(v.school_id)
        for (rid, day), sids in sorted(by_day.items()):
            ok = len(sids) == 1 or (len(sids) == 2 and params.within_minutes is not None and between(problem, *sids) <= params.within_minutes)
            if not ok:
                findings.append(Finding(policy=self.name, researchers=(rid,), schools=tuple(sids), dates=(day,),
                                        message=f"{problem.researcher[rid].name} is at {len(sids)} schools on {day}: {'、'.join(problem.school[s].name for s in sids)}"))
        return findings
