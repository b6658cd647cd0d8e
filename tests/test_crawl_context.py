"""Scrapy components take what a crawl shares from the crawler, loaded once, not from each other.

These build the real components with Scrapy's own test crawler (no reactor needed): the spider,
the item pipeline and the host guard must hold the very same registry, tagger and store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Capture, FeedHints
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.spiders.adapters import StoreCapturePipeline
from tmwatch.spiders.context import CrawlContext, bind, crawl_context
from tmwatch.spiders.crawl import CrawlPlan, build_settings
from tmwatch.spiders.offsite_guard import RegistryHostsMiddleware
from tmwatch.spiders.outlets import OutletsSpider
from tmwatch.store import DataHome

BASE = "http://127.0.0.1:8000"


def crawler_settings(plan: CrawlPlan) -> dict:
    """The crawl's real settings; no reactor, as these tests only build components."""
    return {**build_settings(plan).copy_to_dict(), "TWISTED_REACTOR_ENABLED": False}


@pytest.fixture
def plan(tmp_path: Path) -> CrawlPlan:
    files = ConfigFiles(packaged_only=True, registry=SAMPLE_REGISTRY, registry_base=BASE)
    registry = files.load_registry()
    return CrawlPlan(
        home=DataHome(tmp_path / "home").create(),
        files=files,
        registry=registry,
        tagger=Tagger(files.load_watchlist(), files.load_topics()),
        sources=(registry.sources["ng"], registry.sources["bianet"]),
    )


def test_components_share_the_bound_context(plan: CrawlPlan) -> None:
    crawler = get_crawler(OutletsSpider, crawler_settings(plan))
    context = CrawlContext(
        home=plan.home,
        registry=plan.registry,
        sources={s.key: s for s in plan.sources},
        tagger=plan.tagger,
    )
    bind(crawler, context)
    spider = OutletsSpider.from_crawler(crawler)
    pipeline = StoreCapturePipeline.from_crawler(crawler)
    guard = RegistryHostsMiddleware.from_crawler(crawler)
    assert spider.context is context and pipeline.context is context
    assert guard.registry is plan.registry
    assert spider.sources is context.sources and set(spider.sources) == {"ng", "bianet"}
    assert spider.store is context.store is pipeline.context.store  # one connection
    assert pipeline.context.tagger is plan.tagger
    context.close()


def test_scrapy_crawl_builds_the_context_once_from_settings(plan: CrawlPlan) -> None:
    """A bare `scrapy crawl outlets` binds nothing: the settings are read once per crawler."""
    crawler = get_crawler(OutletsSpider, crawler_settings(plan))
    first = crawl_context(crawler)
    assert crawl_context(crawler) is first
    assert set(first.sources) == {"ng", "bianet"}
    assert first.registry.sources["ng"].feeds == plan.registry.sources["ng"].feeds
    other = get_crawler(OutletsSpider, crawler_settings(plan))
    assert crawl_context(other) is not first
    first.close()
    crawl_context(other).close()


def test_the_spider_yields_the_record_and_the_pipeline_stores_it(plan: CrawlPlan) -> None:
    """The item is the Capture record itself: the pipeline needs nothing from spiders."""
    from scrapy.http import HtmlResponse, Request

    from tmwatch.samples.render import ALL_ARTICLES, article_page

    crawler = get_crawler(OutletsSpider, crawler_settings(plan))
    spider = OutletsSpider.from_crawler(crawler)
    crawler.spider = spider
    article = next(a for a in ALL_ARTICLES if a.outlet == "bianet")
    url = f"{BASE}/bianet/{article.path}"
    request = Request(url, meta={"tmwatch_source": "bianet"})
    body = article_page(article, BASE, []).encode("utf-8")
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request
    )
    crawler.stats.open_spider()
    (capture,) = spider.parse_article(response, found_via="feed", hints=FeedHints())
    assert isinstance(capture, Capture) and capture.source == "bianet"
    pipeline = StoreCapturePipeline.from_crawler(crawler)
    pipeline.open_spider()
    assert pipeline.process_item(capture) is capture
    pipeline.close_spider()
    stored = crawl_context(crawler).store.archive.article_by_url(url)
    assert stored is not None and stored["title"] == article.title
    crawl_context(crawler).close()
