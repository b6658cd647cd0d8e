"""The store: the system of record, SQLite in WAL mode inside an owner-only data home.

Split by job, lowest first:

* ``connection``: opening the file and transactions;
* ``migrations``: the schema as numbered migrations, applied only by an explicit ``migrate()``;
* ``crawlstate``: the frontier, feed validators and runs (what makes crawls resumable);
* ``marks``: named positions in commit order that digests compare against;
* ``events``: events per article, the user's corrections, the log of announced statuses;
* ``archive``: captures, articles and everything derived from them, and every read of them.

``Store`` opens one connection and gives each part to its callers (``store.crawl``,
``store.archive``, ``store.marks``). Every article is written in one transaction together with
its capture and frontier state, so a crawl killed at any instant leaves a store that is
consistent and that the next run resumes from. Nothing here imports the pipeline, the outputs
or Scrapy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tmwatch.store.archive import Archive
from tmwatch.store.connection import Snapshot, Transaction, connect
from tmwatch.store.crawlstate import CrawlState
from tmwatch.store.database import connect_postgres, is_postgres_url, redacted
from tmwatch.store.events import EventStore
from tmwatch.store.home import DataHome, private_file
from tmwatch.store.marks import Marks
from tmwatch.store.migrations import LATEST, MigrationReport, migrate, stored_version
from tmwatch.store.outbox import Outbox

__all__ = ["LATEST", "DataHome", "MigrationReport", "Store", "StoreError", "upgrade"]


class StoreError(RuntimeError):
    """The store cannot be opened, is not a tmwatch store, or has another schema version."""


class Store:
    """One connection to the store. Not shared across threads; open one per thread/process."""

    def __init__(self, home: DataHome, *, create: bool = True, readonly: bool = False) -> None:
        """Open the store of a data home; ``create`` makes a new one where there is none.

        ``readonly`` (never creating) opens a connection SQLite will not write through.

        A store with an older schema is refused (``tmwatch migrate`` upgrades it), and so is one
        written by a newer tmwatch: reading either with this code could misread or damage it.
        """
        self.home = home
        if is_postgres_url(home.store):
            self.db = self._open_postgres(home, create=create, readonly=readonly)
        else:
            self.db = self._open_sqlite(home, create=create, readonly=readonly)
        self.crawl = CrawlState(self.db)
        self.archive = Archive(self.db)
        self.marks = Marks(self.db)
        self.events = EventStore(self.db)
        self.outbox = Outbox(self.db)

    @staticmethod
    def _open_sqlite(home: DataHome, *, create: bool, readonly: bool) -> Any:
        path = home.db_path
        create = create and not readonly
        if create:
            home.create()
            private_file(path)
        elif not path.exists():
            raise StoreError(f"no tmwatch store at {path} (run `tmwatch crawl` or `tmwatch demo`)")
        db = None
        try:
            db = connect(path, readonly=readonly)
            _check_version(
                db, str(path), create, f"tmwatch --home {home.root} migrate", "an empty file"
            )
        except (sqlite3.DatabaseError, StoreError) as exc:
            if db is not None:
                db.close()  # a refused store leaves no connection behind
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{path}: not a usable tmwatch store ({exc})") from None
        return db

    @staticmethod
    def _open_postgres(home: DataHome, *, create: bool, readonly: bool) -> Any:
        """The PostgreSQL database named by ``home.store``; the home keeps the files.

        ``readonly`` makes every transaction of the session read-only: PostgreSQL itself then
        refuses writes, as SQLite's ``mode=ro`` does.
        """
        import psycopg

        url = str(home.store)
        create = create and not readonly
        if create:
            home.create()
        try:
            db = connect_postgres(url)
        except ConnectionError as exc:
            raise StoreError(str(exc)) from None
        try:
            _check_version(
                db, redacted(url), create, "tmwatch --store URL migrate", "an empty database"
            )
            if readonly:
                db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        except (psycopg.Error, StoreError) as exc:
            db.close()  # a refused store leaves no connection behind
            if isinstance(exc, StoreError):
                raise
            message = " ".join(str(exc).split())
            raise StoreError(f"{redacted(url)}: not a usable tmwatch store ({message})") from None
        return db

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def transaction(self) -> Transaction:
        return Transaction(self.db)

    def snapshot(self) -> Snapshot:
        return Snapshot(self.db)

    @classmethod
    def open(cls, root: Path | str | None, **kwargs: Any) -> Store:
        return cls(DataHome(root), **kwargs)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_version(db: Any, where: str, create: bool, command: str, empty: str) -> None:
    """A new store gets the whole schema; one of another version is refused: reading either
    with this code could misread or damage it."""
    version = stored_version(db)
    if version == 0 and create:
        migrate(db)
    elif version == 0:
        raise StoreError(f"{where}: {empty}, not a tmwatch store")
    elif version < LATEST:
        raise StoreError(
            f"{where}: store schema {version} is older than this tmwatch's {LATEST}; "
            f"run `{command}` (it keeps a backup)"
        )
    elif version > LATEST:
        raise StoreError(
            f"{where}: store schema {version} was written by a newer tmwatch "
            f"(this one reads {LATEST}); upgrade tmwatch"
        )


def _migratable(version: int, where: str, empty: str) -> None:
    """Refuse to migrate what is not a tmwatch store, or one from a newer tmwatch."""
    if version == 0:
        raise StoreError(f"{where}: {empty}, not a tmwatch store")
    if version > LATEST:
        raise StoreError(
            f"{where}: store schema {version} was written by a newer tmwatch "
            f"(this one reads {LATEST})"
        )


def _upgrade_postgres(url: str) -> MigrationReport:
    import psycopg

    try:
        db = connect_postgres(url)
    except ConnectionError as exc:
        raise StoreError(str(exc)) from None
    try:
        _migratable(stored_version(db), redacted(url), "an empty database")
        return migrate(db)
    except (psycopg.Error, ValueError) as exc:
        message = " ".join(str(exc).split())
        raise StoreError(f"{redacted(url)}: cannot migrate ({message})") from None
    finally:
        db.close()


def upgrade(home: DataHome) -> tuple[MigrationReport, Path | None]:
    """``tmwatch migrate``: back the store up, then apply the missing migrations.

    Returns the report and the backup's path (None when the store was already current). The
    backup is a consistent copy made with SQLite's backup API, owner-only like the store.

    A PostgreSQL store is upgraded in one transaction (PostgreSQL's DDL is transactional, so a
    failed upgrade changes nothing) without a backup of tmwatch's making: the server's own
    backups (``pg_dump``) are its administrators' business. The backup path is then None.
    """
    if is_postgres_url(home.store):
        return _upgrade_postgres(str(home.store)), None
    path = home.db_path
    if not path.exists():
        raise StoreError(f"no tmwatch store at {path}")
    try:
        db = connect(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable tmwatch store ({exc})") from None
    try:
        version = stored_version(db)
        _migratable(version, str(path), "an empty file")
        backup: Path | None = None
        if version < LATEST:
            backup = private_file(path.with_name(f"{path.name}.schema-{version}.bak"))
            target = sqlite3.connect(backup)
            try:
                db.backup(target)
            finally:
                target.close()
        return migrate(db), backup
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot migrate ({exc})") from None
    finally:
        db.close()
