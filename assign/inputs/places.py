"""Schools an office lists without a place: each takes its township's position, with a warning naming it.

A clerk's list often lacks the coordinates of a few village schools (教学点) and there is no road table.
The township (乡镇) is known: the school is placed where a 乡镇 table (`data.townships`: 乡镇, 经度, 纬度)
puts the township, else at the centre of the township's other schools (the mean of their lon/lat), else,
when those sit on road nodes without coordinates, on the node most of them sit on. Only a school whose
township gives no place either stays without one, and is then an error.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from assign.errors import CellProblem, InputError
from assign.inputs.tables import MAX_ROWS, read_table
from assign.locale import _
from assign.models import School, cell_text

TOWNSHIP_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("township", "name", "乡镇", "乡镇名称", "乡镇街道"),
    "lon": ("lon", "经度", "longitude"),
    "lat": ("lat", "纬度", "latitude"),
}
TOWNSHIP_REQUIRED = ("name", "lon", "lat")


def read_townships(path: Path) -> dict[str, tuple[float, float]]:
    """A 乡镇 table: township name → (lon, lat). A bad number, a place off the globe or a township given twice
    is a CellProblem naming the row, all of them together."""
    table = read_table(path, TOWNSHIP_COLUMNS, TOWNSHIP_REQUIRED, MAX_ROWS)
    places: dict[str, tuple[float, float]] = {}
    first: dict[str, int] = {}
    problems = []
    for row in table.rows:
        name = cell_text(row.values.get("name"))
        if name is None:
            problems.append(CellProblem(table.where, row.number, table.header("name"), None, _("must not be empty")))
            continue
        point = []
        for key, limit in (("lon", 180), ("lat", 90)):
            value = row.values.get(key)
            try:
                number = float(str(value).strip())
            except ValueError:
                number = math.nan
            if not -limit <= number <= limit:  # NaN fails too
                problems.append(CellProblem(table.where, row.number, table.header(key), value, _("expected a number within ±{limit}")
                                                                                                   .format(limit=limit)))
            point.append(number)
        if name in first:
            problems.append(CellProblem(table.where, row.number, table.header("name"), name, _("township given twice: also on row {value}")
                                                                                                 .format(value=first[name])))
        first.setdefault(name, row.number)
        places.setdefault(name, (point[0], point[1]))
    if problems:
        raise InputError(problems)
    return places


def place_by_township(schools: list[School], townships: dict[str, tuple[float, float]] | None = None) -> tuple[list[School], list[str]]:
    """`schools` with each placeless one put at its township's position, and a warning per school so placed."""
    townships = townships or {}
    spots: dict[str, list[tuple[float, float]]] = {}
    nodes: dict[str, Counter] = {}
    for s in schools:
        if s.township and s.lon is not None and s.lat is not None:
            spots.setdefault(s.township, []).append((s.lon, s.lat))
        if s.township and s.node is not None:
            nodes.setdefault(s.township, Counter())[s.node] += 1
    out, warnings = [], []
    for s in schools:
        placeless = s.node is None and (s.lon is None or s.lat is None)
        if placeless and s.township in townships:
            lon, lat = townships[s.township]
            s = s.model_copy(update={"lon": lon, "lat": lat})
            warnings.append(_("{source}, row {row}: school {name} ({id}) has no coordinates: placed at its township {township} of the townships "
                              "table ({lon}, {lat})")
                            .format(source=s.source, row=s.row, name=s.name, township=s.township, lon=f"{lon:.4f}", lat=f"{lat:.4f}", id=s.id))
        elif placeless and s.township in spots:
            points = spots[s.township]
            lon, lat = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
            s = s.model_copy(update={"lon": round(lon, 6), "lat": round(lat, 6)})
            warnings.append(_("{source}, row {row}: school {name} ({id}) has no coordinates: placed at the centre of the {n} other schools of "
                              "{township} ({lon}, {lat})")
                            .format(source=s.source, row=s.row, name=s.name, township=s.township, n=len(points), lon=f"{lon:.4f}",
                                    lat=f"{lat:.4f}", id=s.id))
        elif placeless and s.township in nodes:
            node, count = nodes[s.township].most_common(1)[0]
            s = s.model_copy(update={"node": node})
            warnings.append(_("{source}, row {row}: school {name} ({id}) has neither a road node nor coordinates: put on node {node}, where "
                              "{count} schools of {township} are")
                            .format(source=s.source, row=s.row, name=s.name, township=s.township, count=count, node=node, id=s.id))
        out.append(s)
    return out, warnings
