"""Full-text search on PostgreSQL, with the results SQLite's FTS5 search gives.

``tmwatch.output.search.translate`` writes a query as an FTS5 expression, and the store's
contract (``Archive.search``: totals, bounds, orderings, facets) is defined by the SQLite
implementation. Rather than a second query translator, the FTS5 expression itself is parsed
(``to_tsquery``) and written as a PostgreSQL tsquery over the same folded text: both engines
then see the same tokens in the same positions, so they match the same articles.

The search keeps SQLite's shape, so that every total, bound and ordering agrees: the hits are
counted unfiltered (GIN index), which decides between ranking by relevance (``ts_rank``, in
place of bm25) and streaming the newest index rows; the expression is then evaluated once more
for the filtered matches, from which the total, the facets and the page are all taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tmwatch.store.search_results import (
    ArticleFilter,
    FacetCounts,
    SearchPage,
    SearchSyntaxError,
    decode,
    facet_counts,
)


class Archive(Protocol):
    """What the search needs of ``tmwatch.store.archive.Archive``: its connection (the
    archive module is not imported here: it dispatches to this one)."""

    db: Any


__all__ = ["facets", "search", "to_tsquery"]

# -- FTS5 expression -> tsquery -----------------------------------------------------------------

_COLUMN = "folded"  # the one indexed column of search_index
_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"]|"")*")|(?P<bare>[\w\x1a\x80-\U0010ffff]+)|(?P<punct>\S))',
    re.UNICODE,
)
_PUNCT = {"(": "LP", ")": "RP", ":": "COLON", "+": "PLUS", "*": "STAR"}
_KEYWORDS = {"AND", "OR", "NOT"}
_UNSUPPORTED = {"^": "initial-token queries", "-": "column exclusion", "{": "column sets"}
_WORDS = re.compile(r"[^\W_]+")  # unicode61's tokens: runs of letters and digits


@dataclass(frozen=True)
class _Token:
    kind: str  # STRING, LP, RP, COLON, PLUS, STAR, AND, OR, NOT, END
    text: str  # a string's content
    raw: str  # as written: what an error message quotes, as FTS5's do


def _syntax_error(message: str) -> SearchSyntaxError:
    return SearchSyntaxError(f"fts5: {message}")


def _tokens(expression: str) -> list[_Token]:
    """FTS5's tokens of ``expression``: quoted strings lose their quotes ("" is one quote);
    only uppercase AND/OR/NOT are operators, as in FTS5, where "and" is a word."""
    found: list[_Token] = []
    position = 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        if match is None:  # pragma: no cover - every non-space character matches ``punct``
            break
        position = match.end()
        if match.group("string") is not None:
            raw = match.group("string")
            found.append(_Token("STRING", raw[1:-1].replace('""', '"'), raw))
        elif match.group("bare") is not None:
            word = match.group("bare")
            if word == "NEAR" and expression[position : position + 1] == "(":
                raise _syntax_error("NEAR groups are not supported")
            found.append(_Token(word if word in _KEYWORDS else "STRING", word, word))
        else:
            char = match.group("punct")
            if char in _UNSUPPORTED:
                raise _syntax_error(f"{_UNSUPPORTED[char]} are not supported")
            if char not in _PUNCT:
                raise _syntax_error(f'syntax error near "{char}"')
            found.append(_Token(_PUNCT[char], char, char))
    found.append(_Token("END", "", ""))
    return found


def _lexeme(word: str, prefix: bool) -> str:
    """One tsquery lexeme, quoted so that no character in it is read as an operator."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


