"""`assign record template`: the visit record (联系工作记录表) each researcher fills in during the term, and
one for the office, pre-filled with the term's planned visits.

Each row is one planned visit (date, school, what it is for), with the columns to fill in: 是否完成
(是/否, a drop-down), 实际日期 (when it moved), 听课节数, 开展活动 (a drop-down of vocab.ACTIVITIES; several
may be written), 指导骨干教师 (names) and 备注; numbered empty rows below take visits nobody planned. The
sheet prints like the roster (A4 landscape, header repeated, a 填表人 line that the reader skips), names
are text cells (never formulas), and a hidden 编号 sheet ties each row to its visit's UID so that a
filled copy reads back to the right visit even after a re-plan moved it (`assign.inputs.record_sheet`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assign.calendar.visits import Visit, VisitPlan
from assign.calendar.workdays import weekday_zh
from assign.errors import AssignError
from assign.export.atomic import atomic_path
from assign.export.cells import append_row
from assign.export.safe_names import FileNames
from assign.export.xlsx_print import FONT_NAME, fit_rows, printable
from assign.inputs.record_sheet import IDS_HEADERS, IDS_SHEET, MAX_LESSONS_A_DAY
from assign.locale import _
from assign.problem import Problem
from assign.vocab import ACTIVITIES

HEADERS = ["序号", "教研员", "联系学校", "计划日期", "星期", "计划活动", "是否完成", "实际日期", "听课节数", "开展活动", "指导骨干教师", "备注"]
WIDTHS = [6, 10, 24, 12, 6, 20, 9, 12, 9, 20, 18, 20]
FILL_FROM = 7  # the first column the researcher fills in (是否完成), 1-based
SPARE_ROWS = 10  # numbered empty rows for visits added by hand
SUFFIX = "-联系工作记录表.xlsx"
OFFICE_NAME = "全室"
SIGN = "填表人：__________    审核：__________    日期：______年____月____日"


def purpose(visit: Visit) -> str:
    """What a visit is for, as the record shows it: 听课（4节）、评课; 视导 when nothing else is planned."""
    words = [f"{a}（{visit.lessons}节）" if a == "听课" and visit.lessons else a for a in visit.activities]
    if visit.lessons and "听课" not in visit.activities:
        words.insert(0, f"听课（{visit.lessons}节）")
    return "、".join(words) or "视导"


def write_record_templates(problem: Problem, visits: VisitPlan, out_dir: Path, title: str, force: bool = False) -> list[Path]:
    """One workbook per researcher with visits, and one for the office with every visit; a workbook already in
    `out_dir` (a filled record, perhaps) is kept unless `force`, and then nothing is written."""
    names = FileNames()
    researchers = [r for r in problem.researchers if visits.of_researcher(r.id)]
    targets = [(out_dir / names.of(r.id, r.name, SUFFIX), r.name, visits.of_researcher(r.id)) for r in researchers]
    every = sorted(visits.visits, key=lambda v: ([r.id for r in problem.researchers].index(v.researcher_id), v.first, v.school_id))
    targets.append((out_dir / names.claim(OFFICE_NAME, "", SUFFIX), OFFICE_NAME, every))
    there = [str(t) for t, _name, _visits in targets if t.exists()]
    if there and not force:
        raise AssignError(_("{files} already exist(s): nothing written (--force replaces them; a filled record is imported with "
                            "`assign record import`)").format(files="、".join(there[:5]) + ("…" if len(there) > 5 else "")))
    for target, who, rows in targets:
        write_record_xlsx(problem, visits, rows, target, f"{title}（{who}）")
    return [t for t, _name, _visits in targets]


def write_record_xlsx(problem: Problem, plan: VisitPlan, rows: list[Visit], target: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "联系工作记录"
    append_row(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    append_row(ws, ["填写说明：是否完成填 是/否；到校日期与计划不同时填实际日期；听课节数填数字；开展活动可填多个，用、分开；"
                    "指导骨干教师填姓名；计划外到校写在下面空行"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    for cell in append_row(ws, HEADERS):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    ids = wb.create_sheet(IDS_SHEET)
    append_row(ids, IDS_HEADERS)
    first_row = ws.max_row + 1
    for number, v in enumerate(rows, start=1):
        r, s = problem.researcher[v.researcher_id], problem.school[v.school_id]
        cells = append_row(ws, [number, r.name, s.name, v.first, weekday_zh(v.first), purpose(v), None, None, None, None, None, None])
        append_row(ids, [ws.title, cells[0].row, v.uid(plan.term), r.id, s.id, v.first.isoformat()])
    for number in range(len(rows) + 1, len(rows) + SPARE_ROWS + 1):
        append_row(ws, [number] + [None] * (len(HEADERS) - 1))
    last_row = ws.max_row
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        row[3].number_format = row[7].number_format = "yyyy-mm-dd"
    columns = {h: get_column_letter(i) for i, h in enumerate(HEADERS, start=1)}
    checks = [
        (columns["是否完成"], DataValidation(type="list", formula1='"是,否"', allow_blank=True, errorStyle="stop", showErrorMessage=True,
                                          errorTitle="是否完成", error="请填 是 或 否")),
        (columns["开展活动"], DataValidation(type="list", formula1='"' + ",".join(ACTIVITIES) + '"', allow_blank=True, errorStyle="warning",
                                          showErrorMessage=True, errorTitle="开展活动", error="可填多个，用、分开")),
        (columns["听课节数"], DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_LESSONS_A_DAY * 5),
                                          allow_blank=True, errorStyle="stop", showErrorMessage=True, errorTitle="听课节数", error="请填数字")),
        (columns["实际日期"], DataValidation(type="date", operator="between", formula1=_excel_day(plan.first), formula2=_excel_day(plan.last),
                                          allow_blank=True, errorStyle="warning", showErrorMessage=True, errorTitle="实际日期",
                                          error=f"本学期 {plan.first}~{plan.last} 内的日期")),
    ]
    for letter, check in checks:
        check.add(f"{letter}{first_row}:{letter}{last_row}")
        ws.add_data_validation(check)
    fit_rows(ws, 3, WIDTHS)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 32
    append_row(ws, [])
    append_row(ws, [SIGN])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADERS))
    ws.cell(ws.max_row, 1).font = Font(name=FONT_NAME, size=12)
    printable(ws, title_rows="3:3", freeze=f"A{first_row}")
    ids.sheet_state = "hidden"  # read back by `assign record import`, never printed
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _excel_day(day: dt.date) -> str:
    """A date as the serial number a validation formula compares with (Excel's 1900 date system)."""
    return str((day - dt.date(1899, 12, 30)).days)
