"""The example what-ifs in scenarios/whatif/ load on the demo county and change what they say.

Solving them is the closing note's benchmark, not a test: each is a full demo-county solve.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assign.load import load_scenario

WHATIF = Path(__file__).resolve().parents[1] / "scenarios" / "whatif"
DEMO = load_scenario(WHATIF.parent / "demo-county" / "scenario.yaml")


@pytest.mark.parametrize("name, check", [
    ("two-new-researchers", lambda p: len(p.researchers) == len(DEMO.researchers) + 2 and {"R047", "R048"} <= set(p.researcher)),
    ("school-merge", lambda p: "S031" not in p.school and p.school["S029"].max_researchers == 4),
    ("two-schools-urban-rural", lambda p: p.policy_params("school_count").min == 2 and p.researcher["R046"].max_schools == 1),
    ("bridge-closed", lambda p: all(p.minutes("R001", s.id) > DEMO.minutes("R001", s.id) + 40 for s in p.schools if s.township == "双河镇")),
])
def test_each_example_whatif_loads_and_makes_its_change(name, check):
    problem = load_scenario(WHATIF / f"{name}.yaml")
    assert "stability" in [u.name for u in problem.policies]
    assert check(problem)