class _Parser:
    """Recursive descent over FTS5's grammar (fts5parse.y), the part ``translate`` writes.

    Precedence, loosest first: OR, AND, NOT (binary: ``a NOT b`` is a and not b), then the
    implicit AND of phrases side by side, which FTS5 joins before any operator and only
    between phrases (``"a" (b)`` is an error there, so it is one here). Every node is written
    parenthesized, so PostgreSQL's own precedence never decides anything.
    """

    def __init__(self, expression: str) -> None:
        self.tokens = _tokens(expression)
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self, kind: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise _syntax_error(f'syntax error near "{token.raw}"')
        self.at += 1
        return token

    def parse(self) -> str:
        tree = self.any_of()
        self.take("END")
        return tree

    def any_of(self) -> str:
        return self.binary("OR", self.all_of, "|")

    def all_of(self) -> str:
        return self.binary("AND", self.excluding, "&")

    def excluding(self) -> str:
        return self.binary("NOT", self.primary, "& !")

    def binary(self, keyword: str, operand: Callable[[], str], operator: str) -> str:
        """Left-associative ``operand (keyword operand)*``, as FTS5's %left rules; ``operator``
        ends with "!" for NOT, whose right side is excluded: ``a & !b``."""
        tree = operand()
        while self.peek().kind == keyword:
            self.at += 1
            space = "" if operator.endswith("!") else " "
            tree = f"({tree} {operator}{space}{operand()})"
        return tree

    def primary(self) -> str:
        if self.peek().kind == "LP":
            return self.group()
        if self.column_group_ahead():
            self.column()
            return self.group()
        return self.phrases()

    def group(self) -> str:
        self.take("LP")
        tree = self.any_of()
        self.take("RP")
        return tree

    def column_group_ahead(self) -> bool:
        kinds = (self.peek().kind, self.peek(1).kind, self.peek(2).kind)
        return kinds == ("STRING", "COLON", "LP")

    def column(self) -> None:
        """A column filter: the index has one searchable column, so it only has to exist."""
        name = self.take("STRING").text
        self.take("COLON")
        if name.lower() != _COLUMN:
            raise SearchSyntaxError(f"no such column: {name}")

    def phrases(self) -> str:
        """Phrases side by side (FTS5's implicit AND); a column group may not join them."""
        found = [self.column_phrase()]
        while self.peek().kind == "STRING":
            if self.column_group_ahead():
                raise _syntax_error('syntax error near "("')
            found.append(self.column_phrase())
        return found[0] if len(found) == 1 else "(" + " & ".join(found) + ")"

    def column_phrase(self) -> str:
        if self.peek().kind == "STRING" and self.peek(1).kind == "COLON":
            self.column()
        return self.phrase()

    def phrase(self) -> str:
        """Strings joined by ``+`` (each maybe a prefix ``*``): one sequence of tokens."""
        words = self.phrase_part()
        while self.peek().kind == "PLUS":
            self.at += 1
            words += self.phrase_part()
        if not words:
            raise _syntax_error("an empty phrase cannot be searched on PostgreSQL")
        joined = " <-> ".join(words)
        return joined if len(words) == 1 else f"({joined})"

    def phrase_part(self) -> list[str]:
        """One string's tokens, as FTS5's tokenizer splits them; ``*`` makes the last a prefix."""
        words = _WORDS.findall(self.take("STRING").text.lower())
        prefix = self.peek().kind == "STAR"
        if prefix:
            self.at += 1
        return [_lexeme(w, prefix and i == len(words) - 1) for i, w in enumerate(words)]


def to_tsquery(expression: str) -> str:
    """The tsquery text (for ``to_tsquery('simple', ...)``) that matches what the FTS5
    ``expression`` matches in the folded column; ``SearchSyntaxError`` when FTS5 could not
    parse it either (or it uses FTS5 syntax ``translate`` never writes)."""
    return _Parser(expression).parse()


# -- searching ---------------------------------------------------------------------------------

_QUERY = "to_tsquery('simple', ?)"
_FACET_COLUMNS = "a.id AS id, a.outlet AS outlet, a.language AS language, a.published_day AS day"


def _where(clauses: Sequence[str]) -> str:
    """``ArticleFilter`` clauses joined (SQLite's ``WHERE 1`` is no boolean on PostgreSQL)."""
    return "".join(f" AND {c}" for c in clauses)


