"""Signing in and out, when ``tmwatch serve`` has a password.

Failed attempts are slowed per client (a growing pause, up to 5 s), so a password cannot be
guessed at network speed; the session is replaced on success so that a session fixed before
sign-in is worth nothing after it.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tmwatch.web.common import config_of, render
from tmwatch.web.i18n import gettext_ as _
from tmwatch.web.passwords import check_password
from tmwatch.web.security import check_csrf

_failures: dict[str, list[float]] = defaultdict(list)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "login.html", {"next": _safe_next(request.query_params.get("next"))})
    form = await request.form()
    target = _safe_next(str(form.get("next") or ""))
    client = request.client.host if request.client else "?"
    recent = [t for t in _failures[client] if time.monotonic() - t < 300]
    _failures[client] = recent
    if recent:
        await asyncio.sleep(min(5.0, 0.5 * 2 ** (len(recent) - 1)))
    stored = config_of(request).password_hash
    password = str(form.get("password") or "")
    if not check_csrf(request, str(form.get("csrf") or "")):
        return render(
            request, "login.html", {"next": target, "error": _("The form expired; try again.")}, 400
        )
    if not stored or not check_password(password, stored):
        _failures[client].append(time.monotonic())
        return render(request, "login.html", {"next": target, "error": _("Wrong password.")}, 401)
    _failures.pop(client, None)
    request.session.clear()
    request.session.update({"auth": True, "csrf": secrets.token_urlsafe(24)})
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form()
    if not check_csrf(request, str(form.get("csrf") or "")):
        return Response(_("The form expired; try again."), status_code=400)
    request.session.clear()
    return RedirectResponse("/login" if config_of(request).password_hash else "/", status_code=303)


routes = [
    Route("/login", login_page, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
]
