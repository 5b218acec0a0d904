"""The demo county's filled visit record for the first weeks of a term: synthetic, and saying so in its title.

`python -m assign.bench.demo_record [--term 2026秋] [--until 2026-10-30] [--seed 1]` schedules the demo's term
(or reads its calendar folder), writes the office's record form (`assign record template`) and fills the rows
of the visits planned up to `--until` the way a term goes: most made on the day, some moved a few working
days later, a few missed with a reason; lessons observed, activities held and backbone teachers met drawn
with a fixed seed. The result ships as `scenarios/demo-county/records/`, so that `assign progress` on the
demo shows something real; run this again when the demo's calendar changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from assign.analysis.term_record import open_term
from assign.export.atomic import atomic_path
from assign.export.record_template import HEADERS, write_record_xlsx
from assign.load import demo_scenario

TEACHERS = ("刘敏", "陈静", "杨帆", "赵磊", "黄丽", "周洁", "吴军", "徐红", "孙燕", "马超", "朱琳", "胡斌")
REASONS = ("学校期中考试，改期", "教研员参加市级培训", "学校组织研学活动")
ACTIVITY_CHOICES = (("听课", "评课"), ("听课", "评课", "校本教研"), ("听课",), ("听课", "评课", "专题讲座"), ("听课", "研究课/示范课"), ("调研",))


def fill_rows(rows: list[list[object]], until: dt.date, is_workday, rng: random.Random) -> list[list[object]]:
    """The pre-filled rows (as `HEADERS`) with the columns a researcher fills in written for the visits up to `until`."""
    col = {h: i for i, h in enumerate(HEADERS)}
    out = []
    for row in rows:
        row = list(row)
        planned = row[col["计划日期"]]
        if planned is None or planned > until:
            out.append(row)
            continue
        luck = rng.random()
        if luck < 0.08:
            row[col["是否完成"]], row[col["备注"]] = "否", rng.choice(REASONS)
        else:
            row[col["是否完成"]] = "是"
            if luck < 0.18:
                day = planned + dt.timedelta(days=1)
                while not is_workday(day):
                    day += dt.timedelta(days=1)
                row[col["实际日期"]] = day
            activities = rng.choice(ACTIVITY_CHOICES)
            row[col["听课节数"]] = rng.randint(2, 4) if "听课" in activities else 0
            row[col["开展活动"]] = "、".join(activities)
            if rng.random() < 0.4:
                row[col["指导骨干教师"]] = "、".join(rng.sample(TEACHERS, rng.randint(1, 2)))
        out.append(row)
    return out


def write_demo_record(target: Path, term: str, until: dt.date, seed: int, calendar: Path) -> Path:
    record = open_term(demo_scenario(), term, calendar)
    problem, visits = record.problem, record.visits
    order = [r.id for r in problem.researchers]
    every = sorted(visits.visits, key=lambda v: (order.index(v.researcher_id), v.first, v.school_id))
    title = f"{problem.scenario.office.name}{term}联系工作记录表（全室；示例数据，系程序生成，非真实记录 synthetic demo data）"
    write_record_xlsx(problem, visits, every, target, title)
    import openpyxl

    book = openpyxl.load_workbook(target)
    sheet = book["联系工作记录"]
    first = 4
    rows = [[c.value.date() if isinstance(c.value, dt.datetime) else c.value for c in sheet[r]][:len(HEADERS)]
            for r in range(first, first + len(every))]
    for offset, row in enumerate(fill_rows(rows, until, record.is_workday, random.Random(seed))):
        for c, value in enumerate(row, start=1):
            if c > 6:
                sheet.cell(first + offset, c, value)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--term", default="2026秋")
    parser.add_argument("--until", type=dt.date.fromisoformat, default=dt.date(2026, 10, 30))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calendar", type=Path, default=Path("out/demo-county/calendar-2026秋"), help="the term's calendar folder (visits.json)")
    parser.add_argument("-o", "--out", type=Path, default=Path("scenarios/demo-county/records/2026秋-联系工作记录（示例）.xlsx"))
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(write_demo_record(args.out, args.term, args.until, args.seed, args.calendar))


if __name__ == "__main__":
    main()
