"""solve(): objective modes, what a plan reports, statuses instead of exceptions, determinism, KPIs,
and the policy registry with its errors (duplicates, broken plugins, bad parameters, unknown names)."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from conftest import assert_no_plan, audit_errors, build, make_scenario, researcher, school, solve_det, uncovered_warnings

from assign.errors import PolicyError
from assign.load import load_scenario
from assign.locale import _
from assign.registry import POLICY_GROUP, build_registry
from assign.solver.cpsat import WEIGHT_SCALE

# Every built-in is registered in pyproject.toml exactly like a third-party plugin: the registry must find them all.
PYPROJECT = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
BUILT_INS = sorted(PYPROJECT["project"]["entry-points"]["assign.policies"])
TERMS_IN_RANK_ORDER = ["coverage.priority_schools", "coverage.schools", "coverage.subjects", "travel.total_minutes"]


def far_priority_or_near_ordinary(tmp_path, **keys):
    """One researcher, one school: P1 is a priority school ~18 min away, N1 an ordinary one ~2 min away.

    Travel weighs 50 points a minute, so the weighted sum prefers N1 (16 min × 50 > 60 for priority);
    the lexicographic order puts priority coverage first and must take P1.
    """
    return build(tmp_path, [researcher("R1")], [school("P1", dlon=0.10, priority=2), school("N1", dlon=0.01)],
                 {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}, "travel": {"weight": 50}}, **keys)


# --------------------------------------------------------------------------- objective modes


def test_weighted_mode_trades_the_far_priority_school_for_a_near_ordinary_one(tmp_path):
    plan = solve_det(far_priority_or_near_ordinary(tmp_path), mode="weighted")
    assert plan.status == "OPTIMAL"
    assert audit_errors(plan) == []
    # The office sees the trade: the weak school is left out because R1's one school is taken.
    assert uncovered_warnings(plan) == {"P1": "可联系的1名教研员均已满额（再联系会违反：联系学校数1人）"}
    assert plan.mode == "weighted"
    assert plan.pair_set() == {("R1", "N1")}
    assert plan.kpis["priority_covered"] == 0


def test_lexicographic_mode_covers_the_priority_school_first(tmp_path):
    plan = solve_det(far_priority_or_near_ordinary(tmp_path), mode="lexicographic")
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.mode == "lexicographic"
    assert plan.pair_set() == {("R1", "P1")}
    assert plan.kpis["priority_covered"] == 1


def test_scenario_objective_mode_is_the_default_of_solve(tmp_path):
    plan = solve_det(far_priority_or_near_ordinary(tmp_path, objective="weighted"))
    assert plan.mode == "weighted"
    assert audit_errors(plan) == []
    assert plan.pair_set() == {("R1", "N1")}


def test_scenario_objective_order_puts_the_named_term_first(tmp_path):
    # Travel named first: the near ordinary school wins even in lexicographic mode.
    problem = far_priority_or_near_ordinary(tmp_path, objective={"mode": "lexicographic", "order": ["travel.total_minutes"]})
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert audit_errors(plan) == []
    assert plan.pair_set() == {("R1", "N1")}
    assert [p.objective_name for p in plan.passes] == ["travel.total_minutes", *TERMS_IN_RANK_ORDER[:3]]


def test_lexicographic_plan_has_one_optimal_pass_per_term_in_rank_order(tmp_path):
    plan = solve_det(far_priority_or_near_ordinary(tmp_path), mode="lexicographic")
    assert plan.findings == []
    assert [p.objective_name for p in plan.passes] == TERMS_IN_RANK_ORDER
    assert all(p.status == "OPTIMAL" and p.gap == 0 and p.objective == p.bound for p in plan.passes)
    values = {t.name: t.value for t in plan.terms}
    assert [p.objective for p in plan.passes] == [values[name] for name in TERMS_IN_RANK_ORDER] == [1, 1, 100, 18]
    # The plan's objective, bound and gap are those of the last pass.
    assert (plan.objective, plan.bound, plan.gap) == (18, 18, 0)
    assert plan.solve_seconds >= 0 and plan.build_seconds >= 0
    assert plan.solve_seconds >= sum(p.seconds for p in plan.passes) - 0.01
    assert plan.candidate_pairs == 2
    assert plan.solver_settings["workers"] == 1 and plan.solver_settings["seed"] == 0


def test_weighted_plan_has_one_pass_whose_objective_is_the_weighted_sum_of_terms(tmp_path):
    plan = solve_det(far_priority_or_near_ordinary(tmp_path), mode="weighted")
    assert audit_errors(plan) == []
    assert [(p.objective_name, p.status) for p in plan.passes] == [("weighted", "OPTIMAL")]
    expected = sum(round(t.weight * WEIGHT_SCALE) * (t.value if t.sense == "max" else -t.value) for t in plan.terms)
    assert plan.objective == plan.bound == expected == 30_000 + 10_000 - 50_000 * 2
    assert plan.gap == 0


# --------------------------------------------------------------------------- statuses, not exceptions


def test_infeasible_solve_is_a_status(tmp_path):
    problem = build(tmp_path, [researcher("R1", stages="高中")], [school("S1"), school("S2")],
                    {"stage_match": {}, "school_count": {"min": 1}, "coverage": {}, "travel": {}})
    plan = solve_det(problem)
    assert_no_plan(plan, "INFEASIBLE")
    assert [(p.objective_name, p.status) for p in plan.passes] == [("coverage.priority_schools", "INFEASIBLE")]
    assert plan.terms == []
    assert plan.kpis["contacts"] == 0


def test_solve_stopped_by_its_limit_before_any_solution_is_a_status(tmp_path):
    # A deterministic-time limit of 0 stops CP-SAT before it finds anything, reproducibly.
    problem = build(tmp_path, [researcher("R1"), researcher("R2", subjects="语文")],
                    [school(f"S{i}", area="城区" if i % 2 else "乡村", dlon=0.01 * i) for i in range(1, 6)],
                    {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}})
    plan = solve_det(problem, parameters={"max_deterministic_time": 0.0}, baseline=False)
    assert_no_plan(plan, "UNKNOWN")
    assert [p.status for p in plan.passes] == ["UNKNOWN"]
    # With the by-hand greedy plan as its start (the default) the same limit still gives that plan.
    kept = solve_det(problem, parameters={"max_deterministic_time": 0.0})
    assert kept.status == "FEASIBLE" and kept.pairs and kept.findings == []


def test_a_hint_from_a_previous_plan_gives_the_same_plan(tmp_path):
    problem = far_priority_or_near_ordinary(tmp_path)
    first = solve_det(problem)
    again = solve_det(problem, hint=first)
    assert again.findings == []
    assert again.status == "OPTIMAL"
    assert again.pair_set() == first.pair_set() == {("R1", "P1")}


# --------------------------------------------------------------------------- determinism and KPIs


def six_by_ten(tmp_path):
    """Six researchers, ten schools with ties in distance (mirror images east and west of the office)."""
    subjects = ["语文", "数学", "英语", "科学", "音乐", "美术"]
    researchers = [researcher(f"R{i}", subjects=subject, stages="小学、初中" if i % 3 == 0 else "小学") for i, subject in enumerate(subjects)]
    schools = []
    for i in range(5):
        for side, sign in (("E", 1), ("W", -1)):
            schools.append(school(f"S{i}{side}", stages="九年一贯制" if i == 4 else "小学", area=("城区", "镇区", "乡村")[i % 3],
                                  dlon=sign * 0.03 * (i + 1), priority=2 if i == 2 else 1))
    return build(tmp_path, researchers, schools,
                 {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {},
                  "max_travel": {"minutes": 60}, "travel": {}})


def test_same_seed_twice_gives_the_same_pairs(tmp_path):
    problem = six_by_ten(tmp_path)
    first, second = solve_det(problem), solve_det(problem)
    assert first.status == second.status == "OPTIMAL"
    assert first.findings == [] and second.findings == []
    assert [(a.researcher_id, a.school_id) for a in first.pairs] == [(a.researcher_id, a.school_id) for a in second.pairs]
    assert first.terms == second.terms


def test_kpis_match_the_plans_pairs(tmp_path):
    problem = six_by_ten(tmp_path)
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    k = plan.kpis
    covered = {a.school_id for a in plan.pairs}
    per_researcher = Counter(a.researcher_id for a in plan.pairs)
    areas = Counter(problem.school[a.school_id].area for a in plan.pairs)
    assert k["researchers"] == 6 and k["schools"] == 10
    assert k["schools_covered"] == len(covered)
    assert k["contacts"] == len(plan.pairs)
    assert (k["contacts_城区"], k["contacts_镇区"], k["contacts_乡村"]) == (areas["城区"], areas["镇区"], areas["乡村"])
    assert k["contacts_城区"] + k["contacts_镇区"] + k["contacts_乡村"] == k["contacts"]
    assert k["priority_schools"] == 2
    assert k["priority_covered"] == len(covered & {"S2E", "S2W"})
    assert k["researchers_0"] == 0
    assert k["researchers_1"] == sum(1 for n in per_researcher.values() if n == 1)
    assert k["researchers_2"] == sum(1 for n in per_researcher.values() if n == 2)
    assert k["travel_total"] == round(sum(a.minutes for a in plan.pairs), 1)
    assert k["travel_worst"] == max(a.minutes for a in plan.pairs)
    # The KPI the coverage term optimises agrees with the solver's own count.
    assert k["schools_covered"] == next(t.value for t in plan.terms if t.name == "coverage.schools")


# --------------------------------------------------------------------------- the registry


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=POLICY_GROUP)


def test_registry_finds_every_built_in_policy():
    registry = build_registry()
    assert registry.names() == BUILT_INS
    for name in BUILT_INS:
        assert registry.get(name).name == name
        assert registry.origins[name].startswith(f"assign_plugins.{name}:")


def test_registry_accepts_a_third_party_plugin():
    registry = build_registry(eps=[ep("fake_good", "fake_plugins:Good"), ep("travel", "assign_plugins.travel:Travel")])
    assert registry.names() == ["fake_good", "travel"]
    assert "fake_plugins:Good" in registry.origins["fake_good"]


@pytest.mark.parametrize(
    ("eps", "words"),
    [
        # two packages register the same policy name
        ([ep("fake_good", "fake_plugins:Good"), ep("fake_good", "fake_plugins:GoodAgain")],
         ["'fake_good'", "registered twice", "fake_plugins:Good", "fake_plugins:GoodAgain"]),
        # the module does not exist
        ([ep("fake_missing", "fake_plugins_nowhere:Policy")], ["'fake_missing'", "fake_plugins_nowhere:Policy", "failed to load"]),
        # the module exists, the class does not
        ([ep("fake_typo", "fake_plugins:Godo")], ["'fake_typo'", "fake_plugins:Godo", "failed to load"]),
        # creating the policy raises
        ([ep("fake_exploding", "fake_plugins:Exploding")], ["'fake_exploding'", "raised while being created", "licence server"]),
        # Params is not a pydantic model
        ([ep("fake_bad_params", "fake_plugins:NotPydanticParams")], ["'fake_bad_params'", "`Params` must be a pydantic model"]),
        # no name at all
        ([ep("fake_nameless", "fake_plugins:Nameless")], ["'fake_nameless'", "has no `name`"]),
        # the entry-point name and the policy's own name differ
        ([ep("fake_alias", "fake_plugins:Good")], ["'fake_alias'", "calls itself 'fake_good'"]),
        # audit is not callable
        ([ep("fake_no_audit", "fake_plugins:NoAudit")], ["'fake_no_audit'", "lacks a callable `audit`"]),
    ],
    ids=["duplicate", "missing-module", "missing-class", "raises", "bad-params", "nameless", "alias", "no-audit"],
)
def test_registry_rejects_a_bad_plugin_naming_it(english, eps, words):
    with pytest.raises(PolicyError) as info:
        build_registry(eps=eps)
    for word in words:
        assert word in str(info.value)


def test_a_policy_whose_audit_crashes_is_a_finding_not_a_clean_plan(tmp_path):
    registry = build_registry(eps=[ep("fake_broken_audit", "fake_plugins:BrokenAudit"),
                                   ep("school_count", "assign_plugins.school_count:SchoolCount")])
    path = make_scenario(tmp_path, [researcher("R1")], [school("S1")], {"school_count": {"min": 1}, "fake_broken_audit": {}})
    plan = solve_det(load_scenario(path, registry=registry))
    assert plan.status == "OPTIMAL"
    assert plan.pair_set() == {("R1", "S1")}
    assert [(f.policy, f.message) for f in plan.findings] == [("fake_broken_audit", _("audit raised {name}: {exc}")
                                                                                    .format(name="KeyError", exc="'no such column'"))]


@pytest.mark.parametrize(
    ("policies", "words"),
    [
        ({"max_travel": {"minutes": -5}}, ["'max_travel'", "minutes", "-5", "more than 0"]),  # a negative cap
        ({"max_travel": {"minute": 30}}, ["'max_travel'", "minute", "unknown key"]),  # a typo in the key
        ({"school_count": {"min": 3, "max": 2}}, ["'school_count'", "{'min': 3, 'max': 2}"]),  # crossed limits
        ({"school_count": {"min": "two"}}, ["'school_count'", "min", "'two'"]),  # not a number
        ({"urban_rural_mix": {"urban_areas": ["城区", "镇区", "乡村"]}}, ["'urban_rural_mix'", "urban_areas"]),  # everything urban
        ({"urban_rural_mix": {"urban_areas": ["downtown"]}}, ["'urban_rural_mix'", "urban_areas", "downtown"]),  # unknown area word
        ({"urban_rural_mix": {"per_researcher": "sometimes"}}, ["'urban_rural_mix'", "per_researcher", "sometimes"]),  # not both/off
        ({"coverage": {"max_researchers": 0}}, ["'coverage'", "max_researchers", "at least 1"]),  # a zero cap
        ({"coverage": {"diminishing": 1.5}}, ["'coverage'", "diminishing"]),  # returns that grow
        ({"stage_match": {"strict": True}}, ["'stage_match'", "strict", "unknown key"]),  # a policy without parameters
        ({"travel": {"weight": -1}}, ["'travel'", "weight"]),  # a travel reward
    ],
    ids=["negative-cap", "typo-key", "crossed-limits", "not-a-number", "all-urban", "unknown-area", "bad-literal",
         "zero-cap", "growing-returns", "no-params-policy", "negative-weight"],
)
def test_bad_policy_parameters_name_the_policy_and_the_key(tmp_path, english, policies, words):
    path = make_scenario(tmp_path, [researcher("R1")], [school("S1")], policies)
    with pytest.raises(PolicyError) as info:
        load_scenario(path)
    message = str(info.value)
    assert f"policies.{next(iter(policies))}" in message
    assert "scenario.yaml" in message
    for word in words:
        assert word in message


def test_empty_policy_parameters_mean_the_defaults(tmp_path):
    path = make_scenario(tmp_path, [researcher("R1")], [school("S1")], {"max_travel": None, "school_count": {}})
    problem = load_scenario(path)
    assert {u.name: u.params.model_dump() for u in problem.policies} == {
        "max_travel": {"minutes": 90},
        "school_count": {"min": 1, "max": 2, "table_overrides": True},
    }


def test_unknown_policy_name_lists_the_installed_ones(tmp_path):
    path = make_scenario(tmp_path, [researcher("R1")], [school("S1")], {"stage_match": {}, "urban_rural_mixx": {}})
    with pytest.raises(PolicyError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "'urban_rural_mixx'" in message
    assert _("unknown {what} {name}: installed {what_plural} are {known}").format(
        what=_("policy"), name="'urban_rural_mixx'", what_plural=_("policies"), known=", ".join(BUILT_INS)) in message


def test_lexicographic_solve_out_of_time_still_runs_every_pass_and_claims_nothing_it_did_not_prove(tmp_path):
    # No search at all (deterministic time 0): every pass keeps the greedy start, none is proven.
    problem = far_priority_or_near_ordinary(tmp_path)
    plan = solve_det(problem, parameters={"max_deterministic_time": 0.0})
    assert plan.solved and audit_errors(plan) == []  # a warning only: the greedy plan leaves the far priority school
    assert plan.status == "FEASIBLE"  # nothing is proven about the terms
    assert len(plan.passes) == len(plan.terms)
    assert [p.status for p in plan.passes] == ["FEASIBLE"] * len(plan.passes)
    assert [p.objective for p in plan.passes] == [t.value for t in sorted(plan.terms, key=lambda t: t.rank)]
