"""The county's road network: reading the roads and nodes tables, and travel minutes along it.

A road table gives each road's minutes, or its km and a speed; roads are two-way unless marked
one-way. Schools sit on a node (`node` column) or, with only coordinates, on the nearest node
that has coordinates plus a short off-road leg. Researchers start at the office or their base.

Minutes come from one shortest-path tree per distinct start node (networkx Dijkstra), never one
search per (start, school) pair: a county has a handful of starts and a hundred-odd schools.
School-to-school minutes (`RoadBetween`) grow a tree per source school only when asked, and keep it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from assign.errors import CellProblem, InputError
from assign.inputs.tables import NODE_COLUMNS, NODE_REQUIRED, ROAD_COLUMNS, ROAD_REQUIRED, Table, read_table
from assign.locale import _
from assign.models import Researcher, School, cell_text
from assign.scenario import ScenarioFile
from assign.travel.matrix import OFFICE, TravelMatrix, great_circle_km

if TYPE_CHECKING:  # networkx, numpy and scipy load when a road table is read: `assign --help` and `plugins` need none
    import networkx as nx
    import numpy as np

TRUE_WORDS = {"是", "单行", "y", "yes", "true", "1", "oneway"}
FALSE_WORDS = {"否", "双向", "n", "no", "false", "0"}


@dataclass(frozen=True)
class RoadNetwork:
    """A directed graph of nodes (str ids) whose arcs carry `minutes`, and the nodes' coordinates."""

    graph: nx.DiGraph
    coords: dict[str, tuple[float, float]]
    roads_file: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spot:
    """Where a trip starts or ends on the network: a node, plus minutes off-road to reach it."""

    node: str
    leg: float = 0.0
    column: str = "node"  # the input column the spot came from, for messages
    value: object = None


@dataclass
class _Collect:
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str | None, value: object, expected: str) -> None:
        self.problems.append(CellProblem(file, row, column, value, expected))


# --- reading -------------------------------------------------------------------------------------


# The most a single road may say: beyond, the cell is a typo (and 1e308 km at 1e-7 km/h is no time at all).
ROAD_LIMITS = {"minutes": 1440.0, "km": 1000.0, "kmh": 150.0}


def _number(table: Table, row: int, name: str, value: object, out: _Collect) -> float | None:
    """A positive number up to ROAD_LIMITS, or None for an empty cell; anything else is a problem."""
    if cell_text(value) is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        out.add(str(table.path), row, table.header(name), value, _("expected a number"))
        return None
    if not math.isfinite(number) or number <= 0:
        out.add(str(table.path), row, table.header(name), value, _("expected a positive number: a road takes some time"))
        return None
    if number > ROAD_LIMITS[name]:
        out.add(str(table.path), row, table.header(name), value, _("expected at most {value} for one road").format(value=f"{ROAD_LIMITS[name]:g}"))
        return None
    return number


def read_nodes(path: Path) -> dict[str, tuple[float, float]]:
    """Node id → (lon, lat). Duplicate ids and bad coordinates are errors."""
    table = read_table(path, NODE_COLUMNS, NODE_REQUIRED)
    out = _Collect()
    coords: dict[str, tuple[float, float]] = {}
    rows: dict[str, int] = {}
    for row in table.rows:
        node = cell_text(row.values.get("id"))
        if node is None:
            out.add(str(path), row.number, table.header("id"), None, _("must not be empty: expected a node id"))
            continue
        point = []
        for name, limit in (("lon", 180), ("lat", 90)):
            value = row.values.get(name)
            try:
                number = float(str(value).strip())
                if not -limit <= number <= limit:
                    raise ValueError
                point.append(number)
            except ValueError:
                out.add(str(path), row.number, table.header(name), value, _("expected a WGS84 {name} between -{limit} and {limit}")
                                                                          .format(name=name, limit=limit))
        if node in coords:
            out.add(str(path), row.number, table.header("id"), node, _("duplicate node id: already on row {value}").format(value=rows[node]))
        elif len(point) == 2:
            coords[node], rows[node] = (point[0], point[1]), row.number
    if out.problems:
        raise InputError(out.problems)
    return coords


