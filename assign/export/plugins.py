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
        default = "required" if info.default is PydanticUndefined else repr(info.default)
        rows.append((field_name, default, _(info.description) if info.description else ""))  # a plugin marks it with N_
    return rows


def policy_table(registry: Registry) -> str:
    rows = []
    for name in registry.names():
        policy = registry.policies[name]
        params = ", ".join(f"{n}={d}" for n, d, _ in _params(policy)) or "—"
        summary = (inspect.getdoc(inspect.getmodule(type(policy))) or "").split("\n")[0]
        rows.append((name, policy.title, params, summary))
    return tabulate(rows, headers=[registry.what, "名称", "parameters (defaults)", "what it does"], tablefmt="simple")


def policy_help(registry: Registry, name: str) -> str:
    policy = registry.get(name)
    doc = inspect.getdoc(inspect.getmodule(type(policy))) or ""
    lines = [f"{name} — {policy.title}", f"from {registry.origins[name]}", "", doc, "", "parameters:"]
    lines.append(tabulate(_params(policy), headers=["name", "default", "meaning"], tablefmt="simple") if _params(policy) else "  (none)")
    if registry.what == "policy":
        relaxable = getattr(policy, "relaxable", None) or {}
        lines += ["", "rules that may bend (on_infeasible: relax; relax.severity sets another severity, or never):"]
        rows = [(f"{name}.{rule}", r.label, r.severity, "yes" if rule == getattr(policy, "relax_pruning", None) else "")
                for rule, r in relaxable.items()]
        lines.append(tabulate(rows, headers=["rule", "规则", "default severity", "its pruning bends"], tablefmt="simple")
                     if rows else "  (none: every rule of this policy stays hard)")
    return "\n".join(lines)
