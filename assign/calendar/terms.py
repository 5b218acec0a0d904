"""A scenario's calendar section as data, without the solver: its terms' working days, its visit
rules parsed, and the pairs of a plan to schedule. `assign validate` checks a calendar with these
alone, so it loads no CP-SAT (`assign.calendar.visit_solve` schedules)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assign.calendar.workdays import TermDays, Workdays, read_holiday_file, term_days
from assign.errors import AssignError, InputError
from assign.locale import _
from assign.plan import Plan
from assign.problem import PolicyUse, Problem
from assign.registry import Registry, build_visit_registry


def calendar_of(problem: Problem):
    if problem.scenario.calendar is None:
        raise AssignError(_("{source}: the scenario has no `calendar:` section (terms, visit_rules)").format(source=problem.source))
    return problem.scenario.calendar


def workdays_of(problem: Problem) -> Workdays:
    """The working-day calendar of the scenario: package or plain weekdays, overridden by its holiday files."""
    cal = calendar_of(problem)
    base = Path(problem.source).parent
    files = tuple(read_holiday_file(base / name) for name in cal.holiday_files())
    return Workdays(use_package=cal.use_package, overrides=files)


def school_year(day: dt.date) -> int:
    """The school year a day belongs to, by its autumn: 2026 for 2026-09 … 2027-08."""
    return day.year if day.month >= 8 else day.year - 1


def load_terms(problem: Problem, term_name: str) -> tuple[TermDays, tuple[TermDays, ...]]:
    """The term asked for, and every term of the scenario in the same school year (itself included)."""
    cal = calendar_of(problem)
    try:
        wanted = cal.term(term_name)
    except KeyError as exc:
        raise InputError.at(problem.source, None, "calendar.terms", term_name, str(exc.args[0])) from None
    workdays = workdays_of(problem)
    year = [term_days(t.name, t.start, t.end, workdays, t.exam_weeks) for t in cal.terms if school_year(t.start) == school_year(wanted.start)]
    term = next(t for t in year if t.name == term_name)
    return term, tuple(year)


def parse_rules(problem: Problem, registry: Registry | None = None) -> tuple[PolicyUse, ...]:
    registry = registry or build_visit_registry()
    return registry.parse(calendar_of(problem).visit_rules, problem.source, "calendar.visit_rules")


def check_calendar(problem: Problem, registry: Registry | None = None) -> list[str]:
    """What `assign validate` asks of the scenario's `calendar:` section, without scheduling: its visit
    rules and their parameters parse, its holiday files read, and each term's working days count; the
    warnings are those of terms whose days were guessed. Nothing without a calendar section."""
    if problem.scenario.calendar is None:
        return []
    parse_rules(problem, registry)
    workdays = workdays_of(problem)
    terms = [term_days(t.name, t.start, t.end, workdays) for t in problem.scenario.calendar.terms]
    return [t.warning for t in terms if t.warning is not None]


def plan_pairs(problem: Problem, plan: Plan) -> list[tuple[str, str]]:
    """The plan's pairs that name a known researcher and school, in a fixed order (determinism)."""
    return sorted((a.researcher_id, a.school_id) for a in plan.pairs if a.researcher_id in problem.researcher and a.school_id in problem.school)
