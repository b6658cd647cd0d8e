"""Digest marks: named positions in commit order ("what the `daily` digest has shown").

A mark holds the highest capture id a digest saw and the time it was written. Capture ids grow
in commit order (the store has one writer at a time), so "new since the mark" means "first stored
by a commit after the digest read the store", whatever the fetch times say.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

DEFAULT_MARK = "daily"


@dataclass(frozen=True)
class Mark:
    name: str
    sequence: int
    at: str
    status_id: int = 0  # the last status change (status_log id) the digest showed

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sequence": self.sequence,
            "at": self.at,
            "status_id": self.status_id,
        }


class Marks:
    """The marks table of one store connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, name: str) -> Mark | None:
        row = self.db.execute(
            "SELECT name, sequence, at, status_id FROM marks WHERE name = ?", (name,)
        ).fetchone()
        return Mark(row[0], int(row[1]), row[2], int(row[3])) if row else None

    def names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM marks ORDER BY name")]

    def high_water(self) -> int:
        """The position of the newest committed capture: where a digest read up to."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM captures").fetchone()[0])

    def status_high_water(self) -> int:
        """The newest announced status change: where a digest read the status log up to."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM status_log").fetchone()[0])

    def move(self, name: str, sequence: int, at: str, status_id: int = 0) -> None:
        """Move ``name`` forward to ``sequence`` (and ``status_id``); a mark never moves back."""
        self.db.execute(
            "INSERT INTO marks(name, sequence, at, status_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET sequence = max(marks.sequence, excluded.sequence), "
            "status_id = max(marks.status_id, excluded.status_id), at = excluded.at",
            (name, sequence, at, status_id),
        )
