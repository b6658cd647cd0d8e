"""Logging set-up for the command line: tmwatch's own lines on stderr, libraries kept quiet.

At the default level a user sees tmwatch's progress, one line per failure and the summary; the
libraries' chatter (Scrapy's version dump, DEBUG lines, its own second report of a failure,
tracebacks) appears only with -v (and their DEBUG lines with -vv). The filtering is done by the
handler, so it holds even after Scrapy resets its loggers' levels.
"""

from __future__ import annotations

import logging
import sys

_LIBRARIES = ("scrapy", "twisted", "py.warnings", "trafilatura", "htmldate", "filelock", "courlan")
# A failed request is reported once, by the spider; these are Scrapy's second reports of it.
_DUPLICATE_REPORTS = ("scrapy.downloadermiddlewares.retry", "scrapy.core.scraper")


def quiet_libraries(verbose: int = 0) -> None:
    """Keep library chatter out of the user's terminal unless -v asks for it.

    Called again after Scrapy's own logging set-up, which resets its loggers to DEBUG.
    """
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    for name in _LIBRARIES:
        logging.getLogger(name).setLevel(level)


def _is_library(name: str) -> bool:
    return any(name == lib or name.startswith(lib + ".") for lib in _LIBRARIES)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the record, not at set-up.

    So a command run in process (click's test runner swaps the streams) logs where it should.
    """

    def __init__(self, verbose: int) -> None:
        super().__init__()
        self.verbose = verbose
        self.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        )

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        """StreamHandler sets a stream in __init__; the current stderr is always used."""

    def filter(self, record: logging.LogRecord) -> bool:  # type: ignore[override]
        library = _is_library(record.name)
        if self.verbose == 0 and library:
            if record.levelno < logging.WARNING or record.name.startswith(_DUPLICATE_REPORTS):
                return False
        if self.verbose == 1 and library and record.levelno < logging.INFO:
            return False
        return bool(super().filter(record))

    def format(self, record: logging.LogRecord) -> str:
        if self.verbose == 0 and record.exc_info:
            # One line: the message says what failed; -v shows the traceback.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


def setup_logging(verbose: int = 0) -> None:
    """tmwatch's one stderr handler on the root logger (replacing its own earlier one only)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    root.addHandler(_StderrHandler(verbose))
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    quiet_libraries(verbose)
