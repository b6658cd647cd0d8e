"""Case events and statuses from the store, and announcing each status change once.

Statuses are derived only from merged events (``pipeline.cases``). After every crawl and every
rebuild, the derived statuses are compared with the last status *announced* for each person (the
store's status log, kept across rebuilds): only a real change is logged, so rebuilding events
never announces a change twice, and a digest shows the changes logged since its mark.
"""

from __future__ import annotations

from tmwatch.pipeline.cases import (
    CaseEvent,
    Report,
    Status,
    merge_events,
    person_statuses,
)
from tmwatch.pipeline.events import event_from_dict
from tmwatch.store import Store


def stored_reports(store: Store, persons: list[str] | None = None) -> list[Report]:
    """Every event report in the store (corrections applied), as records."""
    return [
        Report(
            row["article_id"],
            row["outlet"],
            row["published_day"] or row["published"],
            event_from_dict(row),
        )
        for row in store.events.reports(persons)
    ]


def case_events(store: Store, persons: list[str] | None = None) -> list[CaseEvent]:
    return merge_events(stored_reports(store, persons))


def current_statuses(store: Store, persons: list[str] | None = None) -> dict[str, Status]:
    return person_statuses(case_events(store, persons), persons or ())


def announce_status_changes(store: Store) -> list[Status]:
    """Log every person whose derived status differs from the last one announced."""
    announced = store.events.latest_statuses()
    changed = []
    with store.transaction():
        sequence = store.marks.high_water()
        for person, status in current_statuses(store).items():
            last = announced.get(person)
            previous = last["state"] if last else "unknown"
            same = last is not None and (last["state"], last["since"], last["place"]) == (
                status.state,
                status.since,
                status.place,
            )
            if same or (last is None and status.state == "unknown"):
                continue
            store.events.log_status(
                person,
                status.state,
                status.since,
                status.place,
                previous,
                status.describe(),
                sequence,
            )
            changed.append(status)
    return changed
