"""通知.docx: the notice an office sends with the table — 关于公布首批教研员定点联系学校安排的通知 —
A4 portrait in the fonts of official documents, a short body from the scenario (office, period,
the rules in force in words) and the roster as 附件. The office edits it before sending; every
name in it is plain text in a run, never a field or markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assign.export.atomic import atomic_path
from assign.export.cells import without_controls
from assign.plan import Plan
from assign.problem import Problem

TITLE_FONT, BODY_FONT, TABLE_FONT = "方正小标宋简体", "仿宋_GB2312", "宋体"  # GB/T 9704 公文; Word falls back where missing
ANNEX_COLUMNS = (0, 1, 2, 4, 5, 6, 9)  # of the roster's columns: 序号 教研员 学科 联系学校 城乡类型 乡镇 备注
ANNEX_WIDTHS_MM = (12, 16, 22, 42, 18, 18, 28)  # 156 mm: the text width between the margins below


def _run(paragraph, text: str, font: str, points: float, bold: bool = False):
    run = paragraph.add_run(without_controls(text))
    run.font.size, run.font.bold = Pt(points), bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # the font of Chinese characters
    return run


def _paragraph(doc, text: str, font: str = BODY_FONT, points: float = 16, align=None, indent: bool = False):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(points * 2)  # 首行缩进两字
    _run(paragraph, text, font, points)
    return paragraph


def rules_in_words(problem: Problem) -> list[str]:
    """One line per policy in force: its Chinese title and the parameters the scenario set."""
    lines = []
    for use in problem.policies:
        title = getattr(use.policy, "title", "") or use.name
        chosen = {k: getattr(use.params, k) for k in sorted(use.params.model_fields_set)}
        detail = "，".join(f"{k} {_value(v)}" for k, v in chosen.items())
        lines.append(f"{title}（{detail}）" if detail else title)
    return lines


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set)):
        return "、".join(_value(v) for v in value)
    return str(value)


def notice_document(problem: Problem, plan: Plan, rows: list[list[object]], headers: list[str], today: dt.date | None = None):
    """The notice as a python-docx Document: title, addressees, body, the office and date, then the table as 附件."""
    today = today or dt.date.today()
    office = problem.scenario.office.name
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "关于公布首批教研员定点联系学校安排的通知", TITLE_FONT, 22)
    _paragraph(doc, "各中小学、幼儿园，各教研员：")
    researchers = len({a.researcher_id for a in plan.pairs})
    schools = len({a.school_id for a in plan.pairs})
    _paragraph(doc, f"为深入推进教研员联系学校工作，{office}研究确定了首批教研员定点联系学校安排，联系周期为"
                    f"{plan.contact_period}。本批共安排{researchers}名教研员联系{schools}所学校，现予公布（见附件）。", indent=True)
    _paragraph(doc, "安排遵循以下规则：" + "；".join(rules_in_words(problem)) + "。", indent=True)
    if plan.exceptions:
        _paragraph(doc, f"因学校分布等客观条件，个别安排作了例外处理（共{len(plan.exceptions)}项），已在附件备注中逐一注明。", indent=True)
    _paragraph(doc, "请各联系学校积极配合，为教研员深入课堂、开展指导提供便利；各教研员要按照联系学校工作制度要求，"
                    "制定联系工作计划，做好联系工作记录，每学期末提交工作总结。", indent=True)
    _paragraph(doc, "附件：" + plan.title, indent=True)
    for line in (office, f"{today.year}年{today.month}月{today.day}日"):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, "附件", font="黑体")
    annex = doc.add_paragraph()
    annex.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(annex, plan.title, TITLE_FONT, 16)
    table = doc.add_table(rows=1, cols=len(ANNEX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, ANNEX_WIDTHS_MM):
        column.width = Mm(width)  # the table's grid: what LibreOffice and WPS lay the columns out by
    _row_flag(table.rows[0], "w:tblHeader")  # the header row again at the top of every page
    for cell, index, width in zip(table.rows[0].cells, ANNEX_COLUMNS, ANNEX_WIDTHS_MM):
        cell.width = Mm(width)
        _run(cell.paragraphs[0], headers[index], TABLE_FONT, 10.5, bold=True)
    for row in rows:
        added = table.add_row()
        _row_flag(added, "w:cantSplit")  # a row is never cut between two pages
        cells = added.cells
        for cell, index, width in zip(cells, ANNEX_COLUMNS, ANNEX_WIDTHS_MM):
            cell.width = Mm(width)
            _run(cell.paragraphs[0], "" if row[index] is None else str(row[index]), TABLE_FONT, 10.5)
    return doc


def _row_flag(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def write_notice(problem: Problem, plan: Plan, rows: list[list[object]], headers: list[str], target: Path) -> None:
    with atomic_path(Path(target)) as tmp:
        notice_document(problem, plan, rows, headers).save(tmp)
