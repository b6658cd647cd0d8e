"""The ``tmwatch`` group, its global options, and the helpers every command shares.

Results go to stdout, logs and progress to stderr. Exit codes: 0 ok, 1 the command ran and
failed, 2 bad usage or bad configuration. Commands parse, call the layers below and format; the
work lives in ``tmwatch.config``, ``.store``, ``.pipeline``, ``.output`` and ``.spiders``.

Global options (``--home``, ``--config-dir``, ``--watchlist``, ``--topics``, ``-v``) are accepted
before the command and after it: ``tmwatch --home X digest`` and ``tmwatch digest --home X`` are
the same.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from tmwatch.config.errors import ConfigError
from tmwatch.config.registry import Registry, Source
from tmwatch.config.user import ConfigFiles
from tmwatch.logs import setup_logging
from tmwatch.store import DataHome, Store, StoreError
from tmwatch.store.database import is_postgres_url

F = TypeVar("F", bound=Callable[..., Any])

DATE = "DATE"
"""The one metavar for days: every date option takes YYYY-MM-DD."""


class UsageFailure(click.ClickException):
    """Bad usage or bad configuration: exit code 2."""

    exit_code = 2


def _global_options(*, in_group: bool) -> Callable[[F], F]:
    """The options every command accepts, before or after its name.

    On the group they are ordinary parameters (with the environment variables); on a command
    they only overwrite what the group set, so an option after the command wins.
    """

    def remember(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
        def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
            if value is None or value == 0:
                return value
            obj = ctx.ensure_object(dict)
            obj[name] = value
            if name == "verbose":
                setup_logging(value)
            return value

        return callback

    def option(*decls: str, name: str, **kwargs: Any) -> Callable[[F], F]:
        if not in_group:
            kwargs.pop("envvar", None)
            kwargs.update(expose_value=False, callback=remember(name), is_eager=False)
        return click.option(*decls, **kwargs)

    path = click.Path(dir_okay=False, path_type=Path)
    decorators = [
        option(
            "--home",
            name="home",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="TMWATCH_HOME",
            help="Data home (store, WARC captures, digests). Default: $TMWATCH_HOME or "
            "~/.local/share/tmwatch.",
        ),
        option(
            "--store",
            name="store",
            metavar="URL",
            envvar="TMWATCH_STORE",
            help="A PostgreSQL database as the store (postgresql://user@host/db; the password "
            "from the URL, $PGPASSWORD or ~/.pgpass). Default: $TMWATCH_STORE, else the SQLite "
            "file in the data home.",
        ),
        option(
            "--warc-dir",
            name="warc_dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="TMWATCH_WARC_DIR",
            help="Where WARC captures are written and read, when not in the data home: a "
            "directory shared by every crawler host and the web interface.",
        ),
        option(
            "--worker",
            name="worker",
            metavar="NAME",
            envvar="TMWATCH_WORKER",
            help="This crawler's name in capture rows and WARC file names, when several "
            "crawl into one store. Default: $TMWATCH_WORKER or the host name.",
        ),
        option(
            "--config-dir",
            name="config_dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="TMWATCH_CONFIG",
            help="Your configuration directory (sources, watchlist, topics overlays; see "
            "`tmwatch init`). Default: $TMWATCH_CONFIG or ~/.config/tmwatch.",
        ),
        option(
            "--watchlist",
            name="watchlist",
            type=path,
            metavar="FILE",
            help="Use this watchlist alone instead of the packaged one with your overlay.",
        ),
        option(
            "--topics",
            name="topics",
            type=path,
            metavar="FILE",
            help="Use these topic lexicons alone instead of the packaged ones with your overlay.",
        ),
        option("-v", "--verbose", name="verbose", count=True, help="More logging (-vv for debug)."),
    ]

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


class TmwatchGroup(click.Group):
    """A group whose commands all accept the global options too."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(
            p for p in _command_params() if p.name not in {q.name for q in cmd.params}
        )
        super().add_command(cmd, name)


def _command_params() -> list[click.Parameter]:
    """Fresh copies of the global options as a command's (callback-only) parameters."""

    @_global_options(in_group=False)
    def holder() -> None:
        """Only carries the parameters."""

    return list(reversed(getattr(holder, "__click_params__", [])))


