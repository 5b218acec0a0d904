"""The CP-SAT model of an assignment, and the helpers through which policies add to it.

The core creates one Boolean `x[r, s]` per candidate pair and knows no policy. Each policy gets a
`PolicyContext` bound to its name, and adds *named* hard constraints (`require`) and *named*
objective terms (`reward`, `penalize`). Names and entities travel with each constraint so an
explanation of infeasibility, and an audit finding, can both say who and why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from assign.candidates import candidate_pairs
from assign.problem import Problem

Pair = tuple[str, str]


@dataclass
class Requirement:
    """A named hard constraint: which policy, about which entities, in words."""

    policy: str
    about: tuple[str, ...]
    why: str
    literal: cp_model.IntVar | None = None


@dataclass
class Term:
    """A named objective term, e.g. `coverage.schools` (maximise) or `travel.total_minutes` (minimise)."""

    name: str
    policy: str
    expr: cp_model.LinearExprT
    sense: Literal["max", "min"]
    weight: float
    rank: int
    label: str
    unit: str = ""


@dataclass
class ModelContext:
    """The model under construction: variables, requirements and terms, all by name."""

    problem: Problem
    pairs: list[Pair]
    explain: bool = False  # give every requirement an enforcement literal (for infeasibility explanations)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Pair, cp_model.IntVar] = field(default_factory=dict)
    requirements: list[Requirement] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    _by_researcher: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    _by_school: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    _literals: dict[tuple[str, tuple[str, ...], str], cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rid, sid in self.pairs:
            var = self.model.new_bool_var(f"x[{rid},{sid}]")
            self.x[rid, sid] = var
            self._by_researcher[rid].append((sid, var))
            self._by_school[sid].append((rid, var))

    def literals(self) -> list[cp_model.IntVar]:
        """Every enforcement literal (explain mode), for solving under assumptions."""
        return list(self._literals.values())

    def for_policy(self, name: str) -> "PolicyContext":
        return PolicyContext(self, name)

    def literal_for(self, policy: str, about: tuple[str, ...], why: str = "") -> cp_model.IntVar:
        """The enforcement literal of one rule of a policy about these entities.

        Keyed by the rule's words too, so a researcher's "at least 2" and "at most 3" can be told
        apart in an explanation; the rows of one rule (same words) share a literal.
        """
        key = (policy, about, why)
        if key not in self._literals:
            self._literals[key] = self.model.new_bool_var(f"enforce[{policy}:{','.join(about)}]")
        return self._literals[key]


class PolicyContext:
    """What one policy sees of the model: the pair variables, and helpers that tag what it adds."""

    def __init__(self, ctx: ModelContext, policy: str):
        self._ctx = ctx
        self.policy = policy
        self.problem = ctx.problem
        self.model = ctx.model
        self.x = ctx.x

    def schools_of(self, researcher_id: str) -> list[tuple[str, cp_model.IntVar]]:
        """Candidate schools of a researcher, with their pair variables."""
        return self._ctx._by_researcher.get(researcher_id, [])

    def researchers_of(self, school_id: str) -> list[tuple[str, cp_model.IntVar]]:
        """Candidate researchers of a school, with their pair variables."""
        return self._ctx._by_school.get(school_id, [])

    def new_bool(self, name: str) -> cp_model.IntVar:
        return self.model.new_bool_var(f"{self.policy}.{name}")

    def require(self, constraint: cp_model.BoundedLinearExpression | bool, *, about: tuple[str, ...], why: str) -> cp_model.Constraint:
        """Add a hard constraint on behalf of this policy about the given entity ids."""
        ct = self.model.add(constraint)
        requirement = Requirement(self.policy, tuple(about), why)
        if self._ctx.explain:
            requirement.literal = self._ctx.literal_for(self.policy, requirement.about, requirement.why)
            ct.only_enforce_if(requirement.literal)
        self._ctx.requirements.append(requirement)
        return ct

    def reward(self, term: str, expr: cp_model.LinearExprT, *, weight: float = 1.0, rank: int = 50, label: str = "", unit: str = "") -> None:
        """An objective term to maximise (coverage, matches…)."""
        self._term(term, expr, "max", weight, rank, label, unit)

    def penalize(self, term: str, expr: cp_model.LinearExprT, *, weight: float = 1.0, rank: int = 50, label: str = "", unit: str = "") -> None:
        """An objective term to minimise (travel, changes…)."""
        self._term(term, expr, "min", weight, rank, label, unit)

    def _term(self, term: str, expr, sense, weight, rank, label, unit) -> None:
        name = f"{self.policy}.{term}"
        if any(t.name == name for t in self._ctx.terms):
            raise ValueError(f"objective term {name!r} added twice")
        self._ctx.terms.append(Term(name, self.policy, expr, sense, weight, rank, label or name, unit))


def build_model(problem: Problem, pairs: list[Pair] | None = None, *, explain: bool = False) -> ModelContext:
    """The whole model of a problem: one x per candidate pair, then every policy's constraints and terms."""
    ctx = ModelContext(problem, candidate_pairs(problem) if pairs is None else pairs, explain)
    for use in problem.policies:
        use.policy.apply(ctx.for_policy(use.name), use.params)
    return ctx
