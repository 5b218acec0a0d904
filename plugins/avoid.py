"""avoid: conflicts of interest (回避) — a researcher never gets a school in their `avoid_schools`.

The table column 回避学校 lists them (a spouse teaches there, the researcher came from there…).
Pruning only: such a pair never gets a variable.
"""

from __future__ import annotations

from assign.locale import _
from assign.policy import Finding, Policy


class Avoid(Policy):
    name = "avoid"
    title = "回避"
    local = True  # only prunes single pairs
    aggregates = True  # prunes pairs only: a type's researchers share their candidates
    relaxable = {}  # a conflict of interest never bends, whatever a scenario relaxes

    def allows(self, problem, params):
        return lambda r, s: s.id not in r.avoid_schools

    def audit(self, problem, plan, params) -> list[Finding]:
        findings = []
        for a in plan.pairs:
            r = problem.researcher[a.researcher_id]
            if a.school_id in set(r.avoid_schools):
                s = problem.school[a.school_id]
                findings.append(Finding(policy=self.name, researchers=(r.id,), schools=(s.id,),
                                        message=_("{researcher} must avoid {school} (回避学校) but is assigned to it").format(
                                            researcher=r.label, school=s.name)))
        return findings
