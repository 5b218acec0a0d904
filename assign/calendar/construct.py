"""A term's first schedule without a solver: the construction the term starts from.

Building a group's CP-SAT model and finding its first solution costs about 15-30 ms a group in
Python and CP-SAT; a 400-researcher office has some 300 groups, so a first schedule that waits
for every model took 10-20 s. The construction lays visits out in a few milliseconds a group, and
CP-SAT then improves each group from it (its visits are the solve's hint).

It knows no rule by name. What it asks of the rules is the visit-rule contract's:

- `targets`: how many visits each pair needs this term, and how many days on site each researcher
  (a yearly number in proportion to the term's working days, as the model counts it);
- `closed_days`: the days a rule closes to a pair (the office day, the term's edges and exam weeks,
  a school's blackout, a researcher's unavailable dates);
- `team_days`: the days a team visits one school together (a joint inspection).

Everything else it keeps by being conservative: each visit one working day, a pair's visits spread
evenly over the term's open days and well apart, a researcher at one school a day and out one day
a teaching week where the term allows it, a school visited by one researcher a day (but for a team's day). That is no proof:
the construction is audited by every rule like any schedule (`assign.calendar.visit_audit`), and a
group with an error finding is dropped, to be started by CP-SAT's first solution instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from assign.calendar.schedule import teaching_week
from assign.calendar.visits import JointInspection, Visit
from assign.calendar.workdays import TermDays
from assign.problem import PolicyUse, Problem

Pair = tuple[str, str]
SPACING = 0.75  # a pair's visits at least this share of the even spacing apart (in open working days)


@dataclass
class Construction:
    """One group's constructed visits and team days (None from `construct` when it could not place them)."""

    visits: list[Visit]
    inspections: list[JointInspection] = field(default_factory=list)

    def days_of(self) -> dict[Pair, set[dt.date]]:
        """Per pair, the days on site: what hints the group's model."""
        out: dict[Pair, set[dt.date]] = defaultdict(set)
        for v in self.visits:
            out[v.researcher_id, v.school_id] |= set(v.days)
        return out


@dataclass
class Needs:
    """What the rules ask of a term, gathered once for every group."""

    visits: dict[Pair, int]
    days: dict[str, int]
    closed: dict[Pair, set[dt.date]]
    teams: list[tuple[str, tuple[str, ...], int, str]]  # (school, team, days a term, rule)


def needs_of(problem: Problem, term: TermDays, pairs: list[Pair], rules: tuple[PolicyUse, ...], year_workdays: int) -> Needs:
    """Every rule's targets, closed days and team days for these pairs."""
    visits: dict[Pair, int] = defaultdict(int)
    days: dict[str, int] = defaultdict(int)
    closed: dict[Pair, set[dt.date]] = {pair: set() for pair in pairs}
    teams = []
    share = len(term.days) / max(1, year_workdays)
    for use in rules:
        for target in use.policy.targets(problem, pairs, use.params):
            amount = target.amount if target.per == "term" else math.ceil(target.amount * share - 1e-9)
            if target.measure == "visits" and target.school_id is not None:
                key = (target.researcher_id, target.school_id)
                visits[key] = max(visits[key], amount)
            elif target.measure == "days_on_site":
                days[target.researcher_id] = max(days[target.researcher_id], amount)
        for pair in pairs:
            closed[pair] |= set(use.policy.closed_days(problem, term, pair, use.params))
        teams += [(sid, team, count, use.name) for sid, team, count in use.policy.team_days(problem, pairs, use.params)]
    return Needs(dict(visits), dict(days), closed, teams)


class Layout:
    """The days taken so far, shared by every group: a researcher's days and weeks, a school's days."""

    def __init__(self, term: TermDays):
        self.days = term.days
        self.week = [teaching_week(term.first, day) for day in term.days]
        self.researcher_days: dict[str, set[int]] = defaultdict(set)
        self.researcher_weeks: dict[str, set[int]] = defaultdict(set)
        self.school_days: dict[str, set[int]] = defaultdict(set)

    def free(self, rid: str, sid: str, i: int, weekly: bool = True) -> bool:
        """Day i is free for the pair: the researcher at no school yet (and, `weekly`, out no other day of its week), the school unvisited."""
        return i not in self.researcher_days[rid] and i not in self.school_days[sid] and not (weekly and self.week[i] in self.researcher_weeks[rid])

    def take(self, rid: str, sid: str, i: int) -> None:
        self.researcher_days[rid].add(i)
        self.researcher_weeks[rid].add(self.week[i])
        self.school_days[sid].add(i)


