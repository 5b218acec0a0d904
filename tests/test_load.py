"""Loading tables and scenarios: every accepted spelling becomes the canonical value, every bad
cell becomes an `InputError` naming file, row, column (as written) and value.

Fixtures are tiny tables written into `tmp_path` by the helpers below; nothing is solved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from assign import vocab
from assign.errors import InputError
from assign.inputs.tables import RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, read_table
from assign.load import load_researchers, load_scenario, load_schools
from assign.locale import _
from assign.models import DateRange, ResearchDay

# The messages these tests read are the English ones (test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"

# --------------------------------------------------------------------------------------------
# helpers: write tables and scenarios
# --------------------------------------------------------------------------------------------

R_HEAD_ZH = ["工号", "姓名", "学科", "学段"]
R_HEAD_EN = ["id", "name", "subject", "stages"]
S_HEAD_ZH = ["学校代码", "学校名称", "学段", "城乡类型", "经度", "纬度"]
S_HEAD_EN = ["id", "name", "stages", "area", "lon", "lat"]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    """Write rows as CSV bytes in `encoding` (utf-8-sig adds the BOM Excel writes)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_table(path: Path, rows: list[list[object]]) -> Path:
    return write_xlsx(path, rows) if path.suffix == ".xlsx" else write_csv(path, rows)


def default_researchers() -> list[list[object]]:
    return [R_HEAD_EN, ["R1", "张三", "数学", "小学"], ["R2", "李四", "语文", "初中"]]


def default_schools() -> list[list[object]]:
    return [
        S_HEAD_EN,
        ["S1", "城关小学", "小学", "城区", 112.51, 34.50],
        ["S2", "河口初中", "初中", "乡村", 112.60, 34.42],
        ["S3", "镇一中", "九年一贯制", "镇区", 112.55, 34.47],
    ]


def write_scenario(
    tmp_path: Path,
    researchers: list[list[object]] | None = None,
    schools: list[list[object]] | None = None,
    researchers_file: str = "researchers.csv",
    schools_file: str = "schools.csv",
) -> Path:
    """A minimal scenario.yaml and its two tables; `None` tables get the default rows."""
    write_table(tmp_path / researchers_file, default_researchers() if researchers is None else researchers)
    write_table(tmp_path / schools_file, default_schools() if schools is None else schools)
    path = tmp_path / "scenario.yaml"
    path.write_text(
        "name: t\n"
        "office: {name: 测试县教研室, lon: 112.5, lat: 34.5}\n"
        f"data: {{researchers: {researchers_file}, schools: {schools_file}}}\n"
        "policies: {stage_match: {}, school_count: {min: 1, max: 2}}\n",
        encoding="utf-8",
    )
    return path


def one_researcher(tmp_path: Path, header: list[str], row: list[object], name: str = "r.csv") -> "object":
    return load_researchers(write_table(tmp_path / name, [header, row]))[0]


def one_school(tmp_path: Path, header: list[str], row: list[object], name: str = "s.csv") -> "object":
    return load_schools(write_table(tmp_path / name, [header, row]))[0]


# --------------------------------------------------------------------------------------------
# loader paths: encodings, xlsx, headers
# --------------------------------------------------------------------------------------------

