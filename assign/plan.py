"""A plan as data: the pairs, how the solve went, the objective broken down by term, KPIs and findings.

A `Plan` is what every later stage reads (audit, exports, compare); it serialises to `plan.json`
and reads back from it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assign.errors import CellProblem, InputError
from assign.locale import _


class Finding(BaseModel):
    """One thing an audit found wrong (error) or worth a look (warning), and about whom.

    `granted`: a broken rule the plan was allowed to break (an exception of `Plan.exceptions`),
    reported as such and not as a violation.
    """

    model_config = ConfigDict(frozen=True)
    policy: str
    severity: Literal["error", "warning", "granted"] = "error"
    message: str
    researchers: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()  # the days a calendar finding is about
    rule: str = ""  # which relaxable rule of the policy (its `ctx.require(rule=...)` key), when it has several
    note: str = ""  # a short Chinese phrase for a table cell (备注), without the names the finding carries

    def __str__(self) -> str:
        return f"[{self.policy}] {self.message}"


TIMING_FIELDS = ("build_seconds", "solve_seconds")  # how long it took: differs between runs, unlike the rest

Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]


class RuleException(BaseModel):
    """An exception granted to a rule (`on_infeasible: relax`): which rule, about whom, and why.

    `requirement` is the rule in the policy's words; `granted` what the plan gives instead (from
    the policy's own audit); `reason` the supply count that made it necessary, when a policy's
    precheck found one (e.g. 全县符合条件的特教学校仅1所).
    """

    model_config = ConfigDict(frozen=True)
    policy: str
    rule: str
    about: tuple[str, ...]
    researchers: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    severity: int
    label: str = ""  # the rule's Chinese label (its policy's `relaxable`), e.g. 最少联系学校数
    requirement: str
    granted: str = ""
    reason: str = ""

    @property
    def key(self) -> str:
        """`policy.rule`, as a scenario's `relax.severity` writes it."""
        return f"{self.policy}.{self.rule}"

    @property
    def note(self) -> str:
        """The roster's 备注 for it: the reason, then what was granted (例外：全县符合条件的特教学校仅1所，联系1所)."""
        return "例外：" + "，".join(x for x in (self.reason, self.granted or self.requirement) if x)


class Uncovered(BaseModel):
    """A school the plan leaves without a researcher, and why (in Chinese, for the office)."""

    model_config = ConfigDict(frozen=True)
    school_id: str
    priority: int = 1
    reason: str


class Assignment(BaseModel):
    """One researcher-school pair of the plan."""

    model_config = ConfigDict(frozen=True)
    researcher_id: str
    school_id: str
    minutes: float = Field(description="one-way travel minutes from the researcher's start")


class TermValue(BaseModel):
    """The value of one objective term in the final plan."""

    name: str
    label: str
    sense: Literal["max", "min"]
    value: float
    weight: float
    rank: int
    unit: str = ""


class SolvePass(BaseModel):
    """One CP-SAT run: the weighted objective, or one term of a lexicographic order."""

    objective_name: str
    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    budget: float | None = Field(None, description="seconds the pass was given; a pass not proven within them stopped there")
    joint_with: str | None = Field(None, description="settled in one run with this earlier pass (exact weights: "
                                                     "assign.solver.joint_passes); that pass holds the run's seconds")
    stop: Literal["gap", "share", "limit"] | None = Field(
        None, description="why a pass not proven stopped: within solver.pass_gap of its bound at once (`gap`, a re-plan's: more "
                          "time would not change it; `pass_gap: 0` proves it), within it after its share of the time (`share`), "
                          "or at its budget (`limit`)")


