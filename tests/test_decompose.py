"""Decomposition with every pass: parts solved to the end and merged, scheduled by size, and a part
that finds nothing keeping its greedy plan.

A tiny region of two county offices (generated, seed 3) splits into independent parts; every
solve uses one worker and seed 0 unless a test is about the workers a part gets, and every merged
plan is audited.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import audit_errors, solve_det

from assign.bench.generate import Size, generate
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan, SolvePass
from assign.solver.baseline import baseline_plan
from assign.solver.cpsat import SolveOptions
from assign.solver.decompose import (
    DOMINANT_SHARE,
    PART_FLOOR_SECONDS,
    SOLVER_FINDING,
    components,
    part_budget,
    solve_components,
    sub_problem,
)
from assign.solver.passes import solve

TWO_OFFICES = Size(counties=2, researchers=12, schools=40)


@pytest.fixture(scope="module")
def two_offices(tmp_path_factory) -> Path:
    return generate(TWO_OFFICES, seed=3, out=tmp_path_factory.mktemp("two-offices"))


def options(**changes) -> SolveOptions:
    return SolveOptions(**{"time_limit": 60.0, "workers": 1, "seed": 0, "log": False, "parameters": {}, **changes})


def test_each_part_runs_every_lexicographic_pass_and_the_merged_passes_equal_the_whole_models(two_offices):
    problem = load_scenario(two_offices)
    whole = solve_det(problem, mode="lexicographic", decompose=False)
    split = solve_det(problem, mode="lexicographic", decompose=True)
    assert split.solver_settings["decomposed"] >= 2
    assert audit_errors(whole) == audit_errors(split) == []
    assert [p.objective_name for p in split.passes] == [p.objective_name for p in whole.passes]
    assert len(split.passes) >= 3  # coverage's terms and travel: passes after the first ran in every part
    assert [p.status for p in split.passes] == ["OPTIMAL"] * len(whole.passes)
    assert [p.objective for p in split.passes] == pytest.approx([p.objective for p in whole.passes])
    assert [p.bound for p in split.passes] == pytest.approx([p.objective for p in whole.passes])
    assert {t.name: t.value for t in split.terms} == {t.name: t.value for t in whole.terms}


def test_a_merged_pass_is_the_sum_of_the_parts_values_in_their_final_plans(two_offices):
    problem = load_scenario(two_offices)
    parts = components(problem)
    alone = [solve_det(sub_problem(problem, rids, sids), mode="lexicographic", decompose=False) for rids, sids, _ in parts]
    split = solve_det(problem, mode="lexicographic")
    for index, merged in enumerate(split.passes):
        term = merged.objective_name
        assert merged.objective == pytest.approx(sum(next(t.value for t in p.terms if t.name == term) for p in alone))
        assert merged.bound == pytest.approx(sum(p.passes[index].bound for p in alone))


def unknown_for(researcher_id: str):
    """A part solve that ends UNKNOWN (nothing found) for the part holding `researcher_id`, and solves the others."""
    def part_solve(problem, **kwargs) -> Plan:
        plan = solve(problem, **kwargs)
        if researcher_id not in problem.researcher:
            return plan
        # As passes.solve leaves it when its first pass finds nothing: that one pass, UNKNOWN.
        passes = [SolvePass(objective_name=plan.passes[0].objective_name, status="UNKNOWN", objective=None, bound=None, gap=None,
                            seconds=0.0)]
        return plan.model_copy(update={"status": "UNKNOWN", "pairs": [], "terms": [], "exceptions": [], "passes": passes,
                                       "objective": None, "bound": None, "gap": None})
    return part_solve


@pytest.mark.parametrize("mode", ["lexicographic", "weighted"])
def test_an_unknown_part_keeps_its_greedy_plan_with_a_warning_and_the_other_parts_keep_theirs(two_offices, mode):
    problem = load_scenario(two_offices)
    parts = components(problem)
    failing = parts[1]  # not the first: the merged plan must keep the parts on either side
    rids, sids, _ = failing
    plan = solve_components(problem, parts, unknown_for(rids[0]), mode=mode, progress=None, baseline=True,
                            options=options(), started=time.perf_counter())
    assert plan.solved and audit_errors(plan) == []
    greedy = baseline_plan(sub_problem(problem, rids, sids))
    mine = set(rids)
    assert {p for p in plan.pair_set() if p[0] in mine} == greedy.pair_set()
    for other_rids, other_sids, _ in (p for p in parts if p is not failing):
        alone = solve_det(sub_problem(problem, other_rids, other_sids), mode=mode, decompose=False)
        assert {p for p in plan.pair_set() if p[0] in set(other_rids)} == alone.pair_set()
    warnings = [f for f in plan.findings if f.policy == SOLVER_FINDING]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert set(warnings[0].researchers) == mine
    assert "UNKNOWN" in warnings[0].message
    # The greedy part has no bound and proved nothing: no pass claims OPTIMAL, each is the plan's own value.
    whole = solve_det(problem, mode=mode, decompose=False)
    assert [p.objective_name for p in plan.passes] == [p.objective_name for p in whole.passes]
    assert all(p.status == "FEASIBLE" and p.bound is None for p in plan.passes)
    assert plan.status == "FEASIBLE"


def test_a_part_whose_greedy_plan_breaks_a_rule_leaves_the_solve_without_a_plan(two_offices, monkeypatch):
    problem = load_scenario(two_offices)
    parts = components(problem)
    monkeypatch.setattr("assign.solver.decompose.baseline_plan",
                        lambda part, seed=0: Plan(**part.plan_header(), mode="weighted", status="INFEASIBLE"))
    plan = solve_components(problem, parts, unknown_for(parts[1][0][0]), mode="lexicographic", progress=None, baseline=True,
                            options=options(), started=time.perf_counter())
    assert plan.status == "UNKNOWN" and plan.pairs == [] and plan.findings == []


def recording(calls: list):
    """A part solve that records (researchers, workers, time limit) of each call, in order."""
    def part_solve(problem, **kwargs) -> Plan:
        calls.append((frozenset(problem.researcher), kwargs["workers"], kwargs["time_limit"]))
        return solve(problem, **{**kwargs, "workers": 1})  # the result does not matter here; one worker keeps it quick
    return part_solve


def test_a_part_holding_most_pairs_is_solved_last_with_every_worker_and_the_others_with_one(two_offices):
    problem = load_scenario(two_offices)
    parts = components(problem)
    assert parts[0][2] >= DOMINANT_SHARE * sum(p[2] for p in parts)  # seed 3: one office has 60 of the 107 pairs
    calls: list = []
    plan = solve_components(problem, parts, recording(calls), mode="weighted", progress=None, baseline=True,
                            options=options(workers=2), started=time.perf_counter())
    assert plan.solver_settings["decomposed"] == len(parts)
    assert calls[-1][:2] == (frozenset(parts[0][0]), 2)
    assert [workers for _, workers, _ in calls[:-1]] == [1] * (len(parts) - 1)


def test_without_a_dominant_part_every_part_has_one_worker_largest_first(tmp_path):
    problem = load_scenario(generate(TWO_OFFICES, seed=4, out=tmp_path))
    parts = components(problem)
    assert parts[0][2] < DOMINANT_SHARE * sum(p[2] for p in parts)  # seed 4: parts of 32, 30 and 4 pairs
    calls: list = []
    solve_components(problem, parts, recording(calls), mode="weighted", progress=None, baseline=True,
                     options=options(workers=2), started=time.perf_counter())
    assert [researchers for researchers, _, _ in calls] == [frozenset(p[0]) for p in parts]
    assert {workers for _, workers, _ in calls} == {1}
    # Each part's time follows its share of the pairs: the largest is given the most.
    assert calls[0][2] >= calls[-1][2]


@pytest.mark.parametrize(
    ("left", "pairs", "open_pairs", "side_by_side", "expected"),
    [
        (60.0, 1_000, 10_000, 1, 18.0),  # a tenth of the pairs: three times its tenth of the time
        (60.0, 1_000, 10_000, 2, 36.0),  # two parts at a time: each may take twice as long
        (60.0, 9_000, 10_000, 1, 60.0),  # never more than the time left
        (60.0, 10, 10_000, 1, PART_FLOOR_SECONDS),  # a tiny part still gets the floor
        (0.5, 10, 10_000, 1, 0.5),  # ... but not past the limit
        (0.0, 1_000, 1_000, 1, 0.05),  # the limit spent: the least a solve can be given
    ],
)
def test_a_parts_budget_follows_its_share_of_the_pairs(left, pairs, open_pairs, side_by_side, expected):
    assert part_budget(left, pairs, open_pairs, side_by_side) == pytest.approx(expected)


def test_the_fallback_warning_is_a_translated_sentence_naming_the_part(two_offices):
    problem = load_scenario(two_offices)
    parts = components(problem)
    plan = solve_components(problem, parts, unknown_for(parts[0][0][0]), mode="weighted", progress=None, baseline=True,
                            options=options(), started=time.perf_counter())
    warning = next(f for f in plan.findings if f.policy == SOLVER_FINDING)
    assert warning.message.startswith(_("part {part} of {parts} ({researchers} researchers: {names}; {schools} schools) ended {status} "
                                        "in its {budget:.1f} s: its researchers keep the greedy plan, not an optimised one")
                                      .split("{")[0])
    assert str(len(parts)) in warning.message and str(len(parts[0][0])) in warning.message
