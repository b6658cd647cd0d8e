"""Recording one capture in the store: process it, then write article, version and cluster.

Shared by the crawl (``pipeline.adapters``) and ``tmwatch reprocess`` so the two can never
disagree. Everything for one capture happens in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tmwatch.config.registry import Source
from tmwatch.pipeline.dedup import THRESHOLD as NEAR_THRESHOLD
from tmwatch.pipeline.dedup import Fingerprint, band_keys, from_blob, similarity, to_blob
from tmwatch.pipeline.events import extract_events, extractor_for
from tmwatch.pipeline.process import SkipArticle, process_capture
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Article, Capture
from tmwatch.store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """``state``: new, edited (new text for a stored article), updated (same text), skipped."""

    state: str
    article: Article | None = None
    cluster: str | None = None
    reason: str | None = None


def assign_cluster(store: Store, article_id: str, fingerprint: Fingerprint) -> str:
    """The story cluster of an article: same text first, then the nearest near-duplicate."""
    current = store.archive.cluster_of(article_id)
    if current == article_id and store.archive.has_members(article_id):
        return article_id  # other articles already point at this one
    same = store.archive.same_text(fingerprint.text_hash, article_id)
    if same:
        return same
    best: tuple[float, str] | None = None
    for _, cluster, blob in store.archive.near_candidates(fingerprint.bands, article_id):
        score = similarity(fingerprint.signature, from_blob(blob))
        if score >= NEAR_THRESHOLD and (best is None or score > best[0]):
            best = (score, cluster)
    return best[1] if best else article_id


def ingest(
    store: Store,
    capture: Capture,
    source: Source,
    tagger: Tagger,
    *,
    from_crawl: bool = True,
) -> Outcome:
    """Process ``capture`` and record the result; ``from_crawl`` also records the capture row
    and the frontier state (``reprocess`` works from captures already recorded)."""
    try:
        article = process_capture(capture, source)
    except SkipArticle as exc:
        if from_crawl:
            with store.transaction():
                store.archive.add_capture(capture)
                store.crawl.settle(capture.url, "skipped", str(exc))
        return Outcome("skipped", reason=str(exc))
    tagged = tagger.tag(article.text, article.title, article.language)
    article.tags, article.persons = tagged.tags, tagged.persons
    article.places, article.evidence = tagged.places, tagged.evidence
    events = extract_events(
        article.text,
        article.title,
        article.language,
        article.published_day or article.published,
        tagged,
        extractor_for(tagger.watchlist),
    )
    fingerprint = Fingerprint.of(article.text)
    with store.transaction():
        if from_crawl:
            article.capture_id = store.archive.add_capture(capture)
        new = store.archive.save_article(article)
        store.events.replace_for_article(article.id, [e.as_dict() for e in events])
        edited = store.archive.add_version(article, fingerprint.text_hash, article.capture_id)
        blob = to_blob(fingerprint.signature)
        old = store.archive.signature(article.id)
        if old != blob:
            replaced = band_keys(from_blob(old)) if old is not None else []
            store.archive.save_fingerprint(
                article.id, fingerprint.text_hash, blob, fingerprint.bands, replaced
            )
        else:
            store.archive.set_text_hash(article.id, fingerprint.text_hash)
        cluster = assign_cluster(store, article.id, fingerprint)
        store.archive.set_cluster(article.id, cluster)
        store.archive.mark_live(article.id)
        if from_crawl:
            store.crawl.settle(capture.url, "done")
    state = "new" if new else "edited" if edited else "updated"
    return Outcome(state, article, cluster)
