"""The demo county schedules both terms of 2026-2027, every visit rule audits clean, and no visit
falls on a holiday, a weekend that is not an adjusted workday, a blackout or an unavailable day.

This test depends on the demo's data on purpose: the issue's "done when" is about the demo. The
day check below is written apart from the model and from `workdays.py`: chinese-calendar for
2026, the demo's own holiday file for 2027.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
import yaml

from assign.calendar.visit_solve import schedule_term
from assign.load import load_scenario
from assign.locale import _
from assign.solver.passes import solve

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"


@pytest.fixture(scope="module")
def demo():
    problem = load_scenario(DEMO)
    plan = solve(problem, workers=1, seed=0)
    assert plan.solved
    return problem, plan


def _expand(items) -> set[dt.date]:
    out = set()
    for item in items:
        text = str(item)
        first, _, last = text.partition("~")
        a = dt.date.fromisoformat(first.strip())
        b = dt.date.fromisoformat(last.strip()) if last else a
        out |= {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}
    return out


def _is_workday(day: dt.date, file: dict) -> bool:
    if day.year <= 2026:
        return chinese_calendar.is_workday(day)
    if day in _expand(file.get("workdays", [])):
        return True
    return day.weekday() < 5 and day not in _expand(file.get("holidays", []))


@pytest.mark.parametrize("term", ["2026秋", "2027春"])
def test_demo_term_schedules_and_audits_clean(demo, term):
    problem, plan = demo
    visits, _ = schedule_term(problem, plan, term, workers=1, seed=0)
    assert visits.status == "OPTIMAL"
    # No demo school group meets on the office day (周五), so every pair with a research day can be visited on it.
    assert visits.findings == [], [str(f) for f in visits.findings]
    assert visits.warnings == []  # the 2027 holiday file covers the year chinese-calendar does not know
    assert {(v.researcher_id, v.school_id) for v in visits.visits} == plan.pair_set()
    file = yaml.safe_load((DEMO.parent / "holidays-2027.yaml").read_text(encoding="utf-8"))
    # term_edges: both demo terms open and close with a full Monday-Friday week free of holidays
    assert all(v.first > visits.first + dt.timedelta(days=6) and v.last < visits.last - dt.timedelta(days=4) for v in visits.visits)
    for v in visits.visits:
        school, researcher = problem.school[v.school_id], problem.researcher[v.researcher_id]
        blackout = {d for r in school.blackout for d in r.days()}
        away = {d for r in researcher.unavailable for d in r.days()}
        for day in v.days:
            assert visits.first <= day <= visits.last
            assert _is_workday(day, file), f"{v} on a day off"
            assert day not in blackout and day not in away, f"{v} on a blackout or unavailable day"


def test_one_second_limit_still_gives_the_autumn_term_a_schedule_that_audits_clean(demo):
    # Every group gets its first schedule before any is improved, and a start is kept when the
    # improvement returns nothing better: the time limit decides how good, not whether, a schedule is.
    problem, plan = demo
    # The limit bounds the improvement: at 1 s the preferences (research days) may go unmet, a warning
    # of the audit, and a group whose constructed schedule got no time to improve has no bound (the gap
    # then reads "—", never a figure nobody measured); no rule is broken.
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0, time_limit=1)
    assert visits.status in ("OPTIMAL", "FEASIBLE")
    assert visits.gap is None or visits.gap >= 0
    assert visits.gap is not None or visits.status == "FEASIBLE" and visits.warnings
    assert visits.first_seconds is not None
    assert {(v.researcher_id, v.school_id) for v in visits.visits} == plan.pair_set()
    assert [f for f in visits.findings if f.severity == "error"] == [], [str(f) for f in visits.findings]


def test_a_group_whose_improvement_returns_unknown_keeps_its_first_schedule_and_warns(demo, monkeypatch):
    # Every improving solve stops after presolve, so CP-SAT returns UNKNOWN for each, deterministically;
    # the first schedules (the construction) are solved as usual.
    from assign.calendar import visit_solve

    defaults = visit_solve.calendar_parameters
    monkeypatch.setattr(visit_solve, "calendar_parameters", lambda workers: {**defaults(workers), "stop_after_presolve": True})
    monkeypatch.setattr(visit_solve, "FIRST_SCHEDULE_PARAMETERS", {**visit_solve.FIRST_SCHEDULE_PARAMETERS, "stop_after_presolve": False})
    problem, plan = demo
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.status == "FEASIBLE"  # not the whole term thrown away
    assert {(v.researcher_id, v.school_id) for v in visits.visits} == plan.pair_set()
    assert [f for f in visits.findings if f.severity == "error"] == [], [str(f) for f in visits.findings]  # unimproved, yet every rule kept
    warned = [w for w in visits.warnings if any(r.name in w for r in problem.researchers)]
    assert warned and len(warned) == len(visits.warnings) <= visits.components


# The two regimes' targets of issue 15 (what-ifs of the demo that add the activity rules): 教研室联系学校制度
# (100 lessons a year) and the Shandong notice (two weeks on site, 2 research activities a term, a lecture a year).
TARGET_SETS = sorted((DEMO.parents[1] / "whatif").glob("targets-*.yaml"))


@pytest.mark.parametrize("whatif", TARGET_SETS, ids=[p.stem for p in TARGET_SETS])
def test_the_demo_autumn_term_plans_visits_whose_purposes_meet_every_target(demo, whatif):
    import math

    from assign.calendar.visit_solve import load_terms, parse_rules, plan_pairs

    problem, (_, plan) = load_scenario(whatif), demo
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0, time_limit=1)
    assert visits.status in ("OPTIMAL", "FEASIBLE")
    # Every rule's audit, each on its own: no error; a warning only from the rules that are objectives
    # (visits on research days, spread), which a 1 s limit on a loaded machine may leave unimproved.
    assert [f for f in visits.findings if f.severity == "error"] == [], [str(f) for f in visits.findings]
    assert {f.policy for f in visits.findings} <= {"research_day", "spread"}, [str(f) for f in visits.findings]
    # Counted here once more off the visits, against each rule's targets: a yearly target's autumn part is
    # at least its share of the year's working days (autumn is the school year's first term).
    term, year = load_terms(problem, "2026秋")
    share = len(term.days) / sum(len(t.days) for t in year)
    targets = [t for use in parse_rules(problem) for t in use.policy.targets(problem, plan_pairs(problem, plan), use.params)]
    measures = {t.measure for t in targets}
    assert {"lessons"} <= measures or {"research_activities", "lectures"} <= measures
    for t in targets:
        mine = [v for v in visits.visits if v.researcher_id == t.researcher_id and t.school_id in (None, v.school_id)]
        got = {"lessons": sum(v.lessons for v in mine), "lectures": sum("专题讲座" in v.activities for v in mine),
               "research_activities": sum("校本教研" in v.activities for v in mine),
               "demo_lessons": sum("研究课/示范课" in v.activities for v in mine),
               "days_on_site": len({d for v in mine for d in v.days}), "visits": len(mine)}.get(t.measure)
        if got is None:  # not a number the calendar plans (backbone teachers met, survey articles)
            continue
        due = t.amount if t.per == "term" else math.ceil(t.amount * share - 1e-9)
        assert got >= due, (t, got)


WHATIFS = sorted((DEMO.parents[1] / "whatif").glob("*.yaml"))


@pytest.fixture(scope="module")
def demo_plan_file(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-plan") / "plan.json"
    path.write_text(demo[1].model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("whatif", WHATIFS, ids=[p.stem for p in WHATIFS])
def test_calendar_runs_on_every_shipped_whatif(demo_plan_file, whatif):
    # A what-if inherits the demo's holiday file: it must be found from the demo's folder, not the what-if's.
    from click.testing import CliRunner

    from assign.cli import main

    result = CliRunner().invoke(main, ["calendar", str(whatif), "--term", "2027春", "--plan", str(demo_plan_file),
                                       "--no-write", "-q", "--time-limit", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2027春" in result.output and ("OPTIMAL" in result.output or "FEASIBLE" in result.output)


@pytest.mark.parametrize("term", ["2026秋", "2027春"])
def test_each_central_school_gets_one_joint_inspection_day_with_its_team_read_back_from_visits_csv(demo, term, tmp_path):
    import csv

    from assign.export.term_files import write_term_files

    problem, plan = demo
    visits, _ = schedule_term(problem, plan, term, workers=1, seed=0)
    write_term_files(problem, visits, tmp_path, "t")
    rows = list(csv.DictReader((tmp_path / "visits.csv").read_text(encoding="utf-8-sig").splitlines()))
    joint: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        if row["联合视导"]:
            joint.setdefault(row["学校代码"], {}).setdefault(row["日期"], set()).add(row["工号"])
    teams = {s.id: {r for r, sid in plan.pair_set() if sid == s.id} for s in problem.schools if s.central}
    teams = {sid: team for sid, team in teams.items() if team}  # a central school nobody holds has no team to send
    assert teams and set(joint) == set(teams)
    for sid, team in teams.items():
        assert list(joint[sid].values()) == [team], (sid, joint[sid], team)
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "visits.xlsx")["联合视导"]
    listed = {row[5]: set(row[6].split("、")) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert listed == teams


def test_calendar_term_all_schedules_every_term_and_audits_the_school_year(demo_plan_file, tmp_path):
    from click.testing import CliRunner

    from assign.cli import main

    result = CliRunner().invoke(main, ["calendar", str(DEMO), "--term", "all", "--plan", str(demo_plan_file), "-q", "-o", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert _("school-year audit ({terms} terms): ").format(terms=2) + _("no findings") in result.output
    assert {p.name for p in tmp_path.iterdir()} == {"calendar-2026秋", "calendar-2027春"}
    assert all((tmp_path / f"calendar-{t}" / "visits.csv").is_file() for t in ("2026秋", "2027春"))
