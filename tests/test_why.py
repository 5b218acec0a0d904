"""`assign explain`: what each pair earns, what holds it, and the best school instead."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import build, make_scenario, researcher, school, solve_det

from assign.analysis.why import explain_researcher, find_researcher
from assign.cli import main
from assign.errors import AssignError

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}}


def two_schools(tmp_path):
    """R1 must take two schools, urban and rural: U1 is the only urban one, V1 the nearer rural one."""
    return build(tmp_path, [researcher("R1", "张三", min_schools=2)],
                 [school("U1", area="城区"), school("V1", area="乡村", dlon=0.03), school("V2", area="乡村", dlon=0.06)],
                 POLICIES)


def test_each_pair_shows_its_terms_the_rules_holding_it_and_the_best_swap(tmp_path):
    problem = two_schools(tmp_path)
    plan = solve_det(problem)
    assert plan.findings == [] and plan.pair_set() == {("R1", "U1"), ("R1", "V1")}
    reasons = {r.school_id: r for r in explain_researcher(problem, plan, "R1")}
    # Dropping either pair leaves one school: school_count's audit objects, naming R1.
    for sid in ("U1", "V1"):
        assert [f.policy for f in reasons[sid].held_by] == ["school_count"]
        assert reasons[sid].earns["coverage.schools"] == 1
        assert reasons[sid].earns["travel.total_minutes"] < 0  # a pair costs travel
    # V1 could be swapped for the further V2 (still urban + rural): same coverage, more travel.
    alt = reasons["V1"].alternative
    assert alt is not None and alt.school_id == "V2"
    assert alt.changes["coverage.schools"] == 0 and alt.changes["travel.total_minutes"] > 0
    # U1 has no allowed swap: the only other schools are rural, and urban_rural_mix's audit refuses them.
    assert reasons["U1"].alternative is None


def test_researcher_by_name_and_unknown_ones(tmp_path):
    problem = two_schools(tmp_path)
    assert find_researcher(problem, "张三") == "R1"
    with pytest.raises(AssignError, match="'李四'"):
        find_researcher(problem, "李四")


def test_explain_command_prints_the_pairs(tmp_path):
    path = make_scenario(tmp_path / "s", [researcher("R1", "张三", min_schools=2)],
                         [school("U1", "城关小学", area="城区"), school("V1", "河口村小", area="乡村", dlon=0.03)],
                         POLICIES)
    result = CliRunner().invoke(main, ["explain", str(path), "张三", "--workers", "1", "--seed", "0"])
    assert result.exit_code == 0, result.output
    assert "城关小学" in result.stdout and "河口村小" in result.stdout and "[school_count]" in result.stdout


# --- swaps scored piece by piece (assign.solver.local_scores) ------------------------------------------

SMALL_COUNTY_POLICIES = {"stage_match": {}, "subject_match": {}, "max_travel": {"minutes": 90}, "school_count": {"min": 1, "max": 2},
                         "urban_rural_mix": {}, "coverage": {"priority_first": True, "max_researchers": 2}, "travel": {"weight": 0.2},
                         "fairness": {"worst_minutes": True}}


def small_county(tmp_path):
    """Four researchers of two subjects and stages, nine schools of both areas, two of them weak (优先级3):
    every objective term of the demo's policies, and the worst trip (one variable over every pair)."""
    researchers = [researcher("R1", "张三", min_schools=2), researcher("R2", "李四", subjects="语文"),
                   researcher("R3", "王五", stages="小学;初中"), researcher("R4", "赵六", subjects="语文", stages="初中")]
    schools = [school("U1", area="城区"), school("U2", area="城区", dlon=0.02, priority=3), school("U3", area="镇区", stages="初中", dlon=0.04),
               school("V1", area="乡村", dlon=0.05), school("V2", area="乡村", dlon=0.08, priority=3),
               school("V3", area="乡村", stages="初中", dlon=0.1), school("V4", area="乡村", dlat=0.06),
               school("V5", area="乡村", stages="小学;初中", dlat=-0.07), school("U4", area="城区", stages="初中", dlat=0.02)]
    return build(tmp_path, researchers, schools, SMALL_COUNTY_POLICIES)


@pytest.mark.parametrize("rid", ["R1", "R3"])
def test_swaps_scored_piece_by_piece_equal_the_solved_swapped_plans(tmp_path, rid):
    from assign.modeling import build_model
    from assign.solver.cpsat import fixed_solve, weighted_expr
    from assign.solver.local_scores import LocalScores

    problem = small_county(tmp_path)
    plan = solve_det(problem)
    assert plan.findings == []
    ctx = build_model(problem, explain=True)
    weighted = weighted_expr(ctx.terms)
    current = plan.pair_set()
    scores = LocalScores(ctx, current, weighted)
    assert scores.local
    mine = sorted(sid for r, sid in current if r == rid)
    options = sorted(sid for r, sid in ctx.x if r == rid and sid not in mine)
    assert mine and options
    compared = 0
    for sid in mine:
        for other in [None, *options]:  # None: the pair dropped, as "what it earns" scores it
            changes = {(rid, sid): 0} | ({(rid, other): 1} if other else {})
            swapped = (current - {(rid, sid)}) | ({(rid, other)} if other else set())
            solved = fixed_solve(ctx, swapped, None)
            expected = {t.name: solved.value(t.expr) for t in ctx.terms}
            assert scores.values(changes) == pytest.approx(expected), (sid, other)
            strict = scores.values(changes, strict=True)
            if strict is not None:  # a swap that keeps every rule: the same values
                assert strict == pytest.approx(expected), (sid, other)
            compared += 1
    assert compared == len(mine) * (len(options) + 1)


def test_a_swap_that_breaks_a_rule_has_no_strict_score(tmp_path):
    from assign.modeling import build_model
    from assign.solver.cpsat import weighted_expr
    from assign.solver.local_scores import LocalScores

    problem = two_schools(tmp_path)  # R1 needs two schools, urban and rural
    plan = solve_det(problem)
    assert plan.findings == [] and plan.pair_set() == {("R1", "U1"), ("R1", "V1")}
    ctx = build_model(problem, explain=True)
    scores = LocalScores(ctx, plan.pair_set(), weighted_expr(ctx.terms))
    assert scores.values({("R1", "U1"): 0, ("R1", "V2"): 1}, strict=True) is None  # two rural schools: urban_rural_mix
    assert scores.values({("R1", "U1"): 0}, strict=True) is None  # one school: school_count
    assert scores.values({("R1", "V1"): 0, ("R1", "V2"): 1}, strict=True) is not None


def test_a_model_that_cannot_be_read_piece_by_piece_is_scored_by_whole_solves(tmp_path):
    from assign.modeling import build_model
    from assign.solver.cpsat import weighted_expr
    from assign.solver.local_scores import LocalScores

    problem = two_schools(tmp_path)
    plan = solve_det(problem)
    assert plan.findings == []
    ctx = build_model(problem, explain=True)
    weighted = weighted_expr(ctx.terms)
    ctx.model.add_no_overlap([])  # a constraint kind whose variables local_scores does not read
    scores = LocalScores(ctx, plan.pair_set(), weighted)
    assert not scores.local
    swap = {("R1", "V1"): 0, ("R1", "V2"): 1}
    values = scores.values(swap)
    assert values["coverage.schools"] == scores.base["coverage.schools"]
    assert values["travel.total_minutes"] > scores.base["travel.total_minutes"]  # V2 lies further out
