"""A feed's new article URLs go into the frontier in one transaction, before any is requested.

``OutletsSpider.article_requests`` writes a page of links at once (one commit instead of one
per link); the guarantee that makes crawls resumable must hold as before: every URL a request
is yielded for is in the frontier by then. Built with Scrapy's test crawler (no reactor).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import Request, XmlResponse
from scrapy.utils.test import get_crawler

from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.tagging import Tagger
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.render import ALL_ARTICLES, rss
from tmwatch.spiders.crawl import CrawlPlan, build_settings
from tmwatch.spiders.outlets import OutletsSpider
from tmwatch.store import DataHome

BASE = "http://127.0.0.1:8000"


def test_a_feeds_links_are_all_in_the_frontier_before_the_first_request(tmp_path: Path) -> None:
    files = ConfigFiles(packaged_only=True, registry=SAMPLE_REGISTRY, registry_base=BASE)
    registry = files.load_registry()
    plan = CrawlPlan(
        home=DataHome(tmp_path / "home").create(),
        files=files,
        registry=registry,
        tagger=Tagger(files.load_watchlist(), files.load_topics()),
        sources=(registry.sources["bianet"],),
    )
    settings = {**build_settings(plan).copy_to_dict(), "TWISTED_REACTOR_ENABLED": False}
    crawler = get_crawler(OutletsSpider, settings)
    spider = OutletsSpider.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    articles = [a for a in ALL_ARTICLES if a.outlet == "bianet"][:3]
    assert len(articles) == 3
    feed_url = f"{BASE}/bianet/rss/bianet"
    body = rss("bianet", f"{BASE}/bianet/", articles, BASE).encode()
    response = XmlResponse(
        feed_url,
        body=body,
        headers={"Content-Type": "application/rss+xml"},
        request=Request(feed_url, meta={"tmwatch_source": "bianet"}),
    )
    urls = [f"{BASE}/bianet/{a.path}" for a in articles]
    requests = spider.parse_feed(response)
    first = next(requests)
    frontier = {p.url for p in spider.store.crawl.pending(["bianet"])}
    assert frontier == set(urls)  # every link written before the first request is yielded
    assert [first.url, *(r.url for r in requests)] == urls  # in the feed's order
    assert not spider.store.db.in_transaction
    assert list(spider.parse_feed(response)) == []  # scheduled already: nothing twice
    spider.context.close()
