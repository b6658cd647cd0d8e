"""Events (derived, per article), the user's corrections of them, and the status log.

Events are rebuilt with the articles they come from. What a person added (dismissing a report
or correcting its date) and what tmwatch has already announced (status changes) are user data
and history: they survive every rebuild.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from tmwatch.clock import utc_now


class EventStore:
    """The event tables of one store connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def replace_for_article(self, article_id: str, events: Iterable[dict[str, Any]]) -> None:
        """The events of one article (``Event.as_dict()`` shapes), replacing earlier ones."""
        self.db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO events(article_id, person, type, date, date_precision, date_basis, "
            "place, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    e["person"],
                    e["type"],
                    e["date"],
                    e["date_precision"],
                    e["date_basis"],
                    e["place"],
                    json.dumps(e["evidence"], ensure_ascii=False),
                )
                for e in events
            ],
        )

    def reports(self, persons: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Every stored event with its article's key, outlet, day and URL, oldest report first.

        Reports the user dismissed are left out; a corrected date replaces the extracted one.
        """
        sql = (
            "SELECT e.*, a.article_key, a.outlet, a.published, a.published_day, a.url, "
            "c.action, c.value FROM events e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN event_corrections c ON c.article_key = a.article_key "
            "AND c.person = e.person AND c.type = e.type"
        )
        params: list[str] = []
        wanted = list(persons) if persons is not None else None
        if wanted is not None:
            sql += f" WHERE e.person IN ({','.join('?' * len(wanted)) or 'NULL'})"
            params = wanted
        sql += " ORDER BY coalesce(a.published_day, a.published), a.id, e.id"
        result = []
        for row in self.db.execute(sql, params):
            record = dict(row)
            action, value = record.pop("action"), record.pop("value")
            if action == "dismiss":
                continue
            if action == "date":
                record.update(date=value, date_basis="corrected", date_precision=_precision(value))
            record["evidence"] = json.loads(record["evidence"])
            result.append(record)
        return result

    def persons(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT person FROM events ORDER BY 1")]

    # -- corrections (user data) ---------------------------------------------------------------

    def correct(
        self, article_key: str, person: str, type_: str, action: str, value: str | None, note: str
    ) -> None:
        self.db.execute(
            "INSERT INTO event_corrections(article_key, person, type, action, value, note, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_key, person, type) DO UPDATE SET "
            "action = excluded.action, value = excluded.value, note = excluded.note, "
            "at = excluded.at",
            (article_key, person, type_, action, value, note, utc_now()),
        )

    def corrections(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM event_corrections ORDER BY at")]

    # -- the status log (history) --------------------------------------------------------------

    def latest_statuses(self) -> dict[str, dict[str, Any]]:
        """Each person's last announced status."""
        rows = self.db.execute(
            "SELECT * FROM status_log WHERE id IN (SELECT max(id) FROM status_log GROUP BY person)"
        )
        return {r["person"]: dict(r) for r in rows}

    def log_status(
        self,
        person: str,
        state: str,
        since: str | None,
        place: str | None,
        previous: str | None,
        description: str,
        sequence: int,
    ) -> None:
        self.db.execute(
            "INSERT INTO status_log(person, state, since, place, previous, description, sequence, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (person, state, since, place, previous, description, sequence, utc_now()),
        )

    def changes_after(self, status_id: int, up_to: int) -> list[dict[str, Any]]:
        """Status changes announced after ``status_id`` and up to ``up_to`` (log ids)."""
        rows = self.db.execute(
            "SELECT * FROM status_log WHERE id > ? AND id <= ? ORDER BY id", (status_id, up_to)
        )
        return [dict(r) for r in rows]


def _precision(value: str | None) -> str | None:
    if not value:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(value))
