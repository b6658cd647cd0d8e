"""Upgrading: a store written by the code before the namespace change (schema 6) migrates
without loss, and a user's own configuration reaches that store through `reprocess`.

``tests/fixtures/store-v6`` is a demo store made by that code: 65 articles, 67 captures, one
English title added with `cite --title-en`, and the run's WARC file.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.helpers import ROOT, invoke, unpacked_store
from tmwatch.store import LATEST, Store, StoreError
from tmwatch.store.home import DataHome
from tmwatch.store.migrations import MIGRATIONS, Migration, migrate, stored_version

FIXTURE = ROOT / "tests" / "fixtures" / "store-v6"
TABLES = ("articles", "captures", "versions", "annotations", "takedowns", "frontier", "runs")


def v6_home(tmp_path: Path) -> Path:
    return unpacked_store(FIXTURE, tmp_path)


def rows(path: Path, table: str, columns: list[str] | None = None) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        names = ", ".join(columns) if columns else "*"
        return db.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
    finally:
        db.close()


def columns(path: Path, table: str) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    finally:
        db.close()


def meta(path: Path) -> dict[str, str]:
    return dict(rows(path, "meta"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return v6_home(tmp_path)


def test_the_fixture_is_what_the_old_code_wrote(home: Path) -> None:
    values = meta(home / "tmwatch.sqlite3")
    assert values["schema_version"] == "6"
    assert values["registry_path"].endswith("tmwatch/samples/sources.toml")
    assert len(rows(home / "tmwatch.sqlite3", "articles")) == 65


def test_an_old_store_is_refused_until_migrated(home: Path) -> None:
    refusal = rf"schema 6 is older than this tmwatch.s {LATEST}; run .tmwatch --home .* migrate"
    with pytest.raises(StoreError, match=refusal):
        Store(DataHome(home), create=False)
    result = invoke("digest", "--all", home=home)
    assert result.exit_code == 1
    assert "migrate" in result.stderr
    assert stored_version(sqlite3.connect(home / "tmwatch.sqlite3")) == 6  # untouched


def test_migrate_upgrades_without_loss_and_keeps_a_backup(home: Path) -> None:
    db_path = home / "tmwatch.sqlite3"
    old_columns = {table: columns(db_path, table) for table in TABLES}
    before = {table: rows(db_path, table) for table in TABLES}
    result = invoke("migrate", home=home)
    assert result.exit_code == 0, result.output
    assert f"store schema 6 -> {LATEST}" in result.stdout
    assert "`daily` mark" in result.stdout
    after = {table: rows(db_path, table, old_columns[table]) for table in TABLES}
    assert after == before  # every article, capture, version, annotation and crawl state
    assert meta(db_path).get("last_digest_at") is None
    db = sqlite3.connect(db_path)
    daily = db.execute("SELECT name, sequence, at FROM marks").fetchall()
    first_captures = db.execute("SELECT count(*) FROM articles WHERE first_capture_id IS NULL")
    assert daily == [("daily", 67, "2026-11-29T17:05:06+00:00")]  # the old digest's time
    assert first_captures.fetchone()[0] == 0
    db.close()
    values = meta(db_path)
    assert values["schema_version"] == str(LATEST)
    assert values["registry"] == "samples" and "registry_path" not in values
    backup = home / "tmwatch.sqlite3.schema-6.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert meta(backup)["schema_version"] == "6"
    assert rows(backup, "articles") == before["articles"]
    again = invoke("migrate", home=home)
    assert again.exit_code == 0 and "nothing to do" in again.stdout


def test_the_migrated_store_serves_every_command(home: Path) -> None:
    assert invoke("migrate", home=home).exit_code == 0
    digest = json.loads(invoke("digest", "--all", home=home).stdout)
    assert digest["count"] == 65
    ng = next(a for a in digest["articles"] if a["source"] == "ng" and "sammit" in a["url"])
    cite = invoke("cite", ng["id"], home=home)
    assert cite.stdout.startswith("[A test English title. In Russian] ")
    found = json.loads(invoke("search", "Taganova", "--json", home=home).stdout)["results"]
    assert {r["language"] for r in found} == {"ru", "tk", "tr", "en"}


def test_reprocess_after_migration_rebuilds_the_same_articles(home: Path) -> None:
    db_path = home / "tmwatch.sqlite3"
    assert invoke("migrate", home=home).exit_code == 0
    columns = "id, article_key, title, text, published, tags, persons, cluster"
    db = sqlite3.connect(db_path)
    before = db.execute(f"SELECT {columns} FROM articles ORDER BY id").fetchall()
    db.close()
    # The store names the sample registry; the port of its URLs comes from the store too.
    result = invoke("reprocess", home=home)
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(db_path)
    after = db.execute(f"SELECT {columns} FROM articles ORDER BY id").fetchall()
    db.close()
    assert after == before


def test_a_user_watchlist_reaches_the_archive_through_reprocess(tmp_path: Path) -> None:
    """`init`, then `config` shows the user's files, then a person added there is tagged."""
    home = archive_naming(tmp_path / "home", "Мерген Тестов")
    config_dir = tmp_path / "config"
    assert invoke("init", "--config-dir", str(config_dir)).exit_code == 0
    shown = invoke("config", "--config-dir", str(config_dir))
    assert shown.exit_code == 0
    for name in ("sources.toml", "watchlist.toml", "topics.toml"):
        assert str(config_dir / name) in shown.stdout
    search = ("search", "--person", "Testov", "--json", "--home", str(home))
    unknown = invoke(*search, "--config-dir", str(config_dir))
    assert unknown.exit_code == 2 and "Testov" in unknown.stderr  # no stored article names him
    watchlist = config_dir / "watchlist.toml"
    watchlist.write_text(
        watchlist.read_text(encoding="utf-8") + '\n[people.mergen-testov]\nname = "Mergen Testov"\n'
        'first = ["Mergen", "Мерген"]\nlast = ["Testov", "Testow", "Тестов"]\n'
        'gender = "m"\n',
        encoding="utf-8",
    )
    assert "mergen-testov" in invoke("config", "--config-dir", str(config_dir)).stdout
    result = invoke("reprocess", "--home", str(home), "--config-dir", str(config_dir))
    assert result.exit_code == 0, result.output
    found = json.loads(invoke(*search, "--config-dir", str(config_dir)).stdout)["results"]
    assert len(found) == 1 and found[0]["persons"] == ["Akhmed Rakhmanov", "Mergen Testov"]
    # The user's file is an overlay: the packaged people are still tagged.
    rakhmanov = invoke("search", "--person", "Rakhmanov", "--json", "--home", str(home))
    assert json.loads(rakhmanov.stdout)["results"]


