"""Paginated listing pages: article links, the dates shown beside them, the next page."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from tmwatch.config.registry import Listing, Source
from tmwatch.pipeline.dates import date_from_text, parse_date
from tmwatch.record import FeedHints


@dataclass
class ListingPage:
    links: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    next_url: str | None = None
    hints: dict[str, FeedHints] = field(default_factory=dict)  # what the listing said per link


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


def parse_telegram_preview(html: str, url: str, source: Source) -> ListingPage:
    """Posts on a Telegram channel's public preview (``t.me/s/<channel>``), newest last.

    Each post is a ``div.tgme_widget_message`` with ``data-post="<channel>/<id>"`` and its date
    in ``a.tgme_widget_message_date time[datetime]``. The post's link is the registry's
    ``post_url`` for the id (the citable ``t.me/<channel>/<id>``); the older page is
    ``?before=<smallest id on this page>``, which is how the preview pages back in time.
    """
    selector = Selector(text=html)
    result = ListingPage()
    ids = []
    for post in selector.css("div.tgme_widget_message[data-post]"):
        _, _, native = (post.attrib.get("data-post") or "").rpartition("/")
        link = source.permalink(native) if native.isdigit() else None
        if not link or link in result.hints:
            continue
        ids.append(int(native))
        stamp = post.css("a.tgme_widget_message_date time::attr(datetime)").get()
        published = parse_date(stamp.strip()) if stamp else None
        result.links.append(link)
        result.hints[link] = FeedHints(published=published)
        if published:
            result.dates.append(published)
    if ids and min(ids) > 1:
        result.next_url = f"{url.split('?', 1)[0]}?before={min(ids)}"
    return result
