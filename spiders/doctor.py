"""``tmwatch doctor``: check each source live, from the user's machine, with a handful of requests.

A registry entry written from stored copies of pages (docs/outlets.md) is a set of assumptions; the
first live crawl is where they meet the site. The doctor tests them one by one before that crawl,
so a monitor sees *which* assumption broke (a TLS interception, a robots.txt rule, a zombie feed,
a changed URL pattern, a page extraction refuses, another language) instead of a quiet digest.

The checks are plain functions over fetched responses. They reuse the crawl's own parsers
(``feeds``, ``sitemaps``, ``listings``) and its own reading of an article
(``pipeline.process.process_capture``), so the doctor and the crawl cannot disagree about what a
feed or an article is. Fetching is a small standard-library client, not Scrapy: a few sequential
requests need no reactor, and the doctor then runs in process. It keeps the crawl's manners: the
same User-Agent and request headers, robots.txt obeyed (one fetch per host per run; one that
cannot be fetched allows everything, as in Scrapy), the source's ``download_delay`` (else the
crawl's ``DOWNLOAD_DELAY``) between requests to one host, the crawl's timeout and page-size
limit, redirects followed only to hosts the crawl itself may contact (``offsite_guard``'s rule),
no proxy from the environment unless one is given. Per source it fetches at most
``max_discovery`` discovery documents and one article, plus robots.txt for a host not yet seen.
It does not retry and does not throttle adaptively: one attempt per URL shows a flaky server as
it is.

Each check is ``ok``, ``warn`` or ``fail`` with a one-line reason; a check that could not run
because an earlier one failed is ``skip``. A source passes when no check fails (``warn`` passes).
"""

from __future__ import annotations

import http.client
import logging
import re
import socket
import ssl
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import (
    HTTPRedirectHandler,
    HTTPSHandler,
    OpenerDirector,
    ProxyHandler,
    Request,
    build_opener,
)

from tmwatch.clock import utc_now
from tmwatch.config import settings
from tmwatch.config.registry import Listing, Registry, Source
from tmwatch.pipeline.extract import decode_html
from tmwatch.pipeline.language import detect_language
from tmwatch.pipeline.pages import is_html
from tmwatch.pipeline.process import SkipArticle, process_capture
from tmwatch.record import Article, Capture, FeedHints
from tmwatch.spiders.feeds import MIN_FEED_BYTES, feed_links, parse_feed
from tmwatch.spiders.listings import parse_listing
from tmwatch.spiders.sitemaps import parse_sitemap

logger = logging.getLogger(__name__)

CHECKS = ("reachable", "robots", "discovery", "pattern", "article", "language")
"""Every source gets all six, in this order (the table's columns and the JSON's ``checks``)."""

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"

NEWEST = 10
"""How many of a document's newest items the pattern check looks at."""

_ANY_URL = re.compile(".")
"""An article pattern every link matches: lets ``parse_listing`` count a listing's links."""


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "status": self.status, "reason": self.reason}


@dataclass
class SourceReport:
    """The six checks of one source; the first failure (else warning) is its reason."""

    source: str
    results: dict[str, CheckResult] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def set(self, check: str, status: str, reason: str) -> None:
        self.results[check] = CheckResult(check, status, reason)

    @property
    def checks(self) -> list[CheckResult]:
        """All six checks in order; one never reached is ``skip``, naming what stopped it."""
        failed = next((r.check for r in self.results.values() if r.status == FAIL), None)
        why = f"not checked: {failed} failed" if failed else "not checked"
        return [self.results.get(name) or CheckResult(name, SKIP, why) for name in CHECKS]

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.checks}
        return FAIL if FAIL in statuses else WARN if WARN in statuses else OK

    @property
    def passed(self) -> bool:
        return self.status != FAIL

    @property
    def reason(self) -> str:
        for wanted in (FAIL, WARN):
            for result in self.checks:
                if result.status == wanted:
                    return f"{result.check}: {result.reason}"
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "checks": [r.as_dict() for r in self.checks],
        }


