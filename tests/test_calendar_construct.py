"""The construction of a term's first schedule (`assign.calendar.construct`): what it lays out passes
every rule's own audit, it is the hint CP-SAT improves from, and a construction an audit rejects is
dropped for CP-SAT's first solution, the term still scheduled and audited clean."""

from __future__ import annotations

import datetime as dt

import pytest
from calendar_fixtures import load_tiny

from assign.calendar import visit_solve
from assign.calendar.construct import Construction
from assign.calendar.schedule import Schedule
from assign.calendar.terms import load_terms, parse_rules, plan_pairs
from assign.calendar.visit_audit import audit_schedule
from assign.calendar.visits import VisitPlan

# Every rule whose needs the construction reads (targets, closed days, team days), and the conservative ones it keeps without asking.
KNOWN = {
    "visits_per_term": {"min": 2},
    "min_gap_days": {"days": 7},
    "office_day": {"weekday": "周三"},
    "school_daily_cap": {"max": 1},
    "joint_inspection": {"schools": ["S1"]},
    "researcher_unavailable": {},
    "school_blackout": {},
    "days_per_week": {"at_most": 2},
    "spread": {"parts": 2},
    "days_on_site_per_year": {"days": 3},  # R1 two visits to each school, R2 three to S1
}


def made(problem, plan):
    """The construction of each group, as schedule_term makes it, with the group's pairs and the term."""
    term, year_terms = load_terms(problem, "2026秋")
    rules = parse_rules(problem)
    groups = visit_solve.components(plan_pairs(problem, plan))
    year_workdays = sum(len(t.days) for t in year_terms)
    return visit_solve.constructed(problem, term, groups, rules, year_terms, year_workdays), groups, term, year_terms, rules


def test_the_construction_of_a_tiny_term_passes_every_rules_audit(tmp_path):
    problem, plan = load_tiny(tmp_path, KNOWN, r1_unavailable="2026-09-07~2026-09-11", s1_blackout="2026-09-14~2026-09-18")
    constructions, groups, term, year_terms, rules = made(problem, plan)
    assert len(groups) == 1 and isinstance(constructions[0], Construction)  # R1 and R2 share S1: one group, laid out
    c = constructions[0]
    draft = VisitPlan(scenario=problem.name, term=term.name, first=term.first, last=term.last, status="FEASIBLE",
                      visits=c.visits, inspections=c.inspections)
    findings = audit_schedule(problem, Schedule(term, tuple(groups[0]), draft, year_terms), rules)
    assert [f for f in findings if f.severity == "error"] == [], [str(f) for f in findings]
    # Counted here once more off the visits: two visits a pair at least, none on a Wednesday, the team of S1 there together once.
    for pair in groups[0]:
        days = sorted(d for v in c.visits if (v.researcher_id, v.school_id) == pair for d in v.days)
        assert len(days) >= 2 and all(d.weekday() != 2 for d in days), (pair, days)
        assert all((b - a).days >= 7 for a, b in zip(days, days[1:])), (pair, days)
    assert [(j.school_id, j.researcher_ids) for j in c.inspections] == [("S1", ("R1", "R2"))]
    assert all(dt.date(2026, 9, 7) > d or d > dt.date(2026, 9, 11) for v in c.visits if v.researcher_id == "R1" for d in v.days)


def test_the_solve_starts_from_the_construction_as_its_hint(tmp_path, monkeypatch):
    problem, plan = load_tiny(tmp_path, KNOWN)
    hinted = []
    real = visit_solve.hint_construction

    def spy(ctx, construction):
        real(ctx, construction)
        hint = ctx.model.proto.solution_hint
        values = dict(zip(hint.vars, hint.values))
        days = construction.days_of()
        hinted.append(all(values[var.index] == int(day in days.get(pair, ())) for pair, on in ctx.on.items()
                          for var, day in zip(on, ctx.term.days)))

    monkeypatch.setattr(visit_solve, "hint_construction", spy)
    visits, _ = visit_solve.schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert hinted == [True]  # the one group, hinted day by day with the constructed visits
    assert visits.status == "OPTIMAL" and visits.findings == [], [str(f) for f in visits.findings]
    assert visits.first_seconds is not None and visits.improve_seconds is not None


@pytest.mark.parametrize("rules", [
    {"visits_per_term": {"min": 2}, "days_per_visit": {"days": 2}},              # the construction makes one-day visits
    {"visits_per_term": {"min": 2}, "min_gap_days": {"days": 30}},               # wider than its spacing of two visits in 26 days
    {"lessons_per_year": {"lessons": 30, "lessons_per_day": 3}},                 # lessons it does not plan
], ids=["two-day visits", "30-day gap", "lessons"])
def test_a_construction_an_audit_rejects_is_dropped_and_cp_sat_starts_the_group(tmp_path, rules):
    problem, plan = load_tiny(tmp_path, rules)
    constructions, *_ = made(problem, plan)
    assert constructions == [None]
    visits, _ = visit_solve.schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.status == "OPTIMAL"
    assert [f for f in visits.findings if f.severity == "error"] == [], [str(f) for f in visits.findings]
