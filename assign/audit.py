"""Double entry: every policy of the scenario checks a finished plan with its own code.

Besides the policies' audits, the host's own checks of a finished plan live here: pairs that name
unknown ids, the exceptions a relaxed plan was granted (a finding they cover is reported as
granted, and each exception is told in the policy's words: what the plan gives instead, and the
supply count that made it necessary), and the priority schools left without a researcher, each
with the reason (beyond every travel cap, no researcher of its stage, every candidate full).
"""

from __future__ import annotations

from collections import defaultdict

from assign.candidates import candidate_pairs
from assign.locale import _
from assign.plan import Assignment, Finding, Plan, RuleException, Uncovered
from assign.problem import Problem

UNCOVERED = "uncovered"  # the host check's name in findings (it belongs to no policy)
# Researchers tried when telling why schools are left without one: each trial runs every audit,
# whose cost grows with the number of researchers, so the budget is researchers × trials. Weakest
# schools first: a county's priority schools are told exactly (46 researchers: 326 trials, ~0.2 s),
# a city's or a province's plan is not held up (at least 30 trials, ~1 s for 3,000 researchers); a
# school beyond the budget is said to have its researchers placed elsewhere, unchecked.
TRIAL_WORK, MIN_TRIALS = 15_000, 30


def audit_plan(problem: Problem, plan: Plan) -> list[Finding]:
    """Findings of every policy's `audit`, plus the host's own checks that pairs exist in the problem.

    A finding that one of the plan's exceptions covers is marked `granted` (not a violation). A
    policy whose audit raises is itself a finding: a plan must never look clean because its
    checker crashed.
    """
    findings: list[Finding] = []
    for a in plan.pairs:
        if a.researcher_id not in problem.researcher or a.school_id not in problem.school:
            findings.append(Finding(policy="plan", message=_("pair ({researcher_id}, {school_id}) names an unknown researcher or school")
                                                           .format(researcher_id=a.researcher_id, school_id=a.school_id),
                                    researchers=(a.researcher_id,), schools=(a.school_id,)))
    if findings:
        return findings
    seen: set[tuple[str, str]] = set()
    for a in plan.pairs:
        if (a.researcher_id, a.school_id) in seen:
            findings.append(Finding(policy="plan", message=_("pair ({researcher_id}, {school_id}) appears twice")
                                                           .format(researcher_id=a.researcher_id, school_id=a.school_id),
                                    researchers=(a.researcher_id,), schools=(a.school_id,)))
        seen.add((a.researcher_id, a.school_id))
    findings += [Finding(policy="pinned", message=_("{label} → {name}: fixed by hand, missing from the plan")
                                                  .format(label=problem.researcher[r].label, name=problem.school[sid].name),
                         researchers=(r,), schools=(sid,), note="手工固定的联系未安排")
                 for r, sid in problem.pinned_pairs if (r, sid) not in seen and r in problem.researcher and sid in problem.school]
    for use in problem.policies:
        try:
            findings += use.policy.audit(problem, plan, use.params)
        except Exception as exc:  # a broken audit must show, not hide the plan's state
            findings.append(Finding(policy=use.name, message=_("audit raised {name}: {exc}").format(name=type(exc).__name__, exc=exc)))
    if plan.exceptions:
        findings = [f.model_copy(update={"severity": "granted"}) if any(covers(e, f) for e in plan.exceptions) else f for f in findings]
    return findings


def covers(exception: RuleException, finding: Finding) -> bool:
    """Whether a finding is about a granted exception: same policy (and rule, when the finding names
    one), and about every researcher and school the exception is about. Warnings stay warnings."""
    if finding.policy != exception.policy or finding.severity == "warning" or (finding.rule and finding.rule != exception.rule):
        return False
    return set(exception.researchers) | set(exception.schools) <= set(finding.researchers) | set(finding.schools)


def supply_checks(problem: Problem) -> list[Finding]:
    """Each policy's `precheck` on the candidate pairs: demand that supply cannot meet, before any solve."""
    pairs = candidate_pairs(problem)
    findings: list[Finding] = []
    for use in problem.policies:
        findings += use.policy.precheck(problem, use.params, pairs)
    return findings


def audited(problem: Problem, plan: Plan) -> Plan:
    """The plan with its audit findings, its exceptions told in words, the schools it leaves without
    a researcher and why, and a warning for each priority school among them: what every finished plan carries."""
    findings = audit_plan(problem, plan)
    exceptions = describe_exceptions(problem, plan.exceptions, findings)
    uncovered = uncovered_schools(problem, plan)
    warnings = [Finding(policy=UNCOVERED, severity="warning", schools=(u.school_id,), note=u.reason,
                        message=_("priority school {name} ({id}, priority {priority}) has no researcher: {reason}").format(
                            name=problem.school[u.school_id].name, id=u.school_id, priority=u.priority, reason=u.reason))
                for u in uncovered if u.priority > 1]
    return plan.model_copy(update={"findings": findings + warnings, "exceptions": exceptions, "uncovered": uncovered})


