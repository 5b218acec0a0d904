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


def test_a_calendar_assembled_from_events_written_once_is_what_icalendar_writes_of_it(tmp_path):
    """`ics_bytes` folds each event once and writes it into every file that holds it: the bytes are icalendar's
    own for the whole calendar (parsed back and written again), a reminder and a cancelled visit included."""
    from icalendar import Calendar

    problem, visits = _schedule(tmp_path)
    made: dict = {}
    for remind in (None, parse_reminder("2h")):
        data = ics_bytes(problem, visits, visits.visits[1:], "x", cancelled=visits.visits[:1], remind=remind, made=made)
        assert Calendar.from_ical(data).to_ical() == data
        assert data.count(b"BEGIN:VEVENT") == len(visits.visits) and data.count(b"BEGIN:VALARM") == (0 if remind is None else 5)
        made.clear()


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
                                       "--workers", "1", "--seed", "0", "--remind", "2h"])
    assert result.exit_code == 0, result.output
    assert (out / "ics" / "office.ics").exists() and (out / "visits.xlsx").exists()
    assert "张三" in result.output
    # The seconds of each phase, as `assign solve` states its own: the template's words, each figure a number.
    from assign.locale import _

    template = _("Time: {loading} {load} s, first schedules {first} s, models {build} s, improvement {improve} s (time limit {limit} s), "
                 "audit {audit} s, writing {write} s.")
    number = r"(\d+(?:\.\d+)?)"
    pattern = re.escape(template).replace(re.escape("{loading}"), re.escape(_("loading")))
    for name in ("load", "first", "build", "improve", "limit", "audit", "write"):
        pattern = pattern.replace(re.escape("{" + name + "}"), number)
    timing = re.search(pattern, result.output)
    assert timing, result.output
    assert float(timing.group(5)) == 10  # the fixture's calendar.time_limit bounds the improvement
    from icalendar import Calendar

    for path in (out / "ics").rglob("*.ics"):  # --remind reaches every calendar: a DISPLAY alarm two hours before each visit
        events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert events and all([a.decoded("TRIGGER") for a in e.walk("VALARM")] == [-dt.timedelta(hours=2)] for e in events)


