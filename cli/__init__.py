"""The ``tmwatch`` command line: click commands that parse, call the layers below, and format.

``app`` holds the group and the helpers every command shares; each other module registers the
commands of one area on that group when imported here.
"""

from __future__ import annotations

from tmwatch.cli import case as _case  # noqa: F401  (registers the command)
from tmwatch.cli import cite as _cite  # noqa: F401  (registers the command)
from tmwatch.cli import collect as _collect  # noqa: F401  (registers the commands)
from tmwatch.cli import digest as _digest  # noqa: F401  (registers the command)
from tmwatch.cli import discover as _discover  # noqa: F401  (registers sources discover)
from tmwatch.cli import doctor as _doctor  # noqa: F401  (registers the command)
from tmwatch.cli import health as _health  # noqa: F401  (registers the command)
from tmwatch.cli import run as _run  # noqa: F401  (registers run, subscriptions, schedule)
from tmwatch.cli import samples as _samples  # noqa: F401  (registers samples serve)
from tmwatch.cli import search as _search  # noqa: F401  (registers the command)
from tmwatch.cli import serve as _serve  # noqa: F401  (registers the command)
from tmwatch.cli import stores as _stores  # noqa: F401  (registers copy-store)
from tmwatch.cli import tagging as _tagging  # noqa: F401  (registers the command)
from tmwatch.cli import warc as _warc  # noqa: F401  (registers warc verify)
from tmwatch.cli.app import main
from tmwatch.cli.configuration import init as _init  # noqa: F401  (registers init and config)
from tmwatch.cli.extract import extract as _extract  # noqa: F401  (registers the command)

__all__ = ["main"]
