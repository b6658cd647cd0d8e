"""``tmwatch tag``: the tagger over JSON Lines, with no data home and no network."""

from __future__ import annotations

import json
from typing import Any

import click

from tmwatch.cli.app import config_files, load_tagger, main


@main.command()
@click.argument("source", metavar="[FILE|-]", type=click.File("r", encoding="utf-8"), default="-")
@click.pass_context
def tag(ctx: click.Context, source: Any) -> None:
    """Tag JSON Lines: {"id", "text"[, "title", "url", "language"]} in, one result per line out.

    Reads FILE or standard input; needs no data home and no network. Output lines:
    {"id", "language", "tags", "persons", "places", "evidence"}. A bad input line is reported on
    stderr with its number and skipped; the exit code is then 1.
    """
    from tmwatch.pipeline.tagging import tag_input_lines

    tagger = load_tagger(config_files(ctx))
    bad = 0
    for number, result in tag_input_lines(tagger, source):
        if "error" in result:
            bad += 1
            click.echo(f"line {number}: {result['error']}", err=True)
            continue
        click.echo(json.dumps(result, ensure_ascii=False))
    ctx.exit(1 if bad else 0)
