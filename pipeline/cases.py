"""Cases: one event however many outlets report it, and each person's status from the events.

Several outlets report the same detention, sometimes with different days. Like GDELT's mentions
table, ``merge_events`` keeps one ``CaseEvent`` per real-world event and lists every ``Report``
of it (article, outlet, publication date, the article's own evidence). Its rules:

* reports merge when they have the same person and type, their days are at most one day apart
  (every pair in the event: 21 and 22 October merge, 21 and 23 do not), and their places are
  compatible (equal, or one of them unknown);
* differing days inside one event are kept and flagged, never averaged: ``date_conflict`` counts
  the outlets behind each day and ``note`` says it for a human ("21.10 per one outlet, 22.10 per
  two"); the event's ``date`` is the day most outlets give (the earlier on a tie);
* a month- or year-precision report joins the single day-precision event inside that month or
  year; when there are several, it stays an event of its own (which one it meant is unknown);
* an undated report joins the latest dated event (same person, type, compatible place) that lies
  within ``undated_days`` before its publication — an article about an event reports it soon
  after it happens — else undated reports published within ``undated_days`` of each other are
  one event.

``person_statuses`` derives each person's current status only from custody events (detained,
deportation_centre, released, deported), the latest last; a threat, a summons, an attack or a
court decision leaves it as it was. ``status_changes`` compares the statuses two event sets give,
so a digest can open with what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, cast

from tmwatch.pipeline.event_dates import publication_day
from tmwatch.pipeline.events import Event

CUSTODY = ("detained", "deportation_centre", "released", "deported")
"""Event types that change a person's status, in the order they happen on one day."""

StatusState = Literal["detained", "deportation_centre", "released", "deported", "unknown"]

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Report:
    """One article's report of an event: where it was published and what it said."""

    article_id: str
    outlet: str
    published: str | None
    event: Event

    def as_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "published": self.published,
            "date": self.event.date,
            "date_precision": self.event.date_precision,
            "date_basis": self.event.date_basis,
            "place": self.event.place,
            "evidence": self.event.evidence.as_dict(),
        }


@dataclass(frozen=True)
class CaseEvent:
    """One real-world event and every report of it."""

    person: str
    type: str
    date: str | None
    date_precision: str | None
    place: str | None
    reports: tuple[Report, ...]
    date_conflict: Mapping[str, int] | None = None
    note: str | None = None

    @property
    def outlets(self) -> list[str]:
        return sorted({r.outlet for r in self.reports})

    @property
    def latest_report(self) -> str | None:
        """The newest publication day among the reports (ISO), if any is known."""
        days = [d for r in self.reports if (d := publication_day(r.published))]
        return max(days).isoformat() if days else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "type": self.type,
            "date": self.date,
            "date_precision": self.date_precision,
            "place": self.place,
            "date_conflict": dict(self.date_conflict) if self.date_conflict else None,
            "note": self.note,
            "outlets": self.outlets,
            "reports": [r.as_dict() for r in self.reports],
        }


def reports_from_article(
    article_id: str, outlet: str, published: str | None, events: Iterable[Event]
) -> list[Report]:
    """The reports one article makes (its extracted events, with where they were published)."""
    return [Report(article_id, outlet, published, event) for event in events]


@dataclass
class _Cluster:
    reports: list[Report] = field(default_factory=list)

    def days(self) -> list[date]:
        return [_day(r.event.date) for r in self.reports if _precision(r) == "day"]

    def places(self) -> set[str]:
        return {r.event.place for r in self.reports if r.event.place}

    def compatible_place(self, place: str | None) -> bool:
        places = self.places()
        return place is None or not places or places == {place}


def _precision(report: Report) -> str | None:
    if report.event.date is None:
        return None
    return report.event.date_precision or {10: "day", 7: "month", 4: "year"}.get(
        len(report.event.date)
    )


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else date.min


def merge_events(
    reports: Iterable[Report], *, window_days: int = 1, undated_days: int = 30
) -> list[CaseEvent]:
    """Group reports into events (rules in the module docstring); sorted by person, date, type."""
    groups: dict[tuple[str, str], list[Report]] = {}
    for report in reports:
        groups.setdefault((report.event.person, report.event.type), []).append(report)
    merged: list[CaseEvent] = []
    for (person, kind), items in groups.items():
        for cluster in _cluster(items, window_days, undated_days):
            merged.append(_case_event(person, kind, cluster))
    order = {k: i for i, k in enumerate(CUSTODY)}
    return sorted(
        merged,
        key=lambda e: (e.person, e.date is None, e.date or "", order.get(e.type, 9), e.type),
    )


