"""Propose a registry entry for a site the user names (``tmwatch sources discover URL``).

Adding an outlet by hand means reading its HTML head, guessing feed paths, reading robots.txt,
finding its rubric listings and writing an ``article_url`` regular expression: the slow,
error-prone part of extending coverage. This module does the reading and proposes the entry,
saying what it checked (``confirmed``) and what it guessed (``assumed``); the user decides.

The visit, in order: a Telegram or YouTube channel is recognised by its URL or its page
(``channel_discovery``); otherwise the home page's feeds (announced, else common paths), the
sitemaps robots.txt names, the article pattern inferred from their items (``url_patterns``), the
menu's rubric pages that list more articles (``listing_discovery``; for a site with neither feed
nor sitemap, the pattern comes from those pages), one example article read as the crawl reads it,
and the languages of the items. Requests are few and polite (``polite_fetch``). Parsing reuses
the crawl's own parsers, so a proposal that parses here parses the same way in ``tmwatch crawl``.
"""

from __future__ import annotations

import re
import urllib.error
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from tmwatch.config.registry import LANGUAGES
from tmwatch.config.settings import USER_AGENT
from tmwatch.pipeline.extract import decode_html
from tmwatch.pipeline.language import detect_language
from tmwatch.spiders.channel_discovery import complete_channel, recognise_page, recognise_platform
from tmwatch.spiders.feeds import parse_feed
from tmwatch.spiders.listing_discovery import (
    check_example,
    listed,
    listings_of,
    menu_links,
    pattern_from_pages,
    probe,
    within,
)
from tmwatch.spiders.polite_fetch import Fetched, Fetcher, same_site
from tmwatch.spiders.proposal import DiscoveryError, Proposal, source_key
from tmwatch.spiders.sitemaps import parse_sitemap
from tmwatch.spiders.url_patterns import Inferred, PatternError, infer_article_url

FEED_PROBES = ("feed/", "rss/", "rss.xml", "atom.xml", "feed.xml", "index.xml", "api/")
"""Common feed paths (WordPress, Bitrix, static generators, Pangea), tried below the home page."""
FEW_ITEMS = 5
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_SEPARATORS = re.compile(r"\s+[|–—:·-]\s+|\s+::\s+")


def site_name(html: str) -> tuple[str, bool]:
    """The outlet's name and whether it is sure: og:site_name, else the <title>'s first part."""
    selector = Selector(text=html)
    og = (selector.css('meta[property="og:site_name"]::attr(content)').get() or "").strip()
    if og:
        return og, True
    title = " ".join((selector.css("title::text").get() or "").split())
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    return (parts[0] if parts else ""), False  # a home page's title starts with the name


@dataclass
class _Found:
    """What discovery has learnt so far; ``lines`` is what it tells the user on failure."""

    feeds: dict[str, int] = field(default_factory=dict)  # url -> entries
    sitemaps: dict[str, int] = field(default_factory=dict)
    items: dict[str, str | None] = field(default_factory=dict)  # url -> title
    confirmed: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def discover(url: str, proxy: str | None = None, user_agent: str = USER_AGENT) -> Proposal:
    """Visit ``url`` (an outlet's home page, or a channel) and propose its registry entry.

    Raises DiscoveryError with a one-line message (and what was found) when the page cannot be
    read, is not HTML, or leads to no feed, sitemap or listing with article URLs.
    """
    social = recognise_platform(url)
    url = url.strip() if "//" in url else f"https://{url.strip()}"
    if social is None and (
        urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc
    ):
        raise DiscoveryError(f"not an http(s) URL: {url}")
    fetcher = Fetcher(urlsplit(social.homepage if social else url).netloc, user_agent, proxy)
    if social is not None:
        return complete_channel(fetcher, social)
    home = _home_page(fetcher, url)
    html = decode_html(home.body, home.content_type)
    channel = recognise_page(html, home.url)
    if channel is not None:
        return complete_channel(fetcher, channel, home)
    found = _Found()
    name, sure = site_name(html)
    found.lines.append(f"name: {name or '(none)'}")
    _find_feeds(fetcher, home.url, html, found)
    _find_sitemaps(fetcher, home.url, html, found)
    menus = menu_links(html, home.url)
    menu = [u for u in menus if within(u, home.url)]
    negatives = [home.url, url, *found.feeds, *found.sitemaps, *menus]
    if found.items:
        inferred = _infer(list(found.items), negatives, home.url, found)
        rubrics = [u for u in menu if u not in (home.url, *found.feeds, *found.sitemaps)]
        pages = probe(fetcher, rubrics, home.url, found.lines)
        listings, notes = listings_of(pages, inferred.patterns, set(found.items), all_pages=False)
    else:
        pages = [listed(html, home.url, home.url)]
        others = [u for u in menu if u.rstrip("/") != home.url.rstrip("/")]
        pages += probe(fetcher, others, home.url, found.lines)
        try:
            inferred = pattern_from_pages(pages, negatives)
        except PatternError as exc:
            what = (
                "no feed and no sitemap found"
                if not found.feeds and not found.sitemaps
                else "the feeds and sitemaps list no article URLs"
            )
            raise DiscoveryError(f"{home.url}: {what}, and {exc}", found.lines) from None
        listings, notes = listings_of(pages, inferred.patterns, set(), all_pages=True)
        if not listings:
            raise DiscoveryError(f"{home.url}: no feed, sitemap or listing found", found.lines)
        compiled = [re.compile(p) for p in inferred.patterns]
        for page in pages:
            for link in page.links:
                if any(p.match(link) for p in compiled):
                    found.items.setdefault(link, page.titles.get(link))
        found.assumed.append("feeds: none found; the articles are read through listings")
    proposal = _proposal(home.url, name, sure, found, inferred)
    proposal.listings = listings
    proposal.confirmed += notes
    if proposal.examples:
        check_example(fetcher, proposal.examples[0], proposal.confirmed, proposal.assumed)
    return proposal


