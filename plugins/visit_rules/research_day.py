"""research_day: visit on the day the school's group of the researcher's subject meets.

`004_…` 四(二): a school's subject group meets every two weeks for 2+ class hours — the day a
visit is most useful. The `research_days` column says `数学:周三` (weekly) or `语文:双周四`
(every two weeks: the even teaching weeks by default, counting the term's first week as 1).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, Finding, VisitRule, params_model
from assign.calendar.schedule import teaching_week
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    weight: float = Field(1.0, ge=0, description=N_("objective weight per visit day on a research day"))
    biweekly_weeks: Literal["even", "odd"] = Field("even", description=N_("which teaching weeks a 双周 group meets in"))
    min_matches: int = Field(0, ge=0, le=MAX_COUNT,
                             description=N_("hard: least visit days on a research day per pair that has one (0: a preference only)"))


def meets(problem, rid: str, sid: str, day, first, params: Params) -> bool:
    """Does a group of the researcher's subjects meet at the school on this day?"""
    subjects = set(problem.researcher[rid].subjects)
    week_even = teaching_week(first, day) % 2 == 0
    for rd in problem.school[sid].research_days:
        if rd.subject in subjects and rd.weekday == day.weekday():
            if not rd.biweekly or week_even == (params.biweekly_weeks == "even"):
                return True
    return False


def has_group(problem, rid: str, sid: str) -> bool:
    return any(rd.subject in problem.researcher[rid].subjects for rd in problem.school[sid].research_days)


class ResearchDay(VisitRule):
    name = "research_day"
    title = "教研活动日"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        matches = []
        for rid, sid in ctx.pairs:
            if not has_group(ctx.problem, rid, sid):
                continue
            # the test is written out here and in audit() separately: the audit must not trust this
            mine = [ctx.on[rid, sid][i] for i, day in enumerate(ctx.days) if meets(ctx.problem, rid, sid, day, ctx.term.first, params)]
            matches += mine
            if params.min_matches:
                ctx.require(sum(mine) >= params.min_matches, about=(rid, sid),
                            why=_("{researcher}→{school}: at least {n} visit days on the school's research day").format(
                                researcher=ctx.problem.researcher[rid].name, school=ctx.problem.school[sid].name, n=params.min_matches))
        if matches:
            ctx.reward("matches", sum(matches), weight=params.weight, rank=10, label=_("Visit days on research days"), unit="天")

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        findings = []
        monday = schedule.term.first.toordinal() - schedule.term.first.weekday()
        for rid, sid in schedule.pairs:
            groups = [rd for rd in problem.school[sid].research_days if rd.subject in problem.researcher[rid].subjects]
            if not groups:
                continue
            hits = 0
            for v in schedule.visits_of_pair(rid, sid):
                for day in v.days:
                    week = (day.toordinal() - monday) // 7 + 1
                    wanted = 0 if params.biweekly_weeks == "even" else 1
                    hits += any(rd.weekday == day.weekday() and (not rd.biweekly or week % 2 == wanted) for rd in groups)
            if hits < max(params.min_matches, 1):
                severity = "error" if hits < params.min_matches else "warning"
                days = "、".join(("双周" if rd.biweekly else "") + "周" + "一二三四五六日"[rd.weekday] for rd in groups)
                findings.append(Finding(policy=self.name, severity=severity, researchers=(rid,), schools=(sid,),
                                        message=_("{researcher}→{school}: {n} visit days on the school's research day ({days})").format(
                                            researcher=problem.researcher[rid].name, school=problem.school[sid].name, n=hits, days=days)))
        return findings
