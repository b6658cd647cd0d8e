"""``tmwatch case``: case files for appeals, and the user's corrections of extracted events."""

from __future__ import annotations

from pathlib import Path

import click

from tmwatch.cli.app import UsageFailure, config_files, existing_store, main, write_output


@main.command()
@click.argument("persons", nargs=-1, metavar="[PERSON]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json", "docx", "odt"]),
    default="md",
    show_default=True,
    help="md: Pandoc Markdown with [^n] footnotes; html: one self-contained page; json: see "
    "tmwatch/output/case.schema.json; docx/odt: word-processor files with real footnotes "
    "(need -o).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (atomically, owner-only) instead of stdout.",
)
@click.option(
    "--dismiss",
    nargs=3,
    metavar="ARTICLE_ID PERSON TYPE",
    default=None,
    help="Dismiss one report: the article does not state this event of this person.",
)
@click.option(
    "--set-date",
    nargs=4,
    metavar="ARTICLE_ID PERSON TYPE DATE",
    default=None,
    help="Use DATE (YYYY-MM-DD, YYYY-MM or YYYY) as the date this report gives the event.",
)
@click.option("--note", default="", metavar="TEXT", help="Why (kept with the correction).")
@click.pass_context
def case(
    ctx: click.Context,
    persons: tuple[str, ...],
    fmt: str,
    output: Path | None,
    dismiss: tuple[str, str, str] | None,
    set_date: tuple[str, str, str, str] | None,
    note: str,
) -> None:
    """The case file of one or more watched persons: one document (an appeal's annex).

    \b
    Per person: spellings, current status, a timeline of events (date, place; a date the
    outlets disagree on is flagged) with one footnote per event citing every report of it,
    earliest first; the reports behind each event (article ID, outlet, the sentence); every
    stored article naming the person, newest first; and the corrections made.

    \b
    PERSON is any part or spelling of a watched name (Rakhmanov, Рахманов, Ahmet).

    \b
    Corrections (kept across `tmwatch reprocess` and crawls):
      tmwatch case --dismiss ARTICLE_ID PERSON TYPE [--note TEXT]
      tmwatch case --set-date ARTICLE_ID PERSON TYPE DATE [--note TEXT]
    A case file prints each report's key (ARTICLE_ID PERSON TYPE) and the command that
    dismisses it. --set-date on a dismissed report restores it with that date. TYPE is one of
    detained, deportation_centre, released, deported, deportation_threat, summoned, attacked,
    threatened, hunger_strike, legal. With PERSON... as well, the case file follows the
    correction.
    """
    from tmwatch.config.errors import ConfigError
    from tmwatch.output.casefile import (
        CaseError,
        build_case,
        case_html,
        case_markdown,
        correct_report,
        resolve_persons,
        to_json_text,
    )
    from tmwatch.output.documents import DocumentError, write_document

    if dismiss and set_date:
        raise UsageFailure("use --dismiss or --set-date, not both")
    if note and not (dismiss or set_date):
        raise UsageFailure("--note goes with --dismiss or --set-date")
    if fmt in ("docx", "odt") and output is None and persons:
        raise UsageFailure(f"--format {fmt} writes a file: give -o FILE")
    try:
        watchlist = config_files(ctx).load_watchlist()
    except ConfigError as exc:
        raise UsageFailure(exc.report("watchlist file")) from None
    correction: tuple[str, str, str, str, str | None] | None = None
    if dismiss:
        correction = (*dismiss, "dismiss", None)
    elif set_date:
        correction = (*set_date[:3], "date", set_date[3])
    with existing_store(ctx) as store:
        try:
            if correction:
                article_id, person, kind, action, value = correction
                done = correct_report(
                    store,
                    article_id,
                    person,
                    kind,
                    action=action,
                    value=value,
                    note=note,
                    watchlist=watchlist,
                )
                what = "dismissed" if action == "dismiss" else f"date set to {done['value']}"
                click.echo(
                    f"{done['article_id']} {done['person']} {done['type']}: {what}", err=True
                )
                if not persons:
                    return
            if not persons:
                stored = ", ".join(store.archive.person_labels()) or "none yet"
                raise UsageFailure(
                    f"name at least one PERSON; watched persons in the store: {stored}"
                )
            names = resolve_persons(store, list(persons), watchlist)
            result = build_case(store, names, watchlist)
        except CaseError as exc:
            raise UsageFailure(str(exc)) from None
    notes = sum(1 for p in result["persons"] for e in p["events"] if e["reports"])
    if fmt in ("docx", "odt"):
        assert output is not None
        try:
            write_document(case_markdown(result), fmt, output)
        except DocumentError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        render = {"md": case_markdown, "html": case_html, "json": to_json_text}[fmt]
        write_output(render(result), output, "case file")
    if output:
        click.echo(
            f"{len(result['persons'])} persons, {notes} footnoted events -> {output}", err=True
        )