def read_network(roads: Path, nodes: Path | None = None, road_kmh: float | None = None,
                 edit: Callable[[Table], Table] | None = None) -> RoadNetwork:
    """Read the roads table (and the nodes table) into a RoadNetwork.

    Errors: missing ends, self-loops, zero or negative times, km without a speed. Two rows for
    the same road with different times are odd but usable: the shorter is kept, with a warning.
    """
    table = read_table(roads, ROAD_COLUMNS, ROAD_REQUIRED)
    if edit is not None:  # a what-if's road edits (assign.inputs.extend), before any cell is checked
        table = edit(table)
    file = str(roads)
    if "minutes" not in table.headers and "km" not in table.headers:
        raise InputError.at(file, 1, None, list(table.headers.values()), _("a road table needs a minutes (分钟) column or a km (公里) column"))
    if "km" in table.headers and "minutes" not in table.headers and "kmh" not in table.headers and road_kmh is None:
        raise InputError.at(file, 1, table.header("km"), None,
                            _("roads are given in km but there is no speed: add a kmh (时速) column or set travel.road_kmh in the scenario"))
    import networkx as nx

    out = _Collect()
    graph = nx.DiGraph()
    row_of: dict[tuple[str, str], int] = {}
    for row in table.rows:
        ends = []
        for name in ("from", "to"):
            node = cell_text(row.values.get(name))
            if node is None:
                out.add(file, row.number, table.header(name), None, _("must not be empty: expected a node id"))
            ends.append(node)
        minutes = _minutes(table, row.number, row.values, road_kmh, out)
        oneway = _oneway(table, row.number, row.values.get("oneway"), out)
        if None in ends or minutes is None or oneway is None:
            continue
        a, b = ends
        if a == b:
            out.add(file, row.number, table.header("to"), b, _("a road from node {a} to itself: expected two different nodes").format(a=a))
            continue
        warned = False  # one warning per row, not one per direction
        for u, v in ((a, b),) if oneway else ((a, b), (b, a)):
            if graph.has_edge(u, v):
                kept = graph[u][v]["minutes"]
                if kept != minutes and not warned:
                    warned = True
                    out.warnings.append(_("{file} row {number}: road {u}→{v} is also on row {value} with {kept} min instead of {minutes} min; "
                                          "keeping the shorter {min} min")
.format(file=file, number=row.number, u=u, v=v, value=row_of[(u, v)], kept=f"{kept:g}", minutes=f"{minutes:g}", min=f"{min(kept, minutes):g}"))
                if minutes >= kept:
                    continue
            graph.add_edge(u, v, minutes=minutes)
            row_of[(u, v)] = row.number
    if out.problems:
        raise InputError(out.problems)
    if graph.number_of_nodes() == 0:
        raise InputError.at(file, None, None, None, _("the road table has no roads"))
    coords = read_nodes(nodes) if nodes is not None else {}
    return RoadNetwork(graph=graph, coords=coords, roads_file=file, warnings=tuple(out.warnings))


def _minutes(table: Table, row: int, values: dict, road_kmh: float | None, out: _Collect) -> float | None:
    minutes = _number(table, row, "minutes", values.get("minutes"), out)
    if minutes is not None or cell_text(values.get("minutes")) is not None:
        return minutes
    km = _number(table, row, "km", values.get("km"), out)
    if km is None:
        if cell_text(values.get("km")) is None:
            out.add(str(table.path), row, table.header("minutes" if "minutes" in table.headers else "km"), None,
                    _("empty: expected the road's minutes, or its km"))
        return None
    kmh = _number(table, row, "kmh", values.get("kmh"), out)
    if kmh is None and cell_text(values.get("kmh")) is not None:
        return None
    kmh = kmh or road_kmh
    if kmh is None:
        out.add(str(table.path), row, table.header("kmh") if "kmh" in table.headers else table.header("km"), None,
                _("a road in km needs a speed: fill kmh (时速) or set travel.road_kmh in the scenario"))
        return None
    return km / kmh * 60.0


