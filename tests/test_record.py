"""The visit record (联系工作记录表) through the command line: a template filled by this script (visits done,
moved, missed, one added by hand) imports, and `progress` and `summary` give the counts a hand count of the
same rows gives; a malformed record is named by file, sheet, row and column, and nothing already imported is
lost; a newer copy of a file updates its rows; two files reporting one visit otherwise are a conflict, the
earlier kept until resolved. The tiny calendar fixture: R1 (张三) at S1 and S2, R2 (李四) at S1, a six-week term.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import openpyxl
import pytest
from calendar_fixtures import load_tiny, write_tiny
from click.testing import CliRunner

from assign.calendar.visits import VisitPlan
from assign.cli import main
from assign.locale import _, ngettext

RULES = {"visits_per_term": {"min": 2}, "days_per_visit": {"days": 1}, "min_gap_days": {"days": 14}, "school_daily_cap": {"max": 1},
         "days_on_site_per_year": {"days": 3}, "backbone_teachers": {"teachers": 2}}
TERM = "2026秋"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def county(tmp_path):
    """The tiny scenario, its hand plan as plan.json, the term's calendar and the record forms written by the CLI."""
    problem, plan = load_tiny(tmp_path, RULES)
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    scenario, cal = tmp_path / "scenario.yaml", tmp_path / "cal"
    result = run("record", "template", scenario, "--term", TERM, "--calendar", cal, "--plan", tmp_path / "plan.json")
    assert result.exit_code == 0, result.output
    visits = VisitPlan.read(cal / "visits.json")
    assert visits.status == "OPTIMAL" and visits.findings == []  # scheduled here, and audited clean by every rule
    return scenario, cal, visits


def form(cal, rid):
    return next((cal / "联系工作记录表").glob(f"{rid}-*.xlsx"))


def rows_of(path):
    """Row number → (researcher name, school name, planned day) of the pre-filled rows."""
    ws = openpyxl.load_workbook(path)["联系工作记录"]
    return {r: (ws.cell(r, 2).value, ws.cell(r, 3).value, ws.cell(r, 4).value.date()) for r in range(4, ws.max_row + 1)
            if isinstance(ws.cell(r, 4).value, dt.datetime)}


def fill(path, target, cells):
    """Write `cells` ({(row, header): value}) into a copy of a form."""
    wb = openpyxl.load_workbook(path)
    ws = wb["联系工作记录"]
    column = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    for (row, header), value in cells.items():
        ws.cell(row, column[header], value)
    wb.save(target)
    return target


def free_day(visits, rid, after):
    """A working day after `after` on which `rid` has no visit planned: where a moved visit went."""
    busy = {d for v in visits.visits if v.researcher_id == rid for d in v.days}
    day = after + dt.timedelta(days=1)
    while day.weekday() >= 5 or day in busy or dt.date(2026, 10, 1) <= day <= dt.date(2026, 10, 8):
        day += dt.timedelta(days=1)
    return day


def filled_forms(tmp_path, cal, visits):
    """R1: first visit done (3 lessons, 听课、评课, two teachers), second moved (2 lessons, 校本教研, one teacher again and
    a new one), third missed, fourth left blank, one visit added by hand; R2: first done with a lecture. Returns the two
    files and the hand count of what they say."""
    r1, r2 = rows_of(form(cal, "R1")), rows_of(form(cal, "R2"))
    first, second, third = sorted(r1)[:3]
    moved_to = free_day(visits, "R1", r1[second][2])
    spare = max(r1) + 1
    extra_day = free_day(visits, "R1", moved_to)
    f1 = fill(form(cal, "R1"), tmp_path / "张三.xlsx", {
        (first, "是否完成"): "是", (first, "听课节数"): 3, (first, "开展活动"): "听课、评课", (first, "指导骨干教师"): "王老师、赵老师",
        (second, "是否完成"): "是", (second, "实际日期"): dt.datetime.combine(moved_to, dt.time()), (second, "听课节数"): "2",
        (second, "开展活动"): "校本教研", (second, "指导骨干教师"): "王老师；孙老师",
        (third, "是否完成"): "否", (third, "备注"): "学校运动会",
        (spare, "教研员"): "张三", (spare, "联系学校"): "石门乡中心小学", (spare, "是否完成"): "是", (spare, "实际日期"): extra_day.isoformat(),
        (spare, "开展活动"): "研究课/示范课",
    })
    r2_first = sorted(r2)[0]
    f2 = fill(form(cal, "R2"), tmp_path / "李四.xlsx", {(r2_first, "是否完成"): "yes", (r2_first, "听课节数"): 1, (r2_first, "开展活动"): "专题讲座"})
    days_r1 = {r1[first][2], moved_to, extra_day}
    hand = {
        "R1": {"visits": 3, "days_on_site": len(days_r1), "lessons": 5, "lectures": 0, "research_activities": 1, "demo_lessons": 1,
               "backbone_teachers": 3},
        "R2": {"visits": 1, "days_on_site": 1, "lessons": 1, "lectures": 1, "research_activities": 0, "demo_lessons": 0, "backbone_teachers": 0},
    }
    return f1, f2, hand, {"missed": 1, "moved": 1, "extra": 1}


