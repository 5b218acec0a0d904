"""urban_rural_mix: a researcher with two or more schools gets both urban and rural ones; and,
plan-wide, rural schools receive at least a given share of all contacts.

`000_…` (Shandong notice, 基本要求(一)): 县城、农村学校兼顾; `001_…` and `003_…`: town schools
linked with village schools. Which areas count as "urban" is a parameter: the county town only
(城区) or the county town and township seats (城区 + 镇区, the default).

`rural_share` is the plan-wide part (DOMAIN.md, "What the optimiser balances"): a number such as
0.4 (rural contacts ≥ 40% of all contacts) or `proportional` (at least the rural schools' share of
all schools).

Both rules may bend when a scenario relaxes (`mix` before `share`). The precheck counts supply:
researchers who need two or more schools but whose candidates hold no school of one kind, or a
group of them who can only draw on a few rural (or urban) schools that cannot take them all (each
school's researcher cap, and one researcher per subject when `coverage` says so).

In the aggregated model (`assign.solver.aggregate`) a type of n researchers holds U urban and R
rural schools (sums of counts, each count at most n), each researcher at most h schools
(`school_count`'s maximum, or fewer candidates) and at least `low`:
- h ≤ 2: U ≤ n and R ≤ n, exactly. Necessary: nobody holds two urban (or two rural) schools. Sufficient:
  deal the urban copies to researchers 1, 2, …, U and the rural ones to n, n−1, …, n−R+1: nobody
  gets a school twice or two of a kind, whoever gets two has both, and the counts are ⌊T/n⌋ or ⌈T/n⌉
  (T = U + R), so `school_count`'s n·low ≤ T ≤ n·h holds for each.
- low ≥ 2 (everyone has two or more): U ≥ n and R ≥ n, exactly. Necessary: each has one of each.
  Sufficient: deal the urban copies round robin from researcher 1 and the rural ones round robin
  from researcher n backwards; each gets at least one of each, no school twice (a school's copies,
  at most n, are consecutive), and the counts are again ⌊T/n⌋ or ⌈T/n⌉.
- otherwise (h ≥ 3 and low ≤ 1) no such pair of bounds is exact: with h = 3 four researchers may hold
  9 urban and 3 rural schools by the summed rows, (h−1)·R ≥ U − n, yet 12 schools among four of at
  most three each means three each, so both kinds each, and four rural schools. Such researchers
  are kept `apart`, each a type of their own, with the plain rows.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from assign import vocab
from assign.locale import N_, _, ngettext
from assign.policy import Finding, Policy, Relaxable, params_model


class Params(BaseModel):
    model_config = params_model()
    per_researcher: Literal["both", "off"] = Field("both", description=N_("both: two or more schools must include urban and rural"))
    urban_areas: list[str] = Field(["城区", "镇区"], description=N_("areas that count as urban (城区, 镇区); the rest count as rural"))
    rural_share: float | Literal["proportional"] | None = Field(
        None, description=N_("plan-wide: rural schools receive at least this share (0-1) of all contacts, or 'proportional' to their number"))

    @field_validator("urban_areas")
    @classmethod
    def _known(cls, areas: list[str]) -> list[str]:
        parsed = [vocab.parse_area(a) for a in areas]
        if not parsed or len(set(parsed)) == len(vocab.AREAS):
            raise ValueError(_("urban_areas must name some but not all of 城区, 镇区, 乡村"))
        return parsed

    @field_validator("rural_share")
    @classmethod
    def _share(cls, value):
        if isinstance(value, float) and not 0 <= value <= 1:
            raise ValueError(_("rural_share must lie between 0 and 1"))
        return value


def rural_share(problem, params: Params) -> Fraction | None:
    """The least share of contacts that must go to rural schools, or None when there is no such rule."""
    if params.rural_share is None:
        return None
    if params.rural_share == "proportional":
        rural = sum(1 for s in problem.schools if s.area not in params.urban_areas)
        return Fraction(rural, max(1, len(problem.schools)))
    return Fraction(params.rural_share).limit_denominator(1000)


def is_urban(school, params: Params) -> bool:
    return school.area in params.urban_areas


def _most_schools(problem, researcher) -> int:
    """The most schools a researcher can get: their own column, else school_count's maximum."""
    count = problem.policy_params("school_count")
    high = getattr(count, "max", None) if count is not None else None
    if researcher.max_schools is not None and (count is None or getattr(count, "table_overrides", True)):
        high = researcher.max_schools
    return high if high is not None else 10**6


