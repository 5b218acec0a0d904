"""Schools an office lists without a place: each takes its township's position, with a warning naming it.

A clerk's list often lacks the coordinates of a few village schools (教学点) and there is no road table.
The township (乡镇) is known, and the township's other schools are: the school is placed at their centre
(the mean of their lon/lat), or, when they sit on road nodes and have no coordinates, on the node most of
them sit on. Only a school whose township gives no place either stays without one, and is then an error.
"""

from __future__ import annotations

from collections import Counter

from assign.models import School


def place_by_township(schools: list[School]) -> tuple[list[School], list[str]]:
    """`schools` with each placeless one put at its township's position, and a warning per school so placed."""
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
        if placeless and s.township in spots:
            points = spots[s.township]
            lon, lat = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
            s = s.model_copy(update={"lon": round(lon, 6), "lat": round(lat, 6)})
            warnings.append(f"{s.source} 第{s.row}行: 学校 {s.name} 没有经纬度，取{s.township}其他{len(points)}所学校的中心位置 "
                            f"({lon:.4f}, {lat:.4f}) (school {s.id} has no coordinates: placed at its township's centre)")
        elif placeless and s.township in nodes:
            node, count = nodes[s.township].most_common(1)[0]
            s = s.model_copy(update={"node": node})
            warnings.append(f"{s.source} 第{s.row}行: 学校 {s.name} 没有路网节点和经纬度，取{s.township}{count}所学校所在的节点 {node} "
                            f"(school {s.id} has no place: put on its township's node)")
        out.append(s)
    return out, warnings
