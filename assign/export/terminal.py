"""What the terminal shows: the roster, the KPI block, the solve and the findings, as tabulate tables."""

from __future__ import annotations

from tabulate import tabulate

from assign.export.roster import HEADERS, roster_rows
from assign.kpi import kpi_keys, kpi_label
from assign.plan import Plan
from assign.problem import Problem

STATUS_ZH = {"OPTIMAL": "最优", "FEASIBLE": "可行（未证明最优）", "INFEASIBLE": "无可行方案", "UNKNOWN": "未找到方案", "MODEL_INVALID": "模型无效"}


def roster_table(problem: Problem, plan: Plan, fmt: str = "simple") -> str:
    rows = [row.cells[:-2] + row.cells[-1:] for row in roster_rows(problem, plan)]
    headers = HEADERS["zh"][:-2] + HEADERS["zh"][-1:]
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def kpi_rows(plan: Plan) -> list[tuple[str, str]]:
    k = plan.kpis
    rows = [(kpi_label(key), str(k[key])) for key in kpi_keys(k)]
    gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
    rows += [
        ("求解状态", f"{plan.status} {STATUS_ZH.get(plan.status, '')}"),
        ("目标方式", "字典序 lexicographic" if plan.mode == "lexicographic" else "加权 weighted"),
        ("相对间隙 gap", gap),
        ("建模/求解时间（秒）", f"{plan.build_seconds:.2f} / {plan.solve_seconds:.2f}"),
        ("候选对数", str(plan.candidate_pairs)),
        ("路程计算", plan.travel_method),
    ]
    return rows


def kpi_table(plan: Plan, fmt: str = "simple") -> str:
    return tabulate(kpi_rows(plan), headers=["指标", "数值"], tablefmt=fmt, disable_numparse=True)


def terms_table(plan: Plan, fmt: str = "simple") -> str:
    rows = [(t.name, t.label, "max" if t.sense == "max" else "min", f"{t.value:g}", t.rank, f"{t.weight:g}") for t in plan.terms]
    return tabulate(rows, headers=["目标项 term", "含义", "方向", "取值", "次序 rank", "权重 weight"], tablefmt=fmt, disable_numparse=True)


def passes_table(plan: Plan, fmt: str = "simple") -> str:
    rows = [(p.objective_name, p.status, "—" if p.objective is None else f"{p.objective:g}", "—" if p.bound is None else f"{p.bound:g}",
             "—" if p.gap is None else f"{p.gap:.2%}", f"{p.seconds:.2f}") for p in plan.passes]
    return tabulate(rows, headers=["求解轮次", "状态", "目标值", "界", "gap", "秒"], tablefmt=fmt, disable_numparse=True)


def findings_text(plan: Plan) -> str:
    if not plan.findings:
        return "审核：各政策独立复核，未发现问题 (audit: no findings)"
    lines = [f"审核发现 {len(plan.findings)} 项 (audit findings):"]
    lines += [f"  - [{f.severity}] {f}" for f in plan.findings]
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
