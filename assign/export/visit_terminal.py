"""What the terminal shows of a term's visits: a list per researcher, or a month grid."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tabulate import tabulate

from assign.calendar.schedule import day_ranges
from assign.calendar.visits import VisitPlan
from assign.calendar.workdays import WEEKDAY_ZH, weekday_zh
from assign.export.activities import purpose
from assign.locale import _
from assign.problem import Problem


def researcher_list(problem: Problem, plan: VisitPlan) -> str:
    """One row per researcher: the dates and schools of their visits, and what each is for when it names more than a routine visit."""
    rows = []
    for r in problem.researchers:
        visits = plan.of_researcher(r.id)
        if visits:
            text = "；".join(f"{v.first.month}/{v.first.day}{weekday_zh(v.first)} {problem.school[v.school_id].name}"
                            + (f"（{purpose(v)}）" if v.activities else "") for v in visits)
            rows.append((r.name, "、".join(r.subjects), len(visits), text))
    return tabulate(rows, headers=[_("researcher"), _("subjects"), _("visits"), _("visit dates")], tablefmt="simple", disable_numparse=True)


def inspection_lines(problem: Problem, plan: VisitPlan) -> str:
    """The term's joint inspection days: school, day and team."""
    lines = [_("joint inspections: {n}").format(n=len(plan.inspections))]
    for j in plan.inspections:
        lines.append(f"  - {j.day}（{weekday_zh(j.day)}）{name_of(problem.school, j.school_id)}："
                     + "、".join(name_of(problem.researcher, r) for r in j.researcher_ids))
    return "\n".join(lines)


def change_lines(problem: Problem, plan: VisitPlan) -> str:
    """A re-plan's changes to future visits: moved, cancelled, added, each with why."""
    kinds = {"moved": _("moved"), "cancelled": _("cancelled"), "added": _("added")}
    counts = Counter(c.kind for c in plan.changes)
    head = _("re-planned from {today}: earlier visits kept; {moved} moved, {cancelled} cancelled, {added} added").format(
        today=plan.today, moved=counts["moved"], cancelled=counts["cancelled"], added=counts["added"])
    lines = [head]
    for c in plan.changes:
        who = f"{name_of(problem.researcher, c.researcher_id)}→{name_of(problem.school, c.school_id)} " + _("visit {n}").format(n=c.number)
        dates = f"{day_ranges(c.before) if c.before else '—'} → {day_ranges(c.after) if c.after else '—'}"
        lines.append(f"  - [{kinds[c.kind]}] {who}: {dates}")
        lines += [f"      {why}" for why in c.why]
    return "\n".join(lines)


def name_of(index: dict, key: str) -> str:
    """A researcher's or school's name, or its id when the scenario no longer has it (a dropped pair)."""
    return index[key].name if key in index else key


def month_grid(plan: VisitPlan) -> str:
    """Each month as a calendar: each day with visits shows how many researchers are out on site."""
    per_day = Counter(d for v in plan.visits for d in v.days)
    blocks = []
    day = plan.first.replace(day=1)
    while day <= plan.last:
        year, month = day.year, day.month
        weeks, week = [], [""] * 7
        d = day
        while d.month == month:
            mark = f"[{per_day[d]}]" if per_day.get(d) else ""
            week[d.weekday()] = f"{d.day:>2}{mark}"
            if d.weekday() == 6:
                weeks.append(week)
                week = [""] * 7
            d += dt.timedelta(days=1)
        if any(week):
            weeks.append(week)
        blocks.append(f"{year}年{month}月\n" + tabulate(weeks, headers=[f"周{c}" for c in WEEKDAY_ZH], tablefmt="simple", disable_numparse=True))
        day = d
    return "\n\n".join(blocks)
