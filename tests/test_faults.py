"""Faults and hostile input: nothing crashes a run, nothing stored is lost, nothing leaks."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FAST, ROOT, cli_env, crawl_args, make_article, run_cli
from tmwatch.config.lexicons import LexiconError, load_topics, load_watchlist
from tmwatch.config.registry import RegistryError, parse_registry
from tmwatch.output.citation import as_csl, as_html, as_markdown, as_text
from tmwatch.output.render import to_atom, to_html, to_markdown
from tmwatch.output.search import Filters, QueryError, SearchResult, search
from tmwatch.pipeline.extract import ExtractionError, extract
from tmwatch.pipeline.tagging import Tagger
from tmwatch.samples.render import Resource
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.feeds import parse_feed
from tmwatch.store import Store
from tmwatch.store.home import DataHome

TAGGER = Tagger.from_files()
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- hostile servers -------------------------------------------------------------------------------

HOSTILE_REGISTRY = """
[sources.hostile]
name = "Hostile outlet"
outlet = "Hostile"
homepage = "{base}/hostile/"
languages = ["en"]
feeds = ["{base}/hostile/feed.xml"]
article_url = ['^{base}/hostile/a/[a-z0-9-]+$']
"""


def _page(title: str, extra: str = "") -> bytes:
    body = " ".join(["Turkmen activists in Istanbul say the police came to their homes."] * 8)
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<article><p>{body}</p>{extra}</article></body></html>"
    ).encode()


def test_hostile_outlet_is_contained(tmp_path: Path) -> None:
    with SampleServer(slow_delay=5.0) as server, SampleServer(slow_delay=5.0) as elsewhere:
        base, other = server.base, elsewhere.base
        items = ["ok", "huge", "loop", "pdf", "offsite"]
        feed = "".join(
            f"<item><title>{i}</title><link>{base}/hostile/a/{i}</link></item>" for i in items
        )
        feed += f"<item><title>elsewhere</title><link>{other}/hostile/a/x</link></item>"
        site = server.httpd.site
        site["/hostile/feed.xml"] = Resource(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>h</title>{feed}'
            "</channel></rss>".encode(),
            "application/rss+xml",
        )
        site["/hostile/a/ok"] = Resource(
            _page(
                "A fine page", f'<img src="{other}/pixel.gif"><a href="{other}/hostile/a/ok">x</a>'
            )
        )
        site["/hostile/a/huge"] = Resource(_page("Huge", "<p>" + "word " * 400_000 + "</p>"))
        site["/hostile/a/loop"] = Resource(b"", status=302, location=f"{base}/hostile/a/loop2")
        site["/hostile/a/loop2"] = Resource(b"", status=302, location=f"{base}/hostile/a/loop")
        site["/hostile/a/pdf"] = Resource(b"%PDF-1.4 " + b"x" * 5000, "application/pdf")
        site["/hostile/a/offsite"] = Resource(b"", status=302, location=f"{other}/hostile/a/y")
        registry = tmp_path / "hostile.toml"
        registry.write_text(HOSTILE_REGISTRY, encoding="utf-8")
        proc = run_cli(
            "crawl",
            "--registry",
            str(registry),
            "--base",
            base,
            *FAST,
            "-s",
            "DOWNLOAD_MAXSIZE=1000000",
            home=tmp_path / "home",
        )
        assert elsewhere.hits == []  # no request ever reached another host
    assert proc.returncode == 0, proc.stderr
    with Store(DataHome(tmp_path / "home")) as store:
        titles = [a["title"] for a in store.archive.articles()]
    assert titles == ["A fine page"]
    assert "refusing request to a host outside the registry" in proc.stderr
    assert "skipping non-HTML" in proc.stderr
    out = proc.stdout
    assert "hostile/a/huge" in out and ("maxsize" in out.lower() or "Cancelled" in out)
    assert "hostile/a/loop" in out  # the redirect loop ended with an error


def test_entity_expansion_bomb_is_refused_cheaply() -> None:
    lol = '<!ENTITY l0 "lololololol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
        "<title>&l9;</title><item><title>&l9;</title><link>https://x.org/a</link></item>"
        "</channel></rss>"
    ).encode()
    start = time.perf_counter()
    result = parse_feed(bomb, "https://x.org/feed")
    elapsed = time.perf_counter() - start
    assert all(len(e.title or "") < 10_000 for e in result.entries)
    assert result.problem or result.warning
    assert elapsed < 30  # a sanity bound against runaway expansion, not a speed target


def test_search_while_a_crawl_writes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store(DataHome(home)).close()
    with SampleServer(slow_delay=5.0, delay=0.03) as server:
        args = crawl_args(server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        log = tmp_path / "crawl.log"
        with open(log, "w", encoding="utf-8") as log_file:
            crawl = subprocess.Popen(
                [sys.executable, "-m", "tmwatch", *args],
                cwd=ROOT,
                env=cli_env(home),
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
        searches = 0
        while crawl.poll() is None:
            with Store(DataHome(home), create=False) as store:
                search(store, "Tuzla OR Taganova", Filters(limit=5))
            searches += 1
            time.sleep(0.01)
        stderr = log.read_text(encoding="utf-8")
        cli = run_cli("search", "Rakhmanov", "--json", home=home)
    assert crawl.returncode == 0, stderr
    assert "database is locked" not in stderr
    assert searches >= 20
    assert cli.returncode == 0 and json.loads(cli.stdout)["results"]


# -- fuzzing ---------------------------------------------------------------------------------------

html_like = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(
        lambda t: f"<html><body><h1>{t[:50]}</h1><p>{t}</p></body>".encode()
    ),
)


@FUZZ
@given(html_like)
def test_extraction_raises_only_its_own_error(body: bytes) -> None:
    try:
        extracted = extract(body, "https://example.org/a/1")
    except ExtractionError:
        return
    assert extracted.title  # the text may be empty: min_words decides about storing


@FUZZ
@given(st.text(max_size=3000), st.sampled_from(["ru", "tk", "tr", "en", None]))
def test_tagging_never_raises(text: str, language: str | None) -> None:
    result = TAGGER.tag(text, text[:80], language)
    for item in result.evidence:
        assert 0 <= item.start <= item.end <= max(len(text), 80)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Store:

    store = Store(DataHome(tmp_path_factory.mktemp("fuzzstore")))
    store.archive.save_article(
        make_article(id="abcdefghij", title="Рахманов", text="Тузла Рахманов")
    )
    return store


@FUZZ
@given(st.text(max_size=80))
def test_search_queries_give_results_or_a_query_error(small_store: Store, query: str) -> None:
    try:
        results = search(small_store, query, Filters())
    except QueryError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(results, SearchResult)
    assert results.total >= len(results.results)


@FUZZ
@given(st.text(max_size=600))
def test_registry_and_lexicon_files_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    try:
        parse_registry(text)
    except RegistryError:
        pass
    path = tmp_path_factory.mktemp("lex") / "x.toml"
    path.write_text(text, encoding="utf-8")
    for loader in (load_watchlist, load_topics):
        try:
            loader(path)
        except LexiconError:
            pass


# -- hostile article text in every output -------------------------------------------------------

HOSTILE = {
    "id": "abcdefghij",
    "url": "https://o.example/a?x=<script>",
    "canonical_url": "https://o/a",
    "source": "s",
    "outlet": "Out<b>let</b>",
    "language": "ru",
    "title": "Заголовок <script>alert(1)</script> \u202egnp.exe\x07 [x](javascript:alert(1))",
    "authors": ["Автор\u202e"],
    "published": "2021-10-19T10:00:00+03:00",
    "date_source": "jsonld",
    "modified": None,
    "first_seen": "2026-11-28T00:00:00+00:00",
    "fetched_at": "2026-11-28T00:00:00+00:00",
    "text": "Текст <img src=x onerror=alert(1)>\x00",
    "html_sha256": "0" * 64,
    "found_via": "",
    "alternates": {},
    "cluster": "abcdefghij",
    "status": "live",
    "taken_down_at": None,
    "tags": ["detention"],
    "persons": [],
    "places": [],
    "also_at": [],
    "versions": 1,
    "edited": False,
    "new": True,
    "evidence": [
        {
            "kind": "topic",
            "label": "detention",
            "field": "text",
            "start": 0,
            "end": 40,
            "sentence": "<script>задержали</script>\u202e",
            "terms": ["задержали"],
        }
    ],
}
DIGEST = {
    "schema_version": 1,
    "generated_at": "2026-11-28T00:00:00+00:00",
    "selection": {"all": "articles"},
    "count": 1,
    "counts": {"outlet": {"Out<b>let</b>": 1}, "language": {"ru": 1}},
    "sources": {
        "x<script>": {
            "state": "failed",
            "new": 0,
            "errors": 1,
            "problems": ["<script>bad</script>"],
        }
    },
    "articles": [HOSTILE],
}


def _no_controls(text: str) -> None:
    assert "\u202e" not in text and "\x07" not in text and "\x00" not in text


def test_hostile_text_is_inert_in_html() -> None:
    page = to_html(DIGEST)
    assert "<script" not in page.lower() and "<img" not in page and "<b>let" not in page
    assert "&lt;script&gt;" in page
    _no_controls(page)


def test_hostile_text_is_inert_in_markdown() -> None:
    md = to_markdown(DIGEST)
    assert "[x](javascript" not in md and "\\[x\\]" in md
    assert "<script>" not in md
    _no_controls(md)


def test_hostile_text_is_inert_in_atom() -> None:
    feed_text = to_atom(DIGEST)
    feed = feedparser.parse(feed_text.encode())
    assert not feed.bozo
    _no_controls(feed_text)
    assert "<script>" not in feed_text


def test_hostile_text_is_inert_in_citations() -> None:
    for text in (as_text(HOSTILE), as_markdown(HOSTILE)):
        _no_controls(text)
    assert "<script>" not in as_html(HOSTILE)
    _no_controls(json.dumps(as_csl(HOSTILE), ensure_ascii=False))


def test_store_files_stay_owner_only_after_every_command(tmp_path: Path) -> None:
    home = tmp_path / "h"
    with Store(DataHome(home)) as store:
        store.archive.save_article(make_article(id="abcdefghij", text="Тузла"))
    for args in (
        ["digest", "--all", "-o", str(home / "d.json")],
        ["search", "Tuzla"],
        ["reprocess"],
    ):
        run_cli(*args, home=home)
    for path in [home, *home.rglob("*")]:
        assert path.stat().st_mode & 0o077 == 0, path
    sqlite3.connect(DataHome(home).db_path).close()