def test_a_filled_template_imports_and_progress_and_summary_count_as_a_hand_count(tmp_path, county):
    scenario, cal, visits = county
    f1, f2, hand, kinds = filled_forms(tmp_path, cal, visits)
    result = run("record", "import", f1, f2, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0, result.output
    book = json.loads((cal / "records.json").read_text(encoding="utf-8"))
    assert len(book["records"]) == 5                       # R1: done, moved, missed, added; R2: done (blank rows are no record)
    result = run("progress", scenario, "--term", TERM, "--calendar", cal, "--as-of", "2026-10-16", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    for rid, counts in hand.items():
        got = {r["measure"]: r["actual"] for r in rows if r["level"] == "researcher" and r["researcher_id"] == rid}
        assert {m: got[m] for m in counts} == counts, rid
    office = {r["measure"]: r for r in rows if r["level"] == "office"}
    assert office["lessons"]["actual"] == 6 and office["visits"]["planned"] == len(visits.visits)
    # targets come from the rules' targets(): 2 visits per pair, 3 days a year, 2 backbone teachers each
    r1 = {r["measure"]: r for r in rows if r["level"] == "researcher" and r["researcher_id"] == "R1"}
    assert (r1["visits"]["target"], r1["days_on_site"]["target"], r1["backbone_teachers"]["target"]) == (4, 3, 2)
    assert r1["backbone_teachers"]["status"] == "met" and r1["visits"]["status"] == "behind" and r1["visits"]["behind"] == 1

    result = run("summary", scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(cal / "学期总结.xlsx")
    ws = wb["按教研员"]
    header = [c.value for c in ws[2]]
    by_name = {row[1]: dict(zip(header, row)) for row in ws.iter_rows(min_row=3, values_only=True) if row[1]}
    zhang = by_name["张三"]
    assert (zhang["完成到校"], zhang["其中改期"], zhang["未完成"], zhang["计划外"]) == (3, kinds["moved"], kinds["missed"], kinds["extra"])
    assert (zhang["到校天数"], zhang["听课节数"], zhang["指导骨干教师（人）"]) == (hand["R1"]["days_on_site"], 5, 3)
    assert zhang["未填报"] == 1 and by_name["李四"]["专题讲座"] == 1
    assert by_name[_("office total")]["听课节数"] == 6
    schools = wb["按学校"]
    school_rows = [row for row in schools.iter_rows(min_row=3, values_only=True) if row[1]]
    assert school_rows[-1][1] == _("office total") and school_rows[-1][header.index("完成到校")] == 4
    assert sum(row[header.index("完成到校")] for row in school_rows[:-1]) == 4
    assert "考核统计表" in wb.sheetnames and (cal / "学期总结.md").read_text(encoding="utf-8").count("张三") >= 2


MALFORMED = [
    # (header, value, what the message names)
    ("联系学校", "不存在的学校", "不存在的学校"),             # a school the scenario does not have
    ("实际日期", "2027-03-01", "2027-03-01"),                  # a day after the term
    ("听课节数", "三节", "三节"),                              # text in the lessons column
    ("是否完成", "完成了", "完成了"),                          # neither 是 nor 否
    ("开展活动", "听课、打球", "打球"),                        # an activity nobody counts
    ("教研员", "王五", "王五"),                                # a researcher the scenario does not have
]


@pytest.mark.parametrize(("header", "value", "named"), MALFORMED)
def test_a_malformed_record_is_named_by_file_sheet_row_and_column_and_nothing_imported_is_lost(tmp_path, county, header, value, named):
    scenario, cal, visits = county
    f1, f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    assert run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    kept = (cal / "records.json").read_bytes()
    row = sorted(rows_of(form(cal, "R2")))[0]
    bad = fill(f2, tmp_path / "坏.xlsx", {(row, "是否完成"): "是", (row, header): value})
    result = run("record", "import", f2, bad, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 1
    message = result.output
    assert "坏.xlsx" in message and "联系工作记录" in message and f"第{row}行" in message and f"列 {header}" in message and named in message
    assert "Traceback" not in message
    assert (cal / "records.json").read_bytes() == kept     # neither file was taken, and the earlier import is whole


def test_every_bad_cell_of_every_file_is_listed_at_once(tmp_path, county):
    scenario, cal, visits = county
    f1, f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    row1, row2 = sorted(rows_of(form(cal, "R1")))[0], sorted(rows_of(form(cal, "R2")))[0]
    bad1 = fill(f1, tmp_path / "坏1.xlsx", {(row1, "听课节数"): "三节", (row1, "实际日期"): "2026-12-31"})
    bad2 = fill(f2, tmp_path / "坏2.xlsx", {(row2, "联系学校"): "不存在的学校"})
    result = run("record", "import", bad1, bad2, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 1
    assert ngettext("{n} problem in the input:", "{n} problems in the input:", 3).format(n=3) in result.output
    assert all(value in result.output for value in ("三节", "2026-12-31", "不存在的学校"))
    assert not (cal / "records.json").exists()


def test_a_newer_copy_of_a_file_updates_its_rows_and_an_older_one_is_not_taken(tmp_path, county):
    scenario, cal, visits = county
    f1, _f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    first = sorted(rows_of(form(cal, "R1")))[0]
    old = tmp_path / "old.xlsx"
    shutil.copy2(f1, old)
    assert run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    fill(f1, f1, {(first, "听课节数"): 6})
    stamp = os.stat(f1).st_mtime + 60
    os.utime(f1, (stamp, stamp))
    assert run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    lessons = {r["key"]: r["lessons"] for r in json.loads((cal / "records.json").read_text(encoding="utf-8"))["records"]}
    assert sorted(lessons.values()) == [0, 0, 2, 6]        # the first visit's 3 became 6; nothing was dropped
    # the same file again, but an older copy: its rows are not taken
    os.replace(old, f1)
    os.utime(f1, (stamp - 3600, stamp - 3600))
    result = run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0 and str(f1) in result.output
    again = {r["key"]: r["lessons"] for r in json.loads((cal / "records.json").read_text(encoding="utf-8"))["records"]}
    assert again == lessons


def test_two_files_reporting_a_visit_otherwise_are_a_conflict_kept_until_resolved(tmp_path, county):
    scenario, cal, visits = county
    f1, _f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    first = sorted(rows_of(form(cal, "R1")))[0]
    office = fill(f1, tmp_path / "教研室汇总.xlsx", {(first, "听课节数"): 4})  # the office copied the sheet and typed another number
    assert run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    result = run("record", "import", office, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0
    book = json.loads((cal / "records.json").read_text(encoding="utf-8"))
    assert len(book["conflicts"]) == 1 and "教研室汇总.xlsx" in result.output and "张三.xlsx" in result.output
    conflict = book["conflicts"][0]
    assert (conflict["kept"]["lessons"], conflict["other"]["lessons"]) == (3, 4)
    assert sum(r["lessons"] for r in book["records"]) == 5  # the earlier record still counts
    # the office corrects its copy: the two agree, and the conflict is gone
    fill(office, office, {(first, "听课节数"): 3})
    result = run("record", "import", office, scenario, "--term", TERM, "--calendar", cal)
    book = json.loads((cal / "records.json").read_text(encoding="utf-8"))
    assert book["conflicts"] == [] and len(book["records"]) == 4
    assert _("{added} record(s) added, {updated} updated, {unchanged} unchanged; {blank} row(s) not filled in yet; {conflicts} new conflict(s), "
             "{resolved} resolved; {total} record(s) kept").format(added=0, updated=0, unchanged=4, blank=1, conflicts=0, resolved=1,
                                                              total=4) in result.output


def test_an_office_sheet_with_title_rows_blank_rows_moved_columns_and_codes_reads(tmp_path, county):
    scenario, cal, visits = county
    v = sorted(visits.visits, key=lambda v: v.first)[0]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "十月"
    ws.append(["某县教研室联系工作记录（十月）"])
    ws.append([])
    ws.append(["备注", "听课节数", "是否完成", "学校代码", "工号", "计划日期", "开展活动"])
    ws.append([])
    ws.append(["", 2, "√", v.school_id, v.researcher_id, v.first.isoformat(), "听课/评课"])
    ws.append(["填表人：某某"])
    wb.save(tmp_path / "office.xlsx")
    result = run("record", "import", tmp_path / "office.xlsx", scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0, result.output
    (record,) = json.loads((cal / "records.json").read_text(encoding="utf-8"))["records"]
    assert record["key"] == v.uid(TERM) and record["lessons"] == 2 and record["activities"] == ["听课", "评课"]
    assert record["day"] == v.first.isoformat() and record["sheet"] == "十月" and record["row"] == 5


def test_a_record_keeps_its_visit_after_a_replan_moved_it(tmp_path, county):
    """The hidden 编号 sheet ties a row to its visit's UID: the row still names the old planned date."""
    scenario, cal, visits = county
    f1, _f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    first_row = sorted(rows_of(form(cal, "R1")))[0]
    _name, _school, planned = rows_of(form(cal, "R1"))[first_row]
    moved = [v.model_copy(update={"days": (free_day(visits, v.researcher_id, v.last),)}) if v.first == planned and v.researcher_id == "R1"
             else v for v in visits.visits]
    (cal / "visits.json").write_text(visits.model_copy(update={"visits": moved}).model_dump_json(), encoding="utf-8")
    assert run("record", "import", f1, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    keys = {r["key"] for r in json.loads((cal / "records.json").read_text(encoding="utf-8"))["records"]}
    uid = next(v.uid(TERM) for v in visits.visits if v.first == planned and v.researcher_id == "R1")
    assert uid in keys


def test_a_visit_to_a_school_that_is_not_a_contact_school_has_its_own_line_so_the_schools_add_up(tmp_path, county):
    """李四 contacts 河口镇第一小学 only; a visit by hand to 石门乡中心小学 counts on his line and shows where it went."""
    scenario, cal, visits = county
    r2 = rows_of(form(cal, "R2"))
    first, spare = sorted(r2)[0], max(r2) + 1
    day = free_day(visits, "R2", r2[first][2])
    f2 = fill(form(cal, "R2"), tmp_path / "李四.xlsx", {
        (first, "是否完成"): "是", (spare, "教研员"): "李四", (spare, "联系学校"): "石门乡中心小学", (spare, "是否完成"): "是",
        (spare, "实际日期"): day.isoformat(), (spare, "听课节数"): 2})
    result = run("record", "import", f2, scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 0 and "石门乡中心小学" in result.output  # the import warns: not his contact school
    result = run("progress", scenario, "--term", TERM, "--calendar", cal, "--as-of", "2026-10-30", "--format", "json")
    rows = [r for r in json.loads(result.output)["rows"] if r["researcher_id"] == "R2" and r["measure"] in ("visits", "lessons")]
    line = {(r["level"], r["school_id"], r["measure"]): r["actual"] for r in rows}
    assert line["researcher", "", "visits"] == 2 and line["pair", "S1", "visits"] == 1
    assert (line["elsewhere", "S2", "visits"], line["elsewhere", "S2", "lessons"]) == (1, 2)
    table = run("progress", scenario, "--term", TERM, "--calendar", cal, "--as-of", "2026-10-30").output
    assert _("{school} (not a contact school)").format(school="石门乡中心小学") in table


def test_progress_without_a_record_shows_the_plan_and_says_nothing_is_imported(tmp_path, county):
    scenario, cal, visits = county
    result = CliRunner().invoke(main, ["progress", str(scenario), "--term", TERM, "--calendar", str(cal), "--as-of", "2026-10-16"])
    assert result.exit_code == 0
    assert "records.json" in result.output and "张三" in result.output


def test_template_keeps_forms_already_there(tmp_path, county):
    scenario, cal, _visits = county
    result = run("record", "template", scenario, "--term", TERM, "--calendar", cal)
    assert result.exit_code == 1 and "--force" in result.output


def test_rules_targets_count_per_term_per_year_and_part_time(tmp_path):
    from assign.calendar.progress import collect_targets
    from assign.calendar.visit_solve import parse_rules

    path = write_tiny(tmp_path, {"visits_per_term": {"min": 3}, "days_on_site_per_year": {"days": 10, "part_time_share": 0.5},
                                 "days_per_week": {"average_at_least": 1}, "backbone_teachers": {"teachers": 2, "per_school": True}})
    text = (tmp_path / "researchers.csv").read_text(encoding="utf-8")
    text = text.replace("id,name,subject,stages,unavailable", "id,name,subject,stages,unavailable,kind")
    text = text.replace("R1,张三,数学,小学,\n", "R1,张三,数学,小学,,专职\n").replace("R2,李四,语文,小学,\n", "R2,李四,语文,小学,,兼职\n")
    (tmp_path / "researchers.csv").write_text(text, encoding="utf-8")
    from assign.load import load_scenario

    problem = load_scenario(path)
    targets = collect_targets(problem, [("R1", "S1"), ("R1", "S2"), ("R2", "S1")], parse_rules(problem))
    got = sorted((t.rule, t.measure, t.researcher_id, t.school_id or "", t.amount, t.per) for t in targets)
    assert ("visits_per_term", "visits", "R1", "S2", 3, "term") in got
    assert ("days_on_site_per_year", "days_on_site", "R2", "", 5, "year") in got      # a part-timer: half of 10
    assert ("days_on_site_per_year", "days_on_site", "R1", "", 10, "year") in got
    assert ("days_per_week", "days_on_site", "R1", "", 6, "year") in got               # 1 a week over 26 working days → ⌈5.2⌉
    assert ("backbone_teachers", "backbone_teachers", "R1", "S2", 2, "year") in got and len(got) == 3 + 2 + 2 + 3


def test_the_report_shows_the_progress_of_an_imported_record(tmp_path, county):
    from assign.analysis.report_inputs import ReportInputs
    from assign.analysis.term_record import recorded_progress
    from assign.export.report import render_report
    from assign.load import load_scenario
    from assign.plan import Plan

    scenario, cal, visits = county
    assert recorded_progress(scenario, TERM, cal) is None             # a calendar, but no record imported yet: no view
    f1, f2, _hand, _kinds = filled_forms(tmp_path, cal, visits)
    assert run("record", "import", f1, f2, scenario, "--term", TERM, "--calendar", cal).exit_code == 0
    progress = recorded_progress(scenario, TERM, cal, dt.date(2026, 10, 16))
    assert progress is not None and progress.records == 5
    html = render_report(ReportInputs(load_scenario(scenario), Plan.read(tmp_path / "plan.json"), visits, progress=progress))
    view = html[html.index('<section id="progress">'):]
    assert "张三" in view and "李四" in view and _("behind by {n}").format(n=1) in view


BAD_RECORDS_KEY = [
    # (calendar.records, what the message names)
    ({"2027春": ["张三.xlsx"]}, "2027春"),          # a term calendar.terms lacks
    ({"2026秋": ["不在这里.xlsx"]}, "不在这里.xlsx"),  # a file that is not there
]


@pytest.mark.parametrize(("records", "named"), BAD_RECORDS_KEY)
def test_a_bad_calendar_records_key_is_an_error_naming_it(tmp_path, records, named):
    import yaml

    from assign.errors import InputError
    from assign.load import load_scenario

    path = write_tiny(tmp_path, RULES)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["calendar"]["records"] = records
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=named):
        load_scenario(path)


def test_names_in_the_form_are_text_cells_and_read_back_as_written(tmp_path):
    path = write_tiny(tmp_path, RULES)
    csv_text = (tmp_path / "researchers.csv").read_text(encoding="utf-8").replace("张三", '"=HYPERLINK(""http://x"",""点我"")"')
    (tmp_path / "researchers.csv").write_text(csv_text, encoding="utf-8")
    from calendar_fixtures import tiny_plan

    from assign.load import load_scenario

    plan = tiny_plan(load_scenario(path))
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    cal = tmp_path / "cal"
    assert run("record", "template", path, "--term", TERM, "--calendar", cal, "--plan", tmp_path / "plan.json").exit_code == 0
    ws = openpyxl.load_workbook(form(cal, "R1"))["联系工作记录"]
    cell = ws.cell(4, 2)
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"
    row = sorted(rows_of(form(cal, "R1")))[0]
    filled = fill(form(cal, "R1"), tmp_path / "r1.xlsx", {(row, "是否完成"): "是"})
    assert run("record", "import", filled, path, "--term", TERM, "--calendar", cal).exit_code == 0
    (record,) = json.loads((cal / "records.json").read_text(encoding="utf-8"))["records"]
    assert record["researcher_id"] == "R1"


def test_a_yearly_target_counts_the_records_of_every_term_of_the_school_year(tmp_path):
    from assign.calendar.progress import progress
    from assign.calendar.records import RecordBook, VisitRecord
    from assign.calendar.visit_solve import load_terms, parse_rules
    from assign.calendar.visits import Visit

    spring = {"name": "2027春", "start": "2027-03-01", "end": "2027-03-26"}
    problem, plan = load_tiny(tmp_path, {"days_on_site_per_year": {"days": 6}, "visits_per_term": {"min": 1}}, terms=[
        {"name": TERM, "start": "2026-09-07", "end": "2026-10-02"}, spring], holidays="none")
    term, year = load_terms(problem, "2027春")
    day = dt.date.fromisoformat

    def made(key, rid, sid, when, term_name):
        return VisitRecord(key=key, researcher_id=rid, school_id=sid, done=True, day=day(when), days=(day(when),), source=term_name)

    spring_visit = Visit(researcher_id="R1", school_id="S1", number=1, days=(day("2027-03-02"),))
    visits = VisitPlan(scenario=problem.name, term="2027春", first=term.first, last=term.last, status="OPTIMAL", visits=[spring_visit])
    books = {
        TERM: RecordBook(scenario=problem.name, term=TERM,
                         records=[made("a", "R1", "S1", "2026-09-08", "f"), made("b", "R1", "S2", "2026-09-15", "f")]),
        "2027春": RecordBook(scenario=problem.name, term="2027春", records=[made(spring_visit.uid("2027春"), "R1", "S1", "2027-03-02", "g")]),
    }
    pairs = [(a.researcher_id, a.school_id) for a in plan.pairs]
    result = progress(problem, pairs, parse_rules(problem), term, year, visits, books, day("2027-03-12"))
    r1 = next(line for line in result.researchers if line.researcher_id == "R1").measures
    assert (r1["days_on_site"].per, r1["days_on_site"].actual, r1["days_on_site"].target) == ("year", 3, 6)   # 2 in autumn + 1 in spring
    assert (r1["visits"].per, r1["visits"].actual, r1["visits"].target) == ("term", 1, 2)                     # the term's only: 1 per pair
    # 30 of the year's 40 working days gone: 6 × 0.75 = 4.5 → 4 due; 3 done
    assert (r1["days_on_site"].due, r1["days_on_site"].status, r1["days_on_site"].behind) == (4, "behind", 1)
    assert result.terms_counted == (TERM, "2027春")
