"""Several crawlers, one PostgreSQL store: the work is split, never done twice, never lost.

Real parts only: a real PostgreSQL server, the sample outlets over HTTP, and ``tmwatch crawl``
processes started as a user starts them, each with its own data home and ``--worker`` name and
one shared WARC directory.
"""

from __future__ import annotations

import itertools
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.helpers import ROOT, cli_env, crawl_args
from tests.test_crawl import CHANNEL_ITEMS, EXPECTED
from tmwatch.pipeline.warc import read_capture
from tmwatch.samples.server import SampleServer


def _crawler(store: str, home: Path, worker: str, warc: Path, args: list[str]) -> subprocess.Popen:
    """A crawl process; its output goes to a file (a pipe nobody reads would block it)."""
    home.mkdir(parents=True, exist_ok=True)
    log = open(home.with_name(f"{worker}.log"), "w+")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tmwatch",
            "--store",
            store,
            "--worker",
            worker,
            "--warc-dir",
            str(warc),
            *args,
        ],
        cwd=ROOT,
        env=cli_env(home),
        stdout=log,
        stderr=log,
        text=True,
    )
    proc.log = log  # type: ignore[attr-defined]
    return proc


def _finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str]:
    """Wait for a crawl; its exit code and what it printed."""
    proc.wait(timeout=timeout)
    log = proc.log  # type: ignore[attr-defined]
    log.seek(0)
    printed = log.read()
    log.close()
    return proc.returncode, printed


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def _count(url: str, sql: str) -> int:
    """A count, 0 while the first crawler has not created the schema yet."""
    try:
        return int(_rows(url, sql)[0][0])
    except psycopg.errors.UndefinedTable:
        return 0


def test_two_crawlers_split_the_work_and_fetch_each_article_once(
    postgres_db: str, tmp_path: Path
) -> None:
    warc = tmp_path / "shared-warc"
    with SampleServer(slow_delay=5.0, delay=0.03) as server:
        args = crawl_args(server)
        crawlers = [
            _crawler(postgres_db, tmp_path / name, name, warc, args) for name in ("alpha", "beta")
        ]
        results = [_finish(proc) for proc in crawlers]
        hits = Counter(server.hits)
    for code, err in results:
        assert code == 0, err[-2000:]

    keys = [r[0] for r in _rows(postgres_db, "SELECT article_key FROM articles")]
    assert len(keys) == len(set(keys)) == len(EXPECTED) + CHANNEL_ITEMS
    captures = _rows(
        postgres_db, "SELECT final_url, worker, warc_file, warc_offset, html_sha256 FROM captures"
    )
    # No article was fetched twice: one capture per URL, and the server saw each URL once.
    fetched = [
        urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        for url, *_ in captures
    ]
    assert len(fetched) == len(set(fetched))
    assert [path for path in fetched if hits[path] != 1] == []
    # Both crawlers did part of the work, and every capture is readable from the shared
    # directory whoever wrote it.
    assert {worker for _, worker, *_ in captures} == {"alpha", "beta"}
    for _, worker, warc_file, offset, _sha in captures:
        assert f"-{worker}-" in warc_file
        _headers, body = read_capture(warc, warc_file, offset)
        assert body


def test_a_killed_crawler_loses_nothing(postgres_db: str, tmp_path: Path) -> None:
    warc = tmp_path / "shared-warc"
    # Slow responses, one request at a time per crawler, and short leases: the kill lands
    # mid-crawl, and the survivor takes the dead crawler's URLs over within seconds.
    with SampleServer(slow_delay=5.0, delay=0.08) as server:
        args = crawl_args(
            server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "TMWATCH_LEASE_SECONDS=3"
        )
        doomed = _crawler(postgres_db, tmp_path / "doomed", "doomed", warc, args)
        survivor = _crawler(postgres_db, tmp_path / "survivor", "survivor", warc, args)
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and doomed.poll() is None:
            stored = _count(postgres_db, "SELECT count(*) FROM captures WHERE worker = 'doomed'")
            if stored >= 8:
                break
            time.sleep(0.05)
        assert doomed.poll() is None, "the crawl finished before it could be killed"
        doomed.send_signal(signal.SIGKILL)
        _finish(doomed)
        code, err = _finish(survivor)
    assert code == 0, err[-2000:]
    keys = [r[0] for r in _rows(postgres_db, "SELECT article_key FROM articles")]
    assert len(keys) == len(set(keys)) == len(EXPECTED) + CHANNEL_ITEMS
    left = _rows(
        postgres_db,
        "SELECT url FROM frontier WHERE state = 'pending' AND leased_by IS NOT NULL",
    )
    assert left == []


@pytest.mark.slow  # 12 s; the slot reservation itself is tested on both engines in test_backends
def test_two_crawlers_together_keep_one_crawlers_pace(postgres_db: str, tmp_path: Path) -> None:
    """Every sample outlet is on one host here, so the spacing between any two requests is
    the politeness the two crawlers keep together."""
    delay = 0.25
    warc = tmp_path / "shared-warc"
    with SampleServer(slow_delay=5.0) as server:
        args = crawl_args(
            server,
            "--source",
            "azathabar-ru",
            "--source",
            "turkmen-news-ru",
            "-s",
            f"DOWNLOAD_DELAY={delay}",
            "-s",
            "RANDOMIZE_DOWNLOAD_DELAY=False",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        )
        crawlers = [
            _crawler(postgres_db, tmp_path / name, name, warc, args) for name in ("one", "two")
        ]
        results = [_finish(proc) for proc in crawlers]
        times = list(server.hit_times)
    for code, err in results:
        assert code == 0, err[-2000:]
    assert len(times) >= 10
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Together no faster than one crawler: the requests span at least (n - 1) delays, less a
    # little for the time between a slot's start and the request's arrival.
    assert times[-1] - times[0] >= (len(times) - 1) * delay * 0.9
    assert statistics.median(gaps) >= delay * 0.9
