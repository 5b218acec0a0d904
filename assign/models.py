"""The entities of a county, as pydantic models: what one row of a table means once validated.

Field validators accept what offices write (Chinese or English words, list cells, 城乡划分代码)
and turn it into canonical values; a ValueError here becomes a message naming the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assign import vocab
from assign.locale import _

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RANGE_SPLIT = re.compile(r"\s*(?:~|～|至|--)\s*")
# Dates a county plans with. Outside them a typo (9999, 0202) would make a calendar of millions of days.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A count in a table (schools per researcher, researchers per school) above this is a typo, not a plan.
MAX_COUNT = 1000


def check_year(year: int, text: str) -> None:
    """A ValueError naming `text` unless `year` is one a county plans in (FIRST_YEAR … LAST_YEAR)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(_("date {text} is outside the years {first_year}-{last_year}")
                             .format(text=repr(text), first_year=FIRST_YEAR, last_year=LAST_YEAR))


# A day as Excel and WPS show it: 2024-09-01, 2024/9/1, 2024.9.1, 2024年9月1日 (a time after it ignored).
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    match = _DAY.fullmatch(text)
    if not match:
        raise ValueError(_("bad date {text}: expected YYYY-MM-DD (or 2024/9/1, 2024年9月1日)").format(text=repr(text)))
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("bad date {text}: no such day in the calendar").format(text=repr(text))) from None
    check_year(day.year, text)
    return day


class DateRange(BaseModel):
    """A closed range of days, e.g. an exam week (`2026-11-09~2026-11-13`) or one day."""

    model_config = ConfigDict(frozen=True)
    first: dt.date
    last: dt.date

    @classmethod
    def parse_cell(cls, cell: Any) -> tuple["DateRange", ...]:
        if cell is None or cell == "":
            return ()
        if isinstance(cell, (list, tuple)):
            return tuple(c if isinstance(c, DateRange) else cls.parse_one(c) for c in cell)
        if isinstance(cell, dt.datetime):
            cell = cell.date()
        if isinstance(cell, dt.date):
            check_year(cell.year, str(cell))
            return (cls(first=cell, last=cell),)
        return tuple(cls.parse_one(item) for item in re.split(r"[;；、,，\n]+", str(cell)) if item.strip())

    @classmethod
    def parse_one(cls, text: str) -> "DateRange":
        month = _MONTH.fullmatch(str(text).strip())
        if month:  # 2026年10月: the whole month
            year, number = int(month.group(1)), int(month.group(2))
            if not 1 <= number <= 12:
                raise ValueError(_("bad month {text}: expected 1-12").format(text=repr(text)))
            check_year(year, text)
            first = dt.date(year, number, 1)
            return cls(first=first, last=dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1))
        parts = _RANGE_SPLIT.split(str(text).strip())
        if len(parts) == 1:
            day = _parse_date(parts[0])
            return cls(first=day, last=day)
        if len(parts) == 2:
            first, last = _parse_date(parts[0]), _parse_date(parts[1])
            if last < first:
                raise ValueError(_("date range {text} ends before it starts").format(text=repr(text)))
            return cls(first=first, last=last)
        raise ValueError(_("bad date range {text}: expected YYYY-MM-DD or YYYY-MM-DD~YYYY-MM-DD").format(text=repr(text)))

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


class ResearchDay(BaseModel):
    """The day a school's subject group meets (教研活动日): `数学:周三`, `语文:双周四`."""

    model_config = ConfigDict(frozen=True)
    subject: str
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    biweekly: bool = False

    @classmethod
    def parse_cell(cls, cell: Any) -> tuple["ResearchDay", ...]:
        if cell is None or cell == "":
            return ()
        if isinstance(cell, (list, tuple)):
            return tuple(cell)
        days = []
        for item in vocab.split_list(cell):
            match = re.fullmatch(r"\s*([^:：]+?)\s*[:：]\s*(双周|隔周|周|星期|礼拜)([一二三四五六日天])\s*", item)
            if not match:
                raise ValueError(_("bad research day {strip}: expected 学科:周三 or 学科:双周四").format(strip=repr(item.strip())))
            subject, prefix, day = match.groups()
            days.append(cls(subject=vocab.canonical_subject(subject), weekday=_WEEKDAYS[day], biweekly=prefix in ("双周", "隔周")))
        return tuple(days)


def _list(value: Any) -> tuple[str, ...]:
    return tuple(vocab.split_list(value))


