"""What the terminal shows: the roster, the KPI block, the solve, the findings, the exceptions a
relaxed plan was granted and, when there is no plan, the groups of conflicting requirements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from assign.export.roster import HEADERS, roster_rows
from assign.kpi import kpi_keys, kpi_label, quality_lines
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem

if TYPE_CHECKING:
    from assign.analysis.explain import Conflict, ConflictGroup
    from assign.plan import Finding

STATUS_ZH = {"OPTIMAL": "最优", "FEASIBLE": "可行（未证明最优）", "INFEASIBLE": "无可行方案", "UNKNOWN": "未找到方案", "MODEL_INVALID": "模型无效"}


def roster_table(problem: Problem, plan: Plan, fmt: str = "simple") -> str:
    rows = [row.cells[:-2] + row.cells[-1:] for row in roster_rows(problem, plan)]
    headers = HEADERS["zh"][:-2] + HEADERS["zh"][-1:]
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def kpi_rows(plan: Plan, timings: bool = True) -> list[tuple[str, str]]:
    """The KPI block; `timings=False` leaves out the seconds (a written file then depends only on the plan)."""
    k = plan.kpis
    rows = [(kpi_label(key), str(k[key])) for key in kpi_keys(k)]
    gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
    rows += [
        ("求解状态", f"{plan.status} {STATUS_ZH.get(plan.status, '')}"),
        ("目标方式", "字典序 lexicographic" if plan.mode == "lexicographic" else "加权 weighted"),
        ("相对间隙 gap", gap),
        *((_("{term}: result").format(term=term), words) for term, words in quality_lines(plan)),
        *([("建模/求解时间（秒）", f"{plan.build_seconds:.2f} / {plan.solve_seconds:.2f}")] if timings else []),
        ("候选对数", str(plan.candidate_pairs)),
        ("路程计算", plan.travel_method),
    ]
    return rows


def kpi_table(plan: Plan, fmt: str = "simple", timings: bool = True) -> str:
    return tabulate(kpi_rows(plan, timings), headers=["指标", "数值"], tablefmt=fmt, disable_numparse=True)


def terms_table(plan: Plan, fmt: str = "simple") -> str:
    rows = [(t.name, t.label, "max" if t.sense == "max" else "min", f"{t.value:g}", t.rank, f"{t.weight:g}") for t in plan.terms]
    return tabulate(rows, headers=["目标项 term", "含义", "方向", "取值", "次序 rank", "权重 weight"], tablefmt=fmt, disable_numparse=True)


def passes_table(plan: Plan, fmt: str = "simple") -> str:
    """Each pass: its status, the returned plan's value of its term, the solver's bound, the gap, the
    seconds it ran and the seconds it was given."""
    rows = [(p.objective_name, p.status, "—" if p.objective is None else f"{p.objective:g}", "—" if p.bound is None else f"{p.bound:g}",
             "—" if p.gap is None else f"{p.gap:.2%}", f"{p.seconds:.2f}", "—" if p.budget is None else f"{p.budget:.1f}") for p in plan.passes]
    return tabulate(rows, headers=["求解轮次", "状态", "目标值", "界", "gap", "秒", _("budget s")], tablefmt=fmt, disable_numparse=True)


def findings_text(plan: Plan) -> str:
    if not plan.findings:
        return "审核：各政策独立复核，未发现问题 (audit: no findings)"
    lines = [f"审核发现 {len(plan.findings)} 项 (audit findings):"]
    lines += [f"  - [{f.severity}] {f}" for f in plan.findings]
    return "\n".join(lines)


def exceptions_text(plan: Plan) -> str:
    """The exceptions a relaxed plan was granted, one line each: rule, whom, what instead, why."""
    if not plan.exceptions:
        return ""
    total = sum(e.severity for e in plan.exceptions)
    lines = [f"准许的例外 {len(plan.exceptions)} 项，严重度合计 {total} (exceptions granted):"]
    for e in plan.exceptions:
        granted = f"；实际：{e.granted}" if e.granted else ""
        reason = f"；原因：{e.reason}" if e.reason else ""
        lines.append(f"  - [{e.key}] {e.requirement}{granted}{reason}")
    return "\n".join(lines)


def _conflict_line(c: "Conflict") -> str:
    bend = f"可放宽，严重度{c.severity}" if c.bends else "不可放宽 (may not bend)"
    return f"[{c.policy}.{c.rule}] {c.why}（{bend}）" if c.rule else f"[{c.policy}] {c.why}（{bend}）"


def conflicts_text(groups: "list[ConflictGroup]", shortages: "list[Finding]") -> str:
    """Every group of conflicting requirements: its supply counts, its requirements, and the fewest to give up."""
    lines = [f"互相冲突的要求共 {len(groups)} 组 (groups of requirements that cannot all hold together):"]
    shown: set[str] = set()
    for n, g in enumerate(groups, 1):
        cost = f"（严重度合计 {g.severity}）" if g.severity is not None else "（其中有不可放宽的规则）"
        lines.append(f"\n第{n}组 (group {n}): {len(g.requirements)} 项要求；至少放宽 {len(g.fewest)} 项{cost}")
        for f in g.supply:
            shown.add(str(f))
            lines.append(f"  供需 (supply): [{f.policy}] {f.note or f.message}")
        lines.append("  冲突的要求 (requirements in conflict):")
        lines += [f"    - {_conflict_line(c)}" for c in g.requirements]
        lines.append("  最少的例外 (fewest to give up):")
        lines += [f"    - {_conflict_line(c)}" for c in g.fewest]
    rest = [f for f in shortages if str(f) not in shown]
    if rest:
        lines.append("\n其他供需不足 (other demand the candidates cannot meet):")
        lines += [f"  - {f}" for f in rest]
    if groups and all(g.severity is not None for g in groups):
        total = sum(g.severity for g in groups)
        lines.append(f"\n设 on_infeasible: relax 即可出表：准许以上 {sum(len(g.fewest) for g in groups)} 项例外（严重度合计 {total}）"
                     "并在安排表中注明 (with on_infeasible: relax the plan is made with these exceptions, named in the roster).")
    elif groups:
        lines.append("\n有冲突涉及不可放宽的规则：请修改表格或情景文件 "
                     "(a conflict involves a rule that may not bend: change the tables or the scenario).")
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
        return tabulate(rows, headers=["指标", "名单 roster"], tablefmt=fmt, disable_numparse=True)
    rows = [(kpi_label(k), plan.kpis.get(k, 0), best.kpis.get(k, 0), _diff(plan.kpis.get(k, 0), best.kpis.get(k, 0)))
            for k in kpi_keys(plan.kpis, best.kpis)]
    return tabulate(rows, headers=["指标", "名单 roster", f"最优 optimum ({best.status})", "差 roster−optimum"], tablefmt=fmt, disable_numparse=True)


def terms_comparison_table(values: dict[str, float] | None, best: Plan, fmt: str = "simple") -> str:
    """Each objective term of a roster against the optimum; None when the roster leaves the model."""
    if values is None:
        return "目标项 (objective terms): the roster has pairs no policy allows, so it cannot be scored on the model's terms"
    rows = [(t.name, t.label, t.sense, f"{values[t.name]:g}", f"{t.value:g}", _diff(values[t.name], t.value)) for t in best.terms]
    return tabulate(rows, headers=["目标项 term", "含义", "方向", "名单 roster", "最优 optimum", "差"], tablefmt=fmt, disable_numparse=True)
