"""backbone_teachers: backbone teachers (骨干教师) each researcher mentors at the contact schools.

`000_…` 教研室教研员联系学校制度 6: 每位教研员在联系学校培养2名以上学科骨干教师; 教研员联系学校工作制度
二3: 在联系学校培养学科骨干教师 2 名以上. Mentoring is not a day in the calendar, so the rule plans
nothing and the schedule has nothing to audit: what it gives is its target, which the record of the
visits (指导骨干教师, the names met) is counted against by `assign progress` and `assign summary`.
`per_school` asks the number at each contact school instead of across them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.calendar.rule import Target, VisitRule, params_model


class Params(BaseModel):
    model_config = params_model()
    teachers: int = Field(2, ge=1, le=50, description="least backbone teachers mentored per school year (distinct names in the record)")
    per_school: bool = Field(False, description="ask `teachers` at each contact school rather than across them")


class BackboneTeachers(VisitRule):
    name = "backbone_teachers"
    title = "指导骨干教师"
    local = True  # plans nothing: it must not tie researchers into one model
    Params = Params

    def targets(self, problem, pairs, params: Params) -> list[Target]:
        if params.per_school:
            return [Target(rule=self.name, measure="backbone_teachers", amount=params.teachers, per="year", researcher_id=rid, school_id=sid)
                    for rid, sid in sorted(set(pairs))]
        return [Target(rule=self.name, measure="backbone_teachers", amount=params.teachers, per="year", researcher_id=rid)
                for rid in sorted({rid for rid, _ in pairs})]
