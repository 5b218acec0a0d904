"""Priority schools left without a researcher: a warning the office sees, with the reason, and a
row of the roster's 未联系学校 sheet. Each fixture leaves one weak school uncovered for one reason."""

from __future__ import annotations

import pytest
from conftest import audit_errors, build, researcher, school, solve_det, uncovered_warnings

PRIMARY = {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}}


@pytest.mark.parametrize("schools, policies, reason", [
    # W1 lies ~36 min out; the cap is 30 min for everyone.
    ([school("N1"), school("W1", dlon=0.20, priority=3)], {**PRIMARY, "max_travel": {"minutes": 30}},
     "超出所有教研员的单程时间上限（30分钟；最近的36分钟）"),
    # W1 is a 高中 school and the office has only a 小学 researcher.
    ([school("N1"), school("W1", stages="高中", priority=2)], PRIMARY, "没有高中学段的教研员"),
    # W1 is reachable, but R1 may have one school and must keep N1, its pairing in force.
    ([school("N1"), school("W1", dlon=0.02, priority=2)], {**PRIMARY, "contact_period": {}},
     "可联系的1名教研员均已满额（再联系会违反：联系学校数1人）"),
])
def test_a_priority_school_without_a_researcher_is_a_warning_that_says_why(tmp_path, schools, policies, reason):
    problem = build(tmp_path, [researcher("R1", current_schools="N1", since="2025-09")], schools, policies)
    plan = solve_det(problem)
    assert plan.solved and audit_errors(plan) == []
    assert uncovered_warnings(plan) == {"W1": reason}
    [warning] = [f for f in plan.findings if f.policy == "uncovered"]
    assert warning.severity == "warning" and "学校W1" in warning.message and "优先级" in warning.message
    assert [(u.school_id, u.reason) for u in plan.uncovered] == [("W1", reason)]


def test_an_ordinary_school_without_a_researcher_is_listed_but_not_warned_about(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("N1"), school("O1", dlon=0.02)], {**PRIMARY, "travel": {}})
    plan = solve_det(problem)
    assert plan.findings == []
    assert [u.school_id for u in plan.uncovered] == ["O1"] and plan.uncovered[0].priority == 1
