"""Every regime preset in scenarios/presets/ solves on the demo county's tables, or is INFEASIBLE
for the reason its file states.

These tests do depend on the demo county's data: the presets exist to run on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assign.analysis.explain import explain_infeasible, supply_checks
from assign.load import load_scenario
from assign.solver.passes import solve

PRESETS = Path(__file__).resolve().parent.parent / "scenarios" / "presets"
# preset → why the demo county cannot satisfy it (the file's own comment says the same)
INFEASIBLE = {"shandong-county-notice": ("R046", "R044", "R045")}


@pytest.mark.parametrize("path", sorted(PRESETS.glob("*.yaml")), ids=lambda p: p.stem)
def test_preset_solves_on_demo_county_or_is_infeasible_as_documented(path):
    problem = load_scenario(path)
    # A preset must give an audited plan; proving optimality of the harder ones is the benchmark's job.
    plan = solve(problem, workers=1, seed=0, time_limit=8)
    if path.stem in INFEASIBLE:
        assert plan.status == "INFEASIBLE"
        assert "INFEASIBLE" in path.read_text(encoding="utf-8")
        return
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert [f for f in plan.findings if f.severity == "error"] == []


def test_shandong_preset_conflict_names_the_researchers_its_comment_names():
    problem = load_scenario(PRESETS / "shandong-county-notice.yaml")
    assert any(f.researchers == ("R046",) for f in supply_checks(problem))
    conflicts = explain_infeasible(problem)
    assert conflicts and any("R046" in c.about for c in conflicts)
