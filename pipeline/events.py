"""Events: what an article says happened to each watched person, with its own date and place.

Built on the tagger: people come from its person evidence (name hits with offsets), places from
its place evidence, so names are matched once, by ``names.py``. Per sentence, event words
(``config/events.toml``) are found and each is checked, attached and dated:

* **stance** — a negation close before it ("не был задержан", "was not detained"), inside it
  (Turkish/Turkmen verbs: "alınmadı", "saklanmady") or a denial in its clause removes it; a
  hypothetical ("may", "fear", "in order to", "edilebilir") removes it; a threat or a future turns
  a custody event into a ``deportation_threat`` (detention or attack: ``threatened``), so a stated
  threat is never more than a threat;
* **clauses** — a sentence with several events is cut between them at the last comma or
  conjunction, so each event keeps the date and the names of its own clause;
* **person** — the nearest group of names in the event's clause ("X and Y" is one group); a
  speaker ("according to X", "X said") is not the subject of what they report unless nobody else
  is named; a namesake or a relative is nobody; without a name, the clause takes the person of
  the sentence, and a pronoun (or, in Turkish and Turkmen, which drop the subject, no subject at
  all) the person of the previous sentences;
* **date** — a date in the event's clause, else one stated earlier in the sentence unless "then"
  or "later" intervenes ("detained on 27 September and placed in a centre" shares it); "X and Y
  ... 26 and 27 October" pairs them respectively; resolved by ``event_dates`` against the
  publication date, never replaced by it: no stated date, no date;
* **place** — the nearest watchlist place in the event's clause (in the sentence, when it states
  one event), within ``place_window`` words.

Within an article an undated mention of an event the article also dates is dropped (titles and
later paragraphs repeat events). The result is a list of ``Event`` records; ``cases.py`` merges
them across articles.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any, Generic, TypeVar

from tmwatch.config.events import EVENT_TYPES, EventLexicon, load_event_lexicon
from tmwatch.config.lexicons import Watchlist, load_watchlist
from tmwatch.folding import fold
from tmwatch.pipeline.event_dates import NO_DATE, DateFinder, DateMention, EventDate, resolve
from tmwatch.pipeline.names import default_policy
from tmwatch.pipeline.tagging import Span, TagResult, TermSet, sentences

_TOKEN = re.compile(r"[\w'’]+")
_PUNCT = re.compile(r"[,;:—–()«»\"“”]|\s-\s")
_COMMA_ONLY = re.compile(r"[\s,]*")
_CUSTODY_THREAT = {"deported": "deportation_threat", "deportation_centre": "deportation_threat"}
_THREAT_OF = {**_CUSTODY_THREAT, "detained": "threatened", "attacked": "threatened"}
_THREATS = ("deportation_threat", "threatened")


@dataclass(frozen=True)
class EventEvidence:
    """Why an event was extracted: its sentence, the words that stated it, who and when.

    ``field`` is "title" or "text"; ``start``/``end`` are the sentence's offsets in that field and
    ``trigger_start``/``trigger_end`` the event words' offsets. ``person_via`` says how the
    person was tied to the event: "name" (named in the clause), "sentence" (named elsewhere in
    the sentence), "speaker" (the only person named is the one reporting it) or "context" (a
    pronoun or omitted subject after an earlier sentence named them).
    """

    field: str
    start: int
    end: int
    sentence: str
    trigger: str
    trigger_start: int
    trigger_end: int
    person_text: str
    person_via: str
    date_text: str | None = None
    place_terms: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
            "person_text": self.person_text,
            "person_via": self.person_via,
            "date_text": self.date_text,
            "place_terms": list(self.place_terms),
        }


@dataclass(frozen=True)
class Event:
    """One event an article states about one watched person.

    ``date`` is the event's own date as the text gives it (YYYY-MM-DD, YYYY-MM or YYYY), or None
    when the text gives none: the publication date is only used to resolve "yesterday" or a
    date without a year (``date_basis`` says which: "stated", "relative", "no-year").
    """

    person: str
    type: str
    date: str | None
    date_precision: str | None
    date_basis: str | None
    place: str | None
    evidence: EventEvidence

    @property
    def key(self) -> tuple[str, str]:
        return (self.person, self.type)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "type": self.type,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "place": self.place,
            "evidence": self.evidence.as_dict(),
        }


@dataclass(frozen=True)
class _Trigger:
    type: str
    start: int
    end: int
    text: str


@dataclass
class _Group:
    """Adjacent names ("X and Y") or a non-watched person's name (``other``)."""

    persons: tuple[str, ...]
    start: int
    end: int
    text: str
    other: bool = False
    excluded: bool = False  # a namesake: named here, but somebody else is meant
    speaker_from: int | None = None  # reports the events from this offset on
    speech_end: int | None = None  # where "X said" ends


@dataclass(frozen=True)
class _Place:
    name: str
    start: int
    end: int
    term: str


