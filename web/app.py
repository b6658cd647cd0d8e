"""The Starlette application: routes of every page module, the middleware, the error pages.

``create_app`` is all ``tmwatch serve`` and the tests need. Errors are pages (or JSON under
``/api/``) with a one-line message: a 4xx for what the request got wrong, a plain 500 that
shows no internals for the rest.
"""

from __future__ import annotations

import logging
import secrets

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from tmwatch.web import (
    api,
    article_page,
    export,
    home,
    login,
    person_page,
    search_page,
    sources_page,
)
from tmwatch.web.common import WebConfig, environment, render
from tmwatch.web.i18n import gettext_ as _
from tmwatch.web.security import HEADERS, Gate, SecurityHeaders

logger = logging.getLogger(__name__)

SESSION_COOKIE = "tmwatch_session"
SESSION_AGE = 12 * 3600


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_json(request):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    titles = {400: _("Bad request"), 404: _("Not found"), 405: _("Not allowed")}
    title = titles.get(exc.status_code, _("Error"))
    return render(request, "error.html", {"title": title, "message": exc.detail}, exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    logger.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
    if _wants_json(request):
        return JSONResponse({"error": "internal error"}, status_code=500)
    message = _("Something went wrong on this page. The archive is unchanged.")
    response = render(request, "error.html", {"title": _("Error"), "message": message}, 500)
    # This handler runs outside the middleware: the page gets the same headers here.
    for name, value in HEADERS:
        response.headers[name.decode()] = value.decode()
    response.headers["cache-control"] = "no-store"
    return response


def create_app(config: WebConfig) -> Starlette:
    config.session_secret = config.session_secret or secrets.token_urlsafe(32)
    app = Starlette(
        routes=[
            *home.routes,
            *login.routes,
            *article_page.routes,
            *person_page.routes,
            *sources_page.routes,
            *search_page.routes,
            *export.routes,
            *api.routes,
            Mount("/static", StaticFiles(packages=[("tmwatch.web", "static")]), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=config.session_secret,
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_AGE,
                same_site="strict",
                https_only=config.https,
            ),
            Middleware(Gate),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.config = config
    app.state.templates = environment()
    return app
