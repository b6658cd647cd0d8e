"""``tmwatch reprocess``: rebuild derived data from the stored WARC captures, offline.

Used after the extractors, the watchlist or the lexicons change. Captures are replayed in the
order they were fetched through the same ``ingest`` the crawl uses, inside one transaction: a
rebuild interrupted half-way leaves the previous derived data untouched, and running it twice
gives the same store.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tmwatch.config.registry import Registry
from tmwatch.pipeline.ingest import ingest
from tmwatch.pipeline.statuses import announce_status_changes
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.warc import WarcError, read_capture
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
) -> ReprocessReport:
    """Re-derive articles from captures (all of them, or those fetched since ``since``)."""
    report = ReprocessReport()
    captures = list(store.archive.captures(since))
    with store.transaction():
        if since is None:
            store.archive.clear_derived()
        for done, row in enumerate(captures, 1):
            source = registry.sources.get(row["source"])
            if source is None:
                report.counts["unknown_source"] += 1
                report.problems.append(
                    f"capture {row['id']}: source {row['source']!r} not in registry"
                )
                continue
            try:
                headers, body = read_capture(
                    store.home.warc_dir, row["warc_file"], row["warc_offset"]
                )
            except WarcError as exc:
                report.counts["unreadable"] += 1
                report.problems.append(str(exc))
                continue
            capture = Capture(
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
            outcome = ingest(store, capture, source, tagger, from_crawl=False)
            report.counts[outcome.state] += 1
            if progress:
                progress(done, len(captures))
        store.archive.apply_takedowns()
        report.status_changes = len(announce_status_changes(store))
    return report
