"""The ``tmwatch`` command line. Results go to stdout, logs and progress to stderr.

Exit codes: 0 ok, 1 the command ran and failed, 2 bad usage or bad configuration.
Commands stay thin: the work lives in ``config``, ``spiders``, ``pipeline`` and ``output``.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

import click
from tmwatch.config.lexicons import DEFAULT_TOPICS, DEFAULT_WATCHLIST, LexiconError
from tmwatch.config.registry import DEFAULT_REGISTRY, RegistryError, load_registry
from tmwatch.logs import setup_logging
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.store import Store, StoreError
from tmwatch.store.home import DataHome, default_home

logger = logging.getLogger("tmwatch")


class UsageFailure(click.ClickException):
    exit_code = 2


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _existing_store(ctx: click.Context) -> Store:
    """The data home's store for commands that read it; a missing store is a one-line error."""
    try:
        return Store(DataHome(ctx.obj["home"]), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _load(path: Path, base: str | None = None) -> Any:
    try:
        return load_registry(path, base=base)
    except RegistryError as exc:
        raise UsageFailure(exc.report("sources registry")) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TMWATCH_HOME",
    help="Data home (store, WARC captures, digests). Default: $TMWATCH_HOME or "
    "~/.local/share/tmwatch.",
)
@click.option(
    "--watchlist",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_WATCHLIST,
    help="Watched people and places (TOML).",
)
@click.option(
    "--topics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_TOPICS,
    help="Topic lexicons (TOML).",
)
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.version_option(package_name="tmwatch")
@click.pass_context
def main(
    ctx: click.Context, home: Path | None, watchlist: Path, topics: Path, verbose: int
) -> None:
    """Monitor media reports of detentions and deportations of Turkmen activists."""
    os.umask(0o077)  # everything tmwatch writes is the owner's alone
    setup_logging(verbose)
    ctx.obj = {"home": home, "verbose": verbose, "watchlist": watchlist, "topics": topics}


def _tagger(ctx: click.Context) -> Any:
    """The tagger for this invocation; a broken watchlist or lexicon is a usage error."""
    from tmwatch.pipeline.tagging import Tagger

    try:
        return Tagger.from_files(ctx.obj["watchlist"], ctx.obj["topics"])
    except LexiconError as exc:
        raise UsageFailure(exc.report("watchlist or topics file")) from None