def _matches(columns: str, clauses: Sequence[str]) -> str:
    """The filtered matches, the query given once: the GIN index finds the hits."""
    return (
        f"SELECT {columns} FROM {_QUERY} AS q CROSS JOIN search_index h "  # noqa: S608
        f"JOIN articles a ON a.id = h.article_id WHERE h.document @@ q{_where(clauses)}"
    )


def search(
    archive: Archive,
    expression: str | None,
    where: ArticleFilter,
    limit: int,
    offset: int = 0,
    *,
    facets: bool = False,
    limits: tuple[int, int],
) -> SearchPage:
    """``Archive.search`` on PostgreSQL: the same articles, totals, bounds and orderings.

    ``limits`` are the archive's (COUNT_LIMIT, RANK_LIMIT) as they are at the call."""
    count_limit, rank_limit = limits
    limit, offset = max(1, limit), max(0, offset)
    if expression is None:
        return _by_date(archive, where, (limit, offset), facets, count_limit)
    query = to_tsquery(expression)
    hits = int(
        archive.db.execute(
            "SELECT count(*) FROM search_index WHERE document @@ to_tsquery('simple', ?)",
            (query,),
        ).fetchone()[0]
    )
    if hits <= rank_limit:
        return _by_relevance(archive, query, where, hits, (limit, offset), facets, count_limit)
    return _by_newest(archive, query, where, hits, (limit, offset), facets, count_limit)


def _by_relevance(
    archive: Archive,
    query: str,
    where: ArticleFilter,
    hits: int,
    window: tuple[int, int],
    facets: bool,
    count_limit: int,
) -> SearchPage:
    """Few enough hits to score them all: one pass reads every filtered match with its score
    (ordered as SQLite orders by bm25: score, then newest published, then id), and the total,
    the facets (over the newest index rows) and the page all come from it."""
    clauses, params = where.sql()
    columns = f"h.rowid AS hit, ts_rank(h.document, q) AS score, {_FACET_COLUMNS}"
    found = archive.db.execute(
        _matches(columns, clauses) + " ORDER BY score DESC, a.published DESC, a.id",
        [query, *params],
    ).fetchall()
    counts = None
    if facets:
        newest = sorted(found, key=lambda row: int(row["hit"]), reverse=True)
        counts = _facet_counts(archive, newest[: count_limit + 1], count_limit)
    total = hits if not clauses else min(len(found), count_limit + 1)
    limit, offset = window
    chosen = found[offset : offset + limit]
    rows = _rows(archive, [str(r["id"]) for r in chosen], {r["id"]: -r["score"] for r in chosen})
    return _page(rows, total, "relevance", bool(clauses), counts, count_limit)


def _by_newest(
    archive: Archive,
    query: str,
    where: ArticleFilter,
    hits: int,
    window: tuple[int, int],
    facets: bool,
    count_limit: int,
) -> SearchPage:
    """Too many hits to score: the newest index rows first. One pass over the newest
    COUNT_LIMIT + 1 filtered matches gives the bounded total, the facets and the first pages;
    a page beyond them is read on its own."""
    clauses, params = where.sql()
    read = count_limit + 1 if clauses or facets else 0
    newest: list[Any] = []
    if read:
        newest = archive.db.execute(
            _matches(_FACET_COLUMNS, clauses) + f" ORDER BY h.rowid DESC LIMIT {read}",
            [query, *params],
        ).fetchall()
    counts = _facet_counts(archive, newest, count_limit) if facets else None
    total = hits if not clauses else len(newest)
    limit, offset = window
    if read and (offset + limit <= len(newest) or len(newest) < read):
        rows = _rows(archive, [str(r["id"]) for r in newest[offset : offset + limit]])
    else:
        sql = _matches("a.*, 0 AS rank", clauses) + " ORDER BY h.rowid DESC LIMIT ? OFFSET ?"
        rows = [dict(r) for r in archive.db.execute(sql, [query, *params, limit, offset])]
    return _page(rows, total, "newest", bool(clauses), counts, count_limit)


