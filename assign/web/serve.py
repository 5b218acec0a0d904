"""`assign serve`: the web application on uvicorn, on this machine unless told otherwise (then with a token)."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import uvicorn

from assign.errors import AssignError
from assign.locale import _
from assign.web.app import create_app
from assign.web.guard import is_local, new_token


def serve(host: str, port: int, data: Path, token: str | None = None, open_browser: bool = False, echo=print) -> None:
    """Serve the office's web page from `data` (database and files). Beyond 127.0.0.1 every request must carry
    a token: the one given, or a new one printed here."""
    if not is_local(host) and not token:
        token = new_token()
    if token is not None and len(token) < 16:
        raise AssignError(_("--token: at least 16 characters, got {n}").format(n=len(token)))
    app = create_app(Path(data), token=token, host=host)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    echo(_("web page: {address}  — data: {data}  (Ctrl+C to stop)").format(address=address, data=Path(data).resolve()))
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