@dataclass(frozen=True)
class DoctorOptions:
    """The crawl's manners (``config/settings.py``) unless the command line changes them."""

    user_agent: str = settings.USER_AGENT
    proxy: str | None = None
    timeout: float = float(settings.DOWNLOAD_TIMEOUT)
    max_bytes: int = settings.DOWNLOAD_MAXSIZE
    delay: float = settings.DOWNLOAD_DELAY  # between requests to one host, unless the source
    # gives its own download_delay
    max_discovery: int = 4  # feeds, feed pages, sitemaps, listing pages fetched per source


# -- fetching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """One response, or the one-line reason there is none (``error``)."""

    url: str
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def failure(self) -> str:
        """Why this is not a usable response: the network's reason or the HTTP status."""
        return self.error or f"HTTP {self.status}"


class _Refused(Exception):
    """A request or redirect the crawl itself would not make (or a body over the size limit)."""


class _GuardedRedirects(HTTPRedirectHandler):
    """Follows redirects like the crawl: at most REDIRECT_MAX_TIMES, only to registry hosts."""

    max_redirections = settings.REDIRECT_MAX_TIMES

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def redirect_request(
        self, req: Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Request | None:
        if not self.fetcher.allowed(newurl):
            fp.close()
            raise _Refused(f"redirect to {newurl} refused: host outside the registry")
        self.fetcher.requested.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """Sequential GETs with the crawl's headers, delays, limits and host guard.

    ``requested`` lists every URL asked for (redirect targets included), in order: the record of
    what the doctor contacted.
    """

    def __init__(
        self,
        registry: Registry,
        options: DoctorOptions,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.registry = registry
        self.options = options
        self.requested: list[str] = []
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._opener = self._build_opener()

    def _build_opener(self) -> OpenerDirector:
        # An empty ProxyHandler turns off http_proxy & co.: the doctor goes where the user says.
        proxy = self.options.proxy
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        return build_opener(
            ProxyHandler(proxies),
            HTTPSHandler(context=ssl.create_default_context()),
            _GuardedRedirects(self),
        )

    def allowed(self, url: str) -> bool:
        """The offsite guard's rule: a registry host, or an article URL of some source."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if parts.netloc.lower() in self.registry.hosts:
            return True
        return any(s.is_article(url) for s in self.registry.sources.values())

    def fetch(self, url: str, delay: float) -> Fetched:
        if not self.allowed(url):
            return Fetched(url, error=f"refused: {urlsplit(url).netloc} is not a registry host")
        host = urlsplit(url).netloc.lower()
        self._wait(host, delay)
        self.requested.append(url)
        headers = {**settings.DEFAULT_REQUEST_HEADERS, "User-Agent": self.options.user_agent}
        request = Request(url, headers=headers)  # noqa: S310  (allowed(): http or https only)
        try:
            with self._opener.open(request, timeout=self.options.timeout) as r:
                body = self._read(r)
                return Fetched(url, r.geturl(), r.status, r.headers.get("Content-Type", ""), body)
        except HTTPError as exc:
            with exc:
                body = self._read(exc)
            ctype = exc.headers.get("Content-Type", "") if exc.headers else ""
            return Fetched(url, exc.geturl() or url, exc.code, ctype, body)
        except _Refused as exc:
            return Fetched(url, error=str(exc))
        except (URLError, OSError, http.client.HTTPException, ValueError) as exc:
            return Fetched(url, error=network_reason(exc, self.options.timeout))
        finally:
            self._last[host] = self._clock()

    def _wait(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None and delay > 0:
            pause = last + delay - self._clock()
            if pause > 0:
                self._sleep(pause)

    def _read(self, response: Any) -> bytes:
        limit = self.options.max_bytes
        length = response.headers.get("Content-Length") if response.headers else None
        if length and length.isdigit() and int(length) > limit:
            raise _Refused(f"response of {length} bytes is over the {limit}-byte page limit")
        body: bytes = response.read(limit + 1)
        if len(body) > limit:
            raise _Refused(f"response is over the {limit}-byte page limit")
        return body


def network_reason(exc: BaseException, timeout: float) -> str:
    """One line naming what went wrong below HTTP, TLS problems by name.

    OpenSSL's own words are kept (``certificate verify failed (self-signed certificate)``,
    ``wrong version number``) without Python's decoration around them (``[SSL: CODE]``,
    ``(_ssl.c:1006)``).
    """
    inner: Any = exc.reason if isinstance(exc, URLError) else exc
    if isinstance(inner, ssl.SSLCertVerificationError):
        why = _one_line(inner.verify_message or _openssl_words(inner)).rstrip(".")
        return f"TLS problem: certificate verify failed ({why})"
    if isinstance(inner, ssl.SSLError):
        return f"TLS problem: {_openssl_words(inner)}"
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, socket.gaierror):
        return "host name not found (DNS)"
    if isinstance(inner, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(inner, http.client.RemoteDisconnected):  # a ConnectionResetError too
        return "the server closed the connection without a response"
    if isinstance(inner, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(inner, http.client.HTTPException):
        return f"bad HTTP response ({type(inner).__name__})"
    if isinstance(inner, OSError) and inner.strerror:
        return _one_line(inner.strerror)
    return _one_line(str(inner)) or type(inner).__name__


_SSL_DECORATION = re.compile(r"^\[[A-Z0-9_]+: [A-Z0-9_]+\]\s*|\s*\(_ssl\.c:\d+\)$")


def _openssl_words(exc: ssl.SSLError) -> str:
    """``[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)`` → the words only."""
    text = exc.strerror if isinstance(exc.strerror, str) else " ".join(map(str, exc.args))
    words = _one_line(_SSL_DECORATION.sub("", _one_line(text)))
    return words or getattr(exc, "reason", None) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- robots.txt --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Robots:
    """A host's robots.txt, or why everything is allowed (``note``), or a network ``error``."""

    parser: urllib.robotparser.RobotFileParser | None = None
    note: str = ""
    error: str | None = None
    url: str = ""

    def allows(self, url: str, user_agent: str) -> bool:
        return self.parser is None or self.parser.can_fetch(user_agent, url)


