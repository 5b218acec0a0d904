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
