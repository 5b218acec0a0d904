"""Loading a scenario: the YAML file, then its tables, into a validated `Problem`.

Every error names the file, the row, the column (as the user wrote its header), the value and
what was expected; all bad cells of a table are reported together. A scenario that `extends`
another is merged with it, and its table edits applied to the rows as read (`assign.inputs.extend`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ValidationError

from assign.errors import AssignError, CellProblem, InputError, error_message, validation_problems
from assign.inputs.extend import SourcedEdit, edit_table, merge, removed_ids, resolve_scenario
from assign.inputs.files import file_problem
from assign.inputs.places import place_by_township, read_townships
from assign.inputs.tables import (
    MAX_RESEARCHERS,
    MAX_SCHOOLS,
    RESEARCHER_COLUMNS,
    RESEARCHER_REQUIRED,
    ROAD_COLUMNS,
    SCHOOL_COLUMNS,
    SCHOOL_REQUIRED,
    Table,
    read_table,
    sheet_of,
)
from assign.locale import N_, _
from assign.models import Researcher, School
from assign.problem import Problem, build_problem
from assign.registry import Registry, build_registry
from assign.scenario import ScenarioFile
from assign.travel.roads import read_network

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
# The embedded demo county 示范县, what `assign` runs when given no scenario (an editable install keeps it beside the package).
DEMO_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "demo-county" / "scenario.yaml"


def demo_scenario() -> Path:
    """The demo county's scenario file; an AssignError that says how to get it when it is missing."""
    if not DEMO_SCENARIO.exists():
        raise AssignError(_("the demo county is not here ({demo_scenario}): install assign from its source folder with `pip install -e .`")
                              .format(demo_scenario=DEMO_SCENARIO))
    return DEMO_SCENARIO


def parse_scenario(data: dict[str, Any], path: Path) -> ScenarioFile:
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, path)) from None


def check_named_files(scenario: ScenarioFile, base: Path, path: Path) -> None:
    """Every file the scenario names (tables, holiday files) is a readable file; each one that is not is a
    CellProblem naming the scenario key, all of them together."""
    problems = [CellProblem(str(path), None, key, str(base / name), reason)
                for key, name in scenario.named_files() if (reason := file_problem(sheet_of(base / name)[0])) is not None]
    if problems:
        raise InputError(problems)


def rows_to_models(table: Table, model: type[M], what: str) -> list[M]:
    """Validate each row with `model`; every bad cell of the table becomes one CellProblem.

    A table with a header and no rows is an error, not an empty plan; `what` names a row (N_("researcher")).
    """
    if not table.rows:
        raise InputError.at(table.path, None, None, None, _("no rows under the header: expected one row per {what}").format(what=_(what)))
    items: list[M] = []
    problems: list[CellProblem] = []
    labels = table.labels()
    for row in table.rows:
        try:
            source = row.source or table.where
            items.append(model.model_validate({**row.values, "extra": row.extra, "headers": labels, "source": source, "row": row.number}))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else None
                column = labels.get(field, field) if field is not None else None
                value = row.values.get(field) if field else None
                message = error_message(err)
                if field in row.edited:  # the what-if's update wrote this value: blame the edit
                    file, key = row.edited[field]
                    problems.append(CellProblem(file, None, key, value, message))
                else:
                    problems.append(CellProblem(row.source or table.where, row.number or None, column, value, message))
    if problems:
        raise InputError(once_each(problems))
    return items


def once_each(problems: list[CellProblem]) -> list[CellProblem]:
    """The same complaint (file, column, message: an unknown word) on many rows, listed once with every row that has it."""
    rows: dict[tuple, list[CellProblem]] = {}
    told = set()
    for p in problems:
        if (seen := (p.file, p.row, p.column, repr(p.value), p.expected)) in told:
            continue  # an id made from an empty name is the name's problem: told once
        told.add(seen)
        rows.setdefault((p.file, p.column, p.expected), []).append(p)
    out = []
    for (file, column, expected), same in rows.items():
        if len(same) == 1 or same[0].row is None:
            out += same
            continue
        more = "、".join(str(p.row) for p in same[1:])
        out.append(CellProblem(file, same[0].row, column, same[0].value, _("{expected} (also rows {more})").format(expected=expected, more=more)))
    return out


# Sheet titles that name each table, taken first when one workbook holds both tables (any sheet with the columns else).
RESEARCHER_SHEETS = ("教研员", "教研员名单", "教研员表", "researchers")
SCHOOL_SHEETS = ("学校", "学校名单", "学校表", "联系学校", "schools")


