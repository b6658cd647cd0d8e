"""Publication dates: parsing every form the outlets use, and choosing by precedence.

Precedence: JSON-LD ``datePublished`` / ``article:published_time`` -> the feed's
date -> htmldate (extensive, never later than the fetch) -> a date in the URL -> a Russian,
Turkmen or Turkish date written in the page text. A modified date is never a publication date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

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

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?$"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/](\d{2})[-/](\d{2})(?:[/_-]|$)")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b")
# "3 октября 2021", "3-nji oktýabr 2021", "3 Ekim 2021", "19.Сен.2021", "2-nji oktýabr, 2017"
_WORDY = re.compile(
    r"\b(\d{1,2})(?:-?(?:nji|njy|nji|njı|y|i|ı))?[\s.]+([^\W\d_]{3,12})[\s.,]+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> str | None:
    """Normalise an ISO-8601 or RFC-822 date to ISO-8601 (keeps the offset), else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO.match(value)
    if match:
        year, month, day, hour, minute, second, tz = match.groups()
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            return None
        if hour is None:
            return f"{year}-{month}-{day}"
        tz = tz or ""
        if tz == "Z":
            tz = "+00:00"
        elif tz and ":" not in tz:
            tz = f"{tz[:3]}:{tz[3:]}"
        try:
            parsed = datetime.fromisoformat(
                f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{tz}"
            )
        except ValueError:
            return None
        return parsed.isoformat()
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.year < 1990:
        return None
    return parsed.isoformat()


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
    candidates: list[tuple[int, date]] = []
    for match in _WORDY.finditer(text):
        month = _month(match.group(2))
        if month:
            candidates.append((match.start(), _safe_date(match.group(3), month, match.group(1))))
    for match in _NUMERIC.finditer(text):
        candidates.append(
            (match.start(), _safe_date(match.group(3), int(match.group(2)), match.group(1)))
        )
    for _, day in sorted(candidates, key=lambda c: c[0]):
        if day and (not_after is None or day <= not_after):
            return day.isoformat()
    return None


def _safe_date(year: str, month: int, day: str) -> date | None:  # type: ignore[return]
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def date_from_url(url: str) -> str | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    day = _safe_date(match.group(1), int(match.group(2)), match.group(3))
    return day.isoformat() if day else None


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date/datetime string."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def fetch_day(fetched_at: str) -> date:
    return day_of(fetched_at) or datetime.now(UTC).date()
