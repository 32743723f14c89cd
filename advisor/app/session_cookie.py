"""The session cookie: set and cleared by the server, so page scripts can never read it.

Two small routes run beside Streamlit's own (``advisor.app.web_server``):

- ``POST /_advisor/session`` with a one-time handover code (from
  ``advisor.services.sign_in_sessions.start_session``) answers with the session cookie:
  HttpOnly, SameSite=Strict, Secure over HTTPS, ending when the session does.
- ``POST /_advisor/sign-out`` ends the session the cookie names and clears the cookie.

Both want the ``X-Advisor-Session`` header, which a form on another site cannot send (and a
script there cannot without the server's consent), and the page starts them with
``collect_script`` and ``clear_script``. The app reads the cookie back with
``st.context.cookies`` (the browser sends it when a tab connects).
"""

from __future__ import annotations

import json
import logging
from functools import cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from advisor.services.app_support import open_store
from advisor.services.sign_in_sessions import (
    SESSION_HOURS,
    collect_token,
    end_session_by_token,
)
from advisor.settings import load_settings
from advisor.store.database import Database

COOKIE = "advisor_session"
HEADER = "X-Advisor-Session"
SESSION_PATH = "/_advisor/session"
SIGN_OUT_PATH = "/_advisor/sign-out"
_MAX_BODY = 512

log = logging.getLogger("advisor.app")


@cache
def _database() -> Database:
    return open_store(load_settings())


def _refused() -> Response:
    return Response(status_code=403)


async def _collect(request: Request) -> Response:
    if request.headers.get(HEADER) != "1":
        return _refused()
    code = (await request.body())[:_MAX_BODY].decode("utf-8", "replace").strip()
    token = await run_in_threadpool(collect_token, _database(), code)
    if token is None:
        return _refused()
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def _sign_out(request: Request) -> Response:
    if request.headers.get(HEADER) != "1":
        return _refused()
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(end_session_by_token, _database(), token)
    response = Response(status_code=204)
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


def routes() -> list[BaseRoute]:
    """The cookie routes, to add to Streamlit's server."""
    return [
        Route(SESSION_PATH, _collect, methods=["POST"]),
        Route(SIGN_OUT_PATH, _sign_out, methods=["POST"]),
    ]


def _post(path: str, body: str) -> str:
    return (
        "<script>"
        f"fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{{json.dumps(HEADER)}: '1', 'Content-Type': 'text/plain'}}, "
        f"body: {json.dumps(body)}}});"
        "</script>"
    )


def collect_script(code: str, base_path: str = "") -> str:
    """A script that has the browser collect its session cookie for a handover code."""
    return _post(base_path.rstrip("/") + SESSION_PATH, code)


def clear_script(base_path: str = "") -> str:
    """A script that has the browser end its session and drop the cookie."""
    return _post(base_path.rstrip("/") + SIGN_OUT_PATH, "")
