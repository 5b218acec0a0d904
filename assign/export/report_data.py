"""The figures a report draws, gathered from the plan and the problem: where things are on the map,
which pairs a what-if adds or removes, and the sums behind the charts.

Nothing here solves or audits again; it only arranges what the plan already says for drawing.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from assign.plan import Plan
from assign.problem import Problem
from assign.travel.matrix import OFFICE

AREAS = ("城区", "镇区", "乡村")
MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 760.0, 560.0, 28.0


@dataclass(frozen=True)
class Line:
    """One researcher-school pair on the map: from the researcher's start to the school."""

    researcher_id: str
    school_id: str
    minutes: float
    change: str  # kept, added (not in the base plan) or removed (only in the base plan)
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass
class MapLayout:
    """Projected positions (SVG units) of the office, the bases in use and every school, and the lines."""

    office: tuple[float, float] | None
    bases: dict[str, tuple[float, float]] = field(default_factory=dict)
    schools: dict[str, tuple[float, float]] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # school ids with neither lon/lat nor a known node


def _lonlat(problem: Problem, nodes: dict[str, tuple[float, float]]) -> tuple[tuple[float, float] | None, dict[str, tuple[float, float]],
                                                                              dict[str, tuple[float, float]]]:
    """lon/lat of the office, of each trip start key in use, and of each school (coordinates first, else its node)."""
    schools = {}
    for s in problem.schools:
        if s.lon is not None and s.lat is not None:
            schools[s.id] = (s.lon, s.lat)
        elif s.node is not None and s.node in nodes:
            schools[s.id] = nodes[s.node]
    office = problem.scenario.office
    office_at = (office.lon, office.lat) if office.lon is not None and office.lat is not None else nodes.get(office.node or "")
    starts: dict[str, tuple[float, float]] = {}
    for key in set(problem.travel.start_of.values()):
        point = office_at if key == OFFICE else schools.get(key) or nodes.get(key)
        if point is not None:
            starts[key] = point
    return office_at, starts, schools


def map_layout(problem: Problem, plan: Plan, nodes: dict[str, tuple[float, float]] | None = None,
               base: Plan | None = None, base_problem: Problem | None = None) -> MapLayout:
    """Project lon/lat onto the SVG box (equirectangular, x scaled by cos of the mean latitude:
    a county is small enough that this keeps its shape) and lay out one line per pair."""
    nodes = nodes or {}
    office, starts, schools = _lonlat(problem, nodes)
    if base_problem is not None and base_problem is not problem:
        _, base_starts, base_schools = _lonlat(base_problem, nodes)
        starts = {**base_starts, **starts}
        schools = {**base_schools, **schools}
    points = list(schools.values()) + list(starts.values()) + ([office] if office else [])
    if not points:
        return MapLayout(office=None, unplaced=[s.id for s in problem.schools])
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = max((lon1 - lon0) * kx, 1e-9), max(lat1 - lat0, 1e-9)
    scale = min((MAP_WIDTH - 2 * MAP_PAD) / span_x, (MAP_HEIGHT - 2 * MAP_PAD) / span_y)
    off_x = (MAP_WIDTH - span_x * scale) / 2
    off_y = (MAP_HEIGHT - span_y * scale) / 2

    def xy(point: tuple[float, float]) -> tuple[float, float]:
        # North up: SVG y grows downwards.
        return (round(off_x + (point[0] - lon0) * kx * scale, 1), round(MAP_HEIGHT - off_y - (point[1] - lat0) * scale, 1))

    layout = MapLayout(
        office=xy(office) if office else None,
        bases={key: xy(p) for key, p in starts.items() if key != OFFICE},
        schools={sid: xy(p) for sid, p in schools.items()},
        unplaced=[s.id for s in problem.schools if s.id not in schools],
    )
    before = base.pair_set() if base is not None else None
    start_xy = {key: xy(p) for key, p in starts.items()}
    for a in plan.pairs:
        change = "kept" if before is None or (a.researcher_id, a.school_id) in before else "added"
        layout.lines.append(_line(problem, start_xy, layout.schools, a.researcher_id, a.school_id, a.minutes, change))
    if base is not None:
        now = plan.pair_set()
        who = base_problem or problem
        for a in base.pairs:
            if (a.researcher_id, a.school_id) not in now:
                layout.lines.append(_line(who, start_xy, layout.schools, a.researcher_id, a.school_id, a.minutes, "removed"))
    layout.lines = [line for line in layout.lines if line is not None]
    return layout


def _line(problem: Problem, starts, schools, rid: str, sid: str, minutes: float, change: str) -> Line | None:
    key = problem.travel.start_of.get(rid, OFFICE)
    if key not in starts or sid not in schools:
        return None
    return Line(rid, sid, minutes, change, starts[key], schools[sid])


@dataclass(frozen=True)
class Changes:
    """A what-if against its base: pairs added and removed, and researchers whose schools changed."""

    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    kpis: list[tuple[str, object, object]]  # (KPI key, base value, this plan's value) where they differ


def changes(plan: Plan, base: Plan) -> Changes:
    now, before = plan.pair_set(), base.pair_set()
    kpis = [(k, base.kpis.get(k), v) for k, v in plan.kpis.items() if base.kpis.get(k) != v]
    return Changes(sorted(now - before), sorted(before - now), kpis)


def travel_per_researcher(problem: Problem, plan: Plan) -> list[tuple[str, float, int]]:
    """(researcher id, one-way minutes summed over their schools, school count), longest first."""
    minutes: dict[str, float] = defaultdict(float)
    count: Counter = Counter()
    for a in plan.pairs:
        minutes[a.researcher_id] += a.minutes
        count[a.researcher_id] += 1
    rows = [(r.id, round(minutes.get(r.id, 0.0), 1), count.get(r.id, 0)) for r in problem.researchers]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def coverage_by_township(problem: Problem, plan: Plan) -> list[tuple[str, int, int]]:
    """(township, schools with a researcher, schools), in the schools table's order of townships."""
    covered = {a.school_id for a in plan.pairs}
    total: dict[str, int] = {}
    hit: Counter = Counter()
    for s in problem.schools:
        name = s.township or "—"
        total[name] = total.get(name, 0) + 1
        hit[name] += s.id in covered
    return [(name, hit[name], n) for name, n in total.items()]


def area_split(problem: Problem, plan: Plan) -> list[tuple[str, int, int, int]]:
    """(area, schools, schools covered, contacts) for 城区, 镇区, 乡村: the urban/rural balance."""
    covered = {a.school_id for a in plan.pairs}
    contacts = Counter(problem.school[a.school_id].area for a in plan.pairs)
    out = []
    for area in AREAS:
        ids = [s.id for s in problem.schools if s.area == area]
        out.append((area, len(ids), sum(1 for sid in ids if sid in covered), contacts.get(area, 0)))
    return out
