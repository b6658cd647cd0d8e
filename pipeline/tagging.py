"""Tagging: topics (events and scoped events), watched people and places, with evidence.

Every tag carries the sentence that proves it, its offsets in the field (title or text) and the
words that matched, so a monitor can verify a tag at a glance and a researcher can quote it.
Lexicons and the watchlist are data (``config/topics.toml``, ``config/watchlist.toml``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tmwatch.config.lexicons import (
    DEFAULT_TOPICS,
    DEFAULT_WATCHLIST,
    Topic,
    Watchlist,
    load_topics,
    load_watchlist,
)
from tmwatch.config.registry import LANGUAGES
from tmwatch.folding import lower
from tmwatch.pipeline.language import detect_language
from tmwatch.pipeline.names import NameMatch, PersonMatcher
from tmwatch.record import Evidence, EvidenceKind, NameHit

# A sentence ends at . ! ? … followed by space and a capital/quote/digit, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"«„“(\[]?[A-ZÀ-ÞА-ЯЁÄÇĞİÖŞÜŇÝŽ0-9])|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append(Span(start, match.start(), text[start : match.start()]))
        start = match.end()
    if text[start:].strip():
        spans.append(Span(start, len(text), text[start:]))
    return spans


def paragraphs(text: str) -> list[Span]:
    spans, offset = [], 0
    for part in text.split("\n"):
        if part.strip():
            spans.append(Span(offset, offset + len(part), part))
        offset += len(part) + 1
    return spans


class TermSet:
    """Multi-word stem terms; each term word must start a consecutive word ("$": whole word).

    All terms are compiled into one regular expression, so a text is scanned once per set.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        alternatives = []
        for term in terms:
            words = [lower(w) for w in term.split()]
            if not words:
                continue
            parts = [
                re.escape(w[:-1]) + r"(?![\w'’])" if w.endswith("$") else re.escape(w) + r"[\w'’]*"
                for w in words
            ]
            alternatives.append(r"[^\w'’]+".join(parts))
        # Longest first, so "под стражу" wins over a shorter overlapping term.
        alternatives.sort(key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w'’])(?:" + "|".join(alternatives) + ")") if alternatives else None
        )

    def find(self, text: str) -> list[Span]:
        if self.pattern is None:
            return []
        lowered = lower(text)
        if len(lowered) != len(text):  # a rare letter whose lower case is longer: keep offsets
            lowered = text
        return [
            Span(m.start(), m.end(), text[m.start() : m.end()])
            for m in self.pattern.finditer(lowered)
        ]


def _by_language(table: dict[str, tuple[str, ...]], language: str | None) -> TermSet:
    if language in table:
        return TermSet(table[language])
    return TermSet(t for terms in table.values() for t in terms)


@dataclass
class TagResult:
    language: str | None
    tags: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "tags": self.tags,
            "persons": self.persons,
            "places": self.places,
            "evidence": [e.as_dict() for e in self.evidence],
        }


