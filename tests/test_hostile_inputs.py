"""Nothing a user hands in crashes a command: every bad or hostile input (absurd numbers, huge cells,
folders where files belong, odd encodings, impossible dates, YAML bombs, unknown names) is one clear
message naming the file and the row, column or key, exit code 1, and nothing written.

Each case runs the command line as an office would (click's CliRunner, exceptions not caught, so a
traceback fails the test) on a tiny scenario with one thing wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from calendar_fixtures import write_tiny
from click.testing import CliRunner
from conftest import make_scenario, researcher, school

from assign.calendar.terms import workdays_of
from assign.cli import main
from assign.errors import InputError
from assign.inputs.tables import MAX_RESEARCHERS
from assign.inputs.yaml_file import read_yaml
from assign.load import load_scenario
from assign.locale import _

# The messages these tests read are the English ones (tests/test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}}
# "Billion laughs": nine anchors, each of nine aliases of the one before, 9^9 strings once expanded.
BOMB = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + before] * 9)}]\n" for before, name in zip("abcdefgh", "bcdefghi"))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tiny(tmp_path: Path, **scenario_keys) -> Path:
    """One researcher, two primary schools: a scenario that solves, before a case breaks it."""
    return make_scenario(tmp_path / "county", [researcher("R1", "张三")], [school("S1", "一小"), school("S2", "二小", area="乡村", dlon=0.03)],
                         POLICIES, **scenario_keys)


def tiny_calendar(tmp_path: Path, rules: dict | None = None, **kwargs) -> Path:
    """The calendar fixtures' two researchers and schools, with policies that give them pairs."""
    (tmp_path / "county").mkdir(exist_ok=True)
    path = write_tiny(tmp_path / "county", rules if rules is not None else {"visits_per_term": {"min": 1}, "research_day": {}}, **kwargs)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["policies"] = {"school_count": {"min": 1, "max": 2}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def unquote(path: Path, text: str) -> None:
    """Write `text` unquoted where safe_dump quoted it: a date as a person types it (2027-02-30, not '2027-02-30')."""
    path.write_text(path.read_text(encoding="utf-8").replace(f"'{text}'", text), encoding="utf-8")


def write_rows(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


# --- the cases: each builds a scenario with one thing wrong and says what the message must name ------------


def count_column_10e20(tmp_path):
    path = make_scenario(tmp_path / "county", [researcher("R1", "张三", 最多联系学校=10**20)], [school("S1")], POLICIES)
    return path, [str(path.parent / "researchers.csv"), _("row {row}")
                                                        .format(row=2), _("column {column}")
                                                                        .format(column="最多联系学校"), "100000000000000000000", "at most 1000"]


def school_count_max_10e20(tmp_path):
    path = tiny(tmp_path)
    edit_yaml(path, lambda d: d["policies"].update(school_count={"min": 1, "max": 10**20}))
    return path, [str(path), "policies.school_count", "max", "at most 1000"]


def cell_of_200k_characters(tmp_path):
    path = make_scenario(tmp_path / "county", [researcher("R1", "张" * 200_000)], [school("S1")], POLICIES)
    return path, [str(path.parent / "researchers.csv"), _("row {row}")
                                                        .format(row=2), _("column {column}")
                                                                        .format(column="name"), "200,000 characters", "at most 10,000"]


def researchers_is_a_folder(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "folder.csv").mkdir()
    edit_yaml(path, lambda d: d["data"].update(researchers="folder.csv"))
    return path, [str(path), "data.researchers", "folder.csv", "a folder, not a file"]


def schools_is_a_pipe(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "schools.csv").unlink()
    os.mkfifo(path.parent / "schools.csv")  # reading it would wait for a writer that never comes
    return path, [str(path), "data.schools", "schools.csv", "not a regular file"]


def extends_a_folder(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "base").mkdir()
    whatif = path.parent / "whatif.yaml"
    whatif.write_text("extends: base\nname: 假如\n", encoding="utf-8")
    return whatif, [str(whatif), _("column {column}").format(column="extends"), "'base'", "a folder, not a file"]


def a_thousand_whatifs_deep(tmp_path):
    path = tiny(tmp_path)
    for i in range(1, 1001):
        path.parent.joinpath(f"whatif{i}.yaml").write_text(f"extends: {'scenario' if i == 1 else f'whatif{i - 1}'}.yaml\n", encoding="utf-8")
    last = path.parent / "whatif1000.yaml"
    return last, ["whatif", _("column {column}").format(column="extends"), "a chain of more than 20 scenario files"]


def holiday_file_is_a_folder(tmp_path):
    path = tiny_calendar(tmp_path)
    (path.parent / "holidays.yaml").mkdir()
    edit_yaml(path, lambda d: d["calendar"].update(holiday_file="holidays.yaml"))
    return path, [str(path), "calendar.holiday_file", "holidays.yaml", "a folder, not a file"]


def holiday_on_february_30(tmp_path):
    path = tiny_calendar(tmp_path, holiday_file={"source": "notice", "holidays": ["2026-10-01", "2027-02-30"]})
    unquote(path.parent / "holidays.yaml", "2027-02-30")
    return path, [str(path.parent / "holidays.yaml"), _("column {column}").format(column="holidays[2]"), "'2027-02-30'", "no such day"]


def term_ends_on_february_30(tmp_path):
    path = tiny_calendar(tmp_path, terms=[{"name": "2026秋", "start": "2026-09-07", "end": "2027-02-30"}])
    unquote(path, "2027-02-30")
    return path, [str(path), "calendar.terms[1].end", "'2027-02-30'", "expected a date"]


def term_in_year_9999(tmp_path):
    path = tiny_calendar(tmp_path, terms=[{"name": "2026秋", "start": "9999-09-01", "end": "9999-12-31"}])
    return path, [str(path), "calendar.terms[1].start", "9999-09-01", "outside the years 2000-2100"]


def ten_thousand_brackets(tmp_path):
    path = tiny(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    return path, [str(path), _("row {row}").format(row=""), "nested more than 50 levels"]


def billion_laughs(tmp_path):
    path = tiny(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + BOMB, encoding="utf-8")
    return path, [str(path), _("row {row}").format(row=""), "more than 100,000 values once its aliases are expanded"]


def name_written_twice(tmp_path):
    path = tiny(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "name: 另一个名字\n", encoding="utf-8")
    return path, [str(path), _("column {column}").format(column="name"), "written twice", "first on line 1"]


def seed_of_20_digits(tmp_path):
    path = tiny(tmp_path, solver={"workers": 1, "seed": 10**20})
    return path, [str(path), "solver.seed", "at most 2147483647"]


def time_limit_abc(tmp_path):
    path = tiny(tmp_path, solver={"workers": 1, "seed": 0, "parameters": {"max_time_in_seconds": "abc"}})
    return path, [str(path), "solver.parameters.max_time_in_seconds", "'abc'", "expected a number"]


def subsolvers_not_a_list(tmp_path):
    path = tiny(tmp_path, solver={"workers": 1, "seed": 0, "parameters": {"subsolvers": 5, "search_branching": "SIDEWAYS"}})
    return path, [str(path), "solver.parameters.subsolvers", "expected a list", "solver.parameters.search_branching", "'SIDEWAYS'", "FIXED_SEARCH"]


def workers_through_parameters(tmp_path):
    path = tiny(tmp_path, solver={"workers": 1, "seed": 0, "parameters": {"num_workers": 100_000, "random_seed": -3}})
    return path, [str(path), "solver.parameters", "num_workers (set solver.workers)", "random_seed (set solver.seed)"]


def travel_weight_1e308(tmp_path):
    path = tiny(tmp_path, objective="weighted")
    edit_yaml(path, lambda d: d["policies"].update(travel={"weight": 1e308}))
    return path, [str(path), "policies.travel", "weight = 1e+308", "within ±1,000,000"]


def visit_rule_weight_1e308(tmp_path):
    path = tiny_calendar(tmp_path, {"visits_per_term": {"min": 1}, "research_day": {"weight": 1e308}})
    return path, [str(path), "calendar.visit_rules.research_day", "weight = 1e+308", "within ±1,000,000"]


def researchers_header_only(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "researchers.csv").write_text("工号,姓名,学科,学段\n", encoding="utf-8")
    return path, [str(path.parent / "researchers.csv"), "no rows under the header", "researcher"]


def schools_header_only(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "schools.csv").write_text("学校代码,学校名称,学段,城乡类型,经度,纬度\n", encoding="utf-8")
    return path, [str(path.parent / "schools.csv"), "no rows under the header", "school"]


def formula_without_saved_value(tmp_path):
    path = tiny(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["学校代码", "学校名称", "学段", "城乡类型", "经度", "纬度", "乡镇"])
    book.active.append(["S1", "一小", "小学", "城区", 112.51, 34.5, '=CONCAT("城关","街道")'])  # openpyxl saves no value
    book.save(path.parent / "schools.xlsx")
    edit_yaml(path, lambda d: d["data"].update(schools="schools.xlsx"))
    return path, [str(path.parent / "schools.xlsx"), _("row {row}")
                                                     .format(row=2), _("column {column}")
                                                                     .format(column="乡镇"), "open and save the workbook in Excel/WPS first"]


def school_node_missing_from_roads(tmp_path):
    path = tiny(tmp_path, office={"node": "O"})
    (path.parent / "schools.csv").write_text("学校代码,学校名称,学段,城乡类型,路网节点\nS1,一小,小学,城区,A\nS2,二小,小学,乡村,Z\n", encoding="utf-8")
    (path.parent / "roads.csv").write_text("起点,终点,分钟\nO,A,10\n", encoding="utf-8")
    edit_yaml(path, lambda d: d["data"].update(roads="roads.csv"))
    return path, [str(path.parent / "schools.csv"), _("row {row}")
                                                    .format(row=3), _("column {column}").format(column="路网节点"), "'Z'", "not in the road table"]


def unknown_policy(tmp_path):
    path = tiny(tmp_path)
    edit_yaml(path, lambda d: d["policies"].update(urban_rural_mixx={}))
    return path, [str(path), "policies.urban_rural_mixx", "unknown policy", "installed policies are"]


def unknown_visit_rule(tmp_path):
    path = tiny_calendar(tmp_path, {"visits_per_term": {"min": 1}, "spreadd": {"parts": 2}})
    return path, [str(path), "calendar.visit_rules.spreadd", "unknown visit rule", "spread"]


def researchers_beyond_the_limit(tmp_path):
    path = tiny(tmp_path)
    rows = [[f"R{i}", "张三", "数学", "小学"] for i in range(MAX_RESEARCHERS + 1)]
    write_rows(path.parent / "researchers.csv", [["工号", "姓名", "学科", "学段"], *rows])
    return path, [str(path.parent / "researchers.csv"), f"more than {MAX_RESEARCHERS:,} rows"]


SOLVE = ("solve", "--workers", "1", "--seed", "0")
CALENDAR = ("calendar", "--term", "2026秋", "--workers", "1", "--seed", "0")
VALIDATE = ("validate",)


@pytest.mark.parametrize(
    ("build", "command"),
    [
        pytest.param(count_column_10e20, SOLVE, id="count-column-1e20"),  # 最多联系学校 = 10^20 (TypeError in school_count)
        pytest.param(school_count_max_10e20, SOLVE, id="policy-count-1e20"),  # school_count.max = 10^20 (TypeError)
        pytest.param(cell_of_200k_characters, SOLVE, id="cell-200k-chars"),  # a 姓名 cell of 200,000 characters (_csv.Error)
        pytest.param(researchers_is_a_folder, SOLVE, id="data-folder"),  # data.researchers names a folder (IsADirectoryError)
        pytest.param(schools_is_a_pipe, SOLVE, id="data-pipe",
                     marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")),  # a named pipe (a read that never ends)
        pytest.param(extends_a_folder, SOLVE, id="extends-folder"),  # extends names a folder (IsADirectoryError)
        pytest.param(a_thousand_whatifs_deep, SOLVE, id="extends-chain"),  # 1,000 what-ifs extending each other (RecursionError)
        pytest.param(holiday_file_is_a_folder, CALENDAR, id="holiday-folder"),  # calendar.holiday_file names a folder (IsADirectoryError)
        pytest.param(holiday_on_february_30, CALENDAR, id="holiday-feb-30"),  # 2027-02-30 in a holiday file (ValueError)
        pytest.param(term_ends_on_february_30, CALENDAR, id="term-feb-30"),  # a term ending 2027-02-30 (ValueError)
        pytest.param(term_in_year_9999, CALENDAR, id="term-year-9999"),  # a term in 9999 (OverflowError at year's end)
        pytest.param(ten_thousand_brackets, SOLVE, id="deep-nesting"),  # 10,000 nested brackets (RecursionError)
        pytest.param(billion_laughs, SOLVE, id="alias-bomb"),  # nine anchors of nine aliases (minutes, then 2.8 GB)
        pytest.param(name_written_twice, SOLVE, id="duplicate-key"),  # `name:` twice (the second silently won)
        pytest.param(seed_of_20_digits, SOLVE, id="seed-20-digits"),  # solver.seed = 10^20 (TypeError in the solver)
        pytest.param(time_limit_abc, SOLVE, id="parameter-abc"),  # max_time_in_seconds: abc (TypeError)
        pytest.param(subsolvers_not_a_list, SOLVE, id="parameter-types"),  # subsolvers: 5 and an unknown enum name (AttributeError)
        pytest.param(workers_through_parameters, SOLVE, id="parameter-owned"),  # 100,000 workers past solver.workers' limit of 64
        pytest.param(travel_weight_1e308, SOLVE, id="weight-1e308"),  # travel.weight = 1e308 (OverflowError)
        pytest.param(visit_rule_weight_1e308, CALENDAR, id="visit-weight-1e308"),  # research_day.weight = 1e308 (OverflowError)
        pytest.param(researchers_header_only, SOLVE, id="researchers-header-only"),  # no researcher (an empty plan, exit 0)
        pytest.param(schools_header_only, SOLVE, id="schools-header-only"),  # no school (an empty plan, exit 0)
        pytest.param(formula_without_saved_value, SOLVE, id="unsaved-formula"),  # 乡镇 by a formula never computed (read as empty)
        pytest.param(school_node_missing_from_roads, SOLVE, id="column-as-written"),  # the error said `column node`, not 路网节点
        pytest.param(unknown_policy, SOLVE, id="unknown-policy"),  # the message named no scenario file
        pytest.param(unknown_visit_rule, VALIDATE, id="unknown-visit-rule"),  # validate said OK
        pytest.param(researchers_beyond_the_limit, VALIDATE, id="too-many-researchers"),  # 20,001 researchers loaded without a word
    ],
)
def test_a_bad_input_is_one_message_naming_where_exit_1_and_nothing_written(tmp_path, build, command):
    path, words = build(tmp_path)
    out = tmp_path / "out"
    args = [command[0], str(path), *command[1:]] + ([] if command == VALIDATE else ["-o", str(out)])
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _("error: {message}").format(message="") in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--seed", "99999999999999999999", ["--seed", "0<=x<=2147483647"]),  # beyond CP-SAT's 32-bit seed (TypeError)
        ("--time-limit", "nan", ["--time-limit", "not a finite number"]),  # nan passed click.FloatRange (a solve of 0.01 s)
        ("--time-limit", "inf", ["--time-limit", "not a finite number"]),  # inf passed click.FloatRange
    ],
    ids=["seed", "nan", "inf"],
)
def test_an_option_out_of_range_is_a_usage_error_naming_it(tmp_path, option, value, words):
    out = tmp_path / "out"
    result = run("solve", str(tiny(tmp_path)), option, value, "-o", str(out))
    assert result.exit_code == 2  # wrong usage
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("build", [ten_thousand_brackets, billion_laughs], ids=["deep-nesting", "alias-bomb"])
def test_a_yaml_bomb_is_refused_in_well_under_a_second(tmp_path, build):
    path, _ = build(tmp_path)
    started = time.perf_counter()
    with pytest.raises(InputError):
        read_yaml(path)
    assert time.perf_counter() - started < 0.2  # measured: about 1 ms


def test_anchors_and_aliases_within_the_limits_still_load(tmp_path):
    path = tiny(tmp_path)
    edit_yaml(path, lambda d: d["policies"].update(coverage={}, travel={}))
    text = path.read_text(encoding="utf-8").replace("  coverage: {}\n  travel: {}\n", "  coverage: &same {}\n  travel: *same\n")
    path.write_text(text, encoding="utf-8")
    assert "*same" in text
    assert [u.name for u in load_scenario(path).policies] == ["stage_match", "school_count", "coverage", "travel"]


def test_gb18030_scenario_and_holiday_file_read_like_the_tables(tmp_path):
    path = tiny_calendar(tmp_path, holiday_file={"source": "国务院办公厅通知", "holidays": ["2026-09-25"]})
    for file in (path, path.parent / "holidays.yaml"):
        file.write_bytes(("# 示范县（GB18030，WPS 在中文 Windows 上的默认编码）\n" + file.read_text(encoding="utf-8")).encode("gb18030"))
    problem = load_scenario(path)
    assert problem.name == "tiny"
    workdays = workdays_of(problem)
    assert workdays.is_workday(dt.date(2026, 9, 25)) == (False, False)


def test_merged_township_cells_give_every_school_below_the_township(tmp_path):
    path = tiny(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["学校代码", "学校名称", "学段", "城乡类型", "经度", "纬度", "乡镇"])
    for sid in ("S1", "S2", "S3"):
        sheet.append([sid, f"学校{sid}", "小学", "乡村", 112.51, 34.5, "河口镇" if sid == "S1" else None])
    sheet.merge_cells("G2:G4")  # 乡镇 written once, merged down its three schools
    book.save(path.parent / "schools.xlsx")
    edit_yaml(path, lambda d: d["data"].update(schools="schools.xlsx"))
    assert [s.township for s in load_scenario(path).schools] == ["河口镇", "河口镇", "河口镇"]


def test_a_formula_with_a_saved_value_reads_as_that_value(tmp_path):
    path = tiny(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["学校代码", "学校名称", "学段", "城乡类型", "经度", "纬度", "乡镇"])
    book.active.append(["S1", "一小", "小学", "城区", 112.51, 34.5, '=CONCAT("城关","街道")'])
    book.save(path.parent / "schools.xlsx")
    # What Excel adds on saving: the formula's value beside it (<v>), which openpyxl never computes itself.
    _save_value(path.parent / "schools.xlsx", "G2", "城关街道")
    edit_yaml(path, lambda d: d["data"].update(schools="schools.xlsx"))
    assert [s.township for s in load_scenario(path).schools] == ["城关街道"]


def _save_value(xlsx: Path, cell: str, value: str) -> None:
    """Put a saved string value beside the formula of `cell`, as Excel does when it saves the workbook."""
    import zipfile

    with zipfile.ZipFile(xlsx) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start)
    formula = sheet[sheet.index("<f>", start):sheet.index("</f>", start) + 4]
    sheet = sheet[:start] + f'<c r="{cell}" t="str">{formula}<v>{value}</v>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(xlsx, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_whatif_elsewhere_finds_its_bases_holiday_file(tmp_path):
    base = tiny_calendar(tmp_path, holiday_file={"source": "notice", "holidays": ["2026-09-25"]})
    whatif = tmp_path / "whatifs" / "more.yaml"
    whatif.parent.mkdir()
    whatif.write_text(f"extends: {base}\nname: 假如\n", encoding="utf-8")
    workdays = workdays_of(load_scenario(whatif))
    assert workdays.is_workday(dt.date(2026, 9, 25)) == (False, False)


def test_every_problem_of_the_policies_section_is_listed_at_once(tmp_path):
    path = tiny(tmp_path)
    edit_yaml(path, lambda d: d["policies"].update(nonesuch={}, travel={"weight": float("nan")}, max_travel={"minutes": 10**9}))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "3 problems in policies" in result.stderr
    for word in ("policies.nonesuch: unknown policy", "policies.travel", "weight", "policies.max_travel", "minutes = 1000000000"):
        assert word in result.stderr


def test_cp_sat_parameters_that_pass_the_check_reach_the_solver(tmp_path):
    from assign.solver.cpsat import make_solver, options_for

    path = tiny(tmp_path, solver={"workers": 1, "seed": 7, "parameters": {"search_branching": "FIXED_SEARCH", "subsolvers": ["max_lp", "core"],
                                                                          "max_presolve_iterations": 2, "cp_model_presolve": True}})
    problem = load_scenario(path)
    params = make_solver(options_for(problem), time_limit=5).parameters
    assert (params.search_branching.name, list(params.subsolvers), params.max_presolve_iterations) == ("FIXED_SEARCH", ["max_lp", "core"], 2)
    assert params.cp_model_presolve is True
    assert (params.num_workers, params.random_seed, params.max_time_in_seconds) == (1, 7, 5)


@pytest.mark.parametrize("name", ["DEFAULT_PARAMETERS", "SINGLE_WORKER_PARAMETERS", "CALENDAR_PARAMETERS", "FIRST_SCHEDULE_PARAMETERS",
                                  "AGGREGATED_PARAMETERS", "SPLIT_PARAMETERS", "LNS_PARAMETERS"])
def test_our_own_cp_sat_parameters_pass_the_check_they_skip(name):
    """The solver checks only what a user sets (`parameters_text`): our measured defaults are checked here, once."""
    from assign.bench import references
    from assign.solver import aggregate, cpsat
    from assign.solver.sat_parameters import check_parameters

    ours = next(getattr(m, name) for m in (cpsat, aggregate, references) if hasattr(m, name))
    assert check_parameters(ours) == ours
    assert check_parameters({**ours, "subsolvers": ["max_lp"]})["subsolvers"] == ["max_lp"]  # the calendar's two-worker extra
