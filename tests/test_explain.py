"""When there is no plan: the supply pre-check and every group of conflicting requirements, naming who and why."""

from __future__ import annotations

from click.testing import CliRunner
from km_county import researcher, school, write_scenario

from assign.analysis.explain import conflict_groups
from assign.audit import supply_checks
from assign.cli import main
from assign.locale import ngettext


def test_supply_check_names_researcher_with_too_few_candidates(county):
    p = county([researcher("R1", avoid_schools="S1")], [school("S1"), school("S2", area="乡村")],
               {"avoid": {}, "school_count": {"min": 2, "max": 2}})
    [f] = supply_checks(p)
    assert f.researchers == ("R1",) and f.rule == "min"
    assert f.note == ngettext("only {n} {stages} school can be contacted", "only {n} {stages} schools can be contacted", 1).format(n=1, stages="小学")


def test_conflict_names_both_policies_about_the_same_school(county):
    # R1 and R2 both must keep S1 (contact period running), but S1 takes one researcher.
    p = county([researcher("R1", current_schools="S1", since="2025-09"), researcher("R2", subjects="语文", current_schools="S1", since="2025-09")],
               [school("S1", max_researchers=1), school("S2")], {"contact_period": {}, "coverage": {}})
    [group] = conflict_groups(p)
    assert {c.policy for c in group.requirements} == {"contact_period", "coverage"}
    assert any("教研员R1" in c.why for c in group.requirements) and any("教研员R2" in c.why for c in group.requirements)
    # Keeping one pairing fewer (severity 3) resolves it; the school's own cap may not bend.
    [fewest] = group.fewest
    assert fewest.policy == "contact_period" and fewest.bends and group.severity == 3
    assert [c.bends for c in group.requirements if c.policy == "coverage"] == [False]


def test_independent_conflicts_are_named_in_one_run_as_separate_groups(county):
    # Two causes that share nothing: R1 (初中) has one 初中 school for a minimum of two, and R2, R3
    # (both 英语) need the one rural school V1, which takes one researcher of a subject.
    p = county([researcher("R1", stages="初中", subjects="物理"), researcher("R2", subjects="英语"), researcher("R3", subjects="英语")],
               [school("J1", stages="初中"), school("U1"), school("U2", km=6), school("V1", area="乡村", km=20)],
               {"stage_match": {}, "school_count": {"min": 2, "max": 2}, "urban_rural_mix": {}, "coverage": {}})
    groups = conflict_groups(p)
    people = sorted(sorted({x for c in g.requirements for x in c.about if x.startswith("R")}) for g in groups)
    assert people == [["R1"], ["R2", "R3"]]
    by_people = {frozenset(x for c in g.requirements for x in c.about if x.startswith("R")): g for g in groups}
    assert len(by_people[frozenset({"R2", "R3"})].fewest) == 1  # one of the two gives way, not both
    assert [f.note for f in by_people[frozenset({"R2", "R3"})].supply] == ["可联系的乡村学校仅1所（学校V1，至多1人），2人需要"]


def test_feasible_scenario_has_no_conflict(county):
    p = county([researcher("R1")], [school("S1")], {"school_count": {"min": 1, "max": 1}})
    assert conflict_groups(p) is None


def test_solve_prints_the_conflict_and_exits_3(tmp_path):
    path = write_scenario(tmp_path / "c", [researcher("R1", avoid_schools="S1")], [school("S1")],
                          {"avoid": {}, "school_count": {"min": 1, "max": 1}})
    result = CliRunner().invoke(main, ["solve", str(path), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert ngettext("{researcher} needs at least {n} contact school", "{researcher} needs at least {n} contact schools", 1).format(
        researcher="教研员R1 (小学数学)", n=1) in result.output
    assert "on_infeasible: relax" in result.output  # the one exception would be granted there


def test_on_infeasible_fail_prints_the_status_without_an_explanation(tmp_path):
    path = write_scenario(tmp_path / "c", [researcher("R1", avoid_schools="S1")], [school("S1")],
                          {"avoid": {}, "school_count": {"min": 1, "max": 1}}, on_infeasible="fail")
    result = CliRunner().invoke(main, ["solve", str(path), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert "INFEASIBLE" in result.output and "教研员R1" not in result.output
