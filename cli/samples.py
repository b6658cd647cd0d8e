"""``tmwatch samples serve``: the bundled sample outlets on 127.0.0.1, to try tmwatch offline."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from tmwatch.cli.app import TmwatchGroup, UsageFailure, main
from tmwatch.samples import SAMPLE_REGISTRY

_PATTERN_FIELD = re.compile(r"^\s*article_url\s*=")


@main.group(cls=TmwatchGroup)
def samples() -> None:
    """The bundled synthetic sample outlets: try crawl, discover and doctor without the internet."""


@samples.command()
@click.option(
    "--port",
    default=0,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0: any free port).",
)
def serve(port: int) -> None:
    """Serve the sample outlets on 127.0.0.1 until Ctrl-C, and print their registry.

    Standard output gets the sample registry with the server's address filled in, ready to
    save as a file, then a comment line with the address:

        tmwatch samples serve --port 8321 > samples.toml

    and, in another terminal, `tmwatch doctor --registry samples.toml -s DOWNLOAD_DELAY=0`,
    `tmwatch crawl --home /tmp/try --registry samples.toml` or `tmwatch sources discover`.
    The file is valid while the server runs on that port. Ctrl-C (SIGINT) or SIGTERM stops it;
    the exit status is then 0. Nothing listens beyond loopback.
    """
    from tmwatch.samples.server import SampleServer

    try:
        server = SampleServer(port=port)
    except OSError as exc:
        raise UsageFailure(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    stop = threading.Event()
    with server, _stopped_by_signals(stop):
        click.echo(registry_text(server.base), nl=False)
        click.echo(f"# serving the sample outlets at {server.base}/ until Ctrl-C")
        click.get_text_stream("stdout").flush()
        click.echo(f"tmwatch: sample outlets at {server.base}/ (Ctrl-C to stop)", err=True)
        while not stop.wait(0.5):
            pass
    click.echo("tmwatch: sample server stopped", err=True)


@contextmanager
def _stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` instead of raising, so the server shuts down cleanly."""

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def registry_text(base: str) -> str:
    """The sample registry with ``{base}`` filled in: a file that needs no ``--base``.

    Inside ``article_url`` (regular expressions, TOML literal strings) the address is escaped,
    as ``load_registry(..., base=...)`` does; everywhere else it is written as it is.
    """
    lines = SAMPLE_REGISTRY.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # the file's own header speaks of {base}; ours says where it points
    out = [
        "# The sample outlets of `tmwatch samples serve`, at " + base + "/\n",
        "# Use with --registry while that server runs; generated from tmwatch's samples.\n",
    ]
    in_patterns = False
    for line in lines:
        starts = bool(_PATTERN_FIELD.match(line))
        regex = starts or in_patterns
        if starts:
            in_patterns = line.rstrip().endswith("[")
        elif in_patterns and line.strip().startswith("]"):
            in_patterns = False
        out.append(line.replace("{base}", re.escape(base) if regex else base))
    return "".join(out)
