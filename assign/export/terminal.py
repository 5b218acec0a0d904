"""What the terminal shows: the roster, the KPI block, the solve, the findings, the exceptions a
relaxed plan was granted and, when there is no plan, the groups of conflicting requirements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from assign.export.roster import HEADERS, roster_rows
from assign.kpi import kpi_keys, kpi_label, quality_lines
from assign.locale import N_, _, language
from assign.plan import Plan
from assign.problem import Problem

if TYPE_CHECKING:
    from assign.analysis.explain import Conflict, ConflictGroup
    from assign.plan import Finding
    from assign.problem import PolicyUse

STATUS_WORDS = {"OPTIMAL": N_("optimal"), "FEASIBLE": N_("feasible (not proven optimal)"), "INFEASIBLE": N_("no feasible plan"),
                "UNKNOWN": N_("no plan found"), "MODEL_INVALID": N_("model invalid")}
SEVERITY_WORDS = {"error": N_("violation"), "warning": N_("warning"), "granted": N_("granted exception")}


def severity_word(severity: str) -> str:
    """A finding's severity as the reader's word (错误, 注意, 已准许的例外)."""
    return _(SEVERITY_WORDS[severity]) if severity in SEVERITY_WORDS else severity


def policy_word(use: "PolicyUse") -> str:
    """A policy as words: its title in the current language (through the catalogs, so a plugin's own
    catalog translates it), else its name."""
    return _(use.policy.title) if use.policy.title else use.name


def policy_names(uses: "list[PolicyUse]") -> str:
    return _(", ").join(policy_word(u) for u in uses)


def roster_table(problem: Problem, plan: Plan, fmt: str = "simple") -> str:
    rows = [row.cells[:-2] + row.cells[-1:] for row in roster_rows(problem, plan)]
    headers = HEADERS[language()][:-2] + HEADERS[language()][-1:]
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def kpi_rows(plan: Plan, timings: bool = True) -> list[tuple[str, str]]:
    """The KPI block; `timings=False` leaves out the seconds (a written file then depends only on the plan)."""
    k = plan.kpis
    rows = [(kpi_label(key), str(k[key])) for key in kpi_keys(k)]
    gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
    rows += [
        (_("solver status"), f"{plan.status} {_(STATUS_WORDS[plan.status]) if plan.status in STATUS_WORDS else ''}".rstrip()),
        (_("objective"), _("lexicographic") if plan.mode == "lexicographic" else _("weighted")),
        (_("relative gap"), gap),
        *((_("{term}: result").format(term=term), words) for term, words in quality_lines(plan)),
        *([(_("build / solve time (s)"), f"{plan.build_seconds:.2f} / {plan.solve_seconds:.2f}")] if timings else []),
        (_("candidate pairs"), str(plan.candidate_pairs)),
        (_("travel times"), plan.travel_method),
    ]
    return rows


def kpi_table(plan: Plan, fmt: str = "simple", timings: bool = True) -> str:
    return tabulate(kpi_rows(plan, timings), headers=[_("indicator"), _("value")], tablefmt=fmt, disable_numparse=True)


def terms_table(plan: Plan, fmt: str = "simple") -> str:
    rows = [(t.name, t.label, sense_word(t.sense), f"{t.value:g}", t.rank, f"{t.weight:g}") for t in plan.terms]
    return tabulate(rows, headers=[_("term"), _("meaning"), _("direction"), _("value"), _("rank"), _("weight")], tablefmt=fmt, disable_numparse=True)


def sense_word(sense: str) -> str:
    return _("max") if sense == "max" else _("min")


def _time_cells(plan: Plan, p) -> tuple[str, str]:
    """A pass's seconds and budget; a pass settled in one run with an earlier one names that pass (whose cells are the run's)."""
    if p.joint_with:
        return _("with pass {n}").format(n=plan.run_head(p)[0]), ""
    return f"{p.seconds:.2f}", "—" if p.budget is None else f"{p.budget:.1f}"


def passes_table(plan: Plan, fmt: str = "simple") -> str:
    """Each pass: its status, the returned plan's value of its term, the solver's bound, the gap, the
    seconds it ran and the seconds it was given (a pass settled in one run with an earlier one: "with pass N")."""
    rows = [(p.objective_name, p.status, "—" if p.objective is None else f"{p.objective:g}", "—" if p.bound is None else f"{p.bound:g}",
             "—" if p.gap is None else f"{p.gap:.2%}", *_time_cells(plan, p)) for p in plan.passes]
    return tabulate(rows, headers=[_("solver pass"), _("status"), _("objective value"), _("bound"), _("gap"), _("seconds"), _("budget s")],
                    tablefmt=fmt, disable_numparse=True)


def findings_text(plan: Plan) -> str:
    if not plan.findings:
        return _("audit: every policy checked the plan on its own; no findings")
    lines = [_("audit findings: {n}").format(n=len(plan.findings))]
    lines += [f"  - [{severity_word(f.severity)}] {f}" for f in plan.findings]
    return "\n".join(lines)


def exceptions_text(plan: Plan) -> str:
    """The exceptions a relaxed plan was granted, one line each: rule, whom, what instead, why."""
    if not plan.exceptions:
        return ""
    total = sum(e.severity for e in plan.exceptions)
    lines = [_("exceptions granted: {n}, total severity {total}").format(n=len(plan.exceptions), total=total)]
    for e in plan.exceptions:
        granted = _("; instead: {granted}").format(granted=e.granted) if e.granted else ""
        reason = _("; because: {reason}").format(reason=e.reason) if e.reason else ""
        lines.append(f"  - [{e.key}] {e.requirement}{granted}{reason}")
    return "\n".join(lines)


def _conflict_line(c: "Conflict") -> str:
    bend = _("may bend, severity {severity}").format(severity=c.severity) if c.bends else _("may not bend")
    return f"[{c.policy}.{c.rule}] {c.why} ({bend})" if c.rule else f"[{c.policy}] {c.why} ({bend})"


def conflicts_text(groups: "list[ConflictGroup]", shortages: "list[Finding]") -> str:
    """Every group of conflicting requirements: its supply counts, its requirements, and the fewest to give up."""
    lines = [_("groups of requirements that cannot all hold together: {n}").format(n=len(groups))]
    shown: set[str] = set()
    for n, g in enumerate(groups, 1):
        cost = (_("(total severity {severity})").format(severity=g.severity) if g.severity is not None
                else _("(among them a rule that may not bend)"))
        lines.append("\n" + _("group {n}: {requirements} requirements; give up at least {fewest} {cost}").format(
            n=n, requirements=len(g.requirements), fewest=len(g.fewest), cost=cost))
        for f in g.supply:
            shown.add(str(f))
            lines.append("  " + _("supply: [{policy}] {message}").format(policy=f.policy, message=f.note or f.message))
        lines.append("  " + _("requirements in conflict:"))
        lines += [f"    - {_conflict_line(c)}" for c in g.requirements]
        lines.append("  " + _("fewest to give up:"))
        lines += [f"    - {_conflict_line(c)}" for c in g.fewest]
    rest = [f for f in shortages if str(f) not in shown]
    if rest:
        lines.append("\n" + _("other demand the candidates cannot meet:"))
        lines += [f"  - {f}" for f in rest]
    if groups and all(g.severity is not None for g in groups):
        total = sum(g.severity for g in groups)
        lines.append("\n" + _("with on_infeasible: relax the plan is made with these {n} exceptions (total severity {total}), named in the roster.")
                     .format(n=sum(len(g.fewest) for g in groups), total=total))
    elif groups:
        lines.append("\n" + _("a conflict involves a rule that may not bend: change the tables or the scenario."))
    return "\n".join(lines)


def _diff(mine, best) -> str:
    try:
        d = round(float(mine) - float(best), 1)
    except (TypeError, ValueError):
        return ""
    return "0" if d == 0 else f"{d:+g}"


def kpi_comparison_table(plan: Plan, best: Plan | None, fmt: str = "simple") -> str:
    """A roster's KPIs, beside the optimum's and their difference when there is an optimum."""
    if best is None:
        rows = [(kpi_label(k), plan.kpis[k]) for k in kpi_keys(plan.kpis)]
        return tabulate(rows, headers=[_("indicator"), _("roster")], tablefmt=fmt, disable_numparse=True)
    rows = [(kpi_label(k), plan.kpis.get(k, 0), best.kpis.get(k, 0), _diff(plan.kpis.get(k, 0), best.kpis.get(k, 0)))
            for k in kpi_keys(plan.kpis, best.kpis)]
    return tabulate(rows, headers=[_("indicator"), _("roster"), _("optimum ({status})").format(status=best.status), _("roster − optimum")],
                    tablefmt=fmt, disable_numparse=True)


def terms_comparison_table(values: dict[str, float] | None, best: Plan, fmt: str = "simple") -> str:
    """Each objective term of a roster against the optimum; None when the roster leaves the model."""
    if values is None:
        return _("objective terms: the roster has pairs no policy allows, so it cannot be scored on the model's terms")
    rows = [(t.name, t.label, sense_word(t.sense), f"{values[t.name]:g}", f"{t.value:g}", _diff(values[t.name], t.value)) for t in best.terms]
    return tabulate(rows, headers=[_("term"), _("meaning"), _("direction"), _("roster"), _("optimum"), _("difference")], tablefmt=fmt,
                    disable_numparse=True)