def _oneway(table: Table, row: int, value: object, out: _Collect) -> bool | None:
    text = cell_text(value)
    if text is None or text.lower() in FALSE_WORDS:
        return False
    if text.lower() in TRUE_WORDS:
        return True
    out.add(str(table.path), row, table.header("oneway"), value, _("expected 是/否: is the road one-way from → to?"))
    return None


# --- attaching schools and starts ------------------------------------------------------------------


class _Nearest:
    """Nearest road node with coordinates to a point (great-circle), by one vectorised scan.

    numpy rather than a spatial index: attaching a few hundred schools to a few thousand nodes
    is then milliseconds, and the result is exact.
    """

    def __init__(self, network: RoadNetwork):
        import numpy as np

        self.np = np
        points = [(node, point) for node, point in network.coords.items() if node in network.graph]
        self.nodes = [node for node, _ in points]
        self.points = [point for _, point in points]
        self.lon = np.radians([p[0] for p in self.points])
        self.lat = np.radians([p[1] for p in self.points])

    def __call__(self, lon: float, lat: float) -> tuple[str, float] | None:
        if not self.nodes:
            return None
        np, phi = self.np, math.radians(lat)
        h = np.sin((self.lat - phi) / 2) ** 2 + math.cos(phi) * np.cos(self.lat) * np.sin((self.lon - math.radians(lon)) / 2) ** 2
        best = int(np.argmin(h))  # haversine is monotone in h
        return self.nodes[best], great_circle_km(lon, lat, *self.points[best])


def _leg_minutes(km: float, scenario: ScenarioFile) -> float:
    return km * scenario.travel.detour_factor / scenario.travel.off_road_kmh * 60.0


def _spot_of_school(s: School, network: RoadNetwork, nearest: _Nearest, scenario: ScenarioFile, out: _Collect) -> Spot | None:
    if s.node is not None:
        if s.node not in network.graph:
            out.add(s.source, s.row, s.column("node"), s.node, _("school {id} {name}: node {node} is not in the road table {roads_file}")
                                                               .format(id=s.id, name=s.name, node=s.node, roads_file=network.roads_file))
            return None
        return Spot(s.node, 0.0, s.column("node"), s.node)
    if s.lon is None or s.lat is None:
        out.add(s.source, s.row, s.column("node"), None,
                _("school {id} {name} has neither a node nor lon/lat: one of them is needed to place it on the road network")
                .format(id=s.id, name=s.name))
        return None
    found = nearest(s.lon, s.lat)
    if found is None:
        out.add(s.source, s.row, f"{s.column('lon')}/{s.column('lat')}", (s.lon, s.lat),
                _("school {id} {name} has only coordinates, but no road node has any: add a nodes table (id, lon, lat) or a node column")
                .format(id=s.id, name=s.name))
        return None
    return Spot(found[0], _leg_minutes(found[1], scenario), f"{s.column('lon')}/{s.column('lat')}", (s.lon, s.lat))


def _office_spot(scenario: ScenarioFile, network: RoadNetwork, nearest: _Nearest, source: str, out: _Collect) -> Spot | None:
    office = scenario.office
    if office.node is not None:
        if office.node not in network.graph:
            out.add(source, None, "office.node", office.node, _("the office's node is not in the road table {roads_file}")
                                                              .format(roads_file=network.roads_file))
            return None
        return Spot(office.node, 0.0, "office.node", office.node)
    if office.lon is None or office.lat is None:
        out.add(source, None, "office", office.model_dump(exclude_none=True),
                _("the office needs a node (or lon and lat) to start trips on the road network"))
        return None
    found = nearest(office.lon, office.lat)
    if found is None:
        out.add(source, None, "office", (office.lon, office.lat),
                _("the office has only coordinates, but no road node has any: add a nodes table or office.node"))
        return None
    return Spot(found[0], _leg_minutes(found[1], scenario), "office", (office.lon, office.lat))


