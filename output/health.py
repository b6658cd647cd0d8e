"""Source health: how each source behaved over the last days, and which ones need a look.

Read from the record of runs (``runs`` table, one ``CrawlReport`` per crawl) and nothing else,
so it costs no network and works on any store. Per source, over a window of UTC days (default
14, today included):

* **items per day**: the sum of ``new`` over the source's runs that ended that day. A day
  without any run of the source is *no data*, not zero: a crawler that was off says nothing
  about an outlet. Mean and standard deviation (population σ) over the days with data; the band
  is mean ± 2σ, floored at 0.
* **last new item** / **last successful fetch**: the end of the newest run in which the source
  stored something new / in which it read something (fetched a page, got a 304, or found
  entries) without failing.
* **errors by kind** (``ERROR_KINDS``), in the last run and over the window, and the
  **refused share**: pages fetched but refused by extraction (under ``min_words``: an empty
  text; outside ``require_terms``) over pages fetched.

Flags, each judged against the source's *own* history, because outlets differ: an outlet that
posts weekly is not silent after two days, a source whose zone feed has always been empty is not
newly broken. The thresholds are the named constants below.

``silent``
    The source had new items on at least two days of the window, and the time from its last
    new item to its latest run exceeds its usual gap: ``max(SILENT_GAP_FACTOR × median gap
    between days with new items, SILENT_MIN_GAP_DAYS)``. Twice the median tolerates an
    ordinary slow spell; the 3-day floor keeps a daily outlet's quiet weekend (Friday →
    Monday) from flagging. Silence is measured up to the latest run, not up to now, so a
    crawler that did not run is not mistaken for an outlet that did not publish.
``degraded``
    The last run's errors are at least ``DEGRADED_MIN_ERRORS`` and above mean + 2σ of the
    source's previous runs in the window; or its refused share is at least
    ``DEGRADED_MIN_REFUSED_SHARE`` and above mean + 2σ of the previous runs' shares (unless
    ``layout-changed`` already says so). It needs ``MIN_BASELINE_RUNS`` previous runs: with
    less there is no "normal" to compare with. A source that is often flaky has a wide band
    and is not flagged for one more flaky fetch; a source that never failed is flagged at its
    first failure, which for a monitor may be a removed article or a new block. The flag
    looks at the last run only, so a one-off clears itself at the next run.
``zombie-feed``
    A feed that answers but is empty or lists no entries (the RFE/RL "zombie" zone feeds) in
    the last run *and* in at least one earlier run of the window: the same feed URL, so a
    one-off empty response is not a zombie.
``layout-changed``
    A sudden rise in refused pages (empty texts are refused under ``min_words``): the last run
    fetched at least ``LAYOUT_MIN_FETCHED`` pages and refused at least ``LAYOUT_MIN_SHARE`` of
    them, while the previous runs (at least ``LAYOUT_MIN_FETCHED`` pages in all) refused at
    most ``LAYOUT_BASELINE_MAX_SHARE`` and the new share is above their mean + 2σ.

A source seen for the first time has no history and gets no flag; the digest still shows its
state (``failed`` when nothing worked). Runs recorded before the ``refused`` counter existed
count as refusing nothing. docs/health.md says the same for users.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tmwatch.store import Store

WINDOW_DAYS = 14
"""Default window, in UTC days including today: two weeks hold two of every weekday."""
BAND_SIGMAS = 2.0
"""How many standard deviations from the mean still count as normal."""
SILENT_GAP_FACTOR = 2.0
SILENT_MIN_GAP_DAYS = 3
MIN_BASELINE_RUNS = 3
"""Previous runs needed before errors or refusals can be called above normal."""
DEGRADED_MIN_ERRORS = 1
DEGRADED_MIN_REFUSED_SHARE = 0.2
LAYOUT_MIN_SHARE = 0.5
LAYOUT_MIN_FETCHED = 3
LAYOUT_BASELINE_MAX_SHARE = 0.2

FLAGS = ("silent", "degraded", "zombie-feed", "layout-changed")

# How a problem line is classified: the first pattern (on the message after the URL) that
# matches names its kind. Problem lines are made in spiders/outlets.py and spiders/feeds.py.
ERROR_KINDS: tuple[tuple[str, str], ...] = (
    ("http-4xx", r"\bHTTP 4\d\d\b"),
    ("http-5xx", r"\bHTTP 5\d\d\b"),
    ("timeout", r"Timeout|TimedOut|timed out|took longer than"),
    ("tls", r"\bSSL|\bTLS|[Cc]ertificate"),
    ("connection", r"Connection|ConnectError|DNSLookup|NoRoute|ResponseNeverReceived|Refused"),
    ("empty-feed", r"feed body is only \d+ bytes|feed has no entries|sitemap (is empty|lists no)"),
    ("not-a-feed", r"HTML page was served instead of a feed|not a sitemap|not an HTML page"),
    ("malformed-feed", r"malformed feed|sitemap is not XML|bad compressed sitemap"),
    ("no-links", r"no article links|lists no feeds"),
    ("robots", r"robots\.txt"),
)
OTHER_KIND = "other"
_KIND_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in ERROR_KINDS)
# "feed http://x/api/z: feed body is only 11 bytes", "http://x/a/1.html: HTTP 404", ...
_PROBLEM = re.compile(r"^(?:(?P<place>feed page|feed|sitemap|listing) )?(?P<url>\S+): (?P<msg>.*)$")


@dataclass(frozen=True)
class Problem:
    """One problem line of a run, split: where (feed, sitemap, listing, page), URL, kind."""

    place: str
    url: str
    message: str
    kind: str


def classify(problem: str) -> Problem:
    """The kind of a problem line (``ERROR_KINDS``); ``other`` when no pattern matches."""
    match = _PROBLEM.match(problem)
    place, url, message = ("page", "", problem)
    if match:
        place, url, message = match["place"] or "page", match["url"], match["msg"]
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(message):
            return Problem(place, url, message, kind)
    return Problem(place, url, message, OTHER_KIND)


@dataclass(frozen=True)
class SourceRun:
    """One run as one source saw it."""

    finished_at: str
    stats: dict[str, Any]
    simulated: bool

    @property
    def day(self) -> date:
        return _moment(self.finished_at).date()

    def count(self, name: str) -> int:
        return int(self.stats.get(name) or 0)

    @property
    def problems(self) -> list[str]:
        return list(self.stats.get("problems") or [])

    @property
    def state(self) -> str:
        return run_state(self.stats)

    @property
    def refused_share(self) -> float | None:
        fetched = self.count("fetched")
        return self.count("refused") / fetched if fetched else None

    @property
    def read_something(self) -> bool:
        """A successful fetch: pages, 304s or feed entries, and the source did not fail."""
        read = self.count("fetched") or self.count("not_modified") or self.count("found")
        return bool(read) and self.state != "failed"


def run_state(stats: dict[str, Any]) -> str:
    """A source's state in one run: ``failed`` (failures and nothing stored or known),
    ``partial`` (it worked but some fetches failed), ``empty`` (nothing found) or ``ok``."""
    problems = stats.get("problems") or []
    stored = stats.get("new", 0) + stats.get("skipped", 0) + stats.get("not_modified", 0)
    worked = stored or stats.get("edited", 0) or stats.get("updated", 0)
    if problems and not worked:
        return "failed"
    if problems:
        return "partial"
    if not (stats.get("found") or stats.get("not_modified")):
        return "empty"
    return "ok"


@dataclass
class SourceHealth:
    """What ``tmwatch health`` says about one source."""

    source: str
    state: str
    runs: int
    simulated_runs: int
    days: list[tuple[date, int | None]]
    mean: float | None
    stdev: float | None
    last_run_at: str
    last_new_at: str | None
    last_ok_fetch_at: str | None
    errors_last: dict[str, int]
    errors_window: dict[str, int]
    refused_last: tuple[int, int]
    refused_window: tuple[int, int]
    flags: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def band(self) -> tuple[float, float] | None:
        if self.mean is None or self.stdev is None:
            return None
        spread = BAND_SIGMAS * self.stdev
        return (max(0.0, self.mean - spread), self.mean + spread)

    def as_dict(self) -> dict[str, Any]:
        band = self.band
        return {
            "source": self.source,
            "state": self.state,
            "runs": self.runs,
            "simulated_runs": self.simulated_runs,
            "items_per_day": [{"day": d.isoformat(), "items": n} for d, n in self.days],
            "days_without_data": sum(1 for _, n in self.days if n is None),
            "mean": _round(self.mean),
            "stdev": _round(self.stdev),
            "band": [_round(band[0]), _round(band[1])] if band else None,
            "last_run_at": self.last_run_at,
            "last_new_at": self.last_new_at,
            "last_ok_fetch_at": self.last_ok_fetch_at,
            "errors": {"last_run": self.errors_last, "window": self.errors_window},
            "refused": {
                "last_run": _share_dict(*self.refused_last),
                "window": _share_dict(*self.refused_window),
            },
            "flags": self.flags,
            "reasons": self.reasons,
        }


@dataclass
class HealthReport:
    generated_at: datetime
    days: int
    sources: list[SourceHealth]
    undelivered: list[dict[str, Any]]

    @property
    def flagged(self) -> list[str]:
        return [s.source for s in self.sources if s.flags]

    @property
    def exit_code(self) -> int:
        """0 healthy, 1 a source is flagged or a message is dead (a scheduler can alert)."""
        return 1 if self.flagged or self.undelivered else 0

    def as_dict(self) -> dict[str, Any]:
        first = self.generated_at.date() - timedelta(days=self.days - 1)
        return {
            "generated_at": self.generated_at.isoformat(),
            "days": self.days,
            "window": {"since": first.isoformat(), "until": self.generated_at.date().isoformat()},
            "thresholds": thresholds(),
            "sources": [s.as_dict() for s in self.sources],
            "flagged": self.flagged,
            "undelivered": self.undelivered,
        }


def thresholds() -> dict[str, float]:
    """The rules' constants, in every JSON report: a reader can check a flag by hand."""
    return {
        "band_sigmas": BAND_SIGMAS,
        "silent_gap_factor": SILENT_GAP_FACTOR,
        "silent_min_gap_days": SILENT_MIN_GAP_DAYS,
        "min_baseline_runs": MIN_BASELINE_RUNS,
        "degraded_min_errors": DEGRADED_MIN_ERRORS,
        "degraded_min_refused_share": DEGRADED_MIN_REFUSED_SHARE,
        "layout_min_share": LAYOUT_MIN_SHARE,
        "layout_min_fetched": LAYOUT_MIN_FETCHED,
        "layout_baseline_max_share": LAYOUT_BASELINE_MAX_SHARE,
    }


