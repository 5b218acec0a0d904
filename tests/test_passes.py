"""The lexicographic passes: how they share the time limit, what a pass that stops early hands on,
and that every printed figure is the plan's own value and the solver's bound."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import audit_errors, hand_plan, solve_det
from openpyxl import load_workbook
from ortools.sat.python import cp_model

from assign.analysis.replan import solve_from, with_previous
from assign.bench.generate import Size, generate
from assign.cli import main
from assign.export.terminal import passes_table
from assign.kpi import gap_stops, pass_label, quality_lines, suggested_time_limit
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan, SolvePass
from assign.solver import joint_passes
from assign.solver.cpsat import STATUS, PassWatch, gap, overall_gap, set_objective
from assign.solver.decompose import sub_problem
from assign.solver.passes import MIN_PASS_SECONDS, PASS_FLOOR, PASS_SHARE, pass_budget

# CP-SAT's deterministic time (one worker) stops a pass at the same point on every machine and
# load: this much proves the first pass of the small county and stops the later ones early.
STOPS_EARLY = {"max_deterministic_time": 0.02}


@pytest.mark.parametrize(("remaining", "left", "limit", "expected"), [
    (60.0, 1, 60.0, 60.0),     # the last pass takes whatever is left
    (60.0, 4, 60.0, 30.0),     # twice an even share of what is left
    (20.0, 3, 60.0, 5.0),      # …but each of the two later passes keeps its floor (half of 60 s / 4 passes)
    (5.0, 4, 60.0, MIN_PASS_SECONDS),  # out of time: every pass still runs, briefly
    (0.0, 1, 60.0, MIN_PASS_SECONDS),  # the last pass too
])
def test_a_pass_gets_a_share_of_what_is_left_and_leaves_the_later_passes_their_floor(remaining, left, limit, expected):
    assert PASS_FLOOR == 0.5 and PASS_SHARE == 2.0  # the rows above are computed with them
    assert pass_budget(remaining, left, 4, limit) == pytest.approx(expected)


@pytest.fixture(scope="module")
def small_county(tmp_path_factory) -> Path:
    """A generated 30 × 90 county (the demo's mix), lexicographic, its passes stopped early by deterministic time."""
    folder = tmp_path_factory.mktemp("small-county")
    path = generate(Size(1, 30, 90), 1, folder)
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario.update(objective="lexicographic", solver={"time_limit": 30, "workers": 1, "seed": 0, "parameters": STOPS_EARLY})
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stopped(small_county) -> Plan:
    return solve_det(load_scenario(small_county))


def term_value(plan: Plan, name: str) -> float:
    return next(t.value for t in plan.terms if t.name == name)


def test_a_pass_that_stops_early_hands_on_its_best_plan_and_every_later_pass_still_runs(stopped):
    assert stopped.solved and audit_errors(stopped) == []
    statuses = [p.status for p in stopped.passes]
    assert "FEASIBLE" in statuses and len(stopped.passes) == len(stopped.terms)  # every term got its pass
    assert stopped.status == "FEASIBLE"  # not OPTIMAL: some pass was not proven
    for p in stopped.passes:
        # The figure of each pass is the returned plan's value of its term, and the bound is on its right side.
        assert p.objective == term_value(stopped, p.objective_name)
        if p.bound is not None:
            sense = next(t.sense for t in stopped.terms if t.name == p.objective_name)
            assert (p.bound >= p.objective) if sense == "max" else (p.bound <= p.objective)
            assert p.gap == pytest.approx(abs(p.objective - p.bound) / max(1.0, abs(p.objective)))
        assert p.joint_with or (p.budget is not None and p.budget > 0)  # a pass run with an earlier one has its budget
        assert p.stop == (None if p.status == "OPTIMAL" else "limit")  # stopped by CP-SAT's deterministic time: its budget, as it were
    assert stopped.gap == overall_gap(stopped.passes) and stopped.gap is not None and stopped.gap > 0


def test_the_kpi_words_say_which_terms_are_proven_and_how_far_the_others_may_be(stopped):
    lines = dict(quality_lines(stopped))
    for p in stopped.passes:
        words = lines[pass_label(stopped, p.objective_name)]
        if p.status == "OPTIMAL":
            assert words == _("proven optimal")
        else:
            assert words == _("best found in {seconds} s, at most {gap} from the best possible").format(
                seconds=f"{p.seconds:.0f}", gap=f"{p.gap:.1%}")
    assert suggested_time_limit(stopped) > 30


def test_no_bound_means_no_gap_is_printed_rather_than_zero(small_county):
    # No search at all: every pass keeps the greedy start and CP-SAT bounded none of the coverage terms.
    plan = solve_det(load_scenario(small_county), parameters={"max_deterministic_time": 0.0})
    assert plan.solved and audit_errors(plan) == []
    assert plan.status == "FEASIBLE" and plan.gap is None
    unbounded = [p for p in plan.passes if p.bound is None]
    assert unbounded
    words = dict(quality_lines(plan))
    for p in unbounded:
        assert words[pass_label(plan, p.objective_name)] == _("best found in {seconds} s; no bound on the best possible is known").format(
            seconds=f"{p.seconds:.0f}")


def test_a_pass_settled_in_a_joint_run_is_told_with_the_runs_seconds_and_its_budget_counts_once(small_county):
    run = [SolvePass(objective_name="a", status="OPTIMAL", objective=3, bound=3, gap=0.0, seconds=2.4, budget=10.0),
           SolvePass(objective_name="b", status="FEASIBLE", objective=200, bound=201, gap=0.005, seconds=0.0, budget=0.0, joint_with="a"),
           SolvePass(objective_name="c", status="FEASIBLE", objective=50, bound=49, gap=0.02, seconds=0.0, budget=0.0, joint_with="a")]
    plan = hand_plan(load_scenario(small_county), [], passes=run, solver_settings={"time_limit": 30})
    assert [plan.run_head(p)[0] for p in run] == [1, 1, 1]
    words = dict(quality_lines(plan))
    assert words[pass_label(plan, "b")] == _("best found in {seconds} s, at most {gap} from the best possible").format(seconds="2", gap="0.5%")
    assert suggested_time_limit(plan) == 60  # 30 + 3 × the run's 10 s once, rounded up to ten
    assert _("with pass {n}").format(n=1) in passes_table(plan)


def test_solve_prints_the_plans_own_figures_and_writes_the_words_under_the_roster(small_county, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(small_county), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    plan = Plan.read(out / "plan.json")
    assert plan.status == "FEASIBLE" and audit_errors(plan) == []
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.split() and line.split()[0] in {
        p.objective_name for p in plan.passes}}
    for p in plan.passes:
        _name, status, value, bound, gap = rows[p.objective_name][:5]  # the pass table's row (printed after the terms table)
        assert status == p.status
        assert float(value) == p.objective == term_value(plan, p.objective_name)
        assert bound == ("—" if p.bound is None else f"{p.bound:g}")
        assert gap == ("—" if p.gap is None else f"{p.gap:.2%}")
    for _term, words in quality_lines(plan):
        assert words in result.output
    assert f"{suggested_time_limit(plan):g}" in result.output
    sheet = load_workbook(out / "roster.xlsx").worksheets[0]
    footer = [row[0] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)]
    for term, words in quality_lines(plan):
        assert f"说明：{term}：{words}" in footer


