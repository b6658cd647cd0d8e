"""The archive: captures (raw evidence), articles and everything derived from them, and reads.

Raw evidence (``captures``, pointing into the WARC files; ``takedowns``; ``annotations`` people
added) is kept apart from derived data (``articles``, versions, fingerprints, clusters, labels,
the search index), so derived data can be deleted and rebuilt by ``tmwatch reprocess`` without
the network. All SQL over these tables lives here, the reads that search and digests need too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tmwatch.days import day_text
from tmwatch.folding import fold_text
from tmwatch.record import Article, Capture, FeedHints
from tmwatch.store import pg_search
from tmwatch.store.database import POSTGRESQL
from tmwatch.store.fts_terms import record_terms, spelt_out
from tmwatch.store.search_results import (
    ArticleFilter,
    FacetCounts,
    SearchPage,
    SearchSyntaxError,
    decode,
    facet_counts,
)

COUNT_LIMIT = 1_000
"""Totals are counted up to this; above it a search says "more than 1,000"."""

RANK_LIMIT = 1_000
"""Above this many matches results come newest first, and the total is "more than" a bound:
scoring every match, or counting every one, of a query that broad costs hundreds of
milliseconds in a million articles (the matches are read newest first and the reading stops),
and such a query is better narrowed (the CLI says so)."""

FACET_LIMIT = COUNT_LIMIT
"""Facet counts and the month histogram cover at most this many matches, the newest first (see
``Archive.facets``): counting every match of a broad query over a large archive would cost more
than the page of results itself, and a page says when its counts cover only part. The same
bound as totals, so that a search with facets counts its matches once, in the facets' pass."""