# -- reading the store ----------------------------------------------------------------------------


def window_start(now: datetime, days: int) -> date:
    return now.date() - timedelta(days=days - 1)


def source_runs(store: Store, now: datetime, days: int = WINDOW_DAYS) -> dict[str, list[SourceRun]]:
    """Per source, its runs in the window, oldest first (runs ending after ``now`` excluded)."""
    since = f"{window_start(now, days).isoformat()}T00:00:00+00:00"
    found: dict[str, list[SourceRun]] = {}
    for run in store.crawl.runs_since(since):
        if _moment(run["finished_at"]) > now:
            continue
        stats = run["stats"] or {}
        simulated = run["command"] == "simulated" or bool(stats.get("simulated"))
        for key, counts in (stats.get("sources") or {}).items():
            found.setdefault(key, []).append(SourceRun(run["finished_at"], counts, simulated))
    return found


def assess(
    store: Store,
    now: datetime,
    days: int = WINDOW_DAYS,
    sources: Iterable[str] | None = None,
) -> HealthReport:
    """Health of every source with runs in the window (or of ``sources``), and dead letters."""
    runs = source_runs(store, now, days)
    keys = sorted(runs) if sources is None else [k for k in sources if k in runs]
    return HealthReport(
        generated_at=now,
        days=days,
        sources=[source_health(key, runs[key], now, days) for key in keys],
        undelivered=[m.as_dict() for m in store.outbox.dead_letters()],
    )


