"""The summary of `assign batch` across counties: one row per county and variant, and per what-if
the change against each county's base plan; in the terminal and as summary.xlsx / .md / .csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from tabulate import tabulate

from assign.batch.runner import BatchResult
from assign.batch.tasks import BASE
from assign.export.atomic import atomic_path, write_text
from assign.export.cells import append_row, csv_row, md_text
from assign.export.xlsx_print import printable

COLUMNS = [  # (row key, header)
    ("researchers", "教研员"), ("schools", "学校"), ("schools_covered", "有联系教研员的学校"), ("priority_covered", "覆盖的薄弱学校"),
    ("priority_schools", "薄弱学校"), ("contacts", "联系对数"), ("exceptions", "例外"), ("exceptions_by_rule", "例外（按规则）"),
    ("travel_total", "单程合计（分钟）"), ("travel_worst", "最远单程（分钟）"), ("findings", "审核问题"), ("status", "状态"),
]
DELTAS = [("schools_covered", "Δ 覆盖学校"), ("priority_covered", "Δ 覆盖薄弱学校"), ("exceptions", "Δ 例外"), ("travel_total", "Δ 单程合计")]


def summary_rows(batch: BatchResult) -> tuple[list[str], list[list[object]]]:
    """One row per county × variant: its figures, the seconds it took, how it ran, any message."""
    headers = ["县（文件夹）", "方案", *(h for _, h in COLUMNS), "秒", "运行", "说明"]
    rows = []
    for r in batch.results:
        how = "未变，沿用上次结果" if r.skipped else f"重试 {r.attempts - 1} 次" if r.attempts > 1 else ""
        figures = [r.row.get(key, "") if r.row.get(key) is not None else "" for key, _ in COLUMNS]
        if not r.row:
            figures[[k for k, _ in COLUMNS].index("status")] = r.status
        rows.append([r.county, r.variant, *figures, r.seconds, how, (r.error or "").splitlines()[0][:200] if r.error else ""])
    return headers, rows


def delta_rows(batch: BatchResult) -> tuple[list[str], list[list[object]]]:
    """Per county and what-if: each figure's change against the county's base, and the pairs that changed."""
    base = {r.county: r for r in batch.results if r.variant == BASE}
    headers = ["县（文件夹）", "假设（what-if）", *(h for _, h in DELTAS), "新增联系对", "取消联系对"]
    rows = []
    for r in batch.results:
        if r.variant == BASE:
            continue
        b = base.get(r.county)
        if b is None or not b.ok or not r.ok:
            rows.append([r.county, r.variant, *[""] * len(DELTAS), "", ""])
            continue
        deltas = [_delta(b.row.get(key), r.row.get(key)) for key, _ in DELTAS]
        before, after = set(map(tuple, b.pairs)), set(map(tuple, r.pairs))
        rows.append([r.county, r.variant, *deltas, len(after - before), len(before - after)])
    return headers, rows


def _delta(a, b):
    try:
        d = round(float(b) - float(a), 1)
    except (TypeError, ValueError):
        return ""
    return int(d) if d == int(d) else d


def batch_text(batch: BatchResult, fmt: str = "simple") -> str:
    """The summary (and the what-if changes) as text tables; as Markdown (`fmt="github"`) with names escaped."""
    def table(headers, rows) -> str:
        if fmt == "github":
            rows = [[md_text(v) for v in row] for row in rows]
        return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)

    text = table(*summary_rows(batch))
    if len(batch.variants) > 1:
        text += "\n\n" + table(*delta_rows(batch))
    return text


def write_batch_summary(batch: BatchResult, folder: Path) -> list[Path]:
    """summary.xlsx (a printable sheet per table), summary.md and summary.csv (UTF-8 with BOM) in `folder`."""
    folder = Path(folder)
    xlsx, md, csv_path = folder / "summary.xlsx", folder / "summary.md", folder / "summary.csv"
    book = Workbook()
    tables = [("汇总", "各县首批教研员定点联系学校安排汇总", summary_rows(batch))]
    if len(batch.variants) > 1:
        tables.append(("假设对比", "各县假设（what-if）相对现方案的变化", delta_rows(batch)))
    for index, (sheet_name, title, (headers, rows)) in enumerate(tables):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = sheet_name
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(headers)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            append_row(ws, row)  # a county folder's name is text, never a formula
        printable(ws, freeze="C3")
    with atomic_path(xlsx) as tmp:
        book.save(tmp)
    write_text(md, f"# 各县汇总（{batch.executor}，{batch.seconds:g} 秒）\n\n" + batch_text(batch, fmt="github") + "\n")
    buffer = io.StringIO(newline="")
    headers, rows = summary_rows(batch)
    csv.writer(buffer).writerows([headers, *(csv_row(row) for row in rows)])
    write_text(csv_path, buffer.getvalue(), encoding="utf-8-sig")
    return [xlsx, md, csv_path]
