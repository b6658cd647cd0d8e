"""Polite, sequential GETs for discovery: a handful of requests, never a crawl.

Discovery is one short conversation with a site, so it uses the standard library rather than
Scrapy, with the crawl's manners: its User-Agent, robots.txt obeyed, a request budget, a size
cap, redirects followed only within the site, no proxy from the environment.
"""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tmwatch.config.settings import USER_AGENT

logger = logging.getLogger(__name__)

MAX_REQUESTS = 16
"""One discovery is a short visit: robots.txt, the home page, a few feeds, sitemaps, listings."""
MAX_BYTES = 5 * 1024 * 1024
"""Larger answers are not read: a home page or feed is far smaller; a huge sitemap is skipped."""
TIMEOUT = 15.0


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def same_site(a: str, b: str) -> bool:
    """Hosts of one site: equal apart from a www./m. prefix (port included)."""

    def bare(host: str) -> str:
        host = host.lower()
        for prefix in ("www.", "m."):
            host = host.removeprefix(prefix)
        return host

    return bare(a) == bare(b)


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, home_host: str) -> None:
        self.home_host = home_host

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str):  # type: ignore[no-untyped-def]
        host = urlsplit(newurl).netloc
        if not same_site(host, self.home_host):
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirect to another site ({host}) not followed", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """Sequential, polite GETs: User-Agent, robots.txt, a request budget, a size cap."""

    def __init__(
        self,
        home_host: str,
        user_agent: str = USER_AGENT,
        proxy: str | None = None,
        max_requests: int = MAX_REQUESTS,
        timeout: float = TIMEOUT,
    ) -> None:
        self.user_agent = user_agent
        self.max_requests = max_requests
        self.timeout = timeout
        self.requests = 0
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.robots_sitemaps: dict[str, list[str]] = {}
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(proxies), _SameSiteRedirects(home_host)
        )

    @property
    def left(self) -> int:
        return self.max_requests - self.requests

    def _open(self, url: str) -> Fetched:
        if urlsplit(url).scheme not in ("http", "https"):
            raise OSError(f"{url}: not an http(s) URL")
        self.requests += 1
        # S310: the scheme is checked just above (no file: or custom schemes).
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                final, status = response.geturl(), response.status
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            exc.close()  # its body is not read: the status says it all
            raise
        except (http.client.HTTPException, ValueError) as exc:  # bad answers, bad URLs
            raise OSError(f"{type(exc).__name__}: {exc}") from exc
        if len(body) > MAX_BYTES:
            raise OSError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB, not read")
        return Fetched(final, status, content_type, body)

    def robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt (read once; a missing or unreadable one allows everything)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            lines: list[str] = []
            try:
                fetched = self._open(origin + "/robots.txt")
                lines = fetched.body.decode("utf-8", "replace").splitlines()
            except (OSError, ValueError) as exc:
                logger.debug("no robots.txt at %s: %s", origin, exc)
            parser.parse(lines)
            self.robots[origin] = parser
            self.robots_sitemaps[origin] = list(parser.site_maps() or [])
        return self.robots[origin]

    def get(self, url: str) -> Fetched:
        """Fetch ``url``; OSError (URLError, HTTPError, timeouts) on failure or refusal."""
        robots = self.robots_for(url)
        if not robots.can_fetch(self.user_agent, url):
            raise PermissionError(f"{url}: disallowed by robots.txt")
        if self.left <= 0:
            raise OSError(f"{url}: not fetched (at most {self.max_requests} requests)")
        return self._open(url)
