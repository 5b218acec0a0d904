"""A term's visits as tables: `.csv` (UTF-8 with BOM, with ids and UIDs), `.md` (per researcher)
and `.xlsx` (one printable sheet per month — researchers down, days across — and one sheet per
researcher). Nothing is recomputed here: every row comes from the VisitPlan. Names are data: cells
go through `assign.export.cells`, sheet titles through `safe_names`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from pathlib import Path

from assign.calendar.visits import JointInspection, Visit, VisitPlan
from assign.calendar.workdays import weekday_zh
from assign.export.activities import activity_words, legend, marks, purpose
from assign.export.atomic import atomic_path, write_text
from assign.export.cells import append_row, csv_row, md_text
from assign.export.safe_names import SheetTitles
from assign.export.xlsx_print import FONT_NAME, bordered, fit_rows, line_points, named_style, printable, table_sheet, thin_box
from assign.problem import Problem

HEADERS = ["学期", "日期", "星期", "教研员", "学科", "联系学校", "乡镇", "第几次", "天数", "工号", "学校代码", "UID", "联合视导", "活动", "听课节数"]


def team_names(problem: Problem, inspection: JointInspection) -> str:
    """张三、李四: a joint inspection's team by name (an id the tables no longer hold as itself)."""
    return "、".join(problem.researcher[r].name if r in problem.researcher else r for r in inspection.researcher_ids)


def joint_note(problem: Problem, plan: VisitPlan, visit: Visit) -> str:
    """联合视导（张三、李四） when the visit is (part of) a joint inspection day at its school, else empty."""
    inspection = plan.inspection_of(visit)
    return f"联合视导（{team_names(problem, inspection)}）" if inspection is not None else ""


def visit_rows(problem: Problem, plan: VisitPlan) -> list[list[object]]:
    """One row per visit, by date then researcher."""
    rows = []
    for v in sorted(plan.visits, key=lambda v: (v.first, v.researcher_id, v.school_id)):
        r, s = problem.researcher[v.researcher_id], problem.school[v.school_id]
        when = str(v.first) if v.first == v.last else f"{v.first}~{v.last}"
        rows.append([plan.term, when, weekday_zh(v.first), r.name, "、".join(r.subjects), s.name, s.township, v.number, len(v.days),
                     r.id, s.id, v.uid(plan.term), joint_note(problem, plan, v), activity_words(v), v.lessons])
    return rows


def visits_csv(problem: Problem, plan: VisitPlan) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(csv_row(row) for row in visit_rows(problem, plan))
    return out.getvalue()


CHANGE_HEADERS = ["变动", "教研员", "联系学校", "第几次", "原日期", "新日期", "原因", "工号", "学校代码", "UID"]
CHANGE_KINDS = {"moved": "改期", "cancelled": "取消", "added": "新增"}


