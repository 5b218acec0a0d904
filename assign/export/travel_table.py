"""The travel table (`assign travel`): one-way minutes to every school from the office and from
each base in use, with the schools a time cap puts out of reach flagged.

It only reads the problem's travel matrix, so what a planner checks here is exactly what the
solver and every policy used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from assign.export.atomic import write_text
from assign.export.cells import csv_row
from assign.problem import Problem
from assign.travel.matrix import OFFICE


@dataclass(frozen=True)
class TravelTable:
    headers: list[str]
    rows: list[list[object]]
    cap: float | None
    beyond: int  # schools beyond the cap from at least one start


def time_cap(problem: Problem) -> float | None:
    """The tightest one-way cap any policy of the scenario sets (`Policy.travel_cap`), or None."""
    caps = [cap for use in problem.policies
            if callable(getattr(use.policy, "travel_cap", None)) and (cap := use.policy.travel_cap(use.params)) is not None]
    return min(caps, default=None)


def start_label(problem: Problem, key: str) -> str:
    if key == OFFICE:
        return problem.scenario.office.name
    school = problem.school.get(key)
    return f"驻地 {key} {school.name}" if school is not None else f"驻地 {key}"


def travel_table(problem: Problem) -> TravelTable:
    """Rows by school in table order; a column per start (the office first, then bases in use)."""
    matrix = problem.travel
    starts = [OFFICE] + sorted(k for k in set(matrix.start_of.values()) if k != OFFICE)
    cap = time_cap(problem)
    headers = ["学校代码", "学校名称", "乡镇", "城乡类型"] + [f"{start_label(problem, k)}（分钟）" for k in starts]
    if cap is not None:
        headers.append(f"超过{cap:g}分钟")
    rows, beyond = [], 0
    for s in problem.schools:
        times = [matrix.minutes[k][s.id] for k in starts]
        row: list[object] = [s.id, s.name, s.township, s.area] + [f"{t:.1f}" for t in times]
        if cap is not None:
            over = [start_label(problem, k) for k, t in zip(starts, times) if t > cap]
            beyond += bool(over)
            row.append("、".join(over))
        rows.append(row)
    return TravelTable(headers, rows, cap, beyond)


def travel_text(problem: Problem) -> str:
    table = travel_table(problem)
    lines = [tabulate(table.rows, headers=table.headers, tablefmt="simple", disable_numparse=True), "",
             f"路程计算 (travel): {problem.travel.label}"]
    if table.cap is not None:
        lines.append(f"单程超过 {table.cap:g} 分钟 (max_travel) 的学校: {table.beyond} / {len(table.rows)}")
    return "\n".join(lines)


def travel_csv(problem: Problem) -> str:
    table = travel_table(problem)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(table.headers))
    writer.writerows(csv_row(row) for row in table.rows)
    return out.getvalue()


def write_travel_csv(problem: Problem, path: Path) -> None:
    """UTF-8 with BOM so that Excel on a Chinese Windows opens it; written atomically."""
    write_text(path, travel_csv(problem), encoding="utf-8-sig")
