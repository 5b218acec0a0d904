"""What each visit is for: the activity rules plan it in the term model and write it onto each visit
(activities, lessons); each rule's audit judges it off the visits alone, hand-made schedules included;
a yearly count is split over the school year's terms and adds up; every output says what a visit is for.

Fixture term (calendar_fixtures): 2026-09-07 … 2026-10-16, 26 working days. S1's 数学 group meets every
Wednesday, its 语文 group on Thursdays of even teaching weeks (09-17 and 10-15: 10-01 is National Day);
S2 names no group day.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from calendar_fixtures import TERM, load_tiny

from assign.calendar.rule import Target
from assign.calendar.schedule import Schedule
from assign.calendar.visit_solve import audit_school_years, audit_visits, load_terms, parse_rules, plan_pairs, schedule_term
from assign.calendar.visits import Visit, VisitPlan
from assign.export.activities import legend, purpose
from assign.locale import _

LESSONS = {"lessons": 30, "lessons_per_day": 3}
RULES = {"visits_per_term": {"min": 2}, "lessons_per_year": LESSONS, "lectures_per_year": {},
         "research_activities_per_term": {"count": 2}, "demo_lessons_per_term": {"count": 1, "per": "term"}}


def schedule(tmp_path, rules, term="2026秋", **kwargs):
    problem, plan = load_tiny(tmp_path, rules, **kwargs)
    visits, _schedule = schedule_term(problem, plan, term, workers=1, seed=0)
    return problem, plan, visits


def holding(visits, rid, word):
    return [v for v in visits if v.researcher_id == rid and word in v.activities]


def test_one_term_plans_each_researchers_counts_and_every_visit_says_what_it_is_for(tmp_path):
    _, _, visits = schedule(tmp_path, RULES)
    assert visits.status == "OPTIMAL"
    assert visits.findings == [], [str(f) for f in visits.findings]
    for rid in ("R1", "R2"):
        assert len(holding(visits.visits, rid, "专题讲座")) == 1          # a yearly 1, and the term is the whole school year
        assert len(holding(visits.visits, rid, "校本教研")) == 2
        assert len(holding(visits.visits, rid, "研究课/示范课")) == 1
        assert sum(v.lessons for v in visits.visits if v.researcher_id == rid) == 30
    for v in visits.visits:
        assert v.lessons <= 3 * len(v.days)
        assert ("听课" in v.activities) == (v.lessons > 0)
    # R2's 语文 group at S1 meets on Thursdays of even teaching weeks: the research activities fall there
    assert {d for v in holding(visits.visits, "R2", "校本教研") for d in v.days} & {dt.date(2026, 9, 17), dt.date(2026, 10, 15)}
    assert all(any(d.weekday() == 3 for d in v.days) for v in holding(visits.visits, "R2", "校本教研"))


def test_without_activity_rules_visits_name_no_activity_and_observe_no_lessons(tmp_path):
    _, _, visits = schedule(tmp_path, {"visits_per_term": {"min": 2}})
    assert visits.visits and all(v.activities == () and v.lessons == 0 for v in visits.visits)


SPRING = {"name": "2027春", "start": "2027-03-01", "end": "2027-03-26"}


def test_a_yearly_count_falls_into_the_terms_of_the_school_year_and_adds_up(tmp_path):
    # No holidays: 30 working days in autumn, 20 in spring. 30 lessons: 18 in autumn (3/5 of 30), 12 in spring;
    # one lecture a year: in autumn (due by its end, rounded up), none in spring.
    rules = {"visits_per_term": {"min": 1}, "lessons_per_year": LESSONS, "lectures_per_year": {}}
    problem, plan = load_tiny(tmp_path, rules, terms=[TERM, SPRING], holidays="none")
    results = {name: schedule_term(problem, plan, name, workers=1, seed=0) for name in ("2026秋", "2027春")}
    for visits, _schedule in results.values():
        assert visits.status == "OPTIMAL" and visits.findings == [], [str(f) for f in visits.findings]
    lessons = {name: {rid: sum(v.lessons for v in visits.visits if v.researcher_id == rid) for rid in ("R1", "R2")}
               for name, (visits, _s) in results.items()}
    assert lessons == {"2026秋": {"R1": 18, "R2": 18}, "2027春": {"R1": 12, "R2": 12}}
    lectures = {name: len([v for v in visits.visits if "专题讲座" in v.activities]) for name, (visits, _s) in results.items()}
    assert lectures == {"2026秋": 2, "2027春": 0}
    assert audit_school_years(problem, [s for _v, s in results.values()]) == []


def test_the_school_year_audit_finds_a_lecture_and_lessons_short_across_both_terms(tmp_path):
    problem, plan = load_tiny(tmp_path, {"lessons_per_year": LESSONS, "lectures_per_year": {}}, terms=[TERM, SPRING], holidays="none")
    pairs = tuple(plan_pairs(problem, plan))
    schedules = []
    for name, day in (("2026秋", "2026-09-08"), ("2027春", "2027-03-02")):
        term, year = load_terms(problem, name)
        visits = [V(r, s, 1, day, activities=("听课",), lessons=3) for r, s in pairs if s == "S1"]  # 3 lessons a term, no lecture
        schedules.append(Schedule(term, pairs, hand(problem, visits, name), year))
    findings = audit_school_years(problem, schedules)
    assert sorted((f.policy, f.researchers) for f in findings) == [("lectures_per_year", ("R1",)), ("lectures_per_year", ("R2",)),
                                                                   ("lessons_per_year", ("R1",)), ("lessons_per_year", ("R2",))]


# --- audits judge schedules made by hand: they read the visits' activities and lessons, never the model ---

def hand(problem, visits: list[Visit], term: str = "2026秋") -> VisitPlan:
    return VisitPlan(scenario=problem.name, term=term, first=dt.date(2026, 9, 7), last=dt.date(2026, 10, 16), status="FEASIBLE", visits=visits)


def V(rid, sid, number, *days, activities=(), lessons=0):
    return Visit(researcher_id=rid, school_id=sid, number=number, days=tuple(dt.date.fromisoformat(d) for d in days),
                 activities=activities, lessons=lessons)


LECTURE, RESEARCH, DEMO, LESSON = ("专题讲座",), ("校本教研",), ("研究课/示范课",), ("听课",)
BAD = [
    # (rule that must object, rules, visits, the researcher and days of its finding); R2's visit is fine where R1's is the case
    ("lectures_per_year", {"lectures_per_year": {}},
     [V("R1", "S1", 1, "2026-09-08"), V("R2", "S1", 1, "2026-09-09", activities=LECTURE)], "R1", ()),            # R1 gives none
    ("demo_lessons_per_term", {"demo_lessons_per_term": {"count": 1, "per": "term"}},
     [V("R1", "S2", 1, "2026-09-08", activities=LECTURE), V("R2", "S1", 1, "2026-09-09", activities=DEMO)], "R1", ()),  # a lecture is no demo lesson
    ("research_activities_per_term", {"research_activities_per_term": {"count": 2}},
     [V("R1", "S2", 1, "2026-09-08", activities=RESEARCH), V("R2", "S1", 1, "2026-09-17", activities=RESEARCH),
      V("R2", "S1", 2, "2026-10-15", activities=RESEARCH), V("R1", "S2", 2, "2026-09-22")], "R1", ()),            # R1: one of two
    ("research_activities_per_term", {"research_activities_per_term": {"count": 1}},
     [V("R1", "S2", 1, "2026-09-08", activities=RESEARCH), V("R2", "S1", 1, "2026-09-15", activities=RESEARCH)],
     "R2", ("2026-09-15",)),                                                      # a Tuesday: S1's 语文 group meets on even-week Thursdays
    ("research_activities_per_term", {"research_activities_per_term": {"count": 1}},
     [V("R1", "S2", 1, "2026-09-08", activities=RESEARCH), V("R2", "S1", 1, "2026-09-24", activities=RESEARCH)],
     "R2", ("2026-09-24",)),                                                      # a Thursday of odd week 3
    ("lessons_per_year", {"lessons_per_year": {"lessons": 6, "lessons_per_day": 3}},
     [V("R1", "S1", 1, "2026-09-08", activities=LESSON, lessons=3), V("R2", "S1", 1, "2026-09-09", "2026-09-10", activities=LESSON, lessons=6)],
     "R1", ()),                                                                   # R1: 3 of 6
    ("lessons_per_year", {"lessons_per_year": {"lessons": 4, "lessons_per_day": 3}},
     [V("R1", "S1", 1, "2026-09-08", activities=LESSON, lessons=4), V("R2", "S1", 1, "2026-09-09", "2026-09-10", activities=LESSON, lessons=4)],
     "R1", ("2026-09-08",)),                                                      # R1: 4 lessons in one day, 3 at most
    ("calendar", {}, [V("R1", "S1", 1, "2026-09-08", lessons=2)], "R1", ("2026-09-08",)),                           # lessons without 听课
    ("calendar", {}, [V("R1", "S1", 1, "2026-09-08", activities=("喝茶",))], "R1", ("2026-09-08",)),                  # not an activity word
    ("calendar", {}, [V("R1", "S1", 1, "2026-09-08", activities=("调研", "调研"))], "R1", ("2026-09-08",)),            # a word twice
]


@pytest.mark.parametrize("rule, rules, visits, researcher, days", BAD, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD)])
def test_an_audit_finds_a_hand_made_schedule_that_breaks_its_rule(tmp_path, rule, rules, visits, researcher, days):
    problem, plan = load_tiny(tmp_path, rules)
    findings = [f for f in audit_visits(problem, plan, hand(problem, visits)) if f.policy == rule]
    assert [f.researchers for f in findings] == [(researcher,)], [str(f) for f in findings]
    assert findings[0].severity == "error"
    assert findings[0].dates == tuple(dt.date.fromisoformat(d) for d in days)


def test_a_hand_made_schedule_that_keeps_every_activity_rule_audits_clean(tmp_path):
    rules = {rule: params for rule, params in RULES.items() if rule != "visits_per_term"}
    problem, plan = load_tiny(tmp_path, {**rules, "lessons_per_year": {"lessons": 6, "lessons_per_day": 3}})
    both = ("听课", "校本教研", "专题讲座", "研究课/示范课")
    visits = [V("R1", "S1", 1, "2026-09-09", activities=both, lessons=3), V("R1", "S2", 1, "2026-09-15", activities=("听课", "校本教研"), lessons=3),
              V("R2", "S1", 1, "2026-09-17", activities=both, lessons=3), V("R2", "S1", 2, "2026-10-15", activities=("听课", "校本教研"), lessons=3)]
    assert audit_visits(problem, plan, hand(problem, visits)) == []


# --- targets: what each rule asks, in numbers a record is counted against ---

TARGETS = [
    # (rule, its parameters, the measure, amount and period each researcher owes)
    ("lessons_per_year", {"lessons": 100, "lessons_per_day": 4}, ("lessons", 100, "year")),
    ("lectures_per_year", {}, ("lectures", 1, "year")),                          # 000_… 基本要求(四): one a school year
    ("research_activities_per_term", {}, ("research_activities", 2, "term")),    # 000_… 基本要求(四): two a term
    ("demo_lessons_per_term", {}, ("demo_lessons", 1, "year")),                  # 000_… 基本要求(四): one a school year
    ("demo_lessons_per_term", {"count": 2, "per": "term"}, ("demo_lessons", 2, "term")),  # 002_… 四(五): counts per term
]


@pytest.mark.parametrize("rule, params, owed", TARGETS, ids=[f"{c[0]}-{i}" for i, c in enumerate(TARGETS)])
def test_each_rule_states_its_targets_per_researcher(tmp_path, rule, params, owed):
    problem, plan = load_tiny(tmp_path, {rule: params})
    (use,) = parse_rules(problem)
    measure, amount, per = owed
    assert use.policy.targets(problem, plan_pairs(problem, plan), use.params) == [
        Target(rule=rule, measure=measure, amount=amount, per=per, researcher_id=rid) for rid in ("R1", "R2")]


PARAMS = [
    # (parameters of lessons_per_year, lessons_per_day read, or the key an error names)
    ({"lessons_per_day": 4}, 4, None),
    ({"per_day": 5}, 5, None),                    # the parameter's earlier name still works
    ({"lessons_per_day": 9}, None, "lessons_per_day"),  # more than a school day holds
    ({"per_dey": 4}, None, "per_dey"),            # a typo is an error, not ignored
]


@pytest.mark.parametrize("params, per_day, bad_key", PARAMS)
def test_lessons_per_day_reads_its_old_name_and_refuses_the_rest(tmp_path, params, per_day, bad_key):
    from assign.errors import PolicyError

    problem, _plan = load_tiny(tmp_path, {"lessons_per_year": params})
    if bad_key is None:
        (use,) = parse_rules(problem)
        assert use.params.lessons_per_day == per_day
    else:
        with pytest.raises(PolicyError, match=rf"lessons_per_year.*{bad_key}"):
            parse_rules(problem)


# --- outputs say what each visit is for ---

def test_ics_csv_and_xlsx_say_what_each_visit_is_for(tmp_path):
    import openpyxl

    from assign.export.ics import read_ics, write_ics
    from assign.export.visit_tables import write_visit_tables

    problem, _plan, visits = schedule(tmp_path, RULES)
    by_uid = {v.uid(visits.term): v for v in visits.visits}
    events = read_ics(write_ics(problem, visits, tmp_path / "ics")[0])
    assert len(events) == len(visits.visits)
    for event in events:
        v = by_uid[event["uid"]]
        assert event["summary"].endswith(f"（{purpose(v)}）")
        assert _("Activities: {activities}").format(activities=purpose(v, "、")) in event["description"]
    assert any(_("{n} lessons observed").format(n=3) in e["summary"] for e in events)

    paths = write_visit_tables(problem, visits, tmp_path / "out", "测试县2026秋")
    rows = list(csv.DictReader(paths[1].read_text(encoding="utf-8-sig").splitlines()))
    read = sorted((r["工号"], r["学校代码"], r["日期"], r["活动"], int(r["听课节数"])) for r in rows)
    assert read == sorted((v.researcher_id, v.school_id, str(v.first) if v.first == v.last else f"{v.first}~{v.last}",
                           "、".join(v.activities), v.lessons) for v in visits.visits)
    book = openpyxl.load_workbook(paths[0])
    sheet = book["张三-R1"]
    header = [c.value for c in sheet[2]]
    lessons = [row[header.index("听课节数")] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sum(lessons) == sum(v.lessons for v in visits.visits if v.researcher_id == "R1") == 30
    month = book["2026年9月"]
    assert legend() in [c.value for row in month.iter_rows() for c in row]
    assert "研究课/示范课" in paths[2].read_text(encoding="utf-8")


def test_a_replan_from_today_keeps_what_each_visit_before_today_was_for(tmp_path):
    problem, plan = load_tiny(tmp_path, RULES)
    first, _schedule = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    today = dt.date(2026, 9, 28)
    # Edit the calendar so far by hand: each researcher's lecture moves to their earliest visit.
    earliest = {rid: min((v for v in first.visits if v.researcher_id == rid), key=lambda v: v.first) for rid in ("R1", "R2")}
    assert all(v.last < today for v in earliest.values())

    def lecture_on_earliest(v: Visit) -> Visit:
        words = [w for w in v.activities if w != "专题讲座"] + (["专题讲座"] if v is earliest[v.researcher_id] else [])
        return v.model_copy(update={"activities": tuple(sorted(words, key=("听课", "评课", "校本教研", "专题讲座", "研究课/示范课").index))})

    edited = first.model_copy(update={"visits": [lecture_on_earliest(v) for v in first.visits]})
    after, _schedule = schedule_term(problem, plan, "2026秋", workers=1, seed=0, previous=edited, today=today)
    assert after.status in ("OPTIMAL", "FEASIBLE") and after.findings == [], [str(f) for f in after.findings]

    def past(visits):
        return sorted((v.researcher_id, v.school_id, v.days, v.activities, v.lessons) for v in visits if v.last < today)

    assert past(after.visits) == past(edited.visits)
    assert all(len(holding(after.visits, rid, "专题讲座")) == 1 for rid in ("R1", "R2"))