def changes_csv(problem: Problem, plan: VisitPlan) -> str:
    """A re-plan's changes to future visits, one row each, with why (the ids of a dropped pair as its names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CHANGE_HEADERS)
    for c in plan.changes:
        r, s = problem.researcher.get(c.researcher_id), problem.school.get(c.school_id)
        uid = Visit(researcher_id=c.researcher_id, school_id=c.school_id, number=c.number, days=c.before or c.after).uid(plan.term)
        writer.writerow(csv_row([CHANGE_KINDS[c.kind], r.name if r else c.researcher_id, s.name if s else c.school_id, c.number,
                                 "、".join(map(str, c.before)), "、".join(map(str, c.after)), "；".join(c.why), c.researcher_id, c.school_id, uid]))
    return out.getvalue()


def visits_markdown(problem: Problem, plan: VisitPlan, title: str) -> str:
    lines = [f"# {md_text(title)}", "", f"{plan.first} ~ {plan.last}，{plan.workdays} 个工作日，{len(plan.visits)} 次到校。", ""]
    for r in problem.researchers:
        mine = plan.of_researcher(r.id)
        if not mine:
            continue
        lines += [f"## {md_text(r.name)}（{md_text('、'.join(r.stages) + '、'.join(r.subjects))}）", ""]
        for v in mine:
            when = str(v.first) if v.first == v.last else f"{v.first}~{v.last}"
            joint = joint_note(problem, plan, v)
            lines.append(f"- {when}（{weekday_zh(v.first)}）{md_text(problem.school[v.school_id].name)}，第{v.number}次"
                         + (f"，{md_text(joint)}" if joint else "") + (f"，{md_text(purpose(v))}" if v.activities else ""))
        lines.append("")
    if plan.inspections:
        lines += ["## 联合视导", ""] + [f"- {j.day}（{weekday_zh(j.day)}）{md_text(problem.school[j.school_id].name)}："
                                        f"{md_text('、'.join(problem.researcher[r].name for r in j.researcher_ids))}"
                                        for j in plan.inspections] + [""]
    if plan.findings:
        lines += ["## 审核发现", ""] + [f"- [{f.severity}] {md_text(f)}" for f in plan.findings] + [""]
    return "\n".join(lines)


def _months(plan: VisitPlan) -> list[tuple[int, int]]:
    months, day = [], plan.first.replace(day=1)
    while day <= plan.last:
        months.append((day.year, day.month))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


ABBREVIATIONS = (  # longest first: what a month-grid cell of three characters can say of a school's kind
    ("九年一贯制学校", "九年"), ("十二年一贯制学校", "十二年"), ("完全中学", "完中"), ("初级中学", "初中"), ("高级中学", "高中"),
    ("中心小学", "中小"), ("中心校", "中心"), ("教学点", "点"), ("幼儿园", "幼"), ("小学", "小"), ("中学", "中"), ("学校", "校"),
)
SHORT_CHARS = 4
GRID_SIZE, GRID_WIDTH, TITLE_SIZE = 9, 6, 14  # a month grid's cells: points, column width; its title's points


def county_of(office: str) -> str:
    """The county (or district, city, banner) an office's name begins with: 示范县教研室 → 示范县; else empty."""
    found = re.match(r"^(.+?[县区市旗])", office)
    return found[1] if found and len(found[1]) < len(office) else ""


def short_name(name: str, township: str = "", county: str = "") -> str:
    """A school's name cut to fit a month-grid cell: without its county and its township, its kind
    abbreviated (河口镇第一小学 → 第一小, 示范县育才实验学校 → 育才实校), at most SHORT_CHARS characters;
    the full name goes in the cell's comment."""
    text = name
    for prefix in (county, township):
        if prefix and text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
    for long, short in ABBREVIATIONS:
        if text.endswith(long):
            text = text[: -len(long)] + short
            break
    return text if len(text) <= SHORT_CHARS else text[: SHORT_CHARS - 1] + text[-1]


