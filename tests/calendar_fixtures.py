"""Tiny calendar fixtures: two researchers, two schools, three pairs, a six-week autumn term.

The term 2026-09-07 … 2026-10-16 holds the National Day holiday (10-01 … 10-07) and two adjusted
workdays (Sunday 09-20, Saturday 10-10), so every test sees chinese-calendar at work.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from assign.load import load_scenario
from assign.plan import Assignment, Plan

TERM = {"name": "2026秋", "start": "2026-09-07", "end": "2026-10-16"}
PAIRS = [("R1", "S1"), ("R1", "S2"), ("R2", "S1")]


def write_tiny(tmp_path: Path, rules: dict, *, r1_unavailable: str = "", s1_blackout: str = "", terms=None,
               holiday_file: dict | None = None, holidays: str = "china") -> Path:
    (tmp_path / "researchers.csv").write_text(
        "id,name,subject,stages,unavailable\n"
        f"R1,张三,数学,小学,{r1_unavailable}\n"
        "R2,李四,语文,小学,\n", encoding="utf-8")
    (tmp_path / "schools.csv").write_text(
        "id,name,stages,area,lon,lat,blackout,research_days\n"
        f"S1,河口镇第一小学,小学,镇区,112.50,34.50,{s1_blackout},数学:周三; 语文:双周四\n"
        "S2,石门乡中心小学,小学,乡村,112.70,34.60,,\n", encoding="utf-8")
    calendar = {"terms": terms or [TERM], "holidays": holidays, "visit_rules": rules, "time_limit": 10}
    if holiday_file is not None:
        (tmp_path / "holidays.yaml").write_text(yaml.safe_dump(holiday_file, allow_unicode=True), encoding="utf-8")
        calendar["holiday_file"] = "holidays.yaml"
    scenario = {
        "name": "tiny",
        "office": {"name": "测试县教研室", "lon": 112.5, "lat": 34.5},
        "data": {"researchers": "researchers.csv", "schools": "schools.csv"},
        "policies": {},
        "calendar": calendar,
        "solver": {"workers": 1, "seed": 0},
    }
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


def tiny_plan(problem, pairs=PAIRS) -> Plan:
    """A plan with fixed pairs, made by hand: the calendar tests do not solve the assignment."""
    return Plan(scenario=problem.name, title="t", contact_period="p", travel_method="m", mode="weighted", status="OPTIMAL",
                pairs=[Assignment(researcher_id=r, school_id=s, minutes=problem.minutes(r, s)) for r, s in pairs])


def load_tiny(tmp_path: Path, rules: dict, **kwargs):
    problem = load_scenario(write_tiny(tmp_path, rules, **kwargs))
    return problem, tiny_plan(problem)
