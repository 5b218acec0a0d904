"""Interchangeable researchers solved as types: which researchers make a type, and that the model of
how many of each type take a school (assign.solver.aggregate) reaches the plain model's optimum pass
by pass, is named the same way every time, and is audited clean."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import audit_errors, build, researcher, school, solve_det

from assign import locale
from assign.analysis.replan import solve_from, with_previous
from assign.bench.generate import Size, generate
from assign.candidates import candidate_pairs
from assign.load import DEMO_SCENARIO, load_scenario
from assign.plan import Plan
from assign.policy import NoParams, Policy
from assign.problem import PolicyUse
from assign.solver import aggregate
from assign.solver.baseline import baseline_pairs
from assign.solver.cpsat import fixed_solve, options_for
from assign.solver.decompose import SOLVER_FINDING, sub_problem
from assign.solver.symmetry import researcher_types
from assign_plugins.stability import Stability
from assign_plugins.urban_rural_mix import UrbanRuralMix

DEMO_POLICIES = {"stage_match": {}, "max_travel": {"minutes": 90}, "school_count": {"min": 1, "max": 2},
                 "urban_rural_mix": {"per_researcher": "both", "urban_areas": ["城区", "镇区"]},
                 "coverage": {"priority_first": True, "max_researchers": 3}, "travel": {"weight": 0.2}}


def town(tmp_path: Path, researchers: list[dict], schools: list[dict] | None = None, policies: dict | None = None, **keys):
    """A lexicographic county with the demo's policies: urban schools east of the office, rural ones further out."""
    schools = schools or ([school(f"U{i}", area="城区", dlon=0.01 * i, priority=1 + (i % 3 == 0)) for i in range(1, 7)]
                          + [school(f"V{i}", area="乡村", dlon=-0.03 * i, dlat=0.01, priority=1 + (i % 2)) for i in range(1, 7)])
    return build(tmp_path, researchers, schools, policies if policies is not None else DEMO_POLICIES, objective="lexicographic", **keys)


def alike(*ids: str, **columns) -> list[dict]:
    """Researchers alike in every column but their id and name: primary mathematics by default."""
    return [researcher(rid, **columns) for rid in ids]


class NamesResearchers(Policy):
    """A rule that names researchers in its parameters (none in its model): they are singled out."""

    name = "names_researchers"
    aggregates = True

    class Params(NoParams):
        who: list[str] = []


class SaysNothing(Policy):
    """A rule written before types existed: it does not declare `aggregates`."""

    name = "says_nothing"


def with_policy(problem, policy: Policy, params) -> object:
    return problem.model_copy(update={"policies": (*problem.policies, PolicyUse(name=policy.name, policy=policy, params=params))})


def passes_of(plan: Plan) -> list[tuple[str, str, float | None]]:
    return [(p.objective_name, p.status, p.objective) for p in plan.passes]


def test_researchers_alike_in_every_field_start_and_candidate_make_one_type_in_table_order(tmp_path):
    problem = town(tmp_path, [
        *alike("R1", "R2"),
        researcher("R3", subjects="语文"),             # another subject
        *alike("R4"),
        researcher("R5", max_schools=1),              # another limit
        researcher("R6", avoid_schools="U1"),         # a conflict of interest: other candidates
        researcher("R7", kind="兼职"),                 # another kind
        researcher("R8", extra_column="手机 139…"),    # a column only carried to outputs: still alike
    ])
    assert researcher_types(problem) == [["R1", "R2", "R4", "R8"], ["R3"], ["R5"], ["R6"], ["R7"]]


def test_a_researcher_named_in_a_policys_parameters_or_pinned_is_a_type_of_their_own(tmp_path):
    problem = town(tmp_path, alike("R1", "R2", "R3", "R4"))
    named = with_policy(problem, NamesResearchers(), NamesResearchers.Params(who=["R2"]))
    assert researcher_types(named) == [["R1", "R3", "R4"], ["R2"]]
    pinned = problem.model_copy(update={"pinned_pairs": (("R4", "U1"),)})
    assert researcher_types(pinned) == [["R1", "R2", "R3"], ["R4"]]


def test_urban_rural_mix_keeps_apart_researchers_of_three_or_more_schools_with_fewer_than_two_required(tmp_path):
    # No bound on a type's urban and rural counts is exact there (plugins/urban_rural_mix.py).
    problem = town(tmp_path, [*alike("R1", "R2", max_schools=3), *alike("R3", "R4", min_schools=2, max_schools=3), *alike("R5", "R6")])
    assert researcher_types(problem) == [["R1"], ["R2"], ["R3", "R4"], ["R5", "R6"]]


