"""``tmwatch run``, ``tmwatch subscriptions`` and ``tmwatch schedule``: tmwatch on a timer.

``run`` is what a scheduler calls: take the data home's lock, crawl, write the day's digest,
queue what each subscription is due and send the outbox. The work is in
``tmwatch.spiders.crawl`` and ``tmwatch.delivery``; this module parses, calls and reports.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from tmwatch.cli.app import (
    UsageFailure,
    config_files,
    data_home,
    existing_store,
    jobs_option,
    main,
    registry_options,
    setting_option,
    source_option,
)
from tmwatch.cli.collect import plan_crawl
from tmwatch.config.errors import ConfigError
from tmwatch.config.secrets import FILE_NAME as SECRETS_FILE
from tmwatch.config.secrets import Secrets
from tmwatch.config.subscriptions import FILE_NAME as SUBSCRIPTIONS_FILE
from tmwatch.config.subscriptions import Subscriptions, Vocabulary, load_subscriptions
from tmwatch.config.user import ConfigFiles
from tmwatch.delivery.schedule import ScheduleError, cron_line, systemd_units
from tmwatch.store import Store, StoreError
from tmwatch.store.lock import LOCK_BUSY, LockBusy, RunLock


def subscriptions_of(files: ConfigFiles, path: Path | None) -> tuple[Subscriptions, Path]:
    """The subscriptions in use (``--subscriptions FILE`` or the configuration directory's);
    none when the default file does not exist. A broken file is a usage error (exit 2)."""
    chosen = path or files.directory() / SUBSCRIPTIONS_FILE
    if path is None and not chosen.exists():
        return Subscriptions(), chosen
    try:
        vocabulary = Vocabulary.of(
            files.load_watchlist(), files.load_topics(), files.load_registry()
        )
        return load_subscriptions(chosen, vocabulary), chosen
    except ConfigError as exc:
        raise UsageFailure(exc.report("subscriptions file")) from None


def secrets_of(files: ConfigFiles) -> Secrets:
    secrets = Secrets(files.directory() / SECRETS_FILE)
    try:
        secrets.get("")  # read the file now: a group-readable one fails before any work
    except ConfigError as exc:
        raise UsageFailure(exc.report("secrets file")) from None
    return secrets


_SUBSCRIPTIONS_HELP = "Use this subscriptions file (default: subscriptions.toml in your config)."


@main.command("run")
@click.option("--no-crawl", is_flag=True, help="Deliver what is due from the store as it is.")
@source_option("Crawl")
@registry_options
@click.option(
    "--subscriptions",
    "subscriptions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_SUBSCRIPTIONS_HELP,
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Wait this long for a running tmwatch job to finish (default: exit at once, code 75).",
)
@setting_option("Override a Scrapy setting for the crawl.")
@jobs_option("Read the crawled pages")
@click.pass_context
def run_command(
    ctx: click.Context,
    no_crawl: bool,
    source_names: tuple[str, ...],
    registry: Path | None,
    base: str | None,
    subscriptions_file: Path | None,
    wait: float,
    raw_settings: tuple[str, ...],
    jobs: int,
) -> None:
    """Crawl, write the day's digest, deliver the subscriptions that are due: for a scheduler.

    Two jobs never share a data home: a second run exits with code 75 (or waits, --wait). A run
    killed at any point is completed by the next one. Exit codes: 0 everything worked; 1 the
    crawl failed or a message could not be delivered (it stays queued, or is a dead letter);
    2 bad usage or configuration; 75 another job is running; 130 interrupted.
    """
    from tmwatch.delivery.cycle import deliver
    from tmwatch.spiders.crawl import run_crawl

    files = config_files(ctx, registry, registry_base=base)
    subscriptions, path = subscriptions_of(files, subscriptions_file)
    secrets = secrets_of(files)
    if no_crawl:
        plan = None
        with existing_store(ctx) as store:
            home = store.home
    else:
        plan = plan_crawl(
            ctx,
            source_names,
            registry=registry,
            base=base,
            raw_settings=raw_settings,
            command="run",
            jobs=jobs,
        )
        home = plan.home
    failed = False
    try:
        with RunLock(home.root, "run", wait) as lock:
            if lock.stale:
                click.echo(f"note: {lock.stale.describe()} ended without finishing; completing it")
            if plan is not None:
                report = run_crawl(plan, ctx.obj["verbose"])
                click.echo(report.table())
                if report.interrupted:
                    click.echo(report.failure, err=True)
                    ctx.exit(report.exit_code)
                if report.failure:
                    click.echo(report.failure, err=True)
                    failed = True
            if not subscriptions.entries:
                click.echo(f"no subscriptions ({path}): nothing to deliver")
            with Store(home) as store:
                delivery = deliver(store, subscriptions, secrets, digest_dir=home.digest_dir)
    except LockBusy as exc:
        click.echo(f"tmwatch: {exc}", err=True)
        ctx.exit(LOCK_BUSY)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for line in delivery.lines():
        click.echo(line)
    if not delivery.ok:
        click.echo(
            f"{len(delivery.problems)} messages not delivered; they stay queued "
            f"(`tmwatch subscriptions` shows them)",
            err=True,
        )
    ctx.exit(1 if failed or not delivery.ok else 0)


@main.command("subscriptions")
@click.option(
    "--subscriptions",
    "subscriptions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_SUBSCRIPTIONS_HELP,
)
@click.option("--check", is_flag=True, help="Only validate the file (exit 2 on a problem).")
@click.option("--retry-dead", is_flag=True, help="Queue every dead letter again.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def subscriptions_command(
    ctx: click.Context,
    subscriptions_file: Path | None,
    check: bool,
    retry_dead: bool,
    as_json: bool,
) -> None:
    """Your subscriptions and what became of their messages (queued, sent, dead letters)."""
    files = config_files(ctx)
    subscriptions, path = subscriptions_of(files, subscriptions_file)
    if check:
        click.echo(f"{path}: {len(subscriptions.entries)} subscriptions, no problems")
        return
    counts: dict[str, dict[str, int]] = {}
    dead: list[dict[str, object]] = []
    if data_home(ctx).has_store():
        with existing_store(ctx) as store:
            if retry_dead:
                with store.transaction():
                    again = store.outbox.retry()
                click.echo(f"{again} dead letters queued again; `tmwatch run` sends them")
            counts = store.outbox.counts()
            dead = [m.as_dict() for m in store.outbox.dead_letters()]
    rows = [
        {
            "name": s.name,
            "channel": s.channel,
            "cadence": s.cadence,
            "to": list(s.to) or s.url or str(s.path or ""),
            "filters": s.filters.as_dict(),
            "enabled": s.enabled,
            "messages": counts.get(s.name, {"pending": 0, "sent": 0, "dead": 0}),
        }
        for s in subscriptions.entries
    ]
    if as_json:
        payload = {"file": str(path), "subscriptions": rows, "dead_letters": dead}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no subscriptions in {path} (see docs/delivery.md)")
    for row in rows:
        m = row["messages"]
        state = "" if row["enabled"] else " (disabled)"
        click.echo(
            f"{row['name']:<16} {row['channel']:<9} {row['cadence']:<9} "
            f"{m['pending']} queued, {m['sent']} sent, {m['dead']} dead{state}"
        )
    for letter in dead:
        click.echo(
            f"dead: {letter['subscription']} #{letter['id']} {letter['summary']}: "
            f"{letter['attempts']} attempts, last: {letter['last_error']}"
        )


@main.command("schedule")
@click.option("--systemd", "kind", flag_value="systemd", help="Print a systemd service and timer.")
@click.option("--cron", "kind", flag_value="cron", help="Print a crontab line.")
@click.option(
    "--every",
    default="1h",
    show_default=True,
    metavar="DURATION",
    help="How often to run: 15m, 30m, 1h, 2h, 6h, 1d ...",
)
@click.pass_context
def schedule(ctx: click.Context, kind: str | None, every: str) -> None:
    """Print what makes `tmwatch run` run by itself: a systemd user timer, or a cron line.

    Nothing is installed: review the text, then follow the instructions printed with it.
    """
    if kind is None:
        raise UsageFailure("say --systemd or --cron")
    # A scheduler has neither this shell's PATH nor its TMWATCH_* variables: everything the
    # run needs to find is spelled out as an absolute path.
    program = Path(sys.argv[0])
    command = [
        str(program.resolve()) if program.name == "tmwatch" and program.exists() else "tmwatch"
    ]
    command += ["--home", str(data_home(ctx).root.expanduser().resolve())]
    command += ["--config-dir", str(config_files(ctx).directory().expanduser().resolve())]
    command.append("run")
    try:
        if kind == "systemd":
            click.echo(systemd_units(shlex.join(command), every), nl=False)
        else:
            click.echo(cron_line(shlex.join(command), every))
    except ScheduleError as exc:
        raise UsageFailure(str(exc)) from None
