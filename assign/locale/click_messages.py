"""click's own words (Usage:, Options:, Error: …, Missing argument …) in the user's language.

click asks for them with `gettext.gettext` and `gettext.ngettext`, which each of its modules binds
at import (`from gettext import gettext as _`), so they read the process-wide gettext domain in the
language of the environment variables. Binding our domain process-wide (`gettext.textdomain`) would
also need a compiled `.mo` on disk and `LANGUAGE` set in the environment to follow `--lang`. Instead
`route_click_messages` rebinds those two names in click's modules to our `_` and `ngettext`: one
explicit step when the command line starts (`help_pages.Group.make_context`), after which click's words follow `set_language` like
ours and come from the same catalog (compiled, or read from the `.po` when no build compiled it).

The messages below are click's, not ours: they are listed with `N_()` only so that Babel extracts
them into our catalog and tests/test_catalogs.py fails when one lacks its Chinese. They must stay
identical to click's source (click/core.py, exceptions.py, formatting.py, parser.py, types.py,
decorators.py); a message click changes simply shows in English until it is listed again. Not listed:
the words click translates once, when a type or option is built at import (a Path's "file",
"directory", "path"), which could not follow `--lang`; `help_pages` handles `--help` and `--version`.
"""

from __future__ import annotations

import gettext
import importlib

from assign.locale import N_, _, ngettext

# click's modules that translate with gettext's module-level functions.
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser", "click.termui",
                 "click.types", "click.utils")

CLICK_MESSAGES = (
    # help pages
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("deprecated"),
    N_("(dynamic)"),
    # usage errors
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("Missing {param_type}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Aborted!"),
    # values a parameter rejects
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Choose from:\n\t{choices}"),
)



def click_plurals(n: int = 2) -> tuple[str, ...]:
    """click's messages whose words change with a count, for count `n` in the current language (written as calls so Babel extracts both forms)."""
    return (
        ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
        ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}.", n),
    )


def route_click_messages() -> None:
    """Make click translate its words with our catalogs, in the language `set_language` chose, at the moment it says them."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext
