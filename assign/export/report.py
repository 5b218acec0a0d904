"""One self-contained HTML report of a plan: the county map, KPIs, objective terms, audit findings,
the changes against a base plan, charts, the sortable roster and a month view of the term's visits.

Everything the page needs is inside the file (CSS, JS, SVG, data as JSON): an office opens it from
disk, mails it, or shows it offline, and the page makes no network request. The map and charts
are drawn here as SVG, so the page reads without JavaScript too; the script only adds the side
panel, the filters and table sorting. Chinese labels by default, English with lang="en".
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from html import escape
from importlib.resources import files
from pathlib import Path

from assign.analysis.report_inputs import ReportInputs
from assign.calendar.progress import Progress
from assign.calendar.visits import VisitPlan
from assign.export.atomic import write_text
from assign.export.progress_tables import headers as progress_headers
from assign.export.progress_tables import heading as progress_heading
from assign.export.progress_tables import legend as progress_legend
from assign.export.progress_tables import wide_rows
from assign.export.report_data import (
    MAP_HEIGHT,
    MAP_WIDTH,
    area_split,
    changes,
    coverage_by_township,
    map_layout,
    travel_per_researcher,
)
from assign.export.roster import EXCEPTION_HEADERS, HEADERS, UNCOVERED_HEADERS, exception_rows, roster_rows, uncovered_rows
from assign.kpi import kpi_keys, kpi_label
from assign.locale import _
from assign.plan import Plan
from assign.problem import Problem

AREA_COLOURS = {"城区": "#c0392b", "镇区": "#e67e22", "乡村": "#27ae60"}
PRIORITY_RADIUS = {1: 4.0, 2: 6.0, 3: 8.0}


def _kpi_label(key: str, lang: str) -> str:
    return kpi_label(key, lang)

TEXT = {
    "zh": {
        "map": "地图", "kpis": "主要指标", "objective": "目标分解", "audit": "审核", "changes": "与基准方案的变化",
        "exceptions": "例外与未联系学校", "no_exceptions": "未准许任何例外。", "uncovered": "未联系的薄弱学校",
        "all_priority_covered": "所有薄弱学校都有教研员联系。", "other_uncovered": "另有 {n} 所普通学校无人联系（见安排表的“未联系学校”工作表）。",
        "granted_title": "准许的例外：{n} 项，严重度合计 {total}",
        "charts": "图表", "roster": "安排表", "calendar": "视导日历", "subject": "学科", "stage": "学段", "all": "全部",
        "office": "教研室", "base": "驻地", "priority": "优先级", "panel_hint": "点击地图上的学校或教研员查看联系情况。",
        "researchers_of": "联系教研员", "schools_of": "联系学校", "none": "（无）", "minutes": "分钟",
        "term": "目标项", "label": "含义", "sense": "方向", "value": "取值", "rank": "次序", "weight": "权重",
        "pass": "求解轮次", "status": "状态", "bound": "界", "seconds": "秒", "with_pass": "与第 {n} 轮同时求解",
        "clean": "各政策与访校规则独立复核，未发现问题。", "findings": "审核发现",
        "added": "新增联系", "removed": "取消联系", "kept": "保留联系", "base_plan": "基准方案",
        "kpi": "指标", "before": "基准", "after": "本方案", "no_change": "与基准方案相同。",
        "travel_chart": "每位教研员的单程时间合计（分钟）", "township_chart": "各乡镇学校覆盖（有联系教研员的学校/学校数）",
        "area_chart": "城乡分布", "schools": "学校数", "covered": "有联系的学校", "contacts": "联系对数",
        "visits": "次到校", "no_calendar": "本方案没有日历（情景文件无 calendar 部分）。",
        "weekdays": "一二三四五六日", "month": "{y}年{m}月", "researcher": "教研员", "school": "学校",
        "area": "城乡类型", "township": "乡镇", "stages": "学段", "visit_dates": "到校日期", "day": "日期",
        "legend_lines": "线：教研员出发地（教研室或驻地）到联系学校；滚轮缩放，拖动平移，双击复原", "clear": "清除",
        "generated": "生成于", "mode": "目标方式", "travel": "路程计算", "gap": "相对间隙",
        "visits_term": "{term}：{first}～{last}，{workdays} 个工作日，{n} 次到校；状态 {status}",
        "sort_hint": "点击表头排序", "days_off": "数字：当天到校的教研员人数（点击查看）；灰色：非工作日（周末、法定节假日）",
    },
    "en": {
        "map": "Map", "kpis": "Key figures", "objective": "Objective terms", "audit": "Audit", "changes": "Changes against the base plan",
        "exceptions": "Exceptions and schools without a researcher", "no_exceptions": "No exception was granted.",
        "uncovered": "Priority schools without a researcher", "all_priority_covered": "Every priority school has a researcher.",
        "other_uncovered": "{n} ordinary schools have no researcher either (see the roster's sheet of them).",
        "granted_title": "Exceptions granted: {n}, total severity {total}",
        "charts": "Charts", "roster": "Roster", "calendar": "Visit calendar", "subject": "subject", "stage": "stage", "all": "all",
        "office": "office", "base": "base", "priority": "priority", "panel_hint": "Click a school or a researcher on the map to see their contacts.",
        "researchers_of": "researchers", "schools_of": "contact schools", "none": "(none)", "minutes": "min",
        "term": "term", "label": "meaning", "sense": "sense", "value": "value", "rank": "rank", "weight": "weight",
        "pass": "pass", "status": "status", "bound": "bound", "seconds": "s", "with_pass": "with pass {n}",
        "clean": "Every policy and visit rule re-checked the plan on its own: no findings.", "findings": "Audit findings",
        "added": "pairs added", "removed": "pairs removed", "kept": "pairs kept", "base_plan": "base plan",
        "kpi": "figure", "before": "base", "after": "this plan", "no_change": "Same pairs as the base plan.",
        "travel_chart": "One-way minutes per researcher (sum over their schools)",
        "township_chart": "Coverage by township (schools with a researcher / schools)",
        "area_chart": "Urban / rural split", "schools": "schools", "covered": "schools covered", "contacts": "pairs",
        "visits": "visits", "no_calendar": "No calendar: the scenario has no calendar section.",
        "weekdays": "MTWTFSS", "month": "{y}-{m:02d}", "researcher": "researcher", "school": "school",
        "area": "area", "township": "township", "stages": "stages", "visit_dates": "visit dates", "day": "day",
        "legend_lines": "lines: from the researcher's start (office or base) to each contact school; "
                        "wheel to zoom, drag to pan, double-click to reset", "clear": "clear",
        "generated": "generated", "mode": "objective", "travel": "travel", "gap": "gap",
        "visits_term": "{term}: {first} to {last}, {workdays} working days, {n} visits; status {status}",
        "sort_hint": "click a header to sort",
        "days_off": "number: researchers on site that day (click for the list); grey: days off (weekends, public holidays)",
    },
}
AREA_EN = {"城区": "urban", "镇区": "town", "乡村": "rural"}


def _asset(name: str) -> str:
    return files("assign.export").joinpath("report_assets", name).read_text(encoding="utf-8")


def _area(area: str, lang: str) -> str:
    return area if lang == "zh" else AREA_EN.get(area, area)


def _table(headers: list[str], rows: list[list[object]], cls: str = "", attrs: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        extra = f" {attrs[i]}" if attrs else ""
        body.append(f"<tr{extra}>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


# ---------------------------------------------------------------------------------------- map
def map_svg(inputs: ReportInputs, lang: str) -> str:
    """The county: lines first (under the marks), then schools, bases and the office."""
    problem, plan, t = inputs.problem, inputs.plan, TEXT[lang]
    layout = map_layout(problem, plan, inputs.node_coords, inputs.base, inputs.base_problem)
    parts = [f'<svg id="county-map" viewBox="0 0 {MAP_WIDTH:g} {MAP_HEIGHT:g}" role="img" aria-label="{escape(t["map"])}">',
             f'<rect class="map-bg" width="{MAP_WIDTH:g}" height="{MAP_HEIGHT:g}"/>']
    parts.append('<g class="lines">')
    for line in layout.lines:
        cls = "pair-removed" if line.change == "removed" else "pair"
        (x1, y1), (x2, y2) = line.start, line.end
        parts.append(f'<line class="{cls} {line.change}" data-researcher="{escape(line.researcher_id)}" data-school="{escape(line.school_id)}" '
                     f'data-change="{line.change}" data-minutes="{line.minutes:g}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
    parts.append("</g><g class=\"schools\">")
    for s in problem.schools:
        if s.id not in layout.schools:
            continue
        x, y = layout.schools[s.id]
        title = f"{s.name}（{_area(s.area, lang)}，{s.township}）" if lang == "zh" else f"{s.name} ({_area(s.area, lang)}, {s.township})"
        parts.append(f'<circle class="school" data-school="{escape(s.id)}" data-area="{escape(s.area)}" data-priority="{s.priority}" '
                     f'data-stages="{escape(" ".join(s.stages))}" cx="{x}" cy="{y}" r="{PRIORITY_RADIUS.get(s.priority, 4.0):g}" '
                     f'fill="{AREA_COLOURS.get(s.area, "#7f8c8d")}"><title>{escape(title)}</title></circle>')
    parts.append("</g><g class=\"starts\">")
    for key, (x, y) in layout.bases.items():
        parts.append(f'<rect class="base" data-base="{escape(key)}" data-x="{x}" data-y="{y}" x="{x - 4}" y="{y - 4}" width="8" height="8">'
                     f'<title>{escape(t["base"])} {escape(key)}</title></rect>')
    if layout.office is not None:
        x, y = layout.office
        # A five-pointed star: ten points, alternating outer and inner radius, starting at the top.
        angles = [math.pi / 5 * k - math.pi / 2 for k in range(10)]
        star = " ".join(f"{x + r * math.cos(a):.1f},{y + r * math.sin(a):.1f}" for a, r in zip(angles, [11, 4.5] * 5, strict=True))
        parts.append(f'<polygon class="office" data-x="{x}" data-y="{y}" points="{star}">'
                     f'<title>{escape(problem.scenario.office.name)}</title></polygon>')
    parts.append("</g></svg>")
    return "".join(parts)


def _legend(inputs: ReportInputs, lang: str) -> str:
    t = TEXT[lang]
    items = [f'<span><i class="dot" style="background:{c}"></i>{escape(_area(a, lang))}</span>' for a, c in AREA_COLOURS.items()]
    items += [f'<span><i class="dot" style="width:{2 * r:g}px;height:{2 * r:g}px"></i>{escape(t["priority"])} {p}</span>'
              for p, r in PRIORITY_RADIUS.items()]
    items.append(f'<span><i class="star">★</i>{escape(t["office"])}</span><span><i class="sq"></i>{escape(t["base"])}</span>')
    if inputs.base is not None:
        items.append(f'<span><i class="ln added"></i>{escape(t["added"])}</span><span><i class="ln removed"></i>{escape(t["removed"])}</span>'
                     f'<span><i class="ln"></i>{escape(t["kept"])}</span>')
    return f'<div class="legend">{"".join(items)}<span class="muted">{escape(t["legend_lines"])}</span></div>'


def _filters(problem: Problem, lang: str) -> str:
    t = TEXT[lang]
    subjects = sorted({x for r in problem.researchers for x in r.subjects})
    stages = [x for x in ("学前", "小学", "初中", "高中", "特教") if any(x in r.stages for r in problem.researchers)]

    def select(name: str, label: str, values: list[str]) -> str:
        options = f'<option value="">{escape(t["all"])}</option>' + "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        return f'<label>{escape(label)} <select id="filter-{name}">{options}</select></label>'

    people = "".join(f'<option value="{escape(r.id)}">{escape(r.name)}（{escape("、".join(r.subjects))}）</option>' for r in problem.researchers)
    pick = f'<label>{escape(t["researcher"])} <select id="pick-researcher"><option value="">—</option>{people}</select></label>'
    return (f'<div class="filters">{select("subject", t["subject"], subjects)}{select("stage", t["stage"], stages)}{pick}'
            f'<button type="button" id="filter-clear">{escape(t["clear"])}</button></div>')


# ---------------------------------------------------------------------------------------- blocks
def _kpi_block(plan: Plan, lang: str) -> str:
    t = TEXT[lang]
    cards = [f'<div class="kpi" data-kpi="{escape(k)}"><b>{escape(str(plan.kpis[k]))}</b><span>{escape(_kpi_label(k, lang))}</span></div>'
             for k in kpi_keys(plan.kpis)]
    gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
    cards += [f'<div class="kpi"><b>{escape(plan.status)}</b><span>{escape(t["status"])}</span></div>',
              f'<div class="kpi"><b>{escape(gap)}</b><span>{escape(t["gap"])}</span></div>']
    return (f'<div class="kpis">{"".join(cards)}</div>'
            f'<p class="muted">{escape(t["mode"])}: {escape(plan.mode)} · {escape(t["travel"])}: {escape(plan.travel_method)}</p>')


def _objective_block(plan: Plan, lang: str) -> str:
    t = TEXT[lang]
    terms = _table([t["term"], t["label"], t["sense"], t["value"], t["rank"], t["weight"]],
                   [[x.name, x.label, x.sense, f"{x.value:g}", x.rank, f"{x.weight:g}"] for x in plan.terms], "data")
    passes = _table([t["pass"], t["status"], t["value"], t["bound"], t["gap"], t["seconds"]],
                    [[p.objective_name, p.status, "—" if p.objective is None else f"{p.objective:g}", "—" if p.bound is None else f"{p.bound:g}",
                      "—" if p.gap is None else f"{p.gap:.2%}",
                      t["with_pass"].format(n=plan.run_head(p)[0]) if p.joint_with else f"{p.seconds:.2f}"] for p in plan.passes], "data")
    bars = _terms_chart(plan)
    return terms + bars + passes


def _terms_chart(plan: Plan) -> str:
    """Each objective term as a bar scaled to the largest, so their sizes can be compared at a glance."""
    if not plan.terms:
        return ""
    top = max(abs(x.value) for x in plan.terms) or 1.0
    h = 22 * len(plan.terms) + 6
    rows = []
    for i, x in enumerate(sorted(plan.terms, key=lambda x: x.rank)):
        w = 380 * abs(x.value) / top
        y = 4 + 22 * i
        rows.append(f'<text x="200" y="{y + 13}" text-anchor="end">{escape(x.label or x.name)}</text>'
                    f'<rect class="bar {x.sense}" x="206" y="{y}" width="{w:.1f}" height="16"/>'
                    f'<text x="{210 + w:.1f}" y="{y + 13}">{x.value:g}</text>')
    return f'<svg class="chart" viewBox="0 0 660 {h}" data-chart="terms">{"".join(rows)}</svg>'


def _findings_block(inputs: ReportInputs, lang: str) -> str:
    t = TEXT[lang]
    findings = list(inputs.plan.findings) + (list(inputs.visits.findings) if inputs.visits is not None else [])
    if not findings:
        return f'<p class="ok" data-findings="0">✓ {escape(t["clean"])}</p>'
    items = "".join(f'<li class="{f.severity}"><b>[{escape(f.severity)}] [{escape(f.policy)}]</b> {escape(f.message)}</li>' for f in findings)
    return f'<p data-findings="{len(findings)}">{escape(t["findings"])}: {len(findings)}</p><ul class="findings">{items}</ul>'


def _exceptions_block(problem: Problem, plan: Plan, lang: str) -> str:
    """The exceptions the plan was granted, with why, and the priority schools it leaves without a researcher, with why."""
    t = TEXT[lang]
    out = []
    if plan.exceptions:
        total = sum(e.severity for e in plan.exceptions)
        out.append(f'<p data-exceptions="{len(plan.exceptions)}">{escape(t["granted_title"].format(n=len(plan.exceptions), total=total))}</p>')
        out.append(_table(EXCEPTION_HEADERS[lang], exception_rows(problem, plan), "data exceptions"))
    else:
        out.append(f'<p data-exceptions="0">{escape(t["no_exceptions"])}</p>')
    rows = uncovered_rows(problem, plan)
    weak = [row for row in rows if row[6] > 1]
    out.append(f"<h3>{escape(t['uncovered'])}</h3>")
    out.append(_table(UNCOVERED_HEADERS[lang], weak, "data uncovered") if weak else f"<p>{escape(t['all_priority_covered'])}</p>")
    if len(rows) > len(weak):
        out.append(f'<p class="muted">{escape(t["other_uncovered"].format(n=len(rows) - len(weak)))}</p>')
    return "".join(out)


def _changes_block(inputs: ReportInputs, lang: str) -> str:
    t, plan, base = TEXT[lang], inputs.plan, inputs.base
    assert base is not None
    diff = changes(plan, base)
    who = inputs.base_problem or inputs.problem

    def names(pair: tuple[str, str], problem: Problem) -> list[object]:
        rid, sid = pair
        r, s = problem.researcher.get(rid), problem.school.get(sid)
        return [r.name if r else rid, s.name if s else sid]

    out = [f'<p>{escape(t["base_plan"])}: {escape(base.scenario)} · <span class="added">+{len(diff.added)} {escape(t["added"])}</span> · '
           f'<span class="removed">−{len(diff.removed)} {escape(t["removed"])}</span></p>']
    if not diff.added and not diff.removed:
        out.append(f"<p>{escape(t['no_change'])}</p>")
    if diff.added:
        out.append(f"<h3>{escape(t['added'])}</h3>" + _table([t["researcher"], t["school"]], [names(p, inputs.problem) for p in diff.added],
                                                             "data added"))
    if diff.removed:
        out.append(f"<h3>{escape(t['removed'])}</h3>" + _table([t["researcher"], t["school"]], [names(p, who) for p in diff.removed], "data removed"))
    if diff.kpis:
        out.append(_table([t["kpi"], t["before"], t["after"]], [[_kpi_label(k, lang), b, a] for k, b, a in diff.kpis], "data"))
    return "".join(out)


# ---------------------------------------------------------------------------------------- charts
def _hbar_chart(kind: str, rows: list[tuple[str, float, float | None, str]], width: int = 660) -> str:
    """Horizontal bars: (label, value, optional total behind it, text at the bar's end)."""
    top = max([max(v, tot or 0) for _, v, tot, _ in rows] + [1e-9])
    h = 18 * len(rows) + 6
    parts = []
    for i, (label, value, total, text) in enumerate(rows):
        y = 4 + 18 * i
        if total is not None:
            parts.append(f'<rect class="bar total" x="126" y="{y}" width="{420 * total / top:.1f}" height="13"/>')
        w = 420 * value / top
        parts.append(f'<text x="120" y="{y + 11}" text-anchor="end">{escape(label)}</text>'
                     f'<rect class="bar" x="126" y="{y}" width="{w:.1f}" height="13"/>'
                     f'<text x="{130 + max(w, 420 * (total or 0) / top):.1f}" y="{y + 11}">{escape(text)}</text>')
    return f'<svg class="chart" viewBox="0 0 {width} {h}" data-chart="{kind}">{"".join(parts)}</svg>'


def _area_chart(problem: Problem, plan: Plan, lang: str) -> str:
    """Grouped columns per area: schools, schools covered, pairs."""
    t = TEXT[lang]
    split = area_split(problem, plan)
    top = max([max(n, c, k) for _, n, c, k in split] + [1])
    parts, series = [], [(t["schools"], "s1"), (t["covered"], "s2"), (t["contacts"], "s3")]
    for i, (area, n, c, k) in enumerate(split):
        x0 = 40 + 200 * i
        for j, value in enumerate((n, c, k)):
            hgt = 150 * value / top
            x = x0 + 44 * j
            parts.append(f'<rect class="col {series[j][1]}" data-area="{escape(area)}" x="{x}" y="{170 - hgt:.1f}" width="38" height="{hgt:.1f}"/>'
                         f'<text x="{x + 19}" y="{165 - hgt:.1f}" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{x0 + 63}" y="188" text-anchor="middle">{escape(_area(area, lang))}</text>')
    legend = "".join(f'<rect class="col {cls}" x="{40 + 150 * j}" y="198" width="10" height="10"/>'
                     f'<text x="{54 + 150 * j}" y="207">{escape(name)}</text>'
                     for j, (name, cls) in enumerate(series))
    return f'<svg class="chart" viewBox="0 0 660 214" data-chart="area">{"".join(parts)}{legend}</svg>'


def _charts_block(inputs: ReportInputs, lang: str) -> str:
    t, problem, plan = TEXT[lang], inputs.problem, inputs.plan
    travel = [(problem.researcher[rid].name, minutes, None, f"{minutes:g}（{n}）" if lang == "zh" else f"{minutes:g} ({n})")
              for rid, minutes, n in travel_per_researcher(problem, plan)]
    township = [(name, hit, total, f"{hit}/{total}") for name, hit, total in coverage_by_township(problem, plan)]
    return (f'<div class="charts"><figure><figcaption>{escape(t["travel_chart"])}</figcaption>{_hbar_chart("travel", travel)}</figure>'
            f'<figure><figcaption>{escape(t["township_chart"])}</figcaption>{_hbar_chart("township", township)}</figure>'
            f'<figure><figcaption>{escape(t["area_chart"])}</figcaption>{_area_chart(problem, plan, lang)}</figure></div>')


# ---------------------------------------------------------------------------------------- roster, calendar
def _roster_block(problem: Problem, plan: Plan, lang: str) -> str:
    rows = roster_rows(problem, plan, lang)
    attrs = [f'data-researcher="{escape(r.researcher_id)}" data-school="{escape(r.school_id)}"' for r in rows]
    return f'<p class="muted">{escape(TEXT[lang]["sort_hint"])}</p>' + _table(HEADERS[lang], [r.cells for r in rows], "data sortable", attrs)


def _month_view(problem: Problem, visits: VisitPlan, workdays: tuple[dt.date, ...], lang: str) -> str:
    """One calendar per month: each day shaded by how many researchers are out; days off greyed."""
    t = TEXT[lang]
    workdays = set(workdays)
    per_day: dict[dt.date, list[tuple[str, str]]] = defaultdict(list)
    for v in visits.visits:
        for d in v.days:
            per_day[d].append((v.researcher_id, v.school_id))
    top = max((len(x) for x in per_day.values()), default=1)
    head = "".join(f"<th>{escape(c)}</th>" for c in t["weekdays"])
    blocks = []
    month = visits.first.replace(day=1)
    while month <= visits.last:
        cells = ["<td></td>"] * month.weekday()
        d = month
        while d.month == month.month:
            who = per_day.get(d, [])
            in_term = visits.first <= d <= visits.last
            # Without the working days (a report built by hand), weekends stand in for days off.
            off = d not in workdays if workdays else d.weekday() >= 5
            cls = " ".join(x for x in ("off" if off else "", "out" if not in_term else "") if x)
            if who:
                cls = f"{cls} busy"
                tip = "\n".join(f"{problem.researcher[r].name} → {problem.school[s].name}" for r, s in who)
                shade = 0.15 + 0.75 * len(who) / top
                cells.append(f'<td class="{cls.strip()}" data-date="{d}" data-visits="{len(who)}" title="{escape(tip)}" style="--shade:{shade:.2f}">'
                             f'<span class="d">{d.day}</span><span class="n">{len(who)}</span></td>')
            else:
                attr = f' class="{cls}"' if cls else ""
                cells.append(f'<td{attr} data-date="{d}"><span class="d">{d.day}</span></td>')
            d += dt.timedelta(days=1)
        cells += ["<td></td>"] * ((7 - len(cells) % 7) % 7)
        weeks = "".join("<tr>" + "".join(cells[i:i + 7]) + "</tr>" for i in range(0, len(cells), 7))
        caption = t["month"].format(y=month.year, m=month.month)
        blocks.append(f'<table class="month"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{weeks}</tbody></table>')
        month = d
    summary = t["visits_term"].format(term=visits.term, first=visits.first, last=visits.last, workdays=visits.workdays,
                                      n=len(visits.visits), status=visits.status)
    return f'<p>{escape(summary)}</p><p class="muted">{escape(t["days_off"])}</p><div class="months">{"".join(blocks)}</div>'


# ---------------------------------------------------------------------------------------- data for the script
def _page_data(inputs: ReportInputs, lang: str) -> dict:
    """What the side panel shows, keyed by id: the script reads it, never the network."""
    problem, plan, t = inputs.problem, inputs.plan, TEXT[lang]
    before = inputs.base.pair_set() if inputs.base is not None else None
    researchers: dict[str, dict] = {}
    for r in problem.researchers:
        start = problem.travel.start_of.get(r.id)
        researchers[r.id] = {"name": r.name, "subjects": list(r.subjects), "stages": list(r.stages), "kind": r.kind,
                             "start": t["office"] if start in (None, "office") else f'{t["base"]} {start}', "schools": []}
    schools = {s.id: {"name": s.name, "area": _area(s.area, lang), "township": s.township, "priority": s.priority,
                      "stages": list(s.stages), "researchers": []} for s in problem.schools}
    for a in plan.pairs:
        change = "kept" if before is None or (a.researcher_id, a.school_id) in before else "added"
        researchers[a.researcher_id]["schools"].append([a.school_id, a.minutes, change])
        schools[a.school_id]["researchers"].append([a.researcher_id, a.minutes, change])
    if inputs.base is not None:
        now = plan.pair_set()
        for a in inputs.base.pairs:
            if (a.researcher_id, a.school_id) not in now and a.researcher_id in researchers and a.school_id in schools:
                researchers[a.researcher_id]["schools"].append([a.school_id, a.minutes, "removed"])
                schools[a.school_id]["researchers"].append([a.researcher_id, a.minutes, "removed"])
    visits: dict[str, list] = defaultdict(list)
    if inputs.visits is not None:
        for v in sorted(inputs.visits.visits, key=lambda v: v.first):
            visits[v.researcher_id].append([v.school_id, str(v.first), len(v.days)])
    labels = {k: t[k] for k in ("researchers_of", "schools_of", "none", "minutes", "visit_dates", "added", "removed", "area",
                                "township", "priority", "stages", "subject", "base", "office")}
    return {"lang": lang, "text": labels, "researchers": researchers, "schools": schools, "visits": visits}


# Names are data in the page's data block too: "</script" would end the block early and "<!--" can make
# the HTML parser run past its end, so no "<" (nor ">", "&") stays in it; "\u003c" reads the same to JSON.parse.
JSON_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_SCRIPT_ESCAPES)
    return f'<script type="application/json" id="report-data">{text}</script>'


