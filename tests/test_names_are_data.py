"""Names are data in every output (issue #19): whatever a researcher's or a school's name holds, every
command writes it as text, inside its output folder, and no writer crashes on it.

One tiny county per odd name runs every writing command once through the CLI (solve, calendar,
travel, compare, report); each test below then reads one kind of output back. Control characters
are refused where the tables are read, naming the cell; a line break in a name becomes a space.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import openpyxl
import pytest
import yaml
from calendar_fixtures import load_tiny
from click.testing import CliRunner
from conftest import hand_plan, make_scenario, researcher, school

from assign.analysis.check import read_roster
from assign.calendar.visit_solve import schedule_term
from assign.cli import main
from assign.export.cells import FORMULA_PREFIXES, ILLEGAL_CHARACTERS_RE, append_row, csv_cell, md_text, unquote_formula
from assign.export.ics import ics_bytes
from assign.export.roster import write_roster_xlsx
from assign.export.safe_names import FILE_NAME_BYTES, SHEET_TITLE_CHARS, FileNames, SheetTitles, folder_name
from assign.inputs.tables import read_raw
from assign.load import load_scenario
from assign.locale import _

TERM = {"name": "2026秋", "start": "2026-09-07", "end": "2026-09-18"}
POLICIES = {"school_count": {"min": 1, "max": 1}, "avoid": {}, "coverage": {}, "travel": {}}
ODD = "长" * 200

# (the name as a clerk typed it into both tables, the name as every output must show it)
NAMES = [
    ("王\n李", "王 李"),                                                  # Alt+Enter inside a quoted CSV cell: a space
    ("王/李", "王/李"),                                                   # a path separator
    ("../../evil", "../../evil"),                                       # a path climbing out of the output folder
    ("[a]:b*?", "[a]:b*?"),                                             # every character an Excel sheet title refuses
    (ODD, ODD),                                                         # 200 characters: 600 bytes, longer than a file name may be
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),       # a formula: a live link in Excel and WPS
    ("+1", "+1"),                                                       # a formula by its plus sign
    ("-1", "-1"),                                                       # a formula by its minus sign
    ("@SUM(A1)", "@SUM(A1)"),                                           # a formula by Lotus's @
    ("\t制表", "制表"),                                                  # a tab-leading cell (trimmed like any cell)
    ("a|b\nc", "a|b c"),                                                # a Markdown table's cell separator and a line break
    ('<script>alert("x")</script>', '<script>alert("x")</script>'),     # markup and a double quote
]
NAME_IDS = ["line-break", "slash", "dot-dot", "sheet-title-chars", "200-chars", "hyperlink", "plus", "minus", "at", "tab", "pipe",
            "script"]


@dataclass
class Outputs:
    """What the commands wrote for one odd name, under `root`."""

    raw: str
    meant: str
    root: Path
    scenario: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cal(self) -> Path:
        return self.root / "cal"


def run(*args: str):
    """One command through click; never a traceback, whatever happens."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def county(folder: Path, name: str, township: str | None = None) -> Path:
    """R1 and S1 carry the name (S1 its township too); R2 avoids S1, so the plan is R1 → S1, R2 → S2.
    whatif.yaml closes S1, so `compare` moves R1 and lists both names among the changes."""
    path = make_scenario(
        folder,
        [researcher("R1", name), researcher("R2", "李四", avoid_schools="S1")],
        [school("S1", name, township=township if township is not None else name, dlon=0.01),
         school("S2", "城关小学", township="城关街道", dlon=0.02), school("S3", "河口小学", township="河口镇", dlon=0.03)],
        POLICIES,
        calendar={"terms": [TERM], "holidays": "china", "visit_rules": {"visits_per_term": {"min": 1}}, "time_limit": 10},
    )
    whatif = {"extends": "scenario.yaml", "name": "假如撤并 S1", "edits": {"schools": {"remove": ["S1"]}}}
    (folder / "whatif.yaml").write_text(yaml.safe_dump(whatif, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=NAMES, ids=NAME_IDS)
def outputs(request, tmp_path_factory) -> Outputs:
    raw, meant = request.param
    # Deep inside a folder of its own, so that a path that climbed out would show up beside it.
    root = tmp_path_factory.mktemp("names") / "a" / "b" / "case"
    scenario = county(root, raw)
    one = ("--workers", "1", "--seed", "0")
    assert run("solve", scenario, "-o", root / "out", "-q", *one).exit_code == 0
    assert run("calendar", scenario, "--term", TERM["name"], "--plan", root / "out" / "plan.json", "-o", root / "cal", "-q", *one).exit_code == 0
    assert run("travel", scenario, "--to-csv", root / "travel.csv").exit_code == 0
    assert run("compare", scenario, root / "whatif.yaml", "-o", root / "diff.md", "-o", root / "diff.xlsx", *one).exit_code == 0
    assert run("report", scenario, "-o", root / "report.html", "-q", *one).exit_code == 0
    return Outputs(raw, meant, root, scenario)


def csv_cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def as_written_to_csv(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def workbook_texts(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_text_cells_only(path: Path, text: str) -> None:
    """The workbook holds `text` as a text cell, and no formula at all."""
    cells = workbook_texts(path)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(c.value == text and c.data_type == "s" for c in cells)


def assert_markdown_tables_intact(text: str) -> None:
    """Every table row has as many unescaped `|` as its table's header row."""
    expected = None
    for line in text.splitlines():
        if not line.startswith("|"):
            expected = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        expected = pipes if expected is None else expected
        assert pipes == expected, line


# ---------------------------------------------------------------------------------------- where files go
def test_every_file_is_written_inside_its_output_folder_with_a_bounded_name(outputs):
    base = outputs.root.parent.parent.parent
    written = [p for p in base.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(outputs.root.resolve()) for p in written)
    ics = [p for p in outputs.cal.rglob("*.ics")]
    assert sorted(p.relative_to(outputs.cal).parts[:2] for p in ics) == [("ics", "office.ics"), ("ics", "researchers"), ("ics", "researchers"),
                                                                        ("ics", "schools"), ("ics", "schools")]
    for path in written:
        assert ".." not in path.name and len(path.name.encode("utf-8")) <= FILE_NAME_BYTES
    assert not list(outputs.root.rglob("*.part"))


def test_a_terms_name_makes_a_safe_default_calendar_folder(tmp_path, monkeypatch):
    term = {**TERM, "name": "../2026/秋"}  # a term's name is the scenario's text: it must not climb out of out/
    path = make_scenario(tmp_path / "county", [researcher("R1")], [school("S1")], POLICIES,
                         calendar={"terms": [term], "holidays": "china", "visit_rules": {"visits_per_term": {"min": 1}}})
    monkeypatch.chdir(tmp_path)
    assert run("calendar", path, "--term", term["name"], "-q", "--workers", "1", "--seed", "0").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out" / "county").iterdir()) == ["calendar-__2026_秋"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["county", "out"]


def test_ics_files_are_named_by_id_and_keep_a_readable_name(outputs):
    names = sorted(p.name for p in (outputs.cal / "ics" / "researchers").iterdir())
    assert names[0].startswith("R1-") and names[1] == "R2-李四.ics"


# ---------------------------------------------------------------------------------------- roster
def test_roster_xlsx_holds_the_name_as_a_text_cell_never_a_formula(outputs):
    assert_text_cells_only(outputs.out / "roster.xlsx", outputs.meant)


def test_roster_csv_quotes_a_formula_like_name_and_reads_it_back_unchanged(outputs):
    rows = csv_cells(outputs.out / "roster.csv")
    assert rows[1][1] == as_written_to_csv(outputs.meant) and rows[1][4] == as_written_to_csv(outputs.meant)
    back, _ = read_raw(outputs.out / "roster.csv")
    assert back[1][1] == outputs.meant and back[1][4] == outputs.meant


def test_roster_md_keeps_one_table_row_per_pair(outputs):
    text = (outputs.out / "roster.md").read_text(encoding="utf-8")
    assert_markdown_tables_intact(text)
    roster = text.split("\n## ")[0]  # the roster's own table (sheets of exceptions or uncovered schools may follow)
    assert sum(1 for line in roster.splitlines() if line.startswith("| 1 ") or line.startswith("| 2 ")) == 2
    assert md_text(outputs.meant) in text


# ---------------------------------------------------------------------------------------- visits
def test_visits_xlsx_has_text_cells_and_safe_distinct_sheet_titles(outputs):
    path = outputs.cal / "visits.xlsx"
    assert_text_cells_only(path, outputs.meant)
    titles = openpyxl.load_workbook(path).sheetnames
    assert len(titles) == 3 and titles[0] == "2026年9月" and titles[2] == "李四-R2"  # the month, then one sheet per researcher
    assert titles[1].endswith("-R1")  # the name cut or mended, its id kept
    for title in titles:
        assert len(title) <= SHEET_TITLE_CHARS and not set(title) & set("\\/*?:[]")
    assert len({t.casefold() for t in titles}) == len(titles)


def test_visits_csv_quotes_a_formula_like_name(outputs):
    rows = csv_cells(outputs.cal / "visits.csv")
    assert as_written_to_csv(outputs.meant) in {row[3] for row in rows[1:]}
    assert as_written_to_csv(outputs.meant) in {row[5] for row in rows[1:]}


def test_visits_md_shows_the_name_on_one_line(outputs):
    text = (outputs.cal / "visits.md").read_text(encoding="utf-8")
    assert f"## {md_text(outputs.meant)}（小学数学）" in text.splitlines()


# ---------------------------------------------------------------------------------------- calendars
ICS_CALENDAR = {"PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME", "X-WR-TIMEZONE"}
ICS_EVENT = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "CATEGORIES", "SEQUENCE", "STATUS",
             "X-ASSIGN-RESEARCHER", "X-ASSIGN-SCHOOL"}


def test_every_ics_reads_back_the_summary_we_meant_and_no_other_property(outputs):
    from icalendar import Calendar

    files = sorted((outputs.cal / "ics").rglob("*.ics"))
    summaries = set()
    for path in files:
        cal = Calendar.from_ical(path.read_bytes())
        assert set(cal) == ICS_CALENDAR
        assert [c.name for c in cal.subcomponents] == ["VTIMEZONE", "VEVENT", "VEVENT"][:len(cal.subcomponents)]
        for event in cal.walk("VEVENT"):
            assert set(event) == ICS_EVENT
            summaries.add((path.parent.name, str(event["X-ASSIGN-RESEARCHER"]), str(event["SUMMARY"])))
            if str(event["X-ASSIGN-SCHOOL"]) == "S1":
                assert str(event["LOCATION"]) == outputs.meant + "，" + outputs.meant
                assert f"联系学校：{outputs.meant}（S1）" in str(event["DESCRIPTION"])
    # the office's and each school's calendar say who goes where; a researcher's own says where
    assert summaries == {(folder, "R1", f"{outputs.meant} → {outputs.meant}（数学）") for folder in ("ics", "schools")} | \
                        {(folder, "R2", "李四 → 城关小学（数学）") for folder in ("ics", "schools")} | \
                        {("researchers", "R1", f"联系学校视导：{outputs.meant}（数学）"), ("researchers", "R2", "联系学校视导：城关小学（数学）")}
    mine = next(p for p in files if p.parent.name == "researchers" and p.name.startswith("R1-"))
    assert str(Calendar.from_ical(mine.read_bytes())["X-WR-CALNAME"]) == f"{outputs.meant} 2026秋 联系学校视导"


def test_ics_escapes_whatever_text_reaches_it_so_no_name_starts_a_property(tmp_path):
    problem, plan = load_tiny(tmp_path, {"visits_per_term": {"min": 1}})
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    # Past the tables' own checks (a name from elsewhere, or a future reader): line breaks, TEXT's
    # special characters, a control character, and a line that would be a property of its own.
    odd = "王\r\n李;a,b\\c\x07\nX-EVIL:1\nEND:VEVENT"
    r1 = problem.researcher["R1"].model_copy(update={"name": odd})
    s1 = problem.school["S1"].model_copy(update={"name": odd, "township": ""})
    fields = {name: getattr(problem, name) for name in type(problem).model_fields}
    odd_problem = type(problem)(**{**fields, "researchers": (r1, *problem.researchers[1:]), "schools": (s1, *problem.schools[1:])})
    assert odd_problem.researcher["R1"].name == odd
    from icalendar import Calendar

    cal = Calendar.from_ical(ics_bytes(odd_problem, visits, visits.visits, odd))
    meant = "王\n李;a,b\\c\nX-EVIL:1\nEND:VEVENT"  # the control character dropped, CR LF one line break
    assert set(cal) == ICS_CALENDAR and str(cal["X-WR-CALNAME"]) == meant
    events = cal.walk("VEVENT")
    assert len(events) == len(visits.visits) and all(set(e) == ICS_EVENT for e in events)
    at_s1 = [e for e in events if str(e["X-ASSIGN-SCHOOL"]) == "S1"]
    assert {str(e["SUMMARY"]) for e in at_s1} == {f"{meant} → {meant}（数学）", f"李四 → {meant}（语文）"}
    assert {str(e["LOCATION"]) for e in at_s1} == {meant}


# ---------------------------------------------------------------------------------------- travel, compare, report
def test_travel_csv_quotes_a_formula_like_name(outputs):
    rows = csv_cells(outputs.root / "travel.csv")
    assert rows[1][:3] == ["S1", as_written_to_csv(outputs.meant), as_written_to_csv(outputs.meant)]


def test_comparison_xlsx_and_md_show_the_name_as_text(outputs):
    for who in (f"{outputs.meant}(R1)", f"{outputs.meant}(S1)"):  # the changed researcher and the school they lost
        assert_text_cells_only(outputs.root / "diff.xlsx", who)
    text = (outputs.root / "diff.md").read_text(encoding="utf-8")
    assert_markdown_tables_intact(text)
    assert f"| {md_text(outputs.meant)}(R1) " in text


def test_report_html_escapes_the_name_in_the_page_and_in_its_data(outputs):
    page = (outputs.root / "report.html").read_text(encoding="utf-8")
    assert escape(outputs.meant) in page
    if "<" in outputs.meant:
        assert outputs.meant not in page
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data
    assert json.loads(data)["researchers"]["R1"]["name"] == outputs.meant
    assert page.count("<script") == 2  # the data block and the page's own script, nothing a name brought


# ---------------------------------------------------------------------------------------- control characters
@pytest.mark.parametrize(
    ("table", "column", "row", "value", "code"),
    [
        ("researchers.csv", "name", {"name": "王\x07李"}, "'王\\x07李'", "U+0007"),          # BEL in a researcher's name
        ("researchers.csv", "id", {"rid": "R\x1b1"}, "'R\\x1b1'", "U+001B"),                 # ESC (a terminal escape) in an id
        ("researchers.csv", "subjects", {"subjects": "数学\x00"}, "'数学\\x00'", "U+0000"),   # NUL in a subject
        ("schools.csv", "name", {"school_name": "一\x0b小"}, "'一\\x0b小'", "U+000B"),         # VT (Excel's line break in .xls) in a school's name
        ("schools.csv", "township", {"township": "城关\x07"}, "'城关\\x07'", "U+0007"),       # BEL in a township
    ],
    ids=["bel-name", "esc-id", "nul-subject", "vt-school", "bel-township"],
)
def test_a_control_character_is_refused_naming_file_row_column_and_value(tmp_path, table, column, row, value, code):
    path = make_scenario(tmp_path / "bad", [researcher(row.get("rid", "R1"), row.get("name", "张三"), subjects=row.get("subjects", "数学"))],
                         [school("S1", row.get("school_name", "一小"), township=row.get("township", "城关"))], POLICIES)
    out = tmp_path / "out"
    result = run("solve", path, "-o", out, "--workers", "1")
    assert result.exit_code == 1
    where = _(", ").join([table, _("row {row}").format(row=2), _("column {column}").format(column=column)])
    assert f"{where}: {value}: " + _("control character U+{code} not allowed").format(code=code.removeprefix("U+")) in result.stderr
    assert not out.exists()


def test_a_control_character_in_a_what_ifs_edit_is_refused_naming_the_what_if(tmp_path):
    base = make_scenario(tmp_path, [researcher("R1")], [school("S1")], POLICIES)
    whatif = {"extends": base.name, "edits": {"schools": {"update": {"S1": {"name": "一\x07小"}}}}}
    (tmp_path / "whatif.yaml").write_text(yaml.safe_dump(whatif, allow_unicode=True), encoding="utf-8")
    result = run("validate", tmp_path / "whatif.yaml")
    assert result.exit_code == 1
    assert "whatif.yaml" in result.stderr and _("control character U+{code} not allowed").format(code="0007") in result.stderr


def test_a_line_break_or_tab_inside_a_name_becomes_a_space_without_an_error(tmp_path):
    path = make_scenario(tmp_path, [researcher("R1", "王\r\n秀兰\t老师")], [school("S1", "河口镇\n第一小学", township="河\n口")], POLICIES)
    problem = load_scenario(path)
    assert problem.researcher["R1"].name == "王 秀兰 老师"
    assert (problem.school["S1"].name, problem.school["S1"].township) == ("河口镇 第一小学", "河 口")


def test_a_line_break_still_separates_the_items_of_a_list_cell(tmp_path):
    problem = load_scenario(make_scenario(tmp_path, [researcher("R1", subjects="数学\n语文")], [school("S1")], POLICIES))
    assert problem.researcher["R1"].subjects == ("数学", "语文")


def test_every_xlsx_writer_drops_what_openpyxl_refuses_when_it_slips_through(tmp_path):
    problem = load_scenario(make_scenario(tmp_path, [researcher("R1")], [school("S1")], POLICIES))
    plan = hand_plan(problem, [("R1", "S1")], title="安排表\x07\x1b")  # a title comes from the scenario file, not from a table
    write_roster_xlsx(problem, plan, tmp_path / "roster.xlsx")
    assert openpyxl.load_workbook(tmp_path / "roster.xlsx").worksheets[0]["A1"].value == "安排表"


# ---------------------------------------------------------------------------------------- round trip through `assign check`
def test_ids_and_names_starting_like_formulas_round_trip_through_check(tmp_path):
    path = make_scenario(tmp_path / "county",
                         [researcher("=R1", '=HYPERLINK("http://x","y")'), researcher("001", "+1")],
                         [school("-S1", "@SUM(A1)", dlon=0.01), school("0002", "=1+1", dlon=0.02)],
                         {"school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}})
    out = tmp_path / "out"
    assert run("solve", path, "-o", out, "-q", "--workers", "1", "--seed", "0").exit_code == 0
    pairs = {(a["researcher_id"], a["school_id"]) for a in json.loads((out / "plan.json").read_text(encoding="utf-8"))["pairs"]}
    assert {r for r, _ in pairs} == {"=R1", "001"} and {s for _, s in pairs} == {"-S1", "0002"}
    problem = load_scenario(path)
    for roster in ("roster.csv", "roster.xlsx"):
        assert set(read_roster(problem, out / roster)) == pairs
        result = run("check", path, out / roster, "--no-optimum")
        assert result.exit_code == 0, result.output
        assert "未发现问题" in result.output
    rows, _ = read_raw(out / "roster.csv")
    assert {rows[1][1], rows[2][1]} == {'=HYPERLINK("http://x","y")', "+1"}


# ---------------------------------------------------------------------------------------- the shared helpers
@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),          # a formula
        ("+86 123", "'+86 123"),    # a phone number Excel would add up
        ("-x", "'-x"),              # a minus sign
        ("@A1", "'@A1"),            # Lotus's formula mark
        ("\tx", "'\tx"),            # a tab (OWASP: some spreadsheets skip it, then see a formula)
        ("\rx", "'\rx"),            # a carriage return, likewise
        ("'=x", "''=x"),            # a quote of the user's own before a formula sign: quoted too, so it reads back whole
        ("'x", "'x"),               # a quote of the user's own before anything else: left alone
        ("王=李", "王=李"),          # a formula sign inside the text: harmless
        ("001", "001"),             # a numeric-looking id: text, unchanged
        (-1, -1),                   # a number is no text: unchanged
    ],
    ids=["equals", "plus", "minus", "at", "tab", "cr", "own-quote", "own-quote-text", "inner", "zero-padded", "number"],
)
def test_csv_cells_are_quoted_exactly_when_a_spreadsheet_would_compute_them(value, written):
    assert csv_cell(value) == written
    if isinstance(value, str):
        assert unquote_formula(csv_cell(value)) == value


def test_the_xlsx_cleaner_removes_exactly_what_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL

    assert ILLEGAL_CHARACTERS_RE.pattern == OPENPYXL.pattern
    sheet = openpyxl.Workbook().active
    cells = append_row(sheet, ["a\x00b\x07c\td\ne", "=SUM(A1)", 3])
    assert [c.value for c in cells] == ["abc\td\ne", "=SUM(A1)", 3]
    assert [c.data_type for c in cells] == ["s", "s", "n"]


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        ("R1", "张三", "R1-张三.ics"),                 # an ordinary name stays readable
        ("R2", "王/李", "R2-王_李.ics"),               # a separator becomes _
        ("R3", "../../evil", "R3-____evil.ics"),       # no way up and out
        ("R4", 'a\\b:c*d?e"f<g>h|i', "R4-a_b_c_d_e_f_g_h_i.ics"),  # every character Windows refuses
        ("..", "", "_.ics"),                            # an id that is only dots
        ("CON", "", "_CON.ics"),                        # a Windows device name
        ("R5. ", "", "R5.ics"),                         # a trailing dot or space, which Windows drops
    ],
    ids=["plain", "slash", "dot-dot", "windows", "only-dots", "device", "dots-and-spaces"],
)
def test_file_names_come_from_ids_and_hold_no_path(key, name, expected):
    assert FileNames().of(key, name, ".ics") == expected