def _hard_knapsack() -> tuple:
    """A model CP-SAT does not prove at once: many items, several capacity rows, no presolve."""
    rng = random.Random(7)
    model = cp_model.CpModel()
    items = [model.new_bool_var(f"i{k}") for k in range(400)]
    for _row in range(12):
        model.add(sum(rng.randint(5, 60) * v for v in items) <= 2500)
    model.maximize(sum(rng.randint(10, 90) * v for v in items))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.cp_model_presolve = False
    return model, solver


def test_a_pass_that_has_had_its_share_stops_once_within_the_gap_and_says_feasible():
    model, solver = _hard_knapsack()
    solver.parameters.max_time_in_seconds = 60
    with PassWatch(solver, share=0.0, gap_limit=0.5) as watch:
        status = STATUS[solver.solve(model, watch)]
    assert watch.stopped_at is not None and status == "FEASIBLE"
    assert gap(solver.objective_value, solver.best_objective_bound) <= 0.5
    assert solver.wall_time < 30  # stopped by the watch, not by the limit


def test_a_pass_within_its_share_is_not_stopped_by_the_watch():
    model, solver = _hard_knapsack()
    solver.parameters.max_time_in_seconds = 0.5
    with PassWatch(solver, share=30.0, gap_limit=0.5) as watch:
        solver.solve(model, watch)
    assert watch.stopped_at is None  # its share is not over: the pass runs to its own limit


