"""The web application's JSON API through the HTTP client (FastAPI's TestClient): the demo county
uploaded, solved in a worker process, audited, downloaded, edited by hand; bad tables, the token, the
same-origin rule, upload limits and file names; the database's migrations.

The demo part depends on the demo's data on purpose: the issue's "done when" is about the demo.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import make_scenario, researcher, school
from fastapi.testclient import TestClient
from test_third_party_plugin import PACKAGE_DIR, install_metadata

from assign import locale
from assign.plan import Plan
from assign.web import db, projects
from assign.web.app import create_app
from assign.web.i18n import texts

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo-county"
TOKEN = "a-token-of-the-office-0123456789"
LOCAL = "http://127.0.0.1:8765"  # the address a local server answers to


def demo_files(**replace: bytes) -> dict:
    """The demo county's four tables as upload fields; `replace` gives a table other bytes."""
    return {role: (f"{role}.csv", replace.get(role, (DEMO / f"{role}.csv").read_bytes()), "text/csv")
            for role in ("researchers", "schools", "roads", "nodes")}


def wait_for(client: TestClient, run: int, limit: float = 120) -> dict:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        answer = client.get(f"/api/runs/{run}").json()
        if answer["status"] not in db.ACTIVE:
            return answer
        time.sleep(0.1)
    raise AssertionError(f"run {run} still {answer['status']} after {limit} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server over a fresh data folder, with the demo county uploaded and solved once."""
    data = tmp_path_factory.mktemp("web-data")
    with TestClient(create_app(data, slots=1), base_url=LOCAL) as client:
        created = client.post("/api/projects", files=demo_files(), data={"preset": "demo-county", "name": "示范县"})
        assert created.status_code == 201, created.text
        project = created.json()["id"]
        run = client.post(f"/api/projects/{project}/solve", json={"seed": 0}).json()["run"]
        yield client, data, project, wait_for(client, run)


def test_api_uploads_the_demo_solves_it_in_a_worker_and_audits_the_plan(served):
    client, data, project, run = served
    assert run["status"] == "done" and run["plan_status"] == "OPTIMAL" and all(p["status"] == "OPTIMAL" for p in run["passes"]), run["errors"]
    assert run["kpis"]["researchers"] == 46 and run["kpis"]["schools"] == 134
    assert run["inputs_hash"] and len(run["inputs_hash"]) == 64
    assert any("OPTIMAL" in line for line in run["progress"])
    # The policies' own audit of the plan found nothing (with the road table every priority school is within reach).
    assert run["findings"] == []
    assert set(run["files"]) == {"roster.xlsx", "roster.csv", "roster.md", "plan.json", "report.html"}
    # The demo's coverage passes are settled in the first pass's run: the page says so instead of "0.0 s".
    joined = [p for p in run["passes"] if p["joint_with"]]
    assert joined and all(p["run"] == 1 for p in joined)
    page = client.get(f"/runs/{run['run']}").text
    assert "与第 1 轮同时求解" in page or "with pass 1" in page
    listed = client.get(f"/api/projects/{project}").json()
    assert listed["name"] == "示范县" and [r["id"] for r in listed["runs"]] == [run["run"]]


def test_api_downloads_the_roster_workbook_and_the_plan(served):
    client, _, _, run = served
    xlsx = client.get(f"/api/runs/{run['run']}/files/roster.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    names = {cell.value for row in book.worksheets[0].iter_rows() for cell in row}
    assert "李建华" in names  # a researcher of the demo table
    plan = Plan.model_validate_json(client.get(f"/api/runs/{run['run']}/files/plan.json").content)
    assert plan.kpis == run["kpis"] and plan.status == run["plan_status"] == "OPTIMAL"
    assert len(plan.pairs) == run["kpis"]["contacts"]


@pytest.mark.parametrize("name", [
    "../assign.db",  # a path out of the run's folder
    "scenario.yaml",  # a file of the run's inputs, not an output
    "roster.xlsx/..",  # a path trick on an allowed name
])
def test_api_serves_only_the_run_files_by_name(served, name):
    client, _, _, run = served
    assert client.get(f"/api/runs/{run['run']}/files/{name}").status_code == 404


def test_api_hand_edit_gets_the_audit_verdict_of_the_check_engine(served):
    client, _, _, run = served
    plan = Plan.model_validate_json(client.get(f"/api/runs/{run['run']}/files/plan.json").content)
    held = plan.schools_of()
    allowed = client.get(f"/api/runs/{run['run']}/allowed").json()
    assert set(held["R001"]) <= set(allowed["R001"])
    same = client.post(f"/api/runs/{run['run']}/check", json={"change": {"R001": held["R001"]}}).json()
    assert same["violations"] == 0 and same["kpis"] == run["kpis"]
    # R002 teaches 语文 at a school where R001 (语文) already is: coverage's audit objects to two of one subject.
    doubled = held["R001"][0]
    edit = client.post(f"/api/runs/{run['run']}/check", json={"change": {"R002": [doubled]}}).json()
    assert edit["violations"] >= 1
    assert any(f["policy"] == "coverage" and "R002" in f["researchers"] and doubled in f["schools"] for f in edit["findings"])
    assert edit["solved_kpis"] == run["kpis"] and edit["kpis"] != run["kpis"]


def test_api_unknown_run_answers_the_error_shape_of_every_error(served):
    answer = served[0].get("/api/runs/9999")
    assert answer.status_code == 404
    assert answer.json()["problems"] == [{"file": None, "row": None, "column": None, "value": None, "expected": "no run 9999"}]
    assert served[0].get("/runs/9999").status_code == 404
    assert served[0].get("/api/no-such-thing").json()["problems"][0]["expected"] == "Not Found"
    assert served[0].get("/api/runs/abc").json()["problems"][0]["column"] == "path.run"


def test_api_check_names_unknown_ids(served):
    client, _, project, run = served
    answer = client.post(f"/api/runs/{run['run']}/check", json={"pairs": [["R001", "S003"], ["R999", "S001"]]})
    assert answer.status_code == 422
    assert answer.json()["problems"] == [{"file": "pairs", "row": 2, "column": None, "value": "R999→S001",
                                          "expected": "a researcher id and a school id of the project's tables"}]


def test_api_lists_presets_and_a_form_for_every_installed_policy(served):
    client = served[0]
    presets = {p["name"] for p in client.get("/api/presets").json()}
    assert {"demo-county", "shandong-county-notice", "office-system-1-2-schools-one-year"} <= presets
    forms = {f["name"]: f for f in client.get("/api/policies").json()}
    assert {"school_count", "max_travel", "coverage"} <= set(forms)
    minutes = next(x for x in forms["max_travel"]["fields"] if x["name"] == "minutes")
    assert minutes["default"] == "90" and minutes["description"] == locale._("longest one-way trip allowed, in minutes")
    per = next(x for x in forms["urban_rural_mix"]["fields"] if x["name"] == "per_researcher")
    assert per["kind"] == "select" and per["options"] == ["both", "off"]


def schools_with_bad_cells() -> bytes:
    """The demo's schools table with two bad cells in two rows: a 城乡类型 no office writes and a priority of 9."""
    lines = (DEMO / "schools.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    area, priority = header.index("城乡类型"), header.index("优先级")
    row2 = lines[1].split(",")
    row2[area] = "月球"
    row5 = lines[4].split(",")
    row5[priority] = "9"
    lines[1], lines[4] = ",".join(row2), ",".join(row5)
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_api_bad_table_answers_every_problem_with_file_row_and_column(served):
    client = served[0]
    answer = client.post("/api/projects", files=demo_files(schools=schools_with_bad_cells()), data={"preset": "demo-county"})
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert {(p["file"], p["row"], p["column"]) for p in problems} == {("schools.csv", 2, "城乡类型"), ("schools.csv", 5, "优先级")}
    assert {p["value"] for p in problems} == {"月球", "9"}
    # The project is kept: the fixed table uploaded again clears the problems.
    project = answer.json()["id"]
    fixed = client.post(f"/api/projects/{project}/files", files={"schools": ("schools.csv", (DEMO / "schools.csv").read_bytes())})
    assert fixed.status_code == 200 and fixed.json()["problems"] == []


def test_api_refuses_to_solve_a_project_with_problems(served):
    client = served[0]
    project = client.post("/api/projects", files=demo_files(schools=schools_with_bad_cells()), data={"preset": "demo-county"}).json()["id"]
    answer = client.post(f"/api/projects/{project}/solve")
    assert answer.status_code == 422 and len(answer.json()["problems"]) == 2


@pytest.mark.parametrize("filename, field", [
    ("../../escape.csv", "researchers"),  # a path in the file name
    ("/etc/cron.d/x.csv", "researchers"),  # an absolute path
    ("..\\..\\evil.csv", "researchers"),  # a Windows path
])
def test_api_upload_names_never_become_paths(served, filename, field):
    client, data = served[0], served[1]
    files = demo_files()
    files[field] = (filename, (DEMO / f"{field}.csv").read_bytes(), "text/csv")
    answer = client.post("/api/projects", files=files, data={"preset": "demo-county"})
    assert answer.status_code == 201, answer.text
    tables = projects.project_dir(data, answer.json()["id"]) / "tables"
    assert sorted(p.name for p in tables.iterdir()) == ["nodes.csv", "researchers.csv", "roads.csv", "schools.csv"]
    assert not list(data.parent.glob("escape.csv")) and not list(data.parent.glob("evil.csv"))
    assert client.get(f"/api/projects/{answer.json()['id']}").json()["files"][field]["name"] == filename


@pytest.mark.parametrize("upload, expected", [
    (("researchers.txt", b"x"), "the researchers table as .csv or .xlsx"),  # not a table's suffix
    (("scenario.yaml", b"extends: /etc/passwd\n"), "not taken on the web page: upload the tables themselves"),  # a server path
    (("scenario.yaml", b"calendar: {holiday_file: ../../x.yaml}\n"), "not taken on the web page: the package's holidays are used"),
])
def test_api_refuses_uploads_that_would_name_server_files(served, english, upload, expected):
    client = served[0]
    files = demo_files()
    role = "researchers" if upload[0].startswith("researchers") else "scenario"
    files[role] = upload
    answer = client.post("/api/projects", files=files)
    assert answer.status_code == 422
    assert [p["expected"] for p in answer.json()["problems"]] == [expected]


def test_api_refuses_a_table_over_the_upload_limit(served, monkeypatch):
    client = served[0]
    monkeypatch.setitem(projects.UPLOAD_LIMITS, "roads", 1000)
    answer = client.post("/api/projects", files=demo_files(), data={"preset": "demo-county"})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["file"] == "roads.csv" and "more than 1,000 bytes" in answer.json()["problems"][0]["expected"]


def test_api_rules_are_validated_by_each_policys_params(served):
    client, _, project, _ = served
    bad = client.post(f"/api/projects/{project}/rules", json={"policies": {"school_count": {"min": 3, "max": 2}, "no_such_rule": {}}})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["column"] == "no_such_rule"


def test_posts_from_another_site_are_refused(served):
    client, _, project, _ = served
    answer = client.post(f"/api/projects/{project}/solve", headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403
    assert client.post("/projects", headers={"Origin": "null"}).status_code == 403


def test_a_local_server_answers_only_to_local_host_names(served):
    client = served[0]
    assert client.get("/api/presets", headers={"Host": "attacker.example"}).status_code == 421
    assert client.get("/api/presets", headers={"Host": "127.0.0.1:8765"}).status_code == 200


@pytest.mark.parametrize("how, status", [
    ({}, 401),  # no token at all
    ({"headers": {"X-Assign-Token": "wrong-token-wrong-token"}}, 401),  # a wrong token
    ({"headers": {"X-Assign-Token": TOKEN}}, 200),  # the header scripts send
    ({"headers": {"Authorization": f"Bearer {TOKEN}"}}, 200),  # a bearer token
    ({"params": {"token": TOKEN}}, 200),  # the address `assign serve` prints
])
def test_a_server_beyond_this_machine_needs_the_token(tmp_path, how, status):
    with TestClient(create_app(tmp_path, token=TOKEN, host="0.0.0.0"), base_url="http://192.0.2.1:8765") as client:
        assert client.get("/api/projects", **how).status_code == status


def test_the_token_in_the_address_is_kept_as_a_cookie_for_the_pages(tmp_path):
    with TestClient(create_app(tmp_path, token=TOKEN, host="0.0.0.0"), base_url="http://192.0.2.1:8765") as client:
        assert client.get("/", params={"token": TOKEN}).status_code == 200
        assert client.get("/api/projects").status_code == 200


def test_database_migrates_to_the_latest_version_once(tmp_path):
    con = db.connect(tmp_path)
    assert db.schema_version(con) == len(db.MIGRATIONS)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    again = db.connect(tmp_path)  # a second open applies nothing and keeps one version row
    assert again.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
    again.execute("UPDATE schema_version SET version = 99")
    again.close()
    with pytest.raises(RuntimeError, match="newer than this program"):
        db.connect(tmp_path)


def test_a_restart_marks_runs_left_running_as_interrupted(tmp_path):
    con = db.connect(tmp_path)
    project = db.create_project(con, "示范县", "demo-county")
    left = db.create_run(con, project, {}, "")
    assert db.claim(con, left)
    con.close()
    with TestClient(create_app(tmp_path, slots=1), base_url=LOCAL) as client:
        assert client.get(f"/api/runs/{left}").json()["status"] == "interrupted"
        assert client.get("/api/projects").json()[0]["name"] == "示范县"
    raw = sqlite3.connect(tmp_path / db.DB_NAME)
    assert raw.execute("SELECT status FROM runs WHERE id = ?", (left,)).fetchone()[0] == "interrupted"


def test_api_resolves_around_a_pinned_pair_and_audits_it(served):
    client, _, _, run = served
    plan = Plan.model_validate_json(client.get(f"/api/runs/{run['run']}/files/plan.json").content)
    allowed = client.get(f"/api/runs/{run['run']}/allowed").json()
    # A school the solved plan does not give R001, though the rules allow it.
    other = next(s for s in allowed["R001"] if s not in plan.schools_of()["R001"])
    again = client.post(f"/api/runs/{run['run']}/resolve", json={"pins": {"R001": [other]}})
    assert again.status_code == 202
    done = wait_for(client, again.json()["run"])
    assert done["status"] == "done" and done["settings"]["pins"] == [["R001", other]]
    pinned = Plan.model_validate_json(client.get(f"/api/runs/{done['run']}/files/plan.json").content)
    assert ("R001", other) in pinned.pair_set()
    assert [f for f in done["findings"] if f["severity"] == "error"] == []


def test_api_refuses_a_pin_the_rules_do_not_allow(served):
    client, _, _, run = served
    allowed = client.get(f"/api/runs/{run['run']}/allowed").json()
    forbidden = next(s for s in (f"S{i:03d}" for i in range(1, 135)) if s not in allowed["R001"])
    answer = client.post(f"/api/runs/{run['run']}/resolve", json={"pins": {"R001": [forbidden]}})
    assert answer.status_code == 422
    assert answer.json()["problems"] == [{"file": "pins", "row": None, "column": "R001", "value": forbidden,
                                          "expected": "a school the rules allow this researcher"}]


def test_api_schedules_a_term_of_the_calendar_and_serves_its_ics_files(served):
    client, _, _, run = served
    assert run["calendar_terms"] == ["2026秋", "2027春"]
    queued = client.post(f"/api/runs/{run['run']}/calendar", json={"term": "2026秋"})
    assert queued.status_code == 202
    done = wait_for(client, queued.json()["run"])
    assert done["status"] == "done" and done["plan_status"] in ("OPTIMAL", "FEASIBLE"), done["errors"]
    # The visit rules' own audit of the term's visits found nothing.
    assert [f for f in done["findings"] if f["severity"] == "error"] == []
    assert done["visits"] >= 2 * run["kpis"]["contacts"] and "2026年9月" in done["month_grid"]
    assert {"ics/office.ics", "visits.xlsx", "visits.csv"} <= set(done["calendar_files"])
    assert any(name.startswith("ics/researchers/") for name in done["calendar_files"])
    office = client.get(f"/api/runs/{done['run']}/calendar/ics/office.ics")
    assert office.status_code == 200 and office.text.startswith("BEGIN:VCALENDAR")
    assert client.get(f"/api/runs/{done['run']}/calendar/..%2F..%2F..%2Fassign.db").status_code == 404  # only names the run wrote
    assert client.post(f"/api/runs/{run['run']}/calendar", json={"term": "2099冬"}).status_code == 422


def test_api_what_if_replans_from_the_plan_in_force_and_compares(served):
    client, _, _, run = served
    plan = Plan.model_validate_json(client.get(f"/api/runs/{run['run']}/files/plan.json").content)
    gone = "R003"
    queued = client.post(f"/api/runs/{run['run']}/whatif", json={"edits": {"researchers": {"remove": [gone]}}})
    assert queued.status_code == 202, queued.text
    done = wait_for(client, queued.json()["run"])
    # A re-plan's pass hands on once within the pass gap of its bound: proven, or FEASIBLE that close.
    assert done["status"] == "done" and done["plan_status"] in ("OPTIMAL", "FEASIBLE"), done["errors"]
    assert [f for f in done["findings"] if f["severity"] == "error"] == []
    comparison = done["comparison"]
    assert set(map(tuple, comparison["dropped"])) >= {(gone, s) for s in plan.schools_of()[gone]}
    assert comparison["kept"] + len(comparison["dropped"]) == len(plan.pairs)
    assert any(gone in ch["researcher"] or ch["after"] == [] for ch in comparison["changes"])
    assert {"comparison.md", "comparison.xlsx", "roster.xlsx"} <= set(done["files"])
    assert gone not in {p.researcher_id for p in Plan.model_validate_json(client.get(f"/api/runs/{done['run']}/files/plan.json").content).pairs}


@pytest.mark.parametrize("change, column", [
    ({"edits": {"researchers": {"remove": ["R999"]}}}, "edits.researchers.remove"),  # an id the table lacks
    ({"data": {"researchers": "/etc/passwd"}}, "data"),  # a key that names a file
    ({}, None),  # no change at all
])
def test_api_what_if_refuses_a_change_it_cannot_make(served, change, column):
    client, _, _, run = served
    answer = client.post(f"/api/runs/{run['run']}/whatif", json=change)
    assert answer.status_code == 422
    problem = answer.json()["problems"][0]
    assert problem["column"] == column or (column and column in (problem["column"] or "")), problem


@pytest.mark.parametrize("lang, words", [
    ("zh", ["求解记录", "指标", "手工调整", "假如"]),  # Chinese by default
    ("en", ["Runs", "KPIs", "Edit by hand", "What if"]),  # English on request
])
def test_every_page_renders_in_the_language_asked(served, lang, words):
    client, _, project, run = served
    pages = ["/", f"/projects/{project}", f"/runs/{run['run']}", f"/runs/{run['run']}/edit?researcher=R002"]
    texts = []
    for path in pages:
        answer = client.get(path, params={"lang": lang})
        assert answer.status_code == 200, (path, answer.text[:500])
        texts.append(answer.text)
    whole = "\n".join(texts)
    assert all(word in whole for word in words), [w for w in words if w not in whole]
    client.cookies.clear()


@pytest.mark.parametrize("headers, environment, lang", [
    ({}, {}, "zh"),  # nothing said: Chinese
    ({"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"}, {}, "en"),  # an English browser
    ({"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, {"ASSIGN_LANG": "en"}, "zh"),  # the browser before the server's default
    ({"Accept-Language": "fr-FR"}, {"ASSIGN_LANG": "en"}, "en"),  # a language the page lacks: the server's default
])
def test_without_lang_the_page_follows_the_browser_then_the_servers_default(served, monkeypatch, headers, environment, lang):
    client = served[0]
    client.cookies.clear()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    page = client.get("/", headers=headers).text
    assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    assert texts(lang)["projects"] in page


def test_a_page_form_with_bad_rules_shows_every_problem(served):
    client, _, project, _ = served
    form = {"use.school_count": "on", "school_count.min": "3", "school_count.max": "2", "use.max_travel": "on", "max_travel.minutes": "-5"}
    answer = client.post(f"/projects/{project}/rules", data=form)
    assert answer.status_code == 422
    assert "max_travel.minutes" in answer.text and "school_count" in answer.text and 'id="problem-table"' in answer.text


def test_a_third_party_policy_gets_a_form_from_its_params(tmp_path, monkeypatch):
    install_metadata(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(PACKAGE_DIR))
    with TestClient(create_app(tmp_path / "data"), base_url=LOCAL) as client:
        forms = {f["name"]: f for f in client.get("/api/policies").json()}
    # The description in the user's language, from the plugin's own catalog (`locale._`: `_` is a throwaway name in this file).
    assert forms["private_limit"]["fields"] == [{"name": "max", "kind": "text", "default": "0", "options": [],
                                                 "description": locale._("most contacts with 民办 schools in the whole plan")}]


def test_an_uploaded_scenario_sets_the_rules_instead_of_a_preset(served):
    client, _, _, _ = served
    scenario = ("name: 上传的方案\noffice: {name: 示范县教研室, lon: 112.5, lat: 34.5}\ncontact_period: {start: 2026-09, years: 1}\n"
                "policies:\n  stage_match: {}\n  school_count: {min: 1, max: 1}\n").encode()
    files = {**{k: v for k, v in demo_files().items() if k in ("researchers", "schools")}, "scenario": ("mine.yaml", scenario, "text/yaml")}
    answer = client.post("/api/projects", files=files)
    assert answer.status_code == 201, answer.text
    project = client.get(f"/api/projects/{answer.json()['id']}").json()
    assert project["preset"] == "上传：mine.yaml"
    run = wait_for(client, client.post(f"/api/projects/{project['id']}/solve").json()["run"])
    # One school each (a researcher whose table row says otherwise keeps it: school_count's table_overrides).
    assert run["status"] == "done" and run["kpis"]["researchers_1"] >= 40 and run["kpis"]["contacts"] < 50
    assert [f for f in run["findings"] if f["severity"] == "error"] == []


def bad_workbook() -> bytes:
    """The demo's schools as an .xlsx with the two bad cells of `schools_with_bad_cells`."""
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(schools_with_bad_cells().decode("utf-8"))):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_bad_workbook_shows_every_problem_on_the_page(served):
    client = served[0]
    files = demo_files()
    files["schools"] = ("学校.xlsx", bad_workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    answer = client.post("/projects", files=files, data={"preset": "demo-county"}, follow_redirects=True)
    assert answer.status_code == 200 and "/projects/" in str(answer.url)
    table = answer.text.split('id="problem-table"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 2
    assert all("学校.xlsx" in row for row in rows), rows
    assert "城乡类型" in rows[0] and "月球" in rows[0] and "优先级" in rows[1]
    assert 'id="solve" disabled' in answer.text


HOSTILE = "<script>alert(1)</script>"


def test_names_are_data_on_the_pages(served, tmp_path):
    client = served[0]
    hostile_school = "=HYPERLINK(\"http://x\")<img src=x onerror=alert(2)>"
    make_scenario(tmp_path, [researcher("R1", name=HOSTILE)], [school("S1", name=hostile_school), school("S2", area="乡村")])
    files = {role: (f"{role}.csv", (tmp_path / f"{role}.csv").read_bytes(), "text/csv") for role in ("researchers", "schools")}
    created = client.post("/api/projects", files=files, data={"preset": "office-system-1-2-schools-one-year", "name": HOSTILE})
    assert created.status_code == 201, created.text
    run = wait_for(client, client.post(f"/api/projects/{created.json()['id']}/solve").json()["run"])
    assert run["status"] == "done", run["errors"]
    for path in (f"/projects/{created.json()['id']}", f"/runs/{run['run']}", f"/runs/{run['run']}/edit", "/"):
        html = client.get(path).text
        assert HOSTILE not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/runs/{run['run']}").text


def test_the_forms_download_fill_in_and_come_back_as_one_workbook(served, tmp_path):
    client = served[0]
    for form in ("教研员.xlsx", "学校.xlsx"):
        answer = client.get(f"/template/{form}")
        assert answer.status_code == 200 and answer.content[:2] == b"PK"  # an xlsx (a zip)
    # The demo's two lists as two sheets of one workbook, uploaded once.
    book = openpyxl.Workbook()
    for index, (title, role) in enumerate((("教研员", "researchers"), ("学校", "schools"))):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        with (DEMO / f"{role}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    path = tmp_path / "名单.xlsx"
    book.save(path)
    files = {"workbook": ("名单.xlsx", path.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             **{role: demo_files()[role] for role in ("roads", "nodes")}}
    created = client.post("/api/projects", files=files, data={"preset": "demo-county"})
    assert created.status_code == 201, created.text
    run = wait_for(client, client.post(f"/api/projects/{created.json()['id']}/solve").json()["run"])
    assert run["status"] == "done", run["errors"]
