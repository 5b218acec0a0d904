"""research_activities_per_term: each researcher organises or joins school research activities (校本教研)
at own contact schools, a number each term.

`000_…` 基本要求(四): 组织或参与联系学校有影响的校本教研活动二次以上 (at least two a term). A school's
subject group meets on its research day (教研活动日, `004_…` 四(二): every two weeks, 2+ class hours),
so where the school names a day for a group of the researcher's subjects (`教研活动日`, read as the
research_day rule reads it: 双周 = the even teaching weeks by default) the activity is planned on that
day only; a school that names none takes it on any visit day.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, params_model
from assign.calendar.schedule import teaching_week
from assign.locale import N_, _
from assign_plugins.visit_rules.activities import ActivityRule
from assign_plugins.visit_rules.research_day import has_group, meets


class Params(BaseModel):
    model_config = params_model()
    count: int = Field(2, ge=0, le=MAX_COUNT, description=N_("school research activities (校本教研) each researcher holds or joins per term"))
    on_research_day: bool = Field(True, description=N_("at a school that names a research day for the researcher's subject, only on that day"))
    biweekly_weeks: Literal["even", "odd"] = Field("even", description=N_("which teaching weeks a 双周 group meets in"))


class ResearchActivitiesPerTerm(ActivityRule):
    name = "research_activities_per_term"
    title = "每学期校本教研活动"
    Params = Params
    word = "校本教研"
    measure = "research_activities"
    fixed_per = "term"

    def allowed(self, ctx, pair, params: Params) -> list[bool] | None:
        rid, sid = pair
        if not params.on_research_day or not has_group(ctx.problem, rid, sid):
            return None
        # meets() reads only `biweekly_weeks` of its params, named here as research_day names it
        return [meets(ctx.problem, rid, sid, day, ctx.term.first, params) for day in ctx.days]

    def visit_problem(self, problem, schedule, visit, params: Params) -> str | None:
        # Apart from allowed(): the school's groups of the researcher's subjects, matched on the visit's dates here.
        if not params.on_research_day:
            return None
        subjects = set(problem.researcher[visit.researcher_id].subjects)
        groups = [rd for rd in problem.school[visit.school_id].research_days if rd.subject in subjects]
        if not groups:
            return None
        parity = 0 if params.biweekly_weeks == "even" else 1
        if any(rd.weekday == day.weekday() and (not rd.biweekly or teaching_week(schedule.term.first, day) % 2 == parity)
               for day in visit.days for rd in groups):
            return None
        return _("{name}→{school} holds {activity} on {day}, not on a day the school's group of {subjects} meets").format(
            name=problem.researcher[visit.researcher_id].name, school=problem.school[visit.school_id].name, activity=self.word,
            day=visit.first, subjects="、".join(sorted(rd.subject for rd in groups)))
