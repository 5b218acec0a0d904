"""Calendar exports: the .ics files parse back into the same visits, carry TZID Asia/Shanghai with
its VTIMEZONE, keep every UID when a visit moves; the tables and the CLI write atomically."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from calendar_fixtures import load_tiny, write_tiny
from click.testing import CliRunner

from assign.calendar.visit_solve import schedule_term
from assign.cli import main
from assign.export.ics import ics_bytes, parse_reminder, read_ics, write_ics
from assign.export.visit_tables import write_visit_tables

RULES = {"visits_per_term": {"min": 2}, "min_gap_days": {"days": 14}, "research_day": {}, "school_daily_cap": {"max": 1}}


def _schedule(tmp_path):
    problem, plan = load_tiny(tmp_path, RULES)
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.status == "OPTIMAL" and len(visits.visits) == 6
    return problem, visits


def _key(v):
    return (v["researcher"], v["school"], v["first"], v["last"])


def test_ics_parses_back_into_the_same_visits(tmp_path):
    problem, visits = _schedule(tmp_path)
    paths = write_ics(problem, visits, tmp_path / "out")
    office = read_ics(tmp_path / "out" / "office.ics")
    assert sorted(map(_key, office)) == sorted((v.researcher_id, v.school_id, v.first, v.last) for v in visits.visits)
    assert {e["uid"] for e in office} == {v.uid(visits.term) for v in visits.visits}
    assert {e["tzid"] for e in office} == {"Asia/Shanghai"}
    # every researcher's and school's own file holds exactly their visits
    for path in paths[1:]:
        events = read_ics(path)
        owner = path.stem.split("-")[0]
        assert events and all(owner in (e["researcher"], e["school"]) for e in events)
    assert sum(len(read_ics(p)) for p in paths if p.parent.name == "researchers") == len(visits.visits)


def test_ics_has_vtimezone_and_chinese_summary(tmp_path):
    problem, visits = _schedule(tmp_path)
    text = ics_bytes(problem, visits, visits.visits, "x").decode("utf-8")
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Shanghai" in text
    assert "DTSTART;TZID=Asia/Shanghai:" in text
    assert "张三 → 河口镇第一小学（数学）" in text.replace("\r\n ", "")


def test_office_and_school_calendars_say_who_goes_where_and_a_researchers_own_says_where(tmp_path):
    problem, visits = _schedule(tmp_path)
    write_ics(problem, visits, tmp_path / "out")
    office = {e["summary"] for e in read_ics(tmp_path / "out" / "office.ics")}
    school = {e["summary"] for e in read_ics(next((tmp_path / "out" / "schools").glob("S1-*.ics")))}
    own = {e["summary"] for e in read_ics(next((tmp_path / "out" / "researchers").glob("R1-*.ics")))}
    assert office == {"张三 → 河口镇第一小学（数学）", "张三 → 石门乡中心小学（数学）", "李四 → 河口镇第一小学（语文）"}
    assert school == {"张三 → 河口镇第一小学（数学）", "李四 → 河口镇第一小学（语文）"}
    assert own == {"联系学校视导：河口镇第一小学（数学）", "联系学校视导：石门乡中心小学（数学）"}


def test_a_joint_inspection_day_names_its_team_in_every_calendar(tmp_path):
    problem, plan = load_tiny(tmp_path, {"visits_per_term": {"min": 1}, "joint_inspection": {"schools": ["S1"], "min_team": 2}})
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.solved and visits.findings == [] and len(visits.inspections) == 1
    day = visits.inspections[0].day
    write_ics(problem, visits, tmp_path / "out")
    office = {e["summary"] for e in read_ics(tmp_path / "out" / "office.ics") if e["school"] == "S1" and e["first"] == day}
    own = {e["summary"] for e in read_ics(next((tmp_path / "out" / "researchers").glob("R2-*.ics"))) if e["first"] == day}
    team = "、".join(problem.researcher[r].name for r in visits.inspections[0].researcher_ids)
    assert office == {f"张三 → 河口镇第一小学（数学；联合视导：{team}）", f"李四 → 河口镇第一小学（语文；联合视导：{team}）"}
    assert own == {f"联合视导：河口镇第一小学（语文；视导组：{team}）"} and set(team.split("、")) == {"张三", "李四"}


def test_a_reminder_is_a_display_alarm_that_long_before_every_visit(tmp_path):
    from icalendar import Calendar

    problem, visits = _schedule(tmp_path)
    events = Calendar.from_ical(ics_bytes(problem, visits, visits.visits, "x", remind=parse_reminder("1d"))).walk("VEVENT")
    alarms = [(e, a) for e in events for a in e.walk("VALARM")]
    assert len(alarms) == len(events) == len(visits.visits)
    for event, alarm in alarms:
        assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == -dt.timedelta(days=1)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    plain = Calendar.from_ical(ics_bytes(problem, visits, visits.visits, "x")).walk("VALARM")
    assert plain == []


@pytest.mark.parametrize("text, offset", [
    ("1d", dt.timedelta(days=1)),      # a day before
    ("2h", dt.timedelta(hours=2)),     # two hours before
    ("30m", dt.timedelta(minutes=30)),  # half an hour before
    ("PT90M", dt.timedelta(minutes=90)),  # ISO 8601, as calendar apps write it
])
def test_reminder_times_read_as_written(text, offset):
    assert parse_reminder(text) == offset


@pytest.mark.parametrize("text", [
    "",        # nothing
    "1w",      # weeks are no unit here
    "1.5h",    # no fractions
    "0m",      # no reminder at the start itself
    "-1d",     # after the start is no reminder
    "31d",     # beyond thirty days
    "tomorrow",  # words
])
def test_a_bad_reminder_time_is_refused_with_the_value_named(tmp_path, text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_reminder(text)
    result = CliRunner().invoke(main, ["calendar", "--term", "2026秋", "--remind", text, "--no-write"])
    assert result.exit_code == 2 and repr(text) in result.output and "Traceback" not in result.output


def test_moving_one_visit_keeps_every_uid(tmp_path):
    problem, visits = _schedule(tmp_path)
    before = {e["uid"]: e for e in read_ics(write_ics(problem, visits, tmp_path / "a")[0])}
    moved = visits.visits[0]
    new_day = next(d for d in (moved.first + dt.timedelta(days=k) for k in range(1, 30)) if d.weekday() < 5)
    changed = visits.model_copy(update={"visits": [moved.model_copy(update={"days": (new_day,)})] + visits.visits[1:]})
    after = {e["uid"]: e for e in read_ics(write_ics(problem, changed, tmp_path / "b")[0])}
    assert set(after) == set(before)
    uid = moved.uid(visits.term)
    assert after[uid]["first"] == new_day and before[uid]["first"] == moved.first
    assert all(after[u] == before[u] for u in before if u != uid)


def test_tables_write_csv_md_xlsx_json(tmp_path):
    import openpyxl

    problem, visits = _schedule(tmp_path)
    paths = write_visit_tables(problem, visits, tmp_path / "out", "测试县教研室2026秋教研员联系学校视导安排")
    assert [p.name for p in paths] == ["visits.xlsx", "visits.csv", "visits.md", "visits.json"]
    rows = list(csv.DictReader((tmp_path / "out" / "visits.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(visits.visits) and rows[0]["UID"].endswith("@assign")
    book = openpyxl.load_workbook(paths[0])
    assert {"2026年9月", "2026年10月", "张三-R1", "李四-R2"} <= set(book.sheetnames)
    assert "张三" in paths[2].read_text(encoding="utf-8")
    assert not list((tmp_path / "out").glob("*.part"))


def test_cli_calendar_writes_files_and_exits_zero(tmp_path):
    scenario = write_tiny(tmp_path, RULES)
    plan = tmp_path / "plan.json"
    from calendar_fixtures import tiny_plan

    from assign.load import load_scenario

    plan.write_text(tiny_plan(load_scenario(scenario)).model_dump_json(), encoding="utf-8")
    out = tmp_path / "cal"
    result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(plan), "-o", str(out),
                                       "--workers", "1", "--seed", "0"])
    assert result.exit_code == 0, result.output
    assert (out / "ics" / "office.ics").exists() and (out / "visits.xlsx").exists()
    assert "张三" in result.output


def test_cli_calendar_infeasible_exits_3_and_names_rule(tmp_path):
    scenario = write_tiny(tmp_path, {"visits_per_term": {"min": 40}})
    from calendar_fixtures import tiny_plan

    from assign.load import load_scenario

    plan = tmp_path / "plan.json"
    plan.write_text(tiny_plan(load_scenario(scenario)).model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(plan), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert "[visits_per_term]" in result.output
