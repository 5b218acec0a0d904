"""lectures_per_year: each researcher gives a lecture (专题讲座) at own contact schools once a school year.

`000_…` 基本要求(四): 每学年在联系学校作一次专题讲座、上一节研究课或作一次案例剖析 (each school year a
lecture, a research lesson or a case study at the contact schools); 教研室教研员联系学校制度 3:
提倡教研员上示范课，开设专题讲座. The calendar plans the lecture at one visit (a day on site holds one
lecture at most) in the term the school year's split gives it: a yearly 1 falls in the first term.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, params_model
from assign.locale import N_
from assign_plugins.visit_rules.activities import ActivityRule


class Params(BaseModel):
    model_config = params_model()
    count: int = Field(1, ge=0, le=MAX_COUNT, description=N_("lectures (专题讲座) each researcher gives at own contact schools per school year"))


class LecturesPerYear(ActivityRule):
    name = "lectures_per_year"
    title = "每学年专题讲座"
    Params = Params
    word = "专题讲座"
    measure = "lectures"
    fixed_per = "year"
