"""The sample outlets that render their own pages (samples/<outlet>.py): home pages as
`tmwatch sources discover` reads them, feeds whose items are the registry's articles, and article
pages that extract with title, text and language. Also the sample channels' home pages."""

from __future__ import annotations

import urllib.request
from urllib.parse import urljoin

import pytest
from parsel import Selector

from tmwatch.config.registry import Registry, load_registry
from tmwatch.pipeline.process import read_page
from tmwatch.samples import SAMPLE_REGISTRY, channels, gundogar
from tmwatch.samples.render import OUTLET_MODULES
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.feeds import parse_feed

# Outlet module prefix -> the sample registry's source key.
SOURCE_OF = {
    "tmhelsinki": "tmhelsinki",
    "fergana": "fergana",
    "t24": "t24",
    "mediazona": "mediazona",
    "medyascope": "medyascope",
    "currenttime": "currenttime",
    "turkmennotebooks": "turkmennotebooks",
    "turkmenistannewsgazette": "turkmenistannewsgazette",
    "hrw": "hrw",
}
# The five outlets added last carry 60 words or more an article; the first four's run 50-70.
NEW = {"medyascope", "currenttime", "turkmennotebooks", "turkmenistannewsgazette", "hrw"}
ARTICLES = [(prefix, a) for prefix, m in OUTLET_MODULES.items() for a in m.ARTICLES]


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type", "")


@pytest.fixture(scope="module")
def registry(sample_server: SampleServer) -> Registry:
    return load_registry(SAMPLE_REGISTRY, base=sample_server.base)


def test_every_outlet_module_has_a_registry_entry() -> None:
    assert sorted(OUTLET_MODULES) == sorted(SOURCE_OF)
    assert all(2 <= len(m.ARTICLES) <= 3 for m in OUTLET_MODULES.values())


@pytest.mark.parametrize("prefix", [*SOURCE_OF, "gundogar"])
def test_home_page_names_the_site_and_links_only_its_own_pages(
    prefix: str, sample_server: SampleServer, registry: Registry
) -> None:
    home = f"{sample_server.base}/{prefix}/"
    body, kind = fetch(home)
    assert kind.startswith("text/html")
    page = Selector(text=body.decode("utf-8"))
    assert page.css('meta[property="og:site_name"]::attr(content)').get()
    assert page.css("title::text").get()
    links = [urljoin(home, h) for h in page.css("a::attr(href)").getall()]
    assert links and all(link.startswith(f"{sample_server.base}/{prefix}/") for link in links)
    if prefix == "gundogar":  # a table layout without <nav>: its listing is its home page
        assert len([u for u in links if registry.sources["gundogar"].is_article(u)]) == len(
            gundogar.PAGES
        )
        return
    source = registry.sources[SOURCE_OF[prefix]]
    menu = page.css("nav a::attr(href)").getall()
    assert menu and not any(source.is_article(u) for u in menu)
    for listing in source.listings:  # the menu links the registry's listings
        assert listing.url in menu
    latest = [u for u in page.css("main a::attr(href)").getall() if source.is_article(u)]
    assert latest, "the home page links the latest articles"
    announced = page.css('link[rel=alternate][type="application/rss+xml"]::attr(href)').getall()
    assert announced == list(source.feeds[:1])


@pytest.mark.parametrize("prefix", list(SOURCE_OF))
def test_feeds_and_listings_lead_to_every_article(
    prefix: str, sample_server: SampleServer, registry: Registry
) -> None:
    source = registry.sources[SOURCE_OF[prefix]]
    found: set[str] = set()
    for feed in source.feeds:
        body, kind = fetch(feed)
        result = parse_feed(body, feed, kind)
        assert result.entries and not result.problem, feed
        for entry in result.entries:
            assert source.is_article(entry.link), entry.link
            found.add(entry.link)
    for listing in source.listings:
        body, _kind = fetch(listing.url)
        hrefs = Selector(text=body.decode("utf-8")).css("a::attr(href)").getall()
        found |= {
            urljoin(listing.url, h) for h in hrefs if source.is_article(urljoin(listing.url, h))
        }
    module = OUTLET_MODULES[prefix]
    assert found == {f"{sample_server.base}/{prefix}/{a.path}" for a in module.ARTICLES}


@pytest.mark.parametrize(
    ("prefix", "article"), ARTICLES, ids=[f"{p}/{a.path}" for p, a in ARTICLES]
)
def test_article_pages_extract_with_title_text_date_and_language(
    prefix: str, article, sample_server: SampleServer, registry: Registry
) -> None:
    source = registry.sources[SOURCE_OF[prefix]]
    url = f"{sample_server.base}/{prefix}/{article.path}"
    assert source.is_article(url)
    assert article.lang in source.languages
    assert "2021-09-01" <= article.published[:10] <= "2021-11-30"
    least = 60 if prefix in NEW else 45
    assert sum(len(p.split()) for p in article.paras) >= least
    body, kind = fetch(url)
    page = read_page(body, url, content_type=kind, site_names=(source.outlet,))
    assert page.title == article.title
    assert len(page.text.split()) >= least
    assert page.language == article.lang
    assert page.published and page.published[:10] == article.published[:10]
    assert page.canonical_url == url


def test_youtube_channel_page_identifies_the_channel(sample_server: SampleServer) -> None:
    channel = f"{sample_server.base}/youtube/channel/{channels.YOUTUBE}"
    body, _kind = fetch(channel)
    page = Selector(text=body.decode("utf-8"))
    assert page.css('link[rel="canonical"]::attr(href)').get() == channel
    assert page.css('meta[itemprop="identifier"]::attr(content)').get() == channels.YOUTUBE
    feed = page.css('link[rel="alternate"][type="application/rss+xml"]')
    assert feed.attrib["title"] == "RSS"
    assert feed.attrib["href"].endswith(f"/youtube/feeds/videos.xml?channel_id={channels.YOUTUBE}")
    assert page.css('meta[property="og:site_name"]::attr(content)').get() == "YouTube"
    assert page.css('meta[property="og:title"]::attr(content)').get() == channels.YOUTUBE_TITLE


def test_telegram_preview_names_the_channel(sample_server: SampleServer) -> None:
    body, _kind = fetch(f"{sample_server.base}/telegram/s/{channels.TELEGRAM}")
    page = Selector(text=body.decode("utf-8"))
    assert page.css('meta[property="og:title"]::attr(content)').get() == channels.TELEGRAM_TITLE
    title = page.css(".tgme_channel_info .tgme_channel_info_header_title ::text").get()
    assert title == channels.TELEGRAM_TITLE
