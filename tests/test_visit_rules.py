"""Each visit rule: a feasible case whose schedule its own audit finds clean, and an infeasible
case whose explanation names the rule. Plus audits catching hand-made bad schedules, without the
solver (double entry).

Term of the fixture: 26 working days, five of them Wednesdays (S1's 数学 group meets weekly on 周三).
"""

from __future__ import annotations

import datetime as dt

import pytest
from calendar_fixtures import TERM, load_tiny

from assign.calendar.visit_solve import audit_visits, schedule_term
from assign.calendar.visits import Visit, VisitPlan
from assign.locale import _

TWO = {"visits_per_term": {"min": 2}}
WHOLE_TERM = "2026-09-07~2026-10-16"


def schedule(tmp_path, rules, **kwargs):
    problem, plan = load_tiny(tmp_path, rules, **kwargs)
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    return problem, plan, visits


FEASIBLE = [
    # (rule, rules of the scenario, extra fixture arguments)
    ("visits_per_term", {"visits_per_term": {"min": 3, "max": 3}}, {}),
    ("days_per_visit", {**TWO, "days_per_visit": {"days": 2}}, {}),
    ("min_gap_days", {**TWO, "min_gap_days": {"days": 14}}, {}),
    ("days_on_site_per_year", {"days_on_site_per_year": {"days": 6}}, {}),
    ("days_per_week", {**TWO, "days_per_week": {"at_most": 1, "average_at_least": 0.5}}, {}),
    ("lessons_per_year", {"lessons_per_year": {"lessons": 30, "lessons_per_day": 3}}, {}),
    ("lectures_per_year", {**TWO, "lectures_per_year": {}}, {}),
    ("research_activities_per_term", {**TWO, "research_activities_per_term": {"count": 2}}, {}),
    ("demo_lessons_per_term", {**TWO, "demo_lessons_per_term": {"count": 2, "per": "term"}}, {}),
    ("school_blackout", {**TWO, "school_blackout": {}}, {"s1_blackout": "2026-09-07~2026-09-30"}),
    ("researcher_unavailable", {**TWO, "researcher_unavailable": {}}, {"r1_unavailable": "2026-09-07~2026-09-25"}),
    ("office_day", {**TWO, "office_day": {"weekday": "周三"}}, {}),
    ("school_daily_cap", {"visits_per_term": {"min": 10}, "school_daily_cap": {"max": 1}}, {}),
    ("research_day", {**TWO, "research_day": {"min_matches": 2}}, {}),
    ("spread", {**TWO, "spread": {"parts": 2, "hard": True}}, {}),
    ("one_trip_per_day", {"visits_per_term": {"min": 10}, "one_trip_per_day": {}}, {}),
    ("term_edges", {**TWO, "term_edges": {}}, {"terms": [{**TERM, "exam_weeks": [3]}]}),
    ("joint_inspection", {**TWO, "school_daily_cap": {"max": 1}, "joint_inspection": {"schools": ["S1"]}}, {}),
]

INFEASIBLE = [
    ("visits_per_term", {"visits_per_term": {"min": 28}}, {}),                                   # 26 working days
    ("days_per_visit", {"visits_per_term": {"min": 3}, "days_per_visit": {"days": 10}}, {}),     # 30 days > 26
    ("min_gap_days", {**TWO, "min_gap_days": {"days": 40}}, {}),                                 # the term spans 40 days
    ("days_on_site_per_year", {"days_on_site_per_year": {"days": 100}}, {}),
    ("days_per_week", {**TWO, "days_per_week": {"at_most": 1, "average_at_least": 2}}, {}),
    ("lessons_per_year", {"lessons_per_year": {"lessons": 100, "lessons_per_day": 3}}, {}),        # 34 days on site > 26
    ("lectures_per_year", {"visits_per_term": {"min": 1, "max": 1}, "lectures_per_year": {"count": 2}}, {}),  # R2: one visit, one lecture a visit
    ("research_activities_per_term", {**TWO, "research_activities_per_term": {"count": 3}}, {}),  # R2: S1's 语文 group meets 09-17, 10-15 only
    ("demo_lessons_per_term", {"visits_per_term": {"min": 1, "max": 1}, "demo_lessons_per_term": {"count": 2, "per": "term"}}, {}),
    ("school_blackout", {**TWO, "school_blackout": {}}, {"s1_blackout": WHOLE_TERM}),
    ("researcher_unavailable", {**TWO, "researcher_unavailable": {}}, {"r1_unavailable": WHOLE_TERM}),
    ("office_day", {**TWO, "office_day": {"weekday": "周三"}, "research_day": {"min_matches": 1}}, {}),
    ("school_daily_cap", {"visits_per_term": {"min": 7}, "days_per_visit": {"days": 2}, "school_daily_cap": {"max": 1}}, {}),  # S1: 2 × 14 > 26
    ("research_day", {**TWO, "research_day": {"min_matches": 6}}, {}),                          # five Wednesdays
    ("spread", {"visits_per_term": {"min": 1, "max": 1}, "spread": {"parts": 2, "hard": True}}, {}),
    ("one_trip_per_day", {"visits_per_term": {"min": 7}, "days_per_visit": {"days": 2}, "one_trip_per_day": {}}, {}),  # R1: 2 × 14 > 26
    ("calendar", {"visits_per_term": {"min": 7}, "days_per_visit": {"days": 2}}, {}),            # R1 at one school a day: 2 × 14 > 26
    ("term_edges", {**TWO, "term_edges": {"first_days": 13, "last_days": 13}}, {}),              # 26 working days, all at an edge
    ("joint_inspection", {"joint_inspection": {"schools": ["S1"]}, "researcher_unavailable": {}}, {"r1_unavailable": WHOLE_TERM}),  # R1 never there
]