def _progress_block(problem: Problem, progress: Progress) -> str:
    """The visit record against the targets, as `assign progress` prints it (kept small: the same wide table)."""
    return (f'<p class="muted">{escape(progress_heading(progress))}</p><p class="muted">{escape(progress_legend())}</p>'
            + _table(progress_headers(), wide_rows(problem, progress), "roster"))


# ---------------------------------------------------------------------------------------- page
def render_report(inputs: ReportInputs, lang: str = "zh") -> str:
    """The whole page as one string."""
    problem, plan, t = inputs.problem, inputs.plan, TEXT[lang]
    sections = [
        ("map", t["map"], f'<div class="map-wrap"><div class="map-col">{_filters(problem, lang)}{map_svg(inputs, lang)}{_legend(inputs, lang)}</div>'
                          f'<aside id="panel" aria-live="polite"><p class="muted">{escape(t["panel_hint"])}</p></aside></div>'),
        ("kpis", t["kpis"], _kpi_block(plan, lang)),
        ("objective", t["objective"], _objective_block(plan, lang)),
        ("audit", t["audit"], _findings_block(inputs, lang)),
        ("exceptions", t["exceptions"], _exceptions_block(problem, plan, lang)),
    ]
    if inputs.base is not None:
        sections.append(("changes", t["changes"], _changes_block(inputs, lang)))
    sections += [
        ("charts", t["charts"], _charts_block(inputs, lang)),
        ("roster", t["roster"], _roster_block(problem, plan, lang)),
        ("calendar", t["calendar"], _month_view(problem, inputs.visits, inputs.workdays, lang) if inputs.visits is not None
                                    else f'<p class="muted">{escape(t["no_calendar"])}</p>'),
    ]
    if inputs.progress is not None:
        sections.append(("progress", _("Visit record: progress"), _progress_block(problem, inputs.progress)))
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title, _html in sections)
    body = "".join(f'<section id="{key}"><h2>{escape(title)}</h2>{html}</section>' for key, title, html in sections)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(plan.title)}</title>'
            f"<style>{_asset('report.css')}</style></head><body>"
            f'<header><h1>{escape(plan.title)}</h1><p class="muted">{escape(plan.scenario)} · {escape(plan.contact_period)} · '
            f'{escape(t["status"])} {escape(plan.status)}</p><nav>{nav}</nav></header><main>{body}</main>'
            f"{json_script(_page_data(inputs, lang))}<script>{_asset('report.js')}</script></body></html>\n")


def write_report(inputs: ReportInputs, target: Path, lang: str = "zh") -> Path:
    """Write the report atomically; return its path."""
    target = Path(target)
    write_text(target, render_report(inputs, lang))
    return target