@dataclass
class _State:
    """What carries from sentence to sentence within an article."""

    focus: _Group | None = None
    focus_all: tuple[str, ...] = ()  # everyone named in the focus sentence ("both of them")
    focus_age: int = 99
    last_date: EventDate | None = None


class _Resources:
    """Compiled term sets for one language (or all languages when it is unknown)."""

    def __init__(self, lexicon: EventLexicon, languages: Sequence[str]) -> None:
        cues = [lexicon.languages[lang] for lang in languages if lang in lexicon.languages]
        self.languages = languages
        self.settings = lexicon.settings
        self.types: dict[str, TermSet] = {}
        self.place_types: dict[str, TermSet] = {}
        self.not_after: dict[str, TermSet] = {}
        self.exclude: dict[str, tuple[re.Pattern[str], ...]] = {}
        for kind in lexicon.types:
            self.types[kind.key] = TermSet(_pick(kind.terms, languages))
            self.place_types[kind.key] = TermSet(_pick(kind.place_terms, languages))
            self.not_after[kind.key] = TermSet(_pick(kind.not_after, languages))
            self.exclude[kind.key] = tuple(_pick(kind.exclude_morphs, languages))
        cue_terms: dict[str, list[str]] = {}
        self.morphs: dict[str, tuple[re.Pattern[str], ...]] = {}
        for cue in cues:
            for name, terms in cue.terms.items():
                cue_terms.setdefault(name, []).extend(terms)
            for name, patterns in cue.morphs.items():
                self.morphs[name] = self.morphs.get(name, ()) + patterns
        self.cues = {name: TermSet(terms) for name, terms in cue_terms.items()}
        self._empty = TermSet(())
        self.pro_drop = any(c.pro_drop for c in cues) and len(cues) == 1
        self.verb_final = any(c.verb_final for c in cues) and len(cues) == 1
        self.dates = DateFinder(cues)

    def cue(self, name: str) -> TermSet:
        return self.cues.get(name) or self._empty


def _pick(table: dict[str, tuple[Any, ...]], languages: Sequence[str]) -> list[Any]:
    return [item for lang in languages for item in table.get(lang, ())]


class _Sentence:
    """A sentence with its word positions and, found on demand, its cue words."""

    def __init__(self, span: Span, resources: _Resources) -> None:
        self.text = span.text
        self.offset = span.start
        self.span = span
        self.resources = resources
        self.tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(span.text)]
        self.starts = [t[0] for t in self.tokens]
        self.punct = [m.start() for m in _PUNCT.finditer(span.text)]
        self.known: list[tuple[int, int]] = []  # event words and places, once found
        self.dates: list[tuple[DateMention, EventDate]] = []  # beside event words, resolved
        self._cues: dict[str, list[Span]] = {}

    def cue(self, name: str) -> list[Span]:
        if name not in self._cues:
            self._cues[name] = self.resources.cue(name).find(self.text)
        return self._cues[name]

    def words_between(self, a: int, b: int) -> int:
        """How many words lie wholly between offsets ``a`` and ``b`` (in either order)."""
        a, b = min(a, b), max(a, b)
        first = bisect.bisect_left(self.starts, a)
        count = 0
        for _start, end in self.tokens[first:]:
            if end > b:
                break
            count += 1
        return count

    def punct_between(self, a: int, b: int) -> list[int]:
        return [p for p in self.punct if a <= p < b]

    def words_of(self, start: int, end: int) -> list[str]:
        return [self.text[s:e] for s, e in self.tokens if s < end and e > start]

    def next_word(self, end: int) -> str:
        """The word right after ``end`` when no punctuation separates them."""
        index = bisect.bisect_left(self.starts, end)
        if index < len(self.tokens) and not self.punct_between(end, self.tokens[index][0]):
            start, stop = self.tokens[index]
            return self.text[start:stop]
        return ""


