"""Putting messages in the outbox: a subscription's digest or alerts, and its mark, at once.

Everything a message needs is rendered here, before the transaction, into the exact bytes every
attempt will send: the MIME message with its Message-ID for email, the JSON body with its
idempotency key for a webhook, the file for a directory. Then one transaction inserts the rows
and moves the subscription's mark, so a crash at any point leaves both or neither.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tmwatch.clock import utc_datetime
from tmwatch.config.subscriptions import SmtpSettings, Subscription, Subscriptions
from tmwatch.delivery.alerts import Alert, alerts_for, capped
from tmwatch.delivery.email_message import (
    compose_email,
    digest_subject,
    message_id,
    strip_remote_references,
)
from tmwatch.delivery.selection import has_news, narrow
from tmwatch.output.digest import Selection, build_digest, to_json_text
from tmwatch.output.render import to_atom, to_html, to_markdown
from tmwatch.store import Store

SOURCE_QUIET = timedelta(days=1)
DIRECTORY_SUFFIX = {"html": "html", "md": "md", "json": "json", "atom": "atom"}


@dataclass(frozen=True)
class Content:
    """One message before it is shaped for a channel."""

    kind: str  # digest | alert
    subject: str
    text: str
    html: str | None
    document: dict[str, Any]
    files: dict[str, str]  # directory channel: format -> rendered text
    quiet_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Queued:
    subscription: str
    kind: str
    summary: str
    outbox_id: int


@dataclass
class QueueResult:
    queued: list[Queued]
    quiet: int = 0  # alerts folded into an earlier one by the quiet period
    not_due: list[str] | None = None  # daily subscriptions already queued today, or empty


def local_day(subscription: Subscription, now: datetime) -> str:
    return now.astimezone(subscription.zone).date().isoformat()


def queue_due(
    store: Store,
    subscriptions: Subscriptions,
    *,
    clock: Callable[[], datetime] = utc_datetime,
) -> QueueResult:
    """Queue what each enabled subscription is due: today's digest, or its new alerts."""
    result = QueueResult([], 0, [])
    for subscription in subscriptions.enabled:
        digest = build_digest(store, Selection(), mark_name=subscription.mark, clock=clock)
        now = datetime.fromisoformat(digest["generated_at"])
        narrowed = narrow(digest, subscription.filters)
        if subscription.cadence == "daily":
            day = local_day(subscription, now)
            if store.outbox.last_digest_day(subscription.name) == day:
                assert result.not_due is not None
                result.not_due.append(f"{subscription.name}: today's digest is already queued")
                continue
            if not (subscription.send_empty or has_news(narrowed)):
                assert result.not_due is not None
                result.not_due.append(f"{subscription.name}: nothing new")
                continue
            contents = [_digest_content(narrowed, subscription)]
        else:
            day = None
            due = []
            for alert in alerts_for(subscription, narrowed):
                last = store.outbox.last_alert(subscription.name, alert.quiet_key)
                quiet = subscription.quiet
                if alert.kind == "source":
                    quiet = max(quiet, SOURCE_QUIET)  # a lasting flag: one alert a day at most
                if last and now - datetime.fromisoformat(last) < quiet:
                    result.quiet += 1
                    continue
                due.append(alert)
            contents = [
                _alert_content(alert, subscription, now)
                for alert in capped(due, subscription.max_alerts)
            ]
        result.queued += _enqueue(store, subscriptions, subscription, digest, contents, now, day)
    return result


def _enqueue(
    store: Store,
    subscriptions: Subscriptions,
    subscription: Subscription,
    digest: dict[str, Any],
    contents: list[Content],
    now: datetime,
    day: str | None,
) -> list[Queued]:
    queued = []
    with store.transaction():
        for content in contents:
            outbox_id = store.outbox.next_id()
            key = f"tmwatch.{outbox_id}.{content.kind}.{subscription.name}.{secrets.token_hex(6)}"
            payload, meta = _shape(content, subscription, subscriptions.smtp, key, now, day)
            added = store.outbox.add(
                subscription=subscription.name,
                kind=content.kind,
                channel=subscription.channel,
                key=key,
                summary=content.subject,
                payload=payload,
                meta=meta,
                created_at=now.isoformat(),
                day=day,
                read_up_to=digest["read_up_to"],
            )
            for quiet_key in content.quiet_keys:
                store.outbox.log_alert(subscription.name, quiet_key, now.isoformat(), added)
            queued.append(Queued(subscription.name, content.kind, content.subject, added))
        store.marks.move(
            subscription.mark, digest["read_up_to"], digest["generated_at"], digest["status_up_to"]
        )
    return queued


def _digest_content(digest: dict[str, Any], subscription: Subscription) -> Content:
    subject = digest_subject(digest)
    files = {}
    if subscription.channel == "directory":
        files[subscription.format] = _render(digest, subscription.format)
    return Content(
        kind="digest",
        subject=subject,
        text=to_markdown(digest),
        html=to_html(digest) if subscription.channel == "email" else None,
        document={"type": "digest", "subscription": subscription.name, "digest": digest},
        files=files,
    )


def _alert_content(alert: Alert, subscription: Subscription, now: datetime) -> Content:
    document = {
        "type": "alert",
        "subscription": subscription.name,
        "at": now.isoformat(),
        "subject": alert.subject,
        **alert.document,
    }
    return Content(
        kind="alert",
        subject=alert.subject,
        text=alert.text(),
        html=alert.html(),
        document=document,
        files={"json": json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"},
        quiet_keys=alert.quiet_keys,
    )


def _render(digest: dict[str, Any], fmt: str) -> str:
    if fmt == "html":
        return to_html(digest)
    if fmt == "md":
        return to_markdown(digest)
    if fmt == "atom":
        return to_atom(digest)
    return to_json_text(digest)


def _shape(
    content: Content,
    subscription: Subscription,
    smtp: SmtpSettings | None,
    key: str,
    now: datetime,
    day: str | None,
) -> tuple[bytes, dict[str, Any]]:
    """The exact bytes to send through ``subscription``'s channel, and what else it needs."""
    if subscription.channel == "email":
        assert smtp is not None  # the loader requires [smtp] for an email subscription
        domain = smtp.sender.rpartition("@")[2] or smtp.local_hostname
        mid = message_id(key, domain)
        payload = compose_email(
            sender=smtp.sender,
            recipients=subscription.to,
            subject=content.subject,
            text=content.text,
            html=strip_remote_references(content.html) if content.html else None,
            message_id=mid,
            date=now,
            extra_headers={"X-Tmwatch-Subscription": subscription.name},
        )
        return payload, {"recipients": list(subscription.to), "message_id": mid}
    if subscription.channel == "webhook":
        document = {**content.document, "key": key}
        body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return body, {"url": subscription.url}
    fmt = next(iter(content.files))
    stamp = day if content.kind == "digest" and day else now.strftime("%Y-%m-%dT%H%M%S")
    name = f"tmwatch-{subscription.name}-{content.kind}-{stamp}-{key.split('.')[1]}"
    return content.files[fmt].encode("utf-8"), {"file": f"{name}.{DIRECTORY_SUFFIX[fmt]}"}
