"""central_schools: every township central school (中心校) and every school of the listed ownership
kinds (default 民办) gets at least one researcher.

`003_…` 范文二 (一)3: every directly-run school and every town central school is inspected each
term; 范文一 (三)5: private schools get guidance too. A school no researcher may take at all
(every pair pruned by stage, subject, travel, conflicts) cannot be required: it is left out of
the model and the audit names it in a warning, so the office sees the gap instead of an
unexplained INFEASIBLE.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.candidates import candidate_pairs
from assign.locale import N_, _
from assign.policy import Finding, Policy, Relaxable, params_model


class Params(BaseModel):
    model_config = params_model()
    central: bool = Field(True, description=N_("require a researcher at every township central school (中心校)"))
    ownerships: list[str] = Field(["民办"], description=N_("also require one at every school of these ownership kinds (办学性质)"))


def must_cover(school, params: Params) -> bool:
    return (params.central and school.central) or school.ownership in params.ownerships


def _kinds(school, params: Params) -> str:
    """Why the rule holds for this school, in the table's own words: 中心校, and/or its 办学性质."""
    central = ["中心校"] if params.central and school.central else []
    return "、".join(central + ([school.ownership] if school.ownership in params.ownerships else []))


class CentralSchools(Policy):
    name = "central_schools"
    title = "中心校与民办校必联系"
    local = True  # each central school's own candidates
    aggregates = True  # at least one researcher: the counts of its candidates sum to at least 1
    Params = Params
    relaxable = {"cover": Relaxable(3, "中心校与民办校必联系")}

    def apply(self, ctx, params: Params) -> None:
        for s in ctx.problem.schools:
            options = ctx.researchers_of(s.id)
            if must_cover(s, params) and options:
                ctx.require(sum(v for _, v in options) >= 1, about=(s.id,), rule="cover",
                            why=_("{school} is {kinds} and needs at least one researcher").format(school=s.name, kinds=_kinds(s, params)))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        covered = {a.school_id for a in plan.pairs}
        missing = [s for s in problem.schools if must_cover(s, params) and s.id not in covered]
        # The candidate pairs only when a school is missing: other checks audit a plan many times over.
        reachable = {sid for _, sid in candidate_pairs(problem)} if missing else set()
        findings = []
        for s in missing:
            if s.id in reachable:
                findings.append(Finding(policy=self.name, schools=(s.id,), rule="cover", note=_("no researcher"),
                                        message=_("{school} is {kinds} and needs at least one researcher, but has none").format(
                                            school=s.name, kinds=_kinds(s, params))))
            else:
                findings.append(Finding(policy=self.name, severity="warning", schools=(s.id,),
                                        message=_("{school} is {kinds} and needs at least one researcher, but no researcher may take it "
                                                  "(every pair is ruled out by another policy)").format(school=s.name, kinds=_kinds(s, params))))
        return findings

