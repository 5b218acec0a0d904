"""Reading the tables offices keep: `.csv` (UTF-8, UTF-8 with BOM, GB18030) or `.xlsx`.

A table becomes a list of `TableRow`: the values of known columns under their canonical field
names, the unknown columns kept as they are, and the header text the user wrote (so an error
can name the column the way the user sees it).

What no table may hold is refused with the cell named: text over MAX_CELL_CHARS, an .xlsx formula
without a saved value, more rows than the table's limit (MAX_RESEARCHERS, MAX_SCHOOLS, MAX_ROWS).
An .xlsx reads as Excel shows it: formulas give their saved values, merged cells their top-left value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assign.errors import CellProblem, InputError
from assign.export.cells import unquote_formula
from assign.inputs.files import check_file, decode, read_bytes

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

# Size limits, so that a wrong file (a whole province's export, a log pasted into a cell) is refused
# at once with a message instead of filling the memory. Documented in README.md ("Limits").
MAX_RESEARCHERS = 20_000  # rows of a researchers table
MAX_SCHOOLS = 200_000  # rows of a schools table
MAX_ROWS = 1_000_000  # rows of any other table (roads, nodes, a roster)
MAX_CELL_CHARS = 10_000  # characters in one cell
MAX_TABLE_BYTES = 100_000_000  # size of a table file
# An .xlsx sheet is read whole (openpyxl's full mode is what reports merged cells), about 0.5 KB of
# memory per cell: at most this many cells by the sheet's own dimension; larger tables as CSV.
MAX_XLSX_CELLS = 1_000_000
MAX_XLSX_UNPACKED = 200_000_000  # bytes the workbook's zip unpacks to: a sheet's dimension may be wrong


@dataclass(frozen=True)
class UnsavedFormula:
    """An .xlsx cell holding a formula but no value computed by Excel or WPS (a workbook written by a
    program and never opened): it would read as empty, so it is reported instead."""

    formula: str


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
    headers: dict[str, str]  # canonical field → header text as written in the file (only the columns the file has)
    rows: list[TableRow]
    encoding: str | None = None
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every known field → its accepted headers

    def header(self, field_name: str) -> str:
        """The header the user wrote for a field; for a column the file lacks, its Chinese name (what to add)."""
        if field_name in self.headers:
            return self.headers[field_name]
        return next((a for a in self.columns.get(field_name, ()) if not a.isascii()), field_name)

    def labels(self) -> dict[str, str]:
        """Every known field → how messages name its column (see `header`)."""
        return {name: self.header(name) for name in {**self.columns, **self.headers}}


Pick = Callable[[list[list[object]]], bool]


def read_raw(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> tuple[list[list[object]], str | None]:
    """All rows of the first sheet (xlsx; with `pick`, of the first sheet whose first rows it accepts) or
    of the CSV, as lists of cells, and the encoding used.

    More than `max_rows` non-blank rows below the header is an InputError, raised as soon as they come.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        check_file(path, limit=MAX_TABLE_BYTES)
        return read_xlsx(path, max_rows, pick), None
    if suffix in (".csv", ".txt"):
        text, encoding = decode(read_bytes(path, MAX_TABLE_BYTES), path)
        # The whole text is in memory already, so no cell can be longer than it: reading never stops on the
        # csv module's own field limit (131,072 characters). MAX_CELL_CHARS is checked once the headers are known.
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        rows: list[list[object]] = []
        filled = 0
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append([unquote_formula(cell) for cell in row])  # a cell our CSV writers protected ('=…) reads as written
            filled += not all(_blank(c) for c in row)
            if filled > max_rows + 1:  # + the header
                raise _too_many_rows(path, max_rows)
        return rows, encoding
    check_file(path)
    raise InputError.at(path, None, None, suffix, "unsupported file type: expected .csv or .xlsx")


def _too_many_rows(path: Path, max_rows: int) -> InputError:
    return InputError.at(path, None, None, None, f"more than {max_rows:,} rows: a table of this kind may have at most {max_rows:,} "
                                                 f"(see README, Limits)")


def read_xlsx(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> list[list[object]]:
    """The first sheet's rows as cell values, as Excel shows them: a formula gives the value saved with it
    (an `UnsavedFormula` when there is none), and a merged range gives its top-left value to every cell it
    covers (a 乡镇 merged down its schools)."""
    import openpyxl

    def workbook(**options):
        try:
            return openpyxl.load_workbook(path, **options)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise InputError.at(path, None, None, None, f"cannot open as an Excel workbook ({exc})") from None

    try:
        with zipfile.ZipFile(path) as archive:  # a workbook is a zip: what it unpacks to, before anything is unpacked
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError.at(path, None, None, None, f"cannot open as an Excel workbook ({exc})") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError.at(path, None, None, None, f"the workbook unpacks to {unpacked:,} bytes: at most {MAX_XLSX_UNPACKED:,} "
                                                    f"(see README, Limits); save a larger table as CSV")
    book = workbook(read_only=True)  # reads the sheet's dimension, before anything is loaded whole
    try:
        if not book.worksheets:
            raise InputError.at(path, None, None, None, "the workbook has no worksheet")
        index = _sheet_index(book, pick)
        rows, columns = book.worksheets[index].max_row or 0, book.worksheets[index].max_column or 0
    finally:
        book.close()
    if rows * columns > MAX_XLSX_CELLS:
        raise InputError.at(path, None, None, None, f"a sheet of {rows:,} rows × {columns:,} columns: an .xlsx table may have at most "
                                                    f"{MAX_XLSX_CELLS:,} cells (see README, Limits); save a larger table as CSV")
    book = workbook(data_only=False)  # formulas as written; the full mode is the one that reports merged cells
    sheet = book.worksheets[index]
    grid: list[list[object]] = []
    formulas: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1)):
        grid.append([cell.value for cell in cells])
        # An array formula comes as an object whose `text` is the formula.
        formulas.update({(r, c): str(getattr(cell.value, "text", cell.value)) for c, cell in enumerate(cells) if cell.data_type == "f"})
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    book.close()
    if formulas:
        _saved_values(workbook(read_only=True, data_only=True), index, grid, formulas)
    for top, left, bottom, right in merged:
        for r in range(top, min(bottom, len(grid))):
            for c in range(left, min(right, len(grid[r]))):
                grid[r][c] = grid[top][left]
    if sum(not all(_blank(c) for c in row) for row in grid) > max_rows + 1:
        raise _too_many_rows(path, max_rows)
    return grid


