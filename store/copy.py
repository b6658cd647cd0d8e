"""Copying a whole store to another engine (SQLite <-> PostgreSQL), and proving the copy whole.

``tmwatch copy-store`` is how an archive moves to a team's PostgreSQL server, or leaves it as a
portable SQLite file. The archive is evidence, so a copy must be complete and checkable:

* **Every table** of the schema is copied. The list is read from each engine's catalogue
  (``sqlite_master`` through ``pragma_table_list``, ``information_schema``), never written
  down here, so a table added by a later migration is copied without touching this module.
  The two sides must have the same tables with the same columns; a table or column only one
  side has, or a virtual table other than the search index, stops the copy before it starts.
* **Ids are kept**: every column is copied as it is, including the ids other rows point at
  (captures, versions, events, outbox, runs, status log). Two tables keep SQLite's implicit
  ``rowid`` as well (``KEPT_ROWIDS``): the search index, which ``articles.search_rowid`` points
  into, and the frontier, whose rowid is the discovery order. On PostgreSQL those are explicit
  identity columns, whose sequences are moved past the copied ids afterwards so that the next
  crawl's inserts do not collide. The search index's generated ``document`` is not copied:
  PostgreSQL computes it from ``folded``; nor is SQLite's list of its words (``DERIVED``),
  which a SQLite target rebuilds from the copied index.
* **One transaction** on the target: an interrupted copy leaves the target empty (its schema
  only), and the copy can simply be run again. The source is read in one snapshot, streamed in
  batches (``BATCH`` rows), so memory stays bounded whatever the archive's size.
* **Verification** (``verify``) compares the row count of every table and a sha256 over every
  article's id, text and capture reference (WARC file, offset, length, record id, HTML hash),
  read in id order on both sides and hashed the same way in Python.

The WARC files are not in the database: ``copy_warc_files`` copies the ones the captures name,
atomically and owner-only, when the target keeps its captures in another directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from tmwatch.store.connection import Snapshot, Transaction
from tmwatch.store.database import POSTGRESQL
from tmwatch.store.fts_terms import fill_terms

BATCH = 2000
"""Rows read and written at a time: bounded memory for any number of articles."""

KEPT_ROWIDS = frozenset({"search_index", "frontier"})

DERIVED = frozenset({"search_terms"})
"""SQLite-only tables derived from the search index (``fts_terms``): not copied, rebuilt from
the copied index on a SQLite target (PostgreSQL reads prefixes without them)."""
"""Tables whose SQLite rowid is data (an explicit ``rowid`` column on PostgreSQL)."""

Progress = Callable[[str, int, int], None]
"""``progress(table, rows copied so far, rows in the table)``."""


class CopyError(RuntimeError):
    """The copy (or its verification) cannot be made or failed; the message is one line."""


@dataclass(frozen=True)
class Table:
    """A table as copied: its name and the columns read on one side and written on the other."""

    name: str
    columns: tuple[str, ...]
    order: tuple[str, ...]


@dataclass
class CopyReport:
    """What ``copy_store`` wrote: rows per table (in copy order) and the time it took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Verification:
    """Row counts on both sides per table, and the articles' checksum (equal when ``ok``)."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    checksum: str = ""
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def articles(self) -> int:
        return self.counts.get("articles", (0, 0))[0]

    @property
    def captures(self) -> int:
        return self.counts.get("captures", (0, 0))[0]


# -- the schema as each engine's catalogue describes it ------------------------------------------


def _is_postgres(db: Any) -> bool:
    return getattr(db, "dialect", "") == POSTGRESQL


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(db: Any) -> list[str]:
    """The store's tables as its engine lists them (SQLite's FTS5 shadow tables excluded: they
    are the search index's storage, rebuilt by inserting into the index)."""
    if _is_postgres(db):
        rows = db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        return sorted(str(r[0]) for r in rows)
    rows = db.execute(
        "SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
        "AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    for name, kind in rows:
        if kind == "virtual" and name != "search_index":
            raise CopyError(f"{name}: a virtual table copy-store does not know how to copy")
    return sorted(str(r[0]) for r in rows if r[0] not in DERIVED)


def _columns(db: Any, table: str) -> tuple[list[str], list[str]]:
    """(the columns to copy, the primary key) of one table, in the table's column order."""
    if _is_postgres(db):
        rows = db.execute(
            "SELECT column_name, is_generated FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        columns = [str(r[0]) for r in rows if r[1] != "ALWAYS"]  # generated: computed there
        key = db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY a.attnum",
            (_quote(table),),
        ).fetchall()
        return columns, [str(r[0]) for r in key]
    rows = db.execute(
        "SELECT name, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", (table,)
    ).fetchall()
    columns = [str(r[0]) for r in rows if r[2] == 0]
    key = [str(r[0]) for r in sorted(rows, key=lambda r: r[1]) if r[1] > 0]
    if table in KEPT_ROWIDS:
        columns.insert(0, "rowid")
    if table in KEPT_ROWIDS or not key:  # a table without a key is a rowid table: its order
        key = ["rowid"]
    return columns, key


def plan(source: Any, target: Any) -> list[Table]:
    """The tables to copy, parents before the tables whose foreign keys point at them.

    Both sides must have the same tables and columns: anything else is a schema this code does
    not know how to copy, and the copy stops before writing anything.
    """
    names = table_names(source)
    other = table_names(target)
    if names != other:
        only_source = sorted(set(names) - set(other)) or "-"
        only_target = sorted(set(other) - set(names)) or "-"
        raise CopyError(
            f"the two stores' tables differ (only in the source: {only_source}; only in the "
            f"target: {only_target}); is each at this tmwatch's schema?"
        )
    tables = {}
    for name in names:
        columns, key = _columns(source, name)
        target_columns, _ = _columns(target, name)
        if set(columns) != set(target_columns):
            raise CopyError(
                f"{name}: columns differ (source {sorted(columns)}, target "
                f"{sorted(target_columns)}); copy-store does not know how to copy this table"
            )
        order = tuple(key) or tuple(columns)
        tables[name] = Table(name, tuple(columns), order)
    return [tables[name] for name in _parents_first(target, names)]


def _foreign_keys(db: Any, table: str) -> set[str]:
    """The tables that ``table``'s foreign keys point at, as the target enforces them."""
    if _is_postgres(db):
        rows = db.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = to_regclass(?)",
            (_quote(table),),
        ).fetchall()
        return {str(r[0]).strip('"') for r in rows}
    return {
        str(r[0]) for r in db.execute('SELECT "table" FROM pragma_foreign_key_list(?)', (table,))
    }


