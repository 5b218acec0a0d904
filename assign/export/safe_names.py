"""File names and Excel sheet titles made from ids and names: readable for an ordinary name, safe for any.

A name may hold `/ \\ : * ? " < > | [ ]`, start with dots or run to 200 characters. None of that may
reach a path (it must stay inside the output folder, each part well under the 255 bytes a file
system allows) or a sheet title (Excel: at most 31 characters, none of `\\ / * ? : [ ]`, not
starting or ending with `'`). So each character neither may hold becomes `_`, runs of dots become
`_`, the text is cut to its limit keeping the id whole, and a name already given in the same folder
or workbook (compared as Windows and Excel compare: case-insensitively) gets `~2`, `~3`, …
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

# A file name's UTF-8 bytes, suffix included: 255 is the limit of ext4 and NTFS; atomic writes add
# ".<name>.<8 random>.part" beside the target, and some archivers and sync tools keep less.
FILE_NAME_BYTES = 120
SHEET_TITLE_CHARS = 31  # Excel's own limit

_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')
_SHEET_UNSAFE = re.compile(r"[\\/*?:\[\]\x00-\x1f\x7f]+")
_DOTS = re.compile(r"\.{2,}")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def cut(text: str, limit: int, size: Callable[[str], int] = len) -> str:
    """The longest start of `text` whose size (`len` or `utf8_bytes`) is at most `limit`, never splitting a character."""
    if size is utf8_bytes:
        return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")
    return text[:max(limit, 0)]


def file_part(text: str) -> str:
    """One path part with nothing a file system or a shell path could read as structure."""
    part = _DOTS.sub("_", _FILE_UNSAFE.sub("_", unicodedata.normalize("NFC", text).strip())).strip(". ")
    part = part or "_"
    return f"_{part}" if part.split(".")[0].upper() in _WINDOWS_DEVICES else part


def sheet_part(text: str) -> str:
    """Text a sheet title may hold (an apostrophe too goes: Excel refuses one at either end)."""
    return _SHEET_UNSAFE.sub("_", unicodedata.normalize("NFC", text)).replace("'", "_").strip() or "_"


class Names:
    """The names given so far in one folder or one workbook: each new one bounded and distinct.

    A name is `head + tail` within `limit` (measured by `size`): the head is cut first, so the
    tail stays whole while it fits; a name taken already gets `~2`, `~3`, … at its end.
    """

    def __init__(self, limit: int, size: Callable[[str], int]):
        self.limit, self.size = limit, size
        self.taken: set[str] = set()

    def bounded(self, head: str, tail: str, limit: int) -> str:
        if self.size(tail) < limit:
            return self.tidy(cut(head, limit - self.size(tail), self.size)) + tail
        return self.tidy(cut(head + tail, limit, self.size))

    def tidy(self, text: str) -> str:
        """What a cut may leave at the end and a name must not end with."""
        return text

    def claim(self, head: str, tail: str = "", suffix: str = "") -> str:
        """The bounded, distinct name, with `suffix` (a file's extension) kept whole."""
        limit = self.limit - self.size(suffix)
        name, number = self.bounded(head, tail, limit), 1
        while self.key(name + suffix) in self.taken:
            number += 1
            mark = f"~{number}"
            name = self.bounded(head, tail, limit - self.size(mark)) + mark
        self.taken.add(self.key(name + suffix))
        return name + suffix

    @staticmethod
    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()


class FileNames(Names):
    """File names within one folder: `<id>-<name><suffix>`; a long name is cut from its end, the id first stays."""

    def __init__(self, limit: int = FILE_NAME_BYTES):
        super().__init__(limit, utf8_bytes)

    def tidy(self, text: str) -> str:
        return text.rstrip(". ") or "_"

    def of(self, key: str, name: str, suffix: str) -> str:
        return self.claim(file_part(f"{key}-{name}" if name else key), "", suffix)


class SheetTitles(Names):
    """Sheet titles within one workbook: `<name>-<id>`, the name cut first so that the id stays."""

    def __init__(self):
        super().__init__(SHEET_TITLE_CHARS, len)

    def tidy(self, text: str) -> str:
        return text.rstrip() or "_"

    def of(self, name: str, key: str = "") -> str:
        if self.key(name) == "history":  # Excel keeps this title for itself
            name += "_"
        return self.claim(sheet_part(name), "-" + sheet_part(key) if key else "")


def folder_name(text: str) -> str:
    """One folder name from user text (a term's name), bounded like a file name."""
    return FileNames().tidy(cut(file_part(text), FILE_NAME_BYTES, utf8_bytes))
