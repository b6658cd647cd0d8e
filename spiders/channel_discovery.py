"""Discovery for channels: a public Telegram channel or a YouTube channel as a registry entry.

A channel is recognised from its URL (``t.me/<name>``, ``youtube.com/channel/UC…``,
``youtube.com/@handle``, a channel's feed URL) or, for any other address, from the page itself:
Telegram's preview markup (``div.tgme_widget_message[data-post]``) or a YouTube channel page's
feed link (``feeds/videos.xml?channel_id=UC…``). Then the channel's public page or feed is read,
as the crawl will read it, for its title, its languages and its post addresses. Only what is
public without an account is used: no login, no API key.

A YouTube handle (``@name``) is not what the channel's feed is keyed by: the channel page is
fetched to find the channel id (its feed link, ``itemprop="identifier"``, or the canonical
``/channel/UC…`` link).
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from tmwatch.config.registry import LANGUAGES
from tmwatch.pipeline.extract import decode_html
from tmwatch.pipeline.language import detect_language
from tmwatch.spiders.feeds import parse_feed
from tmwatch.spiders.polite_fetch import Fetched, Fetcher
from tmwatch.spiders.proposal import DiscoveryError, Proposal, key_of

_TELEGRAM = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z0-9_]{4,})/?$")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com")
_YOUTUBE_PATH = re.compile(r"^/(?:channel/(UC[A-Za-z0-9_-]{22})|(@[A-Za-z0-9_.-]+))/?")
_CHANNEL_ID = re.compile(r"(?:channel_id=|/channel/|\"externalId\":\")(UC[A-Za-z0-9_-]{22})")
TELEGRAM_PREVIEW = "https://t.me/s/{channel}"
TELEGRAM_POST = "https://t.me/{channel}/{{id}}"
YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml?channel_id={channel}"
YOUTUBE_POST = "https://www.youtube.com/watch?v={id}"


def recognise_platform(url: str) -> Proposal | None:
    """A Telegram or YouTube channel URL as an unfinished proposal, without fetching anything.

    ``discover`` completes it from the channel's public page; a YouTube handle's ``channel``
    is still the handle here, resolved to the channel id by that visit.
    """
    match = _TELEGRAM.match(url.strip())
    if match:
        channel = match.group(1)
        return _channel("telegram", channel, TELEGRAM_PREVIEW.format(channel=channel))
    parts = urlsplit(url.strip() if "//" in url else f"https://{url.strip()}")
    if (parts.hostname or "").lower() not in _YOUTUBE_HOSTS:
        return None
    channel = parse_qs(parts.query).get("channel_id", [""])[0]
    path = _YOUTUBE_PATH.match(parts.path)
    if parts.path.rstrip("/") == "/feeds/videos.xml" and channel:
        pass
    elif path:
        channel = path.group(1) or path.group(2)
    else:
        return None
    homepage = (
        f"https://www.youtube.com/{channel}"
        if channel.startswith("@")
        else f"https://www.youtube.com/channel/{channel}"
    )
    return _channel("youtube", channel, homepage)


def _channel(kind: str, channel: str, homepage: str, **found: Any) -> Proposal:
    """A channel's proposal before its page is read: named by its handle for now."""
    key = f"{kind}-{key_of(channel)}"
    return Proposal(key, channel, channel, homepage, kind=kind, channel=channel, **found)


def recognise_page(html: str, url: str) -> Proposal | None:
    """A channel recognised from a fetched page at an address that is not Telegram's or
    YouTube's own (a mirror, or the sample channels): its markup says what it is."""
    selector = Selector(text=html)
    post = selector.css("div.tgme_widget_message::attr(data-post)").get()
    if post and "/" in post:
        return _channel("telegram", post.rsplit("/", 1)[0].strip(), url, preview=url)
    feeds = [
        href
        for href in selector.css('link[rel~="alternate"]::attr(href)').getall()
        if "feeds/videos.xml" in href and "channel_id=" in href
    ]
    if feeds:
        feed = html_lib.unescape(feeds[0])
        channel = parse_qs(urlsplit(feed).query).get("channel_id", [""])[0]
        return _channel("youtube", channel, url, feeds=[feed])
    return None


def complete_channel(fetcher: Fetcher, proposal: Proposal, page: Fetched | None = None) -> Proposal:
    """Read the channel's public page or feed: its title, languages and post addresses.

    ``page`` is the page already fetched when the channel was recognised from its markup.
    Raises DiscoveryError when the channel is not public or shows nothing to read.
    """
    if proposal.kind == "telegram":
        return _telegram(fetcher, proposal, page)
    return _youtube(fetcher, proposal, page)


def _fetch(fetcher: Fetcher, url: str, what: str) -> Fetched:
    try:
        return fetcher.get(url)
    except OSError as exc:
        raise DiscoveryError(f"{url}: cannot read the {what} ({_reason(exc)})") from None


def _reason(exc: OSError) -> str:
    code = getattr(exc, "code", None)
    if code:
        return f"HTTP {code}"
    return str(getattr(exc, "reason", None) or exc)