class EventExtractor:
    """Extracts events from tagged articles. Build once per lexicon and watchlist, reuse."""

    def __init__(
        self,
        lexicon: EventLexicon,
        watchlist: Watchlist,
        namesake_first_names: Iterable[str] | None = None,
    ) -> None:
        """``namesake_first_names``: first names of people who are not watched (default: the
        name policy's), so "Rustam Rakhmanov" beside an event is recognised as somebody else."""
        self.lexicon = lexicon
        self.watchlist = watchlist
        self._resources: dict[tuple[str, ...], _Resources] = {}
        places = {p.key: p.name for p in watchlist.places}
        self._type_places = {
            t.key: frozenset(places[k] for k in t.places if k in places) for t in lexicon.types
        }
        self._first_names = {p.name: frozenset(fold(f) for f in p.first) for p in watchlist.people}
        if namesake_first_names is None:
            namesake_first_names = default_policy().namesake_first_names
        self._common_first = frozenset(fold(n) for n in namesake_first_names)
        self._yields = {t.key: t.yields_to for t in lexicon.types}

    @classmethod
    def default(cls) -> EventExtractor:
        """The packaged lexicon and watchlist."""
        return _default_extractor()

    def resources(self, language: str | None) -> _Resources:
        languages = (
            (language,) if language in self.lexicon.languages else tuple(self.lexicon.languages)
        )
        if languages not in self._resources:
            self._resources[languages] = _Resources(self.lexicon, languages)
        return self._resources[languages]

    def extract(
        self,
        text: str,
        title: str,
        language: str | None,
        published: str | date | None,
        tagged: TagResult,
    ) -> list[Event]:
        """Every event the title and text state about the watched persons ``tagged`` found."""
        if not tagged.persons:
            return []
        resources = self.resources(language)
        state = _State()
        events: list[Event] = []
        for field_name, content in (("title", title), ("text", text)):
            if not content:
                continue
            hits = _ByStart(_person_hits(tagged, field_name), lambda h: h[1])
            places = _ByStart(_place_hits(tagged, field_name, content), lambda p: p.start)
            candidates = _ByStart(_candidates(resources, content), lambda c: c[0])
            for span in _bounded(sentences(content)):
                inside, found = hits.inside(span), candidates.inside(span)
                if not inside and not found:
                    state.focus_age += 1  # nobody named, nothing happens: only time passes
                    continue
                sentence = _Sentence(span, resources)
                where = places.inside(span)
                events += self._sentence_events(
                    field_name, sentence, inside, where, found, published, state
                )
        return _article_events(events)

    # -- one sentence --------------------------------------------------------------------------

    def _sentence_events(
        self,
        field_name: str,
        sentence: _Sentence,
        hits: list[tuple[str, int, int, str, str]],
        places: list[_Place],
        candidates: list[tuple[int, int, int, str]],
        published: str | date | None,
        state: _State,
    ) -> list[Event]:
        offset = sentence.offset
        places = [replace(p, start=p.start - offset, end=p.end - offset) for p in places]
        groups = self._groups(sentence, hits)
        end = len(sentence.text)
        candidates = [
            (start - offset, stop - offset, priority, kind)
            for start, stop, priority, kind in candidates
            if stop - offset <= end
        ]
        triggers = self._triggers(sentence, places, candidates)
        sentence.known = [(t.start, t.end) for t in triggers] + [(p.start, p.end) for p in places]
        events: list[Event] = []
        if triggers:
            # Dates only matter beside event words ("the same day" is the last event's day).
            dates = sentence.dates
            for mention in sentence.resources.dates.find(sentence.text):
                resolved = resolve(mention, published, state.last_date)
                dates.append((mention, resolved))
                if resolved.value and resolved.precision == "day":
                    state.last_date = resolved
            protected = [(g.start, g.end) for g in groups] + [(m.start, m.end) for m, _ in dates]
            bounds = _segments(sentence, triggers, protected)
            for index, trigger in enumerate(triggers):
                seg_start, seg_end = bounds[index]
                kind = self._stance(sentence, trigger, seg_start, seg_end)
                if kind is None:
                    continue
                place = _place_for(sentence, trigger, places, bounds, index)
                for persons, via, person_text, zone in self._persons(
                    sentence, trigger, groups, bounds, index, state
                ):
                    mention, when = _date_for(sentence, trigger, dates, bounds, index, zone)
                    # "X and Y were released on 26 and 27 October": respectively.
                    same = [
                        d
                        for m, d in dates
                        if mention and (m.start, m.end) == (mention.start, mention.end)
                    ]
                    for number, person in enumerate(persons):
                        if len(persons) > 1 and len(same) == len(persons):
                            when = same[number]
                        events.append(
                            Event(
                                person,
                                kind,
                                when.value,
                                when.precision,
                                when.basis,
                                place.name if place else None,
                                EventEvidence(
                                    field_name,
                                    sentence.span.start,
                                    sentence.span.end,
                                    sentence.text,
                                    trigger.text,
                                    offset + trigger.start,
                                    offset + trigger.end,
                                    person_text,
                                    via,
                                    when.text,
                                    (place.term,) if place else (),
                                ),
                            )
                        )
        named = [g for g in groups if not g.other and not g.excluded]
        if named:
            state.focus, state.focus_age = named[-1], 0
            state.focus_all = tuple(dict.fromkeys(p for g in named for p in g.persons))
        else:
            state.focus_age += 1
        return self._sentence_rules(events)

    def _sentence_rules(self, events: list[Event]) -> list[Event]:
        """Within a sentence: one event per person, type and date; yields_to applied."""
        kinds = {(e.person, e.type) for e in events}
        kept: list[Event] = []
        seen: set[tuple[str, str, str | None]] = set()
        for event in events:
            if any((event.person, other) in kinds for other in self._yields.get(event.type, ())):
                continue
            key = (event.person, event.type, event.date)
            if key not in seen:
                seen.add(key)
                kept.append(event)
        return kept

    # -- names ---------------------------------------------------------------------------------

    def _groups(
        self, sentence: _Sentence, hits: list[tuple[str, int, int, str, str]]
    ) -> list[_Group]:
        offset, text = sentence.offset, sentence.text
        groups: list[_Group] = []
        for name, start, end, hit_text, variant in sorted(hits, key=lambda h: h[1]):
            start, end = start - offset, end - offset
            alone = variant.split(",")[0] == "surname"
            other = alone and self._after_other_name(sentence, start, name)
            last = groups[-1] if groups else None
            if (
                last
                and not last.other
                and not other
                and self._joined(
                    sentence, last.end, start, after_speech=self._reporting(sentence, last)
                )
            ):
                if name not in last.persons:
                    last.persons += (name,)
                last.end, last.text = end, text[last.start : end]
            else:
                groups.append(_Group((name,), start, end, hit_text, other=other))
        covered = [(g.start, g.end) for g in groups]
        for i, (start, end) in enumerate(sentence.tokens[:-1]):
            word = text[start:end]
            nxt_start, nxt_end = sentence.tokens[i + 1]
            if (
                word[:1].isupper()
                and text[nxt_start : nxt_start + 1].isupper()
                and fold(word.split("'")[0]) in self._common_first
                and not any(s < nxt_end and e > start for s, e in covered)
                and not sentence.punct_between(end, nxt_start)
            ):
                groups.append(_Group((), start, nxt_end, text[start:nxt_end], other=True))
        groups.sort(key=lambda g: g.start)
        for group in groups:
            if any(
                sentence.words_between(c.end, group.start) <= 3
                if c.end <= group.start
                else sentence.words_between(group.end, c.start) <= 3
                for c in sentence.cue("namesake")
            ):
                group.excluded = True
        self._speakers(sentence, [g for g in groups if not g.other])
        return groups

    def _after_other_name(self, sentence: _Sentence, start: int, name: str) -> bool:
        """A surname right after a capitalised word that is not this person's first name
        ("Rüstem Rahmanov" when only Akhmed Rakhmanov is watched) is somebody else's."""
        index = bisect.bisect_left(sentence.starts, start)
        if index < 2:  # the first word of a sentence is capitalised anyway
            return False
        p_start, p_end = sentence.tokens[index - 1]
        word = sentence.text[p_start:p_end]
        before_start, before_end = sentence.tokens[index - 2]
        before = sentence.text[before_start:before_end]
        return (
            word[:1].isupper()
            and "'" not in word
            and "’" not in word
            and not sentence.punct_between(p_end, start)
            and fold(word) not in self._first_names.get(name, frozenset())
            and not (before.islower() and len(before) <= 3)  # "в Стамбуле Абулова": a place
        )

    @staticmethod
    def _reporting(sentence: _Sentence, group: _Group) -> bool:
        """The group follows "according to": a comma after it ends the speaker, not a list."""
        return any(
            group.start >= c.end and sentence.words_between(c.end, group.start) <= 1
            for c in sentence.cue("speech_before_person")
        )

    @staticmethod
    def _joined(sentence: _Sentence, end: int, start: int, after_speech: bool = False) -> bool:
        """Only commas and coordinators ("and", "и", "we", "ile") between two names; after
        "according to X" only a coordinator joins ("according to X, Y was detained")."""
        between = list(sentence.text[end:start])
        coordinated = False
        for cue in sentence.cue("coordinators"):
            if end <= cue.start and cue.end <= start:
                between[cue.start - end : cue.end - end] = " " * (cue.end - cue.start)
                coordinated = True
        if after_speech and not coordinated:
            return False
        return _COMMA_ONLY.fullmatch("".join(between)) is not None

    @staticmethod
    def _speakers(sentence: _Sentence, groups: list[_Group]) -> None:
        for cue in sentence.cue("speech_before_person"):
            for group in groups:
                if group.start >= cue.end and sentence.words_between(cue.end, group.start) <= 1:
                    group.speaker_from = 0
                    break
        for cue in sentence.cue("speech_after_person"):
            for group in groups:
                if group.end <= cue.start and sentence.words_between(group.end, cue.start) <= 2:
                    if group.speaker_from is None:
                        group.speaker_from, group.speech_end = cue.start, cue.end
        for cue in sentence.cue("speech_final"):
            if groups and sentence.words_between(cue.end, len(sentence.text)) <= 1:
                first = groups[0]
                if sentence.text[first.end : first.end + 1] == ",":
                    first.speaker_from = 0

    # -- event words ---------------------------------------------------------------------------

    def _triggers(
        self,
        sentence: _Sentence,
        places: list[_Place],
        found: list[tuple[int, int, int, str]],
    ) -> list[_Trigger]:
        """The sentence's event words: place terms only beside their place, the most specific
        reading of overlapping words, minus those cancelled ("released from the centre")."""
        window = sentence.resources.settings["place_window"]
        candidates = []
        for start, end, priority, kind in found:
            wanted = self._type_places.get(kind, frozenset())
            if priority == 0 and not any(
                p.name in wanted and _gap(sentence, start, end, p.start, p.end) <= window
                for p in places
            ):
                continue
            candidates.append((start, end, priority, kind))
        # A place term next to its place is the most specific reading; then the longest words.
        candidates.sort(key=lambda c: (c[2], -(c[1] - c[0]), c[0]))
        kept: list[tuple[int, int, int, str]] = []
        for candidate in candidates:
            if all(candidate[1] <= k[0] or candidate[0] >= k[1] for k in kept):
                kept.append(candidate)
        triggers = []
        for start, end, _, kind in sorted(kept):
            if self._cancelled(sentence, kind, start, end):
                continue
            triggers.append(_Trigger(kind, start, end, sentence.text[start:end]))
        return triggers

    @staticmethod
    def _cancelled(sentence: _Sentence, kind: str, start: int, end: int) -> bool:
        resources = sentence.resources
        for hit in resources.not_after[kind].find(sentence.text):
            if hit.end <= start + 1 and sentence.words_between(hit.end, start) <= 2:
                return True
        words = sentence.words_of(start, end)
        last = words[-1] if words else ""
        return any(p.search(last.lower()) for p in resources.exclude[kind])

    def _stance(
        self, sentence: _Sentence, trigger: _Trigger, seg_start: int, seg_end: int
    ) -> str | None:
        """The event's type after negation, threat, hypothesis and future; None: no event."""
        settings = sentence.resources.settings
        if self._negated(sentence, trigger, seg_start, seg_end):
            return None
        kind = trigger.type
        near = settings["hypothetical_window"]
        if self._cue_before(sentence, "threat", trigger, near) or self._cue_after(
            sentence, "threat", trigger, settings["after_window"]
        ):
            return _THREAT_OF.get(kind, kind if kind in _THREATS else None)
        if (
            self._cue_before(sentence, "hypothetical", trigger, near)
            or self._cue_after(sentence, "hypothetical_after", trigger, settings["after_window"])
            or self._morph(sentence, "hypothetical_morphs", trigger)
        ):
            return None
        if self._cue_before(
            sentence, "future", trigger, settings["negation_window"]
        ) or self._morph(sentence, "future_morphs", trigger):
            return _CUSTODY_THREAT.get(kind, kind if kind in _THREATS else None)
        return kind

    def _negated(
        self, sentence: _Sentence, trigger: _Trigger, seg_start: int, seg_end: int
    ) -> bool:
        settings = sentence.resources.settings
        exceptions = sentence.cue("negation_exceptions")
        for cue in sentence.cue("negation"):
            if cue.end > trigger.start or any(x.start <= cue.start < x.end for x in exceptions):
                continue
            if sentence.punct_between(cue.end, trigger.start):
                continue
            if sentence.words_between(cue.end, trigger.start) < settings["negation_window"]:
                return True
        if self._cue_after(sentence, "negation_after", trigger, settings["after_window"]):
            return True
        if self._morph(sentence, "negation_morphs", trigger):
            return True
        return any(
            seg_start <= cue.start < seg_end and not (trigger.start <= cue.start < trigger.end)
            for cue in sentence.cue("denial")
        )

    @staticmethod
    def _cue_before(sentence: _Sentence, name: str, trigger: _Trigger, window: int) -> bool:
        """A cue ending before the event words, within ``window`` words, crossing punctuation
        only where a complementizer follows it ("fear, that he may ...")."""
        complementizers = sentence.cue("complementizers")
        for cue in sentence.cue(name):
            if cue.end > trigger.start:
                continue
            if trigger.start <= cue.start < trigger.end:
                continue
            if sentence.words_between(cue.end, trigger.start) > window:
                continue
            blocked = False
            for mark in sentence.punct_between(cue.end, trigger.start):
                follows = [c for c in complementizers if mark < c.start <= mark + 3]
                if not follows:
                    blocked = True
                    break
            if not blocked:
                return True
        return False

    @staticmethod
    def _cue_after(sentence: _Sentence, name: str, trigger: _Trigger, window: int) -> bool:
        for cue in sentence.cue(name):
            if cue.start < trigger.end or trigger.start <= cue.start < trigger.end:
                continue
            if sentence.punct_between(trigger.end, cue.start):
                continue
            if sentence.words_between(trigger.end, cue.start) < window:
                return True
        return False

    @staticmethod
    def _morph(sentence: _Sentence, name: str, trigger: _Trigger) -> bool:
        patterns = sentence.resources.morphs.get(name, ())
        if not patterns:
            return False
        words = sentence.words_of(trigger.start, trigger.end)
        following = sentence.next_word(trigger.end)
        checked = [w.lower() for w in [*words[-1:], following] if w]
        joined = " ".join(checked)
        return any(p.search(word) for p in patterns for word in [*checked, joined])

    # -- attaching people ----------------------------------------------------------------------

    def _persons(
        self,
        sentence: _Sentence,
        trigger: _Trigger,
        groups: list[_Group],
        bounds: list[tuple[int, int]],
        index: int,
        state: _State,
    ) -> list[tuple[tuple[str, ...], str, str, tuple[int, int] | None]]:
        """(persons, via, the words naming them, the part of the clause that is theirs)."""
        seg_start, seg_end = bounds[index]

        def eligible(group: _Group) -> bool:
            if group.excluded:
                return False
            return group.speaker_from is None or trigger.start < group.speaker_from

        # "X says he was lured and assaulted": a pronoun right after the speaker's verb is them.
        for group in groups:
            end = group.speech_end
            if end is None or end > trigger.start or group.excluded:
                continue
            if any(g is not group and end <= g.start < trigger.start for g in groups):
                continue
            if any(end <= c.start < trigger.start for c in sentence.cue("anaphora")):
                return [(group.persons, "speaker", group.text, None)]
        in_segment = [g for g in groups if seg_start <= g.start < seg_end and not g.excluded]
        named = [g for g in in_segment if eligible(g)]
        if named:
            watched = [g for g in named if not g.other]
            dated = [m for m, _ in sentence.dates if seg_start <= m.start < seg_end]
            if len(watched) >= 2 and len(dated) >= 2:  # "X on the 26th, and Y on the 27th"
                zones = _zones(watched, seg_start, seg_end)
                return [(g.persons, "name", g.text, zone) for g, zone in zones]
            nearest = min(named, key=lambda g: _distance(sentence, g, trigger))
            if nearest.other:
                return []
            return [(nearest.persons, "name", nearest.text, None)]
        if any(g.other for g in in_segment):
            return []
        clause = (seg_start, seg_end)
        anaphor = self._has(sentence, ("anaphora", "anaphora_plural"), clause)
        others = self._has(sentence, ("other_subjects",), clause)
        if (
            anaphor
            and others
            and _nearer(sentence, trigger, "other_subjects", clause)
            < _nearer(sentence, trigger, "anaphora", clause)
        ):  # "the activist spoke of other citizens held in the centre": not him
            anaphor = False
        if self._has(sentence, ("anaphora_plural",), clause):  # "обоих", "both": everyone named
            everyone = [g for g in groups if eligible(g) and not g.other]
            if everyone:
                persons = tuple(dict.fromkeys(p for g in everyone for p in g.persons))
                return [(persons, "sentence", everyone[0].text, None)]
        if not others or anaphor:
            order = list(range(index - 1, -1, -1)) + list(range(index + 1, len(bounds)))
            for other_index in order:
                start, end = bounds[other_index]
                found = [g for g in groups if start <= g.start < end and eligible(g)]
                if found:
                    group = found[-1] if other_index < index else found[0]
                    if group.other:
                        return []
                    return [(group.persons, "sentence", group.text, None)]
        speakers = [g for g in groups if not g.other and not g.excluded]
        if speakers and (anaphor or not others):
            return [(speakers[0].persons, "speaker", speakers[0].text, None)]
        if any(g.other for g in groups):
            return []
        return self._carried(sentence, clause, anaphor, others, state)

    def _carried(
        self,
        sentence: _Sentence,
        clause: tuple[int, int],
        anaphor: bool,
        others: bool,
        state: _State,
    ) -> list[tuple[tuple[str, ...], str, str, tuple[int, int] | None]]:
        """The person of earlier sentences, for a pronoun or (pro-drop) a missing subject."""
        focus = state.focus
        if focus is None or state.focus_age >= sentence.resources.settings["carry_sentences"]:
            return []
        whole = (0, len(sentence.text))
        plural = self._has(sentence, ("anaphora_plural",), clause)
        others = others or self._has(sentence, ("other_subjects",), whole)
        dropped = (
            sentence.resources.pro_drop
            and not others
            and not _names_itself(sentence, sentence.known)
        )
        if not (anaphor or dropped):
            return []
        persons = state.focus_all if plural else focus.persons
        if len(persons) > 1 and not plural:
            return []
        words = [c for c in sentence.cue("anaphora") + sentence.cue("anaphora_plural")]
        text = next((c.text for c in words if clause[0] <= c.start < clause[1]), "")
        return [(persons, "context", text, None)]

    @staticmethod
    def _has(sentence: _Sentence, names: Iterable[str], clause: tuple[int, int]) -> bool:
        return any(clause[0] <= c.start < clause[1] for n in names for c in sentence.cue(n))


