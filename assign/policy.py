"""The policy contract: what a plugin in the entry-point group `assign.policies` provides.

A policy is a class with a `name`, a pydantic `Params` model (its parameters, with defaults and
descriptions, validated from the scenario file) and up to three methods:

- `allows(problem, params)` → a predicate on (researcher, school), or None: pruning, run before
  the model is built so that forbidden pairs get no variable at all;
- `apply(ctx, params)`: adds named hard constraints and objective terms through `ctx`;
- `audit(problem, plan, params)` → findings: an independent check of a finished plan that must not
  reuse the model's code (double entry, as in the CP-SAT Primer's `validation.py`);
- `precheck(problem, params, pairs)` → findings: counting checks on the candidate pairs that show
  an impossible demand before any solve (used to explain an INFEASIBLE scenario, and to say why
  an exception was granted).

A policy also declares which of its rules may bend (`relaxable`): when a scenario says
`on_infeasible: relax`, each requirement of such a rule gets an enforcement literal, and the
solver grants the fewest exceptions (weighted by severity) that make a plan possible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from assign.models import MAX_COUNT
from assign.plan import Finding

if TYPE_CHECKING:
    from assign.modeling import PolicyContext
    from assign.models import Researcher, School
    from assign.plan import Plan
    from assign.problem import Problem

Predicate = Callable[["Researcher", "School"], bool]
SchoolFilter = Callable[["Researcher"], "frozenset[str] | set[str]"]


class NoParams(BaseModel):
    """This policy takes no parameters."""

    model_config = ConfigDict(extra="forbid")


class Relaxable(NamedTuple):
    """A rule of a policy that a scenario may relax: its default severity and what it says, in Chinese.

    The severity is the price of one exception to the rule: with `on_infeasible: relax` the solver
    grants the set of exceptions of least total severity that makes a plan possible, so a rule of
    severity 1 bends before one of severity 5. A scenario may set another (`relax.severity`).
    """

    severity: int
    label: str


class Policy:
    """Base class for policies; subclasses set `name`, `title`, `Params` and override what they need."""

    name: ClassVar[str]
    title: ClassVar[str] = ""  # Chinese label for outputs, e.g. 城乡兼顾
    Params: ClassVar[type[BaseModel]] = NoParams
    # True when every constraint and term of this policy is about one researcher, one school or one
    # pair: the solver may then split the problem into the connected components of the candidate
    # graph (assign.solver.decompose). False, the safe default, for a rule that ties researchers or
    # schools sharing no candidate pair (a plan-wide quota, a total budget): a policy that says
    # nothing is never split on a guess, as visit rules are not (`VisitRule.local`).
    local: ClassVar[bool] = False
    # The rules that may bend, by the `rule=` key its `ctx.require` calls give: rule → Relaxable.
    # Empty, the safe default: a policy that says nothing keeps every requirement hard, so no rule
    # is bent on a guess. Conflicts of interest, stage match and a school's stated cap never bend.
    relaxable: ClassVar[dict[str, Relaxable]] = {}
    # The rule (a key of `relaxable`) that `allows` enforces, if the pruning itself may bend (a
    # travel cap): when it does, the pairs `allows` forbids stay candidates and the core requires
    # each of them away under that rule, so using one is an exception like any other.
    relax_pruning: ClassVar[str | None] = None
    # True when `apply` is also right for the aggregated model (assign.solver.aggregate), where
    # `ctx.x[r, s]` is an integer: how many of the `ctx.count(r)` interchangeable researchers of r's
    # type take s (the researchers being alike in every field but their id and name, in their trip
    # start and their candidate schools). The promise: the policy reads no researcher by id and no
    # column outside the model's fields; it treats x as a number (no `.Not()`, enforcement or
    # Boolean constraint on it); its constraints hold for the counts of every plan it allows (a
    # researcher's own sums bounded by count × the limit) and its terms are the same sums of them.
    # Exact is best, as the built-ins are: every counts solution splits into named researchers
    # (researchers for whom it would not are named by `apart`); a policy that reads researchers' own
    # data by id, such as the plan in force, sums it over `ctx.members(r)`; when one does not split, the solve says so
    # and solves the plain model. False, the safe default: a policy that says nothing is never
    # solved by types, and neither is a problem that uses it.
    aggregates: ClassVar[bool] = False

    def couples(self, params: BaseModel) -> bool:
        """Whether, with these parameters, the policy ties the whole plan: `not local` unless overridden.

        A policy whose plan-wide part is optional (a rural share, a township quota) says so here.
        """
        return not self.local

    def allows(self, problem: "Problem", params: BaseModel) -> Predicate | None:
        return None

    def apart(self, problem: "Problem", params: BaseModel) -> set[str]:
        """Researchers an aggregating policy cannot count together with others exactly: each is then
        a type of their own (`assign.solver.symmetry`). None by default."""
        return set()

    def travel_cap(self, params: BaseModel) -> float | None:
        """The longest one-way trip (minutes) this policy allows, if it caps trips (shown by `assign travel`)."""
        return None

    def school_filter(self, problem: "Problem", params: BaseModel) -> SchoolFilter | None:
        """Optional fast form of `allows`: for one researcher, the ids of every school it allows.

        It must give exactly the pairs `allows` gives; it exists because a province has 45 million
        (researcher, school) pairs and a per-pair Python call for each is minutes of work, while a
        set per start point or per stage is milliseconds.
        """
        return None

    def apply(self, ctx: "PolicyContext", params: BaseModel) -> None:
        return None

    def audit(self, problem: "Problem", plan: "Plan", params: BaseModel) -> list[Finding]:
        return []

    def precheck(self, problem: "Problem", params: BaseModel, pairs: list[tuple[str, str]]) -> list[Finding]:
        return []


def params_model(**fields) -> ConfigDict:
    """Config shared by every policy's Params: unknown keys are an error (a typo must not pass silently),
    and so are NaN and infinity (they pass `ge=0` and then break the solver's integer arithmetic)."""
    return ConfigDict(extra="forbid", allow_inf_nan=False, **fields)


__all__ = ["Finding", "MAX_COUNT", "NoParams", "Policy", "Predicate", "Relaxable", "SchoolFilter", "Field", "params_model"]
