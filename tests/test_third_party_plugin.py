"""A policy from another package, found the way pip-installed plugins are found: entry-point
metadata on sys.path (a `.dist-info` with entry_points.txt), then used from a scenario file."""

from __future__ import annotations

import sys
import types
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from conftest import audit_errors, hand_plan, make_scenario, researcher, school, solve_det, uncovered_warnings

from assign.cli import main
from assign.errors import InputError, PolicyError
from assign.export.plugins import policy_help
from assign.load import load_scenario
from assign.locale import _
from assign.registry import POLICY_GROUP, build_registry
from assign.solver.decompose import components

PACKAGE_DIR = Path(__file__).resolve().parent / "third_party"
CATALOG = PACKAGE_DIR / "assign_private_limit" / "locale" / "zh_CN" / "LC_MESSAGES" / "assign_private_limit.po"


def install_metadata(site: Path, entry_point: str = "private_limit = assign_private_limit:PrivateLimit") -> None:
    """What `pip install` leaves behind for the package: its dist-info, naming the entry point."""
    info = site / "assign_private_limit-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: assign-private-limit\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[assign.policies]\n{entry_point}\n", encoding="utf-8")


@pytest.fixture
def installed(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install_metadata(site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(PACKAGE_DIR))
    return site


def county(tmp_path, limit):
    """Two researchers, a near private school and a far public one: coverage wants both."""
    return make_scenario(
        tmp_path / "county",
        [researcher("R1"), researcher("R2", subjects="语文")],
        [school("P1", ownership="民办"), school("S1", dlon=0.05, area="乡村")],
        {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {"max_researchers": 2}, "travel": {},
         "private_limit": {"max": limit}},
    )


def test_third_party_policy_is_found_by_entry_point_and_used_from_a_scenario(installed, tmp_path):
    registry = build_registry()
    assert "private_limit" in registry.names() and "assign-private-limit 0.1" in registry.origins["private_limit"]
    plan = solve_det(load_scenario(county(tmp_path, limit=0)))
    assert plan.status == "OPTIMAL"
    assert plan.findings == []
    assert plan.pair_set() == {("R1", "S1"), ("R2", "S1")}  # nobody at the private school


def test_third_party_policy_audit_flags_a_violating_plan(installed, tmp_path):
    problem = load_scenario(county(tmp_path, limit=1))
    plan = solve_det(problem)
    assert plan.findings == [] and len([a for a in plan.pairs if a.school_id == "P1"]) == 1
    strict = load_scenario(county(tmp_path / "strict", limit=0))
    use = next(u for u in strict.policies if u.name == "private_limit")
    findings = use.policy.audit(strict, plan, use.params)
    assert [f.policy for f in findings] == ["private_limit"] and findings[0].schools == ("P1",)


def test_a_third_party_plugin_speaks_chinese_from_its_own_catalog_and_english_on_request(installed, tmp_path, language):
    # The package registers its own gettext domain when imported; the core has no translation of its words.
    with CATALOG.open("rb") as fp:
        chinese = read_po(fp, locale="zh_CN")
    problem = load_scenario(county(tmp_path, limit=0))
    use = next(u for u in problem.policies if u.name == "private_limit")
    plan = hand_plan(problem, [("R1", "P1"), ("R2", "S1")])
    message, description = "{n} contacts with 民办 schools; at most {max}", "most contacts with 民办 schools in the whole plan"
    [finding] = use.policy.audit(problem, plan, use.params)
    assert finding.message == chinese[message].string.format(n=1, max=0) != message.format(n=1, max=0)
    assert chinese[description].string in policy_help(build_registry(), "private_limit")  # `assign plugins private_limit`
    language("en")
    [finding] = use.policy.audit(problem, plan, use.params)
    assert (finding.policy, finding.schools, finding.message) == ("private_limit", ("P1",), message.format(n=1, max=0))
    assert description in policy_help(build_registry(), "private_limit")


def two_stages(tmp_path, policies):
    """A 小学 and a 初中 researcher share no candidate school, so the candidate graph falls in two
    parts; each part alone would take its weak (priority 3) private school."""
    return make_scenario(
        tmp_path,
        [researcher("R1"), researcher("R2", stages="初中")],
        [school("P1", ownership="民办", priority=3), school("S1", dlon=0.02),
         school("P2", stages="初中", ownership="民办", priority=3), school("S2", stages="初中", dlon=0.02)],
        {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {"max_researchers": 1}, **policies},
    )


def test_a_plan_wide_policy_that_declares_nothing_keeps_the_plan_whole(installed, tmp_path):
    # The same county without the third-party rule is two independent parts …
    assert components(load_scenario(two_stages(tmp_path / "built-ins", {}))) is not None
    # … but private_limit says nothing about how far its cap reaches, so the solver must not split it.
    problem = load_scenario(two_stages(tmp_path / "capped", {"private_limit": {"max": 1}}))
    assert components(problem) is None
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []
    assert "decomposed" not in plan.solver_settings
    assert len({"P1", "P2"} & {a.school_id for a in plan.pairs}) == 1  # the cap over the whole plan holds


def test_a_third_party_rule_that_does_not_declare_aggregates_keeps_alike_researchers_apart(installed, tmp_path):
    def alike_county(folder, policies):
        """Four alike researchers (primary mathematics, from the office), three schools each can take."""
        return load_scenario(make_scenario(
            folder, [researcher(f"R{i}") for i in range(1, 5)],
            [school("P1", ownership="民办"), school("S1", dlon=0.02), school("S2", dlon=0.03), school("S3", dlon=0.04)],
            {"stage_match": {}, "school_count": {"min": 0, "max": 1}, "coverage": {"one_per_subject": False}, "travel": {}, **policies}))

    # The built-ins alone solve the four as one type (how many of them take each school) …
    assert solve_det(alike_county(tmp_path / "built-ins", {})).solver_settings["researcher_types"] == 1
    # … private_limit never said its rule holds for counts, so the solver keeps one variable per researcher.
    plan = solve_det(alike_county(tmp_path / "capped", {"private_limit": {"max": 0}}))
    assert "researcher_types" not in plan.solver_settings
    assert plan.status == "OPTIMAL" and audit_errors(plan) == [] and "P1" not in {a.school_id for a in plan.pairs}


def test_a_third_party_rule_that_declares_nothing_never_bends_when_the_scenario_relaxes(installed, tmp_path):
    # R1's one school is private and private_limit allows none: school_count's minimum bends (R1
    # gets no school, one exception), private_limit's cap does not, and naming it is an error.
    path = make_scenario(tmp_path / "relax", [researcher("R1")], [school("P1", ownership="民办")],
                         {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "private_limit": {"max": 0}}, on_infeasible="relax")
    problem = load_scenario(path)
    assert problem.severity == {"school_count.min": 1}
    plan = solve_det(problem)
    assert plan.solved and plan.pairs == [] and [e.key for e in plan.exceptions] == ["school_count.min"]
    assert audit_errors(plan) == []
    bad = make_scenario(tmp_path / "bad", [researcher("R1")], [school("P1", ownership="民办")], {"private_limit": {"max": 0}},
                        on_infeasible="relax", relax={"severity": {"private_limit": 1}})
    with pytest.raises(InputError) as info:
        load_scenario(bad)
    assert _("it declares no rule that may bend") in str(info.value)


def test_third_party_policy_with_bad_parameters_is_one_error_naming_it(installed, tmp_path):
    path = make_scenario(tmp_path / "bad", [researcher("R1")], [school("S1")], {"private_limit": {"max": -1}})
    with pytest.raises(PolicyError) as info:
        load_scenario(path)
    assert "private_limit" in str(info.value) and "assign-private-limit" in str(info.value)
    result = CliRunner().invoke(main, ["solve", str(path), "--no-write", "--workers", "1"])
    assert result.exit_code == 1 and "private_limit" in result.stderr and "Traceback" not in result.output


def test_a_third_party_plugin_that_reuses_a_built_in_name_is_refused(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install_metadata(site, "travel = assign_private_limit:PrivateLimit")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(PACKAGE_DIR))
    with pytest.raises(PolicyError) as info:
        build_registry()
    assert "'travel'" in str(info.value) and "assign-private-limit" in str(info.value)


def readme_policy_module(monkeypatch) -> str:
    """The README's "Write a policy" example, as the module a plugin author would write."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Write a policy", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    module = types.ModuleType("readme_rural_each")
    exec(compile(code, "README.md", "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.__name__


def test_the_readme_policy_example_registers_solves_and_audits(tmp_path, monkeypatch):
    module = readme_policy_module(monkeypatch)
    eps = [*entry_points(group=POLICY_GROUP), EntryPoint("rural_each", f"{module}:RuralEach", POLICY_GROUP)]
    registry = build_registry(eps)
    path = make_scenario(
        tmp_path,
        [researcher("R1")],
        [school("U1", area="城区", priority=3), school("V1", area="乡村", dlon=0.03)],
        {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "coverage": {}, "rural_each": {"at_least": 1}},
    )
    problem = load_scenario(path, registry=registry)
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL" and audit_errors(plan) == []
    assert plan.pair_set() == {("R1", "V1")}  # the weak town school would win without the rule
    assert uncovered_warnings(plan) == {"U1": "可联系的1名教研员均已满额（再联系会违反：联系学校数1人）"}
    use = next(u for u in problem.policies if u.name == "rural_each")
    assert [f.researchers for f in use.policy.audit(problem, hand_plan(problem, [("R1", "U1")]), use.params)] == [("R1",)]
    # Its rule may bend: with no rural school at all, a relaxed scenario grants the one exception.
    path = make_scenario(tmp_path / "relaxed", [researcher("R1")], [school("U1", area="城区")],
                         {"stage_match": {}, "rural_each": {"at_least": 1}}, on_infeasible="relax")
    relaxed = solve_det(load_scenario(path, registry=registry))
    # Its note is its own words through `_()`: English until a catalog of its own translates them.
    assert [(e.key, e.granted) for e in relaxed.exceptions] == [("rural_each.rural", _("no rural school"))]
    assert [f.severity for f in relaxed.findings if f.policy == "rural_each"] == ["granted"]
