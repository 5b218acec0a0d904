"""stage_match: a researcher only gets schools of a stage (学段) they cover.

A 九年一贯制 school has both 小学 and 初中, so a primary or a junior researcher may take it.
"""

from __future__ import annotations

from assign.policy import Finding, Policy


def shares_stage(researcher, school) -> bool:
    return not set(researcher.stages).isdisjoint(school.stages)


class StageMatch(Policy):
    name = "stage_match"
    title = "学段对口"

    def allows(self, problem, params):
        return shares_stage

    def school_filter(self, problem, params):
        by_stage: dict[str, set[str]] = {}
        for s in problem.schools:
            for stage in s.stages:
                by_stage.setdefault(stage, set()).add(s.id)
        return lambda r: set().union(*(by_stage.get(stage, set()) for stage in r.stages))

    def audit(self, problem, plan, params) -> list[Finding]:
        findings = []
        for a in plan.pairs:
            r, s = problem.researcher[a.researcher_id], problem.school[a.school_id]
            if set(r.stages).isdisjoint(s.stages):
                findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(s.id,),
                                        message=f"{r.label} covers {'、'.join(r.stages)} but {s.name} is {'、'.join(s.stages)}"))
        return findings
