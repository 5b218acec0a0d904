"""The HTML report: one self-contained file, small, with a map that has one mark per school and one
line per pair, and a side panel that answers a click; checked in headless Chromium for the demo.

The demo part depends on the demo's data on purpose: the issue's "done when" is about the demo.
The browser test drives Debian's chromium through its own chromedriver (selenium is told both
paths, so it downloads nothing); `./dev.sh test` installs both when it runs as root with apt-get.
It is skipped, saying why, only where they are not installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import chromium_browser, hand_plan, make_scenario, researcher, school

from assign.analysis.report_inputs import ReportInputs, gather
from assign.cli import main
from assign.export.report import render_report, write_report
from assign.export.report_data import map_layout

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo-county" / "scenario.yaml"
ARTIFACTS = ROOT / "out" / "test-artifacts"  # out/ is gitignored: screenshots stay on the machine
# Anything the page could fetch: src/href/url()/@import/fetch pointing at http(s) or a protocol-relative URL.
REMOTE = re.compile(r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//"""
                    r"""|@import|fetch\(|XMLHttpRequest""", re.I)


def _count(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


# ---------------------------------------------------------------------------------------- tiny county
def tiny(tmp_path):
    """Two researchers, three schools (urban, town, rural), no calendar."""
    return make_scenario(
        tmp_path / "tiny",
        [researcher("R1", "张三", subjects="数学", max_schools=1), researcher("R2", "李四", subjects="语文", min_schools=2)],
        [school("U1", "城关小学", area="城区", township="城关街道", priority=2),
         school("T1", "镇中心小学", area="镇区", township="河口镇", dlon=0.03),
         school("V1", "河口村小", area="乡村", township="河口镇", dlon=0.06, dlat=0.02, priority=3)],
        {"stage_match": {}, "school_count": {"min": 1, "max": 2}, "urban_rural_mix": {}, "coverage": {}, "travel": {}},
        name="小县测试",
    )


def test_report_of_a_scenario_draws_one_mark_per_school_and_one_line_per_pair(tmp_path):
    inputs = gather(tiny(tmp_path), workers=1, seed=0)
    html = render_report(inputs)
    assert _count(html, r'<circle class="school"') == 3
    assert _count(html, r'<line class="pair ') == len(inputs.plan.pairs) == 3
    assert _count(html, r'class="pair-removed') == 0
    # Colour by area, size by priority: the weak rural school is the biggest, green mark.
    assert re.search(r'data-school="V1" data-area="乡村" data-priority="3"[^>]*r="8" fill="#27ae60"', html)
    assert "没有日历" in html  # no calendar section: the month view says so instead
    assert not REMOTE.search(html)


def test_a_what_if_draws_added_and_removed_pairs_differently(tmp_path):
    inputs = gather(tiny(tmp_path), workers=1, seed=0)
    problem = inputs.problem
    base = hand_plan(problem, [("R1", "U1"), ("R2", "V1")])  # the plan in force: R2 had only V1, R1 had U1
    now = hand_plan(problem, [("R1", "T1"), ("R2", "V1"), ("R2", "U1")])
    html = render_report(ReportInputs(problem, now, base=base, base_problem=problem))
    assert _count(html, r'<line class="pair ') == 3  # the plan's own pairs, kept or added
    assert _count(html, r'<line class="pair kept"') == 1
    assert _count(html, r'<line class="pair added"') == 2
    assert _count(html, r'<line class="pair-removed removed" data-researcher="R1" data-school="U1"') == 1
    assert 'id="changes"' in html and "+2 新增联系" in html and "−1 取消联系" in html


def test_schools_and_bases_given_by_road_node_are_placed_at_the_node(tmp_path):
    from test_roads import write_scenario  # S1 on node A, S2 on node B, S3 by lon/lat; R2's base is node B; the office node O

    inputs = gather(write_scenario(tmp_path), workers=1, seed=0)
    layout = map_layout(inputs.problem, inputs.plan, inputs.node_coords)
    assert layout.unplaced == [] and set(layout.schools) == {"S1", "S2", "S3"}
    # Nodes O, A, B lie on one parallel, 0.1° apart: same y, equal steps in x.
    (ox, oy), (ax, ay), (bx, by) = layout.office, layout.schools["S1"], layout.schools["S2"]
    assert oy == ay == by and abs((ax - ox) - (bx - ax)) <= 0.2 and ax > ox  # positions are rounded to 0.1
    assert layout.bases == {"B": (bx, by)}
    starts = {line.researcher_id: line.start for line in layout.lines}
    assert starts["R1"] == layout.office and starts["R2"] == (bx, by)
    html = render_report(inputs)
    assert _count(html, r'<rect class="base" data-base="B"') == 1 and _count(html, r'<line class="pair ') == len(inputs.plan.pairs)


def test_english_labels_on_request(tmp_path):
    inputs = gather(tiny(tmp_path), workers=1, seed=0)
    html = render_report(inputs, lang="en")
    assert '<html lang="en">' in html and ">Key figures<" in html and ">Roster<" in html and ">rural<" in html


def test_cli_reports_a_saved_plan_with_its_scenario_and_refuses_without_it(tmp_path):
    scenario = tiny(tmp_path)
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(scenario), "-o", str(tmp_path / "out"), "--workers", "1", "-q"], catch_exceptions=False)
    assert solved.exit_code == 0, solved.output
    plan = tmp_path / "out" / "plan.json"
    refused = runner.invoke(main, ["report", str(plan), "-o", str(tmp_path / "r.html")], catch_exceptions=False)
    assert refused.exit_code == 1 and "--scenario" in refused.output
    made = runner.invoke(main, ["report", str(plan), "--scenario", str(scenario), "-o", str(tmp_path / "r.html"), "--base", str(plan)],
                         catch_exceptions=False)
    assert made.exit_code == 0, made.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert _count(html, r'<line class="pair kept"') == 3 and "与基准方案相同" in html
    assert not list(tmp_path.glob(".r.html.*.part"))  # written atomically