_LONGEST = 1000
"""Longest sentence handled as one, in characters: longer runs (a page without full stops) are
cut at their last comma or space before the limit, so a pathological page costs linear time."""


def _bounded(spans: Iterable[Span]) -> Iterator[Span]:
    for span in spans:
        start, text = span.start, span.text
        while len(text) > _LONGEST:
            cut = max(text.rfind(mark, 0, _LONGEST) for mark in (";", ",", " "))
            cut = cut + 1 if cut > 0 else _LONGEST
            yield Span(start, start + cut, text[:cut])
            start, text = start + cut, text[cut:]
        if text.strip():
            yield Span(start, start + len(text), text)


_T = TypeVar("_T")


class _ByStart(Generic[_T]):
    """Items sorted by start offset, sliced per sentence by bisection (linear per article)."""

    def __init__(self, items: Iterable[_T], start_of: Callable[[_T], int]) -> None:
        self.items = sorted(items, key=start_of)
        self.starts = [start_of(item) for item in self.items]

    def inside(self, span: Span) -> list[_T]:
        low = bisect.bisect_left(self.starts, span.start)
        high = bisect.bisect_left(self.starts, span.end)
        return self.items[low:high]


def _candidates(resources: _Resources, content: str) -> list[tuple[int, int, int, str]]:
    """Every event word in a field, found once per type: (start, end, priority, type); place
    terms (priority 0) still need their place, which ``_triggers`` checks per sentence."""
    found = []
    for kind in EVENT_TYPES:
        found += [(h.start, h.end, 1, kind) for h in resources.types[kind].find(content)]
        found += [(h.start, h.end, 0, kind) for h in resources.place_types[kind].find(content)]
    return found


