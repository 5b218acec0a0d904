"""Atomic writes: a file is written beside its target and renamed over it only when complete, and a
set of files (a roster, a term's calendars) is written into a staging folder that takes the output
folder's place in one step, so an interrupted or failed export never leaves a half-written file, or
a mix of old and new files, in place of a good set."""

from __future__ import annotations

import ctypes
import glob
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


def recover_folder(target: Path, owned: Iterable[str]) -> None:
    """Finish what a killed `atomic_folder` left: entries of other commands that were carried into a
    staging folder go back into `target`; the staging folder (a new set never swapped in, or the old
    set swapped out) is removed."""
    owned = set(owned)
    for stage in _stages_of(target):
        if target.is_dir():
            for child in stage.iterdir():
                if child.name not in owned and not (target / child.name).exists():
                    os.rename(child, target / child.name)
        shutil.rmtree(stage, ignore_errors=True)


def _leftover(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith((".part", STAGE_SUFFIX))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def atomic_folder(target: Path, owned: Iterable[str]) -> Iterator[Path]:
    """Write a set of files as a unit: yield an empty staging folder beside `target`; on success it
    takes `target`'s place in one atomic exchange, so a reader finds the old set or the new set, whole.

    `owned` names the entries this set consists of (e.g. roster.xlsx … plan.json): the old ones go,
    even those the new set lacks (no stale file survives), while anything else in `target` (another
    command's files, the user's own) is carried over into the new folder before the swap. A killed
    run's staging folder is cleaned up by the next run (`recover_folder`); a failed run leaves none.
    """
    target = Path(target)
    owned = set(owned)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target, owned)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGE_SUFFIX, dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(stage, 0o777 & ~umask)  # mkdtemp's folder is private; an output folder is shared
    try:
        yield stage
        if not target.exists():
            os.rename(stage, target)
            return
        written = {child.name for child in stage.iterdir()}
        for child in list(target.iterdir()):
            if _leftover(child):
                _remove(child)  # a temporary file of a killed write, never a result
            elif child.name not in owned and child.name not in written:
                os.rename(child, stage / child.name)
        if not _exchange(stage, target):
            # Without an atomic exchange: two renames, with the old set parked beside the target
            # under the staging name so that `recover_folder` can finish a killed swap.
            parked = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGE_SUFFIX, dir=target.parent))
            os.rmdir(parked)
            os.rename(target, parked)
            os.rename(stage, target)
            stage = parked
        shutil.rmtree(stage, ignore_errors=True)  # the old set, now in the staging folder
    finally:
        if stage.exists():
            recover_folder(target, owned)
