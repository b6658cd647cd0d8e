"""Opening the SQLite file and running transactions: the two things every part of the store shares.

WAL mode lets readers (a digest, a search) run while a crawl writes; the busy timeout makes a
writer wait for another instead of failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: every write happens inside an explicit transaction.

    ``readonly`` opens the file with ``mode=ro``: SQLite itself refuses every write, so a
    reader that is reachable from a browser (``tmwatch serve``) cannot change the archive
    whatever its code does, while a crawl writes through its own connection.
    """
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        db = sqlite3.connect(uri, timeout=30, isolation_level=None, uri=True)
    else:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
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


class Snapshot:
    """``with Snapshot(db):`` -- a read transaction: every query inside sees one state.

    A digest reads its articles and the high-water mark in one snapshot, so a crawl committing
    meanwhile can neither slip an article past the mark nor show it twice.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.owner = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.db.in_transaction:
            self.db.execute("BEGIN DEFERRED")
            self.owner = True
        return self.db

    def __exit__(self, *exc: object) -> None:
        if self.owner:
            self.db.execute("COMMIT")
