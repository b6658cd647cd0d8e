"""What one subscription sees of a digest: its people, tags, languages and outlets.

The digest is built once per subscription with the subscription's own mark, then narrowed here,
so the counts, the subject line and the status changes describe exactly what is delivered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tmwatch.config.subscriptions import SubscriptionFilters


def article_matches(article: dict[str, Any], filters: SubscriptionFilters) -> bool:
    """Every non-empty filter must match (any of its values): people AND tags AND ..."""
    if filters.persons and not set(filters.persons) & set(article.get("persons") or ()):
        return False
    if filters.tags and not set(filters.tags) & set(article.get("tags") or ()):
        return False
    if filters.languages and article.get("language") not in filters.languages:
        return False
    return not (filters.outlets and article.get("source") not in filters.outlets)


def narrow(digest: dict[str, Any], filters: SubscriptionFilters) -> dict[str, Any]:
    """A copy of ``digest`` holding only what ``filters`` select; counts recomputed."""
    articles = [a for a in digest["articles"] if article_matches(a, filters)]
    changes = digest.get("status_changes", [])
    if filters.persons:
        changes = [c for c in changes if c["person"] in filters.persons]
    sources = digest.get("sources", {})
    if filters.outlets:
        sources = {k: v for k, v in sources.items() if k in filters.outlets}
    return {
        **digest,
        "articles": articles,
        "count": len(articles),
        "counts": {
            "outlet": dict(sorted(Counter(a["outlet"] for a in articles).items())),
            "language": dict(sorted(Counter(a["language"] or "?" for a in articles).items())),
        },
        "status_changes": changes,
        "sources": sources,
    }


def flagged_sources(digest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Sources whose last crawl failed or whose health is flagged (silent, degraded, ...)."""
    return {
        key: health
        for key, health in digest.get("sources", {}).items()
        if health.get("state") == "failed" or health.get("flags")
    }


def has_news(digest: dict[str, Any]) -> bool:
    """Worth a message: new articles, status changes, a flagged source or an undelivered one."""
    return bool(
        any(a.get("new") for a in digest["articles"])
        or digest.get("status_changes")
        or flagged_sources(digest)
        or digest.get("undelivered")
    )
