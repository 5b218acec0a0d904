"""The record of a term's visits (联系工作记录) as data: what each researcher reports of each planned visit
(done or not, when, lessons observed, activities held, backbone teachers met), kept with the plan in
`records.json` beside the term's calendar files.

Records are merged, never replaced wholesale: a record already imported is never lost. A row read
again from the same file (a newer copy of it) updates its record; the same visit reported with other
values by another file is a conflict, reported and kept beside the earlier record (which still counts)
until the two agree or the newer one is taken on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assign.calendar.visits import Visit
from assign.errors import InputError
from assign.locale import _

RECORDS_FILE = "records.json"


def extra_key(term: str, researcher_id: str, school_id: str, day: dt.date) -> str:
    """The key of a visit nobody planned (a row added to the record by hand): its pair and actual date."""
    return f"{term}/{researcher_id}/{school_id}/+{day.isoformat()}"


class VisitRecord(BaseModel):
    """One row of a filled record: a planned visit (`key` = the visit's UID) or one added by hand."""

    model_config = ConfigDict(frozen=True)
    key: str = Field(description="the planned visit's UID, or `extra_key` for a visit added by hand")
    researcher_id: str
    school_id: str
    number: int | None = Field(None, description="the planned visit's number; None for a visit added by hand")
    planned: tuple[dt.date, ...] = Field((), description="the planned days (empty for a visit added by hand)")
    done: bool
    day: dt.date | None = Field(None, description="the day the visit was made (the planned first day when 是 and no 实际日期)")
    days: tuple[dt.date, ...] = Field((), description="the days on site (a moved visit keeps its planned length in working days); "
                                                      "empty when not made")
    lessons: int = Field(0, ge=0)
    activities: tuple[str, ...] = Field((), description="words of vocab.ACTIVITIES")
    backbone_teachers: tuple[str, ...] = Field((), description="names of the backbone teachers met")
    notes: str = ""
    source: str = Field(description="the file it was read from")
    sheet: str | None = None
    row: int = 0

    def values(self) -> tuple:
        """What the researcher reported: two records of a visit with equal values agree, wherever they were read."""
        return (self.done, self.day, self.lessons, tuple(sorted(self.activities)), tuple(sorted(self.backbone_teachers)), self.notes)

    @property
    def moved(self) -> bool:
        return self.done and bool(self.planned) and self.day is not None and self.day != self.planned[0]

    def on_site(self) -> list[dt.date]:
        """The days on site this record reports (none for a visit not made)."""
        return list(self.days) if self.done else []


class RecordConflict(BaseModel):
    """The same visit reported with other values by another file: the earlier record is kept until resolved."""

    key: str
    kept: VisitRecord
    other: VisitRecord


class RecordSource(BaseModel):
    """A file imported: when, its content hash, and its modification time (a re-import must not be older)."""

    file: str
    sha256: str
    modified: dt.datetime
    imported: dt.datetime
    rows: int


class RecordBook(BaseModel):
    """`records.json`: every record of one term, the conflicts waiting to be resolved, the files read."""

    scenario: str
    term: str
    records: list[VisitRecord] = Field(default_factory=list)
    conflicts: list[RecordConflict] = Field(default_factory=list)
    sources: list[RecordSource] = Field(default_factory=list)

    def by_key(self) -> dict[str, VisitRecord]:
        return {r.key: r for r in self.records}

    def source(self, file: str) -> RecordSource | None:
        return next((s for s in self.sources if s.file == file), None)

    @classmethod
    def read(cls, path: Path) -> "RecordBook":
        try:
            return cls.model_validate_json(Path(path).read_bytes())
        except (OSError, ValidationError) as exc:
            raise InputError.at(path, None, None, None, _("a records.json written by `assign record import` ({detail})").format(
                detail=str(exc).splitlines()[0])) from None


def file_identity(path: Path) -> tuple[str, dt.datetime]:
    """(SHA-256 of the content, modification time) of a record file."""
    data = Path(path).read_bytes()
    return hashlib.sha256(data).hexdigest(), dt.datetime.fromtimestamp(Path(path).stat().st_mtime).replace(microsecond=0)


class MergeResult(BaseModel):
    """What one import did: records added and updated, new conflicts, rows of an older copy not taken."""

    book: RecordBook
    added: list[VisitRecord] = Field(default_factory=list)
    updated: list[VisitRecord] = Field(default_factory=list)
    unchanged: int = 0
    conflicts: list[RecordConflict] = Field(default_factory=list)
    resolved: list[str] = Field(default_factory=list, description="keys whose conflict this import settled")
    stale: list[str] = Field(default_factory=list, description="files older than the copy imported before: their rows were not taken")


def merge(book: RecordBook, incoming: list[VisitRecord], sources: list[RecordSource], replace: bool = False) -> MergeResult:
    """`book` with `incoming` merged in, file by file in the order given.

    A record of the same visit from the same file updates it (a newer copy of the file; an older one is
    not taken at all); from another file, equal values leave it be and other values are a conflict, the
    earlier record kept, unless `replace` takes the incoming one. A later import in which the two agree,
    or which takes one side, settles the conflict. Nothing already imported is ever dropped.
    """
    records = book.by_key()
    conflicts = {c.key: c for c in book.conflicts}
    known = {s.file: s for s in book.sources}
    result = MergeResult(book=book)
    taken_files = set()
    for source in sources:
        before = known.get(source.file)
        if before is not None and source.modified < before.modified and source.sha256 != before.sha256:
            result.stale.append(source.file)
            continue
        taken_files.add(source.file)
        known[source.file] = source
    for record in incoming:
        if record.source not in taken_files:
            continue
        old, conflict = records.get(record.key), conflicts.get(record.key)
        if old is None:
            records[record.key] = record
            result.added.append(record)
            continue
        if replace or old.source == record.source:  # a newer copy of the same file, or taken on purpose
            records[record.key] = record
            if old.values() == record.values():
                result.unchanged += 1
            else:
                result.updated.append(record)
            if conflict is not None:
                if replace or conflict.other.values() == record.values():
                    conflicts.pop(record.key)
                    result.resolved.append(record.key)
                else:
                    conflicts[record.key] = RecordConflict(key=record.key, kept=record, other=conflict.other)
            continue
        if old.values() == record.values():  # another file says the same: nothing to settle
            result.unchanged += 1
            if conflict is not None and conflict.other.source == record.source:
                conflicts.pop(record.key)
                result.resolved.append(record.key)
            continue
        if conflict is not None and conflict.other.source == record.source and conflict.other.values() == record.values():
            continue  # the same conflict as before, still open
        conflicts[record.key] = RecordConflict(key=record.key, kept=old, other=record)
        result.conflicts.append(conflicts[record.key])
    result.book = book.model_copy(update={
        "records": sorted(records.values(), key=lambda r: (r.researcher_id, r.planned[:1] or (r.day,), r.school_id, r.key)),
        "conflicts": [conflicts[k] for k in sorted(conflicts)],
        "sources": sorted(known.values(), key=lambda s: s.file),
    })
    return result


def visit_of(visits: list[Visit], researcher_id: str, school_id: str, planned: dt.date | None) -> Visit | None:
    """The planned visit of a pair on a planned day (its first day, or any day of a longer visit)."""
    if planned is None:
        return None
    return next((v for v in visits if v.researcher_id == researcher_id and v.school_id == school_id and planned in v.days), None)
