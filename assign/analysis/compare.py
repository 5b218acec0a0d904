"""`assign compare A B`: what changed between two plans, and why.

A and B are scenario files (solved here) or saved plans (`plan.json`). When B is a scenario, it
is re-planned from A's plan (A's pairs become B's plan in force: a hint, and what the stability
policy counts changes against), because a planner asking "what if" wants the difference against
the plan in force, not against a fresh solve; `independent=True` solves B on its own.

Each researcher whose schools changed gets a reason per changed pair, most specific first:
a school or researcher the what-if removed or added; a pair a pruning policy of B forbids (or of
A forbade), named by policy; a school another researcher now holds; otherwise an objective
trade-off, with the objective terms that moved and the policies whose parameters differ.

The exceptions each plan was granted (`on_infeasible: relax`) are set side by side too: those of A
only, of B only, and of both (the same rule about the same people or schools).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assign.analysis.replan import solve_from, with_previous
from assign.analysis.sources import is_plan_file
from assign.errors import NoPlanError
from assign.kpi import kpi_keys, kpi_label
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem

Pair = tuple[str, str]


@dataclass
class Side:
    """One side of a comparison: its plan, and its problem when it came from a scenario."""

    label: str
    plan: Plan
    problem: Problem | None = None


@dataclass
class Change:
    """A researcher whose schools changed: before, after, and why each pair came or went."""

    researcher_id: str
    researcher: str
    before: list[str]
    after: list[str]
    reasons: list[str]


@dataclass
class Comparison:
    a: Side
    b: Side
    kept: list[Pair]
    added: list[Pair]
    dropped: list[Pair]
    changes: list[Change]
    kpis: list[tuple[str, Any, Any, str]]        # label, A, B, B − A
    terms: list[tuple[str, str, Any, Any, str]]  # name, label, A, B, B − A
    policy_changes: list[str] = field(default_factory=list)
    exceptions: list[tuple[str, str, str, str]] = field(default_factory=list)  # in (A, B, A+B), rule, whom, what was granted


def diff_text(a: Any, b: Any) -> str:
    try:
        d = round(float(b) - float(a), 1)
    except (TypeError, ValueError):
        return "" if a == b else "≠"
    return "0" if d == 0 else f"{d:+g}"


def _predicates(problem: Problem | None) -> list[tuple[str, Any]]:
    if problem is None:
        return []
    return [(use.name, p) for use in problem.policies if (p := use.policy.allows(problem, use.params)) is not None]


def _forbidding(problem: Problem | None, predicates, pair: Pair) -> list[str]:
    if problem is None or pair[0] not in problem.researcher or pair[1] not in problem.school:
        return []
    r, s = problem.researcher[pair[0]], problem.school[pair[1]]
    return [name for name, allowed in predicates if not allowed(r, s)]


def _policy_changes(a: Problem | None, b: Problem | None) -> list[str]:
    if a is None or b is None:
        return []
    pa, pb = a.scenario.policies, b.scenario.policies
    out = []
    for name in dict.fromkeys([*pa, *pb]):
        if name not in pb:
            out.append(f"{name}: removed")
        elif name not in pa:
            out.append(f"{name}: added {pb[name] or {}}")
        elif (pa[name] or {}) != (pb[name] or {}):
            keys = sorted(set(pa[name] or {}) | set(pb[name] or {}))
            moved = [f"{k} {(pa[name] or {}).get(k, '—')}→{(pb[name] or {}).get(k, '—')}" for k in keys
                     if (pa[name] or {}).get(k) != (pb[name] or {}).get(k)]
            out.append(f"{name}: {', '.join(moved)}")
    return out


def compare(a: Side, b: Side) -> Comparison:
    """Side by side KPIs and terms, the pairs kept, added and dropped, and why each researcher changed."""
    pa, pb = a.plan.pair_set(), b.plan.pair_set()
    kept, added, dropped = sorted(pa & pb), sorted(pb - pa), sorted(pa - pb)
    kpis = [(kpi_label(k), a.plan.kpis.get(k, "—"), b.plan.kpis.get(k, "—"), diff_text(a.plan.kpis.get(k), b.plan.kpis.get(k)))
            for k in kpi_keys(a.plan.kpis, b.plan.kpis)]
    ta, tb = {t.name: t for t in a.plan.terms}, {t.name: t for t in b.plan.terms}
    terms = [(name, (tb.get(name) or ta.get(name)).label, ta[name].value if name in ta else "—", tb[name].value if name in tb else "—",
              diff_text(ta[name].value if name in ta else None, tb[name].value if name in tb else None))
             for name in dict.fromkeys([*ta, *tb])]
    moved_terms = [f"{name} {d}" for name, _, _, _, d in terms if d not in ("0", "", "≠")]
    policy_changes = _policy_changes(a.problem, b.problem)
    trade_off = (_("objective trade-off: {terms}").format(terms=", ".join(moved_terms)) if moved_terms else _("objective trade-off"))
    if policy_changes:
        trade_off += _("; rules changed: {changes}").format(changes="; ".join(policy_changes))

    pred_a, pred_b = _predicates(a.problem), _predicates(b.problem)
    holders_b, holders_a = b.plan.researchers_of(), a.plan.researchers_of()
    name_r = _namer(b.problem, a.problem, "researcher")
    name_s = _namer(b.problem, a.problem, "school")

    def forced_reason(pair: Pair) -> str | None:
        """Why B cannot hold a pair of A at all, or None when dropping it was the optimiser's choice."""
        rid, sid = pair
        if b.problem is not None and sid not in b.problem.school:
            return _("school removed by the what-if")
        if b.problem is not None and rid not in b.problem.researcher:
            return _("researcher no longer in the table")
        forbidding = _forbidding(b.problem, pred_b, pair)
        return _("no longer allowed by {policies}").format(policies=", ".join(forbidding)) if forbidding else None

    def why_dropped(pair: Pair) -> str:
        rid, sid = pair
        reason = forced_reason(pair)
        if reason is not None:
            return f"−{name_s(sid)}: {reason}"
        others = [name_r(o) for o in holders_b.get(sid, []) if o != rid]
        if others:
            return f"−{name_s(sid)}: " + _("now with {researchers}; {trade_off}").format(researchers="、".join(others), trade_off=trade_off)
        return f"−{name_s(sid)}: {trade_off}"

    held_in_a = {r for r, _ in pa}
    forced = {p for p in dropped if forced_reason(p) is not None}

    def why_added(pair: Pair) -> str:
        rid, sid = pair
        if a.problem is not None and rid not in a.problem.researcher:
            return f"+{name_s(sid)}: " + _("new researcher")
        if a.problem is None and rid not in held_in_a:
            return f"+{name_s(sid)}: " + _("researcher without a school in A (new researcher?)")
        if a.problem is not None and sid not in a.problem.school:
            return f"+{name_s(sid)}: " + _("new school")
        forbidding = _forbidding(a.problem, pred_a, pair)
        if forbidding:
            return f"+{name_s(sid)}: " + _("not allowed before by {policies}").format(policies=", ".join(forbidding))
        others = [name_r(o) for o in holders_a.get(sid, []) if o != rid and o not in holders_b.get(sid, [])]
        if any(r == rid for r, _s in forced):
            return f"+{name_s(sid)}: " + _("replaces a pair the change forced out; {trade_off}").format(trade_off=trade_off)
        if others:
            return f"+{name_s(sid)}: " + _("taken over from {researchers}; {trade_off}").format(researchers="、".join(others), trade_off=trade_off)
        return f"+{name_s(sid)}: {trade_off}"

    before, after = a.plan.schools_of(), b.plan.schools_of()
    changes = []
    for rid in sorted({r for r, _s in added} | {r for r, _s in dropped}):
        reasons = [why_dropped(p) for p in dropped if p[0] == rid] + [why_added(p) for p in added if p[0] == rid]
        changes.append(Change(rid, name_r(rid), [name_s(s) for s in before.get(rid, [])], [name_s(s) for s in after.get(rid, [])], reasons))
    return Comparison(a, b, kept, added, dropped, changes, kpis, terms, policy_changes, _exceptions(a, b, name_r, name_s))


