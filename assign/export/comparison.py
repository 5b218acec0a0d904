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


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _sections(c: Comparison) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(sheet name, title, headers, rows) of every table, shared by all three formats."""
    none = _("(none)")
    pairs_line = [[str(len(c.kept)), str(len(c.added)), str(len(c.dropped)), str(len(c.changes))]]
    changes = [[ch.researcher, "、".join(ch.before) or "—", "、".join(ch.after) or "—", "\n".join(ch.reasons)] for ch in c.changes]
    return [
        ("", f"A = {c.a.label} ({c.a.plan.status});  B = {c.b.label} ({c.b.plan.status})", [], []),
        ("KPI", _("key figures"), [_("indicator"), "A", "B", _("B − A")], [[k, _fmt(a), _fmt(b), d] for k, a, b, d in c.kpis]),
        (_("terms"), _("objective terms"), [_("term"), _("meaning"), "A", "B", _("B − A")],
         [[n, lab, _fmt(a), _fmt(b), d] for n, lab, a, b, d in c.terms]),
        (_("rule changes"), _("rule changes"), [_("policy")], [[p] for p in c.policy_changes] or [[none]]),
        (_("exceptions"), _("exceptions granted"), [_("plan"), _("rule"), _("whom"), _("granted")],
         [list(row) for row in c.exceptions] or [[none, "", "", ""]]),
        (_("pairs"), _("pairs"), [_("kept"), _("added"), _("dropped"), _("researchers whose schools changed")], pairs_line),
        (_("changes"), _("researchers whose schools changed"), [_("researcher"), _("schools in A"), _("schools in B"), _("why")],
         changes or [[none, "", "", ""]]),
    ]


def comparison_text(c: Comparison, fmt: str = "simple") -> str:
    blocks = []
    for _sheet, title, headers, rows in _sections(c):
        blocks.append(title if not headers else f"{title}\n{tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)}")
    return "\n\n".join(blocks)


def comparison_markdown(c: Comparison) -> str:
    blocks = []
    for _sheet, title, headers, rows in _sections(c):
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
    sections = _sections(c)
    for name, _title, headers, rows in sections[1:]:
        sheet = book.create_sheet(name)
        append_row(sheet, [sections[0][1]])
        for cell in append_row(sheet, headers):
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        _print_setup(sheet, len(headers))
    detail = book.create_sheet(_("pair details"))
    append_row(detail, [_("status"), "工号", "学校代码"])
    for status, pairs in ((_("kept"), c.kept), (_("added"), c.added), (_("dropped"), c.dropped)):
        for rid, sid in pairs:
            append_row(detail, [status, rid, sid])
    _print_setup(detail, 3, title_rows="1:1")
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