def read_robots(fetched: Fetched) -> Robots:
    """Parse a fetched robots.txt; anything but a 200 allows all (Scrapy's behaviour)."""
    if fetched.error:
        return Robots(error=fetched.error, url=fetched.url)
    if fetched.status != 200:
        return Robots(note=f"no robots.txt (HTTP {fetched.status}), all allowed", url=fetched.url)
    parser = urllib.robotparser.RobotFileParser(fetched.url)
    parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
    return Robots(parser=parser, url=fetched.url)


# -- discovery documents -----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A discovery URL to read: a feed, a feed page, a sitemap or a listing."""

    kind: str
    url: str
    listing: Listing | None = None


@dataclass(frozen=True)
class Item:
    """An item a discovery document lists: its URL and what the document said about it."""

    url: str
    hints: FeedHints = field(default_factory=FeedHints)


@dataclass
class Document:
    """What one discovery document gave: items newest first, more targets, or a problem."""

    target: Target
    items: list[Item] = field(default_factory=list)
    more: list[Target] = field(default_factory=list)
    problem: str | None = None
    warning: str | None = None
    links_seen: list[str] = field(default_factory=list)  # a listing's links, matching or not

    @property
    def label(self) -> str:
        return f"{self.target.kind} {self.target.url}"


def initial_targets(source: Source) -> list[Target]:
    """The registry's discovery URLs in the order the doctor reads them."""
    return [
        *(Target("feed", u) for u in source.feeds),
        *(Target("feed page", u) for u in source.feed_pages),
        *(Target("sitemap", u) for u in source.sitemaps),
        *(Target("listing", lst.url, lst) for lst in source.listings),
    ]


def newest_first(items: Sequence[Item]) -> list[Item]:
    """Dated items newest first, then undated ones in document order (a stable sort)."""
    dated = [(when, i) for i in items if (when := _instant(i.hints.published))]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    undated = [i for i in items if not _instant(i.hints.published)]
    return [i for _, i in dated] + undated


