"""``/search``: the archive for researchers, with facets, a month histogram and pages.

The query language and the cross-script folding are ``tmwatch search``'s (``output.search``),
and so is the rule that a filter value nothing stored carries is an error listing the values
that exist: here a 400 page with that one line, never an empty result that reads as "nothing
was reported".

Facet counts and the histogram cover at most ``FACET_LIMIT`` matches, the newest first, and
the page says so when a search matches more (``Archive.facets`` explains the bound). The
parameters, their checks and the time limit are shared with the exports and the API
(``web.searching``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tmwatch.output.search import FacetCounts, Filters, SearchResult, search
from tmwatch.web.common import MAX_PAGE, config_of, int_param, reader, render
from tmwatch.web.i18n import gettext_ as _
from tmwatch.web.searching import EXPORT_LIMIT, PAGE_NAMES, SearchParams, answering

PAGE_SIZE = 20
SHOWN = 8  # facet values listed before "more"
HISTOGRAM_GAPS = 36  # months of zero are shown between dated ones up to this span

# -- the form's choices -------------------------------------------------------------------------


def _options(values: list[str], chosen: str | None) -> list[str]:
    """The form's options: what is stored, and the value asked for if it is not among them."""
    return values if chosen is None or chosen in values else [chosen, *values]


# -- what the page shows --------------------------------------------------------------------------


def segments(text: str, matches: list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(part, matched)`` pieces by the snippet's match offsets: the template
    wraps matched parts in ``<mark>`` and escapes every part, so no markup is ever built from
    article text."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted((int(s), int(e)) for s, e in matches):
        if start < at or start >= end:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    href: str


@dataclass(frozen=True)
class Facet:
    """One facet's values as links that add them to the search, or the one that is active."""

    name: str
    title: str
    values: list[FacetValue]
    active: str | None = None
    remove: str = ""


def _facet(params: SearchParams, name: str, title: str, counts: list[tuple[str, int]]) -> Facet:
    active = getattr(params, name)
    if active is not None:
        return Facet(name, title, [], active, params.href(**{name: None}))
    values = [
        FacetValue(value, count, params.href(**{name: value})) for value, count in counts if value
    ]
    return Facet(name, title, values)


def _month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def _is_month(text: str) -> bool:
    """``YYYY-MM`` of a real month (a stored day that is not one counts as undated)."""
    return bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text)) and text >= "0001-01"


def _month_shown(params: SearchParams) -> str | None:
    """The month the date filters are exactly, if they are one (the active month facet)."""
    if params.since and params.until:
        month = params.since.isoformat()[:7]
        if (params.since, params.until) == _month_bounds(month):
            return month
    return None


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str | None
    width: int  # per cent of the largest month


def histogram(params: SearchParams, counts: list[tuple[str, int]]) -> list[Bar]:
    """Rows of the month histogram, oldest first: every month between the first and the last
    dated match when that span is short (a gap then shows as a month of zero), the months with
    matches otherwise; undated matches last, without a link (no filter selects them)."""
    per_month = {month: count for month, count in counts if _is_month(month)}
    undated = sum(count for month, count in counts if month not in per_month)
    months = sorted(per_month)
    if months:
        span = _months(months[0], months[-1])
        if len(span) <= HISTOGRAM_GAPS:
            months = span
    largest = max([*per_month.values(), undated, 1])
    bars = []
    for month in months:
        count = per_month.get(month, 0)
        first, last = _month_bounds(month)
        href = params.href(since=first, until=last) if count else None
        bars.append(Bar(month, count, href, round(100 * count / largest)))
    if undated:
        bars.append(Bar(_("undated"), undated, None, round(100 * undated / largest)))
    return bars


@dataclass(frozen=True)
class Paging:
    page: int
    last: int  # the last page known to exist
    more: bool  # pages beyond ``last`` may exist (the total is a lower bound)
    prev: str | None
    next: str | None
    numbers: list[tuple[int | None, str | None]]  # (page, href); (None, None) is a gap


