"""``tmwatch init`` and ``tmwatch config``: the user's own configuration directory.

Thin commands: the directory, the overlays and the templates are ``tmwatch.config.user``. Both
take the global ``--config-dir`` (before or after the command name) like every command.
"""

from __future__ import annotations

import json

import click
from click.core import ParameterSource

from tmwatch.cli.app import UsageFailure, config_files, main
from tmwatch.config.errors import ConfigError
from tmwatch.config.user import init_config_dir


def _directory_origin(ctx: click.Context) -> str:
    """Why the directory is this one: the option, the environment, XDG or the default."""
    for context in (ctx, ctx.find_root()):
        source = context.get_parameter_source("config_dir")
        if source is ParameterSource.COMMANDLINE:
            return "--config-dir"
        if source is ParameterSource.ENVIRONMENT:
            return "$TMWATCH_CONFIG"
    return config_files(ctx).directory_origin()


@main.command()
@click.option(
    "--force", is_flag=True, help="Replace existing files, keeping each as a dated .bak backup."
)
@click.pass_context
def init(ctx: click.Context, force: bool) -> None:
    """Write your own sources.toml, watchlist.toml, topics.toml and subscriptions.toml.

    They are overlays on the packaged lists: they add, change or disable entries, and what
    they do not mention keeps following tmwatch upgrades. Their examples are comments, so a
    fresh init changes nothing. Existing files are kept unless --force.
    """
    try:
        results = init_config_dir(config_files(ctx).directory(), force=force)
    except ConfigError as exc:
        raise UsageFailure(str(exc)) from None
    for result in results:
        click.echo(result.line())
    click.echo("`tmwatch config` shows which files are in use and what yours change.")


@main.command("config")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Show the configuration files in use and what your overlays add, override and disable.

    Exits with 2 when a file cannot be used; its problems are listed, each naming the file.
    """
    files = config_files(ctx)
    reports = files.report()
    origin = _directory_origin(ctx)
    if as_json:
        payload = {
            "config_dir": str(files.directory()),
            "config_dir_from": origin,
            "layers": [r.as_dict() for r in reports],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(f"config directory: {files.directory()} (from {origin})")
        for report in reports:
            click.echo("\n".join(report.lines()))
    if any(r.problems for r in reports):
        ctx.exit(2)
