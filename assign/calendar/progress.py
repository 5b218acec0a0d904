"""Progress of a term's visits: what the record says was done, beside what the calendar planned and what
the scenario's visit rules ask (their `targets()`), per researcher, per contact school and for the office.

A yearly target is counted against the records of every term of its school year that has them; a
term's target against the term's. Both are pro-rated by the working days gone by `as_of`: `due` is
what should be done by then, so a researcher is "met" (the whole target reached), "on track" (at or
above `due`) or "behind by N" (N below `due`). The core reads targets only through the active rules'
`targets()`: it never names a rule.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from assign.calendar.records import RecordBook, VisitRecord
from assign.calendar.rule import MEASURES, Target
from assign.calendar.visits import Visit, VisitPlan
from assign.calendar.workdays import TermDays
from assign.locale import _
from assign.problem import PolicyUse, Problem

Pair = tuple[str, str]
# The activity (vocab.ACTIVITIES) each measure counts the visits of.
ACTIVITY_OF = {"lectures": "专题讲座", "research_activities": "校本教研", "demo_lessons": "研究课/示范课", "surveys": "调研"}


@dataclass
class Tally:
    """Counts of one researcher, pair or school: made (from the record) or planned (from the calendar)."""

    days: set = field(default_factory=set)
    visits: int = 0
    lessons: int = 0
    activities: dict[str, int] = field(default_factory=dict)
    teachers: set = field(default_factory=set)

    def add_record(self, record: VisitRecord) -> None:
        self.days.update(record.on_site())
        self.visits += 1
        self.lessons += record.lessons
        for a in record.activities:
            self.activities[a] = self.activities.get(a, 0) + 1
        self.teachers.update(record.backbone_teachers)

    def add_visit(self, visit: Visit) -> None:
        self.days.update(visit.days)
        self.visits += 1
        self.lessons += visit.lessons
        for a in visit.activities:
            self.activities[a] = self.activities.get(a, 0) + 1

    def count(self, measure: str) -> int:
        if measure == "days_on_site":
            return len(self.days)
        if measure == "visits":
            return self.visits
        if measure == "lessons":
            return self.lessons
        if measure == "backbone_teachers":
            return len(self.teachers)
        return self.activities.get(ACTIVITY_OF[measure], 0)


@dataclass
class Measure:
    """One measure of one line: done, planned, the target and where it stands."""

    measure: str
    actual: int
    planned: int  # planned by as_of (the calendar's visits up to that day)
    planned_total: int  # planned in the whole term
    per: str = "term"  # "year": actual and target are the school year's
    target: int | None = None
    due: int | None = None  # the target pro-rated to as_of
    rules: tuple[str, ...] = ()
    behind_count: int = 0  # office line: researchers behind on this measure

    @property
    def status(self) -> str | None:
        """"met", "on_track", "behind" or None (no target)."""
        if self.target is None:
            return None
        if self.actual >= self.target:
            return "met"
        return "on_track" if self.actual >= (self.due or 0) else "behind"

    @property
    def behind(self) -> int:
        return max(0, (self.due or 0) - self.actual) if self.status == "behind" else 0

    def status_text(self) -> str:
        return status_words(self.status, self.behind)


def status_words(status: str | None, behind: int = 0) -> str:
    """已完成 / 按计划 / 落后 N, in the user's language."""
    if status == "met":
        return _("met")
    if status == "on_track":
        return _("on track")
    if status == "behind":
        return _("behind by {n}").format(n=behind)
    return ""


@dataclass
class ProgressLine:
    level: str  # "researcher", "pair" (a contact school), "elsewhere" (another school the researcher visited) or "office"
    researcher_id: str | None
    school_id: str | None
    measures: dict[str, Measure]

    def worst(self) -> tuple[str | None, int]:
        """The line's status: behind (by the most on any measure) before on track before met."""
        statuses = [m for m in self.measures.values() if m.status is not None]
        if not statuses:
            return None, 0
        behind = [m for m in statuses if m.status == "behind"]
        if behind:
            return "behind", max(m.behind for m in behind)
        return ("met", 0) if all(m.status == "met" for m in statuses) else ("on_track", 0)


