"""Pairs pinned by hand (`Problem.pinned_pairs`, the web page's 固定): every plan has them, the solver
plans everyone else around them, a pin the rules do not allow is refused, and the audit (from the plan's
pairs alone) says when a plan lacks one."""

from __future__ import annotations

import pytest
from conftest import audit_errors, build, hand_plan, researcher, school, solve_det

from assign.audit import audited
from assign.errors import AssignError


@pytest.fixture
def two_by_two(tmp_path):
    """Two researchers, two schools: R1 is next to S1 and R2 next to S2, so the optimum pairs them so;
    one school each, one researcher a school."""
    return build(tmp_path,
                 [researcher("R1", base="S1"), researcher("R2", base="S2")],
                 [school("S1", dlon=0.01), school("S2", dlon=0.30)],
                 {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {"max_researchers": 1}, "travel": {"weight": 1}})


def test_the_optimum_without_pins_pairs_each_researcher_with_the_near_school(two_by_two):
    plan = solve_det(two_by_two)
    assert plan.pair_set() == {("R1", "S1"), ("R2", "S2")} and audit_errors(plan) == []


def test_a_pinned_pair_is_in_the_plan_and_the_rest_is_planned_around_it(two_by_two):
    pinned = two_by_two.model_copy(update={"pinned_pairs": (("R1", "S2"),)})
    plan = solve_det(pinned)
    assert plan.status == "OPTIMAL"
    assert plan.pair_set() == {("R1", "S2"), ("R2", "S1")}  # R2 takes the school R1 left
    assert audit_errors(plan) == []


def test_the_audit_names_a_pinned_pair_the_plan_lacks(two_by_two):
    pinned = two_by_two.model_copy(update={"pinned_pairs": (("R1", "S2"),)})
    plan = audited(pinned, hand_plan(pinned, [("R1", "S1"), ("R2", "S2")]))
    missing = [f for f in audit_errors(plan) if f.policy == "pinned"]
    assert [(f.researchers, f.schools) for f in missing] == [(("R1",), ("S2",))]


def test_a_pin_the_rules_do_not_allow_is_refused_by_name(tmp_path):
    problem = build(tmp_path, [researcher("R1", stages="高中")], [school("S1", stages="高中"), school("S2", stages="小学")],
                    {"stage_match": {}, "school_count": {"min": 0, "max": 1}})
    with pytest.raises(AssignError, match="R1→S2"):
        solve_det(problem.model_copy(update={"pinned_pairs": (("R1", "S2"),)}))