class Tagger:
    """Applies the topic lexicons and the watchlist to article text. Build once, reuse."""

    def __init__(self, watchlist: Watchlist, topics: tuple[Topic, ...]) -> None:
        self.watchlist = watchlist
        self.topics = topics
        self.people = PersonMatcher(watchlist.people)
        self._terms: dict[tuple[str, str, str | None], TermSet] = {}
        self._places = [(place, TermSet(place.terms)) for place in watchlist.places]

    @classmethod
    def from_files(
        cls, watchlist: str | Path = DEFAULT_WATCHLIST, topics: str | Path = DEFAULT_TOPICS
    ) -> Tagger:
        return cls(load_watchlist(watchlist), load_topics(topics))

    def _termset(self, topic: Topic, part: str, language: str | None) -> TermSet:
        key = (topic.key, part, language)
        if key not in self._terms:
            self._terms[key] = _by_language(getattr(topic, part), language)
        return self._terms[key]

    def tag(self, text: str, title: str = "", language: str | None = None) -> TagResult:
        result = TagResult(language)
        fields = [("title", title), ("text", text)]
        person_names: dict[str, str] = {}
        for field_name, content in fields:
            if not content:
                continue
            matches = self.people.find(content)
            sents = sentences(content)
            self._person_evidence(result, field_name, sents, matches, person_names)
            self._place_evidence(result, field_name, sents)
            self._topic_evidence(result, field_name, content, sents, language, matches)
        result.persons = sorted(set(person_names.values()))
        return result

    def _person_evidence(
        self,
        result: TagResult,
        field_name: str,
        sents: list[Span],
        matches: list[NameMatch],
        names: dict[str, str],
    ) -> None:
        for sentence in sents:
            inside = [m for m in matches if sentence.start <= m.start < sentence.end]
            for person_key in dict.fromkeys(m.person.key for m in inside):
                hits = [m for m in inside if m.person.key == person_key]
                names[person_key] = hits[0].person.name
                result.evidence.append(
                    Evidence(
                        "person",
                        hits[0].person.name,
                        field_name,
                        sentence.start,
                        sentence.end,
                        sentence.text,
                        names=tuple(NameHit(m.text, m.start, m.end, m.variant) for m in hits),
                    )
                )

    def _place_evidence(self, result: TagResult, field_name: str, sents: list[Span]) -> None:
        for place, terms in self._places:
            for sentence in sents:
                hits = terms.find(sentence.text)
                if hits:
                    if place.name not in result.places:
                        result.places.append(place.name)
                    result.evidence.append(
                        self._evidence("place", place.name, field_name, sentence, hits)
                    )

    def _topic_evidence(
        self,
        result: TagResult,
        field_name: str,
        content: str,
        sents: list[Span],
        language: str | None,
        matches: list[NameMatch],
    ) -> None:
        paras = paragraphs(content)
        # Sentences with each event's terms, found once: scoped topics reuse their event's.
        event_hits: dict[str, list[tuple[Span, list[Span]]]] = {}
        for topic in self.topics:
            event_key = topic.event or topic.key
            if event_key not in event_hits:
                event = next(t for t in self.topics if t.key == event_key)
                terms = self._termset(event, "terms", language)
                found = ((s, terms.find(s.text)) for s in sents)
                event_hits[event_key] = [(s, hits) for s, hits in found if hits]
            for sentence, hits in event_hits[event_key]:
                if topic.scoped:
                    scope = self._scope(topic, sentence, paras, language, matches)
                    if scope is None:
                        continue
                    hits = hits + scope
                if topic.key not in result.tags:
                    result.tags.append(topic.key)
                result.evidence.append(
                    self._evidence("topic", topic.key, field_name, sentence, hits)
                )

    def _scope(
        self,
        topic: Topic,
        sentence: Span,
        paras: list[Span],
        language: str | None,
        matches: list[NameMatch],
    ) -> list[Span] | None:
        """Subject and place terms that put a detention sentence in the topic's scope."""
        if self._termset(topic, "not_place", language).find(sentence.text):
            return None
        para = next((p for p in paras if p.start <= sentence.start < p.end + 1), sentence)
        subject_terms = self._termset(topic, "subject", language)
        place_terms = self._termset(topic, "place", language)

        def people_in(span: Span) -> list[Span]:
            return [
                Span(m.start - span.start, m.end - span.start, m.text)
                for m in matches
                if span.start <= m.start < span.end
            ]

        subject = subject_terms.find(sentence.text) or people_in(sentence)
        subject = subject or subject_terms.find(para.text) or people_in(para)
        place = place_terms.find(sentence.text) or place_terms.find(para.text)
        if not subject or not place:
            return None
        return subject + place

    @staticmethod
    def _evidence(
        kind: EvidenceKind, label: str, field_name: str, sentence: Span, hits: list[Span]
    ) -> Evidence:
        terms = tuple(sorted({h.text for h in hits}))
        return Evidence(kind, label, field_name, sentence.start, sentence.end, sentence.text, terms)


DEFAULT_MAX_CHARS = 5_000_000
"""Longest ``tmwatch tag`` input line, in characters: far above any article, far below memory."""
DEFAULT_MAX_EVIDENCE = 5
"""Evidence items per label in ``tmwatch tag`` output: enough to verify a tag, not a flood."""

_CHUNK = 1 << 16  # bytes read at a time: an over-long line is skipped without being held
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d{1,300}(?![\d.eE]))')
_SURROGATE = re.compile("[\ud800-\udfff]")


def cap_evidence(evidence: Iterable[Evidence], limit: int) -> tuple[list[Evidence], dict[str, int]]:
    """At most ``limit`` evidence items per label (tag, person or place), in order, and how many
    were left out per label: a text naming a person 300 times should not bury the result."""
    kept: list[Evidence] = []
    seen: dict[str, int] = {}
    omitted: dict[str, int] = {}
    for item in evidence:
        seen[item.label] = seen.get(item.label, 0) + 1
        if seen[item.label] <= limit:
            kept.append(item)
        else:
            omitted[item.label] = omitted.get(item.label, 0) + 1
    return kept, omitted


def _raw_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) per line of a binary stream, read in bounded chunks.

    A line longer than ``max_bytes`` is read to its end but only its first chunk is kept (to
    report its id), so a 4 GB line costs one chunk of memory. ``readline`` returns as soon as a
    line ends, so a producer that waits for each result is answered at once.
    """
    number = 0
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk:
            return
        number += 1
        parts, size, too_long = [chunk], len(chunk), False
        while not chunk.endswith(b"\n"):
            chunk = stream.readline(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if too_long:
                continue
            if size > max_bytes:
                too_long, parts = True, parts[:1]
            else:
                parts.append(chunk)
        yield number, b"".join(parts), too_long


def _valid_id(value: Any) -> bool:
    """An id this command can echo: a string (valid Unicode) or an integer, not a boolean."""
    if isinstance(value, str):
        return not _SURROGATE.search(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _leading_id(text: str) -> Any:
    """The id of a line that could not be parsed, when it is the object's first member."""
    match = _LEADING_ID.match(text[:4096])
    if match is None:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    return value if _valid_id(value) else None


