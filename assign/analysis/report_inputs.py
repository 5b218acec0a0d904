"""What `assign report` draws from: a problem, its plan, a term's visits and, for a what-if, a base plan.

A report is given either a scenario (solved here, and its first or named term scheduled when the
scenario has a calendar) or a saved `plan.json` with its scenario (`assign.analysis.sources`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assign.analysis.sources import is_plan_file, plan_of
from assign.calendar.visit_solve import schedule_term
from assign.calendar.visits import VisitPlan
from assign.errors import AssignError
from assign.plan import Plan
from assign.problem import Problem
from assign.travel.roads import read_nodes


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report shows; `base` and `visits` are optional parts."""

    problem: Problem
    plan: Plan
    visits: VisitPlan | None = None
    base: Plan | None = None
    base_problem: Problem | None = None  # the base's own scenario (a what-if may add researchers or schools)
    node_coords: dict[str, tuple[float, float]] | None = None  # road nodes, to place schools and bases given by node
    workdays: tuple[dt.date, ...] = ()  # the term's working days, so the month view can grey holidays and weekends


def node_coords_of(problem: Problem) -> dict[str, tuple[float, float]]:
    """The road nodes' lon/lat, when the scenario has a nodes table (schools and bases may sit on a node)."""
    data = problem.scenario.data
    if data.nodes is None or not problem.source:
        return {}
    path = Path(problem.source).parent / data.nodes
    return read_nodes(path) if path.exists() else {}


def gather(
    source: Path,
    *,
    scenario: Path | None = None,
    term: str | None = None,
    base: Path | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportInputs:
    """Solve or read the plan, schedule the term when there is a calendar, and solve or read the base."""
    problem, plan = plan_of(Path(source), scenario, workers, seed, progress)
    visits, workdays = None, ()
    cal = problem.scenario.calendar
    if cal is not None and cal.terms:
        visits, schedule = schedule_term(problem, plan, term or cal.terms[0].name, workers=workers, seed=seed)
        workdays = schedule.term.days
    elif term is not None:
        raise AssignError(f"{problem.source}: --term {term}: the scenario has no `calendar:` section")
    base_plan = base_problem = None
    if base is not None:
        # A base plan.json is read against the report's own scenario unless it is a scenario itself.
        base_problem, base_plan = plan_of(Path(base), scenario or (None if is_plan_file(source) else Path(source)), workers, seed, progress)
    return ReportInputs(problem, plan, visits, base_plan, base_problem, node_coords_of(problem), workdays)
