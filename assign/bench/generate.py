"""Synthetic regions in the input format, for benchmarks and tests: `assign generate`.

A region is one or more counties. Each county has a county town (城区 schools around its seat),
townships (a 镇区 seat with village 乡村 schools around it) and its own researchers, who start
at their county office. The mix of stages, areas, priorities, school caps and researchers'
subjects is sampled from the demo county's tables, so a generated county looks like the demo.

County seats are far enough apart that the default 90-minute cap keeps each county's
researchers inside their own county (as a county office assigns only its own schools): the
candidate graph then splits into one component per county. Researchers of city and province
regions carry a `base` (the school at their county seat), since one office point for a whole
province would make every trip absurd.

The single-office sizes (`county-120`, `county-250`, `county-400`: 120 × 500, 250 × 1,000 and
400 × 1,500) are one big county made like the demo: a road table with the office in the county
town, townships on a ring road with main roads out from the town, and a village road to each
rural school; trips start at the office, the objective is the demo's lexicographic one. Their
candidate graph is one large component (the 学前, 特教 and 高中 researchers form small ones beside it).
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assign.load import DEMO_SCENARIO
from assign.vocab import expand_stages, split_list

DEMO_DIR = DEMO_SCENARIO.parent


@dataclass(frozen=True)
class Size:
    """A region size: how many counties, and researchers and schools in all."""

    counties: int
    researchers: int
    schools: int
    roads: bool = False  # one office with a road table (townships on a ring), lexicographic like the demo


SIZES: dict[str, Size] = {
    "county": Size(1, 40, 120),
    "county-120": Size(1, 120, 500, roads=True),
    "county-250": Size(1, 250, 1000, roads=True),
    "county-400": Size(1, 400, 1500, roads=True),
    "city": Size(10, 400, 1500),
    "province": Size(75, 3000, 15000),
}

# Geometry (km). 90 min at 35 km/h with a 1.3 detour reaches 40 km of straight line; a county's
# schools lie within COUNTY_RADIUS_KM of its seat and seats are COUNTY_SPACING_KM apart, so the
# nearest foreign school is at least 60 − 18 = 42 km away from a county seat.
COUNTY_RADIUS_KM = 18.0
COUNTY_SPACING_KM = 60.0
# A single office's county (the road sizes): townships between RING_NEAR_KM and RING_FAR_KM of the
# office, on a ring road (40 km/h) with a main road (50 km/h) from the town to every MAIN_ROAD_EVERY-th
# township; town streets 25 km/h, village roads 30 km/h. Road km are the straight line × ROAD_WINDING.
RING_NEAR_KM, RING_FAR_KM = 10.0, 34.0
MAIN_ROAD_EVERY = 3
ROAD_WINDING = 1.2
KM_PER_DEG_LAT = 111.0
ORIGIN = (112.5, 34.5)  # lon, lat of the first county seat (the demo county's office)

TOWNSHIP_WORDS = "河口 青石 柳林 白马 龙泉 双河 石门 桃源 云岭 杨庄 清水 黄土 松林 马坊 高桥 新集 北岗 南湾 李庄 王店".split()
COUNTY_WORDS = "安平 长宁 永丰 河阳 临川 宜阳 和顺 广德 泰和 宁远 清河 乐平 新安 兴隆 武安".split()
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗".split()
GIVEN = "秀兰 建华 丽娟 志强 海燕 国庆 晓明 春梅 文军 桂英 红霞 永刚 玉兰 子涵 思远 静怡".split()


def _read_demo(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _point(seat: tuple[float, float], km: float, angle: float) -> tuple[float, float]:
    lon, lat = seat
    dlat = km * math.sin(angle) / KM_PER_DEG_LAT
    dlon = km * math.cos(angle) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lon + dlon, 5), round(lat + dlat, 5)


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def county_seats(n: int) -> list[tuple[float, float]]:
    """Seats on a square grid COUNTY_SPACING_KM apart, starting at ORIGIN."""
    side = math.ceil(math.sqrt(n))
    seats = []
    for i in range(n):
        row, col = divmod(i, side)
        lat = ORIGIN[1] + row * COUNTY_SPACING_KM / KM_PER_DEG_LAT
        lon = ORIGIN[0] + col * COUNTY_SPACING_KM / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
        seats.append((round(lon, 5), round(lat, 5)))
    return seats


def generate(size: str | Size, seed: int, out: str | Path, *, time_limit: float = 60.0) -> Path:
    """Write researchers.csv, schools.csv and scenario.yaml into `out`; return the scenario path."""
    spec = SIZES[size] if isinstance(size, str) else size
    label = size if isinstance(size, str) else f"{spec.researchers}x{spec.schools}"
    rng = random.Random(seed)
    demo_researchers = _read_demo("researchers.csv")
    demo_schools = _read_demo("schools.csv")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seats = county_seats(spec.counties)
    school_rows: list[list[object]] = []
    researcher_rows: list[list[object]] = []
    network = RoadNetwork()
    for c, (seat, n_res, n_sch) in enumerate(zip(seats, _split(spec.researchers, spec.counties), _split(spec.schools, spec.counties))):
        county = COUNTY_WORDS[c % len(COUNTY_WORDS)] + (str(c // len(COUNTY_WORDS) + 1) if c >= len(COUNTY_WORDS) else "") + "县"
        first_row = len(school_rows)
        if spec.roads:
            office_school = _office_county(rng, demo_schools, county, seat, n_sch, school_rows, network)
        else:
            office_school = _county_schools(rng, demo_schools, county, seat, n_sch, school_rows)
        first_researcher = len(researcher_rows)
        turned: set[str] = set()
        for _ in range(n_res):
            template = rng.choice(demo_researchers)
            number = len(researcher_rows) + 1
            researcher_rows.append([
                f"R{number:05d}",
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                template["学科"],
                template["学段"],
                template["类别"],
                office_school if spec.counties > 1 else "",
                template["最多联系学校"],
                county,
            ])
            stages = set(expand_stages(split_list(template["学段"])))
            peers = sum(1 for row in researcher_rows[first_researcher:] if stages & set(expand_stages(split_list(row[3]))))
            schools_of_stage = [row for row in school_rows[first_row + 1:] if stages & set(expand_stages(split_list(row[2])))]
            if len(schools_of_stage) < peers and n_sch > peers:
                # Every researcher needs some school of their stage (one researcher per subject per
                # school), or school_count's minimum is infeasible: turn another school into one.
                # Only a primary school is turned (there are plenty), and never one turned before,
                # or a later researcher's stage could take away an earlier one's only school.
                others = [row for row in school_rows[first_row + 1:] if row[2] == "小学" and row[0] not in turned]
                row = rng.choice(others)
                turned.add(row[0])
                row[2], row[10], row[11] = sorted(stages)[0], "", ""
    _write_csv(out / "researchers.csv", ["工号", "姓名", "学科", "学段", "类别", "驻地", "最多联系学校", "所属县"], researcher_rows)
    school_header = ["学校代码", "学校名称", "学段", "城乡类型", "乡镇", "经度", "纬度", "优先级", "办学性质", "中心校",
                     "需指导学科", "最多教研员", "所属县"]
    if spec.roads:  # a school on a road node says which; the others join the nearest node
        school_header.insert(5, "路网节点")
        school_rows = [[*row[:5], network.school_node.get(str(row[0]), ""), *row[5:]] for row in school_rows]
        _write_csv(out / "nodes.csv", ["节点", "经度", "纬度"], network.nodes)
        _write_csv(out / "roads.csv", ["起点", "终点", "公里", "时速"], network.roads)
    _write_csv(out / "schools.csv", school_header, school_rows)
    scenario = {
        "name": f"synthetic {label} seed {seed}",
        "office": {"name": "教研室", "lon": seats[0][0], "lat": seats[0][1]},
        "data": {"researchers": "researchers.csv", "schools": "schools.csv"},
        "contact_period": {"start": "2026-09", "years": 2},
        "travel": {"detour_factor": 1.3, "speed_kmh": 35},
        "policies": {
            "stage_match": {},
            "max_travel": {"minutes": 90},
            "school_count": {"min": 1, "max": 2},
            "urban_rural_mix": {"per_researcher": "both", "urban_areas": ["城区", "镇区"]},
            "coverage": {"priority_first": True, "max_researchers": 3},
            "travel": {"weight": 0.2},
        },
        "objective": "weighted",
        "solver": {"time_limit": time_limit, "workers": 2, "seed": 0},
    }
    if spec.roads:  # like the demo: trips along the roads from the office, the lexicographic objective
        scenario["office"] = {"name": "教研室", "node": OFFICE_NODE, "lon": seats[0][0], "lat": seats[0][1]}
        scenario["data"] = {**scenario["data"], "roads": "roads.csv", "nodes": "nodes.csv"}
        scenario["travel"] = {**scenario["travel"], "off_road_kmh": 15}
        scenario["objective"] = "lexicographic"
    path = out / "scenario.yaml"
    path.write_text(f"# generated: assign generate --size {label} --seed {seed}\n"
                    + yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _county_schools(rng, demo_schools, county, seat, n_schools, rows) -> str:
    """Append one county's schools to `rows`; return the id of the county-seat school (the office's stand-in)."""
    n_townships = max(2, min(len(TOWNSHIP_WORDS), round(n_schools / 11)))
    townships = []
    for t in range(n_townships):
        angle = 2 * math.pi * t / n_townships + rng.uniform(-0.2, 0.2)
        name = TOWNSHIP_WORDS[t % len(TOWNSHIP_WORDS)] + ("镇" if t % 3 else "乡")
        townships.append((name, _point(seat, rng.uniform(7, COUNTY_RADIUS_KM - 4), angle)))
    first_id = None
    for k in range(n_schools):
        template = rng.choice(demo_schools)
        area = _area(template["城乡类型"])
        number = len(rows) + 1
        sid = f"S{number:05d}"
        if k == 0:  # the county's first school stands at the seat: the office researchers start from
            area, where, point = "城区", "城关街道", seat
            first_id = sid
        elif area == "城区":
            where, point = "城关街道", _point(seat, rng.uniform(0, 3), rng.uniform(0, 2 * math.pi))
        else:
            where, centre = rng.choice(townships)
            radius = rng.uniform(0, 1) if area == "镇区" else rng.uniform(1.5, 4)
            point = _point(centre, radius, rng.uniform(0, 2 * math.pi))
        stage_name = {"小学": "小学", "初中": "中学", "高中": "高级中学", "学前": "幼儿园", "特教": "特殊教育学校"}.get(template["学段"], "学校")
        rows.append([
            sid, f"{county}{where}第{number}{stage_name}", template["学段"], area, where, point[0], point[1],
            template["优先级"], template["办学性质"], template["中心校"], template["需指导学科"], template["最多教研员"], county,
        ])
    return first_id


OFFICE_NODE = "教研室"
ROAD_TABLES = ("roads.csv", "nodes.csv")


@dataclass
class RoadNetwork:
    """The rows of nodes.csv and roads.csv, and the node each school on a road stands on."""

    nodes: list[list[object]] = field(default_factory=list)
    roads: list[list[object]] = field(default_factory=list)
    school_node: dict[str, str] = field(default_factory=dict)

    def node(self, name: str, point: tuple[float, float]) -> str:
        self.nodes.append([name, point[0], point[1]])
        return name

    def road(self, a: tuple[str, tuple[float, float]], b: tuple[str, tuple[float, float]], kmh: int) -> None:
        self.roads.append([a[0], b[0], round(max(0.1, _km(a[1], b[1]) * ROAD_WINDING), 2), kmh])


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line km between two (lon, lat) points a few dozen km apart."""
    dx = (b[0] - a[0]) * KM_PER_DEG_LAT * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (b[1] - a[1]) * KM_PER_DEG_LAT)


