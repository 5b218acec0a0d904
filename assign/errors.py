"""Errors that reach the user: each says where (file, row, column), what was found and what was expected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assign.locale import N_, _, ngettext

if TYPE_CHECKING:
    from pydantic import ValidationError


class AssignError(Exception):
    """Base of every error the CLI turns into one clear message and a non-zero exit."""


@dataclass(frozen=True)
class CellProblem:
    """One bad cell (or bad file-level item) of an input table."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            where.append(_("column {column}").format(column=self.column))
        value = str(self.value) if isinstance(self.value, dt.date) else self.value  # 2027-02-30, not datetime.date(…)
        shown = "" if value is None else f"{value!r}: "
        return f"{_(', ').join(where)}: {shown}{self.expected}"


class InputError(AssignError):
    """One or more problems with the files the user handed in; nothing has been written."""

    def __init__(self, problems: list[CellProblem] | CellProblem):
        self.problems = [problems] if isinstance(problems, CellProblem) else list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        """One line per problem; when they are in several files (tables, sheets), a heading per file above its own."""
        if len(self.problems) == 1:
            return str(self.problems[0])
        count: dict[str, int] = {}
        for p in self.problems:
            count[p.file] = count.get(p.file, 0) + 1
        lines = [ngettext("{n} problem in the input:", "{n} problems in the input:", len(self.problems)).format(n=len(self.problems))]
        heading = None
        for p in self.problems[:50]:
            if len(count) > 1 and p.file != heading:
                heading = p.file
                lines.append(ngettext("{file}: {n} problem", "{file}: {n} problems", count[p.file]).format(file=p.file, n=count[p.file]))
            lines.append(f"  - {p}")
        if len(self.problems) > 50:
            lines.append("  " + _("… and {n} more").format(n=len(self.problems) - 50))
        return "\n".join(lines)

    @classmethod
    def at(cls, file: str | Path, row: int | None, column: str | None, value: object, expected: str) -> "InputError":
        return cls(CellProblem(str(file), row, column, value, expected))


def key_path(loc: tuple) -> str:
    """A pydantic error's location as a person finds it in a YAML file: `calendar.terms[2].end`
    (list items counted from 1)."""
    return "".join(f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


# pydantic's own checks (a number's bounds, a whole number, a choice …) in our words, by its error type;
# the context's values (`le`, `expected` …) fill the placeholders. Any other type keeps pydantic's English.
PYDANTIC_MESSAGES = {
    "less_than_equal": N_("expected at most {le}"),
    "less_than": N_("expected less than {lt}"),
    "greater_than_equal": N_("expected at least {ge}"),
    "greater_than": N_("expected more than {gt}"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "float_parsing": N_("expected a number"),
    "float_type": N_("expected a number"),
    "finite_number": N_("expected a finite number"),
    "bool_parsing": N_("expected yes or no (true/false)"),
    "bool_type": N_("expected yes or no (true/false)"),
    "literal_error": N_("expected {expected}"),
    "enum": N_("expected {expected}"),
    "missing": N_("required: this key is missing"),
    "extra_forbidden": N_("unknown key: not one this section has"),
    "string_type": N_("expected text"),
    "dict_type": N_("expected a mapping (key: value)"),
    "list_type": N_("expected a list"),
    "date_from_datetime_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_type": N_("expected a date (YYYY-MM-DD)"),
    "too_short": N_("expected at least {min_length} item(s)"),
    "too_long": N_("expected at most {max_length} item(s)"),
}


def error_message(err: dict) -> str:
    """One pydantic error as the user reads it: our validators' messages as they wrote them (already in
    the user's language), pydantic's own in our words where we know its type."""
    if err["type"] == "value_error":
        return err["msg"].removeprefix("Value error, ")
    known = PYDANTIC_MESSAGES.get(err["type"])
    if known is None:
        return err["msg"]
    try:
        return _(known).format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):  # a context without the value the words name
        return err["msg"]


def validation_problems(exc: "ValidationError", file: str | Path, prefix: str = "") -> list[CellProblem]:
    """One CellProblem per error of a pydantic model read from a YAML file: the key (under `prefix`), the value, the reason."""
    return [CellProblem(str(file), None, ".".join(p for p in (prefix, key_path(err["loc"])) if p) or None, err.get("input"), error_message(err))
            for err in exc.errors()]


class NoPlanError(AssignError):
    """A command needed a plan and the solve gave none (infeasible, or nothing within the time limit)."""


class PolicyError(AssignError):
    """A policy plugin could not be loaded, was registered twice, or rejected its parameters."""
