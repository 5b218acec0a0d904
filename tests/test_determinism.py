"""The same scenario and seed give the same outputs, with the default settings a clerk runs: the
roster and the calendars byte for byte (CSV, Markdown), cell for cell (XLSX), event for event (ICS,
the time of writing aside), and plan.json / visits.json but for their timings.

The demo county is used because it is what `assign demo` and `assign calendar` run by default;
the test compares two runs with each other, not with fixed numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from assign.calendar.visits import VISIT_TIMING_FIELDS
from assign.cli import main
from assign.export.ics import read_ics
from assign.plan import Plan


def cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def run_twice(tmp_path: Path, *args: str) -> tuple[Path, Path]:
    outs = []
    for run in ("first", "second"):
        out = tmp_path / run
        result = CliRunner().invoke(main, [*args, "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs[0], outs[1]


def test_two_default_solves_of_the_demo_write_the_same_roster(tmp_path):
    a, b = run_twice(tmp_path, "solve")
    for name in ("roster.csv", "roster.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert cells(a / "roster.xlsx") == cells(b / "roster.xlsx")
    plan_a, plan_b = Plan.read(a / "plan.json"), Plan.read(b / "plan.json")
    assert plan_a.findings == [] and plan_a.status == "OPTIMAL"
    assert plan_a.without_timings() == plan_b.without_timings()
    assert "建模/求解时间" not in (a / "roster.md").read_text(encoding="utf-8")  # timings stay out of written tables


def test_two_default_calendars_of_the_demo_give_the_same_visits(tmp_path):
    a, b = run_twice(tmp_path, "calendar", "--term", "2026秋")
    for name in ("visits.csv", "visits.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert cells(a / "visits.xlsx") == cells(b / "visits.xlsx")
    visits_a, visits_b = (json.loads((out / "visits.json").read_text(encoding="utf-8")) for out in (a, b))
    assert visits_a["findings"] == [] and visits_a["status"] == "OPTIMAL" and visits_a["visits"]
    for timing in VISIT_TIMING_FIELDS:
        visits_a.pop(timing), visits_b.pop(timing)
    assert visits_a == visits_b
    ics_a = sorted(p.relative_to(a).as_posix() for p in (a / "ics").rglob("*.ics"))
    assert ics_a == sorted(p.relative_to(b).as_posix() for p in (b / "ics").rglob("*.ics"))
    for name in ics_a:
        assert read_ics(a / name) == read_ics(b / name), name
