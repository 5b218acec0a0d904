"""Lines the terminal shows of a term's record: each conflict, with both sides and where each was read."""

from __future__ import annotations

from assign.calendar.records import RecordConflict, VisitRecord
from assign.locale import _
from assign.problem import Problem


def told(record: VisitRecord) -> str:
    """What a record says, and where it was read: 是 2026-10-14 听课3节 (file, sheet, row)."""
    said = ("是" if record.done else "否") + (f" {record.day}" if record.day else "") + (f" 听课{record.lessons}节" if record.lessons else "")
    said += "".join(f" {a}" for a in record.activities if a != "听课")
    said += f" 骨干教师：{'、'.join(record.backbone_teachers)}" if record.backbone_teachers else ""
    said += f" 备注：{record.notes}" if record.notes else ""
    where = ", ".join(str(p) for p in (record.source, record.sheet) if p) + _(", row {row}").format(row=record.row)
    return f"{said} ({where})"


def conflict_lines(problem: Problem, conflicts: list[RecordConflict]) -> str:
    lines = []
    for c in conflicts:
        r, s = problem.researcher.get(c.kept.researcher_id), problem.school.get(c.kept.school_id)
        planned = c.kept.planned[0] if c.kept.planned else c.kept.day
        lines.append(_("  - {researcher} → {school}, planned {day}: kept {kept}; other {other}").format(
            researcher=r.name if r else c.kept.researcher_id, school=s.name if s else c.kept.school_id, day=planned,
            kept=told(c.kept), other=told(c.other)))
    return "\n".join(lines)
