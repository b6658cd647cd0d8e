"""Search for researchers: SQLite FTS5 with ranking, cross-script names and plain-text snippets.

Queries are translated, not passed through: every word is folded to the script-independent
skeleton (``tmwatch.folding``) and searched as a prefix in the folded column, so `Rakhmanov`
finds Рахманов, Рахманова and Rahmanow; a final vowel is dropped from longer words so case endings
match too (`Taganova` finds Тагановой). A "quoted phrase" is the same prefix stems in sequence
(FTS5's ``"a" * + "b" *``), so `"Dursoltan Taganova"` finds "Дурсолтан Таганову". AND, OR, NOT
and parentheses keep their FTS5 meaning. A query FTS5 cannot parse is a ``QueryError`` with a
one-line message.

Spellings folding cannot join (Ahmed/Ahmet, Mamedov/Mammadov) come from the watchlist: a query
word that is one of a watched person's first-name or surname spellings is searched as all of
that person's spellings of that part, in phrases too. A watched person's first name and surname
side by side (either order) search for the person as the tagger identifies them: both names
anywhere in the article, or an initial before the surname ("A. Rahmanow"), or, for a person
whose surname the watchlist marks distinctive, the surname alone. So the results of
``--person "Akhmed Rakhmanov"`` are always among those of the query ``Akhmed Rakhmanov``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tmwatch.config.lexicons import Person, Watchlist
from tmwatch.days import article_day
from tmwatch.folding import WORD
from tmwatch.output.filters import (
    CheckedFilters,
    check_filters,
    folded,
    resolve_outlet,
    resolve_person,
    stem,
)
from tmwatch.store import Store
from tmwatch.store.archive import ArticleFilter, FacetCounts, SearchSyntaxError

__all__ = [
    "FacetCounts",
    "Filters",
    "QueryError",
    "SearchResult",
    "Snippet",
    "mark",
    "resolve_person",
    "run_search",
    "search",
    "snippet",
    "translate",
]

_TOKENS = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+|"')
_OPERATORS = {"AND", "OR", "NOT"}
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]?")
MAX_PHRASE_VARIANTS = 32
"""A phrase is searched as every combination of its words' spellings, up to this many; beyond
that only as written (FTS5 phrases cannot hold alternatives, so they multiply)."""


class QueryError(ValueError):
    """The search query cannot be understood; the message is one line for the user."""


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed by, as the user gave it; resolved against the store here."""

    tag: str | None = None
    person: str | None = None
    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20
    # Already resolved (``output.filters.check_filters``): used instead of resolving again.
    persons: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    offset: int = 0  # skip this many results first (the pages after the first)

    @classmethod
    def checked(cls, checked: CheckedFilters, limit: int = 20, offset: int = 0) -> Filters:
        """Filters that ``check_filters`` has resolved against the store."""
        return cls(
            tag=checked.tag,
            language=checked.language,
            since=checked.since,
            until=checked.until,
            limit=limit,
            persons=checked.persons,
            sources=checked.sources,
            offset=offset,
        )


@dataclass(frozen=True)
class Snippet:
    """Plain text from an article and the ``(start, end)`` character offsets of matched words.

    Plain text plus offsets, not markup: a JSON consumer highlights as it likes, and text that
    happens to contain ``**`` or ``<`` cannot be confused with the highlighting.
    """

    text: str
    matches: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "**", after: str = "**") -> str:
        """The text with every match wrapped in ``before``/``after`` (Markdown bold by default)."""
        return mark(self.text, self.matches, before, after)


@dataclass(frozen=True)
class SearchResult:
    """One page of results and what it is a page of.

    ``total`` counts every article that matches the query and filters; ``ranked_by`` is
    "relevance" (bm25), "newest" (too many matches to score, newest stored first) or "date"
    (no query: newest published first).
    """

    results: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    ranked_by: str = "date"
    total_is_lower_bound: bool = False  # more matched than the store counts exactly
    # The day each result shows, by id (``tmwatch.days.article_day``: the outlet's day), "" when
    # undated. Not part of the JSON document: it is the stored ``published_day``, read with the
    # results so that showing days costs no query per result.
    days: dict[str, str] = field(default_factory=dict, compare=False)
    facets: FacetCounts | None = None  # asked for with ``search(..., facets=True)``

    @property
    def truncated(self) -> bool:
        """True when more articles match than ``results`` holds (raise the limit to see them)."""
        return self.total > len(self.results)

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "results": self.results,
            "total": self.total,
            "total_is_lower_bound": self.total_is_lower_bound,
            "truncated": self.truncated,
            "ranked_by": self.ranked_by,
        }


# -- the query language ------------------------------------------------------------------------


def _single_words(spellings: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(s) for s in spellings if WORD.fullmatch(s) and stem(s))