def _least_schools(problem, researcher) -> int:
    """The fewest schools a researcher must have: their own column, else school_count's minimum (0 without it)."""
    count = problem.policy_params("school_count")
    if count is None:
        return 0
    low, high = getattr(count, "min", 0), getattr(count, "max", None)
    if getattr(count, "table_overrides", True):
        low = researcher.min_schools if researcher.min_schools is not None else low
        high = researcher.max_schools if researcher.max_schools is not None else high
    return min(low, high) if high is not None else low


def _room(problem, school, group: list) -> int:
    """At most how many of `group` the school can take: its researcher cap (the table's, else
    coverage's), and with coverage's one researcher per subject, one per needed subject."""
    coverage = problem.policy_params("coverage")
    cap = school.max_researchers if school.max_researchers is not None else getattr(coverage, "max_researchers", None)
    room = len(group) if cap is None else min(cap, len(group))
    if getattr(coverage, "one_per_subject", False):
        needed = set(school.subjects_needed)
        subjects = {subj for r in group for subj in r.subjects if subj in needed}
        room = min(room, len(subjects) + sum(1 for r in group if needed.isdisjoint(r.subjects)))
    return room


def _none_texts(kind: str) -> tuple[str, str]:
    """(message, note) of the precheck when a researcher has no candidate of `kind` ("rural" or "urban"):
    whole sentences each, so that a translation never has to fit a word into another sentence."""
    if kind == "rural":
        return (_("{researcher} needs two or more schools, urban and rural, but no rural school passes the pruning policies"),
                _("no rural school can be contacted"))
    return (_("{researcher} needs two or more schools, urban and rural, but no urban school passes the pruning policies"),
            _("no urban school can be contacted"))


def _few_texts(kind: str, count: int) -> tuple[str, str]:
    """(message, note) of the precheck when a group of researchers shares `count` schools of `kind`."""
    if kind == "rural":
        return (ngettext("{n} researchers ({researchers}) need two or more schools, urban and rural, but their only rural candidate is "
                         "{count} school ({schools}) that can take {room} of them",
                         "{n} researchers ({researchers}) need two or more schools, urban and rural, but their only rural candidates are "
                         "{count} schools ({schools}) that can take {room} of them", count),
                ngettext("only {count} rural school can be contacted ({schools}, at most {room} researchers); {n} need one",
                         "only {count} rural schools can be contacted ({schools}, at most {room} researchers); {n} need one", count))
    return (ngettext("{n} researchers ({researchers}) need two or more schools, urban and rural, but their only urban candidate is "
                     "{count} school ({schools}) that can take {room} of them",
                     "{n} researchers ({researchers}) need two or more schools, urban and rural, but their only urban candidates are "
                     "{count} schools ({schools}) that can take {room} of them", count),
            ngettext("only {count} urban school can be contacted ({schools}, at most {room} researchers); {n} need one",
                     "only {count} urban schools can be contacted ({schools}, at most {room} researchers); {n} need one", count))