def _instant(value: str | None) -> datetime | None:
    """An ISO date or timestamp as an aware instant (UTC when it names no offset)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def read_feed(target: Target, fetched: Fetched) -> Document:
    result = parse_feed(fetched.body, fetched.final_url or target.url, fetched.content_type)
    problem = result.problem
    if problem and len(fetched.body.strip()) < MIN_FEED_BYTES:
        problem = f"zombie feed (an empty 200): {problem}"
    items = [Item(e.link, FeedHints(e.title, e.published, e.author)) for e in result.entries]
    return Document(target, newest_first(items), problem=problem, warning=result.warning)


def read_feed_page(target: Target, fetched: Fetched, known: Iterable[str]) -> Document:
    links = feed_links(decode_html(fetched.body, fetched.content_type), fetched.final_url)
    seen = set(known)
    more = [Target("feed", u) for u in links if u not in seen]
    problem = None if links else "lists no feeds"
    return Document(target, more=more, problem=problem)


def read_sitemap(target: Target, fetched: Fetched) -> Document:
    result = parse_sitemap(fetched.body)
    items = [Item(e.loc, FeedHints(e.title, e.published)) for e in result.entries]
    if result.problem:
        return Document(target, problem=result.problem)
    if result.kind == "sitemapindex":
        # One shard is enough to see article URLs: the newest, as the crawl would read first.
        return Document(target, more=[Target("sitemap", newest_first(items)[0].url)])
    return Document(target, newest_first(items))


def read_listing(target: Target, fetched: Fetched, source: Source) -> Document:
    assert target.listing is not None
    html = decode_html(fetched.body, fetched.content_type)
    url = fetched.final_url or target.url
    page = target.listing.first_page
    found = parse_listing(html, url, source, target.listing, page)
    if found.links:
        return Document(target, [Item(link) for link in found.links])
    every = replace(source, article_url=(_ANY_URL,))
    links = parse_listing(html, url, every, target.listing, page).links
    return Document(target, problem="no article links", links_seen=links)


# -- one source --------------------------------------------------------------------------------


class Doctor:
    """Checks sources one after the other; robots.txt is fetched once per host per run."""

    def __init__(
        self,
        registry: Registry,
        options: DoctorOptions | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.registry = registry
        self.options = options or DoctorOptions()
        self.fetcher = fetcher or Fetcher(registry, self.options)
        self._robots: dict[str, Robots] = {}

    def check(self, source: Source) -> SourceReport:
        before = len(self.fetcher.requested)
        report = _SourceCheck(self, source).run()
        report.requested = self.fetcher.requested[before:]
        return report

    def robots(self, url: str, delay: float) -> Robots:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            self._robots[host] = read_robots(self.fetcher.fetch(robots_url, delay))
        return self._robots[host]


def run_doctor(
    registry: Registry,
    sources: Sequence[Source],
    options: DoctorOptions | None = None,
    on_report: Callable[[SourceReport], None] | None = None,
) -> list[SourceReport]:
    """Check ``sources`` in order; one source's failure never stops the next."""
    doctor = Doctor(registry, options)
    reports = []
    for source in sources:
        logger.info("doctor: checking %s", source.key)
        report = doctor.check(source)
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports


