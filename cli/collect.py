"""Commands that fill the store: ``sources``, ``crawl``, ``demo``, ``reprocess``, ``migrate``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import click

from tmwatch.cli.app import (
    DATE,
    REGISTRY_HELP,
    TmwatchGroup,
    UsageFailure,
    chosen_sources,
    config_files,
    created_home,
    data_home,
    existing_store,
    iso,
    jobs_option,
    load_registry,
    load_tagger,
    main,
    parse_day,
    registry_options,
    setting_option,
    source_option,
)
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.store import Store, StoreError
from tmwatch.store.lock import LOCK_BUSY, LockBusy, RunLock

logger = logging.getLogger("tmwatch")


@main.group(cls=TmwatchGroup, invoke_without_command=True)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=REGISTRY_HELP,
)
@click.option("--check", is_flag=True, help="Validate the registry and report every problem.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def sources(ctx: click.Context, registry: Path | None, check: bool, as_json: bool) -> None:
    """List the outlets in the sources registry (or validate it with --check).

    `tmwatch sources discover URL` proposes an entry for a new outlet.
    """
    if ctx.invoked_subcommand is not None:
        return
    sample = registry is not None and registry.resolve() == SAMPLE_REGISTRY.resolve()
    files = config_files(ctx, registry, registry_base="http://127.0.0.1:0" if sample else None)
    loaded = load_registry(files)
    if check:
        click.echo(f"{loaded.path}: {len(loaded.sources)} sources, no problems")
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


@main.command()
@source_option("Crawl")
@click.option(
    "--since",
    help="Skip entries published before DATE; listings are followed back to DATE (backfill).",
    metavar=DATE,
)
@click.option("--refresh", is_flag=True, help="Fetch stored articles again (keeps versions).")
@registry_options
@click.option("--proxy", help="Send every request through this HTTP(S) proxy.", metavar="URL")
@click.option("--user-agent", help="User-Agent header (default names tmwatch).")
@setting_option("Override a Scrapy setting (e.g. -s DOWNLOAD_TIMEOUT=10).")
# Reading pages off the reactor's thread also keeps downloads flowing while pages are read.
@jobs_option("Read the fetched pages")
@click.pass_context
def crawl(
    ctx: click.Context,
    source_names: tuple[str, ...],
    since: str | None,
    refresh: bool,
    registry: Path | None,
    base: str | None,
    proxy: str | None,
    user_agent: str | None,
    raw_settings: tuple[str, ...],
    jobs: int,
) -> None:
    """Crawl the outlets of the registry into the store."""
    from tmwatch.spiders.crawl import run_crawl

    plan = plan_crawl(
        ctx,
        source_names,
        registry=registry,
        base=base,
        raw_settings=raw_settings,
        since=since,
        refresh=refresh,
        proxy=proxy,
        user_agent=user_agent,
        jobs=jobs,
    )
    logger.info("crawling %d sources into %s", len(plan.sources), plan.home.root)
    try:
        with RunLock(plan.home.root, "crawl"):
            report = run_crawl(plan, ctx.obj["verbose"])
    except LockBusy as exc:
        click.echo(f"tmwatch: {exc}", err=True)
        ctx.exit(LOCK_BUSY)
    click.echo(report.table())
    if report.failure:
        click.echo(report.failure, err=True)
    ctx.exit(report.exit_code)


def plan_crawl(
    ctx: click.Context,
    source_names: tuple[str, ...],
    *,
    registry: Path | None,
    base: str | None,
    raw_settings: tuple[str, ...],
    since: str | None = None,
    refresh: bool = False,
    proxy: str | None = None,
    user_agent: str | None = None,
    command: str = "crawl",
    jobs: int = 1,
) -> Any:
    """The ``CrawlPlan`` of ``crawl`` and ``run``: options checked, configuration loaded, the
    data home created; every bad value is a usage error before any request is made."""
    from tmwatch.spiders.crawl import CrawlPlan

    overrides: dict[str, Any] = {}
    for item in raw_settings:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageFailure(f"--setting {item!r}: use NAME=VALUE")
        overrides[name.strip()] = value
    if user_agent:
        overrides["USER_AGENT"] = user_agent
    day = parse_day(since, "--since")
    files = config_files(ctx, registry, registry_base=base)
    loaded = load_registry(files)
    tagger = load_tagger(files)  # a broken watchlist fails before any request is made
    chosen = chosen_sources(loaded, source_names, "crawl")
    home = created_home(data_home(ctx))
    try:
        Store(home).close()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    return CrawlPlan(
        home=home,
        files=files,
        registry=loaded,
        tagger=tagger,
        sources=tuple(chosen),
        since=day,
        refresh=refresh,
        proxy=proxy,
        overrides=overrides,
        command=command,
        jobs=jobs,
    )


@main.command()
@click.option(
    "--slow-delay",
    type=float,
    default=4.0,
    show_default=True,
    hidden=True,
    help="Seconds the sample server's slow page waits.",
)
@click.option("--serve", "then_serve", is_flag=True, help="Then serve the demo archive.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="With --serve."
)
@click.pass_context
def demo(ctx: click.Context, slow_delay: float, then_serve: bool, port: int) -> None:
    """Serve the bundled sample outlets on 127.0.0.1, crawl them, write a digest.

    With --serve it then serves the demo archive at http://127.0.0.1:PORT/ until Ctrl-C.

    Uses the data home given by --home, or a separate `tmwatch-demo` home next to the default
    one, so demo data never mixes with real monitoring data. The demo always uses the packaged
    watchlist and topics, never your own configuration.
    """
    from tmwatch.spiders.demo import DemoError, demo_home, run_demo

    try:
        home = created_home(demo_home(ctx.obj["home"], data_home(ctx).store))
        result = run_demo(home, slow_delay=slow_delay, verbose=ctx.obj["verbose"])
    except (DemoError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.report.table())
    if result.report.failure:
        click.echo(result.report.failure, err=True)
    click.echo(f"\n{result.summary()}")
    if then_serve:
        from tmwatch.cli.serve import serve_home
        from tmwatch.config.user import ConfigFiles

        serve_home(result.home, ConfigFiles(packaged_only=True), "127.0.0.1", port)
        return
    ctx.exit(result.report.exit_code)


@main.command()
@click.option(
    "--since",
    metavar=DATE,
    help="Only captures fetched on or after DATE (upsert; "
    "without it every derived record is rebuilt).",
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Sources registry (default: the one the store was crawled with).",
)
@jobs_option("Read the pages")
@click.pass_context
def reprocess(ctx: click.Context, since: str | None, registry: Path | None, jobs: int) -> None:
    """Re-derive articles from the stored WARC captures, without the network."""
    from tmwatch.config.reference import files_for_reference
    from tmwatch.pipeline.reprocess import reprocess as run_reprocess

    day = parse_day(since, "--since")
    with existing_store(ctx) as store:
        files = files_for_reference(
            store.get_meta("registry"), store.get_meta("registry_base"), config_files(ctx, registry)
        )
        loaded = load_registry(files)
        tagger = load_tagger(files)
        step = 50

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                logger.info("reprocessed %d of %d captures", done, total)

        report = run_reprocess(store, loaded, tagger, iso(day), progress, jobs=jobs)
        total = store.archive.count()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
    click.echo(f"reprocessed captures: {counts or 'none'}; {total} articles in the store")
    if report.status_changes:
        click.echo(f"{report.status_changes} status changes (see `tmwatch digest`)")
    for problem in report.problems[:10]:
        click.echo(f"! {problem}", err=True)
    ctx.exit(1 if report.problems and not total else 0)


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Upgrade the data home's store to this tmwatch's schema, keeping a backup first."""
    from tmwatch.store import upgrade

    try:
        report, backup = upgrade(data_home(ctx))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if not report.applied:
        click.echo(f"store schema {report.after} is current; nothing to do")
        return
    kept = f"backup: {backup}" if backup else "in one transaction (back up with pg_dump)"
    click.echo(f"store schema {report.before} -> {report.after}; {kept}")
    for line in report.applied:
        click.echo(f"  applied {line}")
    for note in report.notes:
        click.echo(f"  {note}")