def _cluster(items: list[Report], window_days: int, undated_days: int) -> list[_Cluster]:
    by_precision: dict[str | None, list[Report]] = {"day": [], "month": [], "year": [], None: []}
    for report in items:
        by_precision[_precision(report)].append(report)
    clusters: list[_Cluster] = []
    window = timedelta(days=window_days)
    for report in sorted(by_precision["day"], key=lambda r: (r.event.date, r.published or "")):
        day = _day(report.event.date)
        home = next(  # the first event it fits: a report without a place joins the earliest
            (
                c
                for c in clusters
                if all(abs(day - d) <= window for d in c.days())
                and c.compatible_place(report.event.place)
            ),
            None,
        )
        if home is None:
            clusters.append(_Cluster([report]))
        else:
            home.reports.append(report)
    day_clusters = list(clusters)
    for precision, width in (("month", 7), ("year", 4)):
        for report in sorted(by_precision[precision], key=lambda r: r.event.date or ""):
            prefix = (report.event.date or "")[:width]
            inside = [
                c
                for c in day_clusters
                if any(d.isoformat()[:width] == prefix for d in c.days())
                and c.compatible_place(report.event.place)
            ]
            same = [
                c
                for c in clusters
                if c not in day_clusters
                and all((r.event.date or "")[:width] == prefix for r in c.reports)
                and {_precision(r) for r in c.reports} == {precision}
            ]
            home = inside[0] if len(inside) == 1 else (same[0] if same and not inside else None)
            if home is None:
                clusters.append(_Cluster([report]))
            else:
                home.reports.append(report)
    dated = list(clusters)
    undated: list[_Cluster] = []
    for report in sorted(by_precision[None], key=lambda r: r.published or ""):
        home = _dated_home(report, dated, undated_days)
        if home is None:
            home = next(
                (
                    c
                    for c in undated
                    if c.compatible_place(report.event.place)
                    and _within(c.reports[0].published, report.published, undated_days)
                ),
                None,
            )
            if home is None:
                undated.append(_Cluster([report]))
                continue
        home.reports.append(report)
    return dated + undated


def _dated_home(report: Report, clusters: list[_Cluster], undated_days: int) -> _Cluster | None:
    """The latest dated event within ``undated_days`` before the report's publication."""
    published = publication_day(report.published)
    if published is None:
        return None
    candidates = []
    for cluster in clusters:
        if not cluster.compatible_place(report.event.place):
            continue
        start = _start(cluster)
        if start is not None and published - timedelta(days=undated_days) <= start:
            if start <= published + timedelta(days=1):
                candidates.append((start, cluster))
    return max(candidates, key=lambda sc: sc[0])[1] if candidates else None


def _start(cluster: _Cluster) -> date | None:
    """The first day a cluster's dates allow (a month's first day, a year's 1 January)."""
    days = cluster.days()
    if days:
        return min(days)
    values = [r.event.date for r in cluster.reports if r.event.date]
    if not values:
        return None
    value = min(values)
    return date.fromisoformat(value + "-01" if len(value) == 7 else value + "-01-01")


def _within(a: str | None, b: str | None, days: int) -> bool:
    first, second = publication_day(a), publication_day(b)
    return first is not None and second is not None and abs(second - first).days <= days


def _case_event(person: str, kind: str, cluster: _Cluster) -> CaseEvent:
    reports = tuple(sorted(cluster.reports, key=lambda r: (r.published or "", r.article_id)))
    places = Counter(r.event.place for r in reports if r.event.place)
    place = places.most_common(1)[0][0] if places else None
    outlets_per_day: dict[str, set[str]] = {}
    for report in reports:
        if _precision(report) == "day" and report.event.date:
            outlets_per_day.setdefault(report.event.date, set()).add(report.outlet)
    if outlets_per_day:
        counts = {day: len(outlets) for day, outlets in sorted(outlets_per_day.items())}
        chosen = max(sorted(counts), key=lambda d: counts[d])  # most outlets; earlier on a tie
        conflict = counts if len(counts) > 1 else None
        note = _conflict_note(counts) if conflict else None
        return CaseEvent(person, kind, chosen, "day", place, reports, conflict, note)
    coarse = sorted({r.event.date for r in reports if r.event.date})
    if coarse:
        precision = _precision(next(r for r in reports if r.event.date == coarse[0]))
        return CaseEvent(person, kind, coarse[0], precision, place, reports)
    return CaseEvent(person, kind, None, None, place, reports)


def _conflict_note(counts: Mapping[str, int]) -> str:
    """'21.10 per one outlet, 22.10 per two'."""
    parts = []
    for index, (day, count) in enumerate(counts.items()):
        when = date.fromisoformat(day).strftime("%d.%m")
        number = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
        noun = "" if index else (" outlet" if count == 1 else " outlets")
        parts.append(f"{when} per {number}{noun}")
    return ", ".join(parts)


