"""The office's web application: the JSON API and the pages that use it (`create_app`).

Everything a page does goes through the engine's public functions: `load_scenario` for the tables'
problems, `solve` in a worker process, `check`'s `plan_from_pairs` for a hand edit, the export
writers for downloads. State lives in SQLite (`assign.web.db`) and files under the data folder, so a
restarted server has every project and run.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from assign.analysis.check import plan_from_pairs, term_values
from assign.candidates import candidate_pairs
from assign.errors import AssignError, CellProblem, InputError, error_message
from assign.kpi import kpi_label
from assign.load import load_scenario
from assign.locale import _, language_from_environment
from assign.plan import Plan
from assign.registry import build_registry
from assign.web import db
from assign.web.forms import policy_forms, rules_from_form, whatif_from_form
from assign.web.guard import Guard, is_local
from assign.web.i18n import LANGS, texts
from assign.web.projects import (
    BASE_FILE,
    SCENARIO_FILE,
    TABLE_ROLES,
    UPLOAD_LIMITS,
    check_scenario_upload,
    inputs_dir,
    inputs_hash,
    load_project,
    preset_policies,
    preset_title,
    presets,
    project_dir,
    run_dir,
    shown_problems,
    snapshot,
    store_upload,
    table_file,
)
from assign.web.worker import CALENDAR_FOLDER, RUN_FILES, WHATIF_FILE, Dispatcher, calendar_files

HERE = Path(__file__).resolve().parent
MEDIA = {"roster.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "roster.csv": "text/csv; charset=utf-8",
         "roster.md": "text/markdown; charset=utf-8", "plan.json": "application/json", "report.html": "text/html; charset=utf-8"}


class Problems(Exception):
    """Problems of the user's files or choices, answered as JSON (API) or shown in a table (pages)."""

    def __init__(self, problems: list[dict[str, Any]], status: int = 422, project: int | None = None):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems, self.status, self.project = problems, status, project


def problem_rows(problems: list[CellProblem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "row": p.row, "column": p.column, "value": None if p.value is None else str(p.value), "expected": p.expected}
            for p in problems]