def _exceptions(a: Side, b: Side, name_r, name_s) -> list[tuple[str, str, str, str]]:
    """Each exception of either plan: in A, in B or in both (same rule, same entities), whom it is about, what was granted."""
    sides: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    shown = {}
    for label, side in (("A", a), ("B", b)):
        for e in side.plan.exceptions:
            key = (e.key, e.about)
            sides.setdefault(key, []).append(label)
            shown.setdefault(key, e)
    rows = []
    for key, where in sides.items():
        e = shown[key]
        who = "、".join([name_r(r) for r in e.researchers] + [name_s(s) for s in e.schools]) or "、".join(e.about)
        rows.append(("+".join(where), e.key, who, e.granted or e.requirement))
    return rows


def _namer(first: Problem | None, second: Problem | None, what: str):
    def name(i: str) -> str:
        for problem in (first, second):
            table = None if problem is None else (problem.researcher if what == "researcher" else problem.school)
            if table is not None and i in table:
                return f"{table[i].name}({i})"
        return i
    return name


def side_from_path(path: Path, previous: Plan | None = None, local: bool = False, **options: Any) -> Side:
    """Read a saved plan, or load and solve a scenario (re-planned from `previous` when given)."""
    if is_plan_file(path):
        return Side(str(path), Plan.read(path))
    problem = load_scenario(path)
    if previous is not None:
        problem, _gone = with_previous(problem, sorted(previous.pair_set()))
    plan = solve_from(problem, local=local, **options)
    if not plan.solved:
        raise NoPlanError(_("{path}: no plan to compare (status {status}); run `assign solve {path}` to see why")
                          .format(path=path, status=plan.status))
    return Side(str(path), plan, problem)


def compare_paths(a: Path, b: Path, *, independent: bool = False, local: bool = False, **options: Any) -> Comparison:
    """`assign compare A B`: B is re-planned from A's plan unless `independent`."""
    side_a = side_from_path(a, **options)
    side_b = side_from_path(b, previous=None if independent else side_a.plan, local=local, **options)
    return compare(side_a, side_b)