class Archive:
    """The archive tables of one store connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._remembered: dict[str, tuple[tuple[int, int], Any]] = {}

    def _remember(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, reused until the store changes.

        For reads that scan every article (no index serves them) but that every filtered search
        needs. The store has changed when ``PRAGMA data_version`` has (another connection
        committed) or this connection's ``total_changes`` has (its own writes, which that
        pragma does not count), so a reused answer is never stale.

        PostgreSQL has neither; there every article written (new, updated or rebuilt) takes a
        new search-index row, so the newest row's number is the store's version, read from
        the index's primary key at the cost of one lookup.
        """
        version: Any
        if self.db.dialect == POSTGRESQL:
            version = self.db.execute("SELECT max(rowid) FROM search_index").fetchone()[0]
        else:
            version = (
                int(self.db.execute("PRAGMA data_version").fetchone()[0]),
                self.db.total_changes,
            )
        kept = self._remembered.get(name)
        if kept is not None and kept[0] == version:
            return kept[1]
        value = compute()
        if not self.db.in_transaction:
            # Inside a transaction the answer may include writes that a rollback undoes
            # without moving SQLite's counters: only a committed state is remembered.
            self._remembered[name] = (version, value)
        return value

    # -- captures ----------------------------------------------------------------------------

    def add_capture(self, capture: Capture) -> int:
        capture_id = self.db.insert_id(
            "INSERT INTO captures(source, url, final_url, status, fetched_at, html_sha256, "
            "warc_file, warc_offset, warc_length, warc_record_id, found_via, hints, worker) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                capture.source,
                capture.url,
                capture.final_url,
                capture.status,
                capture.fetched_at,
                capture.html_sha256,
                capture.warc_file,
                capture.warc_offset,
                capture.warc_length,
                capture.warc_record_id,
                capture.found_via,
                json.dumps(capture.hints.as_dict(), ensure_ascii=False),
                capture.worker,
            ),
        )
        capture.capture_id = capture_id
        return capture_id

    def captures(self, since: str | None = None) -> Iterator[dict[str, Any]]:
        sql = "SELECT * FROM captures"
        params: tuple[str, ...] = ()
        if since:
            sql += " WHERE fetched_at >= ?"
            params = (since,)
        for row in self.db.execute(sql + " ORDER BY id", params).fetchall():
            record = dict(row)
            record["hints"] = FeedHints.from_dict(json.loads(record["hints"]))
            yield record

    def capture(self, capture_id: int) -> dict[str, Any] | None:
        """One capture row by id (the web interface's raw view and WARC download)."""
        row = self.db.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            return None
        record = dict(row)
        record["hints"] = FeedHints.from_dict(json.loads(record["hints"]))
        return record

    def capture_locations(
        self,
        *,
        sources: Iterable[str] = (),
        since: str | None = None,
        page: int = 1000,
    ) -> Iterator[dict[str, Any]]:
        """Where each capture's WARC record is, and what it must hold, in id order.

        Read a page at a time by id (keyset), not in one result: a million captures then take
        the memory of one page on either engine (psycopg reads a whole result at once), and no
        long read transaction holds back a crawl.
        """
        chosen = list(dict.fromkeys(sources))
        where = ["id > ?"]
        filters: list[Any] = []
        if chosen:
            where.append(f"source IN ({', '.join('?' * len(chosen))})")
            filters += chosen
        if since:
            where.append("fetched_at >= ?")
            filters.append(since)
        columns = (
            "id, source, fetched_at, html_sha256, warc_file, warc_offset, warc_length, "
            "warc_record_id"
        )
        condition = " AND ".join(where)  # fixed phrases and placeholders only
        sql = f"SELECT {columns} FROM captures WHERE {condition} ORDER BY id LIMIT ?"  # noqa: S608
        last = 0
        while True:
            rows = self.db.execute(sql, (last, *filters, page)).fetchall()
            for row in rows:
                yield dict(row)
            if len(rows) < page:
                return
            last = int(rows[-1]["id"])

    # -- article writes ----------------------------------------------------------------------

    def save_article(self, article: Article) -> bool:
        """Insert or update the derived record; True if the article is new to the store.

        ``first_seen`` of an existing article is kept: it is when tmwatch first saw the story.
        """
        existing = self.db.execute(
            "SELECT id, first_seen, search_rowid FROM articles WHERE article_key = ?",
            (article.article_key,),
        ).fetchone()
        if existing:
            article.id = existing["id"]
            article.first_seen = existing["first_seen"]
        values = {
            "id": article.id,
            "article_key": article.article_key,
            "source": article.source,
            "outlet": article.outlet,
            "url": article.url,
            "canonical_url": article.canonical_url,
            "language": article.language,
            "title": article.title,
            "authors": json.dumps(article.authors, ensure_ascii=False),
            "published": article.published,
            # A record built without the source's time zone still gets a day: its own offset's.
            "published_day": article.published_day or day_text(article.published),
            "date_source": article.date_source,
            "modified": article.modified,
            "first_seen": article.first_seen,
            "fetched_at": article.fetched_at,
            "text": article.text,
            "html_sha256": article.html_sha256,
            "found_via": article.found_via,
            "alternates": json.dumps(article.alternates, ensure_ascii=False, sort_keys=True),
            "capture_id": article.capture_id,
            "first_capture_id": article.capture_id,
            "tags": json.dumps(article.tags),
            "persons": json.dumps(article.persons, ensure_ascii=False),
            "places": json.dumps(article.places, ensure_ascii=False),
            "evidence": json.dumps([e.as_dict() for e in article.evidence], ensure_ascii=False),
        }
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        kept = ("id", "first_seen", "first_capture_id")  # when tmwatch first stored the story
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k not in kept)
        self.db.execute(
            f"INSERT INTO articles({columns}) VALUES ({marks}) "  # noqa: S608 - fixed column names
            f"ON CONFLICT(article_key) DO UPDATE SET {updates}",
            values,
        )
        self._index_text(article.id, article.title, article.text, existing)
        self._label(article.id, article.tags, article.persons)
        for url in {article.url, article.canonical_url, *article.urls}:
            self.db.execute(
                "INSERT INTO article_urls(url, article_id) VALUES (?, ?) "
                "ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id",
                (url, article.id),
            )
        return existing is None

    def _label(self, article_id: str, tags: list[str], persons: list[str]) -> None:
        self.db.execute("DELETE FROM labels WHERE article_id = ?", (article_id,))
        for kind, values in (("tag", tags), ("person", persons)):
            if values:  # one statement per kind, whatever the number of values
                self.db.execute(
                    "INSERT OR IGNORE INTO labels(kind, value, article_id) "
                    "SELECT ?, value, ? FROM json_each(?)",
                    (kind, article_id, json.dumps(values, ensure_ascii=False)),
                )

    def _index_text(
        self, article_id: str, title: str, text: str, existing: sqlite3.Row | None
    ) -> None:
        """(Re)index an article for search; the row is found again by its stored rowid."""
        if existing is not None and existing["search_rowid"] is not None:
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", (existing["search_rowid"],))
        folded = fold_text(f"{title}\n{text}")
        row = self.db.insert_id(
            "INSERT INTO search_index(article_id, folded) VALUES (?, ?)",
            (article_id, folded),
            key="rowid",
        )
        if self.db.dialect != POSTGRESQL:  # PostgreSQL's GIN index reads prefixes itself
            record_terms(self.db, folded)
        self.db.execute("UPDATE articles SET search_rowid = ? WHERE id = ?", (row, article_id))

    def set_title_en(self, article_id: str, title_en: str) -> None:
        """Store the English title a footnote's bracket needs (kept across ``reprocess``).

        The title is stored by article key, so it survives a rebuild of the articles. It must be
        one non-empty line: a footnote is one line, and a stored line break would split it.
        """
        if not title_en.strip() or title_en.splitlines() != [title_en]:  # splitlines: every break
            raise ValueError("an English title must be one non-empty line")
        self.db.execute(
            "INSERT INTO annotations(article_key, title_en) "
            "SELECT article_key, ? FROM articles WHERE id = ? "
            "ON CONFLICT(article_key) DO UPDATE SET title_en = excluded.title_en",
            (title_en, article_id),
        )

    def clear_title_en(self, article_id: str) -> bool:
        """Forget an article's stored English title (one entered by mistake); True if one was set.

        The annotation row stays (set to NULL) rather than being deleted, so anything else people
        add to an article later is not lost with it.
        """
        cur = self.db.execute(
            "UPDATE annotations SET title_en = NULL "
            "WHERE article_key = (SELECT article_key FROM articles WHERE id = ?) "
            "AND title_en IS NOT NULL",
            (article_id,),
        )
        return cur.rowcount > 0

    def clear_derived(self) -> None:
        """Delete everything ``reprocess`` rebuilds from the captures (not the captures)."""
        for table in (
            "events",
            "search_index",
            "labels",
            "lsh_keys",
            "fingerprints",
            "versions",
            "article_urls",
            "articles",
        ):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    # -- dedup -------------------------------------------------------------------------------

    def same_text(self, text_hash: str, exclude: str) -> str | None:
        """Cluster of another article with exactly this normalised text."""
        row = self.db.execute(
            "SELECT cluster FROM articles WHERE text_hash = ? AND id != ? AND cluster IS NOT NULL "
            "ORDER BY first_seen, id LIMIT 1",
            (text_hash, exclude),
        ).fetchone()
        return str(row[0]) if row else None

    def near_candidates(
        self, keys: list[int], exclude: str, min_shared: int = 1
    ) -> list[tuple[str, str, bytes]]:
        """(id, cluster, signature) of articles sharing at least ``min_shared`` LSH band keys.

        The count is taken in the band index alone, so an article that shares fewer costs no
        read of its row or signature."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT a.id, a.cluster, f.signature FROM "  # noqa: S608 - placeholders only
            f"(SELECT article_id FROM lsh_keys WHERE key IN ({marks}) GROUP BY article_id "
            "HAVING count(*) >= ?) c "
            "JOIN articles a ON a.id = c.article_id JOIN fingerprints f ON f.article_id = a.id "
            "WHERE a.id != ? ORDER BY a.first_seen, a.id",
            (*keys, min_shared, exclude),
        ).fetchall()
        return [(str(r[0]), str(r[1] or r[0]), bytes(r[2])) for r in rows]

    def signature(self, article_id: str) -> bytes | None:
        """The stored MinHash signature of an article, if it has one."""
        row = self.db.execute(
            "SELECT signature FROM fingerprints WHERE article_id = ?", (article_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def save_fingerprint(
        self,
        article_id: str,
        text_hash: str,
        signature: bytes,
        keys: Iterable[int],
        replaced_keys: Iterable[int] = (),
    ) -> None:
        """Store a signature and its LSH band keys; ``replaced_keys`` are the old signature's."""
        self.db.execute("UPDATE articles SET text_hash = ? WHERE id = ?", (text_hash, article_id))
        replaced = list(replaced_keys)
        if replaced:
            self.db.execute(
                "DELETE FROM lsh_keys WHERE article_id = ? "
                "AND key IN (SELECT CAST(value AS BIGINT) FROM json_each(?))",
                (article_id, json.dumps(replaced)),
            )
        self.db.execute(
            "INSERT INTO fingerprints(article_id, signature) VALUES (?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET signature = excluded.signature",
            (article_id, signature),
        )
        # The 42 band keys in one statement: row by row they were 42 statements, 2 ms of the
        # write lock's time per article on PostgreSQL (its executemany sends each one).
        self.db.execute(
            "INSERT OR IGNORE INTO lsh_keys(key, article_id) "
            "SELECT CAST(value AS BIGINT), ? FROM json_each(?)",
            (article_id, json.dumps(list(keys))),
        )

    def set_text_hash(self, article_id: str, text_hash: str) -> None:
        self.db.execute("UPDATE articles SET text_hash = ? WHERE id = ?", (text_hash, article_id))

    def cluster_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT cluster FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def has_members(self, cluster: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM articles WHERE cluster = ? AND id != ? LIMIT 1", (cluster, cluster)
        ).fetchone()
        return row is not None

    def set_cluster(self, article_id: str, cluster: str) -> None:
        self.db.execute("UPDATE articles SET cluster = ? WHERE id = ?", (cluster, article_id))

    def cluster_members(self, cluster: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id, url, outlet, source, language, title FROM articles WHERE cluster = ? "
            "ORDER BY first_seen, id",
            (cluster,),
        ).fetchall()
        return [dict(r) for r in rows]

    # -- versions and take-downs -------------------------------------------------------------

    def add_version(self, article: Article, text_hash: str, capture_id: int | None) -> bool:
        """Record the article's text if it differs from its latest version.

        Returns True when this is an edit (an earlier, different version exists).
        """
        latest = self.db.execute(
            "SELECT text_hash FROM versions WHERE article_id = ? ORDER BY id DESC LIMIT 1",
            (article.id,),
        ).fetchone()
        if latest and latest[0] == text_hash:
            return False
        self.db.execute(
            "INSERT INTO versions(article_id, capture_id, text_hash, title, text, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, capture_id, text_hash, article.title, article.text, article.fetched_at),
        )
        return latest is not None

    def version_count(self, article_id: str) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM versions WHERE article_id = ?", (article_id,)
        ).fetchone()
        return int(row[0])

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT capture_id, text_hash, title, text, fetched_at FROM versions "
            "WHERE article_id = ? ORDER BY id",
            (article_id,),
        ).fetchall()
        return [dict(r) for r in rows]

    def record_takedown(self, article_id: str, url: str, detail: str, when: str) -> None:
        """Keep the observation (raw) and mark the article (derived)."""
        self.db.execute(
            "INSERT INTO takedowns(article_key, url, detail, observed_at) "
            "SELECT article_key, ?, ?, ? FROM articles WHERE id = ?",
            (url, detail, when, article_id),
        )
        self.db.execute(
            "UPDATE articles SET status = 'taken_down', taken_down_at = ? "
            "WHERE id = ? AND status = 'live'",
            (when, article_id),
        )

    def apply_takedowns(self) -> None:
        """Re-derive take-down status: observed after the article's latest capture."""
        later = (
            "FROM takedowns t WHERE t.article_key = articles.article_key "
            "AND t.observed_at > articles.fetched_at"
        )
        self.db.execute(
            f"UPDATE articles SET status = 'taken_down', "  # noqa: S608 - fixed SQL fragments
            f"taken_down_at = (SELECT min(t.observed_at) {later}) WHERE EXISTS (SELECT 1 {later})"
        )

    def mark_live(self, article_id: str) -> None:
        self.db.execute(
            "UPDATE articles SET status = 'live', taken_down_at = NULL WHERE id = ?", (article_id,)
        )

    # -- reads -------------------------------------------------------------------------------

    def known_article(self, url: str, key: str | None) -> str | None:
        """The id of the stored article ``url`` (or its outlet key) belongs to, if any."""
        row = self.db.execute(
            "SELECT article_id FROM article_urls WHERE url = ?", (url,)
        ).fetchone()
        if row:
            return str(row[0])
        if key:
            row = self.db.execute(
                "SELECT id FROM articles WHERE article_key = ?", (key,)
            ).fetchone()
            if row:
                return str(row[0])
        return None

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT a.*, n.title_en FROM articles a "
            "LEFT JOIN annotations n ON n.article_key = a.article_key WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return decode(row) if row is not None else None

    def article_by_url(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT article_id FROM article_urls WHERE url = ?", (url,)
        ).fetchone()
        return self.article(row[0]) if row else None

    def articles(
        self,
        where: ArticleFilter | None = None,
        *,
        seen_since: str | None = None,
        stored_after: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles as dicts, newest publication first.

        ``seen_since``: first seen at or after this time; ``stored_after``: first stored by a
        capture after this position in commit order (a digest mark).
        """
        clauses, params = (where or ArticleFilter()).sql()
        if seen_since:
            clauses.append("a.first_seen >= ?")
            params.append(seen_since)
        if stored_after is not None:
            clauses.append("coalesce(a.first_capture_id, 0) > ?")
            params.append(stored_after)
        sql = "SELECT a.* FROM articles a"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY a.published DESC, a.id"
        for row in self.db.execute(sql, params):
            yield decode(row)

    def person_labels(self) -> list[str]:
        """Canonical names of every watched person some stored article names."""
        return self.label_values("person")

    def label_values(self, kind: str) -> list[str]:
        """The distinct tags (``kind="tag"``) or persons (``"person"``) of stored articles,
        sorted: what a filter on them can usefully name."""
        # Through the primary key (kind, value, article_id).
        return self._distinct("labels", "value", "kind = ?", (kind,))

    def languages(self) -> list[str]:
        """The distinct languages of stored articles, sorted (unknown ones left out)."""
        # Through the index on this very expression, which no filter writes (migration 13).
        return list(
            self._remember(
                "languages",
                lambda: self._distinct("articles", "coalesce(language, '')", "TRUE", (), ""),
            )
        )

    def _distinct(
        self,
        table: str,
        column: str,
        where: str,
        params: tuple[Any, ...],
        floor: str | None = None,
    ) -> list[str]:
        """The distinct values of ``column`` (above ``floor``, if given) in the rows of ``table``
        that meet ``where``, sorted, read value by value: each is one seek through an index
        that leads with ``where``'s equalities and then ``column``. DISTINCT would read every
        row: 56 ms for the tags, 2.9 s for the languages, of a million articles."""
        first = f"{column} > ?" if floor is not None else "TRUE"
        sql = (
            f"WITH RECURSIVE v(value) AS (SELECT min({column}) FROM {table} "  # noqa: S608
            f"WHERE {where} AND {first} UNION ALL SELECT (SELECT min({column}) FROM {table} "
            f"WHERE {where} AND {column} > v.value) FROM v WHERE v.value IS NOT NULL) "
            "SELECT value FROM v WHERE value IS NOT NULL"
        )
        starting = (*params, floor) if floor is not None else params
        return [str(r[0]) for r in self.db.execute(sql, (*starting, *params))]

    def outlets(self) -> list[tuple[str, str]]:
        """The distinct (outlet name, source key) pairs of stored articles, sorted."""

        def read() -> list[tuple[str, str]]:
            # Pair by pair through the outlet index, a seek or two each: DISTINCT would read
            # every article (2.9 s at a million), and an archive has tens of outlets. (A row
            # value, ``(outlet, source) > (?, ?)``, makes SQLite step through every article of
            # the outlet instead of seeking past it.)
            found: list[tuple[str, str]] = []
            row = self.db.execute(
                "SELECT outlet, source FROM articles ORDER BY outlet, source LIMIT 1"
            ).fetchone()
            while row is not None:
                outlet, source = str(row[0]), str(row[1])
                found.append((outlet, source))
                row = (
                    self.db.execute(
                        "SELECT outlet, source FROM articles WHERE outlet = ? AND source > ? "
                        "ORDER BY source LIMIT 1",
                        (outlet, source),
                    ).fetchone()
                    or self.db.execute(
                        "SELECT outlet, source FROM articles WHERE outlet > ? "
                        "ORDER BY outlet, source LIMIT 1",
                        (outlet,),
                    ).fetchone()
                )
            return found

        return list(self._remember("outlets", read))

    def articles_by_id(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """``article(id)`` for each of ``ids`` that is stored, in their order, in few queries
        (an export of thousands must not cost a query per article)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.db.execute(
                "SELECT a.*, n.title_en FROM articles a "  # noqa: S608 - placeholders only
                "LEFT JOIN annotations n ON n.article_key = a.article_key "
                f"WHERE a.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row["id"], decode(row)) for row in rows)
        return [found[i] for i in wanted if i in found]

    def search(
        self,
        expression: str | None,
        where: ArticleFilter,
        limit: int,
        offset: int = 0,
        *,
        facets: bool = False,
    ) -> SearchPage:
        """Articles matching an FTS5 ``expression`` over the folded column (or all, if None)
        and the filter: ``limit`` of them after the first ``offset``, and the number of all
        that match; with ``facets``, their ``FacetCounts`` too, whose pass over the matches
        also counts them (so they are not scanned twice).

        Whether to rank by bm25 is decided on the matches before filtering, because scoring
        costs that much whatever the filters keep (``RANK_LIMIT``). Every ordering ends with a
        unique key (the article id, or the index row), so that pages of one search never
        overlap or skip an article.

        The expression is evaluated as few times as possible, because with prefix terms each
        evaluation merges the index entries of every word the prefixes start (tens of
        milliseconds for a common stem in a 100,000-article archive): once to count the hits;
        then, when they are few enough to rank, once more for all their scores, from which the
        facets' newest matches and an unfiltered page are taken without matching again; when
        there are too many to rank, the facets' pass is also the stream of the newest results.
        """
        if self.db.dialect == POSTGRESQL:
            return pg_search.search(
                self,
                expression,
                where,
                limit,
                offset,
                facets=facets,
                limits=(COUNT_LIMIT, RANK_LIMIT),
            )
        clauses, params = where.sql()
        limit = max(1, limit)
        offset = max(0, offset)
        ranked_by = "date"
        counts: FacetCounts | None = None
        newest_complete: bool | None = None  # set when the ids are the newest matches' own
        ids: list[str] = []  # the facets' matches, in the order of the results when not ranked
        try:
            if expression is not None:
                expression = spelt_out(self.db, expression)
                # The newest hits, as far as either bound needs: read lazily, they cost what
                # they number, not what the whole archive holds (fts_terms).
                bound = max(RANK_LIMIT, COUNT_LIMIT) + 1
                newest = [
                    int(r[0])
                    for r in self.db.execute(
                        "SELECT rowid FROM search_index WHERE search_index MATCH ? "
                        "ORDER BY rowid DESC LIMIT ?",
                        (expression, bound),
                    )
                ]
                hits = len(newest)
                every_hit = hits < bound
                scores: list[tuple[int, float]] | None = None
                if hits <= RANK_LIMIT and not clauses:
                    # Every hit's score in one pass: FTS5's own ORDER BY rank sorts through a
                    # second evaluation of the expression, which costs more than this whole pass.
                    scores = [
                        (int(r[0]), float(r[1]))
                        for r in self.db.execute(
                            "SELECT rowid, rank FROM search_index WHERE search_index MATCH ?",
                            (expression,),
                        )
                    ]
                if facets:
                    # Unfiltered, the newest hits are the facets' matches: no second reading.
                    known = newest if every_hit or (not clauses and hits > COUNT_LIMIT) else None
                    counts, ids = self._facet_pass(expression, where, COUNT_LIMIT, known)
                # The facets' pass counts up to COUNT_LIMIT + 1 matches, as _bounded_count does.
                counted = counts.counted + (not counts.complete) if counts else None
                if not clauses:
                    total = hits
                elif counted is not None:
                    total = counted
                elif hits > RANK_LIMIT:
                    # One pass for the count and the newest page, not one evaluation each.
                    ids = self._newest_ids(expression, clauses, params)
                    total = len(ids)
                    newest_complete = total <= COUNT_LIMIT
                else:
                    total = self._count_matches(expression, clauses, params)
                if hits <= RANK_LIMIT:
                    ranked_by = "relevance"
                    if scores is not None:
                        rows = self._best(scores, limit, offset)
                    else:
                        # Relevance (bm25) of the hits the filter keeps.
                        sql = (
                            "SELECT a.*, h.rank AS rank FROM (SELECT article_id, rank "
                            "FROM search_index WHERE search_index MATCH ?) h "
                            "JOIN articles a ON a.id = h.article_id WHERE 1"
                        )
                        sql += "".join(f" AND {c}" for c in clauses)
                        sql += " ORDER BY h.rank, a.published DESC, a.id LIMIT ? OFFSET ?"
                        rows = self.db.execute(sql, [expression, *params, limit, offset])
                        rows = rows.fetchall()
                else:
                    # Too many matches to score them all quickly: newest stored first, streamed.
                    ranked_by = "newest"
                    if newest_complete is not None:
                        rows = self._page_of_ids(ids, limit, offset, newest_complete)
                    elif not clauses and counts is None:
                        rows = self._page_of_rows(newest, limit, offset)
                    else:
                        rows = self._page_of(ids, limit, offset, counts)
                    if rows is None:
                        sql = (
                            "SELECT a.*, 0 AS rank FROM search_index h JOIN articles a "
                            "ON a.id = h.article_id WHERE search_index MATCH ?"
                        )
                        sql += "".join(f" AND {c}" for c in clauses)
                        sql += " ORDER BY h.rowid DESC LIMIT ? OFFSET ?"  # unique: no sort
                        rows = self.db.execute(sql, [expression, *params, limit, offset])
                        rows = rows.fetchall()
            else:
                if facets:
                    counts, ids = self._facet_pass(None, where, COUNT_LIMIT)
                total = counts.counted + (not counts.complete) if counts else None
                if total is None:
                    total = self._bounded_count(*where.counting())
                rows = self._page_of(ids, limit, offset, counts)
                if rows is None:
                    sql = "SELECT a.*, 0 AS rank FROM articles a WHERE 1"
                    sql += "".join(f" AND {c}" for c in clauses)
                    sql += " ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?"
                    rows = self.db.execute(sql, [*params, limit, offset]).fetchall()
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(str(exc)) from None
        # Bounded: every count but that of few enough unfiltered hits to rank them all.
        capped = total > COUNT_LIMIT and (ranked_by != "relevance" or bool(clauses))
        shown = min(total, COUNT_LIMIT) if capped else total
        return SearchPage(
            [decode(r) for r in rows], shown, ranked_by, total_is_lower_bound=capped, facets=counts
        )

    def _best(self, scores: list[tuple[int, float]], limit: int, offset: int) -> list[Any]:
        """The page of unfiltered hits by relevance, from every hit's ``(index row, score)``:
        only the best ``offset + limit`` (and those tied with the last of them) are joined to
        their articles, whose date and id then break ties in the score."""
        best = offset + limit
        if not scores or offset >= len(scores):
            return []
        ranks = sorted(score for _row, score in scores)
        cut = ranks[min(best, len(ranks)) - 1]
        chosen = {row: score for row, score in scores if score <= cut}
        found = self.db.execute(
            "SELECT a.*, h.rowid AS hit FROM json_each(?) j "
            "JOIN search_index h ON h.rowid = j.value JOIN articles a ON a.id = h.article_id",
            (json.dumps(sorted(chosen)),),
        ).fetchall()
        records = []
        for row in found:
            record = dict(row)
            record["rank"] = chosen[record.pop("hit")]
            records.append(record)
        # The SQL order "rank, a.published DESC, a.id" (NULL dates last, as SQLite puts them
        # in descending order): stable sorts, last key first.
        records.sort(key=lambda r: r["id"])
        records.sort(key=lambda r: (r["published"] is not None, r["published"] or ""), reverse=True)
        records.sort(key=lambda r: r["rank"])
        return records[offset : offset + limit]

    def _page_of(
        self, ids: list[str], limit: int, offset: int, counts: FacetCounts | None
    ) -> list[Any] | None:
        """The page of results when the facets' pass has read it already (the matches in the
        results' order), with one lookup by id; None when the page lies beyond that pass."""
        if counts is None:
            return None
        return self._page_of_ids(ids, limit, offset, counts.complete)

    def _page_of_rows(self, newest: list[int], limit: int, offset: int) -> list[Any] | None:
        """The page of unfiltered results newest first, from the newest hits' index rows, in
        one lookup; None when it lies beyond them."""
        if offset + limit > len(newest):
            return None
        return self.db.execute(
            "SELECT a.*, 0 AS rank FROM json_each(?) j JOIN search_index h ON h.rowid = j.value "
            "JOIN articles a ON a.id = h.article_id ORDER BY j.key",
            (json.dumps(newest[offset : offset + limit]),),
        ).fetchall()

    def _page_of_ids(
        self, ids: list[str], limit: int, offset: int, complete: bool
    ) -> list[Any] | None:
        """The page ``ids[offset:offset + limit]`` of results in that order, with one lookup by
        id; None when it lies beyond ``ids`` and they are not all the matches."""
        if offset + limit > len(ids) and not complete:
            return None
        wanted = ids[offset : offset + limit]
        if not wanted:
            return []
        found = {
            row["id"]: row
            for row in self.db.execute(
                "SELECT a.*, 0 AS rank FROM articles a "
                "WHERE a.id IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),),
            )
        }
        return [found[i] for i in wanted]

    def facets(
        self, expression: str | None, where: ArticleFilter, limit: int = FACET_LIMIT
    ) -> FacetCounts:
        """Counts per tag, person, outlet, language and publication month of the articles that
        match ``expression`` (or all, if None) and the filter, over at most ``limit`` of them.

        Bounded rather than exact, by design: exact counts over a broad query in a 100,000-
        article archive mean reading every matching row, hundreds of milliseconds; the store has
        no index that would aggregate them for free. So the matches are taken newest first
        (most recently indexed for a query, as the "newest" ranking does; latest published
        without one, as the results are ordered) up to ``limit``, once, and every count is
        taken over that set (labels through their article index). One more row than ``limit``
        is read to tell whether the counts are complete.
        """
        if self.db.dialect == POSTGRESQL:
            return pg_search.facets(self, expression, where, limit)
        try:
            if expression is not None:
                expression = spelt_out(self.db, expression)
            return self._facet_pass(expression, where, limit)[0]
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(str(exc)) from None

    def _facet_pass(
        self,
        expression: str | None,
        where: ArticleFilter,
        limit: int,
        newest: list[int] | None = None,
    ) -> tuple[FacetCounts, list[str]]:
        """``facets``, and the ids of the matches it counted in their order (with the one
        beyond ``limit``, if any). ``newest``: the index rows of every hit of ``expression``,
        newest first, when the caller has them (the expression is then not matched again)."""
        clauses, params = where.sql()
        limit = max(1, int(limit))
        extra = "".join(f" AND {c}" for c in clauses)
        columns = "a.id AS id, a.outlet AS outlet, a.language AS language, a.published_day AS day"
        rows: list[sqlite3.Row] = []
        if newest is not None:
            # In slices, each sorted back into the order given, until one more than ``limit``
            # passed the filter: a filter that keeps few may need more than the first slice.
            pick = (
                f"SELECT {columns}, j.key AS at FROM json_each(?) j JOIN search_index h "  # noqa: S608
                f"ON h.rowid = j.value JOIN articles a ON a.id = h.article_id WHERE 1{extra}"
            )
            for start in range(0, len(newest), limit + 1):
                chunk = json.dumps(newest[start : start + limit + 1])
                found = self.db.execute(pick, [chunk, *params]).fetchall()
                rows += sorted(found, key=lambda row: int(row["at"]))
                if len(rows) > limit:
                    break
            rows = rows[: limit + 1]
        elif expression is not None:
            matches = (
                f"SELECT {columns} FROM search_index h JOIN articles a "  # noqa: S608
                f"ON a.id = h.article_id WHERE search_index MATCH ?{extra} ORDER BY h.rowid DESC"
            )
            rows = self.db.execute(f"{matches} LIMIT {limit + 1}", [expression, *params])
            rows = rows.fetchall()
        else:
            # Not "a.published DESC, a.id" as the results: with a date filter that order makes
            # SQLite sort every match, three times slower. The ties are put in order below.
            matches = (
                f"SELECT {columns}, a.published AS published FROM articles a "  # noqa: S608
                f"WHERE 1{extra} ORDER BY a.published DESC"
            )
            rows = self.db.execute(f"{matches} LIMIT {limit + 1}", params).fetchall()
        counted = rows[:limit]
        labels = self.db.execute(
            "SELECT l.kind, l.value, count(*) FROM json_each(?) j "
            "JOIN labels l ON l.article_id = j.value GROUP BY l.kind, l.value",
            (json.dumps([row["id"] for row in counted]),),
        )
        counts = facet_counts(counted, len(rows) <= limit, labels)
        if expression is not None:
            return counts, [str(row["id"]) for row in rows]
        # The results' order, (publication DESC, NULL last; id): the ties of the last date read
        # may go on beyond it, so its matches are left out of the stream unless all were read.
        ordered = sorted(rows, key=lambda row: str(row["id"]))
        ordered.sort(
            key=lambda row: (row["published"] is not None, row["published"] or ""), reverse=True
        )
        if len(rows) > limit:
            last = rows[-1]["published"]
            ordered = [row for row in ordered if row["published"] != last]
        return counts, [str(row["id"]) for row in ordered]

    def _newest_ids(self, expression: str, clauses: list[str], params: list[Any]) -> list[str]:
        """Ids of the newest stored articles matching ``expression`` and the filter clauses,
        up to COUNT_LIMIT + 1: their number is the bounded count, their start the first pages."""
        sql = (
            "SELECT a.id FROM search_index h JOIN articles a ON a.id = h.article_id "  # noqa: S608
            "WHERE search_index MATCH ?" + "".join(f" AND {c}" for c in clauses)
        )
        sql += f" ORDER BY h.rowid DESC LIMIT {COUNT_LIMIT + 1}"
        return [row[0] for row in self.db.execute(sql, [expression, *params])]

    def _count_matches(self, expression: str, clauses: list[str], params: list[Any]) -> int:
        """How many articles match ``expression`` and the filter clauses (up to COUNT_LIMIT+1)."""
        sql = (
            "SELECT 1 FROM search_index h JOIN articles a ON a.id = h.article_id "  # noqa: S608
            "WHERE search_index MATCH ?" + "".join(f" AND {c}" for c in clauses)
        )
        return self._bounded_count(sql, [expression, *params])

    def _bounded_count(self, select: str, params: list[Any]) -> int:
        """Rows ``select`` yields, counting no further than COUNT_LIMIT + 1: an exact total of a
        broad filtered query would cost more than the page of results itself."""
        sql = f"SELECT count(*) FROM ({select} LIMIT {COUNT_LIMIT + 1})"  # noqa: S608
        return int(self.db.execute(sql, params).fetchone()[0])

    def count(self, table: str = "articles") -> int:
        if table not in {"articles", "captures", "article_urls"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
