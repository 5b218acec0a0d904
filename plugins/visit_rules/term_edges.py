"""term_edges: no routine visit in the first and last teaching days of a term, nor in its exam weeks.

A school opens its term with registration, timetables and the first lessons, and closes it with
reviews, exams and reports: a researcher on site then sees no ordinary lesson and takes the
school's time. The exam weeks are the term's own (`exam_weeks` of each term in `calendar.terms`,
teaching weeks numbered from the week of the first day), since each county sets its own.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.calendar.schedule import day_ranges
from assign.locale import N_, _


class Params(BaseModel):
    model_config = params_model()
    first_days: int = Field(5, ge=0, le=60, description=N_("working days at the start of the term without routine visits"))
    last_days: int = Field(5, ge=0, le=60, description=N_("working days at the end of the term without routine visits"))
    exam_weeks: bool = Field(True, description=N_("also keep the term's exam_weeks (calendar.terms) free of routine visits"))


def closed_days(term, params: Params) -> list:
    """The term's working days that take no routine visit: the edges, and every day of an exam week."""
    days = list(term.days)
    edge = set(days[:params.first_days]) | set(days[len(days) - params.last_days:] if params.last_days else [])
    exams = set()
    if params.exam_weeks and term.exam_weeks:
        week_one = term.first - dt.timedelta(days=term.first.weekday())
        exams = {d for d in days if (d - week_one).days // 7 + 1 in term.exam_weeks}
    return sorted(edge | exams)


class TermEdges(VisitRule):
    name = "term_edges"
    title = "学期首尾与考试周不安排常规视导"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        days = list(ctx.days)
        indexes = list(range(min(params.first_days, len(days))))
        indexes += list(range(max(0, len(days) - params.last_days), len(days)))
        if params.exam_weeks:
            indexes += [i for i in range(len(days)) if ctx.week_of(i) in ctx.term.exam_weeks]
        indexes = sorted(set(indexes))
        values = {"term": ctx.term.name, "first": params.first_days, "last": params.last_days, "days": day_ranges([days[i] for i in indexes])}
        if params.exam_weeks and ctx.term.exam_weeks:
            why = _("{term}: no routine visit in the first {first} and last {last} working days nor in exam weeks {weeks} ({days})").format(
                weeks="、".join(map(str, ctx.term.exam_weeks)), **values)
        else:
            why = _("{term}: no routine visit in the first {first} and last {last} working days ({days})").format(**values)
        for pair in ctx.pairs:
            ctx.forbid(pair, indexes, about=("term", ctx.term.name), why=why)

    def closed_days(self, problem, term, pair, params: Params) -> list:
        return closed_days(term, params)

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        # Apart from apply: the closed days are counted off the term's calendar by date, not by day number.
        closed = set(closed_days(schedule.term, params))
        return [
            Finding(policy=self.name, researchers=(v.researcher_id,), schools=(v.school_id,), dates=tuple(d for d in v.days if d in closed),
                    message=_("{researcher} visits {school} on {days}: the start, the end or an exam week of {term}").format(
                        researcher=problem.researcher[v.researcher_id].name, school=problem.school[v.school_id].name,
                        days=day_ranges([d for d in v.days if d in closed]), term=schedule.term.name))
            for v in schedule.visits if closed & set(v.days)
        ]