def _nearer(sentence: _Sentence, trigger: _Trigger, name: str, clause: tuple[int, int]) -> int:
    """Words from the event to the nearest cue of a kind in the clause."""
    gaps = [
        _gap(sentence, trigger.start, trigger.end, c.start, c.end)
        for c in sentence.cue(name)
        if clause[0] <= c.start < clause[1]
    ]
    return min(gaps, default=10_000)


def _names_itself(sentence: _Sentence, known: list[tuple[int, int]]) -> bool:
    """Two capitalised words after the first word, outside event words and places: the
    sentence has a subject of its own ("Human Rights Watch çagyrdy"), so an omitted subject is
    not the previous sentence's."""
    text = sentence.text
    names = [
        (start, end)
        for start, end in sentence.tokens[1:]
        if text[start].isupper() and not any(s <= start < e for s, e in known)
    ]
    return any(
        b_start == sentence.tokens[sentence.starts.index(a_start) + 1][0]
        and not sentence.punct_between(a_end, b_start)
        for (a_start, a_end), (b_start, _) in itertools.pairwise(names)
    )


def _gap(sentence: _Sentence, a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Words between two spans, whichever comes first."""
    if b_start >= a_end:
        return sentence.words_between(a_end, b_start)
    return sentence.words_between(b_end, a_start)


def _distance(sentence: _Sentence, group: _Group, trigger: _Trigger) -> tuple[int, int]:
    """Words between a name group and the event words; a tie goes to the name before."""
    if group.end <= trigger.start:
        return (sentence.words_between(group.end, trigger.start), 0)
    if group.start >= trigger.end:
        return (sentence.words_between(trigger.end, group.start), 1)
    return (0, 0)


def _zones(
    groups: list[_Group], seg_start: int, seg_end: int
) -> list[tuple[_Group, tuple[int, int]]]:
    """Each group's part of a clause that names several people with several dates."""
    zones = []
    for i, group in enumerate(groups):
        start = seg_start if i == 0 else group.start
        end = groups[i + 1].start if i + 1 < len(groups) else seg_end
        zones.append((group, (start, end)))
    return zones


def _segments(
    sentence: _Sentence, triggers: list[_Trigger], protected: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """One clause per event word: cut between two events at the last comma or conjunction
    (not one inside a list of names or a date: "X and Y", "26 and 27 October")."""
    breaks = set(sentence.punct)
    breaks |= {c.start for c in sentence.cue("clause_breaks")}
    breaks = {b for b in breaks if not any(start < b < end for start, end in protected)}
    bounds, start = [], 0
    verb_final = sentence.resources.verb_final
    for current, following in itertools.pairwise(triggers):
        cuts = [p for p in breaks if current.end <= p < following.start]
        if cuts:
            cut = max(cuts)
        else:  # no comma or conjunction: what lies between goes with the clause's verb
            cut = current.end if verb_final else following.start
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(sentence.text)))
    return bounds


