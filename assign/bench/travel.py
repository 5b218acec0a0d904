"""Benchmark (not a test): the road travel matrix on a network far larger than a county's.

    python -m assign.bench.travel [--starts 100] [--schools 15000] [--edges 50000] [--nodes 20000] [--seed 0]

Protocol: a connected random network (a random spanning tree, then random extra roads up to the
edge count; two-way roads of 1–10 minutes, node ids as strings as a table gives them), schools
on random nodes with a short off-road leg, distinct random start nodes. It times exactly the
code a Problem uses (`assign.roads.shortest_minutes`) and prints one table row. Target: under
10 s for 100 starts × 15,000 schools on 50,000 roads on a 2-core machine.
"""

from __future__ import annotations

import argparse
import platform
import random
import time

import networkx as nx

from assign.travel.roads import Spot, shortest_minutes


def random_network(nodes: int, edges: int, rng: random.Random) -> nx.DiGraph:
    graph = nx.DiGraph()
    names = [f"n{i}" for i in range(nodes)]
    pairs: set[tuple[int, int]] = set()
    for i in range(1, nodes):  # a random tree keeps every node reachable
        pairs.add((rng.randrange(i), i))
    while len(pairs) < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    for a, b in pairs:
        minutes = round(rng.uniform(1, 10), 1)
        graph.add_edge(names[a], names[b], minutes=minutes)
        graph.add_edge(names[b], names[a], minutes=minutes)
    return graph


def run(starts: int, schools: int, edges: int, nodes: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    graph = random_network(nodes, edges, rng)
    names = list(graph.nodes)
    spots = {f"S{i:05d}": Spot(rng.choice(names), round(rng.uniform(0, 5), 1)) for i in range(schools)}
    start_spots = {f"B{i:03d}": Spot(node) for i, node in enumerate(rng.sample(names, starts))}
    t1 = time.perf_counter()
    minutes, unreachable = shortest_minutes(graph, start_spots, spots)
    t2 = time.perf_counter()
    assert not unreachable and len(minutes) == starts and all(len(row) == schools for row in minutes.values())
    return {"build": t1 - t0, "matrix": t2 - t1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=100)
    parser.add_argument("--schools", type=int, default=15_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = run(args.starts, args.schools, args.edges, args.nodes, args.seed)
    print(f"{'starts':>6} {'schools':>8} {'roads':>7} {'nodes':>7} {'seed':>4} {'network s':>9} {'matrix s':>8}  machine")
    print(f"{args.starts:>6} {args.schools:>8} {args.edges:>7} {args.nodes:>7} {args.seed:>4} "
          f"{result['build']:>9.2f} {result['matrix']:>8.2f}  {platform.python_version()}, networkx {nx.__version__}")


if __name__ == "__main__":
    main()
