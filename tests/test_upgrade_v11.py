"""Upgrading the store of the code before PostgreSQL support (schema 11) to crawlers sharing one
store (12), and moving it to PostgreSQL, without loss.

``tests/fixtures/store-v11`` is a demo store made by that code (commit 28547d8): 95 articles,
101 captures, one English title added with ``cite --title-en``, and the run's WARC file.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import ROOT, invoke, unpacked_store
from tmwatch.store import LATEST, Store
from tmwatch.store.home import DataHome
from tmwatch.store.migrations import stored_version

FIXTURE = ROOT / "tests" / "fixtures" / "store-v11"
TITLED = "2p3uoyafew"  # the article given an English title
TABLES = ("articles", "captures", "versions", "annotations", "frontier", "runs", "events")
ARTICLE_COLUMNS = "id, article_key, title, text, published, tags, persons, cluster"


def _rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return unpacked_store(FIXTURE, tmp_path)


def test_the_fixture_is_what_the_old_code_wrote(home: Path) -> None:
    db = home / "tmwatch.sqlite3"
    assert stored_version(sqlite3.connect(db)) == 11
    assert _rows(db, "SELECT count(*) FROM articles") == [(95,)]
    assert _rows(db, "SELECT count(*) FROM captures") == [(101,)]
    columns = {r[1] for r in _rows(db, "PRAGMA table_info(captures)")}
    assert "worker" not in columns


def test_migrate_to_shared_crawling_keeps_every_row(home: Path) -> None:
    db = home / "tmwatch.sqlite3"
    before = {t: _rows(db, f"SELECT * FROM {t} ORDER BY rowid") for t in TABLES}
    result = invoke("migrate", home=home)
    assert result.exit_code == 0, result.output
    assert f"store schema 11 -> {LATEST}" in result.stdout
    assert "12: crawlers sharing one store" in result.stdout
    for table, old in before.items():
        width = len(old[0]) if old else 0
        now = _rows(db, f"SELECT * FROM {table} ORDER BY rowid")
        assert [row[:width] for row in now] == old, table  # new columns come last
    assert _rows(db, "SELECT DISTINCT worker FROM captures") == [("",)]
    assert _rows(db, "SELECT count(*) FROM frontier WHERE leased_by IS NOT NULL") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM politeness") == [(0,)]
    assert (home / "tmwatch.sqlite3.schema-11.bak").exists()


def test_reprocess_after_migration_rebuilds_the_same_articles(home: Path) -> None:
    db = home / "tmwatch.sqlite3"
    before = _rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
    assert invoke("migrate", home=home).exit_code == 0
    result = invoke("reprocess", "--jobs", "1", home=home)
    assert result.exit_code == 0, result.output
    assert _rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id") == before


def test_the_migrated_store_moves_to_postgresql_and_serves_every_command(
    home: Path, postgres_db: str
) -> None:
    assert invoke("migrate", home=home).exit_code == 0
    copied = invoke("copy-store", str(home), postgres_db)
    assert copied.exit_code == 0, copied.output
    assert "verified: 95 articles, 101 captures" in copied.stdout

    def both(*args: str) -> tuple[str, str]:
        lite = invoke(*args, home=home)
        pg = invoke("--store", postgres_db, *args, home=home)
        assert lite.exit_code == pg.exit_code == 0, (lite.output, pg.output)
        return lite.stdout, pg.stdout

    lite, pg = both("cite", TITLED)
    assert lite == pg and pg.startswith("[Parents in Mary complain")
    lite, pg = both("digest", "--all", "--no-mark")
    assert _without_time(json.loads(lite)) == _without_time(json.loads(pg))
    lite, pg = both("search", "Taganova", "--json")
    lite_found, pg_found = json.loads(lite), json.loads(pg)
    assert lite_found["total"] == pg_found["total"] > 0
    assert {r["id"] for r in lite_found["results"]} == {r["id"] for r in pg_found["results"]}

    # The PostgreSQL store is a working archive, not a copy to look at: reprocess rebuilds
    # its articles from the same WARC captures into the same records.
    with Store(DataHome(home, store=postgres_db)) as store:
        before = [dict(r) for r in store.db.execute(_ARTICLES).fetchall()]
    result = invoke("--store", postgres_db, "reprocess", "--jobs", "1", home=home)
    assert result.exit_code == 0, result.output
    with Store(DataHome(home, store=postgres_db)) as store:
        after = [dict(r) for r in store.db.execute(_ARTICLES).fetchall()]
    assert after == before


_ARTICLES = f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id"


def _without_time(digest: dict) -> dict:
    return {k: v for k, v in digest.items() if k != "generated_at"}