class Spellings:
    """The watchlist's spellings of each person's first name and surname, as search stems."""

    def __init__(self, watchlist: Watchlist | None) -> None:
        self.people: tuple[Person, ...] = watchlist.people if watchlist else ()
        self.first = {p.key: _single_words(p.first) for p in self.people}
        self.last = {p.key: _single_words(p.last) for p in self.people}

    def variants(self, word_stem: str) -> list[str]:
        """``word_stem`` and, if it is a spelling of a watched person's name part, the others."""
        found = {word_stem}
        for person in self.people:
            for part in (self.first[person.key], self.last[person.key]):
                if word_stem in part:
                    found |= part
        return [word_stem, *sorted(found - {word_stem})]

    def person(self, one: str, two: str) -> Person | None:
        """The watched person whose first name and surname two adjacent query words are."""
        for p in self.people:
            first, last = self.first[p.key], self.last[p.key]
            if (one in first and two in last) or (one in last and two in first):
                return p
        return None

    def initials(self, person: Person) -> list[str]:
        return sorted({s[0] for s in self.first[person.key]})


def _prefix(word_stem: str) -> str:
    return f'"{word_stem}" *'


def _any(stems: Sequence[str]) -> str:
    return _prefix(stems[0]) if len(stems) == 1 else "(" + " OR ".join(map(_prefix, stems)) + ")"


def _column(expression: str) -> str:
    return f"folded : ({expression})"


def _phrase(token: str, spellings: Spellings) -> tuple[str, list[str]] | None:
    """A quoted phrase: its words' prefix stems in sequence, over all their spellings."""
    words = [s for s in (stem(w) for w in WORD.findall(token)) if s]
    if not words:
        return None
    options = [spellings.variants(w) for w in words]
    combinations = 1
    for option in options:
        combinations *= len(option)
    if combinations > MAX_PHRASE_VARIANTS:
        options = [[w] for w in words]
    sequences = [" + ".join(map(_prefix, combo)) for combo in itertools.product(*options)]
    return _column(" OR ".join(sequences)), [s for option in options for s in option]


def _person(person: Person, one: list[str], two: list[str], spellings: Spellings) -> str:
    """A watched person's name in a query: the mentions the tagger would attribute to them."""
    first, last = (one, two) if one[0] in spellings.first[person.key] else (two, one)
    if person.distinctive:
        return _column(_any(last))
    initials = [f'"{i}" + {_prefix(s)}' for i in spellings.initials(person) for s in last]
    return _column(f"({_any(first)} AND {_any(last)}) OR " + " OR ".join(initials))


def translate(query: str, watchlist: Watchlist | None = None) -> tuple[str, list[str]]:
    """FTS5 expression over the folded column, and the stems to highlight."""
    if query.count('"') % 2:
        raise QueryError("unbalanced quote in the query")
    spellings = Spellings(watchlist)
    tokens = _TOKENS.findall(query)

    def plain(token: str) -> str:
        """The stem of a bare word, "" for operators, parentheses, phrases and punctuation."""
        if token in _OPERATORS or token in ("(", ")") or token.startswith('"'):
            return ""
        return stem(token)

    parts: list[str] = []
    stems: list[str] = []

    def operand(expression: str) -> None:
        """Append a word, phrase, person or "(": after another operand, with AND between them.
        Words side by side mean AND, but FTS5 joins only bare phrases so, not the
        column-filtered groups a query becomes (``a b`` would be a syntax error)."""
        if parts and parts[-1] not in (*_OPERATORS, "("):
            parts.append("AND")
        parts.append(expression)

    i = 0
    while i < len(tokens):
        token = tokens[i]
        word = plain(token)
        following = plain(tokens[i + 1]) if i + 1 < len(tokens) else ""
        person = spellings.person(word, following) if word and following else None
        if person is not None:
            one, two = spellings.variants(word), spellings.variants(following)
            operand(_person(person, one, two, spellings))
            stems += one + two
            i += 2
            continue
        if token in ("(",):
            operand(token)
        elif token in _OPERATORS or token in (")",):
            parts.append(token)
        elif token.startswith('"'):
            phrase = _phrase(token, spellings)
            if phrase:
                operand(phrase[0])
                stems += phrase[1]
        elif word:
            variants = spellings.variants(word)
            operand(_column(_any(variants)))
            stems += variants
        i += 1
    if not stems:
        raise QueryError("the query has no words to search for")
    return " ".join(parts), list(dict.fromkeys(stems))


# -- snippets ----------------------------------------------------------------------------------

_folded = functools.lru_cache(maxsize=1 << 16)(folded)
"""``folded`` remembered: a page of snippets folds the same few thousand words again and again
(an export of thousands of results, most of all)."""


def mark(text: str, matches: Iterable[Sequence[int]], before: str, after: str) -> str:
    """``text`` with each ``(start, end)`` span wrapped in ``before`` and ``after``."""
    out: list[str] = []
    at = 0
    for start, end in sorted((int(s), int(e)) for s, e in matches):
        if start < at:
            continue
        out += [text[at:start], before, text[start:end], after]
        at = end
    out.append(text[at:])
    return "".join(out)


