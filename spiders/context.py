"""What one crawl shares between its Scrapy components: registry, tagger, store, options.

The runner (``tmwatch.spiders.crawl``) loads the registry and the tagger once, opens the store
and binds them to the crawler before it starts; the spider, the item pipeline and the host guard
take them from there (``crawl_context(crawler)``) instead of loading their own copies or reaching
into each other. Under a bare ``scrapy crawl outlets`` nothing is bound, so the context is built
once from the ``TMWATCH_*`` settings. The store connection is closed when the engine stops.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from tmwatch.config.registry import Registry, Source
from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.tagging import Tagger
from tmwatch.store import DataHome, Store


def stat_key(source: str, name: str) -> str:
    """Per-source counters live in Scrapy's stats under one namespace."""
    return f"tmwatch/{source}/{name}"


@dataclass
class CrawlContext:
    home: DataHome
    registry: Registry
    sources: dict[str, Source]
    tagger: Tagger
    since: date | None = None
    refresh: bool = False
    proxy: str | None = None
    max_listing_pages: int = 500
    full_listings: bool = False
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lease_seconds: int = 600
    _store: Store | None = None
    _started: int | None = None

    @property
    def lease_owner(self) -> str:
        """Who holds this crawl's frontier leases: the worker (``--worker``, default the host
        name). A killed crawl restarted under the same name takes its URLs back at once; two
        crawlers running at once need two names (one data home runs one crawl at a time)."""
        return self.home.worker

    @property
    def started(self) -> int:
        """When this crawl began, on the store's clock (see ``CrawlState.lease``)."""
        if self._started is None:
            self._started = self.store.crawl.clock()
        return self._started

    @property
    def store(self) -> Store:
        """The crawl's one store connection, opened on first use."""
        if self._store is None:
            self._store = Store(self.home)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlContext:
        """Build the context from ``TMWATCH_*`` settings (a bare ``scrapy crawl``)."""

        def path(name: str) -> Any:
            from pathlib import Path

            value = settings.get(name)
            return Path(value) if value else None

        files = ConfigFiles(
            config_dir=path("TMWATCH_CONFIG_DIR"),
            packaged_only=settings.getbool("TMWATCH_PACKAGED_ONLY"),
            registry=path("TMWATCH_REGISTRY"),
            watchlist=path("TMWATCH_WATCHLIST"),
            topics=path("TMWATCH_TOPICS"),
            registry_base=settings.get("TMWATCH_REGISTRY_BASE") or None,
        )
        registry = files.load_registry()
        names = [n for n in settings.get("TMWATCH_SOURCES", "").split(",") if n]
        since = settings.get("TMWATCH_SINCE")
        return cls(
            home=DataHome(
                settings.get("TMWATCH_HOME") or None,
                store=settings.get("TMWATCH_STORE") or None,
                warc_dir=settings.get("TMWATCH_WARC_DIR") or None,
                worker=settings.get("TMWATCH_WORKER") or None,
            ),
            registry=registry,
            sources={s.key: s for s in registry.choose(names)},
            tagger=Tagger(files.load_watchlist(), files.load_topics()),
            since=date.fromisoformat(since) if since else None,
            refresh=settings.getbool("TMWATCH_REFRESH"),
            proxy=settings.get("TMWATCH_PROXY") or None,
            max_listing_pages=settings.getint("TMWATCH_MAX_LISTING_PAGES", 500),
            full_listings=settings.getbool("TMWATCH_FULL_LISTINGS"),
            lease_seconds=settings.getint("TMWATCH_LEASE_SECONDS", 600),
        )


_BOUND: weakref.WeakKeyDictionary[Crawler, CrawlContext] = weakref.WeakKeyDictionary()


def bind(crawler: Crawler, context: CrawlContext) -> CrawlContext:
    """Make ``context`` the crawl's shared state; its store closes when the engine stops."""
    _BOUND[crawler] = context
    crawler.signals.connect(context.close, signal=signals.engine_stopped, weak=False)
    return context


def crawl_context(crawler: Crawler) -> CrawlContext:
    """The crawl's shared state: the one the runner bound, else built once from settings."""
    context = _BOUND.get(crawler)
    if context is None:
        context = bind(crawler, CrawlContext.from_settings(crawler.settings))
    return context