def test_file_names_are_bounded_in_bytes_and_distinct_in_their_folder():
    names = FileNames()
    long = names.of("R1", "长" * 200, ".ics")
    assert long.startswith("R1-长") and long.endswith(".ics") and len(long.encode("utf-8")) <= FILE_NAME_BYTES
    again = names.of("R1", "长" * 200, ".ics")  # the same again: cut where the mark needs room, then marked
    assert again.endswith("长~2.ics") and len(again.encode("utf-8")) <= FILE_NAME_BYTES
    assert names.of("r1", "张三", ".ics") == "r1-张三.ics"
    assert names.of("R1", "张三", ".ics") == "R1-张三~2.ics"  # differs only in case: one file on Windows and macOS
    assert folder_name("calendar-../../x") == "calendar-____x"


def test_sheet_titles_keep_the_id_and_stay_within_excels_rules():
    titles = SheetTitles()
    assert titles.of("张三", "R1") == "张三-R1"
    assert titles.of("[a]:b*?", "R2") == "_a_b_-R2"
    long = titles.of("长" * 200, "R3")
    assert len(long) == SHEET_TITLE_CHARS and long.endswith("-R3")
    again = titles.of("长" * 200, "R3")
    assert len(again) == SHEET_TITLE_CHARS and again.endswith("-R3~2")
    assert titles.of("History") == "History_"  # Excel's own
    assert titles.of("'引号'", "R4") == "_引号_-R4"


def test_markdown_text_escapes_markup_and_keeps_one_line():
    assert md_text("a|b\nc") == "a\\|b c"
    assert md_text("[x](http://e) <b>*_`~") == "\\[x\\](http://e) \\<b\\>\\*\\_\\`\\~"
