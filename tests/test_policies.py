"""Each built-in policy: a feasible case where it visibly acts, and an infeasible or violated case.

Fixtures are tiny and named; schools are placed by longitude offset from the office (0.01° ≈ 1.8 min).
A violated case feeds a hand-made plan to the policy's own `audit`, which must not trust the model.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import assert_no_plan, audit_errors, build, hand_plan, policy, researcher, school, solve_det, uncovered_warnings

from assign.locale import _, ngettext

PRIMARY = {"stage_match": {}}


def areas_of(problem, plan, rid):
    return sorted(problem.school[sid].area for sid in plan.schools_of()[rid])


# --------------------------------------------------------------------------- school_count


def test_school_count_max_stops_coverage_from_taking_every_school(tmp_path):
    # Coverage alone would take all three schools; max 2 allows two.
    problem = build(tmp_path, [researcher("R1")], [school("S1"), school("S2", dlon=0.02), school("S3", dlon=0.03)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "S1"), ("R1", "S2")}  # the two nearest


def test_school_count_min_forces_schools_travel_would_avoid(tmp_path):
    # Travel alone would choose no pair at all; min 2 forces the two nearest.
    problem = build(tmp_path, [researcher("R1")], [school("S1", dlon=0.03), school("S2"), school("S3", dlon=0.02)],
                    {**PRIMARY, "school_count": {"min": 2, "max": None}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "S2"), ("R1", "S3")}


def test_school_count_table_columns_override_the_scenario_limits(tmp_path):
    # Scenario says 1-2; R1's max_schools 1 and R2's min_schools/max_schools 3 win.
    problem = build(
        tmp_path,
        [researcher("R1", subjects="数学", max_schools=1), researcher("R2", subjects="语文", min_schools=3, max_schools=3)],
        [school(f"S{i}", dlon=0.01 * i) for i in range(1, 5)],
        {**PRIMARY, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}},
    )
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    counts = Counter(a.researcher_id for a in plan.pairs)
    assert counts == {"R1": 1, "R2": 3}


def test_school_count_personal_min_above_the_rule_max_raises_that_persons_max(tmp_path):
    # Scenario says 1-2; R1's own min_schools 3 (no max_schools) means three schools, not an infeasible 3..2.
    problem = build(tmp_path, [researcher("R1", min_schools=3)], [school(f"S{i}", dlon=0.01 * i) for i in range(1, 5)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert len(plan.pairs) == 3


def test_school_count_table_overrides_off_ignores_the_columns(tmp_path):
    problem = build(tmp_path, [researcher("R1", max_schools=1)], [school("S1"), school("S2", dlon=0.02)],
                    {**PRIMARY, "school_count": {"min": 2, "max": 2, "table_overrides": False}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert len(plan.pairs) == 2


def test_school_count_min_above_candidates_is_infeasible(tmp_path):
    # R1 teaches 小学; only one school is 小学, the other is 初中 (pruned by stage_match).
    problem = build(tmp_path, [researcher("R1")], [school("S1"), school("J1", stages="初中")],
                    {**PRIMARY, "school_count": {"min": 2, "max": 2}})
    assert_no_plan(solve_det(problem))


def test_school_count_audit_flags_too_many_and_too_few(tmp_path):
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文", min_schools=2)],
                    [school("S1"), school("S2"), school("S3")],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}})
    pol, params = policy(problem, "school_count")
    findings = pol.audit(problem, hand_plan(problem, [("R1", "S1"), ("R1", "S2"), ("R1", "S3"), ("R2", "S1")]), params)
    assert [(f.policy, f.researchers) for f in findings] == [("school_count", ("R1",)), ("school_count", ("R2",))]
    # The expected words are built through the plugin's own messages, so the test holds in every language.
    assert findings[0].message == ngettext("{researcher} has {n} contact school; expected {low}-{high}",
                                           "{researcher} has {n} contact schools; expected {low}-{high}", 3).format(
        researcher=problem.researcher["R1"].label, n=3, low=1, high=2)
    assert [(f.rule, f.note) for f in findings] == [("max", ngettext("{n} contact school", "{n} contact schools", 3).format(n=3)),
                                                    ("min", ngettext("{n} contact school", "{n} contact schools", 1).format(n=1))]
    assert pol.audit(problem, hand_plan(problem, [("R1", "S1"), ("R2", "S2"), ("R2", "S3")]), params) == []


# --------------------------------------------------------------------------- stage_match


def test_stage_match_never_pairs_across_stages(tmp_path):
    # The 初中 school is nearest and a priority-3 school: everything but the stage says take it.
    problem = build(tmp_path, [researcher("R1", stages="小学")],
                    [school("J1", stages="初中", dlon=0.01, priority=3), school("P1", stages="小学", dlon=0.05)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert audit_errors(plan) == []
    assert uncovered_warnings(plan) == {"J1": "没有初中学段的教研员"}
    assert plan.pair_set() == {("R1", "P1")}
    assert plan.candidate_pairs == 1  # the cross-stage pair got no variable at all


def test_stage_match_nine_year_school_takes_primary_and_junior_researchers(tmp_path):
    problem = build(tmp_path, [researcher("RP", subjects="语文", stages="小学"), researcher("RJ", subjects="数学", stages="初中")],
                    [school("N1", stages="九年一贯制"), school("H1", stages="高中", dlon=0.005)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("RP", "N1"), ("RJ", "N1")}


def test_stage_match_senior_researcher_without_senior_school_is_infeasible(tmp_path):
    problem = build(tmp_path, [researcher("R1", stages="高中")], [school("S1"), school("N1", stages="九年一贯制")],
                    {**PRIMARY, "school_count": {"min": 1}})
    assert_no_plan(solve_det(problem))


def test_stage_match_audit_flags_a_cross_stage_pair(tmp_path):
    problem = build(tmp_path, [researcher("R1", stages="高中")], [school("S1"), school("H1", stages="完全中学")], PRIMARY)
    pol, params = policy(problem, "stage_match")
    findings = pol.audit(problem, hand_plan(problem, [("R1", "S1"), ("R1", "H1")]), params)
    assert len(findings) == 1
    assert (findings[0].researchers, findings[0].schools) == (("R1",), ("S1",))
    assert "学校S1" in findings[0].message


# --------------------------------------------------------------------------- urban_rural_mix


def test_urban_rural_mix_two_schools_are_one_urban_one_rural(tmp_path):
    # Travel would take the two near urban schools; the mix forces the far rural one in.
    problem = build(tmp_path, [researcher("R1")],
                    [school("U1", area="城区"), school("U2", area="城区", dlon=0.02), school("V1", area="乡村", dlon=0.10)],
                    {**PRIMARY, "school_count": {"min": 2, "max": 2}, "urban_rural_mix": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "U1"), ("R1", "V1")}
    assert areas_of(problem, plan, "R1") == ["乡村", "城区"]


@pytest.mark.parametrize(
    ("urban_areas", "expected"),
    [
        (None, {("R1", "U1"), ("R1", "V1")}),  # default 城区+镇区 urban: the town school does not make the pair mixed
        (["城区"], {("R1", "U1"), ("R1", "T1")}),  # only 城区 urban: the near 镇区 school counts as rural
    ],
)
def test_urban_rural_mix_urban_areas_decides_where_town_schools_count(tmp_path, urban_areas, expected):
    mix = {} if urban_areas is None else {"urban_areas": urban_areas}
    problem = build(tmp_path, [researcher("R1")],
                    [school("U1", area="城区"), school("T1", area="镇区", dlon=0.02), school("V1", area="乡村", dlon=0.10)],
                    {**PRIMARY, "school_count": {"min": 2, "max": 2}, "urban_rural_mix": mix, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == expected


def test_urban_rural_mix_one_school_needs_no_mix(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("U1", area="城区"), school("V1", area="乡村", dlon=0.10)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "urban_rural_mix": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "U1")}


def test_urban_rural_mix_min_two_without_rural_candidate_is_infeasible(tmp_path):
    # The only rural school is 初中, out of stage for R1.
    problem = build(tmp_path, [researcher("R1")],
                    [school("U1", area="城区"), school("T1", area="镇区"), school("U2", area="城区"), school("VJ", stages="初中", area="乡村")],
                    {**PRIMARY, "school_count": {"min": 2, "max": 2}, "urban_rural_mix": {}})
    assert_no_plan(solve_det(problem))


def test_urban_rural_mix_audit_flags_an_all_urban_pair(tmp_path):
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文")],
                    [school("U1", area="城区"), school("T1", area="镇区"), school("V1", area="乡村")],
                    {**PRIMARY, "urban_rural_mix": {}})
    pol, params = policy(problem, "urban_rural_mix")
    findings = pol.audit(problem, hand_plan(problem, [("R1", "U1"), ("R1", "T1"), ("R2", "U1"), ("R2", "V1")]), params)
    assert len(findings) == 1
    assert findings[0].researchers == ("R1",)
    assert set(findings[0].schools) == {"U1", "T1"}
    assert (findings[0].rule, findings[0].note) == ("mix", _("all {n} schools urban").format(n=2))


def test_urban_rural_mix_audit_with_only_cities_urban_accepts_city_plus_town(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("U1", area="城区"), school("T1", area="镇区")],
                    {**PRIMARY, "urban_rural_mix": {"urban_areas": ["城区"]}})
    pol, params = policy(problem, "urban_rural_mix")
    assert pol.audit(problem, hand_plan(problem, [("R1", "U1"), ("R1", "T1")]), params) == []


# --------------------------------------------------------------------------- coverage


def test_coverage_prefers_the_priority_school_over_a_nearer_one(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("N1", dlon=0.01), school("P1", dlon=0.08, priority=2)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "P1")}
    assert plan.kpis["priority_covered"] == 1


def test_coverage_covers_as_many_schools_as_it_can(tmp_path):
    # Two researchers, one school each: coverage spreads them although both would be nearer at S1.
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文")], [school("S1"), school("S2", dlon=0.06)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.kpis["schools_covered"] == 2


THREE_SUBJECTS = [researcher("RM", subjects="数学"), researcher("RC", subjects="语文"), researcher("RE", subjects="英语")]


def test_coverage_max_researchers_from_params_caps_each_school(tmp_path):
    # Subject coverage wants all three researchers at the one school; the cap is 2.
    problem = build(tmp_path, THREE_SUBJECTS, [school("S1")],
                    {**PRIMARY, "school_count": {"min": 0, "max": 1}, "coverage": {"max_researchers": 2}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert len(plan.researchers_of()["S1"]) == 2


def test_coverage_max_researchers_column_overrides_params(tmp_path):
    # S1's own column says 1; S2 has none, so the scenario's 2 applies.
    problem = build(tmp_path, THREE_SUBJECTS, [school("S1", max_researchers=1), school("S2", dlon=0.02)],
                    {**PRIMARY, "school_count": {"min": 0, "max": 2}, "coverage": {"max_researchers": 2}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    per_school = plan.researchers_of()
    assert (len(per_school["S1"]), len(per_school["S2"])) == (1, 2)


def test_coverage_cap_below_required_researchers_is_infeasible(tmp_path):
    problem = build(tmp_path, THREE_SUBJECTS, [school("S1", max_researchers=2)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}})
    assert_no_plan(solve_det(problem))


def test_coverage_audit_flags_a_school_over_its_cap(tmp_path):
    problem = build(tmp_path, THREE_SUBJECTS, [school("S1", max_researchers=1), school("S2")],
                    {**PRIMARY, "coverage": {"max_researchers": 2}})
    pol, params = policy(problem, "coverage")
    findings = pol.audit(problem, hand_plan(problem, [("RM", "S1"), ("RC", "S1"), ("RM", "S2"), ("RC", "S2")]), params)
    assert len(findings) == 1
    assert findings[0].schools == ("S1",)
    assert set(findings[0].researchers) == {"RM", "RC"}
    assert findings[0].message == _("{school} has {n} researchers; at most {cap} allowed").format(school=problem.school["S1"].name, n=2, cap=1)


TWO_MATHS = [researcher("M1", subjects="数学"), researcher("M2", subjects="数学"), researcher("C1", subjects="语文")]


def test_coverage_one_per_subject_sends_the_second_maths_researcher_elsewhere(tmp_path):
    # Travel is optimised first, so without one_per_subject both would take the near S1.
    problem = build(tmp_path, TWO_MATHS[:2], [school("S1"), school("S2", dlon=0.05)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {"one_per_subject": True}, "travel": {}},
                    objective={"mode": "lexicographic", "order": ["travel.total_minutes"]})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    per_school = plan.researchers_of()
    assert (len(per_school["S1"]), len(per_school["S2"])) == (1, 1)


def test_coverage_without_one_per_subject_both_maths_researchers_take_the_near_school(tmp_path):
    problem = build(tmp_path, TWO_MATHS[:2], [school("S1"), school("S2", dlon=0.05)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {"one_per_subject": False}, "travel": {}},
                    objective={"mode": "lexicographic", "order": ["travel.total_minutes"]})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("M1", "S1"), ("M2", "S1")}


@pytest.mark.parametrize(("one_per_subject", "status"), [(True, "INFEASIBLE"), (False, "OPTIMAL")])
def test_coverage_one_per_subject_with_two_maths_researchers_and_one_school(tmp_path, one_per_subject, status):
    problem = build(tmp_path, TWO_MATHS[:2], [school("S1"), school("J1", stages="初中")],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {"one_per_subject": one_per_subject}})
    plan = solve_det(problem)
    if status == "INFEASIBLE":
        assert_no_plan(plan)
    else:
        assert plan.status == status
        assert plan.findings == []
        assert plan.pair_set() == {("M1", "S1"), ("M2", "S1")}


def test_coverage_audit_flags_two_researchers_of_one_subject(tmp_path):
    problem = build(tmp_path, TWO_MATHS, [school("S1")], {**PRIMARY, "coverage": {}})
    pol, params = policy(problem, "coverage")
    findings = pol.audit(problem, hand_plan(problem, [("M1", "S1"), ("M2", "S1"), ("C1", "S1")]), params)
    assert len(findings) == 1
    assert findings[0].schools == ("S1",)
    assert set(findings[0].researchers) == {"M1", "M2"}
    assert "数学" in findings[0].message


# --------------------------------------------------------------------------- max_travel


def test_max_travel_school_beyond_the_cap_gets_no_pair(tmp_path):
    # F1 is a priority-3 school coverage would take first, but it is ~36 min away; the cap is 30.
    problem = build(tmp_path, [researcher("R1")], [school("N1"), school("F1", dlon=0.20, priority=3)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}, "max_travel": {"minutes": 30}, "coverage": {}})
    assert problem.minutes("R1", "F1") > 30
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert audit_errors(plan) == []
    assert uncovered_warnings(plan) == {"F1": "超出所有教研员的单程时间上限（30分钟；最近的36分钟）"}
    assert plan.pair_set() == {("R1", "N1")}


def test_max_travel_counts_from_the_researchers_own_base(tmp_path):
    # R2 lives at F1: F1 is 0 min for R2, while N1 is beyond the cap for R2 and F1 beyond it for R1.
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文", base="F1")],
                    [school("N1"), school("F1", dlon=0.20)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 2}, "max_travel": {"minutes": 30}, "coverage": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "N1"), ("R2", "F1")}


def test_max_travel_cap_on_the_exact_minutes_allows_the_school(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("S1", dlon=0.10)], {**PRIMARY, "school_count": {"min": 1}})
    cap = problem.minutes("R1", "S1")
    problem = build(tmp_path, [researcher("R1")], [school("S1", dlon=0.10)],
                    {**PRIMARY, "school_count": {"min": 1}, "max_travel": {"minutes": cap}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "S1")}


def test_max_travel_with_every_school_too_far_is_infeasible(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("F1", dlon=0.20), school("F2", dlon=-0.25)],
                    {**PRIMARY, "school_count": {"min": 1}, "max_travel": {"minutes": 30}})
    assert_no_plan(solve_det(problem))


def test_max_travel_audit_flags_a_pair_beyond_the_cap(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("N1"), school("F1", dlon=0.20)],
                    {**PRIMARY, "max_travel": {"minutes": 30}})
    pol, params = policy(problem, "max_travel")
    findings = pol.audit(problem, hand_plan(problem, [("R1", "N1"), ("R1", "F1")]), params)
    assert len(findings) == 1
    assert (findings[0].researchers, findings[0].schools) == (("R1",), ("F1",))
    minutes = f"{problem.minutes('R1', 'F1'):.0f}"
    assert findings[0].message == _("{researcher} → {school} is {minutes} min one way; the cap is {cap} min").format(
        researcher=problem.researcher["R1"].label, school=problem.school["F1"].name, minutes=minutes, cap=30)
    assert findings[0].note == _("{minutes} min one way (cap {cap} min)").format(minutes=minutes, cap=30)


# --------------------------------------------------------------------------- travel


@pytest.mark.parametrize("near_first", [True, False], ids=["near-listed-first", "near-listed-last"])
def test_travel_chooses_the_nearer_of_two_equivalent_schools(tmp_path, near_first):
    near, far = school("NEAR", dlon=0.02), school("FAR", dlon=-0.05)
    problem = build(tmp_path, [researcher("R1")], [near, far] if near_first else [far, near],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "NEAR")}
    assert plan.pairs[0].minutes == problem.minutes("R1", "NEAR")


def test_travel_total_minutes_term_is_the_sum_of_rounded_pair_minutes(tmp_path):
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文")], [school("S1", dlon=0.03), school("S2", dlon=0.07)],
                    {**PRIMARY, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    term = next(t for t in plan.terms if t.name == "travel.total_minutes")
    assert term.value == sum(round(a.minutes) for a in plan.pairs)


def test_travel_audit_warns_about_stale_minutes_in_a_plan(tmp_path):
    problem = build(tmp_path, [researcher("R1")], [school("S1"), school("S2", dlon=0.05)], {**PRIMARY, "travel": {}})
    pol, params = policy(problem, "travel")
    plan = hand_plan(problem, [("R1", "S1"), ("R1", "S2")])
    stale = plan.model_copy(update={"pairs": [plan.pairs[0], plan.pairs[1].model_copy(update={"minutes": 99.0})]})
    assert pol.audit(problem, plan, params) == []
    findings = pol.audit(problem, stale, params)
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert (findings[0].researchers, findings[0].schools) == (("R1",), ("S2",))
