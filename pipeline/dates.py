"""Publication dates: parsing every form the outlets use, and choosing by precedence.

Precedence: JSON-LD ``datePublished`` / ``article:published_time`` -> the feed's
date -> htmldate (extensive, never later than the fetch) -> a date in the URL -> a Russian,
Turkmen or Turkish date written in the page text. A modified date is never a publication date.

A time is kept with the offset it was written with, never without one: ``+03:00`` in an RFC 822
date, a zone abbreviation (``MSK``, ``TRT``, ``PT``: read through the data table
``config/zone_abbreviations.toml``) or, in a feed whose date tmwatch cannot read at all,
feedparser's reading (UTC). An abbreviation nobody knows is no date rather than a guess. The day
a date falls on is ``tmwatch.days.local_day``'s business, in the outlet's time zone.

A date outside 1990 .. tomorrow (UTC) is no date: CMS defaults (1970-01-01), typos and parser
overflows (feedparser turns ``9999-12-31T23:00:00-05:00`` into the year 10000) are refused.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from importlib import resources
from time import struct_time

from tmwatch.clock import utc_datetime
from tmwatch.days import local_day, zone

_RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
    # Turkmen.News abbreviations: 19.Сен.2021
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_TK_MONTHS = {
    "ýanwar": 1,
    "fewral": 2,
    "mart": 3,
    "aprel": 4,
    "maý": 5,
    "iýun": 6,
    "iýul": 7,
    "awgust": 8,
    "sentýabr": 9,
    "oktýabr": 10,
    "noýabr": 11,
    "dekabr": 12,
}
_TR_MONTHS = {
    "ocak": 1,
    "şubat": 2,
    "mart": 3,
    "nisan": 4,
    "mayıs": 5,
    "haziran": 6,
    "temmuz": 7,
    "ağustos": 8,
    "eylül": 9,
    "ekim": 10,
    "kasım": 11,
    "aralık": 12,
}
# English names, as RFC 822 dates and English pages write them (three letters or in full).
_EN_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

EARLIEST_YEAR = 1990
"""Nothing tmwatch reads was published before this year; an earlier date is a parser's error."""

# A zone after a time: Z, a numeric offset (+03:00, +0300, +03), GMT/UTC with or without an
# offset (GMT+3, UTC+05:00), or a name looked up in the abbreviations table (MSK, Etc/GMT, МСК).
_ZONE = (
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|(?:GMT|UTC|UT)\s?[+-]\d{1,2}(?::?\d{2})?"
    r"|[^\W\d_]{1,6}(?:/[^\W\d_]{1,6})?)"
)
_ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    rf"\s*{_ZONE}?)?$",
    re.IGNORECASE,
)
# ISO 8601 basic format, as some CMSs write JSON-LD: 20180619T055000+0900.
_ISO_BASIC = re.compile(
    r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
    r"T(?P<hour>\d{2})(?P<minute>\d{2})(?P<second>\d{2})?(?:[.,]\d+)?"
    rf"{_ZONE}?$",
    re.IGNORECASE,
)
# RFC 822 / 2822 as feeds write it, with the usual liberties: a long month name, no seconds,
# no weekday, a comma after the month, a two-digit year, "+03:00", no time at all.
_RFC822 = re.compile(
    r"^(?:[^\W\d_]{2,9}\.?,?\s+)?(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]{3,9})\.?,?\s+"
    r"(?P<year>\d{2,4}),?"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    rf"(?:\s*{_ZONE})?)?$",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/](\d{2})[-/](\d{2})(?:[/_-]|$)")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b")