# --- minutes ---------------------------------------------------------------------------------------


def road_matrix(
    network: RoadNetwork,
    scenario: ScenarioFile,
    researchers: list[Researcher],
    schools: list[School],
    source: str,
) -> TravelMatrix:
    """One-way minutes from the office and every base in use to every school, along the roads."""
    out = _Collect()
    nearest = _Nearest(network)
    spots = {s.id: _spot_of_school(s, network, nearest, scenario, out) for s in schools}
    starts: dict[str, Spot | None] = {OFFICE: _office_spot(scenario, network, nearest, source, out)}
    start_of: dict[str, str] = {}
    for r in researchers:
        key = OFFICE if r.base is None else r.base
        start_of[r.id] = key
        if key in starts:
            continue
        if key in spots:  # a school id: the researcher starts where that school sits
            starts[key] = spots[key]
        elif key in network.graph:
            starts[key] = Spot(key, 0.0, "base", key)
        else:
            out.add(r.source, r.row, r.column("base"), key,
                    _("unknown base for researcher {id} {name}: expected a school id or a node of the road table {roads_file}")
                    .format(id=r.id, name=r.name, roads_file=network.roads_file))
    if out.problems:
        raise InputError(out.problems)
    sparse = _sparse(network.graph)  # built once: the matrix's trees and the school-to-school trees share it
    minutes, unreachable = shortest_minutes(network.graph, {k: v for k, v in starts.items() if v is not None},
                                            {k: v for k, v in spots.items() if v is not None}, sparse)
    if unreachable:
        components = _Components(network.graph)
        by_id = {s.id: s for s in schools}
        for sid, keys in unreachable.items():
            s, spot = by_id[sid], spots[sid]
            names = "、".join(_("the office") if k == OFFICE else _("base {base}").format(base=k) for k in keys)
            out.add(s.source, s.row, spot.column, spot.value,
                    _("school {id} {name} (node {node}) cannot be reached from {names}: {why}; check the roads that should link it")
                    .format(id=s.id, name=s.name, node=spot.node, names=names, why=components.describe(spot.node, [starts[k].node for k in keys])))
        raise InputError(out.problems)
    for s in schools:
        if s.minutes is not None:  # the office's own 单程分钟 stand for the trip from the office
            minutes[OFFICE][s.id] = round(s.minutes, 1)
    return TravelMatrix(method="roads", minutes=minutes, start_of=start_of).attach(RoadBetween(*sparse, spots))


def _sparse(graph: nx.DiGraph):
    """The graph as scipy's CSR matrix of minutes, and each node's row in it."""
    import networkx as nx

    nodes = list(graph)
    return {node: i for i, node in enumerate(nodes)}, nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="minutes", format="csr")


def _trees(graph: nx.DiGraph, start_nodes: list[str], targets: list[str], sparse=None) -> dict[str, list[float]]:
    """One shortest-path tree per start node: minutes to each target node (NaN where unreachable).

    The network stays a networkx graph (validation, components, messages); the trees are grown by
    scipy's compiled Dijkstra on the graph's sparse matrix, all starts in one call. networkx's own
    `single_source_dijkstra_path_length` costs about 0.16-0.3 s of CPU per start on a 20,000-node
    network, so 100 starts could not meet the 10 s target on two cores; scipy does them in ~1 s.
    """
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    index, matrix = sparse or _sparse(graph)
    distances = dijkstra(matrix, directed=True, indices=[index[node] for node in start_nodes])
    columns = [index[node] for node in targets]
    trees = {}
    for node, row in zip(start_nodes, distances):
        picked = row[columns]
        picked[~np.isfinite(picked)] = np.nan
        trees[node] = picked.tolist()
    return trees


