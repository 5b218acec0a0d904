"""The visit-rule contract: what a plugin in the entry-point group `assign.visit_rules` provides.

The same shape as a policy (`assign.policy`): a `name`, a pydantic `Params` (defaults and
descriptions, validated from `calendar.visit_rules` of the scenario), and

- `apply(ctx, params)`: adds named hard constraints (`ctx.require`, `ctx.forbid`) and objective
  terms (`ctx.reward`, `ctx.penalize`) to the term's visit model;
- `audit(problem, schedule, params)` → findings: an independent check of the finished visits
  that must not reuse the model's code;
- optionally `targets`, `closed_days` and `team_days`: what the rule asks in numbers, the days it
  closes and the teams it sends together, which the construction of a first schedule reads
  (`assign.calendar.construct`: a schedule it makes is audited like any other before it is used).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from assign.policy import MAX_COUNT, Finding, NoParams, params_model

if TYPE_CHECKING:
    from assign.calendar.schedule import Schedule
    from assign.calendar.visit_model import RuleContext
    from assign.calendar.workdays import TermDays
    from assign.problem import Problem


# What a researcher's work at the contact schools is counted in (`000_…` 基本要求(四), 联系学校工作制度),
# with the words the appraisal table (考核统计表) uses.
MEASURES: dict[str, str] = {
    "days_on_site": "到校天数", "visits": "到校次数", "lessons": "听课节数", "lectures": "专题讲座",
    "research_activities": "校本教研活动", "demo_lessons": "研究课/示范课", "surveys": "调研报告", "backbone_teachers": "指导骨干教师",
}


class Target(BaseModel):
    """A number of something a researcher owes per term or per school year, as one visit rule asks it."""

    model_config = ConfigDict(frozen=True)
    rule: str = Field(description="the visit rule that sets it")
    measure: Literal["days_on_site", "visits", "lessons", "lectures", "research_activities", "demo_lessons", "surveys", "backbone_teachers"]
    amount: int = Field(ge=0)
    per: Literal["term", "year"]
    researcher_id: str
    school_id: str | None = Field(None, description="set when the target is owed at one contact school (per pair), not across them")


class VisitRule:
    """Base class for visit rules; subclasses set `name`, `title`, `Params` and override what they need."""

    name: ClassVar[str]
    title: ClassVar[str] = ""  # Chinese label, e.g. 每学期到校次数
    Params: ClassVar[type[BaseModel]] = NoParams
    # True when the rule ties only the pairs of one researcher or of one school: the host may
    # then solve groups of researchers that share no school apart. False (the safe default) for
    # a rule that ties the whole office, e.g. "at most k researchers out on one day".
    local: ClassVar[bool] = False
    # The most schools a researcher may be at on one day under this rule. One full day at one school
    # is the host's default (a researcher is never in two places); a rule that lets two close schools
    # share a day (one_trip_per_day) says 2 here and adds its own constraint on which two.
    schools_a_day: ClassVar[int] = 1
    # Rules are applied in this order (then as the scenario lists them): a rule that makes something
    # others read (joint inspection days, which school_daily_cap lets through) comes first.
    order: ClassVar[int] = 50

    def apply(self, ctx: "RuleContext", params: BaseModel) -> None:
        return None

    def audit(self, problem: "Problem", schedule: "Schedule", params: BaseModel) -> list[Finding]:
        return []

    def closed_days(self, problem: "Problem", term: "TermDays", pair: tuple[str, str], params: BaseModel) -> Iterable[dt.date]:
        """The days of `term` this rule closes to every visit of `pair` (what `apply` forbids it), for the
        construction of a first schedule (`assign.calendar.construct`); none by default."""
        return ()

    def team_days(self, problem: "Problem", pairs: list[tuple[str, str]], params: BaseModel) -> list[tuple[str, tuple[str, ...], int]]:
        """(school id, team's researcher ids, days a term) for each school whose team this rule sends
        together (a joint inspection), for the construction of a first schedule; none by default."""
        return []

    def targets(self, problem: "Problem", pairs: list[tuple[str, str]], params: BaseModel) -> list[Target]:
        """What this rule asks each researcher of `pairs` to achieve, per term or per year, in numbers a
        record of the visits made can be counted against (`assign progress`, `assign summary`)."""
        return []

    def audit_year(self, problem: "Problem", schedules: list["Schedule"], params: BaseModel) -> list[Finding]:
        """Findings across every term of one school year, scheduled together (`assign calendar --term all`):
        a yearly rule checks the year's total here, beside each term's share in `audit`."""
        return []


__all__ = ["Finding", "MAX_COUNT", "MEASURES", "NoParams", "Target", "VisitRule", "params_model"]
