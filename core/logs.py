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


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the record, not at set-up.

    So a command run in process (click's test runner swaps the streams) logs where it should.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        )

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        """StreamHandler sets a stream in __init__; the current stderr is always used."""


def setup_logging(verbose: int = 0) -> None:
    """tmwatch's one stderr handler on the root logger (replacing its own earlier one only)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    root.addHandler(_StderrHandler())
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    quiet_libraries(verbose)
