"""Working days: chinese-calendar's holidays and 调休, the warning for years it does not know, and
holiday files that override it."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from calendar_fixtures import write_tiny

from assign.calendar.visit_solve import load_terms
from assign.calendar.workdays import HolidayFile, Workdays, term_days
from assign.errors import InputError
from assign.load import load_scenario

D = dt.date


def test_package_holidays_and_adjusted_workdays():
    days = set(term_days("t", D(2026, 9, 14), D(2026, 10, 12), Workdays()).days)
    assert D(2026, 10, 1) not in days          # National Day
    assert D(2026, 9, 25) not in days          # Mid-Autumn, a Friday
    assert D(2026, 9, 20) in days              # Sunday, adjusted workday (调休)
    assert D(2026, 10, 10) in days             # Saturday, adjusted workday
    assert D(2026, 9, 19) not in days          # a plain Saturday


def test_year_past_the_package_warns_and_names_the_guessed_dates():
    term = term_days("2026秋", D(2026, 12, 28), D(2027, 1, 8), Workdays())
    assert term.guessed_years == (2027,)
    assert D(2027, 1, 1) in term.days          # guessed: a plain Friday, though it is New Year's Day
    warning = term.warning
    assert warning and "2027" in warning and "2027-01-01~2027-01-08" in warning and "holiday_file" in warning


def test_holiday_file_covers_unknown_year_and_silences_the_warning():
    file = HolidayFile(years=(2027,), holidays=("2027-01-01~2027-01-03",), workdays=())
    term = term_days("2026秋", D(2026, 12, 28), D(2027, 1, 8), Workdays(overrides=(file,)))
    assert term.warning is None
    assert D(2027, 1, 1) not in term.days and D(2027, 1, 4) in term.days


def test_holiday_file_overrides_the_package_day_by_day():
    # a county that works on 2026-10-08 and takes 2026-09-21 off, against the national calendar
    file = HolidayFile(holidays=("2026-09-21",), workdays=("2026-10-08",))
    days = set(term_days("t", D(2026, 9, 14), D(2026, 10, 12), Workdays(overrides=(file,))).days)
    assert D(2026, 9, 21) not in days
    assert D(2026, 10, 8) in days
    assert D(2026, 10, 1) not in days          # what the file does not name still comes from the package


def test_scenario_holiday_file_is_read_relative_to_the_scenario(tmp_path):
    spring = [{"name": "2027春", "start": "2027-03-29", "end": "2027-04-09"}]
    path = write_tiny(tmp_path, {}, terms=spring, holiday_file={"source": "test", "years": [2027], "holidays": ["2027-04-05"]})
    term, _ = load_terms(load_scenario(path), "2027春")
    assert D(2027, 4, 5) not in term.days and term.warning is None


def test_bad_holiday_file_names_the_file_and_key(tmp_path):
    path = write_tiny(tmp_path, {}, holiday_file={"holidays": ["2027-13-01"]})
    with pytest.raises(InputError, match=r"holidays\.yaml.*holidays"):
        load_terms(load_scenario(path), "2026秋")


def test_unknown_term_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="2030秋"):
        load_terms(load_scenario(write_tiny(tmp_path, {})), "2030秋")


def test_holidays_may_name_the_file_directly(tmp_path):
    # FORMATS.md's shorthand `holidays: <file>`: the package, overridden by that file
    spring = [{"name": "2027春", "start": "2027-03-29", "end": "2027-04-09"}]
    path = write_tiny(tmp_path, {}, terms=spring, holiday_file={"years": [2027], "holidays": ["2027-04-05"]})
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["calendar"]["holidays"] = data["calendar"].pop("holiday_file")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    term, _ = load_terms(load_scenario(path), "2027春")
    assert D(2027, 4, 5) not in term.days and term.warning is None


def test_plain_weekdays_when_holidays_none(tmp_path):
    term, _ = load_terms(load_scenario(write_tiny(tmp_path, {}, holidays="none")), "2026秋")
    assert D(2026, 10, 1) in term.days and D(2026, 9, 20) not in term.days
