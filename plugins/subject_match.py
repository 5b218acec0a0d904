"""subject_match: a researcher only gets schools where one of their subjects is taught or needed.

A school qualifies when one of the researcher's subjects is taught at one of its stages
(`assign.vocab.STAGE_SUBJECTS`) or is listed in its `subjects_needed`. A 物理 researcher has
nothing to do at a primary school; a 音乐 researcher has something to do at every school.

Cross-stage work (`002_…` 三(二)1: music, art, PE, mental health, labour, IT and integrated
practice researchers 可跨学段) is *not* a parameter here: whether the subject is taught is a
question of subjects, whether a primary researcher may go to a senior school is a question of
stages. So the cross-stage list belongs to `stage_match` (`cross_stage_subjects`), which the
presets set; this policy needs no knowledge of it and the two never read each other's settings.
"""

from __future__ import annotations

from assign import vocab
from assign.locale import _
from assign.policy import Finding, Policy


def teaches(researcher, school) -> bool:
    """True when one of the researcher's subjects is taught at the school's stages or needed there."""
    offered = set(vocab.subjects_of_stages(school.stages)) | set(school.subjects_needed)
    return not offered.isdisjoint(researcher.subjects)


class SubjectMatch(Policy):
    name = "subject_match"
    title = "学科对口"
    local = True  # only prunes single pairs
    aggregates = True  # prunes pairs only: a type's researchers share their candidates
    relaxable = {}  # a researcher never goes where their subject is neither taught nor needed

    def allows(self, problem, params):
        return teaches

    def audit(self, problem, plan, params) -> list[Finding]:
        findings = []
        for a in plan.pairs:
            r, s = problem.researcher[a.researcher_id], problem.school[a.school_id]
            taught = {subj for stage in s.stages for subj in vocab.STAGE_SUBJECTS.get(stage, ())}
            if not (taught | set(s.subjects_needed)) & set(r.subjects):
                findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(s.id,),
                                        message=_("{researcher}: {school} ({stages}) neither teaches nor needs {subjects}").format(
                                            researcher=r.label, school=s.name, stages="、".join(s.stages), subjects="、".join(r.subjects))))
        return findings
