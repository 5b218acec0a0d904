"""The CP-SAT model of one term's visits, and the helpers through which visit rules add to it.

Days are the term's working days, numbered 0…n-1 (a day off is simply not a number, so two
working days either side of a weekend or holiday are neighbours). For every pair of the plan the
core creates `on[p, i]` (the researcher is at the school on day i) and `start[p, i]` (a visit
begins on day i: on today, not on the previous working day). The core knows no rule: each rule
gets a `RuleContext` bound to its name and adds named constraints and objective terms, as
policies do through `assign.modeling`.

What a visit is for is decided in the same model, by the rules that ask for it: a rule that wants
a lecture (专题讲座) or a school research activity (校本教研) asks for `activity[word][p, i]` (the
visit of pair p that starts on day i holds it: a visit names an activity once, whatever its
length), and a rule that counts lessons observed asks for `lessons[p, i]` (lessons the researcher
observes at the school on day i, 0 off site). The solve writes them onto each visit: its activities
are those its first day holds, its lessons the sum over its days (and 听课 among its activities when
that is above 0).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from assign.calendar.schedule import teaching_week
from assign.calendar.workdays import TermDays
from assign.locale import _
from assign.modeling import Requirement, Term
from assign.problem import Problem
from assign.vocab import ACTIVITIES

Pair = tuple[str, str]


@dataclass
class VisitContext:
    """The model under construction for one term: variables, requirements and terms, all by name."""

    problem: Problem
    term: TermDays
    pairs: list[Pair]
    explain: bool = False  # give every requirement an enforcement literal (to explain infeasibility)
    year_workdays: int | None = None  # working days of every term of the school year, for yearly rules
    year_before: int = 0  # working days of the school year's terms before this one (a yearly count's part so far)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    on: dict[Pair, list[cp_model.IntVar]] = field(default_factory=dict)
    start: dict[Pair, list[cp_model.IntVar]] = field(default_factory=dict)
    requirements: list[Requirement] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    _literals: dict[tuple[str, tuple[str, ...]], cp_model.IntVar] = field(default_factory=dict)
    _busy: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    # Joint inspection days (联合视导): per school, per working day, "the school's team is there together
    # today". Made by the rule that plans them (joint_inspection); a rule that caps visits to a school
    # a day lets that day through (school_daily_cap).
    joint: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    # What the visits are for, made on demand by the rules that plan it: activity word → pair → per
    # working day "the visit starting that day holds it"; and pair → per working day lessons observed.
    activity: dict[str, dict[Pair, list[cp_model.IntVar]]] = field(default_factory=dict)
    lessons: dict[Pair, list[cp_model.IntVar]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.term.days)
        for pair in self.pairs:
            rid, sid = pair
            on = [self.model.new_bool_var(f"on[{rid},{sid},{i}]") for i in range(n)]
            start = [self.model.new_bool_var(f"start[{rid},{sid},{i}]") for i in range(n)]
            # start[i] = on[i] and not on[i-1]: a visit is a run of consecutive working days
            self.model.add(start[0] == on[0])
            for i in range(1, n):
                self.model.add_bool_and([on[i], on[i - 1].Not()]).only_enforce_if(start[i])
                self.model.add_bool_or([start[i], on[i].Not(), on[i - 1]])
            self.on[pair], self.start[pair] = on, start
        self.index = {day: i for i, day in enumerate(self.term.days)}

    def for_rule(self, name: str) -> "RuleContext":
        return RuleContext(self, name)

    def busy(self, researcher_id: str) -> list[cp_model.IntVar]:
        """busy[i]: the researcher is on site (at one school or more) on day i; created once, on demand."""
        if researcher_id not in self._busy:
            pairs = [p for p in self.pairs if p[0] == researcher_id]
            if len(pairs) == 1:  # at one school only: on site is being there
                self._busy[researcher_id] = self.on[pairs[0]]
                return self._busy[researcher_id]
            busy = []
            for i in range(len(self.term.days)):
                b = self.model.new_bool_var(f"busy[{researcher_id},{i}]")
                ons = [self.on[p][i] for p in pairs]
                for on in ons:
                    self.model.add_implication(on, b)
                self.model.add_bool_or(ons + [b.Not()])
                busy.append(b)
            self._busy[researcher_id] = busy
        return self._busy[researcher_id]

    def activity_days(self, pair: Pair, word: str) -> list[cp_model.IntVar]:
        """held[i]: the pair's visit starting on day i holds activity `word`; created once, on demand."""
        if word not in ACTIVITIES:
            raise ValueError(f"unknown activity {word!r}: expected one of {', '.join(ACTIVITIES)}")
        by_pair = self.activity.setdefault(word, {})
        if pair not in by_pair:
            rid, sid = pair
            # A visit lists each activity once: it holds it on its first day, so visits and held days count the same.
            held = [self.model.new_bool_var(f"activity[{word},{rid},{sid},{i}]") for i in range(len(self.term.days))]
            for h, first in zip(held, self.start[pair]):
                self.model.add_implication(h, first)
            by_pair[pair] = held
        return by_pair[pair]

    def lessons_of(self, pair: Pair, most: int) -> list[cp_model.IntVar]:
        """lessons[i]: lessons observed at the pair's visit on day i, at most `most` and 0 off site;
        created once, on demand (the first rule to ask sets the day's most)."""
        if pair not in self.lessons:
            rid, sid = pair
            counts = [self.model.new_int_var(0, most, f"lessons[{rid},{sid},{i}]") for i in range(len(self.term.days))]
            for n, on in zip(counts, self.on[pair]):
                self.model.add(n <= most * on)
            self.lessons[pair] = counts
        return self.lessons[pair]

    def literals(self) -> list[cp_model.IntVar]:
        """Every enforcement literal (explain mode), for solving under assumptions."""
        return list(self._literals.values())

    def literal_for(self, rule: str, about: tuple[str, ...]) -> cp_model.IntVar:
        key = (rule, about)
        if key not in self._literals:
            self._literals[key] = self.model.new_bool_var(f"enforce[{rule}:{','.join(about)}]")
        return self._literals[key]


