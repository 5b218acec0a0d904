"""Solves in worker processes: one queue, one solve at a time per core, each in its own process so the
page stays responsive and a cancel is a kill.

`Dispatcher` (a thread of the server) starts queued runs as processes and notices those that ended;
`run_job` is what a process does: load the project, solve with each progress line saved to the
database, write the run's files as one set, save the result. A server killed mid-solve leaves the run
`running` in the database; the next start marks it `interrupted` (`db.mark_interrupted`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from assign.analysis.compare import Comparison, Side, compare
from assign.analysis.replan import solve_from, with_previous
from assign.analysis.report_inputs import ReportInputs, node_coords_of
from assign.calendar.visit_solve import schedule_term
from assign.errors import AssignError, InputError
from assign.export.comparison import write_comparison
from assign.export.report import write_report
from assign.export.roster import write_roster
from assign.export.term_files import write_term_files
from assign.export.terminal import kpi_table
from assign.export.visit_terminal import month_grid
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.solver.passes import solve
from assign.web import db
from assign.web.projects import SCENARIO_FILE, inputs_dir, run_dir, shown_problems

RUN_FILES = ("roster.xlsx", "roster.csv", "roster.md", "plan.json", "report.html", "comparison.md", "comparison.xlsx")
WHATIF_FILE = "whatif.yaml"  # a what-if run's change, extending the scenario its base run solved
# forkserver: a worker is forked from a small server that has already imported the engine (so the
# first progress comes quickly) and not from the web server with its threads.
CONTEXT = multiprocessing.get_context("forkserver")


def plan_result(plan: Plan) -> dict[str, Any]:
    """What the API and the result page show of a plan: status, KPIs, objective terms, passes, exceptions,
    schools left without a researcher, audit findings."""
    data = plan.model_dump(mode="json")
    for shown, solve_pass in zip(data["passes"], plan.passes):
        shown["run"] = plan.run_head(solve_pass)[0]  # a pass settled in a joint run: the number of the run's first pass
    keys = ("mode", "gap", "kpis", "terms", "passes", "exceptions", "uncovered", "findings", "build_seconds", "solve_seconds")
    return {"plan_status": plan.status} | {key: data.get(key) for key in keys}


def follow_server(server: int, every: float = 0.5) -> None:
    """End this worker when the server that started it is gone (killed): its run is marked interrupted on the
    next start, and a solve nobody waits for would only hold a core."""

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                os._exit(3)

    threading.Thread(target=watch, name="assign-follow-server", daemon=True).start()


def run_job(data: Path, run: int, server: int | None = None) -> None:
    """Solve one run (in a worker process) and save its result, files and status."""
    if server is not None:
        follow_server(server)
    con = db.connect(data, upgrade=False)  # the server migrated the schema before it started any worker
    record = db.get_run(con, run)
    project = db.get_project(con, record["project"])
    folder = inputs_dir(data, run)
    started = time.perf_counter()

    def progress(line: str) -> None:
        db.add_progress(con, run, f"{time.perf_counter() - started:5.1f}s {line}")

    try:
        progress(_("loading the tables"))
        settings = record["settings"]
        if record["kind"] == "whatif":
            whatif(con, data, run, settings, progress)
            return
        problem = load_scenario(folder / SCENARIO_FILE)
        if record["kind"] == "calendar":
            schedule(con, data, run, problem, settings, progress)
            return
        if settings.get("pins"):
            problem = problem.model_copy(update={"pinned_pairs": tuple((str(r), str(s)) for r, s in settings["pins"])})
            progress(f"手工固定 (pinned): {'、'.join(f'{r}→{s}' for r, s in problem.pinned_pairs)}")
        options = {key: settings[key] for key in ("time_limit", "seed") if settings.get(key) is not None}
        progress(f"{len(problem.researchers)} 名教研员, {len(problem.schools)} 所学校; 求解 (solving)")
        plan = solve(problem, progress=progress, workers=1, **options)
        result = plan_result(plan)
        calendar = problem.scenario.calendar
        result["calendar_terms"] = [t.name for t in calendar.terms] if calendar is not None else []
        if plan.solved:
            out = run_dir(data, run)
            write_roster(problem, plan, out, kpi_table=kpi_table(plan, fmt="github", timings=False))
            write_report(ReportInputs(problem, plan, node_coords=node_coords_of(problem)), out / "report.html")
        progress(_("done: {status}").format(status=plan.status))
        db.finish_run(con, run, "done", result=result, plan=plan.model_dump(mode="json"))
    except InputError as exc:
        db.finish_run(con, run, "failed", errors=shown_problems(exc.problems, folder, project["files"]))
    except AssignError as exc:
        db.finish_run(con, run, "failed",
                      errors=[{"file": None, "row": None, "column": None, "value": None, "expected": str(exc)}])
    except Exception as exc:  # a bug: kept in the run's record for the office to send in, never a crashed server
        db.finish_run(con, run, "failed",
                      errors=[{"file": None, "row": None, "column": None, "value": type(exc).__name__, "expected": str(exc),
                               "trace": traceback.format_exc(limit=5)}])
    finally:
        con.close()


CALENDAR_FOLDER = "calendar"


def comparison_data(c: Comparison) -> dict[str, Any]:
    """What the result page shows of a comparison (the full tables are comparison.md and .xlsx)."""
    return {"kept": len(c.kept), "added": [list(p) for p in c.added], "dropped": [list(p) for p in c.dropped],
            "changes": [{"researcher": ch.researcher, "before": ch.before, "after": ch.after, "reasons": ch.reasons} for ch in c.changes],
            "kpis": [list(row) for row in c.kpis], "policy_changes": list(c.policy_changes)}


def whatif(con, data: Path, run: int, settings: dict[str, Any], progress) -> None:
    """A what-if run: the base run's plan is the plan in force, the change is re-planned from it and compared."""
    folder = inputs_dir(data, run)
    base = db.get_run(con, settings["from_run"])
    base_plan = Plan.model_validate(base["plan"])
    base_problem = load_scenario(folder / SCENARIO_FILE)
    problem, gone = with_previous(load_scenario(folder / WHATIF_FILE), sorted(base_plan.pair_set()))
    if gone:
        progress(_("pairs the change removes: {n}: {pairs}").format(n=len(gone), pairs="、".join(f"{r}→{s}" for r, s in gone)))
    progress(_("re-planning from the plan in force"))
    plan = solve_from(problem, progress=progress, workers=1)
    result = plan_result(plan)
    result["calendar_terms"] = []
    if not plan.solved:
        db.finish_run(con, run, "done", result=result, plan=plan.model_dump(mode="json"))
        return
    comparison = compare(Side(f"#{base['id']}", base_plan, base_problem), Side(f"#{run}", plan, problem))
    result["comparison"] = comparison_data(comparison)
    out = run_dir(data, run)
    write_roster(problem, plan, out, kpi_table=kpi_table(plan, fmt="github", timings=False))
    for name in ("comparison.md", "comparison.xlsx"):
        write_comparison(comparison, out / name)
    progress(_("done: {status}; {kept} pairs kept, {added} added, {dropped} dropped").format(
        status=plan.status, kept=len(comparison.kept), added=len(comparison.added), dropped=len(comparison.dropped)))
    db.finish_run(con, run, "done", result=result, plan=plan.model_dump(mode="json"))


