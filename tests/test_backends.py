"""The store's contract, the same tests on both engines: SQLite and PostgreSQL.

The store's SQL is written once, in SQLite's dialect, and translated for PostgreSQL statement by
statement (``tmwatch.store.database``); search, the schema and a few statements are written per
engine. Nothing in the rest of tmwatch may tell the two apart, so every public store operation
is exercised here through one ``store`` fixture that is parametrized over both engines, with the
same assertions: a difference between the engines fails one of its two parameters. (A test that
finds one is marked ``xfail(strict=True)`` for PostgreSQL only, so that the fix un-marks it.)

Real engines only: a SQLite file in a temporary home, and a fresh PostgreSQL database per test
(``postgres_db``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.helpers import make_article
from tmwatch.output.search import run_search
from tmwatch.record import Article, Capture, FeedHints
from tmwatch.store import LATEST, DataHome, Store
from tmwatch.store.archive import ArticleFilter
from tmwatch.store.copy import DERIVED
from tmwatch.store.crawlstate import MAX_ATTEMPTS
from tmwatch.store.database import POSTGRESQL
from tmwatch.store.migrations import stored_version

DB_ERRORS = (sqlite3.Error, psycopg.Error)
"""What either engine raises when it refuses a statement."""


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A new store on each engine, created as tmwatch creates one."""
    url = request.getfixturevalue("postgres_db") if request.param == "postgresql" else None
    with Store(DataHome(tmp_path / "home", store=url)) as opened:
        yield opened


def is_postgres(store: Store) -> bool:
    return bool(store.db.dialect == POSTGRESQL)


def xfail_on_postgresql(request: pytest.FixtureRequest, store: Store, reason: str) -> None:
    """A known difference between the engines: strict, so that fixing the store un-marks it."""
    if is_postgres(store):
        request.node.add_marker(pytest.mark.xfail(strict=True, reason=reason))


def capture(
    number: int, *, fetched_at: str = "2026-01-01T00:00:00+00:00", source: str = "s"
) -> Capture:
    return Capture(
        source=source,
        url=f"https://o/a/{number}",
        final_url=f"https://o/a/{number}",
        status=200,
        headers={},
        body=f"<p>page {number}</p>".encode(),
        fetched_at=fetched_at,
        found_via="https://o/feed",
        hints=FeedHints(title=f"Заголовок {number}", published="2026-01-01"),
        warc_file="one.warc.gz",
        warc_offset=number * 100,
        warc_length=99,
        warc_record_id=f"<urn:uuid:{number}>",
        worker="w1",
    )


def article(number: int, **changes: Any) -> Article:
    values: dict[str, Any] = {
        "id": f"a{number}",
        "url": f"https://o/a/{number}",
        "canonical_url": f"https://o/a/{number}",
        "title": f"Title {number}",
        "text": f"Text {number}",
    }
    values.update(changes)
    return make_article(f"s:{number}", **values)


def stored(store: Store, *records: Article) -> list[bool]:
    """Each article saved in one transaction, with a capture of its own; whether it was new."""
    saved = []
    with store.transaction():
        for record in records:
            record.capture_id = store.archive.add_capture(capture(int(record.id[1:])))
            saved.append(store.archive.save_article(record))
    return saved


def ids(rows: Any) -> list[str]:
    return [str(row["id"]) for row in rows]


# -- schema ------------------------------------------------------------------------------------


def columns_sqlite(db: Any) -> dict[str, list[tuple[str, bool]]]:
    """Per table, its columns (name, NOT NULL or primary key) in order, FTS5's own left out."""
    tables = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith("search_index_")
        and not r[0].startswith("sqlite_")
        and r[0] not in DERIVED  # SQLite's own, derived from its index (store.fts_terms)
    ]
    found = {}
    for table in tables:
        rows = db.execute(f"PRAGMA table_info({table})").fetchall()
        # An INTEGER PRIMARY KEY is the rowid: never NULL, whatever table_info says.
        found[table] = [(r[1], bool(r[3]) or bool(r[5])) for r in rows]
    return found


def columns_postgres(db: Any) -> dict[str, list[tuple[str, bool]]]:
    """The same from ``information_schema``, without the PostgreSQL-only columns."""
    only_here = {("search_index", "rowid"), ("search_index", "document"), ("frontier", "rowid")}
    found: dict[str, list[tuple[str, bool]]] = {}
    for table, column, nullable in db.execute(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    ):
        if (table, column) not in only_here:
            found.setdefault(table, []).append((column, nullable == "NO"))
    return found


def test_both_engines_have_the_same_tables_and_columns(tmp_path: Path, postgres_db: str) -> None:
    with (
        Store(DataHome(tmp_path / "sqlite")) as lite,
        Store(DataHome(tmp_path / "pg", store=postgres_db)) as pg,
    ):
        assert stored_version(lite.db) == stored_version(pg.db) == LATEST
        lite_columns, pg_columns = columns_sqlite(lite.db), columns_postgres(pg.db)
        assert sorted(lite_columns) == sorted(pg_columns)
        assert "search_index" in lite_columns and "politeness" in lite_columns
        for table, listed in lite_columns.items():
            # The FTS5 table has no constraints to compare: names only.
            if table == "search_index":
                assert [c for c, _ in listed] == [c for c, _ in pg_columns[table]]
            else:
                assert sorted(listed) == sorted(pg_columns[table]), table


def test_a_new_store_is_at_the_latest_schema(store: Store) -> None:
    assert stored_version(store.db) == LATEST
    assert store.get_meta("schema_version") == str(LATEST)
    assert store.get_meta("nothing") is None
    with store.transaction():
        store.set_meta("registry", "samples")
        store.set_meta("registry", "другой")
    assert store.get_meta("registry") == "другой"


# -- articles ----------------------------------------------------------------------------------


