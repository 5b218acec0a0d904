"""one_trip_per_day: a researcher is at one school a day — or at two, when they are close
enough that one trip takes in both: `within_minutes` from one school to the other by the
scenario's own travel method (`Problem.school_minutes`: along the roads when there is a road
table, so two schools facing each other across a river with a far bridge are far apart; else the
great-circle estimate).

On one-way roads the two directions differ; the researcher picks the order of the day's two
visits, so the shorter direction counts."""

from __future__ import annotations

from itertools import combinations

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    within_minutes: float | None = Field(None, gt=0,
                                         description=N_("two schools on one day when one is at most this many minutes from the other "
                                                        "(null: never)"))


def between(problem, a: str, b: str) -> float:
    """Minutes between two schools in the quicker order, by the scenario's travel method."""
    return min(problem.school_minutes(a, b), problem.school_minutes(b, a))


def may_share(problem, a: str, b: str, params: Params) -> bool:
    return params.within_minutes is not None and between(problem, a, b) <= params.within_minutes


class OneTripPerDay(VisitRule):
    name = "one_trip_per_day"
    title = "每日一趟"
    local = True
    schools_a_day = 2
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for rid, pairs in ctx.pairs_of_researcher().items():
            name = ctx.problem.researcher[rid].name
            for p, q in combinations(pairs, 2):
                if may_share(ctx.problem, p[1], q[1], params):
                    continue
                why = _("{researcher} can reach only one of {first} and {second} in a day").format(
                    researcher=name, first=ctx.problem.school[p[1]].name, second=ctx.problem.school[q[1]].name)
                for i in range(len(ctx.days)):
                    ctx.require(ctx.on[p][i] + ctx.on[q][i] <= 1, about=(rid,), why=why)
            if len(pairs) > 2:
                why = _("{researcher} visits at most two schools a day").format(researcher=name)
                for i in range(len(ctx.days)):
                    ctx.require(sum(ctx.on[p][i] for p in pairs) <= 2, about=(rid,), why=why)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        # Written apart from apply (double entry): it reads the day's schools off the visits and
        # asks the problem for the minutes each way itself.
        findings = []
        by_day: dict = {}
        for v in schedule.visits:
            for d in v.days:
                by_day.setdefault((v.researcher_id, d), []).append(v.school_id)
        for (rid, day), sids in sorted(by_day.items()):
            ok, apart = len(sids) == 1, ""
            if len(sids) == 2 and params.within_minutes is not None:
                a, b = sids
                quicker = problem.school_minutes(a, b)
                if problem.school_minutes(b, a) < quicker:
                    quicker = problem.school_minutes(b, a)
                ok = quicker <= params.within_minutes
                apart = f"{quicker:g}"
            if not ok:
                values = {"researcher": problem.researcher[rid].name, "n": len(sids), "day": day,
                          "schools": "、".join(problem.school[s].name for s in sids)}
                if apart:
                    message = _("{researcher} is at {n} schools on {day}: {schools} ({minutes} min apart, more than {within})").format(
                        minutes=apart, within=f"{params.within_minutes:g}", **values)
                else:
                    message = _("{researcher} is at {n} schools on {day}: {schools}").format(**values)
                findings.append(Finding(policy=self.name, researchers=(rid,), schools=tuple(sids), dates=(day,), message=message))
        return findings
