"""What `assign report` draws from: a problem, its plan, a term's visits and, for a what-if, a base plan.

A report is given either a scenario (solved here, and its first or named term scheduled when the
scenario has a calendar) or a saved `plan.json`. A plan.json holds only the scenario's *name*, so
it needs the scenario file beside it: `--scenario`. We chose an option over storing a path in the
Plan because a plan.json is moved and mailed around, and a path stored in it would go stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assign.calendar.visits import VisitPlan
from assign.errors import AssignError
from assign.plan import Plan
from assign.problem import Problem
from assign.roads import read_nodes


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


def is_plan_file(path: Path) -> bool:
    return Path(path).suffix.lower() == ".json"


def node_coords_of(problem: Problem) -> dict[str, tuple[float, float]]:
    """The road nodes' lon/lat, when the scenario has a nodes table (schools and bases may sit on a node)."""
    data = problem.scenario.data
    if data.nodes is None or not problem.source:
        return {}
    path = Path(problem.source).parent / data.nodes
    return read_nodes(path) if path.exists() else {}


def plan_of(path: Path, scenario: Path | None, workers, seed, progress) -> tuple[Problem, Plan]:
    """(problem, plan) of a scenario file (solved now) or of a plan.json with its scenario."""
    from assign.load import load_scenario
    from assign.solve import solve

    if is_plan_file(path):
        if scenario is None:
            raise AssignError(f"{path}: a plan.json names its scenario only by name ({Plan.read(path).scenario!r}); give the scenario file with --scenario")
        problem = load_scenario(scenario)
        plan = Plan.read(path)
        unknown = sorted({a.researcher_id for a in plan.pairs if a.researcher_id not in problem.researcher}
                         | {a.school_id for a in plan.pairs if a.school_id not in problem.school})
        if unknown:
            raise AssignError(f"{path}: the plan names ids the scenario {scenario} does not have: {', '.join(unknown[:10])}")
        return problem, plan
    problem = load_scenario(path)
    plan = solve(problem, progress=progress, workers=workers, seed=seed)
    if not plan.solved:
        raise AssignError(f"{path}: no plan to report (status {plan.status}); `assign solve` says why")
    return problem, plan


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
    from assign.calendar.visit_solve import schedule_term

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