def test_saving_an_article_twice_updates_it_and_keeps_first_seen(store: Store) -> None:
    first = article(1, authors=["Иван Петров"], alternates={"en": "https://o/en/1"})
    assert stored(store, first) == [True]
    again = article(
        1,
        title="Заголовок",
        text="Новый текст",
        first_seen="2027-05-05T00:00:00+00:00",
        fetched_at="2027-05-05T00:00:00+00:00",
        urls=["https://o/amp/1"],
    )
    assert stored(store, again) == [False]
    assert again.first_seen == "2026-01-01T00:00:00+00:00"  # the stored one, given back
    record = store.archive.article("a1")
    assert record is not None
    assert record["title"] == "Заголовок" and record["text"] == "Новый текст"
    assert record["first_seen"] == "2026-01-01T00:00:00+00:00"
    assert record["fetched_at"] == "2027-05-05T00:00:00+00:00"
    assert record["first_capture_id"] == first.capture_id != again.capture_id
    assert record["capture_id"] == again.capture_id
    assert record["authors"] == [] and record["alternates"] == {}  # replaced, not merged
    assert record["status"] == "live" and record["title_en"] is None
    assert record["published_day"] == "2021-10-19"
    assert isinstance(record["capture_id"], int)
    assert store.archive.count() == 1 and store.archive.count("captures") == 2
    assert store.archive.count("article_urls") == 2
    with pytest.raises(ValueError, match="frontier"):
        store.archive.count("frontier")


def test_articles_read_back_by_id_url_filter_and_position(store: Store) -> None:
    stored(
        store,
        article(
            1,
            language="ru",
            tags=["arrest"],
            persons=["Bayram Allalyev"],
            published="2021-10-19T10:00:00+03:00",
        ),
        article(
            2,
            language="en",
            outlet="Other 50%",
            source="t",
            tags=["arrest", "court"],
            published="2021-11-02T10:00:00+00:00",
            canonical_url="https://o/canonical/2",
        ),
        article(3, language=None, published=None, persons=["Nurgeldi Halykov"]),
        article(4, language="ru", published="2021-11-02T10:00:00+00:00"),
    )
    # Newest publication first, the undated last, ties by id: the same on both engines.
    assert ids(store.archive.articles()) == ["a2", "a4", "a1", "a3"]
    by_url = store.archive.article_by_url("https://o/canonical/2")
    assert by_url is not None and by_url["id"] == "a2"
    assert store.archive.article_by_url("https://o/none") is None
    assert store.archive.article("none") is None
    one = store.archive.article("a1")
    assert one is not None and one["tags"] == ["arrest"] and one["persons"] == ["Bayram Allalyev"]

    def filtered(**conditions: Any) -> list[str]:
        return ids(store.archive.articles(ArticleFilter(**conditions)))

    assert filtered(tag="arrest") == ["a2", "a1"]
    assert filtered(tag="court") == ["a2"]
    assert filtered(persons=("Nurgeldi Halykov", "Bayram Allalyev")) == ["a1", "a3"]
    assert filtered(persons=()) == []
    assert filtered(language="ru") == ["a4", "a1"]
    assert filtered(outlet="50%") == ["a2"]  # % is a literal, not a wildcard
    assert filtered(outlet="r_5") == []  # nor is _
    assert filtered(outlet="t") == ["a2"]  # the source key
    assert filtered(sources=("s",)) == ["a4", "a1", "a3"]
    assert filtered(since="2021-11-01") == ["a2", "a4"]
    assert filtered(until="2021-10-31") == ["a1"]
    assert filtered(tag="arrest", language="en", since="2021-11-02", until="2021-11-02") == ["a2"]
    assert ids(store.archive.articles(seen_since="2026-01-01T00:00:00+00:00")) == [
        "a2",
        "a4",
        "a1",
        "a3",
    ]
    assert ids(store.archive.articles(seen_since="2026-01-02")) == []
    # Positions in commit order: each article's first capture.
    a3 = store.archive.article("a3")
    assert a3 is not None
    assert ids(store.archive.articles(stored_after=a3["first_capture_id"] - 1)) == ["a4", "a3"]
    assert ids(store.archive.articles(stored_after=0)) == ["a2", "a4", "a1", "a3"]
    # In the order asked, unknown ids left out, each once.
    assert ids(store.archive.articles_by_id(["a3", "none", "a1", "a4", "a3", "a2"])) == [
        "a3",
        "a1",
        "a4",
        "a2",
    ]
    assert store.archive.articles_by_id([]) == []


def test_labels_and_the_cached_languages_and_outlets_see_every_change(
    store: Store, tmp_path: Path
) -> None:
    stored(
        store, article(1, tags=["court", "arrest"], persons=["B", "Äşir", "a", "A"], language="ru")
    )
    assert store.archive.label_values("tag") == ["arrest", "court"]
    assert store.archive.person_labels() == ["A", "B", "a", "Äşir"]  # byte order on both
    assert store.archive.languages() == ["ru"]
    assert store.archive.outlets() == [("O", "s")]
    # A new article through this connection.
    stored(store, article(2, tags=["arrest"], language="tk", outlet="Ä", source="t"))
    assert store.archive.languages() == ["ru", "tk"]
    assert store.archive.outlets() == [("O", "s"), ("Ä", "t")]  # byte order on both
    # An update of an existing one changes its labels and language.
    stored(store, article(1, tags=["release"], persons=[], language="en"))
    assert store.archive.label_values("tag") == ["arrest", "release"]
    assert store.archive.person_labels() == []
    assert store.archive.languages() == ["en", "tk"]
    # A new article written by another connection (another crawler) is seen too.
    with Store(store.home) as other:
        stored(other, article(3, language="", outlet="B", source="b"))
        stored(other, article(4, language="de", outlet="B", source="b"))
    assert store.archive.languages() == ["de", "en", "tk"]  # unknown ("") left out
    assert store.archive.outlets() == [("B", "b"), ("O", "s"), ("Ä", "t")]
    store.archive.clear_derived()
    assert store.archive.languages() == [] and store.archive.outlets() == []


