"""Reading filled visit records (联系工作记录表): our own template as a researcher filled it, or the office's
own variation of it (title rows, blank rows, columns moved or added, one sheet per researcher or one for
all), as every other table is read (`assign.inputs.tables`).

Every sheet of a workbook that has the record's columns is read; the hidden 编号 sheet our template
writes ties each pre-filled row to its planned visit, so a row keeps its visit even after a re-plan moved
it. A row is matched to a planned visit by researcher, school and planned date otherwise; a row with
no planned visit is a visit added by hand. Rows nobody filled in yet are no record. Every bad cell of
every file is collected and reported together (file, sheet, row, column as written, value, expected).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from assign import vocab
from assign.calendar.records import VisitRecord, extra_key, visit_of
from assign.calendar.visits import VisitPlan
from assign.calendar.workdays import TermDays
from assign.errors import CellProblem, InputError
from assign.inputs.tables import Table, has_columns, read_sheet, read_table, sheet_titles
from assign.locale import _
from assign.models import DateRange
from assign.problem import Problem

# canonical field → accepted headers (our template writes the first Chinese one).
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "researcher": ("researcher", "教研员", "姓名"),
    "researcher_id": ("researcher_id", "工号"),
    "school": ("school", "联系学校", "学校", "学校名称"),
    "school_id": ("school_id", "学校代码"),
    "planned": ("planned", "计划日期"),
    "purpose": ("purpose", "计划活动", "到校目的"),
    "done": ("done", "是否完成", "完成情况"),
    "day": ("actual_date", "实际日期", "到校日期"),
    "lessons": ("lessons", "听课节数"),
    "activities": ("activities", "开展活动", "活动内容"),
    "backbone_teachers": ("backbone_teachers", "指导骨干教师", "骨干教师"),
    "notes": ("notes", "备注"),
}
RECORD_REQUIRED = ("done",)  # with a researcher column and a school column (by name or by code), checked after
FILLED = ("done", "day", "lessons", "activities", "backbone_teachers", "notes")  # what the researcher writes in
IDS_SHEET = "编号"
IDS_HEADERS = ["工作表", "行", "UID", "工号", "学校代码", "计划日期"]
MAX_LESSONS_A_DAY = 12  # more lessons observed in one day on site is a typo


@dataclass
class RecordRead:
    """What reading some record files gave: the records, the problems (nothing is kept when there is
    one), warnings, and the rows not filled in yet."""

    records: list[VisitRecord] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blank_rows: int = 0


def read_records(paths: list[Path], problem: Problem, visits: VisitPlan, term: TermDays, is_workday) -> RecordRead:
    """Read every record sheet of every file. `is_workday(day)` says whether a day is a working day."""
    out = RecordRead()
    for path in paths:
        try:
            read_file(Path(path), problem, visits, term, is_workday, out)
        except InputError as exc:
            out.problems += exc.problems
    return out


def read_file(path: Path, problem: Problem, visits: VisitPlan, term: TermDays, is_workday, out: RecordRead) -> None:
    titles = sheet_titles(path) or [None]
    ids = ids_of(path) if IDS_SHEET in titles else {}
    read_any = False
    for title in titles:
        where = path if title is None else Path(f"{path}#{title}")
        if title == IDS_SHEET or not has_columns(read_sheet(where).rows, RECORD_COLUMNS, RECORD_REQUIRED):
            continue
        read_any = True
        table = read_table(where, RECORD_COLUMNS, RECORD_REQUIRED)
        if not ids:  # our own template's title rows are no news
            out.warnings += table.notes
        missing = [RECORD_COLUMNS[f][1] for f, alt in (("researcher", "researcher_id"), ("school", "school_id"))
                   if f not in table.headers and alt not in table.headers]
        if missing:
            out.problems.append(CellProblem(table.where, None, None, "、".join(missing),
                                            _("missing column(s): a record names the researcher and the school of each visit")))
            continue
        for row in table.rows:
            read_row(table, row, problem, visits, term, is_workday, ids.get((table.sheet, row.number)), out)
    if not read_any:
        wanted = "、".join(RECORD_COLUMNS[f][1] for f in ("researcher", "school", "done"))
        out.problems.append(CellProblem(str(path), None, None, None,
                                        _("no sheet with the columns of a visit record ({columns})").format(columns=wanted)))


def ids_of(path: Path) -> dict[tuple[str | None, int], tuple[str, str, str, str]]:
    """(sheet, row) → (UID, researcher id, school id, planned date) from the hidden 编号 sheet of our template."""
    rows = read_sheet(Path(f"{path}#{IDS_SHEET}")).rows
    out = {}
    for cells in rows[1:]:
        cells = [("" if c is None else str(c).strip()) for c in cells] + [""] * 6
        if cells[1].isdigit() and cells[2]:
            out[cells[0], int(cells[1])] = (cells[2], cells[3], cells[4], cells[5][:10])
    return out


def find_one(lookup: dict[str, list[str]], text: str) -> list[str]:
    return lookup.get(vocab.tidy_spaces(text, join_cjk=True), [])


def read_row(table: Table, row, problem: Problem, visits: VisitPlan, term: TermDays, is_workday, ids, out: RecordRead) -> None:
    values = row.values
    if all(values.get(f) in (None, "") for f in FILLED):
        out.blank_rows += 1
        return
    problems: list[CellProblem] = []

    def bad(field_name: str, value: object, expected: str) -> None:
        problems.append(CellProblem(table.where, row.number, table.header(field_name), value, expected))

    rid = who(table, values, "researcher", "researcher_id", {r.id: [r.id] for r in problem.researchers}, names_of(problem.researchers), bad)
    sid = who(table, values, "school", "school_id", {s.id: [s.id] for s in problem.schools}, names_of(problem.schools), bad)
    planned = day_of(values.get("planned"), "planned", bad)
    day = day_of(values.get("day"), "day", bad)
    done = None
    cell = values.get("done")
    text = "" if cell is None else str(cell).strip().lower()
    if text in vocab.TRUE_WORDS - {"中心校"}:
        done = True
    elif text and text in vocab.FALSE_WORDS:
        done = False
    elif not text:
        if day is not None:
            done = True  # an actual date says it was made
        else:
            bad("done", cell, _("是 or 否: was the visit made?"))
    else:
        bad("done", cell, _("是 or 否 (yes or no)"))
    if done is False and day is not None:
        bad("day", values.get("day"), _("empty when the visit was not made (是否完成 否); write 是 if it was made on this day"))
    if day is not None and not term.first <= day <= term.last:
        bad("day", day, _("a day of the term {term} ({first}~{last})").format(term=term.name, first=term.first, last=term.last))
    elif day is not None and not is_workday(day):
        out.warnings.append(_("{where}, row {row}: {day} is not a working day; kept as written").format(
            where=table.where, row=row.number, day=day))
    lessons = 0
    cell = values.get("lessons")
    if cell not in (None, ""):
        number = whole_number(cell)
        if number is None or not 0 <= number <= MAX_LESSONS_A_DAY * 5:
            bad("lessons", cell, _("a whole number of lessons observed (e.g. 3)"))
        else:
            lessons = number
    activities: tuple[str, ...] = ()
    try:
        activities = vocab.parse_activities(values.get("activities"))
    except ValueError as exc:
        bad("activities", values.get("activities"),
            _("activities among {words} (unknown: {word})").format(words="、".join(vocab.ACTIVITIES), word=exc.args[0]))
    if lessons and "听课" not in activities:
        activities = tuple(a for a in vocab.ACTIVITIES if a in {*activities, "听课"})
    teachers = tuple(dict.fromkeys(vocab.tidy_spaces(n, join_cjk=True) for n in vocab.split_list(values.get("backbone_teachers"))))
    if problems or rid is None or sid is None or done is None:
        out.problems += problems
        return
    planned_visit = None
    key = None
    if ids is not None and ids[1:3] == (rid, sid) and (planned is None or ids[3] == planned.isoformat()):
        key = ids[0]
        planned_visit = next((v for v in visits.visits if v.uid(visits.term) == key), None)
    if key is None:
        planned_visit = visit_of(visits.visits, rid, sid, planned)
        key = planned_visit.uid(visits.term) if planned_visit is not None else None
    if key is None:
        if day is None:
            bad("planned", values.get("planned"),
                _("the date of a visit planned for this researcher at this school, or an actual date (实际日期)"))
            out.problems += problems
            return
        key = extra_key(visits.term, rid, sid, day)
        if planned is not None:
            out.warnings.append(_("{where}, row {row}: no visit of {researcher} to {school} was planned on {day}; kept as a visit added by hand")
                                .format(where=table.where, row=row.number, researcher=problem.researcher[rid].name,
                                        school=problem.school[sid].name, day=planned))
    # The days the row planned: the calendar's, unless a re-plan moved the visit since the form was printed (then the row's date).
    planned_days = planned_visit.days if planned_visit is not None else ()
    if planned is not None and planned not in planned_days:
        planned_days = on_site(planned, planned_visit.days, is_workday) if planned_visit is not None else (planned,)
    if done and day is None:  # made as the row planned it (a re-plan may have moved the visit since the form was printed)
        day = planned if planned is not None else planned_visit.first if planned_visit is not None else None
    if (rid, sid) not in {(v.researcher_id, v.school_id) for v in visits.visits}:
        out.warnings.append(_("{where}, row {row}: {school} is not a contact school of {researcher} in this term's calendar").format(
            where=table.where, row=row.number, school=problem.school[sid].name, researcher=problem.researcher[rid].name))
    out.records.append(VisitRecord(
        key=key, researcher_id=rid, school_id=sid, number=planned_visit.number if planned_visit is not None else None,
        planned=planned_days, done=done, day=day, days=on_site(day, planned_days, is_workday) if done else (),
        lessons=lessons, activities=activities,
        backbone_teachers=teachers, notes=str(values.get("notes") or ""), source=str(table.path), sheet=table.sheet, row=row.number))


def on_site(day: dt.date, planned: tuple[dt.date, ...], is_workday) -> tuple[dt.date, ...]:
    """The days on site of a visit made on `day`: the planned ones when it kept its date, else as many working
    days from `day` as were planned (one for a visit added by hand)."""
    if planned and day == planned[0]:
        return planned
    days, current = [day], day
    while len(days) < max(1, len(planned)):
        current += dt.timedelta(days=1)
        if is_workday(current):
            days.append(current)
    return tuple(days)


def names_of(entities) -> dict[str, list[str]]:
    """Tidied name → the ids of that name (two schools of one name are told apart by their code)."""
    out: dict[str, list[str]] = {}
    for e in entities:
        out.setdefault(vocab.tidy_spaces(e.name, join_cjk=True), []).append(e.id)
    return out


def who(table: Table, values: dict, name_field: str, id_field: str, ids: dict[str, list[str]], names: dict[str, list[str]], bad) -> str | None:
    """The id a row names, by its code column when it has one, else by name; unknown or ambiguous → a problem."""
    code, name = values.get(id_field), values.get(name_field)
    if code not in (None, ""):
        found = find_one(ids, str(code))
        if not found:
            bad(id_field, code, _("a known code") + vocab.did_you_mean(str(code), ids))
        return found[0] if found else None
    if name in (None, ""):
        bad(name_field, None, _("a name"))
        return None
    found = find_one(names, str(name))
    if len(found) == 1:
        return found[0]
    if found:
        bad(name_field, name, _("one of {ids}: the name is given to several; add a code column").format(ids="、".join(found)))
    else:
        bad(name_field, name, _("a name of the scenario's tables") + vocab.did_you_mean(str(name), names))
    return None


def day_of(cell: object, field_name: str, bad) -> dt.date | None:
    if cell in (None, ""):
        return None
    try:
        ranges = DateRange.parse_cell(cell)
    except ValueError as exc:
        bad(field_name, cell, str(exc))
        return None
    if len(ranges) != 1 or ranges[0].first != ranges[0].last:
        bad(field_name, cell, _("one day, e.g. 2026-10-14"))
        return None
    return ranges[0].first


def whole_number(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = str(cell).strip()
    return int(text) if text.isdigit() and text.isascii() else None
