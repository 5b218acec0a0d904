"""The `assign` command line. Commands parse options, call one function of the core, print, and map
errors to exit codes; the helpers below are the only copy of each habit they share.

Exit codes: 0 a plan was made (or the check passed); 1 bad input or a policy error (nothing
written); 2 wrong usage; 3 no plan (infeasible, or no solution within the time limit);
4 a plan was made but an audit found a violation.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from pathlib import Path
from typing import Iterable

import click

from assign.errors import AssignError, NoPlanError
from assign.locale import LANGUAGES, N_, _, language, ngettext, set_language
from assign.locale.help_pages import Group, choose_language, show_version
from assign.solver.sat_parameters import SEED_MAX

EXIT_INPUT, EXIT_NO_PLAN, EXIT_AUDIT = 1, 3, 4


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange, without NaN and infinity: `nan` is neither below nor above any bound, so
    FloatRange lets it through, and `inf` passes a lower bound; both then break the solver."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(_("{value} is not a finite number").format(value=repr(value)), param, ctx)
        return number


class Reminder(click.ParamType):
    """`--remind 1d`, `2h`, `30m`: how long before each visit a calendar app reminds (a VALARM)."""

    name = "duration"

    def convert(self, value, param, ctx):
        import datetime as dt

        from assign.export.ics import parse_reminder

        if isinstance(value, dt.timedelta):
            return value
        try:
            return parse_reminder(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SECONDS = FiniteFloatRange(min=0.01)
SEED = click.IntRange(0, SEED_MAX)  # CP-SAT's random_seed is a 32-bit integer


def _demo_path() -> Path:
    from assign.load import demo_scenario

    return demo_scenario()


def progress_reporter(quiet: bool, after: float = 1.0):
    """Report progress on stderr once a command has run `after` seconds (so quick ones stay quiet),
    and only to a terminal: piped or redirected output gets none."""
    started = time.perf_counter()
    shown = not quiet and sys.stderr.isatty()
    last = [0.0]

    def report(message: str) -> None:
        now = time.perf_counter()
        if shown and now - started > after and now - last[0] > 0.2:  # at most five lines a second
            last[0] = now
            click.echo(f"  … {message}", err=True)

    return report


def guarded(command):
    """Turn the core's errors into one clear message and an exit code, never a traceback:
    no plan → 3, any other bad input or policy error → 1."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except NoPlanError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_NO_PLAN)
        except AssignError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_INPUT)

    return run


def _gap_note(status: str, gap: float | None) -> str:
    """" (gap ≤ 1.2%)" for a schedule not proven optimal: how far it may be from the best."""
    return " " + _("(at most {gap} from the optimum)").format(gap=f"{gap:.1%}") if status == "FEASIBLE" and gap is not None else ""


def _warn(warnings: Iterable[str], err: bool = True) -> None:
    for warning in warnings:
        click.echo(_("warning: {message}").format(message=warning), err=err)


def _exit_on_audit_errors(findings) -> None:
    """Exit 4 when a finding is an error: the plan was made and written, but it breaks a rule."""
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_AUDIT)


def _out_folder(scenario: Path, out: Path | None, *under: str, no_write: bool = False) -> Path | None:
    """Where a command writes: --out, else out/<the scenario's folder>/<under…> for a scenario.yaml and
    out/<folder>/<file name>/<under…> for any other file, so that what-ifs kept side by side in one
    folder never write over each other; None with --no-write."""
    if no_write:
        return None
    if out is not None:
        return out
    scenario = scenario.resolve()
    own = () if scenario.name == "scenario.yaml" else (scenario.stem,)
    return Path("out", scenario.parent.name, *own, *under)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, help=N_("""\
教研员定点联系学校安排 — assign teaching researchers to contact schools.

Hand in a scenario file (scenario.yaml) naming the researchers and schools tables and the
policies of your office; get back the first-batch assignment table (安排表), solved with
CP-SAT and checked by every policy's own audit.

\b
Start with:  assign demo                            (the embedded 示范县 demo county)
             assign solve SCENARIO -o out/          (the assignment table)
             assign calendar SCENARIO --term 2026秋 (the term's visit dates, .ics/.xlsx)
             assign report SCENARIO                 (one HTML file: map, table, calendar)
             assign plugins                         (the policies you can use in a scenario)
             assign batch ROOT                      (every county folder under ROOT, on this machine or Ray)"""))
@click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=show_version, help=N_("Show the version and exit."))
@click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default=None, is_eager=True, expose_value=False, callback=choose_language,
              help=N_("language of every message (default: ASSIGN_LANG, else the locale: en_* → en, anything else → zh)"))
def main() -> None:
    """The group's own step does nothing: the language is chosen before any option is read (`Group.make_context`, `--lang`)."""


