"""Descriptions of installed policies, read from each policy's `Params`, docstring and the rules it lets bend."""

from __future__ import annotations

import inspect

from pydantic_core import PydanticUndefined
from tabulate import tabulate

from assign.locale import _
from assign.registry import Registry


def _params(policy) -> list[tuple[str, str, str]]:
    rows = []
    for field_name, info in policy.Params.model_fields.items():
        default = _("required") if info.default is PydanticUndefined else repr(info.default)
        rows.append((field_name, default, _(info.description) if info.description else ""))  # a plugin marks it with N_
    return rows


def policy_table(registry: Registry) -> str:
    rows = []
    for name in registry.names():
        policy = registry.policies[name]
        params = ", ".join(f"{n}={d}" for n, d, _meaning in _params(policy)) or "—"
        summary = (inspect.getdoc(inspect.getmodule(type(policy))) or "").split("\n")[0]
        rows.append((name, _(policy.title) if policy.title else "", params, summary))
    return tabulate(rows, headers=[_(registry.what), _("title"), _("parameters (defaults)"), _("what it does")], tablefmt="simple")


def policy_help(registry: Registry, name: str) -> str:
    policy = registry.get(name)
    doc = inspect.getdoc(inspect.getmodule(type(policy))) or ""
    title = _(policy.title) if policy.title else ""
    lines = [f"{name} — {title}", _("from {origin}").format(origin=registry.origins[name]), "", doc, "", _("parameters:")]
    lines.append(tabulate(_params(policy), headers=[_("name"), _("default"), _("meaning")], tablefmt="simple")
                 if _params(policy) else "  " + _("(none)"))
    if registry.what == "policy":
        relaxable = getattr(policy, "relaxable", None) or {}
        lines += ["", _("rules that may bend (on_infeasible: relax; relax.severity sets another severity, or never):")]
        rows = [(f"{name}.{rule}", _(r.label) if r.label else "", r.severity, _("yes") if rule == getattr(policy, "relax_pruning", None) else "")
                for rule, r in relaxable.items()]
        lines.append(tabulate(rows, headers=[_("rule"), _("meaning"), _("default severity"), _("its pruning bends")], tablefmt="simple")
                     if rows else "  " + _("(none: every rule of this policy stays hard)"))
    return "\n".join(lines)
