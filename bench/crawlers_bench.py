"""``ingest_speedup_2_crawlers``: two crawlers into one PostgreSQL store, against one crawler.

    python bench/crawlers_bench.py postgresql://USER@HOST/DB            # 3 repetitions
    python bench/crawlers_bench.py postgresql://USER@HOST/DB --repetitions 5 --delay 0.02
    python bench/crawlers_bench.py postgresql://USER@HOST/DB --copies 1  # the bare sample site

(also run by ``python bench/run.py --scale --store URL``). The user of the URL needs CREATEDB:
every crawl gets a fresh database of its own (``<db>_crawlbench_<n>``), dropped afterwards.

Why: a shared PostgreSQL store exists so that several crawlers (hosts) add to one archive. The
question a team asks is whether a second crawler makes the archive grow faster, so the figure
is wall-clock time of what a user runs: ``tmwatch crawl --jobs 1`` of every sample outlet by
one process, over the time two ``tmwatch crawl --jobs 1`` processes take together, each given
half of the outlets (``--source``), both into one store. Process start-up counts (the user
waits for it) and is printed apart: launch to the first request reaching the sample server.

The two halves are served by two ``SampleServer``s with different host names for loopback
(``http://127.0.0.1:P1`` and ``http://localhost:P2``), each rendering its pages with its own
base: the two crawlers' outlets are then different hosts, as real outlets are, and the shared
per-host politeness (``spiders/shared_frontier.py``) does not couple them. A registry written
for the run maps each source to its server's base (the sample registry's ``{base}``, filled
per source). The halves are balanced on the URLs each source put in the frontier during an
unmeasured warm-up crawl.

Workload: the sample site alone is ~95 articles, a crawl of a few seconds, of which process
start-up (imports, configuration, store) would be a third; a real crawl of the outlets runs for
minutes. So each server holds ``--copies`` copies of the sample site (default 12; see
``SampleServer``'s ``copies``: copy k under the path prefix ``/m<k>`` of the same host) and the
run's registry has an entry per source and copy (``<source>-m<k>``): each crawler meets the same
hosts with ``copies`` times the feeds, listings, sitemaps and articles, and one crawler's crawl
lasts ~30-60 s (the default was 6 until extraction and the store's writes got faster and a
crawl of 6 copies took 21 s, start-up 7-15% of it: 1.62 with 6, 1.74 with 12 on 2026-11-30).
The copies' texts are the originals', so the store clusters them as syndicated copies (the dedup
look-ups of a real archive, where syndication is common). The share of each crawl spent
starting up is printed; ``--copies 1`` measures the bare sample site.

Bytecode: the crawl processes get a bytecode cache of their own (``PYTHONPYCACHEPREFIX`` in the
run's scratch directory, filled by the warm-up crawl), as an installed tmwatch has its ``.pyc``
files; an environment that turns bytecode writing off (``PYTHONDONTWRITEBYTECODE``) would
otherwise make every crawl compile tmwatch's ~150 modules from source at start-up.

Settings: the tests' fast loopback settings (``FAST``: no AutoThrottle, no download delay, 8
requests per domain, no retries; but tmwatch's 30 s download timeout, see ``FAST``), every
response delayed ``--delay`` seconds
(default 0.02, a near server's latency) and the sample site's one slow page as slow as any
other page (a fixed multi-second stall would only add the same constant to both sides).
Repetitions are interleaved (one, two / two, one, ...); the figure is the median of the
per-repetition ratios, with its spread.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.server import SampleServer
from tmwatch.store import Store
from tmwatch.store.database import redacted
from tmwatch.store.home import DataHome

ROOT = Path(__file__).resolve().parent.parent
HOSTS = ("127.0.0.1", "localhost")
"""Two names for loopback: two hosts to a crawler (politeness is per host name)."""
DEFAULT_DELAY = 0.02
DEFAULT_COPIES = 12
"""Copies of the sample site per server: one crawler's crawl lasts ~30-60 s (module docstring)."""
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "RETRY_TIMES=0",
]
"""tests/helpers.py's FAST settings (bench code does not import the tests) but its 2 s download
timeout: with ``--jobs 1`` a page is read on the reactor's thread, and two crawlers on a busy
2-core machine hold responses past 2 s, which then fail (articles lost, not a faster crawl);
tmwatch's own timeout (``DOWNLOAD_TIMEOUT``, 30 s) applies."""
_SECTION = re.compile(r"^\[\[?sources\.([A-Za-z0-9_-]+)[\].]")


def sample_sources() -> list[str]:
    """The sample registry's sources, in its order."""
    return list(tomllib.loads(SAMPLE_REGISTRY.read_text())["sources"])


