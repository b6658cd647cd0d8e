"""``tmwatch health``: per-source health from the record of runs, and undelivered messages."""

from __future__ import annotations

import json

import click

from tmwatch.cli.app import UsageFailure, existing_store, main
from tmwatch.output.health import WINDOW_DAYS


@main.command()
@click.option(
    "--days",
    type=click.IntRange(min=1, max=366),
    default=WINDOW_DAYS,
    show_default=True,
    help="Window in UTC days, today included.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of the table.")
@click.option(
    "--source",
    "sources",
    metavar="KEY",
    multiple=True,
    help="Only this source (repeatable). Default: every source with runs in the window.",
)
@click.pass_context
def health(ctx: click.Context, days: int, as_json: bool, sources: tuple[str, ...]) -> None:
    """Show each source's health over the last days, and messages that could not be delivered.

    Per source: new items per day (days without a run are no data, not zero) with mean ± 2σ,
    the last new item and the last successful fetch, errors by kind, the share of fetched
    pages refused by extraction, and flags: silent, degraded, zombie-feed, layout-changed
    (rules: docs/health.md). Then every dead-letter message: a digest or alert to a subscriber
    that failed too often and was given up on.

    Exit codes: 0 nothing flagged and nothing undelivered; 1 a source is flagged or a message
    is dead (a scheduler can alert on it); 2 bad usage, such as an unknown --source.
    """
    from tmwatch.clock import utc_datetime
    from tmwatch.output.health import assess, source_runs, to_text

    now = utc_datetime()
    with existing_store(ctx) as store:
        if sources:
            known = sorted(source_runs(store, now, days))
            unknown = [s for s in sources if s not in known]
            if unknown:
                raise UsageFailure(
                    f"--source: no run in the last {days} days covered "
                    f"{', '.join(unknown)}; known: {', '.join(known) or 'none'}"
                )
        report = assess(store, now, days, sources=list(dict.fromkeys(sources)) or None)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(to_text(report), nl=False)
    ctx.exit(report.exit_code)
