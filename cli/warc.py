"""``tmwatch warc verify``: read every capture's WARC record back and check it against the store."""

from __future__ import annotations

import click

from tmwatch.cli.app import (
    DATE,
    TmwatchGroup,
    UsageFailure,
    data_home,
    existing_store,
    iso,
    main,
    parse_day,
)


@main.group(cls=TmwatchGroup)
def warc() -> None:
    """The WARC captures: the raw evidence behind every stored article."""


@warc.command()
@click.option(
    "--source",
    "sources",
    metavar="KEY",
    multiple=True,
    help="Only this source's captures (repeatable). Default: every capture.",
)
@click.option("--since", metavar=DATE, help="Only captures fetched on or after this day (UTC).")
@click.pass_context
def verify(ctx: click.Context, sources: tuple[str, ...], since: str | None) -> None:
    """Check that each capture's WARC record is still the one the store points at.

    For every capture: its WARC file is in the WARC directory, a record starts at the stored
    offset and has the stored length, it is a response record with the stored WARC-Record-ID,
    its WARC-Block-Digest and WARC-Payload-Digest (when present) match its bytes, and the
    page's sha256 is the stored one. Prints one line per problem, then a summary.

    Exit codes: 0 every capture checked is intact; 1 a problem was found (or the store cannot
    be opened); 2 bad usage, such as a missing WARC directory.
    """
    from tmwatch.pipeline.warc_verify import summary, verify_captures

    since_day = iso(parse_day(since, "--since"))
    home = data_home(ctx)
    checked = problems = 0
    files: set[str] = set()
    with existing_store(ctx) as store:
        if not home.warc_dir.is_dir():
            raise UsageFailure(f"no WARC directory at {home.warc_dir}")
        for check in verify_captures(
            store, home.warc_dir, sources=sources, since=since_day, files_seen=files
        ):
            checked += 1
            for line in check.lines():
                problems += 1
                click.echo(line)
    click.echo(summary(checked, len(files), problems))
    ctx.exit(1 if problems else 0)
