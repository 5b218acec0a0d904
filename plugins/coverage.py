"""coverage: cover priority (weak) schools first, then as many schools as possible, then as many
(school, subject) pairs as possible with diminishing returns for the same school; cap the
researchers per school.

DOMAIN.md, "What the optimiser balances". A school is covered when at least one researcher
contacts it; a (school, subject) pair when a researcher of that subject contacts a school that
needs it (its `subjects_needed`, by default every subject its stages teach).

In the aggregated model (`assign.solver.aggregate`) x counts a type's researchers at a school:
every constraint and term here is a sum over a school's researchers, so it reads the same on the
counts, and a school's cap and one researcher per subject bound the counts' sums (a type of n that
teaches a needed subject is at most once at the school). The steps of diminishing returns stop at
the subjects the school's best `cap` types can bring, never fewer than its researchers can.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from assign.locale import N_, _, ngettext
from assign.policy import MAX_COUNT, Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    priority_first: bool = Field(True, description=N_("an objective term for priority schools (weighted by priority − 1), ranked first"))
    max_researchers: int | None = Field(3, ge=1, le=MAX_COUNT,
                                        description=N_("most researchers per school; the table's max_researchers column overrides"))
    one_per_subject: bool = Field(True, description=N_("at most one researcher of each subject per school"))
    diminishing: float = Field(0.5, gt=0, le=1, description=N_("the k-th subject covered at one school is worth diminishing^(k−1) of the first"))
    priority_weight: float = Field(60, ge=0, description=N_("weighted mode: points per priority level above 1 of a covered school"))
    school_weight: float = Field(30, ge=0, description=N_("weighted mode: points per covered school"))
    subject_weight: float = Field(0.1, ge=0,
                                  description=N_("weighted mode: points per unit of subject coverage (first subject of a school = 100 units)"))


def cap_of(school, params: Params) -> int | None:
    return school.max_researchers if school.max_researchers is not None else params.max_researchers


def subject_values(n: int, diminishing: float) -> list[int]:
    """Integer value of the 1st, 2nd, … subject covered at one school (first = 100)."""
    return [max(1, round(100 * diminishing**k)) for k in range(n)]


def _most_subjects(school, options, cap, problem) -> int:
    """Most needed subjects one school can have covered: its `cap` best-matching candidates together.

    Steps beyond this can never be earned; leaving them out keeps the model small.
    """
    counts = sorted((len(set(problem.researcher[rid].subjects) & set(school.subjects_needed)) for rid, _ in options), reverse=True)
    return sum(counts if cap is None else counts[:cap])


class Coverage(Policy):
    name = "coverage"
    title = "覆盖"
    local = True  # per school: caps, and terms that are sums over schools
    aggregates = True  # every sum over a school's researchers is the same sum of its types' counts
    Params = Params
    relaxable = {}  # a school's researcher cap and one researcher per subject never bend

    def apply(self, ctx, params: Params) -> None:
        problem = ctx.problem
        priority_expr, schools_expr, subjects_expr = [], [], []
        for s in problem.schools:
            options = ctx.researchers_of(s.id)
            if not options:
                continue
            cap = cap_of(s, params)
            if cap is not None and sum(ctx.count(rid) for rid, _ in options) > cap:
                ctx.require(sum(v for _, v in options) <= cap, about=(s.id,),
                            why=ngettext("{school} takes at most {n} researcher", "{school} takes at most {n} researchers", cap).format(
                                school=s.name, n=cap))
            covered = ctx.new_bool(f"covered[{s.id}]")
            ctx.model.add(covered <= sum(v for _, v in options))
            schools_expr.append(covered)
            if s.priority > 1:
                priority_expr.append((s.priority - 1) * covered)
            subject_hits = []  # linear expressions, each 0/1: is this needed subject covered at s?
            for subject in s.subjects_needed:
                teaching = [(rid, v) for rid, v in options if subject in problem.researcher[rid].subjects]
                if not teaching:
                    continue
                teachers = [v for _, v in teaching]
                if params.one_per_subject:
                    # At most one teacher of the subject, so their sum already is the 0/1 "covered".
                    if sum(ctx.count(rid) for rid, _ in teaching) > 1:
                        ctx.require(sum(teachers) <= 1, about=(s.id,),
                                    why=_("{school} takes at most one researcher of {subject}").format(school=s.name, subject=subject))
                    subject_hits.append(sum(teachers))
                else:
                    hit = ctx.new_bool(f"subject[{s.id},{subject}]")
                    ctx.model.add(hit <= sum(teachers))
                    subject_hits.append(hit)
            if subject_hits:
                # Diminishing returns: the k-th covered subject earns values[k]; maximisation fills the
                # most valuable steps first because the values decrease, so no ordering constraint is needed.
                reachable = _most_subjects(s, options, cap, problem)
                values = subject_values(min(len(subject_hits), reachable), params.diminishing)
                steps = [ctx.new_bool(f"subject_step[{s.id},{k}]") for k in range(len(values))]
                ctx.model.add(sum(steps) <= sum(subject_hits))
                subjects_expr.append(sum(v * step for v, step in zip(values, steps)))
        if params.priority_first:
            ctx.reward("priority_schools", sum(priority_expr), weight=params.priority_weight, rank=10,
                       label=_("Priority schools covered (weighted by priority)"))
        ctx.reward("schools", sum(schools_expr), weight=params.school_weight, rank=20, label=_("Schools covered"), unit="所")
        ctx.reward("subjects", sum(subjects_expr), weight=params.subject_weight, rank=30, label=_("Subjects covered (diminishing score)"))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        per_school = plan.researchers_of()
        for sid, rids in per_school.items():
            s = problem.school[sid]
            cap = cap_of(s, params)
            if cap is not None and len(rids) > cap:
                findings.append(Finding(policy=self.name, schools=(sid,), researchers=tuple(rids),
                                        message=_("{school} has {n} researchers; at most {cap} allowed").format(school=s.name, n=len(rids), cap=cap)))
            if params.one_per_subject:
                tally: dict[str, list[str]] = defaultdict(list)
                for rid in rids:
                    for subject in problem.researcher[rid].subjects:
                        if subject in s.subjects_needed:
                            tally[subject].append(rid)
                for subject, who in tally.items():
                    if len(who) > 1:
                        names = "、".join(problem.researcher[r].name for r in who)
                        findings.append(Finding(policy=self.name, schools=(sid,), researchers=tuple(who),
                                                message=_("{school} has {n} researchers of {subject}: {names}").format(
                                                    school=s.name, n=len(who), subject=subject, names=names)))
        return findings
