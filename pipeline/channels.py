"""Reading a channel post: a Telegram message's embed page, a YouTube video's watch page.

A channel post is not an article page, so trafilatura's main-text heuristics do not apply: the
text is where the platform puts it. Telegram's public embed page (``t.me/<channel>/<id>?embed=1``)
carries the message server-side in ``div.tgme_widget_message_text`` and its date in
``a.tgme_widget_message_date time[datetime]``. A YouTube watch page is mostly script, but its
``og:title``, ``<meta name="description">`` and ``<meta itemprop="datePublished">`` are
server-side; the channel's Atom feed has the full description (``FeedHints.summary``), which is
used when it is longer than what the page holds. The rule lives with the source kind, not a site.
"""

from __future__ import annotations

import re

from parsel import Selector

from tmwatch.pipeline.dates import parse_date
from tmwatch.pipeline.extract import Extracted, ExtractionError, decode_html
from tmwatch.record import FeedHints

TITLE_LIMIT = 120
_SENTENCE = re.compile(r"(?<=[.!?…])\s")


def post_title(text: str) -> str:
    """A post has no headline: its first line, or first sentence, cut to 120 characters."""
    first = text.strip().split("\n", 1)[0].strip()
    first = _SENTENCE.split(first, maxsplit=1)[0].strip()
    if len(first) <= TITLE_LIMIT:
        return first
    return first[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _text(node: Selector) -> str:
    """A message's text with its line breaks (<br>) kept and spaces tidied."""
    parts = node.xpath(".//text()|.//br").getall()
    raw = "".join("\n" if p.startswith("<br") else p for p in parts)
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def read_telegram_post(body: bytes, content_type: str | None = None) -> Extracted:
    """A Telegram message from its embed page; raises ExtractionError when there is none."""
    html = decode_html(body, content_type)
    selector = Selector(text=html)
    message = selector.css("div.tgme_widget_message_text")
    text = _text(message[0]) if message else ""
    if not text:
        raise ExtractionError("no Telegram message text on the page")
    stamp = selector.css("a.tgme_widget_message_date time::attr(datetime)").get()
    published = parse_date(stamp.strip()) if stamp else None
    return Extracted(
        title=post_title(text),
        text=text,
        published=published,
        date_source="meta" if published else None,  # the post's own <time datetime>
    )


def read_youtube_video(
    body: bytes, content_type: str | None = None, hints: FeedHints | None = None
) -> Extracted:
    """A video's title and description: the watch page's meta, or the feed's where longer."""
    hints = hints or FeedHints()
    selector = Selector(text=decode_html(body, content_type)) if body.strip() else None

    def meta(*queries: str) -> str:
        for query in queries:
            value = selector.css(query).get() if selector is not None else None
            if value and value.strip():
                return " ".join(value.split())
        return ""

    title = meta('meta[property="og:title"]::attr(content)', 'meta[name="title"]::attr(content)')
    title = title or (hints.title or "").strip()
    page_text = meta(
        'meta[property="og:description"]::attr(content)', 'meta[name="description"]::attr(content)'
    )
    feed_text = (hints.summary or "").strip()
    # The page's description is cut (about 160 characters on YouTube); the feed's is whole.
    text = feed_text if len(feed_text) > len(page_text) else page_text
    if not title:
        raise ExtractionError("no video title on the page or in the feed")
    text = f"{title}\n\n{text}" if text else title  # the title is the video's words too
    stamp = meta(
        'meta[itemprop="datePublished"]::attr(content)',
        'meta[itemprop="uploadDate"]::attr(content)',
    )
    published = parse_date(stamp) if stamp else None
    date_source = "meta" if published else None  # the page's itemprop datePublished
    if not published and hints.published:
        published, date_source = hints.published, "feed"
    return Extracted(title=title, text=text, published=published, date_source=date_source)
