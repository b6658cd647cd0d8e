"""Only the outlets in the registry are ever contacted.

The store holds names of people at risk; a crawler that follows a link to an arbitrary host tells
that host what is being watched. Every request (redirects and robots.txt included) must go to a
host of the registry or match a source's article pattern; anything else is dropped and counted.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from tmwatch.config.registry import Registry
from tmwatch.spiders.context import crawl_context

logger = logging.getLogger(__name__)


class RegistryHostsMiddleware:
    def __init__(self, crawler: Crawler, registry: Registry) -> None:
        self.crawler = crawler
        self.registry = registry

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RegistryHostsMiddleware:
        if not crawler.settings.getbool("TMWATCH_GUARD_HOSTS", True):
            raise NotConfigured("host guard disabled")
        return cls(crawler, crawl_context(crawler).registry)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        registry = self.registry
        host = urlsplit(request.url).netloc.lower()
        if host in registry.hosts:
            return
        if any(source.is_article(request.url) for source in registry.sources.values()):
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("tmwatch/dropped/offsite")
        logger.warning("refusing request to a host outside the registry: %s", request.url)
        raise IgnoreRequest(f"host not in registry: {host}")
