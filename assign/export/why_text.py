"""`assign explain`, printed: per pair what it earns, what holds it, and the best school instead."""

from __future__ import annotations

from tabulate import tabulate

from assign.analysis.why import PairReason
from assign.locale import _, ngettext
from assign.problem import Problem


def term_words(reason: PairReason, term: str) -> str:
    """An objective term as its policy words it (覆盖学校数), its name (coverage.schools) only when the policy gave none."""
    label = reason.labels.get(term, "")
    return label if label and label != term else term


def _changes(reason: PairReason, changes: dict[str, float]) -> str:
    moved = [f"{term_words(reason, name)} {value:+g}" for name, value in changes.items() if value]
    return _("; ").join(moved) or _("no term changes")


def why_text(problem: Problem, researcher_id: str, reasons: list[PairReason]) -> str:
    r = problem.researcher[researcher_id]
    heading = ngettext("{researcher} — {n} contact school", "{researcher} — {n} contact schools", len(reasons))
    lines = [heading.format(researcher=r.label, n=len(reasons)), ""]
    if not reasons:
        lines.append(_("no school in this plan"))
    for reason in reasons:
        s = problem.school[reason.school_id]
        lines.append("■ " + _("{school} ({id}, {area}, {township}), one way {minutes} minutes").format(
            school=s.name, id=s.id, area=s.area, township=s.township, minutes=f"{reason.minutes:.0f}"))
        earns = [(term_words(reason, name), f"{value:+g}") for name, value in reason.earns.items() if value]
        if earns:
            lines.append("  " + _("what the pair earns (+ better / − worse, against the plan without it):"))
            lines.append("    " + tabulate(earns, headers=[_("term"), _("earns")], tablefmt="plain", disable_numparse=True).replace("\n", "\n    "))
        else:
            lines.append("  " + _("what the pair earns: none of the objective terms depends on this pair alone"))
        if reason.held_by:
            lines.append("  " + _("held in place by (dropping it would break):"))
            lines += [f"    - [{f.policy}] {f.message}" for f in reason.held_by]
        if reason.alternative is not None:
            a = reason.alternative
            other = problem.school[a.school_id]
            best = _("best school instead (of {n} allowed swaps): {school} ({id}, {area}), one way {minutes} minutes — term changes: {changes}")
            lines.append("  " + best.format(n=reason.alternatives_tried, school=other.name, id=other.id, area=other.area,
                                            minutes=f"{a.minutes:.0f}", changes=_changes(reason, a.changes)))
        else:
            lines.append("  " + _("best school instead: no other school keeps every rule"))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
