"""What-if scenarios: a scenario file that `extends` another, and edits to the base's tables.

A what-if names its base (`extends: ../demo-county/scenario.yaml`, relative to the what-if file)
and says only what differs. Bases may extend further bases; a cycle is an error naming the chain.

Merge rules (the extending file over its base):
- mappings merge key by key, recursively (`policies`, `solver`, `travel`, `office`, `data` …);
- lists and scalars replace (`objective.order`, `solver.time_limit`, a policy's list parameter);
- a key set to null removes that key of the base: `policies: {travel: null}` drops the travel
  policy, `data: {roads: null}` drops the road table (great-circle travel). A null for a key the
  base lacks keeps its ordinary meaning (`policies: {stability: null}` = stability, defaults);
- paths under `data:` and the calendar's holiday files are relative to the file that names them, so
  a base's tables are found from the base's folder and a what-if's own tables from the what-if's folder.

Table edits (`edits:`), applied to the rows as read, before validation, so a bad value still
gets a message naming its column:

```yaml
edits:
  researchers:
    add: [{工号: R047, 姓名: 新教研员, 学科: 数学, 学段: 小学}]   # headers as in the table, 中文 or English
    remove: [R003]                                              # ids
    update: {R006: {最多联系学校: 2}}                             # id → {column: value}
  schools: {remove: [S031], update: {S029: {学校名称: 河口镇中心小学（合并）}}}
  roads: {remove: [青石镇~双河大桥], update: {双河大桥~双河镇: {时速: 10}}}   # a road's id is FROM~TO
```

Each file's edits apply in chain order (the base's first). A file that replaces a table
(`data: {researchers: other.csv}`) discards the edits earlier files made to that table. An id in
`remove` or `update` that the table (as edited so far) lacks, or an `add` of an id already
there, is an InputError naming the what-if file and the id. Removing a school also takes it out of
every researcher's 现联系学校 and 回避学校 (with a warning): the pair can no longer exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assign.errors import CellProblem, InputError, validation_problems
from assign.inputs.files import file_problem
from assign.inputs.tables import Table, TableRow
from assign.inputs.yaml_file import read_yaml
from assign.locale import _
from assign.vocab import did_you_mean

TABLES = ("researchers", "schools", "roads")
MAX_EXTENDS = 20  # files in one chain of `extends` (README, Limits): what-ifs of what-ifs, never hundreds
ROAD_SEPARATOR = "~"


class TableEdit(BaseModel):
    """Edits of one table in one what-if file."""

    model_config = ConfigDict(extra="forbid")
    add: list[dict[str, Any]] = Field(default_factory=list, description="new rows, by header")
    remove: list[str] = Field(default_factory=list, description="ids of rows to drop")
    update: dict[str, dict[str, Any]] = Field(default_factory=dict, description="id → {column: new value}")


@dataclass(frozen=True)
class SourcedEdit:
    """A table edit and the file that wrote it (for messages)."""

    file: str
    table: str
    edit: TableEdit


@dataclass
class Resolved:
    """A scenario file with its bases merged in: the data to validate, and the table edits to apply."""

    data: dict[str, Any]
    edits: list[SourcedEdit] = field(default_factory=list)
    chain: list[Path] = field(default_factory=list)  # the file itself first, then its bases

    def edits_for(self, table: str) -> list[SourcedEdit]:
        return [e for e in self.edits if e.table == table]


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` merged onto `base` by the module's rules; neither argument is changed."""
    out = dict(base)
    for key, value in over.items():
        if value is None and key in out:
            del out[key]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_scenario(path: str | Path) -> Resolved:
    """Read a scenario file and every file it extends, merged (see the module docstring)."""
    return _resolve(Path(path), [])


