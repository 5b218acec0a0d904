"""Everything `assign calendar` writes for one term, as one set: the visit tables and the .ics files.

The set replaces the previous one in its folder as a unit (`atomic_folder`), so a calendar made
again after a researcher left the plan leaves no stale .ics file of theirs behind, and a run killed
half-way leaves the previous set whole.
"""

from __future__ import annotations

from pathlib import Path

from assign.calendar.terms import load_terms
from assign.calendar.visits import VisitPlan
from assign.export.atomic import atomic_folder
from assign.export.ics import write_ics
from assign.export.visit_tables import write_visit_tables
from assign.problem import Problem

TERM_FILES = ("visits.xlsx", "visits.csv", "visits.md", "visits.json", "changes.csv", "ics")


def write_term_files(problem: Problem, visits: VisitPlan, out_dir: Path, title: str) -> list[Path]:
    """visits.xlsx, visits.csv, visits.md, visits.json and ics/ (office, per researcher, per school) in out_dir."""
    out_dir = Path(out_dir)
    with atomic_folder(out_dir, TERM_FILES) as stage:
        workdays = load_terms(problem, visits.term)[0].days  # the days the scheduler could use: the month grid shades the rest
        written = write_visit_tables(problem, visits, stage, title, workdays) + write_ics(problem, visits, stage / "ics")
    return [out_dir / path.relative_to(stage) for path in written]