@pytest.mark.parametrize("rule, rules, extra", FEASIBLE, ids=[c[0] for c in FEASIBLE])
def test_feasible_case_schedules_and_audits_clean(tmp_path, rule, rules, extra):
    problem, plan, visits = schedule(tmp_path, rules, **extra)
    assert visits.status == "OPTIMAL"
    assert visits.visits
    assert visits.findings == [], [str(f) for f in visits.findings]


@pytest.mark.parametrize("rule, rules, extra", INFEASIBLE, ids=[c[0] for c in INFEASIBLE])
def test_infeasible_case_names_the_rule(tmp_path, rule, rules, extra):
    problem, plan, visits = schedule(tmp_path, rules, **extra)
    assert visits.status == "INFEASIBLE"
    assert any(f"[{rule}]" in line for line in visits.conflicts), visits.conflicts


def test_blackout_conflict_names_school_and_dates(tmp_path):
    _, _, visits = schedule(tmp_path, {**TWO, "school_blackout": {}}, s1_blackout=WHOLE_TERM)
    text = "\n".join(visits.conflicts)
    assert "河口镇第一小学" in text and "2026-09-07~2026-10-16" in text


def test_days_per_visit_makes_runs_of_that_length(tmp_path):
    _, _, visits = schedule(tmp_path, {**TWO, "days_per_visit": {"days": 2}})
    assert {len(v.days) for v in visits.visits} == {2}


def test_one_trip_per_day_allows_two_close_schools(tmp_path):
    # 2 × 7 two-day visits do not fit into 26 days one school at a time, but do two schools a day
    _, _, visits = schedule(tmp_path, {"visits_per_term": {"min": 7}, "days_per_visit": {"days": 2}, "one_trip_per_day": {"within_minutes": 600}})
    assert visits.status == "OPTIMAL" and visits.findings == []


def test_without_a_rule_for_it_a_researcher_is_at_one_school_a_day(tmp_path):
    # 2 × 10 visits fit into 26 days only one school at a time; the host's own rule keeps them apart
    _, _, visits = schedule(tmp_path, {"visits_per_term": {"min": 10}})
    assert visits.status == "OPTIMAL" and visits.findings == [], [str(f) for f in visits.findings]
    r1_days = [d for v in visits.visits if v.researcher_id == "R1" for d in v.days]
    assert len(r1_days) == 20 and len(set(r1_days)) == 20


def test_two_close_schools_on_one_day_pass_the_host_audit_when_a_rule_allows_them(tmp_path):
    problem, plan = load_tiny(tmp_path, {"one_trip_per_day": {"within_minutes": 600}})
    findings = audit_visits(problem, plan, _hand(problem, plan, [V("R1", "S1", 1, "2026-09-08"), V("R1", "S2", 1, "2026-09-08")]))
    assert findings == [], [str(f) for f in findings]


def test_term_edges_keep_the_first_and_last_days_and_the_exam_week_free(tmp_path):
    _, _, visits = schedule(tmp_path, {**TWO, "term_edges": {"first_days": 3, "last_days": 4}}, terms=[{**TERM, "exam_weeks": [2]}])
    days = sorted(d for v in visits.visits for d in v.days)
    assert days and days[0] > dt.date(2026, 9, 9)                         # 09-07…09-09 are the first three working days
    assert not [d for d in days if dt.date(2026, 9, 14) <= d <= dt.date(2026, 9, 20)]  # teaching week 2, with 调休 Sunday 09-20
    assert days[-1] < dt.date(2026, 10, 13)                               # 10-13…10-16 are the last four working days
    assert visits.findings == [], [str(f) for f in visits.findings]


