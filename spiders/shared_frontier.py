"""Crawlers sharing one store: frontier leases and per-outlet politeness across processes.

Several ``tmwatch crawl`` processes (on several hosts, against one PostgreSQL store) may read
the same feeds and so schedule the same article URLs. Just before an article is downloaded its
frontier URL is leased (``CrawlState.lease``): the one crawler that wins fetches it, the others
drop their request, so no URL is fetched by two crawlers at once. A crawler killed mid-fetch
leaves its leases to expire (``TMWATCH_LEASE_SECONDS``); the others take its URLs then (the
spider's idle hook, ``OutletsSpider.take_over``).

Each Scrapy process spaces its own requests to a host (``DOWNLOAD_DELAY``, per-source
``download_delay``). Two processes would double that rate, so on a shared store each request
also reserves a slot on the store's clock (``CrawlState.reserve_request``), spaced by the same
delay, and waits for it. On SQLite one crawler runs at a time (``RunLock``) and Scrapy's own
delay is the whole story, so no slot is reserved there; leases are taken on both engines, the
same code path.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from tmwatch.spiders.context import CrawlContext, crawl_context, stat_key
from tmwatch.store.database import POSTGRESQL

logger = logging.getLogger(__name__)

FRONTIER_URL = "tmwatch_frontier"
"""Request meta: the frontier URL an article request fetches (its lease key)."""
LEASE_REFUSED = "tmwatch_lease_refused"
"""Request meta set when another crawler holds the URL: the errback must not settle it."""


class SharedFrontierMiddleware:
    """Downloader middleware: the lease before an article download, the shared request slot."""

    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self.crawler = crawler
        self.context = context
        self.shared = context.store.db.dialect == POSTGRESQL
        settings = crawler.settings
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.delays = {
            host: float(slot["delay"])
            for host, slot in (settings.getdict("DOWNLOAD_SLOTS") or {}).items()
            if slot.get("delay") is not None
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontierMiddleware:
        return cls(crawler, crawl_context(crawler))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        url = request.meta.get(FRONTIER_URL)
        if url is not None:
            self._lease(request, url)
        if self.shared:
            host = urlsplit(request.url).hostname or ""
            delay = self.delays.get(host, self.default_delay)
            if delay > 0:
                wait = self.context.store.crawl.reserve_request(host, delay)
                if wait > 0:
                    await asyncio.sleep(wait)

    def _lease(self, request: Request, url: str) -> None:
        context = self.context
        taken = context.store.crawl.lease(
            url, context.lease_owner, context.lease_seconds, context.started, context.refresh
        )
        if taken:
            return
        source = request.meta.get("tmwatch_source", "")
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(stat_key(source, "leased_elsewhere"))
        request.meta[LEASE_REFUSED] = True
        logger.debug("%s: %s is another crawler's (or fetched this run)", source, url)
        raise IgnoreRequest(f"{url}: leased by another crawler")