def _telegram(fetcher: Fetcher, proposal: Proposal, page: Fetched | None) -> Proposal:
    preview = proposal.preview or TELEGRAM_PREVIEW.format(channel=proposal.channel)
    fetched = page or _fetch(fetcher, preview, "channel's public preview")
    selector = Selector(text=decode_html(fetched.body, fetched.content_type))
    posts = selector.css("div.tgme_widget_message[data-post]")
    if not posts:
        raise DiscoveryError(
            f"{preview}: no public posts (the channel is private, empty, or not a channel)"
        )
    texts = [" ".join(p.css(".tgme_widget_message_text ::text").getall()) for p in posts]
    title = _first(
        selector.css(".tgme_channel_info_header_title ::text").getall(),
        selector.css('meta[property="og:title"]::attr(content)').getall(),
    )
    link = posts[0].css("a.tgme_widget_message_date::attr(href)").get() or ""
    native = (posts[0].attrib.get("data-post") or "").rpartition("/")[2]
    proposal.confirmed.append(
        f"channel: the public preview {preview} shows {len(posts)} posts without an account"
    )
    if link and native.isdigit() and link.rstrip("/").endswith("/" + native):
        template = link.rstrip("/")[: -len(native)] + "{id}"
        if template != TELEGRAM_POST.format(channel=proposal.channel):
            proposal.post_url = template
        proposal.confirmed.append(f"post_url: each post links its own address ({link})")
    if proposal.preview == TELEGRAM_PREVIEW.format(channel=proposal.channel):
        proposal.preview = ""
    return _named(proposal, title, texts, "posts")


def _youtube(fetcher: Fetcher, proposal: Proposal, page: Fetched | None) -> Proposal:
    if proposal.channel.startswith("@"):
        page = page or _fetch(fetcher, proposal.homepage, "channel page")
        channel_id = channel_id_in(decode_html(page.body, page.content_type))
        if not channel_id:
            raise DiscoveryError(
                f"{proposal.homepage}: no channel id on the page; give the channel's "
                "/channel/UC… address instead of the handle"
            )
        proposal.confirmed.append(f"channel: {proposal.channel} is channel id {channel_id}")
        proposal.channel = channel_id
        proposal.homepage = f"https://www.youtube.com/channel/{proposal.channel}"
    feed = proposal.feeds[0] if proposal.feeds else YOUTUBE_FEED.format(channel=proposal.channel)
    fetched = _fetch(fetcher, feed, "channel's feed")
    result = parse_feed(fetched.body, fetched.url, fetched.content_type)
    if result.problem:
        raise DiscoveryError(f"{feed}: {result.problem}")
    proposal.confirmed.append(f"feeds: {feed} parsed with {len(result.entries)} videos")
    proposal.feeds = [] if feed == YOUTUBE_FEED.format(channel=proposal.channel) else [feed]
    link = result.entries[0].link
    video = parse_qs(urlsplit(link).query).get("v", [""])[0]
    if video and f"v={video}" in link:
        template = link.replace(f"v={video}", "v={id}", 1)
        if template != YOUTUBE_POST:
            proposal.post_url = template
        proposal.confirmed.append(f"post_url: each video links its own address ({link})")
    title_match = re.search(rb"<title>([^<]+)</title>", fetched.body)
    title = (
        html_lib.unescape(title_match.group(1).decode("utf-8", "replace")) if title_match else ""
    )
    texts = [f"{e.title or ''}. {e.summary or ''}" for e in result.entries]
    return _named(proposal, title.strip(), texts, "videos")


def channel_id_in(html: str) -> str | None:
    """The channel id a YouTube channel page gives: its feed link, ``itemprop="identifier"``,
    its canonical ``/channel/UC…`` link, or the page data's ``externalId``."""
    selector = Selector(text=html)
    for value in selector.css(
        'meta[itemprop="identifier"]::attr(content), meta[itemprop="channelId"]::attr(content)'
    ).getall():
        if re.fullmatch(r"UC[A-Za-z0-9_-]{22}", value.strip()):
            return value.strip()
    found = _CHANNEL_ID.search(html_lib.unescape(html))
    return found.group(1) if found else None


def _named(proposal: Proposal, title: str, texts: list[str], what: str) -> Proposal:
    """Name, key and languages of a channel from its title and its posts' or videos' text."""
    if title:
        proposal.name = proposal.outlet = title
        proposal.key = f"{proposal.kind}-{key_of(title) or key_of(proposal.channel)}"
        proposal.assumed.append(
            "name and outlet: the channel's own title; if it belongs to an outlet, give the "
            "outlet's name, as appeals cite it"
        )
    else:
        proposal.assumed.append("name and outlet: the channel's handle; give the outlet's name")
    languages = channel_languages(texts)
    if not languages:
        where = proposal.homepage
        raise DiscoveryError(f"{where}: the {what} are in no language tmwatch processes")
    proposal.languages = languages
    note = f"languages: {'/'.join(languages)} detected in {len(texts)} {what}"
    (proposal.confirmed if len(texts) >= 5 else proposal.assumed).append(note)
    return proposal


def channel_languages(texts: Iterable[str]) -> list[str]:
    """Languages that at least a quarter of the texts are in, most frequent first."""
    counts: Counter[str] = Counter()
    for text in texts:
        guess = detect_language(text).language if text.strip() else None
        if guess:
            counts[guess] += 1
    total = sum(counts.values())
    return [lang for lang, n in counts.most_common() if n * 4 >= total and lang in LANGUAGES]


def _first(*candidates: list[str]) -> str:
    for values in candidates:
        text = " ".join(" ".join(values).split())
        if text:
            return text
    return ""
