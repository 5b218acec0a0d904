"""What `assign report` draws from: a problem, its plan, a term's visits and, for a what-if, a base plan.

A report is given either a scenario (solved here, and its first or named term scheduled when the
scenario has a calendar) or a saved `plan.json` with its scenario (`assign.analysis.sources`).
With a base, a scenario is re-planned from the base's plan as `assign compare` does (the same
question gets the same answer: only the pairs the change needs move).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assign.analysis.replan import solve_from, with_previous
from assign.analysis.sources import is_plan_file, plan_of
from assign.calendar.progress import Progress
from assign.calendar.visit_solve import schedule_term
from assign.calendar.visits import VisitPlan
from assign.errors import AssignError, NoPlanError
from assign.load import load_scenario
from assign.locale import _
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
    progress: Progress | None = None  # the term's record against its targets, when one was imported (`assign record import`)


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
    """Solve or read the base, then the plan (a scenario re-planned from the base), and schedule the term
    when there is a calendar."""
    base_plan = base_problem = None
    if base is not None:
        # A base plan.json is read against the report's own scenario unless it is a scenario itself.
        base_problem, base_plan = plan_of(Path(base), scenario or (None if is_plan_file(source) else Path(source)), workers, seed, progress)
    if base_plan is not None and not is_plan_file(Path(source)):
        problem, _gone = with_previous(load_scenario(source), sorted(base_plan.pair_set()))
        plan = solve_from(problem, workers=workers, seed=seed, progress=progress)
        if not plan.solved:
            raise NoPlanError(_("no plan: {source}: status {status}; `assign solve {source}` says why").format(source=source, status=plan.status))
    else:
        problem, plan = plan_of(Path(source), scenario, workers, seed, progress)
    visits, workdays = None, ()
    cal = problem.scenario.calendar
    if cal is not None and cal.terms:
        visits, schedule = schedule_term(problem, plan, term or cal.terms[0].name, workers=workers, seed=seed)
        workdays = schedule.term.days
    elif term is not None:
        raise AssignError(_("{source}: --term {term}: the scenario has no `calendar:` section").format(source=problem.source, term=term))
    return ReportInputs(problem, plan, visits, base_plan, base_problem, node_coords_of(problem), workdays)
