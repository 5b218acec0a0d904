"""A project's files under the data folder: the uploaded tables, the scenario the web page writes for
them, and the problems of loading it, with file names as the user gave them.

Uploaded file names never become paths: each table is stored under its role (`researchers.csv`,
`schools.xlsx` …) and its own name is kept only as text to show. The project's `scenario.yaml`
extends the preset (or the uploaded scenario, kept as `base.yaml`) and names the uploaded tables,
with the rules page's choices over the preset's policies.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from assign.errors import AssignError, CellProblem, InputError
from assign.export.atomic import atomic_path, write_text
from assign.inputs.extend import resolve_scenario
from assign.inputs.tables import MAX_TABLE_BYTES
from assign.inputs.yaml_file import MAX_YAML_BYTES, load_yaml_text
from assign.load import DEMO_SCENARIO, load_scenario
from assign.locale import _
from assign.problem import Problem

TABLE_ROLES = ("researchers", "schools", "roads", "nodes")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods", ".et")  # what assign.inputs.tables reads
DEMO_PRESET = "demo-county"
PRESETS_DIR = DEMO_SCENARIO.parent.parent / "presets"
SCENARIO_FILE = "scenario.yaml"
BASE_FILE = "base.yaml"  # an uploaded scenario, kept beside the project's own
UPLOAD_LIMITS = {**{role: MAX_TABLE_BYTES for role in TABLE_ROLES}, "workbook": MAX_TABLE_BYTES, "scenario": MAX_YAML_BYTES}
# Keys of an uploaded scenario that would name files on the server: the page supplies its tables itself.
FILE_KEYS = ("extends", "edits")


def presets() -> dict[str, Path]:
    """Name → scenario file: the demo county's own rules, then one preset per regime of the source documents."""
    found = {DEMO_PRESET: DEMO_SCENARIO}
    found.update({p.stem: p for p in sorted(PRESETS_DIR.glob("*.yaml"))})
    return found