def three_types(tmp_path, **keys):
    """Twelve researchers of three kinds (primary mathematics, primary Chinese, junior mathematics) and 14 schools."""
    schools = ([school(f"U{i}", stages="小学/初中" if i % 2 else "小学", area="城区", dlon=0.012 * i, priority=1 + (i % 3 == 0)) for i in range(1, 8)]
               + [school(f"V{i}", stages="小学" if i % 3 else "初中", area="乡村", dlon=-0.02 * i, dlat=0.015 * (i % 2), priority=1 + (i % 2))
                  for i in range(1, 8)])
    return town(tmp_path, [*alike("M1", "M2", "M3", "M4", "M5"), *alike("C1", "C2", "C3", "C4", subjects="语文"),
                           *alike("J1", "J2", "J3", stages="初中")], schools, **keys)


def small_office(tmp_path):
    """A generated single-office county of 50 researchers and 150 schools on a road table, made like county-120."""
    return load_scenario(generate(Size(1, 50, 150, roads=True), 1, tmp_path / "office"))


def test_no_two_researchers_of_the_demo_are_alike_so_it_keeps_the_plain_model():
    problem = load_scenario(DEMO_SCENARIO)
    assert researcher_types(problem) == [[r.id] for r in problem.researchers]
    assert aggregate.aggregated_model(problem, options_for(problem)) is None


@pytest.mark.parametrize(("instance", "types"), [
    (three_types, 3),      # a tiny county of three types
    (small_office, 27),    # generated like county-120: its largest part, 46 researchers
])
def test_the_aggregated_solve_reaches_the_plain_optimum_pass_by_pass_and_is_audited_clean(instance, types, tmp_path):
    problem = instance(tmp_path)
    by_type, plain = solve_det(problem), solve_det(problem, aggregate=False)
    assert by_type.solver_settings.get("researcher_types") == types and "researcher_types" not in plain.solver_settings
    assert [p.status for p in plain.passes] == ["OPTIMAL"] * len(plain.passes)  # the reference is proven
    assert passes_of(by_type) == passes_of(plain)
    assert {t.name: t.value for t in by_type.terms} == {t.name: t.value for t in plain.terms}
    assert by_type.candidate_pairs == plain.candidate_pairs
    assert audit_errors(by_type) == [] and not [f for f in by_type.findings if f.policy == SOLVER_FINDING]


def test_the_weighted_objective_by_type_equals_the_plain_models_optimum(tmp_path):
    problem = three_types(tmp_path)
    by_type, plain = solve_det(problem, mode="weighted"), solve_det(problem, mode="weighted", aggregate=False)
    assert by_type.solver_settings["researcher_types"] == 3 and plain.status == by_type.status == "OPTIMAL"
    assert by_type.objective == plain.objective and audit_errors(by_type) == []


def test_the_counts_are_named_the_same_way_every_time(tmp_path):
    problem = three_types(tmp_path)
    first, second = solve_det(problem), solve_det(problem)
    assert first.solver_settings["researcher_types"] == 3
    assert [(a.researcher_id, a.school_id) for a in first.pairs] == [(a.researcher_id, a.school_id) for a in second.pairs]


def test_a_type_of_n_researchers_is_never_given_a_school_twice_nor_a_subject_twice_at_a_school(tmp_path):
    # Five alike researchers, three schools: one per subject per school caps each school's count of the type at 1.
    policies = {**DEMO_POLICIES, "school_count": {"min": 0, "max": 2}}
    problem = town(tmp_path, alike("R1", "R2", "R3", "R4", "R5"), [school("U1"), school("V1", area="乡村"), school("V2", area="乡村", dlon=0.02)],
                   policies)
    plan = solve_det(problem)
    assert plan.solver_settings["researcher_types"] == 1
    assert sorted(a.school_id for a in plan.pairs) == ["U1", "V1", "V2"]
    assert audit_errors(plan) == []


def test_a_plan_of_named_pairs_such_as_the_greedy_start_is_scored_by_the_counts_of_its_types(tmp_path):
    problem = three_types(tmp_path)
    ctx = aggregate.aggregated_model(problem, options_for(problem))
    assert ctx.types == {"M1": ("M1", "M2", "M3", "M4", "M5"), "C1": ("C1", "C2", "C3", "C4"), "J1": ("J1", "J2", "J3")}
    assert len(ctx.named_pairs()) == len(candidate_pairs(problem)) and {rid for rid, _ in ctx.pairs} == {"M1", "C1", "J1"}
    greedy = baseline_pairs(problem, ctx.named_pairs())
    solution = fixed_solve(ctx, set(greedy), None)
    counts = Counter((representative(ctx, rid), sid) for rid, sid in greedy)
    assert {pair: solution.value(var) for pair, var in ctx.x.items() if solution.value(var)} == counts


def representative(ctx, rid: str) -> str:
    """The researcher whose variables count `rid`'s type."""
    return next(rep for rep, members in ctx.types.items() if rid in members)


def test_a_policy_that_does_not_declare_aggregates_keeps_the_plain_model(tmp_path):
    problem = with_policy(three_types(tmp_path), SaysNothing(), NoParams())
    plan = solve_det(problem)
    assert "researcher_types" not in plan.solver_settings
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []


