"""Helpers the tests import: running the CLI (in process or, for crawls, as a subprocess) and
building records. Fixtures live in ``conftest.py``; nothing is imported from there.

Crawls run ``python -m tmwatch`` in a subprocess because Scrapy's reactor cannot be restarted in
one process; every other command runs in process through click's ``CliRunner``.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from tmwatch.cli import main
from tmwatch.record import Article
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.server import SampleServer

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["FAST", "ROOT", "SAMPLE_REGISTRY", "cli_env", "crawl_args", "invoke", "run_cli"]

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

# No test reads the developer's own configuration: an empty directory stands in for it.
NO_USER_CONFIG = Path(tempfile.mkdtemp(prefix="tmwatch-no-user-config-"))


def cli_env(home: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TMWATCH_HOME", None)
    env["TMWATCH_CONFIG"] = str(NO_USER_CONFIG)
    if home is not None:
        env["TMWATCH_HOME"] = str(home)
    return env


def run_cli(
    *args: str, home: Path | None = None, timeout: float = 300, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess: for crawls (one Scrapy reactor per process) and kill tests."""
    return subprocess.run(
        [sys.executable, "-m", "tmwatch", *args],
        cwd=ROOT,
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


@dataclass(frozen=True)
class Ran:
    """What a command printed and returned, the same whether it ran in process or not."""

    stdout: str
    stderr: str
    returncode: int

    @property
    def exit_code(self) -> int:
        return self.returncode

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str, home: Path | None = None, stdin: str | bytes | None = None) -> Ran:
    """The CLI in process (click's CliRunner), for every command that does not crawl."""
    env = {"TMWATCH_HOME": str(home) if home else None, "TMWATCH_CONFIG": str(NO_USER_CONFIG)}
    result: Result = CliRunner().invoke(
        main, list(args), input=stdin, env=env, catch_exceptions=False
    )
    return Ran(result.stdout, result.stderr, result.exit_code)


def crawl_args(server: SampleServer, *extra: str) -> list[str]:
    return ["crawl", "--registry", str(SAMPLE_REGISTRY), "--base", server.base, *FAST, *extra]


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


def article_captures(home_path: Path) -> list[tuple[str, int]]:
    """(WARC file, offset) of every stored article's capture, each checked readable: a killed
    run must leave no article pointing at a record that is not there."""
    from tmwatch.pipeline.warc import read_capture_body
    from tmwatch.store.home import DataHome

    home = DataHome(home_path)
    with sqlite3.connect(home.db_path) as conn:
        rows = conn.execute(
            "SELECT c.warc_file, c.warc_offset FROM articles a"
            " JOIN captures c ON c.id = a.capture_id"
        ).fetchall()
    for warc_file, offset in rows:
        assert read_capture_body(home.warc_dir, warc_file, offset), (warc_file, offset)
    return [(r[0], r[1]) for r in rows]


def unpacked_store(fixture: Path, tmp_path: Path) -> Path:
    """A copy of a packed store fixture (``tests/fixtures/store-v*``: the database gzipped,
    its WARC files beside it) as a data home under ``tmp_path``."""
    home = tmp_path / "home"
    shutil.copytree(fixture, home)
    with gzip.open(home / "tmwatch.sqlite3.gz") as packed:
        (home / "tmwatch.sqlite3").write_bytes(packed.read())
    (home / "tmwatch.sqlite3.gz").unlink()
    return home


def random_fts5_expression(
    rng: random.Random, words: Sequence[str], *, longest: int = 2, depth: int = 0
) -> str:
    """An FTS5 expression of the kinds ``translate`` writes, and some it does not, over
    ``words``: phrases of up to ``longest`` of them (each maybe a prefix), with or without the
    column, groups, bare phrases side by side, and AND/OR/NOT, nested up to three deep."""
    roll = rng.random()
    if depth > 2 or roll < 0.35:
        phrase = " + ".join(
            f'"{rng.choice(words)}"' + rng.choice(["", " *"])
            for _ in range(rng.randint(1, longest))
        )
        return rng.choice([phrase, f"folded : ({phrase})", f"folded : {phrase}"])
    if roll < 0.45:
        return f"({random_fts5_expression(rng, words, longest=longest, depth=depth + 1)})"
    if roll < 0.55:
        return f'"{rng.choice(words)}" "{rng.choice(words)}" *'
    operator = rng.choice(["AND", "OR", "NOT"])
    left = random_fts5_expression(rng, words, longest=longest, depth=depth + 1)
    right = random_fts5_expression(rng, words, longest=longest, depth=depth + 1)
    return f"{left} {operator} {right}"


def dead_letter(
    store: Any, subscription: str, key: str, summary: str, error: str, at: datetime
) -> int:
    """Add an outbox message (created at ``at``) that fails with ``error`` a day later and is
    given up at once: a dead letter. In the caller's transaction; its id."""
    message = store.outbox.add(
        subscription=subscription,
        kind="alert",
        channel="webhook",
        key=key,
        summary=summary,
        payload=b"{}",
        meta={},
        created_at=at.isoformat(),
    )
    store.outbox.failed(
        message, error, at + timedelta(days=1), max_attempts=1, give_up_after=timedelta(0)
    )
    return int(message)
