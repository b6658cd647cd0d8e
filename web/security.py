"""Safety for pages about people at risk: headers, the sign-in gate, CSRF, the language.

* Every response carries a Content-Security-Policy that allows only this origin (no inline
  script, no remote anything), ``nosniff``, ``no-referrer`` (an outlet never learns which
  archive linked to it) and ``no-store`` (no copy of a page in a shared cache).
* With a password configured, every page but the sign-in page and the static files needs a
  signed-in session; the API answers 401 instead of redirecting.
* The one write checks a per-session CSRF token and the request's Origin.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tmwatch.web.i18n import COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
OPEN_PATHS = ("/login", "/static/")


class SecurityHeaders:
    """Adds ``HEADERS`` to every response, and ``no-store`` to all but static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"server"]
                headers += HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class Gate:
    """Language, CSRF token and (with a password) the sign-in requirement, per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        config = scope["app"].state.config
        path = scope["path"]
        # The interface's language switch; the API and exports take `lang` as a filter (the
        # article's language, as the command line does) and never switch anything.
        wanted = None if path.startswith(("/api/", "/export")) else request.query_params.get("lang")
        lang = config.catalogs.choose(
            wanted, request.cookies.get(COOKIE), request.headers.get("accept-language")
        )
        config.catalogs.activate(lang)
        scope.setdefault("state", {})["lang"] = lang
        session = scope["session"]
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(24)
        if config.password_hash and not session.get("auth") and not path.startswith(OPEN_PATHS):
            response: Response
            if path.startswith("/api/") or path.startswith("/export"):
                response = JSONResponse({"error": "sign in first"}, status_code=401)
            else:
                target = path + (
                    f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
                )
                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            await response(scope, receive, send)
            return
        if wanted == lang and wanted != request.cookies.get(COOKIE):

            async def remember(message: Message) -> None:
                if message["type"] == "http.response.start":
                    cookie = f"{COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Strict"
                    if config.https:
                        cookie += "; Secure"
                    message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
                await send(message)

            await self.app(scope, receive, remember)
            return
        await self.app(scope, receive, send)


def check_csrf(request: Request, token: str | None) -> bool:
    """The form's token is this session's, and the request comes from this origin."""
    expected = request.session.get("csrf", "")
    if not token or not expected or not hmac.compare_digest(token, expected):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        return origin == own
    return True
