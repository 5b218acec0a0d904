"""Help pages in the language of the moment they are shown.

click stores each command's and option's help when the decorators run, at import, before `--lang`
is read. The texts are marked with `N_()` where they are written (so Babel extracts them) and
`Command`/`Group` pass them through `_()` each time click reads them to format a help page or the
list of commands. `--lang` is an eager option (`choose_language`), processed before `--help`.
"""

from __future__ import annotations

import copy
import importlib.metadata
import re

import click
from wcwidth import wcwidth

from assign.locale import N_, _, language_from_environment, set_language
from assign.locale.click_messages import route_click_messages


def translated(text: str | None) -> str | None:
    """`text` (a help marked with `N_()`) in the current language; None and "" as they are."""
    return _(text) if text else text


class TranslatedHelp:
    """A command whose help, short help and epilog, and whose options' help, are read in the current language."""

    @property
    def help(self) -> str | None:
        return translated(self.help_msgid)

    @help.setter
    def help(self, text: str | None) -> None:
        self.help_msgid = text

    @property
    def short_help(self) -> str | None:
        return translated(self.short_help_msgid)

    @short_help.setter
    def short_help(self, text: str | None) -> None:
        self.short_help_msgid = text

    @property
    def epilog(self) -> str | None:
        return translated(self.epilog_msgid)

    @epilog.setter
    def epilog(self, text: str | None) -> None:
        self.epilog_msgid = text

    def get_short_help_str(self, limit: int = 45) -> str:
        """The line beside the command in its group's list. click shortens the help at a space and counts characters;
        a Chinese sentence has no spaces and each character takes two columns, so a help mostly in wide characters is
        cut at its first sentence (。) or at `limit` columns instead."""
        first = (self.help or "").split("\n\n")[0].replace("\n", " ").strip()
        if self.short_help or self.deprecated or sum(wcwidth(ch) == 2 for ch in first) * 3 < len(first):
            return super().get_short_help_str(limit)
        first = re.split(r"(?<=。)", first)[0]
        shown, width = "", 0
        for ch in first:
            width += max(wcwidth(ch), 1)
            if width > limit - 1:
                return shown + "…"
            shown += ch
        return shown

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click's `--help`, whose help click translated once, when first asked, in the language of that moment:
        given back its message, translated each time it is shown."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = N_("Show this message and exit.")
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's Options section, each option's help translated: a copy of the option is formatted, the parser keeps the original."""
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            if param.help:
                param = copy.copy(param)
                param.help = _(param.help)
            row = param.get_help_record(ctx)
            if row is not None:
                rows.append(row)
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)


class Command(TranslatedHelp, click.Command):
    """A command whose help is read in the current language."""


class Group(TranslatedHelp, click.Group):
    """A group whose commands and sub-groups translate their help too."""

    command_class = Command
    group_class = type  # a sub-group is a Group as well

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options, then the commands (click.Group's own format_options does both; ours comes first in the order of classes)."""
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        if parent is None:
            # click's words from our catalog from here on (not at import: click's Path and version_option translate
            # once, when built, and would keep the language of the import); the language of the environment before
            # any option (and `--help`) is read; `--lang` overrides it
            route_click_messages()
            set_language(language_from_environment())
        return super().make_context(info_name, args, parent=parent, **extra)


def choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`--lang`'s callback: an eager option, so the language is chosen before `--help` prints."""
    if value is not None:
        set_language(value)
    return value


def show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`--version`'s callback. click's own `version_option` translates its line once, at import, before `--lang` is read."""
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": ctx.find_root().info_name, "version": importlib.metadata.version("assign")})
        ctx.exit()
