"""``tmwatch copy-store``: an archive moves between SQLite and PostgreSQL whole, and provably so.

Real engines only: the source is a real `tmwatch demo` store (plus an outbox message with
bytes that are not text), copied to a fresh PostgreSQL database per test and back. What the
copy must keep is checked through what users see (search, digest, case files, citations
give the same answers on the copy) and through the rows themselves (ids, search rowids,
frontier order, binary columns byte for byte).
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.helpers import ROOT, Ran, invoke, make_article
from tmwatch.record import Capture, FeedHints
from tmwatch.store import DataHome, Store
from tmwatch.store.copy import checksum, copy_store, occupied, plan, verify

PAYLOAD = bytes(range(256)) * 3  # every byte value, NUL and invalid UTF-8 included


@pytest.fixture(scope="module")
def source(demo_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's demo store (never written to), with one outbox message whose
    payload is not text, so that binary columns other than fingerprints are exercised."""
    home = tmp_path_factory.mktemp("copy-source") / "home"
    shutil.copytree(demo_archive, home)
    with Store(DataHome(home), create=False) as store, store.transaction():
        store.outbox.add(
            subscription="team",
            kind="digest",
            channel="email",
            key="team:digest:2021-10-12",
            summary="a digest",
            payload=PAYLOAD,
            meta={},
            created_at="2021-10-12T00:00:00+00:00",
        )
    return home


def copy(*args: str) -> Ran:
    return invoke("copy-store", *args)


def pg_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return list(conn.execute(sql).fetchall())