# ---------------------------------------------------------------------------------------- the demo county
@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    inputs = gather(DEMO, workers=1, seed=0)
    assert inputs.plan.solved and inputs.visits is not None and inputs.visits.solved
    assert inputs.plan.findings == [] and inputs.visits.findings == []  # the demo audits clean
    path = write_report(inputs, tmp_path_factory.mktemp("report") / "report.html")
    return inputs, path


def test_demo_report_is_small_and_needs_no_network(demo_report):
    inputs, path = demo_report
    html = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 2 * 1024 * 1024
    assert not REMOTE.search(html), REMOTE.search(html).group(0)
    assert "<link" not in html and "<script src" not in html and "<img" not in html
    assert _count(html, r'<circle class="school"') == len(inputs.problem.schools)
    assert _count(html, r'<line class="pair ') == len(inputs.plan.pairs)
    assert _count(html, r'<table class="month">') == 5  # 2026秋: September to January
    assert sum(int(n) for n in re.findall(r'data-visits="(\d+)"', html)) == sum(len(v.days) for v in inputs.visits.visits)
    assert '<td class="off" data-date="2026-10-01">' in html  # National Day is greyed as a day off
    assert "off busy" not in html  # and no visit falls on a day off


def test_demo_report_in_headless_chromium(demo_report, capsys):
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    inputs, path = demo_report
    plan, problem = inputs.plan, inputs.problem
    driver, profile = chromium_browser()
    try:
        driver.get_log("performance")  # drop what the start-up tab loaded: only the report's own requests count
        driver.get(path.as_uri())
        assert driver.execute_script("return document.readyState") == "complete"
        marks = driver.find_elements(By.CSS_SELECTOR, "#county-map circle.school")
        lines = driver.find_elements(By.CSS_SELECTOR, "#county-map line.pair")
        assert len(marks) == len(problem.schools) == len({m.get_attribute("data-school") for m in marks})
        assert len(lines) == len(plan.pairs)
        assert {(line.get_attribute("data-researcher"), line.get_attribute("data-school")) for line in lines} == plan.pair_set()

        # Click a school that has researchers and whose mark is on top at its centre (marks overlap in town).
        researchers_of = plan.researchers_of()
        target = driver.execute_script("""
            const wanted = new Set(arguments[0]);
            for (const c of document.querySelectorAll('#county-map circle.school')) {
              if (!wanted.has(c.dataset.school)) continue;
              c.scrollIntoView({block: 'center'});
              const r = c.getBoundingClientRect();
              if (document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c) return c.dataset.school;
            }
            return null;""", sorted(researchers_of))
        assert target is not None
        driver.find_element(By.CSS_SELECTOR, f'#county-map circle[data-school="{target}"]').click()
        heading = driver.find_element(By.CSS_SELECTOR, "#panel h3")
        assert heading.get_attribute("data-id") == target and heading.text == problem.school[target].name
        shown = [li.get_attribute("data-researcher") for li in driver.find_elements(By.CSS_SELECTOR, "#panel ul.researchers li")]
        assert sorted(shown) == sorted(researchers_of[target])
        assert problem.researcher[shown[0]].name in driver.find_element(By.ID, "panel").text

        # A researcher in the panel shows their schools and one-way minutes.
        rid = shown[0]
        driver.find_element(By.CSS_SELECTOR, f'#panel a[data-show="researcher"][data-id="{rid}"]').click()
        items = driver.find_elements(By.CSS_SELECTOR, "#panel ul.schools li")
        assert sorted(li.get_attribute("data-school") for li in items) == sorted(plan.schools_of()[rid])
        minutes = {a.school_id: a.minutes for a in plan.pairs if a.researcher_id == rid}
        for li in items:
            assert f"{minutes[li.get_attribute('data-school')]:g}" in li.text
        assert len(driver.find_elements(By.CSS_SELECTOR, "#county-map line.hl")) == len(minutes)

        # The researcher picker does the same for anyone, with or without a line one can hit.
        other = next(r.id for r in problem.researchers if r.id != rid and plan.schools_of().get(r.id))
        Select(driver.find_element(By.ID, "pick-researcher")).select_by_value(other)
        assert driver.find_element(By.CSS_SELECTOR, "#panel h3").get_attribute("data-id") == other

        # The subject filter leaves only the lines of researchers who teach it.
        Select(driver.find_element(By.ID, "filter-subject")).select_by_value("数学")
        visible = [line for line in driver.find_elements(By.CSS_SELECTOR, "#county-map line.pair") if "hidden" not in line.get_attribute("class")]
        assert len(visible) == sum(1 for a in plan.pairs if "数学" in problem.researcher[a.researcher_id].subjects) > 0
        Select(driver.find_element(By.ID, "filter-subject")).select_by_value("")

        # Clicking a roster header sorts by that column (单程时间, numeric).
        driver.find_element(By.CSS_SELECTOR, "table.sortable th:nth-child(8)").click()
        column = [float(td.text) for td in driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody td:nth-child(8)") if td.text]
        assert column == sorted(column)

        # No network: every request the browser made, and every resource the page loaded, is the file itself or inline.
        driver.execute_script("window.scrollTo(0, 0)")  # the sticky header would cover the map after the roster
        driver.find_element(By.CSS_SELECTOR, f'#county-map circle[data-school="{target}"]').click()
        requests = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
        sent = [m["params"] for m in requests if m["method"] == "Network.requestWillBeSent"]
        # The browser's own pages (chrome://, the start-up tab) may load their resources; nothing may leave the machine.
        assert not [p["request"]["url"] for p in sent if p["request"]["url"].startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
        own = [p["request"]["url"] for p in sent if p.get("documentURL") == path.as_uri()]
        assert path.as_uri() in own and all(u.startswith(("file:", "data:")) for u in own), own
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(u.startswith(("file:", "data:")) for u in resources), resources

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "report-demo.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        shutil.copy(path, ARTIFACTS / "report-demo.html")
        with capsys.disabled():
            print(f"\n  report screenshot: {shot}  (report: {ARTIFACTS / 'report-demo.html'}, {path.stat().st_size / 1024:.0f} KB)")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
