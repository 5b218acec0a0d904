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
from pathlib import Path

LOCALE_DIR = Path(__file__).parent  # the catalogs live beside this code: <lang>/LC_MESSAGES/<domain>.mo
DOMAIN = "assign"
LANGUAGES = {"zh": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh"

_state: dict = {"language": DEFAULT_LANGUAGE, "domains": {DOMAIN: LOCALE_DIR}, "translations": None}


def add_domain(domain: str, locale_dir: str | Path) -> None:
    """Let a plugin's own catalog (its gettext `domain`, compiled under `locale_dir`) translate its messages."""
    _state["domains"][domain] = Path(locale_dir)
    _state["translations"] = None


def set_language(language: str) -> None:
    """Switch every later message to `language` ("zh" or "en")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _state["language"] = language
    _state["translations"] = None


def language() -> str:
    return _state["language"]


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


def translations() -> gettext.NullTranslations:
    """The current language's catalogs chained: ours first, then each plugin's."""
    if _state["translations"] is None:
        chain: gettext.NullTranslations | None = None
        for domain, folder in _state["domains"].items():
            found = catalog(domain, folder, _state["language"])
            if chain is None:
                chain = found
            else:
                chain.add_fallback(found)
        _state["translations"] = chain or gettext.NullTranslations()
    return _state["translations"]


def _(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """`message` in the current language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for count `n`, in the current language."""
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """`message` unchanged, marked for extraction: a text fixed when its module is imported (a plugin
    parameter's description) is translated with `_()` where it is shown, in the language of that moment."""
    return message