FULL_R_HEAD_ZH = ["工号", "姓名", "学科", "学段", "类别", "驻地", "最少联系学校", "最多联系学校", "现联系学校", "联系起始", "回避学校", "不可用日期"]
FULL_R_ROW = ["R007", "王秀兰", "语文", "小学", "兼职", "S1", "1", "2", "S2", "2024-9", "S3", "2026-11-03"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_researchers_csv_with_chinese_headers_reads_in_utf8_bom_and_gb18030(tmp_path, encoding):
    path = write_csv(tmp_path / "r.csv", [FULL_R_HEAD_ZH, FULL_R_ROW], encoding=encoding)
    (r,) = load_researchers(path)
    assert (r.id, r.name, r.subjects, r.stages, r.kind, r.base) == ("R007", "王秀兰", ("语文",), ("小学",), "兼职", "S1")
    assert (r.min_schools, r.max_schools) == (1, 2)
    assert (r.current_schools, r.avoid_schools, r.since) == (("S2",), ("S3",), "2024-09")
    assert r.unavailable == (DateRange(first=dt.date(2026, 11, 3), last=dt.date(2026, 11, 3)),)
    assert (r.source, r.row, r.extra) == (str(path), 2, {})


def test_csv_encoding_detected_is_reported_as_bom_utf8_or_gb18030(tmp_path):
    bom = read_table(write_csv(tmp_path / "a.csv", [FULL_R_HEAD_ZH, FULL_R_ROW], "utf-8-sig"), RESEARCHER_COLUMNS, RESEARCHER_REQUIRED)
    gbk = read_table(write_csv(tmp_path / "b.csv", [FULL_R_HEAD_ZH, FULL_R_ROW], "gb18030"), RESEARCHER_COLUMNS, RESEARCHER_REQUIRED)
    # the BOM must not stick to the first header, or 工号 would be an unknown column
    assert bom.headers["id"] == "工号" and bom.encoding == "utf-8-sig"
    assert gbk.headers["id"] == "工号" and gbk.encoding == "gb18030"


def test_schools_csv_in_gb18030_with_chinese_headers_loads_every_column(tmp_path):
    head = S_HEAD_ZH + ["乡镇", "优先级", "办学性质", "中心校", "需指导学科", "最多教研员", "停访日期", "教研活动日"]
    row = ["S9", "河口镇中心小学", "小学", "乡村", "112.6", "34.4", "河口镇", "3", "民办", "是", "数学", "2", "2026-11-09~2026-11-13", "数学:周三"]
    (s,) = load_schools(write_csv(tmp_path / "s.csv", [head, row], "gb18030"))
    assert (s.id, s.name, s.stages, s.area, s.township) == ("S9", "河口镇中心小学", ("小学",), "乡村", "河口镇")
    assert (s.lon, s.lat, s.priority, s.ownership, s.central, s.max_researchers) == (112.6, 34.4, 3, "民办", True, 2)
    assert s.priority_school
    assert s.subjects_needed == ("数学",)
    assert s.blackout == (DateRange(first=dt.date(2026, 11, 9), last=dt.date(2026, 11, 13)),)
    assert s.research_days == (ResearchDay(subject="数学", weekday=2, biweekly=False),)


def test_xlsx_researchers_and_schools_load_with_native_cell_types(tmp_path):
    r_path = write_xlsx(tmp_path / "r.xlsx", [
        FULL_R_HEAD_ZH,
        [1001, "张三", "数学", "初中", None, None, 1, 2.0, None, dt.datetime(2024, 9, 1), None, dt.datetime(2026, 10, 12)],
    ])
    s_path = write_xlsx(tmp_path / "s.xlsx", [S_HEAD_ZH + ["优先级"], ["S1", "一中", "完全中学", 121, 112.5, 34.5, 2]])
    (r,) = load_researchers(r_path)
    (s,) = load_schools(s_path)
    # numbers typed in Excel arrive as int/float; ids must not become "1001.0"
    assert (r.id, r.kind, r.min_schools, r.max_schools, r.since) == ("1001", "专职", 1, 2, "2024-09")
    assert r.unavailable == (DateRange(first=dt.date(2026, 10, 12), last=dt.date(2026, 10, 12)),)
    assert (s.id, s.stages, s.area, s.priority, s.lon) == ("S1", ("初中", "高中"), "镇区", 2, 112.5)


def test_english_headers_ignore_case_and_surrounding_spaces(tmp_path):
    head = ["  ID ", "Name", " SUBJECT", "Stages  ", " Max_Schools", "UNAVAILABLE "]
    r = one_researcher(tmp_path, head, ["R1", "Li Si", "Math", "Primary", "3", "2026-10-12"])
    assert (r.id, r.name, r.subjects, r.stages, r.max_schools) == ("R1", "Li Si", ("数学",), ("小学",), 3)
    assert r.extra == {}  # every header was recognised
    s = one_school(tmp_path, [" Id", "NAME ", "stage", " Area", "Longitude", "LAT"], ["S1", "No.1", "Junior", "Rural", "112.5", "34.5"])
    assert (s.id, s.stages, s.area, s.lon, s.lat) == ("S1", ("初中",), "乡村", 112.5, 34.5)


def test_unknown_columns_are_kept_in_extra_as_written(tmp_path):
    r = one_researcher(tmp_path, R_HEAD_ZH + [" 备注 ", "电话"], ["R1", "张三", "数学", "小学", "新调入", "13800000000"])
    assert r.extra == {"备注": "新调入", "电话": "13800000000"}
    s = one_school(tmp_path, S_HEAD_EN + ["校长"], ["S1", "一小", "小学", "城区", "112.5", "34.5", "赵六"])
    assert s.extra == {"校长": "赵六"}


# --------------------------------------------------------------------------------------------
# cell vocabulary
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", [";", "；", "、", ",", "，"])
def test_every_list_separator_splits_subject_stage_and_id_cells(tmp_path, sep):
    head = R_HEAD_EN + ["current_schools", "avoid_schools"]
    r = one_researcher(tmp_path, head, ["R1", "张三", f"语文{sep}数学", f"小学{sep} 初中", f"S1{sep}S2", f"S3 {sep}S4"])
    assert r.subjects == ("语文", "数学")
    assert r.stages == ("小学", "初中")
    assert r.current_schools == ("S1", "S2")
    assert r.avoid_schools == ("S3", "S4")
    s = one_school(tmp_path, S_HEAD_EN + ["subjects_needed"], ["S1", "一中", f"初中{sep}高中", "城区", "1", "1", f"物理{sep}化学"])
    assert s.stages == ("初中", "高中")
    assert s.subjects_needed == ("物理", "化学")


@pytest.mark.parametrize(
    ("word", "stages"),
    [
        ("九年一贯制", ("小学", "初中")),
        ("完全中学", ("初中", "高中")),
        ("十二年一贯制", ("小学", "初中", "高中")),
        ("primary", ("小学",)),
        ("Senior", ("高中",)),
        ("kindergarten", ("学前",)),
        ("特殊教育", ("特教",)),
        ("高中、小学", ("小学", "高中")),  # canonical order, whatever order was written
        ("九年一贯制；初中", ("小学", "初中")),  # overlapping words do not duplicate a stage
    ],
)
def test_stage_words_expand_to_canonical_stages(tmp_path, word, stages):
    assert one_school(tmp_path, S_HEAD_EN, ["S1", "x", word, "城区", "1", "1"]).stages == stages
    assert one_researcher(tmp_path, R_HEAD_EN, ["R1", "x", "数学", word]).stages == stages


@pytest.mark.parametrize(
    ("cell", "area"),
    [
        ("城区", "城区"),
        ("镇区", "镇区"),
        ("乡村", "乡村"),
        ("农村", "乡村"),
        ("Urban", "城区"),
        ("111", "城区"),
        ("112", "城区"),
        ("121", "镇区"),
        ("123", "镇区"),
        ("210", "乡村"),
        ("220", "乡村"),
    ],
)
def test_area_words_and_3_digit_urban_rural_codes(tmp_path, cell, area):
    assert one_school(tmp_path, S_HEAD_ZH, ["S1", "x", "小学", cell, "1", "1"]).area == area


@pytest.mark.parametrize("cell", [121, 121.0])
def test_xlsx_numeric_area_code_121_is_town(tmp_path, cell):
    s = one_school(tmp_path, ["学校代码", "学校名称", "学段", "城乡划分代码", "经度", "纬度"], ["S1", "x", "小学", cell, 112.5, 34.5], name="s.xlsx")
    assert s.area == "镇区"


@pytest.mark.parametrize(
    ("cell", "central"),
    [("是", True), ("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("√", True), ("中心校", True),
     ("否", False), ("No", False), ("0", False), ("", False)],
)
def test_central_school_yes_no_words(tmp_path, cell, central):
    assert one_school(tmp_path, S_HEAD_EN + ["中心校"], ["S1", "x", "小学", "乡村", "1", "1", cell]).central is central


def test_central_school_xlsx_boolean_cell(tmp_path):
    s = one_school(tmp_path, S_HEAD_EN + ["central"], ["S1", "x", "小学", "乡村", 1, 1, True], name="s.xlsx")
    assert s.central is True


def test_research_days_weekly_and_biweekly(tmp_path):
    s = one_school(tmp_path, S_HEAD_EN + ["教研活动日"], ["S1", "x", "小学", "城区", "1", "1", "数学:周三; 语文:双周四"])
    assert s.research_days == (
        ResearchDay(subject="数学", weekday=2, biweekly=False),
        ResearchDay(subject="语文", weekday=3, biweekly=True),
    )


def test_research_days_accept_full_width_colon_alias_subject_and_sunday(tmp_path):
    s = one_school(tmp_path, S_HEAD_EN + ["research_days"], ["S1", "x", "初中", "城区", "1", "1", "信息技术：隔周五，英语:星期日"])
    assert s.research_days == (
        ResearchDay(subject="信息科技", weekday=4, biweekly=True),
        ResearchDay(subject="英语", weekday=6, biweekly=False),
    )


def test_date_ranges_and_single_days_in_unavailable_and_blackout(tmp_path):
    cell = "2026-10-12~2026-10-16; 2026-11-03"
    r = one_researcher(tmp_path, R_HEAD_EN + ["不可用日期"], ["R1", "x", "数学", "小学", cell])
    s = one_school(tmp_path, S_HEAD_EN + ["停访日期"], ["S1", "x", "小学", "城区", "1", "1", cell])
    expected = (
        DateRange(first=dt.date(2026, 10, 12), last=dt.date(2026, 10, 16)),
        DateRange(first=dt.date(2026, 11, 3), last=dt.date(2026, 11, 3)),
    )
    assert r.unavailable == expected
    assert s.blackout == expected
    assert [len(d.days()) for d in r.unavailable] == [5, 1]


def test_subjects_needed_defaults_to_every_subject_of_the_stages(tmp_path):
    s = one_school(tmp_path, S_HEAD_EN, ["S1", "x", "九年一贯制", "城区", "1", "1"])
    assert s.subjects_needed == vocab.subjects_of_stages(("小学", "初中"))
    assert {"语文", "科学", "物理", "音乐"} <= set(s.subjects_needed)
    assert "思想政治" not in s.subjects_needed  # a 高中 subject


def test_subjects_needed_given_replaces_the_default_and_aliases_are_canonical(tmp_path):
    s = one_school(tmp_path, S_HEAD_ZH + ["需指导学科"], ["S1", "x", "九年一贯制", "城区", "1", "1", "数学、道法、Math"])
    assert s.subjects_needed == ("数学", "道德与法治")


# --------------------------------------------------------------------------------------------
# whole scenarios
# --------------------------------------------------------------------------------------------

def test_minimal_scenario_loads_into_a_problem_without_warnings(tmp_path):
    problem = load_scenario(write_scenario(tmp_path))
    assert [r.id for r in problem.researchers] == ["R1", "R2"]
    assert [s.id for s in problem.schools] == ["S1", "S2", "S3"]
    assert [use.name for use in problem.policies] == ["stage_match", "school_count"]
    assert problem.warnings == ()
    assert problem.minutes("R1", "S1") > 0


def test_scenario_with_xlsx_tables_loads(tmp_path):
    problem = load_scenario(write_scenario(tmp_path, researchers_file="r.xlsx", schools_file="s.xlsx"))
    assert {s.area for s in problem.schools} == {"城区", "镇区", "乡村"}
    assert problem.researcher["R2"].name == "李四"


def test_unknown_subject_word_is_a_warning_not_an_error(tmp_path):
    researchers = default_researchers() + [["R3", "王五", "书法", "小学"]]
    problem = load_scenario(write_scenario(tmp_path, researchers=researchers))
    assert problem.researcher["R3"].subjects == ("书法",)
    assert len(problem.warnings) == 1
    assert "书法" in problem.warnings[0] and "R3" in problem.warnings[0] and "row 4" in problem.warnings[0]


def test_an_unknown_subject_on_many_rows_is_one_warning_naming_every_row(tmp_path):
    researchers = default_researchers() + [["R3", "王五", "书法", "小学"], ["R4", "赵六", "书法、数学", "小学"]]
    problem = load_scenario(write_scenario(tmp_path, researchers=researchers))
    (warning,) = [w for w in problem.warnings if "书法" in w]
    assert "row 4、5" in warning and "R3 王五、R4 赵六" in warning


def test_unknown_subject_in_subjects_needed_is_a_warning_not_an_error(tmp_path):
    schools = default_schools()
    schools[0] = S_HEAD_EN + ["subjects_needed"]
    schools[1] = schools[1] + ["数学、围棋"]
    problem = load_scenario(write_scenario(tmp_path, schools=schools))
    assert problem.school["S1"].subjects_needed == ("数学", "围棋")
    assert any("围棋" in w and "S1" in w for w in problem.warnings)


def test_demo_county_loads_with_enough_people_schools_townships_and_all_areas():
    # The thresholds (not the exact counts) are what the demo promises: big enough to look real.
    problem = load_scenario(DEMO)
    assert len(problem.researchers) >= 40
    assert len(problem.schools) >= 120
    assert len({s.township for s in problem.schools if s.township}) >= 10
    assert {s.area for s in problem.schools} == {"城区", "镇区", "乡村"}


# --------------------------------------------------------------------------------------------
# bad inputs: one InputError naming file, row, column (as written) and value
# --------------------------------------------------------------------------------------------

def _r(*rows, head=R_HEAD_ZH):
    return [head, *[list(r) for r in rows]]


def _s(*rows, head=S_HEAD_ZH):
    return [head, *[list(r) for r in rows]]


R_OK = ["R1", "张三", "数学", "小学"]
S_OK = ["S1", "城关小学", "小学", "城区", "112.5", "34.5"]

# Each case: researchers rows, schools rows (None = defaults), then what the message must name:
# file, row (None: a file-level problem), column as the user wrote it, value, and a word of the reason (in English:
# the test runs with the `english` fixture; row and column are built through the catalog).
BAD_INPUTS = [
    pytest.param(_r(["R1", "张三", "数学", "大学"]), None, "researchers.csv", 2, "学段", "大学", "unknown stage",
                 id="stage-word-unknown"),  # 大学 is not a stage a county office covers
    pytest.param(None, _s(S_OK, ["S2", "二小", "小学", "城市", "1", "1"]), "schools.csv", 3, "城乡类型", "城市", "unknown area",
                 id="area-word-unknown"),  # 城市 is not one of 城区/镇区/乡村
    pytest.param(None, _s(["S1", "一小", "小学", "130", "1", "1"], head=["学校代码", "学校名称", "学段", "城乡划分代码", "经度", "纬度"]),
                 "schools.csv", 2, "城乡划分代码", "130", "unknown area",
                 id="area-code-unknown"),  # 130 is not a statistics-bureau code
    pytest.param(None, _s(S_OK + ["5"], head=S_HEAD_ZH + ["优先级"]), "schools.csv", 2, "优先级", "5", "at most 3",
                 id="priority-5"),  # priority runs 1..3
    pytest.param(None, _s(S_OK + ["高"], head=S_HEAD_ZH + ["优先级"]), "schools.csv", 2, "优先级", "高", "whole number",
                 id="priority-not-a-number"),  # priority must be a number
    pytest.param(_r(R_OK, ["", "李四", "语文", "初中"]), None, "researchers.csv", 3, "工号", None, "must not be empty",
                 id="researcher-id-empty"),  # every researcher needs an id
    pytest.param(None, _s(S_OK, ["S2", " ", "小学", "城区", "1", "1"]), "schools.csv", 3, "学校名称", None, "must not be empty",
                 id="school-name-empty"),  # a blank name (spaces only) is empty
    pytest.param(_r(R_OK, ["R2", "", "语文", "初中"]), None, "researchers.csv", 3, "姓名", None, "must not be empty",
                 id="researcher-name-empty"),  # a researcher needs a name
    pytest.param(_r(R_OK + ["2026-10-12~2026-13-01"], head=R_HEAD_ZH + ["不可用日期"]), None, "researchers.csv", 2, "不可用日期",
                 "2026-13-01", "bad date", id="unavailable-date-bad"),  # there is no month 13
    pytest.param(_r(R_OK + ["2026-10-16~2026-10-12"], head=R_HEAD_ZH + ["不可用日期"]), None, "researchers.csv", 2, "不可用日期",
                 "2026-10-16~2026-10-12", "ends before", id="unavailable-range-reversed"),  # a range must not run backwards
    pytest.param(None, _s(S_OK + ["2026-02-30"], head=S_HEAD_ZH + ["停访日期"]), "schools.csv", 2, "停访日期", "2026-02-30", "bad date",
                 id="blackout-date-bad"),  # February has no 30th
    pytest.param(None, _s(S_OK + ["数学:周八"], head=S_HEAD_ZH + ["教研活动日"]), "schools.csv", 2, "教研活动日", "数学:周八",
                 "bad research day", id="research-day-bad"),  # there is no 周八
    pytest.param(None, _s(S_OK + ["周三"], head=S_HEAD_ZH + ["教研活动日"]), "schools.csv", 2, "教研活动日", "周三",
                 "bad research day", id="research-day-without-subject"),  # the subject group is missing
    pytest.param(_r(R_OK + ["2024-13"], head=R_HEAD_ZH + ["联系起始"]), None, "researchers.csv", 2, "联系起始", "2024-13", "bad month",
                 id="since-month-13"),  # months run 1..12
    pytest.param(_r(R_OK + ["去年秋天"], head=R_HEAD_ZH + ["联系起始"]), None, "researchers.csv", 2, "联系起始", "去年秋天", "bad month",
                 id="since-not-a-month"),  # since must be YYYY-MM
    # no count satisfies min 3, max 1: the max cell is named, with the min it contradicts
    pytest.param(_r(R_OK + ["3", "1"], head=R_HEAD_EN + ["min_schools", "max_schools"]), None, "researchers.csv", 2, "max_schools", "1",
                 "max_schools 1 is below min_schools 3", id="min-above-max"),
    pytest.param(_r(["R1", "张三", "小学"], head=["工号", "学科", "学段"]), None, "researchers.csv", 1, None, "姓名", "missing required column",
                 id="researcher-name-column-missing"),  # 姓名 is required
    pytest.param(None, _s(["S1", "一小", "小学", "1", "1"], head=["学校代码", "学校名称", "学段", "经度", "纬度"]), "schools.csv", 1, None,
                 "城乡类型", "missing required column", id="school-area-column-missing"),  # 城乡类型 is required
    pytest.param(_r(R_OK, ["R2", "李四", "语文", "初中"], ["R1", "王五", "英语", "小学"], head=R_HEAD_EN), None, "researchers.csv", 4, "id", "R1",
                 "row 2", id="researcher-id-duplicate"),  # R1 on rows 2 and 4
    pytest.param(None, _s(S_OK, ["S1", "二小", "小学", "乡村", "1", "1"], head=S_HEAD_EN), "schools.csv", 3, "id", "S1", "row 2",
                 id="school-id-duplicate"),  # S1 on rows 2 and 3
    pytest.param(_r(R_OK + ["S1、S99"], head=R_HEAD_EN + ["avoid_schools"]), None, "researchers.csv", 2, "avoid_schools", "S99",
                 "unknown school id", id="avoid-school-unknown"),  # S99 is not in the schools table
    pytest.param(_r(R_OK + ["S77"], head=R_HEAD_EN + ["current_schools"]), None, "researchers.csv", 2, "current_schools", "S77",
                 "unknown school id", id="current-school-unknown"),  # S77 is not in the schools table
    pytest.param(_r(R_OK + ["火车站"], head=R_HEAD_EN + ["base"]), None, "researchers.csv", 2, "base", "火车站", "unknown base",
                 id="base-unknown"),  # no road table, so a base must be a school id
    pytest.param(None, [S_HEAD_EN, ["S1", "一小", "小学", "城区", "112.5", "34.5"], ["S2", "二小", "小学", "乡村", "", ""]],
                 "schools.csv", 3, "lon", "S2", "no coordinates", id="school-without-coordinates"),  # no road table: lon/lat needed
    pytest.param(None, _s(["S1", "一小", "小学", "城区", "200", "34.5"]), "schools.csv", 2, "经度", "200", "at most 180",
                 id="longitude-out-of-range"),  # longitude runs -180..180
    pytest.param(_r(R_OK + ["临时"], head=R_HEAD_ZH + ["类别"]), None, "researchers.csv", 2, "类别", "临时", "unknown kind",
                 id="kind-unknown"),  # only 专职/兼职
    pytest.param(None, _s(S_OK + ["也许"], head=S_HEAD_ZH + ["中心校"]), "schools.csv", 2, "中心校", "也许", "是/否",
                 id="central-not-yes-no"),  # 中心校 is a yes/no cell
    pytest.param(_r(["R1", "张三", "数学", "小学", "张"], head=["工号", "姓名", "学科", "学段", "id"]), None, "researchers.csv", 1, "id", "id",
                 "appears twice", id="id-column-twice"),  # 工号 and id are the same column
    pytest.param("MISSING", None, "researchers.csv", None, None, None, "not found",
                 id="researchers-file-missing"),  # the scenario names a file that is not there
    pytest.param("EMPTY", None, "researchers.csv", None, None, None, "empty",
                 id="researchers-file-empty"),  # zero bytes: not even a header row
    pytest.param(None, "EMPTY", "schools.csv", None, None, None, "empty",
                 id="schools-file-only-blank-lines"),  # blank lines only: no header row
]


@pytest.mark.parametrize(("researchers", "schools", "file", "row", "column", "value", "reason"), BAD_INPUTS)
def test_bad_input_raises_input_error_naming_file_row_column_and_value(tmp_path, researchers, schools, file, row, column, value, reason):
    path = write_scenario(
        tmp_path,
        researchers=None if isinstance(researchers, str) else researchers,
        schools=None if isinstance(schools, str) else schools,
    )
    if researchers == "MISSING":
        (tmp_path / "researchers.csv").unlink()
    if researchers == "EMPTY":
        (tmp_path / "researchers.csv").write_bytes(b"")
    if schools == "EMPTY":
        (tmp_path / "schools.csv").write_bytes("\r\n,,\r\n\r\n".encode())
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(tmp_path / file) in message
    if row is None:
        assert caught.value.problems[0].row is None  # a file-level problem has no row to name
    else:
        assert _("row {row}").format(row=row) in message
    if column is not None:
        assert _("column {column}").format(column=column) in message
    if value is not None:
        assert value in message
    assert reason in message
    assert len(caught.value.problems) == 1


def test_missing_required_column_error_names_the_column(tmp_path):
    path = write_csv(tmp_path / "s.csv", [["学校代码", "学校名称", "城乡类型"], ["S1", "一小", "城区"]])
    with pytest.raises(InputError) as caught:
        load_schools(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == (str(path), 1)
    assert "missing required column(s): stages" in problem.expected
    assert problem.value == ["学校代码", "学校名称", "城乡类型"]  # the headers the file does have


def test_scenario_file_that_does_not_exist_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="scenario file not found") as caught:
        load_scenario(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in str(caught.value)


@pytest.mark.parametrize("loader", [load_researchers, load_schools])
def test_table_file_that_does_not_exist_names_the_path(tmp_path, loader):
    with pytest.raises(InputError, match="file not found") as caught:
        loader(tmp_path / "missing.xlsx")
    assert str(tmp_path / "missing.xlsx") in str(caught.value)


@pytest.mark.parametrize("suffix", [".json", ".docx"])
def test_unsupported_extension_names_file_and_extension(tmp_path, suffix):
    path = tmp_path / f"researchers{suffix}"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported file type") as caught:
        load_researchers(path)
    assert str(path) in str(caught.value) and repr(suffix) in str(caught.value)


@pytest.mark.parametrize("suffix, hint", [
    (".ods", "cannot open as a workbook"),  # a text file named .ods
    (".xls", "cannot open as a workbook"),  # … named .xls
    (".et", "save it as .xlsx"),  # a WPS file the reader cannot open: say how to save it
])
def test_a_workbook_that_cannot_be_opened_names_the_file_and_what_to_do(tmp_path, suffix, hint):
    path = tmp_path / f"researchers{suffix}"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(InputError, match=hint) as caught:
        load_researchers(path)
    assert str(path) in str(caught.value)


def test_unsupported_extension_in_scenario_data_is_an_input_error(tmp_path):
    path = write_scenario(tmp_path)
    (tmp_path / "researchers.json").write_bytes(b"PK\x03\x04")
    path.write_text(path.read_text(encoding="utf-8").replace("researchers.csv", "researchers.json"), encoding="utf-8")
    with pytest.raises(InputError, match="unsupported file type") as caught:
        load_scenario(path)
    assert str(tmp_path / "researchers.json") in str(caught.value) and "'.json'" in str(caught.value)


def test_broken_xlsx_is_an_input_error_not_a_crash(tmp_path):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match="cannot open as an Excel workbook") as caught:
        load_schools(path)
    assert str(path) in str(caught.value)


def test_every_bad_cell_of_a_table_is_reported_together(tmp_path):
    rows = [S_HEAD_ZH + ["优先级"], ["S1", "一小", "小学", "城区", "1", "1", "9"], ["S2", "二小", "大学", "城市", "1", "1", "1"]]
    with pytest.raises(InputError) as caught:
        load_schools(write_csv(tmp_path / "s.csv", rows))
    found = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [(2, "优先级", "9"), (3, "学段", "大学"), (3, "城乡类型", "城市")]
    assert str(caught.value).startswith("3 problems in the input:")


# --------------------------------------------------------------------------------------------
# cells whose messages once named the wrong column or row (regression tests)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("researchers", "schools", "column"),
    [
        pytest.param(_r(R_OK + ["S99"], head=R_HEAD_ZH + ["回避学校"]), None, "回避学校", id="avoid"),
        pytest.param(_r(R_OK + ["S99"], head=R_HEAD_ZH + ["现联系学校"]), None, "现联系学校", id="current"),
        pytest.param(_r(R_OK + ["火车站"], head=R_HEAD_ZH + ["驻地"]), None, "驻地", id="base"),
        pytest.param(_r(R_OK, R_OK), None, "工号", id="duplicate-id"),
        pytest.param(None, _s(S_OK, ["S2", "二小", "小学", "乡村", "", ""]), "经度/纬度", id="no-coordinates"),
    ],
)
def test_cross_reference_errors_name_the_chinese_header_as_written(tmp_path, researchers, schools, column):
    with pytest.raises(InputError) as caught:
        load_scenario(write_scenario(tmp_path, researchers=researchers, schools=schools))
    assert caught.value.problems[0].column == column


def test_min_above_max_error_names_the_chinese_column(tmp_path):
    path = write_csv(tmp_path / "r.csv", _r(R_OK + ["3", "1"], head=R_HEAD_ZH + ["最少联系学校", "最多联系学校"]))
    with pytest.raises(InputError) as caught:
        load_researchers(path)
    assert caught.value.problems[0].column == "最多联系学校"


@pytest.mark.parametrize(("head", "chinese"), [(["工号", "姓名", "学段"], "学科"), (["工号", "姓名", "学科"], "学段")], ids=["subject", "stage"])
def test_missing_subject_or_stage_column_error_gives_its_chinese_name(tmp_path, head, chinese):
    with pytest.raises(InputError) as caught:
        load_researchers(write_csv(tmp_path / "r.csv", [head, ["R1", "张三", "小学"]]))
    assert chinese in str(caught.value)


def test_row_numbers_count_leading_blank_rows(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [[None], [None], S_HEAD_ZH, ["S1", "一小", "小学", "城市", 1, 1]])
    with pytest.raises(InputError) as caught:
        load_schools(path)
    assert caught.value.problems[0].row == 4  # the row Excel shows


def test_research_days_split_on_enumeration_comma_like_other_list_cells(tmp_path):
    s = one_school(tmp_path, S_HEAD_EN + ["research_days"], ["S1", "x", "小学", "城区", "1", "1", "数学:周三、语文:周四"])
    assert [d.subject for d in s.research_days] == ["数学", "语文"]


def test_blank_priority_cell_means_a_normal_school(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("id,name,stages,area,lon,lat,priority\nS1,一小,小学,城区,112.5,34.5,\nS2,二小,小学,乡村,112.6,34.5,3\n", encoding="utf-8")
    assert [s.priority for s in load_schools(path)] == [1, 3]
