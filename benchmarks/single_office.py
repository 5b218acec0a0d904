"""Single-office counties at scale, and the lexicographic solve of each: which passes finish, each
pass's value, bound and seconds, and the plan's travel minutes.

The instances are one county office like the demo: a county town and townships on a ring of roads
(one road between neighbouring townships, a spoke from the county town to every second township,
schools joining the nearest node off-road), every trip from the one office, the demo scenario's
policies and objective (lexicographic), one connected problem. Sizes: 120 × 500, 250 × 1,000 and
400 × 1,500 researchers × schools (`assign.bench.generate` samples the demo's mix of stages, areas,
priorities and subjects). This script stands in until `assign generate` has single-office sizes.

Protocol: each size and seed is written to a temporary folder, then `assign solve SCENARIO -q -o
OUT --time-limit T` runs in a fresh process RUNS times; printed are the median wall time (start-up,
loading, solve, audit, writing) and, from the run at the median, each pass (status, value, bound,
seconds) and the KPIs. `--replan`: then one researcher is added (a twin of the first, new id) and
the county is solved again cold and warm (`--from` the first plan): wall seconds, the plan's own model
+ solve seconds (without start-up, loading and writing) and pairs changed.
Run: .venv/bin/python benchmarks/single_office.py [--sizes demo,120x500,250x1000] [--time-limit 60]
[--runs 3] [--workers 1] [--keep DIR] [--assign CMD] [--replan]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from tabulate import tabulate

from assign.bench.generate import Size, generate

ASSIGN = Path(sys.executable).with_name("assign")
SIZES = {"120x500": Size(1, 120, 500), "250x1000": Size(1, 250, 1000), "400x1500": Size(1, 400, 1500)}
DEMO_POLICIES = yaml.safe_load((Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml")
                               .read_text(encoding="utf-8"))["policies"]
KM_PER_DEG = 111.0
DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"  # `--sizes demo`: the demo county as shipped


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (a[0] - b[0]) * KM_PER_DEG * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (a[1] - b[1]) * KM_PER_DEG)


def ring_of_roads(folder: Path, office: tuple[float, float]) -> None:
    """nodes.csv and roads.csv: the county town, each township's centre, a ring and spokes."""
    with (folder / "schools.csv").open(encoding="utf-8-sig", newline="") as handle:
        schools = list(csv.DictReader(handle))
    places: dict[str, list[tuple[float, float]]] = {}
    for row in schools:
        if row["乡镇"] != "城关街道":
            places.setdefault(row["乡镇"], []).append((float(row["经度"]), float(row["纬度"])))
    centres = {name: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)) for name, pts in places.items()}
    ring = sorted(centres, key=lambda n: math.atan2(centres[n][1] - office[1], centres[n][0] - office[0]))
    nodes = [("县城", *office)] + [(name, *centres[name]) for name in ring]
    roads = []
    for i, name in enumerate(ring):
        after = ring[(i + 1) % len(ring)]
        roads.append((name, after, round(_km(centres[name], centres[after]) * 1.2, 2), 40))
        if i % 2 == 0:
            roads.append(("县城", name, round(_km(office, centres[name]) * 1.1, 2), 50))
    with (folder / "nodes.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([("节点", "经度", "纬度"), *nodes])
    with (folder / "roads.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([("起点", "终点", "公里", "时速"), *roads])


def single_office(size: Size, seed: int, folder: Path, time_limit: float, workers: int) -> Path:
    """Write one single-office county into `folder`; return its scenario.yaml."""
    path = generate(size, seed, folder, time_limit=time_limit)
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    office = (scenario["office"]["lon"], scenario["office"]["lat"])
    ring_of_roads(folder, office)
    scenario.update({
        "name": f"single office {size.researchers}x{size.schools} seed {seed}",
        "office": {"name": "教研室", "node": "县城", "lon": office[0], "lat": office[1]},
        "data": {**scenario["data"], "roads": "roads.csv", "nodes": "nodes.csv"},
        "travel": {"detour_factor": 1.3, "speed_kmh": 35, "off_road_kmh": 15},
        "policies": DEMO_POLICIES,
        "objective": "lexicographic",
        "solver": {"time_limit": time_limit, "workers": workers, "seed": 0},
    })
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(command: list[str], scenario: Path, time_limit: float, out: Path, extra: list[str] = ()) -> tuple[float, dict]:
    """One `assign solve`: its wall seconds and its plan.json."""
    started = time.perf_counter()
    done = subprocess.run([*command, "solve", str(scenario), "-q", "-o", str(out), "--time-limit", str(time_limit), *extra],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    plan_file = out / "plan.json"
    if not plan_file.exists():
        return seconds, {"status": f"exit {done.returncode}", "passes": [], "kpis": {}}
    return seconds, json.loads(plan_file.read_text(encoding="utf-8"))


def add_one_researcher(folder: Path) -> Path:
    """A copy of the county in `folder` with one more researcher (the first one's twin, a new id):
    the one-row change of a re-plan, with `stability: {}` among its policies as the what-ifs of
    scenarios/whatif/ have it (changes counted against the plan in force; nothing on a cold solve).
    Returns the copy's scenario.yaml."""
    changed = folder.with_name(folder.name + "-plus-one")
    shutil.copytree(folder, changed, dirs_exist_ok=True)
    scenario = yaml.safe_load((changed / "scenario.yaml").read_text(encoding="utf-8"))
    scenario["policies"]["stability"] = {}
    (changed / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with (changed / "researchers.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows.append(["R99999", "新教研员", *rows[1][2:]])
    with (changed / "researchers.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return changed / "scenario.yaml"


def replan(command: list[str], scenario: Path, time_limit: float, tmp: Path) -> None:
    """Cold solve, then the one-row change solved cold and warm (`--from` the first plan): seconds
    and pairs changed against the first plan."""
    _, before = run(command, scenario, time_limit, tmp / "replan-before")
    changed = add_one_researcher(scenario.parent)
    rows = []
    for label, extra in (("cold", []), ("warm --from", ["--from", str(tmp / "replan-before" / "plan.json")])):
        seconds, plan = run([*command], changed, time_limit, tmp / f"replan-{label.split()[0]}", extra)
        old = {(a["researcher_id"], a["school_id"]) for a in before["pairs"]}
        new = {(a["researcher_id"], a["school_id"]) for a in plan.get("pairs", [])}
        solving = plan.get("build_seconds", 0.0) + plan.get("solve_seconds", 0.0)
        rows.append((label, f"{seconds:.1f}", f"{solving:.1f}", plan["status"], len(old ^ new), len(old & new), plan["kpis"].get("schools_covered"),
                     plan["kpis"].get("travel_total")))
    print(tabulate(rows, headers=["one researcher added", "wall s", "model + solve s", "status", "pairs changed", "pairs kept",
                                  "schools covered", "travel min"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="120x500,250x1000")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write the instances here and keep them (and the re-plan's plans, --replan)")
    parser.add_argument("--replan", action="store_true", help="also: one researcher added, re-planned cold and warm (--from)")
    parser.add_argument("--assign", default=str(ASSIGN), help="the assign command to time (e.g. another checkout's, as 'python run.py')")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        for name in args.sizes.split(","):
            scenario = DEMO if name == "demo" else single_office(SIZES[name], args.seed, root / name, args.time_limit, args.workers)
            results = [run(args.assign.split(), scenario, args.time_limit, Path(tmp) / f"out-{name}-{k}") for k in range(args.runs)]
            walls = [w for w, _ in results]
            median = statistics.median(walls)
            seconds, plan = min(results, key=lambda r: abs(r[0] - median))
            print(f"\n{name}: wall {median:.1f} s median of {walls and ', '.join(f'{w:.1f}' for w in walls)}; "
                  f"status {plan['status']}; travel {plan['kpis'].get('travel_total')} min; "
                  f"schools covered {plan['kpis'].get('schools_covered')}; load {os.getloadavg()[0]:.2f}")
            print(tabulate([(p["objective_name"], p["status"], p["objective"], p["bound"], p["seconds"]) for p in plan["passes"]],
                           headers=["pass", "status", "value", "bound", "s"]))
            if args.replan:
                # Kept with --keep: the base plan a warm re-plan starts from differs between runs (two workers).
                replan(args.assign.split(), scenario, args.time_limit, (args.keep / f"{name}-replan") if args.keep else Path(tmp) / name)


if __name__ == "__main__":
    main()
