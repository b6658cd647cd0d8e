"""What a search of the store takes and returns, whichever engine runs it (``archive`` on
SQLite, ``pg_search`` on PostgreSQL): the filter, the page, the facet counts, the syntax error,
and the decoding of a stored article row. Apart from both so that neither engine's module
imports the other's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

_JSON_COLUMNS = ("authors", "alternates", "tags", "persons", "places", "evidence")


@dataclass(frozen=True)
class ArticleFilter:
    """Conditions on stored articles.

    ``persons`` holds canonical names and ``sources`` source keys (any of them matches): callers
    resolve what a user typed in Python (``tmwatch.output.filters``), where case folding is
    Unicode-aware, which SQLite's ``lower()`` is not. ``outlet`` is the older substring match of
    an outlet name or a source key, kept for callers that have not resolved it.
    """

    tag: str | None = None
    persons: tuple[str, ...] | None = None
    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] | None = None

    def sql(self) -> tuple[list[str], list[Any]]:
        """WHERE clauses over ``articles a`` and their parameters."""
        where: list[str] = []
        params: list[Any] = []
        if self.tag:
            where.append(
                "EXISTS (SELECT 1 FROM labels WHERE kind = 'tag' AND value = ? "
                "AND article_id = a.id)"
            )
            params.append(self.tag)
        if self.persons is not None:
            marks = ",".join("?" * len(self.persons)) or "NULL"
            # A set, not a correlated EXISTS: a person names few articles, and probing labels
            # for each of 100k articles in date order cost 400 ms where the set costs 2 ms.
            # (A tag names many articles, so the tag clause above stays correlated.)
            where.append(
                "a.id IN (SELECT article_id FROM labels WHERE kind = 'person' "  # noqa: S608
                f"AND value IN ({marks}))"
            )
            params += list(self.persons)
        if self.language:
            where.append("a.language = ?")
            params.append(self.language)
        if self.outlet:
            # The user's text is a literal: % and _ in it must not act as wildcards.
            pattern = re.sub(r"([\\%_])", r"\\\1", self.outlet.lower())
            where.append("(lower(a.outlet) LIKE ? ESCAPE '\\' OR a.source = ?)")
            params += [f"%{pattern}%", self.outlet]
        if self.sources is not None:
            marks = ",".join("?" * len(self.sources)) or "NULL"
            where.append(f"a.source IN ({marks})")
            params += list(self.sources)
        # Days are the outlet's (``published_day``, see tmwatch.days), never a cut of the stored
        # time, whose first ten characters are the UTC day for a time stamped in UTC.
        if self.since:
            where.append("a.published_day >= ?")
            params.append(self.since)
        if self.until:
            where.append("a.published_day <= ?")
            params.append(self.until)
        return where, params

    def counting(self) -> tuple[str, list[Any]]:
        """A SELECT of one row per matching article in no particular order, and its
        parameters: what a bounded count (``LIMIT 1001``) reads.

        A tag's own labels drive it (``CROSS JOIN`` fixes that order), unless a date range
        does: read in the label index's order, the count stops at its bound. Probing labels for
        each article in storage order until 1,001 of a rare tag's are found cost 126 ms in a
        300,000-article archive; an ``IN`` set of the tag's articles, collected whole before
        the first is counted, 75 ms for a common tag at a million. With a date range the day
        index drives (3 ms) and the tag is probed.
        """
        if self.tag and not (self.since or self.until):
            clauses, params = replace(self, tag=None).sql()
            return (
                "SELECT 1 FROM labels t CROSS JOIN articles a ON a.id = t.article_id "  # noqa: S608
                "WHERE t.kind = 'tag' AND t.value = ?" + "".join(f" AND {c}" for c in clauses),
                [self.tag, *params],
            )
        clauses, params = self.sql()
        where = "".join(f" AND {c}" for c in clauses)  # fixed clauses, values as parameters
        return f"SELECT 1 FROM articles a WHERE 1{where}", params  # noqa: S608


class SearchSyntaxError(ValueError):
    """FTS5 could not parse a search expression; the message is SQLite's."""


@dataclass(frozen=True)
class FacetCounts:
    """How many of the matches carry each tag, person, outlet, language and month.

    Every list is ``(value, count)``, largest count first; ``outlets`` are outlet names as
    articles carry them (one name may span several source keys), ``languages`` and ``months``
    (``YYYY-MM`` of the outlet's publication day) use "" for unknown. ``counted`` is how many
    matches the counts cover; ``complete`` is False when more matched than that (the counts
    are then over the newest ``counted``, see ``Archive.facets``).
    """

    tags: list[tuple[str, int]]
    persons: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    languages: list[tuple[str, int]]
    months: list[tuple[str, int]]
    counted: int
    complete: bool


@dataclass(frozen=True)
class SearchPage:
    """One page of search hits: the rows, how many articles match in all, and the ordering."""

    rows: list[dict[str, Any]]
    total: int
    ranked_by: str  # "relevance" (bm25), "newest" (too many hits to score) or "date" (no query)
    total_is_lower_bound: bool = False  # more than COUNT_LIMIT match: ``total`` is that limit
    facets: FacetCounts | None = None  # when asked for


def facet_counts(
    counted: Sequence[Any], complete: bool, labels: Iterable[Sequence[Any]]
) -> FacetCounts:
    """The counts over the ``counted`` match rows (columns ``outlet``, ``language``, ``day``)
    and their ``labels`` (``(kind, value, count)`` rows, each engine's own query): outlets,
    languages and months are counted here, tags and persons by the label query."""
    found: dict[str, dict[str, int]] = {"outlet": {}, "language": {}, "month": {}}
    for row in counted:
        for kind, value in (
            ("outlet", row["outlet"]),
            ("language", row["language"] or ""),
            ("month", (row["day"] or "")[:7]),
        ):
            found[kind][value] = found[kind].get(value, 0) + 1
    for kind, value, count in labels:
        found.setdefault(str(kind), {})[str(value)] = int(count)

    def largest(kind: str) -> list[tuple[str, int]]:
        return sorted(found.get(kind, {}).items(), key=lambda item: (-item[1], item[0]))

    return FacetCounts(
        tags=largest("tag"),
        persons=largest("person"),
        outlets=largest("outlet"),
        languages=largest("language"),
        months=sorted(found["month"].items()),
        counted=len(counted),
        complete=complete,
    )


def decode(row: Any) -> dict[str, Any]:
    """A stored article row as a dict, its JSON columns parsed."""
    record = dict(row)
    for column in _JSON_COLUMNS:
        if column in record:
            record[column] = json.loads(record[column])
    return record
