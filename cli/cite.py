"""``tmwatch cite``: footnotes in the appeals' format, and CSL-JSON for Zotero."""

from __future__ import annotations

import json

import click

from tmwatch.cli.app import UsageFailure, existing_store, main


def _one_line_title(title_en: str) -> str:
    """The English title as stored: outer whitespace dropped; a line break inside is refused.

    A footnote is one line. Joining lines silently could glue a pasted subtitle or a stray
    second paragraph into a title an appeal then cites, so the user decides instead.
    """
    title = title_en.strip()
    if not title:
        raise UsageFailure("--title-en must not be empty")
    if title.splitlines() != [title]:
        raise UsageFailure("--title-en must be one line; it contains a line break")
    return title


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html", "csl-json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--title-en",
    help="Store this English title for the (single) article, then cite. One line: leading and "
    "trailing spaces are dropped, a line break inside is refused (exit 2).",
)
@click.option(
    "--clear-title-en",
    is_flag=True,
    help="Forget the stored English title of the given article(s), then cite.",
)
@click.pass_context
def cite(
    ctx: click.Context, ids: tuple[str, ...], fmt: str, title_en: str | None, clear_title_en: bool
) -> None:
    """Footnotes in the appeals' format for stored articles (IDs from digest or search).

    \b
    [<English title>. In <Language>] <Original title>. <Author>, <Outlet>, <DD.MM.YYYY> <URL>

    An ID given twice is cited once, in first-seen order. Without a stored English title the
    bracket says "English title needed" and stderr gets one line per such article naming its ID
    and the command that adds the title. csl-json: the English title is "title", the original
    "original-title", its language "language"; people are {"family", "given"} (romanised),
    organisations {"literal"}.
    """
    from tmwatch.output.citation import (
        as_csl,
        as_html,
        as_markdown,
        as_text,
        missing_title_warning,
    )

    ids = tuple(dict.fromkeys(ids))  # each article once, in the order first given
    if title_en is not None and clear_title_en:
        raise UsageFailure("--title-en and --clear-title-en cannot be used together")
    if title_en is not None:
        if len(ids) != 1:
            raise UsageFailure("--title-en goes with exactly one ID")
        title_en = _one_line_title(title_en)
    with existing_store(ctx) as store:
        articles = []
        for article_id in ids:
            article = store.archive.article(article_id)
            if article is None:
                raise click.ClickException(f"unknown article id {article_id!r}")
            articles.append(article)
        if title_en is not None or clear_title_en:
            with store.transaction():
                for article in articles:
                    if title_en is not None:
                        store.archive.set_title_en(article["id"], title_en)
                    else:
                        store.archive.clear_title_en(article["id"])
                    article["title_en"] = title_en
        for article in articles:
            warning = missing_title_warning(store, article)
            if warning:
                click.echo(warning, err=True)
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
