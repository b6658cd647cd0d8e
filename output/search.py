"""Search for researchers: SQLite FTS5 with ranking, cross-script names and highlighted snippets.

Queries are translated, not passed through: every word is folded to the script-independent
skeleton (``pipeline.names.fold``) and searched as a prefix in the folded column, so `Rakhmanov`
finds Рахманов, Рахманова and Rahmanow; a final vowel is dropped from longer words so case endings
match too (`Taganova` finds Тагановой). "Quoted phrases", AND, OR, NOT and parentheses keep their
FTS5 meaning. A query FTS5 cannot parse is a ``QueryError`` with a one-line message.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from tmwatch.pipeline.names import fold
from tmwatch.store import Store

_TOKENS = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+|"')
_OPERATORS = {"AND", "OR", "NOT"}
_VOWELS = "aeiouy"
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]?")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


RANK_LIMIT = 10_000
"""Above this many matches results come newest first: scoring every match would be slow, and a
query that broad is better narrowed (the CLI says so)."""


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
            words = [re.sub(r"[^a-z0-9]", "", fold(w)) for w in _WORD.findall(token)]
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
            if any(hit(w) for w in _WORD.findall(s.group(0)))
        ),
        text[:width],
    )
    chosen = chosen.strip()
    if len(chosen) > width:
        chosen = chosen[:width].rsplit(" ", 1)[0] + " …"
    return _WORD.sub(lambda m: f"**{m.group(0)}**" if hit(m.group(0)) else m.group(0), chosen)


def resolve_person(store: Store, name: str) -> list[str]:
    """Canonical names of stored persons that ``name`` (any script, any part) refers to."""
    wanted = [_stem(w) for w in _WORD.findall(name)]
    names = [
        r[0] for r in store.db.execute("SELECT DISTINCT value FROM labels WHERE kind = 'person'")
    ]
    result = []
    for canonical in names:
        parts = [re.sub(r"[^a-z0-9]", "", fold(w)) for w in _WORD.findall(canonical)]
        if wanted and all(any(p.startswith(w) for p in parts) for w in wanted):
            result.append(canonical)
    return result


def search(store: Store, query: str | None, filters: Filters) -> list[dict[str, Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.tag:
        where.append(
            "EXISTS (SELECT 1 FROM labels WHERE kind = 'tag' AND value = ? AND article_id = a.id)"
        )
        params.append(filters.tag)
    if filters.person:
        names = resolve_person(store, filters.person)
        if not names:
            return []
        marks = ",".join("?" * len(names))
        where.append(
            "EXISTS (SELECT 1 FROM labels WHERE kind = 'person' "  # noqa: S608
            f"AND value IN ({marks}) AND article_id = a.id)"
        )
        params += names
    if filters.language:
        where.append("a.language = ?")
        params.append(filters.language)
    if filters.outlet:
        where.append("(lower(a.outlet) LIKE ? OR a.source = ?)")
        params += [f"%{filters.outlet.lower()}%", filters.outlet]
    if filters.since:
        where.append("substr(a.published, 1, 10) >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("substr(a.published, 1, 10) <= ?")
        params.append(filters.until)
    stems: list[str] = []
    ranked_by = "date"
    if query and query.strip():
        expression, stems = translate(query)
        try:
            hits = store.db.execute(
                "SELECT count(*) FROM search_index WHERE search_index MATCH ?", (expression,)
            ).fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise QueryError(f"cannot understand the query ({exc})") from None
        if hits <= RANK_LIMIT:
            # Relevance (bm25); without filters only the best ``limit`` hits are joined.
            ranked_by = "relevance"
            inner_limit = "" if where else f" ORDER BY rank LIMIT {max(1, filters.limit)}"
            sql = (
                "SELECT a.*, h.rank AS rank FROM (SELECT article_id, rank FROM search_index "  # noqa: S608
                f"WHERE search_index MATCH ?{inner_limit}) h "
                "JOIN articles a ON a.id = h.article_id WHERE 1"
            )
            order = "h.rank, a.published DESC"
        else:
            # Too many matches to score them all quickly: newest stored first, streamed.
            ranked_by = "newest"
            sql = (
                "SELECT a.*, 0 AS rank FROM search_index h JOIN articles a "
                "ON a.id = h.article_id WHERE search_index MATCH ?"
            )
            order = "h.rowid DESC"
        params.insert(0, expression)
    else:
        sql = "SELECT a.*, 0 AS rank FROM articles a WHERE 1"
        order = "a.published DESC, a.id"
    for clause in where:
        sql += f" AND {clause}"
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(max(1, filters.limit))
    try:
        rows = store.db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot understand the query ({exc})") from None
    results = []
    for row in rows:
        record = dict(row)
        results.append(
            {
                "id": record["id"],
                "title": record["title"],
                "outlet": record["outlet"],
                "published": record["published"],
                "language": record["language"],
                "tags": _json(record["tags"]),
                "persons": _json(record["persons"]),
                "snippet": snippet(record["text"], stems) if stems else record["text"][:220],
                "url": record["url"],
                "ranked_by": ranked_by,
            }
        )
    return results


def _json(value: str) -> Any:
    import json

    return json.loads(value)
