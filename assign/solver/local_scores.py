"""A plan's objective terms after changing a few pairs, without solving the whole model again.

With every pair variable `x` fixed, the rest of an assignment model falls apart into small
independent pieces: the auxiliary variables (a school covered, a subject covered, a rule's
enforcement literal …) are linked only through constraints, and the objective is a sum. A change
of a few pairs therefore moves only the pieces whose constraints hold one of those `x`: the
auxiliary variables reachable from them through constraints, not passing through another `x`
(which stays fixed). `LocalScores` solves a complete plan once (`fixed_solve`), then scores a
change by solving only those pieces, each a model of a few variables, and adding the change of
each term's linear expression to the plan's value. The result equals what `fixed_solve` of the
changed plan gives (the pieces not reached keep their values, which were optimal already), at a
small fraction of its cost on a county of hundreds of researchers.

Everything is read from the model's own constraints and objective terms: no policy is named. A
model holding a constraint kind whose variables are not read here (intervals, tables …) is scored
by `fixed_solve` of the whole changed plan instead (`local` is then False).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import CpModelProto, FlatFloatExpr

from assign.modeling import ModelContext, Pair
from assign.solver.cpsat import fixed_solve, set_objective

LITERAL_LISTS = ("bool_or", "bool_and", "at_most_one", "exactly_one", "bool_xor")
ARGUMENTS = ("lin_max", "int_prod", "int_div", "int_mod")
EMPTY = CpModelProto()
PIECE_TIME_LIMIT = 10.0  # seconds for one piece: pieces are tiny; a limit only guards a pathological model


def expression_vars(expr) -> list:
    """The repeated field of variable references of each linear expression inside a constraint."""
    return [expr.target.vars, *(e.vars for e in expr.exprs)]


def reference_lists(constraint) -> list | None:
    """Every repeated field of variable references of a constraint (a negative reference is a negated
    literal), or None for a kind this module does not read."""
    fields = [constraint.enforcement_literal]
    if constraint.has_linear():
        return fields + [constraint.linear.vars]
    for kind in LITERAL_LISTS:
        if getattr(constraint, f"has_{kind}")():
            return fields + [getattr(constraint, kind).literals]
    for kind in ARGUMENTS:
        if getattr(constraint, f"has_{kind}")():
            return fields + expression_vars(getattr(constraint, kind))
    return None


def positive(ref: int) -> int:
    return ref if ref >= 0 else -ref - 1


def coefficients(expr) -> tuple[dict[int, float], float]:
    """A linear expression as {variable index: coefficient} and its constant."""
    if isinstance(expr, (int, float)):
        return {}, float(expr)
    flat = FlatFloatExpr(expr)
    out: dict[int, float] = defaultdict(float)
    for var, coeff in zip(flat.vars, flat.coeffs):
        out[var.index] += coeff
    return dict(out), flat.offset


class LocalScores:
    """The terms of a plan, and of the plan with a few pairs changed, scored piece by piece.

    `objective`: what `fixed_solve` maximises (the weighted sum of the terms), so that the pieces
    choose their auxiliary values as a solve of the whole changed plan would. It becomes the model's
    objective: set once, every whole-plan solve of the model (`fixed_solve(ctx, pairs, None)`) uses it.
    """

    def __init__(self, ctx: ModelContext, pairs: set[Pair], objective, held: Iterable[int] | None = None):
        self.ctx, self.pairs, self.objective = ctx, set(pairs), objective
        proto = ctx.model.proto
        set_objective(ctx.model, objective, "max")
        self.base_solver = fixed_solve(ctx, self.pairs, None)
        self.x_index = {pair: var.index for pair, var in ctx.x.items()}
        self.is_x = set(self.x_index.values())
        # Literals that must stay true in a strict change: those the plan itself keeps (a plan's
        # granted exceptions stay granted); `held` None means every enforcement literal.
        self.held = {var.index for var in ctx.literals()} if held is None else set(held)
        self.constraints_of: dict[int, list[int]] = defaultdict(list)
        self.refs: list[list[int]] = []
        self.local = True
        for number, constraint in enumerate(proto.constraints):
            lists = reference_lists(constraint)
            if lists is None:
                self.local = False
                break
            refs = sorted({positive(ref) for field in lists for ref in field})
            self.refs.append(refs)
            for var in refs:
                self.constraints_of[var].append(number)
        self.term_coefficients = {t.name: coefficients(t.expr)[0] for t in ctx.terms}
        self.objective_coefficients = coefficients(objective)[0]
        self.solution = list(self.base_solver.response_proto.solution) if self.base_solver is not None else []
        self.base = ({t.name: self.base_solver.value(t.expr) for t in ctx.terms} if self.base_solver is not None else None)
        self.pieces: dict[int, tuple[frozenset[int], frozenset[int]]] = {}
        self.linear_parts: dict[int, tuple] = {}
        self.scratch = cp_model.CpModel()  # one model refilled for every piece: making a CpModel costs more than solving a piece

    def piece(self, x: int) -> tuple[frozenset[int], frozenset[int]]:
        """The constraints and auxiliary variables reachable from one pair variable, not through another."""
        if x not in self.pieces:
            constraints, variables = set(), set()
            todo = list(self.constraints_of.get(x, []))
            while todo:
                number = todo.pop()
                if number in constraints:
                    continue
                constraints.add(number)
                for var in self.refs[number]:
                    if var not in self.is_x and var not in variables:
                        variables.add(var)
                        todo += self.constraints_of[var]
            self.pieces[x] = (frozenset(constraints), frozenset(variables))
        return self.pieces[x]

    def values(self, changes: dict[Pair, int], strict: bool = False) -> dict[str, float] | None:
        """Each term's value in the plan with `changes` (pair → 0 or 1) applied; None when it has no
        solution (`strict`: every held enforcement literal true, i.e. every rule the plan keeps holds)."""
        if self.base is None:
            return None
        if not self.local:
            return self.whole(changes)
        changed = {self.x_index[pair]: value for pair, value in changes.items() if value != self.solution[self.x_index[pair]]}
        constraints: set[int] = set()
        variables: set[int] = set()
        for x in changed:
            c, v = self.piece(x)
            constraints |= c
            variables |= v
        new = dict(changed)
        if constraints:
            solved = self.solve_piece(sorted(constraints), sorted(variables), changed, strict)
            if solved is None:
                return None
            new.update(solved)
        out = {}
        for name, coeffs in self.term_coefficients.items():
            out[name] = self.base[name] + sum(coeffs.get(var, 0.0) * (value - self.solution[var]) for var, value in new.items())
        return out

    def solve_piece(self, constraints: list[int], variables: list[int], changed: dict[int, int], strict: bool) -> dict[int, int] | None:
        """The auxiliary variables' best values in the pieces, with every pair variable at its new value.

        Pair variables enter as one fixed variable for 0 and one for 1 (a constraint may name one
        several times), so a piece's model holds its own auxiliary variables and nothing else."""
        proto, model = self.ctx.model.proto, self.scratch
        model.proto.copy_from(EMPTY)
        index: dict[int, int] = {}
        fixed = [len(index), len(index) + 1]  # the variables standing for a pair variable at 0 and at 1
        for value in (0, 1):
            model.proto.variables.add().domain.extend([value, value])
        for var in variables:
            index[var] = len(index) + 2
            model.proto.variables.add().domain.extend([1, 1] if strict and var in self.held else list(proto.variables[var].domain))
        def ref_of(ref: int) -> int:
            var = positive(ref)
            new = index[var] if var in index else fixed[changed.get(var, self.solution[var])]
            return new if ref >= 0 else -new - 1

        for number in constraints:
            copy = model.proto.constraints.add()
            if number in self.linear_parts or proto.constraints[number].has_linear():
                # A linear constraint over many pairs (a researcher's count of schools) is copied with
                # its pair variables folded into its bounds: a piece stays as small as its auxiliaries.
                aux, pair_coeffs, constant, domain, enforcement = self.linear_part(number)
                constant += sum(pair_coeffs.get(var, 0) * (value - self.solution[var]) for var, value in changed.items())
                copy.enforcement_literal.extend([ref_of(ref) for ref in enforcement])
                copy.linear.vars.extend([index[var] for var, _ in aux])
                copy.linear.coeffs.extend([coeff for _, coeff in aux])
                copy.linear.domain.extend([d if d in (cp_model.INT_MIN, cp_model.INT_MAX) else d - constant for d in domain])
                continue
            copy.copy_from(proto.constraints[number])
            for field in reference_lists(copy):
                for i, ref in enumerate(field):
                    field[i] = ref_of(ref)
        terms = [(index[var], self.objective_coefficients[var]) for var in variables if var in self.objective_coefficients]
        if terms:
            objective = model.proto.floating_point_objective
            objective.vars.extend([i for i, _ in terms])
            objective.coeffs.extend([float(coeff) for _, coeff in terms])
            objective.maximize = True
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = PIECE_TIME_LIMIT
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        solution = solver.response_proto.solution
        return {var: solution[index[var]] for var in variables}

    def linear_part(self, number: int) -> tuple[list[tuple[int, int]], dict[int, int], int, list[int], list[int]]:
        """A linear constraint split into its auxiliary terms, its pair variables' coefficients, their
        value in the plan, its domain and its enforcement literals (read once, kept)."""
        if number not in self.linear_parts:
            constraint = self.ctx.model.proto.constraints[number]
            aux, pairs, constant = [], {}, 0
            for var, coeff in zip(constraint.linear.vars, constraint.linear.coeffs):
                if var in self.is_x:
                    pairs[var] = pairs.get(var, 0) + coeff
                    constant += coeff * self.solution[var]
                else:
                    aux.append((var, coeff))
            self.linear_parts[number] = (aux, pairs, constant, list(constraint.linear.domain), list(constraint.enforcement_literal))
        return self.linear_parts[number]

    def whole(self, changes: dict[Pair, int]) -> dict[str, float] | None:
        """The changed plan scored by `fixed_solve` of the whole model (a model this module cannot split)."""
        pairs = {pair for pair in self.pairs if changes.get(pair, 1)} | {pair for pair, value in changes.items() if value}
        solver = fixed_solve(self.ctx, pairs, None)
        return None if solver is None else {t.name: solver.value(t.expr) for t in self.ctx.terms}