def schedule(con, data: Path, run: int, problem, settings: dict[str, Any], progress) -> None:
    """A calendar run: one term's visits for the pairs of the run it comes from, its files (.ics, visits.xlsx …) and month view."""
    base = db.get_run(con, settings["from_run"])
    plan = Plan.model_validate(base["plan"])
    progress(_("scheduling {term}: {pairs} pairs").format(term=settings["term"], pairs=len(plan.pairs)))
    visits, _schedule = schedule_term(problem, plan, settings["term"], workers=1)
    result = {"plan_status": visits.status, "term": visits.term, "first": str(visits.first), "last": str(visits.last),
              "workdays": visits.workdays, "visits": len(visits.visits), "findings": [f.model_dump(mode="json") for f in visits.findings],
              "warnings": list(visits.warnings), "conflicts": list(visits.conflicts), "month_grid": month_grid(visits) if visits.solved else ""}
    if visits.solved:
        title = f"{problem.scenario.office.name}{visits.term}教研员联系学校视导安排"
        write_term_files(problem, visits, run_dir(data, run) / CALENDAR_FOLDER, title)
    progress(_("done: {status}, {visits} visits").format(status=visits.status, visits=len(visits.visits)))
    unsolved = visits.conflicts or [_("no calendar: {term}: status {status}").format(term=visits.term, status=visits.status)]
    db.finish_run(con, run, "done" if visits.solved else "failed", result=result, plan=visits.model_dump(mode="json"),
                  errors=[] if visits.solved else [{"file": None, "row": None, "column": None, "value": visits.status, "expected": c}
                                                   for c in unsolved])


