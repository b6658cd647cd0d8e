"""Search for researchers: SQLite FTS5 with ranking, cross-script names and highlighted snippets.

Queries are translated, not passed through: every word is folded to the script-independent
skeleton (``pipeline.names.fold``) and searched as a prefix in the folded column, so `Rakhmanov`
finds Рахманов, Рахманова and Rahmanow; a final vowel is dropped from longer words so case endings
match too (`Taganova` finds Тагановой). "Quoted phrases", AND, OR, NOT and parentheses keep their
FTS5 meaning. A query FTS5 cannot parse is a ``QueryError`` with a one-line message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tmwatch.folding import WORD, fold
from tmwatch.store import Store
from tmwatch.store.archive import ArticleFilter, SearchSyntaxError

_TOKENS = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+|"')
_OPERATORS = {"AND", "OR", "NOT"}
_VOWELS = "aeiouy"
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]?")


class QueryError(ValueError):
    """The search query cannot be understood; the message is one line for the user."""


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    person: str | None = None
    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20


def _stem(word: str) -> str:
    folded = re.sub(r"[^a-z0-9]", "", fold(word))
    if len(folded) > 4 and folded[-1] in _VOWELS:
        folded = folded[:-1]
    return folded


def translate(query: str) -> tuple[str, list[str]]:
    """FTS5 expression over the folded column, and the stems to highlight."""
    if query.count('"') % 2:
        raise QueryError("unbalanced quote in the query")
    parts: list[str] = []
    stems: list[str] = []
    for token in _TOKENS.findall(query):
        if token in _OPERATORS or token in ("(", ")"):
            parts.append(token)
        elif token.startswith('"'):
            words = [re.sub(r"[^a-z0-9]", "", fold(w)) for w in WORD.findall(token)]
            words = [w for w in words if w]
            if words:
                stems += words
                parts.append('folded : "' + " ".join(words) + '"')
        else:
            stem = _stem(token)
            if stem:
                stems.append(stem)
                parts.append(f'folded : "{stem}" *')
    if not stems:
        raise QueryError("the query has no words to search for")
    return " ".join(parts), stems


def snippet(text: str, stems: list[str], width: int = 220) -> str:
    """The first sentence with a query word, matched words in **bold**."""

    def hit(word: str) -> bool:
        folded = re.sub(r"[^a-z0-9]", "", fold(re.split("['’]", word)[0]))
        return any(folded.startswith(s) for s in stems)

    chosen = next(
        (
            s.group(0)
            for s in _SENTENCE.finditer(text)
            if any(hit(w) for w in WORD.findall(s.group(0)))
        ),
        text[:width],
    )
    chosen = chosen.strip()
    if len(chosen) > width:
        chosen = chosen[:width].rsplit(" ", 1)[0] + " …"
    return WORD.sub(lambda m: f"**{m.group(0)}**" if hit(m.group(0)) else m.group(0), chosen)


def resolve_person(store: Store, name: str) -> list[str]:
    """Canonical names of stored persons that ``name`` (any script, any part) refers to."""
    wanted = [_stem(w) for w in WORD.findall(name)]
    result = []
    for canonical in store.archive.person_labels():
        parts = [re.sub(r"[^a-z0-9]", "", fold(w)) for w in WORD.findall(canonical)]
        if wanted and all(any(p.startswith(w) for p in parts) for w in wanted):
            result.append(canonical)
    return result


def search(store: Store, query: str | None, filters: Filters) -> list[dict[str, Any]]:
    """Results for the CLI and exports: a ranked page of articles with highlighted snippets."""
    persons = tuple(resolve_person(store, filters.person)) if filters.person else None
    if persons == ():
        return []
    where = ArticleFilter(
        tag=filters.tag,
        persons=persons,
        language=filters.language,
        outlet=filters.outlet,
        since=filters.since,
        until=filters.until,
    )
    expression, stems = translate(query) if query and query.strip() else (None, [])
    try:
        rows, ranked_by = store.archive.search(expression, where, filters.limit)
    except SearchSyntaxError as exc:
        raise QueryError(f"cannot understand the query ({exc})") from None
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "outlet": row["outlet"],
            "published": row["published"],
            "language": row["language"],
            "tags": row["tags"],
            "persons": row["persons"],
            "snippet": snippet(row["text"], stems) if stems else row["text"][:220],
            "url": row["url"],
            "ranked_by": ranked_by,
        }
        for row in rows
    ]
