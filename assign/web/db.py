"""The web application's database: projects, their files and rule choices, and every solve, in SQLite.

One file `assign.db` under the data folder, in WAL mode so the server and the solve workers read and
write at once. The schema has a version number (`schema_version`) and the migrations below bring any
older file up to date when it is opened; a migration is never edited once released, only appended.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

DB_NAME = "assign.db"

# Each entry brings the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created REAL NOT NULL,
        preset TEXT,                       -- the preset (or uploaded scenario) the rules start from
        files TEXT NOT NULL DEFAULT '{}',  -- role → stored file name and the name the user gave
        rules TEXT NOT NULL DEFAULT '{}',  -- policies chosen on the rules page (a scenario's `policies:` over the preset)
        problems TEXT NOT NULL DEFAULT '[]'  -- the problems of the tables as last uploaded
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project INTEGER NOT NULL REFERENCES projects(id),
        kind TEXT NOT NULL DEFAULT 'solve',  -- solve, or a re-solve around pinned pairs
        status TEXT NOT NULL,                -- queued running done failed cancelled interrupted
        created REAL NOT NULL,
        started REAL,
        finished REAL,
        inputs_hash TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        progress TEXT NOT NULL DEFAULT '[]',
        result TEXT,                         -- solver status, KPIs, exceptions, uncovered, findings, passes
        plan TEXT,                           -- plan.json
        errors TEXT NOT NULL DEFAULT '[]',
        pid INTEGER
    );
    CREATE INDEX runs_by_project ON runs(project);
    CREATE INDEX runs_by_status ON runs(status);
    """,
)

RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
ACTIVE = ("queued", "running")
JSON_COLUMNS = ("files", "rules", "problems", "settings", "progress", "result", "plan", "errors")


def connect(data: Path, upgrade: bool = True) -> sqlite3.Connection:
    """Open the database under `data` (and bring its schema up to date unless `upgrade` is False: the server
    migrates once at start, then each of its threads opens its own connection without)."""
    data.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(data / DB_NAME, timeout=30, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    if upgrade:
        migrate(con)
    return con


def schema_version(con: sqlite3.Connection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = con.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else row[0]


def migrate(con: sqlite3.Connection) -> int:
    """Apply the migrations the file lacks, each in one transaction with its new version number."""
    con.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(con)
        if version > len(MIGRATIONS):
            raise RuntimeError(f"the database is of schema version {version}, newer than this program's {len(MIGRATIONS)}: update assign")
        for index in range(version, len(MIGRATIONS)):
            for statement in MIGRATIONS[index].split(";"):
                if statement.strip():
                    con.execute(statement)
        if version == 0:
            con.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS),))
        else:
            con.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS),))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(MIGRATIONS)


def row_dict(row: sqlite3.Row | None) -> dict[str, Any] | None:
    """A row as a dict, its JSON columns decoded."""
    if row is None:
        return None
    out = dict(row)
    for key in JSON_COLUMNS:
        if key in out and out[key] is not None:
            out[key] = json.loads(out[key])
    return out


def create_project(con: sqlite3.Connection, name: str, preset: str | None) -> int:
    cur = con.execute("INSERT INTO projects (name, created, preset) VALUES (?, ?, ?)", (name, time.time(), preset))
    return int(cur.lastrowid)


def update_project(con: sqlite3.Connection, project: int, **fields: Any) -> None:
    sets = ", ".join(f"{key} = ?" for key in fields)
    values = [json.dumps(v, ensure_ascii=False) if key in JSON_COLUMNS else v for key, v in fields.items()]
    con.execute(f"UPDATE projects SET {sets} WHERE id = ?", (*values, project))  # keys are this module's callers' own names


def get_project(con: sqlite3.Connection, project: int) -> dict[str, Any] | None:
    return row_dict(con.execute("SELECT * FROM projects WHERE id = ?", (project,)).fetchone())


def list_projects(con: sqlite3.Connection) -> list[dict[str, Any]]:
    return [row_dict(r) for r in con.execute("SELECT * FROM projects ORDER BY id DESC")]


def create_run(con: sqlite3.Connection, project: int, settings: dict[str, Any], inputs_hash: str, kind: str = "solve") -> int:
    cur = con.execute("INSERT INTO runs (project, kind, status, created, inputs_hash, settings) VALUES (?, ?, 'queued', ?, ?, ?)",
                      (project, kind, time.time(), inputs_hash, json.dumps(settings, ensure_ascii=False)))
    return int(cur.lastrowid)


def update_run(con: sqlite3.Connection, run: int, **fields: Any) -> None:
    sets = ", ".join(f"{key} = ?" for key in fields)
    values = [json.dumps(v, ensure_ascii=False) if key in JSON_COLUMNS else v for key, v in fields.items()]
    con.execute(f"UPDATE runs SET {sets} WHERE id = ?", (*values, run))


def finish_run(con: sqlite3.Connection, run: int, status: str, **fields: Any) -> bool:
    """Record how a running run ended; False when it is no longer running (cancelled, or interrupted by a restart)."""
    sets = ", ".join(["status = ?", "finished = ?", *(f"{key} = ?" for key in fields)])
    values = [status, time.time(), *(json.dumps(v, ensure_ascii=False) if key in JSON_COLUMNS else v for key, v in fields.items())]
    return con.execute(f"UPDATE runs SET {sets} WHERE id = ? AND status = 'running'", (*values, run)).rowcount == 1


def add_progress(con: sqlite3.Connection, run: int, line: str) -> None:
    """Append one progress line (a solver pass, an improving solution with its gap) to the run."""
    con.execute("UPDATE runs SET progress = json_insert(progress, '$[#]', ?) WHERE id = ?", (line, run))


def get_run(con: sqlite3.Connection, run: int) -> dict[str, Any] | None:
    return row_dict(con.execute("SELECT * FROM runs WHERE id = ?", (run,)).fetchone())


def runs_of(con: sqlite3.Connection, project: int) -> list[dict[str, Any]]:
    return [row_dict(r) for r in con.execute(
        "SELECT id, project, kind, status, created, started, finished, inputs_hash, settings, errors FROM runs WHERE project = ? ORDER BY id DESC",
        (project,))]


def next_queued(con: sqlite3.Connection) -> int | None:
    row = con.execute("SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1").fetchone()
    return None if row is None else int(row[0])


def claim(con: sqlite3.Connection, run: int) -> bool:
    """Mark a queued run as running; False when it is no longer queued (cancelled meanwhile)."""
    cur = con.execute("UPDATE runs SET status = 'running', started = ? WHERE id = ? AND status = 'queued'", (time.time(), run))
    return cur.rowcount == 1


def mark_interrupted(con: sqlite3.Connection) -> list[int]:
    """At start-up: every run a previous server left queued or running (it was killed) is interrupted."""
    runs = [int(r[0]) for r in con.execute("SELECT id FROM runs WHERE status IN ('queued', 'running')")]
    con.execute("UPDATE runs SET status = 'interrupted', finished = ? WHERE status IN ('queued', 'running')", (time.time(),))
    return runs
