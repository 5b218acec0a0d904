"""What the office prints and sends: roster.xlsx fits A4 with no text over the next row, page numbers
and the line for the stamp, the pairs also by school, ids kept but not printed; 通知.docx carries
the office, the period, the rules in force and the table as 附件."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from itertools import takewhile

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import make_scenario, researcher, school

from assign.cli import main
from assign.export.roster import HEADERS, WIDTHS
from assign.export.xlsx_print import LINE_POINTS, PAGE_FOOTER, wrapped_lines
from assign.plan import Plan


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print")
    path = make_scenario(
        tmp / "county",
        [researcher("R1", "王秀兰", subjects="道德与法治、思想政治、语文", stages="小学、初中、高中", max_schools=2),
         researcher("R2", "李四", subjects="语文")],
        [school("S1", "城关镇第一中心小学附属幼儿园与小学部联合校区", township="城关镇", priority=3, central="是"),
         school("S2", "河口村小", area="乡村", dlon=0.03, township="河口镇"), school("S3", "东街中学", stages="初中", dlon=0.02)],
        {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}},
        name="打印测试", office={"name": "青山县教研室", "lon": 112.5, "lat": 34.5},
    )
    out = tmp / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return path, out


def test_every_roster_row_is_tall_enough_for_its_wrapped_text(written):
    _, out = written
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["安排表"]
    rows = 0
    for row in takewhile(lambda cells: any(c.value is not None for c in cells), sheet.iter_rows(min_row=2)):  # up to the blank row
        lines = max(wrapped_lines(c.value, WIDTHS[c.column - 1]) for c in row)
        assert sheet.row_dimensions[row[0].row].height >= lines * LINE_POINTS, row[0].row
        rows += lines > 1
    assert rows >= 1  # the long names really wrap: the check is not empty
    assert [c.value for c in sheet[2]] == HEADERS["zh"] and sheet.cell(3, 1).font.name == "宋体"


def test_the_roster_prints_page_numbers_and_a_line_for_the_stamp(written):
    _, out = written
    book = openpyxl.load_workbook(out / "roster.xlsx")
    sheet = book["安排表"]
    assert sheet.oddFooter.center.text == PAGE_FOOTER and sheet.print_title_rows == "$2:$2"
    assert sheet.cell(sheet.max_row, 1).value.startswith("制表：") and "（盖章）" in sheet.cell(sheet.max_row, 1).value
    assert book["编号"].sheet_state == "hidden"  # kept for reading back, not printed


def test_the_pairs_by_school_are_the_plans_pairs(written):
    _, out = written
    plan = Plan.read(out / "plan.json")
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["按学校"]
    listed = {row[1]: set(row[4].split("、")) for row in sheet.iter_rows(min_row=3, values_only=True)}
    names = {"王秀兰": "R1", "李四": "R2"}
    schools = {"城关镇第一中心小学附属幼儿园与小学部联合校区": "S1", "河口村小": "S2", "东街中学": "S3"}
    assert {(names[n], schools[s]) for s, ns in listed.items() for n in ns} == plan.pair_set()


def test_a_roster_xlsx_the_tool_wrote_is_read_back_by_check(written):
    path, out = written
    result = CliRunner().invoke(main, ["check", str(path), str(out / "roster.xlsx"), "--no-optimum"])
    assert result.exit_code == 0, result.output


def test_the_notice_names_the_office_the_period_the_rules_and_carries_the_table(written):
    _, out = written
    notice = docx.Document(out / "通知.docx")
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "关于公布首批教研员定点联系学校安排的通知" in text and "青山县教研室" in text and "2026年9月" in text
    assert "学段对口" in text and "联系学校数" in text  # the rules in force, by their Chinese titles
    table = notice.tables[0]
    plan = Plan.read(out / "plan.json")
    assert len(table.rows) == 1 + len(plan.pairs) and table.rows[0].cells[1].text == "教研员"
    assert round(notice.sections[0].page_width.mm) == 210 and round(notice.sections[0].page_height.mm) == 297


def test_the_compare_workbook_prints_on_a4_with_page_numbers(written, tmp_path):
    path, out = written
    target = tmp_path / "diff.xlsx"
    result = CliRunner().invoke(main, ["compare", str(out / "plan.json"), str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    for sheet in openpyxl.load_workbook(target):
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.fitToWidth == 1
        assert sheet.oddFooter.center.text == PAGE_FOOTER


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo county's roster.xlsx, 通知.docx, visits.xlsx (2026秋) and a compare workbook (the plan
    against itself with one pair dropped: two plan files, no second solve), written once for the module."""
    out = tmp_path_factory.mktemp("demo")
    runner = CliRunner()
    result = runner.invoke(main, ["solve", "-o", str(out / "roster"), "-q"])
    assert result.exit_code == 0, result.output
    plan = Plan.read(out / "roster" / "plan.json")
    (out / "other.json").write_text(plan.model_copy(update={"pairs": plan.pairs[1:]}).model_dump_json(), encoding="utf-8")
    result = runner.invoke(main, ["calendar", "--term", "2026秋", "--plan", str(out / "roster" / "plan.json"), "--time-limit", "1",
                                  "-o", str(out / "calendar"), "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["compare", str(out / "roster" / "plan.json"), str(out / "other.json"), "-o", str(out / "diff.xlsx")])
    assert result.exit_code == 0, result.output
    return {"roster": out / "roster" / "roster.xlsx", "notice": out / "roster" / "通知.docx", "visits": out / "calendar" / "visits.xlsx",
            "compare": out / "diff.xlsx"}


def test_the_month_grid_shades_exactly_the_days_the_scheduler_did_not_use(demo):
    from assign.calendar.visit_solve import load_terms
    from assign.export.visit_tables import county_of, short_name
    from assign.load import demo_scenario, load_scenario

    working = set(load_terms(load_scenario(demo_scenario()), "2026秋")[0].days)
    book = openpyxl.load_workbook(demo["visits"])
    months = [sheet for sheet in book if sheet.title.endswith("月") and "年" in sheet.title]
    assert months
    for sheet in months:
        year, month = (int(x) for x in sheet.title.rstrip("月").split("年"))
        for cell in sheet[2][1:]:
            day = dt.date(year, month, int(str(cell.value).split("\n")[0]))
            assert (cell.fill.fgColor.rgb == "00DDDDDD") == (day not in working), day  # 国庆 grey, 调休 Saturday white
        for row in sheet.iter_rows(min_row=3, min_col=2):
            for cell in row:
                if cell.value:
                    assert cell.comment is not None and all(len(part) <= 4 for part in cell.value.split("\n"))
    assert short_name("河口镇第一小学", "河口镇") == "第一小" and short_name("石门乡中心小学", "石门乡") == "中小"
    assert short_name("示范县育才实验学校", "城关街道", county_of("示范县教研室")) == "育才实校"


def printed_sheets(path):
    return [sheet for sheet in openpyxl.load_workbook(path) if sheet.sheet_state == "visible"]


def test_every_printed_row_of_the_demos_workbooks_is_tall_enough_for_its_wrapped_lines(demo):
    from openpyxl.utils import get_column_letter

    from assign.export.xlsx_print import line_points, wrapped_lines

    checked = wrapping = 0
    for name in ("roster", "visits", "compare"):
        for sheet in printed_sheets(demo[name]):
            merged = {r.min_row for r in sheet.merged_cells.ranges}  # the title and the sign-off line span the table
            widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, sheet.max_column + 1)]
            for row in sheet.iter_rows(min_row=2):
                if row[0].row in merged or all(c.value is None for c in row):
                    continue
                needed = max(wrapped_lines(c.value, widths[c.column - 1], c.font.size) * line_points(c.font.size) for c in row)
                assert sheet.row_dimensions[row[0].row].height >= needed, (name, sheet.title, row[0].row)
                checked += 1
                wrapping += needed > line_points()
    assert checked > 500 and wrapping > 10  # every sheet's rows, wrapped ones among them: the check is not empty


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def pdfs(demo, tmp_path_factory):
    """The four files printed to PDF by LibreOffice, headless, in one run with a profile of its own (so
    parallel runs do not share one); about 10-15 s on a 2-core machine, once per module."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: ./dev.sh test installs Debian's libreoffice-calc and -writer as root")
    out = tmp_path_factory.mktemp("pdf")
    command = [SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
               "--outdir", str(out)] + [str(demo[k]) for k in ("roster", "visits", "compare", "notice")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {k: out / (demo[k].stem + ".pdf") for k in demo}


def test_libreoffice_prints_the_roster_visits_compare_and_notice_with_page_numbers(pdfs):
    import pypdf

    pages = {k: [page.extract_text() for page in pypdf.PdfReader(path).pages] for k, path in pdfs.items()}
    assert all(pages.values()), {k: len(v) for k, v in pages.items()}
    for name in ("roster", "visits", "compare"):  # every page numbered 第 N 页 共 M 页, in order
        numbers = [re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text) for text in pages[name]]
        assert numbers == [[(str(i), str(len(pages[name])))] for i in range(1, len(pages[name]) + 1)], name
    roster = "".join(pages["roster"])
    assert "制表：" in roster and "（盖章）" in roster and "R001" not in roster  # the stamp line printed, the ids sheet not
    assert "关于公布首批教研员定点联系学校安排的通知" in pages["notice"][0] and "附件" in "".join(pages["notice"])
