"""``tmwatch search``: the archive for researchers, across scripts and inflections."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from tmwatch.cli.app import (
    DATE,
    UsageFailure,
    config_files,
    existing_store,
    iso,
    main,
    parse_day,
)
from tmwatch.store import archive

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _one_line(value: object) -> str:
    """Stored text on one line: a title with a line break must not break the layout."""
    return " ".join(str(value or "").split())


def _highlight() -> tuple[str, str]:
    """Bold on a terminal (unless NO_COLOR is set); Markdown ``**`` when piped or redirected,
    which stays readable and pastes into Markdown documents as bold."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return _BOLD, _RESET
    return "**", "**"


def _plain(result: dict[str, Any], before: str, after: str, day: str = "") -> str:
    from tmwatch.output.search import mark

    tags = f" [{', '.join(result['tags'])}]" if result["tags"] else ""
    excerpt = mark(result["snippet"], result["matches"], before, after)
    return (
        f"{result['id']}  {day}  {_one_line(result['outlet'])} "
        f"({result['language']}){tags}\n  {_one_line(result['title'])}\n"
        f"  {_one_line(excerpt)}\n  {result['url']}\n"
    )


@main.command()
@click.argument("query", required=False)
@click.option("--tag", metavar="TAG", help="Only articles with this tag.")
@click.option("--person", metavar="NAME", help="Only articles about this watched person.")
@click.option(
    "--lang",
    metavar="LANG",
    help="Only articles in this language (ru, tk, tr, en, az, kk, ky, uz, und).",
)
@click.option("--outlet", metavar="OUTLET", help="Only this outlet (part of its name, or key).")
@click.option("--since", metavar=DATE, help="Published on or after DATE.")
@click.option("--until", metavar=DATE, help="Published on or before DATE.")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"results": [...], "total": N, "truncated": BOOL, "ranked_by": ...}.',
)
@click.pass_context
def search(
    ctx: click.Context,
    query: str | None,
    tag: str | None,
    person: str | None,
    lang: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search stored articles; a Latin query finds Cyrillic and Turkmen spellings too.

    QUERY: words (prefix, any script), "quoted phrases" (each word a prefix, in order), AND,
    OR, NOT, parentheses. A watched person's spellings count as one word (Ahmet finds Ahmed),
    and a watched person's full name finds every article the tagger attributes to them.

    A filter value nothing stored carries (tag, language, outlet, person) is an error that
    lists the values the store has. Matched words are bold on a terminal and **marked** when
    the output is piped (set NO_COLOR for ** on a terminal too); with --json each snippet is
    plain text and "matches" gives [start, end] character offsets of matched words in it.
    When more articles match than --limit, "showing N of M" ends the output on stderr.
    """
    from tmwatch.config.errors import ConfigError
    from tmwatch.output.filters import FilterError
    from tmwatch.output.search import QueryError, run_search

    first, last = iso(parse_day(since, "--since")), iso(parse_day(until, "--until"))
    try:
        watchlist = config_files(ctx).load_watchlist()
    except ConfigError as exc:
        raise UsageFailure(exc.report("watchlist file")) from None
    try:
        with existing_store(ctx) as store:
            found = run_search(
                store,
                query,
                tag=tag,
                person=person,
                language=lang,
                outlet=outlet,
                since=first,
                until=last,
                limit=limit,
                watchlist=watchlist,
            )
    except FilterError as exc:
        raise UsageFailure(str(exc)) from None
    except QueryError as exc:
        raise UsageFailure(f"bad query: {exc}") from None
    if found.ranked_by == "newest":
        click.echo(
            f"over {archive.RANK_LIMIT:,} matches: showing the newest; narrow the query to "
            "rank them by relevance",
            err=True,
        )
    if as_json:
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return
    if not found.results:
        click.echo("no results", err=True)
    before, after = _highlight()
    for result in found.results:
        click.echo(_plain(result, before, after, found.days.get(result["id"], "")))
    if found.truncated:
        of = f"more than {found.total:,}" if found.total_is_lower_bound else str(found.total)
        click.echo(f"showing {len(found.results)} of {of} (use --limit)", err=True)
