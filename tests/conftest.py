"""Fixtures: the sample server, trafilatura's caches reset, no user configuration.

Helpers (running the CLI, building records) live in ``tests/helpers.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import NO_USER_CONFIG, run_cli
from tmwatch.samples.server import SampleServer


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process code never reads the developer's own configuration directory."""
    monkeypatch.setenv("TMWATCH_CONFIG", str(NO_USER_CONFIG))


@pytest.fixture(autouse=True)
def _reset_trafilatura_caches() -> Iterator[None]:
    """trafilatura keeps module-global caches; tests must not see each other's documents."""
    yield
    from trafilatura.meta import reset_caches

    # htmldate logs an ERROR for one cache it cannot clear; the others are cleared all the same.
    htmldate_log = logging.getLogger("htmldate.meta")
    level = htmldate_log.level
    htmldate_log.setLevel(logging.CRITICAL)
    try:
        reset_caches()
    finally:
        htmldate_log.setLevel(level)


@pytest.fixture(scope="session")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer(slow_delay=5.0) as server:
        yield server


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home filled by one real `tmwatch demo` (the sample outlets, crawled by Scrapy):
    the web interface's tests read it, never write it."""
    home = tmp_path_factory.mktemp("demo-archive")
    ran = run_cli("demo", "--home", str(home), "--slow-delay", "0.2", timeout=600)
    assert ran.returncode == 0, ran.stderr[-2000:]
    return home