def _parents_first(db: Any, names: list[str]) -> list[str]:
    """``names`` in an order where every foreign key points at a table already copied."""
    pending = {name: _foreign_keys(db, name) - {name} for name in names}
    ordered: list[str] = []
    while pending:
        ready = sorted(n for n, parents in pending.items() if not parents - set(ordered))
        if not ready:
            raise CopyError(f"foreign keys form a cycle among {sorted(pending)}")
        ordered += ready
        for name in ready:
            del pending[name]
    return ordered


# -- reading in batches ------------------------------------------------------------------------


def _stream(db: Any, sql: str, batch: int = BATCH) -> Iterator[list[Sequence[Any]]]:
    """The rows of a SELECT, ``batch`` at a time, never all at once.

    SQLite's cursor already steps through the result. On PostgreSQL a server-side cursor does
    (a plain one would fetch the whole result into memory); it lives in the caller's snapshot.
    """
    if _is_postgres(db):
        cursor = db.connection.cursor(name=f"tmwatch_copy_{id(sql)}")
        try:
            cursor.itersize = batch
            cursor.execute(sql)
            while rows := cursor.fetchmany(batch):
                yield rows
        finally:
            cursor.close()
        return
    cursor = db.execute(sql)
    try:
        while rows := cursor.fetchmany(batch):
            yield [tuple(row) for row in rows]
    finally:
        cursor.close()


def _select(db: Any, table: Table) -> str:
    columns = ", ".join(_quote(c) if c != "rowid" else "rowid" for c in table.columns)
    order = ", ".join(_quote(c) if c != "rowid" else "rowid" for c in table.order)
    return f"SELECT {columns} FROM {_quote(table.name)} ORDER BY {order}"  # noqa: S608


