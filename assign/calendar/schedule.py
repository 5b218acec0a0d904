"""What a visit rule's audit reads: the term's working days, the pairs of the plan, and the visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assign.calendar.visits import Visit, VisitPlan
from assign.calendar.workdays import TermDays

Pair = tuple[str, str]


@dataclass(frozen=True)
class Schedule:
    """One term's finished visits, beside the facts an audit needs to judge them."""

    term: TermDays
    pairs: tuple[Pair, ...]
    plan: VisitPlan
    year_terms: tuple[TermDays, ...] = ()  # every term of the scenario in the same school year (for yearly rules)

    @property
    def visits(self) -> list[Visit]:
        return self.plan.visits

    def visits_of_pair(self, researcher_id: str, school_id: str) -> list[Visit]:
        return sorted((v for v in self.plan.visits if v.researcher_id == researcher_id and v.school_id == school_id), key=lambda v: v.first)

    def days_of_researcher(self, researcher_id: str) -> list[tuple[dt.date, str]]:
        """(day, school id) for every day the researcher is on site, in order."""
        return sorted((d, v.school_id) for v in self.plan.visits if v.researcher_id == researcher_id for d in v.days)


def teaching_week(first: dt.date, day: dt.date) -> int:
    """教学周: 1 for the week (Monday-Sunday) holding the term's first day."""
    monday = first - dt.timedelta(days=first.weekday())
    return (day - monday).days // 7 + 1


def day_ranges(days) -> str:
    """Days as short ranges for messages: 2026-11-09~2026-11-13、2026-12-21."""
    days = sorted(set(days))
    if not days:
        return "—"
    parts, first, prev = [], days[0], days[0]
    for day in days[1:] + [None]:
        if day is not None and (day - prev).days == 1:
            prev = day
            continue
        parts.append(str(first) if first == prev else f"{first}~{prev}")
        if day is not None:
            first = prev = day
    return "、".join(parts)
