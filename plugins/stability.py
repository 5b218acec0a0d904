"""stability: a re-plan changes as few pairs of the plan in force as it can (DOMAIN.md, "What the
optimiser balances": a pairing inside its contact period stays; re-planning changes as little as
it can).

The plan in force is `problem.previous_pairs` (set by `assign solve --from PLAN`, or by
`assign compare` for a what-if). A changed pair is one of the plan in force that the new plan
drops, or one the new plan adds. Pairs that can no longer exist (a school removed, a pair a
pruning policy now forbids) are changes the what-if forces: they count against a cap but cannot
be avoided. By default the number of changes is an objective term ranked just after coverage
(priority schools 10, schools 20, subjects 30) and before travel (40), so a re-plan keeps the
coverage of a fresh solve and moves only what that needs; `max_changes` caps it instead (or too).
Without a plan in force the policy adds nothing.

`scope: touched` is the fast local re-plan: only the researchers the change touches are
re-optimised (those without a pair in the plan in force, e.g. new ones, and those holding a
pair that can no longer exist); everyone else keeps exactly their schools (a hard requirement,
so a change that breaks their plan too, such as a new minimum, makes the local model infeasible
and `assign.analysis.replan` falls back to `scope: all`). Coverage can then be below a fresh solve's:
the price of moving nobody else.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assign.locale import N_, _
from assign.policy import Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    penalize: bool = Field(True, description=N_("an objective term: the number of changed pairs, to minimise"))
    rank: int = Field(35, description=N_("lexicographic mode: just after coverage (10-30), before travel (40)"))
    weight: float = Field(5.0, ge=0, description=N_("weighted mode: objective points lost per changed pair"))
    max_changes: int | None = Field(None, ge=0, description=N_("cap on changed pairs (dropped + added), forced ones included"))
    scope: Literal["all", "touched"] = Field("all", description=N_("all: every pair may change; "
                                                                   "touched: only researchers the change touches (fast local re-plan)"))


def changed_pairs(previous: set[tuple[str, str]], pairs: set[tuple[str, str]]) -> tuple[set, set]:
    """(dropped, added) of a plan against the plan in force."""
    return previous - pairs, pairs - previous


def touched(problem, allowed) -> set[str]:
    """Researchers a change touches: no pair in the plan in force, or one that `allowed` now forbids."""
    holding = {r for r, _ in problem.previous_pairs}
    out = {r.id for r in problem.researchers if r.id not in holding}
    for rid, sid in problem.previous_pairs:
        if not allowed(problem.researcher[rid], problem.school[sid]):
            out.add(rid)
    return out


def _others_allow(problem, me: str):
    """The conjunction of every other policy's pruning: whether a pair can exist at all."""
    predicates = [p for use in problem.policies if use.name != me and (p := use.policy.allows(problem, use.params)) is not None]
    return lambda r, s: all(ok(r, s) for ok in predicates)


class Stability(Policy):
    name = "stability"
    title = "稳定"
    Params = Params
    # Without a plan in force it adds nothing. With one, in the aggregated model (assign.solver.aggregate)
    # a type's researchers who held a school count together: of the x[t, s] the type sends to s at
    # most min(x, held) can be pairs kept, so the changes counted are the fewest any naming of the
    # counts can have, and the naming (which gives a school back to those who held it first) reaches
    # them or the solve falls back to the plain model. A local re-plan keeps its holders apart.
    aggregates = True

    def couples(self, params: Params) -> bool:
        return params.max_changes is not None  # one budget of changes for the whole plan

    def apart(self, problem, params: Params) -> set[str]:
        """Under `scope: touched`, who holds a pair of the plan in force: each may have to keep theirs."""
        return {rid for rid, _sid in problem.previous_pairs} if params.scope == "touched" else set()

    def allows(self, problem, params: Params):
        if params.scope != "touched" or not problem.previous_pairs:
            return None
        free = touched(problem, _others_allow(problem, self.name))
        previous = set(problem.previous_pairs)
        return lambda r, s: r.id in free or (r.id, s.id) in previous

    def apply(self, ctx, params: Params) -> None:
        previous = set(ctx.problem.previous_pairs)
        if not previous:
            return
        if params.scope == "touched":
            free = touched(ctx.problem, lambda r, s: (r.id, s.id) in ctx.x)
            for rid, sid in sorted(previous):
                if rid not in free and (rid, sid) in ctx.x:
                    ctx.require(ctx.x[rid, sid] == 1, about=(rid, sid),
                                why=_("local re-plan: {researcher} keeps {school}").format(
                                    researcher=ctx.problem.researcher[rid].label, school=ctx.problem.school[sid].name))
        kept = []
        for (rid, sid), var in ctx.x.items():
            # How many researchers x counts (one, or a type's) held s in the plan in force.
            held = sum((member, sid) in previous for member in ctx.members(rid))
            if held and ctx.count(rid) == 1:
                kept.append(var)
            elif held:
                at_most = ctx.model.new_int_var(0, held, f"kept[{rid},{sid}]")
                ctx.model.add(at_most <= var)
                kept.append(at_most)
        # Pairs of the plan in force that are no candidates any more: the what-if forces these changes.
        possible = len(previous & set(ctx.named_pairs()))
        forced = len(previous) - possible
        # Dropped (possible, not kept) plus added (taken, not kept); the same in a model of fewer pairs.
        changes = possible - 2 * sum(kept) + sum(ctx.x.values())
        if params.max_changes is not None:
            ctx.require(changes + forced <= params.max_changes, about=(),
                        why=_("at most {n} changed pairs against the plan in force ({forced} forced by the what-if)").format(
                            n=params.max_changes, forced=forced))
        if params.penalize:
            ctx.penalize("changed_pairs", changes, weight=params.weight, rank=params.rank,
                         label=_("Pairs changed against the plan in force"), unit="对")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        if not problem.previous_pairs:
            return []
        findings = []
        previous, pairs = set(problem.previous_pairs), plan.pair_set()
        dropped, added = changed_pairs(previous, pairs)
        if params.max_changes is not None and len(dropped) + len(added) > params.max_changes:
            findings.append(Finding(policy=self.name, researchers=tuple(sorted({r for r, _ in dropped | added})),
                                    message=_("{dropped} pairs dropped and {added} added against the plan in force; "
                                              "at most {n} changes allowed").format(dropped=len(dropped), added=len(added), n=params.max_changes)))
        if params.scope == "touched":
            free = touched(problem, _others_allow(problem, self.name))
            for rid in sorted({r for r, _ in dropped | added} - free):
                findings.append(Finding(policy=self.name, researchers=(rid,),
                                        message=_("local re-plan: {researcher} was not touched by the change but their schools changed").format(
                                            researcher=problem.researcher[rid].label)))
        return findings
