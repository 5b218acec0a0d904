"""`assign --help`, each command's help and click's own words (Usage:, Options:, Error: …) follow the
language: Chinese by default, English with `--lang en` or an English environment. Expected texts are
built through the same `_()` the help uses, so the tests hold whatever the catalog's wording."""

from __future__ import annotations

import ast
import importlib
import inspect

import click
import pytest
from click.testing import CliRunner

from assign.cli import main
from assign.locale import _, set_language, translations
from assign.locale.click_messages import CLICK_MESSAGES, CLICK_MODULES, click_plurals


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="assign")


def every_command(group: click.Group = main, path: str = "assign"):
    """(`assign record import`, command) for every command and group under `group`."""
    for name, command in group.commands.items():
        yield f"{path} {name}", command
        if isinstance(command, click.Group):
            yield from every_command(command, f"{path} {name}")


def group_expectations() -> list[str]:
    return [_("Usage:"), _("Options") + ":", _("Commands") + ":", _("Show this message and exit."),
            _(main.help_msgid).splitlines()[0], _(main.commands["solve"].help_msgid).splitlines()[0]]


def solve_expectations() -> list[str]:
    solve = main.commands["solve"]
    no_write = next(p for p in solve.params if p.name == "no_write")
    return [_("Usage:"), _("Options") + ":", _(solve.help_msgid).splitlines()[0], _(no_write.help), _("Show this message and exit.")]


@pytest.mark.parametrize("args, language, expected", [
    (["--help"], "zh", group_expectations),  # the default language, with no --lang and no locale
    (["--lang", "en", "--help"], "en", group_expectations),  # --lang is read before --help prints
    (["solve", "--help"], "zh", solve_expectations),  # a command's help and its options' help
    (["--lang", "en", "solve", "--help"], "en", solve_expectations),  # the group's --lang reaches the command's help
    (["solve", "--lang", "en", "--help"], "en", solve_expectations),  # so does the command's own --lang
])
def test_help_is_chinese_by_default_and_english_with_lang_en(args, language, expected):
    result = run(*args)
    assert result.exit_code == 0, result.output
    set_language(language)
    wanted = expected()
    missing = [text for text in wanted if text not in result.output]
    assert not missing, result.output
    set_language("zh" if language == "en" else "en")
    others = expected()
    assert not [text for text in others if text in result.output and text not in wanted], result.output


def test_an_english_environment_gives_english_help_and_lang_zh_overrides_it(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = run("--help").output
    chinese = run("--lang", "zh", "--help").output
    set_language("en")
    assert _("Usage:") in english and _("Show this message and exit.") in english
    set_language("zh")
    assert _("Usage:") in chinese and _("Show this message and exit.") in chinese
    assert english != chinese


def not_offered(option: str, value: str, choices: str) -> str:
    """click's sentence for a value not among an option's choices, in the current language."""
    message = click_plurals(2)[2].format(value=value, choice=choices, choices=choices)
    return _("Invalid value for {param_hint}: {message}").format(param_hint=f"'{option}'", message=message)


@pytest.mark.parametrize("args, problem", [
    (["solve", "--bogus"], lambda: _("No such option {name!r}.").format(name="--bogus")),  # an option no command has
    (["sovle"], lambda: _("No such command {name!r}.").format(name="sovle")),  # a misspelt command
    (["calendar", "--view", "week"], lambda: not_offered("--view", "week", "'list', 'month'")),  # a choice not offered
])
def test_a_usage_error_is_chinese_by_default_and_exits_2(args, problem):
    result = run(*args)
    assert result.exit_code == 2
    assert _("Error: {message}").format(message=problem()) in result.output
    command = " ".join(["assign", *args[:1]]) if args[0] != "sovle" else "assign"
    assert _("Try '{command} {option}' for help.").format(command=command, option="--help") in result.output
    set_language("en")
    assert "Error: " not in result.output and "Usage:" not in result.output


def test_a_usage_error_is_english_with_lang_en():
    result = run("--lang", "en", "solve", "--bogus")
    assert result.exit_code == 2
    set_language("en")
    assert _("Error: {message}").format(message=_("No such option {name!r}.").format(name="--bogus")) in result.output


@pytest.mark.parametrize("name, command", list(every_command()), ids=[name for name, _command in every_command()])
def test_every_command_and_option_help_has_its_chinese(name, command):
    chinese = translations("zh")
    texts = [command.help_msgid] + [p.help for p in command.params if getattr(p, "help", None)]
    assert command.help_msgid, f"{name} has no help"
    untranslated = [text for text in texts if chinese.gettext(text) == text]
    assert not untranslated, f"{name}: help not marked with N_() or not translated: {untranslated}"


def click_strings() -> set[str]:
    """Every string literal in click's modules that translate their words."""
    found = set()
    for name in CLICK_MODULES:
        tree = ast.parse(inspect.getsource(importlib.import_module(name)))
        found |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return found


def test_the_click_messages_we_translate_are_click_own_words():
    strings = click_strings()
    set_language("en")  # the messages as written, in English
    listed = list(CLICK_MESSAGES) + list(click_plurals(1)) + list(click_plurals(2))
    assert [text for text in listed if text not in strings] == []


def test_click_says_its_words_in_chinese_by_default():
    chinese = translations("zh")
    untranslated = [text for text in CLICK_MESSAGES if chinese.gettext(text) == text]
    assert untranslated == []
    assert click.core._("Usage:") == _("Usage:") != "Usage:"
