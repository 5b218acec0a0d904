"""Visit calendars as iCalendar files (RFC 5545): one per researcher, one per school, one for the office.

Every event is timed in Asia/Shanghai and the file carries that VTIMEZONE (icalendar 7 adds it
with `add_missing_timezones()`). UIDs come from term, researcher, school and visit number, never
from the dates, so a re-export after a visit moved updates the event in a phone's calendar
instead of adding a second one.

Names are data here too: every text goes through icalendar's own TEXT escaping (vText: `\\` `;` `,`
and line breaks escaped), our X- properties included (marked VALUE=TEXT so that they read back
unescaped), so no name can end a line and start a property of its own. Control characters, which
RFC 5545 does not allow in TEXT, are dropped; file names come from ids (`safe_names`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from assign.calendar.visits import Visit, VisitPlan
from assign.export.atomic import atomic_path
from assign.export.cells import without_controls
from assign.export.safe_names import FileNames
from assign.problem import Problem

TZ = ZoneInfo("Asia/Shanghai")
DAY_START, DAY_END = dt.time(8, 30), dt.time(16, 30)  # a school day on site
PRODID = "-//assign//教研员联系学校视导日历//ZH"


def summary(problem: Problem, visit: Visit, joint: bool = False) -> str:
    """联系学校视导：河口镇第一小学（数学）; 联合视导：… on a joint inspection day."""
    subjects = "、".join(problem.researcher[visit.researcher_id].subjects)
    return f"{'联合视导' if joint else '联系学校视导'}：{problem.school[visit.school_id].name}（{subjects}）"


def ics_text(value: str):
    """A TEXT value for any property, X- ones included: escaped by icalendar, read back as written."""
    from icalendar import vText

    return vText(without_controls(value))


def add_text(component, name: str, value: str) -> None:
    # Without VALUE=TEXT an X- property is icalendar's vUnknown, written as is (a line break in it ends the line).
    component.add(name, ics_text(value), parameters={"VALUE": "TEXT"} if name.lower().startswith("x-") else None)


def _event(problem: Problem, plan: VisitPlan, visit: Visit, stamp: dt.datetime, cancelled: bool = False):
    from icalendar import Event

    r, s = problem.researcher[visit.researcher_id], problem.school[visit.school_id]
    event = Event()
    event.add("uid", visit.uid(plan.term))
    event.add("dtstamp", stamp)
    # A re-plan raises SEQUENCE on every visit it moved or cancelled (RFC 5545 3.8.7.4): a calendar app
    # that imported the earlier file takes the later one's event over it, and drops a cancelled one.
    event.add("sequence", visit.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstart", dt.datetime.combine(visit.first, DAY_START, tzinfo=TZ))
    event.add("dtend", dt.datetime.combine(visit.last, DAY_END, tzinfo=TZ))
    joint = [plan.inspection_on(visit.school_id, day) for day in visit.days]
    joint = next((j for j in joint if j is not None), None)
    add_text(event, "summary", summary(problem, visit, joint is not None))
    add_text(event, "location", "，".join(x for x in (s.name, s.township) if x))
    add_text(event, "description", f"教研员：{r.name}（{r.id}，{'、'.join(r.stages)}{'、'.join(r.subjects)}）\n"
                                   f"联系学校：{s.name}（{s.id}）\n{plan.term} 第{visit.number}次到校"
                                   + (f"\n联合视导 {joint.day}：{'、'.join(problem.researcher[r].name for r in joint.researcher_ids)}"
                                      if joint else ""))
    event.add("categories", ["联系学校视导"])
    add_text(event, "x-assign-researcher", r.id)
    add_text(event, "x-assign-school", s.id)
    return event


@functools.cache
def shanghai_timezone():
    """The VTIMEZONE of Asia/Shanghai, made once: icalendar derives it from the zone's transitions,
    which took about two thirds of the time of writing a term's files when done once per file."""
    from icalendar import Timezone

    return Timezone.from_tzid(TZ.key)


