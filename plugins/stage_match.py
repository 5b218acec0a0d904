"""stage_match: a researcher only gets schools of a stage (学段) they cover.

A 九年一贯制 school has both 小学 and 初中, so a primary or a junior researcher may take it.
`cross_stage_subjects` lifts the rule for researchers of those subjects (`002_…` 三(二)1: 音乐
美术 体育 心理健康 劳动 信息科技 综合实践 可跨学段); it is empty by default and the regime presets
that allow it set it (see `CROSS_STAGE_002`). `subject_match` still keeps such a researcher to
schools where their subject is taught.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, params_model

CROSS_STAGE_002 = ["音乐", "美术", "体育", "心理健康", "劳动", "信息科技", "综合实践"]


class Params(BaseModel):
    model_config = params_model()
    cross_stage_subjects: list[str] = Field(
        [],
        description=N_("researchers of any of these subjects may take schools of any stage "
                       "(002 lists 音乐 美术 体育 心理健康 劳动 信息科技 综合实践)"))


def shares_stage(researcher, school) -> bool:
    return not set(researcher.stages).isdisjoint(school.stages)


def stage_ok(researcher, school, params: Params) -> bool:
    return shares_stage(researcher, school) or not set(params.cross_stage_subjects).isdisjoint(researcher.subjects)


class StageMatch(Policy):
    name = "stage_match"
    title = "学段对口"
    local = True  # only prunes single pairs
    aggregates = True  # prunes pairs only: a type's researchers share their candidates
    Params = Params
    relaxable = {}  # a researcher never goes to a stage they do not cover, whatever a scenario relaxes

    def allows(self, problem, params: Params):
        return lambda r, s: stage_ok(r, s, params)

    def school_filter(self, problem, params: Params):
        by_stage: dict[str, set[str]] = {}
        for s in problem.schools:
            for stage in s.stages:
                by_stage.setdefault(stage, set()).add(s.id)
        every = {s.id for s in problem.schools}
        cross = set(params.cross_stage_subjects)
        return lambda r: every if not cross.isdisjoint(r.subjects) else set().union(*(by_stage.get(stage, set()) for stage in r.stages))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        for a in plan.pairs:
            r, s = problem.researcher[a.researcher_id], problem.school[a.school_id]
            crosses = any(subj in params.cross_stage_subjects for subj in r.subjects)
            if set(r.stages).isdisjoint(s.stages) and not crosses:
                findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(s.id,),
                                        message=_("{researcher} covers {stages} but {school} is {school_stages}").format(
                                            researcher=r.label, stages="、".join(r.stages), school=s.name, school_stages="、".join(s.stages))))
        return findings