def test_cli_calendar_infeasible_exits_3_and_names_rule(tmp_path):
    scenario = write_tiny(tmp_path, {"visits_per_term": {"min": 40}})
    from calendar_fixtures import tiny_plan

    from assign.load import load_scenario

    plan = tmp_path / "plan.json"
    plan.write_text(tiny_plan(load_scenario(scenario)).model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(plan), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert "[visits_per_term]" in result.output


def test_re_exporting_after_a_pair_left_the_plan_cancels_its_visits_and_leaves_no_stale_file(tmp_path):
    from calendar_fixtures import tiny_plan

    from assign.export.manifest import read_manifest
    from assign.load import load_scenario

    scenario = write_tiny(tmp_path, RULES)
    problem = load_scenario(scenario)
    plans = {}
    for name, pairs in (("all", [("R1", "S1"), ("R1", "S2"), ("R2", "S1")]), ("r2-left", [("R1", "S1"), ("R1", "S2")])):
        plans[name] = tmp_path / f"{name}.json"
        plans[name].write_text(tiny_plan(problem, pairs).model_dump_json(), encoding="utf-8")
    out = tmp_path / "cal"

    def export(plan):
        result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(plan), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
        return {e["uid"]: e for e in read_ics(out / "ics" / "office.ics")}

    before = export(plans["all"])
    assert {e["sequence"] for e in before.values()} == {0} and {e["status"] for e in before.values()} == {"CONFIRMED"}
    (out / "ics" / "schools" / "说明.txt").write_text("the office's note", encoding="utf-8")
    after = export(plans["r2-left"])
    assert set(after) == set(before)  # every earlier event is still there: updated, or cancelled
    for uid, event in after.items():
        if event["researcher"] == "R2":  # the pair that left: cancelled, a higher SEQUENCE
            assert event["status"] == "CANCELLED" and event["sequence"] == 1
        else:  # the rest: the same days keep their SEQUENCE, other days raise it
            assert event["status"] == "CONFIRMED"
            assert event["sequence"] == int((event["first"], event["last"]) != (before[uid]["first"], before[uid]["last"]))
    r2 = next((out / "ics" / "researchers").glob("R2-*.ics"))
    assert {e["status"] for e in read_ics(r2)} == {"CANCELLED"}  # the researcher's own phone drops them too
    assert (out / "ics" / "schools" / "说明.txt").read_text(encoding="utf-8") == "the office's note"
    listed = {f.path for f in read_manifest(out, "calendar").files}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == listed | {"manifest.json", "ics/schools/说明.txt"}  # nothing stale, nothing unlisted but the note
    again = export(plans["r2-left"])
    assert again == after  # a third export of the same plan changes no event: the cancelled stay cancelled, nothing rises


def test_against_the_previous_export_a_moved_visit_rises_once_and_a_returning_one_rises_above_its_cancellation():
    from assign.calendar.revision import against_previous
    from assign.calendar.visits import Visit, VisitPlan

    def visit(pair, number, day, sequence=0):
        return Visit(researcher_id=pair[0], school_id=pair[1], number=number, days=(dt.date(2026, 9, day),), sequence=sequence)

    def plan(visits, cancelled=()):
        return VisitPlan(scenario="s", term="2026秋", first=dt.date(2026, 9, 1), last=dt.date(2026, 9, 30), status="OPTIMAL",
                         visits=visits, cancelled=list(cancelled))

    a, b, c = ("R1", "S1"), ("R1", "S2"), ("R2", "S1")
    previous = plan([visit(a, 1, 8, 2), visit(b, 1, 9), visit(c, 1, 10)], cancelled=[visit(c, 2, 24, 1)])
    now = plan([visit(a, 1, 8), visit(b, 1, 16), visit(c, 2, 24)])  # a stays, b moves, c's first goes, c's second comes back
    revised, revision = against_previous(now, previous)
    assert {(v.researcher_id, v.school_id, v.number): v.sequence for v in revised.visits} == {(*a, 1): 2, (*b, 1): 1, (*c, 2): 2}
    assert [(v.school_id, v.number, v.sequence) for v in revised.cancelled] == [("S1", 1, 1)]
    assert (revision.unchanged, revision.moved, revision.added, revision.cancelled) == (1, 1, 1, 1)
    assert against_previous(revised, previous)[0] == revised  # comparing again with the same export raises nothing twice


def test_a_researcher_gone_from_the_tables_has_their_visits_cancelled_in_the_office_calendar_under_their_id(tmp_path):
    from calendar_fixtures import tiny_plan

    from assign.calendar.revision import against_previous
    from assign.export.term_files import previous_export, write_term_files
    from assign.load import load_scenario

    problem, plan = load_tiny(tmp_path, RULES)
    out = tmp_path / "cal"
    write_term_files(problem, schedule_term(problem, plan, "2026秋", workers=1, seed=0)[0], out, "t")
    had = {e["uid"] for e in read_ics(out / "ics" / "office.ics") if e["researcher"] == "R2"}
    (tmp_path / "researchers.csv").write_text("id,name,subject,stages\nR1,张三,数学,小学\n", encoding="utf-8")  # 李四 left the office
    left = load_scenario(tmp_path / "scenario.yaml")
    visits, _ = against_previous(schedule_term(left, tiny_plan(left, [("R1", "S1"), ("R1", "S2")]), "2026秋", workers=1, seed=0)[0],
                                 previous_export(out, "2026秋"))
    write_term_files(left, visits, out, "t")
    office = read_ics(out / "ics" / "office.ics")
    assert had and {e["uid"] for e in office if e["researcher"] == "R2"} == had
    assert {(e["status"], e["sequence"], e["summary"]) for e in office if e["researcher"] == "R2"} == {("CANCELLED", 1, "R2 → 河口镇第一小学")}
    assert not list((out / "ics" / "researchers").glob("R2-李四.ics"))  # the stale file under the old name is gone
