"""Discovery parsers on bytes: feeds, sitemaps, listings (no network, no reactor)."""

from __future__ import annotations

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import SAMPLE_REGISTRY
from tmwatch.config.registry import load_registry
from tmwatch.samples.render import build_site
from tmwatch.spiders.feeds import feed_links, parse_feed
from tmwatch.spiders.listings import parse_listing
from tmwatch.spiders.sitemaps import parse_sitemap

BASE = "http://127.0.0.1:9"
SITE = build_site(BASE)
REGISTRY = load_registry(SAMPLE_REGISTRY, base=BASE)

RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://www.dw.com/tr"><title>DW</title><link>https://www.dw.com/tr</link></channel>
<item rdf:about="https://www.dw.com/tr/haber/a-123"><title>Bir haber</title>
<link>https://www.dw.com/tr/haber/a-123</link><dc:date>2021-10-20T10:00:00Z</dc:date></item>
</rdf:RDF>"""


def test_rss_entries_keep_title_date_and_author() -> None:
    result = parse_feed(SITE["/ng/rss/"].body, f"{BASE}/ng/rss/")
    assert result.problem is None and result.warning is None
    first = result.entries[0]
    assert first.link.startswith(f"{BASE}/ng/courier/")
    assert first.title and first.published and first.published.startswith("2021-11-08")
    assert first.author == "Виктор Панфилов"


def test_atom_and_rdf_feeds() -> None:
    atom = parse_feed(SITE["/en-turkmen-news/feed/"].body, f"{BASE}/en-turkmen-news/feed/")
    assert len(atom.entries) == 6 and all(e.published for e in atom.entries)
    rdf = parse_feed(RDF, "https://rss.dw.com/rdf/rss-tur-all")
    assert [e.link for e in rdf.entries] == ["https://www.dw.com/tr/haber/a-123"]
    assert rdf.entries[0].published == "2021-10-20T10:00:00+00:00"


def test_malformed_feed_keeps_what_it_can_and_says_so() -> None:
    result = parse_feed(SITE["/evrensel/rss/haber.xml"].body, f"{BASE}/evrensel/rss/haber.xml")
    assert result.warning and "malformed feed" in result.warning
    assert result.problem is None and 1 <= len(result.entries) < 3


def test_zombie_and_challenge_feeds_are_problems() -> None:
    assert "only 11 bytes" in (parse_feed(b"<rss></rss>", "u").problem or "")
    html = b"<!DOCTYPE html><html><body>" + b"Checking your browser " * 20 + b"</body></html>"
    assert "HTML page" in (parse_feed(html, "u").problem or "")
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>' + b" " * 300
    empty += b"</channel></rss>"
    assert parse_feed(empty, "u").problem == "feed has no entries"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_feed_parser_never_raises(body: bytes) -> None:
    result = parse_feed(body, "https://example.org/feed")
    assert result.entries or result.problem


def test_sitemap_index_and_mislabelled_gz_shard() -> None:
    index = parse_sitemap(SITE["/azathabar/sitemap.xml"].body)
    assert index.kind == "sitemapindex" and index.entries[0].loc.endswith("latest.xml.gz")
    shard = parse_sitemap(SITE["/azathabar/sitemap_426_latest.xml.gz"].body)  # plain XML
    assert shard.kind == "urlset" and len(shard.entries) == 14
    assert all(e.published and e.title for e in shard.entries)
    real_gzip = parse_sitemap(gzip.compress(SITE["/evrensel/sitemap-news.xml"].body))
    assert len(real_gzip.entries) == 6


def test_sitemap_entities_are_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://x.org/&c;</loc></url></urlset>"
    )
    result = parse_sitemap(bomb)
    assert all(len(e.loc) < 100 for e in result.entries)


def test_sitemap_garbage_is_a_problem_not_an_exception() -> None:
    assert parse_sitemap(b"\x1f\x8bnot gzip").problem
    assert parse_sitemap(b"<html><body>hi</body></html>").problem
    assert parse_sitemap(b"").problem


def test_listing_keeps_only_article_links_and_finds_next_page() -> None:
    source = REGISTRY.sources["ng"]
    page = parse_listing(
        SITE["/ng/courier/"].body.decode(), f"{BASE}/ng/courier/", source, source.listings[0], 1
    )
    assert len(page.links) == 3 and all(source.is_article(link) for link in page.links)
    assert page.next_url == f"{BASE}/ng/courier/?PAGEN_1=2"
    hr = REGISTRY.sources["hronikatm-ru"]
    page = parse_listing(
        SITE["/hronikatm/novosti/"].body.decode(),
        f"{BASE}/hronikatm/novosti/",
        hr,
        hr.listings[0],
        1,
    )
    assert len(page.dates) == 4 and page.next_url == f"{BASE}/hronikatm/novosti/page/2/"


def test_feed_pages_list_the_outlets_feeds() -> None:
    links = feed_links(SITE["/azathabar/rssfeeds"].body.decode(), f"{BASE}/azathabar/rssfeeds")
    assert links == [
        f"{BASE}/azathabar/api/z-$g_eqvi-q_t",
        f"{BASE}/azathabar/api/zpqoteqvoi",
        f"{BASE}/azathabar/api/zombie",
    ]  # the zone page link is not a feed
    page = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss/latest.rss">'
        '</head><body><a href="https://elsewhere.example/feed/">x</a>'
        '<a href="/wp/feed/">y</a></body></html>'
    )
    assert feed_links(page, "https://www.example.org/rssfeeds") == [
        "https://www.example.org/rss/latest.rss",
        "https://www.example.org/wp/feed/",
    ]
