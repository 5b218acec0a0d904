"""The office's own workbook, as a county clerk keeps it, solves with no edit.

`clerk_workbook` is built like the lists a 教研室 keeps (FORMATS.md, "Real office workbooks"): both
tables as two sheets of one workbook, a merged title row above each header, a 序号 column and no
工号/学校代码, the official 学校类型 and 城乡 words, `小学/初中` lists, names padded with full-width
spaces, a note row under the data, three village schools without coordinates, the office's own
columns (所在乡镇, 联系电话, 职称, 联系人). The same rows saved as .xls (xlwt) and .ods (odfpy) give the
same plan.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from conftest import OFFICE_LAT, OFFICE_LON, audit_errors, solve_det

from assign.errors import InputError
from assign.export.roster import write_roster
from assign.load import load_scenario
from assign.locale import _, ngettext

RESEARCHER_SHEET = [
    ["青山县教研员名单（2026年秋）"],
    ["序号", "姓名", "学科", "学段", "职称", "联系电话"],
    [1, "王　芳", "语文", "小学", "一级", "13800000001"],
    [2, "李建国", "数学", "小学/初中", "高级", "13800000002"],
    [3, "赵　敏", "英语", "初中", "一级", "13800000003"],
    [4, "孙卫东", "数学", "初中/高中", "高级", "13800000004"],
    [5, "周　丽", "语文", "小学", "二级", "13800000005"],
    ["注：学段可写多个，用 / 分开"],
]
# (序号, 学校名称, 学校类型, 城乡, 所在乡镇, 经度, 纬度, 联系人, 联系电话); three 教学点 without coordinates.
SCHOOL_SHEET = [
    ["青山县中小学名单"],
    [],
    ["序号", "学校名称", "学校类型", "城乡", "所在乡镇", "经度", "纬度", "联系人", "联系电话"],
    [1, "青山县实验小学", "完全小学", "主城区", "城关镇", OFFICE_LON + 0.01, OFFICE_LAT, "陈校长", "0371-1000001"],
    [2, "青山县第一初级中学", "初级中学", "县城", "城关镇", OFFICE_LON + 0.02, OFFICE_LAT, "刘校长", "0371-1000002"],
    [3, "青山县高级中学", "完全中学", "城乡结合区", "城关镇", OFFICE_LON, OFFICE_LAT + 0.02, "马校长", "0371-1000003"],
    [4, "河口镇中心小学", "中心小学", "镇中心区", "河口镇", OFFICE_LON + 0.10, OFFICE_LAT, "黄校长", "0371-1000004"],
    [5, "河口镇九年制学校", "九年一贯制学校", "镇乡结合区", "河口镇", OFFICE_LON + 0.12, OFFICE_LAT + 0.01, "吴校长", "0371-1000005"],
    [6, "河口镇石桥教学点", "教学点", "村庄", "河口镇", None, None, "郑老师", "0371-1000006"],
    [7, "云岭乡中心小学", "中心小学", "乡中心区", "云岭乡", OFFICE_LON - 0.10, OFFICE_LAT, "冯校长", "0371-1000007"],
    [8, "云岭乡高山教学点", "教学点", "农村", "云岭乡", None, None, "钱老师", "0371-1000008"],
    [9, "云岭乡初级中学", "初级中学", "220", "云岭乡", OFFICE_LON - 0.11, OFFICE_LAT + 0.01, "杨校长", "0371-1000009"],
    [10, "云岭乡松林教学点", "教学点", "村庄", "云岭乡", None, None, "何老师", "0371-1000010"],
    ["制表人：李明　　日期：2026年9月1日"],
]
NO_PLACE = ("河口镇石桥教学点", "云岭乡高山教学点", "云岭乡松林教学点")
POLICIES = {"stage_match": {}, "subject_match": {}, "school_count": {"min": 1, "max": 2}, "max_travel": {"minutes": 90},
            "coverage": {"priority_first": True, "max_researchers": 2}, "travel": {"weight": 1}}


def save_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    """Each sheet with its title row merged across the header, as clerks make it."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        width = max(len(row) for row in rows)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.merge_cells(start_row=len(rows), start_column=1, end_row=len(rows), end_column=width)  # the note row
    book.save(path)


def save_xls(path: Path, sheets: dict[str, list[list]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        width = max(len(row) for row in rows)
        for r, row in enumerate(rows):
            if len(row) == 1:  # a title or note row: one merged cell
                sheet.write_merge(r, r, 0, width - 1, row[0])
                continue
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))


