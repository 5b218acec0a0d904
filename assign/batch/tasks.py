"""One county × one what-if: its files in, its outputs and one summary row out, all as data.

A task runs wherever the executor puts it (another process, another machine): it gets the bytes
of the county's files, writes them into a scratch folder, loads, solves, audits, writes the
roster (and the term's calendars) there, and hands back the bytes of what it wrote. Bad input or a
failed solve is the task's result, never an exception that stops the other counties.
"""

from __future__ import annotations

import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assign.calendar.visit_solve import schedule_term
from assign.errors import AssignError
from assign.export.roster import write_roster
from assign.export.safe_names import folder_name
from assign.export.term_files import write_term_files
from assign.load import load_scenario
from assign.locale import _
from assign.solver.passes import solve

BASE = "base"  # the variant of a county without a what-if
SCENARIO_FILE = "scenario.yaml"  # the county's own scenario, or the shared one (`--scenario`) under this name
WHATIF_FILE = ".batch-whatif.yaml"


@dataclass(frozen=True)
class CountyTask:
    """What one task needs: the county's files by relative path, the what-if's text, the settings."""

    county: str
    variant: str
    files: dict[str, bytes]
    whatif: str | None = None
    term: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class CountyResult:
    """What one task hands back: the summary row, the files it wrote, or the message that stopped it."""

    county: str
    variant: str
    status: str = "ERROR"
    row: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, bytes] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 1
    skipped: bool = False  # unchanged since the last successful run: read back, not solved

    @property
    def ok(self) -> bool:
        return self.error is None and self.status in ("OPTIMAL", "FEASIBLE")


def whatif_text(whatif: str) -> str:
    """A what-if file's text made to extend the county's scenario (its own `extends` is replaced)."""
    data = yaml.safe_load(whatif) or {}
    if not isinstance(data, dict):
        raise AssignError(_("a what-if file must be a mapping of scenario keys (policies, solver, edits …)"))
    data["extends"] = SCENARIO_FILE
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def run_county(task: CountyTask) -> CountyResult:
    """Load, solve, audit and write one county's variant in a scratch folder; return rows and bytes."""
    started = time.perf_counter()
    result = CountyResult(task.county, task.variant)
    with tempfile.TemporaryDirectory(prefix="assign-county-") as scratch:
        root = Path(scratch)
        try:
            for name, data in task.files.items():
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            scenario = root / SCENARIO_FILE
            if task.whatif is not None:
                (root / WHATIF_FILE).write_text(whatif_text(task.whatif), encoding="utf-8")
                scenario = root / WHATIF_FILE
            problem = load_scenario(scenario)
            plan = solve(problem, workers=1, **task.options)
            result.status = plan.status
            result.row = summary_row(problem, plan)
            if plan.solved:
                out = root / ".out"
                write_roster(problem, plan, out)
                result.pairs = sorted(plan.pair_set())
                if task.term is not None:
                    visits, _schedule = schedule_term(problem, plan, task.term, workers=1, seed=task.options.get("seed"))
                    result.row.update(visits=len(visits.visits), calendar_status=visits.status,
                                      calendar_findings=sum(f.severity == "error" for f in visits.findings))
                    if visits.solved:
                        title = f"{problem.scenario.office.name}{visits.term}教研员联系学校视导安排"
                        write_term_files(problem, visits, out / folder_name(f"calendar-{task.term}"), title)
                result.outputs = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        except AssignError as exc:
            result.error = str(exc).replace(str(root) + "/", "")  # the scratch folder means nothing to the reader
        except Exception as exc:  # a bug in one county must not stop the others; the summary shows it
            result.error = f"{type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1].name})"
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def summary_row(problem, plan) -> dict[str, Any]:
    """The figures the summary shows for one county's plan: sizes, coverage, travel, status, findings."""
    k = plan.kpis
    by_rule: dict[str, int] = {}
    for e in plan.exceptions:  # rules a relaxed scenario bent, by policy
        by_rule[e.policy] = by_rule.get(e.policy, 0) + 1
    return {
        "researchers": len(problem.researchers),
        "schools": len(problem.schools),
        "schools_covered": k.get("schools_covered"),
        "priority_schools": k.get("priority_schools"),
        "priority_covered": k.get("priority_covered"),
        "contacts": k.get("contacts"),
        "travel_total": k.get("travel_total"),
        "travel_worst": k.get("travel_worst"),
        "exceptions": sum(by_rule.values()),
        "exceptions_by_rule": "; ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())),
        "findings": sum(f.severity == "error" for f in plan.findings),
        "status": plan.status,
        "solve_seconds": round(plan.build_seconds + plan.solve_seconds, 2),
    }
