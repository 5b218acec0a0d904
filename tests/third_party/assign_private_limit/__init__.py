"""A third-party policy package, as another team would publish it: `private_limit` caps the
contacts with private (民办) schools over the whole plan. The core has never heard of it; it is
found only through its entry point `assign.policies: private_limit`. It says nothing about how far
its rule reaches (no `local`, no `couples`), so the solver must keep the plan whole."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assign.policy import Finding, Policy


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max: int = Field(0, ge=0, description="most contacts with 民办 schools in the whole plan")


class PrivateLimit(Policy):
    name = "private_limit"
    title = "民办学校联系上限"
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        private = [var for (_, sid), var in ctx.x.items() if ctx.problem.school[sid].ownership == "民办"]
        if private:
            ctx.require(sum(private) <= params.max, about=(), why=f"at most {params.max} contacts with 民办 schools")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        private = [a for a in plan.pairs if problem.school[a.school_id].ownership == "民办"]
        if len(private) <= params.max:
            return []
        return [Finding(policy=self.name, message=f"{len(private)} contacts with 民办 schools; at most {params.max}",
                        schools=tuple(a.school_id for a in private))]
