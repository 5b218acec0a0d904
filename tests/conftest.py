"""Shared helpers: tiny named scenarios written into tmp_path.

A scenario is made of dicts, one per table row, with English headers. Schools are placed by
offsets from the office (`dlon`, `dlat`, in degrees): at latitude 34.5 one hundredth of a degree
of longitude is about 0.92 km, i.e. about 1.8 min with the default travel model
(great-circle km × 1.3 ÷ 40 km/h × 60).

Test modules import these helpers with `from conftest import ...`: pytest puts this folder on
sys.path (tests/ is not a package; adding an __init__.py would change that).
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from assign.load import load_scenario
from assign.locale import DEFAULT_LANGUAGE, ENVIRONMENT, set_language
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.passes import solve

# The `county` fixture of the km-placed helpers (km_county.py), for the policy-catalogue tests.
pytest_plugins = ["km_county"]

# The browser tests (the report, the web page) drive Debian's chromium through its own chromedriver.
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1400,1000"]

OFFICE_LON, OFFICE_LAT = 112.5, 34.5


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    """Every test starts in the default language (Chinese), whatever the machine's locale says, and
    leaves it so: a test that switches to English (`--lang en`, `set_language`) cannot leak it."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture
def english(monkeypatch):
    """Messages in English for this test, commands run through the CLI included (ASSIGN_LANG): for the
    tests that read English words of a message; the language goes back to Chinese after it."""
    monkeypatch.setenv("ASSIGN_LANG", "en")
    set_language("en")
    yield
    set_language(DEFAULT_LANGUAGE)

RESEARCHER_HEADERS = ["id", "name", "subjects", "stages", "kind", "base", "min_schools", "max_schools",
                      "current_schools", "since", "avoid_schools", "unavailable"]
SCHOOL_HEADERS = ["id", "name", "stages", "area", "township", "lon", "lat", "priority", "ownership",
                  "central", "subjects_needed", "max_researchers", "blackout", "research_days"]


def researcher(rid: str, name: str | None = None, subjects: str = "数学", stages: str = "小学", **extra: Any) -> dict:
    """One row of researchers.csv; `extra` fills any other column (min_schools=2, kind='兼职', ...)."""
    return {"id": rid, "name": name or f"教研员{rid}", "subjects": subjects, "stages": stages, **extra}


def school(sid: str, name: str | None = None, stages: str = "小学", area: str = "城区", dlon: float = 0.01, dlat: float = 0.0, **extra: Any) -> dict:
    """One row of schools.csv, placed `dlon`/`dlat` degrees from the office.

    `priority` is written (default 1) so every fixture shows its schools' priorities explicitly.
    """
    extra.setdefault("priority", 1)
    return {"id": sid, "name": name or f"学校{sid}", "stages": stages, "area": area,
            "lon": round(OFFICE_LON + dlon, 6), "lat": round(OFFICE_LAT + dlat, 6), **extra}


def _write_csv(path: Path, headers: list[str], rows: list[dict]) -> None:
    """Only the columns some row uses, known ones in table order, then any others."""
    used = {k for row in rows for k in row}
    extra = [k for row in rows for k in row if k not in headers]
    headers = [h for h in headers if h in used] + list(dict.fromkeys(extra))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})


def make_scenario(tmp_path: Path, researchers: list[dict], schools: list[dict], policies: dict | None = None, **scenario_keys: Any) -> Path:
    """Write researchers.csv, schools.csv and scenario.yaml into tmp_path; return the scenario path.

    Rows may be plain dicts or built with `researcher()` / `school()` (which accept dlon/dlat
    offsets). `scenario_keys` are top-level scenario sections (name, objective, solver, travel …).
    """
    tmp_path.mkdir(parents=True, exist_ok=True)
    _write_csv(tmp_path / "researchers.csv", RESEARCHER_HEADERS, researchers)
    _write_csv(tmp_path / "schools.csv", SCHOOL_HEADERS, schools)
    data = {
        "name": scenario_keys.pop("name", "测试方案"),
        "office": scenario_keys.pop("office", {"name": "测试县教研室", "lon": OFFICE_LON, "lat": OFFICE_LAT}),
        "data": {"researchers": "researchers.csv", "schools": "schools.csv"},
        "policies": policies if policies is not None else {},
        "solver": scenario_keys.pop("solver", {"workers": 1, "seed": 0, "time_limit": 10}),
        **scenario_keys,
    }
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(tmp_path: Path, researchers: list[dict], schools: list[dict], policies: dict | None = None, **scenario_keys: Any) -> Problem:
    """make_scenario, then load it: the Problem of a tiny named fixture."""
    return load_scenario(make_scenario(tmp_path, researchers, schools, policies, **scenario_keys))


def solve_det(problem: Problem, **options: Any) -> Plan:
    """Every test solve: one worker, seed 0 (deterministic)."""
    return solve(problem, workers=1, seed=0, **options)


def hand_plan(problem: Problem, pairs: list[tuple[str, str]], **fields: Any) -> Plan:
    """A plan made by hand (no solver), to feed a policy's audit pairs the model would never make."""
    values = {**problem.plan_header(), "mode": "lexicographic", "status": "OPTIMAL", **fields}
    return Plan(pairs=problem.assignments(pairs), **values)


def audit_errors(plan: Plan) -> list:
    """The findings that are violations: not warnings, not exceptions the plan was granted."""
    return [f for f in plan.findings if f.severity == "error"]


def uncovered_warnings(plan: Plan) -> dict[str, str]:
    """School id → reason of each priority school the plan leaves without a researcher (the host's warning)."""
    return {f.schools[0]: f.note for f in plan.findings if f.policy == "uncovered"}


def policy(problem: Problem, name: str):
    """(policy object, its parsed params) of a policy the scenario uses."""
    use = next(u for u in problem.policies if u.name == name)
    return use.policy, use.params


def assert_no_plan(plan: Plan, status: str = "INFEASIBLE") -> None:
    """A solve that found no plan: a status with no pairs and no objective, not an exception.

    A plan without a solution is not audited: there are no pairs to check.
    """
    assert plan.status == status
    assert not plan.solved
    assert plan.pairs == []
    assert plan.objective is None and plan.bound is None and plan.gap is None
    assert plan.findings == []


def chromium_browser():
    """Headless Debian chromium driven by its own chromedriver (selenium downloads nothing), with the performance log on;
    skips the test, saying why, where they are not installed. Returns the driver and its profile folder (remove it after)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"Chromium is not installed ({CHROMIUM}, {CHROMEDRIVER}); `./dev.sh test` installs Debian's chromium and "
                    "chromium-driver when it runs as root with apt-get, which this machine could not do")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install -e '.[test]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="assign-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    # The performance log carries every request the page makes (Network.requestWillBeSent).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # The browser of a clerk in a Chinese office: the web page follows its Accept-Language.
    options.add_argument("--lang=zh-CN")
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    return driver, profile


@pytest.fixture
def language():
    """`set_language` for a test that switches the language of messages; the default comes back after it."""
    from assign.locale import DEFAULT_LANGUAGE, set_language

    yield set_language
    set_language(DEFAULT_LANGUAGE)
