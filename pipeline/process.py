"""Turn a capture into an article record: the stages in order, without Scrapy.

Used by the crawl (through ``pipeline.adapters``), by ``reprocess`` and by the benchmark, so the
three can never disagree about what an article is.
"""

from __future__ import annotations

from tmwatch.config.registry import Source
from tmwatch.pipeline.canonical import canonical_url, clean_url
from tmwatch.pipeline.extract import ExtractionError, extract
from tmwatch.pipeline.language import detect_language
from tmwatch.record import Article, Capture, article_id


class SkipArticle(Exception):
    """The capture is not an article worth storing; the message says why (logged, counted)."""


def process_capture(capture: Capture, source: Source) -> Article:
    """Extract, canonicalise and identify the language of one capture."""
    try:
        extracted = extract(
            capture.body,
            capture.final_url,
            content_type=capture.headers.get("Content-Type"),
            hints=capture.hints,
            fetched_at=capture.fetched_at,
        )
    except ExtractionError as exc:
        raise SkipArticle(str(exc)) from None
    words = len(extracted.text.split())
    if words < source.min_words:
        raise SkipArticle(f"only {words} words of text (player or stub page)")
    if source.require_terms and not any(
        term in extracted.title or term in extracted.text for term in source.require_terms
    ):
        raise SkipArticle("outside this source's scope (require_terms)")
    canonical = canonical_url(capture.final_url, extracted.canonical)
    key = (
        source.article_key(capture.final_url)
        or source.article_key(capture.url)
        or source.article_key(canonical)
        or canonical
    )
    guess = detect_language(extracted.text, extracted.title, declared=source.single_language)
    urls = sorted({capture.url, capture.final_url, clean_url(capture.url), canonical})
    return Article(
        id=article_id(key),
        article_key=key,
        source=source.key,
        outlet=source.outlet,
        url=capture.final_url,
        canonical_url=canonical,
        language=guess.language,
        title=extracted.title,
        text=extracted.text,
        authors=extracted.authors,
        published=extracted.published,
        date_source=extracted.date_source,
        modified=extracted.modified,
        first_seen=capture.fetched_at,
        fetched_at=capture.fetched_at,
        html_sha256=capture.html_sha256,
        found_via=capture.found_via,
        alternates=extracted.alternates,
        urls=urls,
        capture_id=capture.capture_id,
    )
