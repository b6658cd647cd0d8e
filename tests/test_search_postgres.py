"""Search on PostgreSQL gives what search on SQLite gives (``tmwatch.store.pg_search``).

Real engines only: the sample articles go through the real ingest pipeline into one SQLite and
one PostgreSQL store, and the same queries must find the same articles, totals, bounds,
orderings and facets in both. The FTS5-to-tsquery translation is also checked against FTS5
itself, on random expressions over a small table in each engine.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest

from tests.helpers import invoke, random_fts5_expression
from tests.pg_cluster import scratch_database
from tmwatch.config.registry import load_registry
from tmwatch.config.user import ConfigFiles
from tmwatch.output.search import Filters, QueryError, SearchResult, run_search, search
from tmwatch.pipeline.ingest import ingest
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Capture
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.render import ALL_ARTICLES, article_page
from tmwatch.store import Store, archive, pg_schema, pg_search
from tmwatch.store.archive import SearchSyntaxError
from tmwatch.store.database import PostgresDatabase, translate
from tmwatch.store.fts_syntax import parse
from tmwatch.store.home import DataHome
from tmwatch.store.pg_search import _hits, _Match, _Pairs, _where, to_tsquery
from tmwatch.store.search_results import ArticleFilter

BASE = "http://127.0.0.1:9"
FILES = ConfigFiles(packaged_only=True)
WATCHLIST = FILES.load_watchlist()
# The sample outlets whose source key is not the outlet's name in the sample server.
SOURCE_OF = {
    "azathabar": "azathabar-tk",
    "azattyqasia": "azathabar-ru",
    "turkmen-news": "turkmen-news-ru",
    "en-turkmen-news": "turkmen-news-en",
    "hronikatm": "hronikatm-ru",
}


# -- to_tsquery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"taganov" *', "'taganov':*"),
        ("taganova", "'taganova'"),
        ('folded : ("taganov" *)', "'taganov':*"),
        ('folded : "a" + "b"', "('a' <-> 'b')"),
        ('"deportats" * + "tsentr" *', "('deportats':* <-> 'tsentr':*)"),
        ('"deportation centre"', "('deportation' <-> 'centre')"),
        ('"a b" *', "('a' <-> 'b':*)"),
        ('"a" "b"', "('a' & 'b')"),
        ('"a" AND "b" OR "c"', "(('a' & 'b') | 'c')"),
        ('"a" OR "b" AND "c"', "('a' | ('b' & 'c'))"),
        ('"a" AND "b" NOT "c"', "('a' & ('b' & !'c'))"),
        ('"a" NOT "b" NOT "c"', "(('a' & !'b') & !'c')"),
        ('"a" NOT "b" "c"', "('a' & !('b' & 'c'))"),
        ('"a" "b" OR "c"', "(('a' & 'b') | 'c')"),
        ('("a" OR "b") AND NOT_A_KEYWORD', "(('a' | 'b') & ('not' <-> 'a' <-> 'keyword'))"),
        ('(("a" OR ("b")) NOT "c")', "(('a' | 'b') & !'c')"),
        (
            'folded : ("a" * OR "b" *) AND folded : ("c" * + "d" *)',
            "(('a':* | 'b':*) & ('c':* <-> 'd':*))",
        ),
        ('"it""s"', "('it' <-> 's')"),
        ('"o\'brien"', "('o' <-> 'brien')"),
    ],
)
def test_to_tsquery_writes_the_fts5_expression_as_a_tsquery(expression: str, expected: str) -> None:
    assert to_tsquery(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "",
        '"a" AND',
        'NOT "a"',
        '"a" OR OR "b"',
        '("a"',
        '"a")',
        "()",
        '"a" (b)',
        '("a") "b"',
        '"a" folded : ("b")',
        'title : ("a")',
        '"a" +',
        '* "a"',
        '"a" ; "b"',
        '^"a"',
        'NEAR("a" "b")',
        '""',
    ],
)
def test_to_tsquery_rejects_what_it_cannot_parse(expression: str) -> None:
    with pytest.raises(SearchSyntaxError) as raised:
        to_tsquery(expression)
    assert "\n" not in str(raised.value)


# -- to_tsquery against FTS5 itself ---------------------------------------------------------------

LETTERS = "abc"
DOCUMENTS = [
    " ".join(random.Random(n).choice(["a", "ab", "b", "bc", "c", "ca"]) for _ in range(n % 5 + 1))
    for n in range(40)
]


def _random_tokens(rng: random.Random) -> str:
    """A jumble of FTS5 tokens: mostly errors, some not, for both parsers to judge alike."""
    pieces = ['"a"', '"b" *', "AND", "OR", "NOT", "(", ")", "folded :", "+", "c"]
    return " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))


@pytest.fixture(scope="module")
def engines(postgres_url: str) -> Iterator[tuple[sqlite3.Connection, Any]]:
    """The small table in FTS5 and in PostgreSQL, the index column built as the store's is."""
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE VIRTUAL TABLE t USING fts5(folded)")
    lite.executemany("INSERT INTO t(rowid, folded) VALUES (?, ?)", enumerate(DOCUMENTS))
    with scratch_database(postgres_url) as url, psycopg.connect(url, autocommit=True) as pg:
        pg.execute(
            "CREATE TABLE t (id INT, folded TEXT, "
            "document TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED)"
        )
        with pg.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (%s, %s)", list(enumerate(DOCUMENTS)))
        yield lite, pg
    lite.close()


