"""SQLite's list of indexed words, and prefix queries spelt out with it (store/fts_terms.py).

The spelt-out expression must match exactly what the prefix expression matches, whatever the
text: the words come from FTS5's own tokenizer, so these tests compare with FTS5 itself."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import tmwatch.store.archive as archive_module
from tests.helpers import invoke, make_article, random_fts5_expression
from tmwatch.output.search import Filters, search
from tmwatch.store import DataHome, Store, fts_terms
from tmwatch.store.fts_terms import record_terms, spelt_out
from tmwatch.store.migrations import LATEST, stored_version
from tmwatch.store.search_results import SearchSyntaxError

WORDS = ["tsentr", "tsentra", "tsentre", "ts", "tsar", "aktivist", "aktivista", "a", "ab", "abc"]
PREFIXES = ["t", "ts", "tse", "tsentr", "a", "ak", "ab", "str", "caf", "x", "ελ"]
ODD = ["café", "STRASSE", "straße", "Ελλάδα", "東京", "naïve", "ǆemal", "x²", "o'brien"]


def _documents() -> list[str]:
    rng = random.Random(3)
    return [" ".join(rng.choice(WORDS + ODD) for _ in range(rng.randint(1, 8))) for _ in range(80)]


@pytest.fixture
def indexed(tmp_path: Path) -> Iterator[Store]:
    """A store whose search index holds the documents, indexed as the archive indexes."""
    with Store(DataHome(tmp_path)) as store, store.transaction():
        for number, text in enumerate(_documents()):
            store.db.execute(
                "INSERT INTO search_index(rowid, article_id, folded) VALUES (?, ?, ?)",
                (number + 1, f"a{number}", text),
            )
            record_terms(store.db, text)
    with Store(DataHome(tmp_path)) as store:
        yield store


def _matches(store: Store, expression: str) -> set[int]:
    rows = store.db.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH ?", (expression,)
    )
    return {int(r[0]) for r in rows}


def _vocabulary(store: Store) -> set[str]:
    store.db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, search_index, row)"
    )
    return {str(r[0]) for r in store.db.execute("SELECT term FROM temp.v")}


def _terms(store: Store) -> set[str]:
    return {str(r[0]) for r in store.db.execute("SELECT term FROM search_terms")}


def test_the_word_list_is_fts5s_own_vocabulary(indexed: Store) -> None:
    assert _terms(indexed) == _vocabulary(indexed)
    assert {"strasse", "cafe", "naive", "tsentra"} <= _terms(indexed)  # folded as FTS5 folds


def test_a_migrated_store_lists_every_indexed_word(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store, store.transaction():
        for number, text in enumerate(_documents()):
            store.db.execute(
                "INSERT INTO search_index(article_id, folded) VALUES (?, ?)", (f"a{number}", text)
            )
        # As a store of schema 12 has it: an index, and no word list yet.
        store.db.execute("DROP TABLE search_terms")
        store.db.execute("UPDATE meta SET value = '12' WHERE key = 'schema_version'")
    migrated = invoke("migrate", home=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    with Store(DataHome(tmp_path)) as store:
        assert stored_version(store.db) == LATEST
        assert _terms(store) == _vocabulary(store)


def test_spelt_out_expressions_match_what_the_prefixes_match(indexed: Store) -> None:
    rng = random.Random(11)
    expanded = 0
    for _ in range(400):
        expression = random_fts5_expression(rng, PREFIXES, longest=3)
        written = spelt_out(indexed.db, expression)
        expanded += "*" not in written and "*" in expression
        assert _matches(indexed, written) == _matches(indexed, expression), (expression, written)
    assert expanded > 50  # most were spelt out, not left as written


def test_too_many_words_or_sequences_leave_the_prefix_as_written(
    indexed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert spelt_out(indexed.db, '"tsentr" *') == '("tsentr" OR "tsentra" OR "tsentre")'
    assert spelt_out(indexed.db, '"zz" *') == '"zz" *'  # no such word: FTS5 finds none either
    assert spelt_out(indexed.db, '"ελ" *') == '"ελ" *'  # not ASCII: left for FTS5 to read
    phrase = '"tsentr" * + "a" *'
    monkeypatch.setattr(fts_terms, "MAX_SEQUENCES", 2)
    assert spelt_out(indexed.db, phrase) == phrase
    monkeypatch.setattr(fts_terms, "MAX_TERMS", 2)
    assert spelt_out(indexed.db, '"tsentr" *') == '"tsentr" *'
    assert _matches(indexed, '"ts" *') == _matches(indexed, spelt_out(indexed.db, '"ts" *'))


def test_an_expression_fts5_cannot_parse_is_a_syntax_error(indexed: Store) -> None:
    with pytest.raises(SearchSyntaxError):
        spelt_out(indexed.db, '"a" AND')


def test_a_reindexed_article_adds_its_new_words(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        _save(store, "first", "Tsentr words only here")
        _save(store, "first", "Now about Konsulstvo and Tsentr")
        assert {"konsulstvo", "tsentr"} <= _terms(store)
        assert _terms(store) >= _vocabulary(store)


def _save(store: Store, key: str, text: str) -> None:
    """An article through the archive's own write path (which indexes it)."""
    with store.transaction():
        store.archive.save_article(
            make_article(f"s:{key}", id=key, url=f"https://o/{key}", text=text)
        )


# -- the bounded contract ----------------------------------------------------------------------


def test_a_broad_unfiltered_query_says_more_than_it_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond RANK_LIMIT hits, the total is a lower bound even without filters: the hits are
    read newest first and the reading stops, rather than counting a million matches."""
    with Store(DataHome(tmp_path)) as store:
        for number in range(9):
            _save(store, f"n{number}", f"Tsentr report number {number}")
        monkeypatch.setattr(archive_module, "RANK_LIMIT", 5)
        monkeypatch.setattr(archive_module, "COUNT_LIMIT", 5)
        broad = search(store, "tsentr", Filters(limit=3))
        monkeypatch.setattr(archive_module, "RANK_LIMIT", 50)
        ranked = search(store, "tsentr", Filters(limit=3))
    assert (broad.ranked_by, broad.total, broad.total_is_lower_bound) == ("newest", 5, True)
    assert len(broad.results) == 3
    assert (ranked.ranked_by, ranked.total, ranked.total_is_lower_bound) == ("relevance", 9, False)
