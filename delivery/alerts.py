"""Immediate alerts: a new story naming a watched person, a status change, a failing source.

Each alert has a *quiet key* — the story's cluster, the person and state, the source and flag —
and a subscription hears about one key at most once per quiet period. A story syndicated by
five outlets is one cluster, so it is one alert that lists all five.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from tmwatch.config.subscriptions import Subscription
from tmwatch.delivery.selection import flagged_sources


@dataclass(frozen=True)
class Alert:
    kind: str  # article | status | source
    quiet_key: str
    subject: str
    lines: tuple[str, ...]
    document: dict[str, Any] = field(default_factory=dict)
    covers: tuple[str, ...] = ()  # a summary: the quiet keys of the alerts it stands for

    @property
    def quiet_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.quiet_key, *self.covers) if k)

    def text(self) -> str:
        return "\n".join((self.subject, "", *self.lines, "", _FOOTER)) + "\n"

    def html(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">"
            f"<title>{html.escape(self.subject)}</title></head><body>"
            f"<h1>{html.escape(self.subject)}</h1><ul>{items}</ul>"
            f"<p><small>{html.escape(_FOOTER)}</small></p></body></html>\n"
        )


_FOOTER = "Sent by tmwatch to the receivers in your subscriptions.toml."


def surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def article_alerts(digest: dict[str, Any]) -> list[Alert]:
    """One alert per story (cluster) among the new articles that name a watched person."""
    stories: dict[str, list[dict[str, Any]]] = {}
    for article in digest["articles"]:
        if article.get("new") and article.get("persons"):
            stories.setdefault(article.get("cluster") or article["id"], []).append(article)
    alerts = []
    for cluster, members in stories.items():
        persons = sorted({p for a in members for p in a["persons"]})
        outlets = sorted({a["outlet"] for a in members})
        others = f" (+{len(outlets) - 1} more)" if len(outlets) > 1 else ""
        subject = (
            f"tmwatch alert: {', '.join(surname(p) for p in persons[:3])} named in "
            f"{outlets[0]}{others}"
        )
        lines = [
            f"{a['outlet']} ({a['language'] or '?'}), {a['published_day'] or 'undated'}: "
            f"{a['title'] or a['url']} — {a['url']} (tmwatch cite {a['id']})"
            for a in members
        ]
        evidence = [
            e for a in members for e in (a.get("evidence") or []) if e.get("kind") == "person"
        ][:3]
        lines += [f"why: {e.get('sentence', '')[:300]}" for e in evidence if e.get("sentence")]
        document = {
            "alert": "article",
            "story": cluster,
            "persons": persons,
            "articles": [
                {
                    k: a.get(k)
                    for k in (
                        "id",
                        "url",
                        "outlet",
                        "source",
                        "language",
                        "title",
                        "published",
                        "published_day",
                        "tags",
                        "persons",
                        "evidence",
                    )
                }
                for a in members
            ],
        }
        alerts.append(Alert("article", f"story:{cluster}", subject, tuple(lines), document))
    return alerts


def status_alerts(digest: dict[str, Any]) -> list[Alert]:
    alerts = []
    for change in digest.get("status_changes", []):
        subject = f"tmwatch alert: {surname(change['person'])} — {change['state']}"
        lines = [f"{change['person']}: {change['description']}"]
        if change.get("previous"):
            lines.append(f"before: {change['previous']}")
        key = f"status:{change['person']}:{change['state']}:{change.get('since') or ''}"
        alerts.append(Alert("status", key, subject, tuple(lines), {"alert": "status", **change}))
    return alerts


def source_alerts(digest: dict[str, Any]) -> list[Alert]:
    alerts = []
    for key, health in sorted(flagged_sources(digest).items()):
        flags = list(health.get("flags") or [])
        if health.get("state") == "failed":
            flags.insert(0, "failed")
        for flag in flags:
            subject = f"tmwatch alert: source {key} {flag}"
            problems = [str(p) for p in (health.get("problems") or [])[:5]]
            document = {"alert": "source", "source": key, "flag": flag, "health": health}
            alerts.append(
                Alert("source", f"source:{key}:{flag}", subject, tuple(problems), document)
            )
    return alerts


def alerts_for(subscription: Subscription, digest: dict[str, Any]) -> list[Alert]:
    """The alerts a narrowed digest holds for ``subscription``, in the kinds it asked for."""
    found: list[Alert] = []
    if "statuses" in subscription.alerts:
        found += status_alerts(digest)
    if "articles" in subscription.alerts:
        found += article_alerts(digest)
    if "sources" in subscription.alerts:
        found += source_alerts(digest)
    return found


def capped(alerts: list[Alert], limit: int) -> list[Alert]:
    """At most ``limit`` alerts: the first ``limit - 1`` and one that lists the rest.

    A first run over a busy day, or an outlet republishing its archive, must not bury a
    monitor under a hundred messages; the summary names every story it stands for.
    """
    if len(alerts) <= limit:
        return alerts
    kept, rest = alerts[: limit - 1], alerts[limit - 1 :]
    subject = f"tmwatch alert: {len(rest)} more reports (the digest has them all)"
    summary = Alert(
        "summary",
        "",
        subject,
        tuple(a.subject.removeprefix("tmwatch alert: ") for a in rest),
        {"alert": "summary", "alerts": [{"subject": a.subject, **a.document} for a in rest]},
        tuple(k for a in rest for k in a.quiet_keys),
    )
    return [*kept, summary]
