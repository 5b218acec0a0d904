"""How every printable sheet is set up: the office prints on landscape A4, one page wide, in the
font official tables use, with page numbers, and rows tall enough for their wrapped text."""

from __future__ import annotations

import math

from openpyxl.styles import Font
from wcwidth import wcswidth

from assign.export.cells import append_row

FONT_NAME = "宋体"  # SimSun: what offices print tables in; Excel and WPS fall back where it is missing
BODY_SIZE = 11.0  # points: the size column widths are counted in (Excel's default font)
LINE_POINTS = 15.0  # one line of 11-point text, with its leading
PAGE_FOOTER = "第 &P 页 共 &N 页"


def printable(ws, *, title_rows: str = "2:2", title_cols: str | None = None, freeze: str | None = None, pages_tall: int = 0) -> None:
    """Landscape A4, fit to one page wide and `pages_tall` pages long (0: as many as needed), header
    rows repeated on each page, page numbers in the footer."""
    ws.print_title_rows = title_rows
    if title_cols is not None:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.evenFooter.center.text = PAGE_FOOTER
    if freeze is not None:
        ws.freeze_panes = freeze


def text_width(text: str) -> int:
    """Display width in Excel's column units: a Chinese character takes two, a Latin letter one."""
    width = wcswidth(text)
    return width if width >= 0 else 2 * len(text)


def line_points(size: float | None = None) -> float:
    """The height of one line of text of this size (points), with its leading."""
    return LINE_POINTS * (size or BODY_SIZE) / BODY_SIZE


def wrapped_lines(value: object, column_width: float, size: float | None = None) -> int:
    """How many lines a wrapped cell of this column width shows (explicit line breaks counted), for
    text of `size` points (column widths count characters of the body size)."""
    if value is None or value == "":
        return 1
    usable = max(1.0, column_width - 1)  # Excel keeps about one unit of padding
    scale = (size or BODY_SIZE) / BODY_SIZE
    return sum(max(1, math.ceil(text_width(part) * scale / usable)) for part in str(value).split("\n"))


def row_points(row, widths: list[float]) -> float:
    """How tall a row must be for its most wrapped cell, each cell at its own font size."""
    return max((wrapped_lines(cell.value, widths[cell.column - 1], cell.font.size) * line_points(cell.font.size)
                for cell in row if cell.column <= len(widths)), default=LINE_POINTS)


def fit_rows(ws, first_row: int, widths: list[float]) -> None:
    """Every row from `first_row` tall enough for its most wrapped cell, so no text prints over the
    next row; and every cell in the office's font (its size and weight kept)."""
    for row in ws.iter_rows(min_row=first_row):
        ws.row_dimensions[row[0].row].height = math.ceil(row_points(row, widths) * 4) / 4  # quarter points, rounded up
        for cell in row:
            font = cell.font
            if font.name != FONT_NAME:  # each font set costs openpyxl a look-up of the font among the workbook's: only where it changes
                cell.font = Font(name=FONT_NAME, size=font.size, bold=font.bold)


def thin_box():
    """The thin border round a cell of a printed table."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def bordered(cells, header: bool = False) -> None:
    """Thin borders round each cell (a table the office prints); a header row bold and centred."""
    from openpyxl.styles import Alignment

    box = thin_box()
    for cell in cells:
        cell.border = box
        if header:
            cell.font = Font(name=FONT_NAME, size=cell.font.size, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def named_style(wb, name: str, **parts) -> str:
    """The name of a named style of the workbook (font, border, alignment, fill …), added the first time
    it is asked for. Setting a cell's style by name is one look-up; setting its font, border and
    alignment apart is one each, openpyxl comparing every new object with the workbook's (most of the
    time of writing a 400-researcher office's visits.xlsx)."""
    from openpyxl.styles import NamedStyle

    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=name, **parts))
    return name


def table_sheet(ws, title: str, headers: list[str], rows: list[list[object]], widths: list[float]) -> None:
    """A printable table on its own sheet: a title line, a bordered header row repeated on every page,
    bordered rows as tall as their wrapped text, the office's font, page numbers."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    header = named_style(ws.parent, "表头", font=Font(name=FONT_NAME, size=BODY_SIZE, bold=True), border=thin_box(),
                         alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    body = named_style(ws.parent, "表格", font=Font(name=FONT_NAME, size=BODY_SIZE), border=thin_box(),
                       alignment=Alignment(vertical="center", wrap_text=True))
    for cell in append_row(ws, headers):
        cell.style = header
    for row in rows:
        for cell in append_row(ws, row):
            cell.style = body
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    fit_rows(ws, 2, widths)
    ws.row_dimensions[1].height = line_points(13) + 6
    printable(ws, freeze="A3")
