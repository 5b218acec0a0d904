"""A complete solution from an assignment: x fixed to a plan's pairs, every auxiliary variable solved.

SOLVER-NOTES.md: a hint on x alone did not keep CP-SAT above greedy at short limits; a complete
hint (every auxiliary variable too) did. With every x fixed, the rest of this model is decided by
presolve, so the solve is tiny; its result is both the hint and the plan's exact objective value
under the model's own terms (so a greedy plan is scored by the same objective as CP-SAT's).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from assign.modeling import ModelContext, Pair


def fixed_solve(ctx: ModelContext, pairs: set[Pair], objective: cp_model.LinearExprT | None, time_limit: float = 60.0) -> cp_model.CpSolver | None:
    """Solve a copy of the model with x fixed to `pairs`, maximising `objective` (None: the model's own
    objective, already set); None if the pairs are infeasible.

    The returned solver's values index the original model's variables (the copy keeps indices).
    """
    model = ctx.model.clone()
    model.clear_hints()
    for pair, var in ctx.x.items():
        value = int(pair in pairs)
        domain = model.proto.variables[var.index].domain
        domain[0], domain[1] = value, value  # a Boolean's domain is [0, 1]
    if objective is not None:
        model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
