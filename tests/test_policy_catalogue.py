"""Each policy of the catalogue: a tiny county it satisfies, and one it cannot (INFEASIBLE, or the
audit of a hand-made violating plan names who)."""

from __future__ import annotations

from km_county import researcher, school, solve_one

from assign.audit import audit_plan
from assign.locale import _
from assign.plan import Assignment, Plan

ONE = {"school_count": {"min": 1, "max": 1}}


def hand_plan(problem, *pairs) -> Plan:
    """A plan made by hand, as an office would type it, with minutes from the problem."""
    return Plan(scenario=problem.name, title="", contact_period="", travel_method="", mode="weighted", status="FEASIBLE",
                pairs=[Assignment(researcher_id=r, school_id=s, minutes=problem.minutes(r, s)) for r, s in pairs])


def findings_of(problem, policy, *pairs):
    return [f for f in audit_plan(problem, hand_plan(problem, *pairs)) if f.policy == policy]


def schools_of(plan, rid):
    return sorted(plan.schools_of().get(rid, []))


# subject_match ---------------------------------------------------------------------------------

def test_subject_match_gives_physics_researcher_the_junior_school(county):
    p = county([researcher("R1", "物理", "小学;初中")], [school("S1", stages="小学", km=2), school("S2", stages="初中", km=9)],
               {**ONE, "stage_match": {}, "subject_match": {}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert schools_of(plan, "R1") == ["S2"]


def test_subject_match_infeasible_when_no_school_teaches_the_subject(county):
    p = county([researcher("R1", "物理", "小学")], [school("S1", stages="小学")], {**ONE, "subject_match": {}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "subject_match", ("R1", "S1"))
    assert f.researchers == ("R1",) and f.schools == ("S1",)


def test_stage_match_cross_stage_subjects_let_music_researcher_take_senior_school(county):
    rows = [researcher("R1", "音乐", "小学")], [school("S1", stages="高中")]
    assert solve_one(county(*rows, {**ONE, "stage_match": {}})).status == "INFEASIBLE"
    plan = solve_one(county(*rows, {**ONE, "stage_match": {"cross_stage_subjects": ["音乐"]}, "subject_match": {}}))
    assert plan.status == "OPTIMAL" and plan.findings == []


# urban_rural_mix rural_share -------------------------------------------------------------------

def test_rural_share_sends_half_the_contacts_to_the_far_rural_school(county):
    p = county([researcher("R1"), researcher("R2")],
               [school("S1", km=2), school("S2", km=3), school("S3", area="乡村", km=40)],
               {**ONE, "urban_rural_mix": {"rural_share": 0.5}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert "S3" in plan.researchers_of()


def test_rural_share_infeasible_without_rural_schools(county):
    p = county([researcher("R1")], [school("S1"), school("S2")], {**ONE, "urban_rural_mix": {"rural_share": 0.5}})
    assert solve_one(p).status == "INFEASIBLE"


def test_rural_share_proportional_audit_flags_an_all_urban_plan(county):
    p = county([researcher("R1"), researcher("R2")], [school("S1"), school("S2"), school("S3", area="乡村")],
               {"urban_rural_mix": {"rural_share": "proportional", "per_researcher": "off"}})
    [f] = findings_of(p, "urban_rural_mix", ("R1", "S1"), ("R2", "S2"))
    assert f.message == _("rural schools get {rural} of {total} contacts ({share}); at least {wanted} required").format(
        rural=0, total=2, share="0%", wanted="33%")  # one school in three is rural


# township --------------------------------------------------------------------------------------

def test_township_cover_sends_someone_to_the_far_township(county):
    p = county([researcher("R1"), researcher("R2")],
               [school("S1", township="甲镇", km=2), school("S2", township="甲镇", km=3), school("S3", township="乙乡", km=30)],
               {**ONE, "township": {"mode": "cover", "k": 1}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert "S3" in plan.researchers_of()


def test_township_cover_infeasible_when_too_few_researchers(county):
    p = county([researcher("R1"), researcher("R2")], [school("S1", township="甲镇"), school("S2", township="乙乡")],
               {**ONE, "township": {"mode": "cover", "k": 2}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "township", ("R1", "S1"), ("R2", "S1"))
    assert "乙乡" in f.message


def test_township_limit_keeps_two_schools_in_one_township(county):
    p = county([researcher("R1")],
               [school("S1", township="甲镇", km=2), school("S2", township="乙乡", km=3), school("S3", township="甲镇", km=20)],
               {"school_count": {"min": 2, "max": 2}, "township": {"mode": "limit", "m": 1}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert schools_of(plan, "R1") == ["S1", "S3"]


def test_township_limit_infeasible_and_audit_names_researcher(county):
    p = county([researcher("R1")], [school("S1", township="甲镇"), school("S2", township="乙乡")],
               {"school_count": {"min": 2, "max": 2}, "township": {"mode": "limit", "m": 1}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "township", ("R1", "S1"), ("R1", "S2"))
    assert f.researchers == ("R1",)


# central_schools -------------------------------------------------------------------------------

def test_central_schools_get_a_researcher_even_when_far(county):
    p = county([researcher("R1"), researcher("R2")],
               [school("S1", km=2), school("S2", km=3), school("S3", km=40, central="是"), school("S4", km=50, ownership="民办")],
               {**ONE, "central_schools": {}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert set(plan.researchers_of()) == {"S3", "S4"}


def test_central_schools_infeasible_with_three_required_schools_and_two_researchers(county):
    p = county([researcher("R1"), researcher("R2")],
               [school("S1", central="是"), school("S2", central="是"), school("S3", ownership="民办")], {**ONE, "central_schools": {}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "central_schools", ("R1", "S1"), ("R2", "S2"))
    assert f.schools == ("S3",) and f.severity == "error"


def test_central_school_nobody_may_take_is_a_warning(county):
    p = county([researcher("R1")], [school("S1"), school("S2", stages="高中", central="是")],
               {**ONE, "stage_match": {}, "central_schools": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL"
    [f] = plan.findings
    assert f.severity == "warning" and f.schools == ("S2",)


# avoid -----------------------------------------------------------------------------------------

def test_avoid_sends_researcher_past_the_school_to_avoid(county):
    p = county([researcher("R1", avoid_schools="S1")], [school("S1", km=2), school("S2", km=20)], {**ONE, "avoid": {}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert schools_of(plan, "R1") == ["S2"]


def test_avoid_infeasible_when_the_only_school_is_avoided(county):
    p = county([researcher("R1", avoid_schools="S1")], [school("S1")], {**ONE, "avoid": {}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "avoid", ("R1", "S1"))
    assert f.researchers == ("R1",) and f.schools == ("S1",)


# contact_period --------------------------------------------------------------------------------

def test_running_contact_period_keeps_the_far_school(county):
    p = county([researcher("R1", current_schools="S2", since="2025-09")], [school("S1", km=2), school("S2", km=30)],
               {**ONE, "contact_period": {}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert schools_of(plan, "R1") == ["S2"]


def test_ended_contact_period_with_renew_forbid_rotates(county):
    p = county([researcher("R1", current_schools="S1", since="2024-09")], [school("S1", km=2), school("S2", km=30)],
               {**ONE, "contact_period": {"renew": "forbid"}, "travel": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert schools_of(plan, "R1") == ["S2"]
    [f] = findings_of(p, "contact_period", ("R1", "S1"))
    assert f.message == _("{researcher} → {school} (since {since}) has ended and may not be renewed").format(
        researcher=p.researcher["R1"].label, school=p.school["S1"].name, since="2024-09")


def test_running_contact_period_infeasible_when_school_is_out_of_reach(county):
    p = county([researcher("R1", current_schools="S2", since="2025-09")], [school("S1", km=2), school("S2", km=120)],
               {**ONE, "max_travel": {"minutes": 90}, "contact_period": {}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "contact_period", ("R1", "S1"))
    assert f.researchers == ("R1",) and f.schools == ("S2",)


# workload --------------------------------------------------------------------------------------

def test_part_time_researcher_gets_one_school(county):
    p = county([researcher("R1", kind="兼职"), researcher("R2")], [school("S1"), school("S2"), school("S3", area="乡村")],
               {"school_count": {"min": 1, "max": 2}, "workload": {}, "coverage": {}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert len(schools_of(plan, "R1")) == 1


def test_part_time_researcher_infeasible_under_at_least_two(county):
    p = county([researcher("R1", kind="兼职")], [school("S1"), school("S2")], {"school_count": {"min": 2, "max": 2}, "workload": {}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "workload", ("R1", "S1"), ("R1", "S2"))
    assert f.researchers == ("R1",)


# fairness --------------------------------------------------------------------------------------

def test_fairness_minimises_the_worst_trip(county):
    p = county([researcher("R1"), researcher("R2")], [school("S1", km=10), school("S2", km=20), school("S3", km=50)],
               {**ONE, "coverage": {"max_researchers": 1}, "fairness": {"spread": True}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    terms = {t.name: t.value for t in plan.terms}
    assert terms["fairness.worst_minutes"] == 20 and terms["fairness.spread"] == 10


def test_fairness_caps_infeasible_and_audited(county):
    p = county([researcher("R1"), researcher("R2")], [school("S1", km=10), school("S2", km=50)],
               {**ONE, "coverage": {"max_researchers": 1}, "fairness": {"max_worst": 30}})
    assert solve_one(p).status == "INFEASIBLE"
    [f] = findings_of(p, "fairness", ("R1", "S1"), ("R2", "S2"))
    assert f.researchers == ("R2",) and f.schools == ("S2",)
    p = county([researcher("R1"), researcher("R2")], [school("S1", km=10), school("S2", km=50)], {"fairness": {"max_spread": 15}})
    [f] = findings_of(p, "fairness", ("R1", "S1"), ("R2", "S2"))
    assert set(f.researchers) == {"R1", "R2"}


# school_count: a personal max below the rule's min --------------------------------------------

def test_personal_max_below_rule_min_lowers_that_persons_min(county):
    p = county([researcher("R1", max_schools=1), researcher("R2")], [school("S1"), school("S2"), school("S3")],
               {"school_count": {"min": 2, "max": 3}, "coverage": {"max_researchers": 1}})
    plan = solve_one(p)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert len(schools_of(plan, "R1")) == 1 and len(schools_of(plan, "R2")) == 2