@click.group(
    cls=TmwatchGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@_global_options(in_group=True)
@click.version_option(package_name="tmwatch")
@click.pass_context
def main(
    ctx: click.Context,
    home: Path | None,
    store: str | None,
    warc_dir: Path | None,
    worker: str | None,
    config_dir: Path | None,
    watchlist: Path | None,
    topics: Path | None,
    verbose: int,
) -> None:
    """Monitor media reports of detentions and deportations of Turkmen activists."""
    os.umask(0o077)  # everything tmwatch writes is the owner's alone
    setup_logging(verbose)
    ctx.obj = {
        "home": home,
        "store": store,
        "warc_dir": warc_dir,
        "worker": worker,
        "config_dir": config_dir,
        "watchlist": watchlist,
        "topics": topics,
        "verbose": verbose,
    }
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)


# -- helpers for commands ----------------------------------------------------------------------


def parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def data_home(ctx: click.Context) -> DataHome:
    store = ctx.obj.get("store")
    if store and not is_postgres_url(store):
        raise UsageFailure(f"--store: {store!r} is not a postgresql:// URL")
    return DataHome(
        ctx.obj["home"], store=store, warc_dir=ctx.obj.get("warc_dir"), worker=ctx.obj.get("worker")
    )


def created_home(home: DataHome) -> DataHome:
    """Create a data home for a command that writes; one line and exit 2 where it cannot be."""
    try:
        return home.create()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageFailure(f"cannot create the data home {home.root}: {reason}") from None


def existing_store(ctx: click.Context) -> Store:
    """The data home's store for commands that read it; a missing store is a one-line error."""
    try:
        return Store(data_home(ctx), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def write_output(text: str, output: Path | None, what: str) -> None:
    """Write a command's result to FILE (atomically, owner-only) or stdout; one line and exit
    2 when it cannot be written, so the caller changes nothing afterwards (no mark moves)."""
    from tmwatch.output.digest import save_text

    try:
        if output:
            save_text(text, output)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as exc:
        target = output or "standard output"
        raise UsageFailure(f"cannot write the {what} to {target}: {exc.strerror}") from None


def config_files(ctx: click.Context, registry: Path | None = None, **changes: Any) -> ConfigFiles:
    """The configuration this invocation uses: global options plus a command's --registry."""
    return ConfigFiles(
        config_dir=ctx.obj["config_dir"],
        registry=registry,
        watchlist=ctx.obj["watchlist"],
        topics=ctx.obj["topics"],
        **changes,
    )


def load_registry(files: ConfigFiles) -> Registry:
    try:
        return files.load_registry()
    except ConfigError as exc:
        raise UsageFailure(exc.report("sources registry")) from None


def load_tagger(files: ConfigFiles) -> Any:
    """The tagger for this invocation; a broken watchlist or lexicon is a usage error."""
    from tmwatch.pipeline.tagging import Tagger

    try:
        return Tagger(files.load_watchlist(), files.load_topics())
    except ConfigError as exc:
        raise UsageFailure(exc.report("watchlist or topics file")) from None


# -- options several commands share: one definition each ----------------------------------------

REGISTRY_HELP = "Use this registry file alone (default: the packaged one with your overlay)."


def registry_options(function: F) -> F:
    """``--registry FILE`` and the hidden ``--base URL`` a sample registry's ``{base}`` needs."""
    function = click.option("--base", help="Value for {base} in a sample registry.", hidden=True)(
        function
    )
    return click.option(
        "--registry",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help=REGISTRY_HELP,
    )(function)


def chosen_sources(registry: Registry, names: tuple[str, ...], verb: str) -> list[Source]:
    """The sources ``--source`` names (every enabled one when none is named); an unknown or
    disabled name, or nothing left to ``verb``, is a usage error."""
    try:
        chosen = registry.choose(names)
    except ConfigError as exc:
        raise UsageFailure("; ".join(exc.problems)) from None
    if not chosen:
        raise UsageFailure(f"no enabled sources to {verb}")
    return chosen


def source_option(verb: str) -> Callable[[F], F]:
    """``--source NAME`` (repeatable): the sources a command works on, by key."""
    return click.option(
        "--source",
        "source_names",
        multiple=True,
        metavar="NAME",
        help=f"{verb} only this source (repeatable). Default: every enabled source.",
    )


def setting_option(help_text: str) -> Callable[[F], F]:
    """``-s/--setting NAME=VALUE`` (repeatable)."""
    return click.option(
        "--setting",
        "-s",
        "raw_settings",
        multiple=True,
        metavar="NAME=VALUE",
        help=help_text,
    )


def jobs_option(what: str) -> Callable[[F], F]:
    """``--jobs N`` (default: one per CPU): how many worker processes read the pages. Pages are
    still recorded by this one process, in order, so the store is the same for any N."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=lambda: os.cpu_count() or 1,
        show_default="one per CPU",
        metavar="N",
        help=f"{what} in N worker processes (1: in this process, no workers).",
    )
