"""Every regime preset in scenarios/presets/ solves on the demo county's tables, with the exceptions
its file states granted and named.

These tests do depend on the demo county's data: the presets exist to run on it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import audit_errors, uncovered_warnings

from assign.analysis.explain import conflict_groups
from assign.calendar.visit_solve import schedule_term
from assign.export.roster import roster_rows
from assign.load import load_scenario
from assign.solver.passes import solve

PRESETS = Path(__file__).resolve().parent.parent / "scenarios" / "presets"
SENIOR = {f"R0{n}" for n in range(25, 34)}  # the nine 高中 researchers of the demo county
# The priority schools of 云岭乡 beyond every researcher's 90 minutes when travel is a straight line.
BEYOND_REACH = {"S124", "S125"}


@pytest.mark.parametrize("path", sorted(PRESETS.glob("*.yaml")), ids=lambda p: p.stem)
def test_preset_solves_on_demo_county_with_an_audited_plan(path):
    problem = load_scenario(path)
    assert problem.scenario.on_infeasible == "relax"  # every preset gives the office a table
    # A preset must give an audited plan; proving optimality of the harder ones is the benchmark's job.
    plan = solve(problem, workers=1, seed=0, time_limit=8)
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert audit_errors(plan) == []
    if path.stem != "shandong-county-notice":
        assert plan.exceptions == []
    if problem.scenario.data.roads is None:
        assert BEYOND_REACH <= set(uncovered_warnings(plan))
        assert "超出所有教研员的单程时间上限（90分钟" in uncovered_warnings(plan)["S124"]


@pytest.fixture(scope="module")
def shandong():
    problem = load_scenario(PRESETS / "shandong-county-notice.yaml")
    return problem, solve(problem, workers=1, seed=0)


def test_shandong_preset_grants_eight_one_school_exceptions_in_the_three_places_its_comment_names(shandong):
    problem, plan = shandong
    assert plan.status == "OPTIMAL"
    assert Counter(e.key for e in plan.exceptions) == {"school_count.min": 8}
    people = {r for e in plan.exceptions for r in e.researchers}
    assert "R046" in people and len(people & {"R044", "R045"}) == 1 and len(people & SENIOR) == 6
    assert plan.kpis["exceptions"] == 8 and plan.kpis["exceptions.school_count.min"] == 8
    granted = [f for f in plan.findings if f.severity == "granted"]
    assert sorted(r for f in granted for r in f.researchers) == sorted(people)
    held = plan.schools_of()
    assert all(len(held[r]) == 1 for r in people)  # one school instead of two, never none


def test_shandong_exceptions_say_why_in_the_roster(shandong):
    problem, plan = shandong
    notes = {row.researcher_id: row.cells[-1] for row in roster_rows(problem, plan) if "例外" in str(row.cells[-1])}
    assert set(notes) == {r for e in plan.exceptions for r in e.researchers}
    assert notes["R046"].startswith("例外：可联系的特教学校仅1所，联系1所")
    senior = next(r for r in notes if r in SENIOR)
    assert "可联系的乡村学校仅1所（示范县云岭中学，至多3人），9人需要" in notes[senior]


def test_shandong_explained_lists_all_three_groups_of_conflicts_in_one_run(tmp_path):
    whatif = tmp_path / "explain.yaml"
    whatif.write_text(yaml.safe_dump({"extends": str(PRESETS / "shandong-county-notice.yaml"), "on_infeasible": "explain"}), encoding="utf-8")
    problem = load_scenario(whatif)
    assert solve(problem, workers=1, seed=0).status == "INFEASIBLE"
    groups = conflict_groups(problem)
    people = [{x for c in g.requirements for x in c.about if x in problem.researcher} for g in groups]
    assert len(groups) == 3
    assert {"R046"} in people
    assert any({"R044", "R045"} == p for p in people)
    assert any(SENIOR <= p for p in people)
    senior = next(g for g, p in zip(groups, people) if SENIOR <= p)
    assert any(c.about == ("S118",) and not c.bends for c in senior.requirements)  # the school's cap may not bend
    assert sum(len(g.fewest) for g in groups) == 8 and all(g.severity is not None for g in groups)


def test_the_100_days_preset_schedules_both_terms_to_100_days_a_year_and_audits_clean():
    problem = load_scenario(PRESETS / "office-system-100-days.yaml")
    rules = set(problem.scenario.calendar.visit_rules)
    assert {"days_on_site_per_year", "days_per_week", "lessons_per_year"} <= rules
    plan = solve(problem, workers=1, seed=0)
    assert plan.solved and audit_errors(plan) == []
    days: Counter = Counter()
    for term in ("2026秋", "2027春"):
        visits, _ = schedule_term(problem, plan, term, workers=1, seed=0)
        assert visits.status in ("OPTIMAL", "FEASIBLE") and visits.findings == [], [str(f) for f in visits.findings]
        for v in visits.visits:
            days.update((v.researcher_id, d) for d in v.days)
    on_site = Counter(rid for rid, _ in days)  # a day at two schools counts once
    for r in problem.researchers:
        if r.id in plan.schools_of():
            assert on_site[r.id] >= (100 if r.kind != "兼职" else 50), r.id
