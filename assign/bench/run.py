"""`assign bench`: our solver, a HiGHS MIP of the same model and the by-hand greedy, side by side.

Protocol (docs/benchmarks.md): for each size and seed, `assign.bench.generate` writes a synthetic
region; each method then runs in a fresh process (so its peak memory is its own), on the
weighted objective (one number to compare; the lexicographic passes have no MIP counterpart
here), with the same time limit. Every plan is re-scored by the model's own terms with its pairs
fixed and checked by every policy's audit, so no method is judged by its own solver's number.

Methods:
- `ours`: `assign.solver.passes.solve` as `assign solve` runs it: greedy complete hint, decomposition into
  independent parts, our CP-SAT parameters.
- `cp-sat-mono`: the same without decomposition (one model of the whole region).
- `highs`: the CP-SAT model proto translated to a MIP (`assign.bench.mip`), solved by HiGHS (1 thread).
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

METHODS = ("ours", "cp-sat-mono", "highs", "greedy")


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux; the decomposition's worker processes count as children.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def run_method(method: str, scenario: str, time_limit: float, workers: int) -> dict[str, Any]:
    """Run one method on one scenario in this process; figures as a dict (the child's side)."""
    from assign.load import load_scenario

    started = time.perf_counter()
    problem = load_scenario(scenario)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if method in ("ours", "cp-sat-mono"):
        from assign.solver.passes import solve

        plan = solve(problem, mode="weighted", time_limit=time_limit, workers=workers, seed=0, decompose=method == "ours")
    elif method == "greedy":
        from assign.solver.baseline import baseline_plan

        plan = baseline_plan(problem)
    elif method == "highs":
        plan = _highs_plan(problem, time_limit, workers)
    else:
        raise ValueError(f"unknown method {method!r}: choose from {', '.join(METHODS)}")
    total = time.perf_counter() - started
    return {
        "method": method,
        "load_s": round(load_seconds, 2),
        "build_s": round(plan.build_seconds, 2),
        "solve_s": round(plan.solve_seconds, 2),
        "total_s": round(total, 2),
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "pairs": plan.candidate_pairs,
        "findings": len([f for f in plan.findings if f.severity == "error"]) if plan.solved else None,
        "peak_mb": _peak_mb(),
    }


def _highs_plan(problem, time_limit: float, workers: int):
    """HiGHS on the translated model; its pairs are re-scored and audited like any plan."""
    from assign.bench.mip import solve_mip
    from assign.modeling import build_model
    from assign.plan import SolvePass
    from assign.solver.cpsat import SolveOptions, fixed_solve, gap, weighted_expr
    from assign.solver.result import plan_from_solver

    started = time.perf_counter()
    ctx = build_model(problem)
    objective = weighted_expr(ctx.terms)
    ctx.model.maximize(objective)
    build_seconds = time.perf_counter() - started
    result = solve_mip(ctx.model.proto, time_limit=time_limit, threads=1)
    build_seconds += result.build_seconds  # the translation is building too
    solver = None
    value = None
    if result.values is not None:
        pairs = {pair for pair, var in ctx.x.items() if result.values[var.index] > 0.5}
        solver = fixed_solve(ctx, pairs, objective)
        value = solver.value(objective) if solver is not None else None
    status = result.status if solver is not None or result.values is None else "MODEL_INVALID"
    passes = [SolvePass(objective_name="weighted", status=status, objective=value, bound=result.bound,
                        gap=gap(value, result.bound), seconds=round(result.solve_seconds, 3))]
    options = SolveOptions(time_limit=time_limit, workers=1, seed=0, log=False, parameters={})
    plan = plan_from_solver(problem, ctx, "weighted", passes, solver, build_seconds, result.solve_seconds, options)
    return plan.model_copy(update={"solver_settings": {"backend": "HiGHS via pywraplp", "threads": 1, "time_limit": time_limit}})


def _child(queue, method, scenario, time_limit, workers) -> None:
    # The table is the output: HiGHS prints a banner on creation, straight to file descriptor 1.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        queue.put(run_method(method, scenario, time_limit, workers))
    except Exception as exc:  # the table shows a failed method instead of losing the others
        queue.put({"method": method, "status": f"ERROR {type(exc).__name__}: {exc}"[:120], "peak_mb": _peak_mb()})


def run_isolated(method: str, scenario: str, time_limit: float, workers: int) -> dict[str, Any]:
    """Run a method in a fresh (spawned) process, so that its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, method, scenario, time_limit, workers))
    process.start()
    patience = 3 * time_limit + 600  # loading and building a province takes minutes before the limit starts
    try:
        result = queue.get(timeout=patience)
    except Exception:
        result = {"method": method, "status": f"NO ANSWER in {patience:.0f} s"}
    process.join(timeout=30)
    if process.is_alive():
        process.kill()
    return result


def relative(rows: list[dict[str, Any]]) -> None:
    """Each method's objective relative to the best of the same instance (0% is the best)."""
    values = [r["objective"] for r in rows if r.get("objective") is not None and r.get("findings", 1) == 0]
    best = max(values, default=None)
    for r in rows:
        if best is None or r.get("objective") is None:
            r["vs_best"] = None
        else:
            r["vs_best"] = (r["objective"] - best) / max(1.0, abs(best))


def table(rows: list[dict[str, Any]], fmt: str = "github") -> str:
    def pct(v):
        return "" if v is None else f"{v:.2%}"

    def num(v):
        return "" if v is None else f"{v:,.0f}"

    body = [[r.get("seed", ""), r["method"], r.get("load_s", ""), r.get("build_s", ""), r.get("solve_s", ""), r.get("status", ""),
             num(r.get("objective")), num(r.get("bound")), pct(r.get("gap")), pct(r.get("vs_best")), r.get("peak_mb", ""),
             r.get("findings", "")] for r in rows]
    headers = ["seed", "method", "load s", "build s", "solve s", "status", "objective", "bound", "gap", "vs best", "peak MB", "audit errors"]
    return tabulate(body, headers=headers, tablefmt=fmt, disable_numparse=True)


def size_table(size: str, rows: list[dict[str, Any]], time_limit: float) -> str:
    """One size's Markdown section: what the instance is, then every method's row."""
    from assign.bench.generate import SIZES

    spec = SIZES[size]
    return (f"### {size}: {spec.researchers} researchers × {spec.schools} schools, {spec.counties} county office(s), "
            f"{rows[0].get('pairs', '?')} candidate pairs, time limit {time_limit:g} s\n\n{table(rows)}\n")


def bench(sizes: list[str], seeds: list[int], time_limit: float, methods: list[str], workers: int = 2,
          data: Path | None = None,
          report: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every method on every size and seed: (size, rows) as each size is done, so a long run shows results early."""
    from assign.bench.generate import SIZES, generate

    with tempfile.TemporaryDirectory(prefix="assign-bench-") as scratch:
        root = Path(data) if data is not None else Path(scratch)
        for size in sizes:
            rows = []
            for seed in seeds:
                spec = SIZES[size]
                report(f"{size} seed {seed}: generating {spec.researchers} researchers × {spec.schools} schools ({spec.counties} counties)")
                scenario = generate(size, seed, root / f"{size}-{seed}", time_limit=time_limit)
                instance = []
                for method in methods:
                    report(f"{size} seed {seed}: {method} …")
                    row = run_isolated(method, str(scenario), time_limit, workers)
                    row["seed"] = seed
                    report(f"{size} seed {seed}: {method}: {row.get('status')} objective {row.get('objective')} "
                           f"bound {row.get('bound')} in {row.get('total_s')} s, {row.get('peak_mb')} MB")
                    instance.append(row)
                relative(instance)
                rows += instance
            yield size, rows
