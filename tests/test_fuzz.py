"""Nothing a user hands in ends in a traceback: random table cells, scenario values and plan files,
through the command line. Every run exits 0, 1, 3 or 4; an exit 1 names a file.

hypothesis with a fixed seed (`derandomize`) and a bounded number of examples, so the suite stays
fast and a failure reproduces; on a failure hypothesis prints the smallest input it found.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import make_scenario, researcher, school
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assign.cli import main

EXAMPLES = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
RESEARCHER_COLUMNS = ["id", "name", "subjects", "stages", "kind", "base", "min_schools", "max_schools", "avoid_schools", "unavailable"]
SCHOOL_COLUMNS = ["id", "name", "stages", "area", "township", "lon", "lat", "priority", "ownership", "central",
                  "subjects_needed", "max_researchers", "blackout", "research_days"]
POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {},
            "max_travel": {"minutes": 90}}

# What a careless or hostile user puts in a cell: words, numbers of any size, dates, formulas, control characters.
EDGE_CELLS = st.sampled_from(["", " ", "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "../../evil", "王/李", "a\nb", "\x07",
                              "张\x1b三", "1e20", "99999999999999999999", "-0", "nan", "inf", "2027-02-30", "9999-12-31", "小学、初中",
                              "乡村", "是", "周三", "[a]:b*?", "长" * 200])
CELLS = st.one_of(  # the edge cases drawn as often as everything else together
    EDGE_CELLS,
    st.one_of(st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=300), st.integers().map(str),
              st.floats(allow_nan=True, allow_infinity=True).map(str)),
)
EDGES = st.sampled_from([10**20, 2**63, 1e308, -1, 0, 0.5, "abc", "", "2027-02-30", "9999-01-01", [], {}, None, True])
VALUES = st.recursive(EDGES | st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def county(folder: Path) -> Path:
    return make_scenario(
        folder,
        [researcher("R1", "张三", min_schools=1, max_schools=2), researcher("R2", "李四", subjects="语文", stages="小学、初中")],
        [school("S1", "城关小学", township="城关", priority=2), school("S2", "东街中学", stages="初中", dlon=0.02),
         school("S3", "河口村小", area="乡村", dlon=0.06, township="河口镇")],
        POLICIES,
        calendar={"terms": [{"name": "2026秋", "start": "2026-09-07", "end": "2026-10-16"}],
                  "visit_rules": {"visits_per_term": {"min": 1}}, "time_limit": 5},
    )


def assert_clean_exit(result, *files: str) -> None:
    """Exit 0, 1, 3 or 4, no traceback; an exit 1 says which file."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 3, 4), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert any(name in result.stderr for name in files), result.stderr


def solve(path: Path):
    """Solve and write (the writers meet every name), into a folder beside the scenario."""
    return CliRunner().invoke(main, ["solve", str(path), "-o", str(path.parent / "out"), "-q", "--time-limit", "5"])


@settings(EXAMPLES, max_examples=100)
@given(table=st.sampled_from(["researchers", "schools"]), row=st.integers(0, 1), data=st.data(), value=CELLS)
def test_any_table_cell_gives_a_plan_or_a_clear_error(tmp_path_factory, table, row, data, value):
    path = county(tmp_path_factory.mktemp("cell"))
    columns = RESEARCHER_COLUMNS if table == "researchers" else SCHOOL_COLUMNS
    column = data.draw(st.sampled_from(columns))
    csv_path = path.parent / f"{table}.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    if column not in header:
        header.append(column)
        rows = [r + [""] for r in rows]
    rows[row][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    assert_clean_exit(solve(path), f"{table}.csv", "scenario.yaml")


@EXAMPLES
@given(section=st.sampled_from(["policies", "solver", "travel", "office", "contact_period", "objective", "calendar"]),
       key=st.text(min_size=1, max_size=12) | st.sampled_from(["min", "max", "minutes", "weight", "time_limit", "seed", "workers",
                                                                 "parameters", "speed_kmh", "detour_factor", "start", "years", "mode"]),
       value=VALUES, data=st.data())
def test_any_scenario_value_gives_a_plan_or_a_clear_error(tmp_path_factory, section, key, value, data):
    path = county(tmp_path_factory.mktemp("scenario"))
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    if section == "policies":
        policy = data.draw(st.sampled_from(sorted(POLICIES)))
        scenario["policies"][policy] = {key: value}
    elif isinstance(scenario.get(section), dict):
        scenario[section][key] = value
    else:
        scenario[section] = value
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    assert_clean_exit(solve(path), "scenario.yaml")


@EXAMPLES
@given(content=st.binary(max_size=200) | VALUES.map(lambda v: json.dumps(v).encode()),
       command=st.sampled_from(["calendar", "explain", "solve"]))
def test_any_plan_file_is_read_or_refused_clearly(tmp_path_factory, content, command):
    path = county(tmp_path_factory.mktemp("plan"))
    plan = path.parent / "plan.json"
    plan.write_bytes(content)
    args = {"calendar": ["calendar", str(path), "--term", "2026秋", "--plan", str(plan), "--no-write", "-q"],
            "explain": ["explain", str(plan), "R1", "--scenario", str(path)],
            "solve": ["solve", str(path), "--from", str(plan), "--no-write", "-q"]}[command]
    assert_clean_exit(CliRunner().invoke(main, args), "plan.json")
