"""``tmwatch tag``: the tagger over JSON Lines, with no data home and no network."""

from __future__ import annotations

import json
from typing import Any

import click

from tmwatch.cli.app import config_files, load_tagger, main
from tmwatch.pipeline.tag_lines import DEFAULT_MAX_CHARS, DEFAULT_MAX_EVIDENCE


@main.command()
@click.argument("source", metavar="[FILE|-]", type=click.File("rb"), default="-")
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    help="Longest input line, in characters; a longer one gets an error line and is skipped "
    "in chunks, never held in memory.",
)
@click.option(
    "--max-evidence",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_EVIDENCE,
    show_default=True,
    help="Evidence items per tag, person or place; the rest are counted in evidence_omitted.",
)
@click.pass_context
def tag(ctx: click.Context, source: Any, max_chars: int, max_evidence: int) -> None:
    """Tag JSON Lines: {"id", "text"[, "title", "url", "language", "published"]} in, one out.

    Reads FILE or standard input as UTF-8 JSON Lines; needs no data home and no network.
    "language" is one of en, ru, tk, tr, or absent to detect it; "published" (an ISO date or
    date-time) resolves event dates such as "yesterday" or "22 October" and is never taken as
    an event's own date. Every non-blank input line gives exactly one output line, in order:

    \b
    {"id", "language", "tags", "persons", "places",
     "evidence": [{"kind", "label", "field", "start", "end", "sentence", ...}],
     "evidence_omitted": {"<label>": <count>},
     "events": [{"person", "type", "date", "date_precision", "date_basis",
                 "place", "evidence"}]}
    {"id", "error"}    a bad line: invalid UTF-8 or JSON, a missing field,
                       an unknown language, longer than --max-chars ("id"
                       only when it could be read)

    Evidence is capped at --max-evidence items per label (tag, person or place); the count of
    the rest per label is in "evidence_omitted" ({} when none). A bad line is also reported on
    stderr as "line N: problem". Exit code 0 when every line gave a result, 1 when any was bad.
    """
    from tmwatch.pipeline.tag_lines import tag_input_lines

    tagger = load_tagger(config_files(ctx))
    bad = 0
    for number, result in tag_input_lines(
        tagger, source, max_chars=max_chars, max_evidence=max_evidence
    ):
        if "error" in result:
            bad += 1
            click.echo(f"line {number}: {result['error']}", err=True)
        # Bytes: the output is UTF-8 JSON Lines whatever the terminal's locale says.
        click.echo(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    ctx.exit(1 if bad else 0)