def test_an_exam_week_outside_the_term_is_refused_with_its_key(tmp_path, english):
    from assign.errors import AssignError

    with pytest.raises(AssignError, match=r"exam_weeks \[9\] outside its teaching weeks 1-6"):
        load_tiny(tmp_path, TWO, terms=[{**TERM, "exam_weeks": [9]}])


def test_a_joint_inspection_brings_the_team_together_once_and_only_then_passes_the_daily_cap(tmp_path):
    _, _, visits = schedule(tmp_path, {**TWO, "school_daily_cap": {"max": 1}, "joint_inspection": {"schools": ["S1"]}})
    assert [(j.school_id, j.researcher_ids) for j in visits.inspections] == [("S1", ("R1", "R2"))]
    at_s1: dict = {}
    for v in visits.visits:
        if v.school_id == "S1":
            for d in v.days:
                at_s1.setdefault(d, set()).add(v.researcher_id)
    assert [d for d, who in at_s1.items() if len(who) > 1] == [visits.inspections[0].day]
    assert visits.findings == [], [str(f) for f in visits.findings]


def test_a_recorded_joint_day_the_rule_does_not_plan_is_a_finding(tmp_path):
    from assign.calendar.visits import JointInspection

    problem, plan = load_tiny(tmp_path, {"joint_inspection": {"schools": ["S2"]}, "school_daily_cap": {"max": 1}})
    hand = _hand(problem, plan, [V("R1", "S1", 1, "2026-09-08"), V("R2", "S1", 1, "2026-09-08")])
    hand = hand.model_copy(update={"inspections": [JointInspection(school_id="S1", day=dt.date(2026, 9, 8), researcher_ids=("R1", "R2"))]})
    findings = audit_visits(problem, plan, hand)
    assert any(f.policy == "joint_inspection" and "S1" in f.schools for f in findings), [str(f) for f in findings]


def test_research_day_prefers_the_group_day(tmp_path):
    _, _, visits = schedule(tmp_path, {**TWO, "research_day": {}})
    r1_s1 = [v for v in visits.visits if (v.researcher_id, v.school_id) == ("R1", "S1")]
    assert all(v.first.weekday() == 2 for v in r1_s1)  # 数学 meets on Wednesdays


# --- audits judge schedules made by hand: they must not depend on the model ------------------

def _hand(problem, plan, visits: list[Visit]) -> VisitPlan:
    return VisitPlan(scenario=problem.name, term="2026秋", first=dt.date(2026, 9, 7), last=dt.date(2026, 10, 16),
                     status="FEASIBLE", visits=visits)


def V(rid, sid, number, *days):
    return Visit(researcher_id=rid, school_id=sid, number=number, days=tuple(dt.date.fromisoformat(d) for d in days))


BAD = [
    # (rule that must object, rules, fixture arguments, visits)
    ("calendar", {}, {}, [V("R1", "S1", 1, "2026-10-01")]),                          # National Day
    ("calendar", {}, {}, [V("R1", "S1", 1, "2026-09-19")]),                          # a plain Saturday
    ("school_blackout", {"school_blackout": {}}, {"s1_blackout": "2026-09-09"}, [V("R1", "S1", 1, "2026-09-09")]),
    ("researcher_unavailable", {"researcher_unavailable": {}}, {"r1_unavailable": "2026-09-09"}, [V("R1", "S2", 1, "2026-09-09")]),
    ("office_day", {"office_day": {"weekday": "周一"}}, {}, [V("R1", "S1", 1, "2026-09-07")]),
    ("min_gap_days", {"min_gap_days": {"days": 14}}, {}, [V("R1", "S1", 1, "2026-09-08"), V("R1", "S1", 2, "2026-09-15")]),
    ("visits_per_term", {"visits_per_term": {"min": 2}}, {}, [V("R1", "S1", 1, "2026-09-08")]),
    ("school_daily_cap", {"school_daily_cap": {"max": 1}}, {}, [V("R1", "S1", 1, "2026-09-08"), V("R2", "S1", 1, "2026-09-08")]),
    ("one_trip_per_day", {"one_trip_per_day": {}}, {}, [V("R1", "S1", 1, "2026-09-08"), V("R1", "S2", 1, "2026-09-08")]),
    ("days_per_visit", {"days_per_visit": {"days": 1}}, {}, [V("R1", "S1", 1, "2026-09-08", "2026-09-09")]),
    ("lessons_per_year", {"lessons_per_year": {"lessons": 6, "per_day": 3}}, {}, [V("R1", "S1", 1, "2026-09-08")]),  # room for 3 of 6
    ("calendar", {}, {}, [V("R1", "S1", 1, "2026-09-08"), V("R1", "S2", 1, "2026-09-08")]),  # two places a day, no rule allows it
    ("term_edges", {"term_edges": {}}, {}, [V("R1", "S1", 1, "2026-09-11")]),                   # the term's 5th working day
    ("term_edges", {"term_edges": {}}, {}, [V("R1", "S1", 1, "2026-10-12")]),                   # among its last 5
    ("term_edges", {"term_edges": {"first_days": 0, "last_days": 0}}, {"terms": [{**TERM, "exam_weeks": [3]}]},
     [V("R1", "S1", 1, "2026-09-22")]),                                                           # teaching week 3, an exam week
    ("joint_inspection", {"joint_inspection": {"schools": ["S1"]}}, {},
     [V("R1", "S1", 1, "2026-09-08"), V("R2", "S1", 1, "2026-09-09")]),                           # S1's team never there together
]