def count_rows(db: Any, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608


# -- copying -----------------------------------------------------------------------------------


def occupied(target: Any) -> dict[str, int]:
    """The target's tables that hold rows (besides ``meta``, which a new store fills itself).

    copy-store does not merge: ids would collide and "the copy is whole" would mean nothing.
    """
    found = {}
    for name in table_names(target):
        if name != "meta":
            rows = count_rows(target, name)
            if rows:
                found[name] = rows
    return found


def copy_store(
    source: Any, target: Any, *, batch: int = BATCH, progress: Progress | None = None
) -> CopyReport:
    """Copy every table of ``source``'s store into the empty ``target`` store (both ``Store``).

    One snapshot of the source, one transaction on the target: on any error nothing is left in
    the target and the error is raised as a one-line ``CopyError`` naming the table.
    """
    started = time.monotonic()
    tables = plan(source.db, target.db)
    report = CopyReport()
    with Snapshot(source.db), Transaction(target.db):
        _refuse_occupied(target.db)  # inside the transaction: no writer can slip in between
        target.db.execute("DELETE FROM meta")  # the new store's own version row; same schema
        for table in tables:
            report.rows[table.name] = _copy_table(source.db, target.db, table, batch, progress)
        if _is_postgres(target.db):
            _move_sequences(target.db)
        else:
            fill_terms(target.db)
    report.seconds = time.monotonic() - started
    return report


def _refuse_occupied(target: Any) -> None:
    busy = occupied(target)
    if busy:
        held = ", ".join(f"{busy.pop(n)} {n}" for n in ("articles", "captures") if n in busy)
        if busy:
            held += f"{', ' if held else ''}rows in {len(busy)} other tables"
        raise CopyError(
            f"the target already holds data ({held}); copy-store does not merge: "
            "give an empty database or a new data home"
        )


def _copy_table(
    source: Any, target: Any, table: Table, batch: int, progress: Progress | None
) -> int:
    total = count_rows(source, table.name)
    done = 0
    names = ", ".join(_quote(c) if c != "rowid" else "rowid" for c in table.columns)
    try:
        if _is_postgres(target):
            with target.connection.cursor().copy(
                f"COPY {_quote(table.name)} ({names}) FROM STDIN"
            ) as copy:
                for rows in _stream(source, _select(source, table), batch):
                    for row in rows:
                        copy.write_row(row)
                    done = _advance(table.name, done, len(rows), total, progress)
        else:
            marks = ", ".join("?" for _ in table.columns)
            insert = f"INSERT INTO {_quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608
            for rows in _stream(source, _select(source, table), batch):
                target.executemany(insert, rows)
                done = _advance(table.name, done, len(rows), total, progress)
    except CopyError:
        raise
    except Exception as exc:  # any engine's error, as one line naming the table
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CopyError(f"{table.name}: {message}") from exc
    return done


def _advance(table: str, done: int, rows: int, total: int, progress: Progress | None) -> int:
    if progress:
        progress(table, done + rows, total)
    return done + rows


def _move_sequences(db: Any) -> None:
    """Set every identity sequence past the largest copied id (the next insert's id is then
    new): copying explicit ids does not advance a sequence."""
    rows = db.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in rows:
        highest = db.execute(
            f"SELECT max({_quote(column)}) FROM {_quote(table)}"  # noqa: S608
        ).fetchone()[0]
        db.execute(
            "SELECT setval(pg_get_serial_sequence(?, ?), ?, ?)",
            (_quote(table), column, highest or 1, highest is not None),
        )


# -- verifying ---------------------------------------------------------------------------------

_ARTICLES = (
    "SELECT a.id, a.text, c.warc_file, c.warc_offset, c.warc_length, c.warc_record_id, "
    "c.html_sha256 FROM articles a LEFT JOIN captures c ON c.id = a.capture_id ORDER BY a.id"
)


def _article_lines(db: Any, batch: int) -> Iterator[tuple[str, bytes]]:
    """(id, canonical bytes) of every article with its capture reference, in id order.

    The bytes are JSON of plain values, so both engines' rows hash alike. Ids are compared
    bytewise on both engines (PostgreSQL's columns are ``COLLATE "C"``), so the order agrees.
    """
    for rows in _stream(db, _ARTICLES, batch):
        for row in rows:
            values = list(row)
            yield str(values[0]), json.dumps(values, ensure_ascii=False).encode() + b"\n"


def verify(source: Any, target: Any, *, batch: int = BATCH) -> Verification:
    """Compare two stores: every table's row count, then each article and its capture
    reference, one by one in id order; the first difference is the ``problem``, one line
    naming the table."""
    result = Verification()
    here, there = set(table_names(source.db)), set(table_names(target.db))
    with Snapshot(source.db), Snapshot(target.db):
        for name in sorted(here | there):
            counts = (
                count_rows(source.db, name) if name in here else -1,
                count_rows(target.db, name) if name in there else -1,
            )
            result.counts[name] = counts
            if counts[0] != counts[1] and result.problem is None:
                result.problem = (
                    f"{name}: {counts[0]} rows in the source, {counts[1]} in the target"
                )
        if result.problem:
            return result
        digests = (hashlib.sha256(), hashlib.sha256())
        pairs = zip_longest(_article_lines(source.db, batch), _article_lines(target.db, batch))
        for here, there in pairs:
            if here is None or there is None or here != there:
                result.problem = _difference(here, there)
                return result
            digests[0].update(here[1])
            digests[1].update(there[1])
    result.checksum = digests[0].hexdigest()
    return result


def _difference(here: tuple[str, bytes] | None, there: tuple[str, bytes] | None) -> str:
    """Which table a differing article row points at: its text is the article's, the rest
    the capture's."""
    if here is None or there is None or here[0] != there[0]:
        which = (here or there or ("?",))[0]
        return f"articles: article {which} is not in both stores"
    source, target = json.loads(here[1]), json.loads(there[1])
    table = "articles" if source[1] != target[1] else "captures"
    what = "text" if table == "articles" else "capture reference"
    return f"{table}: article {here[0]} has another {what} in the target"


def checksum(store: Any, *, batch: int = BATCH) -> str:
    """The articles' sha256 of one store, as ``verify`` computes it on each side."""
    digest = hashlib.sha256()
    with Snapshot(store.db):
        for _, line in _article_lines(store.db, batch):
            digest.update(line)
    return digest.hexdigest()


# -- the WARC files ----------------------------------------------------------------------------


@dataclass
class WarcReport:
    """What ``copy_warc_files`` did with each WARC file the captures name."""

    copied: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)