@pytest.fixture(scope="module")
def open_county(tmp_path_factory) -> Path:
    """The generated 30 × 90 county with the default solver settings: every pass proven."""
    folder = tmp_path_factory.mktemp("open-county")
    path = generate(Size(1, 30, 90), 1, folder)
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario.update(objective="lexicographic", solver={"time_limit": 60, "workers": 1, "seed": 0})
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_leading_passes_of_a_small_model_run_as_one_and_reach_the_values_of_one_by_one(open_county, monkeypatch):
    joint = solve_det(load_scenario(open_county), decompose=False)
    monkeypatch.setattr(joint_passes, "MAX_JOINT_PAIRS", 0)  # every pass its own run, as on a large model
    one_by_one = solve_det(load_scenario(open_county), decompose=False)
    assert [p.status for p in joint.passes] == [p.status for p in one_by_one.passes] == ["OPTIMAL"] * len(joint.passes)
    assert [(p.objective_name, p.objective) for p in joint.passes] == [(p.objective_name, p.objective) for p in one_by_one.passes]
    assert [p.joint_with for p in joint.passes[1:3]] == [joint.passes[0].objective_name] * 2  # the coverage terms, together
    assert joint.passes[-1].joint_with is None  # travel's range is too wide to join: its own run
    assert all(p.joint_with is None for p in one_by_one.passes)
    assert audit_errors(joint) == [] and audit_errors(one_by_one) == []


@pytest.fixture(scope="module")
def county_replan(open_county):
    """The open county's plan, and the county without its first researcher carrying that plan in force
    (with the stability policy, which counts the changes)."""
    scenario = yaml.safe_load(open_county.read_text(encoding="utf-8"))
    scenario["policies"]["stability"] = {}
    path = open_county.with_name("scenario-stability.yaml")
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problem = load_scenario(path)
    base = solve_det(problem, decompose=False)
    left = [r.id for r in problem.researchers[1:]]
    changed, _gone = with_previous(sub_problem(problem, left, [s.id for s in problem.schools]), sorted(base.pair_set()))
    return changed


def test_a_re_plan_joins_its_passes_into_runs_that_settle_each_term_as_one_by_one(county_replan, monkeypatch):
    exact = solve_from(county_replan, workers=1, seed=0, pass_gap=0.0)
    monkeypatch.setattr("assign.solver.passes.joinable", lambda pairs, replan: False)
    one_by_one = solve_from(county_replan, workers=1, seed=0, pass_gap=0.0)
    names = [p.objective_name for p in exact.passes]
    assert names[-2:] == ["stability.changed_pairs", "travel.total_minutes"]
    assert [p.joint_with for p in exact.passes] == [None, names[0], names[0], None, names[3]]  # coverage, then changes + travel
    assert all(p.joint_with is None for p in one_by_one.passes)
    # At a pass gap of 0 each run is solved to proof: every term at the value of the passes one by one.
    assert [(p.objective_name, p.status, p.objective) for p in exact.passes] == \
        [(p.objective_name, p.status, p.objective) for p in one_by_one.passes] == [(n, "OPTIMAL", p.objective) for n, p in zip(names, exact.passes)]
    assert audit_errors(exact) == [] and audit_errors(one_by_one) == []


def test_a_re_plan_run_stops_within_the_gap_of_its_last_term_with_every_earlier_term_proven(county_replan, monkeypatch):
    exact = {p.objective_name: p for p in solve_from(county_replan, workers=1, seed=0, pass_gap=0.0).passes}
    monkeypatch.setattr(joint_passes, "MAX_JOINT_PAIRS", 0)  # as on a large model: a re-plan's runs stop within the gap
    runs: list[tuple[str, float]] = []
    real = joint_passes.joint_weights
    monkeypatch.setattr("assign.solver.passes.joint_weights",
                        lambda ranges, gap=0.0, values=None: runs.append((len(ranges), gap)) or real(ranges, gap, values))
    plan = solve_from(county_replan, workers=1, seed=0, pass_gap=0.03)  # a wide gap, so a run stops before its proof
    assert runs and all(g == 0.03 for _n, g in runs)
    passes = plan.passes
    first_run = [p for p in passes if p.objective_name == passes[0].objective_name or p.joint_with == passes[0].objective_name]
    *settled, last = first_run
    assert settled  # a run: the coverage terms together
    for p in settled:  # proven within the slack: the value is the bound, and the optimum
        assert p.status == "OPTIMAL" and p.objective == p.bound == exact[p.objective_name].objective
    assert last.status == "FEASIBLE" and last.gap is not None and 0 < last.gap <= 0.03  # stopped before its proof
    assert last.bound >= exact[last.objective_name].objective >= last.objective  # a true bound on the term (maximised)
    assert plan.solved and audit_errors(plan) == []
    # It stopped because it was close enough, not for want of time: no longer limit is suggested, the pass gap is named.
    assert last.stop == "gap" and pass_label(plan, last.objective_name) in gap_stops(plan)
    assert suggested_time_limit(plan) is None or any(p.stop in ("limit", "share") for p in plan.passes)


