"""Relaxation (`on_infeasible: relax`): the fewest exceptions by severity, checked against a brute
force over every plan; which rule bends is the scenario's severities' call; a rule that may not bend
never does; each exception is named, granted in the audit and counted; bad `relax:` sections are
one clear error.

The fixture `three_need_rural`: three 小学 researchers (数学, 语文, 英语) must each have two schools,
urban and rural. The county has two urban schools, one near rural school V1 that takes one
researcher, and one rural school F1 beyond the 30-minute cap. So two of the three cannot hold the
rule as written: each needs an exception — one school instead of two, two urban schools, or a trip
over the cap — and the severities decide which.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import audit_errors, build, make_scenario, researcher, school, solve_det

from assign.analysis.compare import compare_paths
from assign.analysis.report_inputs import ReportInputs
from assign.cli import main
from assign.errors import InputError
from assign.export.comparison import comparison_text
from assign.export.report import render_report
from assign.kpi import kpi_label
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.solver.passes import solve

POLICIES = {"stage_match": {}, "max_travel": {"minutes": 30}, "school_count": {"min": 2, "max": 2}, "urban_rural_mix": {},
            "coverage": {}, "travel": {}}
CAP, LEAST = 30, 2


def three_need_rural(tmp_path, severity=None, **keys):
    return build(tmp_path, [researcher("R1", subjects="数学"), researcher("R2", subjects="语文"), researcher("R3", subjects="英语")],
                 [school("U1", dlon=0.01), school("U2", dlon=0.02), school("V1", area="乡村", dlon=0.05, max_researchers=1),
                  school("F1", area="乡村", dlon=0.25)],
                 POLICIES, on_infeasible="relax", relax={"severity": severity or {}}, **keys)


def brute_force_least_severity(problem) -> int:
    """The least total severity over every plan that keeps the rules that may not bend, counted by
    this test's own reading of the rules (no model, no audit): per researcher, severity × schools short
    of the minimum, severity once for two or more schools of one kind, severity per trip over the cap."""
    sev = problem.severity
    pairs = [(r.id, s.id) for r in problem.researchers for s in problem.schools]
    best = None
    for chosen in itertools.product((0, 1), repeat=len(pairs)):
        plan = [p for p, on in zip(pairs, chosen) if on]
        held = Counter(r for r, _ in plan)
        at = Counter(s for _, s in plan)
        if any(n > 2 for n in held.values()) or any(at[s.id] > (s.max_researchers or 3) for s in problem.schools):
            continue  # school_count's max and a school's cap may not bend
        cost = sum(sev["school_count.min"] * max(0, LEAST - held[r.id]) for r in problem.researchers)
        for r in problem.researchers:
            kinds = {problem.school[s].area == "乡村" for rid, s in plan if rid == r.id}
            if held[r.id] >= 2 and len(kinds) < 2:
                cost += sev["urban_rural_mix.mix"]
        cost += sum(sev["max_travel.minutes"] for r, s in plan if problem.minutes(r, s) > CAP)
        best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("severity, bent", [
    ({}, {"school_count.min": 2}),                                                    # defaults: one school instead of two, twice
    ({"school_count": 9, "urban_rural_mix": 4, "max_travel": 1}, {"max_travel.minutes": 2}),  # a long trip is cheapest
    ({"school_count": 9, "urban_rural_mix": 1, "max_travel": 9}, {"urban_rural_mix.mix": 2}),  # two urban schools is cheapest
])
def test_exceptions_are_the_fewest_by_severity_that_a_brute_force_over_every_plan_finds(tmp_path, severity, bent):
    problem = three_need_rural(tmp_path, severity)
    assert problem.minutes("R1", "F1") > CAP
    plan = solve_det(problem)
    assert plan.status == "OPTIMAL"
    assert sum(e.severity for e in plan.exceptions) == brute_force_least_severity(problem) == plan.passes[0].objective
    assert Counter(e.key for e in plan.exceptions) == bent
    assert audit_errors(plan) == []
    assert sorted(r for f in plan.findings if f.severity == "granted" for r in f.researchers) == \
        sorted(r for e in plan.exceptions for r in e.researchers)


def test_each_exception_says_the_rule_what_was_granted_and_why(tmp_path):
    plan = solve_det(three_need_rural(tmp_path))
    assert plan.passes[0].objective_name == "relax.exceptions"
    for e in plan.exceptions:
        assert e.label == "最少联系学校数" and "至少联系2所学校" in e.requirement
        assert e.granted == "联系1所"
        assert e.reason == "可联系的乡村学校仅1所（学校V1，至多1人），3人需要"
        assert e.note == "例外：可联系的乡村学校仅1所（学校V1，至多1人），3人需要，联系1所"
    assert plan.kpis["exceptions"] == 2 and plan.kpis["exception_severity"] == 2 and plan.kpis["exceptions.school_count.min"] == 2


def test_a_trip_over_the_cap_granted_is_an_exception_about_the_pair(tmp_path):
    plan = solve_det(three_need_rural(tmp_path, {"school_count": 9, "urban_rural_mix": 9, "max_travel": 1}))
    far = {(a.researcher_id, a.school_id) for a in plan.pairs if a.school_id == "F1"}
    assert len(far) == 2
    assert {(e.researchers[0], e.schools[0]) for e in plan.exceptions} == far
    assert all(e.granted.startswith("单程") and "上限30分钟" in e.granted for e in plan.exceptions)


def test_weighted_mode_minimises_the_exceptions_in_a_pass_of_their_own_first(tmp_path):
    plan = solve_det(three_need_rural(tmp_path), mode="weighted")
    assert [p.objective_name for p in plan.passes] == ["relax.exceptions", "weighted"]
    assert sum(e.severity for e in plan.exceptions) == 2


def test_a_decomposed_relaxed_solve_grants_as_few_exceptions_as_the_whole(tmp_path):
    # Two counties in one file: each part grants its own exceptions, and their sum is the whole's minimum.
    rows = [researcher("R1", subjects="数学"), researcher("R2", subjects="语文"), researcher("J1", subjects="数学", stages="初中"),
            researcher("J2", subjects="语文", stages="初中")]
    schools = [school("U1"), school("V1", area="乡村", dlon=0.02, max_researchers=1),
               school("JU", stages="初中", dlon=0.01), school("JV", stages="初中", area="乡村", dlon=0.03, max_researchers=1)]
    problem = build(tmp_path, rows, schools, POLICIES, on_infeasible="relax")
    split, whole = solve_det(problem), solve_det(problem, decompose=False)
    assert split.solver_settings.get("decomposed") == 2 and "decomposed" not in whole.solver_settings
    assert sum(e.severity for e in split.exceptions) == sum(e.severity for e in whole.exceptions) == 2
    assert audit_errors(split) == [] and audit_errors(whole) == []


def test_a_feasible_scenario_that_relaxes_grants_nothing_and_solves_as_strictly(tmp_path):
    rows = [researcher("R1")]
    schools = [school("U1"), school("V1", area="乡村", dlon=0.02)]
    relaxed = solve_det(build(tmp_path / "r", rows, schools, POLICIES, on_infeasible="relax"))
    strict = solve_det(build(tmp_path / "s", rows, schools, POLICIES))
    assert relaxed.exceptions == [] and relaxed.kpis["exceptions"] == 0 and "exceptions" not in strict.kpis
    assert relaxed.pair_set() == strict.pair_set() and relaxed.findings == strict.findings == []


def test_rules_set_to_never_stay_hard_and_nothing_is_left_to_bend(tmp_path):
    never = {"school_count": "never", "urban_rural_mix": "never", "max_travel": "never"}
    problem = three_need_rural(tmp_path, never)
    assert problem.severity == {} and not problem.relaxing
    assert solve_det(problem).status == "INFEASIBLE"


def test_a_rule_may_be_named_alone_over_its_policy(tmp_path):
    problem = three_need_rural(tmp_path, {"urban_rural_mix": 7, "urban_rural_mix.share": "never", "school_count.min": 4})
    assert problem.severity == {"school_count.min": 4, "urban_rural_mix.mix": 7, "max_travel.minutes": 5}


@pytest.mark.parametrize("severity, expected", [
    ({"nosuch": 1}, "no policy 'nosuch'"),                                   # a policy the scenario does not use
    ({"stage_match": 1}, "it declares no rule that may bend"),                # conflicts of interest and stages never bend
    ({"school_count.max": 1}, "its rules that may bend are min"),             # a stated maximum never bends
    ({"school_count": 0}, "at least 1"),                                      # a severity is a whole number ≥ 1
    ({"school_count": "sometimes"}, "never"),                                 # … or the word never
])
def test_a_bad_relax_section_is_one_clear_error_naming_the_key(tmp_path, english, severity, expected):
    with pytest.raises(InputError) as info:
        three_need_rural(tmp_path, severity)
    assert "relax.severity" in str(info.value) and expected in str(info.value)


def test_every_bad_relax_key_is_reported_at_once(tmp_path):
    with pytest.raises(InputError) as info:
        three_need_rural(tmp_path, {"nosuch": 1, "stage_match": 2})
    assert len(info.value.problems) == 2


def test_relaxing_a_rule_never_bends_one_its_policy_keeps_hard(tmp_path):
    # R1's only schools are V1 (taken by R2, who holds it in its contact period) and far F1: with
    # travel "never", R1 gets one school or none, never F1; the cap of V1 (one researcher) holds.
    path = make_scenario(tmp_path, [researcher("R1"), researcher("R2", subjects="语文", current_schools="V1", since="2025-09")],
                         [school("V1", area="乡村", max_researchers=1), school("F1", area="乡村", dlon=0.25)],
                         {**POLICIES, "contact_period": {}}, on_infeasible="relax", relax={"severity": {"max_travel": "never"}})
    plan = solve(load_scenario(path), workers=1, seed=0)
    assert plan.solved and audit_errors(plan) == []
    assert ("R1", "F1") not in plan.pair_set() and plan.pair_set() >= {("R2", "V1")}
    assert {e.key for e in plan.exceptions} == {"school_count.min"}


# --------------------------------------------------------------------------- what the office sees


def relaxed_county(tmp_path):
    """`three_need_rural` as files, for the command line."""
    return make_scenario(tmp_path / "county", [researcher("R1", "张三", subjects="数学"), researcher("R2", "李四", subjects="语文"),
                                               researcher("R3", "王五", subjects="英语")],
                         [school("U1", dlon=0.01), school("U2", dlon=0.02), school("V1", "河口村小", area="乡村", dlon=0.05, max_researchers=1),
                          school("F1", area="乡村", dlon=0.25)],
                         POLICIES, on_infeasible="relax")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_solve_exits_0_prints_the_exceptions_and_writes_them_into_the_roster(tmp_path):
    out = tmp_path / "out"
    result = run("solve", str(relaxed_county(tmp_path)), "-o", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert _("exceptions granted: {n}, total severity {total}").format(n=2, total=2) in result.stdout
    assert f"[{_('granted exception')}] [school_count]" in result.stdout
    assert kpi_label("exceptions.school_count.min") in result.stdout  # the KPI block counts them by rule
    plan = Plan.read(out / "plan.json")
    assert len(plan.exceptions) == 2 and all(e.reason for e in plan.exceptions)
    rows = list(csv.DictReader(io.StringIO((out / "roster.csv").read_text(encoding="utf-8-sig"))))
    noted = {row["工号"] for row in rows if row["备注"].startswith("例外：")}
    assert noted == {r for e in plan.exceptions for r in e.researchers}
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == ["安排表", "按学校", "编号", "例外", "未联系学校"]
    names = {"R1": "张三", "R2": "李四", "R3": "王五"}
    listed = [[c.value for c in row][1:3] for row in book["例外"].iter_rows(min_row=3)]
    assert listed == [["最少联系学校数（school_count.min）", names[e.researchers[0]]] for e in plan.exceptions]
    # Every school has a researcher or a reason: here F1, beyond the 30-minute cap.
    assert [[c.value for c in row][1] for row in book["未联系学校"].iter_rows(min_row=3)] == [u.school_id for u in plan.uncovered]
    assert "## 准许的例外" in (out / "roster.md").read_text(encoding="utf-8")


def test_check_grants_a_rosters_exceptions_but_not_a_broken_cap(tmp_path):
    scenario = relaxed_county(tmp_path)
    roster = tmp_path / "roster.csv"
    # R2 and R3 each hold one urban school: two exceptions to the minimum, as the optimum grants.
    roster.write_text("工号,学校代码\nR1,U1\nR1,V1\nR2,U1\nR3,U2\n", encoding="utf-8-sig")
    result = run("check", str(scenario), str(roster), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert f"[{_('granted exception')}]" in result.stdout and kpi_label("exceptions.school_count.min") in result.stdout
    assert _("exceptions granted: {n}, total severity {total}").format(n=2, total=2) in result.stdout
    # V1 takes one researcher: a second one there breaks a cap no scenario may bend.
    roster.write_text("工号,学校代码\nR1,U1\nR1,V1\nR2,U1\nR2,V1\nR3,U2\n", encoding="utf-8-sig")
    result = run("check", str(scenario), str(roster), "--no-optimum")
    assert result.exit_code == 4
    assert f"[{_('violation')}] [coverage]" in result.stdout


def test_compare_sets_the_exceptions_of_both_plans_side_by_side(tmp_path):
    a = relaxed_county(tmp_path)
    b = make_scenario(tmp_path / "b", [researcher("R1", subjects="数学")], [school("U1"), school("V1", area="乡村", dlon=0.05)],
                      POLICIES, on_infeasible="relax")
    result = compare_paths(a, b, independent=True, workers=1, seed=0)
    assert {row[0] for row in result.exceptions} == {"A"} and len(result.exceptions) == 2
    assert _("exceptions granted") in comparison_text(result)


def test_the_report_lists_the_exceptions_and_the_priority_schools_without_a_researcher(tmp_path):
    problem = load_scenario(relaxed_county(tmp_path))
    plan = solve_det(problem)
    html = render_report(ReportInputs(problem, plan))
    assert 'data-exceptions="2"' in html and "最少联系学校数（school_count.min）" in html
    assert "所有薄弱学校都有教研员联系" in html


def test_plugins_shows_the_rules_a_policy_lets_bend_and_their_default_severity():
    shown = run("plugins", "school_count").stdout
    assert "school_count.min" in shown and "最少联系学校数" in shown
    assert _("(none: every rule of this policy stays hard)") in run("plugins", "avoid").stdout


def test_a_conflict_only_rules_that_may_not_bend_can_resolve_is_no_plan_and_says_so(tmp_path):
    # Both keep S1 in their contact period (never bends here), and S1 takes one researcher (never bends).
    path = make_scenario(tmp_path, [researcher("R1", current_schools="S1", since="2025-09"),
                                    researcher("R2", subjects="语文", current_schools="S1", since="2025-09")],
                         [school("S1", max_researchers=1), school("S2", dlon=0.02)],
                         {"contact_period": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}},
                         on_infeasible="relax", relax={"severity": {"contact_period": "never"}})
    assert load_scenario(path).relaxing  # school_count.min may still bend, but it does not help
    result = CliRunner().invoke(main, ["solve", str(path), "--no-write", "--workers", "1"])
    assert result.exit_code == 3
    assert _("may not bend") in result.output
    assert _("a conflict involves a rule that may not bend: change the tables or the scenario.") in result.output
