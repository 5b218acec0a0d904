"""Re-plan a term from today: the visits before `today` stay as they were, the rest change as little
as the new facts allow (a researcher away from a date, a school's new blackout, pairs added or
dropped by a re-planned assignment).

The model gets two things from the previous calendar (`Before`): every pair's days before today are
fixed to what they were (and what each visit begun before today was for: its activities, and the
lessons of a visit over before today, where the new rules plan them), and each day of a future visit
that stays where it was earns a reward worth twice a day on site. A kept day therefore beats any move that would earn a research day or a spread
part (each worth less than a day on site, see `visit_solve.set_visit_objective`), so a visit moves only when
a hard rule forces it or to make room for one that must.

The changes are then read off the two calendars by visit identity (term, pair, visit number: the
iCalendar UID): same days is unchanged, other days is moved, gone is cancelled, new is added. Why a
visit moved is what the new scenario's audits find wrong with its old days; a visit none of them
objects to moved to make room for another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assign.calendar.visit_model import Pair, VisitContext
from assign.calendar.visits import Visit, VisitChange, VisitPlan
from assign.locale import _
from assign.plan import Finding

KEEP_WEIGHT = 2  # a day kept, in days on site


@dataclass(frozen=True)
class Before:
    """The previous calendar of the term as the model needs it: today, and each pair's days on site."""

    today: dt.date
    days: dict[Pair, frozenset[dt.date]]
    inspections: frozenset[tuple[str, dt.date]] = frozenset()  # (school, day) of the joint inspections planned before
    visits: tuple[Visit, ...] = ()  # the previous visits, for what each was for

    @property
    def past_visits(self) -> list[Visit]:
        """The previous visits begun before today, whose purpose stays as it was."""
        return [v for v in self.visits if v.first < self.today]

    @classmethod
    def of(cls, previous: VisitPlan, today: dt.date) -> "Before":
        days: dict[Pair, set[dt.date]] = {}
        for v in previous.visits:
            days.setdefault((v.researcher_id, v.school_id), set()).update(v.days)
        return cls(today, {pair: frozenset(d) for pair, d in days.items()}, frozenset((j.school_id, j.day) for j in previous.inspections),
                   tuple(previous.visits))


def add_stability(ctx: VisitContext, before: Before) -> None:
    """Fix every pair's days before today; reward each future day that stays as it was (term calendar.kept)."""
    core = ctx.for_rule("calendar")
    past = [i for i, day in enumerate(ctx.term.days) if day < before.today]
    kept = []
    for pair in ctx.pairs:
        had = before.days.get(pair, frozenset())
        on = ctx.on[pair]
        who = f"{ctx.problem.researcher[pair[0]].name}→{ctx.problem.school[pair[1]].name}"
        held = [on[i] for i in past if ctx.term.days[i] in had]
        free = [on[i] for i in past if ctx.term.days[i] not in had]
        if held:
            core.require(sum(held) == len(held), about=pair, why=_("{who}: visits before {today} stay as they were")
                                                                 .format(who=who, today=before.today))
        if free:
            core.require(sum(free) == 0, about=pair, why=_("{who}: no visit is added before {today}").format(who=who, today=before.today))
        kept += [on[i] for i, day in enumerate(ctx.term.days) if day >= before.today and day in had]
    for sid, joint in ctx.joint.items():  # a past joint inspection stays one; no past day becomes one
        for i in past:
            core.require(joint[i] == int((sid, ctx.term.days[i]) in before.inspections), about=(sid,),
                         why=_("{name}: joint inspections before {today} stay as they were")
                             .format(name=ctx.problem.school[sid].name, today=before.today))
    keep_purposes(ctx, before)
    core.reward("kept", sum(kept), weight=0, rank=0, label=_("days kept as planned"), unit=_("days"))


def keep_purposes(ctx: VisitContext, before: Before) -> None:
    """A visit begun before today keeps the activities it held, and one over before today its lessons,
    wherever the new rules plan that activity or lessons at its pair (a record may already count them)."""
    core = ctx.for_rule("calendar")
    for v in before.past_visits:
        pair = (v.researcher_id, v.school_id)
        first = ctx.index.get(v.first)
        if pair not in ctx.on or first is None:
            continue
        why = _("{name}→{school}: the visit of {day} keeps what it was for").format(
            name=ctx.problem.researcher[pair[0]].name, school=ctx.problem.school[pair[1]].name, day=v.first)
        for word, by_pair in ctx.activity.items():
            if pair in by_pair:
                core.require(by_pair[pair][first] == int(word in v.activities), about=pair, why=why)
        if pair in ctx.lessons and v.last < before.today:
            days = [ctx.index[d] for d in v.days if d in ctx.index]
            core.require(sum(ctx.lessons[pair][i] for i in days) == v.lessons, about=pair, why=why)


def changes(previous: VisitPlan, visits: list[Visit], today: dt.date, findings: list[Finding]) -> tuple[list[Visit], list[VisitChange], list[Visit]]:
    """The new visits with their iCalendar sequence, the changes to future visits, and the cancelled ones.

    `findings` are the new scenario's audit of the previous calendar: a finding about an old visit's
    researcher, school and days is why it had to move."""
    old = {(v.researcher_id, v.school_id, v.number): v for v in previous.visits}
    new = {(v.researcher_id, v.school_id, v.number): v for v in visits}
    out, listed, cancelled = [], [], []
    for key, v in sorted(new.items()):
        was = old.get(key)
        if was is None:
            listed.append(VisitChange(kind="added", researcher_id=v.researcher_id, school_id=v.school_id, number=v.number, after=v.days,
                                      why=reasons(None, v, findings)))
            out.append(v)
        elif was.days == v.days:
            out.append(v.model_copy(update={"sequence": was.sequence}))
        else:
            listed.append(VisitChange(kind="moved", researcher_id=v.researcher_id, school_id=v.school_id, number=v.number,
                                      before=was.days, after=v.days, why=reasons(was, v, findings)))
            out.append(v.model_copy(update={"sequence": was.sequence + 1}))
    for key, was in sorted(old.items()):
        if key not in new and was.last >= today:
            listed.append(VisitChange(kind="cancelled", researcher_id=was.researcher_id, school_id=was.school_id, number=was.number,
                                      before=was.days, why=reasons(was, None, findings)))
            cancelled.append(was.model_copy(update={"sequence": was.sequence + 1}))
    return out, listed, cancelled


def reasons(was: Visit | None, now: Visit | None, findings: list[Finding]) -> list[str]:
    """The audit findings about this visit's pair (and, for an old visit, its days); else that it made room."""
    v = was or now
    found = [str(f) for f in findings if f.severity == "error"
             and (not f.researchers or v.researcher_id in f.researchers) and (not f.schools or v.school_id in f.schools)
             and (was is None or not f.dates or set(f.dates) & set(was.days))
             and (f.researchers or f.schools)]
    if found:
        return found
    return [_("moved to make room for another change")] if was is not None else [_("a visit the new rules or pairs ask for")]
