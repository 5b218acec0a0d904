"""`assign bench`: our solver beside a HiGHS MIP of the same model, a local search and the by-hand greedy.

Protocol (docs/benchmarks.md): for each instance (the demo county, or a generated region of a size
and seed), objective (lexicographic, the product's default, and weighted) and method, the method
runs in a fresh process (so its peak memory is its own) with the same time limit. Every plan is
re-scored by the model's own terms with its pairs fixed and checked by every policy's audit, so no
method is judged by its own solver's number. Each pass is reported: status, value, bound, seconds.

Methods:
- `ours`: `assign.solver.passes.solve` as `assign solve` runs it: greedy complete hint, decomposition
  into independent parts (scheduled by size), our CP-SAT parameters, every pass.
- `cp-sat-mono`: the same without decomposition (one model of the whole region).
- `highs`: each pass's model translated to a MIP (`assign.bench.mip`), solved by HiGHS (1 thread),
  pass after pass (`assign.bench.references`).
- `lns`: CP-SAT's LNS workers alone from the greedy plan, pass after pass: what a local search
  reaches in the same time (`assign.bench.references`).
- `greedy`: the clerk's plan, best of 10 researcher orders (the `clerk` baseline plugin, `plugins/clerk.py`).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from tabulate import tabulate

METHODS = ("ours", "cp-sat-mono", "highs", "lns", "greedy")
MODES = ("lexicographic", "weighted")
DEMO = "demo"  # the instance that is the demo county itself, not a generated region


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux; the decomposition's worker processes count as children.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def run_method(method: str, scenario: str, time_limit: float, workers: int, mode: str = "weighted") -> dict[str, Any]:
    """Run one method on one scenario in this process; figures as a dict (the child's side)."""
    from assign.load import load_scenario
    from assign.solver.cpsat import gap

    wall_started = started = time.perf_counter()
    problem = load_scenario(scenario)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if method in ("ours", "cp-sat-mono"):
        from assign.solver.passes import solve

        plan = solve(problem, mode=mode, time_limit=time_limit, workers=workers, seed=0, decompose=method == "ours")
    elif method == "greedy":
        from assign.solver.baseline import baseline_plan

        plan = greedy_passes(baseline_plan(problem), mode)
    elif method in ("highs", "lns"):
        from assign.bench.references import reference_plan

        plan = reference_plan(problem, method, mode, time_limit, workers=workers)
    else:
        raise ValueError(f"unknown method {method!r}: choose from {', '.join(METHODS)}")
    total = time.perf_counter() - started
    wall = time.perf_counter() - wall_started
    values = rescored(problem, plan, mode) if plan.solved else {}
    # A pass settled in a joint run has no seconds of its own: `run` is the number of the pass that holds the run's.
    passes = [{"name": p.objective_name, "status": p.status, "value": values.get(p.objective_name, p.objective), "bound": p.bound,
               "seconds": p.seconds, "run": plan.run_head(p)[0] if p.joint_with else None} for p in plan.passes]
    for p in passes:
        p["gap"] = gap(p["value"], p["bound"])
    objective = passes[-1]["value"] if passes else plan.objective
    return {
        "method": method,
        "mode": mode,
        "load_s": round(load_seconds, 2),
        "build_s": round(plan.build_seconds, 2),
        "solve_s": round(plan.solve_seconds, 2),
        "total_s": round(total, 2),
        "wall_s": round(wall, 2),
        "status": plan.status,
        "objective": objective,
        "bound": plan.bound,
        "gap": gap(objective, plan.bound),
        "pairs": plan.candidate_pairs,
        "researchers": len(problem.researchers),
        "schools": len(problem.schools),
        "passes": passes,
        "findings": len([f for f in plan.findings if f.severity == "error"]) if plan.solved else None,
        "types": plan.solver_settings.get("researcher_types"),  # the model of types' size (of the largest part), if one was used
        "peak_mb": _peak_mb(),
    }


def rescored(problem, plan, mode: str) -> dict[str, float]:
    """Each pass's value for the plan's pairs by the model's own terms, every auxiliary variable at
    its best for them (x fixed, `fixed_solve`): a term whose pass never ran, or ran before the terms
    it shares variables with, is the plan's true value, not what an unfinished solve left in it."""
    from assign.modeling import build_model
    from assign.solver.cpsat import WEIGHT_SCALE, fixed_solve, weighted_expr
    from assign.solver.passes import objective_stages

    ctx = build_model(problem)
    solver = fixed_solve(ctx, plan.pair_set(), weighted_expr(ctx.terms) - WEIGHT_SCALE * ctx.exceptions_expr())
    if solver is None:
        return {}
    return {name: float(solver.value(expr)) for name, expr, _ in objective_stages(problem, ctx, mode)}


def greedy_passes(plan, mode: str):
    """The greedy plan with one pass per term in lexicographic mode (its value there, no bound), so
    its row reads like the solvers' rows; in weighted mode its one weighted pass as it is."""
    if mode == "weighted" or not plan.solved:
        return plan
    from assign.plan import SolvePass

    passes = [SolvePass(objective_name=t.name, status="FEASIBLE", objective=t.value, bound=None, gap=None, seconds=0.0)
              for t in sorted(plan.terms, key=lambda t: t.rank)]
    return plan.model_copy(update={"passes": passes, "mode": "lexicographic", "objective": passes[-1].objective if passes else None})


def _child(queue, method, scenario, time_limit, workers, mode) -> None:
    # The table is the output: HiGHS prints a banner on creation, straight to file descriptor 1.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        queue.put(run_method(method, scenario, time_limit, workers, mode))
    except Exception as exc:  # the table shows a failed method instead of losing the others
        queue.put({"method": method, "mode": mode, "status": f"ERROR {type(exc).__name__}: {exc}"[:120], "peak_mb": _peak_mb()})


def run_isolated(method: str, scenario: str, time_limit: float, workers: int, mode: str = "weighted") -> dict[str, Any]:
    """Run a method in a fresh (spawned) process, so that its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, method, scenario, time_limit, workers, mode))
    process.start()
    patience = 3 * time_limit + 600  # loading and building a province takes minutes before the limit starts
    try:
        result = queue.get(timeout=patience)
    except Exception:
        result = {"method": method, "mode": mode, "status": f"NO ANSWER in {patience:.0f} s"}
    process.join(timeout=30)
    if process.is_alive():
        process.kill()
    return result


def relative(rows: list[dict[str, Any]]) -> None:
    """Each method's objective relative to the best of the same instance and weighted objective (0% is
    the best); lexicographic rows are compared pass by pass in their own table."""
    values = [r["objective"] for r in rows if r.get("objective") is not None and r.get("findings", 1) == 0 and r.get("mode") == "weighted"]
    best = max(values, default=None)
    for r in rows:
        if best is None or r.get("objective") is None or r.get("mode") != "weighted":
            r["vs_best"] = None
        else:
            r["vs_best"] = (r["objective"] - best) / max(1.0, abs(best))


def pct(v) -> str:
    return "" if v is None else f"{v:.2%}"


def num(v) -> str:
    return "" if v is None else f"{v:,.0f}"


def table(rows: list[dict[str, Any]], fmt: str = "github") -> str:
    """One row per method and objective: times, status, objective, bound, gap, the researcher types ours
    solved (of the largest part; blank when it solved researcher by researcher), memory, audit errors."""
    body = [[r.get("seed", ""), r.get("mode", ""), r["method"], r.get("load_s", ""), r.get("build_s", ""), r.get("solve_s", ""),
             r.get("wall_s", ""), r.get("status", ""), num(r.get("objective")), num(r.get("bound")), pct(r.get("gap")),
             pct(r.get("vs_best")), r.get("types") or "", r.get("peak_mb", ""), r.get("findings", "")] for r in rows]
    headers = ["seed", "objective", "method", "load s", "build s", "solve s", "wall s", "status", "objective", "bound", "gap",
               "vs best", "types", "peak MB", "audit errors"]
    return tabulate(body, headers=headers, tablefmt=fmt, disable_numparse=True)


def passes_table(rows: list[dict[str, Any]], fmt: str = "github") -> str:
    """One row per method and lexicographic pass: status, the plan's value, the bound, gap and seconds."""
    body = [[r.get("seed", ""), r["method"], f"{i + 1} {p['name']}", p["status"], num(p["value"]), num(p["bound"]), pct(p["gap"]),
             f"with {p['run']}" if p.get("run") else p["seconds"]]
            for r in rows if r.get("mode") == "lexicographic" for i, p in enumerate(r.get("passes", []))]
    headers = ["seed", "method", "pass", "status", "value", "bound", "gap", "seconds"]
    return tabulate(body, headers=headers, tablefmt=fmt, disable_numparse=True)


