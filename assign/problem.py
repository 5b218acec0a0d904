"""One frozen, validated `Problem`: everything the solver and the audits need, and nothing about files.

`build_problem` is where cross-references are checked (duplicate ids, unknown school ids, bases),
each error naming the offending id and the row it came from, and where odd-but-usable data
becomes a warning.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from assign import vocab
from assign.errors import CellProblem, InputError
from assign.locale import _
from assign.models import Researcher, School
from assign.plan import Assignment
from assign.scenario import ScenarioFile
from assign.travel.matrix import OFFICE, TravelMatrix, great_circle_matrix
from assign.travel.roads import RoadNetwork, road_matrix


class PolicyUse(BaseModel):
    """An installed plugin (a policy, or a calendar's visit rule) chosen by the scenario, with its validated parameters."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    name: str
    policy: Any  # a Policy or a VisitRule: the registry has already checked its contract
    params: BaseModel


class PluginChoices(Protocol):
    """What `build_problem` asks of a registry (`assign.registry.Registry`): the plugins a scenario
    section chooses, each with its parameters validated by its own `Params`."""

    def parse(self, chosen: dict, source: str, section: str) -> tuple[PolicyUse, ...]: ...


class Problem(BaseModel):
    """The assignment problem of one scenario. Build it with `build_problem`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    scenario: ScenarioFile
    researchers: tuple[Researcher, ...]
    schools: tuple[School, ...]
    travel: TravelMatrix
    policies: tuple[PolicyUse, ...]
    warnings: tuple[str, ...] = ()
    source: str = ""  # the scenario file, for messages
    # The plan in force when re-planning (`--from`): policies such as stability read it here, never from a global.
    previous_pairs: tuple[tuple[str, str], ...] = ()
    # Pairs a person fixed by hand (the web page's pins): every plan of this problem has them, and its audit says when one is missing.
    pinned_pairs: tuple[tuple[str, str], ...] = ()
    # Every rule that may bend in this scenario, `policy.rule` → severity (the policies' declarations
    # with the scenario's `relax.severity` over them); used when `on_infeasible: relax`, and to weigh
    # the fewest exceptions an explanation proposes.
    severity: dict[str, int] = {}

    @property
    def relaxing(self) -> bool:
        """Whether a solve may grant exceptions: `on_infeasible: relax` and some rule can bend."""
        return self.scenario.on_infeasible == "relax" and bool(self.severity)

    @cached_property
    def researcher(self) -> dict[str, Researcher]:
        return {r.id: r for r in self.researchers}

    @cached_property
    def school(self) -> dict[str, School]:
        return {s.id: s for s in self.schools}

    def minutes(self, researcher_id: str, school_id: str) -> float:
        return self.travel.of(researcher_id, school_id)

    def school_minutes(self, a: str, b: str) -> float:
        """One-way minutes from school `a` to school `b`, by the same method as `minutes`.

        Along the roads when the scenario has a road table (one-way roads make a→b and b→a differ;
        inf when no road leads there), else the great-circle estimate with the scenario's detour
        factor and speed. Computed on demand: the matrix holds trips from the starts only.
        """
        return self.travel.between(a, b)

    def policy_params(self, name: str) -> BaseModel | None:
        """Parameters of a policy if the scenario uses it (for policies that read each other's settings)."""
        return next((use.params for use in self.policies if use.name == name), None)

    def plan_header(self) -> dict[str, str]:
        """The fields every Plan of this problem carries before any solving: scenario, title, period, travel."""
        return {"scenario": self.name, "title": self.title, "contact_period": self.scenario.contact_period.label,
                "travel_method": self.travel.label}

    def assignments(self, pairs) -> list[Assignment]:
        """Plan rows for (researcher, school) pairs, each with its one-way minutes."""
        return [Assignment(researcher_id=r, school_id=s, minutes=self.minutes(r, s)) for r, s in pairs]

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def title(self) -> str:
        return self.scenario.title or f"{self.scenario.office.name}首批教研员定点联系学校安排表（{self.scenario.contact_period.label}）"


def build_problem(
    scenario: ScenarioFile,
    researchers: list[Researcher],
    schools: list[School],
    registry: PluginChoices,
    source: str = "scenario.yaml",
    network: RoadNetwork | None = None,
) -> Problem:
    """Check cross-references and compute the travel matrix: along `network` if given, else great-circle."""
    problems: list[CellProblem] = []
    warnings: list[str] = []
    _unique(researchers, _("duplicate researcher id: already used on row {row} ({name})"), problems)
    _unique(schools, _("duplicate school id: already used on row {row} ({name})"), problems)
    school_ids = {s.id for s in schools}
    for r in researchers:
        for column, ids in (("avoid_schools", r.avoid_schools), ("current_schools", r.current_schools)):
            for sid in ids:
                if sid not in school_ids:
                    problems.append(CellProblem(r.source, r.row, r.column(column), sid,
                                                _("unknown school id for researcher {id} {name}: no such 学校代码 in the schools table")
                                                    .format(id=r.id, name=r.name)))
        # With roads a base may also be a node; road_matrix checks that.
        if network is None and r.base is not None and r.base not in school_ids:
            problems.append(CellProblem(r.source, r.row, r.column("base"), r.base,
                                        _("unknown base for researcher {id} {name}: expected a school id (a road-network node needs a road table)")
                                            .format(id=r.id, name=r.name)))
    if network is None:
        problems += _great_circle_problems(scenario, schools, source)
    if problems:
        raise InputError(problems)

    warnings += _odd_but_usable(researchers, schools)
    policies = registry.parse(scenario.policies, source, "policies")
    severity = relax_severities(scenario, policies, source)
    if network is None:
        travel = _great_circle_travel(scenario, researchers, schools, warnings)
    else:
        warnings += network.warnings
        travel = road_matrix(network, scenario, researchers, schools, source)
    return Problem(
        scenario=scenario,
        researchers=tuple(researchers),
        schools=tuple(schools),
        travel=travel,
        policies=policies,
        warnings=tuple(warnings),
        source=source,
        severity=severity,
    )


def relax_severities(scenario: ScenarioFile, policies: tuple[PolicyUse, ...], source: str) -> dict[str, int]:
    """`policy.rule` → severity of every rule that may bend: each policy's `relaxable` defaults, then
    the scenario's `relax.severity` (a policy's key first, then its rules' keys). A key naming a
    policy the scenario does not use, or a rule its policy does not let bend, is an error; all such
    keys are reported together."""
    declared = {use.name: dict(getattr(use.policy, "relaxable", None) or {}) for use in policies}
    severity = {f"{name}.{rule}": r.severity for name, rules in declared.items() for rule, r in rules.items()}
    problems = []
    for key, value in sorted(scenario.relax.severity.items(), key=lambda item: "." in item[0]):
        name, _sep, rule = key.partition(".")
        where = f"relax.severity.{key}"
        if name not in declared:
            problems.append(CellProblem(source, None, where, value, _("no policy {name} among this scenario's policies ({names})")
                                                                        .format(name=repr(name), names=', '.join(declared))))
            continue
        rules = declared[name]
        if not rules or (rule and rule not in rules):
            may = _("its rules that may bend are {rules}").format(rules=", ".join(rules)) if rules else _("it declares no rule that may bend")
            problems.append(CellProblem(source, None, where, value, _("policy {name} has no relaxable rule {value}: {may}")
                                                                        .format(name=repr(name), value=repr(rule or name), may=may)))
            continue
        for one in [rule] if rule else rules:
            if value == "never":
                severity.pop(f"{name}.{one}", None)
            else:
                severity[f"{name}.{one}"] = value
    if problems:
        raise InputError(problems)
    return severity


def _great_circle_problems(scenario: ScenarioFile, schools: list[School], source: str) -> list[CellProblem]:
    problems = []
    for s in schools:
        if (s.lon is None or s.lat is None) and s.minutes is None:
            problems.append(CellProblem(s.source, s.row, f"{s.column('lon')}/{s.column('lat')}", None,
                                        _("school {id} {name} has no coordinates: without a road table every school needs lon and lat (or a 乡镇 "
                                          "whose other schools have them, or 单程分钟 from the office)")
                                            .format(id=s.id, name=s.name)))
    office = scenario.office
    if office.lon is None or office.lat is None:
        problems.append(CellProblem(source, None, "office", office.model_dump(exclude_none=True),
                                    _("the office needs lon and lat when there is no road table")))
    return problems


def _placed(s: School) -> bool:
    return s.lon is not None and s.lat is not None


def _great_circle_travel(scenario: ScenarioFile, researchers: list[Researcher], schools: list[School], warnings: list[str]) -> TravelMatrix:
    """The great-circle matrix, with each school's 单程分钟 as its trip from the office. A school known by its
    minutes alone is, from a base, as far as from the office (a warning says so), and from another school unknown."""
    office = scenario.office
    starts = {OFFICE: (office.lon, office.lat)}
    start_of = {}
    by_id = {s.id: s for s in schools}
    for r in researchers:
        key = OFFICE if r.base is None else r.base
        if key not in starts and _placed(by_id[key]):
            starts[key] = (by_id[key].lon, by_id[key].lat)
        start_of[r.id] = key
    matrix = great_circle_matrix(starts, {s.id: (s.lon, s.lat) for s in schools if _placed(s)}, start_of,
                                 scenario.travel.detour_factor, scenario.travel.speed_kmh)
    given = [s for s in schools if s.minutes is not None]
    minutes = {start: dict(row) for start, row in matrix.minutes.items()}
    for s in given:
        minutes[OFFICE][s.id] = round(s.minutes, 1)
    for r in researchers:
        key = start_of[r.id]
        if key not in minutes:  # a base school known by its minutes alone: trips start as from the office
            minutes[key] = dict(minutes[OFFICE])
            warnings.append(_("researcher {id} {name}: base {key} has no coordinates, trips are timed from the office")
                                .format(id=r.id, name=r.name, key=key))
    for s in given:
        if not _placed(s):
            for row in minutes.values():
                row[s.id] = minutes[OFFICE][s.id]
            if any(key != OFFICE for key in minutes):
                warnings.append(_("{source}, row {row}: school {name} ({id}) has only its minutes from the office: trips from a base take the "
                                  "same {minutes} minutes")
                                .format(source=s.source, row=s.row, name=s.name, minutes=f"{s.minutes:g}", id=s.id))
    return matrix.model_copy(update={"minutes": minutes})  # the copy keeps the school-to-school method


def _unique(items: list[Researcher] | list[School], message: str, problems: list[CellProblem]) -> None:
    seen: dict[str, Researcher | School] = {}
    for item in items:
        if item.id in seen:
            first = seen[item.id]
            problems.append(CellProblem(item.source, item.row, item.column("id"), item.id,
                                        message.format(row=first.row, name=first.name)))
        else:
            seen[item.id] = item


def _odd_but_usable(researchers: list[Researcher], schools: list[School]) -> list[str]:
    warnings = []
    known = set(vocab.SUBJECTS)
    unknown: dict[tuple[str, str], list[Researcher]] = {}  # an unknown word is told once, with every row that uses it
    for r in researchers:
        for subject in r.subjects:
            if subject not in known:
                unknown.setdefault((r.source, subject), []).append(r)
    for (source, subject), who in unknown.items():
        rows = "、".join(str(r.row) for r in who)
        people = "、".join(f"{r.id} {r.name}" for r in who)
        warnings.append(_("{source} row {rows}: researcher {people}: subject {subject} is not one the tool knows; it will only match schools that "
                          "list it in subjects_needed")
                            .format(source=source, rows=rows, people=people, subject=repr(subject)))
    for r in researchers:
        if not any(set(r.stages) & set(s.stages) for s in schools):
            warnings.append(_("{source} row {row}: researcher {id} {name}: no school teaches {names}")
                                .format(source=r.source, row=r.row, id=r.id, name=r.name, names='、'.join(r.stages)))
        if r.current_schools and r.since is None:
            warnings.append(_("{source} row {row}: researcher {id} {name} has current_schools but no since: the contact period start is unknown")
                                .format(source=r.source, row=r.row, id=r.id, name=r.name))
    for s in schools:
        for subject in s.subjects_needed:
            if subject not in known:
                warnings.append(_("{source} row {row}: school {id} {name}: subject {subject} in subjects_needed is not one the tool knows")
                                    .format(source=s.source, row=s.row, id=s.id, name=s.name, subject=repr(subject)))
    return warnings
