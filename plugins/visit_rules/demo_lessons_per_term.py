"""demo_lessons_per_term: each researcher teaches research or demonstration lessons (研究课/示范课) at
own contact schools, a number a school year or a number each term.

`000_…` 基本要求(四): 每学年…上一节研究课 (one research lesson a school year: the default, `per: year`);
`002_…` 四(五): 明确教研员每学期到学校讲授示范课、公开课…次数要求 (a number of demonstration and open
lessons each term, set by the office: `per: term`). A day on site holds one such lesson at most.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, params_model
from assign.locale import N_
from assign_plugins.visit_rules.activities import ActivityRule


class Params(BaseModel):
    model_config = params_model()
    count: int = Field(1, ge=0, le=MAX_COUNT, description=N_("research or demonstration lessons (研究课/示范课) each researcher teaches"))
    per: Literal["year", "term"] = Field("year", description=N_("year: count per school year (000_… 基本要求四); term: count each term (002_… 四五)"))


class DemoLessonsPerTerm(ActivityRule):
    name = "demo_lessons_per_term"
    title = "研究课/示范课"
    Params = Params
    word = "研究课/示范课"
    measure = "demo_lessons"
