"""The words offices write in their tables, and what they mean to the model.

Stages, areas and subjects arrive in Chinese or English, in the spellings of the source
documents (DOMAIN.md). Everything is normalised here, once, so the rest of the code only
sees the canonical Chinese word.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from assign.locale import _

STAGES = ("学前", "小学", "初中", "高中", "特教")

# A stage word may stand for several stages (九年一贯制 = 小学 + 初中).
STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "学前": ("学前",), "幼儿园": ("学前",), "学前教育": ("学前",), "preschool": ("学前",), "kindergarten": ("学前",),
    "小学": ("小学",), "primary": ("小学",), "教学点": ("小学",),
    "初中": ("初中",), "初级中学": ("初中",), "junior": ("初中",),
    "高中": ("高中",), "高级中学": ("高中",), "普通高中": ("高中",), "senior": ("高中",),
    "特教": ("特教",), "特殊教育": ("特教",), "special": ("特教",),
    "九年一贯制": ("小学", "初中"), "nine-year": ("小学", "初中"),
    "完全中学": ("初中", "高中"), "complete": ("初中", "高中"),
    "十二年一贯制": ("小学", "初中", "高中"), "twelve-year": ("小学", "初中", "高中"),
    # 学校类型 as the statistics forms (教育事业统计) and offices write it, in place of 学段.
    "完全小学": ("小学",), "中心小学": ("小学",), "村小": ("小学",), "村完小": ("小学",), "小学教学点": ("小学",),
    "九年一贯制学校": ("小学", "初中"), "十二年一贯制学校": ("小学", "初中", "高中"),
    "特殊教育学校": ("特教",), "特教学校": ("特教",), "高级中学学校": ("高中",), "初中学校": ("初中",),
}

AREAS = ("城区", "镇区", "乡村")
AREA_WORDS = {
    "城区": "城区", "urban": "城区", "镇区": "镇区", "town": "镇区", "乡村": "乡村", "rural": "乡村",
    # the offices' own words
    "县城": "城区", "农村": "乡村",
    # 国家统计局 统计用城乡划分代码's names of its 3-digit classes
    "主城区": "城区", "城乡结合区": "城区", "镇中心区": "镇区", "镇乡结合区": "镇区", "特殊区域": "镇区", "乡中心区": "乡村", "村庄": "乡村",
}

# 国家统计局 城乡划分代码: 11x 城区, 12x 镇区, 2xx 乡村 (the 3-digit classes and their 2-digit groups).
AREA_CODES = {"111": "城区", "112": "城区", "121": "镇区", "122": "镇区", "123": "镇区", "210": "乡村", "220": "乡村",
              "11": "城区", "12": "镇区", "21": "乡村", "22": "乡村"}

# Subjects each stage teaches: the default of a school's `subjects_needed`.
_COMMON = ("音乐", "美术", "体育", "心理健康")
STAGE_SUBJECTS: dict[str, tuple[str, ...]] = {
    "学前": ("学前教育",),
    "小学": ("语文", "数学", "英语", "道德与法治", "科学", "信息科技", "劳动", "综合实践", *_COMMON),
    "初中": ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "信息科技", "劳动", "综合实践", *_COMMON),
    "高中": ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "思想政治", "信息科技", *_COMMON),
    "特教": ("特殊教育",),
}
SUBJECTS = tuple(dict.fromkeys(s for subjects in STAGE_SUBJECTS.values() for s in subjects))

SUBJECT_ALIASES = {
    "信息技术": "信息科技", "道法": "道德与法治", "政治": "思想政治", "思政": "思想政治",
    "心理": "心理健康", "心理健康教育": "心理健康", "体育与健康": "体育", "综合实践活动": "综合实践",
    "劳动教育": "劳动", "幼教": "学前教育", "特教": "特殊教育",
    "chinese": "语文", "math": "数学", "mathematics": "数学", "english": "英语", "physics": "物理",
    "chemistry": "化学", "biology": "生物", "history": "历史", "geography": "地理", "science": "科学",
    "music": "音乐", "art": "美术", "pe": "体育", "it": "信息科技",
}

# What a visit to a contact school is for (`000_…` 基本要求(四), `002_…` 四): 视导 when nothing else is planned.
ACTIVITIES = ("听课", "评课", "校本教研", "专题讲座", "研究课/示范课", "调研", "视导")
# What a researcher writes in a record's 开展活动 for each of them (a list cell: `/` splits 研究课/示范课 in two).
ACTIVITY_WORDS = {
    **{a: a for a in ACTIVITIES}, "研究课": "研究课/示范课", "示范课": "研究课/示范课", "公开课": "研究课/示范课", "观摩课": "研究课/示范课",
    "讲座": "专题讲座", "专题报告": "专题讲座", "案例剖析": "专题讲座", "教研活动": "校本教研", "校本研修": "校本教研", "集体备课": "校本教研",
    "议课": "评课", "听评课": "评课", "调查": "调研", "调研文章": "调研", "调研报告": "调研", "教学视导": "视导", "联合视导": "视导",
    "lessons": "听课", "observation": "听课", "feedback": "评课", "research": "校本教研", "lecture": "专题讲座", "demo": "研究课/示范课",
    "survey": "调研", "inspection": "视导",
}


def parse_activities(cell: object) -> tuple[str, ...]:
    """A record's 开展活动 cell as words of ACTIVITIES, in their order; an unknown word → ValueError naming it."""
    found = set()
    for word in split_list(cell):
        activity = ACTIVITY_WORDS.get(word) or ACTIVITY_WORDS.get(word.lower())
        if activity is None:
            raise ValueError(word)
        found.add(activity)
    return tuple(a for a in ACTIVITIES if a in found)
