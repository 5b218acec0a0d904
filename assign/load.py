"""Loading a scenario: the YAML file, then its tables, into a validated `Problem`.

Every error names the file, the row, the column (as the user wrote its header), the value and
what was expected; all bad cells of a table are reported together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assign.errors import CellProblem, InputError
from assign.models import Researcher, School
from assign.problem import Problem, build_problem
from assign.registry import Registry, build_registry
from assign.roads import read_network
from assign.scenario import ScenarioFile
from assign.tables import RESEARCHER_COLUMNS, RESEARCHER_REQUIRED, SCHOOL_COLUMNS, SCHOOL_REQUIRED, Table, read_table

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError.at(path, None, None, None, "scenario file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError.at(path, row, None, None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise InputError.at(path, None, None, None, "not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InputError.at(path, None, None, type(data).__name__, "expected a mapping of keys such as name, data, policies")
    return data


def parse_scenario(data: dict[str, Any], path: Path) -> ScenarioFile:
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise InputError([
            CellProblem(str(path), None, ".".join(str(p) for p in err["loc"]), err.get("input"), err["msg"])
            for err in exc.errors()
        ]) from None


def rows_to_models(table: Table, model: type[M]) -> list[M]:
    """Validate each row with `model`; every bad cell of the table becomes one CellProblem."""
    items: list[M] = []
    problems: list[CellProblem] = []
    for row in table.rows:
        try:
            items.append(model.model_validate({**row.values, "extra": row.extra, "headers": table.headers, "source": str(table.path), "row": row.number}))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else None
                column = table.header(field) if field in table.headers else field
                value = row.values.get(field) if field else None
                message = err["msg"].removeprefix("Value error, ")
                problems.append(CellProblem(str(table.path), row.number, column, value, message))
    if problems:
        raise InputError(problems)
    return items


def load_researchers(path: Path) -> list[Researcher]:
    return rows_to_models(read_table(path, RESEARCHER_COLUMNS, RESEARCHER_REQUIRED), Researcher)


def load_schools(path: Path) -> list[School]:
    return rows_to_models(read_table(path, SCHOOL_COLUMNS, SCHOOL_REQUIRED), School)


def load_scenario(path: str | Path, registry: Registry | None = None, overrides: dict[str, Any] | None = None) -> Problem:
    """Read scenario.yaml and its tables into a Problem. `overrides` are merged over the file's top-level sections."""
    path = Path(path)
    data = read_yaml(path)
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    scenario = parse_scenario(data, path)
    base = path.parent
    researchers = load_researchers(base / scenario.data.researchers)
    schools = load_schools(base / scenario.data.schools)
    network = None
    if scenario.data.roads is not None:
        nodes = base / scenario.data.nodes if scenario.data.nodes is not None else None
        network = read_network(base / scenario.data.roads, nodes, scenario.travel.road_kmh)
    return build_problem(scenario, researchers, schools, registry or build_registry(), source=str(path), network=network)