def _office_county(rng, demo_schools, county, seat, n_schools, rows, network: RoadNetwork) -> str:
    """Append a single office's county to `rows` and its roads to `network`; return the seat school's id.

    The town: the office and eight street corners 2 km round it. Townships: every other one on an
    inner ring, the rest on an outer ring, each ring a road (40 km/h) in angle order; a main road
    (50 km/h) from the nearest street corner to every MAIN_ROAD_EVERY-th inner township, and one from
    each outer township to the inner one before it. Rural schools are villages on a road of their own
    (30 km/h) from their township; town and township-seat schools join the nearest node.
    """
    office = (network.node(OFFICE_NODE, seat), seat)
    corners = []
    for k in range(8):
        point = _point(seat, 2.0, 2 * math.pi * k / 8)
        corners.append((network.node(f"{county}城区{k + 1}", point), point))
        network.road(office, corners[-1], 25)
    n_townships = max(4, round(n_schools / 11))
    townships, inner, outer = [], [], []
    for t in range(n_townships):
        angle = 2 * math.pi * (t + rng.uniform(-0.3, 0.3)) / n_townships
        near = t % 2 == 0
        km = rng.uniform(RING_NEAR_KM, (RING_NEAR_KM + RING_FAR_KM) / 2) if near else rng.uniform((RING_NEAR_KM + RING_FAR_KM) / 2, RING_FAR_KM)
        word = TOWNSHIP_WORDS[t % len(TOWNSHIP_WORDS)] + (str(t // len(TOWNSHIP_WORDS) + 1) if t >= len(TOWNSHIP_WORDS) else "")
        name = word + ("镇" if t % 3 else "乡")
        point = _point(seat, km, angle)
        township = (network.node(name, point), point)
        townships.append(township)
        (inner if near else outer).append(township)
    for ring in (inner, outer):
        for a, b in zip(ring, ring[1:] + ring[:1]):
            network.road(a, b, 40)
    for i, township in enumerate(inner):
        if i % MAIN_ROAD_EVERY == 0:
            network.road(min(corners, key=lambda c: _km(c[1], township[1])), township, 50)
    for i, township in enumerate(outer):
        network.road(inner[i % len(inner)], township, 50)
    first_id = None
    for k in range(n_schools):
        template = rng.choice(demo_schools)
        area = _area(template["城乡类型"])
        number = len(rows) + 1
        sid = f"S{number:05d}"
        if k == 0:  # the office stands at the county town's first school
            area, where, point = "城区", "城关街道", seat
            first_id = sid
        elif area == "城区":
            where, point = "城关街道", _point(seat, rng.uniform(0, 3), rng.uniform(0, 2 * math.pi))
        else:
            (where, centre) = rng.choice(townships)
            if area == "镇区":
                point = _point(centre, rng.uniform(0, 1), rng.uniform(0, 2 * math.pi))
            else:
                point = _point(centre, rng.uniform(1.5, 4), rng.uniform(0, 2 * math.pi))
                village = (network.node(f"{where}{sid}村", point), point)
                network.road((where, centre), village, 30)
                network.school_node[sid] = village[0]
        stage_name = {"小学": "小学", "初中": "中学", "高中": "高级中学", "学前": "幼儿园", "特教": "特殊教育学校"}.get(template["学段"], "学校")
        rows.append([
            sid, f"{county}{where}第{number}{stage_name}", template["学段"], area, where, point[0], point[1],
            template["优先级"], template["办学性质"], template["中心校"], template["需指导学科"], template["最多教研员"], county,
        ])
    return first_id


def _area(cell: str) -> str:
    """The demo writes some areas as 3-digit codes: 1xx urban or town, 2xx rural."""
    if cell in ("城区", "镇区", "乡村"):
        return cell
    return {"11": "城区", "12": "镇区"}.get(cell[:2], "乡村")


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def generate_counties(size: str | Size, seed: int, out: str | Path, *, time_limit: float = 60.0) -> list[Path]:
    """The region of `generate`, written as one folder per county (OUT/<county>/scenario.yaml and its
    tables), as a city or provincial office keeps its counties for `assign batch`."""
    out = Path(out)
    whole = out / ".region"
    scenario_path = generate(size, seed, whole, time_limit=time_limit)
    scenario = yaml.safe_load(scenario_path.read_text(encoding="utf-8"))
    tables = {name: list(csv.DictReader((whole / name).open(encoding="utf-8-sig", newline=""))) for name in ("researchers.csv", "schools.csv")}
    folders = []
    for county in dict.fromkeys(row["所属县"] for row in tables["schools.csv"]):
        folder = out / county
        folder.mkdir(parents=True, exist_ok=True)
        schools = [row for row in tables["schools.csv"] if row["所属县"] == county]
        researchers = [row for row in tables["researchers.csv"] if row["所属县"] == county]
        for name, rows in (("schools.csv", schools), ("researchers.csv", researchers)):
            _write_csv(folder / name, list(rows[0]), [list(row.values()) for row in rows])
        seat = schools[0]  # the county's first school stands at its seat: the county office
        office = {**scenario["office"], "name": f"{county}教研室", "lon": float(seat["经度"]), "lat": float(seat["纬度"])}
        own = {**scenario, "name": f"{county} ({scenario['name']})", "office": office}
        (folder / "scenario.yaml").write_text(yaml.safe_dump(own, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name in ROAD_TABLES:  # a single office's roads (the road sizes have one county)
            if (whole / name).is_file():
                (folder / name).write_bytes((whole / name).read_bytes())
        folders.append(folder)
    for name in ("researchers.csv", "schools.csv", "scenario.yaml", *ROAD_TABLES):
        (whole / name).unlink(missing_ok=True)
    whole.rmdir()
    return folders