@dataclass
class Progress:
    term: str
    as_of: dt.date
    term_share: float  # working days of the term gone by as_of
    year_share: float  # working days of the school year gone by as_of
    researchers: list[ProgressLine]
    pairs: list[ProgressLine]
    office: ProgressLine
    targets: list[Target]
    records: int  # records counted (made or not, up to as_of) in the term
    missed: int  # planned visits up to as_of reported as not made
    unreported: int  # planned visits up to as_of without a record
    terms_counted: tuple[str, ...] = ()  # the school year's terms whose records count for yearly targets
    # Visits made at a school that is not the researcher's contact school in the plan (the plan changed
    # since, or a visit added by hand): their researcher's line counts them, these show where they went.
    elsewhere: list[ProgressLine] = field(default_factory=list)


def collect_targets(problem: Problem, pairs: list[Pair], rules: tuple[PolicyUse, ...]) -> list[Target]:
    """Every target the scenario's visit rules set, for these pairs."""
    out: list[Target] = []
    for use in rules:
        targets = getattr(use.policy, "targets", None)
        if targets is not None:
            out += [t for t in targets(problem, list(pairs), use.params) if t.researcher_id in problem.researcher]
    return out


def share(days: tuple[dt.date, ...], as_of: dt.date) -> float:
    return sum(1 for d in days if d <= as_of) / len(days) if days else 1.0


def pro_rated(amount: int, fraction: float) -> int:
    """What is due of `amount` when `fraction` of its working days are gone: whole units, rounded down (a researcher
    with 2 of 10 days after 21% of the year is on track; one unit short of the straight line is not yet behind)."""
    return min(amount, math.floor(amount * fraction + 1e-9))


def progress(problem: Problem, pairs: list[Pair], rules: tuple[PolicyUse, ...], term: TermDays, year_terms: tuple[TermDays, ...],
             visits: VisitPlan, books: dict[str, RecordBook], as_of: dt.date) -> Progress:
    """The progress of `term` by `as_of`: `books` holds the record of the term and of any other term of its
    school year (by term name), `visits` the term's calendar."""
    pairs = sorted(set(pairs))
    targets = collect_targets(problem, pairs, rules)
    book = books.get(term.name)
    records = [r for r in (book.records if book else []) if _counts(r, as_of)]
    year_records = [r for name, b in books.items() if name in {t.name for t in year_terms} for r in b.records if _counts(r, as_of)]
    term_share = share(term.days, as_of)
    year_share = share(tuple(d for t in year_terms for d in t.days), as_of)

    def tallies(rows: list[VisitRecord], key) -> dict:
        out: dict = {}
        for r in rows:
            if r.done:
                out.setdefault(key(r), Tally()).add_record(r)
        return out

    def planned(as_of_day: dt.date | None, key) -> dict:
        out: dict = {}
        for v in visits.visits:
            if as_of_day is None or v.first <= as_of_day:
                out.setdefault(key(v), Tally()).add_visit(v)
        return out

    by_r, by_pair = (lambda x: x.researcher_id), (lambda x: (x.researcher_id, x.school_id))
    made = {"researcher": tallies(records, by_r), "pair": tallies(records, by_pair)}
    made_year = {"researcher": tallies(year_records, by_r), "pair": tallies(year_records, by_pair)}
    plan_now = {"researcher": planned(as_of, by_r), "pair": planned(as_of, by_pair)}
    plan_all = {"researcher": planned(None, by_r), "pair": planned(None, by_pair)}

    def line(level: str, key, rid: str, sid: str | None) -> ProgressLine:
        measures = {}
        for name in MEASURES:
            own = [t for t in targets if t.measure == name and t.researcher_id == rid and t.school_id == sid]
            if level == "researcher" and not own:  # a per-school target adds up over the researcher's schools
                by_school: dict[str, Target] = {}
                for t in targets:
                    if t.measure == name and t.researcher_id == rid and t.school_id is not None:
                        if t.school_id not in by_school or t.amount > by_school[t.school_id].amount:
                            by_school[t.school_id] = t
                own = [Target(rule=",".join(sorted({t.rule for t in by_school.values()})), measure=name,
                              amount=sum(t.amount for t in by_school.values()), per=next(iter(by_school.values())).per,
                              researcher_id=rid)] if by_school else []
            strictest = max(own, key=lambda t: (t.per == "year", t.amount), default=None)
            per = strictest.per if strictest is not None else "term"
            source = made_year if per == "year" else made
            by = "pair" if level == "elsewhere" else level  # tallied by (researcher, school) as a contact school is
            measure = Measure(name, _count(source[by], key, name), _count(plan_now[by], key, name), _count(plan_all[by], key, name), per)
            if strictest is not None:
                measure.target = strictest.amount
                measure.due = pro_rated(strictest.amount, year_share if per == "year" else term_share)
                measure.rules = tuple(sorted({r for t in own for r in t.rule.split(",")}))
            measures[name] = measure
        return ProgressLine(level, rid, sid, measures)

    researchers = [line("researcher", rid, rid, None) for rid in dict.fromkeys(rid for rid, _sid in pairs)]
    pair_lines = [line("pair", (rid, sid), rid, sid) for rid, sid in pairs]
    contacts, shown = set(pairs), {rid for rid, _sid in pairs}
    elsewhere = [line("elsewhere", key, *key) for key in sorted({by_pair(r) for r in records if r.done} - contacts) if key[0] in shown]
    office = {}
    for name in MEASURES:
        parts = [r.measures[name] for r in researchers]
        with_target = [m for m in parts if m.target is not None]
        pers = {m.per for m in with_target} or {"term"}
        office[name] = Measure(name, sum(m.actual for m in parts), sum(m.planned for m in parts), sum(m.planned_total for m in parts),
                               "year" if pers == {"year"} else "term",
                               sum(m.target for m in with_target) if with_target else None,
                               sum(m.due or 0 for m in with_target) if with_target else None,
                               tuple(sorted({r for m in with_target for r in m.rules})), sum(1 for m in with_target if m.status == "behind"))
    planned_so_far = [v for v in visits.visits if v.first <= as_of]
    reported = {r.key for r in records}
    return Progress(
        term=term.name, as_of=as_of, term_share=term_share, year_share=year_share, researchers=researchers, pairs=pair_lines,
        office=ProgressLine("office", None, None, office), targets=targets, records=len(records),
        missed=sum(1 for r in records if not r.done), unreported=sum(1 for v in planned_so_far if v.uid(visits.term) not in reported),
        terms_counted=tuple(t.name for t in year_terms if t.name in books), elsewhere=elsewhere,
    )


