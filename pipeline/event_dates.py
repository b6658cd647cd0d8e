"""Event dates: the date a sentence gives for an event, resolved against the publication date.

An article published on 23 October that says "вчера", "düýn", "dün" or "yesterday" dates its
event 22 October; "22 Ekim'de" without a year is the 22 October nearest the publication (so a
January article's "28 December" is the previous December, and a late-December article's
"5 January" is the coming January: a scheduled hearing, the only kind of dated event an article
writes ahead of time). A weekday is the latest such day on or before the publication ("next" and
"last" move it a week). The publication date itself is never an event's date: a sentence that
states no date yields none.

Month and weekday names, relative words and number words are data (``config/events.toml``), so
this module only knows the shapes dates take: day-month(-year), month-day(-year) in English,
dd.mm.yyyy, month-year, a month or year alone, "N days ago", "the same day", "the next day".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from tmwatch.config.events import LanguageCues
from tmwatch.folding import lower

DatePrecision = Literal["day", "month", "year"]
DateBasis = Literal["stated", "relative", "no-year"]
MentionKind = Literal["day", "month", "year", "offset", "weekday", "same-day", "next-day"]

_W = r"[\w'’]"
_YEAR = r"((?:19|20)\d{2})"


@dataclass(frozen=True)
class DateMention:
    """A date as a sentence writes it, before it is resolved; offsets are in that sentence."""

    start: int
    end: int
    text: str
    kind: MentionKind
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: int | None = None  # "offset": days after the publication (negative: before)
    weekday: int | None = None  # "weekday": Monday = 0
    direction: int = 0  # "weekday": -1 last week's, 0 the latest on or before, +1 next


@dataclass(frozen=True)
class EventDate:
    """A resolved event date: ``value`` is YYYY-MM-DD, YYYY-MM or YYYY (None: not resolvable)."""

    value: str | None
    precision: DatePrecision | None
    basis: DateBasis | None
    text: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.value,
            "date_precision": self.precision,
            "date_basis": self.basis,
            "date_text": self.text,
        }


NO_DATE = EventDate(None, None, None, None)


def _stem_pattern(terms: Iterable[str]) -> str:
    """One alternation for stem terms, TermSet's rules: a word starts with the stem, "$" ends it."""
    parts = []
    for term in terms:
        words = [lower(w) for w in term.split()]
        parts.append(
            r"\s+".join(
                re.escape(w[:-1]) + rf"(?!{_W})" if w.endswith("$") else re.escape(w) + f"{_W}*"
                for w in words
            )
        )
    parts.sort(key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


def _lookup(word: str, table: Mapping[str, int]) -> int | None:
    """The number of the longest stem ``word`` starts with ("$" stems: the whole word)."""
    word = lower(word).replace("’", "'")
    best: tuple[int, int] | None = None
    for stem, number in table.items():
        stem = lower(stem)
        whole = stem.endswith("$")
        text = " ".join(stem.rstrip("$").split())
        matches = word == text or (whole and word.split("'")[0] == text)
        if not whole and word.startswith(text):
            matches = True
        if matches and (best is None or len(text) > best[0]):
            best = (len(text), number)
    return best[1] if best else None


class DateFinder:
    """Finds date mentions in sentences of one language (or of all, when it is unknown)."""

    def __init__(self, cues: Iterable[LanguageCues]) -> None:
        cues = list(cues)
        self.months: dict[str, int] = {}
        self.weekdays: dict[str, int] = {}
        self.relative: dict[str, int] = {}
        self.numbers: dict[str, int] = {}
        words: dict[str, list[str]] = {}
        for cue in cues:
            self.months.update(cue.months)
            self.weekdays.update(cue.weekdays)
            self.relative.update(cue.relative)
            self.numbers.update(cue.numbers)
            for name in ("next_words", "last_words", "ago", "day_units", "month_markers"):
                words.setdefault(name, []).extend(cue.cue(name))
            for name in ("same_day", "next_day", "year_words"):
                words.setdefault(name, []).extend(cue.cue(name))
        self.capitalised = any(c.months_capitalised for c in cues)
        ordinal = "|".join(f"(?:{c.ordinal})" for c in cues if c.ordinal) or ""
        ordinal = f"(?:{ordinal})?" if ordinal else ""
        month = _stem_pattern(self.months)
        day = rf"(\d{{1,2}}){ordinal}"
        joiner = r"\s*(?:,|и|and|ve|we|[-–])\s*"
        self._numeric = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?!\d)")
        self._day_month = re.compile(
            rf"(?<![\w.]){day}(?:{joiner}{day})?[\s.]+(?:of\s+)?({month})"
            rf"(?:[\s,.]+{_YEAR}(?!\d))?"
        )
        self._month_day = re.compile(
            rf"(?<!{_W})({month})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR}(?!\d))?"
        )
        self._month_year = re.compile(rf"(?<!{_W})({month})[\s,]+{_YEAR}(?!\d)")
        self._month = re.compile(rf"(?<!{_W})({month})")
        self._year_words = _stem_pattern(words["year_words"])
        self._year = re.compile(rf"(?<![\d.]){_YEAR}\S*\s+{self._year_words}|(?<=in ){_YEAR}\b")
        self._relative = re.compile(rf"(?<!{_W}){_stem_pattern(self.relative)}")
        shift = _stem_pattern([*words["next_words"], *words["last_words"]])
        self._weekday = re.compile(rf"(?<!{_W})(?:({shift})\s+)?({_stem_pattern(self.weekdays)})")
        number = _stem_pattern(self.numbers)
        self._ago = re.compile(
            rf"(?<!{_W})(\d{{1,2}}|{number})\s+{_stem_pattern(words['day_units'])}\s+"
            rf"{_stem_pattern(words['ago'])}"
        )
        self._same_day = re.compile(rf"(?<!{_W}){_stem_pattern(words['same_day'])}")
        self._next_day = re.compile(rf"(?<!{_W}){_stem_pattern(words['next_day'])}")
        self._markers = re.compile(rf"\s*{_stem_pattern(words['month_markers'])}")
        self._next_words = words["next_words"]
        self._year_before = re.compile(rf"{_YEAR}\S*\s+{self._year_words}\s*$")

    def find(self, text: str) -> list[DateMention]:
        """Every date mention in ``text``, in order, overlapping shapes resolved by priority."""
        lowered = lower(text)
        if len(lowered) != len(text):
            lowered = text
        found: list[DateMention] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        def add(mention: DateMention) -> None:
            found.append(mention)
            taken.append((mention.start, mention.end))

        for m in self._numeric.finditer(lowered):
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if _valid(y, mo, d):
                add(DateMention(m.start(), m.end(), text[m.start() : m.end()], "day", d, mo, y))
        for m in self._day_month.finditer(lowered):
            if not free(m.start(), m.end()):
                continue
            month = _lookup(m.group(3), self.months)
            start, year = m.start(), int(m.group(4)) if m.group(4) else None
            ahead = None if year else self._year_before.search(lowered[: m.start()])
            if ahead:  # "2021-nji ýylyň 18-nji oktýabrynda": the year written before the day
                start, year = ahead.start(), int(ahead.group(1))
            days = [int(g) for g in (m.group(1), m.group(2)) if g]
            if month is None or not all(1 <= d <= 31 for d in days):
                continue
            for d in days:
                add(DateMention(start, m.end(), text[start : m.end()], "day", d, month, year))
        for m in self._month_day.finditer(lowered):
            month = _lookup(m.group(1), self.months)
            if month and free(m.start(), m.end()) and 1 <= int(m.group(2)) <= 31:
                year = int(m.group(3)) if m.group(3) else None
                span = text[m.start() : m.end()]
                add(DateMention(m.start(), m.end(), span, "day", int(m.group(2)), month, year))
        for m in self._month_year.finditer(lowered):
            month = _lookup(m.group(1), self.months)
            if month and free(m.start(), m.end()):
                span = text[m.start() : m.end()]
                add(DateMention(m.start(), m.end(), span, "month", None, month, int(m.group(2))))
        for m in self._ago.finditer(lowered):
            if free(m.start(), m.end()):
                count = m.group(1)
                days = int(count) if count.isdigit() else _lookup(count, self.numbers)
                if days:
                    span = text[m.start() : m.end()]
                    add(DateMention(m.start(), m.end(), span, "offset", offset=-days))
        for m in self._relative.finditer(lowered):
            offset = _lookup(m.group(0), self.relative)
            if offset is not None and free(m.start(), m.end()):
                span = text[m.start() : m.end()]
                add(DateMention(m.start(), m.end(), span, "offset", offset=offset))
        for m in self._weekday.finditer(lowered):
            weekday = _lookup(m.group(2), self.weekdays)
            if weekday is None or not free(m.start(), m.end()):
                continue
            direction = 0
            if m.group(1):
                is_next = any(
                    lower(m.group(1)).startswith(lower(w).rstrip("$")) for w in self._next_words
                )
                direction = 1 if is_next else -1
            span = text[m.start() : m.end()]
            add(
                DateMention(
                    m.start(), m.end(), span, "weekday", weekday=weekday, direction=direction
                )
            )
        for m in self._month.finditer(lowered):
            month = _lookup(m.group(1), self.months)
            if month is None or not free(m.start(), m.end()):
                continue
            marked = self._markers.match(lowered, m.end()) is not None
            if self.capitalised and not text[m.start()].isupper() and not marked:
                continue
            add(DateMention(m.start(), m.end(), text[m.start() : m.end()], "month", None, month))
        for m in self._year.finditer(lowered):
            start, end = m.span()
            group = 1 if m.group(1) else 2
            if free(m.start(group), m.end(group)):
                add(DateMention(start, end, text[start:end], "year", year=int(m.group(group))))
        for pattern, kind in ((self._same_day, "same-day"), (self._next_day, "next-day")):
            for m in pattern.finditer(lowered):
                if free(m.start(), m.end()):
                    add(DateMention(m.start(), m.end(), text[m.start() : m.end()], kind))
        return sorted(found, key=lambda d: (d.start, d.day or 0))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def publication_day(published: str | date | None) -> date | None:
    """The calendar day an article was published, as the outlet wrote it (its own time zone)."""
    if published is None or isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """The day/month nearest the publication: the year is the one the text leaves implicit."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        if _valid(year, month, day):
            candidates.append(date(year, month, day))
    return min(candidates, key=lambda d: abs((d - published).days), default=None)


def resolve(
    mention: DateMention, published: str | date | None, previous: EventDate | None = None
) -> EventDate:
    """A mention's date: full when the text gives a year, else from the publication date.

    ``previous`` is the last date resolved before the mention, for "the same day"/"the next day".
    A mention that cannot be resolved (no year and no publication date) is no date at all: no
    precision or basis is claimed for a date that is not given.
    """
    found = _resolve(mention, published, previous)
    return found if found.value is not None else EventDate(None, None, None, found.text)


def _resolve(
    mention: DateMention, published: str | date | None, previous: EventDate | None
) -> EventDate:
    pub = publication_day(published)
    text = mention.text
    if mention.kind == "day" and mention.month and mention.day:
        if mention.year is not None:
            if not _valid(mention.year, mention.month, mention.day):
                return EventDate(None, "day", "stated", text)
            day = date(mention.year, mention.month, mention.day)
            return EventDate(day.isoformat(), "day", "stated", text)
        resolved = _nearest_year(mention.month, mention.day, pub) if pub else None
        return EventDate(resolved.isoformat() if resolved else None, "day", "no-year", text)
    if mention.kind == "month" and mention.month:
        if mention.year is not None:
            return EventDate(f"{mention.year:04d}-{mention.month:02d}", "month", "stated", text)
        if pub is None:
            return EventDate(None, "month", "no-year", text)
        first = _nearest_year(mention.month, 1, pub.replace(day=1))
        value = f"{first.year:04d}-{mention.month:02d}" if first else None
        return EventDate(value, "month", "no-year", text)
    if mention.kind == "year" and mention.year:
        return EventDate(f"{mention.year:04d}", "year", "stated", text)
    if mention.kind == "offset" and mention.offset is not None:
        value = (pub + timedelta(days=mention.offset)).isoformat() if pub else None
        return EventDate(value, "day", "relative", text)
    if mention.kind == "weekday" and mention.weekday is not None:
        if pub is None:
            return EventDate(None, "day", "relative", text)
        back = (pub.weekday() - mention.weekday) % 7
        if mention.direction > 0:
            day = pub + timedelta(days=(mention.weekday - pub.weekday()) % 7 or 7)
        else:
            day = pub - timedelta(days=back or (7 if mention.direction < 0 else 0))
        return EventDate(day.isoformat(), "day", "relative", text)
    if mention.kind in ("same-day", "next-day") and previous and previous.value:
        if mention.kind == "same-day":
            return EventDate(previous.value, previous.precision, "relative", text)
        if previous.precision == "day":
            day = date.fromisoformat(previous.value) + timedelta(days=1)
            return EventDate(day.isoformat(), "day", "relative", text)
    return EventDate(None, None, None, text)