def _resolve(path: Path, seen: list[Path]) -> Resolved:

    here = path.resolve()
    if len(seen) >= MAX_EXTENDS:
        raise InputError.at(seen[-1], None, "extends", str(path), _("a chain of more than {max_extends} scenario files extending each other")
                                                                      .format(max_extends=MAX_EXTENDS))
    if here in seen:
        chain = " → ".join(str(p) for p in [*seen, here])
        raise InputError.at(seen[-1], None, "extends", str(path), _("scenario files extend each other in a cycle: {chain}").format(chain=chain))
    data = read_yaml(path)
    own_edits = _parse_edits(data.pop("edits", None), path)
    _anchor_paths(data, path)
    parent = data.pop("extends", None)
    if parent is None:
        return Resolved(data=data, edits=own_edits, chain=[path])
    if not isinstance(parent, str) or not parent.strip():
        raise InputError.at(path, None, "extends", parent, _("expected the path of a scenario file to extend"))
    base_path = path.parent / parent
    problem = file_problem(base_path)
    if problem is not None:
        raise InputError.at(path, None, "extends", parent, _("{problem}: expected a scenario file to extend ({base_path})")
                                                               .format(problem=problem, base_path=base_path))
    base = _resolve(base_path, [*seen, here])
    replaced = set(data.get("data") or {}) if isinstance(data.get("data"), dict) else set()
    edits = [e for e in base.edits if e.table not in replaced] + own_edits
    return Resolved(data=merge(base.data, data), edits=edits, chain=[path, *base.chain])


def _anchor_paths(data: dict[str, Any], path: Path) -> None:
    """Make the file names under `data:` and the calendar's holiday files absolute, from the folder of the
    file that names them: a what-if elsewhere must still find its base's tables and holiday files."""

    def anchored(name: Any) -> Any:
        return str((path.parent / name).resolve()) if isinstance(name, str) else name

    if isinstance(data.get("data"), dict):
        data["data"] = {k: anchored(v) for k, v in data["data"].items()}
    calendar = data.get("calendar")
    if isinstance(calendar, dict):
        calendar = data["calendar"] = dict(calendar)
        if "holiday_file" in calendar:  # only when written: a null removes the base's (merge rules above)
            holiday_file = calendar["holiday_file"]
            calendar["holiday_file"] = [anchored(v) for v in holiday_file] if isinstance(holiday_file, list) else anchored(holiday_file)
        if isinstance(calendar.get("holidays"), str) and calendar["holidays"].lower().endswith((".yaml", ".yml")):
            calendar["holidays"] = anchored(calendar["holidays"])
        if isinstance(calendar.get("records"), dict):
            calendar["records"] = {term: [anchored(v) for v in names] if isinstance(names, list) else names
                                   for term, names in calendar["records"].items()}


def _parse_edits(raw: Any, path: Path) -> list[SourcedEdit]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise InputError.at(path, None, "edits", raw, _("expected a mapping of tables ({names}) to add/remove/update")
                                                          .format(names=', '.join(TABLES)))
    problems, edits = [], []
    for table, body in raw.items():
        if table not in TABLES:
            problems.append(CellProblem(str(path), None, f"edits.{table}", table, _("unknown table: expected one of {names}")
                                                                                      .format(names=', '.join(TABLES))))
            continue
        try:
            edit = TableEdit.model_validate(_ids_as_text(body or {}))
        except ValidationError as exc:
            problems += validation_problems(exc, path, f"edits.{table}")
            continue
        edits.append(SourcedEdit(str(path), table, edit))
    if problems:
        raise InputError(problems)
    return edits


def _ids_as_text(body: Any) -> Any:
    # YAML reads 1001 as a number; ids are text everywhere else.
    if not isinstance(body, dict):
        return body
    out = dict(body)
    if isinstance(out.get("remove"), list):
        out["remove"] = [str(i) for i in out["remove"]]
    if isinstance(out.get("update"), dict):
        out["update"] = {str(k): v for k, v in out["update"].items()}
    return out


# --------------------------------------------------------------------------------------------
# applying edits to a table as read
# --------------------------------------------------------------------------------------------

def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # Excel stores 1001 as 1001.0
    return text or None


def row_id(row: TableRow, table: str) -> str | None:
    """The id a what-if uses for a row: its id column, or FROM~TO for a road."""
    if table == "roads":
        ends = [_text(row.values.get(k)) for k in ("from", "to")]
        return None if None in ends else ROAD_SEPARATOR.join(ends)  # type: ignore[arg-type]
    return _text(row.values.get("id"))


