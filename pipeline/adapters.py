"""Scrapy item pipelines: thin adapters that run the plain stages on crawled captures.

The only module under ``pipeline/`` that imports Scrapy. Order per capture: WARC record (fsynced),
then processing, then one store transaction with the capture row, the article and the frontier
state. A crash between the WARC write and the commit leaves an unreferenced WARC record and a
frontier entry still pending, which the next run fetches again.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from tmwatch.config.lexicons import DEFAULT_TOPICS, DEFAULT_WATCHLIST
from tmwatch.pipeline.ingest import ingest
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.warc import WarcCaptureWriter
from tmwatch.spiders.items import CaptureItem

logger = logging.getLogger(__name__)


class StoreCapturePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.progress_every = crawler.settings.getint("TMWATCH_PROGRESS_EVERY", 10)
        self.warc: WarcCaptureWriter | None = None
        self.tagger: Tagger | None = None
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreCapturePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        self.warc = WarcCaptureWriter(spider.store.home.warc_dir)
        settings = self.crawler.settings
        self.tagger = Tagger.from_files(
            settings.get("TMWATCH_WATCHLIST") or DEFAULT_WATCHLIST,
            settings.get("TMWATCH_TOPICS") or DEFAULT_TOPICS,
        )

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.warc:
            self.warc.close()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        spider = spider or self.crawler.spider
        if not isinstance(item, CaptureItem):
            return item
        assert self.warc is not None and self.tagger is not None
        capture = item.capture
        source = spider.sources[capture.source]
        self.warc.write(capture)
        outcome = ingest(spider.store, capture, source, self.tagger)
        if outcome.state == "skipped":
            spider.inc(source.key, "not_article")
            logger.info("%s: not stored %s: %s", source.key, capture.final_url, outcome.reason)
            raise DropItem(f"{capture.final_url}: {outcome.reason}")
        spider.inc(source.key, outcome.state)
        self.stored += 1
        if self.progress_every and self.stored % self.progress_every == 0:
            logger.info("progress: %d articles stored this run", self.stored)
        return item