def _run_solve(scenario: Path, out: Path | None, time_limit, workers, seed, objective, lang, quiet, show_roster,
               from_plan: Path | None = None, local: bool = False) -> None:
    from assign.analysis.replan import change_summary, keeps_plan_in_force, load_with_plan_in_force, solve_from
    from assign.export.roster import write_roster
    from assign.export.terminal import exceptions_text, findings_text, kpi_table, passes_table, policy_names, roster_table, terms_table
    from assign.kpi import gap_stops, suggested_time_limit

    if lang is not None:
        set_language(lang)
    started = time.perf_counter()
    problem, gone = load_with_plan_in_force(scenario, from_plan)
    load_seconds = time.perf_counter() - started
    if gone:
        _warn([ngettext("{n} pair of {plan} names researchers or schools this scenario lacks: {pairs}",
                        "{n} pairs of {plan} name researchers or schools this scenario lacks: {pairs}", len(gone))
               .format(n=len(gone), plan=from_plan, pairs="、".join(f"{r}→{s}" for r, s in gone))])
    _warn(problem.warnings)
    if from_plan is not None and not keeps_plan_in_force(problem):
        _warn([_("no policy of {scenario} counts changes against the plan in force (add `stability: {{}}` under policies): "
                 "{plan} only starts the solve, and any pair may change").format(scenario=scenario, plan=from_plan)])
    if not quiet:
        click.echo(_("{scenario}: {researchers} researchers, {schools} schools; policies: {policies}").format(
            scenario=problem.name, researchers=len(problem.researchers), schools=len(problem.schools),
            policies=policy_names(problem.policies)), err=True)
    plan = solve_from(problem, local=local, mode=objective, progress=progress_reporter(quiet), time_limit=time_limit, workers=workers, seed=seed)
    if not plan.solved:
        click.echo(passes_table(plan), err=True)
        click.echo(_("no plan: status {status}.").format(status=plan.status) + " "
                   + (_("The policies cannot all be met together.") if plan.status == "INFEASIBLE" else _("Try a longer --time-limit.")), err=True)
        if plan.status == "INFEASIBLE" and problem.scenario.on_infeasible != "fail":
            _explain(problem)
        sys.exit(EXIT_NO_PLAN)
    if show_roster and not quiet:
        click.echo(f"\n{plan.title}\n")
        click.echo(roster_table(problem, plan))
    click.echo("")
    click.echo(kpi_table(plan))
    if not quiet:
        click.echo("")
        click.echo(terms_table(plan))
        click.echo("")
        click.echo(passes_table(plan))
    if plan.exceptions:
        click.echo("")
        click.echo(exceptions_text(plan))
    click.echo("")
    click.echo(findings_text(plan))
    if from_plan is not None:
        click.echo("")
        click.echo(change_summary(problem, plan, str(from_plan)))
    suggested = suggested_time_limit(plan)
    if suggested is not None:
        click.echo("")
        click.echo(_("Not every pass was proven optimal within the time limit; --time-limit {seconds} would likely prove them "
                     "(an estimate from the passes' budgets).").format(seconds=f"{suggested:g}"))
    if within := gap_stops(plan):
        # A re-plan's pass stops as soon as it is this close: more time would change nothing, and the message above would mislead.
        click.echo("")
        click.echo(_("{terms}: stopped as soon as within {gap} of the best possible, as a re-plan does; "
                     "solver.pass_gap: 0 in the scenario proves them.").format(terms="、".join(within),
                                                                                gap=f"{problem.scenario.solver.pass_gap:.1%}"))
    write_seconds = 0.0
    if out is not None:
        written = time.perf_counter()
        paths = write_roster(problem, plan, out, lang=language(), kpi_table=kpi_table(plan, fmt="github", timings=False))
        write_seconds = time.perf_counter() - written
        click.echo("\n" + _("written: {paths}").format(paths=", ".join(str(p) for p in paths)))
    if not quiet:
        click.echo(_("Time: loading {load} s, model {build} s, solve {solve} s (time limit {limit} s), writing {write} s.").format(
            load=f"{load_seconds:.1f}", build=f"{plan.build_seconds:.1f}", solve=f"{plan.solve_seconds:.1f}",
            limit=f"{plan.solver_settings.get('time_limit', 0):g}", write=f"{write_seconds:.1f}"), err=True)
    _exit_on_audit_errors(plan.findings)


def _explain(problem) -> None:
    """Say why there is no plan: every group of conflicting requirements, each with its supply counts
    and the fewest requirements to give up; shortages no group explains after them."""
    from assign.analysis.explain import conflict_groups
    from assign.audit import supply_checks
    from assign.export.terminal import conflicts_text

    shortages = supply_checks(problem)
    groups = conflict_groups(problem)
    if groups:
        click.echo(conflicts_text(groups, shortages), err=True)
    elif shortages:
        click.echo(_("demand the candidates cannot meet:"), err=True)
        for f in shortages:
            click.echo(f"  - {f}", err=True)
    else:
        click.echo(_("CP-SAT could not name the conflicting requirements within the time limit."), err=True)


def _executor_options(func):
    """--executor and --address, for the commands that run many independent solves."""
    func = click.option("--address", default=None, help=N_("with --executor ray: join this Ray cluster (default: start a local Ray)"))(func)
    return click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                        help=N_("local: processes on this machine's cores; ray: Ray Core tasks (pip install 'assign[ray]')"))(func)


