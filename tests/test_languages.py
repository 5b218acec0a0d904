"""One language at a time: Chinese by default, English with `--lang en` or an English locale.

The expected sentences are built through the catalogs (`translations(lang).gettext`), never written
out, so these tests hold whatever the wording; each checks that the two languages differ, so a
message left untranslated (the same in both) fails here.
"""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from conftest import make_scenario, researcher, school

from assign.cli import main
from assign.kpi import kpi_label
from assign.locale import language, language_from_environment, translations

POLICIES = {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}}
LANGS = ["zh", "en"]


def said(lang: str, msgid: str, **values) -> str:
    """`msgid` as the user reads it in `lang`, its placeholders filled."""
    return translations(lang).gettext(msgid).format(**values)


def both(msgid: str, **values) -> dict[str, str]:
    """The message in each language; the two must differ, or the Chinese catalog lacks it."""
    texts = {lang: said(lang, msgid, **values) for lang in LANGS}
    assert texts["zh"] != texts["en"], f"no Chinese translation of {msgid!r}"
    return texts


def run(lang: str | None, *args: str, env: dict[str, str] | None = None):
    options = ["--lang", lang] if lang else []
    return CliRunner().invoke(main, [*options, *args], catch_exceptions=False, env=env)


def county(tmp_path, schools=None):
    """R1 needs an urban and a rural school; R2 one school."""
    return make_scenario(tmp_path / "county", [researcher("R1", "张三", min_schools=2), researcher("R2", "李四")],
                         schools or [school("U1", "城关小学", area="城区"), school("U2", "东街小学", area="城区", dlon=0.02),
                                     school("V1", "河口村小", area="乡村", dlon=0.03)], POLICIES)


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_table_is_reported_in_the_chosen_language_and_exits_1(tmp_path, lang):
    path = county(tmp_path, [school("U1", area="城区"), school("V1", area="城中村")])
    result = run(None if lang == "zh" else "en", "solve", str(path), "--no-write")
    assert result.exit_code == 1
    prefix = both("error: {message}", message="")[lang]
    assert result.stderr.startswith(prefix)
    assert both("row {row}", row=3)[lang] in result.stderr and both("column {column}", column="area")[lang] in result.stderr
    assert "'城中村'" in result.stderr  # the value as written, in either language
    other = "en" if lang == "zh" else "zh"
    assert said(other, "row {row}", row=3) not in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_the_kpi_block_is_labelled_in_the_chosen_language(tmp_path, lang):
    result = run(lang, "solve", str(county(tmp_path)), "--no-write", "-q")
    assert result.exit_code == 0, result.output
    for key in ("researchers", "schools_covered", "travel_total"):
        assert kpi_label(key, "zh") != kpi_label(key, "en")
        assert kpi_label(key, lang) in result.stdout
    assert both("solver status")[lang] in result.stdout
    assert both("audit: every policy checked the plan on its own; no findings")[lang] in result.stdout
    assert language() == lang  # the option set the language of the whole command


@pytest.mark.parametrize("lang", LANGS)
def test_a_policy_finding_of_a_checked_roster_is_told_in_the_chosen_language(tmp_path, lang):
    path = county(tmp_path)
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as fp:  # R1 with one school breaks school_count.min
        csv.writer(fp).writerows([["教研员", "联系学校"], ["张三", "城关小学"], ["李四", "东街小学"]])
    result = run(lang, "check", str(path), str(roster), "--no-optimum")
    assert result.exit_code == 4, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("  - [")]
    assert lines and all(line.startswith(f"  - [{both('violation')[lang]}]") for line in lines if "张三" in line)
    errors = sum(1 for line in lines if "张三" in line)
    assert errors >= 1
    assert both("audit findings: {n}", n=len(lines))[lang] in result.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_an_infeasible_scenario_says_why_in_the_chosen_language(tmp_path, lang):
    # A 高中 researcher in a county of primary schools.
    path = make_scenario(tmp_path / "bad", [researcher("R1", stages="高中")], [school("S1"), school("S2")], POLICIES)
    result = run(lang, "solve", str(path), "--no-write")
    assert result.exit_code == 3
    assert both("no plan: status {status}.", status="INFEASIBLE")[lang] in result.stderr
    assert both("The policies cannot all be met together.")[lang] in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_explain_speaks_the_chosen_language_and_names_terms_by_their_words(tmp_path, lang):
    result = run(lang, "explain", str(county(tmp_path)), "张三")
    assert result.exit_code == 0, result.output
    assert both("what the pair earns (+ better / − worse, against the plan without it):")[lang] in result.stdout
    assert both("held in place by (dropping it would break):")[lang] in result.stdout
    # A term is shown by the words its policy gives it, not by its dotted name.
    assert "coverage.schools" not in result.stdout and "travel.total_minutes" not in result.stdout


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "zh"),  # nothing set: Chinese
    ({"LANG": "C.UTF-8"}, "zh"),  # a bare server's locale
    ({"LANG": "zh_CN.UTF-8"}, "zh"),  # a Chinese desktop
    ({"LANG": "en_US.UTF-8"}, "en"),  # an English desktop
    ({"LANGUAGE": "en_GB:en", "LANG": "zh_CN.UTF-8"}, "en"),  # LANGUAGE comes before LANG, as in gettext
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL before LANG
    ({"ASSIGN_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),  # our own variable first
    ({"ASSIGN_LANG": "en"}, "en"),  # … in either direction
    ({"LANG": ""}, "zh"),  # set but empty: as if unset
])
def test_the_environment_chooses_the_language_when_no_option_does(environ, expected):
    assert language_from_environment(environ) == expected


def test_an_english_locale_makes_the_command_english_and_the_option_wins_over_it(tmp_path):
    path = county(tmp_path, [school("U1", area="城区"), school("V1", area="城中村")])
    english = run(None, "validate", str(path), env={"LANG": "en_US.UTF-8"})
    chinese = run("zh", "validate", str(path), env={"LANG": "en_US.UTF-8"})
    assert english.stderr.startswith(both("error: {message}", message="")["en"])
    assert chinese.stderr.startswith(both("error: {message}", message="")["zh"])
