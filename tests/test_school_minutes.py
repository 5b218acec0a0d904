"""School-to-school minutes (`Problem.school_minutes`): the matrix's method between two schools —
along the roads (one-way roads, off-road legs at both ends) or the great-circle fallback — and the
one_trip_per_day visit rule judging two schools by them.

The hand-made network: O–A 10 two-way; A→B 5 one-way; B–O 30 two-way; C–O 20 two-way.
S1 sits on A, S2 on B; S3 and S4 have coordinates only, 0.01° (1.112 km) north of C and south of B.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
import yaml
from calendar_fixtures import TERM, tiny_plan

from assign import locale
from assign.calendar.visit_solve import audit_visits, schedule_term
from assign.calendar.visits import Visit, VisitPlan
from assign.load import load_scenario
from assign.travel.matrix import great_circle_km, great_circle_minutes

SCHOOLS = ("id,name,stages,area,node,lon,lat\n"
           "S1,甲小学,小学,城区,A,,\n"
           "S2,乙小学,小学,乡村,B,,\n"
           "S3,丙小学,小学,乡村,,112.0,34.01\n"
           "S4,丁小学,小学,乡村,,112.3,33.99\n")
ROADS = "from,to,minutes,oneway\nO,A,10,\nA,B,5,是\nB,O,30,\nC,O,20,\n"
NODES = "id,lon,lat\nO,112.1,34.0\nA,112.2,34.0\nB,112.3,34.0\nC,112.0,34.0\n"
LEG = great_circle_km(112.0, 34.0, 112.0, 34.01) / 15 * 60  # 1.112 km off-road at 15 km/h ≈ 4.448 min


def write(tmp_path: Path, *, schools: str = SCHOOLS, roads: str | None = ROADS, nodes: str | None = NODES,
          researchers: str = "id,name,subject,stages\nR1,张三,数学,小学\nR2,李四,语文,小学\n",
          office: dict | None = None, travel: dict | None = None, visit_rules: dict | None = None) -> Path:
    (tmp_path / "researchers.csv").write_text(researchers, encoding="utf-8")
    (tmp_path / "schools.csv").write_text(schools, encoding="utf-8")
    data = {"researchers": "researchers.csv", "schools": "schools.csv"}
    for name, text in (("roads", roads), ("nodes", nodes)):
        if text is not None:
            (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
            data[name] = f"{name}.csv"
    scenario = {
        "name": "between",
        "office": office or {"node": "O"},
        "data": data,
        "travel": travel or {"detour_factor": 1.0, "off_road_kmh": 15},
        "policies": {},
        "calendar": {"terms": [TERM], "holidays": "china", "visit_rules": visit_rules or {}, "time_limit": 10},
        "solver": {"workers": 1, "seed": 0},
    }
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


def test_school_minutes_follow_one_way_roads(tmp_path):
    problem = load_scenario(write(tmp_path))
    assert problem.school_minutes("S1", "S2") == 5.0   # A→B on the one-way road
    assert problem.school_minutes("S2", "S1") == 40.0  # B→O→A: the one-way road cannot be used backwards
    assert problem.school_minutes("S1", "S1") == 0.0


def test_school_minutes_add_the_off_road_leg_at_both_ends(tmp_path):
    problem = load_scenario(write(tmp_path))
    assert problem.school_minutes("S3", "S4") == round(LEG + 20 + 10 + 5 + LEG, 1) == 43.9  # C→O→A→B
    assert problem.school_minutes("S4", "S3") == round(LEG + 30 + 20 + LEG, 1) == 58.9  # B→O→C
    assert problem.school_minutes("S3", "S1") == round(LEG + 30, 1) == 34.4  # one leg only: S1 sits on A


def test_school_minutes_agree_with_the_matrix_from_a_base_at_that_school(tmp_path):
    researchers = "id,name,subject,stages,base\nR1,甲,语文,小学,S3\nR2,乙,语文,小学,S2\n"
    problem = load_scenario(write(tmp_path, researchers=researchers))
    for sid in ("S1", "S2", "S3", "S4"):
        assert problem.school_minutes("S3", sid) == problem.minutes("R1", sid)
        assert problem.school_minutes("S2", sid) == problem.minutes("R2", sid)


def test_school_minutes_are_inf_where_no_road_leads(tmp_path):
    # D is reached from A only, one-way: nothing comes back from S5.
    schools = SCHOOLS + "S5,戊小学,小学,乡村,D,,\n"
    problem = load_scenario(write(tmp_path, schools=schools, roads=ROADS + "A,D,5,是\n"))
    assert problem.school_minutes("S1", "S5") == 5.0
    assert problem.school_minutes("S5", "S1") == math.inf


def test_without_roads_school_minutes_are_the_great_circle_estimate(tmp_path):
    schools = "id,name,stages,area,lon,lat\nS1,甲小学,小学,城区,112.1,34.0\nS2,乙小学,小学,乡村,112.25,34.07\n"
    path = write(tmp_path, schools=schools, roads=None, nodes=None, office={"lon": 112.0, "lat": 34.0},
                 travel={"detour_factor": 1.3, "speed_kmh": 35})
    problem = load_scenario(path)
    assert problem.travel.method == "great-circle"
    expected = round(great_circle_minutes((112.1, 34.0), (112.25, 34.07), 1.3, 35), 1)
    assert problem.school_minutes("S1", "S2") == problem.school_minutes("S2", "S1") == expected


def test_school_minutes_survive_a_copy_a_pickle_and_a_sub_problem(tmp_path):
    from assign.solver.decompose import sub_problem

    problem = load_scenario(write(tmp_path))
    assert problem.school_minutes("S2", "S1") == 40.0  # grows B's tree before the copies
    copied = problem.model_copy(update={"previous_pairs": (("R1", "S1"),)})
    sent = pickle.loads(pickle.dumps(problem))
    part = sub_problem(problem, ["R1"], ["S1", "S2"])
    for other in (copied, sent, part):
        assert other.school_minutes("S2", "S1") == 40.0
    assert sent == problem  # the trees grown so far are not part of a problem's identity
    assert "_between" not in problem.travel.model_dump()


# --- one_trip_per_day along the roads -----------------------------------------------------------
# S1 and S2 stand 0.005° apart (≈ 0.46 km; about a minute by the great-circle estimate) on the two
# banks of a river; the bridge is far: A–O 5, O–C 20, C–B 20, so S1 → S2 takes 45 minutes.

RIVER_SCHOOLS = ("id,name,stages,area,node,lon,lat\n"
                 "S1,河口镇第一小学,小学,镇区,A,112.500,34.50\n"
                 "S2,河口镇对岸小学,小学,乡村,B,112.505,34.50\n")
RIVER_ROADS = "from,to,minutes\nA,O,5\nO,C,20\nC,B,20\n"


def river(tmp_path, rules):
    problem = load_scenario(write(tmp_path, schools=RIVER_SCHOOLS, roads=RIVER_ROADS, nodes=None, visit_rules=rules))
    return problem, tiny_plan(problem)  # R1–S1, R1–S2, R2–S1


def shared_days(visits) -> set:
    days = {}
    for v in visits.visits:
        if v.researcher_id == "R1":
            for d in v.days:
                days.setdefault(d, set()).add(v.school_id)
    return {d for d, sids in days.items() if len(sids) == 2}


def test_river_schools_are_close_as_the_crow_flies_but_far_by_road(tmp_path):
    problem, _ = river(tmp_path, {})
    assert problem.school_minutes("S1", "S2") == problem.school_minutes("S2", "S1") == 45.0
    t = problem.scenario.travel
    assert great_circle_minutes((112.500, 34.50), (112.505, 34.50), t.detour_factor, t.speed_kmh) < 2


def test_one_trip_per_day_keeps_schools_far_by_road_on_separate_days(tmp_path):
    problem, plan = river(tmp_path, {"visits_per_term": {"min": 10}, "one_trip_per_day": {"within_minutes": 20}})
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.status == "OPTIMAL"
    assert visits.findings == [], [str(f) for f in visits.findings]
    assert shared_days(visits) == set()


@pytest.mark.parametrize("within, status", [(60, "OPTIMAL"), (20, "INFEASIBLE")])
def test_one_trip_per_day_shares_a_day_only_within_the_road_time(tmp_path, within, status):
    # 2 schools × 7 two-day visits do not fit into 26 working days one school a day: R1 must share
    # days, which a 45-minute road allows under 60 minutes and forbids under 20 (the crow's minute would allow it).
    rules = {"visits_per_term": {"min": 7}, "days_per_visit": {"days": 2}, "one_trip_per_day": {"within_minutes": within}}
    problem, plan = river(tmp_path, rules)
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    assert visits.status == status
    if status == "OPTIMAL":
        assert visits.findings == [], [str(f) for f in visits.findings]
        assert shared_days(visits)
    else:
        assert any("[one_trip_per_day]" in line for line in visits.conflicts), visits.conflicts


def test_one_trip_per_day_audit_judges_a_shared_day_by_the_road_time(tmp_path):
    import datetime as dt

    day = dt.date(2026, 9, 8)
    hand = [Visit(researcher_id="R1", school_id=sid, number=1, days=(day,)) for sid in ("S1", "S2")]
    for within, objects in ((20, True), (45, False)):
        problem, plan = river(tmp_path, {"one_trip_per_day": {"within_minutes": within}})
        schedule = VisitPlan(scenario=problem.name, term="2026秋", first=dt.date(2026, 9, 7), last=dt.date(2026, 10, 16),
                             status="FEASIBLE", visits=hand)
        findings = [f for f in audit_visits(problem, plan, schedule) if f.policy == "one_trip_per_day"]
        assert bool(findings) == objects, [str(f) for f in findings]
        if objects:
            names = "、".join(problem.school[sid].name for sid in findings[0].schools)
            said = locale._("{researcher} is at {n} schools on {day}: {schools} ({minutes} min apart, more than {within})")
            assert findings[0].message == said.format(researcher=problem.researcher["R1"].name, n=2, day=day, schools=names, minutes=45, within=20)