def test_languages_read_inside_a_rolled_back_transaction_are_forgotten(
    store: Store, request: pytest.FixtureRequest
) -> None:
    stored(store, article(1, language="ru"))
    with pytest.raises(RuntimeError), store.transaction():
        stored(store, article(2, language="fr", outlet="F", source="f"))
        assert store.archive.languages() == ["fr", "ru"]
        assert store.archive.outlets() == [("F", "f"), ("O", "s")]
        raise RuntimeError
    assert store.archive.article("a2") is None
    assert store.archive.languages() == ["ru"]
    assert store.archive.outlets() == [("O", "s")]


def test_english_titles_and_known_articles(store: Store) -> None:
    stored(store, article(1, urls=["https://o/amp/1"]))
    with pytest.raises(ValueError, match="one non-empty line"):
        store.archive.set_title_en("a1", "two\nlines")
    assert store.archive.clear_title_en("a1") is False
    store.archive.set_title_en("a1", "A title")
    store.archive.set_title_en("a1", "The title")
    record = store.archive.article("a1")
    assert record is not None and record["title_en"] == "The title"
    assert store.archive.articles_by_id(["a1"])[0]["title_en"] == "The title"
    # Kept by article key across a rebuild.
    store.archive.clear_derived()
    stored(store, article(1))
    record = store.archive.article("a1")
    assert record is not None and record["title_en"] == "The title"
    assert store.archive.clear_title_en("a1") is True
    assert store.archive.clear_title_en("a1") is False
    record = store.archive.article("a1")
    assert record is not None and record["title_en"] is None
    assert store.archive.known_article("https://o/a/1", None) == "a1"
    assert store.archive.known_article("https://o/elsewhere", "s:1") == "a1"
    assert store.archive.known_article("https://o/elsewhere", "s:9") is None
    assert store.archive.known_article("https://o/elsewhere", None) is None


# -- captures, versions, take-downs --------------------------------------------------------------


def test_captures_get_increasing_ids_and_read_back(store: Store) -> None:
    with store.transaction():
        made = [
            store.archive.add_capture(capture(n, fetched_at=f"2026-01-0{n}T00:00:00+00:00"))
            for n in (1, 2, 3)
        ]
    assert made == sorted(made) and len(set(made)) == 3
    one = store.archive.capture(made[1])
    assert one is not None
    assert one["id"] == made[1] and one["url"] == "https://o/a/2" and one["worker"] == "w1"
    assert one["hints"] == FeedHints(title="Заголовок 2", published="2026-01-01")
    assert one["status"] == 200 and one["warc_offset"] == 200
    assert store.archive.capture(made[-1] + 1) is None
    assert [c["id"] for c in store.archive.captures()] == made
    assert [c["id"] for c in store.archive.captures(since="2026-01-02")] == made[1:]
    assert [c["id"] for c in store.archive.capture_locations(page=2)] == made
    assert [c["id"] for c in store.archive.capture_locations(since="2026-01-03")] == made[2:]
    assert list(store.archive.capture_locations(sources=["none"])) == []
    assert store.marks.high_water() == made[-1]


def test_versions_takedowns_and_clear_derived(store: Store) -> None:
    first = article(1)
    stored(store, first)
    assert store.archive.add_version(first, "h1", first.capture_id) is False  # the first
    assert store.archive.add_version(first, "h1", first.capture_id) is False  # unchanged
    edited = article(1, text="edited", fetched_at="2026-02-01T00:00:00+00:00")
    stored(store, edited)
    assert store.archive.add_version(edited, "h2", edited.capture_id) is True
    assert store.archive.version_count("a1") == 2
    assert [(v["text_hash"], v["text"], v["capture_id"]) for v in store.archive.versions("a1")] == [
        ("h1", "Text 1", first.capture_id),
        ("h2", "edited", edited.capture_id),
    ]
    store.archive.record_takedown("a1", "https://o/a/1", "404", "2026-03-01T00:00:00+00:00")
    record = store.archive.article("a1")
    assert record is not None
    assert (record["status"], record["taken_down_at"]) == (
        "taken_down",
        "2026-03-01T00:00:00+00:00",
    )
    store.archive.mark_live("a1")
    record = store.archive.article("a1")
    assert record is not None and (record["status"], record["taken_down_at"]) == ("live", None)
    # Re-derived from the observations: only one after the latest capture counts.
    store.archive.apply_takedowns()
    record = store.archive.article("a1")
    assert record is not None and record["status"] == "taken_down"
    store.archive.record_takedown("a1", "https://o/a/1", "410", "2026-01-15T00:00:00+00:00")
    store.archive.mark_live("a1")
    store.archive.apply_takedowns()
    record = store.archive.article("a1")
    assert record is not None and record["taken_down_at"] == "2026-03-01T00:00:00+00:00"
    # Everything derived goes; captures and take-down observations stay.
    store.archive.save_fingerprint("a1", "h2", b"\x00\x01", [1, 2])
    store.events.replace_for_article("a1", [event("A", "arrest")])
    store.archive.clear_derived()
    assert store.archive.count() == 0 and store.archive.count("article_urls") == 0
    assert store.archive.version_count("a1") == 0 and store.archive.signature("a1") is None
    assert store.events.persons() == [] and store.archive.label_values("tag") == []
    assert store.archive.count("captures") == 2
    assert store.archive.search('"text" *', ArticleFilter(), 10).total == 0
    stored(store, article(1))
    store.archive.apply_takedowns()
    record = store.archive.article("a1")
    assert record is not None and record["status"] == "taken_down"


# -- dedup ---------------------------------------------------------------------------------------