def _sheet_index(book, pick: Pick | None, head: int = 20) -> int:
    """The first sheet whose first rows `pick` accepts (0 without `pick`, or when none does)."""
    if pick is None:
        return 0
    for index, sheet in enumerate(book.worksheets):
        if pick([list(row) for row in sheet.iter_rows(max_row=head, values_only=True)]):
            return index
    return 0


def _saved_values(book, index: int, grid: list[list[object]], formulas: dict[tuple[int, int], str]) -> None:
    """Put in `grid`, for each formula, the value saved with it (a second, streaming read)."""
    last = max(r for r, _ in formulas)
    try:
        for r, row in enumerate(book.worksheets[index].iter_rows(min_row=1, min_col=1, max_row=last + 1, values_only=True)):
            for c in range(len(grid[r])) if r < len(grid) else ():
                if (r, c) in formulas:
                    saved = row[c] if c < len(row) else None
                    grid[r][c] = UnsavedFormula(formulas[r, c]) if saved is None else saved
    finally:
        book.close()


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell_problem(path: Path, row: int, column: str, cell: object) -> CellProblem | None:
    """A cell no table may hold: a formula without a saved value, or text over MAX_CELL_CHARS."""
    if isinstance(cell, UnsavedFormula):
        return CellProblem(str(path), row, column, cell.formula,
                           "a formula without a saved value: open and save the workbook in Excel/WPS first")
    if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
        return CellProblem(str(path), row, column, cell[:40] + "…",
                           f"a cell of {len(cell):,} characters: at most {MAX_CELL_CHARS:,} (see README, Limits)")
    return None


def has_columns(rows: list[list[object]], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> bool:
    """Whether the first non-blank row names every required column."""
    header = next((row for row in rows if not all(_blank(c) for c in row)), [])
    lookup = {alias.lower(): name for name, aliases in columns.items() for alias in aliases}
    return set(required) <= {lookup.get(str(c).strip().lower()) for c in header if not _blank(c)}


def read_table(path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], max_rows: int = MAX_ROWS,
               any_sheet: bool = False) -> Table:
    """Read a table and map its headers; unknown headers are kept, missing required ones are errors.

    Every cell that no table may hold (see `_cell_problem`) is reported together, by row and header.
    With `any_sheet`, a workbook's first sheet that has the required columns is read (the ids of
    our own roster.xlsx are on its second sheet, under the printable table).
    """
    raw, encoding = read_raw(path, max_rows, (lambda rows: has_columns(rows, columns, required)) if any_sheet else None)
    skipped = 0  # blank rows above the header still count in the row numbers the user sees
    while raw and all(_blank(c) for c in raw[0]):
        raw.pop(0)
        skipped += 1
    if not raw:
        raise InputError.at(path, None, None, None, "the table is empty: expected a header row")
    lookup = {alias.lower(): name for name, aliases in columns.items() for alias in aliases}
    header_row = raw[0]
    bad = [p for index, cell in enumerate(header_row) if (p := _cell_problem(path, skipped + 1, _letter(index), cell))]
    if bad:
        raise InputError(bad)
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
    shown = {**extras, **{i: headers[name] for i, name in positions.items()}}
    rows: list[TableRow] = []
    problems: list[CellProblem] = []
    for offset, cells in enumerate(raw[1:], start=skipped + 2):
        if all(_blank(c) for c in cells):
            continue
        problems += [p for i, cell in enumerate(cells) if (p := _cell_problem(path, offset, shown.get(i, _letter(i)), cell))]
        values = {name: _clean(cells[i]) if i < len(cells) else None for i, name in positions.items()}
        extra = {text: "" if i >= len(cells) or cells[i] is None else str(cells[i]) for i, text in extras.items()}
        rows.append(TableRow(offset, values, extra))
    if problems:
        raise InputError(problems)
    if len(rows) > max_rows:
        raise _too_many_rows(path, max_rows)
    return Table(path, headers, rows, encoding, columns)


def _letter(index: int) -> str:
    """A column without a header, named the way Excel shows it: A, B, … Z, AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _clean(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell
