"""The built-in plugins' own catalog (gettext domain `assign_plugins`, plugins/locale/): every message
Babel extracts from plugins/ has a Chinese translation, not fuzzy, with exactly the same
`{placeholders}`; the committed template lists what the code says; and a policy's words come out
Chinese by default and English on request, in its findings and in an infeasibility explanation."""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, DEFAULT_MAPPING, extract_from_dir
from babel.messages.pofile import read_po
from conftest import build, hand_plan, policy, researcher, school

from assign.analysis.explain import conflict_groups

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
LOCALE = PLUGINS / "locale"
TEMPLATE = LOCALE / "assign_plugins.pot"
CHINESE = LOCALE / "zh_CN" / "LC_MESSAGES" / "assign_plugins.po"


def extracted() -> dict[str, tuple[str, ...]]:
    """msgid → (msgid,) or (singular, plural), as `pybabel extract -o plugins/locale/assign_plugins.pot plugins` finds them."""
    found = {}
    for _file, _line, message, _comments, _context in extract_from_dir(str(PLUGINS), method_map=DEFAULT_MAPPING, keywords=DEFAULT_KEYWORDS):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0]] = forms
    return found


def read(path: Path):
    with path.open("rb") as fp:
        return read_po(fp, locale="zh_CN")


def placeholders(text: str) -> set[str]:
    """The named fields of a brace-format message (`{name}`, `{n:g}` → name, n)."""
    return {field for _literal, field, _spec, _conversion in Formatter().parse(text) if field is not None}


def test_every_plugin_message_has_a_chinese_translation_with_the_same_placeholders():
    messages = extracted()
    assert len(messages) > 100  # every policy and visit rule speaks through the catalog
    catalog = read(CHINESE)
    problems = []
    for msgid, forms in sorted(messages.items()):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"no translation: {msgid!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            problems.append(f"fuzzy or empty: {msgid!r}")
        if isinstance(entry.id, tuple) != (len(forms) == 2):
            problems.append(f"singular/plural differs from the code: {msgid!r}")
        wanted = placeholders(forms[-1]) | placeholders(forms[0])
        problems += [f"placeholders {sorted(placeholders(s))} instead of {sorted(wanted)}: {msgid!r} → {s!r}"
                     for s in strings if placeholders(s) != wanted]
    assert problems == []


def test_the_template_lists_exactly_the_messages_of_the_code():
    # A message changed in the code and not extracted again would leave translators the old text.
    assert {m.id[0] if isinstance(m.id, tuple) else m.id for m in read(TEMPLATE) if m.id} == set(extracted())


def test_the_catalog_holds_no_message_the_code_no_longer_says():
    assert sorted({m.id[0] if isinstance(m.id, tuple) else m.id for m in read(CHINESE) if m.id} - set(extracted())) == []


def too_many_schools(tmp_path):
    """R1 holds three schools where school_count allows two; the audit's finding is about R1."""
    problem = build(tmp_path, [researcher("R1")], [school("S1"), school("S2"), school("S3")],
                    {"stage_match": {}, "school_count": {"min": 1, "max": 2}})
    pol, params = policy(problem, "school_count")
    return problem, lambda: pol.audit(problem, hand_plan(problem, [("R1", "S1"), ("R1", "S2"), ("R1", "S3")]), params)


SINGULAR, PLURAL = "{researcher} has {n} contact school; expected {low}-{high}", "{researcher} has {n} contact schools; expected {low}-{high}"


def test_a_policy_finding_is_chinese_by_default_and_english_on_request(tmp_path, language):
    problem, audit = too_many_schools(tmp_path)
    values = {"researcher": problem.researcher["R1"].label, "n": 3, "low": 1, "high": 2}
    chinese = read(CHINESE)[SINGULAR].string[0].format(**values)
    [finding] = audit()
    assert finding.message == chinese and chinese != PLURAL.format(**values)
    language("en")
    [finding] = audit()
    assert finding.message == PLURAL.format(**values)
    assert (finding.policy, finding.researchers, finding.rule) == ("school_count", ("R1",), "max")  # what other code reads stays


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_infeasibility_explanation_quotes_the_policy_in_the_language_asked(tmp_path, language, lang):
    # R1 must take two schools and only one passes stage_match: school_count's minimum is the conflict.
    language(lang)
    problem = build(tmp_path, [researcher("R1")], [school("S1"), school("J1", stages="初中")],
                    {"stage_match": {}, "school_count": {"min": 2, "max": 2}})
    msgid = "{researcher} needs at least {n} contact schools"
    words = read(CHINESE)["{researcher} needs at least {n} contact school"].string[0] if lang == "zh" else msgid
    [group] = conflict_groups(problem)
    why = words.format(researcher=problem.researcher["R1"].label, n=2)
    assert [(c.policy, c.about, c.why) for c in group.fewest] == [("school_count", ("R1",), why)]