def _by_date(
    archive: Archive,
    where: ArticleFilter,
    window: tuple[int, int],
    facets: bool,
    count_limit: int,
) -> SearchPage:
    """No query: newest published first. The newest COUNT_LIMIT + 1 give the bounded total,
    the facets and the first pages in one pass; a page beyond them is read on its own."""
    clauses, params = where.sql()
    newest = archive.db.execute(
        f"SELECT {_FACET_COLUMNS} FROM articles a WHERE TRUE{_where(clauses)} "  # noqa: S608
        f"ORDER BY a.published DESC, a.id LIMIT {count_limit + 1}",
        params,
    ).fetchall()
    counts = _facet_counts(archive, newest, count_limit) if facets else None
    limit, offset = window
    if offset + limit <= len(newest) or len(newest) <= count_limit:
        rows = _rows(archive, [str(r["id"]) for r in newest[offset : offset + limit]])
    else:
        sql = (
            f"SELECT a.*, 0 AS rank FROM articles a WHERE TRUE{_where(clauses)} "  # noqa: S608
            "ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?"
        )
        rows = [dict(r) for r in archive.db.execute(sql, [*params, limit, offset])]
    return _page(rows, len(newest), "date", True, counts, count_limit)


def _page(
    rows: list[dict[str, Any]],
    total: int,
    ranked_by: str,
    bounded: bool,
    counts: FacetCounts | None,
    count_limit: int,
) -> SearchPage:
    """The page as SQLite reports it: a bounded total beyond COUNT_LIMIT is that limit, and
    says so; an unfiltered query's total is its exact number of hits."""
    capped = bounded and total > count_limit
    return SearchPage(
        [decode(r) for r in rows],
        count_limit if capped else total,
        ranked_by,
        total_is_lower_bound=capped,
        facets=counts,
    )


def _rows(
    archive: Archive, ids: list[str], ranks: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    """The articles ``ids`` in that order, in one lookup; ``rank`` as SQLite's (lower is
    better: the negated score) or 0 when the page is not ranked."""
    if not ids:
        return []
    found = {
        row["id"]: dict(row)
        for row in archive.db.execute("SELECT a.* FROM articles a WHERE a.id = ANY(?)", (ids,))
    }
    for article_id in ids:
        found[article_id]["rank"] = (ranks or {}).get(article_id, 0)
    return [found[i] for i in ids]


def facets(
    archive: Archive, expression: str | None, where: ArticleFilter, limit: int
) -> FacetCounts:
    """``Archive.facets`` on PostgreSQL: counts over the newest ``limit`` matches (newest index
    rows for a query, newest published without one), as on SQLite."""
    clauses, params = where.sql()
    limit = max(1, int(limit))
    if expression is None:
        sql = f"SELECT {_FACET_COLUMNS} FROM articles a WHERE TRUE{_where(clauses)} "  # noqa: S608
        sql += f"ORDER BY a.published DESC, a.id LIMIT {limit + 1}"
        rows = archive.db.execute(sql, params).fetchall()
    else:
        sql = _matches(_FACET_COLUMNS, clauses) + f" ORDER BY h.rowid DESC LIMIT {limit + 1}"
        rows = archive.db.execute(sql, [to_tsquery(expression), *params]).fetchall()
    return _facet_counts(archive, rows, limit)


def _facet_counts(archive: Archive, rows: Sequence[Any], limit: int) -> FacetCounts:
    """Counts over the first ``limit`` of ``rows`` (one more tells whether they are all):
    outlets, languages and months from the rows, labels in one grouped query."""
    counted = rows[:limit]
    labels: list[Any] = []
    if counted:
        labels = archive.db.execute(
            "SELECT kind, value, count(*) FROM labels WHERE article_id = ANY(?) "
            "GROUP BY kind, value",
            ([str(row["id"]) for row in counted],),
        ).fetchall()
    return facet_counts(counted, len(rows) <= limit, labels)
