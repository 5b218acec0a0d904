"""The first-batch assignment table (首批教研员定点联系学校安排表) in the layout of DOMAIN.md.

One row per researcher-school pair, grouped by researcher; researchers without a school get
one row saying so. Chinese headers by default, English on request. The CSV carries the ids so
that a machine (and `assign check`) can read it back. Names are data: every cell goes through
`assign.export.cells` (text cells in the workbook, a `'` before a formula-like CSV cell, Markdown escaped).
An exception a relaxed plan was granted is
said in the 备注 of the person's first row (of the pair's row, for a trip over the cap); the
workbook lists the exceptions and the schools left without a researcher on sheets of their own.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from assign.export.atomic import atomic_folder, atomic_path, write_text
from assign.export.cells import append_row, csv_row, md_text
from assign.kpi import quality_lines
from assign.plan import Plan
from assign.problem import Problem

HEADERS = {
    "zh": ["序号", "教研员", "学科", "学段", "联系学校", "城乡类型", "乡镇", "单程时间(分钟)", "联系周期", "备注"],
    "en": ["no", "researcher", "subject", "stages", "school", "area", "township", "one-way minutes", "contact period", "notes"],
}
ID_HEADERS = {"zh": ["工号", "学校代码"], "en": ["researcher_id", "school_id"]}
UNASSIGNED = {"zh": "（未安排）", "en": "(none)"}
EXCEPTION_HEADERS = {
    "zh": ["序号", "规则", "教研员", "学校", "要求", "实际", "原因", "严重度"],
    "en": ["no", "rule", "researcher", "school", "requirement", "granted", "reason", "severity"],
}
UNCOVERED_HEADERS = {
    "zh": ["序号", "学校代码", "学校名称", "学段", "城乡类型", "乡镇", "优先级", "未联系原因"],
    "en": ["no", "school_id", "school", "stages", "area", "township", "priority", "why no researcher"],
}


@dataclass
class RosterRow:
    number: int
    researcher_id: str
    school_id: str
    cells: list[object]
    extra: list[str] = field(default_factory=list)  # the tables' own columns (extra_headers), after the roster's


def extra_columns(problem: Problem) -> tuple[list[str], list[str]]:
    """The columns of the researchers' and of the schools' tables that the tool does not know (联系电话,
    职称 …), each in the order first met: an office's own columns go on into the roster it prints."""
    mine = list(dict.fromkeys(k for r in problem.researchers for k in r.extra))
    theirs = list(dict.fromkeys(k for s in problem.schools for k in s.extra))
    return mine, theirs


def extra_headers(problem: Problem, lang: str = "zh") -> list[str]:
    """Headers of the carried columns: 联系电话（教研员）, 联系电话（学校）."""
    mine, theirs = extra_columns(problem)
    who = ("教研员", "学校") if lang == "zh" else ("researcher", "school")
    return [f"{k}（{who[0]}）" if lang == "zh" else f"{k} ({who[0]})" for k in mine] + \
           [f"{k}（{who[1]}）" if lang == "zh" else f"{k} ({who[1]})" for k in theirs]


def _exception_notes(plan: Plan, rid: str, sid: str, first: bool, lang: str) -> list[str]:
    """The exceptions a row tells: the pair's own (a trip over the cap) and, on a researcher's first row, the person's."""
    out = []
    for e in plan.exceptions:
        mine = rid in e.researchers and (sid in e.schools if e.schools else first)
        if mine:
            out.append(e.note if lang == "zh" else f"exception [{e.key}]: {e.requirement}")
    return out


def _notes(problem: Problem, rid: str, sid: str, lang: str) -> list[str]:
    r, s = problem.researcher[rid], problem.school[sid]
    zh = lang == "zh"
    notes = []
    if s.priority > 1:
        notes.append(("薄弱学校" if zh else "priority school") + ("（优先级3）" if zh and s.priority == 3 else ""))
    if s.central:
        notes.append("中心校" if zh else "central school")
    if s.ownership == "民办":
        notes.append("民办" if zh else "private")
    if sid in r.current_schools:
        notes.append("延续现联系" if zh else "continues current pairing")
    if r.kind == "兼职":
        notes.append("兼职教研员" if zh else "part-time researcher")
    return notes


def _join(notes: list[str], lang: str) -> str:
    return "；".join(notes) if lang == "zh" else "; ".join(notes)