def construct(term: TermDays, groups: list[list[Pair]], needs: Needs) -> list[Construction | None]:
    """A constructed first schedule for each group, None for a group it could not lay out."""
    layout = Layout(term)
    return [_group(group, needs, layout) for group in groups]


def _group(group: list[Pair], needs: Needs, layout: Layout) -> Construction | None:
    n = len(layout.days)
    mine = set(group)
    taken: dict[Pair, list[int]] = defaultdict(list)
    inspections = []
    # Team days first: the day every member is free and the school open to all of them, nearest the term's middle.
    for sid, team, count, rule in needs.teams:
        team_pairs = [(rid, sid) for rid in team]
        if not set(team_pairs) <= mine:
            continue
        open_days = [i for i in range(n) if all(layout.days[i] not in needs.closed[p] for p in team_pairs)]
        for k in range(count):
            ideal = n * (k + 1) / (count + 1)
            chosen = next((i for i in sorted(open_days, key=lambda i: (abs(i - ideal), i))
                           if i not in layout.school_days[sid] and all(layout.free(rid, sid, i) for rid in team)), None)
            if chosen is None:
                return None
            for rid in team:
                layout.take(rid, sid, chosen)
                taken[rid, sid].append(chosen)
            inspections.append(JointInspection(school_id=sid, day=layout.days[chosen], researcher_ids=tuple(sorted(team)), rule=rule))
    by_researcher: dict[str, list[Pair]] = defaultdict(list)
    for pair in sorted(group):
        by_researcher[pair[0]].append(pair)
    for rid, pairs in by_researcher.items():
        count = {p: max(needs.visits.get(p, 0), len(taken[p])) for p in pairs}
        extra = needs.days.get(rid, 0) - sum(count.values())
        for k in range(max(0, extra)):
            count[pairs[k % len(pairs)]] += 1
        for pair in pairs:
            if not _place(pair, count[pair], needs, layout, taken):
                return None
    visits = []
    for (rid, sid), indexes in sorted(taken.items()):
        for number, i in enumerate(sorted(indexes), start=1):
            visits.append(Visit(researcher_id=rid, school_id=sid, number=number, days=(layout.days[i],)))
    return Construction(visits, inspections)


def _place(pair: Pair, count: int, needs: Needs, layout: Layout, taken: dict[Pair, list[int]]) -> bool:
    """The pair's visits beyond those already taken (team days), each on the free open day nearest its
    even share of the term, well apart from the pair's other visits."""
    rid, sid = pair
    open_days = [i for i, day in enumerate(layout.days) if day not in needs.closed[pair]]
    if count <= len(taken[pair]):
        return True
    if len(open_days) < count:
        return False
    position = {i: j for j, i in enumerate(open_days)}
    spacing = SPACING * len(open_days) / count
    for k in range(count):
        if len(taken[pair]) >= count:
            break
        ideal = int((k + 0.5) * len(open_days) / count)  # a position among the open days
        if any(abs(position.get(i, -len(open_days)) - ideal) < spacing / 2 for i in taken[pair]):
            continue  # a team day already serves this share of the term
        # One day out a week where it can, else a second day in some week
        candidates = sorted(open_days, key=lambda i: (abs(position[i] - ideal), i))
        apart = [i for i in candidates if all(abs(position[i] - position.get(j, -len(open_days))) >= spacing for j in taken[pair])]
        chosen = next((i for i in apart if layout.free(rid, sid, i)), None)
        if chosen is None:
            chosen = next((i for i in apart if layout.free(rid, sid, i, weekly=False)), None)
        if chosen is None:
            return False
        layout.take(rid, sid, chosen)
        taken[pair].append(chosen)
    return len(taken[pair]) >= count
