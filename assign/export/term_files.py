"""Everything `assign calendar` writes for one term, as one set: the visit tables, the .ics files and
the manifest that lists them.

The set replaces the previous one in its folder as a unit (`atomic_folder`): the previous export's
manifest says which files were its own, so a calendar made again after a researcher left the plan
leaves no stale .ics file of theirs behind, a file the office put in the folder (even among the .ics
files) stays, and a run killed half-way leaves the previous set whole. A folder exported before
manifests existed is taken to own the names in TERM_FILES, as it did then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assign.calendar.terms import load_terms
from assign.calendar.visits import VisitPlan
from assign.errors import InputError
from assign.export.atomic import atomic_folder
from assign.export.ics import write_ics
from assign.export.manifest import MANIFEST, read_manifest, write_manifest
from assign.export.visit_tables import write_visit_tables
from assign.problem import Problem

TERM_FILES = ("visits.xlsx", "visits.csv", "visits.md", "visits.json", "changes.csv", "ics", MANIFEST)
KIND = "calendar"


def calendar_title(problem: Problem, term: str) -> str:
    """The title every table of a term's calendar carries: 示范县教研室2026秋教研员联系学校视导安排."""
    return f"{problem.scenario.office.name}{term}教研员联系学校视导安排"


def write_term_files(problem: Problem, visits: VisitPlan, out_dir: Path, title: str, remind: dt.timedelta | None = None) -> list[Path]:
    """visits.xlsx, visits.csv, visits.md, visits.json, ics/ (office, per researcher, per school; with a
    VALARM `remind` before each visit) and manifest.json in out_dir."""
    out_dir = Path(out_dir)
    before = read_manifest(out_dir, KIND)
    with atomic_folder(out_dir, before.paths() if before is not None else TERM_FILES) as stage:
        workdays = load_terms(problem, visits.term)[0].days  # the days the scheduler could use: the month grid shades the rest
        written = write_visit_tables(problem, visits, stage, title, workdays) + write_ics(problem, visits, stage / "ics", remind)
        written.append(write_manifest(stage, written, KIND, term=visits.term, scenario=visits.scenario))
    return [out_dir / path.relative_to(stage) for path in written]


def previous_export(out_dir: Path, term: str) -> VisitPlan | None:
    """The visits.json of the previous export of `term` in out_dir (the one its manifest lists, or, in a
    folder exported before manifests, the one there), or None: a first export, another term's folder,
    or a visits.json that cannot be read (the export then starts afresh, as before)."""
    out_dir = Path(out_dir)
    before = read_manifest(out_dir, KIND)
    path = out_dir / "visits.json"
    if (before is not None and "visits.json" not in before.paths()) or not path.is_file():
        return None
    try:
        previous = VisitPlan.read(path)
    except InputError:
        return None
    return previous if previous.term == term else None
