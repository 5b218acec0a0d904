"""`assign check`: audit a roster someone made (by hand, or an old plan) against a scenario.

The roster is read back in the layout `assign.export.roster` writes (columns 工号 / 学校代码, or
researcher_id / school_id, on the first sheet that has them; other columns are ignored). Every policy's audit then checks it as it
would check a solved plan, and `term_values` scores it with the model's own objective terms so it
can be compared with the optimum. When the scenario relaxes (`on_infeasible: relax`), the roster is
granted the fewest exceptions that its pairs need (`granted_exceptions`): an audit finding they
cover is reported as granted, and their count stands beside the optimum's.
"""

from __future__ import annotations

from pathlib import Path

from assign.audit import audited
from assign.errors import CellProblem, InputError
from assign.inputs.tables import read_table
from assign.kpi import compute_kpis
from assign.modeling import build_model
from assign.models import cell_text
from assign.plan import Plan, RuleException
from assign.problem import Problem
from assign.solver.cpsat import fixed_solve

ROSTER_COLUMNS = {"researcher_id": ("researcher_id", "工号"), "school_id": ("school_id", "学校代码")}


def read_roster(problem: Problem | None, path: str | Path) -> list[tuple[str, str]]:
    """The (researcher, school) pairs of a roster file; rows without a school (未安排) are skipped.

    With a problem, unknown ids are errors naming the row, all of them together; without one
    (a re-plan, which treats ids a what-if removed as forced changes) only empty 工号 cells are.
    """
    table = read_table(Path(path), ROSTER_COLUMNS, tuple(ROSTER_COLUMNS), any_sheet=True)
    pairs, problems = [], []
    first_row: dict[tuple[str, str], int] = {}
    for row in table.rows:
        rid, sid = (cell_text(row.values.get(k)) for k in ("researcher_id", "school_id"))
        if rid is None:
            problems.append(CellProblem(str(path), row.number, table.header("researcher_id"), None, "must not be empty"))
            continue
        if problem is not None and rid not in problem.researcher:
            problems.append(CellProblem(str(path), row.number, table.header("researcher_id"), rid, "unknown researcher id (工号)"))
        if problem is not None and sid is not None and sid not in problem.school:
            problems.append(CellProblem(str(path), row.number, table.header("school_id"), sid, "unknown school id (学校代码)"))
        if sid is not None and (rid, sid) in first_row:
            problems.append(CellProblem(str(path), row.number, table.header("school_id"), sid,
                                        f"pair {rid}→{sid} repeated: already on row {first_row[rid, sid]}"))
        elif sid is not None:
            first_row[rid, sid] = row.number
            pairs.append((rid, sid))
    if problems:
        raise InputError(problems)
    return pairs


def plan_from_pairs(problem: Problem, pairs: list[tuple[str, str]], label: str = "roster") -> Plan:
    """A Plan holding the given pairs (minutes from the problem), the exceptions they need, its KPIs and its audit findings."""
    assignments = problem.assignments(pairs)
    exceptions = granted_exceptions(problem, pairs)
    plan = Plan(**problem.plan_header(), mode="weighted", status="FEASIBLE", pairs=assignments, exceptions=exceptions,
                kpis=compute_kpis(problem, assignments, exceptions), passes=[])
    return audited(problem, plan)


def granted_exceptions(problem: Problem, pairs: list[tuple[str, str]]) -> list[RuleException]:
    """The fewest exceptions (by severity) under which a relaxed scenario holds these pairs; none when
    the scenario does not relax, or a pair lies outside even the relaxed model (then every finding stays an error).

    Every requirement gets a literal, so a roster that also breaks a rule that may not bend is still
    scored: that rule's literal is left false (and its audit finding stays an error), the others as few as can be.
    """
    if not problem.relaxing:
        return []
    ctx = build_model(problem, explain=True)
    chosen = set(pairs)
    if not chosen <= set(ctx.x):
        return []
    solver = fixed_solve(ctx, chosen, -ctx.exceptions_expr(every_rule=True))
    return [] if solver is None else ctx.exceptions(solver.boolean_value)


def term_values(problem: Problem, pairs: list[tuple[str, str]]) -> dict[str, float] | None:
    """Each objective term's value for these fixed pairs, or None if a pair is outside the model.

    The model is built with enforcement literals left free, so a roster that breaks a hard rule is
    still scored; with x fixed, optimising every term at once gives each its true value because
    the terms' auxiliary variables only follow x.
    """
    ctx = build_model(problem, explain=True)
    chosen = set(pairs)
    if not chosen <= set(ctx.x):
        return None
    if not ctx.terms:
        return {}
    solver = fixed_solve(ctx, chosen, sum(t.expr if t.sense == "max" else -t.expr for t in ctx.terms))
    return None if solver is None else {t.name: solver.value(t.expr) for t in ctx.terms}
