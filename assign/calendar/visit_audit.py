"""Double entry for a term's visits: the host's own checks, then every visit rule's audit.

The host checks what no rule may forget: each visit belongs to a pair of the plan, falls on
working days of the term (no holiday, no weekend that is not an adjusted workday), runs over
consecutive working days, the visits of a pair are numbered 1, 2, … in date order, and no
researcher is at more schools on one day than the rules in use allow (one, unless a rule such as
one_trip_per_day allows two close ones): whatever the rules say, no one is in two places. What a
visit is for is said in words of `vocab.ACTIVITIES`, each once, and a visit that observes lessons
says 听课.
"""

from __future__ import annotations

from collections import defaultdict

from assign.calendar.schedule import Schedule
from assign.locale import _
from assign.plan import Finding
from assign.problem import PolicyUse, Problem
from assign.vocab import ACTIVITIES

HOST = "calendar"


def schools_a_day(rules: tuple[PolicyUse, ...]) -> int:
    """The most schools a researcher may be at on one day: one, unless a rule in use allows more."""
    return max([1, *(getattr(use.policy, "schools_a_day", 1) for use in rules)])


def host_findings(schedule: Schedule, most_schools: int = 1) -> list[Finding]:
    findings: list[Finding] = []
    workdays = set(schedule.term.days)
    position = {day: i for i, day in enumerate(schedule.term.days)}
    pairs = set(schedule.pairs)
    by_pair = defaultdict(list)
    for v in schedule.visits:
        who = dict(researchers=(v.researcher_id,), schools=(v.school_id,))
        if (v.researcher_id, v.school_id) not in pairs:
            findings.append(Finding(policy=HOST, message=_("visit {researcher_id}→{school_id} is not a pair of the plan")
                                                         .format(researcher_id=v.researcher_id, school_id=v.school_id), **who))
        off = [d for d in v.days if d not in workdays]
        if off:
            findings.append(Finding(policy=HOST, message=_("visit {researcher_id}→{school_id} falls on non-working days of term {name}: {days}")
                                    .format(researcher_id=v.researcher_id, school_id=v.school_id, name=schedule.term.name,
                                            days=", ".join(map(str, off))),
                                    dates=tuple(off), **who))
            continue
        indexes = [position[d] for d in v.days]
        if indexes != list(range(indexes[0], indexes[0] + len(indexes))):
            findings.append(Finding(policy=HOST, message=_("visit {researcher_id}→{school_id} days {names} are not consecutive working days")
                                                         .format(researcher_id=v.researcher_id, school_id=v.school_id, names=', '.join(map(str,
                                                                 v.days))),
                                    dates=v.days, **who))
        by_pair[v.researcher_id, v.school_id].append(v)
        unknown = [word for word in v.activities if word not in ACTIVITIES]
        if unknown or len(set(v.activities)) != len(v.activities):
            findings.append(Finding(policy=HOST, dates=v.days, **who,
                                    message=_("visit {researcher}→{school} on {day}: activities {activities} are not each one of {known}").format(
                                        researcher=v.researcher_id, school=v.school_id, day=v.first, activities="、".join(v.activities),
                                        known="、".join(ACTIVITIES))))
        if v.lessons and "听课" not in v.activities:
            findings.append(Finding(policy=HOST, dates=v.days, **who,
                                    message=_("visit {researcher}→{school} on {day} observes {n} lessons but {word} is not among its activities")
                                    .format(researcher=v.researcher_id, school=v.school_id, day=v.first, n=v.lessons, word="听课")))
    for (rid, sid), visits in by_pair.items():
        ordered = sorted(visits, key=lambda v: v.first)
        if [v.number for v in ordered] != list(range(1, len(ordered) + 1)):
            findings.append(Finding(policy=HOST, message=_("visits {rid}→{sid} are not numbered 1…{n} in date order")
                                                         .format(rid=rid, sid=sid, n=len(ordered)),
                                    researchers=(rid,), schools=(sid,)))
        seen: set = set()
        for v in ordered:
            if seen & set(v.days):
                findings.append(Finding(policy=HOST, message=_("visits {rid}→{sid} overlap on {days}")
                                                             .format(rid=rid, sid=sid, days=", ".join(map(str, sorted(seen & set(v.days))))),
                                        researchers=(rid,), schools=(sid,)))
            seen |= set(v.days)
    at: dict = defaultdict(set)
    for v in schedule.visits:
        for day in v.days:
            at[v.researcher_id, day].add(v.school_id)
    for (rid, day), schools in sorted(at.items()):
        if len(schools) > most_schools:
            findings.append(Finding(policy=HOST, researchers=(rid,), schools=tuple(sorted(schools)), dates=(day,),
                                    message=_("{rid} is at {n} schools on {day} ({names}), at most {most_schools} allowed")
                                            .format(rid=rid, n=len(schools), day=day, names='、'.join(sorted(schools)), most_schools=most_schools)))
    return findings


def audit_schedule(problem: Problem, schedule: Schedule, rules: tuple[PolicyUse, ...]) -> list[Finding]:
    """Host findings plus each rule's audit; a rule whose audit raises is itself a finding."""
    findings = host_findings(schedule, schools_a_day(rules))
    for use in rules:
        try:
            findings += use.policy.audit(problem, schedule, use.params)
        except Exception as exc:  # a broken audit must show, not hide the schedule's state
            findings.append(Finding(policy=use.name, message=_("audit raised {name}: {exc}").format(name=type(exc).__name__, exc=exc)))
    return findings


def audit_year(problem: Problem, schedules: list[Schedule], rules: tuple[PolicyUse, ...]) -> list[Finding]:
    """Each rule's audit across the terms of one school year; a rule whose audit raises is itself a finding."""
    findings: list[Finding] = []
    for use in rules:
        check = getattr(use.policy, "audit_year", None)
        if check is None:
            continue
        try:
            findings += check(problem, schedules, use.params)
        except Exception as exc:  # as in audit_schedule: a broken audit must show
            findings.append(Finding(policy=use.name, message=_("school-year audit raised {name}: {exc}").format(name=type(exc).__name__, exc=exc)))
    return findings