@main.command()
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_REGISTRY,
    show_default=True,
    help="Sources registry file.",
)
@click.option("--check", is_flag=True, help="Validate the registry and report every problem.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def sources(registry: Path, check: bool, as_json: bool) -> None:
    """List the outlets in the sources registry (or validate it with --check)."""
    loaded = _load(registry, base="http://127.0.0.1:0" if registry == SAMPLE_REGISTRY else None)
    if check:
        click.echo(f"{registry}: {len(loaded.sources)} sources, no problems")
        return
    rows = [
        {
            "key": s.key,
            "outlet": s.outlet,
            "languages": list(s.languages),
            "feeds": list(s.feeds),
            "sitemaps": list(s.sitemaps),
            "listings": [lst.url for lst in s.listings],
            "enabled": s.enabled,
            "assumed": list(s.assumed),
        }
        for s in loaded.sources.values()
    ]
    if as_json:
        click.echo(json.dumps({"sources": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        how = ", ".join(f"{len(row[k])} {k}" for k in ("feeds", "sitemaps", "listings") if row[k])
        flag = "" if row["enabled"] else " (disabled)"
        click.echo(
            f"{row['key']:<18} {'/'.join(row['languages']):<6} {row['outlet']} [{how}]{flag}"
        )


def _crawl(
    ctx: click.Context,
    *,
    home: DataHome,
    registry_path: Path,
    base: str | None,
    source_names: list[str],
    since: date | None,
    refresh: bool,
    proxy: str | None,
    overrides: dict[str, Any],
    command: str,
) -> int:
    from tmwatch.spiders.crawl import build_settings, run_crawl

    registry = _load(registry_path, base=base)
    _tagger(ctx)  # fail on a broken watchlist before any request is made
    overrides = {
        **overrides,
        "TMWATCH_WATCHLIST": str(ctx.obj["watchlist"]),
        "TMWATCH_TOPICS": str(ctx.obj["topics"]),
    }
    try:
        selected = registry.select(source_names)
    except RegistryError as exc:
        raise UsageFailure("; ".join(exc.problems)) from None
    if not selected:
        raise UsageFailure("no enabled sources to crawl")
    try:
        Store(home).close()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    settings = build_settings(
        home=home,
        registry=registry,
        registry_path=registry_path,
        base=base,
        sources=[s.key for s in selected],
        since=since,
        refresh=refresh,
        proxy=proxy,
        overrides=overrides,
    )
    logger.info("crawling %d sources into %s", len(selected), home.root)
    report = run_crawl(settings, command, ctx.obj["verbose"])
    click.echo(report.table())
    if report.finish_reason != "finished":
        click.echo(f"crawl ended early: {report.finish_reason}", err=True)
        return 1
    if all(r.failed for r in report.sources):
        click.echo("every source failed", err=True)
        return 1
    return 0


@main.command()
@click.option(
    "--source",
    "source_names",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source (repeatable). Default: every enabled source.",
)
@click.option(
    "--since",
    help="Skip entries published before DATE; listings are followed back to DATE (backfill).",
    metavar="DATE",
)
@click.option("--refresh", is_flag=True, help="Fetch stored articles again (keeps versions).")
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_REGISTRY,
    show_default=True,
    help="Sources registry file.",
)
@click.option("--base", help="Value for {base} in a sample registry.", hidden=True)
@click.option("--proxy", help="Send every request through this HTTP(S) proxy.", metavar="URL")
@click.option("--user-agent", help="User-Agent header (default names tmwatch).")
@click.option(
    "--setting",
    "-s",
    "raw_settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting (e.g. -s DOWNLOAD_TIMEOUT=10).",
)
@click.pass_context
def crawl(
    ctx: click.Context,
    source_names: tuple[str, ...],
    since: str | None,
    refresh: bool,
    registry: Path,
    base: str | None,
    proxy: str | None,
    user_agent: str | None,
    raw_settings: tuple[str, ...],
) -> None:
    """Crawl the outlets of the registry into the store."""
    overrides: dict[str, Any] = {}
    for item in raw_settings:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageFailure(f"--setting {item!r}: use NAME=VALUE")
        overrides[name.strip()] = value
    if user_agent:
        overrides["USER_AGENT"] = user_agent
    code = _crawl(
        ctx,
        home=DataHome(ctx.obj["home"]).create(),
        registry_path=registry,
        base=base,
        source_names=list(source_names),
        since=_parse_day(since, "--since"),
        refresh=refresh,
        proxy=proxy,
        overrides=overrides,
        command="crawl",
    )
    ctx.exit(code)


# The demo talks only to its own loopback server, so it can drop the live-site politeness.
DEMO_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 3,
    "RETRY_TIMES": 1,
}


@main.command()
@click.option(
    "--slow-delay",
    type=float,
    default=4.0,
    show_default=True,
    hidden=True,
    help="Seconds the sample server's slow page waits.",
)
@click.pass_context
def demo(ctx: click.Context, slow_delay: float) -> None:
    """Serve the bundled sample outlets on 127.0.0.1, crawl them, write a digest.

    Uses the data home given by --home, or a separate `tmwatch-demo` home next to the default
    one, so demo data never mixes with real monitoring data.
    """
    from tmwatch.output.digest import (
        Selection,
        build_digest,
        mark_digest_written,
        save_json,
        save_text,
    )
    from tmwatch.output.render import to_html
    from tmwatch.samples.server import SampleServer

    home = DataHome(ctx.obj["home"] or default_home().with_name("tmwatch-demo")).create()
    # Sample URLs contain the server's port; reusing the port of the first demo run keeps them
    # stable, so a second run recognises every stored article.
    port_file = home.root / "demo-port"
    port = int(port_file.read_text()) if port_file.exists() else 0
    try:
        server = SampleServer(slow_delay=slow_delay, port=port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve the sample outlets on 127.0.0.1:{port} ({exc.strerror}); "
            f"free that port, or use another --home"
        ) from None
    port_file.write_text(server.base.rsplit(":", 1)[1])
    with server:
        logger.info("sample outlets served at %s", server.base)
        code = _crawl(
            ctx,
            home=home,
            registry_path=SAMPLE_REGISTRY,
            base=server.base,
            source_names=[],
            since=None,
            refresh=False,
            proxy=None,
            overrides=DEMO_SETTINGS,
            command="demo",
        )
    with Store(home) as store:
        digest = build_digest(store, Selection(everything=True))
        path = save_json(digest, home.digest_dir / "demo.json")
        save_text(to_html(digest), home.digest_dir / "demo.html")
        mark_digest_written(store, digest)
        languages = sorted({a["language"] for a in digest["articles"] if a["language"]})
        outlets = sorted({a["outlet"] for a in digest["articles"]})
    click.echo(
        f"\n{digest['count']} articles from {len(outlets)} outlets in {', '.join(languages)}; "
        f"digest: {path} (and {path.with_suffix('.html').name})\ndata home: {home.root}"
    )
    ctx.exit(code)


@main.command()
@click.option(
    "--since",
    metavar="D",
    help="Only captures fetched on or after D (upsert; "
    "without it every derived record is rebuilt).",
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sources registry (default: the one the store was crawled with).",
)
@click.pass_context
def reprocess(ctx: click.Context, since: str | None, registry: Path | None) -> None:
    """Re-derive articles from the stored WARC captures, without the network."""
    from tmwatch.pipeline.reprocess import reprocess as run_reprocess

    day = _parse_day(since, "--since")
    with _existing_store(ctx) as store:
        path = registry or Path(store.get_meta("registry_path") or DEFAULT_REGISTRY)
        loaded = _load(path, base=store.get_meta("registry_base") or None)
        step = 50

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                logger.info("reprocessed %d of %d captures", done, total)

        tagger = _tagger(ctx)
        report = run_reprocess(store, loaded, tagger, day.isoformat() if day else None, progress)
        total = store.count()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
    click.echo(f"reprocessed captures: {counts or 'none'}; {total} articles in the store")
    for problem in report.problems[:10]:
        click.echo(f"! {problem}", err=True)
    ctx.exit(1 if report.problems and not total else 0)


@main.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.pass_context
def tag(ctx: click.Context, source: Any) -> None:
    """Tag JSON Lines: {"id", "text"[, "title", "url", "language"]} in, one result per line out.

    Reads FILE or standard input; needs no data home and no network. Output lines:
    {"id", "language", "tags", "persons", "places", "evidence"}. A bad input line is reported on
    stderr with its number and skipped; the exit code is then 1.
    """
    from tmwatch.pipeline.language import detect_language

    tagger = _tagger(ctx)
    bad = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            bad += 1
            click.echo(f"line {number}: not JSON ({exc.msg} at column {exc.colno})", err=True)
            continue
        problem = _tag_input_problem(record)
        if problem:
            bad += 1
            click.echo(f"line {number}: {problem}", err=True)
            continue
        title = record.get("title") or ""
        language = record.get("language") or detect_language(record["text"], title).language
        result = tagger.tag(record["text"], title, language)
        out = {"id": record["id"], **result.as_dict()}
        click.echo(json.dumps(out, ensure_ascii=False))
    ctx.exit(1 if bad else 0)


def _tag_input_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return "expected a JSON object"
    if "id" not in record or not isinstance(record["id"], str | int):
        return 'missing "id" (a string or number)'
    if not isinstance(record.get("text"), str):
        return 'missing "text" (a string)'
    for name in ("title", "url", "language"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return f'"{name}" must be a string'
    return None


@main.command()
@click.option("--date", "on", metavar="D", help="Articles published on day D (YYYY-MM-DD).")
@click.option("--since", metavar="D", help="Articles published on or after D.")
@click.option("--until", metavar="D", help="Articles published on or before D.")
@click.option("--all", "everything", is_flag=True, help="Every stored article.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "atom"]),
    default="json",
    show_default=True,
)
@click.option("--tag", metavar="T", help="Only articles with this tag (e.g. detention).")
@click.option("--person", metavar="NAME", help="Only articles about this watched person.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
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

    Articles first seen since the previous digest are marked new; JSON follows
    output/digest.schema.json; HTML is one self-contained file that loads nothing remote.
    """
    from tmwatch.output.digest import (
        Selection,
        build_digest,
        mark_digest_written,
        save_text,
        to_json_text,
    )
    from tmwatch.output.render import select, to_atom, to_html, to_markdown
    from tmwatch.output.search import resolve_person

    chosen = sum(bool(x) for x in (on, since or until, everything))
    if chosen > 1:
        raise UsageFailure("use one of --date, --since/--until, --all")
    selection = Selection(
        on=_parse_day(on, "--date"),
        since=_parse_day(since, "--since"),
        until=_parse_day(until, "--until"),
        everything=everything,
    )
    with _existing_store(ctx) as store:
        result = build_digest(store, selection)
        names = resolve_person(store, person) if person else []
        if person and not names:
            raise click.ClickException(f"no stored article mentions a watched person {person!r}")
        if tag or person:
            articles = [a for n in (names or [None]) for a in select(result["articles"], tag, n)]
            result["articles"] = list({a["id"]: a for a in articles}.values())
            result["count"] = len(result["articles"])
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
@click.option("--tag", metavar="T", help="Only articles with this tag.")
@click.option("--person", metavar="NAME", help="Only articles about this watched person.")
@click.option("--lang", metavar="L", help="Only articles in this language (ru, tk, tr, en).")
@click.option("--outlet", metavar="O", help="Only this outlet (name or source key).")
@click.option("--since", metavar="D", help="Published on or after D.")
@click.option("--until", metavar="D", help="Published on or before D.")
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
        since=_iso(_parse_day(since, "--since")),
        until=_iso(_parse_day(until, "--until")),
        limit=limit,
    )
    try:
        with _existing_store(ctx) as store:
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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


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
    from tmwatch.output.citation import MISSING_TITLE, as_csl, as_html, as_markdown, as_text

    if title_en is not None and len(ids) != 1:
        raise UsageFailure("--title-en goes with exactly one ID")
    with _existing_store(ctx) as store:
        articles = []
        for article_id in ids:
            article = store.article(article_id)
            if article is None:
                raise click.ClickException(f"unknown article id {article_id!r}")
            if title_en is not None:
                if not title_en.strip():
                    raise UsageFailure("--title-en must not be empty")
                with store.transaction():
                    store.set_title_en(article_id, title_en.strip())
                article["title_en"] = title_en.strip()
            articles.append(article)
            english = article["alternates"].get("en")
            if not article.get("title_en") and article.get("language") != "en" and english:
                twin = store.article_by_url(english)
                hint = f" ({twin['title']!r}, id {twin['id']})" if twin else ""
                click.echo(
                    f"{article_id}: {MISSING_TITLE.lower()}; an English version exists: "
                    f"{english}{hint}",
                    err=True,
                )
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


if __name__ == "__main__":
    main()
