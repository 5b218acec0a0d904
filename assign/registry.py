"""Finding installed plugins through an entry-point group: `assign.policies` (assignment
policies) or `assign.visit_rules` (rules of the term visit calendar). Both share one contract:
a `name` equal to the entry-point name, a pydantic `Params`, `apply` and `audit`.

The registry is built by a function, on demand, never at import time (as datasette does), and
the host checks what plugins hand back: a plugin that fails to import, is not a policy, or
registers a name twice is one clear `PolicyError` naming the plugin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pydantic import BaseModel, ValidationError

from assign.errors import PolicyError, error_message, key_path
from assign.locale import N_, _
from assign.problem import PolicyUse

POLICY_GROUP = "assign.policies"
VISIT_RULE_GROUP = "assign.visit_rules"
# No count, minute or weight a rule needs is larger; CP-SAT's integer coefficients (weight × 1000 ×
# a term) overflow long before 1e308 does (documented in README, "Limits").
PARAM_LIMIT = 1_000_000

# What each group calls its plugins (for messages) and which methods each must have.
_KINDS: dict[str, tuple[tuple[str, str], tuple[str, ...]]] = {
    POLICY_GROUP: ((N_("policy"), N_("policies")), ("allows", "apply", "audit")),
    VISIT_RULE_GROUP: ((N_("visit rule"), N_("visit rules")), ("apply", "audit")),
}


@dataclass(frozen=True)
class Registry:
    """Installed policies by name, and where each came from."""

    policies: dict[str, Any]  # Policy or VisitRule objects, their contract checked by `build_registry`
    origins: dict[str, str]
    what: str = "policy"
    what_plural: str = "policies"

    def get(self, name: str) -> Any:
        try:
            return self.policies[name]
        except KeyError:
            raise PolicyError(self.unknown(name)) from None

    def unknown(self, name: str) -> str:
        known = ", ".join(sorted(self.policies)) or _("none")
        return _("unknown {what} {name}: installed {what_plural} are {known}").format(
            what=_(self.what), name=repr(name), what_plural=_(self.what_plural), known=known)

    def names(self) -> list[str]:
        return sorted(self.policies)

    def parse(self, chosen: dict, source: str, section: str) -> tuple[PolicyUse, ...]:
        """Each chosen plugin with its parameters validated by its own `Params` (a scenario section
        such as `policies` or `calendar.visit_rules`). Every problem of the section is reported at once,
        each naming the scenario file, the section, the plugin and the key: an unknown plugin, a bad
        parameter, and (checked here for every plugin, whatever its `Params` says) a number that is not
        finite or beyond ±PARAM_LIMIT, which would overflow the solver's integer arithmetic."""
        uses, problems = [], []
        for name, raw in chosen.items():
            where = f"{source}: {section}.{name}"
            if name not in self.policies:
                problems.append(f"{where}: {self.unknown(name)}")
                continue
            policy = self.policies[name]
            try:
                params = policy.Params.model_validate(raw or {})
            except ValidationError as exc:
                details = "; ".join(
                    f"{key_path(err['loc']) or '(all)'} = {err.get('input')!r}: {error_message(err)}" for err in exc.errors()
                )
                problems.append(_("{where}: bad parameters for {what} {name} ({value}): {details}")
                                    .format(where=where, what=_(self.what), name=repr(name), value=self.origins[name], details=details))
                continue
            absurd = [f"{key} = {value!r}" for key, value in numbers(params) if not (math.isfinite(value) and abs(value) <= PARAM_LIMIT)]
            if absurd:
                problems.append(_("{where}: bad parameters for {what} {name} ({value}): {names}: expected a finite number within ±{param_limit}")
                                    .format(where=where, what=_(self.what), name=repr(name), value=self.origins[name], names='; '.join(absurd),
                                            param_limit=f"{PARAM_LIMIT:,}"))
                continue
            uses.append(PolicyUse(name=name, policy=policy, params=params))
        if len(problems) == 1:
            raise PolicyError(problems[0])
        if problems:
            raise PolicyError("\n".join([_("{n} problems in {section}:").format(n=len(problems), section=section), *(f"  - {p}" for p in problems)]))
        return tuple(uses)


def numbers(value: Any, key: str = "") -> list[tuple[str, float]]:
    """Every number inside parsed parameters (models, lists, mappings), with its key path such as `weights[2]`."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [(key or "(value)", value)]
    if isinstance(value, BaseModel):
        return [n for field, item in value for n in numbers(item, f"{key}.{field}" if key else field)]
    if isinstance(value, dict):
        return [n for k, item in value.items() for n in numbers(item, f"{key}.{k}" if key else str(k))]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [n for i, item in enumerate(value, start=1) for n in numbers(item, f"{key}[{i}]")]
    return []


def _origin(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    package = f"{dist.name} {dist.version}" if dist is not None else "?"
    return f"{ep.value} ({package})"


def build_registry(eps: list[EntryPoint] | None = None, group: str = POLICY_GROUP) -> Registry:
    """Load every entry point of `group` (or the given ones) and check each is a usable plugin of that group."""
    (what, what_plural), methods = _KINDS.get(group, (("plugin", "plugins"), ("apply", "audit")))
    found = list(entry_points(group=group)) if eps is None else list(eps)
    policies: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for ep in sorted(found, key=lambda e: (e.name, e.value)):
        origin = _origin(ep)
        try:
            loaded = ep.load()
        except Exception as exc:
            raise PolicyError(_("{what} plugin {name} from {origin} failed to load: {name2}: {exc}")
                                  .format(what=_(what), name=repr(ep.name), origin=origin, name2=type(exc).__name__, exc=exc)) from exc
        try:
            policy = loaded() if isinstance(loaded, type) else loaded
        except Exception as exc:
            raise PolicyError(_("{what} plugin {name} from {origin} raised while being created: {exc}")
                                  .format(what=_(what), name=repr(ep.name), origin=origin, exc=exc)) from exc
        _check(ep.name, origin, policy, what, methods)
        if policy.name in policies:
            raise PolicyError(
                _("{what} name {name} is registered twice: by {value} and by {origin}")
                    .format(what=_(what), name=repr(policy.name), value=origins[policy.name], origin=origin)
            )
        policies[policy.name] = policy
        origins[policy.name] = origin
    return Registry(policies, origins, what, what_plural)


def build_visit_registry(eps: list[EntryPoint] | None = None) -> Registry:
    """The installed visit rules (entry-point group `assign.visit_rules`)."""
    return build_registry(eps, group=VISIT_RULE_GROUP)


def _check(ep_name: str, origin: str, policy: object, what: str = "policy", methods: tuple[str, ...] = ("allows", "apply", "audit")) -> None:
    name = getattr(policy, "name", None)
    if not isinstance(name, str) or not name:
        raise PolicyError(_("{what} plugin {ep_name} from {origin} has no `name`").format(what=_(what), ep_name=repr(ep_name), origin=origin))
    if name != ep_name:
        raise PolicyError(_("{what} plugin {ep_name} from {origin} calls itself {name}: the entry-point name must match")
                              .format(what=_(what), ep_name=repr(ep_name), origin=origin, name=repr(name)))
    params = getattr(policy, "Params", None)
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        raise PolicyError(_("{what} plugin {name} from {origin}: `Params` must be a pydantic model class")
                              .format(what=_(what), name=repr(name), origin=origin))
    for method in methods:
        if not callable(getattr(policy, method, None)):
            raise PolicyError(_("{what} plugin {name} from {origin} lacks a callable `{method}`")
                                  .format(what=_(what), name=repr(name), origin=origin, method=method))