def test_fingerprints_candidates_and_clusters(store: Store) -> None:
    stored(
        store,
        article(1, first_seen="2026-01-01T00:00:00+00:00"),
        article(2, first_seen="2026-01-02T00:00:00+00:00"),
        article(3, first_seen="2026-01-03T00:00:00+00:00"),
    )
    every_byte = bytes(range(256)) * 2
    big, small = 2**63 - 1, -(2**63)  # band keys are 64-bit on both engines
    store.archive.save_fingerprint("a1", "same", every_byte, [big, small, 7])
    store.archive.save_fingerprint("a2", "same", b"\x00" * 8, [big, 7, 8])
    store.archive.save_fingerprint("a3", "other", b"\xff\x00\xfe", [9, small])
    assert store.archive.signature("a1") == every_byte
    assert store.archive.signature("a2") == b"\x00" * 8
    assert store.archive.signature("none") is None
    candidates = store.archive.near_candidates([big, small, 7], exclude="a1", min_shared=1)
    assert candidates == [("a2", "a2", b"\x00" * 8), ("a3", "a3", b"\xff\x00\xfe")]
    assert all(type(c[2]) is bytes for c in candidates)
    assert store.archive.near_candidates([big, small, 7], "a1", min_shared=2) == [
        ("a2", "a2", b"\x00" * 8)
    ]
    assert store.archive.near_candidates([big, small, 7], "a1", min_shared=3) == []
    assert store.archive.near_candidates([], "a1") == []
    # A new signature replaces the old one's keys.
    store.archive.save_fingerprint("a2", "same", b"\x01", [10], replaced_keys=[big, 7, 8])
    assert store.archive.near_candidates([big, 7], "a1") == []
    assert store.archive.near_candidates([10], "a1") == [("a2", "a2", b"\x01")]
    # Exact duplicates: only articles already in a cluster count.
    assert store.archive.same_text("same", exclude="a2") is None
    store.archive.set_cluster("a1", "a1")
    store.archive.set_cluster("a2", "a1")
    assert store.archive.same_text("same", exclude="a2") == "a1"
    assert store.archive.same_text("other", exclude="a2") is None
    store.archive.set_text_hash("a3", "same")
    assert store.archive.same_text("same", exclude="a3") == "a1"
    assert store.archive.cluster_of("a2") == "a1" and store.archive.cluster_of("a3") is None
    assert store.archive.has_members("a1") is True and store.archive.has_members("a3") is False
    assert [m["id"] for m in store.archive.cluster_members("a1")] == ["a1", "a2"]
    assert store.archive.near_candidates([10], "a3") == [("a2", "a1", b"\x01")]


# -- search --------------------------------------------------------------------------------------


def test_search_finds_the_same_articles(store: Store) -> None:
    stored(
        store,
        article(
            1,
            title="Рахманова задержали",
            text="Активиста Рахманова перевели в депортационный центр.",
            tags=["arrest"],
            published="2021-10-25T10:00:00+03:00",
        ),
        article(
            2,
            language="en",
            title="Rakhmanov detained",
            text="The activist Rakhmanov was moved to a deportation centre in Istanbul.",
            tags=["arrest", "deportation"],
            published="2021-10-26T10:00:00+00:00",
        ),
        article(
            3,
            language="en",
            title="Cotton harvest",
            text="A centre for deportation of cotton pickers was not opened.",
            tags=["labour"],
            published="2021-10-27T10:00:00+00:00",
        ),
        article(4, title="Weather", text="Rain in Ashgabat.", published=None),
    )

    def found(query: str | None, **filters: Any) -> tuple[list[str], int]:
        result = run_search(store, query, **filters)
        return [r["id"] for r in result.results], result.total

    hits, total = found("Rakhmanov")  # a name in Latin letters finds it in Cyrillic too
    assert sorted(hits) == ["a1", "a2"] and total == 2
    hits, total = found("Рахманов")
    assert sorted(hits) == ["a1", "a2"] and total == 2
    assert found('"deportation centre"') == (["a2"], 1)  # a phrase, not both words
    hits, total = found("deportation centre")
    assert sorted(hits) == ["a2", "a3"] and total == 2
    assert found(None, tag="arrest") == (["a2", "a1"], 2)  # no query: newest first
    assert found("deportation", tag="arrest") == (["a2"], 1)
    assert found(None) == (["a3", "a2", "a1", "a4"], 4)
    assert found("Ashgabat", language="ru") == (["a4"], 1)
    assert found("nowhere") == ([], 0)
    page = run_search(store, "Rakhmanov")
    assert page.ranked_by == "relevance"
    assert all(r["matches"] for r in page.results)  # the name is highlighted in both scripts


# -- marks, events, status log -------------------------------------------------------------------


def test_marks_are_positions_that_never_move_back(store: Store) -> None:
    assert store.marks.get("daily") is None and store.marks.high_water() == 0
    stored(store, article(1), article(2))
    position = store.marks.high_water()
    store.marks.move("daily", position, "2026-01-01T00:00:00+00:00", status_id=3)
    store.marks.move("weekly", 1, "2026-01-02T00:00:00+00:00")
    store.marks.move("daily", position - 1, "2026-01-03T00:00:00+00:00", status_id=1)
    mark = store.marks.get("daily")
    assert mark is not None
    assert (mark.sequence, mark.status_id, mark.at) == (position, 3, "2026-01-03T00:00:00+00:00")
    assert store.marks.names() == ["daily", "weekly"]
    stored(store, article(3))
    assert ids(store.archive.articles(stored_after=mark.sequence)) == ["a3"]
    assert store.marks.status_high_water() == 0


def event(person: str, type_: str, date: str | None = "2021-10-22") -> dict[str, Any]:
    return {
        "person": person,
        "type": type_,
        "date": date,
        "date_precision": "day" if date else None,
        "date_basis": "stated",
        "place": "Стамбул",
        "evidence": [{"sentence": "Задержали 22 октября.", "start": 0}],
    }