def calendar_files(data: Path, run: int) -> list[str]:
    """The files of a calendar run, as paths relative to its folder (the only names its download answers)."""
    folder = run_dir(data, run) / CALENDAR_FOLDER
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


class Dispatcher:
    """Starts queued runs in worker processes, at most `slots` at once, and reaps them."""

    def __init__(self, data: Path, slots: int | None = None, poll: float = 0.1):
        self.data = data
        self.slots = slots or max(1, os.cpu_count() or 1)
        self.poll = poll
        self.active: dict[int, multiprocessing.process.BaseProcess] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        CONTEXT.set_forkserver_preload(["assign.web.worker"])
        self.thread = threading.Thread(target=self.loop, name="assign-dispatcher", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with self.lock:
            for run, proc in list(self.active.items()):
                proc.kill()
                proc.join(timeout=5)
                self.active.pop(run, None)

    def loop(self) -> None:
        con = db.connect(self.data)
        # Start the fork server now (it imports the engine once), so the first solve's progress comes at once.
        warm = CONTEXT.Process(target=time.sleep, args=(0,), name="assign-warm-up", daemon=True)
        warm.start()
        warm.join()
        try:
            while not self.stopping.is_set():
                try:
                    self.step(con)
                except Exception:  # one bad step (a full disk) must not stop every later solve
                    traceback.print_exc()
                self.wake.wait(self.poll)
                self.wake.clear()
        finally:
            con.close()

    def step(self, con) -> None:
        with self.lock:
            for run, proc in list(self.active.items()):
                if not proc.is_alive():
                    proc.join()
                    self.active.pop(run)
                    record = db.get_run(con, run)
                    if record is not None and record["status"] == "running":  # the process died without saying why
                        db.finish_run(con, run, "failed",
                                      errors=[{"file": None, "row": None, "column": None, "value": proc.exitcode,
                                               "expected": _("the solve process ended with exit code {code}").format(code=proc.exitcode)}])
            while len(self.active) < self.slots and (run := db.next_queued(con)) is not None:
                if not db.claim(con, run):
                    continue
                # Not a daemon: a large county's solve starts processes of its own (assign.solver.decompose).
                proc = CONTEXT.Process(target=run_job, args=(self.data, run, os.getpid()), name=f"assign-run-{run}", daemon=False)
                proc.start()
                db.update_run(con, run, pid=proc.pid)
                self.active[run] = proc

    def cancel(self, con, run: int) -> bool:
        """Cancel a queued or running run (a running one's process is killed); False when it had already ended."""
        with self.lock:
            record = db.get_run(con, run)
            if record is None or record["status"] not in db.ACTIVE:
                return False
            proc = self.active.pop(run, None)
            if proc is not None:
                proc.kill()
                proc.join(timeout=5)
            db.update_run(con, run, status="cancelled", finished=time.time())
            return True