def write_visits_xlsx(problem: Problem, plan: VisitPlan, target: Path, title: str, workdays: tuple[dt.date, ...] = ()) -> None:
    """Month sheets (printable A4 landscape, fit to one page wide) and one sheet per researcher.

    A month sheet shades exactly the days the scheduler did not treat as working days (`workdays`:
    the term's; weekends and holidays grey, 调休 Saturdays white), and a cell shows a short school
    name with the full one in its comment."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    closed = PatternFill("solid", fgColor="DDDDDD")
    working = set(workdays) if workdays else None
    wb = Workbook()
    wb.remove(wb.active)
    # A month grid's cells, in two named styles (a day off shaded): one style set a cell instead of four
    # (border, alignment, font, fill), each of which openpyxl looks up among the workbook's; a
    # 400-researcher office's grids hold some 60,000 cells.
    grid = {shade: named_style(wb, "日程格" + ("（非工作日）" if shade else ""), font=Font(name=FONT_NAME, size=GRID_SIZE), border=thin_box(),
                               alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), **({"fill": closed} if shade else {}))
            for shade in (False, True)}
    titles = SheetTitles()
    on_site: dict[tuple[str, dt.date], list[Visit]] = defaultdict(list)
    for v in plan.visits:
        for d in v.days:
            on_site[v.researcher_id, d].append(v)
    researchers = [r for r in problem.researchers if plan.of_researcher(r.id)]
    county = county_of(problem.scenario.office.name)

    def shaded(day: dt.date) -> bool:
        return day not in working if working is not None else day.weekday() >= 5

    for year, month in _months(plan):
        ws = wb.create_sheet(titles.of(f"{year}年{month}月"))
        first = dt.date(year, month, 1)
        days = [first + dt.timedelta(days=i) for i in range(31) if (first + dt.timedelta(days=i)).month == month]
        append_row(ws, [f"{title}（{year}年{month}月）"])
        ws["A1"].font = Font(bold=True, size=TITLE_SIZE)
        header = append_row(ws, ["教研员"] + [f"{d.day}\n{weekday_zh(d)[1]}" for d in days])
        bordered(header, header=True)
        for col, cell in enumerate(header[1:]):
            if shaded(days[col]):
                cell.fill = closed
        for r in researchers:
            held = [on_site.get((r.id, d), []) for d in days]
            schools = [[problem.school[v.school_id] for v in visits] for visits in held]
            # a school's short name, and under it the marks of what the visit is for (the legend below the grid)
            row = append_row(ws, [r.name] + ["\n".join(short_name(s.name, s.township, county) + (f"\n{marks(v)}" if marks(v) else "")
                                                        for v, s in zip(visits, there))
                                             for visits, there in zip(held, schools)])
            for col, cell in enumerate(row):
                cell.style = grid[bool(col) and shaded(days[col - 1])]
                if col and schools[col - 1]:
                    cell.comment = Comment("、".join(s.name + (f"（{purpose(v, '、')}）" if v.activities else "")
                                                    for v, s in zip(held[col - 1], schools[col - 1])), "assign")
        widths = [10] + [GRID_WIDTH] * len(days)
        for i, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        fit_rows(ws, 2, widths)
        if any(v.activities for v in plan.visits):
            append_row(ws, [])
            append_row(ws, [legend()])
        ws.row_dimensions[1].height = line_points(TITLE_SIZE) + 6
        printable(ws, title_cols="A:A", freeze="B3", pages_tall=1)  # a month on one sheet of paper, for the wall
    for r in researchers:
        rows = []
        for v in plan.of_researcher(r.id):
            s = problem.school[v.school_id]
            rows.append([str(v.first) if v.first == v.last else f"{v.first}~{v.last}", weekday_zh(v.first), s.name, s.township, v.number,
                         len(v.days), joint_note(problem, plan, v), activity_words(v), v.lessons])
        table_sheet(wb.create_sheet(titles.of(r.name, r.id)), f"{r.name}（{'、'.join(r.subjects)}）{plan.term} 到校安排",
                    ["日期", "星期", "联系学校", "乡镇", "第几次", "天数", "联合视导", "活动", "听课节数"], rows, [22, 6, 26, 12, 8, 6, 24, 22, 8])
    if plan.inspections:
        rows = []
        for j in plan.inspections:
            s = problem.school[j.school_id]
            rows.append([str(j.day), weekday_zh(j.day), s.name, s.township, team_names(problem, j), s.id, "、".join(j.researcher_ids)])
        table_sheet(wb.create_sheet(titles.of("联合视导")), f"{title}：联合视导", ["日期", "星期", "学校", "乡镇", "视导组", "学校代码", "工号"],
                    rows, [12, 6, 26, 12, 30, 10, 20])
    with atomic_path(target) as tmp:
        wb.save(tmp)


def write_visit_tables(problem: Problem, plan: VisitPlan, out_dir: Path, title: str, workdays: tuple[dt.date, ...] = ()) -> list[Path]:
    """visits.xlsx, visits.csv, visits.md and visits.json (the VisitPlan, for machines) in out_dir; after a
    re-plan from today also changes.csv (the future visits moved, cancelled or added, and why)."""
    paths = [out_dir / "visits.xlsx", out_dir / "visits.csv", out_dir / "visits.md", out_dir / "visits.json"]
    write_visits_xlsx(problem, plan, paths[0], title, workdays)
    write_text(paths[1], visits_csv(problem, plan), encoding="utf-8-sig")
    write_text(paths[2], visits_markdown(problem, plan, title))
    write_text(paths[3], plan.model_dump_json(indent=2))
    if plan.today is not None:
        paths.append(out_dir / "changes.csv")
        write_text(paths[-1], changes_csv(problem, plan), encoding="utf-8-sig")
    return paths