def copy_key(source: str, copy: int) -> str:
    """The run's key of a sample source's ``copy`` (1: the source's own key)."""
    return source if copy == 1 else f"{source}-m{copy}"


def registry_text(entries: dict[str, str] | dict[str, tuple[str, str]]) -> str:
    """A registry of the sample registry's sources: ``entries`` maps each run key to the sample
    source it copies and the base its ``{base}`` is filled with (its server's, and copy's); a
    bare base for a key that is a sample source's own: that source, with that base.

    The base goes in unescaped, in the ``article_url`` patterns too: ``http://127.0.0.1:P``
    and ``http://localhost:P/m<k>`` hold no regular-expression character but ``.``, which
    matches itself, so each pattern still matches exactly its copy's article URLs.
    """
    head: list[str] = []
    blocks: dict[str, list[str]] = {}
    source = None
    for line in SAMPLE_REGISTRY.read_text().splitlines():
        match = _SECTION.match(line)
        if match:
            source = match.group(1)
        if "{base}" in line and not line.lstrip().startswith("#") and source is None:
            raise ValueError(f"{{base}} outside a source: {line}")
        (head if source is None else blocks.setdefault(source, [])).append(line)
    lines = list(head)
    for key, entry in entries.items():
        source, base = (key, entry) if isinstance(entry, str) else entry
        for line in blocks[source]:
            if _SECTION.match(line):
                line = line.replace(f"sources.{source}", f"sources.{key}", 1)
            elif "{base}" in line and not line.lstrip().startswith("#"):
                line = line.replace("{base}", base)
            lines.append(line)
    return "\n".join(lines) + "\n"


def halves(sources: list[str], weights: dict[str, int]) -> tuple[list[str], list[str]]:
    """Two groups of sources with about equal work: heaviest first, each to the lighter group."""
    groups: tuple[list[str], list[str]] = ([], [])
    loads = [0, 0]
    for source in sorted(sources, key=lambda s: (-weights.get(s, 0), s)):
        lighter = 0 if loads[0] <= loads[1] else 1
        groups[lighter].append(source)
        loads[lighter] += weights.get(source, 0) + 1
    return groups


