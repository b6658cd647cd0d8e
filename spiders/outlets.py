"""The ``outlets`` spider: crawls every registry source by its feeds, sitemaps and listings.

One spider routes all discovery methods so that an article found by a feed and by a sitemap in the
same run is fetched once. It holds the crawl state (the store's frontier and validators): every
discovered article URL is written to the frontier before it is requested, so a crawl killed at any
point is resumed by the next run, and feed validators (ETag/Last-Modified) are saved only after the
feed's entries are safely in the frontier.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from tmwatch.clock import utc_now
from tmwatch.config.registry import Listing, Source
from tmwatch.pipeline.dates import day_of
from tmwatch.pipeline.pages import is_html
from tmwatch.record import Capture, FeedHints
from tmwatch.spiders.context import CrawlContext, crawl_context, stat_key
from tmwatch.spiders.feeds import feed_links, parse_feed
from tmwatch.spiders.listings import parse_listing, parse_telegram_preview
from tmwatch.spiders.shared_frontier import FRONTIER_URL, LEASE_REFUSED
from tmwatch.spiders.sitemaps import parse_sitemap
from tmwatch.store.connection import Transaction
from tmwatch.store.crawlstate import PendingURL
from tmwatch.store.database import POSTGRESQL

logger = logging.getLogger(__name__)


class OutletsSpider(scrapy.Spider):
    name = "outlets"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.store = context.store
        self.sources = context.sources
        self.since = context.since
        self.refresh = context.refresh
        self.proxy = context.proxy
        self.max_listing_pages = context.max_listing_pages
        self.full_listings = context.full_listings
        self._scheduled: set[str] = set()
        self._feeds: set[str] = set()
        self.stored_before: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletsSpider:
        spider = cls(crawl_context(crawler), *args, **kwargs)
        spider._set_crawler(crawler)
        if spider.store.db.dialect == POSTGRESQL:
            crawler.signals.connect(spider.take_over, signal=signals.spider_idle)
        return spider

    def take_over(self) -> None:
        """With nothing left to do, take the URLs other crawlers left: those a crashed
        crawler leased (once its leases expire) or discovered but never fetched. While
        another crawler still holds some of this crawl's sources' URLs, wait for them: if it
        dies they become this crawler's; if it settles them, nothing is left."""
        context = self.context
        free, held = self.store.crawl.unleased_pending(
            self.sources, context.started, context.lease_owner
        )
        scheduled = 0
        assert self.crawler.engine is not None
        for pending in free:
            request = self.resumed_request(pending, again=True)
            if request is not None:
                self.crawler.engine.crawl(request)
                scheduled += 1
        if scheduled or held:
            if scheduled:
                logger.info("taking over %d URLs other crawlers left", scheduled)
            raise DontCloseSpider

    # -- helpers ---------------------------------------------------------------------------------

    def inc(self, source: str, name: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(stat_key(source, name), count)

    def problem(self, source: str, message: str) -> None:
        """A source-health error: logged, counted, and kept for the summary and the digest."""
        self.inc(source, "errors")
        self.context.problems[source].append(message)
        logger.error("%s: %s", source, message)

    def request(self, url: str, callback: Any, source: str, **kwargs: Any) -> scrapy.Request:
        meta = kwargs.pop("meta", {})
        meta["tmwatch_source"] = source
        if self.proxy:
            meta["proxy"] = self.proxy
        return scrapy.Request(url, callback=callback, meta=meta, **kwargs)

    def too_old(self, published: str | None) -> bool:
        day = day_of(published)
        return bool(self.since and day and day < self.since)

    # -- start -----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        # Resume first: what a killed or failed run discovered but did not store.
        for pending in self.store.crawl.pending(self.sources):
            self.inc(pending.source, "resumed")
            request = self.resumed_request(pending)
            if request is not None:
                yield request
        for source in self.sources.values():
            for url in source.feeds:
                yield self.feed_request(url, source)
            for url in source.feed_pages:
                yield self.request(
                    url,
                    self.parse_feed_page,
                    source.key,
                    dont_filter=True,
                    errback=self.discovery_failed,
                )
            for url in source.sitemaps:
                yield self.request(
                    url,
                    self.parse_sitemap,
                    source.key,
                    dont_filter=True,
                    errback=self.discovery_failed,
                )
            for index, listing in enumerate(source.listings):
                yield self.request(
                    listing.url,
                    self.parse_listing,
                    source.key,
                    dont_filter=True,
                    cb_kwargs={"listing_index": index, "page": listing.first_page},
                    errback=self.discovery_failed,
                )

    # -- discovery ---------------------------------------------------------------------------------

    def feed_request(self, url: str, source: Source) -> scrapy.Request:
        """A feed fetch with the validators of the last run (conditional GET)."""
        self._feeds.add(url)
        etag, modified = self.store.crawl.validators(url)
        headers = {}
        if etag and not self.refresh:
            headers["If-None-Match"] = etag
        if modified and not self.refresh:
            headers["If-Modified-Since"] = modified
        return self.request(
            url,
            self.parse_feed,
            source.key,
            headers=headers,
            dont_filter=True,
            meta={"handle_httpstatus_list": [304]},
            errback=self.discovery_failed,
        )

    def parse_feed_page(self, response: Response) -> Iterator[scrapy.Request]:
        """A page listing feeds (Pangea's /rssfeeds): every feed on it is read."""
        source = self.sources[response.meta["tmwatch_source"]]
        if not isinstance(response, scrapy.http.TextResponse):
            self.problem(source.key, f"feed page {response.url}: not an HTML page")
            return
        links = feed_links(response.text, response.url)
        if not links:
            self.problem(source.key, f"feed page {response.url}: lists no feeds")
        for url in links:
            if url not in self._feeds:
                self.inc(source.key, "feeds_discovered")
                yield self.feed_request(url, source)

    def resumed_request(self, pending: PendingURL, again: bool = False) -> scrapy.Request | None:
        """``article_request`` for a frontier URL found before (by an earlier run, or by
        another crawler)."""
        return self.article_request(
            pending.url,
            self.sources[pending.source],
            pending.found_via,
            pending.hints,
            resumed=True,
            again=again,
        )

    def article_request(
        self,
        url: str,
        source: Source,
        found_via: str,
        hints: FeedHints,
        resumed: bool = False,
        again: bool = False,
        discovered: list[tuple[str, str, str, FeedHints]] | None = None,
    ) -> scrapy.Request | None:
        """A request for ``url``, or None when it is stored already or scheduled this run
        (unless ``again``: a URL this crawl lost to another crawler that left it undone).

        Stored articles are counted as ``skipped``; the caller can tell the two apart with
        ``self.stored_before``. The URL goes into the frontier here, or, given ``discovered``,
        is added to that list for the caller to write before it yields the request.
        """
        key = source.article_key(url) or url
        if key in self._scheduled and not again:
            return None
        self._scheduled.add(key)
        if not resumed:
            self.inc(source.key, "found")
        if not self.refresh and self.store.archive.known_article(url, source.article_key(url)):
            self.inc(source.key, "skipped")
            self.stored_before.add(key)
            if resumed:
                self.store.crawl.settle(url, "done")
            return None
        if discovered is None:
            self.store.crawl.discover(url, source.key, found_via, hints)
        else:
            discovered.append((url, source.key, found_via, hints))
        return self.request(
            source.fetch_url(url),
            self.parse_article,
            source.key,
            errback=self.article_failed,
            cb_kwargs={"found_via": found_via, "hints": hints, "post_url": url},
            meta={FRONTIER_URL: url},
            # Duplicates are already excluded by outlet key above; with Scrapy's duplicate filter
            # on, a redirect loop would vanish silently instead of failing as an error.
            dont_filter=True,
        )

    def article_requests(
        self, urls: list[tuple[str, FeedHints]], source: Source, found_via: str
    ) -> Iterator[scrapy.Request]:
        """The requests for the new article URLs of one feed, sitemap or listing page.

        Their frontier rows are written in one transaction, committed before any of them is
        requested: one commit (one WAL flush on PostgreSQL, ~4 ms) per page of links instead
        of one per link. The rows go in URL order, so two crawlers adding overlapping links at
        once wait for each other in the same order and cannot deadlock. Without the lock of
        the store's writers (``exclusive=False``): an ``INSERT OR IGNORE`` of frontier rows
        needs none, and the other crawlers' article writes do not wait for it.
        """
        discovered: list[tuple[str, str, str, FeedHints]] = []
        requests: list[scrapy.Request] = []
        for url, hints in urls:
            request = self.article_request(url, source, found_via, hints, discovered=discovered)
            if request is not None:
                requests.append(request)
        if discovered:
            with Transaction(self.store.db, exclusive=False):
                for new in sorted(discovered, key=lambda entry: entry[0]):
                    self.store.crawl.discover(*new)
        yield from requests

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        source = self.sources[response.meta["tmwatch_source"]]
        if response.status == 304:
            self.inc(source.key, "not_modified")
            logger.debug("%s: feed not modified since last run: %s", source.key, response.url)
            return
        result = parse_feed(
            response.body, response.url, response.headers.get("Content-Type", b"").decode("latin-1")
        )
        if result.problem:
            self.problem(source.key, f"feed {response.url}: {result.problem}")
            return
        if result.warning:
            logger.warning(
                "%s: feed %s: %s; using %d entries",
                source.key,
                response.url,
                result.warning,
                len(result.entries),
            )
        articles: list[tuple[str, FeedHints]] = []
        for entry in result.entries:
            if not source.is_article(entry.link):
                self.inc(source.key, "not_article")
                continue
            if self.too_old(entry.published):
                self.inc(source.key, "too_old")
                continue
            # A channel's feed text is the video's own words (the watch page is mostly script).
            summary = entry.summary if source.kind != "site" else None
            hints = FeedHints(entry.title, entry.published, entry.author, summary)
            articles.append((entry.link, hints))
        yield from self.article_requests(articles, source, response.url)
        # Entries are in the frontier now; only then may the next run skip an unchanged feed.
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if etag or modified:
            self.store.crawl.save_validators(
                response.url,
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        source = self.sources[response.meta["tmwatch_source"]]
        result = parse_sitemap(response.body)
        if result.problem:
            self.problem(source.key, f"sitemap {response.url}: {result.problem}")
            return
        articles: list[tuple[str, FeedHints]] = []
        for entry in result.entries:
            if result.kind == "sitemapindex":
                if self.too_old(entry.published):
                    continue
                yield self.request(
                    entry.loc, self.parse_sitemap, source.key, errback=self.discovery_failed
                )
            elif not source.is_article(entry.loc):
                self.inc(source.key, "not_article")
            elif self.too_old(entry.published):
                self.inc(source.key, "too_old")
            else:
                articles.append((entry.loc, FeedHints(entry.title, entry.published, None)))
        yield from self.article_requests(articles, source, response.url)

    def parse_listing(
        self, response: Response, listing_index: int, page: int
    ) -> Iterator[scrapy.Request]:
        source = self.sources[response.meta["tmwatch_source"]]
        listing: Listing = source.listings[listing_index]
        if not isinstance(response, scrapy.http.TextResponse):
            self.problem(source.key, f"listing {response.url}: not an HTML page")
            return
        if source.kind == "telegram":
            result = parse_telegram_preview(response.text, response.url, source)
        else:
            result = parse_listing(response.text, response.url, source, listing, page)
        if not result.links:
            if page == listing.first_page:
                self.problem(source.key, f"listing {response.url}: no article links")
            return
        yield from self.article_requests(
            [(link, result.hints.get(link, FeedHints())) for link in result.links],
            source,
            response.url,
        )
        stored = sum(
            (source.article_key(link) or link) in self.stored_before for link in result.links
        )
        pages_done = page - listing.first_page + 1
        limit = self.max_listing_pages if self.since else listing.max_pages
        oldest = min((d for d in (day_of(x) for x in result.dates) if d), default=None)
        reached_since = bool(self.since and oldest and oldest < self.since)
        # Incremental stop: a page whose every article was stored by an earlier run means the
        # older pages were seen too, unless a --since backfill asks to go further back.
        nothing_new = stored == len(result.links) and not (
            self.since or self.refresh or self.full_listings
        )
        if result.next_url and pages_done < limit and not reached_since and not nothing_new:
            yield self.request(
                result.next_url,
                self.parse_listing,
                source.key,
                errback=self.listing_ended,
                cb_kwargs={"listing_index": listing_index, "page": page + 1},
            )

    # -- articles ----------------------------------------------------------------------------------

    def parse_article(
        self, response: Response, found_via: str, hints: FeedHints, post_url: str | None = None
    ) -> Iterator[Capture]:
        source_key = response.meta["tmwatch_source"]
        # A Telegram post is fetched as its embed page but known (frontier, store) by its URL.
        requested = post_url or response.request.meta.get("redirect_urls", [response.url])[0]
        self.inc(source_key, "fetched")
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        if not is_html(content_type):
            self.inc(source_key, "not_html")
            self.store.crawl.settle(requested, "skipped", f"not HTML ({content_type})")
            logger.warning(
                "%s: skipping non-HTML %s (%s)",
                source_key,
                response.url,
                content_type,
            )
            return
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        yield Capture(
            source=source_key,
            url=requested,
            final_url=response.url,
            status=response.status,
            headers=headers,
            body=response.body,
            fetched_at=utc_now(),
            found_via=found_via,
            hints=hints,
        )

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if request.meta.get(LEASE_REFUSED):
            return  # another crawler has it (or had it this run): theirs to settle
        source = request.meta["tmwatch_source"]
        message = _failure_message(failure)
        url = request.cb_kwargs.get("post_url") or request.url  # the post, not its embed page
        gone = failure.check(HttpError) and failure.value.response.status in (404, 410)
        known = self.store.archive.known_article(url, self.sources[source].article_key(url))
        if gone and known:
            # A stored article that now answers 404/410 was taken down: keep what was captured.
            with self.store.transaction():
                self.store.archive.record_takedown(known, url, message, utc_now())
                self.store.crawl.settle(url, "done", message)
            self.inc(source, "taken_down")
            logger.warning("%s: stored article taken down (%s): %s", source, message, url)
            return
        self.inc(source, "errors")
        self.context.problems[source].append(f"{url}: {message}")
        self.store.crawl.settle(url, "failed", message)
        logger.error("%s: article %s failed: %s", source, url, message)

    def listing_ended(self, failure: Failure) -> None:
        """A later listing page that does not exist is the end of the listing, not an error."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            request = failure.request  # type: ignore[attr-defined]
            logger.debug("%s: listing ends before %s", request.meta["tmwatch_source"], request.url)
            return
        self.discovery_failed(failure)

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.problem(request.meta["tmwatch_source"], f"{request.url}: {_failure_message(failure)}")


def _failure_message(failure: Failure) -> str:
    """One short line: the URL is said once by the caller, so Scrapy's repeat of it goes."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    text = str(failure.value)
    request = getattr(failure, "request", None)
    if request is not None:
        text = text.replace(f"Getting {request.url} ", "").replace(request.url, "it")
    return f"{failure.type.__name__}: {text[:200]}".rstrip(": ")