class Plan(BaseModel):
    """A solved (or read) plan. The same scenario and seed give the same plan: every field but the
    timings (`TIMING_FIELDS`, and each pass's `seconds` and `budget`) is reproducible, and `without_timings()`
    is what to compare."""

    scenario: str
    title: str
    contact_period: str
    travel_method: str
    mode: Literal["weighted", "lexicographic"]
    status: Status
    objective: float | None = None
    bound: float | None = None
    gap: float | None = Field(None, description="relative gap |objective − bound| / max(1, |objective|), worst pass")
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    candidate_pairs: int = 0
    passes: list[SolvePass] = Field(default_factory=list)
    pairs: list[Assignment] = Field(default_factory=list)
    terms: list[TermValue] = Field(default_factory=list)
    kpis: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    exceptions: list[RuleException] = Field(default_factory=list, description="rules bent to make a plan possible (on_infeasible: relax)")
    uncovered: list[Uncovered] = Field(default_factory=list, description="schools without a researcher, weakest first, and why")
    solver_settings: dict[str, Any] = Field(default_factory=dict)

    @property
    def solved(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def without_timings(self) -> "Plan":
        """The plan with every time measurement zeroed: what two runs of the same solve agree on."""
        return self.model_copy(update={**{name: 0.0 for name in TIMING_FIELDS},
                                       "passes": [p.model_copy(update={"seconds": 0.0, "budget": None}) for p in self.passes]})

    def run_head(self, solve_pass: SolvePass) -> tuple[int, SolvePass]:
        """The 1-based number and the pass of the run that settled `solve_pass`: itself, or the first
        pass of its joint run (assign.solver.joint_passes), which holds the run's seconds and budget."""
        name = solve_pass.joint_with or solve_pass.objective_name
        return next(((i, q) for i, q in enumerate(self.passes, 1) if q.objective_name == name), (0, solve_pass))

    def schools_of(self) -> dict[str, list[str]]:
        """School ids of each researcher, in plan order."""
        out: dict[str, list[str]] = defaultdict(list)
        for a in self.pairs:
            out[a.researcher_id].append(a.school_id)
        return out

    def researchers_of(self) -> dict[str, list[str]]:
        """Researcher ids of each school, in plan order."""
        out: dict[str, list[str]] = defaultdict(list)
        for a in self.pairs:
            out[a.school_id].append(a.researcher_id)
        return out

    def pair_set(self) -> set[tuple[str, str]]:
        return {(a.researcher_id, a.school_id) for a in self.pairs}

    @classmethod
    def read(cls, path: str | Path) -> "Plan":
        """A plan.json written by assign (also as Notepad saves it: UTF-8 with BOM, or UTF-16).

        A missing, unreadable or malformed file, one without `pairs`, or one that repeats a pair is
        one InputError naming the file and what is wrong: an edited plan must never read as an
        empty or a different one.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError.at(path, None, None, None, _("plan file not found (expected a plan.json written by `assign solve`)"))
        try:
            data = json.loads(_decoded(path.read_bytes()))
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError.at(path, None, None, None, _("not a plan.json written by assign ({first})").format(first=first)) from None
        if not isinstance(data, dict) or "pairs" not in data:
            raise InputError.at(path, None, "pairs", None, _("not a plan.json written by assign (no `pairs` list)"))
        try:
            plan = cls.model_validate(data)
        except ValueError as exc:
            errors = getattr(exc, "errors", lambda: [])()
            problems = [CellProblem(str(path), None, ".".join(str(p) for p in e["loc"]), e.get("input"),
                                    _("not a plan.json written by assign ({value})").format(value=e['msg'])) for e in errors[:20]]
            raise InputError(problems or CellProblem(str(path), None, None, None, _("not a plan.json written by assign"))) from None
        seen: set[tuple[str, str]] = set()
        repeated = [f"{a.researcher_id}→{a.school_id}" for a in plan.pairs
                    if (a.researcher_id, a.school_id) in seen or seen.add((a.researcher_id, a.school_id))]
        if repeated:
            raise InputError.at(path, None, "pairs", "、".join(repeated[:10]), _("each pair may appear once in a plan"))
        return plan


def _decoded(data: bytes) -> str:
    """Text of a JSON file: UTF-16 and UTF-8 with or without a BOM (what Windows editors save)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")
