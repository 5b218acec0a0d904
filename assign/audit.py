"""Double entry: every policy of the scenario checks a finished plan with its own code."""

from __future__ import annotations

from assign.plan import Finding, Plan
from assign.problem import Problem


def audit_plan(problem: Problem, plan: Plan) -> list[Finding]:
    """Findings of every policy's `audit`, plus the host's own checks that pairs exist in the problem.

    A policy whose audit raises is itself a finding: a plan must never look clean because its
    checker crashed.
    """
    findings: list[Finding] = []
    for a in plan.pairs:
        if a.researcher_id not in problem.researcher or a.school_id not in problem.school:
            findings.append(Finding(policy="plan", message=f"pair ({a.researcher_id}, {a.school_id}) names an unknown researcher or school",
                                    researchers=(a.researcher_id,), schools=(a.school_id,)))
    if findings:
        return findings
    seen: set[tuple[str, str]] = set()
    for a in plan.pairs:
        if (a.researcher_id, a.school_id) in seen:
            findings.append(Finding(policy="plan", message=f"pair ({a.researcher_id}, {a.school_id}) appears twice",
                                    researchers=(a.researcher_id,), schools=(a.school_id,)))
        seen.add((a.researcher_id, a.school_id))
    for use in problem.policies:
        try:
            findings += use.policy.audit(problem, plan, use.params)
        except Exception as exc:  # a broken audit must show, not hide the plan's state
            findings.append(Finding(policy=use.name, message=f"audit raised {type(exc).__name__}: {exc}"))
    return findings
