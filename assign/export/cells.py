"""User text made inert in an output cell: names are data in every CSV, XLSX and Markdown table.

A name that starts with `=` `+` `-` `@` (or a tab or carriage return) is a formula to Excel and
WPS when they open a CSV, so each such CSV cell gets one leading `'` (OWASP, "CSV Injection"):
the spreadsheet shows it as text, and `unquote_formula` takes it off again when we read our own
CSV back. In XLSX every text is a string cell (never a formula), without the characters XML 1.0
cannot hold. In Markdown `|` and line breaks would break the table and `*` `_` `[` `<` … would
become markup, so they are escaped.
"""

from __future__ import annotations

import re
from typing import Iterable

# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# The control characters XML 1.0 cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE (a test keeps the two equal),
# copied so that reading a CSV does not import openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# Markdown punctuation that makes markup inside a line (CommonMark backslash escapes), and line breaks.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would compute this text, or it is one read back after `'`s (ours or the user's)."""
    return text.lstrip(QUOTE).startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a formula-like text gets one leading `'`.

    A text that already starts with `'` before a formula sign gets one too, so that reading back
    takes off exactly the quote added here.
    """
    if isinstance(value, str) and formula_like(value):
        return QUOTE + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(v) for v in values]


def unquote_formula(text: str) -> str:
    """Undo `csv_cell`: exactly the one `'` it adds in front of a formula-like text, nothing else."""
    if text.startswith(QUOTE) and formula_like(text[1:]):
        return text[1:]
    return text


def without_controls(text: str) -> str:
    """Text without the control characters XML 1.0 (and so openpyxl) refuses; tab and line breaks stay."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def append_row(sheet, values: Iterable[object]):
    """Append a row to an openpyxl sheet with every text as a string cell, never a formula; return the row's cells."""
    sheet.append([without_controls(v) if isinstance(v, str) else v for v in values])
    cells = sheet[sheet.max_row]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
    return cells


def md_text(value: object) -> str:
    """A value as one line of Markdown that renders as the same text: markup escaped, line breaks made spaces."""
    return _MD_PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", without_controls(str(value))))
