"""`assign batch ROOT`: every county folder under ROOT × every what-if, solved on an executor.

A county is a folder holding its scenario.yaml and tables, or only tables when a shared scenario
is given (`--scenario`). Each county × what-if is one task (`assign.batch.tasks`); its outputs go
to OUT/<county>/ (the base) or OUT/<county>/<what-if>/, each folder replaced as a unit. A folder's
`.batch.json` records the content hash of the task's inputs and settings and its summary row: a
batch run again skips every task whose hash is unchanged and whose last run made a plan, so an
interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

from assign.batch.executors import LocalExecutor
from assign.batch.tasks import BASE, SCENARIO_FILE, CountyResult, CountyTask, run_county
from assign.errors import InputError
from assign.export.atomic import atomic_folder
from assign.locale import _

STATE_FILE = ".batch.json"
TABLE_SUFFIXES = (".csv", ".xlsx")
MAX_COUNTY_BYTES = 200 * 1024 * 1024  # a county's files travel to the task as data


@dataclass
class County:
    name: str
    folder: Path


@dataclass
class BatchResult:
    results: list[CountyResult]
    root: Path
    out: Path
    executor: str
    variants: list[str] = field(default_factory=list)
    seconds: float = 0.0


def counties(root: Path, shared_scenario: Path | None = None) -> list[County]:
    """The county folders under ROOT, by name: each with a scenario.yaml, or (with a shared scenario) with tables."""
    root = Path(root)
    if not root.is_dir():
        raise InputError.at(root, None, None, None, _("expected a folder holding one folder per county"))
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        has_scenario = (folder / SCENARIO_FILE).is_file()
        has_tables = any(p.suffix.lower() in TABLE_SUFFIXES for p in folder.iterdir())
        if has_scenario or (shared_scenario is not None and has_tables):
            found.append(County(folder.name, folder))
    if not found:
        wanted = "tables (researchers, schools)" if shared_scenario is not None else "a scenario.yaml"
        raise InputError.at(root, None, None, None, _("no county folder: expected folders each holding {wanted}").format(wanted=wanted))
    return found


def county_files(county: County, shared_scenario: Path | None) -> dict[str, bytes]:
    """Every file of the county folder by relative path (the shared scenario as scenario.yaml)."""
    files = {p.relative_to(county.folder).as_posix(): p.read_bytes() for p in sorted(county.folder.rglob("*"))
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(county.folder).parts)}
    if shared_scenario is not None:
        files[SCENARIO_FILE] = Path(shared_scenario).read_bytes()
    if sum(len(b) for b in files.values()) > MAX_COUNTY_BYTES:
        raise InputError.at(county.folder, None, None, None, _("more than {value} MB of files in one county folder")
                                                             .format(value=MAX_COUNTY_BYTES // 2**20))
    return files


def task_hash(task: CountyTask) -> str:
    """The content hash of everything a task's result depends on: files, what-if, term, settings, version."""
    digest = hashlib.sha256()
    try:
        digest.update(version("assign").encode())
    except PackageNotFoundError:
        pass
    for name in sorted(task.files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(task.files[name]).digest())
    digest.update(json.dumps([task.variant, task.whatif, task.term, task.options], sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def output_folder(out: Path, task: CountyTask) -> Path:
    return out / task.county if task.variant == BASE else out / task.county / task.variant


def previous(folder: Path, digest: str) -> CountyResult | None:
    """The last successful result in `folder` if it was made from the same inputs (`digest`)."""
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("hash") != digest:
        return None
    fields = {k: v for k, v in state.get("result", {}).items() if k in CountyResult.__dataclass_fields__}
    result = CountyResult(**{**fields, "pairs": [tuple(p) for p in fields.get("pairs", [])], "skipped": True})
    return result if result.ok else None


def save(folder: Path, result: CountyResult, digest: str) -> None:
    """A task's outputs and its state file, as one set in the county's folder (sub-folders of what-ifs stay)."""
    owned = {name.split("/")[0] for name in result.outputs} | {STATE_FILE, "roster.xlsx", "roster.csv", "roster.md", "plan.json"}
    owned |= {p.name for p in folder.glob("calendar-*")} if folder.is_dir() else set()
    with atomic_folder(folder, owned) as stage:
        for name, data in result.outputs.items():
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        state = {k: v for k, v in asdict(result).items() if k not in ("outputs", "skipped", "attempts")}
        (stage / STATE_FILE).write_text(json.dumps({"hash": digest, "result": state}, ensure_ascii=False, indent=1), encoding="utf-8")


def run_batch(root: Path, out: Path, *, whatifs: list[Path] = (), term: str | None = None, executor=None,
              shared_scenario: Path | None = None, options: dict[str, Any] | None = None,
              progress: Callable[[str], None] | None = None) -> BatchResult:
    """Every county × (base + each what-if): skip the unchanged, run the rest on `executor`, save each
    county's outputs as its result arrives, and return every result in county order."""
    started = time.perf_counter()
    executor = executor or LocalExecutor()
    options = {k: v for k, v in (options or {}).items() if v is not None}
    variants = [(BASE, None)]
    for path in whatifs:
        path = Path(path)
        if not path.is_file():
            raise InputError.at(path, None, "--what-if", None, _("what-if file not found"))
        if path.stem == BASE or path.stem in {v for v, _ in variants}:
            raise InputError.at(path, None, "--what-if", path.stem, _("what-if names must differ from each other and from {base}")
                                                                    .format(base=repr(BASE)))
        variants.append((path.stem, path.read_text(encoding="utf-8-sig")))
    tasks: list[CountyTask] = []
    for county in counties(root, shared_scenario):
        files = county_files(county, shared_scenario)
        tasks += [CountyTask(county.name, variant, files, whatif, term, options) for variant, whatif in variants]
    digests = [task_hash(t) for t in tasks]
    results: list[CountyResult | None] = [previous(output_folder(out, t), d) for t, d in zip(tasks, digests)]
    todo = [i for i, r in enumerate(results) if r is None]
    if progress:
        progress(_("{n} task(s) ({value} counties × {n2} variant(s)): {value2} unchanged since their last run, {n3} to solve on {name}")
                 .format(n=len(tasks), value=len(tasks) // len(variants), n2=len(variants), value2=len(tasks) - len(todo), n3=len(todo),
                         name=executor.name))

    def done(index: int, outcome) -> None:
        i = todo[index]
        result: CountyResult = outcome.value
        result.attempts = outcome.attempts
        results[i] = result
        if result.ok:
            save(output_folder(out, tasks[i]), result, digests[i])
        if progress:
            retried = f", retried ({outcome.attempts} attempts)" if outcome.attempts > 1 else ""
            what = result.error.splitlines()[0][:120] if result.error else result.status
            progress(f"{sum(r is not None for r in results)}/{len(tasks)} {tasks[i].county} {tasks[i].variant}: {what}{retried}")

    executor.run(run_county, [(tasks[i],) for i in todo], done)
    return BatchResult([r for r in results if r is not None], Path(root), Path(out), executor.name,
                       [v for v, _ in variants], round(time.perf_counter() - started, 2))