def test_events_corrections_and_the_status_log(store: Store) -> None:
    stored(
        store,
        article(1, published="2021-10-25T10:00:00+03:00", published_day="2021-10-25"),
        article(2, published="2021-10-20T10:00:00+03:00", published_day="2021-10-20"),
    )
    store.events.replace_for_article("a1", [event("B", "arrest"), event("A", "release", None)])
    store.events.replace_for_article("a2", [event("B", "deportation")])
    store.events.replace_for_article("a1", [event("B", "arrest"), event("A", "release", None)])
    reports = store.events.reports()
    assert [(r["article_id"], r["person"], r["type"]) for r in reports] == [
        ("a2", "B", "deportation"),
        ("a1", "B", "arrest"),
        ("a1", "A", "release"),
    ]
    assert reports[1]["evidence"] == [{"sentence": "Задержали 22 октября.", "start": 0}]
    assert reports[1]["place"] == "Стамбул" and reports[1]["article_key"] == "s:1"
    assert [r["type"] for r in store.events.reports(["A"])] == ["release"]
    assert store.events.reports([]) == []
    assert store.events.persons() == ["A", "B"]
    store.events.correct("s:2", "B", "deportation", "dismiss", None, "wrong person")
    store.events.correct("s:1", "A", "release", "date", "2021-11", "")
    store.events.correct("s:1", "A", "release", "date", "2021-11-01", "the day")
    corrected = store.events.reports()
    assert [(r["type"], r["date"], r["date_basis"], r["date_precision"]) for r in corrected] == [
        ("arrest", "2021-10-22", "stated", "day"),
        ("release", "2021-11-01", "corrected", "day"),
    ]
    # In the order written ("at"), which may tie within a second: compared as a set.
    assert sorted((c["article_key"], c["note"]) for c in store.events.corrections()) == [
        ("s:1", "the day"),
        ("s:2", "wrong person"),
    ]
    with pytest.raises(DB_ERRORS), store.transaction():  # a correction's action is checked
        store.events.correct("s:1", "A", "release", "forget", None, "")
    with pytest.raises(DB_ERRORS), store.transaction():  # events belong to stored articles
        store.events.replace_for_article("none", [event("A", "arrest")])
    assert store.events.persons() == ["A", "B"]
    # The status log: history, never rebuilt.
    store.events.log_status("B", "detained", "2021-10-22", "Стамбул", "unknown", "detained", 5)
    store.events.log_status("A", "released", None, None, "detained", "released", 6)
    store.events.log_status("B", "deportation_centre", "2021-10-25", "Pendik", "detained", "d", 7)
    latest = store.events.latest_statuses()
    assert sorted(latest) == ["A", "B"]
    assert latest["B"]["state"] == "deportation_centre" and latest["B"]["sequence"] == 7
    high = store.marks.status_high_water()
    assert high == latest["B"]["id"]
    assert [c["state"] for c in store.events.changes_after(0, high)] == [
        "detained",
        "released",
        "deportation_centre",
    ]
    assert [c["person"] for c in store.events.changes_after(latest["A"]["id"], high)] == ["B"]
    assert store.events.changes_after(high, high) == []
    store.archive.clear_derived()
    assert store.events.reports() == [] and len(store.events.corrections()) == 2
    assert store.marks.status_high_water() == high


# -- outbox --------------------------------------------------------------------------------------


def queue(store: Store, key: str, *, kind: str = "digest", subscription: str = "bridge") -> int:
    with store.transaction():
        return store.outbox.add(
            subscription=subscription,
            kind=kind,
            channel="webhook",
            key=key,
            summary=f"digest {key}",
            payload=b"\x00\xff" + key.encode() + "—ü".encode(),
            meta={"url": "https://hook/", "имя": 1},
            created_at="2026-01-01T00:00:00+00:00",
            day="2026-01-01" if kind == "digest" else None,
            read_up_to=5,
        )


def test_the_outbox_queues_retries_and_gives_up(store: Store) -> None:
    assert store.outbox.next_id() == 1
    first = queue(store, "k1")
    second = queue(store, "k2", kind="alert")
    third = queue(store, "k3", subscription="other")
    assert first < second < third and store.outbox.next_id() == third + 1
    with pytest.raises(DB_ERRORS), store.transaction():  # keys are unique
        queue(store, "k1")
    message = store.outbox.get(first)
    assert message is not None
    assert message.payload == b"\x00\xff" + b"k1" + "—ü".encode() and type(message.payload) is bytes
    assert message.meta == {"url": "https://hook/", "имя": 1}
    assert (message.state, message.attempts, message.day) == ("pending", 0, "2026-01-01")
    assert store.outbox.get(third + 1) is None
    assert [m.id for m in store.outbox.pending()] == [first, second, third]
    assert [m.id for m in store.outbox.pending(["other"])] == [third]
    # Failures: dead after the attempts *and* the time the policy allows.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    policy: dict[str, Any] = {"max_attempts": 2, "give_up_after": timedelta(hours=1)}
    assert store.outbox.failed(first, "refused", start, **policy) == "pending"
    assert store.outbox.failed(first, "refused", start + timedelta(minutes=5), **policy) == (
        "pending"
    )
    assert store.outbox.failed(first, "x" * 900, start + timedelta(hours=2), **policy) == "dead"
    assert store.outbox.failed(first, "again", start + timedelta(hours=3), **policy) == "dead"
    dead = store.outbox.get(first)
    assert dead is not None
    assert (dead.attempts, dead.first_failure_at) == (3, start.isoformat())
    assert dead.last_error == "x" * 500
    assert [m.id for m in store.outbox.dead_letters()] == [first]
    assert store.outbox.counts() == {
        "bridge": {"pending": 1, "sent": 0, "dead": 1},
        "other": {"pending": 1, "sent": 0, "dead": 0},
    }
    assert store.outbox.retry([second, first, 999]) == 1
    retried = store.outbox.get(first)
    assert retried is not None
    assert (retried.state, retried.attempts, retried.first_failure_at) == ("pending", 0, None)
    store.outbox.failed(first, "refused", start, max_attempts=1, give_up_after=timedelta(0))
    store.outbox.failed(third, "refused", start, max_attempts=1, give_up_after=timedelta(0))
    assert store.outbox.retry() == 2
    # Sent: recorded once, only from pending.
    assert store.outbox.delivered_up_to("bridge") == 0
    store.outbox.sent(second, "2026-01-02T00:00:00+00:00")
    store.outbox.sent(second, "2026-01-03T00:00:00+00:00")
    sent = store.outbox.get(second)
    assert sent is not None and (sent.state, sent.sent_at, sent.attempts) == (
        "sent",
        "2026-01-02T00:00:00+00:00",
        1,
    )
    assert store.outbox.failed(second, "late", start, **policy) == "sent"
    assert store.outbox.delivered_up_to("bridge") == 5
    assert store.outbox.last_digest_day("bridge") == "2026-01-01"
    assert store.outbox.last_digest_day("none") is None
    assert [m.id for m in store.outbox.recent(2)] == [third, second]
    assert store.outbox.recent(2)[0].as_dict()["key"] == "k3"
    # The alert log.
    assert store.outbox.last_alert("bridge", "B") is None
    store.outbox.log_alert("bridge", "B", "2026-01-01T00:00:00+00:00", second)
    store.outbox.log_alert("bridge", "B", "2026-01-02T00:00:00+00:00", None)
    assert store.outbox.last_alert("bridge", "B") == "2026-01-02T00:00:00+00:00"


