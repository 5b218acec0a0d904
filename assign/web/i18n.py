"""The web page's words: Chinese by default, English switchable (`?lang=en`), like the command line's `--lang`."""

from __future__ import annotations

LANGS = ("zh", "en")

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "app": "教研员定点联系学校安排", "projects": "项目", "new_project": "新建项目", "name": "项目名称", "preset": "规则预设",
        "template_first": "还没有名单？先下载空白表填写：", "workbook": "一个工作簿（教研员、学校各一张工作表）",
        "researchers": "教研员表", "schools": "学校表", "roads": "路网表（可选）", "nodes": "节点表（可选）",
        "scenario": "方案文件 scenario.yaml（可选，代替预设）", "upload": "上传", "reupload": "修改后重新上传",
        "problems": "表格中的问题", "file": "文件", "row": "行", "column": "列", "value": "值", "expected": "应为",
        "no_problems": "表格没有问题，可以求解。", "rules": "规则", "use": "采用", "save_rules": "保存规则", "apply_preset": "换用此预设",
        "solve": "求解", "runs": "求解记录", "status": "状态", "progress": "进度", "cancel": "取消", "kpis": "指标",
        "roster": "安排表", "exceptions": "准许的例外", "uncovered": "未联系学校", "findings": "审核发现", "downloads": "下载",
        "edit": "手工调整", "check": "检查", "researcher": "教研员", "current": "现安排", "allowed_schools": "规则允许的学校",
        "verdict": "审核结论", "no_violation": "没有违反规则", "violations": "处违反规则", "objective": "目标项",
        "this_edit": "调整后", "solved": "求解结果", "bends": "可放宽", "files": "已上传的表格", "back": "返回",
        "errors": "错误", "report": "报告（含地图）", "created": "创建时间", "none": "无", "passes": "求解阶段",
        "pin": "固定并重新求解", "pins": "手工固定",
        "whatif": "假如（在现行方案上改一处，重新安排并比较）", "remove_researchers": "去掉教研员（工号）", "remove_schools": "去掉学校（学校代码）",
        "rule": "规则", "replan": "重新安排并比较", "comparison": "比较", "kept": "保留", "added": "新增", "dropped": "取消",
        "before": "原安排", "after": "新安排", "why": "原因",
        "map": "地图与报告", "calendar": "访校日程", "schedule": "排期", "workdays": "个工作日", "visits": "次到校",
    },
    "en": {
        "app": "Contact schools of teaching researchers", "projects": "Projects", "new_project": "New project", "name": "Project name",
        "preset": "Rules preset", "template_first": "No lists yet? Fill in the empty forms first:",
        "workbook": "One workbook (a sheet of researchers, a sheet of schools)",
        "researchers": "Researchers table", "schools": "Schools table", "roads": "Roads table (optional)",
        "nodes": "Nodes table (optional)", "scenario": "scenario.yaml (optional, instead of a preset)", "upload": "Upload",
        "reupload": "Upload again after fixing", "problems": "Problems in the tables", "file": "File", "row": "Row", "column": "Column",
        "value": "Value", "expected": "Expected", "no_problems": "The tables have no problems: ready to solve.", "rules": "Rules",
        "use": "use", "save_rules": "Save rules", "apply_preset": "Use this preset", "solve": "Solve", "runs": "Runs", "status": "Status",
        "progress": "Progress", "cancel": "Cancel", "kpis": "KPIs", "roster": "Roster", "exceptions": "Exceptions granted",
        "uncovered": "Schools without a researcher", "findings": "Audit findings", "downloads": "Downloads", "edit": "Edit by hand",
        "check": "Check", "researcher": "Researcher", "current": "Current schools", "allowed_schools": "Schools the rules allow",
        "verdict": "The audit's verdict", "no_violation": "no rule violated", "violations": "violation(s)", "objective": "Objective terms",
        "this_edit": "this edit", "solved": "solved plan", "bends": "may bend", "files": "Uploaded tables", "back": "Back",
        "errors": "Errors", "report": "Report (with the map)", "created": "Created", "none": "none", "passes": "Solver passes",
        "pin": "Pin and solve again", "pins": "Pinned by hand",
        "whatif": "What if (one change to the plan in force, re-planned and compared)", "remove_researchers": "Remove researchers (ids)",
        "remove_schools": "Remove schools (ids)", "rule": "Rule", "replan": "Re-plan and compare", "comparison": "Comparison", "kept": "kept",
        "added": "added", "dropped": "dropped", "before": "Before", "after": "After", "why": "Why",
        "map": "Map and report", "calendar": "Visit calendar", "schedule": "Schedule", "workdays": "working days", "visits": "visits",
    },
}


def texts(lang: str) -> dict[str, str]:
    return TEXTS[lang if lang in TEXTS else "zh"]
