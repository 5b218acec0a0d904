"""`assign progress` as tables: a wide one to read (terminal, Markdown: one line per researcher, per contact
school and the office; each measure done/due by the day, ✓ when the whole target is met) and a long
one for machines (CSV, JSON: one row per line and measure with every figure; level `elsewhere`: a school the
researcher visited that is not one of their contact schools in the plan). Names are data: cells go
through `assign.export.cells`. Nothing is counted here: every figure comes from `Progress`."""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from assign.calendar.progress import Measure, Progress, ProgressLine, status_words
from assign.calendar.rule import MEASURES
from assign.export.cells import csv_row, md_text
from assign.locale import _
from assign.problem import Problem

SHOWN = [m for m in MEASURES if m != "visits"]  # visits have their own column: made/planned
LONG_HEADERS = ["层级", "工号", "教研员", "学校代码", "联系学校", "指标", "指标名称", "周期", "完成", "截至当日计划", "全学期计划", "应达", "目标",
                "状态", "落后", "规则"]


def cell(m: Measure) -> str:
    if m.target is None:
        return str(m.actual)
    mark = " ✓" if m.status == "met" else ""
    return f"{m.actual}/{m.due}{mark}" + ("（年）" if m.per == "year" else "")


def line_cells(problem: Problem, line: ProgressLine) -> list[str]:
    visits = line.measures["visits"]
    made = f"{visits.actual}/{visits.planned}" + (" ✓" if visits.status == "met" else "")
    status, behind = line.worst()
    behind_on = [MEASURES[m.measure] for m in line.measures.values() if m.status == "behind"]
    words = status_words(status, behind) + (f"（{'、'.join(behind_on)}）" if behind_on else "")
    if line.level == "office":
        counts = [f"{MEASURES[m.measure]} {m.behind_count}" for m in line.measures.values() if m.behind_count]
        words = _("{n} researcher(s) behind").format(n=max((m.behind_count for m in line.measures.values()), default=0)) \
            + (f"（{'、'.join(counts)}）" if counts else "")
    return [made] + [cell(line.measures[m]) for m in SHOWN] + [words]


def name_of(problem: Problem, line: ProgressLine) -> list[str]:
    if line.level == "office":
        return [_("office"), ""]
    r = problem.researcher[line.researcher_id]
    return [r.name, problem.school[line.school_id].name if line.school_id else ""]


def headers() -> list[str]:
    return ["教研员", "联系学校", "到校次数（完成/计划）"] + [MEASURES[m] for m in SHOWN] + ["状态"]


def wide_rows(problem: Problem, progress: Progress) -> list[list[str]]:
    rows = []
    for line in progress.researchers:
        rows.append(name_of(problem, line) + line_cells(problem, line))
        for pair in (p for p in progress.pairs if p.researcher_id == line.researcher_id):
            rows.append(["", problem.school[pair.school_id].name] + line_cells(problem, pair))
        for other in (p for p in progress.elsewhere if p.researcher_id == line.researcher_id):
            rows.append(["", _("{school} (not a contact school)").format(school=problem.school[other.school_id].name)] + line_cells(problem, other))
    rows.append(name_of(problem, progress.office) + line_cells(problem, progress.office))
    return rows


def heading(progress: Progress) -> str:
    return _("{term} as of {day}: {term_share:.0%} of the term's working days and {year_share:.0%} of the school year's gone; "
             "{records} visit(s) recorded, {missed} reported not made, {unreported} planned visit(s) not yet reported").format(
        term=progress.term, day=progress.as_of, term_share=progress.term_share, year_share=progress.year_share, records=progress.records,
        missed=progress.missed, unreported=progress.unreported)


def legend() -> str:
    return _("a/b: done / due by the day (the target pro-rated by working days); ✓ the whole target is met; (年) a school year's target, "
             "counted over the year's records")


def progress_text(problem: Problem, progress: Progress, fmt: str = "simple") -> str:
    table = tabulate(wide_rows(problem, progress), headers=headers(), tablefmt=fmt, disable_numparse=True)
    return "\n".join([heading(progress), legend(), "", table])


def progress_markdown(problem: Problem, progress: Progress) -> str:
    rows = [[md_text(c) for c in row] for row in wide_rows(problem, progress)]
    table = tabulate(rows, headers=headers(), tablefmt="github", disable_numparse=True)
    return "\n".join([f"# {md_text(progress.term)} 联系学校工作进度", "", md_text(heading(progress)), "", md_text(legend()), "", table, ""])


def long_rows(problem: Problem, progress: Progress) -> list[list[object]]:
    rows = []
    for line in [*progress.researchers, *progress.pairs, *progress.elsewhere, progress.office]:
        r = problem.researcher.get(line.researcher_id or "")
        s = problem.school.get(line.school_id or "")
        for m in line.measures.values():
            rows.append([line.level, r.id if r else "", r.name if r else "", s.id if s else "", s.name if s else "", m.measure, MEASURES[m.measure],
                         m.per, m.actual, m.planned, m.planned_total, m.due, m.target, m.status or "", m.behind, ",".join(m.rules)])
    return rows


def progress_csv(problem: Problem, progress: Progress) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LONG_HEADERS)
    writer.writerows(csv_row(["" if v is None else v for v in row]) for row in long_rows(problem, progress))
    return out.getvalue()


def progress_json(problem: Problem, progress: Progress) -> str:
    keys = ["level", "researcher_id", "researcher", "school_id", "school", "measure", "label", "per", "actual", "planned", "planned_total",
            "due", "target", "status", "behind", "rules"]
    return json.dumps({
        "term": progress.term, "as_of": progress.as_of.isoformat(), "term_share": round(progress.term_share, 4),
        "year_share": round(progress.year_share, 4), "records": progress.records, "missed": progress.missed, "unreported": progress.unreported,
        "terms_counted": list(progress.terms_counted),
        "rows": [dict(zip(keys, row)) for row in long_rows(problem, progress)],
    }, ensure_ascii=False, indent=2)