def _fts5(lite: sqlite3.Connection, expression: str) -> set[int] | None:
    try:
        return {r[0] for r in lite.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,))}
    except sqlite3.OperationalError:
        return None


def _tsquery(pg: Any, expression: str) -> set[int] | None:
    try:
        query = to_tsquery(expression)
    except SearchSyntaxError:
        return None
    rows = pg.execute(
        "SELECT id FROM t WHERE document @@ to_tsquery('simple', %s)", (query,)
    ).fetchall()
    return {r[0] for r in rows}


def test_tsqueries_match_what_fts5_matches(engines: tuple[sqlite3.Connection, Any]) -> None:
    lite, pg = engines
    rng = random.Random(5)
    for _ in range(300):
        expression = random_fts5_expression(rng, LETTERS)
        assert _fts5(lite, expression) is not None, expression
        assert _tsquery(pg, expression) == _fts5(lite, expression), expression


def test_to_tsquery_rejects_exactly_what_fts5_rejects(
    engines: tuple[sqlite3.Connection, Any],
) -> None:
    lite, pg = engines
    rng = random.Random(6)
    for _ in range(400):
        expression = _random_tokens(rng)
        assert _tsquery(pg, expression) == _fts5(lite, expression), expression


# -- the phrase pairs' index --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"deportation" * + "centr" *', "('deport centr':*)"),
        ('"deportatsion" * + "tsentr" *', "('deport tsentr')"),
        ('"deportation" + "centre"', "('deport centre')"),
        ('"a" + "rahmanov" *', "('a rahman')"),
        ('"ab" * + "rahmanov" *', None),  # a short prefix first: too many pairs to read
        ('"human" + "rights" + "watch"', "('human rights' & 'rights watch')"),
        ('"human" * + "right" * + "watch" *', None),  # short prefixes only
        ('"taganov" *', None),
        ('"a" + "b" OR "c"', None),  # an OR side with no pair
        ('"a" + "b" OR "c" + "d"', "(('a b') | ('c d'))"),
        ('"a" + "b" AND "c"', "(('a b'))"),
        ('"a" + "b" NOT "c" + "d"', "('a b')"),
        ('"a" "b" + "c"', "(('b c'))"),
        ('"ä" + "b"', None),  # a word the parser may not keep whole
    ],
)
def test_a_phrase_reads_its_pairs(expression: str, expected: str | None) -> None:
    assert parse(expression, _Pairs()) == expected


PAIR_WORDS = [
    "deportation", "deportations", "deport", "centre", "central", "centr", "tsentr", "a", "ab",
    "abcdefgh", "abcdefxy", "human", "rights", "watch",
]  # fmt: skip


