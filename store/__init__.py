"""The embedded store: SQLite in WAL mode.

Raw evidence (``captures``: what was fetched, pointing into the WARC files) is kept apart from
derived data (``articles``: what extraction made of it), so derived data can be deleted and
rebuilt by ``tmwatch reprocess`` without the network. Every article is written in one transaction
together with its capture and frontier state, so a crawl killed at any instant leaves a store that
is consistent and that the next run resumes from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tmwatch.pipeline.names import fold_text
from tmwatch.record import Article, Capture, FeedHints
from tmwatch.store.home import DataHome, private_file

SCHEMA_VERSION = 6

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    warc_record_id TEXT NOT NULL,
    found_via TEXT NOT NULL DEFAULT '',
    hints TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS captures_url ON captures(url);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    article_key TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    outlet TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    language TEXT,
    title TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    date_source TEXT,
    modified TEXT,
    first_seen TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    text TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    found_via TEXT NOT NULL DEFAULT '',
    alternates TEXT NOT NULL DEFAULT '{}',
    capture_id INTEGER REFERENCES captures(id),
    text_hash TEXT,
    cluster TEXT,
    status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'taken_down')),
    taken_down_at TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    persons TEXT NOT NULL DEFAULT '[]',
    places TEXT NOT NULL DEFAULT '[]',
    evidence TEXT NOT NULL DEFAULT '[]',
    search_rowid INTEGER
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_first_seen ON articles(first_seen);
CREATE INDEX IF NOT EXISTS articles_cluster ON articles(cluster);
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash);
-- Every distinct text an article has had, oldest first: edits are evidence.
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    capture_id INTEGER REFERENCES captures(id),
    text_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_article ON versions(article_id, id);
-- MinHash signatures and their LSH band keys (pipeline.dedup).
CREATE TABLE IF NOT EXISTS fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh_keys (
    key INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
-- Full-text search over the script-folded title and text (pipeline.names.fold_text), so that
-- Rakhmanov, Рахманов and Rahmanow are one word to the index. Queries are folded the same way.
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(
    article_id UNINDEXED, folded, tokenize = 'unicode61 remove_diacritics 2'
);
-- Tags and watched persons as rows, so search filters use an index instead of parsing JSON.
CREATE TABLE IF NOT EXISTS labels (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (kind, value, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_article ON labels(article_id);
-- What people add to articles (English titles for citations): kept across reprocess.
CREATE TABLE IF NOT EXISTS annotations (
    article_key TEXT PRIMARY KEY,
    title_en TEXT
);
-- Raw observations that a stored article's URL answered 404/410 (evidence, never rebuilt).
CREATE TABLE IF NOT EXISTS takedowns (
    article_key TEXT NOT NULL,
    url TEXT NOT NULL,
    detail TEXT NOT NULL,
    observed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS article_urls (
    url TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    found_via TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}',
    discovered_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state, source);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    stats TEXT NOT NULL DEFAULT '{}'
);
"""

_JSON_COLUMNS = ("authors", "alternates", "tags", "persons", "places", "evidence")

MAX_ATTEMPTS = 3
"""A frontier URL that failed this many times is no longer retried automatically."""


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class StoreError(RuntimeError):
    """The store cannot be opened or is not a tmwatch store."""


@dataclass(frozen=True)
class PendingURL:
    url: str
    source: str
    found_via: str
    hints: FeedHints