# -- one source ---------------------------------------------------------------------------------


def source_health(
    key: str, runs: list[SourceRun], now: datetime, days: int = WINDOW_DAYS
) -> SourceHealth:
    """The figures and flags of one source from its runs in the window (oldest first)."""
    if not runs:
        raise ValueError(f"{key}: no runs to judge")
    first = window_start(now, days)
    per_day: dict[date, int] = {}
    for run in runs:
        per_day[run.day] = per_day.get(run.day, 0) + run.count("new")
    series = [(d, per_day.get(d)) for d in (first + timedelta(n) for n in range(days))]
    values = [n for _, n in series if n is not None]
    last = runs[-1]
    health = SourceHealth(
        source=key,
        state=last.state,
        runs=len(runs),
        simulated_runs=sum(r.simulated for r in runs),
        days=series,
        mean=statistics.fmean(values) if values else None,
        stdev=statistics.pstdev(values) if values else None,
        last_run_at=last.finished_at,
        last_new_at=next((r.finished_at for r in reversed(runs) if r.count("new")), None),
        last_ok_fetch_at=next((r.finished_at for r in reversed(runs) if r.read_something), None),
        errors_last=_kinds([last]),
        errors_window=_kinds(runs),
        refused_last=(last.count("refused"), last.count("fetched")),
        refused_window=(
            sum(r.count("refused") for r in runs),
            sum(r.count("fetched") for r in runs),
        ),
    )
    for flag, judge in (
        ("silent", _silent),
        ("layout-changed", _layout_changed),
        ("degraded", _degraded),
        ("zombie-feed", _zombie_feed),
    ):
        reason = judge(runs, per_day, health)
        if reason:
            health.reasons[flag] = reason
    health.flags = [f for f in FLAGS if f in health.reasons]
    return health


