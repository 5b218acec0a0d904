"""Reading the tables offices keep: `.csv` (UTF-8, UTF-8 with BOM, GB18030), `.xlsx`, `.xls`, `.ods` (and
WPS `.et` where it is an Excel file inside), as the office keeps them: a title row above the header, notes
below the data (`注：…`, `制表人：…`), a 序号 column, both tables as sheets of one workbook.

A table becomes a list of `TableRow`: the values of known columns under their canonical field
names, the unknown columns kept as they are, and the header text the user wrote (so an error
can name the column the way the user sees it).

What no table may hold is refused with the cell named: text over MAX_CELL_CHARS, an .xlsx formula
without a saved value, more rows than the table's limit (MAX_RESEARCHERS, MAX_SCHOOLS, MAX_ROWS).
An .xlsx reads as Excel shows it: formulas give their saved values, merged cells their top-left value.
The header is the first row (of the first HEADER_SCAN) that names the table's required columns; what was
guessed (the header row, ids made from names, a header read as a known one) is said in `Table.notes`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assign.errors import CellProblem, InputError
from assign.export.cells import unquote_formula
from assign.inputs.files import check_file, decode, read_bytes
from assign.locale import _
from assign.vocab import tidy_spaces

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
    "stages": ("stages", "stage", "学段", "学校类型", "办学类型"),
    "area": ("area", "城乡类型", "城乡划分代码", "城乡", "城乡分类", "城乡属性"),
    "township": ("township", "乡镇", "乡镇街道"),
    "node": ("node", "路网节点"),
    "lon": ("lon", "经度", "longitude"),
    "lat": ("lat", "纬度", "latitude"),
    "minutes": ("minutes", "单程分钟", "单程时间", "单程时间(分钟)", "单程时间（分钟）"),
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

# A column of row numbers: never an id, and not carried to the outputs (they number their own rows).
ROW_NUMBER_HEADERS = ("序号", "no.", "no", "#")
# Rows below the data that are notes, not records: 注：…, 备注：…, 制表人：…, 填表日期：…
NOTE_ROW = re.compile(r"^\s*(注|备注|说明|附注|制表|填表|审核|审批|负责人|联系人|日期|单位)[^:：]{0,4}[:：]|^\s*注\s*\d")
HEADER_SCAN = 30  # rows searched for the header
MAX_HEADER_GUESSES = 300  # header cells read as a known header they contain (所在乡镇 → 乡镇); no office table is wider

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


class MissingColumns(InputError):
    """A table without one of its required columns (a roster reader then tries the other set of columns)."""


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
    sheet: str | None = None  # the workbook's sheet the table was read from
    notes: list[str] = field(default_factory=list)  # what was guessed in reading it, for the user to see (warnings)

    @property
    def where(self) -> str:
        """The file (and sheet) as messages name it."""
        return str(self.path) if self.sheet is None else _("{file}, sheet {sheet}").format(file=self.path, sheet=self.sheet)

    def header(self, field_name: str) -> str:
        """The header the user wrote for a field; for a column the file lacks, its Chinese name (what to add)."""
        if field_name in self.headers:
            return self.headers[field_name]
        return next((a for a in self.columns.get(field_name, ()) if not a.isascii()), field_name)

    def labels(self) -> dict[str, str]:
        """Every known field → how messages name its column (see `header`)."""
        return {name: self.header(name) for name in {**self.columns, **self.headers}}


@dataclass
class RawSheet:
    """The cells of a CSV or of one sheet of a workbook, row by row, as read."""

    rows: list[list[object]]
    encoding: str | None = None
    sheet: str | None = None


# A sheet's score for a table (its title and first rows → 0 when it is not that table's); the best is read.
Pick = Callable[[str, list[list[object]]], int]
WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")


def read_raw(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> tuple[list[list[object]], str | None]:
    """All rows of the first sheet (with `pick`, of the sheet it scores best) or of the CSV, and the encoding used."""
    raw = read_sheet(path, max_rows, pick)
    return raw.rows, raw.encoding


def read_sheet(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> RawSheet:
    """All rows of the first sheet (with `pick`, of the sheet it scores best) or of the CSV, as lists of cells.

    More than `max_rows` non-blank rows is an InputError, raised as soon as they come. A path naming a
    sheet (`名单.xlsx#学校`, see `sheet_of`) reads that sheet, and no other.
    """
    path, wanted = sheet_of(path)
    if wanted is not None:
        def pick(title: str, rows: list[list[object]]) -> int:
            return int(tidy_spaces(str(title)) == wanted)
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        check_file(path, limit=MAX_TABLE_BYTES)
        read = read_xlsx if suffix in (".xlsx", ".xlsm") else read_other_workbook
        rows, sheet = read(path, max_rows, pick)
        if wanted is not None and tidy_spaces(str(sheet)) != wanted:
            raise InputError.at(path, None, None, wanted, _("no sheet of this name in the workbook (the name after # is a sheet's title)"))
        return RawSheet(rows, None, sheet)
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
            if filled > max_rows + HEADER_SCAN:  # + the header and the rows above it
                raise _too_many_rows(path, max_rows)
        return RawSheet(rows, encoding)
    check_file(path)
    raise InputError.at(path, None, None, suffix, _("unsupported file type: expected .csv, .xlsx, .xls or .ods"))


def check_unpacked(path: Path, zipped: bool = True) -> None:
    """An InputError unless the workbook, a zip (.xlsx, .ods, .xlsb; an .et may be one), unpacks to at most
    MAX_XLSX_UNPACKED bytes, by its own directory, before anything is unpacked. With `zipped` False, a file
    that is no zip (an .xls, an .et in WPS's own format) passes: the reader takes it as it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        if not zipped:
            return
        kind = _("cannot open as an Excel workbook ({exc})") if path.suffix.lower() in (".xlsx", ".xlsm") else _("cannot open as a workbook ({exc})")
        raise InputError.at(path, None, None, None, kind.format(exc=exc)) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError.at(path, None, None, None, _("the workbook unpacks to {unpacked} bytes: at most {limit} (see README, Limits); "
                                                      "save a larger table as CSV").format(unpacked=f"{unpacked:,}", limit=f"{MAX_XLSX_UNPACKED:,}"))


def sheet_of(path: Path) -> tuple[Path, str | None]:
    """(the file, the sheet it names or None): `名单.xlsx#学校` names the sheet 学校 of the workbook 名单.xlsx,
    so a scenario can say which sheet holds which table; a name without `#` after a workbook suffix is a file."""
    file, hash_sign, sheet = path.name.partition("#")
    if hash_sign and sheet.strip() and Path(file).suffix.lower() in WORKBOOKS:
        return path.with_name(file), tidy_spaces(sheet)
    return path, None


def sheet_titles(path: Path) -> list[str]:
    """The titles of a workbook's sheets in order (hidden ones too); [] for a CSV, which has none."""
    path = sheet_of(path)[0]
    suffix = path.suffix.lower()
    if suffix not in WORKBOOKS:
        return []
    check_file(path, limit=MAX_TABLE_BYTES)
    check_unpacked(path, zipped=suffix in (".xlsx", ".xlsm", ".ods", ".xlsb"))
    try:
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            try:
                return list(book.sheetnames)
            finally:
                book.close()
        from python_calamine import CalamineWorkbook

        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # the readers raise many kinds on a broken file
        raise InputError.at(path, None, None, None, f"cannot open as a workbook ({exc})") from None


def read_other_workbook(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> tuple[list[list[object]], str]:
    """A sheet of an .xls, .xlsb, .ods or WPS .et workbook (python-calamine) as cell values, and its title;
    a merged range gives its top-left value to every cell it covers, as in `read_xlsx`."""
    from python_calamine import CalamineWorkbook

    check_unpacked(path, zipped=path.suffix.lower() in (".ods", ".xlsb"))
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
    except Exception as exc:  # calamine raises its own kinds on a file it cannot read
        hint = (_("cannot open as a workbook ({exc}): open it in WPS and save it as .xlsx (文件 → 另存为 → Excel 工作簿)")
                if path.suffix.lower() == ".et" else _("cannot open as a workbook ({exc})"))
        raise InputError.at(path, None, None, None, hint.format(exc=exc)) from None
    if not sheets:
        raise InputError.at(path, None, None, None, _("the workbook has no worksheet"))
    index = 0
    if pick is not None:
        scores = [pick(sheet.name, _values(sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN))) for sheet in sheets]
        index = max(range(len(sheets)), key=lambda i: (scores[i], -i))
    sheet = sheets[index]
    if sheet.total_height * sheet.total_width > MAX_XLSX_CELLS:
        raise InputError.at(path, None, None, None, _("a sheet of {rows} rows × {columns} columns: a workbook table may have at most {limit} cells "
                                                      "(see README, Limits); save it as CSV")
                            .format(rows=f"{sheet.total_height:,}", columns=f"{sheet.total_width:,}", limit=f"{MAX_XLSX_CELLS:,}"))
    grid = _values(sheet.to_python(skip_empty_area=False))
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        for r in range(top, min(bottom + 1, len(grid))):
            for c in range(left, min(right + 1, len(grid[r]))):
                grid[r][c] = grid[top][left] if left < len(grid[top]) else None
    if sum(not all(_blank(c) for c in row) for row in grid) > max_rows + HEADER_SCAN:
        raise _too_many_rows(path, max_rows)
    return grid, sheet.name


def _values(rows: list[list[object]]) -> list[list[object]]:
    """calamine's empty cell ("") as None, the way openpyxl and the rest of the reading see it."""
    return [[None if cell == "" else cell for cell in row] for row in rows]


def _too_many_rows(path: Path, max_rows: int) -> InputError:
    return InputError.at(path, None, None, None, _("more than {max_rows} rows: a table of this kind may have at most {max_rows} (see README, Limits)")
                         .format(max_rows=f"{max_rows:,}"))


def read_xlsx(path: Path, max_rows: int = MAX_ROWS, pick: Pick | None = None) -> tuple[list[list[object]], str]:
    """The first sheet's (with `pick`, the best scored sheet's) rows as cell values, and its title, as Excel
    shows them: a formula gives the value saved with it
    (an `UnsavedFormula` when there is none), and a merged range gives its top-left value to every cell it
    covers (a 乡镇 merged down its schools)."""
    import openpyxl

    def workbook(**options):
        try:
            return openpyxl.load_workbook(path, **options)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise InputError.at(path, None, None, None, _("cannot open as an Excel workbook ({exc})").format(exc=exc)) from None

    check_unpacked(path)
    book = workbook(read_only=True)  # reads the sheet's dimension, before anything is loaded whole
    try:
        if not book.worksheets:
            raise InputError.at(path, None, None, None, _("the workbook has no worksheet"))
        index = _sheet_index(book, pick)
        rows, columns = book.worksheets[index].max_row or 0, book.worksheets[index].max_column or 0
    finally:
        book.close()
    if rows * columns > MAX_XLSX_CELLS:
        raise InputError.at(path, None, None, None, _("a sheet of {rows} rows × {columns} columns: an .xlsx table may have at most {limit} cells "
                                                      "(see README, Limits); save a larger table as CSV")
                            .format(rows=f"{rows:,}", columns=f"{columns:,}", limit=f"{MAX_XLSX_CELLS:,}"))
    book = workbook(data_only=False)  # formulas as written; the full mode is the one that reports merged cells
    sheet = book.worksheets[index]
    title = sheet.title
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
    if sum(not all(_blank(c) for c in row) for row in grid) > max_rows + HEADER_SCAN:
        raise _too_many_rows(path, max_rows)
    return grid, title


def _sheet_index(book, pick: Pick | None) -> int:
    """The sheet `pick` scores best, the first of equals (0 without `pick`)."""
    if pick is None:
        return 0
    scores = [pick(sheet.title, [list(row) for row in sheet.iter_rows(max_row=HEADER_SCAN, values_only=True)]) for sheet in book.worksheets]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


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


def _cell_problem(path: Path, row: int, column: str | int, cell: object) -> CellProblem | None:
    """A cell no table may hold: a formula without a saved value, or text over MAX_CELL_CHARS.
    `column`: its header, or its index when it has none (named as Excel does only for a problem)."""
    if isinstance(column, int) and (isinstance(cell, UnsavedFormula) or isinstance(cell, str) and len(cell) > MAX_CELL_CHARS):
        column = _letter(column)
    if isinstance(cell, UnsavedFormula):
        return CellProblem(str(path), row, column, cell.formula,
                           _("a formula without a saved value: open and save the workbook in Excel/WPS first"))
    if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
        return CellProblem(str(path), row, column, cell[:40] + "…",
                           _("a cell of {n} characters: at most {limit} (see README, Limits)")
                               .format(n=f"{len(cell):,}", limit=f"{MAX_CELL_CHARS:,}"))
    return None


def header_fields(row: list[object], columns: dict[str, tuple[str, ...]]) -> dict[int, tuple[str, str | None]]:
    """Column index → (field, the known header it was read as when the written one only contains it, else None)
    for every cell of `row` that names a known column: exactly (case, blanks and a trailing * ignored), or by
    containing one Chinese header of a field that no other cell names exactly (所在乡镇 → 乡镇)."""
    lookup = {_header_key(alias): name for name, aliases in columns.items() for alias in aliases}
    exact = {i: lookup[key] for i, cell in enumerate(row) if not _blank(cell) and (key := _header_key(cell)) in lookup}
    found: dict[int, tuple[str, str | None]] = {i: (name, None) for i, name in exact.items()}
    taken = set(exact.values())
    for i, cell in enumerate(row[:MAX_HEADER_GUESSES]):
        if i in found or _blank(cell) or _header_key(cell) in ROW_NUMBER_HEADERS:
            continue
        key = _header_key(cell)
        near = {(name, alias) for name, aliases in columns.items() if name not in taken
                for alias in aliases if not alias.isascii() and len(alias) >= 2 and alias in key}
        if len({name for name, _ in near}) == 1:
            name, alias = max(near, key=lambda pair: len(pair[1]))
            found[i] = (name, alias)
            taken.add(name)
    return found


def _header_key(cell: object) -> str:
    return tidy_spaces(str(cell), join_cjk=True).replace(" ", "").rstrip("*＊").lower()


def find_header(rows: list[list[object]], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> int | None:
    """The index of the header: the first of the first HEADER_SCAN rows that names every `required` column, else
    the row naming most known columns (at least two), else the first non-blank row; None for a blank table."""
    best, best_count = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if all(_blank(c) for c in row):
            continue
        named = {name for name, _ in header_fields(row, columns).values()}
        if set(required) <= named:
            return index
        if len(named) > best_count:
            best, best_count = index, len(named)
    if best is not None:
        return best
    return next((i for i, row in enumerate(rows) if not all(_blank(c) for c in row)), None)


def has_columns(rows: list[list[object]], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> bool:
    """Whether one of the first rows names every required column."""
    index = find_header(rows, columns, required)
    return index is not None and set(required) <= {name for name, _ in header_fields(rows[index], columns).values()}


def table_pick(columns: dict[str, tuple[str, ...]], required: tuple[str, ...], titles: tuple[str, ...] = ()) -> Pick:
    """A sheet's score for a table: 2 when it has the required columns and its title is one of `titles`
    (教研员, 学校 …), 1 with the columns only, else 0."""
    def score(title: str, rows: list[list[object]]) -> int:
        if not has_columns(rows, columns, required):
            return 0
        return 2 if tidy_spaces(str(title)).lower() in titles else 1
    return score


def read_table(path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], max_rows: int = MAX_ROWS,
               any_sheet: bool = False, id_from: str | None = None, titles: tuple[str, ...] = ()) -> Table:
    """Read a table and map its headers; unknown headers are kept, missing required ones are errors.

    The header is found by `find_header` (title rows above it are skipped, and said so in `notes`); rows
    below the data that are notes (`注：…`, `制表人：…`) are skipped. A 序号 column is dropped. Every cell
    that no table may hold (see `_cell_problem`) is reported together, by row and header.
    With `any_sheet`, the workbook's sheet that has the required columns is read (titled one of `titles`
    first): the ids of our own roster.xlsx are on its second sheet, and an office keeps both tables in one
    workbook. With `id_from` (a field, e.g. "name"), a table without the id column gets ids made from
    that column (a name given twice gets `~2`), and says so.
    """
    needed = tuple(f for f in required if not (id_from and f == "id"))
    raw = read_sheet(path, max_rows, table_pick(columns, needed, titles) if any_sheet else None)
    path = sheet_of(path)[0]
    table = Table(path, {}, [], raw.encoding, columns, raw.sheet)
    rows = raw.rows
    start = find_header(rows, columns, needed)
    if start is None:
        raise InputError.at(table.where, None, None, None, _("the table is empty: expected a header row"))
    above = [i for i in range(start) if not all(_blank(c) for c in rows[i])]
    if above:
        table.notes.append(_("{where}: row {row} taken as the header; the {n} rows above it (titles) are not read").format(
            where=table.where, row=start + 1, n=len(above)))
    header_row = rows[start]
    bad = [p for index, cell in enumerate(header_row) if (p := _cell_problem(table.where, start + 1, index, cell))]
    if bad:
        raise InputError(bad)
    positions: dict[int, str] = {}
    extras: dict[int, str] = {}
    matched = header_fields(header_row, columns)
    for index, cell in enumerate(header_row):
        if _blank(cell):
            continue
        text = tidy_spaces(str(cell))
        if index not in matched:
            if _header_key(cell) not in ROW_NUMBER_HEADERS:
                extras[index] = text
            continue
        name, near = matched[index]
        if name in table.headers:
            raise InputError.at(table.where, start + 1, text, text, _("column {name} appears twice (also as {header})").format(
                name=name, header=repr(table.headers[name])))
        table.headers[name] = text
        positions[index] = name
        if near is not None:
            table.notes.append(_("{where}: column {header} read as {near}").format(where=table.where, header=text, near=near))
    missing = [name for name in needed if name not in table.headers]
    if missing:
        wanted = "; ".join("/".join(columns[name]) for name in missing)
        written = [str(c) for c in header_row if not _blank(c)]
        shown_headers = written[:30] + ([_("… {n} more").format(n=len(written) - 30)] if len(written) > 30 else [])
        raise MissingColumns.at(table.where, start + 1, None, shown_headers, _("missing required column(s): {wanted}").format(wanted=wanted))
    shown = {**extras, **{i: table.headers[name] for i, name in positions.items()}}
    problems: list[CellProblem] = []
    skipped_notes = []
    # A row with nothing but its 序号 is an empty line of a form numbered in advance, not a record.
    numbering = {i for i, cell in enumerate(header_row) if i not in matched and not _blank(cell) and _header_key(cell) in ROW_NUMBER_HEADERS}
    for offset, cells in enumerate(rows[start + 1:], start=start + 2):
        if all(_blank(c) for c in cells):
            continue
        first = next(c for c in cells if not _blank(c))
        if isinstance(first, str) and NOTE_ROW.match(first):
            skipped_notes.append(offset)
            continue
        if all(_blank(c) or i in numbering for i, c in enumerate(cells)):
            continue
        problems += [p for i, cell in enumerate(cells) if (p := _cell_problem(table.where, offset, shown.get(i, i), cell))]
        values = {name: _clean(cells[i]) if i < len(cells) else None for i, name in positions.items()}
        extra = {text: "" if i >= len(cells) or cells[i] is None else str(cells[i]) for i, text in extras.items()}
        table.rows.append(TableRow(offset, values, extra))
    if problems:
        raise InputError(problems)
    if len(table.rows) > max_rows:
        raise _too_many_rows(path, max_rows)
    if skipped_notes:
        table.notes.append(_("{where}: rows {rows} are notes and not read").format(where=table.where, rows="、".join(map(str, skipped_notes))))
    if id_from and "id" not in table.headers:
        ids_from_column(table, id_from)
    return table


def ids_from_column(table: Table, source: str) -> None:
    """Ids for a table without an id column, made from another column (a name): stable as long as the
    names are, readable, and what a roster by name refers to; the second 王芳 is 王芳~2."""
    seen: dict[str, int] = {}
    for row in table.rows:
        base = tidy_spaces(str(row.values.get(source) or ""), join_cjk=True)
        if not base:
            row.values["id"] = None  # the empty name is reported (once) by the row's validation
            continue
        seen[base] = seen.get(base, 0) + 1
        row.values["id"] = base if seen[base] == 1 else f"{base}~{seen[base]}"
    twice = [name for name, count in seen.items() if count > 1]
    table.notes.append(_("{where}: no {id} column: ids made from the {name} column")
                       .format(where=table.where, id=table.header("id"), name=table.header(source))
                       + (_("; names given twice: {names} (the second gets ~2 …)").format(names="、".join(twice)) if twice else ""))
    table.headers["id"] = table.header(source)  # a bad id is the name's cell


def _letter(index: int) -> str:
    """A column without a header, named the way Excel shows it: A, B, … Z, AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1) if index < 18_278 else _("column {n}").format(n=index + 1)  # XFD is Excel's last


def _clean(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell
