"""Messages in the user's language: Chinese by default, English with `--lang en`.

Every sentence a user reads is written in the code in English and wrapped in `_()` (or
`ngettext()` where a count changes the words), with named placeholders filled after translation:
`_("{name} needs at least {n} contact schools").format(name=..., n=...)`. Babel extracts them into
`assign/locale/assign.pot`; the Chinese catalog `assign/locale/zh_CN/LC_MESSAGES/assign.po` holds
their translations. A policy or visit rule from another package ships its own catalog under its own
gettext domain and registers it with `add_domain`.
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path
from typing import Mapping

LOCALE_DIR = Path(__file__).parent  # the catalogs live beside this code: <lang>/LC_MESSAGES/<domain>.mo
DOMAIN = "assign"
LANGUAGES = {"zh": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh"

# Where the language comes from when no `--lang` is given: our own variable first, then the locale
# variables in gettext's order. The first one set decides: English when it starts with "en", else Chinese.
ENVIRONMENT = ("ASSIGN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_state: dict = {"language": DEFAULT_LANGUAGE, "domains": {DOMAIN: LOCALE_DIR}, "translations": {}}


def add_domain(domain: str, locale_dir: str | Path) -> None:
    """Let a plugin's own catalog (its gettext `domain`, compiled under `locale_dir`) translate its messages."""
    _state["domains"][domain] = Path(locale_dir)
    _state["translations"] = {}


def set_language(language: str) -> None:
    """Switch every later message to `language` ("zh" or "en")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _state["language"] = language


def language() -> str:
    return _state["language"]


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: "en" when the first of `ASSIGN_LANG`, `LANGUAGE`,
    `LC_ALL`, `LC_MESSAGES`, `LANG` that is set starts with "en" (`en_US.UTF-8`), else Chinese (a
    `C` or `POSIX` locale, as on a bare server, included)."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name, "").strip()
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def catalog(domain: str, folder: Path, language: str) -> gettext.NullTranslations:
    """One domain's catalog for `language`: the compiled `.mo` when it is newer than its `.po`, else the
    `.po` compiled in memory with Babel (a fresh clone runs before any build step compiled it)."""
    messages = folder / LANGUAGES[language] / "LC_MESSAGES"
    po, mo = messages / f"{domain}.po", messages / f"{domain}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fp:
            compiled = io.BytesIO()
            write_mo(compiled, read_po(fp, locale=LANGUAGES[language]))
        compiled.seek(0)
        return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


def translations(language: str | None = None) -> gettext.NullTranslations:
    """The catalogs of `language` (default: the current one) chained: ours first, then each plugin's.
    A caller serving several languages at once (the web page, a report in another language) asks
    for its own instead of switching the process-wide language."""
    language = language or _state["language"]
    if language not in _state["translations"]:
        chain: gettext.NullTranslations | None = None
        for domain, folder in _state["domains"].items():
            found = catalog(domain, folder, language)
            if chain is None:
                chain = found
            else:
                chain.add_fallback(found)
        _state["translations"][language] = chain or gettext.NullTranslations()
    return _state["translations"][language]


def _(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """`message` in the current language."""
    return translations().gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """Mark `message` for extraction where it is defined (a table of labels) and translate it with `_()`
    where it is shown, so a module-level constant follows the language chosen later."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for count `n`, in the current language."""
    return translations().ngettext(singular, plural, n)