def _silent(runs: list[SourceRun], per_day: dict[date, int], health: SourceHealth) -> str | None:
    active = sorted(d for d, n in per_day.items() if n)
    if len(active) < 2:
        return None  # no gap seen yet: nothing to call usual
    gaps = [(b - a).days for a, b in itertools.pairwise(active)]
    usual = max(SILENT_GAP_FACTOR * statistics.median(gaps), SILENT_MIN_GAP_DAYS)
    silence = (runs[-1].day - active[-1]).days
    if silence <= usual:
        return None
    return (
        f"no new item for {silence} days up to its last run (usual gap: {usual:g} days; "
        f"last new item {active[-1].isoformat()})"
    )


def _above(value: float, baseline: list[float]) -> tuple[bool, float]:
    """Whether ``value`` is above mean + BAND_SIGMAS·σ of ``baseline``, and that limit."""
    limit = statistics.fmean(baseline) + BAND_SIGMAS * statistics.pstdev(baseline)
    return value > limit + 1e-9, limit


def _degraded(runs: list[SourceRun], per_day: dict[date, int], health: SourceHealth) -> str | None:
    previous, last = runs[:-1], runs[-1]
    if len(previous) < MIN_BASELINE_RUNS:
        return None
    reasons = []
    errors = last.count("errors")
    above, limit = _above(errors, [r.count("errors") for r in previous])
    if errors >= DEGRADED_MIN_ERRORS and above:
        reasons.append(
            f"{errors} error{'' if errors == 1 else 's'} in the last run "
            f"(normal: up to {limit:.1f})"
        )
    share = last.refused_share
    shares = [s for s in (r.refused_share for r in previous) if s is not None]
    if share is not None and shares and "layout-changed" not in health.reasons:
        above, limit = _above(share, shares)
        if share >= DEGRADED_MIN_REFUSED_SHARE and above:
            reasons.append(f"{share:.0%} of pages refused (normal: up to {limit:.0%})")
    return "; ".join(reasons) or None


def _zombie_feed(
    runs: list[SourceRun], per_day: dict[date, int], health: SourceHealth
) -> str | None:
    def empty_feeds(run: SourceRun) -> set[str]:
        found = (classify(p) for p in run.problems)
        return {p.url for p in found if p.place == "feed" and p.kind == "empty-feed"}

    now_empty = empty_feeds(runs[-1])
    if not now_empty:
        return None
    before: set[str] = set()
    for run in runs[:-1]:
        before |= empty_feeds(run)
    persisting = sorted(now_empty & before)
    if not persisting:
        return None
    return "feed answers but is empty, again: " + ", ".join(persisting)