def _date_for(
    sentence: _Sentence,
    trigger: _Trigger,
    dates: list[tuple[DateMention, EventDate]],
    bounds: list[tuple[int, int]],
    index: int,
    zone: tuple[int, int] | None,
) -> tuple[DateMention | None, EventDate]:
    """The date the sentence gives this event (and the mention it comes from)."""
    start, end = zone or bounds[index]
    own = [(m, d) for m, d in dates if start <= m.start < end]
    if own:
        return min(
            own,
            key=lambda md: (
                _gap(sentence, trigger.start, trigger.end, md[0].start, md[0].end),
                md[0].start > trigger.start,
            ),
        )
    # "beaten during his arrest on 18 October": the arrest's date.
    if index + 1 < len(bounds):
        next_start, next_end = bounds[index + 1]
        if any(trigger.end <= c.start < next_end for c in sentence.cue("during")):
            following = [(m, d) for m, d in dates if next_start <= m.start < next_end]
            if following:
                return following[0]
    # A date stated earlier in the sentence covers later events, unless "then"/"later" or a
    # report ("X said") comes between.
    earlier = [(m, d) for m, d in dates if m.end <= start]
    if not earlier:
        return None, NO_DATE
    mention, resolved = earlier[-1]
    for name in ("later", "speech_after_person", "speech_before_person"):
        if any(mention.end <= c.start < trigger.start for c in sentence.cue(name)):
            return None, NO_DATE
    return mention, resolved


