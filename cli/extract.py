"""``tmwatch extract``: the crawl's per-page stage over saved pages, for researchers and evaluation.

The command only moves lines: reading and validating them is ``pipeline.pages``, and the page
reading is the crawl's own ``pipeline.process.read_page``.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import click

from tmwatch.cli.app import jobs_option, main


@main.command()
@click.argument("source", metavar="[FILE|-]", type=click.File("rb"), default="-")
# A few pages read faster with --jobs 1: the workers take about a second to start.
@jobs_option("Read the pages")
@click.pass_context
def extract(ctx: click.Context, source: BinaryIO, jobs: int) -> None:
    """Read saved article pages as the crawl does: JSON Lines in, one result per line out.

    Reads FILE or standard input; needs no data home and makes no network request. Each input
    line is an object:

    \b
      {"url": "https://…",            where the page was fetched from (after redirects)
       "path": "page.html[.gz]",      a saved page, gzip detected; relative to the working
                                      directory. Or instead of "path":
       "html": "<html>…",             the page as a string
       "fetched_at": "2021-10-19T…",  optional: no page date later than this day is taken
       "content_type": "text/html"}   optional: the HTTP Content-Type (its charset is used)

    For every non-blank line, in order, one output line:

    \b
      {"url", "title", "text", "published", "date_source", "language", "canonical_url",
       "authors"}

    or {"url", "error"} for a line that cannot be read or a page that is refused (not HTML,
    over the crawl's page size limit, nothing to extract); "url" is null when the line has no
    usable URL. Errors are also reported on stderr with their line number. Pages too short for
    the crawl to store are still read. Exit code 0 if every line gave a result, 1 if any was an
    error. See docs/extract.md.
    """
    from tmwatch.pipeline.pages import read_input_lines

    bad = 0
    for number, result in read_input_lines(source, jobs):
        if "error" in result:
            bad += 1
            click.echo(f"line {number}: {result['error']}", err=True)
        click.echo(json.dumps(result, ensure_ascii=False))
    ctx.exit(1 if bad else 0)
