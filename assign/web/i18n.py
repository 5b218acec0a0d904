"""The web page's words: Chinese by default, English switchable (`?lang=en`), like the command line's `--lang`.

Each word is an English message of the `assign` catalog (its Chinese in assign/locale/zh_CN), translated
per request in the request's language, so two visitors in two languages are served at once."""

from __future__ import annotations

from assign.locale import N_, translations

LANGS = ("zh", "en")

# key (what the templates write: t.upload) → the English words
TEXTS: dict[str, str] = {
    "app": N_("Contact schools of teaching researchers"),
    "projects": N_("Projects"),
    "new_project": N_("New project"),
    "name": N_("Project name"),
    "preset": N_("Rules preset"),
    "template_first": N_("No lists yet? Fill in the empty forms first:"),
    "workbook": N_("One workbook (a sheet of researchers, a sheet of schools)"),
    "researchers": N_("Researchers table"),
    "schools": N_("Schools table"),
    "roads": N_("Roads table (optional)"),
    "nodes": N_("Nodes table (optional)"),
    "scenario": N_("scenario.yaml (optional, instead of a preset)"),
    "upload": N_("Upload"),
    "reupload": N_("Upload again after fixing"),
    "problems": N_("Problems in the tables"),
    "file": N_("File"),
    "row": N_("Row"),
    "column": N_("Column"),
    "value": N_("Value"),
    "expected": N_("Expected"),
    "no_problems": N_("The tables have no problems: ready to solve."),
    "rules": N_("Rules"),
    "use": N_("use"),
    "save_rules": N_("Save rules"),
    "apply_preset": N_("Use this preset"),
    "solve": N_("Solve"),
    "runs": N_("Runs"),
    "status": N_("Status"),
    "progress": N_("Progress"),
    "cancel": N_("Cancel"),
    "kpis": N_("KPIs"),
    "roster": N_("Roster"),
    "exceptions": N_("Exceptions granted"),
    "uncovered": N_("Schools without a researcher"),
    "findings": N_("Audit findings"),
    "downloads": N_("Downloads"),
    "edit": N_("Edit by hand"),
    "check": N_("Check"),
    "researcher": N_("Researcher"),
    "current": N_("Current schools"),
    "allowed_schools": N_("Schools the rules allow"),
    "verdict": N_("The audit's verdict"),
    "no_violation": N_("no rule violated"),
    "violations": N_("violation(s)"),
    "objective": N_("Objective terms"),
    "this_edit": N_("this edit"),
    "solved": N_("solved plan"),
    "bends": N_("may bend"),
    "files": N_("Uploaded tables"),
    "back": N_("Back"),
    "errors": N_("Errors"),
    "report": N_("Report (with the map)"),
    "created": N_("Created"),
    "none": N_("none"),
    "passes": N_("Solver passes"),
    "with_pass": N_("with pass {n}"),
    "pin": N_("Pin and solve again"),
    "pins": N_("Pinned by hand"),
    "whatif": N_("What if (one change to the plan in force, re-planned and compared)"),
    "remove_researchers": N_("Remove researchers (ids)"),
    "remove_schools": N_("Remove schools (ids)"),
    "rule": N_("Rule"),
    "replan": N_("Re-plan and compare"),
    "comparison": N_("Comparison"),
    "kept": N_("kept"),
    "added": N_("added"),
    "dropped": N_("dropped"),
    "before": N_("Before"),
    "after": N_("After"),
    "why": N_("Why"),
    "map": N_("Map and report"),
    "calendar": N_("Visit calendar"),
    "schedule": N_("Schedule"),
    "workdays": N_("working days"),
    "visits": N_("visits"),
}


def texts(lang: str) -> dict[str, str]:
    """Every word of the page in `lang` (Chinese for any language the page does not know)."""
    gettext = translations(lang if lang in LANGS else "zh").gettext
    return {key: gettext(words) for key, words in TEXTS.items()}
