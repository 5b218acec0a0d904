"""Travel along a road network: shortest paths on tiny hand-made graphs, bad road tables, the
great-circle fallback, and a plan that follows the roads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assign.errors import InputError
from assign.load import load_scenario
from assign.locale import _
from assign.solver.passes import solve
from assign.travel.matrix import OFFICE, great_circle_km

# The messages these tests read are the English ones (tests/test_languages.py covers the Chinese).
pytestmark = pytest.mark.usefixtures("english")

RESEARCHERS = "id,name,subject,stages,base\nR1,甲,语文,小学,\nR2,乙,语文,小学,B\n"
# S1 on node A, S2 on node B, S3 by coordinates only (0.01° north of node C).
SCHOOLS = ("id,name,stages,area,node,lon,lat\n"
           "S1,甲小学,小学,城区,A,,\n"
           "S2,乙小学,小学,乡村,B,,\n"
           "S3,丙小学,小学,乡村,,112.0,34.01\n")
# O–A 10 two-way; A→B 5 one-way; B–O 30 two-way; C–O 20 two-way.
ROADS = "from,to,minutes,oneway\nO,A,10,\nA,B,5,是\nB,O,30,\nC,O,20,\n"
NODES = "id,lon,lat\nO,112.1,34.0\nA,112.2,34.0\nB,112.3,34.0\nC,112.0,34.0\n"


def write_scenario(tmp_path: Path, *, roads: str | None = ROADS, nodes: str | None = NODES, schools: str = SCHOOLS,
                   researchers: str = RESEARCHERS, office: dict | None = None, travel: dict | None = None,
                   policies: dict | None = None) -> Path:
    (tmp_path / "researchers.csv").write_text(researchers, encoding="utf-8")
    (tmp_path / "schools.csv").write_text(schools, encoding="utf-8")
    data = {"researchers": "researchers.csv", "schools": "schools.csv"}
    if roads is not None:
        (tmp_path / "roads.csv").write_text(roads, encoding="utf-8")
        data["roads"] = "roads.csv"
    if nodes is not None:
        (tmp_path / "nodes.csv").write_text(nodes, encoding="utf-8")
        data["nodes"] = "nodes.csv"
    scenario = {
        "name": "test",
        "office": office or {"node": "O"},
        "data": data,
        "travel": travel or {"detour_factor": 1.0, "off_road_kmh": 15},
        "policies": policies or {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "travel": {}},
        "solver": {"workers": 1, "seed": 0, "time_limit": 10},
    }
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


def test_shortest_paths_follow_one_way_roads_and_off_road_legs(tmp_path):
    problem = load_scenario(write_scenario(tmp_path))
    travel = problem.travel
    assert travel.method == "roads"
    leg = round(great_circle_km(112.0, 34.0, 112.0, 34.01) * 1.0 / 15 * 60, 6)  # 1.112 km at 15 km/h ≈ 4.45 min
    assert travel.minutes[OFFICE] == {"S1": 10.0, "S2": 15.0, "S3": round(20 + leg, 1)}  # O→B via A (10+5), not 30
    assert travel.minutes[OFFICE]["S3"] == 24.4
    # From base B: A is reached only the long way round (B→O→A = 40), the one-way A→B cannot be used backwards.
    assert travel.minutes["B"] == {"S1": 40.0, "S2": 0.0, "S3": round(30 + 20 + leg, 1)}
    assert problem.minutes("R2", "S1") == 40.0


def test_base_may_be_a_school_id_and_office_may_be_coordinates(tmp_path):
    researchers = "id,name,subject,stages,base\nR1,甲,语文,小学,S1\n"
    # The office 0.01° north of O: it starts with the same 4.4-minute off-road leg as S3.
    problem = load_scenario(write_scenario(tmp_path, researchers=researchers, office={"lon": 112.1, "lat": 34.01}))
    assert problem.minutes("R1", "S2") == 5.0  # from S1's node A along the one-way road
    assert problem.travel.minutes[OFFICE]["S1"] == 14.4


def test_roads_in_km_use_the_kmh_column_or_the_scenario_default(tmp_path):
    roads = "起点,终点,公里,时速\nO,A,10,60\nA,B,10,\nB,O,40,\nC,O,20,\n"
    problem = load_scenario(write_scenario(tmp_path, roads=roads, travel={"road_kmh": 30, "detour_factor": 1.0}))
    assert problem.travel.minutes[OFFICE]["S1"] == 10.0  # 10 km at 60 km/h
    assert problem.travel.minutes[OFFICE]["S2"] == 30.0  # 10 + 10 km at the default 30 km/h


def test_without_a_road_table_the_great_circle_fallback_is_used(tmp_path):
    schools = "id,name,stages,area,lon,lat\nS1,甲小学,小学,城区,112.1,34.0\n"
    path = write_scenario(tmp_path, roads=None, nodes=None, schools=schools, researchers="id,name,subject,stages\nR1,甲,语文,小学\n",
                          office={"lon": 112.0, "lat": 34.0}, travel={"detour_factor": 1.0, "speed_kmh": 60})
    problem = load_scenario(path)
    assert problem.travel.method == "great-circle"
    assert problem.travel.minutes[OFFICE]["S1"] == round(great_circle_km(112.0, 34.0, 112.1, 34.0), 1)  # 60 km/h: 1 km a minute
    assert "great-circle" in problem.travel.label


def test_duplicate_road_with_another_time_is_a_warning_and_the_shorter_is_kept(tmp_path):
    roads = ROADS + "A,O,7,\n"
    problem = load_scenario(write_scenario(tmp_path, roads=roads))
    assert problem.travel.minutes[OFFICE]["S1"] == 7.0
    assert [w for w in problem.warnings if "keeping the shorter 7" in w and "row 6" in w and "row 2" in w] != []
    assert len([w for w in problem.warnings if "keeping the shorter" in w]) == 1  # one per row, not per direction


BAD_INPUTS = [
    # a road of zero minutes: travel always takes time
    ({"roads": ROADS + "A,C,0,\n"}, "roads.csv", 6, "minutes", "expected a positive number"),
    # a negative time
    ({"roads": ROADS + "A,C,-3,\n"}, "roads.csv", 6, "minutes", "expected a positive number"),
    # a time that is not a number
    ({"roads": ROADS + "A,C,半小时,\n"}, "roads.csv", 6, "minutes", "expected a number"),
    # a road from a node to itself
    ({"roads": ROADS + "A,A,3,\n"}, "roads.csv", 6, "to", "to itself"),
    # a one-way cell that is neither yes nor no
    ({"roads": ROADS + "A,C,3,maybe\n"}, "roads.csv", 6, "oneway", "expected 是/否"),
    # a road with no end node
    ({"roads": ROADS + ",C,3,\n"}, "roads.csv", 6, "from", "must not be empty"),
    # roads in km, no kmh column, no travel.road_kmh in the scenario
    ({"roads": "from,to,km\nO,A,10\nA,B,5\nB,O,3\nC,O,4\n"}, "roads.csv", 1, "km", "no speed"),
    # roads in km with a kmh column whose cell is empty, and no default speed
    ({"roads": "from,to,km,kmh\nO,A,10,60\nA,B,5,\nB,O,3,60\nC,O,4,60\n"}, "roads.csv", 3, "kmh", "needs a speed"),
    # a road table with neither minutes nor km
    ({"roads": "from,to\nO,A\n"}, "roads.csv", 1, None, "minutes (分钟) column or a km"),
    # a school on a node the road table does not have
    ({"schools": SCHOOLS + "S4,丁小学,小学,乡村,Z,,\n"}, "schools.csv", 5, "node", "node Z is not in the road table"),
    # a school on a part of the network no start reaches: name its part
    ({"schools": SCHOOLS + "S4,丁小学,小学,乡村,X,,\n", "roads": ROADS + "X,Y,5,\n"}, "schools.csv", 5, "node",
     "separate part of the road network with 2 node(s) (e.g. X、Y)"),
    # a school behind a one-way road pointing away from it
    ({"schools": SCHOOLS + "S4,丁小学,小学,乡村,D,,\n", "roads": ROADS + "D,A,5,是\n"}, "schools.csv", 5, "node", "only against one-way roads"),
    # a school with coordinates only, but no nodes table to find the nearest node
    ({"nodes": None}, "schools.csv", 4, "lon/lat", "no road node has any"),
    # a school with neither node nor coordinates
    ({"schools": SCHOOLS + "S4,丁小学,小学,乡村,,,\n"}, "schools.csv", 5, "node", "neither a node nor lon/lat"),
    # a researcher whose base is neither a school nor a node
    ({"researchers": RESEARCHERS + "R3,丙,语文,小学,Q\n"}, "researchers.csv", 4, "base", "expected a school id or a node"),
    # the office on a node the road table does not have
    ({"office": {"node": "教研室"}}, "scenario.yaml", None, "office.node", "not in the road table"),
    # two nodes with the same id in the nodes table
    ({"nodes": NODES + "A,112.5,34.0\n"}, "nodes.csv", 6, "id", "duplicate node id"),
]


@pytest.mark.parametrize(("change", "file", "row", "column", "expected"), BAD_INPUTS)
def test_bad_road_input_names_file_row_column(tmp_path, change, file, row, column, expected):
    with pytest.raises(InputError) as caught:
        load_scenario(write_scenario(tmp_path, **change))
    problem = caught.value.problems[0]
    assert Path(problem.file).name == file
    assert problem.row == row
    assert problem.column == column
    assert expected in problem.expected, problem.expected


def test_plan_follows_a_change_in_one_road_time(tmp_path):
    """One researcher, one school: the nearer of S1 (via O–A) and S2 (via O–B) wins."""
    researchers = "id,name,subject,stages\nR1,甲,语文,小学\n"
    schools = "id,name,stages,area,node\nS1,甲小学,小学,城区,A\nS2,乙小学,小学,乡村,B\n"
    policies = {"stage_match": {}, "school_count": {"min": 1, "max": 1}, "max_travel": {"minutes": 60}, "travel": {}}
    plans = []
    for o_to_b in (30, 8):
        roads = f"from,to,minutes\nO,A,10\nO,B,{o_to_b}\n"
        problem = load_scenario(write_scenario(tmp_path, roads=roads, nodes=None, schools=schools, researchers=researchers, policies=policies))
        plan = solve(problem, workers=1, seed=0)
        assert plan.status == "OPTIMAL"
        assert plan.findings == []
        plans.append(sorted(plan.pair_set()))
    assert plans == [[("R1", "S1")], [("R1", "S2")]]


def test_a_base_school_is_zero_minutes_from_itself(tmp_path):
    researchers = "id,name,subject,stages,base\nR1,甲,语文,小学,S3\n"
    problem = load_scenario(write_scenario(tmp_path, researchers=researchers))
    assert problem.minutes("R1", "S3") == 0.0  # not two off-road legs to node C and back
    assert problem.minutes("R1", "S1") == 34.4  # 4.4 off-road + C→O 20 + O→A 10


def test_travel_command_prints_times_flags_the_cap_and_writes_a_bom_csv(tmp_path):
    from click.testing import CliRunner

    from assign.cli import main

    policies = {"stage_match": {}, "max_travel": {"minutes": 20}, "travel": {}}
    path = write_scenario(tmp_path, policies=policies)
    out = tmp_path / "travel.csv"
    result = CliRunner().invoke(main, ["travel", str(path), "--to-csv", str(out)])
    assert result.exit_code == 0, result.output
    assert _("road network shortest paths") in result.output
    assert "单程超过 20 分钟 (max_travel) 的学校: 2 / 3" in result.output  # S3 from the office; S1 and S3 from base B
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "学校代码,学校名称,乡镇,城乡类型,教研室（分钟）,驻地 B（分钟）,超过20分钟"
    assert lines[1] == "S1,甲小学,,城区,10.0,40.0,驻地 B"


def test_compiled_trees_agree_with_networkx_dijkstra_on_a_random_network():
    import random

    import networkx as nx

    from assign.bench.travel import random_network
    from assign.travel.roads import Spot, shortest_minutes

    rng = random.Random(3)
    graph = random_network(300, 900, rng)
    graph.remove_edge("n5", graph.succ["n5"].__iter__().__next__())  # some one-way roads
    names = list(graph)
    starts = {f"B{i}": Spot(name) for i, name in enumerate(rng.sample(names, 4))}
    spots = {f"S{i}": Spot(name) for i, name in enumerate(rng.sample(names, 50))}
    minutes, _ = shortest_minutes(graph, starts, spots)
    for key, start in starts.items():
        tree = nx.single_source_dijkstra_path_length(graph, start.node, weight="minutes")
        expected = {sid: round(tree[spot.node], 1) for sid, spot in spots.items() if spot.node in tree}
        assert minutes[key] == expected
