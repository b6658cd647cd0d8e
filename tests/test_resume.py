"""A crawl killed with SIGKILL mid-run loses nothing and duplicates nothing when restarted."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT, article_captures, cli_env, crawl_args, run_cli
from tmwatch.samples.server import SampleServer
from tmwatch.store.home import DataHome


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _crawl_until(args: list[str], home: Path, stored: int, output: int) -> subprocess.Popen:
    """A crawl in a subprocess, returned once it has stored ``stored`` articles (still running)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tmwatch", *args],
        cwd=ROOT,
        env=cli_env(home),
        stdout=output,
        stderr=output,
        text=True,
    )
    db = DataHome(home).db_path
    deadline = time.monotonic() + 120
    while _count(db) < stored and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the crawl finished before it could be stopped"
    return proc


def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    # Every response is delayed and requests go one at a time, so the kill lands mid-crawl.
    with SampleServer(slow_delay=5.0, delay=0.05) as server:
        args = crawl_args(server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        killed_home = tmp_path / "killed"
        db = DataHome(killed_home).db_path
        proc = _crawl_until(args, killed_home, stored=15, output=subprocess.DEVNULL)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        at_kill = _count(db)
        assert 15 <= at_kill < 60

        resumed = run_cli(*args, home=killed_home)
        assert resumed.returncode == 0, resumed.stderr
        clean = run_cli(*args, home=tmp_path / "clean")
        assert clean.returncode == 0, clean.stderr

    def keys(home: Path) -> list[str]:
        with sqlite3.connect(DataHome(home).db_path) as conn:
            return sorted(r[0] for r in conn.execute("SELECT article_key FROM articles"))

    killed_keys = keys(killed_home)
    assert len(killed_keys) == len(set(killed_keys))  # no duplicates
    base_free = sorted(k.replace(server.base, "") for k in killed_keys)
    assert base_free == sorted(k.replace(server.base, "") for k in keys(tmp_path / "clean"))
    # Each stored article still points at a readable WARC record, the killed run's included.
    assert len({warc_file for warc_file, _ in article_captures(killed_home)}) == 2
    home = DataHome(killed_home)
    # Every WARC file, the killed run's included, reads from start to end.
    from warcio.archiveiterator import ArchiveIterator

    for path in home.warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests="raise"):
                assert record.rec_headers.get_header("WARC-Record-ID")
                record.content_stream().read()


def test_ctrl_c_says_the_crawl_was_interrupted_and_how_to_resume(tmp_path: Path) -> None:
    with SampleServer(slow_delay=5.0, delay=0.05) as server:
        args = crawl_args(server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        home = tmp_path / "home"
        db = DataHome(home).db_path
        proc = _crawl_until(args, home, stored=10, output=subprocess.PIPE)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 130, stderr
        assert "crawl interrupted" in stderr and "run the same command again to resume" in stderr
        assert "ended early: unknown" not in stderr and "Traceback" not in stderr
        assert "total" in stdout  # the summary of what it did
        stored = _count(db)
        resumed = run_cli(*args, home=home)
    assert resumed.returncode == 0, resumed.stderr
    assert _count(db) > stored
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]
