"""`assign summary`: the term summary (学期总结) of the contact-school work, from the term's record.

Three tables: per researcher and per contact school (visits planned, made, moved, added, missed and not
reported; days on site, lessons observed, activities held, backbone teachers), each with the office's
totals, and the appraisal table (考核统计表: each measure the visit rules set a target for, done against
what was due by the term's end, and whether it is met). As `.xlsx` (printable like the roster) and
`.md`. Nothing is judged here: the figures come from `assign.calendar.progress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assign.calendar.progress import ACTIVITY_OF, Progress, Tally, VisitCounts, visit_counts
from assign.calendar.records import RecordBook
from assign.calendar.rule import MEASURES
from assign.calendar.visits import VisitPlan
from assign.export.atomic import atomic_path, write_text
from assign.export.cells import md_text
from assign.export.xlsx_print import table_sheet
from assign.locale import _
from assign.problem import Problem

COUNT_HEADERS = ["计划到校", "完成到校", "其中改期", "计划外", "未完成", "未填报", "到校天数", "听课节数", *(MEASURES[m] for m in ACTIVITY_OF),
                 "指导骨干教师（人）", "骨干教师姓名"]
SUMMARY_FILES = ("学期总结.xlsx", "学期总结.md")


@dataclass
class SummaryTable:
    title: str
    headers: list[str]
    rows: list[list[object]]
    widths: list[int]


def count_cells(counts: VisitCounts, tally: Tally) -> list[object]:
    return [counts.planned, counts.made, counts.moved, counts.extra, counts.missed, counts.unreported, tally.count("days_on_site"),
            tally.count("lessons"), *(tally.count(m) for m in ACTIVITY_OF), len(counts.teachers), "、".join(sorted(counts.teachers))]


def summary_tables(problem: Problem, visits: VisitPlan, book: RecordBook, progress: Progress) -> list[SummaryTable]:
    records = book.records
    by_researcher, by_school = visit_counts(visits, records)
    tallies: dict[str, Tally] = {}
    school_tallies: dict[str, Tally] = {}
    office_tally, office_counts = Tally(), VisitCounts()
    for r in records:
        if r.done:
            tallies.setdefault(r.researcher_id, Tally()).add_record(r)
            school_tallies.setdefault(r.school_id, Tally()).add_record(r)
            office_tally.add_record(r.model_copy(update={"day": None}))  # the office's days on site are the researchers' summed below
    for counts in by_researcher.values():
        for name in ("planned", "made", "moved", "missed", "unreported", "extra"):
            setattr(office_counts, name, getattr(office_counts, name) + getattr(counts, name))
        office_counts.teachers |= counts.teachers
    rows = []
    for r in problem.researchers:
        if r.id not in by_researcher:
            continue
        schools = "、".join(dict.fromkeys(problem.school[s].name for rid, s in sorted(progress_pairs(progress)) if rid == r.id))
        rows.append([len(rows) + 1, r.name, "、".join(r.subjects), schools, *count_cells(by_researcher[r.id], tallies.get(r.id, Tally()))])
    office = count_cells(office_counts, office_tally)
    office[6] = sum(len(t.days) for t in tallies.values())  # researcher-days on site
    # a name is a teacher of one researcher's schools: two researchers' 王老师 are two teachers, so the office adds them up
    office[-2:] = [sum(len(c.teachers) for c in by_researcher.values()), ""]
    rows.append(["", _("office total"), "", "", *office])
    researchers = SummaryTable("按教研员", ["序号", "教研员", "学科", "联系学校", *COUNT_HEADERS], rows, [6, 10, 10, 24] + [8] * 12 + [24])
    rows = []
    for s in problem.schools:
        if s.id not in by_school:
            continue
        who = "、".join(dict.fromkeys(problem.researcher[v.researcher_id].name for v in visits.of_school(s.id)))
        rows.append([len(rows) + 1, s.name, s.township, who, *count_cells(by_school[s.id], school_tallies.get(s.id, Tally()))])
    rows.append(["", _("office total"), "", "", *office])
    schools = SummaryTable("按学校", ["序号", "联系学校", "乡镇", "联系教研员", *COUNT_HEADERS], rows, [6, 24, 10, 16] + [8] * 12 + [24])
    return [researchers, schools, appraisal_table(problem, progress)]


def progress_pairs(progress: Progress) -> list[tuple[str, str]]:
    return [(p.researcher_id, p.school_id) for p in progress.pairs]


def appraisal_table(problem: Problem, progress: Progress) -> SummaryTable:
    """考核统计表: each measure with a target, done/due by the term's end and met or not, per researcher."""
    measures = [m for m in MEASURES if any(line.measures[m].target is not None for line in progress.researchers)]
    headers = ["序号", "教研员"] + [f"{MEASURES[m]}（完成/应达）" for m in measures] + ["达标项", "结论"]
    rows = []
    for line in progress.researchers:
        cells, short = [], []
        for m in measures:
            measure = line.measures[m]
            if measure.target is None:
                cells.append("—")
                continue
            cells.append(f"{measure.actual}/{measure.due}" + ("（年）" if measure.per == "year" else ""))
            if measure.actual < (measure.due or 0):
                short.append(MEASURES[m])
        judged = sum(1 for m in measures if line.measures[m].target is not None)
        verdict = _("met") if not short else _("short of: {measures}").format(measures="、".join(short))
        rows.append([len(rows) + 1, problem.researcher[line.researcher_id].name, *cells, f"{judged - len(short)}/{judged}", verdict])
    return SummaryTable("考核统计表", headers, rows, [6, 10] + [14] * len(measures) + [8, 30])


def summary_markdown(title: str, tables: list[SummaryTable], heading: str) -> str:
    lines = [f"# {md_text(title)}", "", md_text(heading), ""]
    for table in tables:
        lines += [f"## {md_text(table.title)}", "", "| " + " | ".join(md_text(h) for h in table.headers) + " |",
                  "|" + "|".join("---" for _h in table.headers) + "|"]
        lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in table.rows]
        lines.append("")
    return "\n".join(lines)


def write_summary(title: str, tables: list[SummaryTable], heading: str, out_dir: Path) -> list[Path]:
    """学期总结.xlsx (a printable sheet per table) and 学期总结.md in `out_dir`, each written whole or not at all."""
    from openpyxl import Workbook

    out_dir = Path(out_dir)
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        table_sheet(wb.create_sheet(table.title), f"{title}：{table.title}", table.headers, table.rows, table.widths)
    paths = [out_dir / name for name in SUMMARY_FILES]
    with atomic_path(paths[0]) as tmp:
        wb.save(tmp)
    write_text(paths[1], summary_markdown(title, tables, heading))
    return paths
