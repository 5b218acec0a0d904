"""`assign check`: a hand-made roster with planted violations; check must find every one."""

from __future__ import annotations

from click.testing import CliRunner
from km_county import researcher, school, write_scenario

from assign.cli import main
from assign.locale import _, ngettext

POLICIES = {"stage_match": {}, "avoid": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {},
            "workload": {}, "coverage": {"max_researchers": 2}, "travel": {}}


def _county(tmp_path):
    return write_scenario(tmp_path / "county", [
        researcher("R1"),                          # planted: three schools (max 2)
        researcher("R2", avoid_schools="S2"),      # planted: takes S2, which R2 must avoid
        researcher("R3", kind="兼职"),             # planted: part-time with two schools; both urban
        researcher("R4", stages="高中"),           # planted: a senior researcher at a primary school
    ], [school("S1", km=3), school("S2", km=4), school("S3", area="乡村", km=20), school("S4", area="乡村", km=25), school("S5", km=6),
        school("S6", stages="高中", km=8)],
        POLICIES)


def _roster(tmp_path, rows):
    path = tmp_path / "roster.csv"
    lines = [f"{i},教研员{r},{r},{s}" for i, (r, s) in enumerate(rows, 1)]  # the names of km_county's researchers
    path.write_text("序号,教研员,工号,学校代码\n" + "\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_check_finds_every_planted_violation_and_exits_4(tmp_path):
    scenario = _county(tmp_path)
    roster = _roster(tmp_path, [("R1", "S1"), ("R1", "S3"), ("R1", "S4"), ("R2", "S2"), ("R3", "S1"), ("R3", "S5"), ("R4", "S3")])
    result = CliRunner().invoke(main, ["check", str(scenario), str(roster), "--workers", "1", "--time-limit", "10"])
    out = result.output
    assert result.exit_code == 4, out
    # The policies' words are built through their own messages, so the test holds in every language.
    assert "[school_count]" in out and ngettext("{researcher} has {n} contact school; expected {low}-{high}",
                                                "{researcher} has {n} contact schools; expected {low}-{high}", 3).format(
        researcher="教研员R1 (小学数学)", n=3, low=1, high=2) in out
    assert "[avoid]" in out and "学校S2" in out
    assert "[workload]" in out and "教研员R3" in out
    assert "[urban_rural_mix]" in out and _("{researcher} has {n} schools, all urban: {names}").format(
        researcher="教研员R3 (小学数学)", n=2, names="学校S1、学校S5") in out
    assert "[stage_match]" in out and "教研员R4" in out
    assert _("optimum ({status})").format(status="OPTIMAL") in out
    # the roster holds pairs no policy allows, so it cannot be scored on the model's terms
    assert _("objective terms: the roster has pairs no policy allows, so it cannot be scored on the model's terms") in out


def test_check_of_a_clean_roster_passes_and_compares_terms(tmp_path):
    scenario = _county(tmp_path)
    roster = _roster(tmp_path, [("R1", "S1"), ("R1", "S3"), ("R2", "S5"), ("R2", "S4"), ("R3", "S2"), ("R4", "S6")])
    result = CliRunner().invoke(main, ["check", str(scenario), str(roster), "--workers", "1", "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output and "travel.total_minutes" in result.output


def test_check_names_the_row_of_an_unknown_school(tmp_path):
    scenario = _county(tmp_path)
    roster = _roster(tmp_path, [("R1", "S1"), ("R1", "S99")])
    result = CliRunner().invoke(main, ["check", str(scenario), str(roster), "--no-optimum"])
    assert result.exit_code == 1
    assert _("row {row}").format(row=3) in result.output and "S99" in result.output