def roster_rows(problem: Problem, plan: Plan, lang: str = "zh") -> list[RosterRow]:
    """Rows in researcher-table order, each researcher's schools nearest first."""
    schools_of = plan.schools_of()
    minutes = {(a.researcher_id, a.school_id): a.minutes for a in plan.pairs}
    mine, theirs = extra_columns(problem)
    rows: list[RosterRow] = []
    for r in problem.researchers:
        sids = sorted(schools_of.get(r.id, []), key=lambda sid: minutes[r.id, sid])
        subject, stages = "、".join(r.subjects), "、".join(r.stages)
        if not sids:
            note = _join(_exception_notes(plan, r.id, "", True, lang), lang)
            rows.append(RosterRow(len(rows) + 1, r.id, "", [len(rows) + 1, r.name, subject, stages, UNASSIGNED[lang], "", "", "", "", note],
                                  [r.extra.get(k, "") for k in mine] + ["" for _ in theirs]))
        for i, sid in enumerate(sids):
            s = problem.school[sid]
            notes = _exception_notes(plan, r.id, sid, i == 0, lang) + _notes(problem, r.id, sid, lang)
            cells = [len(rows) + 1, r.name, subject, stages, s.name, s.area, s.township, round(minutes[r.id, sid]),
                     plan.contact_period, _join(notes, lang)]
            rows.append(RosterRow(len(rows) + 1, r.id, sid, cells, [r.extra.get(k, "") for k in mine] + [s.extra.get(k, "") for k in theirs]))
    return rows


def roster_csv(problem: Problem, plan: Plan, lang: str = "zh") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[lang] + ID_HEADERS[lang] + extra_headers(problem, lang))
    for row in roster_rows(problem, plan, lang):
        writer.writerow(csv_row(row.cells + [row.researcher_id, row.school_id] + row.extra))
    return out.getvalue()


def roster_markdown(problem: Problem, plan: Plan, lang: str = "zh", kpi_table: str = "") -> str:
    lines = [f"# {md_text(plan.title)}", ""]
    headers = HEADERS[lang]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in roster_rows(problem, plan, lang):
        lines.append("| " + " | ".join(md_text(c) for c in row.cells) + " |")
    for title, headers, rows in (("准许的例外" if lang == "zh" else "Exceptions granted", EXCEPTION_HEADERS[lang], exception_rows(problem, plan)),
                                 ("未联系学校" if lang == "zh" else "Schools without a researcher", UNCOVERED_HEADERS[lang],
                                  uncovered_rows(problem, plan))):
        if rows:
            lines += ["", f"## {title}", "", "| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
            lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in rows]
    if kpi_table:
        lines += ["", "## 主要指标" if lang == "zh" else "## Key figures", "", kpi_table]
    return "\n".join(lines) + "\n"


SIGN_OFF = {"zh": "制表：__________    审核：__________    日期：______年____月____日    （盖章）",
            "en": "Prepared by: __________    Checked by: __________    Date: ____________    (seal)"}
WIDTHS = [6, 10, 14, 12, 26, 9, 10, 9, 22, 26]
BY_SCHOOL_HEADERS = {"zh": ["序号", "联系学校", "城乡类型", "乡镇", "联系教研员", "学科", "备注"],
                     "en": ["no", "school", "area", "township", "researchers", "subjects", "notes"]}
BY_SCHOOL_WIDTHS = [6, 28, 9, 12, 22, 22, 24]


def by_school_rows(problem: Problem, plan: Plan, lang: str = "zh") -> list[list[object]]:
    """The same pairs grouped by school, in school-table order: what is sent to each school."""
    holders = plan.researchers_of()
    rows = []
    for s in problem.schools:
        rids = holders.get(s.id, [])
        if rids:
            names = "、".join(problem.researcher[r].name for r in rids)
            subjects = "、".join(dict.fromkeys(subj for r in rids for subj in problem.researcher[r].subjects))
            notes = [("薄弱学校" if lang == "zh" else "priority school")] if s.priority > 1 else []
            rows.append([len(rows) + 1, s.name, s.area, s.township, names, subjects, _join(notes, lang)])
    return rows


