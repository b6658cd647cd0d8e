"""Commands that read the store: ``digest``, ``search``, ``cite``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tmwatch.cli.app import DATE, UsageFailure, existing_store, iso, main, parse_day


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
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE instead of stdout.",
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
    output: Path | None,
) -> None:
    """Write a digest of stored articles (default: first seen in the last 24 hours).

    Articles first seen since the previous digest are marked new; JSON follows the digest
    JSON Schema shipped with tmwatch (tmwatch/output/digest.schema.json); HTML is one
    self-contained file that loads nothing remote.
    """
    from tmwatch.output.digest import (
        Selection,
        build_digest,
        mark_digest_written,
        narrow,
        save_text,
        to_json_text,
    )
    from tmwatch.output.render import to_atom, to_html, to_markdown
    from tmwatch.output.search import resolve_person

    chosen = sum(bool(x) for x in (on, since or until, everything))
    if chosen > 1:
        raise UsageFailure("use one of --date, --since/--until, --all")
    selection = Selection(
        on=parse_day(on, "--date"),
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        everything=everything,
    )
    with existing_store(ctx) as store:
        result = build_digest(store, selection)
        names = resolve_person(store, person) if person else []
        if person and not names:
            raise click.ClickException(f"no stored article mentions a watched person {person!r}")
        if tag or person:
            narrow(result, tag, names)
        mark_digest_written(store, result)
    if fmt == "json":
        text = to_json_text(result)
    elif fmt == "md":
        text = to_markdown(result)
    elif fmt == "html":
        text = to_html(result)
    else:
        narrowed = " · ".join(x for x in (tag, ", ".join(names)) if x)
        text = to_atom(
            result,
            f"tmwatch: {narrowed or 'all articles'}",
            f"urn:tmwatch:feed:{tag or ''}:{'|'.join(names)}",
        )
    if output:
        save_text(text, output)
        click.echo(f"{result['count']} articles -> {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("query", required=False)
@click.option("--tag", metavar="TAG", help="Only articles with this tag.")
@click.option("--person", metavar="NAME", help="Only articles about this watched person.")
@click.option("--lang", metavar="LANG", help="Only articles in this language (ru, tk, tr, en).")
@click.option("--outlet", metavar="OUTLET", help="Only this outlet (name or source key).")
@click.option("--since", metavar=DATE, help="Published on or after DATE.")
@click.option("--until", metavar=DATE, help="Published on or before DATE.")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"results": [...]}.')
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

    QUERY: words (prefix, any script), "quoted phrases", AND, OR, NOT, parentheses.
    """
    from tmwatch.output.search import Filters, QueryError
    from tmwatch.output.search import search as run_search

    filters = Filters(
        tag=tag,
        person=person,
        language=lang,
        outlet=outlet,
        since=iso(parse_day(since, "--since")),
        until=iso(parse_day(until, "--until")),
        limit=limit,
    )
    try:
        with existing_store(ctx) as store:
            results = run_search(store, query, filters)
    except QueryError as exc:
        raise UsageFailure(f"bad query: {exc}") from None
    if results and results[0]["ranked_by"] == "newest":
        click.echo(
            "over 10,000 matches: showing the newest; narrow the query to rank them by relevance",
            err=True,
        )
    if as_json:
        click.echo(json.dumps({"results": results}, ensure_ascii=False, indent=2))
        return
    if not results:
        click.echo("no results", err=True)
    for r in results:
        tags = f" [{', '.join(r['tags'])}]" if r["tags"] else ""
        click.echo(
            f"{r['id']}  {(r['published'] or '')[:10]}  {r['outlet']} ({r['language']})"
            f"{tags}\n  {r['title']}\n  {r['snippet']}\n  {r['url']}\n"
        )


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html", "csl-json"]),
    default="text",
    show_default=True,
)
@click.option("--title-en", help="Store this English title for the (single) article, then cite.")
@click.pass_context
def cite(ctx: click.Context, ids: tuple[str, ...], fmt: str, title_en: str | None) -> None:
    """Footnotes in the appeals' format for stored articles (IDs from digest or search).

    [<English title>. In <Language>] <Original title>. <Author>, <Outlet>, <DD.MM.YYYY> <URL>
    """
    from tmwatch.output.citation import as_csl, as_html, as_markdown, as_text, english_version_hint

    if title_en is not None and len(ids) != 1:
        raise UsageFailure("--title-en goes with exactly one ID")
    if title_en is not None and not title_en.strip():
        raise UsageFailure("--title-en must not be empty")
    with existing_store(ctx) as store:
        articles = []
        for article_id in ids:
            article = store.archive.article(article_id)
            if article is None:
                raise click.ClickException(f"unknown article id {article_id!r}")
            if title_en is not None:
                with store.transaction():
                    store.archive.set_title_en(article_id, title_en.strip())
                article["title_en"] = title_en.strip()
            articles.append(article)
            hint = english_version_hint(store, article)
            if hint:
                click.echo(hint, err=True)
    if fmt == "csl-json":
        click.echo(json.dumps([as_csl(a) for a in articles], ensure_ascii=False, indent=2))
        return
    render = {"text": as_text, "md": as_markdown, "html": as_html}[fmt]
    lines = [render(a) for a in articles]
    if len(lines) > 1:
        if fmt == "html":
            click.echo("<ol>" + "".join(f"<li>{line}</li>" for line in lines) + "</ol>")
            return
        lines = [f"{n}. {line}" for n, line in enumerate(lines, 1)]
    click.echo("\n".join(lines))
