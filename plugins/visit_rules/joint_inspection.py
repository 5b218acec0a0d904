"""joint_inspection: once a term, a team inspects each school of a set together on one day (联合视导).

`002_…` 四(一)6 (市、区两级…联合组织各科教研员深入学校和课堂) and `003_…` 范文二 (一)3 (every central
school inspected each term) ask for several researchers at one school on one day: the school's own
contact researchers (`team: contacts`), or those of them who teach named subjects. Each member is on
site that day (it counts in their days on site and visits, and they travel together: one school that
day), and school_daily_cap lets that day through. A school whose team is smaller than `min_team` gets
no joint day (one researcher is a routine visit). The term's result lists each inspection (school,
day, team), which every calendar output shows.

Only contact researchers can be on a team: the calendar schedules the pairs of the plan.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.calendar.rule import MAX_COUNT, Finding, VisitRule, params_model
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    schools: Literal["central", "all"] | list[str] = Field("central", description=N_("central: every 中心校; all: every school with "
                                                                                     "contact researchers; or a list of school ids"))
    team: Literal["contacts"] | list[str] = Field("contacts", description=N_("contacts: the school's contact researchers; "
                                                                             "or a list of subjects (those of them who teach one)"))
    min_team: int = Field(2, ge=1, le=MAX_COUNT, description=N_("least team members for a joint day"))
    per_term: int = Field(1, ge=1, le=10, description=N_("joint inspection days at each school per term"))


def inspected(problem, pairs, params: Params) -> dict[str, list[str]]:
    """School id → the team's researcher ids, for every school the rule inspects (team at least min_team)."""
    teams: dict[str, list[str]] = {}
    for rid, sid in sorted(pairs):
        school = problem.school.get(sid)
        if school is None:
            continue
        if params.schools == "central" and not school.central or isinstance(params.schools, list) and sid not in params.schools:
            continue
        if isinstance(params.team, list) and not set(problem.researcher[rid].subjects) & set(params.team):
            continue
        teams.setdefault(sid, []).append(rid)
    return {sid: team for sid, team in teams.items() if len(team) >= params.min_team}


class JointInspection(VisitRule):
    name = "joint_inspection"
    title = "联合视导"
    local = True  # ties the pairs of one school
    order = 10    # before school_daily_cap, which lets the joint days through
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        for sid, team in inspected(ctx.problem, ctx.pairs, params).items():
            name = ctx.problem.school[sid].name
            joint = ctx.joint_days(sid, create=True)
            ctx.require(sum(joint) == params.per_term, about=(sid,),
                        why=_("{school} ({school_id}): {n} joint inspection days in {term}").format(
                            school=name, school_id=sid, n=params.per_term, term=ctx.term.name))
            for rid in team:
                for i, day in enumerate(joint):
                    ctx.require(ctx.on[rid, sid][i] >= day, about=(sid, rid),
                                why=_("{researcher} is on the team of {school}'s joint inspection").format(
                                    researcher=ctx.problem.researcher[rid].name, school=name))

    def team_days(self, problem, pairs, params: Params) -> list[tuple[str, tuple[str, ...], int]]:
        return [(sid, tuple(team), params.per_term) for sid, team in inspected(problem, pairs, params).items()]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        # Apart from apply: the team is who holds the school in the plan, the days on site are read off the visits.
        findings = []
        on_site: dict[tuple[str, object], set[str]] = {}
        for v in schedule.visits:
            for day in v.days:
                on_site.setdefault((v.school_id, day), set()).add(v.researcher_id)
        teams = inspected(problem, schedule.pairs, params)
        for sid in sorted({j.school_id for j in schedule.plan.inspections} | set(teams)):
            name = problem.school[sid].name if sid in problem.school else sid
            days = [j for j in schedule.plan.inspections if j.school_id == sid]
            if sid not in teams:
                findings.append(Finding(policy=self.name, schools=(sid,), dates=tuple(j.day for j in days),
                                        message=_("{school}: a joint inspection is recorded, but the rule inspects no team there").format(
                                            school=name)))
                continue
            if len(days) != params.per_term:
                findings.append(Finding(policy=self.name, schools=(sid,),
                                        message=_("{school}: {n} joint inspection days in {term}, expected {per_term}").format(
                                            school=name, n=len(days), term=schedule.term.name, per_term=params.per_term)))
            for j in days:
                missing = sorted(set(teams[sid]) - on_site.get((sid, j.day), set()))
                if missing:
                    findings.append(Finding(policy=self.name, schools=(sid,), researchers=tuple(missing), dates=(j.day,),
                                            message=_("{school}: joint inspection on {day} without {researchers}").format(
                                                school=name, day=j.day, researchers="、".join(problem.researcher[r].name for r in missing))))
        return findings
