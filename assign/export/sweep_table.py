"""The summary of a sweep (`assign.analysis.sweep`): one row per variant, in the terminal and as .md/.csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tabulate import tabulate

from assign.analysis.sweep import SUMMARY_KPIS, VariantResult
from assign.export.atomic import write_text
from assign.export.cells import csv_row, md_text
from assign.kpi import kpi_label
from assign.locale import _


def sweep_headers() -> list[str]:
    return [_("variant"), _("status"), *(kpi_label(k) for k in SUMMARY_KPIS), _("audit"), _("seconds")]


def sweep_rows(results: list[VariantResult]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.error is not None:
            rows.append([r.label, "ERROR", r.error.splitlines()[0], *[""] * (len(sweep_headers()) - 3)])
            continue
        kpis = [("—" if r.kpis.get(k) is None else str(r.kpis[k])) for k in SUMMARY_KPIS]
        # an unsolved variant is not audited
        audit = "—" if not r.kpis else _("no findings") if r.findings == 0 else _("{n} findings").format(n=r.findings)
        rows.append([r.label, r.status, *kpis, audit, f"{r.seconds:.2f}"])
    return rows


def sweep_table(results: list[VariantResult], fmt: str = "simple") -> str:
    """The table in tabulate's `fmt`; "github" is Markdown, its cells escaped."""
    rows = sweep_rows(results)
    if fmt == "github":
        rows = [[md_text(c) for c in row] for row in rows]
    return tabulate(rows, headers=sweep_headers(), tablefmt=fmt, disable_numparse=True)


def write_sweep_summary(results: list[VariantResult], folder: Path) -> list[Path]:
    """summary.md and summary.csv (UTF-8 with BOM, for Excel) in the sweep's folder."""
    md = folder / "summary.md"
    write_text(md, sweep_table(results, fmt="github") + "\n")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(sweep_headers())
    writer.writerows(csv_row(row) for row in sweep_rows(results))
    target = folder / "summary.csv"
    write_text(target, buffer.getvalue(), encoding="utf-8-sig")
    return [md, target]