def save_ods(path: Path, sheets: dict[str, list[list]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell())
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


SAVERS = {".xlsx": save_xlsx, ".xls": save_xls, ".ods": save_ods}


def clerk_workbook(folder: Path, suffix: str = ".xlsx", researchers: list[list] = RESEARCHER_SHEET,
                   schools: list[list] = SCHOOL_SHEET) -> Path:
    """The clerk's one workbook (schools' sheet first, so the sheets are found by their columns) and a scenario naming it twice."""
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / f"青山县名单{suffix}"
    SAVERS[suffix](book, {"学校": schools, "教研员": researchers})
    scenario = {"name": "青山县 2026秋", "office": {"name": "青山县教研室", "lon": OFFICE_LON, "lat": OFFICE_LAT},
                "data": {"researchers": book.name, "schools": book.name}, "policies": POLICIES,
                "solver": {"workers": 1, "seed": 0, "time_limit": 10}}
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clerk_plans(tmp_path_factory) -> dict[str, tuple]:
    """suffix → (problem, plan) of the clerk's workbook saved in that format."""
    out = {}
    for suffix in SAVERS:
        problem = load_scenario(clerk_workbook(tmp_path_factory.mktemp(suffix.strip(".")), suffix))
        out[suffix] = (problem, solve_det(problem))
    return out


def test_the_clerks_workbook_solves_with_no_edit_and_passes_every_audit(clerk_plans):
    problem, plan = clerk_plans[".xlsx"]
    assert plan.status == "OPTIMAL"
    assert audit_errors(plan) == []
    assert len(problem.researchers) == 5 and len(problem.schools) == 10  # neither the title nor the note row is a record
    assert {a.researcher_id for a in plan.pairs} == set(problem.researcher)  # everyone has a school


def test_names_padded_with_full_width_spaces_are_the_names_and_their_ids(clerk_plans):
    problem, _ = clerk_plans[".xlsx"]
    assert [r.name for r in problem.researchers] == ["王芳", "李建国", "赵敏", "孙卫东", "周丽"]
    assert [r.id for r in problem.researchers] == ["王芳", "李建国", "赵敏", "孙卫东", "周丽"]  # no 工号: ids from the names
    assert problem.school["河口镇中心小学"].name == "河口镇中心小学"


def test_official_school_types_and_area_names_map_to_stages_and_areas(clerk_plans):
    problem, _ = clerk_plans[".xlsx"]
    stages = {s.name: s.stages for s in problem.schools}
    areas = {s.name: s.area for s in problem.schools}
    assert stages["青山县实验小学"] == ("小学",) and stages["河口镇九年制学校"] == ("小学", "初中")
    assert stages["青山县高级中学"] == ("初中", "高中") and stages["云岭乡高山教学点"] == ("小学",)
    assert areas == {"青山县实验小学": "城区", "青山县第一初级中学": "城区", "青山县高级中学": "城区", "河口镇中心小学": "镇区",
                     "河口镇九年制学校": "镇区", "河口镇石桥教学点": "乡村", "云岭乡中心小学": "乡村", "云岭乡高山教学点": "乡村",
                     "云岭乡初级中学": "乡村", "云岭乡松林教学点": "乡村"}
    assert problem.researcher["李建国"].stages == ("小学", "初中")  # 小学/初中


def sheet_of(sheet: str) -> str:
    """How messages name a sheet of the clerk's workbook (the end of it: the folder before it varies)."""
    return _("{file}, sheet {sheet}").format(file="青山县名单.xlsx", sheet=sheet)


def test_warnings_name_every_guess_the_reading_made(clerk_plans):
    problem, _plan = clerk_plans[".xlsx"]
    said = "\n".join(problem.warnings)

    def told(msgid: str, sheet: str, **values) -> bool:
        return _(msgid).format(where=sheet_of(sheet), **values) in said

    header = "{where}: row {row} taken as the header; the {n} rows above it (titles) are not read"
    assert told(header, "教研员", row=2, n=1) and any(told(header, "学校", row=3, n=n) for n in range(1, 3))
    ids = "{where}: no {id} column: ids made from the {name} column"
    assert told(ids, "教研员", id="工号", name="姓名") and told(ids, "学校", id="学校代码", name="学校名称")
    assert told("{where}: column {header} read as {near}", "学校", header="所在乡镇", near="乡镇")
    notes = "{where}: rows {rows} are notes and not read"
    assert any(told(notes, sheet, rows=8) for sheet in ("教研员", "学校")) and any(told(notes, sheet, rows=14) for sheet in ("教研员", "学校"))
    for name in NO_PLACE:
        assert any(name in w and problem.school[name].lon is not None for w in problem.warnings)
    assert problem.school["云岭乡高山教学点"].township == "云岭乡"
    assert problem.school["云岭乡高山教学点"].lon == pytest.approx(OFFICE_LON - 0.105)  # the centre of 云岭乡's two placed schools


def test_the_workbook_saved_as_xls_or_ods_gives_the_same_plan(clerk_plans):
    pairs = {suffix: sorted((a.researcher_id, a.school_id) for a in plan.pairs) for suffix, (_problem, plan) in clerk_plans.items()}
    assert pairs[".xls"] == pairs[".xlsx"] and pairs[".ods"] == pairs[".xlsx"]
    for suffix, (_problem, plan) in clerk_plans.items():
        assert audit_errors(plan) == [], suffix


def test_the_offices_own_columns_go_on_into_the_roster(clerk_plans, tmp_path):
    problem, plan = clerk_plans[".xlsx"]
    write_roster(problem, plan, tmp_path)
    with open(tmp_path / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "序号（教研员）" not in rows[0] and "序号（学校）" not in rows[0]  # a row number is not carried
    first = next(row for row in rows if row["教研员"] == "王芳")
    assert first["联系电话（教研员）"] == "13800000001" and first["职称（教研员）"] == "一级"
    school = problem.school[first["学校代码"]]
    assert first["联系电话（学校）"] == school.extra["联系电话"] and first["联系人（学校）"] == school.extra["联系人"]


# (sheet, row in the sheet as Excel numbers it, column as written, bad value, what the message says in English)
BROKEN = [
    ("教研员", 3, "学段", "大学", "unknown stage '大学'"),  # a stage no school has
    ("教研员", 5, "学科", None, "must not be empty: expected one or more subjects"),  # no subject at all
    ("教研员", 4, "姓名", "", "must not be empty"),  # a row without a name (ids are made from names)
    ("学校", 5, "城乡", "城中村", "unknown area '城中村'"),  # not a word of the statistics office or the office
    ("学校", 6, "学校类型", "职业高中", "unknown stage '职业高中'"),  # a school type the tool does not plan for
    ("学校", 7, "经度", "东经112度", "expected a number"),  # a longitude in words
    ("学校", 8, "纬度", 95, "at most 90"),  # no such latitude
]


def planted(broken: list[tuple]) -> tuple[list[list], list[list]]:
    """The clerk's sheets with each bad value written into its cell."""
    sheets = {"教研员": [list(row) for row in RESEARCHER_SHEET], "学校": [list(row) for row in SCHOOL_SHEET]}
    for sheet, row, column, value, _said in broken:
        rows = sheets[sheet]
        header = next(r for r in rows if "学段" in r or "学校名称" in r)
        rows[row - 1][header.index(column)] = value
    return sheets["教研员"], sheets["学校"]


def listed(error: InputError, sheet: str, row: int, column: str, value: object) -> bool:
    return any(p.file.endswith(sheet_of(sheet)) and p.row == row and p.column == column and p.value == value
               for p in error.problems)


@pytest.mark.parametrize("one", BROKEN, ids=[f"{b[0]}-{b[2]}" for b in BROKEN])
def test_a_broken_cell_is_listed_with_file_sheet_row_column_and_value_beside_the_other_tables_problems(tmp_path, english, one):
    other = next(b for b in BROKEN if b[0] != one[0])  # one problem planted in the other table too
    researchers, schools = planted([one, other])
    with pytest.raises(InputError) as caught:
        load_scenario(clerk_workbook(tmp_path, researchers=researchers, schools=schools))
    for sheet, row, column, value, expected in (one, other):
        shown = None if value == "" else value
        assert listed(caught.value, sheet, row, column, shown), caught.value
        assert expected in str(caught.value)


def test_one_run_lists_every_planted_problem_of_every_table_grouped_by_table(tmp_path):
    researchers, schools = planted(BROKEN)
    with pytest.raises(InputError) as caught:
        load_scenario(clerk_workbook(tmp_path, researchers=researchers, schools=schools))
    assert len(caught.value.problems) == len(BROKEN)
    for sheet, row, column, value, _said in BROKEN:
        assert listed(caught.value, sheet, row, column, None if value == "" else value), caught.value
    sheets = [p.file.rsplit(" ", 1)[-1] for p in caught.value.problems]
    assert sheets == sorted(sheets, key=["教研员", "学校"].index)  # grouped by table
    for sheet, n in (("教研员", 3), ("学校", 4)):
        assert ngettext("{file}: {n} problem", "{file}: {n} problems", n).format(file=sheet_of(sheet), n=n) in str(caught.value)


def test_an_unknown_word_on_many_rows_is_listed_once_with_every_row(tmp_path):
    researchers, schools = planted([("学校", row, "城乡", "城中村", "") for row in (4, 6, 9)])
    with pytest.raises(InputError) as caught:
        load_scenario(clerk_workbook(tmp_path, researchers=researchers, schools=schools))
    (problem,) = caught.value.problems
    assert problem.row == 4 and problem.value == "城中村"
    assert _("{expected} (also rows {more})").format(expected="", more="6、9").strip() in problem.expected


def township_county(tmp_path, townships: str | None) -> Path:
    """A school of 云岭乡 without coordinates, and no other school of 云岭乡 with any; `townships` is the 乡镇 table's text."""
    from conftest import make_scenario, researcher, school

    lost = {**school("S2", township="云岭乡"), "lon": None, "lat": None}
    extra = {}
    if townships is not None:
        (tmp_path / "townships.csv").write_text(townships, encoding="utf-8")
        extra = {"data": {"researchers": "researchers.csv", "schools": "schools.csv", "townships": "townships.csv"}}
    path = make_scenario(tmp_path, [researcher("R1")], [school("S1", township="城关镇"), lost], {"stage_match": {}, "coverage": {}})
    if extra:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(extra)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_townships_table_places_a_school_whose_township_has_no_placed_school(tmp_path):
    problem = load_scenario(township_county(tmp_path, "乡镇,经度,纬度\n云岭乡,112.6,34.45\n"))
    assert (problem.school["S2"].lon, problem.school["S2"].lat) == (112.6, 34.45)
    s = problem.school["S2"]
    assert _("{source}, row {row}: school {name} ({id}) has no coordinates: placed at its township {township} of the townships table ({lon}, {lat})")\
        .format(source=s.source, row=s.row, name=s.name, id=s.id, township="云岭乡", lon="112.6000", lat="34.4500") in problem.warnings
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []


def test_a_school_whose_township_gives_no_place_is_an_error_that_says_what_would(tmp_path):
    with pytest.raises(InputError, match="或|乡镇") as caught:
        load_scenario(township_county(tmp_path, None))
    (problem,) = caught.value.problems
    assert problem.row == 3 and "学校S2" in problem.expected and "乡镇" in problem.expected


@pytest.mark.parametrize("text, column, value", [
    ("乡镇,经度,纬度\n云岭乡,东经112,34.45\n", "经度", "东经112"),  # a longitude in words
    ("乡镇,经度,纬度\n云岭乡,112.6,95\n", "纬度", "95"),  # off the globe
    ("乡镇,经度,纬度\n云岭乡,112.6,34.45\n云岭乡,112.7,34.45\n", "乡镇", "云岭乡"),  # given twice
])
def test_a_bad_townships_table_is_reported_by_row_and_column(tmp_path, text, column, value):
    with pytest.raises(InputError) as caught:
        load_scenario(township_county(tmp_path, text))
    assert any(p.file.endswith("townships.csv") and p.column == column and p.value == value for p in caught.value.problems), caught.value


@pytest.mark.parametrize("minutes, covered", [
    (40, True),  # the office's own minutes: within the 90-minute cap
    (100, False),  # beyond it: max_travel keeps it from every researcher
])
def test_minutes_the_office_gives_stand_for_a_school_without_a_place(tmp_path, minutes, covered):
    from conftest import make_scenario, researcher, school

    lost = {**school("S2", township="云岭乡"), "lon": None, "lat": None, "单程分钟": minutes}
    path = make_scenario(tmp_path, [researcher("R1"), researcher("R2")], [school("S1", township="城关镇"), lost],
                         {"stage_match": {}, "max_travel": {"minutes": 90}, "school_count": {"min": 0, "max": 1}, "coverage": {}})
    problem = load_scenario(path)
    assert problem.travel.of("R1", "S2") == minutes and problem.school["S2"].lon is None
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []
    assert ("S2" in {a.school_id for a in plan.pairs}) == covered


def test_a_scenario_may_name_the_sheet_of_each_table(tmp_path):
    """Two sheets that both have the schools' columns: `名单.xlsx#学校2` settles which is read."""
    path = clerk_workbook(tmp_path)
    book = tmp_path / "青山县名单.xlsx"
    save_xlsx(book, {"学校": SCHOOL_SHEET[:4] + SCHOOL_SHEET[-1:], "学校2": SCHOOL_SHEET, "教研员": RESEARCHER_SHEET})
    assert len(load_scenario(path).schools) == 1  # by the columns alone, the first sheet that has them
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["data"]["schools"] = f"{book.name}#学校2"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problem = load_scenario(path)
    assert len(problem.schools) == 10 and problem.school["青山县实验小学"].source.endswith(sheet_of("学校2"))
    data["data"]["schools"] = f"{book.name}#学校3"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(_("no sheet of this name in the workbook (the name after # is a sheet's title)"))) as caught:
        load_scenario(path)
    assert caught.value.problems[0].value == "学校3"
