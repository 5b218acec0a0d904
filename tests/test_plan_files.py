"""A plan.json is read as it was written, or refused with a message naming it: never as an empty or
a different plan. Windows editors save UTF-8 with a BOM or UTF-16; both read back the same."""

from __future__ import annotations

import codecs
import json

import pytest
from click.testing import CliRunner
from conftest import make_scenario, researcher, school, solve_det

from assign.cli import main
from assign.errors import InputError
from assign.load import load_scenario
from assign.plan import Plan

# The messages these tests read are the English ones (tests/test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def saved(tmp_path):
    """A tiny county's scenario and its solved plan, as plan.json text."""
    path = make_scenario(tmp_path / "county", [researcher("R1"), researcher("R2", subjects="语文")],
                         [school("S1"), school("S2", dlon=0.02, area="乡村")],
                         {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}})
    plan = solve_det(load_scenario(path))
    assert plan.findings == [] and len(plan.pairs) == 2
    return path, plan


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),  # Notepad's "UTF-8 with BOM"
    lambda text: text.encode("utf-16"),                    # Notepad's "Unicode" (UTF-16 with BOM)
], ids=["utf-8", "utf-8-bom", "utf-16"])
def test_a_plan_reads_back_the_same_whatever_the_editor_saved_it_as(tmp_path, saved, encode):
    _, plan = saved
    path = tmp_path / "plan.json"
    path.write_bytes(encode(plan.model_dump_json(indent=2)))
    assert Plan.read(path) == plan


@pytest.mark.parametrize(("edit", "words"), [
    (lambda d: {k: v for k, v in d.items() if k != "pairs"}, "no `pairs`"),      # pairs deleted: not an empty plan
    (lambda d: [d], "no `pairs`"),                                                 # a list around the plan
    (lambda d: {**d, "pairs": d["pairs"] + d["pairs"][:1]}, "once"),               # a pair repeated
    (lambda d: {**d, "pairs": [{"researcher_id": "R1"}]}, "school_id"),            # a pair without its school
    (lambda d: {**d, "status": 3}, "status"),                                      # a wrong type
], ids=["no-pairs", "a-list", "repeated-pair", "pair-without-school", "wrong-type"])
def test_an_edited_plan_is_refused_naming_the_file_and_the_fault(tmp_path, saved, edit, words):
    _, plan = saved
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(edit(json.loads(plan.model_dump_json()))), encoding="utf-8")
    with pytest.raises(InputError) as info:
        Plan.read(path)
    assert str(path) in str(info.value) and words in str(info.value)


def test_a_repeated_pair_in_a_calendar_plan_is_refused_at_once_not_solved(tmp_path, saved):
    scenario, plan = saved
    path = tmp_path / "plan.json"
    data = json.loads(plan.model_dump_json())
    path.write_text(json.dumps({**data, "pairs": data["pairs"] * 2}), encoding="utf-8")
    result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(path), "--no-write"])
    assert result.exit_code == 1 and "each pair may appear once" in result.stderr


def test_a_plan_of_another_county_is_refused_by_calendar_not_scheduled_as_nothing(tmp_path, saved):
    scenario, plan = saved
    path = tmp_path / "plan.json"
    path.write_text(plan.model_copy(update={"pairs": [a.model_copy(update={"school_id": "X9"}) for a in plan.pairs]})
                    .model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["calendar", str(scenario), "--term", "2026秋", "--plan", str(path), "--no-write"])
    assert result.exit_code == 1 and "X9" in result.stderr and "Traceback" not in result.output


def test_check_names_a_repeated_roster_row(tmp_path, saved):
    scenario, plan = saved
    roster = tmp_path / "roster.csv"
    rows = [f"{a.researcher_id},{a.school_id}" for a in plan.pairs]
    roster.write_text("工号,学校代码\n" + "\n".join(rows + rows[:1]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(scenario), str(roster), "--no-optimum"])
    assert result.exit_code == 1 and "repeated: already on row 2" in result.stderr and "row 4" in result.stderr