def archive_naming(root: Path, name: str) -> Path:
    """A data home holding one captured article (WARC and store) that names ``name``."""
    import dataclasses

    from tmwatch.config.registry import load_registry
    from tmwatch.pipeline.ingest import ingest
    from tmwatch.pipeline.tagging import Tagger
    from tmwatch.pipeline.warc import WarcCaptureWriter
    from tmwatch.record import Capture
    from tmwatch.samples import SAMPLE_REGISTRY
    from tmwatch.samples.render import ALL_ARTICLES, article_page

    base = "http://127.0.0.1:8000"
    sample = next(a for a in ALL_ARTICLES if a.outlet == "ng")
    page = dataclasses.replace(
        sample,
        paras=(
            f"В Стамбуле задержан туркменский активист {name}. Вместе с ним полиция увела "
            "Ахмеда Рахманова, который уже был под наблюдением миграционной службы.",
            "Родственники задержанных говорят, что обоим грозит депортация на родину, и просят "
            "правозащитников следить за делом и сообщать о каждом новом шаге властей.",
        ),
    )
    registry = load_registry(SAMPLE_REGISTRY, base=base)
    url = f"{base}/ng/{page.path}"
    home = DataHome(root).create()
    capture = Capture(
        "ng",
        url,
        url,
        200,
        {"Content-Type": "text/html; charset=windows-1251"},
        article_page(page, base, []).encode("windows-1251"),
        "2021-11-09T08:00:00+00:00",
    )
    writer = WarcCaptureWriter(home.warc_dir)
    writer.write(capture)
    writer.close()
    with Store(home) as store:
        outcome = ingest(store, capture, registry.sources["ng"], Tagger.from_files())
        assert outcome.state == "new", outcome.reason
        store.set_meta("registry", "samples")
        store.set_meta("registry_base", base)
    return root


def test_a_store_from_a_newer_tmwatch_is_refused(tmp_path: Path) -> None:
    home = DataHome(tmp_path)
    Store(home).close()
    db = sqlite3.connect(home.db_path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(LATEST + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer tmwatch"):
        Store(home)
    result = invoke("migrate", home=tmp_path)
    assert result.exit_code == 1 and "newer tmwatch" in result.stderr


def test_a_new_store_has_every_migration(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        assert store.get_meta("schema_version") == str(LATEST)
        assert stored_version(store.db) == MIGRATIONS[-1].version


def test_a_failing_migration_leaves_the_store_as_it_was(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tmwatch.store.migrations as migrations

    def broken(db: sqlite3.Connection) -> list[str]:
        db.execute("DELETE FROM articles")
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", (*MIGRATIONS, Migration(LATEST + 1, "broken", broken))
    )
    monkeypatch.setattr(migrations, "LATEST", LATEST + 1)
    db = sqlite3.connect(home / "tmwatch.sqlite3", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="simulated"):
        migrate(db)
    assert stored_version(db) == 6
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 65
    assert db.execute("SELECT value FROM meta WHERE key = 'registry_path'").fetchone()


def test_a_store_from_before_the_baseline_gains_search_and_labels(tmp_path: Path) -> None:
    """Versions 1-5 had fewer article columns and no search index; migration 6 adds them."""
    home = DataHome(tmp_path).create()
    db = sqlite3.connect(home.db_path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE articles (id TEXT PRIMARY KEY, article_key TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL,
            canonical_url TEXT NOT NULL, language TEXT, title TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]', published TEXT, date_source TEXT, modified TEXT,
            first_seen TEXT NOT NULL, fetched_at TEXT NOT NULL, text TEXT NOT NULL,
            html_sha256 TEXT NOT NULL, found_via TEXT NOT NULL DEFAULT '',
            alternates TEXT NOT NULL DEFAULT '{}', capture_id INTEGER);
        INSERT INTO articles(id, article_key, source, outlet, url, canonical_url, language, title,
            published, first_seen, fetched_at, text, html_sha256)
        VALUES ('a1', 'k1', 's', 'O', 'https://o/1', 'https://o/1', 'ru', 'Заголовок',
            '2021-10-19', '2021-10-19T10:00:00+00:00', '2021-10-19T10:00:00+00:00',
            'Ахмед Рахманов задержан в Анталье.', 'x');
        """
    )
    db.close()
    result = invoke("migrate", home=tmp_path)
    assert result.exit_code == 0, result.output
    assert "run `tmwatch reprocess`" in result.stdout
    found = json.loads(invoke("search", "Rakhmanov", "--json", home=tmp_path).stdout)
    assert [r["id"] for r in found["results"]] == ["a1"]
