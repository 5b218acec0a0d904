"""Key figures of a plan, computed from its pairs and the problem (never from the solver's numbers),
and, when the scenario relaxes, the exceptions granted: their number, their total severity, and
how many each rule got (`exceptions.school_count.min`, the key a scenario's `relax.severity` uses).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from assign.locale import N_, _, translations
from assign.plan import Assignment, Plan, RuleException
from assign.problem import Problem

EXCEPTIONS_PREFIX = "exceptions."

# KPI key → label (translated where shown: 教研员人数 in Chinese), in display order.
LABELS = {
    "researchers": N_("researchers"),
    "researchers_0": N_("researchers without a school"),
    "researchers_1": N_("researchers with 1 school"),
    "researchers_2": N_("researchers with 2 schools"),
    "researchers_3plus": N_("researchers with 3 or more schools"),
    "schools": N_("schools"),
    "schools_covered": N_("schools with a researcher"),
    "priority_schools": N_("priority (weak) schools"),
    "priority_covered": N_("priority schools with a researcher"),
    "contacts": N_("pairs"),
    "contacts_城区": N_("of which urban schools"),
    "contacts_镇区": N_("of which town schools"),
    "contacts_乡村": N_("of which rural schools"),
    "subject_pairs": N_("(school, subject) pairs needed"),
    "subject_pairs_covered": N_("(school, subject) pairs covered"),
    "travel_total": N_("one-way minutes, total"),
    "travel_worst": N_("longest one-way trip (minutes)"),
    "travel_mean": N_("mean one-way trip (minutes)"),
    "exceptions": N_("exceptions granted"),
    "exception_severity": N_("exceptions' total severity"),
}


def kpi_label(key: str, language: str | None = None) -> str:
    """The label of a KPI key in `language` (default: the current one); an exception count per rule
    reads 例外：school_count.min."""
    gettext = translations(language).gettext if language else _
    if key.startswith(EXCEPTIONS_PREFIX):
        return gettext("exceptions: {rule}").format(rule=key.removeprefix(EXCEPTIONS_PREFIX))
    return gettext(LABELS[key]) if key in LABELS else key


def kpi_keys(*kpis: dict) -> list[str]:
    """The keys of one or more KPI blocks in display order: the fixed ones, then the exceptions per rule."""
    present = {k for block in kpis for k in block}
    extra = dict.fromkeys(k for block in kpis for k in block if k not in LABELS)
    return [k for k in LABELS if k in present] + list(extra)


def compute_kpis(problem: Problem, pairs: list[Assignment], exceptions: Iterable[RuleException] = ()) -> dict[str, float | int]:
    per_researcher = Counter(a.researcher_id for a in pairs)
    counts = Counter(per_researcher.get(r.id, 0) for r in problem.researchers)
    covered = {a.school_id for a in pairs}
    priority = [s for s in problem.schools if s.priority > 1]
    areas = Counter(problem.school[a.school_id].area for a in pairs)
    subjects_at = {s.id: set() for s in problem.schools}
    for a in pairs:
        subjects_at[a.school_id].update(problem.researcher[a.researcher_id].subjects)
    needed = sum(len(s.subjects_needed) for s in problem.schools)
    hit = sum(len(set(s.subjects_needed) & subjects_at[s.id]) for s in problem.schools)
    minutes = [a.minutes for a in pairs]
    exceptions = list(exceptions)
    granted = {}
    if problem.relaxing or exceptions:
        granted = {"exceptions": len(exceptions), "exception_severity": sum(e.severity for e in exceptions),
                   **{f"{EXCEPTIONS_PREFIX}{key}": n for key, n in Counter(e.key for e in exceptions).items()}}
    return {
        "researchers": len(problem.researchers),
        "researchers_0": counts.get(0, 0),
        "researchers_1": counts.get(1, 0),
        "researchers_2": counts.get(2, 0),
        "researchers_3plus": sum(n for k, n in counts.items() if k >= 3),
        "schools": len(problem.schools),
        "schools_covered": len(covered),
        "priority_schools": len(priority),
        "priority_covered": sum(1 for s in priority if s.id in covered),
        "contacts": len(pairs),
        "contacts_城区": areas.get("城区", 0),
        "contacts_镇区": areas.get("镇区", 0),
        "contacts_乡村": areas.get("乡村", 0),
        "subject_pairs": needed,
        "subject_pairs_covered": hit,
        "travel_total": round(sum(minutes), 1),
        "travel_worst": round(max(minutes, default=0.0), 1),
        "travel_mean": round(sum(minutes) / len(minutes), 1) if minutes else 0.0,
        **granted,
    }


def pass_label(plan: Plan, name: str) -> str:
    """The words for a pass: its term's label (覆盖学校数), else its name."""
    return next((t.label for t in plan.terms if t.name == name), name)


def quality_lines(plan: Plan) -> list[tuple[str, str]]:
    """(term, how good) for each pass, in words: proven optimal, or the best found in the seconds the
    pass had and how far from the best possible it may be at most (the pass's bound), or that no
    bound is known. The figures are the plan's own: a pass's value is the returned plan's."""
    lines = []
    for p in plan.passes:
        label = pass_label(plan, p.objective_name)
        seconds = f"{plan.run_head(p)[1].seconds:.0f}"  # a pass settled in a joint run: the run's seconds
        if p.status == "OPTIMAL":
            words = _("proven optimal")
        elif p.objective is None:
            words = _("not solved")
        elif p.gap is None:
            words = _("best found in {seconds} s; no bound on the best possible is known").format(seconds=seconds)
        else:
            words = _("best found in {seconds} s, at most {gap} from the best possible").format(seconds=seconds, gap=f"{p.gap:.1%}")
        lines.append((label, words))
    return lines


def gap_stops(plan: Plan) -> list[str]:
    """The passes that stopped within `solver.pass_gap` of their bound, by label: proven with `pass_gap: 0`, not with more time."""
    return [pass_label(plan, p.objective_name) for p in plan.passes if p.stop == "gap"]


def suggested_time_limit(plan: Plan) -> float | None:
    """A time limit likely to prove every pass: when some pass stopped at its budget, the limit plus
    three times the budgets of those passes (each got a fraction of the limit; proving takes
    longer than finding), rounded up to ten seconds. None when every pass was proven."""
    limit = plan.solver_settings.get("time_limit")
    # Each run that stopped at its budget, once (a joint run's budget is its first pass's); a pass that
    # stopped within the pass gap would stop there again with more time (`gap_stops`).
    stopped = {plan.run_head(p)[1].objective_name: plan.run_head(p)[1] for p in plan.passes
               if p.status != "OPTIMAL" and p.objective is not None and p.stop != "gap"}
    if not stopped or not isinstance(limit, (int, float)):
        return None
    extra = sum(p.budget if p.budget is not None else p.seconds for p in stopped.values())
    return float(math.ceil((limit + 3 * extra) / 10) * 10)
