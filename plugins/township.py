"""township: researchers attached to townships (包靠镇 / 分包乡镇).

`000_…` 小学教学教研工作管理制度 4 and `003_…` (三)1 attach researchers to whole townships. Two
readings, one parameter:

- `mode: cover` — every township has at least `k` researchers with a contact school in it;
- `mode: limit` — each researcher's contact schools lie within at most `m` townships, so that
  one trip serves them all.

Schools without a township (empty 乡镇 cell) are ignored by both.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from assign.policy import MAX_COUNT, Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    mode: Literal["cover", "limit"] = Field("cover", description="cover: every township gets k researchers; "
                                                                 "limit: a researcher's schools lie in at most m townships")
    k: int = Field(1, ge=1, le=MAX_COUNT, description="cover: least distinct researchers per township")
    m: int = Field(1, ge=1, le=MAX_COUNT, description="limit: most townships per researcher")
    townships: list[str] | None = Field(None, description="cover: only these townships (default: every township of the schools table)")


def _townships(problem, params: Params) -> list[str]:
    names = dict.fromkeys(s.township for s in problem.schools if s.township)
    return [t for t in names if params.townships is None or t in params.townships]


class Township(Policy):
    name = "township"
    title = "包靠乡镇"
    Params = Params

    def couples(self, params: Params) -> bool:
        return params.mode == "cover"  # a township's quota may draw on researchers of different components

    def apply(self, ctx, params: Params) -> None:
        problem = ctx.problem
        if params.mode == "cover":
            for t in _townships(problem, params):
                present = []
                by_researcher: dict[str, list] = defaultdict(list)
                for s in problem.schools:
                    if s.township == t:
                        for rid, var in ctx.researchers_of(s.id):
                            by_researcher[rid].append(var)
                for rid, vars_ in by_researcher.items():
                    y = ctx.new_bool(f"in[{rid},{t}]")  # may be 1 only if rid has a school in t
                    ctx.model.add(y <= sum(vars_))
                    present.append(y)
                ctx.require(sum(present) >= params.k, about=(t,),
                            why=f"township {t} needs at least {params.k} researcher(s) with a contact school there "
                                f"({len(by_researcher)} could take one)")
            return
        for r in problem.researchers:
            per_town: dict[str, list] = defaultdict(list)
            for sid, var in ctx.schools_of(r.id):
                if problem.school[sid].township:
                    per_town[problem.school[sid].township].append(var)
            if len(per_town) <= params.m:
                continue
            used = []
            for t, vars_ in per_town.items():
                y = ctx.new_bool(f"in[{r.id},{t}]")  # 1 whenever r has a school in t
                for var in vars_:
                    ctx.model.add(y >= var)
                used.append(y)
            ctx.require(sum(used) <= params.m, about=(r.id,), why=f"{r.label}'s schools must lie within {params.m} township(s)")

    def audit(self, problem, plan, params: Params) -> list[Finding]:
        findings = []
        if params.mode == "cover":
            who: dict[str, set[str]] = defaultdict(set)
            for a in plan.pairs:
                t = problem.school[a.school_id].township
                if t:
                    who[t].add(a.researcher_id)
            for t in _townships(problem, params):
                if len(who[t]) < params.k:
                    findings.append(Finding(policy=self.name, researchers=tuple(sorted(who[t])),
                                            message=f"township {t} has {len(who[t])} researcher(s); at least {params.k} required"))
            return findings
        for rid, sids in plan.schools_of().items():
            towns = sorted({problem.school[sid].township for sid in sids if problem.school[sid].township})
            if len(towns) > params.m:
                findings.append(Finding(policy=self.name, researchers=(rid,), schools=tuple(sids),
                                        message=f"{problem.researcher[rid].label} has schools in {len(towns)} townships "
                                                f"({'、'.join(towns)}); at most {params.m}"))
        return findings