@pytest.mark.parametrize("rule, rules, extra, visits", BAD, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD)])
def test_audit_catches_a_hand_made_violation(tmp_path, rule, rules, extra, visits):
    problem, plan = load_tiny(tmp_path, rules, **extra)
    findings = audit_visits(problem, plan, _hand(problem, plan, visits))
    assert any(f.policy == rule and f.severity == "error" for f in findings), [str(f) for f in findings]


def test_unknown_visit_rule_lists_the_installed_ones(tmp_path):
    from assign.errors import PolicyError

    problem, plan = load_tiny(tmp_path, {"visits_per_trem": {}})
    with pytest.raises(PolicyError, match=r"calendar|unknown visit rule 'visits_per_trem'.*visits_per_term"):
        schedule_term(problem, plan, "2026秋", workers=1, seed=0)


def test_bad_rule_parameter_names_section_and_key(tmp_path):
    from assign.errors import PolicyError

    problem, plan = load_tiny(tmp_path, {"office_day": {"weekday": "周八"}})
    with pytest.raises(PolicyError, match=r"calendar\.visit_rules\.office_day.*weekday"):
        schedule_term(problem, plan, "2026秋", workers=1, seed=0)


def test_same_seed_same_schedule(tmp_path):
    rules = {**TWO, "research_day": {}, "spread": {}, "school_daily_cap": {"max": 1}}
    _, _, first = schedule(tmp_path, rules)
    _, _, second = schedule(tmp_path, rules)
    assert first.visits == second.visits


def test_visit_rule_without_audit_is_rejected(english):
    from importlib.metadata import EntryPoint

    from assign.errors import PolicyError
    from assign.registry import build_visit_registry

    ep = EntryPoint(name="broken", value="tests.test_visit_rules:Broken", group="assign.visit_rules")
    with pytest.raises(PolicyError, match="visit rule plugin 'broken'.*audit"):
        build_visit_registry([ep])


class Broken:
    name = "broken"
    from pydantic import BaseModel as Params
    apply = staticmethod(lambda ctx, params: None)
    audit = None


SPRING = {"name": "2027春", "start": "2027-03-01", "end": "2027-03-26"}


def test_the_school_year_audit_counts_days_on_site_across_both_terms(tmp_path):
    from assign.calendar.schedule import Schedule
    from assign.calendar.visit_solve import audit_school_years, load_terms, plan_pairs

    problem, plan = load_tiny(tmp_path, {"days_on_site_per_year": {"days": 4}}, terms=[TERM, SPRING], holidays="none")
    schedules = []
    for name, day in (("2026秋", "2026-09-08"), ("2027春", "2027-03-02")):
        term, year = load_terms(problem, name)
        visits = [V(r, s, 1, day) for r, s in plan_pairs(problem, plan) if s == "S1"]  # R1 and R2 at S1, one day a term
        schedules.append(Schedule(term, tuple(plan_pairs(problem, plan)), _hand(problem, plan, visits).model_copy(update={"term": name}), year))
    findings = audit_school_years(problem, schedules)
    assert sorted(f.researchers for f in findings) == [("R1",), ("R2",)]               # 2 days a year each, 4 asked
    assert sorted(f.message for f in findings) == [_("{researcher}: {n} days on site in {terms}, expected at least {target} a year").format(
        researcher=problem.researcher[rid].name, n=2, terms="2026秋、2027春", target=4) for rid in ("R1", "R2")]
    assert audit_school_years(problem, schedules[:1]) == []                              # half a year is not judged as a year
