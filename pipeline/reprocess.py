"""``tmwatch reprocess``: rebuild derived data from the stored WARC captures, offline.

Used after the extractors, the watchlist or the lexicons change. Captures are replayed in the
order they were fetched through the same ``prepare`` and ``record`` the crawl uses, inside one
transaction (``--jobs N``: prepared in worker processes, recorded here in the same order): a
rebuild interrupted half-way leaves the previous derived data untouched, and running it twice
gives the same store.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tmwatch.config.registry import Registry, Source
from tmwatch.pipeline.ingest import Prepared, prepare, prepare_in_worker, preparing_pool, record
from tmwatch.pipeline.statuses import announce_status_changes
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.warc import WarcError, read_capture
from tmwatch.pipeline.workers import Failed
from tmwatch.record import Capture
from tmwatch.store import Store

logger = logging.getLogger(__name__)


@dataclass
class ReprocessReport:
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    status_changes: int = 0


def reprocess(
    store: Store,
    registry: Registry,
    tagger: Tagger,
    since: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    jobs: int = 1,
    task: Callable[[Capture], Prepared] = prepare_in_worker,
) -> ReprocessReport:
    """Re-derive articles from captures (all of them, or those fetched since ``since``).

    With ``jobs`` > 1 the captures are prepared in that many worker processes and recorded here,
    in the order they were fetched, so the store is the same as with one job. ``task`` is what a
    worker runs per capture; only tests change it (to kill a worker on one page).
    """
    report = ReprocessReport()
    rows = list(store.archive.captures(since))
    with store.transaction():
        if since is None:
            store.archive.clear_derived()
        readable = _readable(store, registry, rows, report)
        for done, capture, prepared in _prepared(readable, registry, tagger, jobs, task):
            if isinstance(prepared, Failed):
                report.counts["failed"] += 1
                report.problems.append(f"capture {capture.capture_id}: {prepared.message}")
            else:
                outcome = record(store, capture, prepared, from_crawl=False)
                report.counts[outcome.state] += 1
            if progress:
                progress(done, len(rows))
        store.archive.apply_takedowns()
        report.status_changes = len(announce_status_changes(store))
    return report


Readable = tuple[int, Capture, Source]
"""A capture to reprocess: its position among the captures (from 1), the capture, its source."""


def _prepared(
    readable: Iterator[Readable],
    registry: Registry,
    tagger: Tagger,
    jobs: int,
    task: Callable[[Capture], Prepared],
) -> Iterator[tuple[int, Capture, Prepared | Failed]]:
    """Each readable capture with what ``prepare`` made of it, in order: in this process for one
    job (no pool at all), else in worker processes."""
    if jobs <= 1:
        for done, capture, source in readable:
            yield done, capture, prepare(capture, source, tagger)
        return
    positions: dict[int, int] = {}

    def captures() -> Iterator[Capture]:
        for done, capture, _ in readable:
            positions[id(capture)] = done
            yield capture

    with preparing_pool(jobs, registry.sources, tagger) as pool:
        for capture, prepared in pool.map_ordered(task, captures()):
            yield positions.pop(id(capture)), capture, prepared


def _readable(
    store: Store, registry: Registry, rows: list[Any], report: ReprocessReport
) -> Iterator[Readable]:
    """The stored captures read back from the WARC files; the unreadable ones and those of
    sources no longer in the registry are counted as problems and left out."""
    for done, row in enumerate(rows, 1):
        source = registry.sources.get(row["source"])
        if source is None:
            report.counts["unknown_source"] += 1
            report.problems.append(f"capture {row['id']}: source {row['source']!r} not in registry")
            continue
        try:
            headers, body = read_capture(store.home.warc_dir, row["warc_file"], row["warc_offset"])
        except WarcError as exc:
            report.counts["unreadable"] += 1
            report.problems.append(str(exc))
            continue
        yield done, _capture(row, headers, body), source


def _capture(row: Any, headers: dict[str, str], body: bytes) -> Capture:
    """The ``Capture`` a stored capture row and its WARC record stand for."""
    return Capture(
        source=row["source"],
        url=row["url"],
        final_url=row["final_url"],
        status=row["status"],
        headers=headers,
        body=body,
        fetched_at=row["fetched_at"],
        found_via=row["found_via"],
        hints=row["hints"],
        html_sha256=row["html_sha256"],
        warc_file=row["warc_file"],
        warc_offset=row["warc_offset"],
        warc_length=row["warc_length"],
        warc_record_id=row["warc_record_id"],
        capture_id=row["id"],
    )
