"""The demo county's shipped record (synthetic, `scenarios/demo-county/records/`) against the demo's own 2026秋 calendar:
`assign progress` on the demo imports it (calendar.records), every filled row is a record, and the counts are those
of a hand count of the file's rows. The counts do not depend on the calendar scheduled here (a time-limited solve may
differ on a loaded machine): a row keeps the visit and the day it names. When the demo's calendar changes for good,
`python -m assign.bench.demo_record` writes the record again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from assign.calendar.visit_solve import schedule_term
from assign.cli import main
from assign.load import load_scenario
from assign.solver.passes import solve

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"
RECORD = DEMO.parent / "records" / "2026秋-联系工作记录（示例）.xlsx"


def test_progress_on_the_demo_imports_its_synthetic_record_and_counts_as_a_hand_count(tmp_path):
    problem = load_scenario(DEMO)
    plan = solve(problem, workers=1, seed=0)
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.findings == []
    cal = tmp_path / "calendar-2026秋"
    cal.mkdir()
    (cal / "visits.json").write_text(visits.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["progress", str(DEMO), "--term", "2026秋", "--calendar", str(cal), "--as-of", "2026-10-30",
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    book = json.loads((cal / "records.json").read_text(encoding="utf-8"))
    ws = openpyxl.load_workbook(RECORD)["联系工作记录"]
    assert "synthetic" in ws["A1"].value and "示例" in ws["A1"].value
    header = [c.value for c in ws[3]]
    rows = [dict(zip(header, row)) for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None]
    # every filled row is a record (rows are tied to their visits by the hidden 编号 sheet, whatever the calendar did since)
    assert len(book["records"]) == sum(1 for r in rows if r["是否完成"]) > 100
    done = [r for r in rows if r["是否完成"] == "是" and (r["实际日期"] or r["计划日期"]) <= dt.datetime(2026, 10, 30)]
    office = {r["measure"]: r for r in data["rows"] if r["level"] == "office"}
    assert office["visits"]["actual"] == len(done)
    assert office["lessons"]["actual"] == sum(int(r["听课节数"] or 0) for r in done)
    assert data["missed"] == sum(1 for r in rows if r["是否完成"] == "否")
    assert office["backbone_teachers"]["target"] == 2 * len({v.researcher_id for v in visits.visits})