def warc_files(store: Any) -> list[str]:
    """The WARC file names the store's captures point into."""
    rows = store.db.execute("SELECT DISTINCT warc_file FROM captures ORDER BY warc_file")
    return [str(r[0]) for r in rows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def copy_warc_files(names: list[str], source_dir: Path, target_dir: Path) -> WarcReport:
    """Copy the named WARC files into ``target_dir``: owner-only, each written under a temporary
    name and renamed, so a reader never sees half a file; a file already there and identical is
    skipped, one that differs is left alone and reported (it may be another crawler's)."""
    report = WarcReport()
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in names:
        base = Path(name).name  # captures name a file inside the directory, nothing else
        source, target = source_dir / base, target_dir / base
        if not source.is_file():
            report.missing.append(base)
            continue
        if target.exists():
            same = target.stat().st_size == source.stat().st_size and _sha256(target) == _sha256(
                source
            )
            (report.identical if same else report.conflicting).append(base)
            continue
        fd, temporary = tempfile.mkstemp(prefix=f".{base}.", suffix=".part", dir=target_dir)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        report.copied.append(base)
    return report


__all__ = [
    "BATCH",
    "DERIVED",
    "KEPT_ROWIDS",
    "CopyError",
    "CopyReport",
    "Verification",
    "WarcReport",
    "checksum",
    "copy_store",
    "copy_warc_files",
    "occupied",
    "plan",
    "verify",
    "warc_files",
]