KINDS = {"专职": "专职", "full-time": "专职", "fulltime": "专职", "兼职": "兼职", "part-time": "兼职", "parttime": "兼职"}
OWNERSHIPS = {"公办": "公办", "public": "公办", "民办": "民办", "private": "民办"}
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "中心校"}
FALSE_WORDS = {"否", "no", "n", "false", "0", ""}

_LIST_SEPARATORS = re.compile(r"[;；、,，/／\n]+")


def split_list(cell: object) -> list[str]:
    """Split a list cell on ; ； 、 , ， / ／ (all accepted) and drop empty items."""
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [str(item).strip() for item in cell if str(item).strip()]
    return [item.strip() for item in _LIST_SEPARATORS.split(str(cell)) if item.strip()]


# Blanks a cell may hold besides the ASCII space: full-width (U+3000), no-break, thin, zero-width, BOM.
_BLANKS = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Padding between two Chinese characters: full-width spaces, or two and more spaces.
_PADDING_IN_CJK = re.compile(rf"(?<=[{_CJK}])(?:[\u3000\u00a0\u2000-\u200b\ufeff][\s\u3000]*| {{2,}})(?=[{_CJK}])")


def tidy_spaces(text: str, join_cjk: bool = False) -> str:
    """Every run of blanks (full-width, no-break, zero-width …) as one space, none at the ends; with
    `join_cjk`, no padding between two Chinese characters either: a clerk pads 王芳 to 王　芳 (a full-width
    space, or two spaces) so that two-character names line up with three-character ones, and it is the same
    person. One plain space stays (王秀兰 老师, from a line break in the cell)."""
    if join_cjk:
        text = _PADDING_IN_CJK.sub("", text)
    return _BLANKS.sub(" ", text).strip()


def expand_stages(words: list[str]) -> tuple[str, ...]:
    """Expand stage words into canonical stages, in the order of STAGES; unknown word → ValueError."""
    found: set[str] = set()
    for word in words:
        stages = STAGE_WORDS.get(word.strip().lower()) or STAGE_WORDS.get(word.strip())
        if stages is None:
            raise ValueError(_("unknown stage {word}: expected {names} (or preschool … special), or a 学校类型 such as "
                               "幼儿园 完全小学 教学点 初级中学 九年一贯制学校 完全中学 特殊教育学校")
                             .format(word=repr(word), names="/".join(STAGES)))
        found.update(stages)
    return tuple(s for s in STAGES if s in found)


def parse_area(cell: object) -> str:
    """城区/镇区/乡村 (or urban/town/rural, or a 城乡划分代码 like 121) → canonical area word."""
    text = str(cell).strip()
    if text.endswith(".0"):  # a code typed in Excel arrives as a float
        text = text[:-2]
    area = AREA_WORDS.get(text.lower()) or AREA_CODES.get(text)
    if area is None:
        raise ValueError(_("unknown area {text}: expected 城区/镇区/乡村 (县城, 农村, 主城区 … 村庄) or a 城乡划分代码 (111 112 121 122 123 210 220)")
                         .format(text=repr(text)))
    return area


def canonical_subject(word: str) -> str:
    """Map a subject spelling to its canonical name; unknown subjects pass through unchanged."""
    word = word.strip()
    return SUBJECT_ALIASES.get(word.lower(), SUBJECT_ALIASES.get(word, word))


def subjects_of_stages(stages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for stage in stages for s in STAGE_SUBJECTS.get(stage, ())))


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """`: 是不是 A、B？ (did you mean …)` with the closest of `choices` to a name or id nobody has, or "" when none is close."""
    close = difflib.get_close_matches(str(word), list(dict.fromkeys(choices)), n=n, cutoff=0.5)
    return _("; did you mean {names}?").format(names="、".join(close)) if close else ""
