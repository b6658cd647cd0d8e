"""Extraction: text and metadata from a captured article page.

trafilatura gives the main text; title, authors and dates are taken first from structured data
the outlets publish (JSON-LD ``NewsArticle``, OpenGraph/``article:*`` meta), then from the feed
entry, because those are what the outlet itself asserts. See ``pipeline.dates`` for precedence.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from w3lib.encoding import html_to_unicode

from tmwatch.pipeline.dates import date_from_text, date_from_url, fetch_day, parse_date
from tmwatch.record import FeedHints

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
}
# Agency credits are not authors (RFE/RL pages credit "RFE/RL's Turkmen Service").
_AGENCY_AUTHOR = re.compile(r"^(RFE/RL|Radio Free Europe|Azatlyk|Азатлык|Redaksiýa|Редакция)", re.I)
_WS = re.compile(r"\s+")


class ExtractionError(ValueError):
    """The page holds no article text (empty, not HTML, or a player/challenge page)."""


@dataclass
class Extracted:
    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    date_source: str | None = None
    modified: str | None = None
    canonical: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    html_lang: str | None = None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode with the HTTP charset, then the page's <meta charset>, then detection."""
    _, text = html_to_unicode(content_type or "", body)
    return str(text)


def _clean(value: Any) -> str:
    return _WS.sub(" ", str(value)).strip() if value else ""


def _jsonld_articles(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = set(kind) if isinstance(kind, list) else {kind}
            if kinds & _ARTICLE_TYPES:
                found.append(node)
            walk(node.get("@graph", []))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content() or "null"))
        except (json.JSONDecodeError, RecursionError):
            logger.debug("skipping malformed JSON-LD block")
    return found


def _authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        name = _clean(name)
        if name and not _AGENCY_AUTHOR.match(name) and name not in names:
            names.append(name)
    return names


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if values and values[0].strip():
                return str(values[0]).strip()
    return None


def extract(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    hints: FeedHints | None = None,
    fetched_at: str | None = None,
) -> Extracted:
    """Extract an article from raw page bytes; raises ExtractionError when there is none."""
    hints = hints or FeedHints()
    if not body.strip():
        raise ExtractionError("empty page")
    html = decode_html(body, content_type)
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None

    # Everything read from the tree is read before trafilatura, which prunes the tree it gets:
    # the page is parsed once (the cost that matters on 300 KB pages).
    jsonld = _jsonld_articles(tree)
    ld = jsonld[0] if jsonld else {}
    title = (
        _clean(ld.get("headline"))
        or _clean(_meta(tree, "og:title"))
        or _clean(next(iter(tree.xpath("//h1//text()")), ""))
        or _clean(next(iter(tree.xpath("//title/text()")), ""))
        or _clean(hints.title)
    )
    authors = _authors(ld.get("author")) if ld.get("author") else []
    if not authors:
        meta_author = _meta(tree, "article:author", "author")
        if meta_author and not meta_author.startswith("http"):
            authors = _authors(meta_author)
    if not authors and hints.author:
        authors = _authors(hints.author)
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), None)
    alternates = {}
    for link in tree.xpath('//link[@rel="alternate"][@hreflang][@href]'):
        lang = link.get("hreflang", "").split("-")[0].lower()
        if lang and lang != "x":
            alternates[lang] = link.get("href").strip()
    html_lang = (tree.get("lang") or "").split("-")[0].lower() or None
    modified = parse_date(_clean(ld.get("dateModified"))) or parse_date(
        _meta(tree, "article:modified_time")
    )
    structured = _structured_date(tree, ld, hints)

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,  # tmwatch reads metadata itself, from the sources above
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not title:
        raise ExtractionError("no title found")
    text = _clean_text(doc.text if doc is not None else "")
    first, _, rest = text.partition("\n")
    if first == title:
        text = rest  # the headline kept inside the article body: it is the title, not text
    # No main text (a video player page) is still a page with a title, a date and a language:
    # whether it is worth storing is the crawl's storing rule (``min_words``), not extraction's.
    published, date_source = structured or _fallback_date(html, url, text, fetched_at)
    return Extracted(
        title=title,
        text=text,
        authors=authors,
        published=published,
        date_source=date_source,
        modified=modified,
        canonical=canonical,
        alternates=alternates,
        html_lang=html_lang,
    )


def _clean_text(text: str) -> str:
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _structured_date(
    tree: lxml.html.HtmlElement, ld: dict[str, Any], hints: FeedHints
) -> tuple[str, str] | None:
    """What the outlet asserts: JSON-LD, then article:published_time, then the feed's date."""
    value = parse_date(_clean(ld.get("datePublished")))
    if value:
        return value, "jsonld"
    value = parse_date(_meta(tree, "article:published_time", "datePublished"))
    if value:
        return value, "meta"
    value = parse_date(hints.published)
    if value:
        return value, "feed"
    return None


def _fallback_date(
    html: str, url: str, text: str, fetched_at: str | None
) -> tuple[str | None, str | None]:
    """htmldate (on its own parse of the page), then the URL, then a date written in the text.

    Never later than the fetch, and never a modified date (htmldate's ``original_date``).
    """
    today = fetch_day(fetched_at) if fetched_at else None
    max_date = datetime.combine(today, time.max) if today else None
    try:
        found = find_date(
            html, extensive_search=True, original_date=True, url=url, max_date=max_date
        )
    except (ValueError, TypeError):
        found = None
    if found:
        return found, "htmldate"
    value = date_from_url(url)
    if value:
        return value, "url"
    value = date_from_text(text, not_after=today)
    if value:
        return value, "text"
    return None, None
