"""Policy plugins for registry tests: good ones, and each way a third-party plugin can be broken.

Tests point `importlib.metadata.EntryPoint` objects at these classes (`fake_plugins:Good`) and
hand them to `build_registry(eps=[...])`; nothing here is installed.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assign.policy import Finding, Policy, params_model


class Good(Policy):
    """A well-formed policy with one parameter."""

    name = "fake_good"

    class Params(BaseModel):
        model_config = params_model()
        level: int = Field(1, ge=0, description="how much")


class GoodAgain(Policy):
    """Another class calling itself fake_good: a second package registering the same name."""

    name = "fake_good"


class NotPydanticParams(Policy):
    name = "fake_bad_params"
    Params = dict  # not a pydantic model


class Exploding(Policy):
    name = "fake_exploding"

    def __init__(self) -> None:
        raise RuntimeError("cannot start without a licence server")


class Nameless:
    """Has the methods but no name."""

    def allows(self, problem, params):
        return None

    def apply(self, ctx, params):
        return None

    def audit(self, problem, plan, params):
        return []


class NoAudit(Policy):
    name = "fake_no_audit"
    audit = None


class BrokenAudit(Policy):
    """Adds nothing to the model; its audit crashes (the host must turn that into a finding)."""

    name = "fake_broken_audit"

    def audit(self, problem, plan, params) -> list[Finding]:
        raise KeyError("no such column")