def _random_phrase_expression(rng: random.Random, depth: int = 0) -> str:
    """Phrases of long and short words, some as prefixes (cut anywhere), combined."""
    if depth > 1 or rng.random() < 0.5:
        words = []
        for _ in range(rng.randint(1, 3)):
            word = rng.choice(PAIR_WORDS)
            if rng.random() < 0.5:
                words.append(f'"{word[: rng.randint(1, len(word))]}" *')
            else:
                words.append(f'"{word}"')
        return " + ".join(words)
    operator = rng.choice(["AND", "OR", "NOT"])
    left, right = (_random_phrase_expression(rng, depth + 1) for _ in range(2))
    return f"({left}) {operator} ({right})"


def test_the_pairs_index_keeps_every_match(postgres_url: str) -> None:
    """The pairs (``search_pairs``, built by the store's own migration) are a condition every
    match meets: a search through them finds exactly what the tsquery alone finds; and so does
    each way a search chooses for itself (the rarest side of an AND, no pairs when dense)."""
    rng = random.Random(7)
    documents = [
        " ".join(rng.choice(PAIR_WORDS) for _ in range(rng.randint(1, 12))) for _ in range(300)
    ]
    with scratch_database(postgres_url) as url, psycopg.connect(url, autocommit=True) as pg:
        pg.execute(
            "CREATE TABLE search_index (rowid INT, article_id TEXT, folded TEXT, "
            "document TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED)"
        )
        for statement in pg_schema.MIGRATIONS[13]:
            if "search_pairs" in statement:  # the pairs' function and index, not the others
                pg.execute(translate(statement))
        with pg.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_index VALUES (%s, %s, %s)",
                [(n, f"a{n}", document) for n, document in enumerate(documents)],
            )
        pg.execute("ANALYZE search_index")
        paired, chosen = 0, set()
        for _ in range(400):
            expression = _random_phrase_expression(rng)
            plain = pg.execute(
                "SELECT rowid FROM search_index WHERE document @@ to_tsquery('simple', %s)",
                (to_tsquery(expression),),
            ).fetchall()
            bound = rng.choice([1, 5, 50])
            for match in (_Match(expression), _Match(expression, PostgresDatabase(pg), bound)):
                paired += "search_pairs" in match.condition
                chosen.add(match.condition)
                found = pg.execute(
                    f"SELECT h.rowid FROM search_index h WHERE {translate(match.condition)}",
                    match.params,
                ).fetchall()
                assert sorted(found) == sorted(plain), expression
                # The newest hits, read first from a window of the newest rows.
                match.window = rng.choice([0, 1, 10, 100])
                newest = sorted((r[0] for r in plain), reverse=True)[:bound]
                hits = _hits(SimpleNamespace(db=PostgresDatabase(pg)), match, bound)
                assert [r["hit"] for r in hits] == newest, expression
        assert paired > 100  # the pairs were used, not only the plain tsquery
        assert len(chosen) == 3  # and each way of finding the hits


# -- the same archive in both engines -----------------------------------------------------------


@dataclass(frozen=True)
class Stores:
    sqlite: Store
    postgres: Store
    sqlite_home: Path
    postgres_url: str


def _fill(store: Store) -> None:
    """The sample articles through the real pipeline (extraction, language, tagging, dedup),
    as a crawl stores them, in one fixed order so both engines number their rows alike."""
    registry = load_registry(SAMPLE_REGISTRY, base=BASE)
    tagger = Tagger(WATCHLIST, FILES.load_topics())
    for article in ALL_ARTICLES:
        source = registry.sources[SOURCE_OF.get(article.outlet, article.outlet)]
        url = f"{BASE}/{article.outlet}/{article.path}"
        others = [a for a in ALL_ARTICLES if a.outlet == article.outlet and a is not article]
        capture = Capture(
            source=source.key,
            url=url,
            final_url=url,
            status=200,
            headers={"Content-Type": f"text/html; charset={article.encoding}"},
            body=article_page(article, BASE, others).encode(article.encoding),
            fetched_at="2026-11-28T00:00:00+00:00",
        )
        ingest(store, capture, source, tagger)


