"""What-if scenarios: `extends` merging and table edits (assign.inputs.extend), nothing solved here."""

from __future__ import annotations

import pytest
import yaml
from conftest import make_scenario, researcher, school

from assign.errors import InputError
from assign.inputs.extend import merge
from assign.load import load_scenario
from assign.locale import _

# The messages these tests read are the English ones (tests/test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {"weight": 0.2}}


def base(tmp_path):
    return make_scenario(
        tmp_path / "base",
        [researcher("R1", "张三", current_schools="S2", since="2025-09"), researcher("R2", "李四", subjects="语文")],
        [school("S1", "一小"), school("S2", "二小", area="乡村", dlon=0.03), school("S3", "三小", dlon=0.05)],
        POLICIES,
        name="基础方案",
    )


def whatif(tmp_path, body: dict, name: str = "whatif.yaml", folder: str = "whatif"):
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("base_data, over, expected", [
    ({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}}, {"a": {"x": 1, "y": 3}}),        # mappings merge key by key
    ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),                                   # lists replace
    ({"a": 1}, {"a": {"x": 1}}, {"a": {"x": 1}}),                              # a mapping replaces a scalar
    ({"p": {"travel": {"w": 1}, "cov": {}}}, {"p": {"travel": None}}, {"p": {"cov": {}}}),  # null removes
    ({"p": {}}, {"p": {"stability": None}}, {"p": {"stability": None}}),       # null for a new key keeps its meaning
    ({"a": {"b": {"c": 1, "d": 2}}}, {"a": {"b": {"d": 5}}}, {"a": {"b": {"c": 1, "d": 5}}}),  # recursively
])
def test_merge_rules(base_data, over, expected):
    assert merge(base_data, over) == expected


def test_extends_merges_policies_and_solver_and_finds_the_base_tables_from_the_base_folder(tmp_path):
    base(tmp_path)
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml", "name": "变体",
                             "policies": {"travel": None, "school_count": {"max": 1}}, "solver": {"time_limit": 5}})
    problem = load_scenario(path)
    assert problem.name == "变体"
    assert [u.name for u in problem.policies] == ["stage_match", "school_count", "coverage"]
    assert problem.policy_params("school_count").max == 1 and problem.policy_params("school_count").min == 1
    assert problem.scenario.solver.time_limit == 5 and problem.scenario.solver.workers == 1
    assert [r.id for r in problem.researchers] == ["R1", "R2"]


def test_extends_is_recursive_and_edits_apply_in_chain_order(tmp_path):
    base(tmp_path)
    whatif(tmp_path, {"extends": "../base/scenario.yaml",
                      "edits": {"researchers": {"add": [{"工号": "R3", "姓名": "王五", "学科": "英语", "学段": "小学"}]}}}, "one.yaml")
    two = whatif(tmp_path, {"extends": "one.yaml", "edits": {"researchers": {"update": {"R3": {"学科": "体育"}}, "remove": ["R2"]}}}, "two.yaml")
    problem = load_scenario(two)
    assert [(r.id, r.subjects) for r in problem.researchers] == [("R1", ("数学",)), ("R3", ("体育",))]


def test_a_cycle_of_extends_is_an_error_naming_the_chain(tmp_path):
    whatif(tmp_path, {"extends": "b.yaml"}, "a.yaml")
    b = whatif(tmp_path, {"extends": "a.yaml"}, "b.yaml")
    with pytest.raises(InputError, match="cycle") as info:
        load_scenario(b)
    assert "a.yaml" in str(info.value) and "b.yaml" in str(info.value)


def test_a_missing_base_is_an_error_naming_the_extends_key(tmp_path):
    path = whatif(tmp_path, {"extends": "nowhere.yaml"})
    with pytest.raises(InputError, match="extends.*nowhere.yaml"):
        load_scenario(path)


@pytest.mark.parametrize("edits, words", [
    ({"researchers": {"remove": ["R9"]}}, ["edits.researchers.remove", "R9", "unknown id", "did you mean R2、R1"]),   # remove an id the table lacks
    ({"schools": {"update": {"S9": {"学校名称": "新"}}}}, ["edits.schools.update", "S9", "unknown id", "did you mean S3、S2、S1"]),  # update one
    ({"researchers": {"add": [{"id": "R1", "name": "重复", "subject": "数学", "stages": "小学"}]}}, ["R1", "already"]),  # add an existing id
    ({"teachers": {"remove": ["R1"]}}, ["edits.teachers", "unknown table"]),                   # a table edits cannot name
    ({"schools": {"update": {"S1": {"颜色": "红"}}}}, ["颜色", "unknown column"]),               # a column no table has
    ({"roads": {"remove": ["A~B"]}}, ["edits.roads", "no road table"]),                         # roads on a scenario without them
])
def test_bad_edits_are_errors_naming_the_whatif_file_and_the_id(tmp_path, edits, words):
    base(tmp_path)
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml", "edits": edits})
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "whatif.yaml" in message
    for word in words:
        assert word in message


def test_a_bad_value_in_an_added_row_names_the_whatif_row_and_the_column(tmp_path):
    base(tmp_path)
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml",
                             "edits": {"researchers": {"add": [{"工号": "R3", "姓名": "王五", "学科": "英语", "学段": "大学"}]}}})
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert "edits.researchers.add[1]" in str(info.value) and "大学" in str(info.value)
    assert _("column {column}").format(column="stages") in str(info.value)


def test_a_bad_value_written_by_an_update_names_the_whatif_key_not_the_base_row(tmp_path):
    base(tmp_path)
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml", "edits": {"researchers": {"update": {"R2": {"最多联系学校": -1}}}}})
    with pytest.raises(InputError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.file == str(path) and problem.column == "edits.researchers.update.R2.最多联系学校" and problem.value == -1


def test_removing_a_school_drops_it_from_current_schools_with_a_warning(tmp_path):
    base(tmp_path)
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml", "edits": {"schools": {"remove": ["S2"]}}})
    problem = load_scenario(path)
    assert [s.id for s in problem.schools] == ["S1", "S3"]
    assert problem.researcher["R1"].current_schools == ()
    assert any("S2" in w and "R1" in w for w in problem.warnings)


def test_a_whatif_table_replaces_the_base_table_relative_to_the_whatif(tmp_path):
    base(tmp_path)
    (tmp_path / "whatif").mkdir()
    (tmp_path / "whatif" / "people.csv").write_text("id,name,subject,stages\nQ1,赵六,数学,小学\n", encoding="utf-8")
    path = whatif(tmp_path, {"extends": "../base/scenario.yaml", "data": {"researchers": "people.csv"}})
    assert [r.id for r in load_scenario(path).researchers] == ["Q1"]


def test_road_edits_remove_a_road_by_either_end_and_update_its_speed(tmp_path):
    folder = tmp_path / "roads"
    make_scenario(folder, [researcher("R1")], [school("S1", node="B"), school("S2", node="C")], POLICIES,
                  office={"name": "教研室", "node": "A"})
    (folder / "roads.csv").write_text("from,to,minutes\nA,B,10\nB,C,10\nA,C,50\n", encoding="utf-8")
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    scenario["data"]["roads"] = "roads.csv"
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    assert load_scenario(folder / "scenario.yaml").minutes("R1", "S2") == 20
    closed = whatif(tmp_path, {"extends": "../roads/scenario.yaml", "edits": {"roads": {"remove": ["C~B"], "update": {"A~C": {"minutes": 40}}}}})
    assert load_scenario(closed).minutes("R1", "S2") == 40