def database_url(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


@dataclass
class Crawl:
    """One timed crawl: one or two processes, into one fresh database."""

    seconds: float
    startup: list[float]
    process_seconds: list[float]
    cpu_seconds: float
    articles: int
    captures: int
    per_source: dict[str, int] = field(default_factory=dict)
    server_cpu_seconds: float = 0.0
    """CPU of this process: the sample servers, which on a user's machine are the outlets'."""
    machine_busy: float = 0.0
    """Share of the machine's cores busy during the crawl (/proc/stat; crawlers, servers and
    PostgreSQL alike): near 1.0, the machine itself is the limit."""

    @property
    def startup_share(self) -> list[float]:
        """Each process's start-up as a share of its own run time."""
        return [s / p for s, p in zip(self.startup, self.process_seconds, strict=True)]


class Bench:
    """The two servers, the registry and a scratch directory, for the crawls of one run."""

    def __init__(self, url: str, delay: float, tmp: Path, copies: int = 1) -> None:
        self.url = url
        self.tmp = tmp
        self.delay = delay
        self.copies = copies
        self.servers = [
            SampleServer(slow_delay=delay, delay=delay, base_host=host, copies=copies).start()
            for host in HOSTS
        ]
        # Each run key: (the sample source it copies, which copy).
        self.copy_of = {
            copy_key(source, k): (source, k)
            for k in range(1, copies + 1)
            for source in sample_sources()
        }
        self.sources = list(self.copy_of)
        self.groups = halves(self.sources, {})
        self.pycache = tmp / "pycache"
        self.config = tmp / "no-user-config"
        self.config.mkdir()
        self.count = 0
        self.write_registry()

    def close(self) -> None:
        for server in self.servers:
            server.stop()

    def write_registry(self) -> None:
        entries = {
            key: (self.copy_of[key][0], self.servers[i].mirror_bases()[self.copy_of[key][1] - 1])
            for i, group in enumerate(self.groups)
            for key in group
        }
        self.registry = self.tmp / "registry.toml"
        self.registry.write_text(registry_text(entries))

    def rebalance(self, weights: dict[str, int]) -> None:
        self.groups = halves(self.sources, weights)
        self.write_registry()

    def crawl(self, groups: list[list[str]]) -> Crawl:
        """One crawl process per group (an empty group: every source), all at once, into a
        fresh database; the wall-clock time until the last one ends."""
        self.count += 1
        name = f"{urlsplit(self.url).path.lstrip('/') or 'tmwatch'}_crawlbench_{self.count}"
        store = database_url(self.url, name)
        admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(self.url, f'CREATE DATABASE "{name}"')
        try:
            run_dir = self.tmp / f"run{self.count}"
            # The schema first, untimed: a team's store exists before its crawlers start.
            with Store(DataHome(run_dir / "setup", store=store)):
                pass
            return self._timed(store, run_dir, groups)
        finally:
            admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _timed(self, store: str, run_dir: Path, groups: list[list[str]]) -> Crawl:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TMWATCH_")}
        env["TMWATCH_CONFIG"] = str(self.config)
        # Bytecode as an installed tmwatch has it (module docstring, "Bytecode").
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        marks = [len(server.hit_times) for server in self.servers]
        procs: list[tuple[subprocess.Popen[bytes], Any, float]] = []
        # CPU time of the crawl processes (user + system), to tell a CPU-bound crawl from one
        # that waits (on the network, on the store's write lock).
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        machine_before = machine_jiffies()
        started = time.monotonic()
        for i, group in enumerate(groups):
            worker = f"crawler{i}"
            home = run_dir / worker
            home.mkdir(parents=True)
            log = (run_dir / f"{worker}.log").open("wb")
            args = [sys.executable, "-m", "tmwatch", "--store", store, "--worker", worker]
            args += ["--warc-dir", str(run_dir / "warc"), "crawl", "--registry"]
            args += [str(self.registry), "--jobs", "1", *FAST]
            args += [a for source in group for a in ("--source", source)]
            launched = time.monotonic()
            proc = subprocess.Popen(
                args, cwd=ROOT, env={**env, "TMWATCH_HOME": str(home)}, stdout=log, stderr=log
            )
            procs.append((proc, log, launched))
        ended: dict[int, float] = {}
        deadline = started + 900
        try:
            while len(ended) < len(procs):  # each process's own end, whichever ends first
                if time.monotonic() > deadline:
                    raise RuntimeError("a crawl took over 900 s")
                for i, (proc, _, launched) in enumerate(procs):
                    if i not in ended and proc.poll() is not None:
                        ended[i] = time.monotonic() - launched
                time.sleep(0.02)
        finally:  # on an error or ^C, no crawl is left running against a dropped database
            for proc, _, _ in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        for proc, log, _ in procs:
            log.close()
            if proc.returncode not in (0, 1):  # 1: some pages failed (the sample site's 404s)
                tail = Path(log.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"tmwatch crawl exited {proc.returncode}:\n{tail}")
        seconds = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        served = own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime
        busy = machine_busy(machine_before, machine_jiffies())
        startup = []
        for i, (_, _, launched) in enumerate(procs):
            # Each crawler of a pair has its own server; the single crawler the first of both.
            servers = [self.servers[i]] if len(procs) > 1 else self.servers
            firsts = [
                s.hit_times[marks[self.servers.index(s)]]
                for s in servers
                if len(s.hit_times) > marks[self.servers.index(s)]
            ]
            startup.append(min(firsts) - launched if firsts else float("nan"))
        import psycopg

        with psycopg.connect(store) as db:
            articles = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
            captures = int(db.execute("SELECT count(*) FROM captures").fetchone()[0])
            per_source = dict(
                db.execute("SELECT source, count(*) FROM frontier GROUP BY source").fetchall()
            )
        process_seconds = [ended[i] for i in range(len(procs))]
        return Crawl(
            seconds, startup, process_seconds, cpu, articles, captures, per_source, served, busy
        )


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat (0, 0 elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def machine_busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total > 0 else float("nan")


def measure(
    url: str,
    repetitions: int = 3,
    delay: float = DEFAULT_DELAY,
    keep: Path | None = None,
    copies: int = DEFAULT_COPIES,
) -> dict[str, Any]:
    """Interleaved repetitions of one crawler against two; every crawl's figures. ``keep``: a
    directory that keeps the crawls' logs and WARC files (default: a temporary one);
    ``copies``: copies of the sample site each server holds (module docstring, "Workload")."""
    with tempfile.TemporaryDirectory(prefix="tmwatch-crawlbench-") as tmp:
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=keep)) if keep else Path(tmp)
        bench = Bench(url, delay, scratch, copies)
        try:
            warm = bench.crawl([[]])
            bench.rebalance(warm.per_source)
            a, b = bench.groups
            print(
                f"  warm-up: {warm.seconds:.1f} s, {warm.articles} articles; halves "
                f"{HOSTS[0]}: {len(a)} sources, {HOSTS[1]}: {len(b)} sources"
            )
            runs: dict[str, list[Crawl]] = {"one": [], "two": []}
            for repetition in range(repetitions):
                order = ("one", "two") if repetition % 2 == 0 else ("two", "one")
                for kind in order:
                    crawl = bench.crawl([[]] if kind == "one" else [a, b])
                    runs[kind].append(crawl)
                    print(
                        f"  {kind}: {crawl.seconds:6.1f} s  (start-up "
                        f"{', '.join(f'{s:.1f}' for s in crawl.startup)} s, "
                        f"{', '.join(f'{x:.0%}' for x in crawl.startup_share)}; process "
                        f"{', '.join(f'{s:.1f}' for s in crawl.process_seconds)} s, "
                        f"CPU {crawl.cpu_seconds:.1f} s, servers {crawl.server_cpu_seconds:.1f} s, "
                        f"machine busy {crawl.machine_busy:.0%}; "
                        f"{crawl.articles} articles, {crawl.captures} captures)",
                        flush=True,
                    )
        finally:
            bench.close()
    return {"runs": runs, "groups": [a, b], "delay": delay, "warm_up": warm, "copies": copies}