def test_an_outbox_claim_gives_a_pending_message_once(store: Store) -> None:
    first = queue(store, "k1")
    with store.outbox.claim(first) as claimed:
        assert claimed is not None and claimed.id == first and claimed.state == "pending"
        with store.transaction():  # the result, recorded inside the claim (a savepoint)
            store.outbox.sent(first, "2026-01-02T00:00:00+00:00")
    with store.outbox.claim(first) as claimed:
        assert claimed is None  # sent meanwhile
    with store.outbox.claim(999) as claimed:
        assert claimed is None
    message = store.outbox.get(first)
    assert message is not None and message.state == "sent"
    # A failed send inside the claim is recorded too.
    second = queue(store, "k2")
    with store.outbox.claim(second) as claimed:
        assert claimed is not None
        with store.transaction():
            store.outbox.failed(
                second, "refused", datetime.now(UTC), max_attempts=5, give_up_after=timedelta(1)
            )
    retried = store.outbox.get(second)
    assert retried is not None and (retried.state, retried.attempts) == ("pending", 1)


def test_a_claimed_message_is_skipped_by_another_sender_on_postgresql(store: Store) -> None:
    """Only PostgreSQL has several senders; on SQLite one process sends (``RunLock``) and a
    claim is only a fresh read by design (``Outbox.claim``): there it is not a lock."""
    first = queue(store, "k1")
    with Store(store.home) as other, store.outbox.claim(first) as claimed:
        assert claimed is not None
        with other.outbox.claim(first) as also:
            if is_postgres(store):
                assert also is None
            else:
                assert also is not None and also.id == first


# -- crawl state ---------------------------------------------------------------------------------


def frontier_row(store: Store, url: str) -> tuple[str, int, str | None]:
    row = store.db.execute(
        "SELECT state, attempts, last_error FROM frontier WHERE url = ?", (url,)
    ).fetchone()
    return str(row[0]), int(row[1]), row[2]


def test_the_frontier_resumes_what_was_not_finished(store: Store) -> None:
    hints = FeedHints(title="Заголовок", author="Автор")
    urls = [f"https://o/a/{n}" for n in (3, 1, 2, 4)]
    assert [store.crawl.discover(u, "s", "https://o/feed", hints) for u in urls] == [True] * 4
    assert store.crawl.discover(urls[0], "s", "elsewhere", FeedHints()) is False
    assert store.crawl.discover("https://t/1", "t", "https://t/feed", FeedHints()) is True
    pending = store.crawl.pending(["s"])
    assert [p.url for p in pending] == urls  # discovery order, not URL order
    assert pending[0].hints == hints and pending[0].found_via == "https://o/feed"
    assert [p.url for p in store.crawl.pending(["s", "t"])] == [*urls, "https://t/1"]
    assert store.crawl.pending([]) == []
    store.crawl.settle(urls[0], "done")
    store.crawl.settle(urls[1], "skipped")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        store.crawl.settle(urls[2], "failed", f"timeout {attempt}")
        assert frontier_row(store, urls[2]) == ("failed", attempt, f"timeout {attempt}")
        expected = [urls[2], urls[3]] if attempt < MAX_ATTEMPTS else [urls[3]]
        assert [p.url for p in store.crawl.pending(["s"])] == expected
    assert frontier_row(store, urls[0]) == ("done", 0, None)
    with pytest.raises(DB_ERRORS), store.transaction():  # states are checked
        store.crawl.settle(urls[3], "lost")
    assert frontier_row(store, urls[3]) == ("pending", 0, None)


def test_validators_are_saved_and_replaced(store: Store) -> None:
    assert store.crawl.validators("https://o/feed") == (None, None)
    store.crawl.save_validators("https://o/feed", '"v1"', "Mon, 01 Jan 2026 00:00:00 GMT")
    assert store.crawl.validators("https://o/feed") == ('"v1"', "Mon, 01 Jan 2026 00:00:00 GMT")
    store.crawl.save_validators("https://o/feed", None, "Tue, 02 Jan 2026 00:00:00 GMT")
    assert store.crawl.validators("https://o/feed") == (None, "Tue, 02 Jan 2026 00:00:00 GMT")


