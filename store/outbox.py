"""The outbox: every message for a subscriber, kept until a receiver accepts it.

A message enters in the same transaction that moves its subscription's mark, so a crash leaves
either both or neither: nothing is lost and nothing is queued twice. On SQLite, sending happens
outside any transaction and each attempt is then recorded; on PostgreSQL, where several hosts
send from one store, each message is claimed (its row locked) for the duration of its send
(``Outbox.claim``). The payload is stored as the exact bytes to send, so every retry is
byte-identical and carries the same Message-ID or idempotency key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tmwatch.store.connection import Transaction
from tmwatch.store.database import POSTGRESQL

STATES = ("pending", "sent", "dead")


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    subscription: str
    kind: str  # digest | alert
    channel: str
    key: str  # Message-ID (email) or idempotency key (webhook, directory)
    summary: str  # the subject line: what health and logs show
    payload: bytes
    meta: dict[str, Any]
    day: str | None
    read_up_to: int
    created_at: str
    state: str
    attempts: int
    first_failure_at: str | None
    last_attempt_at: str | None
    last_error: str | None
    sent_at: str | None

    def as_dict(self) -> dict[str, Any]:
        """Everything but the payload (which may name people): for health and ``--json``."""
        return {
            "id": self.id,
            "subscription": self.subscription,
            "kind": self.kind,
            "channel": self.channel,
            "key": self.key,
            "summary": self.summary,
            "created_at": self.created_at,
            "state": self.state,
            "attempts": self.attempts,
            "first_failure_at": self.first_failure_at,
            "last_attempt_at": self.last_attempt_at,
            "last_error": self.last_error,
            "sent_at": self.sent_at,
        }


_COLUMNS = (
    "id, subscription, kind, channel, key, summary, payload, meta, day, read_up_to, created_at, "
    "state, attempts, first_failure_at, last_attempt_at, last_error, sent_at"
)


def _message(row: sqlite3.Row | tuple[Any, ...]) -> OutboxMessage:
    values = list(row)
    values[6] = bytes(values[6])
    values[7] = json.loads(values[7])
    return OutboxMessage(*values)


class Outbox:
    """The outbox and alert-log tables of one store connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def next_id(self) -> int:
        """The id the next message will get (inside the enqueuing transaction: for its key)."""
        row = self.db.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()
        return int(row[0]) + 1

    def add(
        self,
        *,
        subscription: str,
        kind: str,
        channel: str,
        key: str,
        summary: str,
        payload: bytes,
        meta: dict[str, Any],
        created_at: str,
        day: str | None = None,
        read_up_to: int = 0,
    ) -> int:
        return self.db.insert_id(
            "INSERT INTO outbox(subscription, kind, channel, key, summary, payload, meta, day, "
            "read_up_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                subscription,
                kind,
                channel,
                key,
                summary,
                payload,
                json.dumps(meta, ensure_ascii=False, sort_keys=True),
                day,
                read_up_to,
                created_at,
            ),
        )

    def _select(self, rest: str, params: tuple[Any, ...] = ()) -> list[OutboxMessage]:
        query = f"SELECT {_COLUMNS} FROM outbox {rest}"  # noqa: S608 - constant column list
        return [_message(row) for row in self.db.execute(query, params)]

    def get(self, message_id: int) -> OutboxMessage | None:
        found = self._select("WHERE id = ?", (message_id,))
        return found[0] if found else None

    @contextmanager
    def claim(self, message_id: int) -> Iterator[OutboxMessage | None]:
        """``with outbox.claim(id) as message:`` -- the message, if this process may send it now.

        On PostgreSQL several hosts run ``tmwatch run`` against one store; each would send every
        pending message. The claim locks the row (``FOR UPDATE SKIP LOCKED``, in a plain
        transaction: no store-wide write lock, so the crawlers keep writing) for as long as the
        send lasts, and the result is recorded before the lock goes: another host skips the
        row meanwhile (None) and afterwards finds it sent. A host that dies mid-send loses its
        connection and with it the lock, so the message is still pending for the next run.
        Record the result inside the block with ``store.transaction()`` (a savepoint there).

        On SQLite one process sends (``RunLock``) and a transaction held across an SMTP
        exchange would block the crawler's writes, so the claim is only a fresh read: None
        when the message is no longer pending.
        """
        if getattr(self.db, "dialect", "") != POSTGRESQL:
            message = self.get(message_id)
            yield message if message is not None and message.state == "pending" else None
            return
        with Transaction(self.db, exclusive=False):
            found = self._select(
                "WHERE id = ? AND state = 'pending' FOR UPDATE SKIP LOCKED", (message_id,)
            )
            yield found[0] if found else None

    def pending(self, subscriptions: list[str] | None = None) -> list[OutboxMessage]:
        """Messages still to send, oldest first (a digest before the alerts queued after it)."""
        found = self._select("WHERE state = 'pending' ORDER BY id")
        if subscriptions is not None:
            found = [m for m in found if m.subscription in subscriptions]
        return found

    def dead_letters(self) -> list[OutboxMessage]:
        return self._select("WHERE state = 'dead' ORDER BY id")

    def recent(self, limit: int = 50) -> list[OutboxMessage]:
        return self._select("ORDER BY id DESC LIMIT ?", (limit,))

    def last_digest_day(self, subscription: str) -> str | None:
        """The day of the newest digest queued for ``subscription`` (sent or not)."""
        row = self.db.execute(
            "SELECT day FROM outbox WHERE subscription = ? AND kind = 'digest' "
            "ORDER BY id DESC LIMIT 1",
            (subscription,),
        ).fetchone()
        return row[0] if row else None

    def delivered_up_to(self, subscription: str) -> int:
        """How far into the store what this subscription *received* reaches (sent rows only)."""
        row = self.db.execute(
            "SELECT coalesce(max(read_up_to), 0) FROM outbox WHERE subscription = ? "
            "AND state = 'sent'",
            (subscription,),
        ).fetchone()
        return int(row[0])

    def counts(self) -> dict[str, dict[str, int]]:
        """Per subscription, how many messages are pending, sent and dead."""
        found: dict[str, dict[str, int]] = {}
        for name, state, count in self.db.execute(
            "SELECT subscription, state, count(*) FROM outbox GROUP BY subscription, state"
        ):
            found.setdefault(name, dict.fromkeys(STATES, 0))[state] = int(count)
        return found

    def sent(self, message_id: int, at: str) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, last_attempt_at = ?, "
            "attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
            (at, at, message_id),
        )

    def failed(
        self,
        message_id: int,
        error: str,
        at: datetime,
        *,
        max_attempts: int,
        give_up_after: timedelta,
    ) -> str:
        """Record a failed attempt; the message's state afterwards (``pending`` or ``dead``)."""
        message = self.get(message_id)
        if message is None or message.state != "pending":
            return message.state if message else "dead"
        attempts = message.attempts + 1
        first = message.first_failure_at or at.isoformat()
        old_enough = at - datetime.fromisoformat(first) >= give_up_after
        state = "dead" if attempts >= max_attempts and old_enough else "pending"
        self.db.execute(
            "UPDATE outbox SET attempts = ?, first_failure_at = ?, last_attempt_at = ?, "
            "last_error = ?, state = ? WHERE id = ?",
            (attempts, first, at.isoformat(), error[:500], state, message_id),
        )
        return state

    def retry(self, message_ids: list[int] | None = None) -> int:
        """Put dead letters back in the queue (all, or the given ones); how many were."""
        if message_ids is None:
            cursor = self.db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, first_failure_at = NULL "
                "WHERE state = 'dead'"
            )
        else:
            cursor = self.db.executemany(
                "UPDATE outbox SET state = 'pending', attempts = 0, first_failure_at = NULL "
                "WHERE state = 'dead' AND id = ?",
                [(i,) for i in message_ids],
            )
        return int(cursor.rowcount or 0)

    # -- the alert log: quiet periods --------------------------------------------------------

    def last_alert(self, subscription: str, key: str) -> str | None:
        row = self.db.execute(
            "SELECT at FROM alert_log WHERE subscription = ? AND key = ?", (subscription, key)
        ).fetchone()
        return row[0] if row else None

    def log_alert(self, subscription: str, key: str, at: str, outbox_id: int | None) -> None:
        self.db.execute(
            "INSERT INTO alert_log(subscription, key, at, outbox_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(subscription, key) DO UPDATE SET at = excluded.at, "
            "outbox_id = excluded.outbox_id",
            (subscription, key, at, outbox_id),
        )
