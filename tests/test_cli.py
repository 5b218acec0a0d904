"""The command line, through click's CliRunner: exit codes, what is printed, what is written."""

from __future__ import annotations

import csv
import io
import re
from itertools import takewhile

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import make_scenario, researcher, school

from assign import locale
from assign.cli import main
from assign.export.roster import HEADERS
from assign.locale import _
from assign.plan import Plan

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}}


def tiny_county(tmp_path):
    """Two researchers, three schools, one best plan.

    R1 (小学数学, at most one school) can only take U1 or V1; R2 (小学初中语文, two schools) needs the
    only rural school V1, so covering all three schools means R1 → U1 and R2 → U2 + V1.
    """
    return make_scenario(
        tmp_path / "tiny",
        [researcher("R1", "张三", subjects="数学", max_schools=1), researcher("R2", "李四", subjects="语文", stages="小学、初中", min_schools=2)],
        [school("U1", "城关小学", area="城区", township="城关街道", priority=2),
         school("U2", "东街中学", stages="初中", area="城区", township="城关街道", dlon=0.02),
         school("V1", "河口村小", area="乡村", township="河口镇", dlon=0.06)],
        POLICIES,
        name="小县测试",
        title="小县教研室首批教研员定点联系学校安排表（2026年9月—2028年8月）",
    )


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def solved(tmp_path):
    """`assign solve tiny/scenario.yaml -o out --workers 1 --seed 0`, run once per test."""
    out = tmp_path / "out"
    result = run("solve", str(tiny_county(tmp_path)), "-o", str(out), "--workers", "1", "--seed", "0")
    return result, out


def test_solve_exits_0_and_prints_the_kpi_block_and_a_clean_audit(solved):
    result, _ = solved
    assert result.exit_code == 0, result.output
    assert "有联系教研员的学校" in result.stdout
    assert "OPTIMAL" in result.stdout
    assert "未发现问题" in result.stdout
    assert "张三" in result.stdout and "城关小学" in result.stdout  # the roster is printed too


def test_solve_writes_the_roster_workbook_with_title_and_chinese_headers(solved):
    result, out = solved
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out / "roster.xlsx").worksheets[0]
    assert sheet["A1"].value == "小县教研室首批教研员定点联系学校安排表（2026年9月—2028年8月）"
    assert [c.value for c in sheet[2]] == ["序号", "教研员", "学科", "学段", "联系学校", "城乡类型", "乡镇", "单程时间(分钟)", "联系周期", "备注"]
    # The table ends at the first blank row: the notes on how good the plan is and the 制表/审核 line follow it.
    rows = list(takewhile(any, ([c.value for c in row] for row in sheet.iter_rows(min_row=3))))
    assert [(r[1], r[4], r[5]) for r in rows] == [("张三", "城关小学", "城区"), ("李四", "东街中学", "城区"), ("李四", "河口村小", "乡村")]
    assert rows[0][9] == "薄弱学校"


