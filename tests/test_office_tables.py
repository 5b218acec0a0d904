"""What a clerk's tables hold, cell by cell: header rows, note rows, 序号, official words, dates as Excel shows them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from openpyxl import Workbook
from test_office_workbook import RESEARCHER_SHEET, SAVERS

import assign.inputs.tables as tables
from assign.errors import InputError
from assign.inputs.tables import RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, SCHOOL_COLUMNS, SCHOOL_REQUIRED, read_table
from assign.models import DateRange
from assign.vocab import expand_stages, parse_area, split_list, tidy_spaces

# The messages these tests read are the English ones (tests/test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("cell, first, last", [
    ("2024/9/1", "2024-09-01", "2024-09-01"),  # Excel's display of a date on a Chinese Windows
    ("2024-9-1", "2024-09-01", "2024-09-01"),  # no leading zeros
    ("2024.9.1", "2024-09-01", "2024-09-01"),  # dots
    ("2024年9月1日", "2024-09-01", "2024-09-01"),  # the long Chinese form
    ("2024年9月", "2024-09-01", "2024-09-30"),  # a month: every day of it
    ("2024/9/1~2024/9/3", "2024-09-01", "2024-09-03"),  # a range
    ("2024/9/1 0:00", "2024-09-01", "2024-09-01"),  # a date cell saved with its time
    (dt.datetime(2024, 9, 1), "2024-09-01", "2024-09-01"),  # a real date cell
])
def test_dates_as_excel_writes_them_parse(cell, first, last):
    (day,) = DateRange.parse_cell(cell)
    assert (str(day.first), str(day.last)) == (first, last)


@pytest.mark.parametrize("cell, expected", [
    ("2024/2/30", "no such day"),  # not in the calendar
    ("2024年13月", "bad month"),  # no 13th month
    ("9/1/2024", "expected YYYY-MM-DD"),  # the American order is not guessed
])
def test_dates_that_are_no_day_are_refused(cell, expected):
    with pytest.raises(ValueError, match=expected):
        DateRange.parse_cell(cell)


@pytest.mark.parametrize("word, area", [
    ("主城区", "城区"), ("城乡结合区", "城区"), ("县城", "城区"),  # the statistics office's names and the office's own
    ("镇中心区", "镇区"), ("镇乡结合区", "镇区"), ("特殊区域", "镇区"),
    ("乡中心区", "乡村"), ("村庄", "乡村"), ("农村", "乡村"),
    ("112", "城区"), ("123", "镇区"), ("220", "乡村"),  # 3-digit 城乡划分代码
    ("11", "城区"), ("12", "镇区"), ("21", "乡村"), (22.0, "乡村"),  # 2-digit groups, typed as numbers
])
def test_official_area_names_and_codes_map_to_areas(word, area):
    assert parse_area(word) == area


@pytest.mark.parametrize("word, stages", [
    ("完全小学", ("小学",)), ("中心小学", ("小学",)), ("教学点", ("小学",)), ("初级中学", ("初中",)),
    ("九年一贯制学校", ("小学", "初中")), ("完全中学", ("初中", "高中")), ("十二年一贯制学校", ("小学", "初中", "高中")),
    ("特殊教育学校", ("特教",)), ("幼儿园", ("学前",)),
])
def test_official_school_types_map_to_stages(word, stages):
    assert expand_stages([word]) == stages


@pytest.mark.parametrize("cell, items", [
    ("小学/初中", ["小学", "初中"]),  # a slash
    ("小学／初中", ["小学", "初中"]),  # a full-width slash
    ("语文、数学;英语", ["语文", "数学", "英语"]),  # the separators of before
])
def test_lists_split_on_slashes_too(cell, items):
    assert split_list(cell) == items


@pytest.mark.parametrize("name, tidy", [
    ("王　芳", "王芳"),  # a full-width space pads a two-character name
    ("王  芳", "王芳"),  # two spaces do too
    ("\u3000李建国\u00a0", "李建国"),  # blanks at the ends, no-break space
    ("王秀兰 老师", "王秀兰 老师"),  # one plain space stays (a line break in the cell)
    ("Li\u3000Ming", "Li Ming"),  # between Latin letters a blank stays one space
])
def test_names_padded_with_blanks_are_the_same_name(name, tidy):
    assert tidy_spaces(name, join_cjk=True) == tidy


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_a_csv_with_a_title_row_a_blank_row_and_notes_below_reads_from_its_header(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["青山县教研员名单,,,", ",,,", "序号,姓名,学科,学段", "1,王　芳,语文,小学", "2,李建国,数学,小学/初中",
                                          ",,,", "注：本表由教研室填写,,,", "制表人：李明,,,"])
    table = read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    assert [row.number for row in table.rows] == [4, 5]
    assert [row.values["id"] for row in table.rows] == ["王芳", "李建国"]  # 序号 is never the id
    assert all("序号" not in row.extra for row in table.rows)
    notes = "\n".join(table.notes)
    assert "row 3 taken as the header" in notes and "rows 7、8 are notes" in notes and "no 工号 column: ids made from the 姓名 column" in notes


def test_rows_numbered_in_advance_and_left_empty_are_no_records(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["序号,姓名,学科,学段", "1,王芳,语文,小学", "2,,,", "3,,,", "注：以上共1人,,,"])
    table = read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    assert [row.values["name"] for row in table.rows] == ["王芳"] and "rows 5 are notes" in "\n".join(table.notes)


def test_two_people_of_one_name_get_distinct_ids_and_a_note(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["姓名,学科,学段", "王芳,语文,小学", "王芳,数学,初中"])
    table = read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    assert [row.values["id"] for row in table.rows] == ["王芳", "王芳~2"]
    assert "names given twice: 王芳" in "\n".join(table.notes)


def test_a_table_with_its_id_column_keeps_its_ids_and_says_nothing(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["工号,姓名,学科,学段", "R1,王芳,语文,小学"])
    table = read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    assert table.rows[0].values["id"] == "R1" and table.notes == []


@pytest.mark.parametrize("header, field, said", [
    ("所在乡镇", "township", "column 所在乡镇 read as 乡镇"),  # contains one known header: read as it, with a warning
    ("乡镇名称", "township", "column 乡镇名称 read as 乡镇"),
    ("学校名称*", "name", None),  # a required mark after a known header: the header itself
])
def test_a_header_that_looks_like_a_known_one_is_read_as_it_and_said(tmp_path, header, field, said):
    names = ["学校代码", "学校名称", "学段", "城乡类型", "经度", "纬度"]
    names[names.index("学校名称")] = header if field == "name" else "学校名称"
    path = write_csv(tmp_path / "s.csv", [",".join([*names, *([header] if field != "name" else [])]),
                                          "S1,一小,小学,城区,112.5,34.5" + (",城关镇" if field != "name" else "")])
    table = read_table(path, SCHOOL_COLUMNS, SCHOOL_REQUIRED)
    assert table.headers[field] == header
    assert (said is None and table.notes == []) or said in "\n".join(table.notes)


def test_contact_columns_stay_as_the_office_wrote_them(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["学校代码,学校名称,学段,城乡类型,联系人,联系电话", "S1,一小,小学,城区,陈校长,0371-1000001"])
    (row,) = read_table(path, SCHOOL_COLUMNS, SCHOOL_REQUIRED).rows
    assert row.extra == {"联系人": "陈校长", "联系电话": "0371-1000001"}


def test_a_wps_et_file_that_is_an_excel_file_inside_is_read(tmp_path):
    book = Workbook()
    book.active.append(["教研员名单"])
    book.active.append(["姓名", "学科", "学段"])
    book.active.append(["王芳", "语文", "小学"])
    book.save(tmp_path / "r.xlsx")
    shutil.copy(tmp_path / "r.xlsx", tmp_path / "r.et")
    table = read_table(tmp_path / "r.et", RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    assert table.rows[0].values["name"] == "王芳" and table.rows[0].number == 3 and table.sheet == "Sheet"


def test_a_table_wider_than_excel_names_its_columns_by_number_not_a_crash(tmp_path):
    header = ["姓名", "学科", "学段"] + [""] * 20_000
    row = ["王芳", "语文", "小学"] + [""] * 19_999 + ["x" * 10_001]  # too long a cell, beyond Excel's last column XFD
    path = write_csv(tmp_path / "wide.csv", [",".join(header), ",".join(row)])
    with pytest.raises(InputError) as caught:
        read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")
    (problem,) = caught.value.problems
    assert problem.row == 2 and problem.column == "column 20003" and "10,001 characters" in problem.expected


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])  # both are zips: what they unpack to is checked before reading
def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"r{suffix}"
    SAVERS[suffix](path, {"教研员": RESEARCHER_SHEET})
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(InputError, match="unpacks to .* at most 1,000"):
        read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, id_from="name")


def test_a_township_merged_down_its_schools_in_an_xls_gives_every_school_its_township(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("学校")
    for c, header in enumerate(["学校名称", "学段", "城乡类型", "乡镇"]):
        sheet.write(0, c, header)
    for r, name in enumerate(["一小", "二小", "三小"], start=1):
        for c, value in enumerate([name, "小学", "乡村"]):
            sheet.write(r, c, value)
    sheet.write_merge(1, 3, 3, 3, "河口镇")  # one cell for the three schools, as clerks merge it
    book.save(str(tmp_path / "s.xls"))
    table = read_table(tmp_path / "s.xls", SCHOOL_COLUMNS, SCHOOL_REQUIRED, id_from="name")
    assert [row.values["township"] for row in table.rows] == ["河口镇"] * 3