def _counts(record: VisitRecord, as_of: dt.date) -> bool:
    """A record counts by as_of: a visit made on or before that day, or a planned one reported missed by then."""
    day = record.day if record.done else (record.planned[0] if record.planned else record.day)
    return day is not None and day <= as_of


def _count(tallies: dict, key, measure: str) -> int:
    tally = tallies.get(key)
    return tally.count(measure) if tally is not None else 0


@dataclass
class VisitCounts:
    """What became of a researcher's (or a school's) visits in a term's record."""

    planned: int = 0
    made: int = 0
    moved: int = 0  # made on another day than planned
    missed: int = 0  # reported not made
    unreported: int = 0  # planned, with no record
    extra: int = 0  # made, never planned (added by hand)
    teachers: set = field(default_factory=set)


def visit_counts(visits: VisitPlan, records: list[VisitRecord]) -> tuple[dict[str, VisitCounts], dict[str, VisitCounts]]:
    """Per researcher id and per school id: planned visits and what the record says of them."""
    by_researcher: dict[str, VisitCounts] = {}
    by_school: dict[str, VisitCounts] = {}
    keys = {r.key: r for r in records}
    planned_keys = set()
    for v in visits.visits:
        uid = v.uid(visits.term)
        planned_keys.add(uid)
        for counts in (by_researcher.setdefault(v.researcher_id, VisitCounts()), by_school.setdefault(v.school_id, VisitCounts())):
            counts.planned += 1
            record = keys.get(uid)
            if record is None:
                counts.unreported += 1
    for r in records:
        for counts in (by_researcher.setdefault(r.researcher_id, VisitCounts()), by_school.setdefault(r.school_id, VisitCounts())):
            if r.done:
                counts.made += 1
                counts.moved += r.moved
                counts.extra += r.key not in planned_keys
                counts.teachers.update(r.backbone_teachers)
            else:
                counts.missed += 1
    return by_researcher, by_school
