"""What every page shares: the configuration, the read-only store, templates, bad requests.

A thread keeps one read-only store connection (SQLite connections are not shared across
threads), so pages reuse its page cache. A bad parameter is a 400 with a one-line message, never
a 500.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tmwatch import __version__
from tmwatch.config.lexicons import Topic, Watchlist
from tmwatch.config.registry import Registry
from tmwatch.store import DataHome, Store
from tmwatch.store.database import POSTGRESQL
from tmwatch.web.i18n import Catalogs, gettext_, ngettext_

MAX_PAGE = 10_000
MAX_QUERY = 500


@dataclass
class WebConfig:
    """What the app serves and how; built once by ``tmwatch serve``."""

    home: DataHome
    watchlist: Watchlist
    topics: tuple[Topic, ...]
    registry: Registry | None = None
    password_hash: str | None = None
    https: bool = False
    session_secret: str = ""
    catalogs: Catalogs = field(default_factory=Catalogs)


def config_of(request: Request) -> WebConfig:
    return request.app.state.config  # type: ignore[no-any-return]


_local = threading.local()


def reader(request: Request) -> Store:
    """This thread's read-only connection to the store of the served data home.

    A PostgreSQL connection is a server's resource: it is closed when its thread ends (the
    server's worker threads come and go), not left to the garbage collector. (A SQLite
    connection may only be closed by its own thread; it holds nothing on a server.)
    """
    config = config_of(request)
    store: Store | None = getattr(_local, "store", None)
    if store is None or store.home.root != config.home.root:
        if store is not None:
            store.close()
        store = Store(config.home, create=False, readonly=True)
        _local.store = store
        if store.db.dialect == POSTGRESQL:
            weakref.finalize(threading.current_thread(), store.close)
    return store


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tmwatch.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext_, ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.globals["version"] = __version__
    return env


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    env: Environment = request.app.state.templates
    config = config_of(request)
    base = {
        "request": request,
        "lang": getattr(request.state, "lang", "en"),
        "languages": config.catalogs.names(),
        "csrf": request.session.get("csrf", "") if "session" in request.scope else "",
        "signed_in": bool(request.session.get("auth")) if "session" in request.scope else False,
        "auth_required": config.password_hash is not None,
    }
    html = env.get_template(template).render({**base, **context})
    return HTMLResponse(html, status_code=status_code)


def bad_request(message: str) -> HTTPException:
    return HTTPException(400, detail=message)


def text_param(request: Request, name: str, limit: int = MAX_QUERY) -> str | None:
    value = request.query_params.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise bad_request(f"{name}: longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\t" for c in value):
        raise bad_request(f"{name}: control characters are not allowed")
    return value.strip()


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"{name}: {value[:40]!r} is not a whole number") from None
    if not low <= number <= high:
        raise bad_request(f"{name}: must be from {low} to {high}")
    return number


def day_param(request: Request, name: str) -> date | None:
    value = text_param(request, name, 40)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None
