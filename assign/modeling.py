"""The CP-SAT model of an assignment, and the helpers through which policies add to it.

The core creates one Boolean `x[r, s]` per candidate pair and knows no policy. Each policy gets a
`PolicyContext` bound to its name, and adds *named* hard constraints (`require`) and *named*
objective terms (`reward`, `penalize`). Names and entities travel with each constraint so an
explanation of infeasibility, and an audit finding, can both say who and why.

The aggregated model (`assign.solver.aggregate`) is the same context over one researcher per type
of interchangeable researchers (`assign.solver.symmetry`): `x[r, s]` is then an integer, how many
of r's type take s (0 … `count(r)`), and only policies that declare `aggregates` are applied to it.

Relaxation (`on_infeasible: relax`): each requirement of a rule that may bend (`Problem.severity`)
gets an enforcement literal, and `exceptions_expr` is the total severity of the literals left
false, the first level the solver minimises. A policy's requirements stay about its own entities,
so a local policy's exceptions stay local and the decomposition remains exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from assign.candidates import bent_pruning, candidate_pairs
from assign.errors import AssignError
from assign.locale import _
from assign.plan import RuleException
from assign.problem import Problem

Pair = tuple[str, str]
LiteralKey = tuple[str, str, tuple[str, ...], str]  # policy, rule, about, words


@dataclass
class Requirement:
    """A named hard constraint: which policy, about which entities, in words, under which rule."""

    policy: str
    about: tuple[str, ...]
    why: str
    rule: str = ""
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
    relax: bool = False  # give the requirements of rules that may bend an enforcement literal (on_infeasible: relax)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Pair, cp_model.IntVar] = field(default_factory=dict)
    # The aggregated model: each type's representative → every member, itself first (a type of one is
    # left out). Empty in the plain model.
    types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Every candidate pair of the researchers by name, when the model has fewer (the aggregated model;
    # a plain one over some pairs only); empty when they are the model's own pairs.
    named: list[Pair] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    _by_researcher: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    _by_school: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    _literals: dict[LiteralKey, cp_model.IntVar] = field(default_factory=dict)
    _severity: dict[LiteralKey, int] = field(default_factory=dict)  # the literals of rules that may bend

    def __post_init__(self) -> None:
        for rid, sid in self.pairs:
            n = self.count(rid)
            var = self.model.new_int_var(0, n, f"x[{rid},{sid}]") if n > 1 else self.model.new_bool_var(f"x[{rid},{sid}]")
            self.x[rid, sid] = var
            self._by_researcher[rid].append((sid, var))
            self._by_school[sid].append((rid, var))

    def count(self, researcher_id: str) -> int:
        """How many researchers `x[researcher_id, s]` counts: the size of its type in the aggregated model, else 1."""
        return len(self.types.get(researcher_id, (researcher_id,)))

    def named_pairs(self) -> list[Pair]:
        """The candidate pairs of the researchers by name (in the plain model, the model's own pairs)."""
        return self.named or self.pairs

    def counts(self, pairs) -> dict[Pair, int]:
        """The value of each `x` for a plan of named pairs: in the aggregated model, how many of a type
        hold the school (a pair of a member counts for its representative); else 1 per pair held."""
        representative = {member: rid for rid, members in self.types.items() for member in members}
        out: dict[Pair, int] = defaultdict(int)
        for rid, sid in pairs:
            out[representative.get(rid, rid), sid] += 1
        return out

    def literals(self) -> list[cp_model.IntVar]:
        """Every enforcement literal (explain mode), for solving under assumptions."""
        return list(self._literals.values())

    def for_policy(self, name: str) -> "PolicyContext":
        return PolicyContext(self, name)

    def literal_for(self, policy: str, about: tuple[str, ...], why: str = "", rule: str = "") -> cp_model.IntVar:
        """The enforcement literal of one rule of a policy about these entities.

        Keyed by the rule's words too, so a researcher's "at least 2" and "at most 3" can be told
        apart in an explanation; the rows of one rule (same words) share a literal, so they bend
        together as one exception.
        """
        key = (policy, rule, about, why)
        if key not in self._literals:
            self._literals[key] = self.model.new_bool_var(f"enforce[{policy}.{rule}:{','.join(about)}]")
            if self.relax and rule and f"{policy}.{rule}" in self.problem.severity:
                self._severity[key] = self.problem.severity[f"{policy}.{rule}"]
        return self._literals[key]

    def bends(self, policy: str, rule: str) -> bool:
        """Whether requirements of this rule get a literal the solver may leave false (an exception)."""
        return self.relax and bool(rule) and f"{policy}.{rule}" in self.problem.severity

    def exceptions_expr(self, every_rule: bool = False) -> cp_model.LinearExprT:
        """The total severity of the exceptions: Σ severity × (1 − literal) over the rules that may bend.

        `every_rule` (an explanation): the other literals count too, each above the sum of every
        bendable one, so a rule that must not bend is named only when nothing else resolves a conflict.
        """
        hard = 1 + sum(self._severity.values())
        return sum((self._severity.get(key, hard) if every_rule else self._severity[key]) * (1 - var)
                   for key, var in self._literals.items() if every_rule or key in self._severity)

    def fix_exceptions(self, value) -> None:
        """Fix every literal of a rule that may bend at its value in a solution (`value`: a solver's
        boolean_value): the exceptions chosen stay chosen, and presolve removes the literals, so
        the passes after the exceptions' solve the strict model of those exceptions."""
        for key in self._severity:
            var = self._literals[key]
            self.model.add(var == value(var))

    def literal_keys(self) -> dict[int, LiteralKey]:
        """Each literal's index in the model → its (policy, rule, about, words)."""
        return {var.index: key for key, var in self._literals.items()}

    def exceptions(self, value) -> list[RuleException]:
        """The exceptions of a solution (`value`: a solver's boolean_value): the bendable literals left
        false. The steps of one rule about the same entities ("at least 2", "at least 1") are one
        exception whose severity is their sum, told in the words of the first (the rule as written)."""
        out: dict[tuple[str, str, tuple[str, ...]], RuleException] = {}
        for key, severity in self._severity.items():
            if value(self._literals[key]):
                continue
            policy, rule, about, why = key
            if (policy, rule, about) in out:
                e = out[policy, rule, about]
                out[policy, rule, about] = e.model_copy(update={"severity": e.severity + severity})
                continue
            label = next((getattr(use.policy, "relaxable", {})[rule].label for use in self.problem.policies if use.name == policy), "")
            out[policy, rule, about] = RuleException(policy=policy, rule=rule, about=about, severity=severity, requirement=why, label=label,
                                                     researchers=tuple(i for i in about if i in self.problem.researcher),
                                                     schools=tuple(i for i in about if i in self.problem.school))
        return list(out.values())


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

    def count(self, researcher_id: str) -> int:
        """How many researchers the pair variables of `researcher_id` count: 1, except in the
        aggregated model, where `x[r, s]` is how many of r's type (this many) take s. A policy that
        declares `aggregates` bounds a researcher's own sums by it (at most 2 schools: Σ x ≤ 2 · count)."""
        return self._ctx.count(researcher_id)

    def members(self, researcher_id: str) -> tuple[str, ...]:
        """The researchers the pair variables of `researcher_id` count: itself, or in the aggregated
        model its type (a policy that reads researchers' own data, such as the plan in force, sums them)."""
        return self._ctx.types.get(researcher_id, (researcher_id,))

    def named_pairs(self) -> list[Pair]:
        """Every candidate pair of the researchers by name: more than `x` has in the aggregated model
        and in the plain model of some pairs only (the naming of counts), the same otherwise."""
        return self._ctx.named_pairs()

    def new_bool(self, name: str) -> cp_model.IntVar:
        return self.model.new_bool_var(f"{self.policy}.{name}")

    def bends(self, rule: str) -> bool:
        """Whether this policy's `rule` may bend in this model (a relaxed solve, and the scenario lets it)."""
        return self._ctx.bends(self.policy, rule)

    def require(self, constraint: cp_model.BoundedLinearExpression | bool, *, about: tuple[str, ...], why: str,
                rule: str = "") -> cp_model.Constraint:
        """Add a hard constraint on behalf of this policy about the given entity ids.

        `rule`: which of the policy's rules it belongs to; when that rule is one the policy declares
        `relaxable` and the scenario relaxes, the constraint may be broken as a named exception.
        """
        ct = self.model.add(constraint)
        requirement = Requirement(self.policy, tuple(about), why, rule)
        if self._ctx.explain or self.bends(rule):
            requirement.literal = self._ctx.literal_for(self.policy, requirement.about, requirement.why, rule)
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
            raise ValueError(_("objective term {name} added twice").format(name=repr(name)))
        self._ctx.terms.append(Term(name, self.policy, expr, sense, weight, rank, label or name, unit))


def build_model(problem: Problem, pairs: list[Pair] | None = None, *, explain: bool = False, relax: bool | None = None,
                types: dict[str, tuple[str, ...]] | None = None, named: list[Pair] | None = None) -> ModelContext:
    """The whole model of a problem: one x per candidate pair, then every policy's constraints and terms.

    `relax` (default: the scenario's `on_infeasible: relax`, when some rule can bend): the rules that
    may bend get literals, and a pruning that may bend keeps its pairs, each required away under its
    rule in the policy's name (so using one is an exception). `types` and `named`: the aggregated
    model (`assign.solver.aggregate`), whose `problem` holds one researcher per type.
    """
    relax = problem.relaxing if relax is None else relax
    ctx = ModelContext(problem, candidate_pairs(problem, relaxed=relax) if pairs is None else pairs, explain, relax,
                       types=types or {}, named=named or [])
    if relax:
        for use in bent_pruning(problem):
            allowed, bent = use.policy.allows(problem, use.params), ctx.for_policy(use.name)
            label = use.policy.title or use.name
            for (rid, sid), var in ctx.x.items():
                r, s = problem.researcher[rid], problem.school[sid]
                if not allowed(r, s):
                    bent.require(var == 0, about=(rid, sid), why=f"{r.label} → {s.name}：{label}", rule=use.policy.relax_pruning)
    for use in problem.policies:
        use.policy.apply(ctx.for_policy(use.name), use.params)
    refused = [f"{r}→{s}" for r, s in problem.pinned_pairs if (r, s) not in ctx.x]
    if refused:
        raise AssignError(_("pinned pairs the rules do not allow (no candidate pair): {names}").format(names='、'.join(refused)))
    for pair in problem.pinned_pairs:
        ctx.model.add(ctx.x[pair] == 1)  # fixed by hand: not a policy's rule, so never an exception to grant
    return ctx
