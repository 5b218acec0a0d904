"""Why a scenario has no plan: every group of conflicting requirements, in the policies' own words.

Two steps, cheapest first:
1. `supply_checks` (`assign.audit`): each policy's `precheck`, counting arguments that need no
   solver (a researcher with fewer candidate schools than their minimum; researchers who all need
   the one rural school of their stage).
2. `conflict_groups`: the model is rebuilt with one enforcement literal per requirement
   (`build_model(explain=True, relax=True)`, so a travel cap that may bend keeps its pairs) and
   CP-SAT finds the fewest requirements to give up — each weighed by its rule's severity, a rule
   that may not bend above all that may — which is a complete diagnosis: every conflict contains
   one of them. Then, for each requirement given up, the others given up are set aside and every
   other literal is assumed true: the model is infeasible again, and CP-SAT's
   `sufficient_assumptions_for_infeasibility()` names the conflict that requirement resolves.
   Requirements given up whose conflicts share a requirement are one group (one cause: 9 senior
   researchers and one rural senior school are one group, not six). The conflicts are sufficient,
   not always minimal: they are what CP-SAT found. All of it shares one time limit; a requirement
   whose conflict was not searched in time is a group of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from assign.audit import supply_checks
from assign.modeling import build_model
from assign.plan import Finding
from assign.problem import Problem
from assign.solver.cpsat import SolveOptions, make_solver, set_objective


@dataclass(frozen=True)
class Conflict:
    """One requirement that takes part in the infeasibility; `severity`: what an exception to it
    costs when the scenario relaxes, None for a rule that may not bend."""

    policy: str
    about: tuple[str, ...]
    why: str
    rule: str = ""
    severity: int | None = None

    @property
    def bends(self) -> bool:
        return self.severity is not None


@dataclass
class ConflictGroup:
    """Requirements that cannot all hold together, the fewest of them to give up, and the supply counts behind them."""

    requirements: list[Conflict]
    fewest: list[Conflict]
    supply: list[Finding] = field(default_factory=list)

    @property
    def severity(self) -> int | None:
        """Total severity of the fewest exceptions, or None when one of them may not bend."""
        return None if any(not c.bends for c in self.fewest) else sum(c.severity for c in self.fewest)


def conflict_groups(problem: Problem, time_limit: float = 20.0) -> list[ConflictGroup] | None:
    """Every independent group of conflicting requirements if the model is infeasible; None if it is
    feasible, or if CP-SAT could not tell in time."""
    ctx = build_model(problem, explain=True, relax=True)
    model = ctx.model
    keys = ctx.literal_keys()
    literals = ctx.literals()
    set_objective(model, ctx.exceptions_expr(every_rule=True), "min")
    # One worker: assumption cores need it, and the diagnosis is then the same on every run.
    options = SolveOptions(time_limit, workers=1, seed=0, log=False, parameters={})
    solver = make_solver(options, time_limit, defaults={})
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    dropped = [var for var in literals if not solver.boolean_value(var)]
    if not dropped:
        return None
    model.clear_objective()
    spent = solver.wall_time
    cores: list[set[int]] = []
    for var in dropped:
        if spent >= time_limit:
            cores.append({var.index})  # out of time: the requirement is named on its own, its conflict untold
            continue
        others = {d.index for d in dropped if d is not var}
        model.clear_assumptions()
        model.add_assumptions([lit for lit in literals if lit.index not in others])
        solver = make_solver(options, time_limit - spent, defaults={})
        found = solver.solve(model)
        spent += solver.wall_time
        core = set(solver.sufficient_assumptions_for_infeasibility()) if found == cp_model.INFEASIBLE else set()
        cores.append(core | {var.index})
    groups = _union(cores)

    supply = supply_checks(problem)

    def conflict(index: int) -> Conflict:
        policy, rule, about, why = keys[index]
        return Conflict(policy, about, why, rule, problem.severity.get(f"{policy}.{rule}") if rule else None)

    out = []
    for members in groups:
        indices = sorted(set().union(*(cores[m] for m in members)))
        fewest = [conflict(dropped[m].index) for m in members]
        requirements = [conflict(i) for i in indices]
        ids = {x for c in requirements for x in c.about}
        out.append(ConflictGroup(requirements, fewest, [f for f in supply if ids & (set(f.researchers) | set(f.schools))]))
    return out


def _union(cores: list[set[int]]) -> list[list[int]]:
    """Positions of `cores` grouped so that cores sharing a literal, directly or through others, are together."""
    groups: list[tuple[set[int], list[int]]] = []
    for i, core in enumerate(cores):
        joined = [g for g in groups if g[0] & core]
        literals, members = set(core), [i]
        for g in joined:
            literals |= g[0]
            members = g[1] + members
            groups.remove(g)
        groups.append((literals, sorted(members)))
    return [members for _, members in sorted(groups, key=lambda g: g[1][0])]
