"""What every request passes before it reaches a page or the API: the token (when the server listens
beyond this machine), the Host header (so a web page elsewhere cannot reach a local server through
DNS rebinding), the same origin for every POST, and the size of an upload.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
TOKEN_COOKIE = "assign_token"
TOKEN_HEADER = "x-assign-token"
MAX_REQUEST_BYTES = 250_000_000  # one upload request: the tables' own limits (100 MB a table) with room for the four of them
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1")


def refused(status: int, message: str) -> Response:
    return JSONResponse({"error": message, "problems": [{"file": None, "row": None, "column": None, "value": None, "expected": message}]},
                        status_code=status)


def given_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE)


class Guard(BaseHTTPMiddleware):
    """Refuse a request without the token (when one is set), from a foreign Host or Origin, or too large."""

    def __init__(self, app, token: str | None, local: bool):
        super().__init__(app)
        self.token, self.local = token, local

    async def dispatch(self, request: Request, call_next) -> Response:
        raw = request.headers.get("host") or ""
        host = raw.split("]")[0] + "]" if raw.startswith("[") else raw.rsplit(":", 1)[0]
        if self.local and host not in LOCAL_HOSTS:
            return refused(421, f"this server answers only on this machine (127.0.0.1), not as {host!r}")
        if self.token is not None:
            given = given_token(request)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                return refused(401, "a token is required: open the address `assign serve` printed (…?token=…), "
                                    f"or send the header {TOKEN_HEADER}")
        if request.method in UNSAFE:
            origin = request.headers.get("origin") or request.headers.get("referer")
            if origin and origin != "null":
                parts = urlsplit(origin)
                if parts.netloc != request.headers.get("host"):
                    return refused(403, f"a form of another site ({parts.scheme}://{parts.netloc}) may not post here")
            elif origin == "null":
                return refused(403, "a form of another site may not post here")
            size = request.headers.get("content-length")
            if size is not None and size.isdigit() and int(size) > MAX_REQUEST_BYTES:
                return refused(413, f"an upload of {int(size):,} bytes: at most {MAX_REQUEST_BYTES:,} in one request")
        response = await call_next(request)
        if self.token is not None and request.query_params.get("token") == self.token:
            # The address with ?token= was opened once: the browser keeps it for the pages' own links and forms.
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        return response