def _window(text: str, focus: int, width: int) -> tuple[int, int]:
    """Start and end of at most ``width`` characters of ``text`` around ``focus``, both at word
    boundaries (spaces); one word longer than ``width`` is kept whole rather than cut."""
    starts = [0] + [m.end() for m in re.finditer(" ", text)]
    lead = focus - width // 3
    start = next((s for s in starts if lead <= s <= focus), None)
    if start is None:
        start = max(s for s in starts if s <= focus)
    limit = start + width
    if limit >= len(text):
        return start, len(text)
    end = text.rfind(" ", start, limit + 1)
    if end <= start:
        end = text.find(" ", limit)
        end = len(text) if end < 0 else end
    return start, end


def snippet(text: str, stems: Sequence[str], width: int = 220) -> Snippet:
    """The first sentence with a query word (else the start of the text), whitespace collapsed
    to single spaces, at most about ``width`` characters cut at word boundaries and marked "…",
    with the offsets of the matched words."""

    prefixes = tuple(stems)

    def hit(word: str) -> bool:
        if not prefixes:  # nothing to find: no word needs folding
            return False
        word_folded = _folded(word)
        return bool(word_folded) and word_folded.startswith(prefixes)

    sentences = (" ".join(m.group(0).split()) for m in _SENTENCE.finditer(text))
    found = (s for s in sentences if any(hit(w) for w in WORD.findall(s)))
    chosen = next(found, None) if prefixes else None
    if chosen is None:
        chosen = " ".join(text.split())
    if len(chosen) > width:
        first = next((m.start() for m in WORD.finditer(chosen) if hit(m.group(0))), 0)
        start, end = _window(chosen, first, width - 2)
        body = chosen[start:end].strip()
        chosen = ("… " if start > 0 else "") + body + (" …" if end < len(chosen) else "")
    spans = tuple((m.start(), m.end()) for m in WORD.finditer(chosen) if hit(m.group(0)))
    return Snippet(chosen, spans)


# -- search ------------------------------------------------------------------------------------


def run_search(
    store: Store,
    query: str | None,
    *,
    tag: str | None = None,
    person: str | None = None,
    language: str | None = None,
    outlet: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    limit: int = 20,
    offset: int = 0,
    watchlist: Watchlist | None = None,
) -> SearchResult:
    """What ``tmwatch search`` and the web interface's ``/api/search`` both do: check the
    filters against the store, then search.

    Raises ``FilterError`` for a filter value nothing stored carries (its message lists the
    values that exist) and ``QueryError`` for a query that cannot be understood; one function,
    so the two can never disagree about a result or a message.
    """
    checked = check_filters(
        store,
        tag=tag,
        person=person,
        language=language,
        outlet=outlet,
        since=since,
        until=until,
        watchlist=watchlist,
    )
    return search(store, query, Filters.checked(checked, limit, offset), watchlist)


def search(
    store: Store,
    query: str | None,
    filters: Filters,
    watchlist: Watchlist | None = None,
    *,
    facets: bool = False,
) -> SearchResult:
    """A ranked page of articles with plain-text snippets, and how many match in all; with
    ``facets``, counts per tag, person, outlet, language and month of (at most
    ``FACET_LIMIT`` of) the matches, in ``SearchResult.facets`` (``Archive.facets`` says why
    they are bounded).

    ``watchlist`` lets query words and ``filters.person`` use every spelling it lists (see the
    module docstring); without it only folding joins spellings. A person or outlet that matches
    nothing stored gives no results; ``tmwatch.output.filters.check_filters`` reports it instead.
    """
    expression, stems = translate(query, watchlist) if query and query.strip() else (None, [])
    empty = SearchResult([], 0, "relevance" if expression else "date")
    persons = filters.persons
    if persons is None and filters.person:
        persons = tuple(resolve_person(store, filters.person, watchlist))
    sources = filters.sources
    if sources is None and filters.outlet:
        sources = tuple(resolve_outlet(store, filters.outlet))
    if persons == () or sources == ():
        return empty
    where = ArticleFilter(
        tag=filters.tag,
        persons=persons,
        language=filters.language,
        sources=sources,
        since=filters.since,
        until=filters.until,
    )
    try:
        page = store.archive.search(expression, where, filters.limit, filters.offset, facets=facets)
    except SearchSyntaxError as exc:
        raise QueryError(f"cannot understand the query ({exc})") from None
    results = []
    days = {}
    for row in page.rows:
        day = article_day(row)
        days[row["id"]] = day.isoformat() if day else ""
        excerpt = snippet(row["text"], stems)
        results.append(
            {
                "id": row["id"],
                "title": row["title"],
                "outlet": row["outlet"],
                "published": row["published"],
                "language": row["language"],
                "tags": row["tags"],
                "persons": row["persons"],
                "snippet": excerpt.text,
                "matches": [list(span) for span in excerpt.matches],
                "url": row["url"],
            }
        )
    return SearchResult(
        results, page.total, page.ranked_by, page.total_is_lower_bound, days, page.facets
    )
