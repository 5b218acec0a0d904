"""Atomic writes: a file is written beside its target and renamed over it only when complete, and a
set of files (a roster, a term's calendars) is written into a staging folder that takes the output
folder's place in one step, so an interrupted or failed export never leaves a half-written file, or
a mix of old and new files, in place of a good set.

What belongs to a set is named by the writer (`owned`): top-level names (`roster.xlsx`, `ics`: the
whole folder) or paths inside the folder (`ics/researchers/R1-王芳.ics`, what a calendar's previous
manifest lists). Everything else in the output folder, at any depth, is carried into the new set."""

from __future__ import annotations

import ctypes
import glob
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); an office copies these to shared folders, so give the
    # permissions an ordinary new file would get under the user's umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")


STAGE_SUFFIX = ".stage"
CARRIED = ".carried.part"  # in a staging folder: the paths carried over from the output folder, for `recover_folder`
_RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths in one step


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _stages_of(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{glob.escape(target.name)}.*{STAGE_SUFFIX}"))


def recover_folder(target: Path) -> None:
    """Finish what a killed `atomic_folder` left: the entries it had carried from `target` into a staging
    folder (listed in the stage's CARRIED file) go back into `target`; a complete new set whose swap was
    cut between its two renames (no exchange, `target` gone) takes `target`'s place; every other staging
    folder (a new set never swapped in, or the old set swapped out) is removed."""
    for stage in _stages_of(target):
        marker = stage / CARRIED
        carried = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else None
        if carried is not None and not target.exists():
            marker.unlink()
            os.rename(stage, target)
            continue
        if carried is not None and target.is_dir():
            for rel in carried:
                source, back = stage / rel, target / rel
                if (source.exists() or source.is_symlink()) and not (back.exists() or back.is_symlink()):
                    back.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(source, back)
        shutil.rmtree(stage, ignore_errors=True)
    (target / CARRIED).unlink(missing_ok=True)


def _leftover(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith((".part", STAGE_SUFFIX))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def carried_paths(target: Path, stage: Path, owned: set[str]) -> tuple[list[str], list[Path]]:
    """What of `target` goes on into the new set (paths relative to it): every entry that is neither
    owned nor written anew, looked for inside a folder that holds owned paths; and the temporary files
    of a killed write found on the way (to be removed, never a result)."""
    inside = {part for path in owned for part in _parents(path)}
    carried, leftovers = [], []

    def walk(rel: str) -> None:
        for child in sorted((target / rel).iterdir() if rel else target.iterdir()):
            key = f"{rel}/{child.name}" if rel else child.name
            if _leftover(child):
                leftovers.append(child)
            elif key in owned:
                continue
            elif key in inside and child.is_dir() and not child.is_symlink():
                walk(key)
            elif not ((stage / key).exists() or (stage / key).is_symlink()):
                carried.append(key)

    walk("")
    return carried, leftovers


def _parents(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


@contextmanager
def atomic_folder(target: Path, owned: Iterable[str]) -> Iterator[Path]:
    """Write a set of files as a unit: yield an empty staging folder beside `target`; on success it
    takes `target`'s place in one atomic exchange, so a reader finds the old set or the new set, whole.

    `owned` names what the old set consists of: top-level names (e.g. roster.xlsx … plan.json, or a
    whole folder such as `ics`) or paths inside `target` (`ics/schools/S1-…ics`). Those go, even where
    the new set lacks them (no stale file survives), while anything else in `target`, at any depth
    (another command's files, the user's own, a note put beside the .ics files), is carried over into
    the new folder before the swap. A killed run's staging folder is cleaned up by the next run
    (`recover_folder`); a failed run leaves none.
    """
    target = Path(target)
    owned = {path.strip("/") for path in owned}
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGE_SUFFIX, dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(stage, 0o777 & ~umask)  # mkdtemp's folder is private; an output folder is shared
    try:
        yield stage
        if not target.exists():
            os.rename(stage, target)
            return
        carried, leftovers = carried_paths(target, stage, owned)
        for path in leftovers:
            _remove(path)  # a temporary file of a killed write, never a result
        with atomic_path(stage / CARRIED) as tmp:  # listed first: a run killed while carrying is undone from it
            tmp.write_text(json.dumps(carried, ensure_ascii=False), encoding="utf-8")
        for rel in carried:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            os.rename(target / rel, stage / rel)
        if not _exchange(stage, target):
            # Without an atomic exchange: two renames, with the old set parked beside the target
            # under the staging name so that `recover_folder` can finish a killed swap.
            parked = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGE_SUFFIX, dir=target.parent))
            os.rmdir(parked)
            os.rename(target, parked)
            os.rename(stage, target)
            stage = parked
        (target / CARRIED).unlink(missing_ok=True)
        shutil.rmtree(stage, ignore_errors=True)  # the old set, now in the staging folder
    finally:
        if stage.exists():
            recover_folder(target)
