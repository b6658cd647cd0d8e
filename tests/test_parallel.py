"""``--jobs N``: pages read in worker processes, written by one; same results as one job.

Real worker processes and a real store throughout. The hostile page is a test seam: a task
function given to the Python API (``reprocess(task=...)``, ``WorkerPool``), never reachable from
a command line or a page.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import article_captures, crawl_args, invoke, run_cli
from tests.test_crawl import CHANNEL_ITEMS, EXPECTED
from tests.test_resume import _count, _crawl_until
from tmwatch.config.reference import files_for_reference
from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.ingest import Prepared, prepare_in_worker
from tmwatch.pipeline.reprocess import reprocess
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.workers import Failed, PoolBroken, WorkerPool
from tmwatch.record import Capture
from tmwatch.samples.render import ALL_ARTICLES, article_page
from tmwatch.samples.server import SampleServer
from tmwatch.store import Store
from tmwatch.store.home import DataHome

HOSTILE_EXIT = 7


# -- tasks the workers run (module level, so they pickle by name) --------------------------------


def hostile_prepare(victim_url: str, capture: Capture) -> Prepared:
    """``prepare`` that kills its worker on one page, as a parser segfault would."""
    if capture.url == victim_url:
        os._exit(HOSTILE_EXIT)
    return prepare_in_worker(capture)


def die_on(victim: int, value: int) -> int:
    if value == victim:
        os._exit(HOSTILE_EXIT)
    return value * 10


def slow_square(value: int) -> int:
    time.sleep(0.02)
    return value * value


def fail_to_start() -> None:
    raise RuntimeError("no configuration")


def tables_on_arrival(_: object) -> dict[str, int]:
    """Which process-wide tables a worker holds before it has read any page."""
    from trafilatura import external

    from tmwatch.pipeline import date_locales, language

    return {
        "language_model": language._model.cache_info().currsize,
        "justext_stoplist": int(bool(external.JT_STOPLIST)),
        "dateparser": date_locales.external_parser.cache_info().currsize,
    }


# -- helpers -------------------------------------------------------------------------------------


def _copy(demo_archive: Path, target: Path) -> Path:
    shutil.copytree(demo_archive, target)
    return target


def _snapshot(home: Path) -> dict[str, Any]:
    """What reprocess derives, in a comparable form (ids are content-derived, so they match)."""
    with sqlite3.connect(DataHome(home).db_path) as conn:
        conn.row_factory = sqlite3.Row
        articles = [
            dict(row)
            for row in conn.execute(
                "SELECT id, title, text, tags, persons, places, evidence, cluster, language,"
                " published, capture_id FROM articles ORDER BY id"
            )
        ]
        events = [
            dict(row)
            for row in conn.execute(
                "SELECT article_id, person, type, date, date_precision, date_basis, place,"
                " evidence FROM events ORDER BY article_id, id"
            )
        ]
        versions = [
            dict(row)
            for row in conn.execute(
                "SELECT article_id, capture_id, text_hash, title, text, fetched_at FROM versions"
                " ORDER BY article_id, id"
            )
        ]
    return {"articles": articles, "events": events, "versions": versions}


def _reprocess(home: Path, jobs: int) -> str:
    ran = invoke("reprocess", "--jobs", str(jobs), home=home)
    assert ran.exit_code == 0, ran.output
    return ran.stdout


# -- reprocess -----------------------------------------------------------------------------------


def test_reprocess_with_two_jobs_gives_the_store_one_job_gives(
    demo_archive: Path, tmp_path: Path
) -> None:
    one = _copy(demo_archive, tmp_path / "one")
    two = _copy(demo_archive, tmp_path / "two")
    said_one, said_two = _reprocess(one, 1), _reprocess(two, 2)
    assert said_one == said_two
    first, second = _snapshot(one), _snapshot(two)
    assert len(first["articles"]) >= 50 and first["events"] and first["versions"]
    assert first == second


def test_a_worker_dying_on_one_page_fails_that_page_only(
    demo_archive: Path, tmp_path: Path
) -> None:
    home = DataHome(_copy(demo_archive, tmp_path / "home"))
    with Store(home) as store:
        files = files_for_reference(
            store.get_meta("registry"),
            store.get_meta("registry_base"),
            ConfigFiles(packaged_only=True),
        )
        registry = files.load_registry()
        tagger = Tagger(files.load_watchlist(), files.load_topics())
        healthy = reprocess(store, registry, tagger, jobs=1)
        articles = [r[0] for r in store.db.execute("SELECT capture_id FROM articles ORDER BY 1")]
        victim = store.archive.capture(articles[len(articles) // 2])
        assert victim is not None
        task = functools.partial(hostile_prepare, victim["url"])
        report = reprocess(store, registry, tagger, jobs=2, task=task)
        stored = {r["capture_id"] for r in store.db.execute("SELECT capture_id FROM articles")}
    assert report.counts["failed"] == 1
    assert report.problems == [
        f"capture {victim['id']}: worker died on this page: exit code {HOSTILE_EXIT}"
    ]
    # Every other capture was prepared by the surviving and the replacement workers.
    assert sum(report.counts.values()) == sum(healthy.counts.values())
    assert stored == set(articles) - {victim["id"]}


# -- the pool itself -----------------------------------------------------------------------------


def test_a_dead_worker_is_replaced_and_the_rest_succeed() -> None:
    with WorkerPool(2) as pool:
        results = list(pool.map_ordered(functools.partial(die_on, 3), range(8)))
        again = list(pool.map_ordered(functools.partial(die_on, -1), range(4)))
        assert pool.replaced == 1
    assert [item for item, _ in results] == list(range(8))
    assert results[3][1] == Failed(
        f"worker died on this page: exit code {HOSTILE_EXIT}", HOSTILE_EXIT
    )
    assert [r for i, r in results if i != 3] == [i * 10 for i in range(8) if i != 3]
    assert [r for _, r in again] == [0, 10, 20, 30]


def test_the_pool_never_has_more_than_its_bound_in_flight() -> None:
    seen: list[int] = []
    with WorkerPool(2, max_in_flight=3) as pool:
        for _, result in pool.map_ordered(slow_square, range(30)):
            seen.append(pool.in_flight)
            assert isinstance(result, int)
        # Several threads submitting at once wait for room too.
        threads = [
            threading.Thread(
                target=lambda: [pool.submit(slow_square, i).result() for i in range(5)]
            )
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert pool.peak_in_flight == 3
        assert pool.in_flight == 0
    assert max(seen) <= 3


def test_workers_start_with_the_tables_the_fork_server_built(tmp_path: Path) -> None:
    """The language model, dateparser's and justext's tables are built once, in
    the fork server, not on each worker's first pages (a fresh interpreter, as a command is:
    the fork server of this test process may have started without the preload)."""
    script = tmp_path / "pool.py"
    script.write_text(
        "import json\n"
        "from tests.test_parallel import tables_on_arrival\n"
        "from tmwatch.pipeline.ingest import preparing_pool\n"
        "from tmwatch.pipeline.tagging import Tagger\n"
        "if __name__ == '__main__':\n"
        "    with preparing_pool(2, {}, Tagger.from_files()) as pool:\n"
        "        print(json.dumps([r for _, r in pool.map_ordered(tables_on_arrival, [1, 2])]))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    workers = json.loads(done.stdout)
    for worker in workers:
        assert worker["language_model"] == worker["dateparser"] == 1, worker
        assert worker["justext_stoplist"] == 1, worker
    assert len(workers) == 2


def test_a_worker_that_cannot_start_breaks_the_pool_instead_of_looping() -> None:
    with WorkerPool(2, fail_to_start) as pool:
        with pytest.raises(PoolBroken, match="no configuration"):
            list(pool.map_ordered(slow_square, range(4)))
        assert pool.replaced == 0


# -- extract -------------------------------------------------------------------------------------


def test_extract_with_two_jobs_prints_what_one_job_prints(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8000"
    records: list[Any] = []
    for number, article in enumerate(ALL_ARTICLES[:24]):
        page = article_page(article, base, [])
        url = f"{base}/{article.outlet}/{article.path}"
        if number % 2:
            path = tmp_path / f"{number}.html"
            path.write_bytes(page.encode(article.encoding))
            records.append({"url": url, "path": str(path)})
        else:
            records.append({"url": url, "html": page, "fetched_at": "2021-11-08T12:00:00"})
    records[5:5] = ["not json", {"url": "ftp://x"}, {"url": f"{base}/a", "html": ""}]
    stdin = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    one = invoke("extract", "--jobs", "1", stdin=stdin)
    two = invoke("extract", "--jobs", "2", stdin=stdin)
    assert one.exit_code == two.exit_code == 1  # the three bad lines
    assert len(one.stdout.splitlines()) == len(records)
    assert two.stdout.splitlines() == one.stdout.splitlines()
    assert two.stderr == one.stderr


# -- crawl -----------------------------------------------------------------------------------------


def _keys(home: Path, base: str) -> list[str]:
    with sqlite3.connect(DataHome(home).db_path) as conn:
        keys = [r[0] for r in conn.execute("SELECT article_key FROM articles")]
    return sorted(k.replace(base, "") for k in keys)


def test_crawl_with_two_jobs_stores_what_one_job_stores(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    one = run_cli(*crawl_args(sample_server, "--jobs", "1"), home=tmp_path / "one")
    two = run_cli(*crawl_args(sample_server, "--jobs", "2"), home=tmp_path / "two")
    assert one.returncode == two.returncode == 0, two.stderr[-2000:]
    assert "reading pages in 2 worker processes" in two.stderr
    assert "worker processes" not in one.stderr
    assert _keys(tmp_path / "one", sample_server.base) == _keys(
        tmp_path / "two", sample_server.base
    )
    assert len(_keys(tmp_path / "two", sample_server.base)) >= 50
    # The same per-source counts (found, fetched, new, skipped, errors) in the summary table.
    assert one.stdout == two.stdout


def test_a_killed_crawl_with_two_jobs_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    with SampleServer(slow_delay=5.0, delay=0.05) as server:
        args = crawl_args(server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--jobs", "2")
        killed = tmp_path / "killed"
        proc = _crawl_until(args, killed, stored=15, output=subprocess.DEVNULL)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert 15 <= _count(DataHome(killed).db_path) < 60
        resumed = run_cli(*args, home=killed)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        clean = run_cli(*args, home=tmp_path / "clean")
        assert clean.returncode == 0, clean.stderr[-2000:]
    killed_keys = _keys(killed, server.base)
    assert len(killed_keys) == len(set(killed_keys))
    assert killed_keys == _keys(tmp_path / "clean", server.base)
    assert article_captures(killed)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its workers are children of its forkserver), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def test_workers_killed_during_a_crawl_lose_no_article(tmp_path: Path) -> None:
    """The crawl's side of a worker's death (a page that kills its reader): the page is
    failed, the worker replaced, the crawl goes on, and the next run stores what was lost."""
    with SampleServer(slow_delay=5.0, delay=0.05) as server:
        args = crawl_args(server, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--jobs", "2")
        home = tmp_path / "home"
        log = tmp_path / "crawl.log"
        with open(log, "w") as output:
            proc = _crawl_until(args, home, stored=10, output=output)
            killed = 0
            for _ in range(6):  # workers idle between pages too: kill a few times
                workers = [p for p in _descendants(proc.pid) if p != proc.pid]
                # The forkserver's children are the workers; the forkserver has no parent
                # among them. Kill the newest process, a worker (replacements are newer).
                if workers and proc.poll() is None:
                    os.kill(max(workers), signal.SIGKILL)
                    killed += 1
                time.sleep(0.4)
            assert proc.wait(timeout=300) in (0, 1)
        assert killed >= 3
        first = log.read_text()
        again = run_cli(*args, home=home)
        assert again.returncode == 0, again.stderr[-2000:]
    stored = _keys(home, server.base)
    assert len(stored) == len(set(stored)) == len(EXPECTED) + CHANNEL_ITEMS
    # Each death the crawl noticed is a failed page of its source, never a crash of the run.
    assert "Traceback" not in first
    assert "worker died on this page: exit code -9" in first