def figures_of(found: dict[str, Any]) -> dict[str, Any]:
    """The JSON figures of ``measure``'s runs, printed as well."""
    from bench.scale import show, spread

    one: list[Crawl] = found["runs"]["one"]
    two: list[Crawl] = found["runs"]["two"]
    ratios = [a.seconds / b.seconds for a, b in zip(one, two, strict=True)]
    speed = spread(ratios)
    show("ingest_speedup_2_crawlers (one / two, per repetition)", speed, "x")
    show("one crawler, s", spread([c.seconds for c in one]), " s")
    show("two crawlers, s", spread([c.seconds for c in two]), " s")
    startup_one = spread([s for c in one for s in c.startup])
    startup_two = spread([s for c in two for s in c.startup])
    show("start-up (launch to first request), one crawler", startup_one, " s")
    show("start-up, each of two crawlers", startup_two, " s")
    share_one = spread([x for c in one for x in c.startup_share])
    share_two = spread([x for c in two for x in c.startup_share])
    show("start-up share of the process's time, one crawler", share_one, "")
    show("start-up share of the process's time, each of two crawlers", share_two, "")
    show("CPU s of the crawl process(es), one crawler", spread([c.cpu_seconds for c in one]), " s")
    show("CPU s of the crawl processes, two crawlers", spread([c.cpu_seconds for c in two]), " s")
    show(
        "CPU s of the sample servers (this process), one crawler",
        spread([c.server_cpu_seconds for c in one]),
        " s",
    )
    show(
        "CPU s of the sample servers, two crawlers",
        spread([c.server_cpu_seconds for c in two]),
        " s",
    )
    show(
        "machine busy (share of all cores), one crawler", spread([c.machine_busy for c in one]), ""
    )
    show("machine busy, two crawlers", spread([c.machine_busy for c in two]), "")
    articles = {c.articles for c in one + two}
    if len(articles) > 1:
        print(f"  note: the crawls stored different numbers of articles: {sorted(articles)}")
    return {
        "ingest_speedup_2_crawlers": speed["median"],
        "ingest_speedup_spread": speed,
        "crawl_one_s": round(statistics.median(c.seconds for c in one), 2),
        "crawl_two_s": round(statistics.median(c.seconds for c in two), 2),
        "crawl_startup_s": startup_one["median"],
        "crawl_startup_two_s": startup_two["median"],
        "crawl_startup_share_one": share_one["median"],
        "crawl_startup_share_two": share_two["median"],
        "crawl_copies": found.get("copies", 1),
        "crawl_cpu_one_s": round(statistics.median(c.cpu_seconds for c in one), 2),
        "crawl_cpu_two_s": round(statistics.median(c.cpu_seconds for c in two), 2),
        "crawl_server_cpu_two_s": round(statistics.median(c.server_cpu_seconds for c in two), 2),
        "crawl_machine_busy_one": round(statistics.median(c.machine_busy for c in one), 3),
        "crawl_machine_busy_two": round(statistics.median(c.machine_busy for c in two), 3),
        "crawl_articles": max(articles),
        "crawl_delay_s": found["delay"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", metavar="URL", help="postgresql://USER@HOST/DB (CREATEDB)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--delay", type=float, default=DEFAULT_DELAY, help="s per response")
    parser.add_argument("--keep", type=Path, help="keep the crawls' logs under this directory")
    parser.add_argument(
        "--copies",
        type=int,
        default=DEFAULT_COPIES,
        help=f"copies of the sample site per server (default {DEFAULT_COPIES}; 1: bare site)",
    )
    args = parser.parse_args()
    print(
        f"crawlers: one crawl of every sample outlet vs two (each half), x{args.repetitions}, "
        f"{args.copies} copies of the sample site"
    )
    print(f"server: {redacted(args.store)}")
    found = measure(args.store, args.repetitions, args.delay, args.keep, args.copies)
    figures = figures_of(found)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