@pytest.mark.parametrize("keys", [
    {"solver": {"workers": 1, "seed": 0, "time_limit": 10, "aggregate": False}},  # the scenario turns it off
    {"on_infeasible": "relax"},                                                 # exceptions are about one researcher each
])
def test_the_scenario_turns_the_aggregated_model_off_or_relaxes(tmp_path, keys):
    problem = three_types(tmp_path, **keys)
    assert problem.scenario.solver.aggregate is (keys.get("solver", {}).get("aggregate", True))  # true unless the scenario says
    plan = solve_det(problem)
    assert "researcher_types" not in plan.solver_settings and plan.solved


def test_counts_that_cannot_be_named_give_the_plain_models_plan_with_a_warning(tmp_path, monkeypatch):
    # The counter-example of plugins/urban_rural_mix.py, solved by type on purpose: four researchers
    # of at most three schools may hold 9 urban and 3 rural ones by the summed rows, which no split gives.
    monkeypatch.setattr(UrbanRuralMix, "apart", lambda self, problem, params: set())
    schools = [school(f"U{i}", dlon=0.01 * i) for i in range(1, 10)] + [school(f"V{i}", area="乡村", dlon=-0.01 * i) for i in range(1, 4)]
    problem = town(tmp_path, alike("R1", "R2", "R3", "R4", max_schools=3), schools)
    plan, plain = solve_det(problem), solve_det(problem, aggregate=False)
    assert [f for f in plan.findings if f.policy == SOLVER_FINDING] == [aggregate.not_named_warning(types=1)]
    assert passes_of(plan) == passes_of(plain) and audit_errors(plan) == []
    assert "researcher_types" not in plan.solver_settings


def with_stability(problem, **params):
    """The problem with the stability policy (changes counted against a plan in force)."""
    return with_policy(problem, Stability(), Stability.Params(**params))


def test_a_plan_in_force_does_not_part_a_type_but_a_local_re_plan_keeps_its_holders_apart(tmp_path):
    problem = town(tmp_path, alike("R1", "R2", "R3", "R4")).model_copy(update={"previous_pairs": (("R1", "U1"), ("R3", "V2"))})
    assert researcher_types(with_stability(problem)) == [["R1", "R2", "R3", "R4"]]
    assert researcher_types(with_stability(problem, scope="touched")) == [["R1"], ["R2", "R4"], ["R3"]]


# The words of a solve whose naming fell short of a term, up to the term's name.
CONTINUED = locale._("the counts by type promise more than their naming gives on {term}: that pass and the rest are "
                     "solved researcher by researcher, from the named plan").split("{")[0]


def re_plan_after_the_last_researcher_came(problem):
    """The problem with stability and, in force, its plan solved before its last researcher came."""
    problem = with_stability(problem)
    ids = [r.id for r in problem.researchers]
    before = solve_det(sub_problem(problem, ids[:-1], [s.id for s in problem.schools]))
    return with_previous(problem, sorted(before.pair_set()))[0], before


def test_a_re_plan_by_types_changes_as_few_pairs_as_the_plain_model_and_is_audited_clean(tmp_path):
    # The changes are counted by type (at most min(count, held) kept per type and school) and the
    # naming gives each school back to its holder first: here it reaches that count.
    problem, before = re_plan_after_the_last_researcher_came(small_office(tmp_path))
    said: list[str] = []
    by_type = solve_from(problem, workers=1, seed=0, pass_gap=0.0, progress=said.append)
    plain = solve_from(problem, workers=1, seed=0, pass_gap=0.0, aggregate=False)
    assert by_type.solver_settings.get("researcher_types") == 29 and "researcher_types" not in plain.solver_settings
    assert not [line for line in said if line.startswith(CONTINUED)]
    assert [p.status for p in plain.passes] == ["OPTIMAL"] * len(plain.passes)
    assert passes_of(by_type) == passes_of(plain)
    changes = len(before.pair_set() ^ by_type.pair_set())
    assert changes == len(before.pair_set() ^ plain.pair_set()) == {t.name: t.value for t in by_type.terms}["stability.changed_pairs"]
    assert audit_errors(by_type) == [] and not [f for f in by_type.findings if f.policy == SOLVER_FINDING]


def test_changes_the_naming_cannot_reach_are_solved_researcher_by_researcher_from_the_passes_the_types_reached(tmp_path):
    # The newcomer J3 is of the junior type, whose four schools J1 and J2 held: by type nothing need
    # change, but J3 needs a school of their own (at least one each), so someone gives one up.
    problem, before = re_plan_after_the_last_researcher_came(three_types(tmp_path))
    said: list[str] = []
    plan = solve_from(problem, workers=1, seed=0, pass_gap=0.0, progress=said.append)
    plain = solve_from(problem, workers=1, seed=0, pass_gap=0.0, aggregate=False)
    assert any(line.startswith(CONTINUED) for line in said)
    assert passes_of(plan) == passes_of(plain) and plan.status == "OPTIMAL"
    assert {t.name: t.value for t in plan.terms}["stability.changed_pairs"] == len(before.pair_set() ^ plan.pair_set()) == 2
    assert audit_errors(plan) == [] and not [f for f in plan.findings if f.policy == SOLVER_FINDING]
