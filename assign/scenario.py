"""The scenario file (scenario.yaml): which tables, which policies with which parameters, how to solve.

Only the shape is checked here; policy parameters are validated by each policy's own `Params`
once the registry is known (see `assign.problem`). Every number is finite and within a range that
means something (a seed CP-SAT takes, a term in the years `assign.models.check_year` allows), and each CP-SAT
parameter is checked by name and type against OR-Tools' own descriptor (`assign.solver.sat_parameters`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assign.locale import _
from assign.models import check_year
from assign.solver.sat_parameters import SEED_MAX, check_parameters

# CP-SAT parameters that `solver:` sets from its own keys (bounded there, overridden by --workers, --seed, --time-limit).
OWNED_PARAMETERS = {"num_workers": "workers", "num_search_workers": "workers", "random_seed": "seed",
                    "max_time_in_seconds": "time_limit", "log_search_progress": "log"}


class _Section(BaseModel):
    # NaN and infinity pass `gt=0` checks and then break integer conversions in the solver.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Office(_Section):
    """The teaching-research office: where every trip starts unless a researcher has a base."""

    name: str = Field("教研室", description="shown in titles, e.g. 示范县教研室")
    node: str | None = Field(None, description="road-network node of the office")
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)


class DataFiles(_Section):
    researchers: str
    schools: str
    roads: str | None = None
    nodes: str | None = None
    townships: str | None = None  # 乡镇 → lon/lat: where a school without a place of its own is put


class ContactPeriod(_Section):
    """联系周期: when the first batch starts and how many years a pairing lasts."""

    start: str = Field("2026-09", description="YYYY-MM")
    years: int = Field(2, ge=1, le=6)

    @field_validator("start", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        text = str(value).strip()
        parts = text.replace("/", "-").split("-")
        if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 12:
            raise ValueError(_("expected YYYY-MM, got {text}").format(text=repr(text)))
        check_year(int(parts[0]), text)
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"

    @property
    def label(self) -> str:
        """2026年9月—2028年8月."""
        year, month = (int(p) for p in self.start.split("-"))
        end_month = month - 1 or 12
        end_year = year + self.years - (1 if month == 1 else 0)
        return f"{year}年{month}月—{end_year}年{end_month}月"


class TravelModel(_Section):
    """How travel is timed: great-circle distance × detour ÷ speed without a road table; with one,
    the speeds a road table in km falls back on and the off-road leg of a school given by coordinates."""

    detour_factor: float = Field(1.3, ge=1.0, le=5.0, description="road km per straight-line km")
    speed_kmh: float = Field(40.0, gt=0, le=150, description="average driving speed (no road table)")
    road_kmh: float | None = Field(None, gt=0, le=150, description="speed of roads given in km without a kmh cell")
    off_road_kmh: float = Field(15.0, gt=0, le=150, description="speed from a coordinate to its nearest road node (× detour)")


class Objective(_Section):
    """How objective terms combine: `weighted` sums weight × term; `lexicographic` optimises in order."""

    mode: Literal["weighted", "lexicographic"] = "lexicographic"
    order: list[str] | None = Field(None, description="term names in priority order; default: each term's rank")


class SolverSettings(_Section):
    """CP-SAT settings. The defaults are what we measured to work on 2-core machines (docs/benchmarks.md)."""

    time_limit: float = Field(30.0, gt=0, description="seconds, for the whole solve (all lexicographic passes)")
    # One worker: deterministic (the same scenario and seed give the same plan), and on county-sized
    # models faster than two (measured: a coupled preset 1.0-1.5 s against 2.7-3.0 s; the
    # urban-rural preset 80 s against ~110 s). Independent parts run in parallel processes anyway.
    workers: int = Field(1, ge=1, le=64, description="CP-SAT worker threads; more than one is not deterministic")
    seed: int = Field(0, ge=0, le=SEED_MAX, description="CP-SAT's random seed")
    log: bool = False
    # The measure of "finished" at scale (docs/benchmarks.md): a pass within 0.5% of its bound
    # after its share hands the rest of its time to the passes after it.
    pass_gap: float = Field(0.005, ge=0, lt=1, description="a lexicographic pass that has had its even share of the time stops once its "
                                                            "plan is within this relative gap of its bound (0: run to proof or to its budget)")
    parameters: dict[str, Any] = Field(default_factory=dict, description="extra CP-SAT parameters by name (sat_parameters.proto)")
    aggregate: bool = Field(True, description="solve interchangeable researchers as types (how many of each type take a school), "
                                              "then name them; false: one variable per researcher and school")

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, parameters: dict[str, Any]) -> dict[str, Any]:
        check_parameters(parameters)  # one error per unknown name or bad value, under solver.parameters.NAME
        owned = [_("{name} (set solver.{key})").format(name=name, key=OWNED_PARAMETERS[name]) for name in parameters if name in OWNED_PARAMETERS]
        if owned:
            raise ValueError(_("{names}: these CP-SAT parameters come from the solver section's own keys, whose limits apply, and from the "
                               "command line")
                                 .format(names=', '.join(owned)))
        return parameters


class RelaxSettings(_Section):
    """The `relax:` section: what one exception to a rule costs when `on_infeasible: relax`.

    Keys are a policy (`school_count`: every rule of it that may bend) or one rule
    (`school_count.min`); values a positive severity, or `never` to keep the rule hard. A rule
    not named keeps its policy's default severity (`assign plugins NAME` lists them). The solver
    grants the exceptions of least total severity: with `school_count: 1` and `max_travel: 5`,
    "one school instead of two" is granted before "a 95-minute trip".
    """

    severity: dict[str, int | Literal["never"]] = Field(default_factory=dict, description="policy or policy.rule → severity (≥ 1) or never")

    @field_validator("severity")
    @classmethod
    def _positive(cls, severity: dict[str, int | str]) -> dict[str, int | str]:
        bad = [f"{k}: {v!r}" for k, v in severity.items() if v != "never" and (isinstance(v, bool) or v < 1)]
        if bad:
            raise ValueError(_("a severity is a whole number of at least 1, or never; got {names}").format(names=', '.join(bad)))
        return severity


class Term(_Section):
    """A school term (学期): its name as the office writes it, its first and last day, and its exam weeks."""

    name: str = Field(description="e.g. 2026秋")
    start: dt.date
    end: dt.date
    exam_weeks: list[int] = Field(default_factory=list, description="teaching weeks of exams (教学周, week 1 holds the first day), "
                                                                   "kept free of routine visits by the term_edges visit rule")

    @field_validator("start", "end")
    @classmethod
    def _in_range(cls, day: dt.date) -> dt.date:
        check_year(day.year, str(day))
        return day

    @model_validator(mode="after")
    def _ordered(self) -> "Term":
        if self.end < self.start:
            raise ValueError(_("term {name}: end {end} is before start {start}").format(name=self.name, end=self.end, start=self.start))
        if (self.end - self.start).days > 366:
            raise ValueError(_("term {name}: {start}~{end} is longer than a year").format(name=self.name, start=self.start, end=self.end))
        weeks = (self.end - (self.start - dt.timedelta(days=self.start.weekday()))).days // 7 + 1
        outside = [w for w in self.exam_weeks if not 1 <= w <= weeks]
        if outside:
            raise ValueError(_("term {name}: exam_weeks {outside} outside its teaching weeks 1-{weeks}")
                                 .format(name=self.name, outside=outside, weeks=weeks))
        return self


class CalendarSection(_Section):
    """The `calendar:` section: terms, where holidays come from, and the visit rules with their parameters."""

    terms: list[Term] = Field(default_factory=list)
    holidays: str = Field("china", description="china: chinese-calendar's statutory holidays and 调休; none: plain Mon-Fri; "
                                               "a .yaml file name: china, overridden by that file (FORMATS.md's shorthand)")
    holiday_file: str | list[str] | None = Field(None, description="YAML file(s) of days off and adjusted workdays, relative to the scenario; "
                                                                   "they override the package")
    visit_rules: dict[str, dict[str, Any] | None] = Field(default_factory=dict, description="installed visit rules and their parameters")
    time_limit: float = Field(10.0, gt=0, description="seconds improving one term's schedule after its first one (every group gets one, up to 60 s)")
    records: dict[str, list[str]] = Field(default_factory=dict, description="the visit record files the office keeps, by term name, relative "
                                          "to the scenario: `assign progress` and `summary` import them first, as `assign record import` does")

    @field_validator("terms")
    @classmethod
    def _unique_names(cls, terms: list[Term]) -> list[Term]:
        names = [t.name for t in terms]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(_("term names must be unique; repeated: {names}").format(names=', '.join(dupes)))
        return terms

    @model_validator(mode="after")
    def _record_terms(self) -> "CalendarSection":
        unknown = [name for name in self.records if name not in {t.name for t in self.terms}]
        if unknown:
            raise ValueError(f"calendar.records names term(s) calendar.terms lacks: {', '.join(unknown)}")
        return self

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value: str) -> str:
        if value not in ("china", "none") and not value.lower().endswith((".yaml", ".yml")):
            raise ValueError(_("expected china, none or a holiday file name ending in .yaml, got {value}").format(value=repr(value)))
        return value

    @property
    def use_package(self) -> bool:
        return self.holidays != "none"

    def holiday_files(self) -> list[str]:
        return [name for key, name in self.named_files() if not key.startswith("calendar.records")]

    def record_files(self, term: str) -> list[str]:
        """The record files the scenario names for a term (`calendar.records`)."""
        return list(self.records.get(term, []))

    def named_files(self) -> list[tuple[str, str]]:
        """(scenario key, file name) of every holiday file, in the order they override each other, then of every record file."""
        if self.holiday_file is None:
            files = []
        elif isinstance(self.holiday_file, str):
            files = [("calendar.holiday_file", self.holiday_file)]
        else:
            files = [(f"calendar.holiday_file[{i}]", name) for i, name in enumerate(self.holiday_file, start=1)]
        files += [("calendar.holidays", self.holidays)] if self.holidays not in ("china", "none") else []
        return files + [(f"calendar.records.{term}[{i}]", name) for term, names in self.records.items() for i, name in enumerate(names, start=1)]

    def term(self, name: str) -> Term:
        for term in self.terms:
            if term.name == name:
                return term
        known = ", ".join(t.name for t in self.terms) or _("none")
        raise KeyError(_("no term {name} in calendar.terms: the scenario has {known}").format(name=repr(name), known=known))


class ScenarioFile(_Section):
    """The whole scenario.yaml, as written by a planner."""

    name: str = "未命名方案"
    title: str | None = Field(None, description="title line of the roster; default from office and period")
    extends: str | None = None
    office: Office = Office()
    data: DataFiles
    contact_period: ContactPeriod = ContactPeriod()
    travel: TravelModel = TravelModel()
    policies: dict[str, dict[str, Any] | None] = Field(default_factory=dict)
    objective: Objective = Objective()
    # What to do when the rules cannot all hold: relax (grant the fewest exceptions, named in the
    # plan), explain (no plan; every group of conflicting rules is listed), fail (no plan, status only).
    on_infeasible: Literal["relax", "explain", "fail"] = "explain"
    relax: RelaxSettings = RelaxSettings()
    calendar: CalendarSection | None = None
    solver: SolverSettings = SolverSettings()

    @field_validator("objective", mode="before")
    @classmethod
    def _objective_shorthand(cls, value: Any) -> Any:
        return {"mode": value} if isinstance(value, str) else value

    def named_files(self) -> list[tuple[str, str]]:
        """(scenario key, file name) of every file the scenario names: its tables and holiday files."""
        tables = [(f"data.{key}", name) for key, name in self.data.model_dump().items() if name is not None]
        return tables + (self.calendar.named_files() if self.calendar is not None else [])