def _place_for(
    sentence: _Sentence,
    trigger: _Trigger,
    places: list[_Place],
    bounds: list[tuple[int, int]],
    index: int,
) -> _Place | None:
    """The nearest watchlist place in the event's clause (in the sentence, when it states one
    event), within ``place_window`` words."""
    window = sentence.resources.settings["place_window"]
    start, end = bounds[index] if len(bounds) > 1 else (0, len(sentence.text))
    near = [
        (_gap(sentence, trigger.start, trigger.end, p.start, p.end), p)
        for p in places
        if start <= p.start < end
    ]
    near = [(gap, p) for gap, p in near if gap <= window]
    return min(near, key=lambda gp: gp[0])[1] if near else None


def _person_hits(tagged: TagResult, field_name: str) -> list[tuple[str, int, int, str, str]]:
    """(canonical name, start, end, text, variant) of every name hit in a field."""
    hits = {}
    for evidence in tagged.evidence:
        if evidence.kind == "person" and evidence.field == field_name:
            for hit in evidence.names:
                hits[(hit.start, hit.end, evidence.label)] = (
                    evidence.label,
                    hit.start,
                    hit.end,
                    hit.text,
                    hit.variant,
                )
    return sorted(hits.values(), key=lambda h: (h[1], h[0]))


