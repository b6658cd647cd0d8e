"""The store's schema as numbered migrations, applied by an explicit ``migrate()``.

The stored ``meta.schema_version`` says which migrations a store has had. Opening a store never
changes its schema: a store older than this code is refused with a pointer to ``tmwatch migrate``,
which keeps a backup and applies the missing migrations in one transaction, so an interrupted
upgrade leaves the store as it was. A new store is created by running every migration.

Migration 6 is the baseline: the schema of the first stores that recorded their version
reliably. It also upgrades the few stores from before it (versions 1-5) the way the code of
that time did: missing columns are added and the search index and labels are built.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmwatch.days import day_text
from tmwatch.folding import fold_text
from tmwatch.store import pg_schema
from tmwatch.store.connection import Transaction
from tmwatch.store.database import POSTGRESQL, SQLITE
from tmwatch.store.fts_terms import fill_terms

_SCHEMA_6 = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS captures (
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
    )""",
    "CREATE INDEX IF NOT EXISTS captures_url ON captures(url)",
    """CREATE TABLE IF NOT EXISTS articles (
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
    )""",
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published)",
    "CREATE INDEX IF NOT EXISTS articles_first_seen ON articles(first_seen)",
    "CREATE INDEX IF NOT EXISTS articles_cluster ON articles(cluster)",
    "CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash)",
    # Every distinct text an article has had, oldest first: edits are evidence.
    """CREATE TABLE IF NOT EXISTS versions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        capture_id INTEGER REFERENCES captures(id),
        text_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS versions_article ON versions(article_id, id)",
    # MinHash signatures and their LSH band keys (computed by the pipeline's dedup stage).
    """CREATE TABLE IF NOT EXISTS fingerprints (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS lsh_keys (
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID""",
    # Full-text search over the script-folded title and text (tmwatch.folding.fold_text), so
    # that Rakhmanov, Рахманов and Rahmanow are one word to the index.
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(
        article_id UNINDEXED, folded, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # Tags and watched persons as rows, so search filters use an index instead of parsing JSON.
    """CREATE TABLE IF NOT EXISTS labels (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (kind, value, article_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS labels_article ON labels(article_id)",
    # What people add to articles (English titles for citations): kept across reprocess.
    """CREATE TABLE IF NOT EXISTS annotations (
        article_key TEXT PRIMARY KEY,
        title_en TEXT
    )""",
    # Raw observations that a stored article's URL answered 404/410 (evidence, never rebuilt).
    """CREATE TABLE IF NOT EXISTS takedowns (
        article_key TEXT NOT NULL,
        url TEXT NOT NULL,
        detail TEXT NOT NULL,
        observed_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS article_urls (
        url TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    )""",
    """CREATE TABLE IF NOT EXISTS frontier (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        found_via TEXT NOT NULL,
        hints TEXT NOT NULL DEFAULT '{}',
        discovered_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state, source)",
    """CREATE TABLE IF NOT EXISTS validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        stats TEXT NOT NULL DEFAULT '{}'
    )""",
)

# Columns added to ``articles`` after version 1, for stores from before the baseline.
_LEGACY_COLUMNS = (
    ("text_hash", "text_hash TEXT"),
    ("cluster", "cluster TEXT"),
    ("status", "status TEXT NOT NULL DEFAULT 'live'"),
    ("taken_down_at", "taken_down_at TEXT"),
    ("tags", "tags TEXT NOT NULL DEFAULT '[]'"),
    ("persons", "persons TEXT NOT NULL DEFAULT '[]'"),
    ("places", "places TEXT NOT NULL DEFAULT '[]'"),
    ("evidence", "evidence TEXT NOT NULL DEFAULT '[]'"),
    ("search_rowid", "search_rowid INTEGER"),
)


def _tables(db: Any) -> set[str]:
    if getattr(db, "dialect", SQLITE) == POSTGRESQL:
        rows = db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        rows = db.execute("SELECT name FROM sqlite_master")
    return {r[0] for r in rows}


def _baseline(db: sqlite3.Connection) -> list[str]:
    """Version 6: the whole schema; older stores gain its columns, search index and labels."""
    before = _tables(db)
    legacy = "articles" in before
    if legacy:
        columns = {r[1] for r in db.execute("PRAGMA table_info(articles)")}
        for column, ddl in _LEGACY_COLUMNS:
            if column not in columns:
                db.execute(f"ALTER TABLE articles ADD COLUMN {ddl}")
        db.execute("DROP TABLE IF EXISTS articles_fts")  # the search table of versions 1-4
        db.execute("DROP TABLE IF EXISTS lsh")
    for statement in _SCHEMA_6:
        db.execute(statement)
    notes = []
    if legacy and "search_index" not in before:
        rows = db.execute("SELECT id, title, text FROM articles").fetchall()
        for article_id, title, text in rows:
            cur = db.execute(
                "INSERT INTO search_index(article_id, folded) VALUES (?, ?)",
                (article_id, fold_text(f"{title}\n{text}")),
            )
            db.execute(
                "UPDATE articles SET search_rowid = ? WHERE id = ?", (cur.lastrowid, article_id)
            )
        db.execute("DELETE FROM fingerprints")
        notes.append(f"built the search index for {len(rows)} articles")
        notes.append("run `tmwatch reprocess` to rebuild near-duplicate fingerprints")
    if legacy and "labels" not in before:
        for article_id, tags, persons in db.execute(
            "SELECT id, tags, persons FROM articles"
        ).fetchall():
            db.executemany(
                "INSERT OR IGNORE INTO labels(kind, value, article_id) VALUES (?, ?, ?)",
                [("tag", t, article_id) for t in json.loads(tags)]
                + [("person", p, article_id) for p in json.loads(persons)],
            )
    return notes


def _registry_reference(db: sqlite3.Connection) -> list[str]:
    """Version 7: the store names the registry it was crawled with, not an installed file path.

    Versions up to 6 stored the absolute path of the registry file. The packaged registry moved
    inside the ``tmwatch`` package (and is now overlaid by the user's own file), so a path into an
    old installation would point at nothing. ``packaged`` and ``samples`` name the packaged
    registries wherever they are installed; any other path (a ``--registry`` file) is kept.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'registry_path'").fetchone()
    if row is None:
        return []
    path = Path(row[0])
    if path.name == "sources.toml" and path.parent.name == "samples":
        reference = "samples"
    elif path.name == "sources.toml" and path.parent.name == "config":
        reference = "packaged"
    else:
        reference = str(path)
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('registry', ?)", (reference,))
    db.execute("DELETE FROM meta WHERE key = 'registry_path'")
    return [f"registry reference: {reference}"]


def _marks(db: sqlite3.Connection) -> list[str]:
    """Version 8: digests compare against named marks, positions in commit order.

    A mark used to be one time (``meta.last_digest_at``) that any digest moved. An article
    fetched before a digest but committed after it was then never "new". Now each article keeps
    the id of the capture that first stored it (capture ids grow in commit order, since writers
    are serialised), and a mark holds such an id. The old time becomes the ``daily`` mark at the
    last capture fetched by then.
    """
    db.execute("ALTER TABLE articles ADD COLUMN first_capture_id INTEGER")
    db.execute(
        "UPDATE articles SET first_capture_id = coalesce("
        "(SELECT min(v.capture_id) FROM versions v WHERE v.article_id = articles.id), capture_id)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS articles_first_capture ON articles(first_capture_id)")
    db.execute(
        """CREATE TABLE IF NOT EXISTS marks (
            name TEXT PRIMARY KEY,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    row = db.execute("SELECT value FROM meta WHERE key = 'last_digest_at'").fetchone()
    if row is None:
        return []
    last = db.execute(
        "SELECT coalesce(max(id), 0) FROM captures WHERE fetched_at <= ?", (row[0],)
    ).fetchone()[0]
    db.execute("INSERT INTO marks(name, sequence, at) VALUES ('daily', ?, ?)", (last, row[0]))
    db.execute("DELETE FROM meta WHERE key = 'last_digest_at'")
    return [f"the last digest ({row[0]}) is now the `daily` mark"]


def _published_day(db: sqlite3.Connection) -> list[str]:
    """Version 9: articles keep their publication day in the outlet's time zone.

    Digests by date, search filters and citations used the first ten characters of
    ``published``: the UTC day for a time stamped in UTC, so an article published after
    midnight in Ashgabat (UTC+5) counted for the day before. ``published_day`` holds the day
    (``tmwatch.days.local_day``) and every date filter compares it. Here it is filled from each
    stored time's own offset, the best a store knows without the registry; ``tmwatch
    reprocess`` recomputes it with the registry's time zone of each source.
    """
    db.execute("ALTER TABLE articles ADD COLUMN published_day TEXT")
    rows = db.execute("SELECT id, published FROM articles WHERE published IS NOT NULL").fetchall()
    db.executemany(
        "UPDATE articles SET published_day = ? WHERE id = ?",
        [(day_text(published), article_id) for article_id, published in rows],
    )
    db.execute("CREATE INDEX IF NOT EXISTS articles_published_day ON articles(published_day)")
    if not rows:
        return []
    return [
        f"publication days of {len(rows)} articles taken from their stored offsets; run "
        "`tmwatch reprocess` to derive them in each outlet's time zone"
    ]


def _events(db: sqlite3.Connection) -> list[str]:
    """Version 10: case files. Events are derived (rebuilt by ``reprocess``, like tags); the
    user's corrections and the log of announced status changes are kept across rebuilds."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            person TEXT NOT NULL,
            type TEXT NOT NULL,
            date TEXT,
            date_precision TEXT,
            date_basis TEXT,
            place TEXT,
            evidence TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS events_person ON events(person)")
    db.execute("CREATE INDEX IF NOT EXISTS events_article ON events(article_id)")
    # A user's verdict on one report of an event (dismissed, or its date corrected), keyed by
    # what identifies it across rebuilds: the article's stable key, the person, the type.
    db.execute(
        """CREATE TABLE IF NOT EXISTS event_corrections (
            article_key TEXT NOT NULL,
            person TEXT NOT NULL,
            type TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('dismiss', 'date')),
            value TEXT,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (article_key, person, type)
        )"""
    )
    # Every status change tmwatch has announced, in commit order: never announced twice.
    db.execute(
        """CREATE TABLE IF NOT EXISTS status_log (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL,
            state TEXT NOT NULL,
            since TEXT,
            place TEXT,
            previous TEXT,
            description TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS status_log_person ON status_log(person, id)")
    # A digest mark also remembers the last status change it showed.
    db.execute("ALTER TABLE marks ADD COLUMN status_id INTEGER NOT NULL DEFAULT 0")
    return (
        ["run `tmwatch reprocess` to find the events of stored articles"]
        if db.execute("SELECT 1 FROM articles LIMIT 1").fetchone()
        else []
    )


def _outbox(db: sqlite3.Connection) -> list[str]:
    # Every message for a subscriber, stored as the exact bytes sent on every attempt, so a
    # receiver can drop a repeat by its Message-ID or idempotency key. A row is written in the
    # transaction that moves the subscription's mark, and leaves only by being accepted
    # (state 'sent') or by giving up after the delivery policy's attempts ('dead').
    db.execute(
        """CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY,
            subscription TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('digest', 'alert')),
            channel TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            summary TEXT NOT NULL,
            payload BLOB NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            day TEXT,
            read_up_to INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            first_failure_at TEXT,
            last_attempt_at TEXT,
            last_error TEXT,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, id)")
    db.execute("CREATE INDEX IF NOT EXISTS outbox_subscription ON outbox(subscription, kind, id)")
    # When a subscription was last alerted about a story, a person's status or a source: the
    # quiet period folds one story syndicated by five outlets into one alert.
    db.execute(
        """CREATE TABLE IF NOT EXISTS alert_log (
            subscription TEXT NOT NULL,
            key TEXT NOT NULL,
            at TEXT NOT NULL,
            outbox_id INTEGER,
            PRIMARY KEY (subscription, key)
        )"""
    )
    return []


_SHARED_WORK = (
    # Which crawler wrote a capture (its WARC file is that crawler's), so that any host can
    # tell where a capture came from when the WARC directory is shared.
    "ALTER TABLE captures ADD COLUMN worker TEXT NOT NULL DEFAULT ''",
    # Whose run it was: a crawler resumes its own interrupted run, not another's running one.
    "ALTER TABLE runs ADD COLUMN worker TEXT NOT NULL DEFAULT ''",
    # Frontier leases: a crawler owns a URL until it settles it or the lease expires (a
    # crashed crawler's URLs return to the others). Times are Unix seconds from the database's
    # clock, so that hosts with skewed clocks agree.
    "ALTER TABLE frontier ADD COLUMN leased_by TEXT",
    "ALTER TABLE frontier ADD COLUMN lease_until INTEGER",
    "CREATE INDEX IF NOT EXISTS frontier_lease ON frontier(state, lease_until)",
    # Per-domain politeness shared by every crawler: the earliest time of the next request.
    """CREATE TABLE IF NOT EXISTS politeness (
        domain TEXT PRIMARY KEY,
        next_at REAL NOT NULL
    )""",
)


def _shared_work(db: sqlite3.Connection) -> list[str]:
    for statement in _SHARED_WORK:
        db.execute(statement)
    return []


_SEARCH_AT_SCALE = (
    # Every word of the search index, so that a prefix query reads only the words it starts
    # (tmwatch.store.fts_terms). Filled below from FTS5's own vocabulary: 19 s at a million.
    "CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID",
    # The languages and outlets a filter may name, value by value (Archive.languages/outlets):
    # DISTINCT over a million articles read them all, 2.9 s each, before every search. The
    # language index is on an expression that no filter writes: on ``language`` itself, the
    # planner would drive language filters from it (a language is a quarter of the archive),
    # 1.5 s instead of 50 ms for a person's articles in one language.
    "CREATE INDEX IF NOT EXISTS articles_languages ON articles(coalesce(language, ''))",
    "CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet, source)",
)


def _search_at_scale(db: sqlite3.Connection) -> list[str]:
    for statement in _SEARCH_AT_SCALE:
        db.execute(statement)
    fill_terms(db)
    return []


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    apply: Callable[[sqlite3.Connection], list[str]]


MIGRATIONS = (
    Migration(
        6, "baseline schema: captures, articles, versions, dedup, search, crawl state", _baseline
    ),
    Migration(
        7,
        "the registry is named (packaged, samples or a file), not an installed path",
        _registry_reference,
    ),
    Migration(8, "named digest marks, positions in commit order", _marks),
    Migration(9, "publication day in the outlet's time zone (published_day)", _published_day),
    Migration(10, "events per article, corrections, announced status changes", _events),
    Migration(
        11, "subscription outbox (exact bytes, retries, dead letters) and alert log", _outbox
    ),
    Migration(
        12,
        "crawlers sharing one store: capture workers, frontier leases, shared politeness",
        _shared_work,
    ),
    Migration(
        13,
        "search at scale: the index's words for prefix queries; language and outlet indexes",
        _search_at_scale,
    ),
)
LATEST = MIGRATIONS[-1].version
"""The schema version this code reads and writes."""


def stored_version(db: Any) -> int:
    """The schema version of an open store; 0 for an empty file.

    Stores from before version 6 may lack the version row (1) or hold an older number.
    """
    tables = _tables(db)
    if "meta" in tables:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None:
            return int(row[0])
    return 1 if "articles" in tables else 0


@dataclass
class MigrationReport:
    before: int
    after: int
    applied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def migrate(db: Any) -> MigrationReport:
    """Apply every migration newer than the store, in one transaction; a no-op when current."""
    before = stored_version(db)
    if before > LATEST:
        raise ValueError(f"schema {before} is newer than this tmwatch's {LATEST}")
    if getattr(db, "dialect", SQLITE) == POSTGRESQL:
        return _migrate_postgres(db, before)
    report = MigrationReport(before, before)
    pending = [m for m in MIGRATIONS if m.version > before]
    if not pending:
        return report
    with Transaction(db):
        for migration in pending:
            report.notes += migration.apply(db)
            report.applied.append(f"{migration.version}: {migration.summary}")
        _set_version(db)
    report.after = LATEST
    return report


def _set_version(db: Any) -> None:
    db.execute(
        "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(LATEST),),
    )


def _migrate_postgres(db: Any, before: int) -> MigrationReport:
    """PostgreSQL stores begin at ``pg_schema.BASELINE``; later migrations have their own
    PostgreSQL statements. One transaction, as on SQLite (PostgreSQL's DDL is transactional)."""
    report = MigrationReport(before, before)
    if before == LATEST:
        return report
    with Transaction(db):
        # Under the store's write lock, read again: crawlers starting at once on a new database
        # all find it empty, and only the first may create the schema.
        before = stored_version(db)
        report = MigrationReport(before, before)
        if before == LATEST:
            return report
        if before and before < pg_schema.BASELINE:
            raise ValueError(f"a PostgreSQL store at schema {before} predates PostgreSQL support")
        if before == 0:
            for statement in pg_schema.SCHEMA:
                db.execute(statement)
            report.applied.append(f"{pg_schema.BASELINE}: the whole schema (PostgreSQL)")
            before = pg_schema.BASELINE
        for version in range(before + 1, LATEST + 1):
            for statement in pg_schema.MIGRATIONS[version]:
                db.execute(statement)
            summary = next(m.summary for m in MIGRATIONS if m.version == version)
            report.applied.append(f"{version}: {summary}")
        _set_version(db)
    report.after = LATEST
    return report
