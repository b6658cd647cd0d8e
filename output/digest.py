"""The JSON digest: what tmwatch collected, in one self-describing document.

``schema_version`` changes whenever a field changes meaning or disappears, so scripts that read
digests can refuse what they do not understand instead of misreading it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tmwatch.clock import utc_datetime
from tmwatch.output.health import assess, run_state
from tmwatch.store import Store
from tmwatch.store.archive import ArticleFilter
from tmwatch.store.home import private_file
from tmwatch.store.marks import DEFAULT_MARK, Mark

DIGEST_SCHEMA_VERSION = 2
"""The digest JSON's own version (``schema_version`` in the file), not the store's."""

ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "outlet",
    "language",
    "title",
    "authors",
    "published",
    "published_day",
    "date_source",
    "modified",
    "first_seen",
    "fetched_at",
    "text",
    "html_sha256",
    "found_via",
    "alternates",
    "cluster",
    "status",
    "taken_down_at",
    "tags",
    "persons",
    "places",
    "evidence",
)


@dataclass(frozen=True)
class Selection:
    """Which articles a digest holds: by publication day, by a range, all, or the new ones.

    The default (none given) is what is new since the digest's mark, or, before the first
    digest with that mark, what was first seen in the last 24 hours.
    """

    on: date | None = None
    since: date | None = None
    until: date | None = None
    everything: bool = False

    @property
    def is_default(self) -> bool:
        return not (self.on or self.since or self.until or self.everything)

    def describe(self, mark: Mark | None) -> dict[str, str]:
        if self.everything:
            return {"all": "articles"}
        if self.on:
            return {"published_on": self.on.isoformat()}
        if self.since or self.until:
            bounds = {}
            if self.since:
                bounds["published_since"] = self.since.isoformat()
            if self.until:
                bounds["published_until"] = self.until.isoformat()
            return bounds
        if mark is not None:
            return {"new_since_mark": mark.name}
        return {"first_seen_within": "24h"}


@dataclass(frozen=True)
class DigestFilters:
    """Narrowing by topic tag and by watched persons (canonical names; any of them)."""

    tag: str | None = None
    persons: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.tag or self.persons)

    def as_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "persons": list(self.persons)}


def build_digest(
    store: Store,
    selection: Selection,
    filters: DigestFilters = DigestFilters(),
    mark_name: str = DEFAULT_MARK,
    clock: Callable[[], datetime] = utc_datetime,
) -> dict[str, Any]:
    """The digest as a dict (see digest.schema.json), read in one snapshot of the store.

    ``new`` marks articles first stored after the mark ``mark_name``; ``read_up_to`` is the
    position this digest read to, where ``mark_digest_written`` moves the mark once the output
    is safely written.
    """
    now = clock().replace(microsecond=0)
    with store.snapshot():
        mark = store.marks.get(mark_name)
        read_up_to = store.marks.high_water()
        status_up_to = store.marks.status_high_water()
        changes = store.events.changes_after(mark.status_id if mark else 0, status_up_to)
        if filters.persons:
            changes = [c for c in changes if c["person"] in filters.persons]
        where = ArticleFilter(tag=filters.tag, persons=filters.persons or None)
        if selection.everything:
            rows = store.archive.articles(where)
        elif selection.on or selection.since or selection.until:
            first = selection.on or selection.since
            last = selection.on or selection.until
            where = replace(
                where,
                since=first.isoformat() if first else None,
                until=last.isoformat() if last else None,
            )
            rows = store.archive.articles(where)
        elif mark is not None:
            rows = store.archive.articles(where, stored_after=mark.sequence)
        else:
            rows = store.archive.articles(where, seen_since=(now - timedelta(hours=24)).isoformat())
        articles = []
        members: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            article = {name: row[name] for name in ARTICLE_FIELDS}
            cluster = row["cluster"] or row["id"]
            if cluster not in members:
                members[cluster] = store.archive.cluster_members(cluster)
            article["also_at"] = [
                {k: m[k] for k in ("id", "url", "outlet", "language")}
                for m in members[cluster]
                if m["id"] != row["id"]
            ]
            versions = store.archive.version_count(row["id"])
            article["versions"] = versions
            article["edited"] = versions > 1
            article["new"] = mark is None or (row["first_capture_id"] or 0) > mark.sequence
            articles.append(article)
        sources = source_health(store, now)
        undelivered = [m.as_dict() for m in store.outbox.dead_letters()]
    return {
        "schema_version": DIGEST_SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "selection": selection.describe(mark),
        "filters": filters.as_dict(),
        "mark": mark.as_dict() if mark else None,
        "mark_name": mark_name,
        "read_up_to": read_up_to,
        "status_up_to": status_up_to,
        "status_changes": [
            {k: c[k] for k in ("person", "state", "since", "place", "previous", "description")}
            for c in changes
        ],
        "count": len(articles),
        "counts": {
            "outlet": dict(sorted(Counter(a["outlet"] for a in articles).items())),
            "language": dict(sorted(Counter(a["language"] or "?" for a in articles).items())),
        },
        "sources": sources,
        "undelivered": undelivered,
        "articles": articles,
    }


def source_health(store: Store, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Per source, from the last finished crawl: what it yielded and every failure it met, and
    the health flags its recent history gives it (output/health.py).

    ``failed``: failures and nothing stored or known; ``partial``: it worked but some fetches
    failed; ``empty``: nothing found; ``ok``: it worked and nothing failed.
    """
    run = store.crawl.last_run()
    if not run:
        return {}
    keys = sorted(run["stats"].get("sources", {}))
    judged = assess(store, now or utc_datetime(), sources=keys)
    flags = {s.source: s.flags for s in judged.sources}
    health = {}
    for key in keys:
        stats = run["stats"]["sources"][key]
        health[key] = {
            "state": run_state(stats),
            "new": stats.get("new", 0),
            "errors": stats.get("errors", 0),
            "problems": stats.get("problems", []),
            "flags": flags.get(key, []),
            "run_finished_at": run["finished_at"],
        }
    return health


def mark_digest_written(store: Store, digest: dict[str, Any], name: str | None = None) -> None:
    """Move the mark (the digest's own, or ``name``) to what the digest read: call this only
    once its output is completely written, so a failed digest never hides news."""
    with store.transaction():
        store.marks.move(
            name or digest["mark_name"],
            digest["read_up_to"],
            digest["generated_at"],
            digest["status_up_to"],
        )


def to_json_text(digest: dict[str, Any]) -> str:
    return json.dumps(digest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def save_text(text: str, path: Path) -> Path:
    """Write atomically (temp file + rename) so a reader never sees half a digest."""
    tmp = path.with_suffix(path.suffix + ".part")
    try:
        private_file(tmp)
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk must not leave a half digest beside the path
        raise
    return path


def save_json(digest: dict[str, Any], path: Path) -> Path:
    return save_text(to_json_text(digest), path)
