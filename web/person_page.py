"""The person page: one watched person's names, status, case timeline and coverage.

It is the case file (``output.casefile.build_case``) as a page, so the web and the annex an
appeal attaches can never disagree: the same merged events, the same status, the same footnote
text citing every report of an event. Any spelling or script reaches the person
(``Taganova``, ``Таганова``, ``Taganowa``); a name that matches nobody is a 404 that lists no
one, because the list of watched people is itself sensitive.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from babel.dates import format_date
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tmwatch.output.casefile import build_case, date_text
from tmwatch.output.filters import resolve_person
from tmwatch.web.common import bad_request, config_of, reader, render
from tmwatch.web.i18n import gettext_ as _

MAX_NAME = 200
MAX_MONTHS = 240
"""Coverage months filled in between the first and last article (beyond: only months with
articles), so a gap in reporting shows as a row of zeros."""
MAX_COVERAGE_LISTED = 200
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def name_param(request: Request) -> str:
    value = str(request.path_params.get("name", ""))
    if len(value) > MAX_NAME:
        raise bad_request(_("The name is longer than %(n)d characters.") % {"n": MAX_NAME})
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise bad_request(_("The name contains control characters."))
    if not value.strip():
        raise bad_request(_("Give a name."))
    return value.strip()


def _months(coverage: list[dict[str, Any]], lang: str) -> tuple[list[dict[str, Any]], int]:
    """Articles per month (``YYYY-MM``), oldest first, gaps as zeros; and the undated ones."""
    counts: Counter[str] = Counter()
    undated = 0
    for item in coverage:
        day = item.get("published") or ""
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", day[:10]):
            counts[day[:7]] += 1
        else:
            undated += 1
    if not counts:
        return [], undated
    first, last = min(counts), max(counts)
    months = sorted(counts)
    y, m = int(first[:4]), int(first[5:7])
    span = (int(last[:4]) - y) * 12 + int(last[5:7]) - m + 1
    if span <= MAX_MONTHS:
        months = []
        for _step in range(span):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    top = max(counts.values())
    rows = [
        {
            "month": month,
            "label": format_date(date(int(month[:4]), int(month[5:7]), 1), "LLLL y", locale=lang),
            "count": counts.get(month, 0),
            "max": top,
        }
        for month in months
    ]
    return rows, undated


def _footnotes(person: dict[str, Any], sources: dict[str, Any]) -> list[dict[str, Any]]:
    """One footnote per event that has reports, numbered in timeline order; each lists every
    report (earliest first) with its citation, the sentence and the article it is in."""
    notes = []
    for event in person["events"]:
        reports = []
        for report in event["reports"]:
            source = sources.get(report["article_id"]) or {}
            language = report.get("language") or ""
            reports.append(
                {
                    **report,
                    "citation": source.get("citation") or report.get("citation") or "",
                    "lang": language if _LANG_TAG.fullmatch(language) else "",
                    "published_text": date_text(report.get("published"), "day")
                    if report.get("published")
                    else _("undated"),
                }
            )
        if reports:
            notes.append({"number": len(notes) + 1, "event": event, "reports": reports})
            event["footnote"] = len(notes)
        else:
            event["footnote"] = None
    return notes


def person_page(request: Request) -> Response:
    name = name_param(request)
    config = config_of(request)
    store = reader(request)
    with store.snapshot():
        found = resolve_person(store, name, config.watchlist)
        if not found:
            raise HTTPException(
                404, detail=_("No watched person in the archive matches this name.")
            )
        if len(found) > 1:
            return render(request, "person.html", {"name": name, "matches": found})
        case = build_case(store, found, config.watchlist)
    person = case["persons"][0]
    notes = _footnotes(person, case["sources"])
    months, undated = _months(person["coverage"], getattr(request.state, "lang", "en"))
    coverage = person["coverage"]
    context = {
        "name": name,
        "matches": None,
        "person": person,
        "notes": notes,
        "months": months,
        "undated": undated,
        "coverage": coverage[:MAX_COVERAGE_LISTED],
        "coverage_count": len(coverage),
        "is_lang": lambda value: bool(value and _LANG_TAG.fullmatch(value)),
    }
    return render(request, "person.html", context)


routes = [Route("/person/{name}", person_page)]