def preset_title(path: Path) -> str:
    """The preset's `name:` (what the office reads), its file stem when it has none."""
    return title_of(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def title_of(path: Path, mtime: int) -> str:
    """`preset_title`, read once per version of the file (every page lists the presets)."""
    try:
        return str(resolve_scenario(path).data.get("name") or path.stem)
    except AssignError:
        return path.stem


def project_dir(data: Path, project: int) -> Path:
    return data / "projects" / str(int(project))


def run_dir(data: Path, run: int) -> Path:
    return data / "runs" / str(int(run))


def inputs_dir(data: Path, run: int) -> Path:
    """The copy of a project's scenario and tables a run solved: the project may change, the run's inputs do not."""
    return data / "inputs" / str(int(run))


def table_file(role: str, filename: str) -> str | None:
    """The stored name of an uploaded table (`schools.xlsx`), None when its suffix is no table's."""
    suffix = Path(filename or "").suffix.lower()
    return f"{role}{suffix}" if role in TABLE_ROLES and suffix in TABLE_SUFFIXES else None


def store_upload(folder: Path, stored: str, data: bytes) -> None:
    """Write one uploaded file under its stored name, atomically (a failed upload keeps the previous file)."""
    with atomic_path(folder / stored) as tmp:
        tmp.write_bytes(data)


def check_scenario_upload(data: bytes, shown: str) -> dict[str, Any]:
    """An uploaded scenario file's settings, refused when it names files on the server (`extends`, `edits`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="strict")
    loaded = load_yaml_text(text, shown)
    if not isinstance(loaded, dict):
        raise InputError.at(shown, None, None, type(loaded).__name__, _("expected a mapping of keys such as name, data, policies"))
    problems = [CellProblem(shown, None, key, loaded[key], _("not taken on the web page: upload the tables themselves"))
                for key in FILE_KEYS if key in loaded]
    calendar = loaded.get("calendar")
    if isinstance(calendar, dict) and "holiday_file" in calendar:
        problems.append(CellProblem(shown, None, "calendar.holiday_file", calendar["holiday_file"],
                                    _("not taken on the web page: the package's holidays are used")))
    if isinstance(calendar, dict) and "records" in calendar:
        problems.append(CellProblem(shown, None, "calendar.records", calendar["records"],
                                    _("not taken on the web page: no file is read on the server")))
    if problems:
        raise InputError(problems)
    loaded.pop("data", None)
    return loaded


def base_scenario(folder: Path, preset: str | None) -> Path:
    """The scenario the project's rules start from: its uploaded scenario, else the named preset."""
    if (folder / BASE_FILE).exists():
        return folder / BASE_FILE
    found = presets()
    if preset not in found:
        raise InputError.at("preset", None, None, preset, _("one of {names}").format(names=", ".join(found)))
    return found[preset]


def preset_policies(folder: Path, preset: str | None) -> dict[str, Any]:
    """The policies and parameters of the project's base scenario, as its file (and what it extends) sets them."""
    return dict(resolve_scenario(base_scenario(folder, preset)).data.get("policies") or {})


def write_scenario(folder: Path, project: dict[str, Any]) -> Path:
    """Write the project's scenario.yaml: the base, the uploaded tables, the rules chosen on the page."""
    files = project["files"]
    base = base_scenario(folder, project["preset"])
    doc: dict[str, Any] = {"extends": str(base.resolve()), "name": project["name"],
                           "data": {role: (f"tables/{files[role]['stored']}" if role in files else None) for role in TABLE_ROLES}}
    rules = project.get("rules") or {}
    if rules:
        # Mappings merge key by key: a policy of the base that the page left unticked is removed with null.
        doc["policies"] = {**{name: None for name in preset_policies(folder, project["preset"])}, **rules}
    text = "# Written by the web page (assign serve): the base, the uploaded tables and the rules chosen.\n"
    text += yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    target = folder / SCENARIO_FILE
    write_text(target, text)
    return target


def shown_problems(problems: list[CellProblem], folder: Path, files: dict[str, Any]) -> list[dict[str, Any]]:
    """Problems as JSON rows, each file named as the user uploaded it rather than by its place on the server."""
    names = {str((folder / "tables" / f["stored"]).resolve()): f["name"] for f in files.values()}
    names.update({str(folder / "tables" / f["stored"]): f["name"] for f in files.values()})
    names[str(folder / SCENARIO_FILE)] = "scenario"
    rows = []
    sheet = _("{file}, sheet {sheet}").format(file="", sheet="")  # what follows a workbook's path when a message names its sheet
    for p in problems:
        row = asdict(p)
        # A workbook's problem names its sheet after the path ("…/schools.xlsx，工作表 学校"): keep that part.
        stored = next((s for s in names if p.file == s or p.file.startswith(s + sheet)), None)
        if stored is not None:
            row["file"] = names[stored] + p.file[len(stored):]
        else:
            row["file"] = Path(p.file).name if p.file.startswith(str(folder)) else p.file
        row["value"] = None if p.value is None else str(p.value)
        rows.append(row)
    return rows


def load_project(folder: Path, project: dict[str, Any]) -> tuple[Problem | None, list[dict[str, Any]]]:
    """The project's Problem, or every problem of its files at once (file, sheet, row, column, value, expected)."""
    missing = [CellProblem(role, None, None, None, _("upload this table (.csv or .xlsx)"))
               for role in ("researchers", "schools") if role not in project["files"]]
    if missing:
        return None, [asdict(p) for p in missing]
    try:
        path = write_scenario(folder, project)
        return load_scenario(path), []
    except InputError as exc:
        return None, shown_problems(exc.problems, folder, project["files"])
    except AssignError as exc:
        return None, [{"file": "scenario", "row": None, "column": None, "value": None, "expected": str(exc)}]


def inputs_hash(folder: Path) -> str:
    """SHA-256 over the project's scenario and tables: two runs with the same hash solved the same inputs."""
    digest = hashlib.sha256()
    for path in [folder / SCENARIO_FILE, folder / BASE_FILE, *sorted((folder / "tables").glob("*"))]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def snapshot(source: Path, target: Path) -> None:
    """Copy a project's scenario, uploaded base and tables (their relative paths kept) for one run."""
    target.mkdir(parents=True, exist_ok=True)
    if (source / "tables").is_dir():
        shutil.copytree(source / "tables", target / "tables", dirs_exist_ok=True)
    for name in (SCENARIO_FILE, BASE_FILE):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