def _infer(items: list[str], negatives: list[str], home: str, found: _Found) -> Inferred:
    try:
        return infer_article_url(items, negatives)
    except PatternError as exc:
        raise DiscoveryError(f"{home}: {exc}", found.lines) from None


def _home_page(fetcher: Fetcher, url: str) -> Fetched:
    try:
        home = fetcher.get(url)
    except urllib.error.HTTPError as exc:
        raise DiscoveryError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DiscoveryError(f"{url}: cannot connect ({exc.reason})") from None
    except OSError as exc:
        raise DiscoveryError(f"{url}: {exc}") from None
    kind = home.content_type.split(";")[0].strip().lower()
    head = home.body[:512].lstrip().lower()
    if kind not in ("text/html", "application/xhtml+xml") and not head.startswith(
        (b"<!doctype html", b"<html")
    ):
        raise DiscoveryError(f"{home.url}: not an HTML page ({kind or 'no content type'})")
    return home


def _feed_candidates(html: str, home: str) -> list[str]:
    selector = Selector(text=html)
    found = []
    for link in selector.css("link[rel~=alternate]"):
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        href = (link.attrib.get("href") or "").strip()
        if kind in _FEED_TYPES and href:
            found.append(urljoin(home, href))
    return list(dict.fromkeys(found))


def _find_feeds(fetcher: Fetcher, home: str, html: str, found: _Found) -> None:
    """Feeds announced by <link rel="alternate">, else the first common path that parses."""
    announced = _feed_candidates(html, home)
    host = urlsplit(home).netloc
    for feed in announced[:3]:
        if not same_site(urlsplit(feed).netloc, host):
            found.assumed.append(f"feeds: {feed} is announced but on another site; not checked")
            continue
        entries = _read_feed(fetcher, feed, found)
        if entries:
            found.confirmed.append(
                f"feeds: {feed} autodiscovered from the home page, parsed with {entries} entries"
            )
    if found.feeds:
        return
    for path in FEED_PROBES:
        if fetcher.left <= 2:
            break
        feed = urljoin(home if home.endswith("/") else home + "/", path)
        entries = _read_feed(fetcher, feed, found, probing=True)
        if entries:
            found.confirmed.append(
                f"feeds: {feed} (a common feed path) parsed with {entries} entries"
            )
            found.assumed.append("feeds: found by trying common paths, not announced by the site")
            return


def _read_feed(fetcher: Fetcher, feed: str, found: _Found, probing: bool = False) -> int:
    try:
        fetched = fetcher.get(feed)
    except OSError as exc:
        if not probing:
            found.lines.append(f"feed {feed}: {exc}")
        return 0
    result = parse_feed(fetched.body, fetched.url, fetched.content_type)
    if result.problem:
        if not probing:
            found.lines.append(f"feed {feed}: {result.problem}")
        return 0
    found.feeds[feed] = len(result.entries)
    found.lines.append(f"feed {feed}: {len(result.entries)} entries")
    if result.warning:
        found.assumed.append(f"feeds: {feed}: {result.warning}; its entries were read")
    for entry in result.entries:
        found.items.setdefault(entry.link, entry.title)
    return len(result.entries)


