"""Scrapy item pipeline: the thin adapter that runs the plain stages on crawled captures.

Order per capture: WARC record (fsynced), then processing, then one store transaction with the
capture row, the article and the frontier state. A crash between the WARC write and the commit
leaves an unreferenced WARC record and a frontier entry still pending, which the next run fetches
again. The registry, tagger and store come from the crawl's context, loaded once per crawl.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from tmwatch.pipeline.ingest import ingest
from tmwatch.pipeline.warc import WarcCaptureWriter
from tmwatch.record import Capture
from tmwatch.spiders.context import crawl_context, stat_key

logger = logging.getLogger(__name__)


class StoreCapturePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = crawl_context(crawler)
        self.progress_every = crawler.settings.getint("TMWATCH_PROGRESS_EVERY", 10)
        self.warc: WarcCaptureWriter | None = None
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreCapturePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.warc = WarcCaptureWriter(self.context.home.warc_dir)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.warc:
            self.warc.close()

    def _count(self, source: str, name: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(stat_key(source, name))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Capture):
            return item
        assert self.warc is not None
        source = self.context.sources[item.source]
        self.warc.write(item)
        outcome = ingest(self.context.store, item, source, self.context.tagger)
        if outcome.state == "skipped":
            # Captured but refused by extraction (under min_words, outside require_terms...):
            # its own counter, so source health can tell a layout change from a quiet feed.
            self._count(source.key, "refused")
            logger.debug("%s: not stored %s: %s", source.key, item.final_url, outcome.reason)
            raise DropItem(f"{item.final_url}: {outcome.reason}")
        self._count(source.key, outcome.state)
        self.stored += 1
        if self.progress_every and self.stored % self.progress_every == 0:
            logger.info("progress: %d articles stored this run", self.stored)
        return item
