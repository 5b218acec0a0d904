"""Re-planning from the plan in force: the stability policy, `--from`, and the local re-plan."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from conftest import audit_errors, hand_plan, make_scenario, policy, researcher, school, solve_det
from ortools.sat.python import cp_model

from assign import locale
from assign.analysis.replan import read_pairs, solve_from, with_previous
from assign.cli import main
from assign.load import load_scenario
from assign.modeling import build_model
from assign.solver.cpsat import fixed_solve, nearest_pairs, options_for, relinked, weighted_expr

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}, "stability": {}}


def county(tmp_path):
    """Two 小学 researchers and six 小学 schools, three urban and three rural, at growing distances.

    Each researcher takes at most two schools (one urban, one rural), so four schools are covered
    and two are left; a third researcher (the what-if) can take exactly those two without anyone
    else moving, so every pair a re-plan changes must be one the new person takes or frees.
    """
    return make_scenario(
        tmp_path / "base",
        [researcher("R1", "张三", subjects="数学"), researcher("R2", "李四", subjects="语文")],
        [school("U1", "城一小", area="城区", dlon=0.01), school("U2", "城二小", area="城区", dlon=-0.02),
         school("U3", "城三小", area="城区", dlat=0.03), school("V1", "甲村小", area="乡村", dlon=0.05),
         school("V2", "乙村小", area="乡村", dlon=-0.06), school("V3", "丙村小", area="乡村", dlat=0.07)],
        POLICIES,
        name="小县",
    )


def add_researcher(tmp_path, rid="R3", subjects="数学"):
    path = tmp_path / "whatif" / "add.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"extends": "../base/scenario.yaml", "name": "新增一人",
                                    "edits": {"researchers": {"add": [{"id": rid, "name": "王五", "subject": subjects, "stages": "小学"}]}}},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_a_one_researcher_addition_moves_only_the_pairs_the_new_person_takes_or_frees(tmp_path):
    base_plan = solve_det(load_scenario(county(tmp_path)))
    assert base_plan.status == "OPTIMAL" and base_plan.findings == []
    assert base_plan.kpis["schools_covered"] == 4
    problem, gone = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    assert gone == []
    plan = solve_from(problem, workers=1, seed=0)
    assert plan.status == "OPTIMAL" and plan.findings == []
    new_schools = {s for r, s in plan.pair_set() if r == "R3"}
    changed = plan.pair_set() ^ base_plan.pair_set()
    assert new_schools and all(r == "R3" or s in new_schools for r, s in changed)
    assert plan.kpis["schools_covered"] == 6  # coverage still comes first
    assert next(t.value for t in plan.terms if t.name == "stability.changed_pairs") == len(changed)


def test_the_local_re_plan_gives_the_same_plan_here_and_keeps_everyone_else_fixed(tmp_path):
    base_plan = solve_det(load_scenario(county(tmp_path)))
    problem, _ = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    full = solve_from(problem, workers=1, seed=0)
    local = solve_from(problem, local=True, workers=1, seed=0)
    assert local.status == "OPTIMAL" and local.findings == []
    assert local.pair_set() == full.pair_set()
    assert local.candidate_pairs < full.candidate_pairs  # the untouched researchers had only their own pairs


def test_the_local_re_plan_falls_back_to_the_full_one_when_a_rule_reaches_everyone(tmp_path):
    base_plan = solve_det(load_scenario(county(tmp_path)))
    path = tmp_path / "whatif" / "one.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Everyone may now take one school only: the kept pairs (two each) break the new rule.
    path.write_text(yaml.safe_dump({"extends": "../base/scenario.yaml", "policies": {"school_count": {"max": 1}}}), encoding="utf-8")
    problem, _ = with_previous(load_scenario(path), sorted(base_plan.pair_set()))
    plan = solve_from(problem, local=True, workers=1, seed=0)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert plan.pair_set() < base_plan.pair_set()  # each keeps one of their two schools: nothing added


def test_pairs_naming_removed_ids_are_set_aside_as_forced_changes(tmp_path):
    problem = load_scenario(county(tmp_path))
    moved, gone = with_previous(problem, [("R1", "U1"), ("R1", "X9"), ("R9", "U2")])
    assert moved.previous_pairs == (("R1", "U1"),)
    assert gone == [("R1", "X9"), ("R9", "U2")]


def test_a_cap_on_changes_is_audited_without_the_solver(tmp_path):
    problem, _ = with_previous(load_scenario(county(tmp_path)), [("R1", "U1"), ("R1", "V1")])
    stability, params = policy(problem, "stability")
    capped = params.model_copy(update={"max_changes": 1})
    assert stability.audit(problem, hand_plan(problem, [("R1", "U1"), ("R1", "V1")]), capped) == []
    findings = stability.audit(problem, hand_plan(problem, [("R1", "U2"), ("R1", "V1")]), capped)
    assert [f.message for f in findings] == [locale._("{dropped} pairs dropped and {added} added against the plan in force; "
                                                      "at most {n} changes allowed").format(dropped=1, added=1, n=1)]


def test_solve_from_a_saved_plan_and_from_a_roster_prints_the_changes(tmp_path):
    base = county(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(base), "-o", str(tmp_path / "out"), "--workers", "1", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(read_pairs(tmp_path / "out" / "roster.csv")) == len(read_pairs(tmp_path / "out" / "plan.json")) == 4
    for previous in ("plan.json", "roster.csv"):
        result = runner.invoke(main, ["solve", str(add_researcher(tmp_path)), "--from", str(tmp_path / "out" / previous),
                                      "--no-write", "--workers", "1", "-q"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "保留 4" in result.output and "取消 0" in result.output


def test_a_cap_on_changes_holds_in_the_solve(tmp_path):
    base_plan = solve_det(load_scenario(county(tmp_path)))
    path = add_researcher(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "policies: {stability: {max_changes: 1}}\n", encoding="utf-8")
    problem, _ = with_previous(load_scenario(path), sorted(base_plan.pair_set()))
    plan = solve_from(problem, workers=1, seed=0)
    assert plan.status == "OPTIMAL" and plan.findings == []
    assert len(plan.pair_set() ^ base_plan.pair_set()) == 1  # the newcomer must have a school, and may take only one


def test_local_without_from_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(county(tmp_path)), "--local", "--no-write"])
    assert result.exit_code == 2 and "--from" in result.output


def test_a_plan_in_force_a_change_broke_is_repaired_to_the_nearest_allowed_plan(tmp_path):
    # The newcomer needs a school (school_count.min 1), so the old pairs alone are no plan: the
    # start is the old pairs plus the fewest changes the rules need, never a start from scratch.
    base_plan = solve_det(load_scenario(county(tmp_path)))
    problem, _ = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    ctx = build_model(problem)
    options = options_for(problem, workers=1, seed=0)
    assert fixed_solve(ctx, base_plan.pair_set(), None) is None
    nearest = {pair for pair, value in nearest_pairs(ctx, base_plan.pair_set(), options, time_limit=10).items() if value}
    assert nearest > base_plan.pair_set() and len(nearest - base_plan.pair_set()) == 1
    assert {r for r, _ in nearest - base_plan.pair_set()} == {"R3"}


def test_the_stability_pass_runs_and_keeps_the_plan_in_force_when_the_passes_before_it_stop_early(tmp_path):
    # No search at all (deterministic time 0): every pass stops at once, and the re-plan is still the
    # repaired plan in force (the fewest changes), not the greedy plan of a cold start.
    base_plan = solve_det(load_scenario(county(tmp_path)))
    problem, _ = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    stopped = {"max_deterministic_time": 0.0}
    warm = solve_from(problem, workers=1, seed=0, parameters=stopped)
    cold = solve_det(problem.model_copy(update={"previous_pairs": ()}), parameters=stopped)
    assert warm.solved and audit_errors(warm) == [] and audit_errors(cold) == []
    assert [p.objective_name for p in warm.passes][-2:] == ["stability.changed_pairs", "travel.total_minutes"]
    changed = warm.pair_set() ^ base_plan.pair_set()
    assert warm.pair_set() >= base_plan.pair_set() and {r for r, _ in changed} == {"R3"}
    assert len(changed) <= len(cold.pair_set() ^ base_plan.pair_set())


def test_a_full_re_plan_starts_from_the_local_one_says_so_and_reaches_the_fresh_coverage(tmp_path):
    base_plan = solve_det(load_scenario(county(tmp_path)))
    problem, _gone = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    fresh = solve_det(problem.model_copy(update={"previous_pairs": ()}))
    said: list[str] = []
    full = solve_from(problem, workers=1, seed=0, pass_gap=0.0, progress=said.append)
    assert locale._("the local re-plan first (only the researchers the change touches move): the full re-plan starts from it") in said
    coverage = [p.objective_name for p in fresh.passes if p.objective_name.startswith("coverage.")]
    # The coverage terms rank before the changes, so their optimum is the fresh solve's.
    assert [(p.objective_name, p.objective) for p in full.passes if p.objective_name in coverage] == \
        [(p.objective_name, p.objective) for p in fresh.passes if p.objective_name in coverage]
    assert full.status == "OPTIMAL" and audit_errors(full) == []
    assert len(full.pair_set() ^ base_plan.pair_set()) <= len(fresh.pair_set() ^ base_plan.pair_set())


def test_the_next_pass_of_a_re_plan_starts_from_the_best_plan_between_where_the_pass_started_and_where_it_ended(tmp_path):
    """`relinked`: from the plan in force repaired (the fewest changes) and a plan as good on coverage that changes
    as much as it can, held at that coverage, the relinked plan keeps every x the two agree on and has the fewest
    changes any such plan has, no more than either."""
    base_plan = solve_det(load_scenario(county(tmp_path)))
    problem, _ = with_previous(load_scenario(add_researcher(tmp_path)), sorted(base_plan.pair_set()))
    ctx = build_model(problem)
    options = options_for(problem, workers=1, seed=0)
    every = weighted_expr(ctx.terms)
    start = fixed_solve(ctx, {p for p, v in nearest_pairs(ctx, base_plan.pair_set(), options, time_limit=10).items() if v}, every)
    terms = {t.name: t.expr for t in ctx.terms}
    changes, schools = terms["stability.changed_pairs"], terms["coverage.schools"]
    ctx.model.add(schools >= round(start.value(schools)))  # a pass's value, held for the passes after it
    ctx.model.maximize(changes)
    found = solve_one(ctx.model)
    assert found.value(changes) > start.value(changes) + 2
    best = relinked(ctx, start, found, changes, "min", options, time_limit=10)
    assert best is not None and best.value(schools) >= start.value(schools)
    agree = [var for var in ctx.x.values() if start.value(var) == found.value(var)]
    assert agree and len(agree) < len(ctx.x) and all(best.value(var) == start.value(var) for var in agree)
    assert best.value(changes) <= min(start.value(changes), found.value(changes))
    for var in agree:  # the fewest: no plan keeping what the two agree on has fewer changes at that coverage
        ctx.model.add(var == start.value(var))
    ctx.model.minimize(changes)
    assert solve_one(ctx.model).objective_value == best.value(changes)


def solve_one(model):
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver


def test_a_re_plan_on_a_scenario_that_keeps_nothing_of_the_plan_in_force_says_so(tmp_path):
    """Without `stability` the plan in force only starts the solve: `solve --from` warns, and names the fix."""
    base = county(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(base), "-o", str(tmp_path / "out"), "--workers", "1", "-q"]).exit_code == 0
    warning = locale._("no policy of {scenario} counts changes against the plan in force (add `stability: {{}}` under policies): "
                       "{plan} only starts the solve, and any pair may change")
    plan = tmp_path / "out" / "plan.json"
    bare = base.parent / "bare.yaml"
    bare.write_text(yaml.safe_dump({**(data := yaml.safe_load(base.read_text(encoding="utf-8"))),
                                    "policies": {k: v for k, v in data["policies"].items() if k != "stability"}},
                                   allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["solve", str(bare), "--from", str(plan), "--no-write", "--workers", "1", "-q"])
    assert result.exit_code == 0 and warning.format(scenario=bare, plan=plan) in result.output
    result = runner.invoke(main, ["solve", str(base), "--from", str(plan), "--no-write", "--workers", "1", "-q"])
    assert result.exit_code == 0 and "stability: {}" not in result.output
