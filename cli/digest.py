"""``tmwatch digest``: what was collected, as JSON, Markdown, HTML or Atom."""

from __future__ import annotations

from pathlib import Path

import click

from tmwatch.cli.app import (
    DATE,
    UsageFailure,
    config_files,
    existing_store,
    main,
    parse_day,
    write_output,
)


@main.command()
@click.option("--date", "on", metavar=DATE, help="Articles published on DATE.")
@click.option("--since", metavar=DATE, help="Articles published on or after DATE.")
@click.option("--until", metavar=DATE, help="Articles published on or before DATE.")
@click.option("--all", "everything", is_flag=True, help="Every stored article.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "atom"]),
    default="json",
    show_default=True,
)
@click.option("--tag", metavar="TAG", help="Only articles with this tag (e.g. detention).")
@click.option("--person", metavar="NAME", help="Only articles about this watched person.")
@click.option(
    "--mark",
    "mark_name",
    metavar="NAME",
    help="Compare against, and afterwards move, this mark instead of `daily`.",
)
@click.option("--no-mark", is_flag=True, help="Compare against the mark but do not move it.")
@click.option("--feed-url", metavar="URL", help="Atom: the URL the feed will be served at.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (atomically) instead of stdout.",
)
@click.pass_context
def digest(
    ctx: click.Context,
    on: str | None,
    since: str | None,
    until: str | None,
    everything: bool,
    fmt: str,
    tag: str | None,
    person: str | None,
    mark_name: str | None,
    no_mark: bool,
    feed_url: str | None,
    output: Path | None,
) -> None:
    """Write a digest of stored articles: by default, what is new since the `daily` mark.

    A mark is a named position in the order articles were stored. Articles stored after the
    digest's mark are marked new; the first digest with a mark shows what was first seen in the
    last 24 hours. Only a digest whose output was completely written moves its mark, and only
    the plain daily digest moves one by itself: with --date, --since, --until, --all, --tag or
    --person, only a mark named with --mark moves. JSON follows the digest JSON Schema shipped
    with tmwatch (tmwatch/output/digest.schema.json); HTML is one self-contained file that
    loads nothing remote.
    """
    from tmwatch.output.digest import (
        DigestFilters,
        Selection,
        build_digest,
        mark_digest_written,
        to_json_text,
    )
    from tmwatch.output.filters import FilterError, check_filters
    from tmwatch.output.render import to_atom, to_html, to_markdown
    from tmwatch.store.marks import DEFAULT_MARK

    chosen = sum(bool(x) for x in (on, since or until, everything))
    if chosen > 1:
        raise UsageFailure("use one of --date, --since/--until, --all")
    if no_mark and mark_name:
        raise UsageFailure("use --mark NAME or --no-mark, not both")
    selection = Selection(
        on=parse_day(on, "--date"),
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        everything=everything,
    )
    with existing_store(ctx) as store:
        watchlist = config_files(ctx).load_watchlist() if person else None
        try:
            checked = check_filters(
                store,
                tag=tag,
                person=person,
                since=selection.since,
                until=selection.until,
                watchlist=watchlist,
            )
        except FilterError as exc:
            raise UsageFailure(str(exc)) from None
        filters = DigestFilters(tag=checked.tag, persons=checked.persons or ())
        result = build_digest(store, selection, filters, mark_name or DEFAULT_MARK)
        if fmt == "json":
            text = to_json_text(result)
        elif fmt == "md":
            text = to_markdown(result)
        elif fmt == "html":
            text = to_html(result)
        else:
            text = to_atom(result, feed_url)
        write_output(text, output, "digest")
        moves = not no_mark and (mark_name or (selection.is_default and not filters.active))
        if moves:
            mark_digest_written(store, result)
    if output:
        click.echo(f"{result['count']} articles -> {output}", err=True)