@pytest.fixture(scope="module")
def stores(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    """One module-wide pair (a store per test would ingest 87 pages twice for each), in a
    scratch database of its own, like ``postgres_db``'s."""
    lite_home = tmp_path_factory.mktemp("search-sqlite")
    with scratch_database(postgres_url) as url:
        with Store(DataHome(lite_home)) as lite, Store(DataHome(lite_home, store=url)) as pg:
            _fill(lite)
            _fill(pg)
            assert lite.archive.count() == pg.archive.count() > 80
            yield Stores(lite, pg, lite_home, url)


FILTERS: dict[str, dict[str, str]] = {
    "none": {},
    "tag": {"tag": "detention"},
    "tag2": {"tag": "turkmen-detention-turkey"},
    "person": {"person": "Dursoltan Taganova"},
    "person2": {"person": "Rakhmanov"},
    "lang": {"language": "ru"},
    "lang-tr": {"language": "tr"},
    "dates": {"since": "2021-09-01", "until": "2021-10-15"},
    "outlet": {"outlet": "Turkmen.News"},
    "outlet2": {"outlet": "azathabar-tk"},
    "mixed": {"tag": "detention", "language": "ru", "since": "2021-09-01"},
}

QUERIES: list[tuple[str | None, str]] = [
    ("Taganova", "none"),
    ("Таганова", "none"),
    ("Taganowa", "none"),
    ("Тагановой", "lang"),
    ("Dursoltan Taganova", "none"),
    ('"Dursoltan Taganova"', "dates"),
    ('"Дурсолтан Таганову"', "none"),
    ("Rakhmanov", "none"),
    ("Рахманов", "tag"),
    ("Rahmanow", "none"),
    ("Akhmed Rakhmanov", "person2"),
    ("Ahmet", "none"),
    ('"deportation centre"', "none"),
    ('"депортационный центр"', "none"),
    ('"deportasiýa merkezine"', "none"),
    ("deport", "none"),
    ("deport", "tag"),
    ("депорт", "lang"),
    ("aktivist", "none"),
    ("aktiwist", "outlet2"),
    ("activist OR aktivist", "none"),
    ("Turkmen", "none"),
    ("Turkmen", "mixed"),
    ("Туркмен", "dates"),
    ("Türkmen", "lang-tr"),
    ("Istanbul OR Стамбул", "none"),
    ("Istanbul AND deport", "none"),
    ("Istanbul NOT deport", "none"),
    ("Turkmen NOT Taganova", "tag2"),
    ("(Taganova OR Rakhmanov) AND deport", "none"),
    ("(Taganova OR Rakhmanov) NOT (Istanbul OR Стамбул)", "none"),
    ("Taganova OR Rakhmanov Istanbul", "none"),
    ("Taganova Rakhmanov OR Mamedov", "person"),
    ("Мамедов", "none"),
    ("Allalyev OR Аллалыев", "none"),
    ("Abulov", "outlet"),
    ("Annayev OR Badrov OR Durdyev", "none"),
    ("police OR полиция OR polis", "dates"),
    ("pasport", "none"),
    ("консульств", "none"),
    ("hukuk", "none"),
    ("gözaltı OR gözaltına", "none"),
    ("human rights", "none"),
    ('"human rights watch"', "none"),
    ("nonexistentword", "none"),
    (None, "none"),
    (None, "tag"),
    (None, "lang"),
    (None, "dates"),
    (None, "person"),
    (None, "mixed"),
]

LIMITS = {
    "archive": (archive.COUNT_LIMIT, archive.RANK_LIMIT),
    "small": (6, 12),
    "tiny": (3, 40),
    "wide": (20, 5),
}
"""(COUNT_LIMIT, RANK_LIMIT): the real bounds, which 87 articles never reach, and small ones
that make bounded totals (ranked and not), partial facet counts and the "newest" ordering
happen here; "wide" counts further than it ranks, so that every hit of a query ordered newest
first may be known from the first reading."""


def _walk(store: Store, query: str | None, filters: dict[str, str]) -> list[SearchResult]:
    """Every page of a search, 7 results at a time, as a user pages through them."""
    pages = []
    for offset in range(0, 200, 7):
        page = run_search(store, query, limit=7, offset=offset, watchlist=WATCHLIST, **filters)
        pages.append(page)
        if not page.results:
            break
    return pages


def _ids(page: SearchResult) -> list[str]:
    return [r["id"] for r in page.results]


def _facets(store: Store, query: str | None, filters: dict[str, str], offset: int) -> Any:
    found = search(store, query, Filters(**filters, limit=7, offset=offset), WATCHLIST, facets=True)
    return found.facets, found.total, found.total_is_lower_bound, _ids(found)


@pytest.mark.parametrize("bounds", sorted(LIMITS))
@pytest.mark.parametrize(("query", "filtered"), QUERIES)
def test_postgres_finds_what_sqlite_finds(
    stores: Stores,
    monkeypatch: pytest.MonkeyPatch,
    bounds: str,
    query: str | None,
    filtered: str,
) -> None:
    count_limit, rank_limit = LIMITS[bounds]
    monkeypatch.setattr(archive, "COUNT_LIMIT", count_limit)
    monkeypatch.setattr(archive, "RANK_LIMIT", rank_limit)
    filters = FILTERS[filtered]
    lite = _walk(stores.sqlite, query, filters)
    pg = _walk(stores.postgres, query, filters)
    first = lite[0]
    summary = [(p.total, p.total_is_lower_bound, p.ranked_by) for p in lite]
    assert [(p.total, p.total_is_lower_bound, p.ranked_by) for p in pg] == summary
    if first.ranked_by == "relevance":
        union = [i for p in lite for i in _ids(p)]
        assert len(union) == len(set(union)), "pages overlap"
        assert first.total_is_lower_bound or len(union) == first.total, "pages skip"
        assert {i for p in pg for i in _ids(p)} == set(union)
        assert sum(len(p.results) for p in pg) == len(union)
    else:
        assert [_ids(p) for p in pg] == [_ids(p) for p in lite]
    for offset in (0, 7, 21):
        assert (
            _facets(stores.postgres, query, filters, offset)[:3]
            == _facets(stores.sqlite, query, filters, offset)[:3]
        )
    if first.ranked_by != "relevance":
        assert _facets(stores.postgres, query, filters, 7) == _facets(
            stores.sqlite, query, filters, 7
        )


def test_the_parity_queries_cover_every_ordering_and_bound(stores: Stores) -> None:
    """The parity test above means something only if its queries find things, in each way."""
    seen = set()
    for count_limit, rank_limit in LIMITS.values():
        archive_limits = (archive.COUNT_LIMIT, archive.RANK_LIMIT)
        archive.COUNT_LIMIT, archive.RANK_LIMIT = count_limit, rank_limit
        try:
            for query, filtered in QUERIES:
                page = run_search(stores.sqlite, query, watchlist=WATCHLIST, **FILTERS[filtered])
                seen.add((page.ranked_by, page.total_is_lower_bound, page.total > 0))
        finally:
            archive.COUNT_LIMIT, archive.RANK_LIMIT = archive_limits
    assert {("relevance", False, True), ("newest", False, True), ("newest", True, True)} <= seen
    assert {("date", True, True), ("date", False, True), ("relevance", True, True)} <= seen


def test_archive_facets_agree(stores: Stores) -> None:
    """``Archive.facets`` on its own (its default bound, and a small one)."""
    for expression in ('folded : ("taganov" *)', 'folded : ("turkmen" *)', None):
        for limit in (archive.FACET_LIMIT, 5):
            where = archive.ArticleFilter(language="ru")
            assert stores.postgres.archive.facets(expression, where, limit) == (
                stores.sqlite.archive.facets(expression, where, limit)
            )


# -- bad queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Taganova AND", "NOT Taganova", "(Taganova", "Taganova OR OR x"])
def test_a_bad_query_is_the_same_error_on_both_engines(stores: Stores, query: str) -> None:
    errors = []
    for store in (stores.sqlite, stores.postgres):
        with pytest.raises(QueryError) as raised:
            run_search(store, query, watchlist=WATCHLIST)
        errors.append(str(raised.value))
    assert errors[0].startswith("cannot understand the query (fts5: syntax error near")
    assert errors[1] == errors[0]


def test_the_command_line_reports_a_bad_query_in_one_line(postgres_db: str, tmp_path: Path) -> None:
    """The same one line, exit status 2, as on SQLite (a store with no articles will do: the
    query is judged before anything is read)."""
    lite_home, pg_home = tmp_path / "sqlite", tmp_path / "postgres"
    Store(DataHome(lite_home)).close()
    Store(DataHome(pg_home, store=postgres_db)).close()
    lite = invoke("search", "Taganova AND", home=lite_home)
    pg = invoke("--store", postgres_db, "search", "Taganova AND", home=pg_home)
    assert (pg.returncode, pg.stderr) == (lite.returncode, lite.stderr) == (2, pg.stderr)
    (line,) = pg.stderr.strip().splitlines()
    assert line.endswith('bad query: cannot understand the query (fts5: syntax error near "")')


# -- the web interface's time limit -------------------------------------------------------------


def test_a_search_past_its_time_is_the_same_400_on_postgres(stores: Stores) -> None:
    """``statement_timeout`` cancels the statement; the request gets SQLite's one line, and the
    reader connection gets its default back for the next request."""
    from starlette.exceptions import HTTPException

    from tmwatch.web.searching import answering

    db = stores.postgres.db
    before = db.execute("SHOW statement_timeout").fetchone()[0]
    with pytest.raises(HTTPException) as raised, answering(stores.postgres, {}, 0.05):
        db.execute("SELECT pg_sleep(2)")
    assert raised.value.status_code == 400
    assert str(raised.value.detail).startswith("the search took longer than 0 seconds")
    assert db.execute("SHOW statement_timeout").fetchone()[0] == before
    with pytest.raises(HTTPException) as raised, answering(stores.postgres, {}):
        run_search(stores.postgres, "Taganova AND", watchlist=WATCHLIST)
    assert raised.value.detail == (
        'bad query: cannot understand the query (fts5: syntax error near "")'
    )
    with answering(stores.postgres, {}, 5):
        assert run_search(stores.postgres, "Taganova", watchlist=WATCHLIST).total > 5
    assert db.execute("SHOW statement_timeout").fetchone()[0] == before


def test_a_search_keeps_its_settings_to_itself(stores: Stores) -> None:
    """A search's statements run in a snapshot of their own with the planner settings they
    need (SET LOCAL); inside a transaction of the caller's, the caller's settings come back."""
    db = stores.postgres.db
    names = ("jit", "work_mem", "plan_cache_mode", "max_parallel_workers_per_gather")
    settings = "SELECT " + ", ".join(f"current_setting('{name}')" for name in names)
    before = tuple(db.execute(settings).fetchone())
    assert run_search(stores.postgres, "Taganova", watchlist=WATCHLIST).total > 5
    assert not db.in_transaction
    with stores.postgres.snapshot():
        run_search(stores.postgres, '"deportation centre"', watchlist=WATCHLIST)
        assert db.in_transaction
        assert tuple(db.execute(settings).fetchone()) == before
    assert tuple(db.execute(settings).fetchone()) == before


@pytest.mark.parametrize(
    "where",
    [
        ArticleFilter(tag="detention", language="ru"),
        ArticleFilter(tag="turkmen-detention-turkey", language="tr"),
        ArticleFilter(tag="detention", language="ru", since="2021-09-01"),
        ArticleFilter(tag="detention", persons=("Dursoltan Taganova",)),
        ArticleFilter(tag="no-such-tag", language="ru"),
    ],
)
def test_a_window_of_the_newest_articles_finds_the_newest_of_a_tag(
    stores: Stores, monkeypatch: pytest.MonkeyPatch, where: ArticleFilter
) -> None:
    """A tag with other clauses is read from a window of the newest articles the other clauses
    keep (``_newest_ids``): the same ids, in the same order, as the whole archive gives, whether
    the window holds them all, falls short, or holds more than there are."""
    clauses, params = where.sql()
    db = stores.postgres.archive.db
    whole = [
        row["id"]
        for row in db.execute(
            f"SELECT a.id AS id FROM articles a WHERE TRUE{_where(clauses)} "
            "ORDER BY a.published DESC NULLS LAST, a.id NULLS LAST",
            params,
        )
    ]
    assert where.tag == "no-such-tag" or len(whole) > 3
    for window in (1, 2, 3, 5, 8, 1000):
        monkeypatch.setattr(pg_search, "_tag_window", lambda *_, size=window: size)
        for bound in (1, 2, 4, 7, 50):
            found = pg_search._newest_ids(stores.postgres.archive, where, bound)
            assert [row["id"] for row in found] == whole[:bound], (window, bound)