def test_each_joint_weight_outweighs_everything_the_later_terms_can_change():
    model = cp_model.CpModel()
    a, b = model.new_int_var(0, 3, "a"), model.new_int_var(-5, 5, "b")
    c = [model.new_bool_var(f"c{k}") for k in range(4)]
    stages = [("first", a + c[0], "max"), ("second", 2 * b - c[1], "min"), ("third", sum(7 * v for v in c), "max")]
    ranges = joint_passes.expr_ranges(model, [e for _n, e, _s in stages])
    assert ranges == [4, 21, 28]
    assert joint_passes.joint_weights(ranges) == ([1 + 29 * 21 + 28, 29, 1], 0)
    # A re-plan's run stops within the gap of its last term: each weight outweighs the later ranges by that slack more.
    slack = 1  # ⌈0.01 × 28⌉
    assert joint_passes.joint_weights(ranges, 0.01) == ([1 + slack + (1 + slack + 28) * 21 + 28, 1 + slack + 28, 1], slack)
    # …and a term comes before another only when its gap is worth at most MAX_GAP_UNITS at the start's value:
    # a run proves it exactly, and the terms after it are bounded only as well as it is proven.
    assert joint_passes.MAX_GAP_UNITS == 2
    assert joint_passes.joint_weights(ranges, 0.01, [100, 5, 0])[0] == joint_passes.joint_weights(ranges, 0.01)[0]  # 1 and 0.05 units
    assert joint_passes.joint_weights(ranges, 0.01, [100, 500, 0]) == ([1 + 1 + 21, 1], 1)  # the second, 5 units: it ends the run
    assert joint_passes.joint_weights(ranges, 0.01, [1000, 5, 0]) == ([], 0)  # the first, 10 units: no run
    assert joint_passes.joint_weights(ranges, 0.0, [1000, 500, 0])[0] == joint_passes.joint_weights(ranges)[0]  # to proof: any term
    assert not joint_passes.joinable(joint_passes.MAX_JOINT_PAIRS + 1, replan=False)  # a large model: one run per pass
    assert joint_passes.joinable(joint_passes.MAX_JOINT_PAIRS + 1, replan=True)


@pytest.mark.parametrize("sense", ["max", "min"])
@pytest.mark.parametrize("kind", ["sum", "constant", "fractional"])
def test_an_objective_written_in_bulk_is_the_one_or_tools_writes(sense, kind):
    """`set_objective` writes the proto OR-Tools' own maximize/minimize writes (repeated variables merged,
    offsets, the sign of a maximum); a fractional expression goes the library's own way."""
    def model_and_expr():
        model = cp_model.CpModel()
        xs = [model.new_int_var(0, 3, f"x{i}") for i in range(6)]
        if kind == "constant":
            return model, 7
        if kind == "fractional":
            return model, 1.5 * xs[0] + xs[1]
        return model, sum((i % 3 + 1) * x for i, x in enumerate(xs)) + 2 * xs[0] - 5
    ours, expr = model_and_expr()
    set_objective(ours, expr, sense)
    theirs, expr = model_and_expr()
    (theirs.maximize if sense == "max" else theirs.minimize)(expr)
    assert str(ours.proto) == str(theirs.proto)
    solver = cp_model.CpSolver()
    assert solver.solve(ours) == cp_model.OPTIMAL
    expected = {"constant": 7, "sum": 3 * (2 * (1 + 2 + 3) + 2) - 5 if sense == "max" else -5, "fractional": 7.5 if sense == "max" else 0}
    assert solver.objective_value == expected[kind]
