"""Paginated listing pages: article links, the dates shown beside them, the next page."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from tmwatch.config.registry import Listing, Source
from tmwatch.pipeline.dates import date_from_text, parse_date


@dataclass
class ListingPage:
    links: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    next_url: str | None = None


def parse_listing(html: str, url: str, source: Source, listing: Listing, page: int) -> ListingPage:
    """Links on a listing page that match the source's article pattern, in page order.

    Only article-pattern links are kept, which is what keeps sidebars of other rubrics out.
    """
    selector = Selector(text=html)
    result = ListingPage()
    seen = set()
    for href in selector.css("a::attr(href)").getall():
        link = urljoin(url, href.strip())
        if link not in seen and source.is_article(link):
            seen.add(link)
            result.links.append(link)
    if listing.date_selector:
        for raw in selector.css(listing.date_selector).getall():
            value = parse_date(raw.strip()) or date_from_text(raw)
            if value:
                result.dates.append(value)
    if listing.next_selector:
        href = selector.css(listing.next_selector).get()
        result.next_url = urljoin(url, href.strip()) if href else None
    elif listing.page_url:
        result.next_url = listing.page_url.replace("{n}", str(page + 1))
    return result
