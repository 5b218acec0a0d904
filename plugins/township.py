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

from assign.locale import N_, _, ngettext
from assign.policy import MAX_COUNT, Finding, Policy, params_model


class Params(BaseModel):
    model_config = params_model()
    mode: Literal["cover", "limit"] = Field("cover", description=N_("cover: every township gets k researchers; "
                                                                    "limit: a researcher's schools lie in at most m townships"))
    k: int = Field(1, ge=1, le=MAX_COUNT, description=N_("cover: least distinct researchers per township"))
    m: int = Field(1, ge=1, le=MAX_COUNT, description=N_("limit: most townships per researcher"))
    townships: list[str] | None = Field(None, description=N_("cover: only these townships (default: every township of the schools table)"))


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
                            why=ngettext("township {township} needs at least {k} researcher with a contact school there ({n} could take one)",
                                         "township {township} needs at least {k} researchers with a contact school there ({n} could take one)",
                                         params.k).format(township=t, k=params.k, n=len(by_researcher)))
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
            ctx.require(sum(used) <= params.m, about=(r.id,),
                        why=ngettext("{researcher}'s schools must lie within {m} township", "{researcher}'s schools must lie within {m} townships",
                                     params.m).format(researcher=r.label, m=params.m))

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
                                            message=ngettext("township {township} has {n} researcher; at least {k} required",
                                                             "township {township} has {n} researchers; at least {k} required",
                                                             len(who[t])).format(township=t, n=len(who[t]), k=params.k)))
            return findings
        for rid, sids in plan.schools_of().items():
            towns = sorted({problem.school[sid].township for sid in sids if problem.school[sid].township})
            if len(towns) > params.m:
                findings.append(Finding(policy=self.name, researchers=(rid,), schools=tuple(sids),
                                        message=_("{researcher} has schools in {n} townships ({townships}); at most {m}").format(
                                            researcher=problem.researcher[rid].label, n=len(towns), townships="、".join(towns), m=params.m)))
        return findings
