"""``tmwatch serve``: the web interface (``tmwatch.web``) on a local port.

Refuses to listen on anything but loopback without a password (``--set-password`` stores a
scrypt hash in the configuration directory). The password is prompted, never an option, so it
never appears in a shell history or a process list.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from tmwatch.cli.app import UsageFailure, config_files, existing_store, main
from tmwatch.config.errors import ConfigError
from tmwatch.config.subscriptions import is_loopback
from tmwatch.config.user import ConfigFiles
from tmwatch.store import DataHome

logger = logging.getLogger("tmwatch")


def serve_home(
    home: DataHome,
    files: ConfigFiles,
    host: str,
    port: int,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
) -> None:
    """Serve ``home`` until interrupted; a usage error for an unsafe or impossible set-up."""
    import uvicorn

    from tmwatch.web.app import create_app
    from tmwatch.web.common import WebConfig
    from tmwatch.web.passwords import PasswordError, read_password_hash

    try:
        password_hash = read_password_hash(files.directory())
        watchlist, topics = files.load_watchlist(), files.load_topics()
        registry = files.load_registry()
    except (PasswordError, ConfigError) as exc:
        raise UsageFailure(str(exc)) from None
    if not is_loopback(host) and password_hash is None:
        raise UsageFailure(
            f"refusing to serve on {host} without a password: anyone who reaches it would read "
            f"the archive; run `tmwatch serve --set-password` first, or use 127.0.0.1"
        )
    if bool(certfile) != bool(keyfile):
        raise UsageFailure("--certfile and --keyfile go together")
    config = WebConfig(
        home=home,
        watchlist=watchlist,
        topics=topics,
        registry=registry,
        password_hash=password_hash,
        https=certfile is not None,
    )
    app = create_app(config)
    scheme = "https" if certfile else "http"
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {home.root} at {scheme}://{shown}:{port}/ (Ctrl-C stops)")
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,  # request lines carry search terms: names of people at risk
            server_header=False,
            ssl_certfile=str(certfile) if certfile else None,
            ssl_keyfile=str(keyfile) if keyfile else None,
        )
    except OSError as exc:
        raise UsageFailure(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--set-password",
    is_flag=True,
    help="Prompt for the password that protects the interface, store its hash, and exit.",
)
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve over TLS with this certificate (and --keyfile).",
)
@click.option(
    "--keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The certificate's private key.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    set_password: bool,
    certfile: Path | None,
    keyfile: Path | None,
) -> None:
    """Serve the archive to your browser: digest, search, articles, people, sources.

    Binds to 127.0.0.1. Any other address needs a password (--set-password); then every page
    asks for it. Reads never change the store, and a crawl can run at the same time.
    """
    files = config_files(ctx)
    if set_password:
        from tmwatch.web.passwords import PasswordError, write_password_hash

        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
        try:
            path = write_password_hash(files.directory(), password)
        except (PasswordError, OSError) as exc:
            raise UsageFailure(str(exc)) from None
        click.echo(f"password hash written to {path} (owner-only)")
        return
    with existing_store(ctx) as store:
        home = store.home
    serve_home(home, files, host, port, certfile=certfile, keyfile=keyfile)
