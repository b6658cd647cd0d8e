"""Tagging: topics (events and scoped events), watched people and places, with evidence.

Every tag carries the sentence that proves it, its offsets in the field (title or text) and the
words that matched, so a monitor can verify a tag at a glance and a researcher can quote it.
Lexicons and the watchlist are data (``config/topics.toml``, ``config/watchlist.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tmwatch.config.lexicons import (
    DEFAULT_TOPICS,
    DEFAULT_WATCHLIST,
    Topic,
    Watchlist,
    load_topics,
    load_watchlist,
)
from tmwatch.folding import lower
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
        self._source = r"(?<![\w'’])(?:" + "|".join(alternatives) + ")" if alternatives else None

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """The set's expression, compiled on first use: compiling the large alternations is most
        of what building a tagger or an event extractor costs, and many sets (a language's place
        types, the cues of a rule that never fires) are never searched in a run."""
        return re.compile(self._source) if self._source is not None else None

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
