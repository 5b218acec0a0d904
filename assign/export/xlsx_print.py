"""How every sheet the office takes away is written: rows as plain values, printable on landscape A4, one page wide."""

from __future__ import annotations


def append_row(ws, values) -> None:
    """Append a row whose text stays text: openpyxl stores a string that starts with "=" as a
    formula, and a name or a note handed in must never act in the office's spreadsheet."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def printable(ws, *, title_rows: str = "2:2", title_cols: str | None = None, freeze: str | None = None) -> None:
    """Landscape A4, fit to one page wide (as many pages long as needed), header rows repeated on each page."""
    ws.print_title_rows = title_rows
    if title_cols is not None:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if freeze is not None:
        ws.freeze_panes = freeze