# "3 октября 2021", "3-nji oktýabr 2021", "3 Ekim 2021", "19.Сен.2021", "2-nji oktýabr, 2017"
_WORDY = re.compile(
    r"\b(\d{1,2})(?:-?(?:nji|njy|nji|njı|y|i|ı))?[\s.]+([^\W\d_]{3,12})[\s.,]+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)


class _Refused(ValueError):
    """A date tmwatch could read but must not use: impossible, out of range, or in a time zone
    nobody knows (a guess would move the day)."""


@cache
def _abbreviations() -> dict[str, str]:
    """The abbreviation table (``config/zone_abbreviations.toml``), keys upper-cased."""
    path = resources.files("tmwatch.config").joinpath("zone_abbreviations.toml")
    table = tomllib.loads(path.read_text(encoding="utf-8"))["abbreviations"]
    return {str(key).upper(): str(value) for key, value in table.items()}


def _offset(text: str) -> timezone:
    """``+03:00``, ``+0300``, ``+03``, ``-5`` as a fixed offset."""
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        raise _Refused(f"impossible UTC offset {text!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _zone_of(token: str, wall: datetime) -> timezone:
    """The offset a zone token stands for at ``wall`` (its own wall-clock time)."""
    token = token.strip()
    if token.upper() == "Z":
        return UTC
    if token[0] in "+-":
        return _offset(token)
    upper = token.upper().replace(" ", "")
    for prefix in ("GMT", "UTC", "UT"):
        if upper.startswith(prefix) and upper[len(prefix) : len(prefix) + 1] in ("+", "-"):
            return _offset(upper[len(prefix) :])
    meaning = _abbreviations().get(upper)
    if meaning is None:
        raise _Refused(f"unknown time-zone abbreviation {token!r}")
    if meaning[0] in "+-":
        return _offset(meaning)
    aware = wall.replace(tzinfo=zone(meaning))
    delta = aware.utcoffset()
    assert delta is not None
    return timezone(delta)


def _year(text: str) -> int:
    """A four-digit year as written; a two-digit one as feeds mean it (89 -> 2089, 90 -> 1990)."""
    year = int(text)
    if len(text) <= 2:
        year += 1900 if year >= 90 else 2000
    return year


def latest_day() -> date:
    """Tomorrow in UTC: no outlet's local day can be later than that now."""
    return (utc_datetime() + timedelta(days=1)).date()


def plausible(day: date | None, not_after: date | None = None) -> bool:
    """Whether a publication can have happened on ``day`` (1990 .. tomorrow, or ``not_after``)."""
    return day is not None and EARLIEST_YEAR <= day.year and day <= (not_after or latest_day())


def _build(match: re.Match[str], month: int) -> str:
    """The ISO text of a matched date: a bare date, or a time with its offset (or none)."""
    parts = match.groupdict()
    try:
        day = date(_year(parts["year"]), month, int(parts["day"]))
    except ValueError:
        raise _Refused(f"impossible date {match.group(0)!r}") from None
    if not plausible(day):
        raise _Refused(f"{day.isoformat()} is outside {EARLIEST_YEAR} .. tomorrow")
    if parts["hour"] is None:
        return day.isoformat()
    try:
        wall = datetime(
            day.year,
            day.month,
            day.day,
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
        )
    except ValueError:
        raise _Refused(f"impossible time {match.group(0)!r}") from None
    if parts["zone"]:
        wall = wall.replace(tzinfo=_zone_of(parts["zone"], wall))
    return wall.isoformat()


def _read(value: str) -> str | None:
    """The ISO text of an ISO 8601 or RFC 822 date; None if the form is not one tmwatch reads.

    Raises _Refused for a date in a readable form that cannot be used.
    """
    value = " ".join(value.split())
    for pattern in (_ISO, _ISO_BASIC):
        match = pattern.match(value)
        if match:
            return _build(match, int(match.group("month")))
    match = _RFC822.match(value)
    if match:
        month = _EN_MONTHS.get(match.group("month")[:3].lower())
        if month is None:
            return None
        return _build(match, month)
    return None


def parse_date(value: str | None) -> str | None:
    """Normalise an ISO 8601 or RFC 822 date to ISO 8601, keeping its offset; else None.

    None too for a date that cannot be true (see the module docstring) and for a time in a
    zone that cannot be read: storing its wall clock without an offset would move the day.
    """
    if not value or not isinstance(value, str):
        return None
    try:
        return _read(value)
    except _Refused:
        return None


def feed_date(raw: str | None, parsed: struct_time | None) -> str | None:
    """A feed entry's date: tmwatch's reading of the text, with its offset; where tmwatch cannot
    read the form at all, feedparser's ``*_parsed`` value (which is UTC).

    A date tmwatch reads and refuses (impossible, out of range, unknown zone) stays refused:
    feedparser would take an unknown zone for UTC and turn overflows into the year 10000.
    """
    if raw and isinstance(raw, str):
        try:
            value = _read(raw)
        except _Refused:
            return None
        if value:
            return value
    if not parsed:
        return None
    try:
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return moment.isoformat() if plausible(moment.date()) else None


def _month(word: str) -> int | None:
    word = word.lower()
    for table in (_TK_MONTHS, _TR_MONTHS):
        for name, number in table.items():
            if word.startswith(name):
                return number
    for stem, number in sorted(_RU_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "май", "мае")):
            return number
    return None


def date_from_text(text: str, not_after: date | None = None) -> str | None:
    """The first plausible day written in words or dd.mm.yyyy in ``text`` (ru, tk, tr)."""
    candidates: list[tuple[int, date | None]] = []
    for match in _WORDY.finditer(text):
        month = _month(match.group(2))
        if month:
            candidates.append((match.start(), _safe_date(match.group(3), month, match.group(1))))
    for match in _NUMERIC.finditer(text):
        candidates.append(
            (match.start(), _safe_date(match.group(3), int(match.group(2)), match.group(1)))
        )
    for _, day in sorted(candidates, key=lambda c: c[0]):
        if plausible(day, not_after):
            assert day is not None
            return day.isoformat()
    return None


def _safe_date(year: str, month: int, day: str) -> date | None:
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def date_from_url(url: str) -> str | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    day = _safe_date(match.group(1), int(match.group(2)), match.group(3))
    return day.isoformat() if plausible(day) and day else None


# -- the time a page shows -----------------------------------------------------------------------

_CLOCK = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
_SHOWN_ZONE = (
    r"(?:\s*\(?\s*(?P<zone>(?:GMT|UTC)\s?[+-]\d{1,2}(?::?\d{2})?|GMT|UTC|[^\W\d_]{2,5})"
    r"(?![^\W\d_])\s*\)?)?"
)
_JOIN = r"[\s,|·•—–-]*(?:в|saat|at|um|sagat)?[\s,|·•—–-]*"
_WALL_PATTERNS = (
    # 20.10.2021 02:30, 20/10/2021, 02:30
    re.compile(
        r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d{2})"
        + _JOIN
        + _CLOCK
        + _SHOWN_ZONE
    ),
    # 2021-10-20 02:30
    re.compile(
        r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})" + _JOIN + _CLOCK + _SHOWN_ZONE
    ),
    # 20 октября 2021, 02:30 · 20-nji oktýabr, 2021 02:30 · 20 Ekim 2021 02:30 · 20 Oct 2021
    re.compile(
        r"\b(?P<day>\d{1,2})(?:-?(?:nji|njy|njı|y|i|ı))?[\s.]+(?P<mname>[^\W\d_]{3,12})[\s.,]+"
        r"(?P<year>(?:19|20)\d{2})(?:\s*ý\.)?" + _JOIN + _CLOCK + _SHOWN_ZONE,
        re.IGNORECASE,
    ),
    # October 20, 2021 02:30 AM
    re.compile(
        r"\b(?P<mname>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})"
        + _JOIN
        + _CLOCK
        + _SHOWN_ZONE
    ),
    # 02:30, 20.10.2021 (the time first, as Russian sites often print it)
    re.compile(
        r"\b(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?"
        + _SHOWN_ZONE
        + r"[\s,|·•—–-]+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d{2})\b"
    ),
)


