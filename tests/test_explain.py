"""When there is no plan: the supply pre-check and the CP-SAT conflict name who and why."""

from __future__ import annotations

from click.testing import CliRunner
from km_county import researcher, school, write_scenario

from assign.analysis.explain import explain_infeasible, supply_checks
from assign.cli import main


def test_supply_check_names_researcher_with_too_few_candidates(county):
    p = county([researcher("R1", avoid_schools="S1")], [school("S1"), school("S2", area="乡村")],
               {"avoid": {}, "school_count": {"min": 2, "max": 2}})
    [f] = supply_checks(p)
    assert f.researchers == ("R1",) and "only 1" in f.message


def test_conflict_names_both_policies_about_the_same_school(county):
    # R1 and R2 both must keep S1 (contact period running), but S1 takes one researcher.
    p = county([researcher("R1", current_schools="S1", since="2025-09"), researcher("R2", subjects="语文", current_schools="S1", since="2025-09")],
               [school("S1", max_researchers=1), school("S2")], {"contact_period": {}, "coverage": {}})
    conflicts = explain_infeasible(p)
    policies = {c.policy for c in conflicts}
    assert policies == {"contact_period", "coverage"}
    assert any("教研员R1" in c.why for c in conflicts) and any("教研员R2" in c.why for c in conflicts)


def test_feasible_scenario_has_no_conflict(county):
    p = county([researcher("R1")], [school("S1")], {"school_count": {"min": 1, "max": 1}})
    assert explain_infeasible(p) is None


def test_solve_prints_the_conflict_and_exits_3(tmp_path):
    path = write_scenario(tmp_path / "c", [researcher("R1", avoid_schools="S1")], [school("S1")],
                          {"avoid": {}, "school_count": {"min": 1, "max": 1}})
    result = CliRunner().invoke(main, ["solve", str(path), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert "教研员R1" in result.output and "at least 1 contact school" in result.output
