"""Policy forms generated from each policy's pydantic `Params` (titles, defaults, descriptions, allowed
values), so a third-party policy gets a form for free; and the form's answers read back into a
scenario's `policies:` section, every bad value reported at once.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import ValidationError
from pydantic_core import PydanticUndefined

from assign.errors import CellProblem, InputError, error_message, key_path
from assign.locale import _
from assign.registry import Registry


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # checkbox, select, text
    value: str  # as the input shows it (YAML flow style for lists and mappings)
    checked: bool
    options: tuple[str, ...]
    description: str
    required: bool


@dataclass(frozen=True)
class PolicyForm:
    name: str
    title: str
    used: bool
    fields: tuple[FormField, ...]
    bends: tuple[str, ...]  # the rules that may bend, in the policy's words


def literal_values(annotation: Any) -> tuple[tuple[str, ...], bool]:
    """The allowed values of a Literal (or a union of Literals and None), and whether it is nothing else."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return tuple(str(v) for v in typing.get_args(annotation)), True
    if origin in (typing.Union, types.UnionType):
        values, only = [], True
        for arg in typing.get_args(annotation):
            if arg is type(None):
                continue
            inner, pure = literal_values(arg)
            values += inner
            only = only and pure
        return tuple(values), only and bool(values)
    return (), False


def shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip().removesuffix("\n...").strip()


def policy_form(policy: Any, params: dict[str, Any] | None) -> PolicyForm:
    """The form of one policy, filled with `params` (the scenario's) over the Params' defaults."""
    fields = []
    for name, info in policy.Params.model_fields.items():
        required = info.default is PydanticUndefined
        default = None if required else (info.default_factory() if info.default_factory else info.default)
        value = (params or {}).get(name, default)
        options, only = literal_values(info.annotation)
        if info.annotation is bool:
            kind = "checkbox"
        elif only:
            kind = "select"
        else:
            kind = "text"
        description = _(info.description) if info.description else ""  # a plugin marks it with N_; _("") is the catalog header
        if options and not only:
            description += f" ({' / '.join(options)})"
        fields.append(FormField(name, kind, shown(value), bool(value), options, description, required))
    bends = tuple(f"{policy.name}.{rule}: {r.label}" for rule, r in (getattr(policy, "relaxable", None) or {}).items())
    return PolicyForm(policy.name, getattr(policy, "title", policy.name), params is not None, tuple(fields), bends)


def policy_forms(registry: Registry, chosen: dict[str, Any]) -> list[PolicyForm]:
    """Every installed policy's form, those the scenario uses first."""
    forms = [policy_form(registry.policies[name], chosen.get(name) if name in chosen else None) for name in registry.names()]
    return sorted(forms, key=lambda f: not f.used)


def read_value(text: str) -> Any:
    """A text input's value: YAML, so `90`, `[城区, 镇区]` and `null` mean what they do in a scenario file."""
    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return text


def rules_from_form(registry: Registry, form: dict[str, str], source: str = "rules") -> dict[str, dict[str, Any]]:
    """The policies ticked on the rules page (`use.NAME`), each with its fields (`NAME.FIELD`), validated by
    the policy's own Params; every bad value of every policy in one InputError."""
    rules: dict[str, dict[str, Any]] = {}
    problems: list[CellProblem] = []
    for name in registry.names():
        if f"use.{name}" not in form:
            continue
        policy = registry.policies[name]
        params: dict[str, Any] = {}
        for field, info in policy.Params.model_fields.items():
            key = f"{name}.{field}"
            if info.annotation is bool:
                params[field] = key in form
            elif key in form:
                options, only = literal_values(info.annotation)
                params[field] = form[key] if only and form[key] in options else read_value(form[key])
        try:
            policy.Params.model_validate(params)
        except ValidationError as exc:
            problems += [CellProblem(source, None, f"{name}.{key_path(err['loc'])}", err.get("input"), error_message(err))
                         for err in exc.errors()]
        rules[name] = params
    if problems:
        raise InputError(problems)
    return rules


def ids(text: str) -> list[str]:
    return [part for part in text.replace("，", ",").replace("、", ",").replace(";", ",").replace(" ", ",").split(",") if part]


def whatif_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The what-if form's one change as the keys of a what-if file: researchers or schools removed (ids), a rule set
    (`policy.parameter` = a YAML value, or `policy` = null to drop it)."""
    edits: dict[str, Any] = {}
    for table in ("researchers", "schools"):
        removed = ids(form.get(f"remove_{table}", ""))
        if removed:
            edits[table] = {"remove": removed}
    change: dict[str, Any] = {"edits": edits} if edits else {}
    key, value = form.get("rule_key", "").strip(), form.get("rule_value", "")
    if key:
        policy, _, field = key.partition(".")
        change["policies"] = {policy: {field: read_value(value)} if field else read_value(value)}
    return change
