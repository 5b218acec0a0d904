"""office_day: one weekday is kept for the office's own meeting (教研室例会); no visits then."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from assign.calendar.rule import Finding, VisitRule, params_model
from assign.calendar.workdays import WEEKDAY_ZH, weekday_zh
from assign.locale import N_, _

_NAMES = {**{f"周{c}": i for i, c in enumerate(WEEKDAY_ZH)}, **{f"星期{c}": i for i, c in enumerate(WEEKDAY_ZH)},
          **{n: i for i, n in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}}


class Params(BaseModel):
    model_config = params_model()
    weekday: int = Field(0, ge=0, le=6, description=N_("the office day: 周一…周五 (or 0 = Monday … 4 = Friday)"))

    @field_validator("weekday", mode="before")
    @classmethod
    def _weekday(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().isdigit():
            key = value.strip().lower()
            if key not in _NAMES:
                raise ValueError(_("unknown weekday {value}: expected 周一…周五 or 0-4").format(value=repr(value)))
            return _NAMES[key]
        return value


class OfficeDay(VisitRule):
    name = "office_day"
    title = "教研室例会日"
    local = True
    Params = Params

    def apply(self, ctx, params: Params) -> None:
        indexes = [i for i, day in enumerate(ctx.days) if day.weekday() == params.weekday]
        label = "周" + WEEKDAY_ZH[params.weekday]
        for pair in ctx.pairs:
            ctx.forbid(pair, indexes, about=("office",), why=_("every {weekday} is kept for the office meeting").format(weekday=label))

    def closed_days(self, problem, term, pair, params: Params) -> list:
        return [day for day in term.days if day.weekday() == params.weekday]

    def audit(self, problem, schedule, params: Params) -> list[Finding]:
        return [
            Finding(policy=self.name, message=_("{researcher} visits {school} on {day} ({weekday}), the office day").format(
                        researcher=problem.researcher[v.researcher_id].name, school=problem.school[v.school_id].name, day=day,
                        weekday=weekday_zh(day)),
                    researchers=(v.researcher_id,), schools=(v.school_id,), dates=(day,))
            for v in schedule.visits for day in v.days if day.weekday() == params.weekday
        ]
