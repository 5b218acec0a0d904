"""`assign compare`: KPIs side by side, pairs kept/added/dropped, and why each researcher changed."""

from __future__ import annotations

import openpyxl
import yaml
from click.testing import CliRunner
from test_replan import add_researcher, county

from assign.analysis.compare import compare_paths
from assign.cli import main
from assign.locale import _


def whatif(tmp_path, name: str, body: dict):
    path = tmp_path / "whatif" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"extends": "../base/scenario.yaml", **body}, allow_unicode=True), encoding="utf-8")
    return path


def test_compare_a_researcher_addition_shows_only_the_new_persons_pairs_with_the_reason(tmp_path):
    result = compare_paths(county(tmp_path), add_researcher(tmp_path), workers=1, seed=0)
    assert result.a.plan.findings == [] and result.b.plan.findings == []
    assert result.dropped == []
    assert {r for r, _ in result.added} == {"R3"} and len(result.kept) == 4
    assert [ch.researcher_id for ch in result.changes] == ["R3"]
    assert all(_("new researcher") in why for why in result.changes[0].reasons)
    kpis = {label: (a, b, d) for label, a, b, d in result.kpis}
    assert kpis["教研员人数"] == (2, 3, "+1") and kpis["有联系教研员的学校"] == (4, 6, "+2")


def test_compare_names_a_removed_school_and_a_pruning_policy_as_the_reasons(tmp_path):
    base = county(tmp_path)
    from conftest import solve_det

    from assign.load import load_scenario

    held = sorted(solve_det(load_scenario(base)).pair_set())
    school = held[0][1]
    removed = compare_paths(base, whatif(tmp_path, "merge.yaml", {"edits": {"schools": {"remove": [school]}}}), workers=1, seed=0)
    assert removed.b.plan.findings == []
    assert any(_("school removed by the what-if") in why for ch in removed.changes for why in ch.reasons)
    # A travel cap below the base plan's longest trip: the far pairs go, and max_travel says why.
    worst = max(a.minutes for a in removed.a.plan.pairs)
    capped = compare_paths(base, whatif(tmp_path, "cap.yaml", {"policies": {"max_travel": {"minutes": worst - 0.5}}}), workers=1, seed=0)
    assert capped.b.plan.findings == []
    assert any(_("no longer allowed by {policies}").format(policies="max_travel") in why for ch in capped.changes for why in ch.reasons)
    assert capped.policy_changes and "max_travel" in capped.policy_changes[0]


def test_compare_cli_prints_the_tables_and_writes_md_and_xlsx(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["compare", str(county(tmp_path)), str(add_researcher(tmp_path)), "--workers", "1", "--seed", "0",
                                  "-o", str(out / "diff.md"), "-o", str(out / "diff.xlsx")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert _("key figures") in result.output and _("added") in result.output and "王五(R3)" in result.output
    assert "| 教研员人数" in (out / "diff.md").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(out / "diff.xlsx")
    assert {"KPI", _("changes"), _("pair details")} <= set(book.sheetnames)
    assert [row[0] for row in book[_("pair details")].iter_rows(min_row=2, values_only=True)].count(_("added")) == 2


def test_compare_two_saved_plans(tmp_path):
    runner = CliRunner()
    base = county(tmp_path)
    for name, path in (("a", base), ("b", add_researcher(tmp_path))):
        result = runner.invoke(main, ["solve", str(path), "-o", str(tmp_path / name), "--workers", "1", "-q"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["compare", str(tmp_path / "a" / "plan.json"), str(tmp_path / "b" / "plan.json")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "教研员人数" in result.output and _("researchers whose schools changed") in result.output