def _error(message: str, record_id: Any = None) -> dict[str, Any]:
    return {"error": message} if record_id is None else {"id": record_id, "error": message}


def _tag_input_problem(record: Any) -> str | None:
    """What makes a parsed line unusable, or None: checked before tagging so that every
    string the result echoes (id, evidence sentences) is valid Unicode and writable."""
    if not isinstance(record, dict):
        return "expected a JSON object"
    record_id = record.get("id")
    if not isinstance(record_id, str | int) or isinstance(record_id, bool):
        return 'missing "id" (a string or number)'
    if not isinstance(record.get("text"), str):
        return 'missing "text" (a string)'
    for name in ("title", "url", "language"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return f'"{name}" must be a string'
    for name in ("id", "text", "title", "url"):
        value = record.get(name)
        bad = _SURROGATE.search(value) if isinstance(value, str) else None
        if bad:
            return f'"{name}" contains a lone surrogate (U+{ord(bad.group()):04X}), not Unicode'
    language = record.get("language")
    if language and language not in LANGUAGES:
        shown = language if len(language) <= 20 else language[:20] + "…"
        return (
            f'unknown "language" {shown!r} (one of {", ".join(sorted(LANGUAGES))}; '
            "omit it to detect)"
        )
    return None


def _parse_line(raw: bytes, number: int, max_chars: int) -> dict[str, Any]:
    """A usable input record, or an ``{"id"?, "error"}`` result for the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The id, when the bad bytes are elsewhere: invalid bytes become lone surrogates here.
        lenient = raw.decode("utf-8", "surrogateescape")
        try:
            record = json.loads(lenient)
            record_id = record.get("id") if isinstance(record, dict) else None
        except (ValueError, RecursionError):
            record_id = _leading_id(lenient)
        record_id = record_id if _valid_id(record_id) else None
        at = f"invalid byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}"
        return _error(f"not UTF-8 ({at})", record_id)
    if number == 1:
        text = text.removeprefix("\ufeff")  # a byte order mark some editors write
    text = text.rstrip("\r\n")
    if len(text) > max_chars:
        return _error(f"line longer than {max_chars} characters", _leading_id(text))
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(f"not JSON ({exc.msg} at column {exc.colno})", _leading_id(text))
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:80]
        return _error(f"not JSON ({reason})", _leading_id(text))
    problem = _tag_input_problem(record)
    if problem:
        record_id = record.get("id") if isinstance(record, dict) else None
        return _error(problem, record_id if _valid_id(record_id) else None)
    return {"record": record}


def tag_input_lines(
    tagger: Tagger,
    stream: BinaryIO,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``tmwatch tag``: (line number, result) for every non-blank line of a binary stream, in
    order, so a caller can keep "one result line per input line" whatever the input holds.

    A result is ``{"id", "language", "tags", "persons", "places", "evidence",
    "evidence_omitted"}`` (at most ``max_evidence`` evidence items per label; the count of the
    rest per label), or ``{"id"?, "error"}`` for a line that is not valid UTF-8, not JSON, not a
    usable object, longer than ``max_chars`` characters or naming an unknown language (the id
    when it could be read). Lines are read as bytes and decoded one by one, so a bad byte spoils
    only its line. The language, when not given, is detected as the crawl detects it.
    """
    max_bytes = 4 * max_chars + 2  # UTF-8 needs at most 4 bytes a character; then "\r\n"
    for number, raw, too_long in _raw_lines(stream, max_bytes):
        if too_long:
            head = raw.decode("utf-8", "surrogateescape")
            yield number, _error(f"line longer than {max_chars} characters", _leading_id(head))
            continue
        if not raw.strip():
            continue
        parsed = _parse_line(raw, number, max_chars)
        if "error" in parsed:
            yield number, parsed
            continue
        record = parsed["record"]
        title = record.get("title") or ""
        try:
            language = record.get("language") or detect_language(record["text"], title).language
            result = tagger.tag(record["text"], title, language)
        except Exception as exc:  # one bad line must not end the stream for every later line
            yield number, _error(f"tagging failed ({type(exc).__name__})", record["id"])
            continue
        evidence, omitted = cap_evidence(result.evidence, max_evidence)
        out = {"id": record["id"], **result.as_dict()}
        out["evidence"] = [e.as_dict() for e in evidence]
        out["evidence_omitted"] = omitted
        yield number, out