def _place_hits(tagged: TagResult, field_name: str, content: str) -> list[_Place]:
    """Where each watchlist place's terms occur, from the tagger's sentence-level evidence."""
    found = []
    lowered = content.lower()
    for evidence in tagged.evidence:
        if evidence.kind != "place" or evidence.field != field_name:
            continue
        sentence = lowered[evidence.start : evidence.end]
        for term in evidence.terms:
            needle = term.lower()
            at = sentence.find(needle)
            while at >= 0 and needle:
                start = evidence.start + at
                found.append(_Place(evidence.label, start, start + len(needle), term))
                at = sentence.find(needle, at + 1)
    return sorted(found, key=lambda p: p.start)


def _article_events(events: list[Event]) -> list[Event]:
    """One event per person, type and date in an article; an undated mention of an event the
    article also dates is the same event, so it is dropped."""
    dated = {(e.person, e.type) for e in events if e.date}
    kept: dict[tuple[str, str, str | None], Event] = {}
    for event in events:
        if event.date is None and event.key in dated:
            continue
        key = (event.person, event.type, event.date)
        if key not in kept:
            kept[key] = event
        elif kept[key].place is None and event.place:
            kept[key] = replace(kept[key], place=event.place)
    return list(kept.values())


@lru_cache(maxsize=1)
def _default_extractor() -> EventExtractor:
    return EventExtractor(load_event_lexicon(), load_watchlist())


def extract_events(
    text: str,
    title: str,
    language: str | None,
    published: str | date | None,
    tagged: TagResult,
    extractor: EventExtractor | None = None,
) -> list[Event]:
    """The events an article states about the watched persons the tagger found in it.

    ``published`` (ISO date or datetime, as the outlet wrote it) only resolves relative dates
    and dates without a year. ``extractor`` defaults to the packaged lexicon and watchlist; pass
    one built with the user's watchlist so place names match the tagger's.
    """
    return (extractor or _default_extractor()).extract(text, title, language, published, tagged)


@lru_cache(maxsize=8)
def extractor_for(watchlist: Watchlist) -> EventExtractor:
    """The extractor for a watchlist (the user's, as the tagger has it), built once."""
    return EventExtractor(load_event_lexicon(), watchlist)


def event_from_dict(data: dict[str, Any]) -> Event:
    """An event as stored (``Event.as_dict()``), back as a record."""
    evidence = dict(data["evidence"])
    evidence["place_terms"] = tuple(evidence.get("place_terms", ()))
    return Event(
        person=data["person"],
        type=data["type"],
        date=data["date"],
        date_precision=data["date_precision"],
        date_basis=data["date_basis"],
        place=data["place"],
        evidence=EventEvidence(**evidence),
    )
