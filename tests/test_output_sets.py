"""An output folder holds the old set of files or the new one, whole: never a mix, never a stale
file, never a temporary file after the run — even when the process is killed half-way.

A kill is played by a forked child that runs the writer and calls `os._exit` (no clean-up, like
`kill -9`) just before its k-th file-system step (a rename, the folder swap, a removal), for
every k the writer takes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from calendar_fixtures import load_tiny, tiny_plan
from conftest import make_scenario, researcher, school, solve_det

from assign.calendar.visit_solve import schedule_term
from assign.export import atomic
from assign.export.atomic import atomic_folder, recover_folder
from assign.export.roster import ROSTER_FILES, write_roster
from assign.export.term_files import TERM_FILES, write_term_files
from assign.load import load_scenario

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill is played by a forked child")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder, by relative path, with its content: bytes, but a workbook's cell
    values, a document's text without its date line, and an .ics file without its DTSTAMP (the times
    of writing, the one thing that differs between two writes of the same set)."""
    def content(path: Path) -> bytes:
        if path.suffix == ".docx":
            document = docx.Document(path)
            return repr([p.text for p in document.paragraphs if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", p.text)]
                        + [[c.text for c in row.cells] for table in document.tables for row in table.rows]).encode()
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            return repr([[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]).encode()
        data = path.read_bytes()
        if path.name == "manifest.json":  # the files it lists (their bytes differ with the time of writing, as its own time does)
            return json.dumps([f["path"] for f in json.loads(data)["files"]]).encode()
        return b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP")) if path.suffix == ".ics" else data
    return {p.relative_to(folder).as_posix(): content(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def owned_part(files: dict[str, bytes], owned, others=()) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k.split("/")[0] in owned and k not in others}


class Killed(Exception):
    pass


def run_killed_at(step: int, write) -> bool:
    """Run `write()` in a forked child that dies just before its `step`-th file-system step; True if
    the child got that far (False: the writer finished in fewer steps)."""
    pid = os.fork()
    if pid == 0:  # the child: count the steps, die without clean-up at the chosen one
        count = 0

        def counted(function):
            def step_then(*args, **kwargs):
                nonlocal count
                count += 1
                if count == step:
                    os._exit(137)
                return function(*args, **kwargs)
            return step_then

        os.replace, os.rename = counted(os.replace), counted(os.rename)
        shutil.rmtree = counted(shutil.rmtree)
        atomic._exchange = counted(atomic._exchange)
        try:
            write()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 137


def assert_every_kill_leaves_a_whole_set(folder: Path, owned, write_old, write_new, others=("report.html",)):
    """`others`: files of the office or of another command, put into the folder (at any depth) after the
    first write; each must be there, as it was, after every killed run and its recovery."""
    write_old()
    for other in others:
        (folder / other).parent.mkdir(parents=True, exist_ok=True)
        (folder / other).write_text("another command's file", encoding="utf-8")
    old = owned_part(snapshot(folder), owned, others)
    write_new()
    new = owned_part(snapshot(folder), owned, others)
    assert old != new and old.keys() and new.keys()
    step = 1
    while True:
        write_old()  # the folder as it was before the run that is killed
        if not run_killed_at(step, write_new):
            break
        found = owned_part(snapshot(folder), owned, others)
        assert found in (old, new), f"killed at step {step}: a mix of the old and the new set"
        recover_folder(folder)  # what the next run does first
        for other in others:
            assert (folder / other).read_text(encoding="utf-8") == "another command's file", f"step {step}: {other}"
        assert owned_part(snapshot(folder), owned, others) in (old, new)
        assert not [p.name for p in folder.parent.iterdir() if p.name.startswith(".")], f"step {step}: leftovers"
        step += 1
    assert step > 5  # the writer really was killed at many points


@pytest.fixture
def two_plans(tmp_path):
    path = make_scenario(tmp_path / "county", [researcher("R1"), researcher("R2", subjects="语文")],
                         [school("S1"), school("S2", dlon=0.02, area="乡村"), school("S3", dlon=0.03)],
                         {"stage_match": {}, "school_count": {"min": 1, "max": 1}})
    problem = load_scenario(path)
    plan = solve_det(problem)
    assert plan.findings == []
    other = plan.model_copy(update={"pairs": problem.assignments([("R1", "S3"), ("R2", "S2")])})
    return problem, plan, other


def test_a_killed_roster_write_leaves_the_old_roster_or_the_new_one_whole(tmp_path, two_plans):
    problem, old, new = two_plans
    out = tmp_path / "out" / "county"
    assert_every_kill_leaves_a_whole_set(out, ROSTER_FILES, lambda: write_roster(problem, old, out), lambda: write_roster(problem, new, out))


def test_a_killed_calendar_write_leaves_the_old_calendars_or_the_new_ones_whole(tmp_path):
    problem, plan = load_tiny(tmp_path, {"visits_per_term": {"min": 2}})
    both, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0)
    one, _ = schedule_term(problem, tiny_plan(problem, [("R1", "S1")]), "2026秋", workers=1, seed=0)
    assert both.findings == [] and one.findings == []
    out = tmp_path / "out" / "calendar-2026秋"
    # the office's own notes beside the calendars, one among the .ics files: the manifest says they are not the export's
    assert_every_kill_leaves_a_whole_set(out, TERM_FILES, lambda: write_term_files(problem, both, out, "t"),
                                         lambda: write_term_files(problem, one, out, "t"),
                                         others=("report.html", "ics/researchers/说明.txt", "ics/mine/a.txt"))


def test_a_new_calendar_leaves_no_ics_of_a_researcher_who_left_the_plan(tmp_path):
    problem, plan = load_tiny(tmp_path, {"visits_per_term": {"min": 2}})
    out = tmp_path / "calendar"
    write_term_files(problem, schedule_term(problem, plan, "2026秋", workers=1, seed=0)[0], out, "t")
    assert len(list((out / "ics" / "researchers").iterdir())) == 2
    write_term_files(problem, schedule_term(problem, tiny_plan(problem, [("R1", "S1")]), "2026秋", workers=1, seed=0)[0], out, "t")
    assert [p.name.split("-")[0] for p in (out / "ics" / "researchers").iterdir()] == ["R1"]


def test_a_failed_write_keeps_the_old_set_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out"
    with atomic_folder(out, ["a.txt"]) as stage:
        (stage / "a.txt").write_text("old", encoding="utf-8")
    (out / "mine.txt").write_text("the user's", encoding="utf-8")
    with pytest.raises(Killed), atomic_folder(out, ["a.txt"]) as stage:
        (stage / "a.txt").write_text("new", encoding="utf-8")
        raise Killed
    assert snapshot(out) == {"a.txt": b"old", "mine.txt": b"the user's"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_swap_works_without_an_atomic_exchange_too(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)  # a system without renameat2
    out = tmp_path / "out"
    for text in ("old", "new"):
        with atomic_folder(out, ["a.txt", "b.txt"]) as stage:
            (stage / "a.txt").write_text(text, encoding="utf-8")
            if text == "old":
                (stage / "b.txt").write_text(text, encoding="utf-8")
    assert snapshot(out) == {"a.txt": b"new"}  # b.txt belonged to the old set only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_calendar_export_lists_its_files_in_a_manifest_and_removes_only_those_next_time(tmp_path):
    from assign.export.manifest import read_manifest

    problem, plan = load_tiny(tmp_path, {"visits_per_term": {"min": 2}})
    out = tmp_path / "calendar"
    first = write_term_files(problem, schedule_term(problem, plan, "2026秋", workers=1, seed=0)[0], out, "t")
    manifest = read_manifest(out, "calendar")
    assert manifest.term == "2026秋" and {f.path for f in manifest.files} == {p.relative_to(out).as_posix() for p in first[:-1]}
    for f in manifest.files:
        data = (out / f.path).read_bytes()
        assert f.bytes == len(data) and f.sha256 == __import__("hashlib").sha256(data).hexdigest()
    (out / "ics" / "researchers" / "说明.txt").write_text("the office's", encoding="utf-8")
    (out / "ics" / "researchers" / "R9-旧.ics").write_text("an .ics the office keeps", encoding="utf-8")
    write_term_files(problem, schedule_term(problem, tiny_plan(problem, [("R1", "S1")]), "2026秋", workers=1, seed=0)[0], out, "t")
    assert sorted(p.name for p in (out / "ics" / "researchers").iterdir()) == ["R1-张三.ics", "R9-旧.ics", "说明.txt"]
    assert sorted(p.name for p in (out / "ics" / "schools").iterdir()) == ["S1-河口镇第一小学.ics"]


@pytest.mark.parametrize("listed", [
    "../escape.txt",   # a path out of the folder
    "/etc/passwd",     # an absolute path
    "ics//x.ics",      # an empty part
])
def test_a_manifest_that_names_a_path_outside_its_folder_is_not_believed(tmp_path, listed):
    from assign.export.manifest import read_manifest

    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"kind": "calendar", "written_at": "2026-09-01T00:00:00Z",
                                                      "files": [{"path": listed, "bytes": 1, "sha256": "0"}]}), encoding="utf-8")
    assert read_manifest(folder, "calendar") is None