class RuleContext:
    """What one visit rule sees of the model: days, pairs and their variables, and tagged helpers."""

    def __init__(self, ctx: VisitContext, rule: str):
        self._ctx = ctx
        self.rule = rule
        self.problem = ctx.problem
        self.term = ctx.term
        self.days = ctx.term.days
        self.model = ctx.model
        self.pairs = ctx.pairs
        self.on = ctx.on
        self.start = ctx.start
        self.year_workdays = ctx.year_workdays or len(ctx.term.days)
        self.year_before = ctx.year_before

    def index_of(self, day: dt.date) -> int | None:
        """The day's number in the term, or None when it is not a working day of the term."""
        return self._ctx.index.get(day)

    def busy(self, researcher_id: str) -> list[cp_model.IntVar]:
        """Per working day: is the researcher on site at all (two schools on one day count once)."""
        return self._ctx.busy(researcher_id)

    def joint_days(self, school_id: str, *, create: bool = False) -> list[cp_model.IntVar] | None:
        """Per working day: does the school host a joint inspection today? None when no rule plans one
        there; `create` makes the day literals (for the rule that plans them and constrains them)."""
        if create and school_id not in self._ctx.joint:
            self._ctx.joint[school_id] = [self.model.new_bool_var(f"joint[{school_id},{i}]") for i in range(len(self.days))]
        return self._ctx.joint.get(school_id)

    def year_share(self, total: float) -> int:
        """This term's part of a yearly total, in proportion to its working days, rounded up: each
        term is scheduled on its own and the terms of the school year still add up."""
        return math.ceil(total * len(self.days) / max(1, self.year_workdays) - 1e-9)

    def year_part(self, total: int) -> int:
        """This term's part of a yearly count, so that the parts of the school year's terms add up to
        `total` exactly: the count due by the term's end (in proportion to the working days so far,
        rounded up) less the count due by the end of the terms before it. A yearly 1 falls in the
        first term; 100 lessons over two terms of 94 and 91 days are 51 and 49."""
        year = max(1, self.year_workdays)
        due_by_end = math.ceil(total * (self.year_before + len(self.days)) / year - 1e-9)
        due_before = math.ceil(total * self.year_before / year - 1e-9)
        return max(0, min(total, due_by_end) - min(total, due_before))

    def activity_days(self, pair: Pair, word: str) -> list[cp_model.IntVar]:
        """Per working day: does the pair's visit starting that day hold activity `word` (a word of vocab.ACTIVITIES)?
        Only on a visit's first day, so a visit holds it once. Shared by every rule asking for the same word and pair."""
        return self._ctx.activity_days(pair, word)

    def lessons(self, pair: Pair, most: int) -> list[cp_model.IntVar]:
        """Per working day: lessons the researcher observes at the pair's school (0…most, 0 off site)."""
        return self._ctx.lessons_of(pair, most)

    def week_of(self, i: int) -> int:
        """Teaching week (1-based) of day number i."""
        return teaching_week(self.term.first, self.days[i])

    def pairs_of_researcher(self) -> dict[str, list[Pair]]:
        out: dict[str, list[Pair]] = defaultdict(list)
        for pair in self.pairs:
            out[pair[0]].append(pair)
        return out

    def pairs_of_school(self) -> dict[str, list[Pair]]:
        out: dict[str, list[Pair]] = defaultdict(list)
        for pair in self.pairs:
            out[pair[1]].append(pair)
        return out

    @staticmethod
    def total(items) -> cp_model.LinearExprT:
        """Σ items as one expression, made in one call: `sum()` builds it term by term, the largest cost
        of building a model with many windows (min_gap_days)."""
        return cp_model.LinearExpr.sum(list(items))

    def new_bool(self, name: str) -> cp_model.IntVar:
        return self.model.new_bool_var(f"{self.rule}.{name}")

    def require(self, constraint, *, about: tuple[str, ...], why: str) -> cp_model.Constraint:
        """Add a hard constraint on behalf of this rule about the given entity ids."""
        ct = self.model.add(constraint)
        requirement = Requirement(self.rule, tuple(about), why)
        if self._ctx.explain:
            requirement.literal = self._ctx.literal_for(self.rule, requirement.about)
            ct.only_enforce_if(requirement.literal)
        self._ctx.requirements.append(requirement)
        return ct

    def forbid(self, pair: Pair, indexes: list[int], *, about: tuple[str, ...], why: str) -> None:
        """No visit of this pair on these day numbers (one named requirement for all of them)."""
        if not indexes:
            return
        self.require(cp_model.LinearExpr.sum([self.on[pair][i] for i in indexes]) == 0, about=about, why=why)

    def reward(self, term: str, expr, *, weight: float = 1.0, rank: int = 50, label: str = "", unit: str = "") -> None:
        """An objective term to maximise (research-day matches, spread …)."""
        self._term(term, expr, "max", weight, rank, label, unit)

    def penalize(self, term: str, expr, *, weight: float = 1.0, rank: int = 50, label: str = "", unit: str = "") -> None:
        """An objective term to minimise (travel, bunching …)."""
        self._term(term, expr, "min", weight, rank, label, unit)

    def _term(self, term, expr, sense, weight, rank, label, unit) -> None:
        name = f"{self.rule}.{term}"
        if any(t.name == name for t in self._ctx.terms):
            raise ValueError(_("objective term {name} added twice").format(name=repr(name)))
        self._ctx.terms.append(Term(name, self.rule, expr, sense, weight, rank, label or name, unit))