def sqlite_rows(home: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(home / "tmwatch.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def output_json(*args: str) -> Any:
    ran = invoke(*args)
    assert ran.exit_code == 0, ran.output
    found = json.loads(ran.stdout)
    if isinstance(found, dict):
        found.pop("generated_at", None)  # when the document was made, not what it says
    return found


def verified_checksum(ran: Ran) -> str:
    assert ran.exit_code == 0, ran.output
    line = next(x for x in ran.stdout.splitlines() if x.startswith("verified: "))
    return line.rsplit(" ", 1)[1]


# -- SQLite -> PostgreSQL ----------------------------------------------------------------------


def test_sqlite_to_postgres_gives_the_same_answers(
    source: Path, postgres_db: str, tmp_path: Path
) -> None:
    target_home = tmp_path / "team"
    ran = copy(str(source), postgres_db, "--home", str(target_home))
    assert ran.exit_code == 0, ran.output
    articles = sqlite_rows(source, "SELECT count(*) FROM articles")[0][0]
    captures = sqlite_rows(source, "SELECT count(*) FROM captures")[0][0]
    assert f"verified: {articles} articles, {captures} captures, checksum " in ran.stdout
    assert "outbox" in ran.stdout and "elapsed: " in ran.stderr

    # The WARC files went to the --home data home: identical bytes, owner-only.
    for (name,) in sqlite_rows(source, "SELECT DISTINCT warc_file FROM captures"):
        copied = target_home / "warc" / name
        assert copied.read_bytes() == (source / "warc" / name).read_bytes()
        assert stat.S_IMODE(copied.stat().st_mode) == 0o600

    here = ("--home", str(source))
    there = ("--store", postgres_db, "--home", str(target_home))
    ids = [r[0] for r in sqlite_rows(source, "SELECT id FROM articles ORDER BY id LIMIT 3")]
    for command in (
        ("digest", "--all", "--no-mark"),
        ("case", "Taganova", "--format", "json"),
        ("cite", *ids, "--format", "csl-json"),
        ("search", "--tag", "detention", "--json", "--limit", "1000"),  # newest first: exact
    ):
        assert output_json(*here, *command) == output_json(*there, *command), command
    # Ranked by relevance: FTS5's bm25 and PostgreSQL's ts_rank order equal matches their own
    # way, so the same articles, each the same, in any order.
    mine = output_json(*here, "search", "Taganova", "--json")
    theirs = output_json(*there, "search", "Taganova", "--json")
    assert mine["total"] == theirs["total"] > 0
    by_id = {r["id"]: r for r in theirs["results"]}
    assert {r["id"]: r for r in mine["results"]} == by_id

    # Binary columns byte for byte; the search rows each article points at are its own.
    assert pg_rows(postgres_db, "SELECT payload FROM outbox") == [(PAYLOAD,)]
    signatures = "SELECT article_id, signature FROM fingerprints ORDER BY article_id"
    assert pg_rows(postgres_db, signatures) == sqlite_rows(source, signatures)
    pointed = (
        "SELECT a.id, s.rowid FROM articles a JOIN search_index s ON s.rowid = a.search_rowid "
        "AND s.article_id = a.id ORDER BY a.id"
    )
    assert pg_rows(postgres_db, pointed) == sqlite_rows(source, pointed)
    frontier = "SELECT rowid, url FROM frontier ORDER BY rowid"
    assert pg_rows(postgres_db, frontier) == sqlite_rows(source, frontier)


def test_after_the_copy_new_rows_get_new_ids(source: Path, postgres_db: str) -> None:
    """Explicit ids do not move identity sequences: copy-store moves them past the copied ids."""
    assert copy(str(source), postgres_db).exit_code == 0
    highest = {
        table: pg_rows(postgres_db, f"SELECT max({column}) FROM {table}")[0][0]
        for table, column in (
            ("captures", "id"),
            ("runs", "id"),
            ("search_index", "rowid"),
            ("frontier", "rowid"),
        )
    }
    with Store(DataHome(store=postgres_db), create=False) as store, store.transaction():
        capture_id = store.archive.add_capture(
            Capture("s", "https://o/new", "https://o/new", 200, {}, b"<html/>", "2026-01-01")
        )
        article = make_article("s:new", id="newarticle", capture_id=capture_id)
        assert store.archive.save_article(article)
        run_id = store.crawl.start_run("crawl")
        assert store.crawl.discover("https://o/newer", "s", "feed", FeedHints())
        message = store.outbox.add(
            subscription="x",
            kind="alert",
            channel="email",
            key="x:new",
            summary="s",
            payload=b"\x00",
            meta={},
            created_at="2026-01-01",
        )
    assert capture_id == highest["captures"] + 1
    assert run_id == highest["runs"] + 1
    assert message == 2
    row = pg_rows(postgres_db, "SELECT search_rowid FROM articles WHERE id = 'newarticle'")
    assert row == [(highest["search_index"] + 1,)]
    row = pg_rows(postgres_db, "SELECT rowid FROM frontier WHERE url = 'https://o/newer'")
    assert row == [(highest["frontier"] + 1,)]


# -- PostgreSQL -> SQLite, SQLite -> SQLite -----------------------------------------------------


def test_round_trip_through_postgres_keeps_every_row(
    source: Path, postgres_db: str, tmp_path: Path
) -> None:
    first = verified_checksum(copy(str(source), postgres_db))
    back = tmp_path / "portable"
    ran = copy(postgres_db, str(back))
    assert verified_checksum(ran) == first
    assert "WARC files: not copied (the source is a database)" in ran.stdout
    with Store(DataHome(source), readonly=True) as original:
        assert checksum(original).startswith(first)
    # Beyond the checksum: every table row for row, implicit rowids included where kept.
    for (table,) in sqlite_rows(
        source,
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
        "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'search_index_%'",
    ):
        # search_terms too: not copied, but rebuilt from the copied index to the same words.
        sql = f"SELECT * FROM {table}"
        assert sorted(map(repr, sqlite_rows(back, sql))) == sorted(
            map(repr, sqlite_rows(source, sql))
        ), table
    index = "SELECT rowid, article_id, folded FROM search_index ORDER BY rowid"
    assert sqlite_rows(back, index) == sqlite_rows(source, index)
    frontier = "SELECT rowid, url FROM frontier ORDER BY rowid"
    assert sqlite_rows(back, frontier) == sqlite_rows(source, frontier)
    found = output_json("--home", str(back), "search", "Taganova", "--json")
    assert found == output_json("--home", str(source), "search", "Taganova", "--json")


def test_sqlite_to_sqlite_copies_warc_files_once(source: Path, tmp_path: Path) -> None:
    first = copy(str(source), str(tmp_path / "a"))
    assert verified_checksum(first)
    assert "WARC files: 1 copied to" in first.stdout
    # A second home sharing the first's WARC directory: the files are there, identical.
    second = copy(str(source), str(tmp_path / "b"), "--warc-dir", str(tmp_path / "a" / "warc"))
    assert verified_checksum(second) and "0 copied to" in second.stdout
    assert "1 already there" in second.stdout
    assert not list((tmp_path / "a" / "warc").glob(".*part"))


# -- refusals ------------------------------------------------------------------------------------


def test_refuses_a_target_that_holds_data(source: Path, postgres_db: str) -> None:
    assert copy(str(source), postgres_db).exit_code == 0
    again = copy(str(source), postgres_db)
    assert again.exit_code == 1
    assert "already holds data" in again.stderr and "does not merge" in again.stderr


def test_refuses_a_source_at_an_old_schema(tmp_path: Path, postgres_db: str) -> None:
    old = tmp_path / "old"
    shutil.copytree(ROOT / "tests" / "fixtures" / "store-v6", old)
    with gzip.open(old / "tmwatch.sqlite3.gz") as packed:
        (old / "tmwatch.sqlite3").write_bytes(packed.read())
    ran = copy(str(old), postgres_db)
    assert ran.exit_code == 1
    assert "migrate" in ran.stderr and "older than" in ran.stderr
    assert pg_rows(postgres_db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [
        (0,)
    ]  # nothing was created in the target


def test_refuses_a_missing_source_and_the_same_store(source: Path, tmp_path: Path) -> None:
    missing = copy(str(tmp_path / "nothing"), str(tmp_path / "t"))
    assert missing.exit_code == 1 and "no tmwatch store" in missing.stderr
    assert copy(str(source), str(source)).exit_code == 2


def test_an_unreachable_url_never_shows_the_password(source: Path, tmp_path: Path) -> None:
    url = "postgresql://tmwatch:s3cret-pw@127.0.0.1:1/nowhere"
    for args in ((str(source), url), (url, str(tmp_path / "t"))):
        ran = copy(*args)
        assert ran.exit_code == 1
        assert "cannot connect" in ran.stderr and "tmwatch:***@127.0.0.1:1" in ran.output
        assert "s3cret-pw" not in ran.output


# -- verification and interruption ---------------------------------------------------------------


def test_verify_only_finds_a_changed_article(source: Path, postgres_db: str) -> None:
    assert copy(str(source), postgres_db).exit_code == 0
    assert verified_checksum(copy("--verify-only", str(source), postgres_db))
    with psycopg.connect(postgres_db) as conn:
        conn.execute(
            "UPDATE articles SET text = text || ' (edited)' "
            "WHERE id = (SELECT min(id) FROM articles)"
        )
    ran = copy("--verify-only", str(source), postgres_db)
    assert ran.exit_code == 1
    assert "verification failed: articles: article " in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    with psycopg.connect(postgres_db) as conn:
        conn.execute("UPDATE articles SET text = left(text, -9) WHERE text LIKE '%(edited)'")
        conn.execute(
            "UPDATE captures SET warc_offset = warc_offset + 1 "
            "WHERE id = (SELECT capture_id FROM articles ORDER BY id LIMIT 1)"
        )
    ran = copy("--verify-only", str(source), postgres_db)
    assert ran.exit_code == 1
    assert "verification failed: captures: article " in ran.stderr


def test_an_interrupted_copy_leaves_the_target_empty(source: Path, postgres_db: str) -> None:
    """The last table to be copied refuses its rows: everything before it is rolled back
    with it, and once the cause is gone the same command succeeds."""
    with (
        Store(DataHome(source), readonly=True) as here,
        Store(DataHome(store=postgres_db)) as there,
    ):
        last = [t.name for t in plan(here.db, there.db) if t.name != "meta"]
        counts = {t: here.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in last}
    table = [t for t in last if counts[t]][-1]
    with psycopg.connect(postgres_db, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT refuse CHECK (false) NOT VALID")
    ran = copy(str(source), postgres_db)
    assert ran.exit_code == 1 and f"Error: {table}: " in ran.stderr
    with Store(DataHome(store=postgres_db), create=False) as there:
        assert occupied(there.db) == {}
    with psycopg.connect(postgres_db, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT refuse")
    assert verified_checksum(copy(str(source), postgres_db))


def test_the_store_functions_copy_in_bounded_batches(source: Path, tmp_path: Path) -> None:
    """Without the CLI: two open stores, progress per batch, never more than a batch at once."""
    seen: list[tuple[str, int, int]] = []
    with (
        Store(DataHome(source), readonly=True) as here,
        Store(DataHome(tmp_path / "copy")) as there,
    ):
        report = copy_store(here, there, batch=500, progress=lambda *p: seen.append(p))
        checked = verify(here, there, batch=7)
    assert checked.ok and checked.checksum and report.rows["lsh_keys"] > 1000
    steps = [done for table, done, _ in seen if table == "lsh_keys"]
    assert steps == [*range(500, report.rows["lsh_keys"], 500), report.rows["lsh_keys"]]
    assert all(done <= total for _, done, total in seen)
