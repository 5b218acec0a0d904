"""`assign check` and `solve --from` read a roster as a person reads it: by the names, below the title row.

A clerk edits the names in roster.csv (the ids are in columns nobody looks at); the tool's own
roster.xlsx has a title row above its header. Unknown names get the closest names as suggestions.
"""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from km_county import researcher, school, write_scenario

from assign.analysis.check import read_roster
from assign.cli import main
from assign.errors import InputError
from assign.load import load_scenario
from assign.locale import _

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}}


@pytest.fixture
def solved(tmp_path):
    """(scenario, output folder) of a tiny county solved and written by `assign solve`."""
    scenario = write_scenario(tmp_path / "county", [researcher("R1"), researcher("R2")],
                              [school("S1", km=3), school("S2", km=4), school("S3", area="乡村", km=20)], POLICIES)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(scenario), "-o", str(out), "--workers", "1", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return scenario, out


def edited_csv(out, column, old, new):
    """roster.csv with one cell of `column` changed from `old` to `new`, as a clerk edits it in Excel."""
    with open(out / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    changed = next(row for row in rows[1:] if row[index] == old)
    changed[index] = new
    path = out / "edited.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_check_reads_the_tools_own_roster_xlsx_below_its_title_row(solved):
    scenario, out = solved
    result = CliRunner().invoke(main, ["check", str(scenario), str(out / "roster.xlsx"), "--no-optimum"])
    assert result.exit_code == 0, result.output
    assert sorted(read_roster(load_scenario(scenario), out / "roster.xlsx")) == sorted(read_roster(None, out / "roster.csv"))


def test_solve_from_accepts_the_tools_own_roster_xlsx(solved):
    scenario, out = solved
    result = CliRunner().invoke(main, ["solve", str(scenario), "--from", str(out / "roster.xlsx"), "--no-write", "--workers", "1", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "保留 2" in result.output and "取消 0" in result.output


def test_a_school_name_edited_in_roster_csv_is_reported_against_its_code(solved):
    scenario, out = solved
    pairs = read_roster(None, out / "roster.csv")
    held = pairs[0][1]
    other = next(s for s in ("S1", "S2", "S3") if s != held)
    path = edited_csv(out, "联系学校", f"学校{held}", f"学校{other}")
    result = CliRunner().invoke(main, ["check", str(scenario), str(path), "--no-optimum"])
    assert result.exit_code == 1, result.output
    assert f"学校{other}" in result.output and repr(held) in result.output
    assert _("{kind} {name} and {column} {id} ({id_name}) disagree: the name was changed, or the id; make them name the same {kind}").format(
        kind=_("school"), name=repr(f"学校{other}"), column="学校代码", id=repr(held), id_name=f"学校{held}") in result.output


def test_a_roster_by_names_only_is_read_by_the_names(solved, tmp_path):
    scenario, out = solved
    pairs = read_roster(None, out / "roster.csv")
    path = tmp_path / "by-hand.csv"
    path.write_text("教研员,联系学校\n" + "".join(f"教研员{r},学校{s}\n" for r, s in pairs), encoding="utf-8")
    assert read_roster(load_scenario(scenario), path) == pairs


@pytest.mark.parametrize("column, typed, suggested", [
    ("教研员", "教研员R9", "教研员R1"),  # a researcher nobody is: the closest names
    ("联系学校", "学校S7", "学校S1"),  # a school nobody is
])
def test_an_unknown_name_gets_the_closest_names(solved, tmp_path, column, typed, suggested):
    scenario, out = solved
    path = tmp_path / "by-hand.csv"
    path.write_text(f"教研员,联系学校\n{typed if column == '教研员' else '教研员R1'},{typed if column == '联系学校' else '学校S1'}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_roster(load_scenario(scenario), path)
    (problem,) = caught.value.problems
    assert problem.row == 2 and problem.column == column and problem.value == typed
    assert "是不是" in problem.expected and suggested in problem.expected


def test_explain_suggests_the_closest_researcher(solved):
    scenario, out = solved
    result = CliRunner().invoke(main, ["explain", str(out / "plan.json"), "教研员R3", "--scenario", str(scenario)])
    assert result.exit_code != 0 and "教研员R1" in result.output and _("; did you mean {names}?").split("{names}")[0] in result.output


def test_two_people_of_one_name_in_the_tools_roster_xlsx_are_told_apart_by_its_id_sheet(tmp_path):
    scenario = write_scenario(tmp_path / "county", [researcher("R1", name="王芳"), researcher("R2", name="王芳")],
                              [school("S1", km=3), school("S2", km=4)], POLICIES)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["solve", str(scenario), "-o", str(out), "--workers", "1", "-q"]).exit_code == 0
    problem = load_scenario(scenario)
    assert sorted(read_roster(problem, out / "roster.xlsx")) == sorted(read_roster(None, out / "roster.csv"))
    by_hand = tmp_path / "by-hand.csv"
    by_hand.write_text("教研员,联系学校\n王芳,学校S1\n", encoding="utf-8")
    with pytest.raises(InputError, match=_("have this name")):
        read_roster(problem, by_hand)  # names only, and two of them: the 工号 is needed


def test_a_replan_from_a_roster_of_names_only_says_what_it_needs(solved, tmp_path):
    scenario, _ = solved
    path = tmp_path / "by-hand.csv"
    path.write_text("教研员,联系学校\n教研员R1,学校S1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(scenario), "--from", str(path), "--no-write", "--workers", "1", "-q"])
    assert result.exit_code == 1 and "工号" in result.output and "plan.json" in result.output
