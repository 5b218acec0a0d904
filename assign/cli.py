"""The `assign` command line. Commands parse options, call the core, print, and map errors to exit codes.

Exit codes: 0 a plan was made (or the check passed); 1 bad input or a policy error (nothing
written); 2 wrong usage; 3 no plan (infeasible, or no solution within the time limit);
4 a plan was made but an audit found a violation.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from assign.errors import AssignError

DEMO = Path(__file__).resolve().parent.parent / "scenarios" / "demo-county" / "scenario.yaml"
EXIT_INPUT, EXIT_NO_PLAN, EXIT_AUDIT = 1, 3, 4


def _demo_path() -> Path:
    if not DEMO.exists():
        raise AssignError(f"the demo county is not here ({DEMO}): install assign from its source folder with `pip install -e .`")
    return DEMO


def _progress(quiet: bool):
    """Report solver progress on stderr, but only once a solve has taken more than a second."""
    started = time.perf_counter()

    def report(message: str) -> None:
        if not quiet and time.perf_counter() - started > 1.0:
            click.echo(f"  … {message}", err=True)

    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="assign")
def main() -> None:
    """教研员定点联系学校安排 — assign teaching researchers to contact schools.

    Hand in a scenario file (scenario.yaml) naming the researchers and schools tables and the
    policies of your office; get back the first-batch assignment table (安排表), solved with
    CP-SAT and checked by every policy's own audit.

    \b
    Start with:  assign demo            (the embedded 示范县 demo county)
                 assign solve SCENARIO -o out/
                 assign plugins         (the policies you can use in a scenario)
    """


def _run_solve(scenario: Path, out: Path | None, time_limit, workers, seed, objective, lang, quiet, show_roster) -> None:
    from assign.export.roster import write_roster
    from assign.export.terminal import findings_text, kpi_table, passes_table, roster_table, terms_table
    from assign.load import load_scenario
    from assign.solve import solve

    problem = load_scenario(scenario)
    for warning in problem.warnings:
        click.echo(f"注意 (warning): {warning}", err=True)
    if not quiet:
        click.echo(f"{problem.name}: {len(problem.researchers)} 名教研员, {len(problem.schools)} 所学校; "
                   f"policies: {', '.join(u.name for u in problem.policies)}", err=True)
    plan = solve(problem, mode=objective, progress=_progress(quiet), time_limit=time_limit, workers=workers, seed=seed)
    if not plan.solved:
        click.echo(passes_table(plan), err=True)
        click.echo(f"没有得到方案 (no plan): status {plan.status}. "
                   + ("The policies cannot all be met together." if plan.status == "INFEASIBLE" else "Try a longer --time-limit."), err=True)
        sys.exit(EXIT_NO_PLAN)
    if show_roster:
        click.echo(f"\n{plan.title}\n")
        click.echo(roster_table(problem, plan))
    click.echo("")
    click.echo(kpi_table(plan))
    if not quiet:
        click.echo("")
        click.echo(terms_table(plan))
        click.echo("")
        click.echo(passes_table(plan))
    click.echo("")
    click.echo(findings_text(plan))
    if out is not None:
        paths = write_roster(problem, plan, out, lang=lang, kpi_table=kpi_table(plan, fmt="github"))
        click.echo(f"\n已写出 (written): {', '.join(str(p) for p in paths)}")
    if any(f.severity == "error" for f in plan.findings):
        sys.exit(EXIT_AUDIT)


def _solve_options(func):
    options = [
        click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="folder for roster.xlsx, roster.csv, roster.md and plan.json (default: out/<scenario folder>)"),
        click.option("--no-write", is_flag=True, help="print only; write no files"),
        click.option("--time-limit", type=click.FloatRange(min=0.01), default=None, help="seconds for the whole solve (default: the scenario's, else 30)"),
        click.option("--workers", type=click.IntRange(1, 64), default=None, help="CP-SAT worker threads (default: the scenario's, else 2)"),
        click.option("--seed", type=int, default=None, help="CP-SAT random seed (default: the scenario's, else 0)"),
        click.option("--objective", type=click.Choice(["lexicographic", "weighted"]), default=None,
                     help="lexicographic: optimise the objective terms in priority order; weighted: one weighted sum"),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="language of the written roster's headers"),
        click.option("-q", "--quiet", is_flag=True, help="print only the KPI block and findings"),
        click.option("--no-roster", is_flag=True, help="do not print the roster in the terminal"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _guard(action) -> None:
    try:
        action()
    except AssignError as exc:
        click.echo(f"错误 (error): {exc}", err=True)
        sys.exit(EXIT_INPUT)


def _default_out(scenario: Path, out: Path | None, no_write: bool) -> Path | None:
    if no_write:
        return None
    return out if out is not None else Path("out") / scenario.resolve().parent.name


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_solve_options
def solve(scenario, out, no_write, time_limit, workers, seed, objective, lang, quiet, no_roster) -> None:
    """Solve SCENARIO (a scenario.yaml) and write the assignment table.

    Without SCENARIO, solves the embedded demo county. Prints the roster, the KPI block, the
    objective terms, each CP-SAT pass and the audit findings.
    """
    def action():
        path = scenario if scenario is not None else _demo_path()
        _run_solve(path, _default_out(path, out, no_write), time_limit, workers, seed, objective, lang, quiet, not no_roster)

    _guard(action)


@main.command()
@_solve_options
def demo(out, no_write, time_limit, workers, seed, objective, lang, quiet, no_roster) -> None:
    """Solve the embedded demo county (示范县: 46 researchers, 134 schools, 12 townships)."""
    def action():
        path = _demo_path()
        _run_solve(path, _default_out(path, out, no_write), time_limit, workers, seed, objective, lang, quiet, not no_roster)

    _guard(action)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
def validate(scenario: Path) -> None:
    """Load SCENARIO and its tables and report every problem, without solving."""
    def action():
        from assign.load import load_scenario

        problem = load_scenario(scenario)
        for warning in problem.warnings:
            click.echo(f"注意 (warning): {warning}")
        click.echo(f"OK: {len(problem.researchers)} researchers, {len(problem.schools)} schools, "
                   f"policies {', '.join(u.name for u in problem.policies)}; travel: {problem.travel.label}")

    _guard(action)


@main.command()
@click.argument("name", required=False)
def plugins(name: str | None) -> None:
    """List installed policies with their parameters and defaults (or show one policy: NAME)."""
    def action():
        from assign.export.plugins import policy_help, policy_table
        from assign.registry import build_registry

        registry = build_registry()
        click.echo(policy_help(registry, name) if name else policy_table(registry))

    _guard(action)


@main.command()
@click.option("--size", type=click.Choice(["county", "city", "province"]), default="county", show_default=True,
              help="county 40×120, city 400×1,500 (10 counties), province 3,000×15,000 (75 counties)")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="folder for researchers.csv, schools.csv, scenario.yaml")
def generate(size: str, seed: int, out: Path) -> None:
    """Write a synthetic region in the input format (for benchmarks and trials)."""
    from assign.generate import generate as write_region

    path = write_region(size, seed, out)
    click.echo(f"已写出 (written): {path}")


@main.command()
@click.option("--sizes", default="county,city", show_default=True, help="comma-separated: county, city, province")
@click.option("--seeds", default="1", show_default=True, help="comma-separated generator seeds")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="seconds per method and instance")
@click.option("--methods", default="ours,cp-sat-mono,highs,greedy", show_default=True, help="comma-separated: ours, cp-sat-mono, highs, greedy")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="CP-SAT workers (HiGHS uses one thread)")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None, help="keep the generated regions here")
@click.option("--markdown", type=click.Path(dir_okay=False, path_type=Path), default=None, help="also write the tables to this Markdown file")
def bench(sizes: str, seeds: str, time_limit: float, methods: str, workers: int, data: Path | None, markdown: Path | None) -> None:
    """Benchmark our solver against a HiGHS MIP of the same model and the by-hand greedy.

    One table per size: load, build and solve seconds, status, objective, bound, gap, each
    method's objective relative to the best, peak memory and audit errors. Progress on stderr.
    """
    def action():
        from assign.bench import METHODS, bench as run, table
        from assign.generate import SIZES

        size_list = [s.strip() for s in sizes.split(",") if s.strip()]
        method_list = [m.strip() for m in methods.split(",") if m.strip()]
        bad = [s for s in size_list if s not in SIZES] + [m for m in method_list if m not in METHODS]
        if bad:
            raise click.UsageError(f"unknown size or method: {', '.join(bad)}")
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        results = run(size_list, seed_list, time_limit, method_list, workers=workers, data=data,
                      report=lambda m: click.echo(f"  … {m}", err=True))
        parts = []
        for size, rows in results:
            spec = SIZES[size]
            parts.append(f"### {size}: {spec.researchers} researchers × {spec.schools} schools, {spec.counties} county office(s), "
                         f"{rows[0].get('pairs', '?')} candidate pairs, time limit {time_limit:g} s\n\n{table(rows)}\n")
            click.echo(parts[-1])
            if markdown is not None:
                markdown.write_text("\n".join(parts), encoding="utf-8")

    _guard(action)


if __name__ == "__main__":
    main()
