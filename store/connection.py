"""Opening the SQLite file and running transactions: the two things every part of the store shares.

WAL mode lets readers (a digest, a search) run while a crawl writes; the busy timeout makes a
writer wait for another instead of failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tmwatch.store.database import POSTGRESQL, SqliteDatabase, connect_sqlite


def connect(path: Path, *, readonly: bool = False) -> SqliteDatabase:
    """A connection in autocommit mode: every write happens inside an explicit transaction.

    ``readonly`` opens the file with ``mode=ro``: SQLite itself refuses every write, so a
    reader that is reachable from a browser (``tmwatch serve``) cannot change the archive
    whatever its code does, while a crawl writes through its own connection.
    """
    db = connect_sqlite(path, readonly=readonly)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout = 30000")
    # A 64 MB page cache: index lookups stay in memory as the store grows to 100k+ articles.
    db.execute("PRAGMA cache_size = -65536")
    if readonly:
        return db
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class Transaction:
    """``with Transaction(db):`` -- BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error.

    Nested use becomes a SAVEPOINT, so ``reprocess`` can wrap a whole rebuild in one transaction
    around the same per-article code the crawl uses.

    ``exclusive=False`` is for claiming shared work on PostgreSQL (``FOR UPDATE SKIP LOCKED``):
    a plain BEGIN, without the store's write lock, so that crawlers on several hosts claim at
    once. On SQLite every write transaction is exclusive anyway.
    """

    def __init__(self, db: Any, *, exclusive: bool = True) -> None:
        self.db = db
        self.savepoint: str | None = None
        self.exclusive = exclusive or getattr(db, "dialect", "") != POSTGRESQL

    def __enter__(self) -> Any:
        if self.db.in_transaction:
            self.savepoint = f"sp{id(self)}"
            self.db.execute(f"SAVEPOINT {self.savepoint}")
        else:
            self.db.execute("BEGIN IMMEDIATE" if self.exclusive else "BEGIN")
        return self.db

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self.savepoint:
            if exc_type:
                self.db.execute(f"ROLLBACK TO {self.savepoint}")
            self.db.execute(f"RELEASE {self.savepoint}")
        else:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")


class Snapshot:
    """``with Snapshot(db):`` -- a read transaction: every query inside sees one state.

    A digest reads its articles and the high-water mark in one snapshot, so a crawl committing
    meanwhile can neither slip an article past the mark nor show it twice. Writing inside one is
    refused on both engines (SQLite's ``query_only``; PostgreSQL's READ ONLY transaction): a
    write there would turn the snapshot into a write transaction on SQLite only.
    """

    def __init__(self, db: Any) -> None:
        self.db = db
        self.owner = False

    def __enter__(self) -> Any:
        if not self.db.in_transaction:
            self.db.execute("BEGIN DEFERRED")
            if self.db.dialect != POSTGRESQL:
                self.db.execute("PRAGMA query_only = ON")
            self.owner = True
        return self.db

    def __exit__(self, *exc: object) -> None:
        if self.owner:
            if self.db.dialect != POSTGRESQL:
                self.db.execute("PRAGMA query_only = OFF")
            self.db.execute("COMMIT")
