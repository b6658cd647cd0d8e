"""Shared fixtures: the sample server, a CLI runner in a subprocess, and the samples' registry.

Crawls run ``python -m tmwatch`` in a subprocess because Scrapy's reactor cannot be restarted in
one process; the sample server runs in this process on 127.0.0.1, port 0.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmwatch.record import Article
from tmwatch.samples.server import SampleServer

ROOT = Path(__file__).resolve().parent.parent
from tmwatch.samples import SAMPLE_REGISTRY  # noqa: E402

# Fast, deterministic crawl settings for loopback: no throttling; the slow page times out.
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "DOWNLOAD_TIMEOUT=2",
    "-s",
    "RETRY_TIMES=0",
]


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


def cli_env(home: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TMWATCH_HOME", None)
    if home is not None:
        env["TMWATCH_HOME"] = str(home)
    return env


def run_cli(
    *args: str, home: Path | None = None, timeout: float = 300, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tmwatch", *args],
        cwd=ROOT,
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def crawl_args(server: SampleServer, *extra: str) -> list[str]:
    return ["crawl", "--registry", str(SAMPLE_REGISTRY), "--base", server.base, *FAST, *extra]


@pytest.fixture(scope="session")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer(slow_delay=5.0) as server:
        yield server


def make_article(key: str = "s:1", **changes: object) -> Article:
    """A stored-article record with plausible defaults; ``changes`` override fields."""
    values: dict = {
        "id": "abc",
        "article_key": key,
        "source": "s",
        "outlet": "O",
        "url": "https://o/a/1",
        "canonical_url": "https://o/a/1",
        "language": "ru",
        "title": "T",
        "text": "x",
        "published": "2021-10-19T10:00:00+03:00",
        "date_source": "jsonld",
        "first_seen": "2026-01-01T00:00:00+00:00",
        "fetched_at": "2026-01-01T00:00:00+00:00",
    }
    values.update(changes)
    return Article(**values)
