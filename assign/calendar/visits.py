"""A term's visit plan as data: who is at which school on which days, how the solve went, and
what the audits found. It serialises to `visits-<term>.json` and reads back from it."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assign.locale import _
from assign.plan import TIMING_FIELDS, Finding, Status, TermValue

# UIDs are uuid5 in a namespace of our own: the same (term, researcher, school, visit number)
# always gives the same UID, so a calendar app updates an event instead of duplicating it.
UID_NAMESPACE = uuid.UUID("6f0b6a39-52c1-4c5e-9d2e-7d8f3f0c5a11")
# How long a term took: differs between runs, unlike the visits.
VISIT_TIMING_FIELDS = (*TIMING_FIELDS, "first_seconds", "improve_seconds", "audit_seconds")


class Visit(BaseModel):
    """One visit: a researcher on site at one contact school for one or more consecutive working days."""

    model_config = ConfigDict(frozen=True)
    researcher_id: str
    school_id: str
    number: int = Field(ge=1, description="1 for the pair's first visit of the term, 2 for the second …")
    days: tuple[dt.date, ...] = Field(min_length=1, description="the working days on site, in order")
    sequence: int = Field(0, ge=0, description="how often a re-plan moved or cancelled this visit (iCalendar SEQUENCE)")
    activities: tuple[str, ...] = Field((), description="what the visit is for, words of vocab.ACTIVITIES; empty = 视导")
    lessons: int = Field(0, ge=0, description="lessons the researcher plans to observe (听课) on this visit")

    @property
    def first(self) -> dt.date:
        return self.days[0]

    @property
    def last(self) -> dt.date:
        return self.days[-1]

    def uid(self, term: str) -> str:
        """Stable identifier: derived from term, researcher, school and visit number, never from the dates."""
        key = f"{term}/{self.researcher_id}/{self.school_id}/{self.number}"
        return f"{uuid.uuid5(UID_NAMESPACE, key)}@assign"


class VisitChange(BaseModel):
    """A future visit that a re-plan from today moved, cancelled or added, and why."""

    kind: Literal["moved", "cancelled", "added"]
    researcher_id: str
    school_id: str
    number: int
    before: tuple[dt.date, ...] = ()
    after: tuple[dt.date, ...] = ()
    why: list[str] = Field(default_factory=list, description="what the old visit breaks now, or why the change follows from another")


class JointInspection(BaseModel):
    """A joint inspection day (联合视导): a team at one school together, on one day."""

    model_config = ConfigDict(frozen=True)
    school_id: str
    day: dt.date
    researcher_ids: tuple[str, ...] = Field(description="the team on site that day")
    rule: str = Field("joint_inspection", description="the visit rule that planned it")


class VisitPlan(BaseModel):
    """The visits of one term, with the solve's status, objective terms, findings and warnings."""

    scenario: str
    term: str
    first: dt.date
    last: dt.date
    workdays: int = Field(0, description="working days in the term")
    status: Status
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    components: int = Field(1, description="independent models solved (groups of researchers linked by shared schools)")
    build_seconds: float = Field(0.0, description="seconds building the models after the first schedules (a fixed cost, not the time limit's)")
    solve_seconds: float = Field(0.0, description="seconds of CP-SAT's solves")
    first_seconds: float | None = Field(None, description="seconds to the first schedule of every group (the models CP-SAT started included)")
    improve_seconds: float | None = Field(None, description="seconds improving the first schedules (within the time limit; building aside)")
    audit_seconds: float = Field(0.0, description="seconds of the visit rules' audit")
    visits: list[Visit] = Field(default_factory=list)
    terms: list[TermValue] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list, description="when infeasible: the rules, entities and dates that clash")
    solver_settings: dict = Field(default_factory=dict)
    today: dt.date | None = Field(None, description="a re-plan: visits before this day are kept as they were")
    changes: list[VisitChange] = Field(default_factory=list, description="a re-plan: future visits moved, cancelled or added")
    cancelled: list[Visit] = Field(default_factory=list, description="a re-plan: visits of the previous calendar no longer held")
    inspections: list[JointInspection] = Field(default_factory=list, description="joint inspection days: a team at one school together")

    def inspection_on(self, school_id: str, day: dt.date) -> JointInspection | None:
        return next((j for j in self.inspections if j.school_id == school_id and j.day == day), None)

    def inspection_of(self, visit: Visit) -> JointInspection | None:
        """The joint inspection a visit is (part of), if any of its days is one at its school."""
        return next((j for j in (self.inspection_on(visit.school_id, day) for day in visit.days) if j is not None), None)

    @property
    def solved(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def of_researcher(self, researcher_id: str) -> list[Visit]:
        return sorted((v for v in self.visits if v.researcher_id == researcher_id), key=lambda v: (v.first, v.school_id))

    def of_school(self, school_id: str) -> list[Visit]:
        return sorted((v for v in self.visits if v.school_id == school_id), key=lambda v: (v.first, v.researcher_id))

    def by_day(self) -> dict[dt.date, list[Visit]]:
        out: dict[dt.date, list[Visit]] = {}
        for v in sorted(self.visits, key=lambda v: (v.first, v.researcher_id)):
            for day in v.days:
                out.setdefault(day, []).append(v)
        return out

    def severity_count(self, severity: Literal["error", "warning"]) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @classmethod
    def read(cls, path: str | Path) -> "VisitPlan":
        """A visits.json written by `assign calendar`; anything else is one InputError naming the file."""
        from pydantic import ValidationError

        from assign.errors import InputError

        try:
            return cls.model_validate_json(Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf"))
        except (OSError, ValidationError) as exc:
            detail = str(exc).splitlines()
            what = "; ".join(line.strip() for line in detail[1:3]) if isinstance(exc, ValidationError) else detail[0]
            raise InputError.at(path, None, None, None, _("a visits.json written by `assign calendar` ({what})").format(what=what)) from None
