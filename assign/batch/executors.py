"""Where many independent solves run: a process pool on this machine (`local`) or Ray Core tasks
(`ray`: a local Ray, or a cluster joined by its address). `assign batch`, `sweep` and `pareto` hand
their jobs to one of these and get the results back in job order.

Each job is a module-level function and its arguments, all plain data that pickles: a remote
worker needs no shared disk. A job declares one CPU and runs CP-SAT with one worker, so the
executor's parallelism is the machine's (or the cluster's) cores. A job lost with its process or
node is run again (Ray's task retries; a new local pool for the local executor), and the result
says how many attempts it took.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Callable, Protocol, Sequence

from assign.errors import AssignError
from assign.locale import _

EXECUTORS = ("local", "ray")
MAX_ATTEMPTS = 3  # a job is tried at most this often when its process or node dies

Job = tuple[Any, ...]
Done = Callable[[int, "Outcome"], None]


@dataclass
class Outcome:
    """A job's result and how many attempts it took (more than one: its worker was lost and it was retried)."""

    value: Any
    attempts: int = 1


class Executor(Protocol):
    name: str

    def run(self, function: Callable[..., Any], jobs: Sequence[Job], done: Done | None = None) -> list[Outcome]:
        """Each job's outcome, in job order; `done(index, outcome)` as each finishes."""


class LocalExecutor:
    """A process pool on this machine, one process per core (spawn: CP-SAT's threads do not fork safely)."""

    name = "local"

    def __init__(self, processes: int | None = None):
        self.processes = max(1, processes or os.cpu_count() or 1)

    def run(self, function: Callable[..., Any], jobs: Sequence[Job], done: Done | None = None) -> list[Outcome]:
        outcomes: dict[int, Outcome] = {}
        attempts = dict.fromkeys(range(len(jobs)), 0)
        while len(outcomes) < len(jobs):
            pending = [i for i in range(len(jobs)) if i not in outcomes]
            if len(pending) == 1 or self.processes == 1:
                for i in pending:  # one job: no pool to start
                    attempts[i] += 1
                    outcomes[i] = Outcome(function(*jobs[i]), attempts[i])
                    if done:
                        done(i, outcomes[i])
                break
            try:
                with ProcessPoolExecutor(max_workers=min(self.processes, len(pending)), mp_context=get_context("spawn")) as pool:
                    futures = {}
                    for i in pending:
                        attempts[i] += 1
                        futures[pool.submit(function, *jobs[i])] = i
                    for future in as_completed(futures):
                        i = futures[future]
                        outcomes[i] = Outcome(future.result(), attempts[i])
                        if done:
                            done(i, outcomes[i])
            except BrokenProcessPool:
                # A worker process died (killed, out of memory): the jobs not finished run again in a new pool.
                lost = [i for i in pending if i not in outcomes and attempts[i] >= MAX_ATTEMPTS]
                if lost:
                    raise AssignError(_("{n} job(s) lost their process {max_attempts} times; the machine may be out of memory")
                                      .format(n=len(lost), max_attempts=MAX_ATTEMPTS)) from None
        return [outcomes[i] for i in range(len(jobs))]


class RayExecutor:
    """Ray Core tasks: a local Ray started here, or the cluster at `address` (`ray start --head` prints it)."""

    name = "ray"

    def __init__(self, address: str | None = None, processes: int | None = None):
        try:
            import ray
        except ImportError:
            raise AssignError(_("--executor ray needs Ray: pip install 'assign[ray]' (or pip install ray)")) from None
        self.ray = ray
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "ignore_reinit_error": True}
            if address is None:
                options["num_cpus"] = processes or os.cpu_count() or 1
            try:
                ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise AssignError(_("--address {address}: could not join the Ray cluster ({exc})").format(address=address, exc=exc)) from None
        self._log = _attempt_log(ray)

    def run(self, function: Callable[..., Any], jobs: Sequence[Job], done: Done | None = None) -> list[Outcome]:
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=MAX_ATTEMPTS - 1, retry_exceptions=False)(counted)
        refs = {task.remote(self._log, f"{id(jobs)}:{i}", function, *job): i for i, job in enumerate(jobs)}
        outcomes: dict[int, Outcome] = {}
        waiting = list(refs)
        while waiting:
            ready, waiting = ray.wait(waiting, num_returns=1)
            i = refs[ready[0]]
            try:
                attempts, value = ray.get(ready[0])
            except ray.exceptions.RayError as exc:
                raise AssignError(_("job {value} failed on Ray after {max_attempts} attempts: {name}")
                                  .format(value=i + 1, max_attempts=MAX_ATTEMPTS, name=type(exc).__name__)) from None
            outcomes[i] = Outcome(value, attempts)
            if done:
                done(i, outcomes[i])
        return [outcomes[i] for i in range(len(jobs))]


def counted(log, key: str, function: Callable[..., Any], *args: Any) -> tuple[int, Any]:
    """Run `function` as a Ray task and say which attempt this is: Ray's own count of the task's
    attempts where its core worker tells it (a worker killed at any moment counts), else the
    attempt log's count of starts (a worker killed before it reached the log does not)."""
    import ray

    logged = ray.get(log.begin.remote(key))
    try:  # not in Ray's documented API: used only to report, never to decide anything
        attempt = ray._private.worker.global_worker.core_worker.get_current_task_attempt_number() + 1
    except Exception:
        attempt = logged
    return max(attempt, logged), function(*args)


def _attempt_log(ray):
    """A tiny actor counting the starts of each job, so a retried job (its worker lost) can say so."""

    @ray.remote(num_cpus=0)
    class AttemptLog:
        def __init__(self):
            self.starts: dict[str, int] = {}

        def begin(self, key: str) -> int:
            self.starts[key] = self.starts.get(key, 0) + 1
            return self.starts[key]

    return AttemptLog.remote()


def make_executor(name: str = "local", *, address: str | None = None, processes: int | None = None):
    """The executor a command's `--executor` names."""
    if name == "ray":
        return RayExecutor(address=address, processes=processes)
    if address is not None:
        raise AssignError(_("--address is for --executor ray"))
    return LocalExecutor(processes)
