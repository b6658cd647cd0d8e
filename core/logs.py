"""Logging set-up for the command line: tmwatch's own lines on stderr, libraries kept quiet."""

from __future__ import annotations

import logging
import sys

_LIBRARIES = ("scrapy", "twisted", "py.warnings", "trafilatura", "htmldate", "filelock", "courlan")


def quiet_libraries(verbose: int = 0) -> None:
    """Keep library chatter out of the user's terminal unless -v asks for it.

    Called again after Scrapy's own logging set-up, which resets its loggers to DEBUG.
    """
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    for name in _LIBRARIES:
        logging.getLogger(name).setLevel(level)


def setup_logging(verbose: int = 0) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    quiet_libraries(verbose)
