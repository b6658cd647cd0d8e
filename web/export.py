"""Exports of a search result: ``/export.csv``, ``/export.jsonl`` and ``/export.csl.json``.

They take the search page's parameters (``q``, ``tag``, ``person``, ``language``, ``outlet``,
``since``, ``until``; ``page`` is ignored) and hold the first ``EXPORT_LIMIT`` results in the
page's order. Headers say how many were exported (``X-Tmwatch-Exported``) out of how many
matched (``X-Tmwatch-Matches``; "5000+" when more matched than were counted) and the cap
(``X-Tmwatch-Export-Limit``); a capped export's file name ends in ``-first-5000``. File names
carry the date only, never the query: a name of a person at risk would otherwise sit in a
downloads folder and its recent-files list.

CSV: columns ``CSV_COLUMNS``, UTF-8 with a byte-order mark (spreadsheet applications then read
Cyrillic and Turkmen letters right), every cell quoted. A cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice on CSV injection),
so a spreadsheet shows a hostile title such as ``=HYPERLINK(...)`` as text instead of running
it; a negative number then reads as text too, which an archive of articles can afford.
JSON Lines: one search result per line, the objects ``/api/search`` and ``tmwatch search --json``
list. CSL-JSON: ``tmwatch cite --format csl-json`` of every result, for Zotero.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tmwatch.clock import utc_datetime
from tmwatch.output.citation import as_csl
from tmwatch.output.search import Filters, SearchResult, search
from tmwatch.store import Store
from tmwatch.web.common import config_of, reader
from tmwatch.web.searching import EXPORT_LIMIT, PAGE_NAMES, SearchParams, answering

CSV_COLUMNS = (
    "id",
    "published_day",
    "outlet",
    "language",
    "title",
    "url",
    "persons",
    "tags",
    "snippet",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_SECONDS = 30.0  # thousands of snippets take longer than a page of twenty


def neutralised(value: str) -> str:
    """``value`` as a spreadsheet shows it as text: a leading ``'`` when it would start a
    formula (see the module docstring)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv(store: Store, found: SearchResult) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for result in found.results:
        row = [
            result["id"],
            found.days.get(result["id"], ""),
            result["outlet"],
            result["language"] or "",
            result["title"],
            result["url"],
            "; ".join(result["persons"]),
            "; ".join(result["tags"]),
            result["snippet"],
        ]
        writer.writerow([neutralised(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


def _jsonl(store: Store, found: SearchResult) -> bytes:
    lines = (json.dumps(result, ensure_ascii=False) + "\n" for result in found.results)
    return "".join(lines).encode("utf-8")


def _csl(store: Store, found: SearchResult) -> bytes:
    articles = store.archive.articles_by_id(result["id"] for result in found.results)
    items = [as_csl(article) for article in articles]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


Writer = Callable[[Store, SearchResult], bytes]


def _export(request: Request, suffix: str, media_type: str, write: Writer) -> Response:
    params = SearchParams.of(request)
    config = config_of(request)
    store = reader(request)
    with answering(store, PAGE_NAMES, EXPORT_SECONDS):
        checked = params.check(store, config.watchlist)
        # One more than the cap: the only way to know there are more when the total is a
        # lower bound (filtered totals are counted to 1,000 only).
        filters = Filters.checked(checked, EXPORT_LIMIT + 1)
        found = search(store, params.q, filters, config.watchlist)
        capped = len(found.results) > EXPORT_LIMIT
        found = replace(found, results=found.results[:EXPORT_LIMIT])
        body = write(store, found)
    name = f"tmwatch-search-{utc_datetime().date().isoformat()}"
    if capped:
        name += f"-first-{EXPORT_LIMIT}"
    if not found.total_is_lower_bound:
        matches = str(found.total)
    else:
        matches = f"{EXPORT_LIMIT}+" if capped else str(len(found.results))
    headers: dict[str, Any] = {
        "content-disposition": f'attachment; filename="{name}{suffix}"',
        "x-tmwatch-exported": str(len(found.results)),
        "x-tmwatch-matches": matches,
        "x-tmwatch-export-limit": str(EXPORT_LIMIT),
    }
    return Response(body, media_type=media_type, headers=headers)


def export_csv(request: Request) -> Response:
    return _export(request, ".csv", "text/csv; charset=utf-8", _csv)


def export_jsonl(request: Request) -> Response:
    return _export(request, ".jsonl", "application/x-ndjson; charset=utf-8", _jsonl)


def export_csl(request: Request) -> Response:
    return _export(request, ".csl.json", "application/json; charset=utf-8", _csl)


routes = [
    Route("/export.csv", export_csv, methods=["GET"]),
    Route("/export.jsonl", export_jsonl, methods=["GET"]),
    Route("/export.csl.json", export_csl, methods=["GET"]),
]