def _not_empty(items: tuple[str, ...], expected: str) -> tuple[str, ...]:
    """A required list cell that is empty says what belongs in it (pydantic would say "Tuple should have at least 1 item")."""
    if not items:
        raise ValueError(_("must not be empty: expected {expected}").format(expected=expected))
    return items


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text, None when empty; an id typed in Excel as 1001 arrives as 1001.0 and is mended."""
    if value is None:
        return None
    text = vocab.tidy_spaces(str(value), join_cjk=True)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


# A tab or line break inside a cell (Excel writes Alt+Enter into a quoted CSV cell) is a space in a
# name; in a list cell the line break separates items, as `;` does.
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")
_IN_LINE_BREAKS = re.compile(r"[\t\r\u2028\u2029]+")
_NONCHARACTERS = ("\ufffe", "\uffff")  # not characters at all; XML cannot hold them


def refused_character(text: str) -> str | None:
    """Why a cell's text cannot be used (a control character, which no output could show), or None."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t\r\n":
            return _("control character U+{code} not allowed").format(code=f"{ord(char):04X}")
        if category == "Cs" or char in _NONCHARACTERS:
            return _("character U+{code} not allowed").format(code=f"{ord(char):04X}")
    return None


def plain_text(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """Every text cell of a row, before its own validator: refuse control characters, make tabs and line breaks spaces.

    Registered last in each row model (`field_validator("*")`), so that pydantic runs it first.
    """
    if info.field_name in _Row.model_fields:  # where the row came from, not a cell
        return value
    if isinstance(value, (list, tuple)):  # a list written as a list (a what-if's edits): each item is one line
        return type(value)(one_text(item, _LINE_BREAKS) if isinstance(item, str) else item for item in value)
    if not isinstance(value, str):
        return value
    is_list = get_origin(cls.model_fields[info.field_name].annotation) is tuple
    if is_list:
        return one_text(value, _IN_LINE_BREAKS)
    return vocab.tidy_spaces(one_text(value, _LINE_BREAKS), join_cjk=True)


def one_text(text: str, breaks: re.Pattern) -> str:
    problem = refused_character(text)
    if problem:
        raise ValueError(problem)
    return breaks.sub(" ", text)


class _Row(BaseModel):
    """Fields every table row shares: where it came from, and columns we do not know but keep."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str = Field("", description="file the row came from", exclude=True)
    row: int = Field(0, description="row number in that file (header = 1)", exclude=True)
    extra: dict[str, str] = Field(default_factory=dict, description="unknown columns, carried to outputs")
    headers: dict[str, str] = Field(default_factory=dict, description="field → header as written in the file", exclude=True)

    def column(self, field_name: str) -> str:
        """The header the user wrote for a field (for messages), or the field name."""
        return self.headers.get(field_name, field_name)

    @field_validator("id", "name", mode="before", check_fields=False)
    @classmethod
    def _required_text(cls, value: Any) -> str:
        text = cell_text(value)
        if not text:
            raise ValueError(_("must not be empty"))
        return text


class Researcher(_Row):
    """A teaching researcher (教研员)."""

    id: str
    name: str
    subjects: tuple[str, ...] = Field(min_length=1, description="学科, one or more")
    stages: tuple[str, ...] = Field(min_length=1, description="学段 covered")
    kind: str = Field("专职", description="专职 full-time / 兼职 part-time")
    base: str | None = Field(None, description="node or school id trips start from; default the office")
    min_schools: int | None = Field(None, ge=0, le=MAX_COUNT)
    max_schools: int | None = Field(None, ge=0, le=MAX_COUNT)
    current_schools: tuple[str, ...] = ()
    since: str | None = Field(None, description="YYYY-MM when the current pairing started")
    avoid_schools: tuple[str, ...] = ()
    unavailable: tuple[DateRange, ...] = ()

    @field_validator("subjects", mode="before")
    @classmethod
    def _subjects(cls, value: Any) -> tuple[str, ...]:
        return _not_empty(tuple(dict.fromkeys(vocab.canonical_subject(s) for s in _list(value))), _("one or more subjects (语文、数学 …)"))

    @field_validator("stages", mode="before")
    @classmethod
    def _stages(cls, value: Any) -> tuple[str, ...]:
        return _not_empty(vocab.expand_stages(list(_list(value))), _("one or more of 学前 小学 初中 高中 特教"))

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> str:
        text = cell_text(value)
        if text is None:
            return "专职"
        if text.lower() not in vocab.KINDS:
            raise ValueError(_("unknown kind {text}: expected 专职 or 兼职").format(text=repr(text)))
        return vocab.KINDS[text.lower()]

    @field_validator("base", mode="before")
    @classmethod
    def _base(cls, value: Any) -> str | None:
        return cell_text(value)

    @field_validator("min_schools", "max_schools", mode="before")
    @classmethod
    def _optional_int(cls, value: Any) -> Any:
        return None if cell_text(value) is None else cell_text(value)

    @field_validator("current_schools", "avoid_schools", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> tuple[str, ...]:
        return tuple(cell_text(v) for v in _list(value))

    @field_validator("since", mode="before")
    @classmethod
    def _since(cls, value: Any) -> str | None:
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        text = cell_text(value)
        if text is None:
            return None
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(_("bad month {text}: expected YYYY-MM such as 2024-09").format(text=repr(text)))
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"

    @field_validator("unavailable", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> tuple[DateRange, ...]:
        return DateRange.parse_cell(value)

    @field_validator("max_schools")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min_schools")
        if value is not None and low is not None and low > value:
            raise ValueError(_("max_schools {value} is below min_schools {low}").format(value=value, low=low))
        return value

    @property
    def label(self) -> str:
        """How people name a researcher: 张三 (初中数学)."""
        return f"{self.name} ({'、'.join(self.stages)}{'、'.join(self.subjects)})"

    _plain_text = field_validator("*", mode="before")(plain_text)


class School(_Row):
    """A school (学校) that may become a contact school."""

    id: str
    name: str
    stages: tuple[str, ...] = Field(min_length=1)
    area: str = Field(description="城区 / 镇区 / 乡村")
    township: str = ""
    node: str | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    minutes: float | None = Field(None, gt=0, le=1440, description="单程分钟: one-way minutes from the office, as the office gives them")
    priority: int = Field(1, ge=1, le=3, description="1 normal … 3 weak school (薄弱学校)")
    ownership: str = Field("公办", description="公办 / 民办")
    central: bool = Field(False, description="township central school (中心校)")
    subjects_needed: tuple[str, ...] = Field((), description="default: every subject its stages teach")
    max_researchers: int | None = Field(None, ge=1, le=MAX_COUNT)
    blackout: tuple[DateRange, ...] = ()
    research_days: tuple[ResearchDay, ...] = ()

    @field_validator("stages", mode="before")
    @classmethod
    def _stages(cls, value: Any) -> tuple[str, ...]:
        return _not_empty(vocab.expand_stages(list(_list(value))), "a 学段 or 学校类型 (完全小学, 初级中学 …)")

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, value: Any) -> str:
        if cell_text(value) is None:
            raise ValueError(_("must not be empty: expected 城区/镇区/乡村 or a 3-digit 城乡划分代码"))
        return vocab.parse_area(value)

    @field_validator("township", mode="before")
    @classmethod
    def _township(cls, value: Any) -> str:
        return cell_text(value) or ""

    @field_validator("node", mode="before")
    @classmethod
    def _node(cls, value: Any) -> str | None:
        return cell_text(value)

    @field_validator("lon", "lat", "minutes", "max_researchers", mode="before")
    @classmethod
    def _optional_number(cls, value: Any) -> Any:
        return None if cell_text(value) is None else value

    @field_validator("priority", mode="before")
    @classmethod
    def _priority(cls, value: Any) -> Any:
        return 1 if cell_text(value) is None else value

    @field_validator("ownership", mode="before")
    @classmethod
    def _ownership(cls, value: Any) -> str:
        text = cell_text(value)
        if text is None:
            return "公办"
        if text.lower() not in vocab.OWNERSHIPS:
            raise ValueError(_("unknown ownership {text}: expected 公办 or 民办").format(text=repr(text)))
        return vocab.OWNERSHIPS[text.lower()]

    @field_validator("central", mode="before")
    @classmethod
    def _central(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = (cell_text(value) or "").lower()
        if text in vocab.TRUE_WORDS:
            return True
        if text in vocab.FALSE_WORDS:
            return False
        raise ValueError(_("expected 是/否, got {text}").format(text=repr(text)))

    @field_validator("subjects_needed", mode="before")
    @classmethod
    def _subjects(cls, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(vocab.canonical_subject(s) for s in _list(value)))

    @field_validator("blackout", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> tuple[DateRange, ...]:
        return DateRange.parse_cell(value)

    @field_validator("research_days", mode="before")
    @classmethod
    def _research_days(cls, value: Any) -> tuple[ResearchDay, ...]:
        return ResearchDay.parse_cell(value)

    @model_validator(mode="after")
    def _default_subjects(self) -> "School":
        if not self.subjects_needed:
            object.__setattr__(self, "subjects_needed", vocab.subjects_of_stages(self.stages))
        return self

    _plain_text = field_validator("*", mode="before")(plain_text)

    @property
    def priority_school(self) -> bool:
        return self.priority > 1
