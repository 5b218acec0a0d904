"""`assign sweep`: a grid of scenario variants solved in parallel processes, one summary table."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_replan import county

from assign.analysis.sweep import parse_setting, run_sweep, variants
from assign.cli import main
from assign.errors import InputError


def test_settings_make_a_grid_of_every_combination():
    grid = variants([parse_setting("policies.max_travel.minutes=60,90"), parse_setting("policies.school_count.max=1,2")])
    assert [label for label, _ in grid] == ["max_travel.minutes=60 school_count.max=1", "max_travel.minutes=60 school_count.max=2",
                                            "max_travel.minutes=90 school_count.max=1", "max_travel.minutes=90 school_count.max=2"]
    assert grid[0][1] == {"policies": {"max_travel": {"minutes": 60}, "school_count": {"max": 1}}}


@pytest.mark.parametrize("text", ["policies.max_travel.minutes", "=60", "policies..x=1", "a.b="])  # no '=', no key, empty part, no value
def test_a_bad_setting_is_an_input_error(text):
    with pytest.raises(InputError, match="--set"):
        parse_setting(text)


def test_a_sweep_over_three_variants_solves_each_and_keeps_the_other_parameters(tmp_path):
    said = []
    results = run_sweep(county(tmp_path), [parse_setting("policies.school_count.max=1,2,3")], seed=0, progress=said.append)
    assert [r.status for r in results] == ["OPTIMAL"] * 3
    assert len(said) == 3 and all("OPTIMAL" in line for line in said)  # one progress line as each variant is done
    assert [r.findings for r in results] == [0, 0, 0]
    assert [r.kpis["schools_covered"] for r in results] == [2, 4, 6]  # two people, six schools: one, two or three schools each


def test_sweep_cli_prints_one_table_and_writes_a_plan_per_variant(tmp_path):
    out = tmp_path / "sweep"
    result = CliRunner().invoke(main, ["sweep", str(county(tmp_path)), "--set", "policies.school_count.max=1,2", "-o", str(out), "--seed", "0"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "school_count.max=1" in result.output and "school_count.max=2" in result.output
    assert (out / "summary.md").exists() and (out / "summary.csv").exists()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["01-school_count.max=1", "02-school_count.max=2"]
    assert (out / "01-school_count.max=1" / "plan.json").exists()