def paging(params: SearchParams, page: int, found: SearchResult) -> Paging:
    """Links to the previous, the next and nearby pages; the total decides where they end."""
    last = max(1, -(-found.total // PAGE_SIZE))
    shown_to = (page - 1) * PAGE_SIZE + len(found.results)
    more = found.total_is_lower_bound
    has_next = shown_to < found.total or (more and len(found.results) == PAGE_SIZE)
    last = max(last, page + 1 if has_next else page)

    def link(number: int) -> str:
        items = [*params.items(), *([("page", str(number))] if number > 1 else [])]
        return "/search?" + urlencode(items) if items else "/search"

    wanted = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    numbers: list[tuple[int | None, str | None]] = []
    before = 0
    for number in wanted:
        if before and number - before > 1:
            numbers.append((None, None))
        numbers.append((number, link(number)))
        before = number
    return Paging(
        page=page,
        last=last,
        more=more,
        prev=link(page - 1) if page > 1 else None,
        next=link(page + 1) if has_next else None,
        numbers=numbers,
    )


def _active(params: SearchParams) -> list[tuple[str, str, str]]:
    """(what, value, link without it) for each filter in use, for the "remove" links."""
    names = {
        "tag": _("tag"),
        "person": _("person"),
        "language": _("language"),
        "outlet": _("outlet"),
        "since": _("since"),
        "until": _("until"),
    }
    month = _month_shown(params)
    out = []
    for name, title in names.items():
        value = getattr(params, name)
        if value is None or (month and name in ("since", "until")):
            continue
        out.append((title, str(value), params.href(**{name: None})))
    if month:
        out.append((_("month"), month, params.href(since=None, until=None)))
    return out


def _view(params: SearchParams, found: SearchResult) -> list[dict[str, Any]]:
    return [
        {
            **result,
            "day": found.days.get(result["id"], ""),
            "parts": segments(result["snippet"], result["matches"]),
        }
        for result in found.results
    ]


def search_page(request: Request) -> Response:
    """The form, and with any parameter the results, their facets, histogram and pages."""
    params = SearchParams.of(request)
    page = int_param(request, "page", 1, 1, MAX_PAGE)
    config = config_of(request)
    store = reader(request)
    with answering(store, PAGE_NAMES):
        checked = params.check(store, config.watchlist)
        offset = (page - 1) * PAGE_SIZE
        filters = Filters.checked(checked, PAGE_SIZE, offset)
        found = search(store, params.q, filters, config.watchlist, facets=True)
        # Both scan the articles, but the store reuses them until it changes (Archive._remember).
        languages = store.archive.languages()
        outlets = sorted({name for name, _key in store.archive.outlets()})
        tags, persons = store.archive.label_values("tag"), store.archive.person_labels()
    if page > 1 and not found.results:
        # A 404 rather than an empty page: a link past the end is wrong, and says where it ends.
        last = max(1, -(-found.total // PAGE_SIZE))
        message = _("page %(page)d is past the last page of results (%(last)d)")
        if found.total_is_lower_bound:  # the last page is not known
            message = _("page %(page)d is past the end of the results")
        raise HTTPException(404, message % {"page": page, "last": last})
    counts = found.facets or FacetCounts([], [], [], [], [], 0, True)
    month = _month_shown(params)
    facet_list = [
        _facet(params, "tag", _("Tags"), counts.tags),
        _facet(params, "person", _("People"), counts.persons),
        _facet(params, "outlet", _("Outlets"), counts.outlets),
        _facet(params, "language", _("Languages"), counts.languages),
    ]
    context = {
        "params": params,
        "found": found,
        "results": _view(params, found),
        "first": offset + 1,
        "facets": facet_list,
        "counts": counts,
        "shown": SHOWN,
        "export_limit": f"{EXPORT_LIMIT:,}",
        "histogram": histogram(params, counts.months),
        "month": month,
        "active": _active(params),
        "paging": paging(params, page, found),
        "exports": [
            ("CSV", params.href("/export.csv")),
            ("JSON Lines", params.href("/export.jsonl")),
            ("CSL-JSON", params.href("/export.csl.json")),
        ],
        "choices": {
            "tag": _options(tags, params.tag),
            "person": _options(persons, params.person),
            "language": _options(languages, params.language),
            "outlet": _options(outlets, params.outlet),
        },
    }
    return render(request, "search.html", context)


routes = [Route("/search", search_page, methods=["GET"])]