def ics_bytes(problem: Problem, plan: VisitPlan, visits: list[Visit], name: str, stamp: dt.datetime | None = None,
              cancelled: list[Visit] = (), made: dict | None = None) -> bytes:
    """One VCALENDAR with one VEVENT per visit, and one STATUS:CANCELLED per visit a re-plan cancelled.
    `made`: the events of the files written so far (each visit is in the office's, its researcher's
    and its school's file), so each is made once."""
    made = {} if made is None else made

    def event(visit: Visit, gone: bool = False):
        key = (visit.researcher_id, visit.school_id, visit.number, gone)
        if key not in made:
            made[key] = _event(problem, plan, visit, stamp, cancelled=gone)
        return made[key]

    from icalendar import Calendar

    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    add_text(cal, "x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add_component(shanghai_timezone())
    for visit in sorted(visits, key=lambda v: (v.first, v.researcher_id, v.school_id)):
        cal.add_component(event(visit))
    for visit in sorted(cancelled, key=lambda v: (v.first, v.researcher_id, v.school_id)):
        cal.add_component(event(visit, gone=True))
    cal.add_missing_timezones()  # the VTIMEZONE that RFC 5545 wants for any other TZID an event names
    return cal.to_ical()


def write_ics(problem: Problem, plan: VisitPlan, out_dir: Path) -> list[Path]:
    """office.ics, researchers/<id>-<name>.ics and schools/<id>-<name>.ics under out_dir (names made safe by `FileNames`)."""
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    gone = [v for v in plan.cancelled if v.researcher_id in problem.researcher and v.school_id in problem.school]
    targets: list[tuple[Path, str, list[Visit], list[Visit]]] = [
        (out_dir / "office.ics", f"{problem.scenario.office.name} {plan.term} 联系学校视导", plan.visits, gone)]
    researcher_files, school_files = FileNames(), FileNames()
    # Each visit filed under its researcher and its school in one pass (not one scan of every visit per file).
    of_researcher, of_school = defaultdict(lambda: ([], [])), defaultdict(lambda: ([], []))
    for visit in plan.visits:
        of_researcher[visit.researcher_id][0].append(visit)
        of_school[visit.school_id][0].append(visit)
    for visit in gone:
        of_researcher[visit.researcher_id][1].append(visit)
        of_school[visit.school_id][1].append(visit)
    for rid in sorted(of_researcher):
        r = problem.researcher[rid]
        targets.append((out_dir / "researchers" / researcher_files.of(rid, r.name, ".ics"), f"{r.name} {plan.term} 联系学校视导",
                        *of_researcher[rid]))
    for sid in sorted(of_school):
        s = problem.school[sid]
        targets.append((out_dir / "schools" / school_files.of(sid, s.name, ".ics"), f"{s.name} {plan.term} 教研员到校", *of_school[sid]))
    paths, made = [], {}
    for path, name, visits, cancelled in targets:
        with atomic_path(path) as tmp:
            tmp.write_bytes(ics_bytes(problem, plan, visits, name, stamp, cancelled, made))
        paths.append(path)
    return paths


def read_ics(path: Path) -> list[dict]:
    """Events of an .ics file as dicts (uid, researcher, school, first, last, summary): for tests and checks."""
    from icalendar import Calendar

    cal = Calendar.from_ical(Path(path).read_bytes())
    events = []
    for ev in cal.walk("VEVENT"):
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        events.append({"uid": str(ev["uid"]), "researcher": str(ev["x-assign-researcher"]), "school": str(ev["x-assign-school"]),
                       "first": start.date(), "last": end.date(), "summary": str(ev["summary"]),
                       "sequence": int(ev.get("sequence", 0)), "status": str(ev.get("status", "")),
                       "tzid": start.tzinfo.key if hasattr(start.tzinfo, "key") else str(start.tzinfo)})
    return events