class Store:
    """One connection to the store. Not shared across threads; open one per thread/process."""

    def __init__(self, home: DataHome, *, create: bool = True) -> None:
        """Open (``create``: and create if missing) the store of a data home."""
        self.home = home
        path = home.db_path
        if create:
            home.create()
            private_file(path)
        elif not path.exists():
            raise StoreError(f"no tmwatch store at {path} (run `tmwatch crawl` or `tmwatch demo`)")
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 30000")
            # A 64 MB page cache: index lookups stay in memory as the store grows to 100k+.
            self.db.execute("PRAGMA cache_size = -65536")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            rebuild = self._has_table("articles") and not self._has_table("search_index")
            relabel = self._has_table("articles") and not self._has_table("labels")
            self._migrate()
            self.db.executescript(_SCHEMA)
            if rebuild:
                self._rebuild_indexes()
            if relabel:
                for row in self.db.execute("SELECT id, tags, persons FROM articles").fetchall():
                    self._label(row[0], json.loads(row[1]), json.loads(row[2]))
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable tmwatch store ({exc})") from None

    def _migrate(self) -> None:
        """Bring an older store up to this schema (columns added in version 2)."""
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "articles" not in tables:
            return
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        for column, ddl in (
            ("text_hash", "text_hash TEXT"),
            ("cluster", "cluster TEXT"),
            ("status", "status TEXT NOT NULL DEFAULT 'live'"),
            ("taken_down_at", "taken_down_at TEXT"),
            ("tags", "tags TEXT NOT NULL DEFAULT '[]'"),
            ("persons", "persons TEXT NOT NULL DEFAULT '[]'"),
            ("places", "places TEXT NOT NULL DEFAULT '[]'"),
            ("evidence", "evidence TEXT NOT NULL DEFAULT '[]'"),
            ("search_rowid", "search_rowid INTEGER"),
        ):
            if column not in columns:
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {ddl}")
        self.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )

    def _has_table(self, name: str) -> bool:
        row = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        return row is not None

    def _rebuild_indexes(self) -> None:
        """Build the search index and LSH keys of a store from before schema 5."""
        from tmwatch.pipeline.dedup import Fingerprint, to_blob

        self.db.execute("DROP TABLE IF EXISTS articles_fts")
        self.db.execute("DROP TABLE IF EXISTS lsh")
        self.db.execute("DELETE FROM fingerprints")
        for article_id, title, text in self.db.execute(
            "SELECT id, title, text FROM articles"
        ).fetchall():
            self._index_text(article_id, title, text, None)
            fp = Fingerprint.of(text)
            self.save_fingerprint(article_id, fp.text_hash, to_blob(fp.signature), fp.bands)

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @classmethod
    def open(cls, root: Path | str | None, **kwargs: Any) -> Store:
        return cls(DataHome(root), **kwargs)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- crawl state -------------------------------------------------------------------------

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

    def discover(self, url: str, source: str, found_via: str, hints: FeedHints) -> bool:
        """Record a discovered article URL; True if it was new to the frontier."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO frontier(url, source, found_via, hints, discovered_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (url, source, found_via, json.dumps(hints.as_dict(), ensure_ascii=False), utc_now()),
        )
        return cur.rowcount == 1

    def pending(self, sources: Iterable[str]) -> list[PendingURL]:
        """Frontier URLs a previous run discovered but did not finish (the resume list)."""
        keys = list(sources)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT url, source, found_via, hints FROM frontier WHERE source IN ({marks}) "  # noqa: S608 - only placeholders are interpolated
            "AND (state = 'pending' OR (state = 'failed' AND attempts < ?)) ORDER BY rowid",
            (*keys, MAX_ATTEMPTS),
        ).fetchall()
        return [
            PendingURL(
                r["url"], r["source"], r["found_via"], FeedHints.from_dict(json.loads(r["hints"]))
            )
            for r in rows
        ]

    def mark(self, url: str, state: str, error: str | None = None) -> None:
        self.db.execute(
            "UPDATE frontier SET state = ?, last_error = ?, "
            "attempts = attempts + (CASE WHEN ? = 'failed' THEN 1 ELSE 0 END) WHERE url = ?",
            (state, error, state, url),
        )

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute(
            "INSERT INTO validators(url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            (url, etag, last_modified, utc_now()),
        )

    # -- articles ----------------------------------------------------------------------------

    def add_capture(self, capture: Capture) -> int:
        cur = self.db.execute(
            "INSERT INTO captures(source, url, final_url, status, fetched_at, html_sha256, "
            "warc_file, warc_offset, warc_length, warc_record_id, found_via, hints) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )
        assert cur.lastrowid is not None
        capture.capture_id = cur.lastrowid
        return cur.lastrowid

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
            "date_source": article.date_source,
            "modified": article.modified,
            "first_seen": article.first_seen,
            "fetched_at": article.fetched_at,
            "text": article.text,
            "html_sha256": article.html_sha256,
            "found_via": article.found_via,
            "alternates": json.dumps(article.alternates, ensure_ascii=False, sort_keys=True),
            "capture_id": article.capture_id,
            "tags": json.dumps(article.tags),
            "persons": json.dumps(article.persons, ensure_ascii=False),
            "places": json.dumps(article.places, ensure_ascii=False),
            "evidence": json.dumps(article.evidence, ensure_ascii=False),
        }
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k not in ("id", "first_seen"))
        self.db.execute(
            f"INSERT INTO articles({columns}) VALUES ({marks}) "  # noqa: S608 - fixed column names
            f"ON CONFLICT(article_key) DO UPDATE SET {updates}",
            values,
        )
        self._index_text(article.id, article.title, article.text, existing)
        self._label(article.id, article.tags, article.persons)
        for url in {article.url, article.canonical_url, *article.urls}:
            self.db.execute(
                "INSERT OR REPLACE INTO article_urls(url, article_id) VALUES (?, ?)",
                (url, article.id),
            )
        return existing is None

    def _label(self, article_id: str, tags: list[str], persons: list[str]) -> None:
        self.db.execute("DELETE FROM labels WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT OR IGNORE INTO labels(kind, value, article_id) VALUES (?, ?, ?)",
            [("tag", t, article_id) for t in tags] + [("person", p, article_id) for p in persons],
        )

    def _index_text(
        self, article_id: str, title: str, text: str, existing: sqlite3.Row | None
    ) -> None:
        """(Re)index an article for search; the row is found again by its stored rowid."""
        if existing is not None and existing["search_rowid"] is not None:
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", (existing["search_rowid"],))
        cur = self.db.execute(
            "INSERT INTO search_index(article_id, folded) VALUES (?, ?)",
            (article_id, fold_text(f"{title}\n{text}")),
        )
        self.db.execute(
            "UPDATE articles SET search_rowid = ? WHERE id = ?", (cur.lastrowid, article_id)
        )

    # -- dedup, versions, take-downs -----------------------------------------------------------

    def same_text(self, text_hash: str, exclude: str) -> str | None:
        """Cluster of another article with exactly this normalised text."""
        row = self.db.execute(
            "SELECT cluster FROM articles WHERE text_hash = ? AND id != ? AND cluster IS NOT NULL "
            "ORDER BY first_seen, id LIMIT 1",
            (text_hash, exclude),
        ).fetchone()
        return str(row[0]) if row else None

    def near_candidates(self, keys: list[int], exclude: str) -> list[tuple[str, str, bytes]]:
        """(id, cluster, signature) of articles sharing at least one LSH band key."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT a.id, a.cluster, f.signature FROM "  # noqa: S608 - placeholders only
            f"(SELECT DISTINCT article_id FROM lsh_keys WHERE key IN ({marks})) c "
            "JOIN articles a ON a.id = c.article_id JOIN fingerprints f ON f.article_id = a.id "
            "WHERE a.id != ? ORDER BY a.first_seen, a.id",
            (*keys, exclude),
        ).fetchall()
        return [(str(r[0]), str(r[1] or r[0]), bytes(r[2])) for r in rows]

    def save_fingerprint(
        self, article_id: str, text_hash: str, signature: bytes, keys: list[int]
    ) -> None:
        from tmwatch.pipeline.dedup import band_keys, from_blob

        self.db.execute("UPDATE articles SET text_hash = ? WHERE id = ?", (text_hash, article_id))
        old = self.db.execute(
            "SELECT signature FROM fingerprints WHERE article_id = ?", (article_id,)
        ).fetchone()
        if old is not None:
            if bytes(old[0]) == signature:
                return
            self.db.executemany(
                "DELETE FROM lsh_keys WHERE key = ? AND article_id = ?",
                [(key, article_id) for key in band_keys(from_blob(bytes(old[0])))],
            )
        self.db.execute(
            "INSERT OR REPLACE INTO fingerprints(article_id, signature) VALUES (?, ?)",
            (article_id, signature),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO lsh_keys(key, article_id) VALUES (?, ?)",
            [(key, article_id) for key in keys],
        )

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

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT a.*, n.title_en FROM articles a "
            "LEFT JOIN annotations n ON n.article_key = a.article_key WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return _decode(row) if row is not None else None

    def article_by_url(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT article_id FROM article_urls WHERE url = ?", (url,)
        ).fetchone()
        return self.article(row[0]) if row else None

    def set_title_en(self, article_id: str, title_en: str) -> None:
        self.db.execute(
            "INSERT INTO annotations(article_key, title_en) "
            "SELECT article_key, ? FROM articles WHERE id = ? "
            "ON CONFLICT(article_key) DO UPDATE SET title_en = excluded.title_en",
            (title_en, article_id),
        )

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

    def clear_derived(self) -> None:
        """Delete everything ``reprocess`` rebuilds from the captures (not the captures)."""
        for table in (
            "search_index",
            "labels",
            "lsh_keys",
            "fingerprints",
            "versions",
            "article_urls",
            "articles",
        ):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

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

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def articles(
        self,
        *,
        published_from: str | None = None,
        published_until: str | None = None,
        seen_since: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles as dicts, newest publication first; date bounds are inclusive ISO dates."""
        where, params = [], []
        if published_from:
            where.append("substr(published, 1, 10) >= ?")
            params.append(published_from)
        if published_until:
            where.append("substr(published, 1, 10) <= ?")
            params.append(published_until)
        if seen_since:
            where.append("first_seen >= ?")
            params.append(seen_since)
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published DESC, id"
        for row in self.db.execute(sql, params):
            yield _decode(row)

    def count(self, table: str = "articles") -> int:
        if table not in {"articles", "captures", "frontier", "article_urls"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    # -- runs --------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        cur = self.db.execute(
            "INSERT INTO runs(command, started_at) VALUES (?, ?)", (command, utc_now())
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            (utc_now(), status, json.dumps(stats, ensure_ascii=False, sort_keys=True), run_id),
        )

    def last_run_interrupted(self) -> bool:
        """True if the latest recorded run never finished (killed, crashed, power loss)."""
        row = self.db.execute("SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return bool(row) and row["finished_at"] is None

    def last_run(self) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if not row:
            return None
        record = dict(row)
        record["stats"] = json.loads(record["stats"])
        return record


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    record = dict(row)
    for column in _JSON_COLUMNS:
        record[column] = json.loads(record[column])
    return record


class _Transaction:
    """``with store.transaction():`` -- BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error.

    Nested use becomes a SAVEPOINT, so ``reprocess`` can wrap a whole rebuild in one transaction
    around the same per-article code the crawl uses.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.savepoint: str | None = None

    def __enter__(self) -> sqlite3.Connection:
        if self.db.in_transaction:
            self.savepoint = f"sp{id(self)}"
            self.db.execute(f"SAVEPOINT {self.savepoint}")
        else:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self.savepoint:
            if exc_type:
                self.db.execute(f"ROLLBACK TO {self.savepoint}")
            self.db.execute(f"RELEASE {self.savepoint}")
        else:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
