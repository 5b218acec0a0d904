"""Visit calendars as iCalendar files (RFC 5545): one per researcher, one per school, one for the office.

A summary says who goes where: in the office's calendar and a school's, `王秀兰 → 河口镇第一小学（语文）`
(researcher → school (subjects)); in a researcher's own, the school first (`联系学校视导：河口镇第一小学（语文）`).
A joint inspection day names its team in both. An optional reminder (`--remind 1d`) is a VALARM
on each visit event.

Every event is timed in Asia/Shanghai and the file carries that VTIMEZONE (made once by icalendar,
`shanghai_timezone`). UIDs come from term, researcher, school and visit number, never
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
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from assign.calendar.visits import Visit, VisitPlan
from assign.export.activities import ROUTINE, purpose
from assign.export.atomic import atomic_path
from assign.export.cells import without_controls
from assign.export.safe_names import FileNames
from assign.export.visit_tables import team_names
from assign.locale import _
from assign.problem import Problem

TZ = ZoneInfo("Asia/Shanghai")
DAY_START, DAY_END = dt.time(8, 30), dt.time(16, 30)  # a school day on site
PRODID = "-//assign//教研员联系学校视导日历//ZH"
CALENDAR_END = b"END:VCALENDAR\r\n"  # how icalendar ends a calendar: the events go just before it
REMIND_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
REMIND_LONGEST = dt.timedelta(days=30)


def parse_reminder(text: str) -> dt.timedelta:
    """`1d`, `2h`, `30m` (or an ISO 8601 duration such as `P1D`, `PT2H`, read by pydantic): how long before
    a visit its reminder shows; anything else, or a time outside one minute … 30 days, is a ValueError saying so."""
    from pydantic import TypeAdapter, ValidationError

    value = text.strip().lower()
    found = re.fullmatch(r"(\d{1,6})\s*([dhm])", value)
    offset = None
    if found:
        offset = dt.timedelta(**{REMIND_UNITS[found[2]]: int(found[1])})
    elif value.startswith("p"):
        try:
            offset = TypeAdapter(dt.timedelta).validate_python(value.upper())
        except ValidationError:
            pass
    if offset is None or not dt.timedelta(minutes=1) <= offset <= REMIND_LONGEST:
        raise ValueError(_("{value!r} is not a reminder time: write a number and d, h or m (1d, 2h, 30m), "
                           "between one minute and {days} days").format(value=text, days=REMIND_LONGEST.days))
    return offset


VIEWS = ("office", "school", "researcher")  # whose calendar an event is written into


def summary(problem: Problem, plan: VisitPlan, visit: Visit, view: str = "office") -> str:
    """What a calendar app shows of a visit: `王秀兰 → 河口镇第一小学（语文）` in the office's and a school's
    calendar, `联系学校视导：河口镇第一小学（语文）` in the researcher's own; a joint inspection day adds its team
    (`王秀兰 → 河口镇中心小学（语文；联合视导：王秀兰、李明）`, `联合视导：河口镇中心小学（语文；视导组：王秀兰、李明）`);
    what the visit is for after it, compact (`（听课3节·校本教研）`), when it names more than a routine visit."""
    if view not in VIEWS:
        raise ValueError(f"unknown calendar view {view!r}")
    r, s = researcher_words(problem, visit.researcher_id), school_words(problem, visit.school_id)
    joint = plan.inspection_of(visit)
    team = (("视导组：" if view == "researcher" else "联合视导：") + team_names(problem, joint)) if joint else ""
    notes = "；".join(x for x in (r.subjects, team) if x)
    notes = (f"（{notes}）" if notes else "") + (f"（{purpose(visit)}）" if visit.activities else "")
    if view == "researcher":
        return f"{'联合视导' if joint else '联系学校视导'}：{s.name}{notes}"
    return f"{r.name} → {s.name}{notes}"


class Words:
    """A researcher's or school's words in a calendar: from the tables, or only the id when the tables
    no longer hold it (a researcher who left: their cancelled visits are still written, under their id)."""

    def __init__(self, id: str, name: str, subjects: str = "", stages: str = "", township: str = "") -> None:
        self.id, self.name, self.subjects, self.stages, self.township = id, name, subjects, stages, township


def researcher_words(problem: Problem, rid: str) -> Words:
    r = problem.researcher.get(rid)
    return Words(rid, r.name, "、".join(r.subjects), "、".join(r.stages)) if r is not None else Words(rid, rid)


def school_words(problem: Problem, sid: str) -> Words:
    s = problem.school.get(sid)
    return Words(sid, s.name, township=s.township) if s is not None else Words(sid, sid)


def ics_text(value: str):
    """A TEXT value for any property, X- ones included: escaped by icalendar, read back as written."""
    from icalendar import vText

    return vText(without_controls(value))


def add_text(component, name: str, value: str) -> None:
    # Without VALUE=TEXT an X- property is icalendar's vUnknown, written as is (a line break in it ends the line).
    component.add(name, ics_text(value), parameters={"VALUE": "TEXT"} if name.lower().startswith("x-") else None)


def _event(problem: Problem, plan: VisitPlan, visit: Visit, stamp: dt.datetime, cancelled: bool = False, view: str = "office",
           remind: dt.timedelta | None = None):
    from icalendar import Alarm, Event

    r, s = researcher_words(problem, visit.researcher_id), school_words(problem, visit.school_id)
    event = Event()
    event.add("uid", visit.uid(plan.term))
    event.add("dtstamp", stamp)
    # A re-plan raises SEQUENCE on every visit it moved or cancelled (RFC 5545 3.8.7.4): a calendar app
    # that imported the earlier file takes the later one's event over it, and drops a cancelled one.
    event.add("sequence", visit.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstart", dt.datetime.combine(visit.first, DAY_START, tzinfo=TZ))
    event.add("dtend", dt.datetime.combine(visit.last, DAY_END, tzinfo=TZ))
    joint = plan.inspection_of(visit)
    title = summary(problem, plan, visit, view)
    add_text(event, "summary", title)
    add_text(event, "location", "，".join(x for x in (s.name, s.township) if x))
    add_text(event, "description", f"教研员：{r.name}（{r.id}，{r.stages}{r.subjects}）\n"
                                   f"联系学校：{s.name}（{s.id}）\n{plan.term} 第{visit.number}次到校"
                                   + (f"\n联合视导 {joint.day}：{team_names(problem, joint)}"
                                      if joint else "")
                                   + "\n" + _("Activities: {activities}").format(activities=purpose(visit, "、") or ROUTINE))
    event.add("categories", ["联系学校视导"])
    add_text(event, "x-assign-researcher", r.id)
    add_text(event, "x-assign-school", s.id)
    if remind is not None and not cancelled:
        alarm = Alarm()  # RFC 5545 3.6.6: a DISPLAY alarm needs ACTION, TRIGGER and DESCRIPTION
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -remind)  # before DTSTART
        add_text(alarm, "description", title)
        event.add_component(alarm)
    return event


@functools.cache
def shanghai_timezone() -> bytes:
    """The VTIMEZONE of Asia/Shanghai as every file writes it, made once: icalendar derives it from the
    zone's transitions, which took about two thirds of the time of writing a term's files when done once per file."""
    from icalendar import Timezone

    return Timezone.from_tzid(TZ.key).to_ical()


def ics_bytes(problem: Problem, plan: VisitPlan, visits: list[Visit], name: str, stamp: dt.datetime | None = None,
              cancelled: list[Visit] = (), view: str = "office", remind: dt.timedelta | None = None, made: dict | None = None) -> bytes:
    """One VCALENDAR with one VEVENT per visit, and one STATUS:CANCELLED per visit a re-plan cancelled;
    `view` says whose calendar it is (the summary's order), `remind` adds a VALARM that long before each visit.
    `made`: the events of the files written so far, as written (each visit is in the office's, its
    researcher's and its school's file, the office's and the school's reading alike), so each is made
    and folded into lines once per reading: the events' own lines follow the calendar's properties and
    its VTIMEZONE byte for byte as icalendar writes a calendar holding them (a test compares)."""
    made = {} if made is None else made

    def event(visit: Visit, gone: bool = False) -> bytes:
        key = (visit.researcher_id, visit.school_id, visit.number, gone, view == "researcher")
        if key not in made:
            made[key] = _event(problem, plan, visit, stamp, cancelled=gone, view=view, remind=None if gone else remind).to_ical()
        return made[key]

    from icalendar import Calendar

    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    add_text(cal, "x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # Every time of an event is Shanghai's (`_event`): its VTIMEZONE is the only one wanted, written once too.
    events = [event(visit) for visit in sorted(visits, key=lambda v: (v.first, v.researcher_id, v.school_id))]
    events += [event(visit, gone=True) for visit in sorted(cancelled, key=lambda v: (v.first, v.researcher_id, v.school_id))]
    head = cal.to_ical()
    return head[:-len(CALENDAR_END)] + shanghai_timezone() + b"".join(events) + CALENDAR_END


def write_ics(problem: Problem, plan: VisitPlan, out_dir: Path, remind: dt.timedelta | None = None) -> list[Path]:
    """office.ics, researchers/<id>-<name>.ics and schools/<id>-<name>.ics under out_dir (names made safe by `FileNames`)."""
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    gone = plan.cancelled  # a cancelled visit of a researcher or school the tables no longer hold is still written, under its id
    targets: list[tuple[Path, str, list[Visit], list[Visit], str]] = [
        (out_dir / "office.ics", f"{problem.scenario.office.name} {plan.term} 联系学校视导", plan.visits, gone, "office")]
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
        r = researcher_words(problem, rid)
        targets.append((out_dir / "researchers" / researcher_files.of(rid, r.name, ".ics"), f"{r.name} {plan.term} 联系学校视导",
                        *of_researcher[rid], "researcher"))
    for sid in sorted(of_school):
        s = school_words(problem, sid)
        targets.append((out_dir / "schools" / school_files.of(sid, s.name, ".ics"), f"{s.name} {plan.term} 教研员到校", *of_school[sid], "school"))
    paths, made = [], {}
    for path, name, visits, cancelled, view in targets:
        with atomic_path(path) as tmp:
            tmp.write_bytes(ics_bytes(problem, plan, visits, name, stamp, cancelled, view, remind, made))
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
                       "first": start.date(), "last": end.date(), "summary": str(ev["summary"]), "description": str(ev.get("description", "")),
                       "sequence": int(ev.get("sequence", 0)), "status": str(ev.get("status", "")),
                       "tzid": start.tzinfo.key if hasattr(start.tzinfo, "key") else str(start.tzinfo)})
    return events