@dataclass(frozen=True)
class ShownTime:
    """A date and time of day printed on a page, and the offset printed beside it, if any."""

    wall: datetime
    offset: timezone | None = None


def shown_times(text: str) -> list[ShownTime]:
    """Every date with a time of day written in ``text`` (ru, tk, tr, en; numeric and words),
    with the offset or zone abbreviation written after it where there is one."""
    found: list[tuple[int, ShownTime]] = []
    for pattern in _WALL_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = (
                int(parts["month"])
                if parts.get("month")
                else _month(parts["mname"]) or _EN_MONTHS.get(parts["mname"][:3].lower())
            )
            if not month:
                continue
            hour = int(parts["hour"])
            ampm = (parts.get("ampm") or "").lower().replace(".", "")
            if ampm and not 1 <= hour <= 12:
                continue
            if ampm:
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            try:
                wall = datetime(
                    int(parts["year"]), month, int(parts["day"]), hour, int(parts["minute"])
                )
            except ValueError:
                continue
            offset = None
            if parts.get("zone"):
                try:
                    offset = _zone_of(parts["zone"], wall)
                except ValueError:  # _Refused too: a word after the time, not a zone
                    offset = None
            found.append((match.start(), ShownTime(wall, offset)))
    return [shown for _, shown in sorted(found, key=lambda item: item[0])]


MAX_SHOWN_OFFSET = timedelta(hours=14)
# Offsets in use that are not whole hours (India, Iran, Nepal, Afghanistan, Myanmar, ...): a
# difference of another quarter hour between a printed time and the instant is a coincidence.
_ODD_OFFSETS = frozenset(
    timedelta(hours=h, minutes=m)
    for h, m in ((3, 30), (4, 30), (5, 30), (5, 45), (6, 30), (8, 45), (9, 30), (10, 30), (12, 45))
) | frozenset(-timedelta(hours=h, minutes=m) for h, m in ((3, 30), (9, 30)))


def shown_offset(instant: datetime, shown: list[ShownTime]) -> timezone | None:
    """The UTC offset at which a page prints ``instant``: the offset written beside a time that
    is this instant, else the difference between a printed wall-clock time and the instant when
    it is an offset in use (whole hours within -12..+14, or one of the few half and quarter
    hours). The most frequent such offset wins, the first printed on a tie; None when nothing
    printed is this instant.
    """
    utc = instant.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    counts: dict[timezone, int] = {}
    for item in shown:
        if item.offset is not None:
            if item.wall - item.offset.utcoffset(None) == utc:
                return item.offset
            continue
        delta = item.wall - utc
        in_use = not delta % timedelta(hours=1) or delta in _ODD_OFFSETS
        if -timedelta(hours=12) <= delta <= MAX_SHOWN_OFFSET and in_use:
            offset = timezone(delta)
            counts[offset] = counts.get(offset, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda offset: counts[offset])


def in_offset(value: str, offset: timezone) -> str:
    """``value`` (an ISO time with an offset) written at ``offset``: the same instant."""
    return datetime.fromisoformat(value).astimezone(offset).isoformat()


def is_utc(value: str | None) -> bool:
    """Whether ``value`` is a time stamped in UTC (where the outlet's own offset was lost)."""
    if not value or len(value) <= 10:
        return False
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return moment.utcoffset() == timedelta(0)


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date/datetime string, in the offset it was written with."""
    return local_day(value)


def fetch_day(fetched_at: str) -> date:
    return day_of(fetched_at) or datetime.now(UTC).date()