def test_solve_writes_a_bom_csv_with_the_ids(solved):
    result, out = solved
    assert result.exit_code == 0, result.output
    assert (out / "roster.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out / "roster.csv")
    assert list(rows[0]) == HEADERS["zh"] + ["工号", "学校代码"]
    assert [(r["工号"], r["学校代码"], r["教研员"], r["联系学校"]) for r in rows] == [
        ("R1", "U1", "张三", "城关小学"), ("R2", "U2", "李四", "东街中学"), ("R2", "V1", "李四", "河口村小")]


def test_solve_writes_markdown_and_a_plan_json_that_reads_back(solved):
    result, out = solved
    assert result.exit_code == 0, result.output
    md = (out / "roster.md").read_text(encoding="utf-8")
    assert md.startswith("# 小县教研室首批教研员定点联系学校安排表")
    assert "| 序号 | 教研员 |" in md and "河口村小" in md and "有联系教研员的学校" in md
    text = (out / "plan.json").read_text(encoding="utf-8")
    plan = Plan.read(out / "plan.json")
    assert plan.model_dump_json(indent=2) == text  # a lossless round trip
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert plan.pair_set() == {("R1", "U1"), ("R2", "U2"), ("R2", "V1")}
    assert {(r["工号"], r["学校代码"]) for r in read_csv(out / "roster.csv")} == plan.pair_set()
    assert plan.solver_settings["workers"] == 1


def test_solve_lang_en_writes_english_headers(tmp_path):
    out = tmp_path / "out"
    result = run("solve", str(tiny_county(tmp_path)), "-o", str(out), "--workers", "1", "--lang", "en", "-q")
    assert result.exit_code == 0, result.output
    assert _("audit: every policy checked the plan on its own; no findings") in result.stdout  # in English, as the run set
    assert list(read_csv(out / "roster.csv")[0]) == HEADERS["en"] + ["researcher_id", "school_id"]


def test_solve_no_write_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("solve", str(tiny_county(tmp_path)), "--no-write", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout
    assert "已写出" not in result.stdout
    assert not (tmp_path / "out").exists()


def test_infeasible_scenario_exits_3_and_says_so(tmp_path):
    # A 高中 researcher in a county of primary schools.
    path = make_scenario(tmp_path / "bad", [researcher("R1", stages="高中")], [school("S1"), school("S2")], POLICIES)
    out = tmp_path / "out"
    result = run("solve", str(path), "-o", str(out), "--workers", "1")
    assert result.exit_code == 3
    assert "没有得到方案" in result.stderr
    assert "INFEASIBLE" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("bad_school", "column", "words"),
    [
        # an area word the tool does not know
        (school("S2", area="市区"), "area", ["schools.csv", "'市区'", "城区/镇区/乡村"]),
        # a stage word the tool does not know
        (school("S2", stages="大学"), "stages", ["schools.csv", "'大学'", "学校类型"]),
        # a priority outside 1-3
        (school("S2", priority=7), "priority", ["schools.csv", "7", "3"]),
    ],
    ids=["area", "stage", "priority"],
)
def test_bad_table_exits_1_naming_file_row_column_and_keeps_the_old_roster(tmp_path, bad_school, column, words):
    path = make_scenario(tmp_path / "bad", [researcher("R1")], [school("S1"), bad_school], POLICIES)
    out = tmp_path / "out"
    out.mkdir()
    (out / "roster.csv").write_text("the roster of last week\n", encoding="utf-8")
    result = run("solve", str(path), "-o", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith(_("error: {message}").format(message=""))
    words += [_("row {row}").format(row=3), _("column {column}").format(column=column)]
    for word in words:
        assert word in result.stderr
    assert (out / "roster.csv").read_text(encoding="utf-8") == "the roster of last week\n"
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv"]


def test_bad_policy_parameter_exits_1_naming_policy_and_key(tmp_path):
    path = make_scenario(tmp_path / "bad", [researcher("R1")], [school("S1")], {"max_travel": {"minutes": -5}})
    result = run("solve", str(path), "--no-write", "--workers", "1")
    assert result.exit_code == 1
    assert "max_travel" in result.stderr and "minutes" in result.stderr


def test_missing_scenario_file_exits_1(tmp_path):
    result = run("solve", str(tmp_path / "nowhere.yaml"), "--no-write")
    assert result.exit_code == 1
    assert "nowhere.yaml" in result.stderr and _("{what} not found").format(what=_("scenario file")) in result.stderr


def test_validate_reports_ok_without_solving(tmp_path):
    result = run("validate", str(tiny_county(tmp_path)))
    assert result.exit_code == 0, result.output
    ok = _("OK: {researchers} researchers, {schools} schools, policies {policies}; travel: {travel}")
    assert result.stdout.startswith(ok.split("{policies}")[0].format(researchers=2, schools=3))
    assert all(_(title) in result.stdout for title in ("学段对口", "联系学校数", "城乡兼顾", "覆盖", "路程"))  # the policies by their titles
    assert "OPTIMAL" not in result.stdout


def test_validate_a_bad_table_exits_1(tmp_path):
    path = make_scenario(tmp_path / "bad", [researcher("R1", kind="临时")], [school("S1")], POLICIES)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "researchers.csv" in result.stderr and _("row {row}").format(row=2) in result.stderr and "临时" in result.stderr


def test_plugins_lists_the_six_built_in_policies():
    result = run("plugins")
    assert result.exit_code == 0, result.output
    for name, title in [("coverage", "覆盖"), ("max_travel", "单程时间上限"), ("school_count", "联系学校数"),
                        ("stage_match", "学段对口"), ("travel", "路程"), ("urban_rural_mix", "城乡兼顾")]:
        line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
        assert title in line
    assert "minutes=90" in result.stdout


def test_plugins_coverage_shows_its_parameters():
    result = run("plugins", "coverage")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("coverage — 覆盖")
    for param in ("priority_first", "max_researchers", "one_per_subject", "diminishing", "priority_weight", "school_weight", "subject_weight"):
        assert param in result.stdout
    # a parameter's description in the user's language (`locale._`: `_` is a throwaway name in this file)
    assert locale._("most researchers per school; the table's max_researchers column overrides") in result.stdout


def test_plugins_unknown_name_exits_1_listing_installed_ones():
    result = run("plugins", "nope")
    assert result.exit_code == 1
    unknown = _("unknown {what} {name}: installed {what_plural} are {known}")
    assert unknown.format(what=_("policy"), name="'nope'", what_plural=_("policies"), known="") in result.stderr
    assert "urban_rural_mix" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["solve", "--help"], ["plugins", "--help"], ["validate", "--help"]], ids=" ".join)