def _find_sitemaps(fetcher: Fetcher, home: str, html: str, found: _Found) -> None:
    """Sitemaps named by robots.txt (within the home page's site and path) or <link rel=sitemap>.

    A sitemap index's newest child is read when the budget allows, for its article URLs; only a
    news sitemap's URLs (with a title or a publication date) count as items.
    """
    parts = urlsplit(home)
    origin = f"{parts.scheme}://{parts.netloc}"
    fetcher.robots_for(home)
    from_robots = [s for s in fetcher.robots_sitemaps.get(origin, []) if within(s, home)]
    selector = Selector(text=html)
    linked = [urljoin(home, h) for h in selector.css("link[rel=sitemap]::attr(href)").getall()]
    candidates = [(u, "robots.txt") for u in from_robots]
    candidates += [(u, '<link rel="sitemap"> on the home page') for u in linked]
    seen = set()
    for sitemap, origin_note in candidates[:3]:
        if sitemap in seen or fetcher.left <= 0:
            continue
        seen.add(sitemap)
        try:
            fetched = fetcher.get(sitemap)
        except OSError as exc:
            found.lines.append(f"sitemap {sitemap}: {exc}")
            continue
        result = parse_sitemap(fetched.body)
        if result.problem:
            found.lines.append(f"sitemap {sitemap}: {result.problem}")
            continue
        found.sitemaps[sitemap] = len(result.entries)
        found.lines.append(f"sitemap {sitemap}: {len(result.entries)} {result.kind} entries")
        found.confirmed.append(
            f"sitemaps: {sitemap} named by {origin_note}, a {result.kind} of "
            f"{len(result.entries)} entries"
        )
        if result.kind == "sitemapindex":
            result = _newest_child(fetcher, result, found)
        if result is not None and any(e.title or e.published for e in result.entries):
            for entry in result.entries:
                found.items.setdefault(entry.loc, entry.title)


def _newest_child(fetcher: Fetcher, index: Any, found: _Found) -> Any:
    if fetcher.left <= 0 or not index.entries:
        return None
    child = max(index.entries, key=lambda e: e.published or "").loc
    try:
        result = parse_sitemap(fetcher.get(child).body)
    except OSError as exc:
        found.lines.append(f"sitemap {child}: {exc}")
        return None
    return None if result.problem or result.kind != "urlset" else result


def _languages(found: _Found) -> tuple[list[str], list[str], bool]:
    """Languages of the item titles (several if mixed), unsupported ones, and whether sure."""
    counts: Counter[str] = Counter()
    for title in found.items.values():
        if title:
            guess = detect_language("", title=title).language
            if guess:
                counts[guess] += 1
    total = sum(counts.values())
    chosen = [lang for lang, n in counts.most_common() if n * 4 >= total and n >= 1]
    supported = [lang for lang in chosen if lang in LANGUAGES]
    unsupported = [lang for lang in chosen if lang not in LANGUAGES]
    return supported, unsupported, total >= FEW_ITEMS


def _proposal(home: str, name: str, sure: bool, found: _Found, inferred: Inferred) -> Proposal:
    host_name = urlsplit(home).hostname or home
    proposal = Proposal(
        key=source_key(home),
        name=name or host_name,
        outlet=name or host_name,
        homepage=home,
        feeds=list(found.feeds),
        sitemaps=list(found.sitemaps),
        article_url=inferred.patterns,
        examples=list(found.items)[:2],
        confirmed=list(found.confirmed),
        assumed=list(found.assumed),
    )
    if sure:
        proposal.confirmed.append("name and outlet: og:site_name of the home page")
    else:
        proposal.assumed.append(
            "name and outlet: from the page title (no og:site_name); use the name appeals cite"
        )
    languages, unsupported, many = _languages(found)
    if not languages:
        other = ", ".join(unsupported) or "undetermined"
        raise DiscoveryError(
            f"{home}: the items are in a language tmwatch does not process ({other})", found.lines
        )
    proposal.languages = languages
    note = f"languages: {'/'.join(languages)} detected in {len(found.items)} item titles"
    (proposal.confirmed if many else proposal.assumed).append(
        note + ("" if many else " (few items)")
    )
    if unsupported:
        proposal.assumed.append(f"languages: also {', '.join(unsupported)}, which tmwatch ignores")
    proposal.confirmed += inferred.confirmed
    proposal.assumed += inferred.assumed
    if len(found.items) < FEW_ITEMS:
        proposal.assumed.append("article_url: inferred from few items; check it on more articles")
    return proposal
