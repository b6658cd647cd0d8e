"""Crawl state: the frontier of discovered URLs, feed validators and the record of runs.

This is what makes crawls resumable and incremental: every discovered article URL is written to
the frontier before it is requested, validators (ETag/Last-Modified) make the next feed fetch
conditional, and a run that never finished tells the next one to resume.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tmwatch.clock import utc_now
from tmwatch.record import FeedHints

MAX_ATTEMPTS = 3
"""A frontier URL that failed this many times is no longer retried automatically."""


_UNFINISHED = "(state = 'pending' OR (state = 'failed' AND attempts < ?))"
"""A frontier URL still to fetch (parameter: MAX_ATTEMPTS)."""
_SETTLED_SINCE = "(leased_by IS NULL AND lease_until IS NOT NULL AND lease_until >= ?)"
"""Settled at or after a time (parameter): ``settle`` keeps that time in ``lease_until``."""


@dataclass(frozen=True)
class PendingURL:
    url: str
    source: str
    found_via: str
    hints: FeedHints


def _pending_url(row: Any) -> PendingURL:
    hints = FeedHints.from_dict(json.loads(row["hints"]))
    return PendingURL(row["url"], row["source"], row["found_via"], hints)


class CrawlState:
    """The crawl-state tables of one store connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # -- frontier ----------------------------------------------------------------------------

    def discover(self, url: str, source: str, found_via: str, hints: FeedHints) -> bool:
        """Record a discovered article URL; True if it was new to the frontier."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO frontier(url, source, found_via, hints, discovered_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (url, source, found_via, json.dumps(hints.as_dict(), ensure_ascii=False), utc_now()),
        )
        return cur.rowcount == 1

    def pending(self, sources: Iterable[str]) -> list[PendingURL]:
        """Frontier URLs a previous run discovered but did not finish (the resume list)."""
        keys = list(sources)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT url, source, found_via, hints FROM frontier WHERE source IN ({marks}) "  # noqa: S608 - only placeholders are interpolated
            f"AND {_UNFINISHED} ORDER BY rowid",
            (*keys, MAX_ATTEMPTS),
        ).fetchall()
        return [_pending_url(r) for r in rows]

    def settle(self, url: str, state: str, error: str | None = None) -> None:
        """Set a frontier URL's state: done, failed (counts an attempt) or skipped.

        Its lease ends, and ``lease_until`` keeps the time it was settled: a crawler that
        started before then does not fetch the URL again in its run (see ``lease``)."""
        self.db.execute(
            "UPDATE frontier SET state = ?, last_error = ?, "  # noqa: S608 - a fixed clock
            "attempts = attempts + (CASE WHEN ? = 'failed' THEN 1 ELSE 0 END), "
            f"leased_by = NULL, lease_until = {self.db.EPOCH} WHERE url = ?",
            (state, error, state, url),
        )

    # -- leases: crawlers sharing one store ------------------------------------------------

    def clock(self) -> int:
        """The database's time in Unix seconds: every crawler's leases use this one clock."""
        return int(self.db.execute(f"SELECT {self.db.EPOCH}").fetchone()[0])

    def lease(self, url: str, worker: str, seconds: int, started: int, refresh: bool) -> bool:
        """Take the frontier URL for ``worker`` for ``seconds``; False when it is not to be
        fetched by this crawler now.

        A URL is leased just before it is downloaded, so that of several crawlers reading the
        same feeds only one fetches it. It is refused when another crawler's lease is still
        running, when it was settled after this crawler's run ``started`` (someone fetched it
        during this run: done, failed or skipped), and, unless ``refresh``, when it is done.
        One conditional UPDATE decides, so two crawlers can never both win.
        """
        cursor = self.db.execute(
            f"UPDATE frontier SET leased_by = ?, lease_until = {self.db.EPOCH} + ? "  # noqa: S608
            "WHERE url = ? AND (leased_by IS NULL OR leased_by = ? "
            f"OR lease_until < {self.db.EPOCH}) "
            f"AND NOT {_SETTLED_SINCE} "
            "AND (? OR state != 'done')",
            (worker, int(seconds), url, worker, int(started), bool(refresh)),
        )
        return cursor.rowcount == 1

    def unleased_pending(
        self, sources: Iterable[str], started: int, worker: str
    ) -> tuple[list[PendingURL], int]:
        """What is left for ``worker`` when its own queue is empty: pending frontier URLs of
        ``sources`` that nobody holds (a crashed crawler's expired leases among them) and that
        were not settled during this run; and how many others still hold (to wait for)."""
        keys = list(sources)
        if not keys:
            return [], 0
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT url, source, found_via, hints, leased_by, "  # noqa: S608 - placeholders
            f"(lease_until >= {self.db.EPOCH}) AS live FROM frontier WHERE source IN ({marks}) "
            f"AND {_UNFINISHED} AND NOT {_SETTLED_SINCE} ORDER BY rowid",
            (*keys, MAX_ATTEMPTS, int(started)),
        ).fetchall()
        free, held = [], 0
        for r in rows:
            if r["leased_by"] is not None and r["leased_by"] != worker and r["live"]:
                held += 1
                continue
            free.append(_pending_url(r))
        return free, held

    def reserve_request(self, domain: str, spacing: float) -> float:
        """Seconds to wait before the next request to ``domain``, the slot reserved.

        Every crawler reserves its requests here, each slot ``spacing`` seconds after the
        previous one, so that together they never ask one outlet more often than one crawler
        would. One statement reads and moves the domain's next slot, so two crawlers cannot
        take the same one.
        """
        now = self.db.EPOCH_REAL
        row = self.db.execute(
            f"INSERT INTO politeness(domain, next_at) VALUES (?, {now} + ?) "  # noqa: S608
            "ON CONFLICT(domain) DO UPDATE SET next_at = "
            f"(CASE WHEN politeness.next_at > {now} THEN politeness.next_at ELSE {now} END) + ? "
            f"RETURNING next_at - ? - {now}",
            (domain, float(spacing), float(spacing), float(spacing)),
        ).fetchone()
        return max(0.0, float(row[0]))

    # -- conditional GET ---------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute(
            "INSERT INTO validators(url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            (url, etag, last_modified, utc_now()),
        )

    # -- runs --------------------------------------------------------------------------------

    def start_run(self, command: str, worker: str = "") -> int:
        return int(
            self.db.insert_id(
                "INSERT INTO runs(command, started_at, worker) VALUES (?, ?, ?)",
                (command, utc_now(), worker),
            )
        )

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            (utc_now(), status, json.dumps(stats, ensure_ascii=False, sort_keys=True), run_id),
        )

    def last_run_interrupted(self, worker: str = "") -> bool:
        """True if ``worker``'s latest run did not finish: killed, crashed, power loss, or
        stopped by the user (Ctrl-C) or by a Scrapy limit; the next run then resumes it.
        Another crawler's runs (still going, perhaps) are not this one's to resume."""
        row = self.db.execute(
            "SELECT finished_at, status FROM runs WHERE worker = ? ORDER BY id DESC LIMIT 1",
            (worker,),
        ).fetchone()
        return bool(row) and (row["finished_at"] is None or row["status"] != "finished")

    def last_run(self) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if not row:
            return None
        record = dict(row)
        record["stats"] = json.loads(record["stats"])
        return record

    def runs_since(self, since: str) -> list[dict[str, Any]]:
        """Finished runs whose end is at or after ``since`` (ISO 8601 UTC), oldest first, with
        their stats parsed: the history source health reads. Runs still going are left out:
        their counts are not final."""
        rows = self.db.execute(
            "SELECT * FROM runs WHERE finished_at IS NOT NULL AND finished_at >= ? "
            "ORDER BY finished_at, id",
            (since,),
        ).fetchall()
        records = []
        for row in rows:
            record = dict(row)
            record["stats"] = json.loads(record["stats"] or "{}")
            records.append(record)
        return records

    def has_runs(self) -> bool:
        """True once any run was recorded (the demo seeds simulated history only before)."""
        return self.db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is not None

    def add_simulated_run(self, started_at: str, finished_at: str, stats: dict[str, Any]) -> int:
        """Record a finished run that never happened: the demo's simulated history.

        It is marked twice, so nothing can take it for a real crawl: command ``simulated`` and
        ``"simulated": true`` in its stats.
        """
        marked = {**stats, "simulated": True}
        return int(
            self.db.insert_id(
                "INSERT INTO runs(command, started_at, finished_at, status, stats) "
                "VALUES ('simulated', ?, ?, 'finished', ?)",
                (started_at, finished_at, json.dumps(marked, ensure_ascii=False, sort_keys=True)),
            )
        )