def test_runs_tell_each_worker_whether_to_resume(store: Store) -> None:
    assert store.crawl.has_runs() is False and store.crawl.last_run() is None
    assert store.crawl.last_run_interrupted("w1") is False
    run = store.crawl.start_run("crawl", worker="w1")
    assert store.crawl.last_run_interrupted("w1") is True
    assert store.crawl.last_run_interrupted("w2") is False  # another crawler's run
    store.crawl.finish_run(run, "finished", {"new": 2, "названия": ["ü"]})
    assert store.crawl.last_run_interrupted("w1") is False
    stopped = store.crawl.start_run("crawl", worker="w2")
    assert stopped > run
    store.crawl.finish_run(stopped, "stopped", {})
    assert store.crawl.last_run_interrupted("w2") is True
    running = store.crawl.start_run("crawl")
    assert store.crawl.last_run_interrupted("") is True
    last = store.crawl.last_run()
    assert last is not None and last["id"] == stopped and last["stats"] == {}
    since = store.crawl.runs_since("2000-01-01T00:00:00+00:00")
    assert [r["id"] for r in since] == [run, stopped]  # the running one left out
    assert since[0]["stats"] == {"new": 2, "названия": ["ü"]} and since[0]["worker"] == "w1"
    assert store.crawl.runs_since("2999-01-01T00:00:00+00:00") == []
    simulated = store.crawl.add_simulated_run(
        "2020-01-01T00:00:00+00:00", "2020-01-01T01:00:00+00:00", {"new": 1}
    )
    assert simulated > running and store.crawl.has_runs() is True
    old = store.crawl.runs_since("2019-01-01T00:00:00+00:00")
    assert [r["id"] for r in old] == [simulated, run, stopped]
    assert old[0]["stats"] == {"new": 1, "simulated": True} and old[0]["command"] == "simulated"


def test_leases_give_each_url_to_one_crawler(store: Store) -> None:
    urls = [f"https://o/a/{n}" for n in range(1, 5)]
    for url in urls:
        store.crawl.discover(url, "s", "https://o/feed", FeedHints())
    started = store.crawl.clock()
    assert abs(started - time.time()) < 5
    # Held by w1: w2 is refused, w1 may renew.
    assert store.crawl.lease(urls[0], "w1", 60, started, refresh=False) is True
    assert store.crawl.lease(urls[0], "w2", 60, started, refresh=False) is False
    assert store.crawl.lease(urls[0], "w1", 60, started, refresh=False) is True
    assert store.crawl.lease("https://o/unknown", "w1", 60, started, refresh=False) is False
    # An expired lease (a crashed crawler's) is taken over.
    assert store.crawl.lease(urls[1], "w1", -10, started, refresh=False) is True
    assert store.crawl.lease(urls[1], "w2", 60, started, refresh=False) is True
    # Settled during this run: refused to everyone in it, even with refresh.
    store.crawl.settle(urls[2], "failed", "timeout")
    assert store.crawl.lease(urls[2], "w1", 60, started, refresh=True) is False
    free, held = store.crawl.unleased_pending(["s"], started, "w2")
    assert [p.url for p in free] == [urls[1], urls[3]] and held == 1  # urls[0] is w1's
    free, held = store.crawl.unleased_pending(["s"], started, "w1")
    assert [p.url for p in free] == [urls[0], urls[3]] and held == 1  # urls[1] is w2's now
    assert store.crawl.unleased_pending([], started, "w1") == ([], 0)
    # A done URL: a later run refreshes it only when asked to.
    store.crawl.settle(urls[0], "done")
    settled = store.crawl.clock()
    assert store.crawl.lease(urls[0], "w2", 60, started, refresh=True) is False
    assert store.crawl.lease(urls[0], "w2", 60, settled + 1, refresh=False) is False
    assert store.crawl.lease(urls[0], "w2", 60, settled + 1, refresh=True) is True
    # A failed URL is retried by a later run, and its settlement ends the lease.
    assert store.crawl.lease(urls[2], "w1", 60, settled + 1, refresh=False) is True
    free, held = store.crawl.unleased_pending(["s"], settled + 1, "w2")
    assert [p.url for p in free] == [urls[1], urls[3]] and held == 1  # urls[1]: its own
    free, held = store.crawl.unleased_pending(["s"], settled + 1, "w3")
    assert [p.url for p in free] == [urls[3]] and held == 2
    store.crawl.settle(urls[1], "done")
    free, held = store.crawl.unleased_pending(["s"], settled + 1, "w3")
    assert [p.url for p in free] == [urls[3]] and held == 1


def test_request_slots_are_spaced_per_domain(store: Store) -> None:
    assert store.crawl.reserve_request("o.example", 10.0) == pytest.approx(0.0, abs=0.5)
    assert store.crawl.reserve_request("o.example", 10.0) == pytest.approx(10.0, abs=1.0)
    assert store.crawl.reserve_request("o.example", 10.0) == pytest.approx(20.0, abs=1.0)
    assert store.crawl.reserve_request("t.example", 10.0) == pytest.approx(0.0, abs=0.5)
    with Store(store.home) as other:  # another crawler queues behind
        assert other.crawl.reserve_request("o.example", 10.0) == pytest.approx(30.0, abs=1.0)
    assert store.crawl.reserve_request("u.example", 0.2) == pytest.approx(0.0, abs=0.2)
    time.sleep(0.3)
    assert store.crawl.reserve_request("u.example", 0.2) == pytest.approx(0.0, abs=0.1)
    clock = store.crawl.clock()
    assert isinstance(clock, int) and abs(clock - time.time()) < 5


# -- transactions, snapshots, read-only ----------------------------------------------------------


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError, match="killed"), store.transaction():
        stored(store, article(1))
        store.crawl.discover("https://o/a/1", "s", "feed", FeedHints())
        store.events.replace_for_article("a1", [event("A", "arrest")])
        queue(store, "k1")
        raise RuntimeError("killed")
    assert store.archive.count() == 0 and store.archive.count("captures") == 0
    assert store.archive.article("a1") is None and store.archive.label_values("tag") == []
    assert store.crawl.pending(["s"]) == [] and store.outbox.pending() == []
    assert run_search(store, "text").total == 0
    assert store.db.in_transaction is False


