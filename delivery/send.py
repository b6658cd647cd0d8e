"""Sending the outbox: each pending message until its receiver accepts it.

On SQLite attempts happen outside any transaction (a slow SMTP server never holds the store's one
writer); each result is committed as soon as it is known. On PostgreSQL several hosts may send from
one store: each message is claimed first (``Outbox.claim``, a row lock that leaves the other
writers alone) and its result recorded before the claim ends, so no message goes out twice and one
that another host is sending is reported as ``busy`` and left to it. A message is retried within a
run with a doubling backoff, and on every later run; it becomes a dead letter only under the
delivery policy (``DeliveryPolicy``), and stays visible in ``tmwatch health`` and the digest. When
a receiver is down, the other messages for it wait for the next run instead of each timing out in
turn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tmwatch.clock import utc_datetime
from tmwatch.config.secrets import SMTP_PASSWORD, SMTP_USER, Secrets
from tmwatch.config.subscriptions import Subscription, Subscriptions
from tmwatch.delivery.errors import DeliveryError
from tmwatch.delivery.smtp import send_email
from tmwatch.delivery.webhook import post_json
from tmwatch.output.digest import save_text
from tmwatch.store import Store
from tmwatch.store.outbox import OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempted:
    """What became of one message in this run."""

    message: OutboxMessage
    outcome: str  # sent | failed | dead | waiting | orphaned | busy | done
    detail: str = ""

    def line(self) -> str:
        m = self.message
        head = f"{self.outcome}: {m.subscription} ({m.channel} {m.kind} #{m.id}) {m.summary}"
        return f"{head}: {self.detail}" if self.detail else head


def receiver_of(subscription: Subscription) -> str:
    """Messages to one receiver share its fate within a run."""
    if subscription.channel == "email":
        return "smtp"
    if subscription.channel == "webhook":
        return subscription.url
    return str(subscription.path)


def send_pending(
    store: Store,
    subscriptions: Subscriptions,
    secrets: Secrets,
    *,
    clock: Callable[[], datetime] = utc_datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Attempted]:
    down: dict[str, str] = {}
    results = []
    for message in store.outbox.pending():
        subscription = subscriptions.get(message.subscription)
        if subscription is None or not subscription.enabled:
            results.append(
                Attempted(message, "orphaned", "its subscription is gone or disabled; kept")
            )
            continue
        receiver = receiver_of(subscription)
        if receiver in down:
            results.append(Attempted(message, "waiting", f"receiver down: {down[receiver]}"))
            continue
        with store.outbox.claim(message.id) as claimed:
            if claimed is None:
                results.append(_elsewhere(store, message))
                continue
            attempt = _deliver(store, claimed, subscription, subscriptions, secrets, clock, sleep)
        results.append(attempt)
        if attempt.outcome != "sent":
            down[receiver] = attempt.detail
    return results


def _elsewhere(store: Store, message: OutboxMessage) -> Attempted:
    """A message this run could not claim: another host is sending it (``busy``: not a
    failure, that host records the result), or it was sent or given up on since this run
    listed the pending messages (``done``)."""
    current = store.outbox.get(message.id)
    if current is not None and current.state == "pending":
        return Attempted(message, "busy", "another host is sending it")
    state = current.state if current is not None else "gone"
    return Attempted(current or message, "done", f"already {state} (by another host)")


def _deliver(
    store: Store,
    message: OutboxMessage,
    subscription: Subscription,
    subscriptions: Subscriptions,
    secrets: Secrets,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
) -> Attempted:
    """Up to ``attempts_per_run`` tries with a doubling pause; each result committed at once."""
    policy = subscriptions.delivery
    error = ""
    for attempt in range(policy.attempts_per_run):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        try:
            detail = _transmit(message, subscription, subscriptions, secrets)
        except DeliveryError as exc:
            error = str(exc)
            with store.transaction():
                state = store.outbox.failed(
                    message.id,
                    error,
                    clock(),
                    max_attempts=policy.max_attempts,
                    give_up_after=policy.give_up_after,
                )
            logger.warning("delivery failed (%s): %s", message.summary, error)
            if state == "dead":
                return Attempted(message, "dead", error)
            if exc.permanent:
                break
            continue
        with store.transaction():
            store.outbox.sent(message.id, clock().replace(microsecond=0).isoformat())
        return Attempted(message, "sent", detail)
    return Attempted(message, "failed", error)


def _transmit(
    message: OutboxMessage,
    subscription: Subscription,
    subscriptions: Subscriptions,
    secrets: Secrets,
) -> str:
    """Hand the stored bytes to the receiver; what it said, for the run's report."""
    policy = subscriptions.delivery
    if message.channel == "email":
        smtp = subscriptions.smtp
        if smtp is None:
            raise DeliveryError("no [smtp] section in subscriptions.toml")
        user, password = secrets.get(SMTP_USER), secrets.get(SMTP_PASSWORD)
        if user and not password:
            raise DeliveryError(f"{SMTP_USER} is set but {SMTP_PASSWORD} is not")
        recipients = message.meta["recipients"]
        refused = send_email(
            smtp, message.payload, smtp.sender, recipients, (user, password) if user else None
        )
        accepted = [r for r in recipients if r not in refused]
        note = f"; refused: {', '.join(refused)}" if refused else ""
        return f"accepted for {', '.join(accepted)}{note}"
    if message.channel == "webhook":
        secret = None
        if subscription.secret_env:
            secret = secrets.get(subscription.secret_env)
            if not secret:
                raise DeliveryError(
                    f"the signing secret {subscription.secret_env} is not set (environment or "
                    f"secrets.toml); not sending unsigned"
                )
        status = post_json(
            message.meta["url"],
            message.payload,
            key=message.key,
            secret=secret,
            timeout=policy.timeout,
            allow_insecure=subscription.allow_insecure,
        )
        return f"HTTP {status}"
    return _write_file(message, subscription)


def _write_file(message: OutboxMessage, subscription: Subscription) -> str:
    assert subscription.path is not None
    directory: Path = subscription.path
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = save_text(message.payload.decode("utf-8"), directory / message.meta["file"])
    except OSError as exc:
        raise DeliveryError(f"directory {directory}: {exc.strerror or exc}") from None
    return str(path)
