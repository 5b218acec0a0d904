"""Tiny named fixtures placed by kilometres east of the office (policy-catalogue tests).

A second helper next to conftest.py: schools here are placed by `km` at 60 km/h with no detour,
so a school `km` kilometres out is `km` minutes away.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from assign.load import load_scenario
from assign.solver.passes import solve

RESEARCHER_FIELDS = ["id", "name", "subjects", "stages", "kind", "base", "min_schools", "max_schools",
                     "current_schools", "since", "avoid_schools"]
SCHOOL_FIELDS = ["id", "name", "stages", "area", "township", "lon", "lat", "priority", "ownership", "central", "subjects_needed", "max_researchers"]


def researcher(id, subjects="数学", stages="小学", **more) -> dict:
    return {"id": id, "name": f"教研员{id}", "subjects": subjects, "stages": stages, **more}


def school(id, area="城区", stages="小学", township="城关镇", km=5.0, **more) -> dict:
    """A school `km` kilometres east of the office (0.0109° of longitude ≈ 1 km at 34.5°N): `km` minutes at 60 km/h."""
    return {"id": id, "name": f"学校{id}", "stages": stages, "area": area, "township": township,
            "lon": round(112.5 + km * 0.0109, 5), "lat": 34.5, "priority": 1, "ownership": "公办", "central": "否", **more}


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in fields})


def write_scenario(folder: Path, researchers: list[dict], schools: list[dict], policies: dict, **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(folder / "researchers.csv", RESEARCHER_FIELDS, researchers)
    _write_csv(folder / "schools.csv", SCHOOL_FIELDS, schools)
    scenario = {
        "name": "测试县",
        "office": {"name": "测试县教研室", "lon": 112.5, "lat": 34.5},
        "data": {"researchers": "researchers.csv", "schools": "schools.csv"},
        "contact_period": {"start": "2026-09", "years": 2},
        "travel": {"detour_factor": 1.0, "speed_kmh": 60},
        "policies": policies,
        "solver": {"time_limit": 10, "workers": 1, "seed": 0},
        **extra,
    }
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def county(tmp_path):
    """county(researchers, schools, policies, **scenario_keys) -> Problem, from files in tmp_path."""
    def build(researchers, schools, policies, **extra):
        return load_scenario(write_scenario(tmp_path / "county", researchers, schools, policies, **extra))
    return build


def solve_one(problem, **kw):
    """The deterministic solve every test uses: one worker, seed 0."""
    return solve(problem, workers=1, seed=0, **kw)
