"""The JSON digest: what tmwatch collected, in one self-describing document.

``schema_version`` changes whenever a field changes meaning or disappears, so scripts that read
digests can refuse what they do not understand instead of misreading it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tmwatch.store import Store
from tmwatch.store.home import private_file

DIGEST_SCHEMA_VERSION = 1
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
    """Which articles a digest holds: by publication day, by a range, all, or first seen lately."""

    on: date | None = None
    since: date | None = None
    until: date | None = None
    everything: bool = False

    def describe(self) -> dict[str, str]:
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
        return {"first_seen_within": "24h"}


def build_digest(
    store: Store, selection: Selection, clock: Callable[[], datetime] | None = None
) -> dict[str, Any]:
    now = (clock or (lambda: datetime.now(UTC)))().replace(microsecond=0)
    previous = store.get_meta("last_digest_at")
    if selection.everything:
        rows = store.archive.articles()
    elif selection.on:
        rows = store.archive.articles(
            published_from=selection.on.isoformat(), published_until=selection.on.isoformat()
        )
    elif selection.since or selection.until:
        rows = store.archive.articles(
            published_from=selection.since.isoformat() if selection.since else None,
            published_until=selection.until.isoformat() if selection.until else None,
        )
    else:
        rows = store.archive.articles(seen_since=(now - timedelta(hours=24)).isoformat())
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
        article["new"] = previous is None or row["first_seen"] > previous
        articles.append(article)
    return {
        "schema_version": DIGEST_SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "selection": selection.describe(),
        "previous_digest_at": previous,
        "count": len(articles),
        "counts": {
            "outlet": dict(sorted(Counter(a["outlet"] for a in articles).items())),
            "language": dict(sorted(Counter(a["language"] or "?" for a in articles).items())),
        },
        "sources": source_health(store),
        "articles": articles,
    }


def source_health(store: Store) -> dict[str, dict[str, Any]]:
    """Per source, from the last finished crawl: what it yielded and what went wrong."""
    run = store.crawl.last_run()
    if not run:
        return {}
    health = {}
    for key, stats in sorted(run["stats"].get("sources", {}).items()):
        problems = stats.get("problems", [])
        stored = stats.get("new", 0) + stats.get("skipped", 0) + stats.get("not_modified", 0)
        state = (
            "failed"
            if problems and not stored
            else "empty"
            if not (stats.get("found") or stats.get("not_modified"))
            else "ok"
        )
        health[key] = {
            "state": state,
            "new": stats.get("new", 0),
            "errors": stats.get("errors", 0),
            "problems": problems[:5],
            "run_finished_at": run["finished_at"],
        }
    return health


def narrow(digest: dict[str, Any], tag: str | None, persons: list[str]) -> None:
    """Keep only the articles with ``tag`` and naming any of ``persons`` (canonical names)."""
    digest["articles"] = [
        a
        for a in digest["articles"]
        if (not tag or tag in a["tags"]) and (not persons or set(persons) & set(a["persons"]))
    ]
    digest["count"] = len(digest["articles"])


def mark_digest_written(store: Store, digest: dict[str, Any]) -> None:
    """Remember when the last digest was made: the next one marks what is new since."""
    store.set_meta("last_digest_at", digest["generated_at"])


def to_json_text(digest: dict[str, Any]) -> str:
    return json.dumps(digest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def save_text(text: str, path: Path) -> Path:
    """Write atomically (temp file + rename) so a reader never sees half a digest."""
    tmp = path.with_suffix(path.suffix + ".part")
    private_file(tmp)
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)
    return path


def save_json(digest: dict[str, Any], path: Path) -> Path:
    return save_text(to_json_text(digest), path)
