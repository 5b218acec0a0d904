"""Why this pair: for one researcher of a plan, what each of their pairs earns, what holds it in
place, and the best school they could have instead, with what the swap would cost.

- *Earns*: each objective term's change if the pair were dropped (the plan scored with x fixed,
  by the model's own terms, as `assign.solver.cpsat.fixed_solve` scores any plan).
- *Holds it*: the policies whose audits object once the pair is dropped (their own words, naming
  who) — the audits, not the model, so an explanation is checked like a plan is.
- *Instead*: every other candidate school of the researcher in its place; the swaps that keep
  every audit clean are compared by the scenario's objective (its
  lexicographic order, or the weighted sum), and the best is shown with its term changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from assign import vocab
from assign.audit import audit_plan
from assign.errors import AssignError
from assign.kpi import compute_kpis
from assign.locale import _
from assign.modeling import Pair, build_model
from assign.plan import Finding, Plan
from assign.problem import Problem
from assign.solver.cpsat import WEIGHT_SCALE, fixed_solve, weighted_expr
from assign.solver.local_scores import LocalScores
from assign.solver.passes import ordered_terms


@dataclass
class Alternative:
    school_id: str
    minutes: float
    changes: dict[str, float]  # term → value with the swap − value in the plan


@dataclass
class PairReason:
    school_id: str
    minutes: float
    earns: dict[str, float]  # term → how much better the plan is with the pair (a minimised term's saving is negative)
    held_by: list[Finding] = field(default_factory=list)
    alternative: Alternative | None = None
    alternatives_tried: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # term → its words, from the policy that adds it (覆盖学校数)


def find_researcher(problem: Problem, who: str) -> str:
    """A researcher id from an id or a name; an unknown or ambiguous one is an error that lists the choices."""
    if who in problem.researcher:
        return who
    named = [r.id for r in problem.researchers if r.name == who]
    if len(named) == 1:
        return named[0]
    if named:
        raise AssignError(_("{who} names {n} researchers ({ids}): give the 工号").format(who=repr(who), n=len(named), ids=", ".join(named)))
    choices = [name for r in problem.researchers for name in (r.id, r.name)]
    raise AssignError(_("no researcher {who} in {source}: give a 工号 or a 姓名 of the researchers table")
                      .format(who=repr(who), source=problem.source)
                      + vocab.did_you_mean(who, choices))


CONFIRMED_AUDITS = 25  # swaps audited, best first, before the researcher is said to have no clean swap
WEIGHTED = "__weighted__"


def explain_researcher(problem: Problem, plan: Plan, researcher_id: str, progress: Callable[[str], None] | None = None) -> list[PairReason]:
    # Enforcement literals left free: a plan without one of its pairs may break a hard rule (that is
    # what "holds it" shows) and must still be scored.
    ctx = build_model(problem, explain=True)
    weighted = weighted_expr(ctx.terms)
    mode = problem.scenario.objective.mode
    terms = ctx.terms if mode == "weighted" else ordered_terms(ctx.terms, problem.scenario.objective.order, problem.source)
    current = plan.pair_set()
    scores = LocalScores(ctx, current, weighted, held=_held_literals(ctx, current) if plan.exceptions else None)
    if scores.base is None:
        raise AssignError(_("the plan breaks a hard rule of its scenario (`assign check` says which): it cannot be explained pair by pair"))
    base = scores.base
    reasons = []
    mine = sorted((sid for rid, sid in current if rid == researcher_id), key=lambda sid: problem.minutes(researcher_id, sid))
    options = [sid for (rid, sid) in ctx.x if rid == researcher_id and sid not in mine]
    for sid in mine:
        without = current - {(researcher_id, sid)}
        dropped = scores.values({(researcher_id, sid): 0})
        earns = ({t.name: (base[t.name] - dropped[t.name]) * (1 if t.sense == "max" else -1) for t in ctx.terms}
                 if dropped is not None else {})
        reason = PairReason(sid, problem.minutes(researcher_id, sid), earns, _holding(problem, plan, without, researcher_id, sid),
                            labels={t.name: t.label for t in ctx.terms})
        # Every swap is scored on the plan piece by piece (`assign.solver.local_scores`), strictly: a
        # swap that breaks a rule the plan keeps has no score. Where the model cannot be read piece
        # by piece, the audits decide which swaps are allowed.
        ranked = []
        for tried, other in enumerate(options, 1):
            if progress and tried % 50 == 0:
                progress(_("{school}: {tried}/{n} other schools scored").format(school=problem.school[sid].name, tried=tried, n=len(options)))
            values = scores.values({(researcher_id, sid): 0, (researcher_id, other): 1}, strict=True)
            if values is None or not scores.local and _audit_errors(problem, plan, without | {(researcher_id, other)}):
                continue
            ranked.append((_rank_key(terms, values, _weighted(terms, values), mode), -len(ranked), other))
        reason.alternatives_tried = len(ranked)
        # Best first: the first swap the audits accept is confirmed by scoring the whole swapped plan.
        for _key, _order, other in sorted(ranked, reverse=True)[:CONFIRMED_AUDITS]:
            swapped = without | {(researcher_id, other)}
            if _audit_errors(problem, plan, swapped):
                reason.alternatives_tried -= 1
                continue
            values = _score(ctx, swapped, weighted)  # the model's objective: LocalScores set it
            reason.alternative = Alternative(other, problem.minutes(researcher_id, other),
                                             {t.name: values[t.name] - base[t.name] for t in ctx.terms})
            break
        reasons.append(reason)
    return reasons


def _weighted(terms, values: dict[str, float]) -> float:
    """The weighted sum of the terms, counted as `weighted_expr` counts it."""
    return sum(round(t.weight * WEIGHT_SCALE) * (values[t.name] if t.sense == "max" else -values[t.name]) for t in terms)


def _held_literals(ctx, pairs: set[Pair]) -> set[int]:
    """The enforcement literals the plan keeps true: a plan with granted exceptions keeps them in
    every swap, and a swap is allowed when it breaks no other rule."""
    solver = fixed_solve(ctx, pairs, sum(ctx.literals()))
    literals = ctx.literals()
    return {var.index for var in literals} if solver is None else {var.index for var in literals if solver.boolean_value(var)}


def _score(ctx, pairs: set[Pair], weighted) -> dict[str, float] | None:
    solver = fixed_solve(ctx, pairs, None)
    if solver is None:
        return None
    values = {t.name: solver.value(t.expr) for t in ctx.terms}
    values[WEIGHTED] = solver.value(weighted)
    return values


def _rank_key(terms, values, weighted_value, mode) -> tuple:
    """Larger is better: the weighted sum, or the terms in lexicographic order (minimised ones negated)."""
    if mode == "weighted":
        return (weighted_value,)
    return tuple(values[t.name] if t.sense == "max" else -values[t.name] for t in terms)


def _as_plan(problem: Problem, plan: Plan, pairs: set[Pair]) -> Plan:
    assignments = problem.assignments(sorted(pairs))
    return plan.model_copy(update={"pairs": assignments, "kpis": compute_kpis(problem, assignments), "findings": []})


def _audit_errors(problem: Problem, plan: Plan, pairs: set[Pair]) -> list[Finding]:
    return [f for f in audit_plan(problem, _as_plan(problem, plan, pairs)) if f.severity == "error"]


def _holding(problem: Problem, plan: Plan, without: set[Pair], researcher_id: str, school_id: str) -> list[Finding]:
    """The audit errors that dropping the pair would cause, about this researcher or school."""
    before = {(f.policy, f.message) for f in _audit_errors(problem, plan, plan.pair_set())}
    return [f for f in _audit_errors(problem, plan, without)
            if (f.policy, f.message) not in before and (researcher_id in f.researchers or school_id in f.schools)]
