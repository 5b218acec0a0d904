"""Working days of a term: Monday-Friday, minus Chinese statutory holidays, plus adjusted
weekend workdays (调休).

The days come from `chinese-calendar`, which only knows the years it was released for (1.11:
2004-2026). A scenario may add a holiday file (days off, adjusted workdays) that overrides the package
day by day and covers later years. A term that reaches a year neither knows is still usable, but
those dates are guessed as plain weekdays, and the warning says which ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from assign.errors import InputError, validation_problems
from assign.inputs.yaml_file import load_yaml
from assign.locale import N_, _
from assign.models import FIRST_YEAR, LAST_YEAR, DateRange

WEEKDAY_ZH = "一二三四五六日"


def _date_cell(value: Any) -> tuple[DateRange, ...]:
    return DateRange.parse_cell(value)


# One item of a holiday file's list: a day, a range `2027-02-05~2027-02-12`, or several in one string.
DateItem = Annotated[tuple[DateRange, ...], BeforeValidator(_date_cell)]


class HolidayFile(BaseModel):
    """A file of days off and adjusted workdays, e.g. the State Council's notice for one year.

    For a year listed in `years` the file is the whole truth (the package is not asked). Any other
    date it names overrides the package day by day; and a year the package does not know, but the
    file names dates in, counts as described by the file (nothing is guessed there).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field("", description="where the dates come from (a notice, or 'estimate')")
    years: tuple[Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)], ...] = Field((), description="years this file fully describes")
    # not `off`/`on`: YAML 1.1 reads those keys as booleans
    holidays: tuple[DateItem, ...] = Field((), description="days off that would be workdays (放假)")
    workdays: tuple[DateItem, ...] = Field((), description="adjusted workdays (调休上班): weekend days that are workdays")

    @field_validator("holidays", "workdays", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        # A single string or date is a list of one; each item is then checked on its own, so an error names its place.
        return value if isinstance(value, (list, tuple)) else () if value is None else (value,)

    def off_days(self) -> set[dt.date]:
        return {d for item in self.holidays for r in item for d in r.days()}

    def on_days(self) -> set[dt.date]:
        return {d for item in self.workdays for r in item for d in r.days()}

    def named_years(self) -> set[int]:
        return {d.year for d in self.off_days() | self.on_days()}


def read_holiday_file(path: Path) -> HolidayFile:
    """Read a holiday file (YAML: source, years, holidays, workdays); errors name the file, the key and the item."""
    data = load_yaml(path, N_("holiday file"))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError.at(path, None, None, type(data).__name__, _("expected a mapping of source, years, holidays, workdays"))
    try:
        return HolidayFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, path)) from None


@dataclass(frozen=True)
class Workdays:
    """Decides whether a day is a working day: holiday file first, then the package, then Mon-Fri."""

    use_package: bool = True
    overrides: tuple[HolidayFile, ...] = ()
    _off: frozenset[dt.date] = field(init=False)
    _on: frozenset[dt.date] = field(init=False)
    _covered: frozenset[int] = field(init=False)
    _named: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        off = set().union(*(f.off_days() for f in self.overrides)) if self.overrides else set()
        on = set().union(*(f.on_days() for f in self.overrides)) if self.overrides else set()
        covered = {y for f in self.overrides for y in f.years}
        named = {y for f in self.overrides for y in f.named_years()}
        object.__setattr__(self, "_named", frozenset(named))
        object.__setattr__(self, "_off", frozenset(off))
        object.__setattr__(self, "_on", frozenset(on))
        object.__setattr__(self, "_covered", frozenset(covered))

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is a workday, was guessed as a plain weekday because no source knows its year)."""
        if day in self._on:
            return True, False
        if day in self._off:
            return False, False
        if self.use_package and day.year not in self._covered:
            import chinese_calendar  # imported here: only calendars need it

            try:
                return chinese_calendar.is_workday(day), False
            except NotImplementedError:
                return day.weekday() < 5, day.year not in self._named
        return day.weekday() < 5, False


@dataclass(frozen=True)
class TermDays:
    """The working days of one term, and which of them were guessed."""

    name: str
    first: dt.date
    last: dt.date
    days: tuple[dt.date, ...]
    guessed_years: tuple[int, ...] = ()
    guessed_holidays_possible: tuple[dt.date, ...] = ()  # guessed workdays (all weekdays of unknown years)
    exam_weeks: tuple[int, ...] = ()  # teaching weeks of exams, as the scenario's term names them

    @property
    def warning(self) -> str | None:
        if not self.guessed_years:
            return None
        days = self.guessed_holidays_possible
        years = "、".join(str(y) for y in self.guessed_years)
        return _("term {name}: chinese-calendar has no holidays for {years} and no holiday file covers it; {n} day(s) {first}~{last} are "
                 "guessed as plain weekdays (Mon-Fri work, no holidays, no 调休). Add calendar.holiday_file with that year's State Council "
                 "notice.").format(name=self.name, years=years, n=len(days), first=days[0], last=days[-1])


def term_days(name: str, first: dt.date, last: dt.date, workdays: Workdays, exam_weeks=()) -> TermDays:
    """Every working day from first to last, inclusive."""
    days, guessed, years = [], [], []
    day = first
    while day <= last:
        work, was_guessed = workdays.is_workday(day)
        if was_guessed:
            if day.year not in years:
                years.append(day.year)
            if work:
                guessed.append(day)
        if work:
            days.append(day)
        day += dt.timedelta(days=1)
    return TermDays(name, first, last, tuple(days), tuple(years), tuple(guessed), tuple(exam_weeks))


def weekday_zh(day: dt.date) -> str:
    """周一 … 周日."""
    return "周" + WEEKDAY_ZH[day.weekday()]
