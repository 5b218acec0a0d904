"""researcher_unavailable: no visit on a researcher's unavailable dates (不可用日期: training,
meetings, the 72 class hours a year of their own training in `002_…` 三(五)1)."""

from __future__ import annotations

from assign.calendar.rule import Finding, VisitRule
from assign.calendar.schedule import day_ranges
from assign.locale import _


def _away(researcher) -> set:
    return {d for r in researcher.unavailable for d in r.days()}


class ResearcherUnavailable(VisitRule):
    name = "researcher_unavailable"
    title = "教研员不可用日期"
    local = True

    def apply(self, ctx, params) -> None:
        for rid, sid in ctx.pairs:
            researcher = ctx.problem.researcher[rid]
            away = sorted(_away(researcher))
            indexes = [i for i in map(ctx.index_of, away) if i is not None]
            ctx.forbid((rid, sid), indexes, about=(rid,),
                       why=_("{researcher} ({researcher_id}) is unavailable on {days}").format(
                           researcher=researcher.name, researcher_id=rid, days=day_ranges(away)))

    def closed_days(self, problem, term, pair, params) -> set:
        return _away(problem.researcher[pair[0]])

    def audit(self, problem, schedule, params) -> list[Finding]:
        findings = []
        for v in schedule.visits:
            bad = sorted(set(v.days) & _away(problem.researcher[v.researcher_id]))
            if bad:
                findings.append(Finding(policy=self.name,
                                        message=_("{researcher} visits {school} on unavailable dates {days}").format(
                                            researcher=problem.researcher[v.researcher_id].name, school=problem.school[v.school_id].name,
                                            days=day_ranges(bad)),
                                        researchers=(v.researcher_id,), schools=(v.school_id,), dates=tuple(bad)))
        return findings
