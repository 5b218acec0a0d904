"""A comparison of two plans (`assign.analysis.compare`) for people: terminal text, Markdown, Excel.

Names are data: Markdown cells are escaped and workbook cells are text cells (`assign.export.cells`).
"""

from __future__ import annotations

from pathlib import Path

from tabulate import tabulate

from assign.analysis.compare import Comparison
from assign.errors import InputError
from assign.export.atomic import atomic_path, write_text
from assign.export.cells import append_row, md_text
from assign.export.xlsx_print import fit_rows, printable, text_width
from assign.locale import _

KPI_HEADERS = ["指标", "A", "B", "差 B−A"]
TERM_HEADERS = ["目标项 term", "含义", "A", "B", "差 B−A"]
CHANGE_HEADERS = ["教研员", "A 的学校", "B 的学校", "原因 why"]


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _sections(c: Comparison) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, rows) of every table, shared by all three formats."""
    pairs_line = [[f"保留 kept {len(c.kept)}", f"新增 added {len(c.added)}", f"取消 dropped {len(c.dropped)}",
                   f"变动的教研员 researchers changed {len(c.changes)}"]]
    changes = [[ch.researcher, "、".join(ch.before) or "—", "、".join(ch.after) or "—", "\n".join(ch.reasons)] for ch in c.changes]
    return [
        (f"A = {c.a.label} ({c.a.plan.status});  B = {c.b.label} ({c.b.plan.status})", [], []),
        ("关键指标 KPIs", KPI_HEADERS, [[k, _fmt(a), _fmt(b), d] for k, a, b, d in c.kpis]),
        ("目标项 objective terms", TERM_HEADERS, [[n, lab, _fmt(a), _fmt(b), d] for n, lab, a, b, d in c.terms]),
        ("规则变化 rule changes", ["policy"], [[p] for p in c.policy_changes] or [["(none)"]]),
        ("例外 exceptions granted", ["方案 plan", "规则 rule", "对象 whom", "实际 granted"],
         [list(row) for row in c.exceptions] or [["(none)", "", "", ""]]),
        ("联系对 pairs", ["kept", "added", "dropped", "researchers"], pairs_line),
        ("变动的教研员 researchers whose schools changed", CHANGE_HEADERS, changes or [["(none)", "", "", ""]]),
    ]


def comparison_text(c: Comparison, fmt: str = "simple") -> str:
    blocks = []
    for title, headers, rows in _sections(c):
        blocks.append(title if not headers else f"{title}\n{tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)}")
    return "\n\n".join(blocks)


def comparison_markdown(c: Comparison) -> str:
    blocks = []
    for title, headers, rows in _sections(c):
        if not headers:
            blocks.append(f"# {md_text(title)}")
            continue
        md_rows = [["<br>".join(md_text(line) for line in cell.split("\n")) for cell in row] for row in rows]
        blocks.append(f"## {title}\n\n{tabulate(md_rows, headers=headers, tablefmt='github', disable_numparse=True)}")
    return "\n\n".join(blocks) + "\n"


def _print_setup(sheet, columns: int, title_rows: str = "2:2") -> None:
    """Columns wide enough for their longest text (within reason), rows fit to their wrapping, A4 pages."""
    from openpyxl.utils import get_column_letter

    widths = []
    for index in range(1, columns + 1):
        longest = max((text_width(str(c.value)) for c in sheet[get_column_letter(index)][1:] if c.value is not None), default=8)
        widths.append(min(max(8, longest + 2), 60))
        sheet.column_dimensions[get_column_letter(index)].width = widths[-1]
    fit_rows(sheet, 2, widths)
    printable(sheet, title_rows=title_rows, freeze=None)


def write_comparison(c: Comparison, target: Path) -> Path:
    """Write `.md` or `.xlsx` (one sheet per table, plus every changed pair), atomically."""
    suffix = target.suffix.lower()
    if suffix == ".md":
        write_text(target, comparison_markdown(c))
        return target
    if suffix != ".xlsx":
        raise InputError.at(target, None, None, suffix, _("compare writes .md or .xlsx"))
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    names = {"关键指标 KPIs": "KPI", "目标项 objective terms": "目标项", "规则变化 rule changes": "规则变化",
             "联系对 pairs": "联系对", "变动的教研员 researchers whose schools changed": "变动", "例外 exceptions granted": "例外"}
    sections = _sections(c)
    for title, headers, rows in sections[1:]:
        sheet = book.create_sheet(names[title])
        append_row(sheet, [sections[0][0]])
        for cell in append_row(sheet, headers):
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        _print_setup(sheet, len(headers))
    detail = book.create_sheet("联系对明细")
    append_row(detail, ["状态 status", "工号", "学校代码"])
    for status, pairs in (("kept", c.kept), ("added", c.added), ("dropped", c.dropped)):
        for rid, sid in pairs:
            append_row(detail, [status, rid, sid])
    _print_setup(detail, 3, title_rows="1:1")
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
