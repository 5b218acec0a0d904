"""Double entry for a term's visits: the host's own checks, then every visit rule's audit.

The host checks what no rule may forget: each visit belongs to a pair of the plan, falls on
working days of the term (no holiday, no weekend that is not an adjusted workday), runs over
consecutive working days, and the visits of a pair are numbered 1, 2, … in date order.
"""

from __future__ import annotations

from collections import defaultdict

from assign.calendar.schedule import Schedule
from assign.plan import Finding
from assign.problem import PolicyUse, Problem

HOST = "calendar"


def host_findings(schedule: Schedule) -> list[Finding]:
    findings: list[Finding] = []
    workdays = set(schedule.term.days)
    position = {day: i for i, day in enumerate(schedule.term.days)}
    pairs = set(schedule.pairs)
    by_pair = defaultdict(list)
    for v in schedule.visits:
        who = dict(researchers=(v.researcher_id,), schools=(v.school_id,))
        if (v.researcher_id, v.school_id) not in pairs:
            findings.append(Finding(policy=HOST, message=f"visit {v.researcher_id}→{v.school_id} is not a pair of the plan", **who))
        off = [d for d in v.days if d not in workdays]
        if off:
            findings.append(Finding(policy=HOST, message=f"visit {v.researcher_id}→{v.school_id} "
                                                         f"falls on non-working day(s) of term {schedule.term.name}: "
                                    + ", ".join(map(str, off)), dates=tuple(off), **who))
            continue
        indexes = [position[d] for d in v.days]
        if indexes != list(range(indexes[0], indexes[0] + len(indexes))):
            findings.append(Finding(policy=HOST, message=f"visit {v.researcher_id}→{v.school_id} "
                                                         f"days {', '.join(map(str, v.days))} are not consecutive working days",
                                    dates=v.days, **who))
        by_pair[v.researcher_id, v.school_id].append(v)
    for (rid, sid), visits in by_pair.items():
        ordered = sorted(visits, key=lambda v: v.first)
        if [v.number for v in ordered] != list(range(1, len(ordered) + 1)):
            findings.append(Finding(policy=HOST, message=f"visits {rid}→{sid} are not numbered 1…{len(ordered)} in date order",
                                    researchers=(rid,), schools=(sid,)))
        seen: set = set()
        for v in ordered:
            if seen & set(v.days):
                findings.append(Finding(policy=HOST, message=f"visits {rid}→{sid} overlap on {sorted(seen & set(v.days))}",
                                        researchers=(rid,), schools=(sid,)))
            seen |= set(v.days)
    return findings


def audit_schedule(problem: Problem, schedule: Schedule, rules: tuple[PolicyUse, ...]) -> list[Finding]:
    """Host findings plus each rule's audit; a rule whose audit raises is itself a finding."""
    findings = host_findings(schedule)
    for use in rules:
        try:
            findings += use.policy.audit(problem, schedule, use.params)
        except Exception as exc:  # a broken audit must show, not hide the schedule's state
            findings.append(Finding(policy=use.name, message=f"audit raised {type(exc).__name__}: {exc}"))
    return findings
