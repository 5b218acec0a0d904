"""A third-party policy package, as another team would publish it: `private_limit` caps the
contacts with private (民办) schools over the whole plan. The core has never heard of it; it is
found only through its entry point `assign.policies: private_limit`. It says nothing about how far
its rule reaches (no `local`, no `couples`), so the solver must keep the plan whole.

Its messages are English in the code, inside `_()` from `assign.locale`, and it ships its own
catalog under its own gettext domain (`locale/zh_CN/LC_MESSAGES/assign_private_limit.po`),
registered with `add_domain` when the package is imported. Made with, from this folder:

    pybabel extract -o locale/assign_private_limit.pot .
    pybabel update -i locale/assign_private_limit.pot -d locale -D assign_private_limit -l zh_CN
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assign.locale import N_, _, add_domain
from assign.policy import Finding, Policy

DOMAIN = "assign_private_limit"
add_domain(DOMAIN, Path(__file__).parent / "locale")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max: int = Field(0, ge=0, description=N_("most contacts with 民办 schools in the whole plan"))


class PrivateLimit(Policy):
    name = "private_limit"
    title = "民办学校联系上限"
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        private = [var for (_rid, sid), var in ctx.x.items() if ctx.problem.school[sid].ownership == "民办"]
        if private:
            ctx.require(sum(private) <= params.max, about=(), why=_("at most {max} contacts with 民办 schools").format(max=params.max))

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        private = [a for a in plan.pairs if problem.school[a.school_id].ownership == "民办"]
        if len(private) <= params.max:
            return []
        return [Finding(policy=self.name, message=_("{n} contacts with 民办 schools; at most {max}").format(n=len(private), max=params.max),
                        schools=tuple(a.school_id for a in private))]
