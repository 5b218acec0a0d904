"""`assign template`: the two forms an office fills in, 教研员.xlsx and 学校.xlsx.

Each workbook has a title row, the header the reader expects (Chinese, as in README "What you hand
in"), one example row to overwrite, and drop-downs (Excel/WPS data validation) on the columns whose
words the tool maps: 学段 and 学校类型, 城乡类型, 学科, 类别, 办学性质, 是/否 and 优先级. A column that
takes one word refuses anything else (stop); a column that takes a list (a researcher's 学段 and
学科, a school's 需指导学科) offers the words and only warns, so `小学/初中` can still be typed. The
choices are on a hidden sheet 选项, because an inline list is capped at 255 characters.
"""

from __future__ import annotations

from pathlib import Path

from assign import vocab
from assign.errors import AssignError
from assign.export.atomic import atomic_path
from assign.export.cells import append_row
from assign.export.xlsx_print import printable
from assign.locale import _

RESEARCHER_FORM = "教研员.xlsx"
SCHOOL_FORM = "学校.xlsx"
YES_NO = ("是", "否")
SCHOOL_TYPES = ("幼儿园", "完全小学", "中心小学", "村小", "教学点", "初级中学", "高级中学", "完全中学", "九年一贯制学校",
                "十二年一贯制学校", "特殊教育学校")
AREA_CHOICES = (*vocab.AREAS, "主城区", "城乡结合区", "镇中心区", "镇乡结合区", "特殊区域", "乡中心区", "村庄", "县城", "农村")

# header → (choices, one word only?, width); None: no drop-down.
RESEARCHER_HEADERS: dict[str, tuple[tuple[str, ...] | None, bool, int]] = {
    "工号": (None, True, 10), "姓名": (None, True, 10), "学科": (vocab.SUBJECTS, False, 12), "学段": (vocab.STAGES, False, 10),
    "类别": (("专职", "兼职"), True, 8), "驻地": (None, True, 12), "最少联系学校": (None, True, 8), "最多联系学校": (None, True, 8),
    "现联系学校": (None, True, 16), "联系起始": (None, True, 10), "回避学校": (None, True, 14), "不可用日期": (None, True, 24),
}
SCHOOL_HEADERS: dict[str, tuple[tuple[str, ...] | None, bool, int]] = {
    "学校代码": (None, True, 12), "学校名称": (None, True, 24), "学段": ((*SCHOOL_TYPES, *vocab.STAGES), True, 14),
    "城乡类型": (AREA_CHOICES, True, 10), "乡镇": (None, True, 10), "经度": (None, True, 11), "纬度": (None, True, 11),
    "优先级": (("1", "2", "3"), True, 7), "办学性质": (("公办", "民办"), True, 8), "中心校": (YES_NO, True, 7),
    "需指导学科": (vocab.SUBJECTS, False, 14), "最多教研员": (None, True, 8), "停访日期": (None, True, 24), "教研活动日": (None, True, 18),
}
TEXT_COLUMNS = ("工号", "学校代码", "驻地")
RESEARCHER_EXAMPLE = ["R001", "王芳", "数学", "小学", "专职", "", "", "", "", "", "", ""]
SCHOOL_EXAMPLE = ["S001", "城关镇第一小学", "完全小学", "城区", "城关镇", 112.5319, 34.5034, 1, "公办", "否", "", "", "", "数学:周三"]


def write_templates(out_dir: Path, force: bool = False) -> list[Path]:
    """Write 教研员.xlsx and 学校.xlsx into `out_dir`; an existing form (an office's real list, perhaps) is
    kept unless `force`, and then nothing is written."""
    targets = [out_dir / RESEARCHER_FORM, out_dir / SCHOOL_FORM]
    there = [str(t) for t in targets if t.exists()]
    if there and not force:
        raise AssignError(_("{names} already exist(s): nothing written (--force replaces them)").format(names='、'.join(there)))
    out_dir.mkdir(parents=True, exist_ok=True)
    _form(targets[0], "教研员", "教研员名单（填写说明：学段、学科可填多个，用 / 或 、 分开；第3行是示例，请改写）",
          RESEARCHER_HEADERS, RESEARCHER_EXAMPLE)
    _form(targets[1], "学校", "学校名单（填写说明：学段可填学校类型；有经纬度或路网节点之一；第3行是示例，请改写）",
          SCHOOL_HEADERS, SCHOOL_EXAMPLE)
    return targets


def _form(target: Path, title: str, heading: str, headers: dict[str, tuple[tuple[str, ...] | None, bool, int]],
          example: list[object], rows: int = 2000) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = title
    append_row(sheet, [heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32
    for cell in append_row(sheet, list(headers)):
        cell.font = Font(bold=True)
    append_row(sheet, example)
    choices = book.create_sheet("选项")
    choices.sheet_state = "hidden"
    listed = 0
    for index, (header, (words, one, width)) in enumerate(headers.items(), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if header in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"  # text: 001 stays 001
        if words is None:
            continue
        listed += 1
        column = get_column_letter(listed)
        for r, word in enumerate(words, start=1):
            choices[f"{column}{r}"] = word
        source = f"={quote_sheetname(choices.title)}!${column}$1:${column}${len(words)}"
        check = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False,
                               errorStyle="stop" if one else "warning", showErrorMessage=True,
                               errorTitle=header, error=f"请从下拉列表中选择{header}" + ("" if one else "（可填多个，用 / 分开）"),
                               promptTitle=header, prompt="从下拉列表中选择" + ("" if one else "；可填多个，用 / 分开"), showInputMessage=True)
        check.add(f"{letter}3:{letter}{rows + 2}")
        sheet.add_data_validation(check)
    printable(sheet, freeze="A3")
    with atomic_path(target) as tmp:
        book.save(tmp)