def write_roster_xlsx(problem: Problem, plan: Plan, target: Path, lang: str = "zh") -> None:
    """A printable workbook: the table by researcher (title line, header row repeated on every page,
    page numbers, rows tall enough for their wrapped text, the 制表/审核 line for the stamp), the same
    pairs by school, the exceptions and the schools left without a researcher; the ids for reading
    the file back are on a sheet that is kept but not printed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from assign.export.xlsx_print import FONT_NAME, fit_rows, printable, table_sheet  # openpyxl: loaded when a workbook is written

    headers = HEADERS[lang] + extra_headers(problem, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "安排表" if lang == "zh" else "roster"
    append_row(ws, [plan.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in append_row(ws, headers):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for row in roster_rows(problem, plan, lang):
        for cell in append_row(ws, row.cells + row.extra):
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = WIDTHS + [14] * (len(headers) - len(HEADERS[lang]))  # the office's own extra columns
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    fit_rows(ws, 2, widths)
    ws.row_dimensions[1].height = 30
    append_row(ws, [])
    for term, words in quality_lines(plan):  # how good the table is, in words, before it is signed
        append_row(ws, [f"说明：{term}：{words}" if lang == "zh" else f"Note: {term}: {words}"])  # a note row: read back as none
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(headers))
    append_row(ws, [SIGN_OFF[lang]])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(headers))
    ws.cell(ws.max_row, 1).font = Font(name=FONT_NAME, size=12)
    ws.row_dimensions[ws.max_row].height = 24
    printable(ws, freeze="A3")
    by_school = wb.create_sheet("按学校" if lang == "zh" else "by school")
    table_sheet(by_school, f"{plan.title}（按学校）" if lang == "zh" else f"{plan.title} (by school)", BY_SCHOOL_HEADERS[lang],
             by_school_rows(problem, plan, lang), BY_SCHOOL_WIDTHS)
    ids = wb.create_sheet("编号" if lang == "zh" else "ids")
    append_row(ids, HEADERS[lang][:1] + ID_HEADERS[lang])
    for row in roster_rows(problem, plan, lang):
        append_row(ids, [row.number, row.researcher_id, row.school_id])
    ids.sheet_state = "hidden"  # kept for `assign check` and `--from`, never printed
    if plan.exceptions:
        title = "例外" if lang == "zh" else "exceptions"
        table_sheet(wb.create_sheet(title), f"{plan.title}：准许的例外" if lang == "zh" else f"{plan.title}: exceptions granted",
                 EXCEPTION_HEADERS[lang], exception_rows(problem, plan), [6, 22, 12, 18, 36, 22, 40, 8])
    title = "未联系学校" if lang == "zh" else "schools without a researcher"
    table_sheet(wb.create_sheet(title[:31]), f"{plan.title}：未联系学校" if lang == "zh" else f"{plan.title}: schools without a researcher",
             UNCOVERED_HEADERS[lang], uncovered_rows(problem, plan), [6, 10, 26, 12, 9, 10, 8, 50])
    with atomic_path(target) as tmp:
        wb.save(tmp)


def exception_rows(problem: Problem, plan: Plan) -> list[list[object]]:
    """One row per exception granted: rule, whom, the rule in words, what was granted, why, severity."""
    rows = []
    for i, e in enumerate(plan.exceptions, 1):
        who = "、".join(problem.researcher[r].name for r in e.researchers if r in problem.researcher)
        where = "、".join(problem.school[s].name for s in e.schools if s in problem.school)
        rows.append([i, f"{e.label}（{e.key}）" if e.label else e.key, who, where, e.requirement, e.granted, e.reason, e.severity])
    return rows


def uncovered_rows(problem: Problem, plan: Plan) -> list[list[object]]:
    """One row per school without a researcher, weakest first, with why."""
    rows = []
    for i, u in enumerate(plan.uncovered, 1):
        s = problem.school.get(u.school_id)
        if s is not None:
            rows.append([i, s.id, s.name, "、".join(s.stages), s.area, s.township, u.priority, u.reason])
    return rows


ROSTER_FILES = ("roster.xlsx", "roster.csv", "roster.md", "plan.json", "通知.docx")


def write_roster(problem: Problem, plan: Plan, out_dir: Path, lang: str = "zh", kpi_table: str = "") -> list[Path]:
    """Write roster.xlsx, roster.csv (UTF-8 with BOM for Excel), roster.md, plan.json and 通知.docx into out_dir,
    as one set: a reader finds the previous set or this one, never a mix (`atomic_folder`)."""
    from assign.export.notice import write_notice  # python-docx: loaded when a notice is written

    out_dir = Path(out_dir)
    with atomic_folder(out_dir, ROSTER_FILES) as stage:
        xlsx, csv_file, md, plan_json, notice = (stage / name for name in ROSTER_FILES)
        write_roster_xlsx(problem, plan, xlsx, lang)
        write_text(csv_file, roster_csv(problem, plan, lang), encoding="utf-8-sig")
        write_text(md, roster_markdown(problem, plan, lang, kpi_table))
        write_text(plan_json, plan.model_dump_json(indent=2))
        write_notice(problem, plan, [row.cells for row in roster_rows(problem, plan, "zh")], HEADERS["zh"], notice)
    return [out_dir / name for name in ROSTER_FILES]
