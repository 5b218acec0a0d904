"""The leading lexicographic passes of a small model solved as one CP-SAT run, with exact weights.

Each pass of a lexicographic solve is a CP-SAT run of its own, and on a small model most of a
run is its fixed cost (presolve, the first LP): a county part of the generated province (37
researchers, 2,933 pairs) spent 0.2-0.4 s on each of its four passes. The leading terms are small
counts (priority schools, schools, a subject score), so one run can maximise them together with
weights that make the order exact: each term's weight is one more than the most the terms after it
can change the sum (their coefficient ranges), so no gain on a later term can pay for a loss on an
earlier one. Measured on four province parts: the three coverage passes together in 0.20-0.72 s
against 0.34-0.73 s one by one, the same values. Travel minutes have a range far larger than the
counts (the weights would reach 10^11), and with it in the sum the LP stalled (no proof in 20 s
where the passes one by one took 0.7-1.3 s), so the sum stops where the weights grow past
`MAX_JOINT_WEIGHT`. Only small models are joined (`MAX_JOINT_PAIRS`): a large one needs each pass's
own budget and the stop within `solver.pass_gap`, which a joint sum cannot say per term.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

MAX_JOINT_PAIRS = 6000  # the largest part of the generated province has 4,024 pairs; county-120 has 23,558
MAX_JOINT_WEIGHT = 10**8  # the three coverage terms of a province part need ~6×10^6; with travel, ~4×10^11


def expr_range(model: cp_model.CpModel, expr: Any) -> int:
    """How much a linear expression can change over its variables' domains: Σ |coefficient| × (max − min)."""
    if isinstance(expr, int):
        return 0  # a term with nothing to count (sum of no variables)
    flat = cp_model_helper.FlatIntExpr(expr)
    total = 0
    for var, coeff in zip(flat.vars, flat.coeffs):
        domain = list(model.proto.variables[var.index].domain)  # the proto's repeated field takes no negative index
        total += abs(coeff) * (domain[-1] - domain[0])
    return total


def joint_weights(model: cp_model.CpModel, stages: list[tuple[str, Any, str]], pairs: int) -> list[int]:
    """Weights for the longest run of leading stages (name, expression, sense) that one solve can
    optimise in their order: weight i = 1 + Σ_{j>i} weight j × range j. Empty when fewer than two
    stages can be joined or the model is too large to gain from it."""
    if pairs > MAX_JOINT_PAIRS or len(stages) < 2:
        return []
    ranges = [expr_range(model, expr) for _name, expr, _sense in stages]
    best: list[int] = []
    for k in range(2, len(stages) + 1):
        weights = [1] * k
        for i in range(k - 2, -1, -1):
            weights[i] = 1 + sum(weights[j] * ranges[j] for j in range(i + 1, k))
        if weights[0] > MAX_JOINT_WEIGHT:
            break
        best = weights
    return best


def joint_objective(stages: list[tuple[str, Any, str]], weights: list[int]) -> Any:
    """Σ weight × term over the joined stages, to maximise (a minimised term enters negated)."""
    return sum(w * (expr if sense == "max" else -expr) for w, (_name, expr, sense) in zip(weights, stages))
