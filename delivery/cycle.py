"""One delivery cycle, as ``tmwatch run`` does it after crawling: queue what is due, send.

Queueing and sending are separate steps with the outbox between them, so a run killed anywhere
is completed by the next: a digest not yet queued is queued then (it is still due today), and a
message queued but not accepted is sent then, with the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tmwatch.clock import utc_datetime
from tmwatch.config.secrets import Secrets
from tmwatch.config.subscriptions import Subscriptions
from tmwatch.delivery.queue import QueueResult, queue_due
from tmwatch.delivery.send import Attempted, send_pending
from tmwatch.output.digest import Selection, build_digest, mark_digest_written, save_json, save_text
from tmwatch.output.render import to_html
from tmwatch.store import Store

RUN_MARK = "run"
"""The mark of the digest files ``tmwatch run`` writes into the data home, one set a day."""


@dataclass
class DeliveryReport:
    queued: QueueResult
    attempts: list[Attempted]
    day_digest: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Attempted]:
        return [a for a in self.attempts if a.outcome in ("failed", "dead", "waiting", "orphaned")]

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        lines = []
        if self.day_digest:
            lines.append(f"digest: {self.day_digest} (and .html)")
        for q in self.queued.queued:
            lines.append(f"queued: {q.subscription} {q.kind} #{q.outbox_id}: {q.summary}")
        if self.queued.quiet:
            lines.append(f"quiet: {self.queued.quiet} alerts already sent within the quiet period")
        for note in self.queued.not_due or []:
            lines.append(f"not due: {note}")
        lines += [a.line() for a in self.attempts]
        lines += self.notes
        return lines


def write_day_digest(store: Store, digest_dir: Path, now: datetime) -> Path | None:
    """The day's digest files in the data home (``YYYY-MM-DD.json`` and ``.html``), once a day.

    They hold what is new since the previous day's files (their own mark, so a user's
    ``tmwatch digest`` and its ``daily`` mark are untouched).
    """
    day = now.astimezone().date().isoformat()
    path = digest_dir / f"{day}.json"
    if path.exists():
        return None
    digest = build_digest(store, Selection(), mark_name=RUN_MARK, clock=lambda: now)
    save_text(to_html(digest), path.with_suffix(".html"))
    save_json(digest, path)  # last: its presence says the day's files are complete
    mark_digest_written(store, digest)
    return path


def deliver(
    store: Store,
    subscriptions: Subscriptions,
    secrets: Secrets,
    *,
    digest_dir: Path | None = None,
    clock: Callable[[], datetime] = utc_datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Write the day's digest (when ``digest_dir``), queue what is due, send every pending."""
    now = clock().replace(microsecond=0)
    day_digest = write_day_digest(store, digest_dir, now) if digest_dir else None
    queued = queue_due(store, subscriptions, clock=clock)
    attempts = send_pending(store, subscriptions, secrets, clock=clock, sleep=sleep)
    return DeliveryReport(queued, attempts, day_digest)
