"""What the record commands (`assign record`, `progress`, `summary`) work on: one term's calendar, found in
its folder (`visits.json`, written by `assign calendar`) or scheduled now when there is none, and the
record kept beside it (`records.json`), with the records of the other terms of its school year.

A calendar scheduled here is handed back with `scheduled` set, so that the command writes it into the
folder as `assign calendar` would: a record then always has its calendar beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from assign.analysis.sources import plan_of, read_plan_for
from assign.calendar.records import RECORDS_FILE, MergeResult, RecordBook, RecordSource, file_identity, merge
from assign.calendar.terms import load_terms, parse_rules, workdays_of
from assign.calendar.visit_solve import schedule_term
from assign.calendar.visits import VisitPlan
from assign.calendar.workdays import TermDays
from assign.errors import InputError, NoPlanError
from assign.export.safe_names import folder_name
from assign.inputs.record_sheet import RecordRead, read_records
from assign.load import load_scenario
from assign.locale import _
from assign.problem import PolicyUse, Problem
from assign.solver.cpsat import Progress

VISITS_FILE = "visits.json"


@dataclass
class TermRecord:
    problem: Problem
    pairs: list[tuple[str, str]]
    term: TermDays
    year_terms: tuple[TermDays, ...]
    rules: tuple[PolicyUse, ...]
    visits: VisitPlan
    folder: Path
    book: RecordBook
    books: dict[str, RecordBook]  # the record of each term of the school year that has one (this term's included)
    scheduled: bool = False  # the calendar was scheduled now (not read from the folder): write it there

    def is_workday(self, day: dt.date) -> bool:
        return workdays_of(self.problem).is_workday(day)[0]

    @property
    def records_path(self) -> Path:
        return self.folder / RECORDS_FILE


def term_folder(folder: Path, term: str) -> Path:
    """The calendar folder of another term beside this one (`calendar-<term>`, as `assign calendar` names them)."""
    return folder.parent / folder_name(f"calendar-{term}")


def open_term(scenario: Path, term_name: str, folder: Path, plan_path: Path | None = None, workers: int | None = None,
              seed: int | None = None, progress: Progress | None = None) -> TermRecord:
    """The term's calendar from `folder` (or scheduled now, for the plan of `plan_path` or of a solve) and its records."""
    visits_path = folder / VISITS_FILE
    scheduled = False
    if visits_path.exists():
        problem = load_scenario(scenario)
        visits = VisitPlan.read(visits_path)
        if visits.term != term_name:
            raise InputError.at(visits_path, None, "term", visits.term, _("the calendar of term {term}").format(term=term_name))
        unknown = sorted({v.researcher_id for v in visits.visits if v.researcher_id not in problem.researcher}
                         | {v.school_id for v in visits.visits if v.school_id not in problem.school})
        if unknown:
            raise InputError.at(visits_path, None, None, "、".join(unknown[:10]),
                                _("ids of the scenario {scenario}: the calendar is of another county").format(scenario=problem.source))
        plan_pairs = sorted({(a.researcher_id, a.school_id) for a in read_plan_for(problem, plan_path).pairs}) if plan_path else None
    else:
        problem, plan = plan_of(plan_path or scenario, scenario if plan_path else None, workers, seed, progress)
        visits, _schedule = schedule_term(problem, plan, term_name, workers=workers, seed=seed)
        if not visits.solved:
            raise NoPlanError(_("no calendar for {term}: status {status}; `assign calendar` says why").format(term=term_name, status=visits.status))
        plan_pairs = sorted({(a.researcher_id, a.school_id) for a in plan.pairs})
        scheduled = True
    term, year_terms = load_terms(problem, term_name)
    pairs = plan_pairs if plan_pairs is not None else sorted({(v.researcher_id, v.school_id) for v in visits.visits})
    books = {}
    for other in year_terms:
        path = (folder if other.name == term.name else term_folder(folder, other.name)) / RECORDS_FILE
        if path.exists():
            books[other.name] = RecordBook.read(path)
    book = books.get(term.name) or RecordBook(scenario=problem.name, term=term.name)
    if book.term != term.name:
        raise InputError.at(folder / RECORDS_FILE, None, "term", book.term, _("the record of term {term}").format(term=term.name))
    return TermRecord(problem, pairs, term, year_terms, parse_rules(problem), visits, folder, book, books, scheduled)


def import_records(record: TermRecord, files: list[Path], replace: bool = False, now: dt.datetime | None = None) -> tuple[MergeResult, RecordRead]:
    """Read `files` and merge their rows into the term's record. Any bad cell in any file is one InputError
    listing them all, and nothing is merged; the caller writes `result.book` only after this returns."""
    read = read_records(files, record.problem, record.visits, record.term, record.is_workday)
    if read.problems:
        raise InputError(read.problems)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    sources = []
    for path in files:
        sha256, modified = file_identity(path)
        sources.append(RecordSource(file=str(path), sha256=sha256, modified=modified, imported=now,
                                    rows=sum(1 for r in read.records if r.source == str(path))))
    return merge(record.book, read.records, sources, replace=replace), read


def kept_files(record: TermRecord) -> list[Path]:
    """The scenario's own record files of the term (`calendar.records`) not imported as they are now: changed or new."""
    cal = record.problem.scenario.calendar
    base = Path(record.problem.source).parent
    out = []
    for name in cal.record_files(record.term.name) if cal is not None else []:
        path = base / name
        known = record.book.source(str(path))
        if known is None or known.sha256 != file_identity(path)[0]:
            out.append(path)
    return out


def recorded_progress(scenario: Path, term_name: str, folder: Path, as_of: dt.date | None = None):
    """The term's progress when its folder holds a calendar and an imported record (else None): the report's progress view."""
    from assign.calendar.progress import progress

    if not (folder / VISITS_FILE).exists() or not (folder / RECORDS_FILE).exists():
        return None
    record = open_term(scenario, term_name, folder)
    day = as_of or min(max(dt.date.today(), record.term.first - dt.timedelta(days=1)), record.term.last)
    return progress(record.problem, record.pairs, record.rules, record.term, record.year_terms, record.visits, record.books, day)
