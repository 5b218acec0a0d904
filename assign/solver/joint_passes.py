"""Runs of lexicographic passes solved as one CP-SAT run, with weights that keep their order.

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
`MAX_JOINT_WEIGHT`.

A fresh solve joins only the leading passes of a small model (`MAX_JOINT_PAIRS`), to proof: a large
one needs each pass's own budget and its stop within `solver.pass_gap`. A re-plan starts near its
optimum, and there any run of passes is joined, whatever the size; on a large model, where a re-plan
stops each pass within that gap, with a slack: each weight outweighs the later terms' ranges by `slack` more, so a sum within
`slack` of its bound proves every term of the run but the last, and the last is within that much of
its own (the run stops when that is within `pass_gap` of it: `assign.solver.cpsat.PassWatch`).
Measured on a 120 × 500 county re-planned after a researcher was added: the changes and travel
passes in one run 0.6-0.7 s, one by one 1.5 s, the same values (docs/benchmarks.md).
"""

from __future__ import annotations

import math
from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

MAX_JOINT_PAIRS = 6000  # the largest part of the generated province has 4,024 pairs; county-120 has 23,558
MAX_JOINT_WEIGHT = 10**8  # the three coverage terms of a province part need ~6×10^6; with travel, ~4×10^11
MAX_GAP_UNITS = 2.0  # a re-plan's term comes before another in a run only when its pass gap is worth at most this many units


def expr_ranges(model: cp_model.CpModel, exprs: list[Any]) -> list[int]:
    """How much each linear expression can change over its variables' domains: Σ |coefficient| × (max − min)."""
    # Every domain read once: a variable at a time, reading the ranges of a 120 × 500 county's five terms took 0.2 s.
    spans = [d[len(d) - 1] - d[0] for d in (v.domain for v in model.proto.variables)]
    out = []
    for expr in exprs:
        if isinstance(expr, int):
            out.append(0)  # a term with nothing to count (sum of no variables)
            continue
        flat = cp_model_helper.FlatIntExpr(expr)
        out.append(sum(abs(coeff) * spans[var.index] for var, coeff in zip(flat.vars, flat.coeffs)))
    return out


def joinable(pairs: int, replan: bool) -> bool:
    """Whether a solve joins passes: a re-plan's, any run of them; a fresh one's, the leading ones of a small model."""
    return replan or pairs <= MAX_JOINT_PAIRS


def run_gap(pairs: int, replan: bool, pass_gap: float) -> float:
    """The gap within which a run may stop on its last term: a re-plan of a large model's, the pass
    gap; else 0, to proof (a small model's runs take a fraction of a second, and end proven)."""
    return pass_gap if replan and pairs > MAX_JOINT_PAIRS else 0.0


def joint_weights(ranges: list[int], gap: float = 0.0, values: list[float] | None = None) -> tuple[list[int], int]:
    """Weights for the longest run of leading terms, each changing by at most its range (`expr_ranges`),
    that one solve can optimise in their order, and its slack: weight i = 1 + slack + Σ_{j>i} weight j
    × range j, where the slack is `gap` of the last term's range (0: the run is solved to proof). Empty
    when fewer than two terms can be joined.

    With a gap, a run proves every term but its last exactly, and a later term's bound is only as
    good as the earlier terms' proof: a term comes before another only when its gap at its value in
    `values` (the plan the run starts from) is worth at most `MAX_GAP_UNITS`, so that its own pass
    would have had to prove it all but exactly too (priority schools, schools, the changes: each
    proven one by one at every size measured). A term such as the subjects covered (0.5% of 41,700 at
    250 × 1,000) only ends a run: with it first, the subjects and the changes were still not settled
    after 43 s, one by one 1.9 s and 0.9 s."""
    best: tuple[list[int], int] = ([], 0)
    for k in range(2, len(ranges) + 1):
        if gap and values is not None and gap * abs(values[k - 2]) > MAX_GAP_UNITS:
            break
        slack = math.ceil(gap * ranges[k - 1])
        weights = [1] * k
        for i in range(k - 2, -1, -1):
            weights[i] = 1 + slack + sum(weights[j] * ranges[j] for j in range(i + 1, k))
        if weights[0] > MAX_JOINT_WEIGHT:
            break
        best = (weights, slack)
    return best


def joint_objective(stages: list[tuple[str, Any, str]], weights: list[int]) -> Any:
    """Σ weight × term over the joined stages, to maximise (a minimised term enters negated)."""
    return sum(w * (expr if sense == "max" else -expr) for w, (_name, expr, sense) in zip(weights, stages))
