"""Recording one capture in the store: process it, then write article, version and cluster.

Shared by the crawl (``pipeline.adapters``) and ``tmwatch reprocess`` so the two can never
disagree. Everything for one capture happens in one transaction. ``prepare`` (pure, CPU-bound)
and ``record`` (the transaction) are separate so ``--jobs N`` can run the first in worker
processes (``pipeline.workers``) and the second in the one process that writes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tmwatch.config.registry import Source
from tmwatch.pipeline.dedup import (
    MIN_SHARED_BANDS,
    Fingerprint,
    band_keys,
    from_blob,
    similarity,
    to_blob,
)
from tmwatch.pipeline.dedup import THRESHOLD as NEAR_THRESHOLD
from tmwatch.pipeline.events import extract_events, extractor_for
from tmwatch.pipeline.process import SkipArticle, process_capture
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.workers import WorkerPool
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
    for _, cluster, blob in store.archive.near_candidates(
        fingerprint.bands, article_id, MIN_SHARED_BANDS
    ):
        score = similarity(fingerprint.signature, from_blob(blob))
        if score >= NEAR_THRESHOLD and (best is None or score > best[0]):
            best = (score, cluster)
    return best[1] if best else article_id


@dataclass(frozen=True)
class Prepared:
    """What ``prepare`` derives from one capture, small enough to send back from a worker.

    Either ``skipped`` (with the reason) or the tagged article with its events and fingerprint;
    the capture itself is not included, since the caller already holds it.
    """

    article: Article | None = None
    events: tuple[dict[str, Any], ...] = ()
    fingerprint: Fingerprint | None = None
    reason: str | None = None

    @property
    def skipped(self) -> bool:
        return self.article is None


def prepare(capture: Capture, source: Source, tagger: Tagger) -> Prepared:
    """Everything CPU-bound about one capture, without the store: extraction, tagging, events,
    fingerprint. Split from ``record`` so worker processes can do it while one process writes."""
    try:
        article = process_capture(capture, source)
    except SkipArticle as exc:
        return Prepared(reason=str(exc))
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
    return Prepared(article, tuple(e.as_dict() for e in events), Fingerprint.of(article.text))


def record(
    store: Store, capture: Capture, prepared: Prepared, *, from_crawl: bool = True
) -> Outcome:
    """Write what ``prepare`` derived in one transaction; ``from_crawl`` also records the
    capture row and the frontier state (``reprocess`` works from captures already recorded)."""
    article, fingerprint = prepared.article, prepared.fingerprint
    if article is None or fingerprint is None:
        if from_crawl:
            with store.transaction():
                store.archive.add_capture(capture)
                store.crawl.settle(capture.url, "skipped", prepared.reason)
        return Outcome("skipped", reason=prepared.reason)
    with store.transaction():
        if from_crawl:
            article.capture_id = store.archive.add_capture(capture)
        new = store.archive.save_article(article)
        store.events.replace_for_article(article.id, list(prepared.events))
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


def ingest(
    store: Store,
    capture: Capture,
    source: Source,
    tagger: Tagger,
    *,
    from_crawl: bool = True,
) -> Outcome:
    """Process ``capture`` and record the result (``prepare`` then ``record``, in process)."""
    return record(store, capture, prepare(capture, source, tagger), from_crawl=from_crawl)


# -- ``prepare`` in worker processes (``pipeline.workers``) --------------------------------------

_WORKER: dict[str, Any] = {}
"""What a worker process prepares with: set once per worker by ``init_worker``."""

PRELOAD = ("tmwatch.pipeline.preload",)
"""Imported once in the fork server, so each worker starts with the stages loaded and the
configuration-free tables built (``tmwatch.pipeline.preload``)."""


def init_worker(sources: Mapping[str, Source], tagger: Tagger) -> None:
    """Keep the sources and the tagger in the worker (both pickle in well under a millisecond,
    cheaper than loading the configuration again in every worker)."""
    _WORKER["sources"], _WORKER["tagger"] = dict(sources), tagger


def prepare_in_worker(capture: Capture) -> Prepared:
    """``prepare`` with the worker's sources and tagger: the task ``--jobs N`` sends."""
    return prepare(capture, _WORKER["sources"][capture.source], _WORKER["tagger"])


def preparing_pool(jobs: int, sources: Mapping[str, Source], tagger: Tagger) -> WorkerPool:
    """``jobs`` workers ready to run ``prepare_in_worker``."""
    return WorkerPool(jobs, init_worker, (dict(sources), tagger), preload=PRELOAD)
