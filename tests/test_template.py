"""`assign template`: the forms an office fills in; filled by a script, they solve."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from conftest import OFFICE_LAT, OFFICE_LON, audit_errors, solve_det
from openpyxl import load_workbook

from assign.cli import main
from assign.load import load_scenario


def validations(path) -> dict[str, tuple[list[str], str]]:
    """header → (the drop-down's choices, its error style) of a form's first sheet."""
    book = load_workbook(path)
    sheet, choices = book.worksheets[0], book["选项"]
    headers = {cell.column_letter: cell.value for cell in sheet[2]}
    out = {}
    for check in sheet.data_validations.dataValidation:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        source = check.formula1.split("!")[1].replace("$", "")
        first, last = source.split(":")
        words = [row[0].value for row in choices[first:last]]
        out[headers[column]] = (words, check.errorStyle)
    assert choices.sheet_state == "hidden"
    return out


def test_template_writes_both_forms_with_drop_downs_for_the_words_the_tool_maps(tmp_path):
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    researchers, schools = validations(tmp_path / "教研员.xlsx"), validations(tmp_path / "学校.xlsx")
    assert set(researchers) == {"学科", "学段", "类别"}
    assert researchers["学段"] == (["学前", "小学", "初中", "高中", "特教"], "warning")  # a list cell: 小学/初中 may be typed
    assert researchers["类别"] == (["专职", "兼职"], "stop")
    assert set(schools) == {"学段", "城乡类型", "优先级", "办学性质", "中心校", "需指导学科"}
    assert "九年一贯制学校" in schools["学段"][0] and schools["学段"][1] == "stop"
    assert "村庄" in schools["城乡类型"][0] and schools["中心校"] == (["是", "否"], "stop")


def test_template_keeps_forms_already_there(tmp_path):
    (tmp_path / "学校.xlsx").write_bytes(b"the office's own list")
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "--force" in result.output
    assert (tmp_path / "学校.xlsx").read_bytes() == b"the office's own list" and not (tmp_path / "教研员.xlsx").exists()


def test_the_forms_filled_by_a_script_solve(tmp_path):
    assert CliRunner().invoke(main, ["template", "-o", str(tmp_path)]).exit_code == 0
    book = load_workbook(tmp_path / "教研员.xlsx")
    for row in (["R002", "李明", "语文", "小学/初中", "专职"], ["R003", "赵敏", "英语", "初中", "兼职"]):
        book.worksheets[0].append(row)
    book.save(tmp_path / "教研员.xlsx")
    book = load_workbook(tmp_path / "学校.xlsx")
    for row in (["S002", "河口镇中心小学", "中心小学", "镇中心区", "河口镇", OFFICE_LON + 0.1, OFFICE_LAT, 2, "公办", "是"],
                ["S003", "河口镇初级中学", "初级中学", "村庄", "河口镇", OFFICE_LON + 0.12, OFFICE_LAT, 1, "公办", "否"]):
        book.worksheets[0].append(row)
    book.save(tmp_path / "学校.xlsx")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump({
        "name": "模板县", "office": {"name": "模板县教研室", "lon": OFFICE_LON, "lat": OFFICE_LAT},
        "data": {"researchers": "教研员.xlsx", "schools": "学校.xlsx"},
        "policies": {"stage_match": {}, "subject_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}},
    }, allow_unicode=True), encoding="utf-8")
    problem = load_scenario(scenario)
    assert [r.id for r in problem.researchers] == ["R001", "R002", "R003"]  # the example row is a row like any other
    assert problem.school["S002"].central and problem.school["S003"].area == "乡村"
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []
    assert {a.researcher_id for a in plan.pairs} == {"R001", "R002", "R003"}