def shortest_minutes(
    graph: nx.DiGraph, starts: dict[str, Spot], spots: dict[str, Spot], sparse=None
) -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    """Minutes start → school (rounded to 0.1) and, by school, the starts that cannot reach it.

    One Dijkstra tree per distinct start node; starts on the same node share it.
    """
    sids = list(spots)
    legs = [spots[sid].leg for sid in sids]
    start_nodes = list(dict.fromkeys(start.node for start in starts.values()))
    trees = _trees(graph, start_nodes, [spots[sid].node for sid in sids], sparse)
    minutes: dict[str, dict[str, float]] = {}
    unreachable: dict[str, list[str]] = {}
    for key, start in starts.items():
        along, leg = trees[start.node], start.leg
        # NaN compares unequal to itself: it marks a school the tree did not reach.
        row = {sid: round(leg + a + b, 1) for sid, a, b in zip(sids, along, legs) if a == a}
        if len(row) < len(sids):
            for sid, a in zip(sids, along):
                if a != a and sid != key:
                    unreachable.setdefault(sid, []).append(key)
        if key in spots:  # a base at this very school: no trip, not two off-road legs
            row[key] = 0.0
        minutes[key] = row
    return minutes, unreachable


class RoadBetween:
    """One-way minutes from one school to another along the roads, by the method of `road_matrix`:
    the source school's off-road leg, the shortest path between the two nodes, the target's leg.

    Trees are grown one per source node, on first use, and kept: a term's calendar asks about the
    few pairs of schools that share a researcher, and a province must not pay for all pairs.
    """

    def __init__(self, index: dict[str, int], matrix, spots: dict[str, Spot | None]):
        self.index, self.matrix = index, matrix
        self.spots = {sid: spot for sid, spot in spots.items() if spot is not None}
        self.trees: dict[int, np.ndarray] = {}

    def __call__(self, a: str, b: str) -> float:
        if a == b:
            return 0.0  # as a base at the school itself: no trip, not two off-road legs
        start, end = self.spots[a], self.spots[b]
        along = float(self._tree(self.index[start.node])[self.index[end.node]])
        if not math.isfinite(along):
            return math.inf  # only against one-way roads, or another part of the network
        return round(start.leg + along + end.leg, 1)  # the matrix's order of addition, so the same float

    def _tree(self, row: int) -> np.ndarray:
        if row not in self.trees:
            from scipy.sparse.csgraph import dijkstra

            self.trees[row] = dijkstra(self.matrix, directed=True, indices=row)
        return self.trees[row]

    def only(self, school_ids: list[str]) -> "RoadBetween":
        return RoadBetween(self.index, self.matrix, {sid: self.spots[sid] for sid in school_ids if sid in self.spots})

    def __getstate__(self) -> dict:
        # A problem sent to a worker process carries the network, not the trees grown so far.
        return {**self.__dict__, "trees": {}}

    def __eq__(self, other: object) -> bool:
        # Problems built twice from the same tables compare equal (pydantic compares private attributes).
        if not isinstance(other, RoadBetween):
            return NotImplemented
        return (self.spots == other.spots and self.index == other.index and self.matrix.shape == other.matrix.shape
                and (self.matrix != other.matrix).nnz == 0)


class _Components:
    """Weakly connected parts of the network, to tell the user where an unreachable school lies."""

    def __init__(self, graph: nx.DiGraph):
        import networkx as nx

        self.part: dict[str, set[str]] = {}
        for nodes in nx.weakly_connected_components(graph):
            for node in nodes:
                self.part[node] = nodes
        self.parts = len({id(p) for p in self.part.values()})

    def describe(self, node: str, start_nodes: list[str]) -> str:
        nodes = self.part[node]
        if any(start in nodes for start in start_nodes):
            return _("its node is linked to the start only against one-way roads")
        sample = "、".join(sorted(nodes)[:3])
        return _("its node lies in a separate part of the road network with {n} node(s) (e.g. {sample}), one of {parts} parts").format(
            n=len(nodes), sample=sample, parts=self.parts)
