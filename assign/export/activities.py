"""What a visit is for, as the calendar's outputs say it: a compact text for the .ics summary and the
tables (听课 with its number of lessons, then the other activities), and one mark a character for the
cells of the month grid, with the legend that explains them.

The activity words are the vocabulary's (`vocab.ACTIVITIES`), data like names; a visit that names
none is a 视导 (a routine visit)."""

from __future__ import annotations

from assign.calendar.visits import Visit
from assign.locale import _

ROUTINE = "视导"  # what a visit that names no activity is (vocab.ACTIVITIES: empty = 视导)
# One character per activity for a month-grid cell; 视导 has none (a cell with a school and no mark is a routine visit).
MARKS = {"听课": "听", "评课": "评", "校本教研": "研", "专题讲座": "讲", "研究课/示范课": "示", "调研": "调"}


def lessons_text(n: int) -> str:
    """听课 with its number: the words for `n` lessons observed."""
    return _("{n} lessons observed").format(n=n)


def activity_parts(visit: Visit) -> list[str]:
    """The visit's activities in order, 听课 said with its lessons when it has a number."""
    return [lessons_text(visit.lessons) if word == "听课" and visit.lessons else word for word in visit.activities]


def purpose(visit: Visit, sep: str = "·") -> str:
    """A compact text of what the visit is for (听课3节·校本教研 in Chinese); empty for a routine visit."""
    return sep.join(activity_parts(visit))


def activity_words(visit: Visit) -> str:
    """The 活动 cell: the activity words joined by 、, or 视导 for a visit that names none."""
    return "、".join(visit.activities) or ROUTINE


def marks(visit: Visit) -> str:
    """The visit's marks for a month-grid cell: 听3研 (3 lessons observed, a school research activity)."""
    return "".join(MARKS[w] + (str(visit.lessons) if w == "听课" and visit.lessons else "") for w in visit.activities if w in MARKS)


def legend() -> str:
    """What the month grid's marks mean, for a line under the grid."""
    items = "，".join(f"{mark} = {word}" for word, mark in MARKS.items())
    return _("Marks under a school: {items}; a number after {lesson_mark} is the lessons observed; no mark: {routine}").format(
        items=items, lesson_mark=MARKS["听课"], routine=ROUTINE)
