"""Scrapy item pipeline: the thin adapter that runs the plain stages on crawled captures.

Order per capture: WARC record (fsynced), then processing, then one store transaction with the
capture row, the article and the frontier state. A crash between the WARC write and the commit
leaves an unreferenced WARC record and a frontier entry still pending, which the next run fetches
again. The registry, tagger and store come from the crawl's context, loaded once per crawl.

With ``TMWATCH_JOBS`` > 1 (``tmwatch crawl --jobs N``) the processing (``prepare``) runs in worker
processes: ``process_item`` returns a Deferred, a reactor thread waits for the worker, and the
store transaction (``record``) runs back in the reactor thread, one at a time as before. The WARC
record is still written before the page leaves for a worker, so it precedes the commit.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from tmwatch.config.registry import Source
from tmwatch.pipeline.ingest import Prepared, prepare, prepare_in_worker, preparing_pool, record
from tmwatch.pipeline.warc import WarcCaptureWriter
from tmwatch.pipeline.workers import Failed, WorkerPool
from tmwatch.record import Capture
from tmwatch.spiders.context import crawl_context, stat_key

logger = logging.getLogger(__name__)


class StoreCapturePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = crawl_context(crawler)
        self.progress_every = crawler.settings.getint("TMWATCH_PROGRESS_EVERY", 10)
        self.jobs = crawler.settings.getint("TMWATCH_JOBS", 1)
        self.warc: WarcCaptureWriter | None = None
        self.pool: WorkerPool | None = None
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreCapturePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        home = self.context.home
        self.warc = WarcCaptureWriter(home.warc_dir, worker=home.worker)
        if self.jobs > 1:
            self.pool = preparing_pool(self.jobs, self.context.sources, self.context.tagger)
            logger.info("reading pages in %d worker processes", self.jobs)

    def close_spider(self, spider: Spider | None = None) -> None:
        # Scrapy closes the spider once no item is in progress: no worker has a page left.
        if self.pool:
            self.pool.close()
            self.pool = None
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
        if self.pool is None:
            return self._record(item, source, prepare(item, source, self.context.tagger))
        # A reactor thread waits for the worker (submit also waits while the pool is full);
        # the callback, and so the store write, runs in the reactor thread.
        waiting: Deferred = deferToThread(self.pool.run, prepare_in_worker, item)
        waiting.addCallback(lambda prepared: self._record(item, source, prepared))
        return waiting

    def _record(self, item: Capture, source: Source, prepared: Prepared | Failed) -> Capture:
        """Store what was prepared (one transaction); DropItem for a refused or lost page."""
        if isinstance(prepared, Failed):
            self._lost(item, source, prepared)
        outcome = record(self.context.store, item, prepared)
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

    def _lost(self, item: Capture, source: Source, failed: Failed) -> NoReturn:
        """A worker died on this page: an error of the source, the frontier entry failed (an
        attempt counted, so a page that kills its reader is not fetched forever)."""
        store = self.context.store
        with store.transaction():
            store.crawl.settle(item.url, "failed", failed.message)
        self._count(source.key, "errors")
        self.context.problems[source.key].append(f"{item.final_url}: {failed.message}")
        logger.error("%s: %s: %s", source.key, item.final_url, failed.message)
        raise DropItem(f"{item.final_url}: {failed.message}")
