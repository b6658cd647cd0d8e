"""``/api/search``: what ``tmwatch search --json`` prints, over HTTP.

The parameters are the command's (``q`` for its query, ``tag``, ``person``, ``lang``,
``outlet``, ``since``, ``until``, ``limit`` from 1 to 10,000) plus ``offset``, and the answer is
``SearchResult.as_json()`` from the same function the command calls (``output.search.run_search``),
so the two cannot drift apart. A bad parameter is a 400 with ``{"error": "one line"}``; a filter
value nothing stored carries lists the values that exist, as the command does.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tmwatch.output.search import run_search
from tmwatch.web.common import MAX_PAGE, config_of, int_param, reader
from tmwatch.web.searching import PAGE_NAMES, SearchParams, answering

MAX_LIMIT = 10_000  # as ``tmwatch search --limit``
MAX_OFFSET = MAX_PAGE * 20  # as deep as the search page goes
API_NAMES = PAGE_NAMES | {"--lang": "lang"}


def api_search(request: Request) -> Response:
    params = SearchParams.of(request, language="lang")
    limit = int_param(request, "limit", 20, 1, MAX_LIMIT)
    offset = int_param(request, "offset", 0, 0, MAX_OFFSET)
    config = config_of(request)
    store = reader(request)
    with answering(store, API_NAMES):
        found = run_search(
            store,
            params.q,
            limit=limit,
            offset=offset,
            watchlist=config.watchlist,
            **params.filters(),
        )
    return JSONResponse(found.as_json())


routes = [Route("/api/search", api_search, methods=["GET"])]