# -- status ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A person's current status as the merged events establish it.

    ``since`` is the date of the event that set the state (None when that event is undated);
    ``latest_evidence`` the newest publication day among all the person's reports (any type),
    so a reader sees how fresh the knowledge is.
    """

    person: str
    state: StatusState
    since: str | None = None
    place: str | None = None
    latest_evidence: str | None = None
    event: CaseEvent | None = None

    def describe(self) -> str:
        """'in deportation centre (Tuzla deportation centre) since 2021-10-18', ...; the date is
        'date unknown' when the setting event is undated."""
        when = self.since or "date unknown"
        if self.state == "detained":
            where = f" ({self.place})" if self.place else ""
            return f"detained{where} since {when}"
        if self.state == "deportation_centre":
            where = f" ({self.place})" if self.place else ""
            return f"in deportation centre{where} since {when}"
        if self.state == "released":
            return f"released on {when}"
        if self.state == "deported":
            return f"deported on {when}"
        return "unknown"

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "state": self.state,
            "since": self.since,
            "place": self.place,
            "latest_evidence": self.latest_evidence,
            "description": self.describe(),
        }


def _order(event: CaseEvent) -> tuple[date, int]:
    """When a custody event happened, for ordering: its date (a month's or year's first day);
    undated, its first report's publication day — used to order, never shown as its date."""
    if event.date:
        value = event.date
        day = date.fromisoformat(
            value if len(value) == 10 else value + ("-01" if len(value) == 7 else "-01-01")
        )
    else:
        days = [d for r in event.reports if (d := publication_day(r.published))]
        day = min(days) if days else date.min
    return (day, CUSTODY.index(event.type))


def _story_order(items: list[CaseEvent]) -> Callable[[CaseEvent], tuple[date, int]]:
    """``_order``, except for an undated event whose every report also reports a later stage
    of custody for the same person: "released from the centre where she was held" states the
    detention as background, so the undated stage is placed no later than that release, not
    at the release report's publication day after it."""
    later_in: dict[str, list[CaseEvent]] = {}
    for event in items:
        if event.type in CUSTODY:
            for report in event.reports:
                later_in.setdefault(report.article_id, []).append(event)

    def key(event: CaseEvent) -> tuple[date, int]:
        day, rank = _order(event)
        if event.date or not event.reports:
            return day, rank
        bounds = []
        for report in event.reports:
            stages = [
                _order(other)[0]
                for other in later_in.get(report.article_id, [])
                if CUSTODY.index(other.type) > rank
            ]
            if not stages:
                return day, rank  # one report states this stage on its own: keep its day
            bounds.append(min(stages))
        return min(day, min(bounds)), rank

    return key


def person_statuses(events: Iterable[CaseEvent], people: Iterable[str] = ()) -> dict[str, Status]:
    """Each person's status from merged events; ``people`` without custody events: unknown."""
    by_person: dict[str, list[CaseEvent]] = {name: [] for name in people}
    for event in events:
        by_person.setdefault(event.person, []).append(event)
    statuses = {}
    for person, items in sorted(by_person.items()):
        latest = [r for e in items if (r := e.latest_report)]
        evidence = max(latest) if latest else None
        if evidence is None:
            dates = [e.date for e in items if e.date]
            evidence = max(dates) if dates else None
        custody = sorted((e for e in items if e.type in CUSTODY), key=_story_order(items))
        if not custody:
            statuses[person] = Status(person, "unknown", latest_evidence=evidence)
            continue
        last = custody[-1]
        place = last.place
        if last.type == "deportation_centre" and place is None:
            # The centre an earlier report of the same custody named.
            for earlier in reversed(custody[:-1]):
                if earlier.type in ("released", "deported"):
                    break
                if earlier.type == "deportation_centre" and earlier.place:
                    place = earlier.place
                    break
        state = cast(StatusState, last.type)
        statuses[person] = Status(person, state, last.date, place, evidence, last)
    return statuses


@dataclass(frozen=True)
class StatusChange:
    person: str
    old: Status
    new: Status

    def describe(self) -> str:
        return f"{self.person}: {self.old.describe()} → {self.new.describe()}"

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person, "old": self.old.as_dict(), "new": self.new.as_dict()}


def compare_statuses(old: Mapping[str, Status], new: Mapping[str, Status]) -> list[StatusChange]:
    """Statuses whose state, date or place differ; a person missing on one side is unknown."""
    changes = []
    for person in sorted(set(old) | set(new)):
        before = old.get(person) or Status(person, "unknown")
        after = new.get(person) or Status(person, "unknown")
        if (before.state, before.since, before.place) != (after.state, after.since, after.place):
            changes.append(StatusChange(person, before, after))
    return changes


def status_changes(
    old: Iterable[CaseEvent], new: Iterable[CaseEvent], people: Iterable[str] = ()
) -> list[StatusChange]:
    """What changed between the statuses two event sets establish (old → new)."""
    people = list(people)
    return compare_statuses(person_statuses(old, people), person_statuses(new, people))
