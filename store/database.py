"""The two database engines behind one connection interface: SQLite (embedded) and PostgreSQL.

The store's SQL is written once, in SQLite's dialect, and every store module runs it through
``db.execute``. On SQLite that is ``sqlite3`` itself (``SqliteDatabase`` only adds the
``dialect`` name and ``insert_id``). On PostgreSQL, ``PostgresDatabase`` rewrites the few
constructs the two dialects spell differently, statement by statement and once per distinct
statement (``translate``, cached):

* placeholders ``?`` and ``:name`` become psycopg's ``%s`` and ``%(name)s``;
* ``INSERT OR IGNORE`` becomes ``INSERT ... ON CONFLICT DO NOTHING``;
* ``ORDER BY`` terms get SQLite's NULL order spelled out (NULLs first ascending, last
  descending), so that pages come out in the same order on both engines;
* scalar ``max(a, b)``/``min(a, b)`` become ``GREATEST``/``LEAST``;
* ``json_each(?)`` (a JSON array of values as a table) becomes ``json_array_elements_text``;
* SQLite's transaction verbs: ``BEGIN IMMEDIATE`` takes the store's write lock (see below),
  ``BEGIN DEFERRED`` a repeatable-read snapshot.

What cannot be rewritten mechanically is written per dialect by the module that owns it (the
full-text search, the schema, ``insert_id``'s ``RETURNING``).

**Writers.** SQLite lets one writer in at a time (``BEGIN IMMEDIATE``), and the store's
read-then-write code (an article's existing row, then its update) relies on that. On
PostgreSQL, ``BEGIN IMMEDIATE`` takes a transaction-scoped advisory lock, so writers on any
host still commit one at a time and that code keeps its meaning unchanged; the expensive work
(fetching, extraction) happens outside transactions and runs in parallel. Work handed out
between crawlers (frontier leases, outbox claims) does not take that lock: it claims rows with
``FOR UPDATE SKIP LOCKED`` in a plain ``BEGIN`` (``Transaction(db, exclusive=False)``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
WRITE_LOCK = 7_236_011_613  # pg_advisory_xact_lock key of the store's writers ("tmwatch")


class SqliteDatabase(sqlite3.Connection):
    """``sqlite3.Connection`` with the interface's additions (made by ``connect``)."""

    dialect = SQLITE
    EPOCH = "CAST(strftime('%s', 'now') AS INTEGER)"
    """SQL for the database clock in Unix seconds (leases compare times across hosts)."""
    EPOCH_REAL = "((julianday('now') - 2440587.5) * 86400.0)"
    """The same with fractions of a second (request spacing)."""

    def insert_id(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = (), key: str = "id"
    ) -> int:
        """Run an INSERT; the new row's ``key`` (its integer primary key, or FTS5's rowid)."""
        cursor = self.execute(sql, params)
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)


class Row(tuple):  # type: ignore[type-arg]
    """A PostgreSQL row that reads like ``sqlite3.Row``: by index, by column name, ``keys()``."""

    _names: tuple[str, ...]
    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_type(names: tuple[str, ...]) -> type[Row]:
    """One row class per column list (a statement run a thousand times makes it once)."""
    index = {name: i for i, name in enumerate(names)}
    return type("Row", (Row,), {"_names": names, "_index": index})


def _row_factory(cursor: Any) -> Any:
    return _row_type(tuple(column.name for column in cursor.description or ()))


class PostgresCursor:
    """What the store uses of a ``sqlite3.Cursor``: fetching, iterating, ``rowcount``."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def lastrowid(self) -> None:
        raise AttributeError("use insert_id(): PostgreSQL returns new ids with RETURNING")

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PostgresDatabase:
    """A psycopg connection behind the store's connection interface (see the module's notes)."""

    dialect = POSTGRESQL
    # statement_timestamp(): one value within a statement, as SQLite's 'now' is.
    EPOCH = "CAST(extract(epoch FROM statement_timestamp()) AS BIGINT)"
    EPOCH_REAL = "CAST(extract(epoch FROM statement_timestamp()) AS DOUBLE PRECISION)"

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.row_factory = None  # what sqlite3 code may set; rows are always ``Row`` here

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> PostgresCursor:
        statement = translate(sql)
        if statement.startswith("BEGIN IMMEDIATE"):
            self._raw("BEGIN")
            return self._raw("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        if statement.startswith("BEGIN DEFERRED"):
            return self._raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return self._raw(statement, _params(params))

    def executemany(
        self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]
    ) -> PostgresCursor:
        """The statement once per parameter row; ``rowcount`` is their total, as sqlite3's."""
        cursor = self.connection.cursor()
        rows = [_params(p) for p in seq]
        if rows:
            cursor.executemany(translate(sql), rows)
        return PostgresCursor(cursor)

    def insert_id(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = (), key: str = "id"
    ) -> int:
        row = self.execute(f"{sql} RETURNING {key}", params).fetchone()
        return int(row[0])

    def _raw(self, sql: str, params: Any = None) -> PostgresCursor:
        cursor = self.connection.cursor(row_factory=_row_factory)
        cursor.execute(sql, params)
        return PostgresCursor(cursor)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.connection.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        self.connection.close()