class UrbanRuralMix(Policy):
    name = "urban_rural_mix"
    title = "城乡兼顾"
    Params = Params
    relaxable = {"mix": Relaxable(2, "城乡兼顾"), "share": Relaxable(5, "乡村学校联系占比")}
    aggregates = True  # the module's docstring: exact for at most two schools each, or at least two

    def couples(self, params: Params) -> bool:
        return params.rural_share is not None  # a share of all contacts ties every researcher

    def apart(self, problem, params: Params) -> set[str]:
        """Researchers whose counts of a kind no bound states exactly for a type (the module's docstring):
        three or more schools allowed, fewer than two required."""
        if params.per_researcher == "off":
            return set()
        return {r.id for r in problem.researchers if _most_schools(problem, r) >= 3 and _least_schools(problem, r) <= 1}

    def apply(self, ctx, params: Params) -> None:
        share = rural_share(ctx.problem, params)
        if share is not None and ctx.x:
            rural = sum(v for (_, sid), v in ctx.x.items() if not is_urban(ctx.problem.school[sid], params))
            total = sum(ctx.x.values())
            ctx.require(share.denominator * rural >= share.numerator * total, about=("plan",),
                        why=_("rural schools must receive at least {share} of all contacts").format(share=f"{float(share):.0%}"),
                        rule="share")
        if params.per_researcher == "off":
            return
        for r in ctx.problem.researchers:
            options = ctx.schools_of(r.id)
            if len(options) < 2:
                continue
            urban = sum(var for sid, var in options if is_urban(ctx.problem.school[sid], params))
            rural = sum(var for sid, var in options if not is_urban(ctx.problem.school[sid], params))
            # With at most h schools: "two or more schools ⇒ at least one of each" is exactly
            # (h-1)·urban ≥ rural − 1 and (h-1)·rural ≥ urban − 1, with no auxiliary variable.
            # h is the fewer of the candidates and school_count's maximum: the smallest valid
            # coefficient gives the tightest LP relaxation (with the candidate count, about 50, the
            # LP ignored the rule and CP-SAT's bound stalled; with h = 2 it is urban ≤ 1, rural ≤ 1).
            m = min(len(options), _most_schools(ctx.problem, r)) - 1
            why = _("{researcher} with two or more schools needs both urban ({areas}) and rural schools").format(
                researcher=r.label, areas="/".join(params.urban_areas))
            n = ctx.count(r.id)  # 1, or the researchers of r's type in the aggregated model (the module's docstring)
            if n > 1 and m <= 1:
                ctx.require(urban <= n, about=(r.id,), why=why, rule="mix")
                ctx.require(rural <= n, about=(r.id,), why=why, rule="mix")
            elif n > 1 and _least_schools(ctx.problem, r) >= 2:
                ctx.require(urban >= n, about=(r.id,), why=why, rule="mix")
                ctx.require(rural >= n, about=(r.id,), why=why, rule="mix")
            else:
                ctx.require(m * urban >= rural - n, about=(r.id,), why=why, rule="mix")
                ctx.require(m * rural >= urban - n, about=(r.id,), why=why, rule="mix")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        if params.rural_share is not None and plan.pairs:
            if params.rural_share == "proportional":
                wanted = sum(s.area not in params.urban_areas for s in problem.schools) / len(problem.schools)
            else:
                wanted = params.rural_share
            rural = sum(problem.school[a.school_id].area not in params.urban_areas for a in plan.pairs)
            if rural < wanted * len(plan.pairs) - 1e-9:
                values = {"rural": rural, "total": len(plan.pairs), "share": f"{rural / len(plan.pairs):.0%}", "wanted": f"{wanted:.0%}"}
                findings.append(Finding(policy=self.name, message=_("rural schools get {rural} of {total} contacts ({share}); "
                                                                    "at least {wanted} required").format(**values),
                                        rule="share", note=_("rural schools get {share} of contacts (required {wanted})").format(**values)))
        if params.per_researcher == "off":
            return findings
        for rid, sids in plan.schools_of().items():
            if len(sids) < 2:
                continue
            kinds = {"urban" if problem.school[sid].area in params.urban_areas else "rural" for sid in sids}
            if len(kinds) < 2:
                values = {"researcher": problem.researcher[rid].label, "n": len(sids), "names": "、".join(problem.school[sid].name for sid in sids)}
                if kinds == {"urban"}:
                    message, note = _("{researcher} has {n} schools, all urban: {names}"), _("all {n} schools urban")
                else:
                    message, note = _("{researcher} has {n} schools, all rural: {names}"), _("all {n} schools rural")
                findings.append(Finding(policy=self.name, researchers=(rid,), schools=tuple(sids), rule="mix",
                                        message=message.format(**values), note=note.format(**values)))
        return findings

    def precheck(self, problem, params: Params, pairs) -> list[Finding]:
        """Researchers who need two or more schools (school_count) and can hold two, against the
        rural and the urban schools among their candidates."""
        if params.per_researcher == "off":
            return []
        options: dict[str, list[str]] = {}
        for rid, sid in pairs:
            options.setdefault(rid, []).append(sid)
        needing = [r for r in problem.researchers if _least_schools(problem, r) >= 2 and len(options.get(r.id, [])) >= 2]
        findings = []
        for kind in ("rural", "urban"):
            none_message, none_note = _none_texts(kind)
            side = {r.id: frozenset(s for s in options[r.id] if is_urban(problem.school[s], params) == (kind == "urban")) for r in needing}
            for r in needing:
                if not side[r.id]:
                    findings.append(Finding(policy=self.name, researchers=(r.id,), rule="mix", note=none_note,
                                            message=none_message.format(researcher=r.label)))
            short = []
            for schools in Counter(s for s in side.values() if s):
                group = [r for r in needing if side[r.id] and side[r.id] <= schools]
                room = sum(_room(problem, problem.school[sid], group) for sid in schools)
                if len(group) > room:
                    short.append((schools, group, room))
            for schools, group, room in short:
                if any(other < schools for other, _, _ in short):
                    continue  # a smaller set of schools already shows the shortage
                values = {"n": len(group), "researchers": "、".join(r.name for r in group), "count": len(schools), "room": room,
                          "schools": "、".join(problem.school[sid].name for sid in sorted(schools))}
                message, note = _few_texts(kind, len(schools))
                findings.append(Finding(
                    policy=self.name, researchers=tuple(r.id for r in group), schools=tuple(sorted(schools)), rule="mix",
                    message=message.format(**values), note=note.format(**values)))
        return findings