def instance_label(size: str) -> str:
    """What an instance is, in words."""
    from assign.bench.generate import SIZES

    if size == DEMO:
        return "demo: the demo county 示范县 (its scenario, road table and policies)"
    spec = SIZES[size]
    where = "one office, roads like the demo" if spec.roads else f"{spec.counties} county office(s)"
    return f"{size}: {spec.researchers} researchers × {spec.schools:,} schools, {where}"


def size_table(size: str, rows: list[dict[str, Any]], time_limit: float, fmt: str = "github") -> str:
    """One instance's section: what it is, every method's row, and the lexicographic passes."""
    heading = "### " if fmt == "github" else ""
    out = f"{heading}{instance_label(size)}, {rows[0].get('pairs', '?')} candidate pairs, time limit {time_limit:g} s\n\n{table(rows, fmt)}\n"
    if any(r.get("mode") == "lexicographic" and r.get("passes") for r in rows):
        out += ("\nlexicographic passes (value: the final plan's, re-scored by the model with its pairs fixed; "
                f"bound: the solver's)\n\n{passes_table(rows, fmt)}\n")
    return out


def bench(sizes: list[str], seeds: list[int], time_limit: float, methods: list[str], workers: int = 2,
          data: Path | None = None, modes: tuple[str, ...] | list[str] = ("weighted",),
          report: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every method on every instance, seed and objective: (size, rows) as each size is done, so a
    long run shows results early. The demo instance is the demo county itself (its seed is 0)."""
    from assign.bench.generate import generate
    from assign.load import DEMO_SCENARIO

    with tempfile.TemporaryDirectory(prefix="assign-bench-") as scratch:
        root = Path(data) if data is not None else Path(scratch)
        for size in sizes:
            rows = []
            for seed in [0] if size == DEMO else seeds:
                if size == DEMO:
                    scenario = DEMO_SCENARIO
                else:
                    report(f"{size} seed {seed}: generating ({instance_label(size)})")
                    scenario = generate(size, seed, root / f"{size}-{seed}", time_limit=time_limit)
                instance = []
                for mode in modes:
                    for method in methods:
                        report(f"{size} seed {seed}: {mode} {method} …")
                        row = run_isolated(method, str(scenario), time_limit, workers, mode)
                        row["seed"] = seed
                        report(f"{size} seed {seed}: {mode} {method}: {row.get('status')} objective {row.get('objective')} "
                               f"bound {row.get('bound')} in {row.get('wall_s')} s, {row.get('peak_mb')} MB")
                        instance.append(row)
                relative(instance)
                rows += instance
            yield size, rows