def _solve_options(func):
    options = [
        click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help=N_("folder for roster.xlsx, roster.csv, roster.md, plan.json and 通知.docx (default: out/<scenario folder>, "
                          "and out/<folder>/<file name> for a scenario not named scenario.yaml)")),
        click.option("--no-write", is_flag=True, help=N_("print only; write no files")),
        click.option("--time-limit", type=SECONDS, default=None,
                     help=N_("seconds for the whole solve (default: the scenario's, else 30)")),
        click.option("--workers", type=click.IntRange(1, 64), default=None,
                     help=N_("CP-SAT worker threads (default: the scenario's, else 1: deterministic, and fastest on county-sized models)")),
        click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed (default: the scenario's, else 0)")),
        click.option("--objective", type=click.Choice(["lexicographic", "weighted"]), default=None,
                     help=N_("lexicographic: optimise the objective terms in priority order; weighted: one weighted sum")),
        click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default=None, is_eager=True, callback=choose_language,
                     help=N_("language of the messages and of the written roster's headers (default: assign --lang)")),
        click.option("-q", "--quiet", is_flag=True, help=N_("print only the KPI block and findings")),
        click.option("--no-roster", is_flag=True, help=N_("do not print the roster in the terminal")),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(help=N_("""\
Solve SCENARIO (a scenario.yaml) and write the assignment table.

Without SCENARIO, solves the embedded demo county. Prints the roster, the KPI block, the
objective terms, each CP-SAT pass and the audit findings. With --from PLAN, re-plans from the
plan in force and says which pairs were kept, added and dropped."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_solve_options
@click.option("--from", "from_plan", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("the plan in force (plan.json or a roster .csv/.xlsx): hints the solver; the stability policy counts changes against it"))
@click.option("--local", is_flag=True,
              help=N_("with --from: re-optimise only the researchers the change touches (fast); falls back to a full re-plan"))
@guarded
def solve(scenario, out, no_write, time_limit, workers, seed, objective, lang, quiet, no_roster, from_plan, local) -> None:
    if local and from_plan is None:
        raise click.UsageError(_("--local needs --from PLAN"))
    path = scenario if scenario is not None else _demo_path()
    _run_solve(path, _out_folder(path, out, no_write=no_write), time_limit, workers, seed, objective, lang, quiet, not no_roster,
               from_plan=from_plan, local=local)


@main.command(help=N_("Solve the embedded demo county (示范县: 46 researchers, 134 schools, 12 townships)."))
@_solve_options
@guarded
def demo(out, no_write, time_limit, workers, seed, objective, lang, quiet, no_roster) -> None:
    path = _demo_path()
    _run_solve(path, _out_folder(path, out, no_write=no_write), time_limit, workers, seed, objective, lang, quiet, not no_roster)


@main.command(help=N_("Load SCENARIO, its tables, holiday files and visit rules, and report every problem, without solving."))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@guarded
def validate(scenario: Path) -> None:
    from assign.calendar.terms import check_calendar
    from assign.export.terminal import policy_names
    from assign.load import load_scenario

    problem = load_scenario(scenario)
    calendar_warnings = check_calendar(problem)
    _warn([*problem.warnings, *calendar_warnings], err=False)
    calendar = problem.scenario.calendar
    click.echo(_("OK: {researchers} researchers, {schools} schools, policies {policies}; travel: {travel}").format(
        researchers=len(problem.researchers), schools=len(problem.schools), policies=policy_names(problem.policies), travel=problem.travel.label)
               + (_("; calendar: {terms} term(s), visit rules {rules}").format(terms=len(calendar.terms),
                                                                              rules=", ".join(calendar.visit_rules) or _("none"))
                  if calendar else ""))


@main.command(help=N_("Write the empty forms 教研员.xlsx and 学校.xlsx: the expected headers, drop-downs, one example row."))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help=N_("folder to write 教研员.xlsx and 学校.xlsx into"))
@click.option("--force", is_flag=True, help=N_("replace forms already there"))
@guarded
def template(out: Path, force: bool) -> None:
    from assign.export.template import write_templates

    for path in write_templates(out, force):
        click.echo(_("written: {paths}").format(paths=path))


@main.command(help=N_("""\
Audit ROSTER (a roster .csv/.xlsx with 教研员 and 联系学校 names, or 工号 and 学校代码) against SCENARIO's policies.

Prints every violation with who and why, the roster's KPIs, and how far it is from the
optimum of the scenario. Exit code 4 when a rule is violated."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--time-limit", type=SECONDS, default=None, help=N_("seconds for the reference solve (default: the scenario's)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads for the reference solve"))
@click.option("--no-optimum", is_flag=True, help=N_("only audit; do not solve the scenario for comparison"))
@guarded
def check(scenario: Path, roster: Path, time_limit, workers, no_optimum) -> None:
    from assign.analysis.check import plan_from_pairs, read_roster, term_values
    from assign.export.terminal import exceptions_text, findings_text, kpi_comparison_table, terms_comparison_table
    from assign.load import load_scenario
    from assign.solver.passes import solve

    problem = load_scenario(scenario)
    pairs = read_roster(problem, roster)
    plan = plan_from_pairs(problem, pairs)
    click.echo(_("{roster}: {n} pairs checked against {scenario}").format(roster=roster, n=len(pairs), scenario=problem.name) + "\n")
    if plan.exceptions:
        click.echo(exceptions_text(plan) + "\n")
    click.echo(findings_text(plan))
    click.echo("")
    best = None if no_optimum else solve(problem, time_limit=time_limit, workers=workers, progress=progress_reporter(False))
    if best is not None and not best.solved:
        click.echo(_("optimum: none, status {status}").format(status=best.status))
    click.echo(kpi_comparison_table(plan, best if best is not None and best.solved else None))
    if best is not None and best.solved:
        click.echo("")
        click.echo(terms_comparison_table(term_values(problem, pairs), best))
    _exit_on_audit_errors(plan.findings)


@main.command(help=N_("""\
Compare A and B (scenario files, solved here, or saved plan.json files).

KPIs side by side with differences, objective terms, rule changes, the pairs kept, added and
dropped, and each researcher whose schools changed with the reason. A scenario B is re-planned
from A's plan (the plan in force) unless --independent."""))
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "outs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help=N_("also write the comparison as .md or .xlsx (repeatable)"))
@click.option("--independent", is_flag=True, help=N_("solve B on its own instead of re-planning it from A's plan"))
@click.option("--local", is_flag=True, help=N_("re-plan B locally from A's plan (only the researchers the change touches)"))
@click.option("--time-limit", type=SECONDS, default=None, help=N_("seconds per solve (default: each scenario's)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed"))
@guarded
def compare(a: Path, b: Path, outs, independent, local, time_limit, workers, seed) -> None:
    from assign.analysis.compare import compare_paths
    from assign.export.comparison import comparison_text, write_comparison

    result = compare_paths(a, b, independent=independent, local=local, time_limit=time_limit, workers=workers, seed=seed,
                           progress=progress_reporter(False))
    click.echo(comparison_text(result))
    for target in outs:
        click.echo("\n" + _("written: {paths}").format(paths=write_comparison(result, target)))


@main.command(help=N_("""\
Solve a grid of variants of SCENARIO in parallel and print one summary table.

Example: assign sweep scenario.yaml --set policies.max_travel.minutes=60,75,90 --set policies.school_count.max=1,2"""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "sets", multiple=True, required=True, metavar="KEY=V1,V2",
              help=N_("a dotted scenario key and its values, e.g. policies.max_travel.minutes=60,75,90 (repeatable: the grid is every combination)"))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for one sub-folder of plan files per variant, and summary.md/.csv"))
@click.option("--processes", type=click.IntRange(1, 256), default=None, help=N_("variants solved at once on this machine (default: its cores)"))
@_executor_options
@click.option("--time-limit", type=SECONDS, default=None, help=N_("seconds per variant (default: the scenario's)"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed"))
@guarded
def sweep(scenario: Path, sets, out, processes, executor, address, time_limit, seed) -> None:
    from assign.analysis.sweep import parse_setting, run_sweep
    from assign.batch.executors import make_executor
    from assign.export.roster import write_roster
    from assign.export.sweep_table import sweep_table, write_sweep_summary

    settings = [parse_setting(text) for text in sets]
    results = run_sweep(scenario, settings, out=out, write=write_roster, executor=make_executor(executor, address=address, processes=processes),
                        progress=progress_reporter(False, after=0.0), time_limit=time_limit, seed=seed)
    click.echo(sweep_table(results))
    if out is not None:
        written = write_sweep_summary(results, out)
        click.echo("\n" + _("written: {paths} and one folder per variant in {folder}").format(paths=", ".join(str(p) for p in written), folder=out))
    if any(r.error is not None for r in results):
        sys.exit(EXIT_INPUT)


@main.command(help=N_("""\
Plan every county folder under ROOT (and each --what-if of every county) and summarise them.

Each county × what-if is one task, solved with one CP-SAT worker where the executor puts it;
its roster (and --calendar term) goes to OUT/<county>/ (a what-if: OUT/<county>/<what-if>/).
A county whose input is bad is named in the summary and stops no other. Run again, the batch
skips every task whose inputs and settings are unchanged since it last made a plan."""))
@click.argument("root", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--what-if", "whatifs", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=N_("a what-if file asked of every county (its keys over each county's scenario; repeatable)"))
@click.option("--calendar", "term", default=None, help=N_("also schedule this term (e.g. 2026秋) for every county and variant"))
@click.option("--scenario", "shared", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("one scenario for every county folder that holds only tables"))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for OUT/<county>/… and summary.xlsx/.md/.csv (default: out/<ROOT folder>)"))
@_executor_options
@click.option("--processes", type=click.IntRange(1, 256), default=None, help=N_("tasks at once on this machine (default: its cores)"))
@click.option("--time-limit", type=SECONDS, default=None, help=N_("seconds per county solve (default: each scenario's)"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed"))
@guarded
def batch(root: Path, whatifs, term, shared, out, executor, address, processes, time_limit, seed) -> None:
    from assign.batch.executors import make_executor
    from assign.batch.runner import run_batch
    from assign.batch.summary import batch_text, write_batch_summary

    target = out if out is not None else Path("out", root.resolve().name)
    result = run_batch(root, target, whatifs=list(whatifs), term=term, shared_scenario=shared,
                       executor=make_executor(executor, address=address, processes=processes),
                       options={"time_limit": time_limit, "seed": seed}, progress=lambda m: click.echo(f"  … {m}", err=True))
    click.echo(batch_text(result))
    written = write_batch_summary(result, target)
    click.echo("\n" + _("written: {paths} and one folder per county in {folder}").format(paths=", ".join(str(p) for p in written), folder=target))
    if any(r.error is not None for r in result.results):
        sys.exit(EXIT_INPUT)
    if any(not r.ok for r in result.results):
        sys.exit(EXIT_NO_PLAN)
    if any(r.row.get("findings") for r in result.results):
        sys.exit(EXIT_AUDIT)  # a plan was made, but its audit found a violation (see the 审核问题 column)


@main.command(help=N_("The non-dominated plans between two objectives of SCENARIO, as a table and a plot (PNG)."))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--between", nargs=2, default=("coverage", "travel"), show_default=True, metavar="FIRST SECOND",
              help=N_("two objectives: a term (travel.total_minutes) or a policy (coverage = its terms in rank order); ε runs over SECOND"))
@click.option("--points", type=click.IntRange(2, 50), default=6, show_default=True, help=N_("solves along the curve (both ends included)"))
@click.option("--plan", "current", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("plan.json to mark as the current plan (default: the scenario's own plan)"))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for pareto.png and pareto.md (default: out/<scenario folder>/pareto)"))
@click.option("--processes", type=click.IntRange(1, 256), default=None,
              help=N_("points solved at once, each a job with one CP-SAT worker "
                      "(default: this machine's cores; 1: one after another, with --workers)"))
@_executor_options
@click.option("--time-limit", type=SECONDS, default=None, help=N_("seconds per point (default: the scenario's)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads (with --processes 1)"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed"))
@guarded
def pareto(scenario: Path, between, points, current, out, processes, executor, address, time_limit, workers, seed) -> None:
    from assign.analysis.pareto import pareto_front
    from assign.batch.executors import make_executor
    from assign.export.pareto_plot import front_table, write_front
    from assign.load import load_scenario
    from assign.plan import Plan

    problem = load_scenario(scenario)
    front = pareto_front(problem, between[0], between[1], points=points, time_limit=time_limit,
                         current=Plan.read(current) if current is not None else None,
                         executor=None if processes == 1 else make_executor(executor, address=address, processes=processes),
                         workers=workers, seed=seed)
    click.echo(_("{scenario}: {n} non-dominated plans between {first} and {second}").format(
        scenario=problem.name, n=len(front.points), first=", ".join(front.first), second=front.second) + "\n")
    click.echo(front_table(front))
    folder = _out_folder(scenario, out, "pareto")
    # The plot's title is the file name: matplotlib's default fonts have no Chinese glyphs.
    written = write_front(front, folder,
                          title=f"{scenario.resolve().parent.name}/{scenario.name}: trade-off ({len(front.points)} non-dominated plans)")
    click.echo("\n" + _("written: {paths}").format(paths=", ".join(str(p) for p in written)))


@main.command(help=N_("""\
Schedule the visits of one term for the pairs of a plan, and export the calendars.

Without SCENARIO, uses the embedded demo county. Writes office.ics, one .ics per researcher
and per school, visits.xlsx (a sheet per month, a sheet per researcher), visits.csv,
visits.md and visits.json. With --from visits.json --today DATE, re-plans the term from DATE:
earlier visits stay, later ones change as little as the scenario now allows, and each moved,
cancelled or added visit is listed with why (the .ics files mark them for calendar apps).
Written into a folder that holds an earlier export of the term, the .ics files update it: a
moved visit keeps its UID with a higher SEQUENCE, a visit no longer planned is cancelled, and
only the files the earlier export's manifest.json lists are replaced."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--term", "term_name", required=True,
              help=N_("term name from the scenario's calendar.terms, e.g. 2026秋; all: every term, and the school year's rules across them"))
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("plan.json of a saved assignment (default: solve the assignment first)"))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for the .ics, .xlsx, .csv, .md and visits.json (default: out/<scenario folder>/calendar-<term>; "
                   "with --term all: OUT/calendar-<term>)"))
@click.option("--no-write", is_flag=True, help=N_("print only; write no files"))
@click.option("--view", type=click.Choice(["list", "month"]), default="list", show_default=True,
              help=N_("terminal view: per-researcher list or month grid"))
@click.option("--time-limit", type=SECONDS, default=None,
              help=N_("seconds improving each term's first schedule (default: calendar.time_limit, else 10)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads (default: the scenario's)"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed (default: the scenario's)"))
@click.option("--from", "previous_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("visits.json of this term's calendar so far: re-plan from --today, keeping what came before"))
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=N_("with --from: visits before this day (YYYY-MM-DD) stay as they were (default: today's date)"))
@click.option("--remind", type=Reminder(), default=None,
              help=N_("a reminder on each visit in the .ics files, this long before it: 1d, 2h, 30m"))
@click.option("-q", "--quiet", is_flag=True, help=N_("print only the summary and findings"))
@guarded
def calendar(scenario, term_name, plan_path, out, no_write, view, time_limit, workers, seed, previous_path, today, remind, quiet) -> None:
    from assign.analysis.sources import plan_of
    from assign.calendar.revision import against_previous
    from assign.calendar.visit_solve import audit_school_years, calendar_of, schedule_term
    from assign.calendar.visits import VisitPlan
    from assign.export.safe_names import folder_name
    from assign.export.term_files import calendar_title, previous_export, write_term_files
    from assign.export.terminal import severity_word
    from assign.export.visit_terminal import change_lines, inspection_lines, month_grid, researcher_list

    path = scenario if scenario is not None else _demo_path()
    if plan_path is None and not quiet:
        click.echo(_("solving the assignment first (give --plan plan.json to reuse a saved one) …"), err=True)
    loading = time.perf_counter()
    problem, plan = plan_of(plan_path or path, path if plan_path else None, workers, seed, progress_reporter(quiet))
    load_seconds = time.perf_counter() - loading
    load_label = _("loading") if plan_path else _("loading and the assignment")
    _warn(problem.warnings)
    if today is not None and previous_path is None:
        raise AssignError(_("--today {date}: goes with --from visits.json (the calendar to re-plan)").format(date=today.date()))
    names = [t.name for t in calendar_of(problem).terms] if term_name == "all" else [term_name]
    if previous_path is not None and len(names) > 1:
        raise AssignError(_("--from re-plans one term's calendar: give --term with that term's name, not all"))
    previous = VisitPlan.read(previous_path) if previous_path is not None else None
    schedules, findings, unsolved = [], [], []
    for name in names:
        started = time.perf_counter()
        visits, schedule = schedule_term(problem, plan, name, workers=workers, seed=seed, time_limit=time_limit, previous=previous,
                                         today=today.date() if today else None, previous_source=str(previous_path))
        seconds = time.perf_counter() - started
        _warn(visits.warnings)
        if not visits.solved:
            click.echo(_("no calendar: {term}: status {status}").format(term=name, status=visits.status), err=True)
            for line in visits.conflicts:
                click.echo(f"  - {line}", err=True)
            unsolved.append(name)
            continue
        schedules.append(schedule)
        findings += visits.findings
        if not quiet:
            click.echo(researcher_list(problem, visits) if view == "list" else month_grid(visits))
            click.echo("")
        click.echo(_("{term}: {first}~{last}, {workdays} working days, {visits} visits; status {status}{gap}; {models} model(s); "
                     "first schedule in {first_seconds} s, scheduled in {seconds} s").format(
            term=visits.term, first=visits.first, last=visits.last, workdays=visits.workdays, visits=len(visits.visits), status=visits.status,
            gap=_gap_note(visits.status, visits.gap), models=visits.components, first_seconds=f"{visits.first_seconds or 0:.2f}",
            seconds=f"{seconds:.2f}"))
        if visits.inspections:
            click.echo(inspection_lines(problem, visits))
        if visits.today is not None:
            click.echo(change_lines(problem, visits))
        if visits.findings:
            click.echo(_("audit findings: {n}").format(n=len(visits.findings)))
            for f in visits.findings:
                click.echo(f"  - [{severity_word(f.severity)}] {f}")
        else:
            click.echo(_("audit: every visit rule checked the calendar on its own; no findings"))
        folder = folder_name(f"calendar-{name}")  # a term's name is the scenario's text
        target = _out_folder(path, out / folder if out is not None and len(names) > 1 else out, folder, no_write=no_write)
        writing = time.perf_counter()
        if target is not None:
            title = calendar_title(problem, visits.term)
            earlier = previous_export(target, visits.term)
            if earlier is not None:
                visits, revision = against_previous(visits, earlier)
                click.echo(_("Against the earlier export in {folder}: {moved} visits moved (higher SEQUENCE), {cancelled} cancelled "
                             "(STATUS:CANCELLED), {added} added, {unchanged} unchanged").format(
                    folder=target, moved=revision.moved, cancelled=revision.cancelled, added=revision.added, unchanged=revision.unchanged))
            paths = write_term_files(problem, visits, target, title, remind=remind)
            click.echo(_("written: {n} files in {folder}").format(n=len(paths), folder=target)
                       + " (visits.xlsx, visits.csv, visits.md, visits.json, ics/office.ics, ics/researchers/*.ics, ics/schools/*.ics)")
        # As `assign solve` states its phases: the time limit bounds the improvement; the rest are fixed costs.
        click.echo(_("Time: {loading} {load} s, first schedules {first} s, models {build} s, improvement {improve} s (time limit {limit} s), "
                     "audit {audit} s, writing {write} s.").format(
            loading=load_label, load=f"{load_seconds:.1f}", first=f"{visits.first_seconds or 0:.1f}", build=f"{visits.build_seconds:.1f}",
            improve=f"{visits.improve_seconds or 0:.1f}", limit=f"{visits.solver_settings.get('time_limit', 0):g}",
            audit=f"{visits.audit_seconds:.1f}", write=f"{time.perf_counter() - writing:.1f}"))
        load_seconds, load_label = 0.0, _("loading")  # the next term's: everything was loaded once
        if len(names) > 1:
            click.echo("")
    if len(names) > 1:
        year = audit_school_years(problem, schedules)
        findings += year
        click.echo(_("school-year audit ({terms} terms): ").format(terms=len(schedules))
                   + (_("no findings") if not year else _("{n} findings").format(n=len(year))))
        for f in year:
            click.echo(f"  - [{severity_word(f.severity)}] {f}")
    if unsolved:
        sys.exit(EXIT_NO_PLAN)
    _exit_on_audit_errors(findings)


def _term_options(func):
    """The options every record command shares: which term, where its calendar is, and how to schedule it when it is not there."""
    for option in reversed([
        click.option("--term", "term_name", required=True, help=N_("term name from the scenario's calendar.terms, e.g. 2026秋")),
        click.option("--calendar", "calendar_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help=N_("the term's calendar folder (visits.json; records.json is kept there): default out/<scenario folder>/calendar-<term>")),
        click.option("--plan", "plan_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
                     help=N_("plan.json of the assignment (default: the calendar's pairs, or a solve when there is no calendar yet)")),
        click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads when a calendar must be scheduled")),
        click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed when a calendar must be scheduled")),
    ]):
        func = option(func)
    return func


def _open_term(scenario: Path | None, term_name: str, calendar_dir: Path | None, plan_path, workers, seed, import_kept: bool = False):
    """The term's calendar and record (`assign.analysis.term_record`); a calendar scheduled now is written into its folder first.
    With `import_kept`, the record files the scenario names for the term (`calendar.records`) are imported first when new or changed."""
    from assign.analysis.term_record import import_records, kept_files, open_term
    from assign.export.atomic import write_text
    from assign.export.safe_names import folder_name
    from assign.export.term_files import calendar_title, write_term_files
    from assign.locale import _

    path = scenario if scenario is not None else _demo_path()
    folder = calendar_dir if calendar_dir is not None else _out_folder(path, None, folder_name(f"calendar-{term_name}"))
    if not (folder / "visits.json").exists():
        click.echo(_("no calendar in {folder}: scheduling the term first (as `assign calendar` does) …").format(folder=folder), err=True)
    record = open_term(path, term_name, folder, plan_path, workers, seed, progress_reporter(False))
    _warn(record.problem.warnings)
    if record.scheduled:
        paths = write_term_files(record.problem, record.visits, folder, calendar_title(record.problem, term_name))
        click.echo(_("written: {n} files in {folder}").format(n=len(paths), folder=folder) + " (visits.json …)", err=True)
    files = kept_files(record) if import_kept else []
    if files:
        result, read = import_records(record, files)
        _warn(read.warnings)
        write_text(record.records_path, result.book.model_dump_json(indent=2))
        record.book = record.books[record.term.name] = result.book
        click.echo(_("imported the scenario's record file(s) of {term} (calendar.records): {files}; {n} record(s) kept").format(
            term=term_name, files="、".join(str(f) for f in files), n=len(result.book.records)), err=True)
    return record


@main.group(help=N_("""\
The visit record (联系工作记录表): forms pre-filled with the term's planned visits, and filled ones read back.

\b
assign record template [SCENARIO] --term 2026秋      one .xlsx per researcher and one for the office
assign record import FILES… [SCENARIO] --term 2026秋  keep what they say in records.json beside the calendar"""))
def record() -> None:
    """The group of the record commands (its help is the `help=` above, shown in the user's language)."""


@record.command("template", help=N_("""\
Write the term's visit record forms: one per researcher and one for the office, each pre-filled with the
planned visits (date, school, what for) and columns to fill in (是否完成, 实际日期, 听课节数, 开展活动, 指导骨干教师, 备注)."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_term_options
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for the forms (default: <calendar folder>/联系工作记录表)"))
@click.option("--force", is_flag=True, help=N_("replace forms already there"))
@guarded
def record_template(scenario, term_name, calendar_dir, plan_path, workers, seed, out, force) -> None:
    from assign.export.record_template import write_record_templates
    from assign.locale import _

    rec = _open_term(scenario, term_name, calendar_dir, plan_path, workers, seed)
    target = out if out is not None else rec.folder / "联系工作记录表"
    title = f"{rec.problem.scenario.office.name}{term_name}联系工作记录表"
    paths = write_record_templates(rec.problem, rec.visits, target, title, force=force)
    click.echo(_("{n} record form(s) for {visits} planned visit(s)").format(n=len(paths), visits=len(rec.visits.visits)))
    click.echo(_("written: {paths}").format(paths=target))


@record.command("import", help=N_("""\
Read filled visit records (FILES…, .xlsx/.xls/.ods/.csv; a scenario file among them names the scenario) and keep
what they say in records.json beside the term's calendar. Every bad cell of every file is listed and nothing is
kept; a record already imported is never lost; a newer copy of a file updates its rows; the same visit reported
otherwise by two files is a conflict, listed, the earlier kept until they agree (or --replace)."""))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_term_options
@click.option("--replace", is_flag=True, help=N_("where a file reports a visit another file reported otherwise, take this import's values"))
@guarded
def record_import(files, term_name, calendar_dir, plan_path, workers, seed, replace) -> None:
    from assign.analysis.term_record import import_records
    from assign.export.atomic import write_text
    from assign.export.record_lines import conflict_lines
    from assign.locale import _

    scenarios = [f for f in files if f.suffix.lower() in (".yaml", ".yml")]
    if len(scenarios) > 1 or len(scenarios) == len(files):
        raise click.UsageError(_("FILES: the filled record files, and at most one scenario file"))
    rec = _open_term(scenarios[0] if scenarios else None, term_name, calendar_dir, plan_path, workers, seed)
    result, read = import_records(rec, [f for f in files if f not in scenarios], replace=replace)
    _warn(read.warnings)
    for name in result.stale:
        _warn([_("{file} is older than the copy imported before: its rows were not taken").format(file=name)])
    write_text(rec.records_path, result.book.model_dump_json(indent=2))
    click.echo(_("{added} record(s) added, {updated} updated, {unchanged} unchanged; {blank} row(s) not filled in yet; "
                 "{conflicts} new conflict(s), {resolved} resolved; {total} record(s) kept").format(
        added=len(result.added), updated=len(result.updated), unchanged=result.unchanged, blank=read.blank_rows,
        conflicts=len(result.conflicts), resolved=len(result.resolved), total=len(result.book.records)))
    if result.book.conflicts:
        click.echo(_("conflicts waiting (the earlier record is kept and counted):"))
        click.echo(conflict_lines(rec.problem, result.book.conflicts))
    click.echo(_("written: {paths}").format(paths=rec.records_path))


def _as_of(rec, as_of):
    """The day progress counts to: --as-of, else today kept within the term."""
    import datetime as dt

    if as_of is not None:
        return as_of.date()
    return min(max(dt.date.today(), rec.term.first - dt.timedelta(days=1)), rec.term.last)


@main.command(help=N_("""\
Where the term's visits stand: per researcher, per contact school and for the office, what the record says
was done (days on site, visits made/planned, lessons, lectures, research activities, demonstration lessons,
surveys, backbone teachers) against the visit rules' targets pro-rated to the day: met, on track or behind by N."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_term_options
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=N_("count up to this day (YYYY-MM-DD; default today, within the term)"))
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table", show_default=True)
@guarded
def progress(scenario, term_name, calendar_dir, plan_path, workers, seed, as_of, fmt) -> None:
    from assign.calendar.progress import progress as term_progress
    from assign.export.progress_tables import progress_csv, progress_json, progress_markdown, progress_text
    from assign.locale import _

    rec = _open_term(scenario, term_name, calendar_dir, plan_path, workers, seed, import_kept=True)
    if not rec.book.records:
        _warn([_("no record of {term} imported yet ({path}): `assign record import` reads the filled forms").format(
            term=term_name, path=rec.records_path)])
    result = term_progress(rec.problem, rec.pairs, rec.rules, rec.term, rec.year_terms, rec.visits, rec.books, _as_of(rec, as_of))
    writer = {"table": progress_text, "md": progress_markdown, "csv": progress_csv, "json": progress_json}[fmt]
    click.echo(writer(rec.problem, result))


@main.command(help=N_("""\
The term summary (学期总结) from the record: per researcher and per contact school, the office's totals, and the
appraisal table (考核统计表) of every measure the visit rules set a target for, as .xlsx (printable) and .md."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_term_options
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("folder for 学期总结.xlsx and 学期总结.md (default: the term's calendar folder)"))
@guarded
def summary(scenario, term_name, calendar_dir, plan_path, workers, seed, out) -> None:
    from assign.calendar.progress import progress as term_progress
    from assign.export.progress_tables import heading
    from assign.export.term_summary import summary_tables, write_summary
    from assign.locale import _

    rec = _open_term(scenario, term_name, calendar_dir, plan_path, workers, seed, import_kept=True)
    if not rec.book.records:
        _warn([_("no record of {term} imported yet ({path}): `assign record import` reads the filled forms").format(
            term=term_name, path=rec.records_path)])
    result = term_progress(rec.problem, rec.pairs, rec.rules, rec.term, rec.year_terms, rec.visits, rec.books, rec.term.last)
    title = f"{rec.problem.scenario.office.name}{term_name}联系学校工作学期总结"
    tables = summary_tables(rec.problem, rec.visits, rec.book, result)
    paths = write_summary(title, tables, heading(result), out if out is not None else rec.folder)
    click.echo(heading(result))
    click.echo(_("written: {paths}").format(paths="、".join(str(p) for p in paths)))


@main.command(help=N_("""\
Write one self-contained HTML report of a plan: map, KPIs, audit, charts, roster, calendar.

SOURCE is a scenario (solved now, its first or --term calendar term scheduled) or a plan.json
from `assign solve` together with --scenario. Without SOURCE, the demo county. The file needs
no network: styles, script and data are inside it."""))
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=False)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("the HTML file to write (default: out/<scenario folder>/report.html)"))
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("the scenario file of a plan.json SOURCE (a plan.json names its scenario only by name)"))
@click.option("--term", "term_name", default=None, help=N_("term of the month view (default: the scenario's first calendar term)"))
@click.option("--base", "base_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("a base plan.json or scenario: the report shows the pairs added and removed against it"))
@click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default=None, is_eager=True, callback=choose_language,
              help=N_("language of the messages and the report (default: assign --lang)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads (default: the scenario's)"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed (default: the scenario's)"))
@click.option("-q", "--quiet", is_flag=True, help=N_("print only the written path"))
@guarded
def report(source, out, scenario_path, term_name, base_path, lang, workers, seed, quiet) -> None:
    import dataclasses

    from assign.analysis.report_inputs import gather
    from assign.analysis.sources import is_plan_file
    from assign.analysis.term_record import recorded_progress
    from assign.export.report import write_report
    from assign.export.safe_names import folder_name

    if lang is not None:
        set_language(lang)
    path = source if source is not None else _demo_path()
    inputs = gather(path, scenario=scenario_path, term=term_name, base=base_path, workers=workers, seed=seed, progress=progress_reporter(quiet))
    _warn(inputs.problem.warnings)
    if inputs.visits is not None:  # the term's record, when one was imported beside its calendar: the progress view
        scenario_file = Path(inputs.problem.source)
        inputs = dataclasses.replace(inputs, progress=recorded_progress(
            scenario_file, inputs.visits.term, _out_folder(scenario_file, None, folder_name(f"calendar-{inputs.visits.term}"))))
    target = _out_folder(Path(inputs.problem.source) if is_plan_file(path) else path, out, "report.html")
    written = write_report(inputs, target, language())
    if not quiet:
        findings = len(inputs.plan.findings) + (len(inputs.visits.findings) if inputs.visits is not None else 0)
        visits = (_(", {term} {visits} visits").format(term=inputs.visits.term, visits=len(inputs.visits.visits))
                  if inputs.visits is not None else "")
        summary = _("{title}: {pairs} pairs, {findings} audit findings").format(title=inputs.plan.title, pairs=len(inputs.plan.pairs),
                                                                                 findings=findings)
        click.echo(summary + visits, err=True)
    click.echo(_("written: {paths}").format(paths=written) + f" ({written.stat().st_size / 1024:.0f} KB)")
    _exit_on_audit_errors(inputs.plan.findings)


@main.command(help=N_("""\
One-way minutes to each school from the office and each base in use (default: the demo).

Flags the schools beyond the scenario's max_travel cap, and says whether the times come from
the road table or the great-circle estimate."""))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--to-csv", "to_csv", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("also write the table as CSV (UTF-8 with BOM, for Excel)"))
@guarded
def travel(scenario: Path | None, to_csv: Path | None) -> None:
    from assign.export.travel_table import travel_text, write_travel_csv
    from assign.load import load_scenario

    problem = load_scenario(scenario if scenario is not None else _demo_path())
    _warn(problem.warnings)
    click.echo(travel_text(problem))
    if to_csv is not None:
        write_travel_csv(problem, to_csv)
        click.echo("\n" + _("written: {paths}").format(paths=to_csv))


@main.command(help=N_("""\
Why RESEARCHER (工号 or 姓名) has these schools in the plan of SOURCE.

SOURCE is a scenario (solved now) or a plan.json with --scenario. Per pair: what it earns on
each objective term, the policies that hold it in place (their audits object once it is
dropped), and the best other school the researcher could take instead, with what the swap costs."""))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("researcher")
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("the scenario of a plan.json SOURCE (a plan.json names its scenario only by name)"))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("CP-SAT worker threads when SOURCE is a scenario"))
@click.option("--seed", type=SEED, default=None, help=N_("CP-SAT random seed when SOURCE is a scenario"))
@guarded
def explain(source: Path, researcher: str, scenario_path: Path | None, workers, seed) -> None:
    from assign.analysis.sources import plan_of
    from assign.analysis.why import explain_researcher, find_researcher
    from assign.export.why_text import why_text

    problem, plan = plan_of(source, scenario_path, workers, seed, None)
    rid = find_researcher(problem, researcher)
    click.echo(why_text(problem, rid, explain_researcher(problem, plan, rid, progress=progress_reporter(False))))


@main.command(help=N_("List installed policies and visit rules with their parameters and defaults (or show one: NAME)."))
@click.argument("name", required=False)
@guarded
def plugins(name: str | None) -> None:
    from assign.export.plugins import policy_help, policy_table
    from assign.registry import build_registry, build_visit_registry

    registry, rules = build_registry(), build_visit_registry()
    if name:
        click.echo(policy_help(rules if name in rules.policies and name not in registry.policies else registry, name))
    else:
        click.echo(policy_table(registry))
        click.echo("\n" + _("visit rules (calendar.visit_rules):"))
        click.echo(policy_table(rules))


@main.command(help=N_("Write a synthetic region in the input format (for benchmarks and trials)."))
@click.option("--size", type=click.Choice(["county", "county-120", "county-250", "county-400", "city", "province"]), default="county",
              show_default=True, help=N_("county 40×120; county-120 120×500, county-250 250×1,000, county-400 400×1,500 (one office, "
                                      "roads like the demo, lexicographic); city 400×1,500 (10 counties), province 3,000×15,000 (75 counties)"))
@click.option("--seed", type=SEED, default=1, show_default=True)
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help=N_("folder for researchers.csv, schools.csv, scenario.yaml"))
@click.option("--per-county", is_flag=True, help=N_("one folder per county (each with its scenario.yaml and tables), for `assign batch`"))
@guarded
def generate(size: str, seed: int, out: Path, per_county: bool) -> None:
    from assign.bench.generate import generate as write_region
    from assign.bench.generate import generate_counties

    if per_county:
        folders = generate_counties(size, seed, out)
        click.echo(_("written: {n} county folders in {folder}").format(n=len(folders), folder=out))
    else:
        click.echo(_("written: {paths}").format(paths=write_region(size, seed, out)))


@main.command(help=N_("""\
The office's web page: upload the tables, choose the rules, solve, edit by hand, download.

Runs until Ctrl+C. Projects and every solve are kept in DATA (SQLite), so a restarted server has them all."""))
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("address to listen on; any other than this machine's needs a token"))
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=Path("assign-data"), show_default=True,
              help=N_("folder of the database, the uploaded tables and every run's files"))
@click.option("--token", default=None, help=N_("required of every request (printed, made up, when listening beyond 127.0.0.1 without one)"))
@click.option("--open", "open_browser", is_flag=True, help=N_("open the page in this machine's browser"))
@guarded
def serve(host: str, port: int, data: Path, token: str | None, open_browser: bool) -> None:
    from assign.web.serve import serve as run_server

    run_server(host, port, data, token=token, open_browser=open_browser, echo=lambda line: click.echo(line, err=True))


@main.command(help=N_("""\
Benchmark our solver against a HiGHS MIP of the same model, a local search and the by-hand greedy.

One table per instance: load, build, solve and wall seconds, status, objective, bound, gap, each
weighted method's objective relative to the best, peak memory and audit errors; then each
lexicographic pass of each method (status, value, bound, gap, seconds). Progress on stderr."""))
@click.option("--sizes", default="county,city", show_default=True,
              help=N_("comma-separated: demo (the demo county), county, county-120, county-250, county-400, city, province"))
@click.option("--seeds", default="1", show_default=True, help=N_("comma-separated generator seeds"))
@click.option("--time-limit", type=FiniteFloatRange(min=0.1), default=60.0, show_default=True, help=N_("seconds per method and instance"))
@click.option("--objectives", default="lexicographic,weighted", show_default=True, help=N_("comma-separated: lexicographic, weighted"))
@click.option("--methods", default="ours,highs,lns,greedy", show_default=True, help=N_("comma-separated: ours, cp-sat-mono, highs, lns, greedy"))
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help=N_("CP-SAT workers (HiGHS uses one thread)"))
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None, help=N_("keep the generated regions here"))
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
              help=N_("md: Markdown tables, as docs/benchmarks.md has them"))
@click.option("--markdown", type=click.Path(dir_okay=False, path_type=Path), default=None, help=N_("also write the tables to this Markdown file"))
@guarded
def bench(sizes: str, seeds: str, time_limit: float, objectives: str, methods: str, workers: int, data: Path | None, fmt: str,
          markdown: Path | None) -> None:
    from assign.bench.generate import SIZES
    from assign.bench.run import DEMO, METHODS, MODES, size_table
    from assign.bench.run import bench as run
    from assign.export.atomic import write_text

    size_list = [s.strip() for s in sizes.split(",") if s.strip()]
    method_list = [m.strip() for m in methods.split(",") if m.strip()]
    mode_list = [m.strip() for m in objectives.split(",") if m.strip()]
    bad = ([s for s in size_list if s not in SIZES and s != DEMO] + [m for m in method_list if m not in METHODS]
           + [m for m in mode_list if m not in MODES])
    if bad:
        raise click.UsageError(_("unknown size, method or objective: {names}").format(names=", ".join(bad)))
    seed_list = [int(s) for s in seeds.split(",") if s.strip()]
    results = run(size_list, seed_list, time_limit, method_list, workers=workers, data=data, modes=mode_list,
                  report=lambda m: click.echo(f"  … {m}", err=True))
    parts = []
    for size, rows in results:
        parts.append(size_table(size, rows, time_limit))
        click.echo(parts[-1] if fmt == "md" else size_table(size, rows, time_limit, fmt="simple"))
        if markdown is not None:
            write_text(markdown, "\n".join(parts))  # after each size, so a long run keeps what it has


if __name__ == "__main__":
    main()
