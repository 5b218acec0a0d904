"""`assign pareto`: non-dominated plans between coverage and travel by ε-constraint."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import make_scenario, researcher, school

from assign.analysis.pareto import pareto_front
from assign.cli import main
from assign.errors import InputError
from assign.load import load_scenario

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "coverage": {}, "travel": {}}


def spread_county(tmp_path):
    """Two researchers, schools at 2, 8, 14, 20 km-ish: each extra school covered costs more travel.

    Travel-first gives each researcher their nearest school; coverage-first takes all four.
    """
    return make_scenario(tmp_path / "spread", [researcher("R1", "张三"), researcher("R2", "李四", subjects="语文")],
                         [school(f"S{i}", f"学校{i}", dlon=0.02 + 0.06 * i) for i in range(4)], POLICIES, name="远近")


def test_the_front_has_at_least_three_distinct_non_dominated_points_and_marks_the_current_plan(tmp_path):
    front = pareto_front(load_scenario(spread_county(tmp_path)), "coverage", "travel", points=5, workers=1, seed=0)
    assert front.first == ["coverage.priority_schools", "coverage.schools", "coverage.subjects"] and front.second == "travel.total_minutes"
    covered = [p.kpis["schools_covered"] for p in front.points]
    travel = [p.values["travel.total_minutes"] for p in front.points]
    assert len(front.points) >= 3 and len(set(travel)) == len(travel)
    assert covered == sorted(covered) and travel == sorted(travel)  # more travel buys more coverage, never less
    assert front.current is not None and front.current.values == front.points[-1].values


@pytest.mark.parametrize("between", [("coverage", "nothing"), ("coverage", "coverage")])  # unknown name; a multi-term second objective
def test_bad_objective_names_are_input_errors(tmp_path, between):
    with pytest.raises(InputError, match="--between"):
        pareto_front(load_scenario(spread_county(tmp_path)), *between, workers=1)


def test_pareto_cli_prints_the_table_and_writes_a_png(tmp_path, english):
    out = tmp_path / "p"
    result = CliRunner().invoke(main, ["pareto", str(spread_county(tmp_path)), "--points", "4", "--processes", "2", "--seed", "0", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "non-dominated plans" in result.output and "current" in result.output
    assert (out / "pareto.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "pareto.png" in (out / "pareto.md").read_text(encoding="utf-8")