def describe_exceptions(problem: Problem, exceptions: list[RuleException], findings: list[Finding]) -> list[RuleException]:
    """Each exception with what the plan gives instead (the note, else the message, of the audit
    finding it covers) and why it was needed (the notes of supply checks about the same people or schools)."""
    if not exceptions:
        return []
    supply = supply_checks(problem)
    out = []
    for e in exceptions:
        found = next((f for f in findings if covers(e, f)), None)
        ids = set(e.researchers) | set(e.schools)
        reasons = dict.fromkeys(f.note or f.message for f in supply if ids & (set(f.researchers) | set(f.schools)))
        out.append(e.model_copy(update={"granted": (found.note or found.message) if found else "", "reason": "；".join(reasons)}))
    return out


def uncovered_schools(problem: Problem, plan: Plan) -> list[Uncovered]:
    """Each school without a researcher, weakest first, and why, in the reader's words.

    Reasons, most specific first: no researcher may take it at all (a travel cap beyond every
    researcher, with the nearest trip; no researcher of its stage; else the pruning policies and
    how many researchers each rules out); or every researcher who may take it would break a rule by
    taking it too (the rules their audits name); or, when one could take it cleanly, an objective
    trade-off. Trying a researcher runs every audit once, within `TRIAL_WORK` (see there).
    """
    covered = {a.school_id for a in plan.pairs}
    left = sorted((s for s in problem.schools if s.id not in covered), key=lambda s: -s.priority)
    if not left:
        return []
    candidates: dict[str, list[str]] = defaultdict(list)
    for rid, sid in candidate_pairs(problem):
        candidates[sid].append(rid)
    before: set[tuple[str, str]] | None = None
    budget = max(MIN_TRIALS, TRIAL_WORK // max(1, len(problem.researchers)))
    out = []

    def note(s, reason: str) -> None:
        out.append(Uncovered(school_id=s.id, priority=s.priority, reason=reason))

    for s in left:
        rids = candidates.get(s.id, [])
        if not rids:
            note(s, _ruled_out(problem, s))
            continue
        if len(rids) > budget:
            note(s, _("{n} researchers may take it, all placed elsewhere (not checked one by one)").format(n=len(rids)))
            continue
        budget -= len(rids)
        if before is None:
            before = {(f.policy, f.message) for f in audit_plan(problem, plan) if f.severity == "error"}
        objections: dict[str, int] = defaultdict(int)
        free = []
        for rid in rids:
            added = Assignment(researcher_id=rid, school_id=s.id, minutes=problem.minutes(rid, s.id))
            trial = plan.model_copy(update={"pairs": [*plan.pairs, added]})
            new = {f.policy for f in audit_plan(problem, trial) if f.severity == "error" and (f.policy, f.message) not in before}
            for policy in new:
                objections[policy] += 1
            if not new:
                free.append(problem.researcher[rid].name)
        if free:
            names = "、".join(free[:5]) + (_(" and others") if len(free) > 5 else "")
            note(s, _("objective trade-off: {names} could take it and were not given it").format(names=names))
        else:
            parts = "、".join(_("{policy}: {n}")
                             .format(policy=policy_title(problem, p), n=n) for p, n in sorted(objections.items(), key=lambda item: -item[1]))
            note(s, _("all {n} researchers who may take it are full (taking it would break: {rules})").format(n=len(rids), rules=parts))
    return out


def _ruled_out(problem: Problem, school) -> str:
    """Why no researcher may take the school: the pruning policies and whom each rules out."""
    ruled: dict[str, set[str]] = {}
    caps: dict[str, float] = {}
    for use in problem.policies:
        allowed = use.policy.allows(problem, use.params)
        if allowed is None:
            continue
        ruled[use.name] = {r.id for r in problem.researchers if not allowed(r, school)}
        cap = use.policy.travel_cap(use.params) if callable(getattr(use.policy, "travel_cap", None)) else None
        if cap is not None:
            caps[use.name] = cap
    everyone = {r.id for r in problem.researchers}
    if not everyone:
        return _("no researchers")
    for name, cap in caps.items():
        if ruled.get(name) == everyone:
            nearest = min(problem.minutes(r.id, school.id) for r in problem.researchers)
            return _("beyond every researcher's travel cap ({cap} minutes one way; the nearest is {nearest})").format(
                cap=f"{cap:g}", nearest=f"{nearest:.0f}")
    if not any(set(r.stages) & set(school.stages) for r in problem.researchers):
        return _("no researcher of its stage ({stages})").format(stages="、".join(school.stages))
    parts = _(", ").join(_("{policy} rules out {n}").format(policy=policy_title(problem, name), n=len(ids)) for name, ids in ruled.items() if ids)
    return _("no researcher may take it ({rules})").format(rules=parts)


def policy_title(problem: Problem, name: str) -> str:
    """A policy of the scenario by its title in the reader's language (联系学校数), else its name."""
    use = next((u for u in problem.policies if u.name == name), None)
    return _(use.policy.title) if use is not None and use.policy.title else name