class _SourceCheck:
    """The checks of one source, in the order they can run; each sets its own result."""

    def __init__(self, doctor: Doctor, source: Source) -> None:
        self.doctor = doctor
        self.source = source
        self.report = SourceReport(source.key)
        self.delay = (
            source.download_delay if source.download_delay is not None else doctor.options.delay
        )
        self.user_agent = doctor.options.user_agent
        self.allowed: list[str] = []
        self.disallowed: list[str] = []
        self.robots_notes: list[str] = []
        self.documents: list[Document] = []
        self.unread: list[Target] = []

    def run(self) -> SourceReport:
        targets = initial_targets(self.source)
        if self.discover(targets):
            self.pattern()
            item = self.newest_article()
            article = self.article(item) if item else None
            if article is not None:
                self.language(article)
        self.robots_result()
        return self.report

    # robots.txt: consulted before every request, reported once at the end

    def may_fetch(self, url: str, check: str) -> bool | None:
        """Whether robots.txt allows ``url``; None when its host does not answer at all, which
        fails ``check`` (the host is down: asking for anything else there is pointless)."""
        robots = self.doctor.robots(url, self.delay)
        if robots.error:
            self.report.set(check, FAIL, f"{robots.error}: {robots.url}")
            return None
        if robots.note and robots.note not in self.robots_notes:
            self.robots_notes.append(robots.note)
        if robots.allows(url, self.user_agent):
            self.allowed.append(url)
            return True
        self.disallowed.append(url)
        return False

    def robots_result(self) -> None:
        if "reachable" in self.report.results and not self.allowed and not self.disallowed:
            return  # nothing was asked of robots.txt: the host did not answer
        if self.disallowed:
            more = f" (and {len(self.disallowed) - 1} more)" if len(self.disallowed) > 1 else ""
            reason = f"robots.txt disallows {self.disallowed[0]}{more} for {self.user_agent}"
            self.report.set("robots", FAIL, reason)
            return
        notes = "; ".join(self.robots_notes)
        reason = f"{len(self.allowed)} URLs allowed" + (f"; {notes}" if notes else "")
        self.report.set("robots", OK, reason)

    # reachable + discovery

    def discover(self, targets: list[Target]) -> bool:
        """Read discovery documents until the budget is spent; False when the host is down."""
        queue = list(targets)
        known = {t.url for t in queue}
        fetched_count = 0
        while queue:
            target = queue.pop(0)
            if fetched_count >= self.doctor.options.max_discovery:
                self.unread = [target, *queue]
                break
            allowed = self.may_fetch(target.url, "reachable")
            if allowed is None:
                return False
            if not allowed:
                continue
            fetched = self.doctor.fetcher.fetch(target.url, self.delay)
            fetched_count += 1
            if "reachable" not in self.report.results and not self.reachable(fetched):
                return False
            document = self.read(target, fetched, known)
            self.documents.append(document)
            new = [t for t in document.more if t.url not in known]
            known.update(t.url for t in new)
            queue[:0] = new  # a feed page's feeds and a sitemap's shard are read next
        self.discovery_result()
        return True

    def reachable(self, fetched: Fetched) -> bool:
        """The first discovery response: False (stop) when nothing answered at all."""
        if fetched.error:
            self.report.set("reachable", FAIL, f"{fetched.error}: {fetched.url}")
            return False
        moved = f" (via {fetched.final_url})" if fetched.final_url != fetched.url else ""
        if fetched.status >= 400:
            self.report.set("reachable", FAIL, f"HTTP {fetched.status}: {fetched.url}{moved}")
        else:
            self.report.set("reachable", OK, f"HTTP {fetched.status}: {fetched.url}{moved}")
        return True

    def read(self, target: Target, fetched: Fetched, known: set[str]) -> Document:
        if not fetched.ok:
            return Document(target, problem=fetched.failure)
        if target.kind == "feed":
            return read_feed(target, fetched)
        if target.kind == "feed page":
            return read_feed_page(target, fetched, known)
        if target.kind == "sitemap":
            return read_sitemap(target, fetched)
        return read_listing(target, fetched, self.source)

    def discovery_result(self) -> None:
        documents = self.documents
        yielding = [d for d in documents if d.items]
        broken = [d for d in documents if d.problem]
        unread = f"; {len(self.unread)} more not read (request budget)" if self.unread else ""
        if not documents:
            self.report.set("discovery", FAIL, "no discovery URL could be read" + unread)
        elif not yielding:
            first = broken[0] if broken else documents[0]
            self.report.set("discovery", FAIL, f"{first.label}: {first.problem}")
        elif broken:
            first = broken[0]
            reason = f"{len(broken)} of {len(documents)} broken: {first.label}: {first.problem}"
            self.report.set("discovery", WARN, reason + unread)
        elif warned := [d for d in documents if d.warning]:
            reason = f"{warned[0].label}: {warned[0].warning}; using its {len(warned[0].items)}"
            self.report.set("discovery", WARN, f"{reason} entries{unread}")
        else:
            count = len({i.url for d in yielding for i in d.items})
            reason = f"{len(documents)} read, {count} item URLs{unread}"
            self.report.set("discovery", OK, reason)

    # pattern

    def pattern(self) -> None:
        """The newest items of each document against ``article_url``."""
        misses: list[tuple[Document, int, str]] = []
        matched = total = 0
        for document in self.documents:
            if document.links_seen and not document.items:
                links = document.links_seen
                misses.append((document, len(links), links[0]))
                total += len(links)
                continue
            newest = document.items[:NEWEST]
            hits = sum(self.source.is_article(i.url) for i in newest)
            matched, total = matched + hits, total + len(newest)
            if newest and not hits:
                misses.append((document, len(newest), newest[0].url))
        if not total:
            self.report.set("pattern", FAIL, "no items to match against article_url")
        elif not matched:
            _, _, example = misses[0]
            reason = f"0 of {total} newest items match article_url, e.g. {example}"
            self.report.set("pattern", FAIL, reason)
        elif misses:
            document, count, example = misses[0]
            reason = f"0 of {count} newest items of {document.label} match, e.g. {example}"
            self.report.set("pattern", WARN, reason)
        else:
            self.report.set("pattern", OK, f"{matched} of {total} newest items match")

    def newest_article(self) -> Item | None:
        items = [i for d in self.documents for i in d.items if self.source.is_article(i.url)]
        ordered = newest_first(items)
        return ordered[0] if ordered else None

    # article + language

    def article(self, item: Item) -> Article | None:
        # As the crawl does: a Telegram post is fetched as its embed page, known by its URL.
        page = self.source.fetch_url(item.url)
        allowed = self.may_fetch(page, "article")
        if allowed is None:
            return None
        if not allowed:
            self.report.set("article", SKIP, f"not fetched: robots.txt disallows {page}")
            return None
        fetched = self.doctor.fetcher.fetch(page, self.delay)
        if not fetched.ok:
            self.report.set("article", FAIL, f"newest article {item.url}: {fetched.failure}")
            return None
        if not is_html(fetched.content_type):
            reason = f"newest article {item.url}: not HTML ({fetched.content_type})"
            self.report.set("article", FAIL, reason)
            return None
        return self.extracted(item, fetched)

    def extracted(self, item: Item, fetched: Fetched) -> Article | None:
        capture = Capture(
            source=self.source.key,
            url=item.url,
            final_url=fetched.final_url or self.source.fetch_url(item.url),
            status=fetched.status,
            headers={"Content-Type": fetched.content_type} if fetched.content_type else {},
            body=fetched.body,
            fetched_at=utc_now(),
            found_via="doctor",
            hints=item.hints,
        )
        try:
            article = process_capture(capture, self.source)
        except SkipArticle as exc:
            status = WARN if "require_terms" in str(exc) else FAIL
            self.report.set("article", status, f"no article text in {item.url}: {exc}")
            return None
        missing = [
            name
            for name, value in (
                ("title", article.title),
                ("date", article.published),
                ("text", article.text),
            )
            if not value
        ]
        if missing:
            reason = f"{item.url} extracted without {' and '.join(missing)}"
            self.report.set("article", FAIL, reason)
            return article
        words = len(article.text.split())
        reason = f"title, date ({article.date_source}) and {words} words: {item.url}"
        self.report.set("article", OK, reason)
        return article

    def language(self, article: Article) -> None:
        """The language of the text itself, not the registry's (which the crawl would store)."""
        guess = detect_language(article.text, article.title).language
        registered = "/".join(self.source.languages)
        if guess in self.source.languages:
            self.report.set("language", OK, f"{guess}, as registered")
        elif guess is None or guess == "und":
            reason = f"cannot tell the language (registered: {registered})"
            self.report.set("language", WARN, reason)
        else:
            reason = f"the article is in {guess!r}, registered: {registered}"
            self.report.set("language", FAIL, reason)
