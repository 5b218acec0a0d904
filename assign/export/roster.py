"""The first-batch assignment table (首批教研员定点联系学校安排表) in the layout of DOMAIN.md.

One row per researcher-school pair, grouped by researcher; researchers without a school get
one row saying so. Chinese headers by default, English on request. The CSV carries the ids so
that a machine (and `assign check`) can read it back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from assign.export.atomic import atomic_path, write_text
from assign.export.xlsx_print import append_row, printable
from assign.plan import Plan
from assign.problem import Problem

HEADERS = {
    "zh": ["序号", "教研员", "学科", "学段", "联系学校", "学校类型", "乡镇", "单程时间(分钟)", "联系周期", "备注"],
    "en": ["no", "researcher", "subject", "stages", "school", "area", "township", "one-way minutes", "contact period", "notes"],
}
ID_HEADERS = {"zh": ["工号", "学校代码"], "en": ["researcher_id", "school_id"]}
UNASSIGNED = {"zh": "（未安排）", "en": "(none)"}


@dataclass
class RosterRow:
    number: int
    researcher_id: str
    school_id: str
    cells: list[object]


def _notes(problem: Problem, rid: str, sid: str, lang: str) -> str:
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
    return "；".join(notes) if zh else "; ".join(notes)


def roster_rows(problem: Problem, plan: Plan, lang: str = "zh") -> list[RosterRow]:
    """Rows in researcher-table order, each researcher's schools nearest first."""
    schools_of = plan.schools_of()
    minutes = {(a.researcher_id, a.school_id): a.minutes for a in plan.pairs}
    rows: list[RosterRow] = []
    for r in problem.researchers:
        sids = sorted(schools_of.get(r.id, []), key=lambda sid: minutes[r.id, sid])
        subject, stages = "、".join(r.subjects), "、".join(r.stages)
        if not sids:
            rows.append(RosterRow(len(rows) + 1, r.id, "", [len(rows) + 1, r.name, subject, stages, UNASSIGNED[lang], "", "", "", "", ""]))
        for sid in sids:
            s = problem.school[sid]
            cells = [len(rows) + 1, r.name, subject, stages, s.name, s.area, s.township, round(minutes[r.id, sid]),
                     plan.contact_period, _notes(problem, r.id, sid, lang)]
            rows.append(RosterRow(len(rows) + 1, r.id, sid, cells))
    return rows


def roster_csv(problem: Problem, plan: Plan, lang: str = "zh") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[lang] + ID_HEADERS[lang])
    for row in roster_rows(problem, plan, lang):
        writer.writerow(row.cells + [row.researcher_id, row.school_id])
    return out.getvalue()


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def roster_markdown(problem: Problem, plan: Plan, lang: str = "zh", kpi_table: str = "") -> str:
    lines = [f"# {plan.title}", ""]
    headers = HEADERS[lang]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in roster_rows(problem, plan, lang):
        lines.append("| " + " | ".join(_md_cell(c) for c in row.cells) + " |")
    if kpi_table:
        lines += ["", "## 主要指标" if lang == "zh" else "## Key figures", "", kpi_table]
    return "\n".join(lines) + "\n"


def write_roster_xlsx(problem: Problem, plan: Plan, target: Path, lang: str = "zh") -> None:
    """A printable workbook: title line, header row repeated on every page, landscape A4, fit to width."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    headers = HEADERS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = "安排表" if lang == "zh" else "roster"
    append_row(ws, [plan.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    append_row(ws, headers)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for row in roster_rows(problem, plan, lang):
        append_row(ws, row.cells)
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [6, 10, 14, 12, 26, 9, 10, 9, 22, 26]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    printable(ws, freeze="A3")
    ids = wb.create_sheet("编号" if lang == "zh" else "ids")
    append_row(ids, HEADERS[lang][:1] + ID_HEADERS[lang])
    for row in roster_rows(problem, plan, lang):
        append_row(ids, [row.number, row.researcher_id, row.school_id])
    with atomic_path(target) as tmp:
        wb.save(tmp)


def write_roster(problem: Problem, plan: Plan, out_dir: Path, lang: str = "zh", kpi_table: str = "") -> list[Path]:
    """Write roster.xlsx, roster.csv (UTF-8 with BOM for Excel), roster.md and plan.json into out_dir."""
    out_dir = Path(out_dir)
    paths = [out_dir / "roster.xlsx", out_dir / "roster.csv", out_dir / "roster.md", out_dir / "plan.json"]
    write_roster_xlsx(problem, plan, paths[0], lang)
    write_text(paths[1], roster_csv(problem, plan, lang), encoding="utf-8-sig")
    write_text(paths[2], roster_markdown(problem, plan, lang, kpi_table))
    write_text(paths[3], plan.model_dump_json(indent=2))
    return paths