def _layout_changed(
    runs: list[SourceRun], per_day: dict[date, int], health: SourceHealth
) -> str | None:
    previous, last = runs[:-1], runs[-1]
    share = last.refused_share
    if share is None or last.count("fetched") < LAYOUT_MIN_FETCHED or share < LAYOUT_MIN_SHARE:
        return None
    fetched = sum(r.count("fetched") for r in previous)
    if fetched < LAYOUT_MIN_FETCHED:
        return None  # no before to compare with
    pooled = sum(r.count("refused") for r in previous) / fetched
    shares = [s for s in (r.refused_share for r in previous) if s is not None]
    above, _ = _above(share, shares)
    if pooled > LAYOUT_BASELINE_MAX_SHARE or not above:
        return None
    return (
        f"{last.count('refused')} of {last.count('fetched')} pages refused by extraction in the "
        f"last run ({share:.0%}; before: {pooled:.0%})"
    )


# -- helpers --------------------------------------------------------------------------------------


def _kinds(runs: Iterable[SourceRun]) -> dict[str, int]:
    """Errors by kind; errors beyond the problems a run kept (its cap) count as ``other``."""
    counts: Counter[str] = Counter()
    for run in runs:
        problems = run.problems
        counts.update(classify(p).kind for p in problems)
        if run.count("errors") > len(problems):
            counts[OTHER_KIND] += run.count("errors") - len(problems)
    return dict(sorted(counts.items()))


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _share_dict(refused: int, fetched: int) -> dict[str, Any]:
    return {
        "refused": refused,
        "fetched": fetched,
        "share": round(refused / fetched, 3) if fetched else None,
    }


# -- text ---------------------------------------------------------------------------------------


def _when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


def _errors_text(kinds: dict[str, int]) -> str:
    return " ".join(f"{k}:{n}" for k, n in kinds.items()) or "-"


def _refused_text(refused: int, fetched: int) -> str:
    return f"{refused / fetched:.0%}" if fetched else "-"


def to_text(report: HealthReport) -> str:
    """The report for a terminal: one table, the reasons for each flag, the per-day series,
    then dead letters. Times are UTC."""
    first = report.generated_at.date() - timedelta(days=report.days - 1)
    lines = [
        f"Source health, {report.days} days ({first.isoformat()} to "
        f"{report.generated_at.date().isoformat()}, UTC)",
        "",
    ]
    header = (
        "source",
        "items/day (mean ± 2σ)",
        "last new",
        "last fetch OK",
        "errors last run",
        "errors in window",
        "refused last/window",
        "flags",
    )
    rows = [header]
    for s in report.sources:
        spread = BAND_SIGMAS * (s.stdev or 0)
        items = "no data" if s.mean is None else f"{s.mean:.1f} ± {spread:.1f}"
        refused = f"{_refused_text(*s.refused_last)} / {_refused_text(*s.refused_window)}"
        rows.append(
            (
                s.source,
                items,
                _when(s.last_new_at),
                _when(s.last_ok_fetch_at),
                _errors_text(s.errors_last),
                _errors_text(s.errors_window),
                refused,
                ", ".join(s.flags) or "-",
            )
        )
    if report.sources:
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for number, row in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                lines.append("  ".join("-" * w for w in widths))
    else:
        lines.append(f"no run recorded in the last {report.days} days")
    for s in report.sources:
        for flag in s.flags:
            lines.append(f"! {s.source}: {flag}: {s.reasons[flag]}")
    if report.sources:
        lines += ["", "Items per day, oldest first ('.' = no run that day: no data, not zero):"]
        width = max(len(s.source) for s in report.sources)
        for s in report.sources:
            series = " ".join("." if n is None else str(n) for _, n in s.days)
            lines.append(f"  {s.source.ljust(width)}  {series}")
    simulated = sum(s.simulated_runs for s in report.sources)
    if simulated:
        lines += ["", "This history includes simulated runs (seeded by `tmwatch demo`)."]
    lines += ["", "Undelivered messages (dead letters):"]
    if not report.undelivered:
        lines.append("  none")
    for message in report.undelivered:
        lines.append(
            f"  #{message['id']} {message['subscription']} ({message['kind']}, "
            f"{message['channel']}): {' '.join(str(message['summary']).split())} — "
            f"{message['attempts']} attempts, last error: "
            f"{' '.join(str(message['last_error'] or '?').split())}"
        )
    return "\n".join(lines) + "\n"
