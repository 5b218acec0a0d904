"""school_blackout: no visit on a school's blackout dates (停访日期: exams, sports days, events)."""

from __future__ import annotations

from assign.calendar.rule import Finding, VisitRule
from assign.calendar.schedule import day_ranges
from assign.locale import _


def _blackout(school) -> set:
    return {d for r in school.blackout for d in r.days()}


class SchoolBlackout(VisitRule):
    name = "school_blackout"
    title = "学校停访日期"
    local = True

    def apply(self, ctx, params) -> None:
        for rid, sid in ctx.pairs:
            school = ctx.problem.school[sid]
            closed = sorted(_blackout(school))
            indexes = [i for i in map(ctx.index_of, closed) if i is not None]
            ctx.forbid((rid, sid), indexes, about=(sid,),
                       why=_("{school} ({school_id}) takes no visits on {days}").format(school=school.name, school_id=sid, days=day_ranges(closed)))

    def closed_days(self, problem, term, pair, params) -> set:
        return _blackout(problem.school[pair[1]])

    def audit(self, problem, schedule, params) -> list[Finding]:
        findings = []
        for v in schedule.visits:
            bad = sorted(set(v.days) & _blackout(problem.school[v.school_id]))
            if bad:
                findings.append(Finding(policy=self.name,
                                        message=_("{researcher} visits {school} on its blackout dates {days}").format(
                                            researcher=problem.researcher[v.researcher_id].name, school=problem.school[v.school_id].name,
                                            days=day_ranges(bad)),
                                        researchers=(v.researcher_id,), schools=(v.school_id,), dates=tuple(bad)))
        return findings
