"""RSS 2.0 / Atom / RDF feeds through feedparser, with the outlets' failure modes made visible.

feedparser never raises on a bad feed (the ``bozo`` contract); tmwatch keeps that contract and
adds source-health judgements: an empty 200 (RFE/RL "zombie" feeds), an item-less feed, or an
HTML page where a feed should be (an anti-bot challenge) are problems, never a quiet news day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from parsel import Selector

from tmwatch.pipeline.dates import feed_date

MIN_FEED_BYTES = 200
"""Below this a 200 response is a broken feed, not a feed (seen on RFE/RL: 11-byte bodies)."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    summary: str | None = None  # Atom media:description / summary (a YouTube video's text)


@dataclass
class FeedResult:
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # makes the source unhealthy
    warning: str | None = None  # bozo but usable


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> FeedResult:
    """Entries of a feed document; problems are reported in the result, never raised."""
    if len(body.strip()) < MIN_FEED_BYTES:
        return FeedResult(problem=f"feed body is only {len(body.strip())} bytes")
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return FeedResult(problem="an HTML page was served instead of a feed (challenge page?)")
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    result = FeedResult()
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        result.warning = f"malformed feed ({type(exc).__name__}: {str(exc)[:120]})"
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link or not isinstance(link, str):
            continue
        # The entry's own text keeps its offset (MSK, +03:00); feedparser's UTC reading serves
        # only where tmwatch cannot read the text. An updated date stands in for a missing one
        # (read with dict.get: feedparser's own mapping of it warns when published is empty).
        if entry.get("published") or entry.get("published_parsed"):
            published = feed_date(entry.get("published"), entry.get("published_parsed"))
        else:
            published = feed_date(dict.get(entry, "updated"), dict.get(entry, "updated_parsed"))
        author = entry.get("author")
        summary = entry.get("media_description") or entry.get("summary")
        result.entries.append(
            FeedEntry(
                link=urljoin(url, link.strip()),
                title=(entry.get("title") or "").strip() or None,
                published=published,
                author=author.strip() if isinstance(author, str) and author.strip() else None,
                summary=summary.strip() if isinstance(summary, str) and summary.strip() else None,
            )
        )
    if not result.entries:
        result.problem = result.warning or "feed has no entries"
    return result


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_PATH = re.compile(r"(/api/[^/?#]+/?$|\.(rss|atom|xml)$|/(feed|rss)/?$)", re.I)


def feed_links(html: str, url: str) -> list[str]:
    """Feed addresses on a page that lists an outlet's feeds (Pangea's /rssfeeds page).

    Takes <link rel=alternate> of a feed type and anchors whose path looks like a feed
    (Pangea's opaque /api/<id> paths, *.rss/*.xml, /feed/), on the page's own host only.
    """
    selector = Selector(text=html)
    found: list[str] = []
    for link in selector.css("link[rel=alternate]"):
        if (link.attrib.get("type") or "").lower() in _FEED_TYPES and link.attrib.get("href"):
            found.append(urljoin(url, link.attrib["href"].strip()))
    for href in selector.css("a::attr(href)").getall():
        absolute = urljoin(url, href.strip())
        if _FEED_PATH.search(urlsplit(absolute).path):
            found.append(absolute)
    host = urlsplit(url).netloc
    return list(dict.fromkeys(u for u in found if urlsplit(u).netloc == host))
