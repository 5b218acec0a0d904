"""How every printable sheet is set up: the office prints on landscape A4, one page wide, in the
font official tables use, with page numbers, and rows tall enough for their wrapped text."""

from __future__ import annotations

import math

from openpyxl.styles import Font
from wcwidth import wcswidth

FONT_NAME = "宋体"  # SimSun: what offices print tables in; Excel and WPS fall back where it is missing
LINE_POINTS = 15.0  # one line of 11-point text, with its leading
PAGE_FOOTER = "第 &P 页 共 &N 页"


def printable(ws, *, title_rows: str = "2:2", title_cols: str | None = None, freeze: str | None = None) -> None:
    """Landscape A4, fit to one page wide (as many pages long as needed), header rows repeated on
    each page, page numbers in the footer."""
    ws.print_title_rows = title_rows
    if title_cols is not None:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.evenFooter.center.text = PAGE_FOOTER
    if freeze is not None:
        ws.freeze_panes = freeze


def text_width(text: str) -> int:
    """Display width in Excel's column units: a Chinese character takes two, a Latin letter one."""
    width = wcswidth(text)
    return width if width >= 0 else 2 * len(text)


def wrapped_lines(value: object, column_width: float) -> int:
    """How many lines a wrapped cell of this column width shows (explicit line breaks counted)."""
    if value is None or value == "":
        return 1
    usable = max(1.0, column_width - 1)  # Excel keeps about one unit of padding
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(value).split("\n"))


def fit_rows(ws, first_row: int, widths: list[float]) -> None:
    """Every row from `first_row` tall enough for its most wrapped cell, so no text prints over the
    next row; and every cell in the office's font (its size and weight kept)."""
    for row in ws.iter_rows(min_row=first_row):
        lines = max((wrapped_lines(cell.value, widths[cell.column - 1]) for cell in row if cell.column <= len(widths)), default=1)
        ws.row_dimensions[row[0].row].height = lines * LINE_POINTS
        for cell in row:
            cell.font = Font(name=FONT_NAME, size=cell.font.size, bold=cell.font.bold)
