"""`assign check`: audit a roster someone made (by hand, or an old plan) against a scenario.

The roster is read back as a person reads it: by the names (教研员 / 联系学校, the first sheet that has
them, below its title row), checked against the ids (工号 / 学校代码) where the file has both; a file with
ids only (the 编号 sheet, researcher_id / school_id) by the ids. Other columns are ignored. Every policy's audit then checks it as it
would check a solved plan, and `term_values` scores it with the model's own objective terms so it
can be compared with the optimum. When the scenario relaxes (`on_infeasible: relax`), the roster is
granted the fewest exceptions that its pairs need (`granted_exceptions`): an audit finding they
cover is reported as granted, and their count stands beside the optimum's.
"""

from __future__ import annotations

from pathlib import Path

from assign.audit import audited
from assign.errors import CellProblem, InputError
from assign.inputs.tables import MissingColumns, Table, read_table
from assign.kpi import compute_kpis
from assign.locale import N_, _
from assign.modeling import build_model
from assign.models import cell_text
from assign.plan import Plan, RuleException
from assign.problem import Problem
from assign.solver.cpsat import fixed_solve
from assign.vocab import did_you_mean, tidy_spaces

ROSTER_COLUMNS = {"researcher_id": ("researcher_id", "工号"), "school_id": ("school_id", "学校代码"),
                  "researcher_name": ("researcher", "教研员", "姓名", "教研员姓名"), "school_name": ("school", "联系学校", "学校名称")}
BY_ID, BY_NAME = ("researcher_id", "school_id"), ("researcher_name", "school_name")
UNASSIGNED_WORDS = ("（未安排）", "(none)", "未安排")
AMBIGUOUS = N_("have this name")  # what marks a name several people share (read those rows by their ids instead)


def read_roster_table(path: Path, by_names: bool = True) -> Table:
    """The roster's table: the first sheet (below its title row) with the names a person reads (教研员, 联系学校),
    else the first with the ids (工号, 学校代码), as on the 编号 sheet of our roster.xlsx; without `by_names`,
    the ids first (names mean nothing without the scenario that has them)."""
    first, then = (BY_NAME, BY_ID) if by_names else (BY_ID, BY_NAME)
    try:
        return read_table(path, ROSTER_COLUMNS, first, any_sheet=True)
    except MissingColumns:
        return read_table(path, ROSTER_COLUMNS, then, any_sheet=True)


def read_roster(problem: Problem | None, path: str | Path) -> list[tuple[str, str]]:
    """The (researcher, school) pairs of a roster file; rows without a school (未安排) are skipped.

    A roster with names is read by the names (what a person edits), checked against the ids when it has
    both: a row whose name and id disagree is an error naming both. With a problem, unknown names and ids
    are errors naming the row, with the closest names, all of them together; without one (a re-plan,
    which treats ids a what-if removed as forced changes) a roster is read by its ids where it has them.
    """
    table = read_roster_table(Path(path), by_names=problem is not None)
    try:
        return roster_pairs(problem, table)
    except InputError as exc:
        # Two people of one name on the printable sheet, and the ids on another (our roster.xlsx): read those.
        if problem is None or not all(_(AMBIGUOUS) in p.expected for p in exc.problems) or "researcher_id" in table.headers:
            raise
    by_ids = read_roster_table(Path(path), by_names=False)
    if "researcher_id" not in by_ids.headers:
        return roster_pairs(problem, table)
    return roster_pairs(problem, by_ids)


def roster_pairs(problem: Problem | None, table: Table) -> list[tuple[str, str]]:
    """The pairs of a roster table read by `read_roster_table` (see `read_roster`)."""
    if problem is None and "researcher_id" not in table.headers:
        raise InputError.at(table.where, None, None, None, _("a roster of names only: a re-plan (--from) reads the 工号 and 学校代码 "
                                                             "columns, which it lacks; add them, or give the plan.json"))
    pairs, problems = [], []
    first_row: dict[tuple[str, str], int] = {}
    where = table.where
    for row in table.rows:
        ids = [cell_text(row.values.get(k)) for k in BY_ID]
        names = [tidy_spaces(cell_text(row.values.get(k)) or "", join_cjk=True) or None for k in BY_NAME]
        if names[1] in UNASSIGNED_WORDS:
            names[1] = ids[1] = None
        rid = _one(problem, table, where, row.number, "researcher", "researcher_id", "researcher_name", ids[0], names[0], problems)
        sid = _one(problem, table, where, row.number, "school", "school_id", "school_name", ids[1], names[1], problems)
        if rid is None:
            continue
        if sid is not None and (rid, sid) in first_row:
            problems.append(CellProblem(where, row.number, table.header("school_id" if ids[1] else "school_name"), sid,
                                        _("pair {rid}→{sid} repeated: already on row {value}").format(rid=rid, sid=sid, value=first_row[rid, sid])))
        elif sid is not None:
            first_row[rid, sid] = row.number
            pairs.append((rid, sid))
    if problems:
        raise InputError(problems)
    return pairs


def _one(problem: Problem | None, table: Table, where: str, number: int, kind: str, id_field: str, name_field: str,
         given_id: str | None, name: str | None, problems: list[CellProblem]) -> str | None:
    """The id a roster row means for a researcher or a school, from its name (checked against its id) or its id."""
    entities = (problem.researchers if kind == "researcher" else problem.schools) if problem is not None else ()
    by_id = {e.id: e for e in entities}
    words = ("工号", "教研员") if kind == "researcher" else ("学校代码", "学校")
    kind_word, kinds_word = (_("researcher"), _("researchers")) if kind == "researcher" else (_("school"), _("schools"))
    if problem is None or name is None:
        if given_id is None:
            if kind == "researcher":
                problems.append(CellProblem(where, number, table.header(id_field if id_field in table.headers else name_field), None,
                                            _("must not be empty")))
            return None
        if problem is not None and given_id not in by_id:
            problems.append(CellProblem(where, number, table.header(id_field), given_id,
                                        _("unknown {kind} id ({column}){did_you_mean}").format(kind=kind_word, column=words[0],
                                                                                               did_you_mean=did_you_mean(given_id, by_id))))
        return given_id
    named = [e.id for e in entities if tidy_spaces(e.name, join_cjk=True) == name]
    if given_id is not None:
        if given_id not in by_id:
            problems.append(CellProblem(where, number, table.header(id_field), given_id,
                                        _("unknown {kind} id ({column}){did_you_mean}").format(kind=kind_word, column=words[0],
                                                                                               did_you_mean=did_you_mean(given_id, by_id))))
            return None
        if given_id not in named:
            problems.append(CellProblem(where, number, table.header(name_field), name,
                                        _("{kind} {name} and {column} {id} ({id_name}) disagree: the name was changed, or the id; make them name "
                                          "the same {kind}")
                                        .format(kind=kind_word, name=repr(name), column=words[0], id=repr(given_id), id_name=by_id[given_id].name)))
            return None
        return given_id
    if len(named) == 1:
        return named[0]
    if named:
        problems.append(CellProblem(where, number, table.header(name_field), name,
                                    _("{n} {kinds} {ambiguous} ({ids}): add the {column} column")
                                    .format(n=len(named), kinds=kinds_word, ambiguous=_(AMBIGUOUS),
                                                                                                          ids=", ".join(named), column=words[0])))
    else:
        problems.append(CellProblem(where, number, table.header(name_field), name,
                                    _("no {kind} of this name in the scenario{did_you_mean}")
                                    .format(kind=kind_word, did_you_mean=did_you_mean(name, (e.name for e in entities)))))
    return None


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
