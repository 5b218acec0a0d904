"""`assign explain`, printed: per pair what it earns, what holds it, and the best school instead."""

from __future__ import annotations

from tabulate import tabulate

from assign.analysis.why import PairReason
from assign.problem import Problem


def _changes(changes: dict[str, float]) -> str:
    moved = [f"{name} {value:+g}" for name, value in changes.items() if value]
    return "; ".join(moved) or "no term changes"


def why_text(problem: Problem, researcher_id: str, reasons: list[PairReason]) -> str:
    r = problem.researcher[researcher_id]
    lines = [f"{r.label} — {len(reasons)} 所联系学校 (contact schools)", ""]
    if not reasons:
        lines.append("（未安排学校）no school in this plan")
    for reason in reasons:
        s = problem.school[reason.school_id]
        lines.append(f"■ {s.name} ({s.id}, {s.area}, {s.township}), 单程 {reason.minutes:.0f} 分钟")
        earns = [(name, f"{value:+g}") for name, value in reason.earns.items() if value]
        if earns:
            lines.append("  贡献 (what the pair earns, + better / − worse, against the plan without it):")
            lines.append("    " + tabulate(earns, headers=["目标项 term", "贡献"], tablefmt="plain", disable_numparse=True).replace("\n", "\n    "))
        else:
            lines.append("  贡献: none of the objective terms depends on this pair alone")
        if reason.held_by:
            lines.append("  约束 (held in place by; dropping it would break):")
            lines += [f"    - [{f.policy}] {f.message}" for f in reason.held_by]
        if reason.alternative is not None:
            a = reason.alternative
            other = problem.school[a.school_id]
            lines.append(f"  最佳替代 (best school instead, of {reason.alternatives_tried} allowed swaps): "
                         f"{other.name} ({other.id}, {other.area}), 单程 {a.minutes:.0f} 分钟 — term changes: {_changes(a.changes)}")
        else:
            lines.append("  最佳替代: no other school keeps every rule")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
