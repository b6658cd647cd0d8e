"""The publication day in the outlet's own time zone: one function for every day shown or cited.

A publication time is stored as the outlet (or its feed) wrote it, offset included. The *day*
that a footnote cites, a digest shows and a date filter compares is that moment's calendar day
where the outlet is: an article stamped ``2021-10-19T21:30:00Z`` by an outlet in Ashgabat
(UTC+5) was published on 20 October there, and an appeal citing "19.10.2021" would send a reader
to the wrong day. Cutting the first ten characters of the stored text gave the day in whatever
offset the text happened to be written in, UTC for most structured data.

Everything that shows or compares a day goes through ``local_day`` (the store keeps its result
as ``published_day`` at ingest, computed with the registry's time zone of the source), so the
citation, the digest, search and the store's filters can never disagree about a day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class UnknownTimeZone(ValueError):
    """A time-zone name that the IANA database (``zoneinfo`` with ``tzdata``) does not know."""


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Asia/Ashgabat``); UnknownTimeZone for anything else.

    Abbreviations such as ``MSK`` are not zone names: they are read from feeds by
    ``tmwatch.pipeline.dates`` through its data table, never here.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise UnknownTimeZone(f"{name!r} is not an IANA time zone (e.g. Asia/Ashgabat)") from None


def local_day(published: str | None, timezone: str | None = None) -> date | None:
    """The calendar day of ``published`` in ``timezone`` (an IANA name); None if not a date.

    ``published`` is what tmwatch stores: ISO 8601 with an offset, a time without one, or a
    bare date. A moment with an offset is converted to ``timezone``; without ``timezone`` (an
    outlet the registry gives none) it keeps the offset it was written with, which is the
    outlet's own where the page or feed said so. A bare date and a time without an offset are
    already the outlet's wall clock: their day is the one written.
    """
    if not published or not isinstance(published, str):
        return None
    text = published.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None and timezone:
        try:
            moment = moment.astimezone(zone(timezone))
        except OverflowError:  # a stamp at the edge of year 9999, as old stores may hold
            return None
    return moment.date()


def day_text(published: str | None, timezone: str | None = None) -> str | None:
    """``local_day`` as ``YYYY-MM-DD`` (how the store and the digest JSON keep the day)."""
    day = local_day(published, timezone)
    return day.isoformat() if day else None


def article_day(article: Mapping[str, Any]) -> date | None:
    """The day a stored or digest article shows: its ``published_day``, derived at ingest in
    the outlet's time zone; for a record without one (built by hand, or read from an older
    digest), the day of ``published`` in its own offset."""
    stored = article.get("published_day")
    if isinstance(stored, str) and stored:
        try:
            return date.fromisoformat(stored)
        except ValueError:
            pass
    return local_day(article.get("published"))
