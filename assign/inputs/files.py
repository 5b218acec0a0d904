"""A file a user names (a table, a scenario, a holiday file): is it a readable file, how big is it,
and its text in whichever encoding Excel or WPS saved it.

A folder, a device or a pipe where a file is expected would otherwise end in IsADirectoryError or
a read that never ends; a file far larger than any office keeps is refused before it is read.
"""

from __future__ import annotations

import os
from pathlib import Path

from assign.errors import InputError
from assign.locale import N_, _

# What Excel and WPS save on a Chinese Windows (GB18030) and everywhere else (UTF-8, with or without BOM).
ENCODINGS = ("utf-8-sig", "gb18030")


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a file, or None when it can."""
    try:
        if not path.exists():
            return _("file not found")
        if path.is_dir():
            return _("a folder, not a file: expected the path of a file")
        if not path.is_file():
            return _("not a regular file (a device or a pipe): expected the path of a file")
    except OSError as exc:  # a name too long, a path through a file, …
        return _("cannot be opened ({reason})").format(reason=exc.strerror or exc)
    if not os.access(path, os.R_OK):
        return _("cannot be read: no permission to read this file")
    return None


def check_file(path: Path, what: str = N_("file"), limit: int | None = None) -> None:
    """An InputError naming `path` unless it is a readable file (of at most `limit` bytes); `what` says which (e.g. "holiday file")."""
    problem = file_problem(path)
    if problem is not None:
        raise InputError.at(path, None, None, None, _("{what} not found").format(what=_(what)) if problem == _("file not found") else problem)
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise InputError.at(path, None, None, None, _("{what} of {size} bytes: at most {limit} bytes are read (see README, Limits)")
                                                        .format(what=_(what), size=f"{size:,}", limit=f"{limit:,}"))


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a readable file of at most `limit` bytes; anything else is an InputError naming the file."""
    check_file(path, what, limit)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError.at(path, None, None, None, _("cannot be read ({value})").format(value=exc.strerror or exc)) from None


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding) of a file's bytes in the first of ENCODINGS that fits."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError.at(path, None, None, None, _("cannot decode: expected UTF-8, UTF-8 with BOM or GB18030 text"))