def load_researchers(path: Path, edits: list[SourcedEdit] = (), notes: list[str] | None = None) -> list[Researcher]:
    """The researchers of a table (ids made from the names when it has no 工号); what reading guessed goes into `notes`."""
    read = read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, MAX_RESEARCHERS, any_sheet=True, id_from="name", titles=RESEARCHER_SHEETS)
    if notes is not None:
        notes += read.notes
    return rows_to_models(edit_table(read, "researchers", RESEARCHER_COLUMNS, list(edits)), Researcher, N_("researcher"))


def load_schools(path: Path, edits: list[SourcedEdit] = (), notes: list[str] | None = None) -> list[School]:
    """The schools of a table (ids made from the names when it has no 学校代码); what reading guessed goes into `notes`."""
    read = read_table(path, SCHOOL_COLUMNS, SCHOOL_REQUIRED, MAX_SCHOOLS, any_sheet=True, id_from="name", titles=SCHOOL_SHEETS)
    if notes is not None:
        notes += read.notes
    return rows_to_models(edit_table(read, "schools", SCHOOL_COLUMNS, list(edits)), School, N_("school"))


def gathered(problems: list[CellProblem], read: Callable[[], T]) -> T | None:
    """`read()`, or None with its InputError's problems added to `problems`: every table is read before one error lists them all."""
    try:
        return read()
    except InputError as exc:
        problems += exc.problems
        return None


def _forget_removed_schools(researchers: list[Researcher], removed: set[str]) -> tuple[list[Researcher], list[str]]:
    """A school a what-if removed leaves every researcher's current and avoided schools (with a warning)."""
    out, warnings = [], []
    for r in researchers:
        gone = [sid for sid in (*r.current_schools, *r.avoid_schools) if sid in removed]
        if gone:
            warnings.append(_("researcher {id} {name}: school(s) {names} removed by the what-if, dropped from 现联系学校/回避学校")
                            .format(id=r.id, name=r.name, names="、".join(gone)))
            r = r.model_copy(update={"current_schools": tuple(s for s in r.current_schools if s not in removed),
                                     "avoid_schools": tuple(s for s in r.avoid_schools if s not in removed)})
        out.append(r)
    return out, warnings


def load_scenario(path: str | Path, registry: Registry | None = None, overrides: dict[str, Any] | None = None) -> Problem:
    """Read scenario.yaml (merged with what it extends) and its edited tables into a Problem.

    `overrides` (e.g. from `assign sweep --set`) are merged over it like one more what-if file.
    """
    path = Path(path)
    resolved = resolve_scenario(path)
    data = merge(resolved.data, overrides or {})  # by the same rules as a what-if file
    scenario = parse_scenario(data, path)
    base = path.parent
    check_named_files(scenario, base, path)
    notes: list[str] = []
    problems: list[CellProblem] = []
    researchers = gathered(problems, lambda: load_researchers(base / scenario.data.researchers, resolved.edits_for("researchers"), notes))
    schools = gathered(problems, lambda: load_schools(base / scenario.data.schools, resolved.edits_for("schools"), notes))
    network = None
    if scenario.data.roads is None and resolved.edits_for("roads"):
        problems.append(CellProblem(resolved.edits_for("roads")[0].file, None, "edits.roads", None, _("the scenario has no road table to edit")))
    if scenario.data.roads is not None:
        nodes = base / scenario.data.nodes if scenario.data.nodes is not None else None
        road_edits = resolved.edits_for("roads")
        edit = (lambda table: edit_table(table, "roads", ROAD_COLUMNS, road_edits)) if road_edits else None
        network = gathered(problems, lambda: read_network(base / scenario.data.roads, nodes, scenario.travel.road_kmh, edit=edit))
    townships = None
    if scenario.data.townships is not None:
        townships = gathered(problems, lambda: read_townships(base / scenario.data.townships))
    if problems:
        raise InputError(problems)
    researchers, warnings = _forget_removed_schools(researchers, removed_ids(resolved.edits_for("schools")))
    schools, placed = place_by_township(schools, townships)
    warnings = notes + placed + warnings
    problem = build_problem(scenario, researchers, schools, registry or build_registry(), source=str(path), network=network)
    return problem.model_copy(update={"warnings": (*warnings, *problem.warnings)}) if warnings else problem