def create_app(data: Path, token: str | None = None, host: str = "127.0.0.1", slots: int | None = None) -> FastAPI:
    """The application over the data folder `data`; `token` is required of every request when set."""
    data = Path(data).resolve()
    registry = build_registry()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        con = db.connect(data)
        app.state.interrupted = db.mark_interrupted(con)  # runs a killed server left behind
        con.close()
        app.state.dispatcher = Dispatcher(data, slots)
        app.state.dispatcher.start()
        yield
        app.state.dispatcher.stop()

    app = FastAPI(title="assign — 教研员定点联系学校安排", lifespan=lifespan,
                  description="The office's web page and its JSON API: upload tables, choose rules, solve, download. See README, *The web page*.")
    app.add_middleware(Guard, token=token, local=is_local(host))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["kpi_label"] = kpi_label

    threads = threading.local()  # one connection per server thread, opened on first use

    def con():
        if getattr(threads, "con", None) is None:
            threads.con = db.connect(data, upgrade=False)
        return threads.con

    def lang_of(request: Request) -> str:
        """`?lang=`, else the cookie it set, else the browser's first language it names (Accept-Language), else the
        command line's default (ASSIGN_LANG, the locale: Chinese unless it says English)."""
        for lang in (request.query_params.get("lang"), request.cookies.get("lang")):
            if lang in LANGS:
                return lang
        for tag in request.headers.get("accept-language", "").split(","):
            code = tag.split(";")[0].strip().lower()[:2]
            if code in LANGS:
                return code
        return language_from_environment()

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        lang = lang_of(request)
        response = templates.TemplateResponse(request, name, {"t": texts(lang), "lang": lang, **context}, status_code=status)
        if request.query_params.get("lang") in LANGS:
            response.set_cookie("lang", lang, samesite="strict")
        return response

    def project_or_404(c, project: int) -> dict[str, Any]:
        found = db.get_project(c, project)
        if found is None:
            raise HTTPException(404, f"no project {project}")
        return found

    def run_or_404(c, run: int) -> dict[str, Any]:
        found = db.get_run(c, run)
        if found is None:
            raise HTTPException(404, f"no run {run}")
        return found

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, exc: RequestValidationError):
        """A path or body the API cannot read (a run that is no number): each error named like a cell."""
        problems = [{"file": "request", "row": None, "column": ".".join(str(part) for part in err["loc"]),
                     "value": None if err.get("input") is None else str(err.get("input")), "expected": error_message(err)} for err in exc.errors()]
        return JSONResponse({"error": "bad request", "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """An unknown project, run or file: the same JSON shape as every other error (and a short page for a browser)."""
        problems = [{"file": None, "row": None, "column": None, "value": None, "expected": str(exc.detail)}]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc.detail), "problems": problems}, status_code=exc.status_code)
        return page(request, "index.html", status=exc.status_code, projects=db.list_projects(con()),
                    presets=[(name, preset_title(path)) for name, path in presets().items()], problems=problems)

    @app.exception_handler(Problems)
    async def problems_handler(request: Request, exc: Problems):
        return JSONResponse({"id": exc.project, "problems": exc.problems}, status_code=exc.status)

    # ---- what the API and the pages share -------------------------------------------------------

    async def save_uploads(c, project: dict[str, Any], uploads: dict[str, Any]) -> dict[str, Any]:
        """Store the uploaded tables (and scenario) of one request; problems of the files themselves refused at once."""
        folder = project_dir(data, project["id"])
        files = dict(project["files"])
        problems: list[CellProblem] = []
        received: dict[str, tuple[str, bytes]] = {}
        workbook = uploads.get("workbook")
        if isinstance(workbook, UploadFile) and workbook.filename:
            # One workbook holding both lists: each table reads the sheet that has its columns.
            uploads = {"researchers": workbook, "schools": workbook, **{k: v for k, v in uploads.items()
                                                                          if k not in ("researchers", "schools") or getattr(v, "filename", None)}}
        for role in (*TABLE_ROLES, "scenario"):
            upload = uploads.get(role)
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            await upload.seek(0)  # one workbook may serve two roles
            content = await upload.read(UPLOAD_LIMITS[role] + 1)
            shown = upload.filename
            if len(content) > UPLOAD_LIMITS[role]:
                problems.append(CellProblem(shown, None, None, None,
                                            f"a file of more than {UPLOAD_LIMITS[role]:,} bytes: at most that for a {role} file"))
            elif role != "scenario" and table_file(role, shown) is None:
                problems.append(CellProblem(shown, None, None, None, _("the {role} table as .csv or .xlsx").format(role=role)))
            else:
                received[role] = (shown, content)
        if "scenario" in received:
            try:
                settings = check_scenario_upload(received["scenario"][1], received["scenario"][0])
            except InputError as exc:
                problems += exc.problems
            else:
                folder.mkdir(parents=True, exist_ok=True)
                store_upload(folder, BASE_FILE, yaml.safe_dump(settings, allow_unicode=True, sort_keys=False).encode())
                db.update_project(c, project["id"], preset=f"上传：{received['scenario'][0]}", rules={})
        if problems:
            raise Problems(problem_rows(problems), project=project["id"])
        for role, (shown, content) in received.items():
            if role == "scenario":
                continue
            stored = table_file(role, shown)
            for old in (folder / "tables").glob(f"{role}.*"):
                old.unlink()
            store_upload(folder / "tables", stored, content)
            files[role] = {"stored": stored, "name": shown, "bytes": len(content), "uploaded": time.time()}
        db.update_project(c, project["id"], files=files)
        return validate(c, project["id"])

    def validate(c, project_id: int) -> dict[str, Any]:
        """Load the project's scenario and tables now and keep their problems (all of them) with the project."""
        project = db.get_project(c, project_id)
        problem, problems = load_project(project_dir(data, project_id), project)
        db.update_project(c, project_id, problems=problems)
        return {"id": project_id, "problems": problems, "warnings": list(problem.warnings) if problem is not None else [],
                "researchers": len(problem.researchers) if problem else None, "schools": len(problem.schools) if problem else None}

    async def new_project(c, form) -> dict[str, Any]:
        preset = form.get("preset") or "demo-county"
        if preset not in presets() and not form.get("scenario"):
            raise Problems(problem_rows([CellProblem("preset", None, None, preset, f"one of {', '.join(presets())}")]))
        name = (form.get("name") or "").strip()[:200] or time.strftime("项目 %Y-%m-%d %H:%M")
        project_id = db.create_project(c, name, preset)
        project_dir(data, project_id).mkdir(parents=True, exist_ok=True)
        return await save_uploads(c, db.get_project(c, project_id), dict(form))

    def set_rules(c, project: dict[str, Any], preset: str | None, rules: dict[str, Any] | None) -> dict[str, Any]:
        updates: dict[str, Any] = {}
        if preset:
            if preset not in presets():
                raise Problems(problem_rows([CellProblem("preset", None, None, preset, f"one of {', '.join(presets())}")]), project=project["id"])
            (project_dir(data, project["id"]) / BASE_FILE).unlink(missing_ok=True)
            updates.update(preset=preset, rules={})
        if rules is not None:
            updates["rules"] = rules
        if updates:
            db.update_project(c, project["id"], **updates)
        return validate(c, project["id"])

    def queue_solve(c, project: dict[str, Any], settings: dict[str, Any]) -> int:
        checked = validate(c, project["id"])
        if checked["problems"]:
            raise Problems(checked["problems"], project=project["id"])
        folder = project_dir(data, project["id"])
        run = db.create_run(c, project["id"], settings, "")
        snapshot(folder, inputs_dir(data, run))
        db.update_run(c, run, inputs_hash=inputs_hash(inputs_dir(data, run)))
        app.state.dispatcher.wake.set()
        return run

    def queue_resolve(c, record: dict[str, Any], change: dict[str, list[str]]) -> int:
        """A re-solve of the run's inputs around pins: the changed researchers' schools, with the run's own pins for the others."""
        allowed = allowed_schools(record)
        refused = [CellProblem("pins", None, r, s, "a school the rules allow this researcher") for r, schools in change.items()
                   for s in schools if s not in allowed.get(r, [])]
        if refused:
            raise Problems(problem_rows(refused), project=record["project"])
        pins = [(r, s) for r, s in record["settings"].get("pins", []) if r not in change] + [(r, s) for r, ss in change.items() for s in ss]
        settings = {**{k: v for k, v in record["settings"].items() if k != "pins"}, "pins": pins, "from_run": record["id"]}
        run = db.create_run(c, record["project"], settings, record["inputs_hash"], kind="pinned")
        snapshot(inputs_dir(data, record["id"]), inputs_dir(data, run))
        app.state.dispatcher.wake.set()
        return run

    def queue_calendar(c, record: dict[str, Any], term: str) -> int:
        terms = (record["result"] or {}).get("calendar_terms") or []
        if record["kind"] == "calendar" or not record["plan"] or term not in terms:
            raise Problems(problem_rows([CellProblem("term", None, None, term, f"a term of the scenario's calendar: {', '.join(terms) or 'none'}")]),
                           project=record["project"])
        run = db.create_run(c, record["project"], {"term": term, "from_run": record["id"]}, record["inputs_hash"], kind="calendar")
        snapshot(inputs_dir(data, record["id"]), inputs_dir(data, run))
        app.state.dispatcher.wake.set()
        return run

    def queue_whatif(c, record: dict[str, Any], change: dict[str, Any]) -> int:
        """A what-if of a solved run: its plan in force, one change (`edits` of the tables, `policies`), re-planned and compared.
        The change is checked now, every problem at once; it may name no file."""
        if record["kind"] == "calendar" or not record["plan"]:
            raise Problems(problem_rows([CellProblem("whatif", None, None, None, "a solved run to start from")]), project=record["project"])
        unknown = [k for k in change if k not in ("edits", "policies", "name")]
        if unknown or not any(change.get(k) for k in ("edits", "policies")):
            raise Problems(problem_rows([CellProblem("whatif", None, ", ".join(unknown) or None, None,
                                                     "one change: `edits` of the tables and/or `policies`")]), project=record["project"])
        run = db.create_run(c, record["project"], {"from_run": record["id"], "change": change}, record["inputs_hash"], kind="whatif")
        folder = inputs_dir(data, run)
        snapshot(inputs_dir(data, record["id"]), folder)
        doc = {"extends": SCENARIO_FILE, **change}
        store_upload(folder, WHATIF_FILE, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode())
        try:
            load_scenario(folder / WHATIF_FILE)
        except InputError as exc:
            db.update_run(c, run, status="failed", finished=time.time(), errors=shown_problems(exc.problems, folder, {}))
            raise Problems(shown_problems(exc.problems, folder, {}), project=record["project"]) from None
        except AssignError as exc:
            problems = [{"file": "whatif", "row": None, "column": None, "value": None, "expected": str(exc)}]
            db.update_run(c, run, status="failed", finished=time.time(), errors=problems)
            raise Problems(problems, project=record["project"]) from None
        app.state.dispatcher.wake.set()
        return run

    def run_view(record: dict[str, Any]) -> dict[str, Any]:
        """A run as the API answers it (the plan itself is the file plan.json)."""
        out = {key: record[key] for key in ("id", "project", "kind", "status", "created", "started", "finished", "inputs_hash", "settings",
                                            "progress", "errors")}
        out["run"] = record["id"]
        out.update(record["result"] or {})
        folder = run_dir(data, record["id"])
        out["files"] = [name for name in RUN_FILES if (folder / name).is_file()]
        out["calendar_files"] = calendar_files(data, record["id"])
        return out

    def run_problem(record: dict[str, Any]):
        return load_scenario(inputs_dir(data, record["id"]) / SCENARIO_FILE)

    def check_pairs(record: dict[str, Any], pairs: list[tuple[str, str]]) -> dict[str, Any]:
        """The check engine on a hand-edited roster: findings, exceptions, KPIs and objective terms beside the run's own plan."""
        problem = run_problem(record)
        unknown = [CellProblem("pairs", i + 1, None, f"{r}→{s}", "a researcher id and a school id of the project's tables")
                   for i, (r, s) in enumerate(pairs) if r not in problem.researcher or s not in problem.school]
        if unknown:
            raise Problems(problem_rows(unknown), project=record["project"])
        plan = plan_from_pairs(problem, pairs, label="hand edit")
        solved = Plan.model_validate(record["plan"]) if record["plan"] else None
        terms = term_values(problem, pairs) or {}
        return {"findings": [f.model_dump(mode="json") for f in plan.findings], "exceptions": [e.model_dump(mode="json") for e in plan.exceptions],
                "kpis": plan.kpis, "solved_kpis": solved.kpis if solved else None, "terms": terms,
                "solved_terms": {t.name: t.value for t in solved.terms} if solved else None,
                "violations": sum(1 for f in plan.findings if f.severity == "error")}

    def allowed_schools(record: dict[str, Any]) -> dict[str, list[str]]:
        problem = run_problem(record)
        allowed: dict[str, list[str]] = {}
        for r, s in candidate_pairs(problem, relaxed=problem.relaxing):
            allowed.setdefault(r, []).append(s)
        return allowed

    # ---- JSON API -----------------------------------------------------------------------------------

    @app.get("/template/{form}", include_in_schema=False)
    def template(form: str):
        """The empty forms of `assign template` (教研员.xlsx, 学校.xlsx), to fill in before the first upload."""
        import tempfile

        from assign.export.template import write_templates

        with tempfile.TemporaryDirectory() as scratch:
            written = {p.name: p.read_bytes() for p in write_templates(Path(scratch))}
        if form not in written:
            raise HTTPException(404, f"no form {form!r}: {', '.join(written)}")
        return Response(written[form], media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(form)}"})

    @app.get("/api/presets", tags=["api"])
    def api_presets():
        """The presets: the demo county's rules and one scenario per regime of the source documents."""
        return [{"name": name, "title": preset_title(path)} for name, path in presets().items()]

    @app.get("/api/policies", tags=["api"])
    def api_policies():
        """Every installed policy's form, generated from its Params."""
        return [{"name": f.name, "title": f.title, "bends": f.bends,
                 "fields": [{"name": x.name, "kind": x.kind, "default": x.value, "options": x.options, "description": x.description}
                            for x in f.fields]} for f in policy_forms(registry, {})]

    @app.post("/api/projects", tags=["api"], status_code=201)
    async def api_new_project(request: Request):
        """Multipart: `researchers`, `schools` (required), `roads`, `nodes` (tables, .csv or .xlsx), optional `scenario` (YAML)
        or `preset` (a name of GET /api/presets), optional `name`. Answers {id, problems}; 422 with every problem when the tables
        have any (the project is kept: fix and upload again with POST /api/projects/{id}/files)."""
        async with request.form(max_files=10, max_fields=100) as form:
            c = con()
            result = await new_project(c, form)
        if result["problems"]:
            raise Problems(result["problems"], project=result["id"])
        return result

    @app.get("/api/projects", tags=["api"])
    def api_projects():
        return [{k: p[k] for k in ("id", "name", "created", "preset")} for p in db.list_projects(con())]

    @app.get("/api/projects/{project}", tags=["api"])
    def api_project(project: int):
        c = con()
        found = project_or_404(c, project)
        return {**found, "runs": db.runs_of(c, project)}

    @app.post("/api/projects/{project}/files", tags=["api"])
    async def api_upload(project: int, request: Request):
        """Upload tables again (the same fields as POST /api/projects); answers every problem they still have."""
        async with request.form(max_files=10, max_fields=100) as form:
            c = con()
            result = await save_uploads(c, project_or_404(c, project), dict(form))
        if result["problems"]:
            raise Problems(result["problems"], project=project)
        return result

    @app.post("/api/projects/{project}/rules", tags=["api"])
    async def api_rules(project: int, request: Request):
        """JSON `{"preset": NAME}` and/or `{"policies": {name: params}}` (the policies to use, each with its parameters)."""
        body = await request.json()
        c = con()
        found = project_or_404(c, project)
        rules = body.get("policies")
        if rules is not None:
            problems = [CellProblem("rules", None, name, None, registry.unknown(name)) for name in rules if name not in registry.policies]
            if problems:
                raise Problems(problem_rows(problems), project=project)
        result = set_rules(c, found, body.get("preset"), rules)
        if result["problems"]:
            raise Problems(result["problems"], project=project)
        return result

    @app.post("/api/projects/{project}/solve", tags=["api"], status_code=202)
    async def api_solve(project: int, request: Request):
        """Queue a solve (optional JSON `{"time_limit": s, "seed": n}`); answers {run}. Poll GET /api/runs/{run}."""
        body = await request.json() if (await request.body()) else {}
        settings = {k: body[k] for k in ("time_limit", "seed") if isinstance(body.get(k), (int, float))}
        c = con()
        return {"run": queue_solve(c, project_or_404(c, project), settings)}

    @app.get("/api/runs/{run}", tags=["api"])
    def api_run(run: int):
        """Status (queued, running, done, failed, cancelled, interrupted), progress lines, KPIs, objective terms, passes,
        exceptions, uncovered schools, audit findings, errors (file, row, column, value, expected), the files to download."""
        return run_view(run_or_404(con(), run))

    @app.post("/api/runs/{run}/cancel", tags=["api"])
    def api_cancel(run: int):
        c = con()
        run_or_404(c, run)
        return {"run": run, "cancelled": app.state.dispatcher.cancel(c, run), "status": db.get_run(c, run)["status"]}

    @app.get("/api/runs/{run}/files/{name}", tags=["api"])
    def api_file(run: int, name: str):
        """roster.xlsx, roster.csv, roster.md, plan.json or report.html of a finished run."""
        run_or_404(con(), run)
        if name not in RUN_FILES:
            raise HTTPException(404, f"no file {name!r}: one of {', '.join(RUN_FILES)}")
        path = run_dir(data, run) / name
        if not path.is_file():
            raise HTTPException(404, f"run {run} has no {name} (not solved)")
        return FileResponse(path, media_type=MEDIA[name], filename=f"run{run}-{name}")

    @app.get("/api/runs/{run}/allowed", tags=["api"])
    def api_allowed(run: int):
        """Per researcher, the schools the run's rules allow (its candidate pairs): what a hand edit may choose from."""
        return allowed_schools(run_or_404(con(), run))

    @app.post("/api/runs/{run}/check", tags=["api"])
    async def api_check(run: int, request: Request):
        """JSON `{"pairs": [[researcher, school], …]}` (a whole roster) or `{"change": {researcher: [school, …]}}` (the run's
        plan with these researchers' schools replaced): the audit's findings, the exceptions the pairs need, KPIs and objective
        terms beside the run's own."""
        body = await request.json()
        record = run_or_404(con(), run)
        return check_pairs(record, edited_pairs(record, body))

    @app.post("/api/runs/{run}/resolve", tags=["api"], status_code=202)
    async def api_resolve(run: int, request: Request):
        """JSON `{"pins": {researcher: [school, …]}}`: solve the run's inputs again with these pairs fixed (and the run's
        own pins for other researchers); answers {run}. A school the rules do not allow that researcher is refused."""
        body = await request.json()
        c = con()
        record = run_or_404(c, run)
        change = {str(r): [str(s) for s in schools] for r, schools in (body.get("pins") or {}).items()}
        return {"run": queue_resolve(c, record, change)}

    @app.post("/api/runs/{run}/calendar", tags=["api"], status_code=202)
    async def api_calendar(run: int, request: Request):
        """JSON `{"term": NAME}`: schedule one term of the scenario's calendar for the run's plan; answers {run}. The calendar
        run's `calendar_files` (visits.xlsx, visits.csv, ics/office.ics, ics/researchers/…, ics/schools/…) download from
        GET /api/runs/{run}/calendar/PATH."""
        body = await request.json()
        c = con()
        return {"run": queue_calendar(c, run_or_404(c, run), str(body.get("term") or ""))}

    @app.get("/api/runs/{run}/calendar/{path:path}", tags=["api"])
    def api_calendar_file(run: int, path: str):
        run_or_404(con(), run)
        if path not in calendar_files(data, run):  # only a name the run wrote: never a path from the request
            raise HTTPException(404, f"run {run} has no calendar file {path!r}")
        target = run_dir(data, run) / CALENDAR_FOLDER / path
        media = "text/calendar; charset=utf-8" if path.endswith(".ics") else None
        return FileResponse(target, media_type=media, filename=target.name)

    @app.post("/api/runs/{run}/whatif", tags=["api"], status_code=202)
    async def api_whatif(run: int, request: Request):
        """JSON with the keys of a what-if file (README, *What-if scenarios*) that change something: `edits` (a table's
        `add`/`remove`/`update`) and/or `policies` (a rule changed, or null to drop it). The run's plan is the plan in force;
        the change is re-planned from it and compared: the answer's run has `comparison` (pairs kept, added, dropped, each
        researcher changed with the reason, KPIs side by side) and comparison.md/.xlsx."""
        body = await request.json()
        c = con()
        return {"run": queue_whatif(c, run_or_404(c, run), body if isinstance(body, dict) else {})}

    def edited_pairs(record: dict[str, Any], body: dict[str, Any]) -> list[tuple[str, str]]:
        if isinstance(body.get("pairs"), list):
            return [(str(r), str(s)) for r, s in body["pairs"]]
        if not record["plan"]:
            raise Problems(problem_rows([CellProblem("change", None, None, None, "a run with a plan")]), project=record["project"])
        change = {str(r): [str(s) for s in schools] for r, schools in (body.get("change") or {}).items()}
        kept = [(p["researcher_id"], p["school_id"]) for p in record["plan"]["pairs"] if p["researcher_id"] not in change]
        return kept + [(r, s) for r, schools in change.items() for s in schools]

    # ---- pages --------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        return page(request, "index.html", projects=db.list_projects(con()),
                    presets=[(name, preset_title(path)) for name, path in presets().items()], problems=[])

    @app.post("/projects", include_in_schema=False)
    async def page_new_project(request: Request):
        async with request.form(max_files=10, max_fields=100) as form:
            c = con()
            try:
                result = await new_project(c, form)
            except Problems as exc:
                if exc.project is not None:
                    return RedirectResponse(f"/projects/{exc.project}?upload_failed=1", status_code=303)
                return page(request, "index.html", status=422, projects=db.list_projects(c),
                            presets=[(name, preset_title(path)) for name, path in presets().items()], problems=exc.problems)
        return RedirectResponse(f"/projects/{result['id']}", status_code=303)

    def project_page(request: Request, c, project: int, problems: list | None = None, status: int = 200) -> Response:
        found = project_or_404(c, project)
        folder = project_dir(data, project)
        try:
            chosen = found["rules"] or preset_policies(folder, found["preset"])
        except AssignError:
            chosen = {}
        return page(request, "project.html", status=status, project=found, runs=db.runs_of(c, project),
                    problems=found["problems"] if problems is None else problems,
                    presets=[(name, preset_title(path)) for name, path in presets().items()],
                    forms=policy_forms(registry, chosen), roles=TABLE_ROLES)

    @app.get("/projects/{project}", response_class=HTMLResponse, include_in_schema=False)
    def page_project(request: Request, project: int):
        return project_page(request, con(), project)

    @app.post("/projects/{project}/files", include_in_schema=False)
    async def page_upload(request: Request, project: int):
        async with request.form(max_files=10, max_fields=100) as form:
            c = con()
            try:
                await save_uploads(c, project_or_404(c, project), dict(form))
            except Problems as exc:
                return project_page(request, c, project, exc.problems, status=422)
        return RedirectResponse(f"/projects/{project}", status_code=303)

    @app.post("/projects/{project}/preset", include_in_schema=False)
    async def page_preset(request: Request, project: int):
        form = await request.form()
        c = con()
        try:
            set_rules(c, project_or_404(c, project), str(form.get("preset") or ""), None)
        except Problems as exc:
            return project_page(request, c, project, exc.problems, status=422)
        return RedirectResponse(f"/projects/{project}#rules", status_code=303)

    @app.post("/projects/{project}/rules", include_in_schema=False)
    async def page_rules(request: Request, project: int):
        form = {k: str(v) for k, v in (await request.form()).items()}
        c = con()
        found = project_or_404(c, project)
        try:
            rules = rules_from_form(registry, form)
        except InputError as exc:
            return project_page(request, c, project, problem_rows(exc.problems), status=422)
        set_rules(c, found, None, rules)
        return RedirectResponse(f"/projects/{project}#rules", status_code=303)

    @app.post("/projects/{project}/solve", include_in_schema=False)
    async def page_solve(request: Request, project: int):
        c = con()
        try:
            run = queue_solve(c, project_or_404(c, project), {})
        except Problems as exc:
            return project_page(request, c, project, exc.problems, status=422)
        return RedirectResponse(f"/runs/{run}", status_code=303)

    def roster_of(run: int) -> tuple[list[str], list[list[str]]]:
        path = run_dir(data, run) / "roster.csv"
        if not path.is_file():
            return [], []
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        return rows[0], rows[1:]

    @app.get("/runs/{run}", response_class=HTMLResponse, include_in_schema=False)
    def page_run(request: Request, run: int):
        c = con()
        record = run_or_404(c, run)
        headers, rows = roster_of(run)
        return page(request, "run.html", run=run_view(record), project=project_or_404(c, record["project"]), headers=headers, rows=rows)

    @app.post("/runs/{run}/cancel", include_in_schema=False)
    def page_cancel(run: int):
        c = con()
        run_or_404(c, run)
        app.state.dispatcher.cancel(c, run)
        return RedirectResponse(f"/runs/{run}", status_code=303)

    @app.post("/runs/{run}/calendar", include_in_schema=False)
    async def page_calendar(request: Request, run: int):
        form = await request.form()
        c = con()
        try:
            new = queue_calendar(c, run_or_404(c, run), str(form.get("term") or ""))
        except Problems:
            return RedirectResponse(f"/runs/{run}", status_code=303)
        return RedirectResponse(f"/runs/{new}", status_code=303)

    @app.post("/runs/{run}/whatif", include_in_schema=False)
    async def page_whatif(request: Request, run: int):
        form = await request.form()
        c = con()
        record = run_or_404(c, run)
        change = whatif_from_form({k: str(v) for k, v in form.items()})
        try:
            new = queue_whatif(c, record, change)
        except Problems as exc:
            headers, rows = roster_of(run)
            return page(request, "run.html", status=422, run=run_view(record), project=project_or_404(c, record["project"]),
                        headers=headers, rows=rows, whatif_problems=exc.problems)
        return RedirectResponse(f"/runs/{new}", status_code=303)

    @app.get("/runs/{run}/edit", response_class=HTMLResponse, include_in_schema=False)
    def page_edit(request: Request, run: int, researcher: str | None = None):
        c = con()
        record = run_or_404(c, run)
        if not record["plan"]:
            raise HTTPException(409, f"run {run} has no plan to edit")
        return edit_page(request, record, researcher, None, None)

    def edit_page(request: Request, record: dict[str, Any], researcher: str | None, verdict: dict[str, Any] | None,
                  chosen: list[str] | None, status: int = 200) -> Response:
        problem = run_problem(record)
        allowed = allowed_schools(record)
        held = Plan.model_validate(record["plan"]).schools_of()
        rid = researcher if researcher in problem.researcher else problem.researchers[0].id
        return page(request, "edit.html", status=status, run=record, problem=problem, rid=rid, held=held.get(rid, []),
                    chosen=chosen if chosen is not None else held.get(rid, []),
                    allowed=[problem.school[s] for s in allowed.get(rid, [])], verdict=verdict)

    @app.post("/runs/{run}/edit", response_class=HTMLResponse, include_in_schema=False)
    async def page_check(request: Request, run: int):
        form = await request.form()
        record = run_or_404(con(), run)
        rid = str(form.get("researcher") or "")
        schools = [str(s) for s in form.getlist("school") if str(s)]
        if form.get("action") == "pin":
            c = con()
            try:
                new = queue_resolve(c, record, {rid: schools})
            except Problems as exc:
                return edit_page(request, record, rid, {"problems": exc.problems}, schools, status=422)
            return RedirectResponse(f"/runs/{new}", status_code=303)
        try:
            verdict = check_pairs(record, edited_pairs(record, {"change": {rid: schools}}))
        except Problems as exc:
            return edit_page(request, record, rid, {"problems": exc.problems}, schools, status=422)
        return edit_page(request, record, rid, verdict, schools)

    return app