def test_a_nested_transaction_rolls_back_only_its_part(store: Store) -> None:
    with store.transaction():
        stored(store, article(1))
        with pytest.raises(RuntimeError), store.transaction():
            stored(store, article(2))
            store.crawl.discover("https://o/a/2", "s", "feed", FeedHints())
            raise RuntimeError
        with store.transaction():
            stored(store, article(3))
        assert ids(store.archive.articles()) == ["a1", "a3"]
    assert store.db.in_transaction is False
    assert ids(store.archive.articles()) == ["a1", "a3"]
    assert store.crawl.pending(["s"]) == []
    assert sorted(r["id"] for r in run_search(store, "text").results) == ["a1", "a3"]
    # A failure after the inner part committed rolls back all of it.
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            stored(store, article(4))
        raise RuntimeError
    assert ids(store.archive.articles()) == ["a1", "a3"]


def test_a_snapshot_sees_one_state_while_another_connection_commits(store: Store) -> None:
    stored(store, article(1))
    with Store(store.home) as reader:
        with reader.snapshot():
            assert reader.archive.count() == 1
            high = reader.marks.high_water()
            stored(store, article(2))  # a crawl commits meanwhile
            assert reader.archive.count() == 1
            assert reader.marks.high_water() == high
            assert ids(reader.archive.articles()) == ["a1"]
            with reader.snapshot():  # nested: the same snapshot
                assert reader.archive.count() == 1
        assert reader.archive.count() == 2
        assert reader.marks.high_water() > high
        assert reader.db.in_transaction is False


def test_a_snapshot_is_a_read_transaction(store: Store, request: pytest.FixtureRequest) -> None:
    """``Snapshot`` is documented as a read transaction; PostgreSQL's is READ ONLY."""
    with pytest.raises(DB_ERRORS), store.snapshot():
        store.marks.move("daily", 1, "2026-01-01T00:00:00+00:00")
    assert store.db.in_transaction is False
    assert store.marks.get("daily") is None


def test_a_readonly_store_refuses_writes(store: Store) -> None:
    stored(store, article(1))
    with Store(store.home, readonly=True) as reader:
        record = reader.archive.article("a1")
        assert record is not None and record["title"] == "Title 1"
        assert run_search(reader, "text").total == 1
        with pytest.raises(DB_ERRORS), reader.transaction():
            stored(reader, article(2))
        with pytest.raises(DB_ERRORS):
            reader.crawl.discover("https://o/a/9", "s", "feed", FeedHints())
        with pytest.raises(DB_ERRORS):
            reader.set_meta("registry", "changed")
        assert reader.archive.count() == 1 and reader.get_meta("registry") is None
    assert store.archive.count() == 1 and store.crawl.pending(["s"]) == []
    assert store.get_meta("registry") is None


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every connection ``Store`` opens; all closed at the end, so that none left open by the
    code under test warns in a later test."""
    import tmwatch.store as store_module

    made: list[Any] = []

    def recording(factory: Any) -> Any:
        def connect(*args: Any, **kwargs: Any) -> Any:
            db = factory(*args, **kwargs)
            made.append(db)
            return db

        return connect

    monkeypatch.setattr(store_module, "connect", recording(store_module.connect))
    monkeypatch.setattr(store_module, "connect_postgres", recording(store_module.connect_postgres))
    yield made
    for db in made:
        db.close()


def is_closed(db: Any) -> bool:
    if db.dialect == POSTGRESQL:
        return bool(db.connection.closed)
    try:
        db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def empty_home(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> DataHome:
    """A home whose store location holds nothing: an empty database, or an empty file."""
    if engine == "postgresql":
        return DataHome(tmp_path / "home", store=request.getfixturevalue("postgres_db"))
    home = DataHome(tmp_path / "home").create()
    home.db_path.touch()
    return home


def table_count(home: DataHome) -> int:
    if home.store:
        with psycopg.connect(home.store) as raw:
            row = raw.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            ).fetchone()
            assert row is not None
            return int(row[0])
    with sqlite3.connect(home.db_path) as raw:
        return int(raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_empty_location_is_refused_read_only_and_left_empty(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest, opened: list[Any]
) -> None:
    from tmwatch.store import StoreError

    home = empty_home(engine, tmp_path, request)
    with pytest.raises(StoreError, match="empty"):
        Store(home, readonly=True)
    with pytest.raises(StoreError, match="empty"):
        Store(home, create=False)
    assert table_count(home) == 0
    with Store(home) as created:  # created only when asked to
        assert stored_version(created.db) == LATEST
    assert table_count(home) > 0


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_refused_store_closes_its_connection(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest, opened: list[Any]
) -> None:
    from tmwatch.store import StoreError

    home = empty_home(engine, tmp_path, request)
    with pytest.raises(StoreError):
        Store(home, create=False)
    assert len(opened) == 1
    assert is_closed(opened[0])


def test_a_password_never_shows_in_a_url_or_an_error(postgres_url: str) -> None:
    """libpq takes a password in the user part or as a ``password=`` parameter: both are
    masked in every message tmwatch prints."""
    from tmwatch.store.database import connect_postgres, redacted

    shown = redacted("postgresql://u:s3cret@db.example/tmwatch?sslmode=require&password=zz9")
    assert "s3cret" not in shown and "zz9" not in shown
    assert shown == "postgresql://u:***@db.example/tmwatch?sslmode=require&password=***"
    server = urlsplit(postgres_url)
    wrong = f"postgresql://nobody@{server.hostname}:{server.port}/x?password=topsecret42"
    with pytest.raises(ConnectionError) as refused:
        connect_postgres(wrong)
    assert "topsecret42" not in str(refused.value) and "password=***" in str(refused.value)
