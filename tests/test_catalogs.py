"""Every message a user reads has its Chinese translation, with the same placeholders.

The messages are extracted from the source with Babel, exactly as `./dev.sh i18n` does (the
mapping of pyproject.toml's `[tool.babel]`, Babel's default keywords `_`, `ngettext`, `N_`), for
every catalog folder of the repository: `<package>/locale/<domain>.pot` beside the package it
translates (assign/locale for the core, plugins/locale for the built-in policies, when present).
"""

from __future__ import annotations

import os
import string
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "out", "build", "node_modules", "__pycache__"}
TRANSLATED = "zh_CN"  # the language every message must have (Chinese is the default)


def catalog_folders() -> list[Path]:
    """Every `<folder>/locale/<domain>.pot` in the repository (hidden and build folders skipped)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        if Path(folder).name == "locale":
            found += [Path(folder) / f for f in sorted(files) if f.endswith(".pot")]
    return found


def method_map() -> list[tuple[str, str]]:
    with (ROOT / "pyproject.toml").open("rb") as fp:
        return [(m["pattern"], m["method"]) for m in tomllib.load(fp)["tool"]["babel"]["mappings"]]


def extracted(source: Path) -> dict[str | tuple[str, ...], str]:
    """msgid (a tuple for a plural message) → where it is written, for every message under `source`."""
    messages: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(source, method_map(), keywords=DEFAULT_KEYWORDS):
        key = message if isinstance(message, str) else tuple(m for m in message if m)
        if key[0] if isinstance(key, tuple) else key:
            messages.setdefault(key, f"{source.name}/{filename}:{lineno}")
    return messages


def chinese(pot: Path):
    po = pot.parent / TRANSLATED / "LC_MESSAGES" / f"{pot.stem}.po"
    if not po.is_file():
        return None
    with po.open("rb") as fp:
        return read_po(fp, locale=TRANSLATED)


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


CATALOGS = catalog_folders()
IDS = [str(p.relative_to(ROOT)) for p in CATALOGS]


def test_the_core_catalog_is_found():
    assert ROOT / "assign" / "locale" / "assign.pot" in CATALOGS


@pytest.mark.parametrize("pot", CATALOGS, ids=IDS)
def test_every_extracted_message_has_a_chinese_translation_that_is_not_fuzzy(pot):
    catalog = chinese(pot)
    assert catalog is not None, f"{pot.parent}/{TRANSLATED}/LC_MESSAGES/{pot.stem}.po is missing: run ./dev.sh i18n and translate it"
    untranslated = []
    for msgid, where in extracted(pot.parent.parent).items():
        message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = () if message is None else message.string if isinstance(message.string, tuple) else (message.string,)
        if message is None or message.fuzzy or not any(strings):
            state = "missing from the catalog" if message is None else "fuzzy" if message.fuzzy else "untranslated"
            untranslated.append(f"{where}: {msgid!r} ({state})")
    assert not untranslated, (f"{len(untranslated)} messages without a Chinese translation (run ./dev.sh i18n, then translate):\n"
                              + "\n".join(untranslated))


@pytest.mark.parametrize("pot", CATALOGS, ids=IDS)
def test_each_translation_keeps_exactly_the_placeholders_of_its_message(pot):
    catalog = chinese(pot)
    if catalog is None:
        pytest.skip(f"no {TRANSLATED} catalog beside {pot}")
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(ids[0])
        for text in strings:
            if text and placeholders(text) != wanted:
                wrong.append(f"{ids[0]!r}: {sorted(wanted)} but {text!r} has {sorted(placeholders(text))}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("text, names", [
    ("{name} needs at least {n} contact schools", {"name", "n"}),  # named placeholders
    ("{n:.1%} of {total}", {"n", "total"}),  # a format spec is not part of the name
    ("{{literal}} braces", set()),  # doubled braces are text
])
def test_placeholders_are_the_named_fields_of_a_message(text, names):
    assert placeholders(text) == names
