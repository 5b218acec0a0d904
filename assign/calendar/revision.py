"""A term's calendar against its previous export into the same folder, so a plain re-export updates
the phones that imported the earlier `.ics` files (RFC 5545 3.8.7.4):

- a visit whose days are unchanged keeps its SEQUENCE;
- a visit whose days changed keeps its UID (term, pair, visit number) and gets a higher SEQUENCE;
- a visit of the previous export that the new calendar lacks (its pair left the plan, or the pair
  visits fewer times) is written with STATUS:CANCELLED and a higher SEQUENCE, and stays cancelled in
  the exports after it;
- a cancelled visit that comes back gets a SEQUENCE above its cancellation.

Sequences only rise: a re-plan from today (`replan.changes`) has already raised those it moved, and
comparing again with the same previous calendar raises nothing twice. A re-plan from today lets the
past visits of a dropped pair go without cancelling them (they took place), and so does this.
"""

from __future__ import annotations

from dataclasses import dataclass

from assign.calendar.visits import Visit, VisitPlan

Key = tuple[str, str, int]


def key_of(visit: Visit) -> Key:
    """What a visit's UID is made of, besides the term."""
    return visit.researcher_id, visit.school_id, visit.number


@dataclass(frozen=True)
class Revision:
    """How the new calendar differs from the previous export, in visits."""

    unchanged: int
    moved: int
    added: int
    cancelled: int  # newly cancelled by this export (those cancelled before are carried, not counted)


def against_previous(visits: VisitPlan, previous: VisitPlan) -> tuple[VisitPlan, Revision]:
    """`visits` with each visit's SEQUENCE set against `previous` (an export of the same term) and the
    visits `previous` had that are gone added to `cancelled`."""
    if previous.term != visits.term:
        raise ValueError(f"the previous export is of term {previous.term}, not {visits.term}")
    old = {key_of(v): v for v in previous.visits}
    old_cancelled = {key_of(v): v for v in previous.cancelled}
    unchanged = moved = added = 0
    revised = []
    for v in visits.visits:
        was, gone = old.get(key_of(v)), old_cancelled.get(key_of(v))
        if was is not None and was.days == v.days:
            sequence, unchanged = was.sequence, unchanged + 1
        elif was is not None:
            sequence, moved = was.sequence + 1, moved + 1
        else:
            sequence, added = (gone.sequence + 1 if gone is not None else 0), added + 1
        revised.append(v.model_copy(update={"sequence": max(v.sequence, sequence)}))
    now = {key_of(v) for v in revised}
    cancelled = {key_of(v): v for v in visits.cancelled}
    newly = 0
    for key, was in old.items():
        if key in now or (visits.today is not None and was.last < visits.today):
            continue
        newly += key not in cancelled
        before = cancelled.get(key, was)
        cancelled[key] = before.model_copy(update={"sequence": max(before.sequence, was.sequence + 1)})
    for key, was in old_cancelled.items():
        if key not in now:
            before = cancelled.get(key, was)
            cancelled[key] = before.model_copy(update={"sequence": max(before.sequence, was.sequence)})
    plan = visits.model_copy(update={"visits": revised, "cancelled": [cancelled[k] for k in sorted(cancelled)]})
    return plan, Revision(unchanged=unchanged, moved=moved, added=added, cancelled=newly)
