"""What the search page, the exports and the JSON API share: reading a search's parameters,
checking them against the store, and answering what the request got wrong with a 400.

The article-language filter is ``language`` on the page and in the exports, because ``lang`` in
a query string is the interface language (``web.i18n``); ``/api/search`` keeps the command
line's ``lang``. Every search runs under a time limit (``SEARCH_SECONDS``), so one hostile or
pathological query is a 400 with one line, not a worker stuck for minutes.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from tmwatch.config.lexicons import Watchlist
from tmwatch.output.filters import CheckedFilters, FilterError, check_filters
from tmwatch.output.search import QueryError
from tmwatch.store import Store
from tmwatch.store.database import POSTGRESQL
from tmwatch.web.common import bad_request, day_param, text_param
from tmwatch.web.i18n import gettext_ as _

MAX_FILTER = 200  # characters of a tag, person, language or outlet value
SEARCH_SECONDS = 5.0
"""A search (results, facets, filter checks) that runs longer is stopped and answered 400: a
page of a narrow query takes milliseconds even in a 100,000-article archive."""
CHECK_EVERY = 10_000
"""SQLite virtual-machine steps between checks of the time limit (well under a millisecond)."""
EXPORT_LIMIT = 5_000
"""At most this many results go into one export; the response says so when there were more."""

# Query-string names of the filters, as the page (and the exports) use them.
PAGE_NAMES = {"--tag": "tag", "--person": "person", "--lang": "language", "--outlet": "outlet"}
PAGE_NAMES |= {"--since": "since", "--until": "until"}


@dataclass(frozen=True)
class SearchParams:
    """What a search request asks for: the query and the filters, as the user gave them."""

    q: str | None = None
    tag: str | None = None
    person: str | None = None
    language: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, request: Request, language: str = "language") -> SearchParams:
        """Read and bound the parameters (a 400 for a bad one); ``language`` is the name of
        the article-language parameter."""
        return cls(
            q=text_param(request, "q"),
            tag=text_param(request, "tag", MAX_FILTER),
            person=text_param(request, "person", MAX_FILTER),
            language=text_param(request, language, MAX_FILTER),
            outlet=text_param(request, "outlet", MAX_FILTER),
            since=day_param(request, "since"),
            until=day_param(request, "until"),
        )

    def items(self) -> list[tuple[str, str]]:
        """The parameters for a query string, in a fixed order, the empty ones left out."""
        values = [
            ("q", self.q),
            ("tag", self.tag),
            ("person", self.person),
            ("language", self.language),
            ("outlet", self.outlet),
            ("since", self.since.isoformat() if self.since else None),
            ("until", self.until.isoformat() if self.until else None),
        ]
        return [(name, value) for name, value in values if value]

    def href(self, path: str = "/search", **changes: Any) -> str:
        """A link to ``path`` with these parameters, ``changes`` applied (None removes one)."""
        query = urlencode(replace(self, **changes).items() if changes else self.items())
        return f"{path}?{query}" if query else path

    @property
    def empty(self) -> bool:
        return not self.items()

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``check_filters`` and ``run_search``."""
        return {
            "tag": self.tag,
            "person": self.person,
            "language": self.language,
            "outlet": self.outlet,
            "since": self.since,
            "until": self.until,
        }

    def check(self, store: Store, watchlist: Watchlist | None) -> CheckedFilters:
        """The filters resolved against the store; ``FilterError`` as the command line's."""
        return check_filters(store, watchlist=watchlist, **self.filters())


def in_params(message: str, names: dict[str, str]) -> str:
    """A ``FilterError`` message with the command line's option names replaced by the request's
    parameter names, in its first part only (the rest lists stored values, left as they are)."""
    head, sep, rest = message.partition(";")
    head = re.sub(r"--[a-z]+", lambda m: names.get(m.group(0), m.group(0)), head)
    return head + sep + rest


class _Deadline:
    """SQLite's progress handler: asks it to interrupt the statement once time is up."""

    errors: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)

    def __init__(self, db: Any, seconds: float) -> None:
        self.db = db
        self.at = time.monotonic() + seconds
        self.fired = False
        db.set_progress_handler(self, CHECK_EVERY)

    def __call__(self) -> int:
        if time.monotonic() > self.at:
            self.fired = True
        return int(self.fired)

    def stopped(self, _error: BaseException) -> bool:
        """Whether the search failed because time was up (SQLite says only "interrupted")."""
        return self.fired

    def stop(self) -> None:
        self.db.set_progress_handler(None, 0)


class _StatementTimeout:
    """PostgreSQL's ``statement_timeout`` for the searches of one request, reset afterwards
    (a reader connection serves many requests). The server cancels a statement that runs
    longer, so the limit holds per statement, not, as SQLite's, for the whole search."""

    def __init__(self, db: Any, seconds: float) -> None:
        from psycopg.errors import QueryCanceled

        self.errors: tuple[type[BaseException], ...] = (QueryCanceled,)
        self.db = db
        # At least a millisecond: 0 would mean no limit at all.
        db.execute(f"SET statement_timeout = {max(1, round(seconds * 1000))}")

    def stopped(self, error: BaseException) -> bool:
        return isinstance(error, self.errors)

    def stop(self) -> None:
        from psycopg.pq import TransactionStatus

        # In a failed transaction nothing runs; its owner rolls back, and with it the setting.
        if self.db.connection.info.transaction_status != TransactionStatus.INERROR:
            self.db.execute("RESET statement_timeout")


@contextmanager
def answering(store: Store, names: dict[str, str], seconds: float | None = None) -> Iterator[None]:
    """Run a search on ``store`` within ``seconds`` (``SEARCH_SECONDS``); what the request got
    wrong becomes a 400 with one line: a filter value nothing stored carries, a query that
    cannot be understood, a search that takes too long. Anything else stays a failure (a 500
    that shows nothing)."""
    seconds = SEARCH_SECONDS if seconds is None else seconds
    limit = (_StatementTimeout if store.db.dialect == POSTGRESQL else _Deadline)(store.db, seconds)
    try:
        yield
    except FilterError as exc:
        raise bad_request(in_params(str(exc), names)) from None
    except (QueryError, *limit.errors) as exc:
        if limit.stopped(exc):
            raise bad_request(
                _("the search took longer than %(n)d seconds; narrow the query or the filters")
                % {"n": seconds}
            ) from None
        if isinstance(exc, QueryError):
            raise bad_request(f"bad query: {exc}") from None
        raise
    finally:
        limit.stop()