def test_help_works(args):
    result = run(*args)
    assert result.exit_code == 0
    assert locale._("Usage:") in result.stdout


def test_unknown_option_is_a_usage_error():
    result = CliRunner().invoke(main, ["solve", "--frobnicate"])
    assert result.exit_code == 2


def test_solve_without_argument_runs_the_demo_county():
    # Slow (~5 s): the whole embedded demo (46 researchers, 134 schools), one worker.
    result = run("solve", "--workers", "1", "--no-write", "--no-roster", "-q")
    assert result.exit_code == 0, result.output
    assert "OPTIMAL" in result.stdout
    assert "未发现问题" in result.stdout
    assert re.search(r"教研员人数\s+46\n", result.stdout)  # the demo's size, as its docstring states


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        # a term no policy of the scenario defines
        ({"objective": {"mode": "lexicographic", "order": ["coverage.nothing"]}}, ["objective.order", "coverage.nothing"]),
        # a CP-SAT parameter that does not exist
        ({"solver": {"workers": 1, "parameters": {"num_wrokers": 2}}}, ["solver.parameters", "num_wrokers"]),
    ],
)
def test_scenario_mistakes_found_only_at_solve_time_exit_1_with_one_message(tmp_path, keys, words):
    path = make_scenario(tmp_path / "s", [researcher("R1")], [school("S1")], POLICIES, **keys)
    result = run("solve", str(path), "--no-write", "--workers", "1")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr


def test_quiet_prints_the_kpis_but_not_the_roster(tmp_path):
    result = run("solve", str(tiny_county(tmp_path)), "--no-write", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert "有联系教研员的学校" in result.stdout
    assert "城关小学" not in result.stdout


def test_written_files_get_ordinary_permissions_not_private_temp_ones(solved):
    import os
    import stat

    result, out = solved
    assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "roster.csv").stat().st_mode) == 0o666 & ~umask


PLAN_ARGS = {  # where each command takes a plan.json (P) beside a scenario (S)
    "solve --from": lambda s, p: ["solve", s, "--from", p, "--no-write"],
    "calendar --plan": lambda s, p: ["calendar", s, "--term", "2026秋", "--plan", p, "--no-write"],
    "report": lambda s, p: ["report", p, "--scenario", s],
    "report --base": lambda s, p: ["report", s, "--base", p],
    "explain": lambda s, p: ["explain", p, "R1", "--scenario", s],
    "compare": lambda s, p: ["compare", p, s],
    "pareto --plan": lambda s, p: ["pareto", s, "--plan", p],
}


@pytest.mark.parametrize("body", ["{not json", '{"scenario": "小县测试"}'], ids=["not-json", "fields-missing"])
@pytest.mark.parametrize("command", list(PLAN_ARGS))
def test_a_malformed_plan_json_is_one_clear_error_for_every_command(tmp_path, command, body):
    scenario = tiny_county(tmp_path)
    plan = tmp_path / "plan.json"
    plan.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(main, PLAN_ARGS[command](str(scenario), str(plan)))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(plan) in result.stderr and _("not a plan.json written by assign") in result.stderr


def test_progress_lines_go_to_a_terminal_only(monkeypatch, capsys):
    from assign.cli import progress_reporter

    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    report = progress_reporter(False, after=0.0)
    report("solving")
    assert capsys.readouterr().err == ""  # piped: nothing
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    report = progress_reporter(False, after=0.0)
    report("solving")
    assert "… solving" in capsys.readouterr().err
