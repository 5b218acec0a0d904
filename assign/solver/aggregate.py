"""The aggregated model: how many researchers of each type take each school, then who.

Researchers a policy cannot tell apart (`assign.solver.symmetry`) make one type, and the model keeps
one integer `x[t, s]` per type and candidate school: how many of the type's n researchers take s
(0 … n). Every policy of the problem must declare `aggregates` (`assign.policy.Policy`): its
`apply` then reads `x` as counts and bounds a researcher's own sums by `ctx.count(r)`, and its
constraints hold for the counts of every plan (the aggregated model is a relaxation of the plain
one, with the same value of every term), and for the built-ins exactly so (every solution of the
counts splits into named researchers). A county of 120 × 500 has 40 types of 114 researchers in
its largest part, one of 250 × 1,000 42 of 235: the model is several times smaller, and the
symmetric solutions CP-SAT would otherwise wander among are one (measured in docs/benchmarks.md:
every lexicographic pass of both proven within a 60 s limit, one worker).

The passes (`assign.solver.passes`) run on this model as on the plain one, from the greedy plan's
counts. Then the counts are named (`expand`): the plain model of the pairs they use, each type's
sum at each school fixed to its count, solved for a feasible point (one worker, the seed: the same
counts give the same names), then every term at its best for those pairs. Each term is then at
least as good as the passes left it (the same, unless a pass left a term below what its counts
earn), so the passes' values are the plan's and their bounds hold for it. Were the counts not to
split (a policy whose aggregated form is only a relaxation), `expand` says so, and the caller
solves the plain model instead: never a plan the plain model would not allow.
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from assign.candidates import candidate_pairs
from assign.locale import _
from assign.modeling import ModelContext, build_model
from assign.plan import Finding
from assign.problem import Problem
from assign.solver.cpsat import Progress, SolveOptions, fixed_solve, set_objective
from assign.solver.decompose import SOLVER_FINDING, sub_problem
from assign.solver.sat_parameters import parameters_text
from assign.solver.symmetry import researcher_types

# Solve by types only when they are at most this share of the researchers: a model of nearly as many
# types as researchers is as large as the plain one and still pays for naming them. Measured on
# generated single-office counties (one worker, every pass proven both ways, the same values): 27-39
# researchers in 59-78% types 0.3-0.5 s either way; 56-74 researchers in 43-54% types 0.9-3.2 s
# against 2.1-5.5 s plain; 120 and 250 researchers in a third of types, every pass proven in
# 10 and 30 s against passes 2-4 unproven at 60 s.
MAX_TYPE_SHARE = 0.75
# CP-SAT settings of the passes over counts, over the measured defaults (assign.solver.cpsat) and under
# the scenario's own: three rounds of cuts at the root, which the single-worker defaults already have.
# Measured on the travel pass of a 120 × 500 county's counts, two workers: proven in 3.4 s with them,
# 13% from its bound after 15 s without (docs/benchmarks.md).
AGGREGATED_PARAMETERS = {"max_cut_rounds_at_level_zero": 3}
# The split of the counts among researchers: a feasible point near the round-robin hint, found sooner
# without presolve (measured on a 400 × 1,500 county's optimal counts: 1.1 s against 5.0 s with it,
# and no split in 60 s without the LP).
SPLIT_PARAMETERS = {"cp_model_presolve": False}
EXPAND_SECONDS = 5.0  # the least time naming the counts is given (about a second on a 400 × 1,500 county)


def aggregates(problem: Problem) -> bool:
    """Whether every policy of the problem declares `aggregates` (a plugin that does not say does not)."""
    return all(getattr(use.policy, "aggregates", False) is True for use in problem.policies)


def aggregated_model(problem: Problem, options: SolveOptions, progress: Progress | None = None) -> ModelContext | None:
    """The model of the problem's types, or None when the plain model is the one to solve: the
    option is off, the scenario relaxes (an exception is about one researcher), a policy does not
    aggregate, or the types are more than MAX_TYPE_SHARE of the researchers. A plan to start from
    (a re-plan's plan in force) is counted by type like any plan (`ModelContext.counts`)."""
    if not options.aggregate or problem.relaxing or not problem.researchers or not aggregates(problem):
        return None
    pairs = candidate_pairs(problem)
    types = researcher_types(problem, pairs)
    if len(types) > MAX_TYPE_SHARE * len(problem.researchers):
        return None
    if progress:
        progress(_("{researchers} researchers are {types} types of interchangeable researchers: the passes solve how many of each type "
                   "take a school").format(researchers=len(problem.researchers), types=len(types)))
    representatives = {t[0] for t in types}
    # The representatives' problem, with the plan in force of every researcher (a policy counts it by type).
    reduced = sub_problem(problem, [t[0] for t in types], [s.id for s in problem.schools]).model_copy(
        update={"previous_pairs": problem.previous_pairs})
    return build_model(reduced, [pair for pair in pairs if pair[0] in representatives], relax=False,
                       types={t[0]: tuple(t) for t in types if len(t) > 1}, named=pairs)


def aggregated_options(options: SolveOptions) -> SolveOptions:
    """The options of the passes over counts: AGGREGATED_PARAMETERS under the scenario's own parameters."""
    return replace(options, parameters={**AGGREGATED_PARAMETERS, **options.parameters})


def expand(problem: Problem, grouped: ModelContext, solution: cp_model.CpSolver, options: SolveOptions,
           time_limit: float) -> tuple[ModelContext, cp_model.CpSolver, set[str]] | None:
    """The plain model of `problem` and a complete solution of it that names the counts of `solution`
    (a solution of `grouped`): each type's researchers take each school as many times as the count
    says, and every term is at least as good as in `solution` (equal, unless `solution` left a term
    below what its counts earn); and the names of the terms that came out worse (none for the
    built-ins' own rules; the changes against a plan in force, counted by type as the fewest any
    naming can have, when a researcher's own limits keep a school from going back to its holder).
    None when the counts could not be split within `time_limit` (at least EXPAND_SECONDS): the
    caller then solves the plain model.

    Two small solves over the plain model of the pairs the counts use (a type's researchers at the
    schools its count is above 0; every policy states its rules for whatever candidates it is given,
    so this is the plain model with more pairs pruned): the split (each type's sums fixed, for a
    feasible point; one worker and the seed, so the same counts give the same names), then its pairs
    fixed and every term's auxiliary variables at their best (`fixed_solve`), as a roster is scored.
    """
    counts = {pair: solution.value(var) for pair, var in grouped.x.items()}
    used = {(rid, sid) for (rid, sid), count in counts.items() if count > 0}
    representative = {member: rid for rid, members in grouped.types.items() for member in members}
    named_pairs = grouped.named_pairs()
    plain = build_model(problem, [(rid, sid) for rid, sid in named_pairs if (representative.get(rid, rid), sid) in used], relax=False,
                        named=named_pairs)
    split = plain.model.clone()
    split.clear_hints()
    previous = set(problem.previous_pairs)
    # The hint: each type's counts dealt round robin, school after school, to those who held the
    # school in the plan in force first; the objective, with one: as many of theirs given back as
    # the counts allow (the bound, Σ min(count, held), is the LP's: a good deal is proven at once).
    dealt = {rid: 0 for rid in grouped.types}
    given_back = []
    for (rid, sid), count in counts.items():
        if count > 0:
            ids = grouped.types.get(rid, (rid,))
            members = [split.get_bool_var_from_proto_index(plain.x[member, sid].index) for member in ids]
            split.add(sum(members) == count)
            given_back += [x for member, x in zip(ids, members) if (member, sid) in previous]
            if rid in dealt:
                turn = sorted(range(len(ids)), key=lambda k: ((ids[k], sid) not in previous, (k - dealt[rid]) % len(ids)))
                chosen = set(turn[:count])
                dealt[rid] += count
                for k, x in enumerate(members):
                    split.add_hint(x, k in chosen)
    if given_back:
        set_objective(split, sum(given_back), "max")
    solver = cp_model.CpSolver()
    solver.parameters.merge_text_format(parameters_text({}, ours=SPLIT_PARAMETERS))
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = options.seed
    solver.parameters.max_time_in_seconds = max(EXPAND_SECONDS, time_limit)
    if solver.solve(split) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    pairs = {pair for pair, var in plain.x.items() if solver.boolean_value(split.get_bool_var_from_proto_index(var.index))}
    # Each term at its best for these pairs: Σ of the terms, maximised ones added and minimised ones subtracted.
    named = fixed_solve(plain, pairs, sum(t.expr if t.sense == "max" else -t.expr for t in plain.terms))
    if named is None:
        return None
    values = {t.name: solution.value(t.expr) for t in grouped.terms}
    worse = {term.name for term in plain.terms
             if (named.value(term.expr) < values[term.name] if term.sense == "max" else named.value(term.expr) > values[term.name])}
    return plain, named, worse


def not_named_warning(types: int) -> Finding:
    """The warning of a solve whose counts by type could not be named, solved again researcher by researcher."""
    return Finding(policy=SOLVER_FINDING, severity="warning",
                   message=_("the best counts by type ({types} types of interchangeable researchers) could not be split among the "
                             "researchers: the plan was solved again with one variable per researcher and school").format(types=types))