def known(rows: list[TableRow], table: str) -> list[str]:
    """The ids of the rows (for a suggestion when an edit names none of them)."""
    return [rid for row in rows if (rid := row_id(row, table)) is not None]


def _matches(row: TableRow, table: str, wanted: str) -> bool:
    rid = row_id(row, table)
    if rid == wanted:
        return True
    if table == "roads" and rid is not None:
        # A two-way road may be named from either end.
        a, _sep, b = rid.partition(ROAD_SEPARATOR)
        return f"{b}{ROAD_SEPARATOR}{a}" == wanted
    return False


def edit_table(table: Table, name: str, columns: dict[str, tuple[str, ...]], edits: list[SourcedEdit]) -> Table:
    """The table with each edit applied in order; added and updated rows say which what-if changed them."""
    if not edits:
        return table
    lookup = {alias.lower(): key for key, aliases in columns.items() for alias in aliases}
    extras = {text for row in table.rows for text in row.extra}
    rows = list(table.rows)
    headers = dict(table.headers)
    problems: list[CellProblem] = []
    for sourced in edits:
        file, edit = sourced.file, sourced.edit
        for wanted in edit.remove:
            kept = [r for r in rows if not _matches(r, name, wanted)]
            if len(kept) == len(rows):
                problems.append(CellProblem(file, None, f"edits.{name}.remove", wanted,
                                            _("unknown id: no such row in {name}{did_you_mean}")
                                                .format(name=table.path.name, did_you_mean=did_you_mean(str(wanted), known(rows, name)))))
            rows = kept
        for wanted, changes in edit.update.items():
            hits = [i for i, r in enumerate(rows) if _matches(r, name, wanted)]
            if not hits:
                problems.append(CellProblem(file, None, f"edits.{name}.update", wanted,
                                            _("unknown id: no such row in {name}{did_you_mean}")
                                                .format(name=table.path.name, did_you_mean=did_you_mean(str(wanted), known(rows, name)))))
                continue
            for i in hits:
                old = rows[i]
                values, extra, edited = dict(old.values), dict(old.extra), dict(old.edited)
                for column, value in changes.items():
                    key = lookup.get(str(column).strip().lower())
                    if key is not None:
                        values[key] = _cell(value)
                        headers.setdefault(key, str(column))
                        edited[key] = (str(file), f"edits.{name}.update.{wanted}.{column}")
                    elif column in extras:
                        extra[column] = "" if value is None else str(value)
                    else:
                        problems.append(CellProblem(file, None, f"edits.{name}.update.{wanted}", column,
                                                    _("unknown column of {name}: expected one of {names} or a column the table has")
                                                        .format(name=table.path.name, names=', '.join(a[0] for a in columns.values()))))
                rows[i] = TableRow(old.number, values, extra, source=_("{source} (updated by {file})")
                                                                     .format(source=old.source or table.path, file=file), edited=edited)
        for index, raw in enumerate(edit.add, start=1):
            values: dict[str, object] = {key: None for key in headers}
            extra: dict[str, str] = {}
            for column, value in raw.items():
                key = lookup.get(str(column).strip().lower())
                if key is not None:
                    values[key] = _cell(value)
                    headers.setdefault(key, str(column))
                else:
                    extra[str(column)] = "" if value is None else str(value)
            # Row 0: the row is in no file; its source names the what-if and the place in its add list.
            new = TableRow(0, values, extra, source=f"{file} edits.{name}.add[{index}]")
            new_id = row_id(new, name)
            if name != "roads" and new_id is not None and any(row_id(r, name) == new_id for r in rows):
                problems.append(CellProblem(file, None, f"edits.{name}.add[{index}]", new_id,
                                            _("id already in {name}: use update to change that row").format(name=table.path.name)))
                continue
            rows.append(new)
    if problems:
        raise InputError(problems)
    return Table(table.path, headers, rows, table.encoding, table.columns)


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)  # a YAML list is what a list cell says
    if isinstance(value, str):
        return value.strip() or None
    return value


def removed_ids(edits: list[SourcedEdit]) -> set[str]:
    return {i for e in edits for i in e.edit.remove}