def _params(params: Sequence[Any] | Mapping[str, Any] | None) -> Any:
    if params is None:
        return None
    if isinstance(params, Mapping):
        return {k: _value(v) for k, v in params.items()}
    return [_value(v) for v in params]


def _value(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


_STRING = re.compile(r"'(?:[^']|'')*'")
_ORDER_BY = re.compile(r"\bORDER BY\b", re.IGNORECASE)
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """A statement in SQLite's dialect as PostgreSQL reads it (see the module's notes)."""
    text = sql.strip()
    upper = text.upper()
    if upper.startswith(("BEGIN IMMEDIATE", "BEGIN DEFERRED")):
        return upper
    # Literals are set aside so that nothing inside quotes is rewritten.
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    text = _STRING.sub(keep, text)
    text = text.replace("%", "%%")
    text = re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", text)
    text = text.replace("?", "%s")
    if re.match(r"INSERT OR IGNORE\b", text, re.IGNORECASE):
        text = re.sub(r"^INSERT OR IGNORE", "INSERT", text, flags=re.IGNORECASE)
        text += " ON CONFLICT DO NOTHING"
    text = re.sub(
        r"\bjson_each\(%s\)(\s+(?:AS\s+)?(?!WHERE|JOIN|ON|ORDER|GROUP|LIMIT)(\w+))?",
        lambda m: (
            "json_array_elements_text(%s::json) WITH ORDINALITY AS "
            + (m.group(2) or "json_each")
            + "(value, key)"
        ),
        text,
        flags=re.IGNORECASE,
    )
    # SQLite's scalar max(a, b) / min(a, b) (two arguments; one is the aggregate).
    text = re.sub(r"\bmax\(([^(),]+),([^(),]+)\)", r"GREATEST(\1,\2)", text, flags=re.IGNORECASE)
    text = re.sub(r"\bmin\(([^(),]+),([^(),]+)\)", r"LEAST(\1,\2)", text, flags=re.IGNORECASE)
    text = _null_order(text)
    return re.sub("\x00(\\d+)\x00", lambda m: literals[int(m.group(1))], text)


def _null_order(sql: str) -> str:
    """Every ORDER BY term with SQLite's NULL placement (smallest: first up, last down)."""
    out, position = [], 0
    for match in _ORDER_BY.finditer(sql):
        start = match.end()
        depth, end = 0, len(sql)
        for i in range(start, len(sql)):
            char = sql[i]
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
            elif depth == 0 and _ORDER_END.match(sql, i) and sql[i - 1] in " \n":
                end = i
                break
        terms = _split_terms(sql[start:end])
        fixed = []
        for term in terms:
            bare = term.strip()
            if not bare:
                continue
            if re.search(r"\bNULLS\s+(FIRST|LAST)$", bare, re.IGNORECASE):
                fixed.append(bare)
            elif re.search(r"\bDESC$", bare, re.IGNORECASE):
                fixed.append(f"{bare} NULLS LAST")
            else:
                fixed.append(f"{bare} NULLS FIRST")
        out.append(sql[position:start])
        out.append(" " + ", ".join(fixed) + (" " if end < len(sql) else ""))
        position = end
    out.append(sql[position:])
    return "".join(out)


def _split_terms(clause: str) -> list[str]:
    terms, depth, current = [], 0, []
    for char in clause:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return terms


def is_postgres_url(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """A PostgreSQL URL fit for messages and logs: its password replaced by ``***``, whether
    it is in the user part or a ``password=`` parameter (libpq reads both)."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}")
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit(parts._replace(query=query))


def _secrets(url: str) -> list[str]:
    """The password(s) a URL carries, to be cut out of any message that repeats them."""
    parts = urlsplit(url)
    found = [parts.password] if parts.password else []
    found += [unquote(v) for v in re.findall(r"(?i)(?:^|&)password=([^&]*)", parts.query) if v]
    return found


def connect_postgres(url: str) -> PostgresDatabase:
    """A connection in autocommit mode (transactions are explicit, as on SQLite).

    Credentials come from the URL, the environment (``PGPASSWORD``, ``PGUSER``...) or a
    pgpass file, as libpq reads them; an error never repeats the password.
    """
    import psycopg

    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        for password in _secrets(url):
            message = message.replace(password, "***")
        raise ConnectionError(f"{redacted(url)}: cannot connect ({message})") from None
    return PostgresDatabase(connection)


def connect_sqlite(path: Path, *, readonly: bool = False) -> SqliteDatabase:
    """The SQLite connection with this interface (``store.connection.connect`` sets it up)."""
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        db = sqlite3.connect(
            uri, timeout=30, isolation_level=None, uri=True, factory=SqliteDatabase
        )
    else:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, factory=SqliteDatabase)
    assert isinstance(db, SqliteDatabase)
    return db
