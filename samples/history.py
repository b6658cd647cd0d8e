"""The sample outlets' simulated past: two weeks of crawl runs that never happened.

``tmwatch demo`` records these in a fresh demo home before its real crawl, so that
``tmwatch health`` and the digest have a history to judge the real crawl against and show each
health flag (docs/health.md). They are deterministic (one seed) and clearly marked: command
``simulated`` and ``"simulated": true`` in each run's stats. Each profile says how a source
behaved; the real crawl then supplies the change:

* ``azathabar-tk``: its "Wideo" zone feed has always been empty, so the real crawl's empty feed
  is a ``zombie-feed``, not news;
* ``hronikatm-ru``: never an error before, so the real crawl's 404 makes it ``degraded``;
* ``bianet``: its slow page timed out every third run, so one more timeout is normal;
* ``azathabar-ru``: refuses an out-of-scope story now and then (merged site), as today;
* ``gundogar``: posts rarely and has posted nothing for eight days (``silent``); today every
  page comes back in a layout extraction refuses (``layout-changed``);
* the others publish 2–6 items a day with no errors.

One day of the two weeks has no run at all (the monitor's machine was off): no data, not zero.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from tmwatch.samples.render import ALL_ARTICLES

SEED = 13
HISTORY_DAYS = 13
"""Days before today with simulated runs: with today's real crawl, two full weeks."""
RUN_HOURS = (6, 18)
"""A scheduler crawling twice a day (UTC)."""
DAYS_WITHOUT_RUNS = (5,)
"""Days before today when nothing ran."""

_SLOW = next(a for a in ALL_ARTICLES if a.slow)
_TIMEOUT = (
    f"{{base}}/{_SLOW.outlet}/{_SLOW.path}: DownloadTimeoutError: took longer than 3.0 seconds."
)
_ZOMBIE = "feed {base}/azathabar/api/zombie: feed body is only 11 bytes"  # render.py serves it


@dataclass(frozen=True)
class Profile:
    """How one sample source behaved in the simulated runs."""

    per_day: tuple[int, int] = (2, 6)  # new items a day, inclusive range
    publish_days: tuple[int, ...] | None = None  # days before today with new items; None: all
    listed: int = 10  # entries its feed or listing shows
    refused: tuple[int, int] = (0, 0)  # pages refused per run that fetched something
    every_run: tuple[str, ...] = ()  # problems in every run ({base} is the sample server)
    every_third_run: tuple[str, ...] = ()
    conditional: bool = True  # an unchanged feed answers 304; a listing is read again


PROFILES: dict[str, Profile] = {
    "azathabar-tk": Profile(every_run=(_ZOMBIE,)),
    "azathabar-ru": Profile(refused=(0, 1)),
    "ng": Profile(),
    "turkmen-news-ru": Profile(),
    "turkmen-news-en": Profile(per_day=(1, 4)),
    "hronikatm-ru": Profile(),
    "bianet": Profile(every_third_run=(_TIMEOUT,)),
    "evrensel": Profile(),
    "gundogar": Profile(per_day=(1, 2), publish_days=(13, 12, 10, 8), listed=4, conditional=False),
}


@dataclass(frozen=True)
class SimulatedRun:
    started_at: str
    finished_at: str
    stats: dict[str, Any]


def simulated_runs(base: str, now: datetime, sources: list[str]) -> list[SimulatedRun]:
    """The runs of the ``HISTORY_DAYS`` days before ``now``'s UTC day, oldest first, for the
    given sources (those without a profile get the default one)."""
    rng = random.Random(SEED)  # noqa: S311 - a reproducible simulation, not a secret
    today = now.astimezone(UTC).date()
    runs: list[SimulatedRun] = []
    number = 0
    for back in range(HISTORY_DAYS, 0, -1):
        if back in DAYS_WITHOUT_RUNS:
            continue
        day = today - timedelta(days=back)
        # Each source's items of the day, split over the day's runs.
        split: dict[str, list[int]] = {}
        for key in sources:
            profile = PROFILES.get(key, Profile())
            publishes = profile.publish_days is None or back in profile.publish_days
            total = rng.randint(*profile.per_day) if publishes else 0
            first = rng.randint(0, total)
            split[key] = [first, total - first]
        for slot, hour in enumerate(RUN_HOURS):
            start = datetime.combine(day, time(hour, rng.randint(0, 20)), tzinfo=UTC)
            end = start + timedelta(seconds=rng.randint(40, 240))
            stats = {
                "finish_reason": "finished",
                "sources": {
                    key: _source_stats(
                        PROFILES.get(key, Profile()), split[key][slot], number, base, rng
                    )
                    for key in sources
                },
            }
            runs.append(SimulatedRun(start.isoformat(), end.isoformat(), stats))
            number += 1
    return runs


def _source_stats(
    profile: Profile, new: int, number: int, base: str, rng: random.Random
) -> dict[str, Any]:
    problems = list(profile.every_run)
    if number % 3 == 2:
        problems += profile.every_third_run
    problems = [p.replace("{base}", base) for p in problems]
    failed_pages = sum(1 for p in problems if not p.startswith("feed "))
    refused = rng.randint(*profile.refused) if new else 0
    fetched = new + refused
    changed = bool(fetched or failed_pages) or not profile.conditional
    found = max(profile.listed, fetched + failed_pages) if changed else 0
    counts: dict[str, Any] = dict.fromkeys(
        ("edited", "updated", "taken_down", "not_article", "too_old", "resumed"), 0
    )
    counts.update(
        found=found,
        fetched=fetched,
        new=new,
        refused=refused,
        skipped=found - fetched - failed_pages,
        errors=len(problems),
        not_modified=0 if changed else 1,
        problems=problems,
    )
    return counts
