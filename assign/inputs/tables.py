"""Reading the tables offices keep: `.csv` (UTF-8, UTF-8 with BOM, GB18030) or `.xlsx`.

A table becomes a list of `TableRow`: the values of known columns under their canonical field
names, the unknown columns kept as they are, and the header text the user wrote (so an error
can name the column the way the user sees it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assign.errors import InputError
from assign.export.cells import unquote_formula

# canonical field → accepted headers (English and Chinese, compared case-insensitively).
RESEARCHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "工号", "编号"),
    "name": ("name", "姓名"),
    "subjects": ("subject", "subjects", "学科"),
    "stages": ("stages", "stage", "学段"),
    "kind": ("kind", "类别", "类型"),
    "base": ("base", "驻地"),
    "min_schools": ("min_schools", "最少联系学校", "最少学校数"),
    "max_schools": ("max_schools", "最多联系学校", "最多学校数"),
    "current_schools": ("current_schools", "现联系学校"),
    "since": ("since", "联系起始"),
    "avoid_schools": ("avoid_schools", "回避学校"),
    "unavailable": ("unavailable", "不可用日期"),
}
RESEARCHER_REQUIRED = ("id", "name", "subjects", "stages")

SCHOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "学校代码", "学校编号"),
    "name": ("name", "学校名称", "名称"),
    "stages": ("stages", "stage", "学段"),
    "area": ("area", "城乡类型", "城乡划分代码"),
    "township": ("township", "乡镇", "乡镇街道"),
    "node": ("node", "路网节点"),
    "lon": ("lon", "经度", "longitude"),
    "lat": ("lat", "纬度", "latitude"),
    "priority": ("priority", "优先级"),
    "ownership": ("ownership", "办学性质"),
    "central": ("central", "中心校"),
    "subjects_needed": ("subjects_needed", "需指导学科"),
    "max_researchers": ("max_researchers", "最多教研员"),
    "blackout": ("blackout", "停访日期"),
    "research_days": ("research_days", "教研活动日"),
}
SCHOOL_REQUIRED = ("id", "name", "stages", "area")

# A road is timed either in minutes or in km at a speed (a kmh column, else travel.road_kmh).
ROAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "from": ("from", "起点"),
    "to": ("to", "终点"),
    "minutes": ("minutes", "分钟", "时间"),
    "km": ("km", "公里", "里程"),
    "kmh": ("kmh", "时速", "速度"),
    "oneway": ("oneway", "单行"),
}
ROAD_REQUIRED = ("from", "to")

NODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "节点", "节点编号"),
    "lon": ("lon", "经度", "longitude"),
    "lat": ("lat", "纬度", "latitude"),
}
NODE_REQUIRED = ("id", "lon", "lat")

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class TableRow:
    """One data row: `values` by canonical field, `extra` by the user's own header."""

    number: int
    values: dict[str, object]
    extra: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # set when a what-if's edits made or changed the row (assign.inputs.extend)
    # Cells a what-if's `update` set: canonical field → (the what-if file, its key), so a bad value is
    # blamed on the edit that wrote it, not on the base table's row.
    edited: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Table:
    path: Path
    headers: dict[str, str]  # canonical field → header text as written in the file
    rows: list[TableRow]
    encoding: str | None = None

    def header(self, field_name: str) -> str:
        return self.headers.get(field_name, field_name)


def read_raw(path: Path, pick: Callable[[list[list[object]]], bool] | None = None) -> tuple[list[list[object]], str | None]:
    """All rows of the first sheet (xlsx; with `pick`, of the first sheet it accepts) or of the CSV, as lists of cells, and the encoding used."""
    if not path.exists():
        raise InputError.at(path, None, None, None, "file not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise InputError.at(path, None, None, None, f"cannot open as an Excel workbook ({exc})") from None
        sheets = ([list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets)
        rows = next(sheets, [])
        if pick is not None and not pick(rows):
            rows = next((other for other in sheets if pick(other)), rows)
        workbook.close()
        return rows, None
    if suffix in (".csv", ".txt"):
        data = path.read_bytes()
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            # A cell our own CSV writers protected from Excel ('=…) reads back as it was written.
            return [[unquote_formula(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))], encoding
        raise InputError.at(path, None, None, None, "cannot decode: expected UTF-8, UTF-8 with BOM or GB18030 text")
    raise InputError.at(path, None, None, suffix, "unsupported file type: expected .csv or .xlsx")


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def has_columns(rows: list[list[object]], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> bool:
    """Whether the first non-blank row names every required column."""
    header = next((row for row in rows if not all(_blank(c) for c in row)), [])
    lookup = {alias.lower(): name for name, aliases in columns.items() for alias in aliases}
    return set(required) <= {lookup.get(str(c).strip().lower()) for c in header if not _blank(c)}


def read_table(path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], any_sheet: bool = False) -> Table:
    """Read a table and map its headers; unknown headers are kept, missing required ones are errors.

    With `any_sheet`, a workbook's first sheet that has the required columns is read (the ids of
    our own roster.xlsx are on its second sheet, under the printable table).
    """
    raw, encoding = read_raw(path, (lambda rows: has_columns(rows, columns, required)) if any_sheet else None)
    skipped = 0  # blank rows above the header still count in the row numbers the user sees
    while raw and all(_blank(c) for c in raw[0]):
        raw.pop(0)
        skipped += 1
    if not raw:
        raise InputError.at(path, None, None, None, "the table is empty: expected a header row")
    lookup = {alias.lower(): name for name, aliases in columns.items() for alias in aliases}
    header_row = raw[0]
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    extras: dict[int, str] = {}
    for index, cell in enumerate(header_row):
        if _blank(cell):
            continue
        text = str(cell).strip()
        name = lookup.get(text.lower())
        if name is None:
            extras[index] = text
        elif name in headers:
            raise InputError.at(path, skipped + 1, text, text, f"column {name} appears twice (also as {headers[name]!r})")
        else:
            headers[name] = text
            positions[index] = name
    missing = [name for name in required if name not in headers]
    if missing:
        wanted = "; ".join("/".join(columns[name]) for name in missing)
        raise InputError.at(path, skipped + 1, None, [str(c) for c in header_row if not _blank(c)], f"missing required column(s): {wanted}")
    rows: list[TableRow] = []
    for offset, cells in enumerate(raw[1:], start=skipped + 2):
        if all(_blank(c) for c in cells):
            continue
        values = {name: _clean(cells[i]) if i < len(cells) else None for i, name in positions.items()}
        extra = {text: "" if i >= len(cells) or cells[i] is None else str(cells[i]) for i, text in extras.items()}
        rows.append(TableRow(offset, values, extra))
    return Table(path, headers, rows, encoding)


def _clean(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell
