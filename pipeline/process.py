"""Turn a capture into an article record: the stages in order, without Scrapy.

Used by the crawl (through ``spiders.adapters``), by ``reprocess``, by ``tmwatch extract`` and by
the benchmark, so they can never disagree about what an article is. ``read_page`` is what one page
says (it depends on the page alone); ``process_capture`` adds the storing rules of a source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tmwatch.config.registry import Source
from tmwatch.days import day_text
from tmwatch.pipeline.canonical import canonical_url, clean_url
from tmwatch.pipeline.channels import read_telegram_post, read_youtube_video
from tmwatch.pipeline.extract import Extracted, ExtractionError, extract
from tmwatch.pipeline.language import detect_language
from tmwatch.record import Article, Capture, FeedHints, article_id


class SkipArticle(Exception):
    """The capture is not an article worth storing; the message says why (logged, counted)."""


@dataclass(frozen=True)
class PageReading:
    """What one page says about itself: text, metadata, canonical URL and language."""

    title: str
    text: str
    canonical_url: str
    language: str | None
    authors: tuple[str, ...] = ()
    published: str | None = None
    date_source: str | None = None
    modified: str | None = None
    alternates: Mapping[str, str] = field(default_factory=dict)


def read_page(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    fetched_at: str | None = None,
    hints: FeedHints | None = None,
    declared_language: str | None = None,
    site_names: Sequence[str] = (),
) -> PageReading:
    """Extract, canonicalise and identify the language of one page; no storing rules applied.

    ``url`` is the address the page was served from (after redirects). ``site_names`` are the
    outlet's names as the registry knows them: with the names the page gives itself they take
    the site's name off the title ("Headline | Outlet"). Raises ExtractionError when the page
    holds no article text.
    """
    extracted = extract(
        body,
        url,
        content_type=content_type,
        hints=hints,
        fetched_at=fetched_at,
        site_names=site_names,
    )
    guess = detect_language(extracted.text, extracted.title, declared=declared_language)
    return PageReading(
        title=extracted.title,
        text=extracted.text,
        canonical_url=canonical_url(url, extracted.canonical),
        language=guess.language,
        authors=tuple(extracted.authors),
        published=extracted.published,
        date_source=extracted.date_source,
        modified=extracted.modified,
        alternates=dict(extracted.alternates),
    )


def read_channel_post(
    kind: str,
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    hints: FeedHints | None = None,
    declared_language: str | None = None,
) -> PageReading:
    """A channel post's page (registry kind "telegram" or "youtube"), read as its platform
    lays it out; the URL is the post's citable one. Raises ExtractionError without text."""
    extracted: Extracted
    if kind == "telegram":
        extracted = read_telegram_post(body, content_type)
    else:
        extracted = read_youtube_video(body, content_type, hints)
    guess = detect_language(extracted.text, extracted.title, declared=declared_language)
    return PageReading(
        title=extracted.title,
        text=extracted.text,
        canonical_url=clean_url(url),
        language=guess.language,
        published=extracted.published,
        date_source=extracted.date_source,
    )


def _read(capture: Capture, source: Source) -> PageReading:
    if source.kind != "site":
        native = source.article_key(capture.url)
        post = source.permalink(native.partition(":")[2] if native else None)
        return read_channel_post(
            source.kind,
            capture.body,
            post or capture.url,
            content_type=capture.headers.get("Content-Type"),
            hints=capture.hints,
            declared_language=source.single_language,
        )
    return read_page(
        capture.body,
        capture.final_url,
        content_type=capture.headers.get("Content-Type"),
        hints=capture.hints,
        fetched_at=capture.fetched_at,
        declared_language=source.single_language,
        site_names=(source.outlet, source.name),
    )


def process_capture(capture: Capture, source: Source) -> Article:
    """Read one capture's page, then apply the source's storing rules and identify it."""
    try:
        page = _read(capture, source)
    except ExtractionError as exc:
        raise SkipArticle(str(exc)) from None
    words = len(page.text.split())
    if not words:
        raise SkipArticle("no main text found")
    if words < source.min_words:
        raise SkipArticle(f"only {words} words of text (player or stub page)")
    if source.require_terms and not any(
        term in page.title or term in page.text for term in source.require_terms
    ):
        raise SkipArticle("outside this source's scope (require_terms)")
    canonical = page.canonical_url
    key = (
        source.article_key(capture.final_url)
        or source.article_key(capture.url)
        or source.article_key(canonical)
        or canonical
    )
    urls = sorted({capture.url, capture.final_url, clean_url(capture.url), canonical})
    return Article(
        id=article_id(key),
        article_key=key,
        source=source.key,
        # A channel's post is cited with its channel and its own URL, not the embed page's.
        outlet=source.cited_outlet,
        url=canonical if source.kind != "site" else capture.final_url,
        canonical_url=canonical,
        language=page.language,
        title=page.title,
        text=page.text,
        authors=list(page.authors),
        published=page.published,
        published_day=day_text(page.published, source.timezone),
        date_source=page.date_source,
        modified=page.modified,
        first_seen=capture.fetched_at,
        fetched_at=capture.fetched_at,
        html_sha256=capture.html_sha256,
        found_via=capture.found_via,
        alternates=dict(page.alternates),
        urls=urls,
        capture_id=capture.capture_id,
    )
