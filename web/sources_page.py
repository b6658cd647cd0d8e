"""The sources page: ``tmwatch health`` as a table, so a monitor sees which outlets may be missing
articles before trusting that "nothing was reported".

The figures and flags are exactly ``output.health.assess``'s (the CLI's), read from the record of
runs. Every source of the registry gets a row, the ones without a run in the window too: an
outlet that was never crawled is the likeliest to be missing stories. Each row has the anchor
``source-KEY`` that the digest's "sources that need a look" links to. Dead letters (messages a
subscriber never received) close the page, as they close ``tmwatch health``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tmwatch.clock import utc_datetime
from tmwatch.output.health import (
    BAND_SIGMAS,
    FLAGS,
    SILENT_GAP_FACTOR,
    SILENT_MIN_GAP_DAYS,
    WINDOW_DAYS,
    SourceHealth,
    assess,
)
from tmwatch.web.common import config_of, int_param, reader, render
from tmwatch.web.i18n import gettext_ as _

MAX_DAYS = 90


def flag_texts() -> dict[str, str]:
    """What each flag means (docs/health.md, shortened): a flag without its rule is noise."""
    return {
        "silent": _(
            "No new item for longer than the source's usual gap between new items "
            "(%(factor)g × its median gap, at least %(days)d days), up to its last run."
        )
        % {"factor": SILENT_GAP_FACTOR, "days": SILENT_MIN_GAP_DAYS},
        "degraded": _(
            "The last run had more errors, or refused more of the fetched pages, than the "
            "source's previous runs normally do (above their mean + %(s)g σ)."
        )
        % {"s": BAND_SIGMAS},
        "zombie-feed": _(
            "A feed answers but is empty or lists no entries, in the last run and an earlier one."
        ),
        "layout-changed": _(
            "Suddenly most fetched pages are refused by extraction (empty texts): the outlet "
            "may have changed its page layout."
        ),
    }


def _row(health: SourceHealth, name: str | None) -> dict[str, Any]:
    spread = BAND_SIGMAS * (health.stdev or 0)
    refused, fetched = health.refused_last
    refused_w, fetched_w = health.refused_window
    return {
        "key": health.source,
        "name": name,
        "state": health.state,
        "runs": health.runs,
        "simulated_runs": health.simulated_runs,
        "per_day": None if health.mean is None else f"{health.mean:.1f} ± {spread:.1f}",
        "days": [(d.isoformat(), n) for d, n in health.days],
        "last_run_at": health.last_run_at,
        "last_new_at": health.last_new_at,
        "last_ok_fetch_at": health.last_ok_fetch_at,
        "errors_last": health.errors_last,
        "errors_window": health.errors_window,
        "refused_last": f"{refused / fetched:.0%}" if fetched else None,
        "refused_window": f"{refused_w / fetched_w:.0%}" if fetched_w else None,
        "refused_counts": (refused, fetched, refused_w, fetched_w),
        "flags": [(flag, health.reasons.get(flag, "")) for flag in health.flags],
    }


def sources_page(request: Request) -> Response:
    days = int_param(request, "days", WINDOW_DAYS, 1, MAX_DAYS)
    config = config_of(request)
    now = utc_datetime()
    store = reader(request)
    with store.snapshot():
        report = assess(store, now, days)
    registry = config.registry.sources if config.registry else {}
    rows = [
        _row(s, registry[s.source].outlet if s.source in registry else None) for s in report.sources
    ]
    judged = {s.source for s in report.sources}
    idle = [
        {"key": key, "name": source.outlet, "enabled": source.enabled}
        for key, source in sorted(registry.items())
        if key not in judged
    ]
    context = {
        "days": days,
        "max_days": MAX_DAYS,
        "window": report.as_dict()["window"],
        "rows": rows,
        "idle": idle,
        "flag_texts": flag_texts(),
        "flags": FLAGS,
        "flagged": report.flagged,
        "undelivered": report.undelivered,
        "simulated": sum(s.simulated_runs for s in report.sources),
    }
    return render(request, "sources.html", context)


routes = [Route("/sources", sources_page)]
