"""``python bench/run.py --scale``: figures for a store of a million articles.

    python bench/run.py --scale                          # 1,000,000 articles (cached)
    python bench/run.py --scale --size 300000            # a smaller store
    python bench/run.py --scale --cache-dir /big/disk    # where the stores are kept
    python bench/run.py --scale --store postgresql://USER@HOST/DB [--size N]   # on PostgreSQL

The store is built once into ``--cache-dir`` (default ``~/.cache/tmwatch-bench``) and reused by
later runs; its directory name holds the size and ``BUILDER_VERSION``, so a changed builder
builds a new one (delete the old directories by hand). The build commits every ``CHUNK``
articles and is resumable: a killed build continues from the articles already committed (each
chunk is generated from its own seed, so the resumed store is the one an uninterrupted build
makes). A 1,000-article store built the same way is cached beside it, for ``dedup_growth``.

What is stored, per article, as ``tmwatch`` itself stores it (``Archive.save_article``, the
search index, labels, URLs; ``Fingerprint.of`` and ``save_fingerprint``; ``assign_cluster``
and ``set_cluster`` -- the real code, nothing shortcut; only faster to build: the fingerprints
are computed by ``Fingerprint.of`` in one worker process while this one writes, and words are
folded for the index through a memo of the real ``folding.fold``, which gives the same text):

* text: 160 Zipf-distributed lower-case words of the sample corpus's vocabulary (ru, tk, tr,
  en), as bench/run.py's 100k store; every 50th article has a whole corpus sentence inserted,
  which often names a watched person; its persons, places and topic tags are what the real
  tagger finds in that sentence (tagged once per sentence, reused);
* tags: besides those, ``detention`` on ~12% and ``turkmen-detention-turkey`` on ~3%;
* 12 sources/outlets, three per language; published over ten years (2016-12 to 2026-11) in
  storage order, so a day holds about N / 3,650 articles (274 at 1M);
* near-duplicates: ~20% of the articles are in clusters of 2-6: the first is an ordinary
  article, the others (due 1-300 articles later, in the same chunk) are copies published by
  another outlet of its language, each reworded in one of three ways: 3-10 words replaced,
  a 30-60-word paragraph added, or the last fifth cut and a credit line added. Every article,
  copy or not, gets its real MinHash fingerprint (``Fingerprint.of``) and its cluster from the
  real ``assign_cluster``, so LSH bands collide as they do in a real archive (the printed
  "clusters" line counts how many copies the real dedup joined to their original).
* not stored: captures/WARC, versions and events (the digest's per-article version count is
  then an index probe that finds nothing).

Figures (one process, on the cached stores; timings are noisy on a shared machine, so every
ratio is the median of interleaved repetitions and its spread is printed):

* ``dedup_growth_1m``: cost per new article (fingerprint, index, ``assign_cluster``; rolled back)
  with N stored over that with 1,000 stored; per round both stores get the same new articles
  (80% fresh, 20% reworded copies of a random stored article), order alternating; the figure
  is the median of the per-round ratios.
* ``search_p95_ms_1m``: p95 of ``run_search`` (what ``tmwatch search`` runs, with the watchlist)
  over ``SEARCHES`` (names in three scripts, phrases, operators, tag/person/language/date
  filters), several rounds; per-query p95 printed and, when p95 is over 100 ms, each SQL
  statement of the three slowest searches with its time and EXPLAIN QUERY PLAN.
* ``digest_ms_1m``: ``build_digest`` + JSON (what ``tmwatch digest --date DAY`` runs) of the
  busiest of three sampled days, median of repetitions; below 1M, ``digest_ms_1m_volume`` is
  the same over the days from it that hold as many articles as a day of the 1M store.
* ``reprocess_speedup_2_jobs``: bench/parallel_bench.py's measurement (``reprocess`` of 300
  captures with ``jobs=1`` and ``jobs=2``, five interleaved repetitions; median of
  per-repetition ratios), and beside it ``machine_speedup_2_processes``, the machine's own
  ceiling in the same repetitions (two processes of pure CPU work; 2.0 on two idle cores).
* ``store_mb`` (database and WAL after a checkpoint), ``peak_rss_mb`` (this process), build time.

The ``_1m`` keys hold the figure at ``store_size`` (the JSON says which size that was).

**PostgreSQL** (``--store URL``): the same figures (same JSON keys, plus ``engine:
"postgresql"``) on PostgreSQL copies of the cached SQLite stores, which are built (or reused)
as above and then copied with ``store/copy.py`` (``copy_store`` and ``verify``), not rebuilt
article by article. On the server of the URL the benchmark creates one database per store,
named after the URL's database, the builder version and the size (``<db>_bench_v1_n1000`` and
``<db>_bench_v1_n<size>``), so the user of the URL needs **CREATEDB**. A copy is made once:
after it is verified and ``VACUUM (ANALYZE)`` has given the planner its statistics (and the
visibility map a settled store has), a ``bench_copy`` meta row records it, and later runs reuse
the database. A database without that row (an interrupted copy: the copy's one transaction
leaves it empty, or a copy killed before its row) is dropped and copied again; to copy afresh
drop the database by hand. Differences from SQLite: ``store_mb`` is ``pg_database_size`` (the
SQLite file's size is ``store_mb_sqlite``); ``copy_s`` is the copy's time when it was made
(``copied_now`` says whether that was this run); EXPLAIN (ANALYZE, BUFFERS) of the slowest
statement of each of the three slowest searches when p95 is over 100 ms; no
``reprocess_speedup_2_jobs`` (it measures a temporary SQLite store either way); and
``ingest_speedup_2_crawlers`` (bench/crawlers_bench.py: two ``tmwatch crawl --jobs 1`` into one
PostgreSQL store against one, fresh databases named ``<db>_crawlbench_<n>``, dropped after
each crawl). Disk on the server: 191-193 MB for the 20,000-article store (107 MB as SQLite), so
plan for about 1.8 times the SQLite store (measured at 20,000 only), plus the SQLite cache.
The cached stores must be at this tmwatch's schema (``copy_store`` refuses two schemas):
a cached store written by an older tmwatch is migrated in place first (``up_to_date``).

Disk: 5.3 KB per article after the closing checkpoint: 5,335 MB for the default 1M (1,599 MB
for 300,000), and about 1 GB more free while building (the WAL). Build time on 2 shared cores:
4,641 s for 1M over several resumed runs (188-420 s per 100,000 up to 600,000; slower later,
and slower under load).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tmwatch import folding
from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.dedup import MIN_SHARED_BANDS, Fingerprint, to_blob
from tmwatch.pipeline.ingest import assign_cluster
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Article
from tmwatch.samples.render import ALL_ARTICLES
from tmwatch.store import Store
from tmwatch.store.connection import connect
from tmwatch.store.database import POSTGRESQL
from tmwatch.store.home import DataHome
from tmwatch.store.migrations import migrate

BUILDER_VERSION = 1
"""Part of the cache directory's name: change it whenever the builder makes a different store."""
DEFAULT_SIZE = 1_000_000
SMALL_SIZE = 1_000
CHUNK = 10_000
WORDS = 160
DEFAULT_CACHE = Path("~/.cache/tmwatch-bench")
CLUSTER_START = 0.076  # share of ordinary articles that get copies: ~20% of all are in clusters
CLUSTER_SIZES = (2, 3, 4, 5, 6)
CLUSTER_WEIGHTS = (0.45, 0.25, 0.15, 0.10, 0.05)
START_DAY = datetime(2016, 12, 1, tzinfo=UTC)
SPAN_DAYS = 3650
OUTLETS = {
    "ru": [("fergana", "Fergana"), ("mediazona", "Mediazona"), ("currenttime", "Current Time")],
    "tk": [("gundogar", "Gündogar"), ("tmhelsinki", "TMHelsinki"), ("azathabar", "Azathabar")],
    "tr": [("bianet", "bianet"), ("t24", "T24"), ("medyascope", "Medyascope")],
    "en": [("hrw", "Human Rights Watch"), ("eurasianet", "Eurasianet"), ("rferl", "RFE/RL")],
}
LANGUAGES = ("ru", "tk", "tr", "en")
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

# What researchers search for: watched names in Latin, Cyrillic and Turkmen spellings, phrases,
# the query language, and the filters (tag, person, language, date ranges).
SEARCHES: list[tuple[str | None, dict[str, str]]] = [
    ("Taganova", {}),
    ("Таганова", {}),
    ("Taganowa", {}),
    ("Allalyev", {}),
    ("Аллалыев", {}),
    ("Allalyýew", {}),
    ("Rakhmanov", {}),
    ("Рахманов", {}),
    ("Rahmanow", {}),
    ("Akhmed Rakhmanov", {}),
    ("Tuzla", {}),
    ('"Dursoltan Taganova"', {}),
    ('"deportation centre"', {}),
    ('"депортационный центр"', {}),
    ("migrant AND Turkey", {}),
    ("консульство OR konsullyk", {}),
    ("Abulov NOT Tuzla", {}),
    ("passport", {"language": "en"}),
    ("Stambul", {"language": "tk"}),
    ("aktivist", {"tag": "detention"}),
    (None, {"tag": "detention"}),
    (None, {"tag": "turkmen-detention-turkey", "language": "tr"}),
    (None, {"person": "Dursoltan Taganova"}),
    (None, {"person": "Allalyev", "language": "tk"}),
    ("Istanbul", {"person": "Taganova"}),
    ("Istanbul", {"since": "2020-01-01", "until": "2022-12-31"}),
    (None, {"since": "2021-10-01", "until": "2021-10-31"}),
    ("Tuzla", {"since": "2025-01-01"}),
    (None, {"language": "ru", "since": "2021-01-01"}),
]


def web_id(number: int) -> str:
    """An id of the form real ones have (ten of a-z, 2-7), as bench/web_bench.py makes."""
    out = ""
    for _ in range(9):
        number, digit = divmod(number, 32)
        out = BASE32[digit] + out
    return "b" + out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.glob("tmwatch.sqlite3*")) / 2**20


def spread(values: list[float]) -> dict[str, float]:
    """Median, quartiles and extremes of repeated measurements."""
    ordered = sorted(values)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
    return {
        "median": round(statistics.median(ordered), 3),
        "q1": round(quartiles[0], 3),
        "q3": round(quartiles[2], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
    }


def show(name: str, s: dict[str, float], unit: str = "") -> None:
    print(
        f"  {name}: median {s['median']}{unit}  IQR {s['q1']}-{s['q3']}  "
        f"min-max {s['min']}-{s['max']}  (n={s['n']})"
    )


def on_postgres(store: Store) -> bool:
    """Whether ``store`` is a PostgreSQL store: the few figures that read SQLite's ``rowid``,
    its trace callback or its plans take another path there."""
    return getattr(store.db, "dialect", "") == POSTGRESQL


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


# -- the synthetic archive ----------------------------------------------------------------------


@dataclass
class Story:
    """What a copy takes from its original."""

    words: list[str]
    language: str
    outlet: int
    tags: list[str]
    persons: list[str]
    places: list[str]
    due: int


class Generator:
    """The articles of a store of ``total``, chunk by chunk, each chunk from its own seed."""

    def __init__(self, total: int, tagger: Tagger) -> None:
        self.total = total
        from bench.run import _vocabulary

        self.vocab = np.array(_vocabulary(), dtype=object)
        self.sentences = [p for a in ALL_ARTICLES for p in a.paras]
        # What the tagger finds in each corpus sentence: the persons, places and tags of the
        # stories that sentence is inserted into (tagging 20,000 whole stories would find the same).
        self.sentence_tags = [tagger.tag(s) for s in self.sentences]

    def chunk(self, index: int) -> Iterator[tuple[Article, bool]]:
        """Articles ``index * CHUNK`` up to the next chunk (or the total); True for copies."""
        first = index * CHUNK
        last = min(self.total, first + CHUNK)
        rng = random.Random(f"chunk {BUILDER_VERSION} {index}")
        zipf = np.random.default_rng([BUILDER_VERSION, index]).zipf(1.3, (last - first) * WORDS)
        words_of = self.vocab[zipf % len(self.vocab)]
        pending: list[Story] = []
        fresh = 0
        for n in range(first, last):
            due = next((s for s in pending if s.due <= n), None)
            if due is not None:
                pending.remove(due)
                yield self._copy(n, due, rng), True
                continue
            words = list(words_of[fresh * WORDS : (fresh + 1) * WORDS])
            fresh += 1
            article = self._fresh(n, words, rng)
            if rng.random() < CLUSTER_START:
                size = rng.choices(CLUSTER_SIZES, CLUSTER_WEIGHTS)[0]
                outlet = self._outlet_index(article)
                for _ in range(size - 1):
                    pending.append(
                        Story(
                            words,
                            str(article.language),
                            outlet,
                            article.tags,
                            article.persons,
                            article.places,
                            n + rng.randint(1, 300),
                        )
                    )
                pending.sort(key=lambda s: s.due)
            yield article, False

    @staticmethod
    def _outlet_index(article: Article) -> int:
        keys = [key for key, _ in OUTLETS[str(article.language)]]
        return keys.index(article.source)

    def _when(self, n: int, rng: random.Random) -> tuple[str, str]:
        day = START_DAY + timedelta(days=n * SPAN_DAYS // self.total)
        published = day + timedelta(minutes=rng.randrange(24 * 60))
        seen = published + timedelta(minutes=rng.randrange(30, 600))
        return published.isoformat(), seen.isoformat()

    def _article(
        self, n: int, words: list[str], language: str, outlet: int, rng: random.Random
    ) -> Article:
        source, name = OUTLETS[language][outlet]
        published, seen = self._when(n, rng)
        url = f"https://{source}.bench.invalid/news/{n}"
        return Article(
            id=web_id(n),
            article_key=f"bench:{n}",
            source=source,
            outlet=name,
            url=url,
            canonical_url=url,
            language=language,
            title=" ".join(words[:8]).capitalize(),
            text=" ".join(words),
            published=published,
            first_seen=seen,
            fetched_at=seen,
        )

    def _fresh(self, n: int, words: list[str], rng: random.Random) -> Article:
        language = LANGUAGES[rng.randrange(4)]
        tags: set[str] = set()
        persons: list[str] = []
        places: list[str] = []
        if n % 50 == 0:  # a watched-person story now and then, as in a real archive
            which = rng.randrange(len(self.sentences))
            words[40:40] = self.sentences[which].split()
            found = self.sentence_tags[which]
            tags |= set(found.tags)
            persons, places = list(found.persons), list(found.places)
        if rng.random() < 0.12:
            tags.add("detention")
        if rng.random() < 0.03:
            tags.add("turkmen-detention-turkey")
        article = self._article(n, words, language, rng.randrange(3), rng)
        article.tags, article.persons, article.places = sorted(tags), persons, places
        return article

    def _copy(self, n: int, story: Story, rng: random.Random) -> Article:
        """A syndicated or reworded copy of ``story`` at another outlet of its language."""
        words = reword(story.words, self.vocab, rng)
        outlet = (story.outlet + rng.randrange(1, 3)) % 3
        article = self._article(n, words, story.language, outlet, rng)
        article.tags, article.persons, article.places = story.tags, story.persons, story.places
        return article


def reword(words: list[str], vocab: Any, rng: random.Random) -> list[str]:
    """A near-duplicate of ``words``: a few words replaced, a paragraph added, or cut + credit."""
    words = list(words)
    how = rng.randrange(3)
    if how == 0:
        for _ in range(rng.randint(3, 10)):
            words[rng.randrange(len(words))] = vocab[rng.randrange(min(len(vocab), 500))]
    elif how == 1:
        extra = [vocab[rng.randrange(len(vocab))] for _ in range(rng.randint(30, 60))]
        at = rng.choice((0, len(words) // 2, len(words)))
        words[at:at] = extra
    else:
        words = [*words[: len(words) * 4 // 5], "source", "partner", "agency", "reprinted"]
    return words


def save(store: Store, article: Article, fp: Fingerprint) -> str:
    """Store one article as ingest does (article, index, labels, fingerprint, cluster);
    ``fp`` is ``Fingerprint.of(article.text)``."""
    store.archive.save_article(article)
    store.archive.save_fingerprint(article.id, fp.text_hash, to_blob(fp.signature), fp.bands)
    cluster = assign_cluster(store, article.id, fp)
    store.archive.set_cluster(article.id, cluster)
    return cluster


@contextmanager
def memoised_fold() -> Iterator[None]:
    """``tmwatch.folding.fold`` remembered while building: the synthetic text has a
    vocabulary of 2,000 words, folded for the search index again and again (same results)."""
    original = folding.fold
    folding.fold = functools.lru_cache(maxsize=1 << 16)(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        folding.fold = original  # type: ignore[assignment]


def cache_root(cache_dir: Path, size: int) -> Path:
    return cache_dir / f"store-v{BUILDER_VERSION}-n{size}"


def up_to_date(root: Path) -> None:
    """A cached store written by an older tmwatch gets this one's schema, in place: it is a
    cache, so without ``tmwatch migrate``'s backup (a copy as large as the store)."""
    path = DataHome(root).db_path
    if not path.exists():
        return
    db = connect(path)
    try:
        report = migrate(db)
    finally:
        db.close()
    if report.applied:
        print(f"{root.name}: schema {report.before} -> {report.after}", flush=True)


def read_through(root: Path) -> float:
    """Read the store's file once, so that the operating system caches it: the figures are
    those of a store in use, not of the first minutes after a reboot. Without it, a build
    followed by other work leaves most of a 5 GB store on disk, and the band index lookups of
    the first rounds measured the disk (dedup 11.2 ms per new article at 1M; 1.7 ms read once).
    Returns the MB read."""
    path = DataHome(root).db_path
    read = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(8 << 20):
            read += len(chunk)
    return read / 2**20


def build(cache_dir: Path, size: int, tagger: Tagger, *, log: bool = True) -> dict[str, Any]:
    """Build (or finish building) the cached store of ``size``; its build record."""
    root = cache_root(cache_dir, size)
    record_path = root / "build.json"
    record: dict[str, Any] = {"size": size, "version": BUILDER_VERSION, "seconds": 0.0}
    up_to_date(root)
    if record_path.exists():
        record = json.loads(record_path.read_text())
        if record.get("complete"):
            return record
    done = 0
    if (root / "tmwatch.sqlite3").exists():
        with Store(DataHome(root), create=False) as store:
            done = store.archive.count()
        if done % CHUNK and done != size:  # not a chunk boundary: not ours, start again
            shutil.rmtree(root)
            done, record["seconds"] = 0, 0.0
    if log:
        verb = f"resuming at {done:,} articles" if done else "building"
        print(f"{verb}: a {size:,}-article store in {root}", flush=True)
    generator = Generator(size, tagger)
    root.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        # The fingerprints are computed by the real ``Fingerprint.of`` in a worker process while
        # this one writes, and words are folded for the index through a memo of the real
        # ``fold``: the store is the same, built in about half the time.
        stack.enter_context(memoised_fold())
        pool = stack.enter_context(get_context("spawn").Pool(1)) if size > CHUNK else None
        store = stack.enter_context(Store(DataHome(root)))
        for index in range(done // CHUNK, (size + CHUNK - 1) // CHUNK):
            start = time.perf_counter()
            copies = joined = 0
            articles = list(generator.chunk(index))
            texts = [article.text for article, _ in articles]
            fps = pool.imap(Fingerprint.of, texts, 250) if pool else map(Fingerprint.of, texts)
            with store.transaction():
                for (article, is_copy), fp in zip(articles, fps, strict=True):
                    cluster = save(store, article, fp)
                    if is_copy:
                        copies += 1
                        joined += cluster != article.id
            record["seconds"] += time.perf_counter() - start
            record["copies"] = record.get("copies", 0) + copies
            record["copies_joined"] = record.get("copies_joined", 0) + joined
            record_path.write_text(json.dumps(record))
            count = min(size, (index + 1) * CHUNK)
            if log and (index % 10 == 9 or count == size):
                rate = count / record["seconds"] if done == 0 else 0
                print(
                    f"  {count:>9,} articles, {record['seconds']:7.0f} s"
                    + (f" ({rate:,.0f}/s)" if rate else "")
                    + f", {store_mb(root):,.0f} MB, peak RSS {rss_mb():.0f} MB",
                    flush=True,
                )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    record["complete"] = True
    record["store_mb"] = round(store_mb(root), 1)
    record["build_peak_rss_mb"] = round(rss_mb(), 1)
    record_path.write_text(json.dumps(record))
    return record


# -- figures ----------------------------------------------------------------------------------


def probes(generator: Generator, store: Store, count: int, seed: int) -> list[str]:
    """Texts of new articles: 80% fresh (Zipf words, as the stored ones), 20% reworded copies
    of a random stored article. The fresh ones depend on ``seed`` only."""
    rng = random.Random(seed)
    zipf = np.random.default_rng([99, seed]).zipf(1.3, count * WORDS) % len(generator.vocab)
    total = store.archive.count()
    texts = []
    for i in range(count):
        row = None
        if i % 5 == 4:
            row = article_at(store, "text", rng.randint(1, total))
        if row is not None:
            texts.append(" ".join(reword(row[0].split(), generator.vocab, rng)))
        else:
            texts.append(" ".join(generator.vocab[zipf[i * WORDS : (i + 1) * WORDS]]))
    return texts


def article_at(store: Store, columns: str, position: int) -> Any:
    """Columns of the article stored ``position``-th (from 1), or None.

    SQLite's ``rowid`` is the storage order. A PostgreSQL copy has no rowid, but the builder's
    ids (``web_id``) sort in storage order, so the primary key finds the same article there
    (``min(id)`` rather than ``ORDER BY id``: the dialect layer adds NULLS FIRST to an ORDER
    BY, which the primary key's index cannot give, and the whole table would be sorted).
    """
    if on_postgres(store):
        return store.db.execute(
            f"SELECT {columns} FROM articles "
            "WHERE id = (SELECT min(id) FROM articles WHERE id >= ?)",
            (web_id(position - 1),),
        ).fetchone()
    return store.db.execute(
        f"SELECT {columns} FROM articles WHERE rowid >= ? ORDER BY rowid LIMIT 1",
        (position,),
    ).fetchone()


def dedup_ms(store: Store, texts: list[str]) -> float:
    """bench/run.py's ``dedup_ms`` (rolled back through a SAVEPOINT); on PostgreSQL inside a
    transaction of its own, since a SAVEPOINT there needs one and its connection autocommits."""
    from bench.run import dedup_ms as rolled_back_dedup_ms

    if not on_postgres(store) or store.db.in_transaction:
        return rolled_back_dedup_ms(store, texts)
    store.db.execute("BEGIN")
    try:
        return rolled_back_dedup_ms(store, texts)
    finally:
        store.db.execute("ROLLBACK")


def dedup_figures(
    small: Store, big: Store, generator: Generator, rounds: int, per_round: int
) -> dict[str, Any]:
    """Interleaved rounds: the same new articles against the small and the big store."""
    costs: dict[str, list[float]] = {"small": [], "big": []}
    ratios = []
    for round_no in range(rounds + 1):  # round 0 warms both up and is not counted
        texts = {
            name: probes(generator, s, per_round, round_no)
            for name, s in (("small", small), ("big", big))
        }
        order = [("small", small), ("big", big)]
        if round_no % 2:
            order.reverse()
        got = {name: dedup_ms(s, texts[name]) for name, s in order}
        if round_no:
            costs["small"].append(got["small"])
            costs["big"].append(got["big"])
            ratios.append(got["big"] / got["small"])
    found: dict[str, Any] = {"ratios": ratios, "small_ms": costs["small"], "big_ms": costs["big"]}
    # Where the time goes: near-duplicate candidates per new article (articles sharing the
    # bands dedup requires, whose signatures are loaded and compared; and, for comparison,
    # those sharing a single band) and the candidate query alone, on the last texts.
    for name, store in (("small", small), ("big", big)):
        counts, query_ms, single = [], [], []
        for text in texts[name]:
            fp = Fingerprint.of(text)
            start = time.perf_counter()
            counts.append(len(store.archive.near_candidates(fp.bands, "probe", MIN_SHARED_BANDS)))
            query_ms.append((time.perf_counter() - start) * 1000)
            single.append(len(store.archive.near_candidates(fp.bands, "probe")))
        found[f"{name}_candidates"] = statistics.mean(counts)
        found[f"{name}_single_band"] = statistics.mean(single)
        found[f"{name}_candidates_max"] = max(counts)
        found[f"{name}_query_ms"] = statistics.median(query_ms)
    return found


def search_figures(store: Store, rounds: int) -> dict[str, Any]:
    from tmwatch.output.search import run_search

    watchlist = ConfigFiles(packaged_only=True).load_watchlist()

    def one(query: str | None, filters: dict[str, str]) -> tuple[float, int]:
        start = time.perf_counter()
        found = run_search(store, query, limit=20, watchlist=watchlist, **filters)
        return (time.perf_counter() - start) * 1000, found.total

    totals = {}
    for query, filters in SEARCHES:  # warm-up, and how many each finds
        totals[(query, json.dumps(filters))] = one(query, filters)[1]
    per_query: dict[tuple[str | None, str], list[float]] = {k: [] for k in totals}
    round_p95 = []
    for _ in range(rounds):
        this_round = []
        for query, filters in SEARCHES:
            elapsed = one(query, filters)[0]
            per_query[(query, json.dumps(filters))].append(elapsed)
            this_round.append(elapsed)
        round_p95.append(percentile(this_round, 0.95))
    everything = [t for times in per_query.values() for t in times]
    return {
        "p50": statistics.median(everything),
        "p95": percentile(everything, 0.95),
        "round_p95": round_p95,
        "per_query": per_query,
        "totals": totals,
        "watchlist": watchlist,
    }


def explain_slowest(
    store: Store, query: str | None, filters: dict[str, str], watchlist: Any
) -> None:
    """Each SQL statement the slowest search runs, its time and its EXPLAIN QUERY PLAN."""
    from tmwatch.output.search import run_search

    if on_postgres(store):
        explain_slowest_postgres(store, query, filters, watchlist)
        return
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    try:
        run_search(store, query, limit=20, watchlist=watchlist, **filters)
    finally:
        store.db.set_trace_callback(None)
    print(f"  statements of the search {query!r} {filters}:")
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        start = time.perf_counter()
        try:
            store.db.execute(sql).fetchall()
            plan = store.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        except Exception as exc:  # a statement that needs its parameters
            print(f"    (not re-run: {exc}) {sql[:160]}")
            continue
        elapsed = (time.perf_counter() - start) * 1000
        print(f"    {elapsed:8.1f} ms  {' '.join(sql.split())[:300]}")
        for row in plan:
            print(f"               {row[3]}")


def explain_slowest_postgres(
    store: Store, query: str | None, filters: dict[str, str], watchlist: Any
) -> None:
    """Each SQL statement the search runs on PostgreSQL with its time (as the search ran it,
    with its parameters), and EXPLAIN (ANALYZE, BUFFERS) of the slowest: PostgreSQL has no
    trace callback, so the connection's one statement entry point is wrapped for one search."""
    from tmwatch.output.search import run_search

    db: Any = store.db
    run = db._raw
    statements: list[tuple[float, str, Any]] = []

    def timed(sql: str, params: Any = None) -> Any:
        start = time.perf_counter()
        cursor = run(sql, params)
        statements.append(((time.perf_counter() - start) * 1000, sql, params))
        return cursor

    db._raw = timed
    try:
        run_search(store, query, limit=20, watchlist=watchlist, **filters)
    finally:
        del db._raw  # the class's method again
    print(f"  statements of the search {query!r} {filters}:")
    selects = [s for s in statements if s[1].lstrip().upper().startswith(("SELECT", "WITH"))]
    for elapsed, sql, _ in selects:
        print(f"    {elapsed:8.1f} ms  {' '.join(sql.split())[:300]}")
    if not selects:
        return
    elapsed, sql, params = max(selects, key=lambda s: s[0])
    print(f"  EXPLAIN (ANALYZE, BUFFERS) of the slowest ({elapsed:.1f} ms), parameters {params}:")
    for row in run(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params).fetchall():
        print(f"               {row[0]}")


def days_at(store: Store, positions: list[int]) -> list[str]:
    """The publication days of the articles stored at ``positions`` (from 1)."""
    if on_postgres(store):
        return [str(article_at(store, "published_day", p)[0]) for p in positions]
    marks = ", ".join("?" for _ in positions)
    return [
        str(r[0])
        for r in store.db.execute(
            f"SELECT published_day FROM articles WHERE rowid IN ({marks})",
            positions,
        )
    ]


def digest_figures(store: Store, repetitions: int) -> dict[str, Any]:
    """``tmwatch digest --date DAY`` (JSON) on the busiest of three days across the range."""
    from tmwatch.output.digest import Selection, build_digest, to_json_text

    days = days_at(store, [max(1, store.archive.count() * k // 4) for k in (1, 2, 3)])
    counts = {
        day: store.db.execute(
            "SELECT count(*) FROM articles WHERE published_day = ?", (day,)
        ).fetchone()[0]
        for day in days
    }
    day = max(counts, key=lambda d: counts[d])
    first = datetime.strptime(day, "%Y-%m-%d").date()
    # A smaller store spreads fewer articles over each day: the days that hold as many as one
    # day of the 1M store holds are timed too (``digest_ms_1m_volume``).
    span = max(1, round(DEFAULT_SIZE / store.archive.count()))
    found: dict[str, Any] = {"date": day}
    for name, selection in (
        ("day", Selection(on=first)),
        ("volume", Selection(since=first, until=first + timedelta(days=span - 1))),
    ):
        if name == "volume" and span == 1:
            break
        timings = []
        for _ in range(repetitions + 1):  # the first warms up and is not counted
            start = time.perf_counter()
            result = build_digest(store, selection)
            to_json_text(result)
            timings.append((time.perf_counter() - start) * 1000)
        found[name] = {"days": span if name == "volume" else 1, "articles": result["count"]}
        found[name]["ms"] = timings[1:]
    return found


def reprocess_figures(captures: int, repeat: int) -> dict[str, Any] | None:
    """bench/parallel_bench.py's measurement, if ``reprocess`` takes ``jobs``; else None."""
    import inspect
    import tempfile

    from tmwatch.pipeline.reprocess import reprocess

    if "jobs" not in inspect.signature(reprocess).parameters:
        print("  reprocess takes no `jobs`: reprocess_speedup_2_jobs is null")
        return None
    from bench.parallel_bench import bench_registry, machine_speedup, timed_reprocess
    from bench.parallel_bench import build_store as crawled_store

    registry = bench_registry()
    tagger = Tagger.from_files()
    times: dict[int, list[float]] = {1: [], 2: []}
    machine: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = DataHome(tmp)
        crawled_store(home, registry, tagger, captures)
        for repetition in range(repeat):
            order = (1, 2) if repetition % 2 == 0 else (2, 1)
            for jobs in order:
                times[jobs].append(timed_reprocess(home, registry, tagger, jobs))
            machine.append(machine_speedup())
    ratios = [one / two for one, two in zip(times[1], times[2], strict=True)]
    return {"ratios": ratios, "one": times[1], "two": times[2], "machine": machine}


def measure(
    small: Store, big: Store, generator: Generator, size: int, rounds: int, figures: dict[str, Any]
) -> None:
    """dedup_growth (``small`` against ``big``), search and digest on the open stores, either
    engine: printed, and added to ``figures`` under the same keys whatever the engine."""
    print(f"dedup: {rounds} interleaved rounds of 50 new articles, 1k store vs {size:,}")
    dedup = dedup_figures(small, big, generator, rounds, 50)
    growth = spread(dedup["ratios"])
    show("ms per new article at 1k", spread(dedup["small_ms"]), " ms")
    show(f"ms per new article at {size:,}", spread(dedup["big_ms"]), " ms")
    show("dedup_growth (per-round ratio)", growth)
    figures["dedup_growth_1m"] = growth["median"]
    figures["dedup_growth_spread"] = growth
    figures["dedup_ms_at_1k"] = round(statistics.median(dedup["small_ms"]), 3)
    figures["dedup_ms_at_n"] = round(statistics.median(dedup["big_ms"]), 3)
    for name, label in (("small", "1k"), ("big", f"{size:,}")):
        print(
            f"  at {label}: {dedup[f'{name}_candidates']:.1f} near-duplicate candidates per"
            f" new article (max {dedup[f'{name}_candidates_max']};"
            f" {dedup[f'{name}_single_band']:.1f} sharing one band); the candidate query"
            f" alone: median {dedup[f'{name}_query_ms']:.2f} ms"
        )
    figures["dedup_candidates_at_1k"] = round(dedup["small_candidates"], 2)
    figures["dedup_candidates_at_n"] = round(dedup["big_candidates"], 2)

    print(f"search: {len(SEARCHES)} queries x {rounds} rounds (after one warm-up round)")
    found = search_figures(big, rounds)
    per_query = {k: percentile(v, 0.95) for k, v in found["per_query"].items()}
    print("  per-query p95 (ms), slowest first; matches:")
    for (query, filters), p95 in sorted(per_query.items(), key=lambda kv: -kv[1]):
        hits = found["totals"][(query, filters)]
        print(f"    {p95:8.1f}  {hits:>7}  {query!r} {filters}")
    rounds_spread = spread(found["round_p95"])
    print(f"  search p50 {found['p50']:.1f} ms, p95 {found['p95']:.1f} ms")
    show("p95 of each round", rounds_spread, " ms")
    figures["search_p50_ms_1m"] = round(found["p50"], 2)
    figures["search_p95_ms_1m"] = round(found["p95"], 2)
    figures["search_p95_round_spread"] = rounds_spread
    slowest = max(per_query, key=lambda k: per_query[k])
    figures["search_slowest"] = {
        "query": slowest[0],
        "filters": json.loads(slowest[1]),
        "p95_ms": round(per_query[slowest], 1),
    }
    if found["p95"] > 100:  # the target missed: where the slowest searches spend it
        for query, filters in sorted(per_query, key=lambda k: -per_query[k])[:3]:
            explain_slowest(big, query, json.loads(filters), found["watchlist"])

    digest = digest_figures(big, max(3, rounds // 2))
    for name, key in (("day", "digest_ms_1m"), ("volume", "digest_ms_1m_volume")):
        if name not in digest:
            continue
        timed = digest[name]
        digest_spread = spread(timed["ms"])
        print(f"digest from {digest['date']}, {timed['days']} day(s), {timed['articles']} articles")
        show("digest ms", digest_spread, " ms")
        figures[key] = digest_spread["median"]
        figures[f"{key}_spread"] = digest_spread
        figures[f"{key}_articles"] = timed["articles"]


# -- the command --------------------------------------------------------------------------------


@dataclass
class Setup:
    """What both engines' runs start from: the sizes, the cached SQLite stores' build record."""

    size: int
    cache_dir: Path
    rounds: int
    quick_size: bool
    tagger: Tagger
    record: dict[str, Any]


def prepare(args: argparse.Namespace) -> Setup:
    """Build or reuse the cached SQLite stores (the small one and ``--size``) and say so."""
    size = int(getattr(args, "size", None) or DEFAULT_SIZE)
    cache_dir = Path(getattr(args, "cache_dir", None) or DEFAULT_CACHE).expanduser()
    quick_size = size < 100_000
    rounds = int(getattr(args, "rounds", None) or (5 if quick_size else 9))
    cache_dir.mkdir(parents=True, exist_ok=True)
    tagger = Tagger.from_files()
    build(cache_dir, min(SMALL_SIZE, size), tagger, log=False)
    record = build(cache_dir, size, tagger)
    warmed = read_through(cache_root(cache_dir, size))
    print(f"read the store once ({warmed:,.0f} MB), as a machine that uses it has it cached")
    used = sum(f.stat().st_size for f in cache_dir.rglob("*") if f.is_file()) / 2**20
    print(f"cache: {cache_dir} ({used:,.0f} MB in all)")
    print(
        f"store: {size:,} articles, {record['store_mb']:,.0f} MB, "
        f"built in {record['seconds']:.0f} s"
        f" ({size / max(record['seconds'], 1e-9):,.0f} articles/s); copies {record['copies']:,},"
        f" joined to their original by the real dedup: {record['copies_joined']:,}"
    )
    return Setup(size, cache_dir, rounds, quick_size, tagger, record)


# -- PostgreSQL --------------------------------------------------------------------------------

COPY_META = "bench_copy"
"""Meta row written into a PostgreSQL bench database after its copy is verified and analysed:
its absence means an interrupted (or never finished) copy, and the database is made again."""


def bench_database_url(url: str, size: int) -> str:
    """The URL of the bench database of ``size`` on the server of ``url``: named after the URL's
    database, the builder version and the size, so a changed builder copies afresh."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "tmwatch"
    return urlunsplit(parts._replace(path=f"/{base}_bench_v{BUILDER_VERSION}_n{size}"))


def database_name(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/")


def admin_execute(url: str, *statements: str) -> None:
    """Statements (CREATE/DROP DATABASE) on the server's own database of ``url``: they cannot
    run in a transaction nor inside the database they name."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as admin:
        for statement in statements:
            admin.execute(statement)


def copied_record(url: str, home: Path) -> dict[str, Any] | None:
    """The meta row of a finished copy in the database of ``url``, or None (no database, an
    empty one, or an interrupted copy)."""
    from tmwatch.store import StoreError

    try:
        with Store(DataHome(home, store=url), create=False) as store:
            value = store.get_meta(COPY_META)
    except StoreError:
        return None
    return json.loads(value) if value else None


def postgres_copy(url: str, size: int, root: Path, home: Path) -> dict[str, Any]:
    """The PostgreSQL copy of the cached SQLite store at ``root``: reused when a finished copy
    is there, else made (CREATE DATABASE, ``copy_store``, ``verify``, VACUUM ANALYZE, meta
    row). Returns the copy's record, ``copied_now`` telling whether this run made it."""
    from tmwatch.store.copy import copy_store, verify
    from tmwatch.store.database import redacted

    target = bench_database_url(url, size)
    name = database_name(target)
    record = copied_record(target, home)
    if record is not None:
        return {**record, "copied_now": False, "url": redacted(target)}
    # No finished copy: whatever is there (an empty database, a half-written one whose
    # transaction was rolled back, or a copy killed before its meta row) is made again.
    admin_execute(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    print(f"copying the {size:,}-article store into {redacted(target)}", flush=True)
    started = time.perf_counter()

    def progress(table: str, done: int, total: int) -> None:
        if done == total and total >= 10_000:
            print(f"  {table}: {total:,} rows, {time.perf_counter() - started:.0f} s", flush=True)

    with Store(DataHome(root), create=False) as source, Store(DataHome(home, store=target)) as pg:
        report = copy_store(source, pg, progress=progress)
        verify_started = time.perf_counter()
        checked = verify(source, pg)
        verify_s = time.perf_counter() - verify_started
        if not checked.ok:
            raise RuntimeError(f"the copy of {root} differs: {checked.problem}")
        # Statistics for the planner, and the visibility map a settled store has (autovacuum
        # would make both some time after a real copy; here they are made before measuring).
        vacuum_started = time.perf_counter()
        pg.db.execute("VACUUM (ANALYZE)")
        record = {
            "size": size,
            "builder_version": BUILDER_VERSION,
            "copy_s": round(report.seconds, 1),
            "verify_s": round(verify_s, 1),
            "vacuum_analyze_s": round(time.perf_counter() - vacuum_started, 1),
            "rows": sum(report.rows.values()),
            "checksum": checked.checksum,
            "copied_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        pg.set_meta(COPY_META, json.dumps(record))
    print(
        f"  copied {record['rows']:,} rows in {record['copy_s']} s, verified, "
        f"VACUUM ANALYZE {record['vacuum_analyze_s']} s",
        flush=True,
    )
    return {**record, "copied_now": True, "url": redacted(target)}


def postgres_mb(store: Store) -> float:
    """``pg_database_size`` of the store's database, in MB (tables, indexes, TOAST)."""
    row = store.db.execute("SELECT pg_database_size(current_database())").fetchone()
    return float(row[0]) / 2**20


def main_postgres(args: argparse.Namespace) -> dict[str, Any]:
    """The figures on PostgreSQL copies of the cached stores, and ``ingest_speedup_2_crawlers``.

    The SQLite stores are built (or reused) as without ``--store``; each is copied once into
    a database of its own on the server of ``args.store`` (see ``postgres_copy``).
    """
    import tempfile

    from bench import crawlers_bench
    from tmwatch.store.database import redacted

    started = time.perf_counter()
    url = str(args.store)
    setup = prepare(args)
    size = setup.size
    small_size = min(SMALL_SIZE, size)
    with tempfile.TemporaryDirectory(prefix="tmwatch-bench-pg-") as tmp:
        home = Path(tmp)
        small_copy = postgres_copy(
            url, small_size, cache_root(setup.cache_dir, small_size), home / "small"
        )
        big_copy = postgres_copy(url, size, cache_root(setup.cache_dir, size), home / "big")
        figures: dict[str, Any] = {
            "engine": "postgresql",
            "store_size": size,
            "builder_version": BUILDER_VERSION,
            "store_mb_sqlite": setup.record["store_mb"],
            "copy_s": big_copy["copy_s"],
            "copied_now": big_copy["copied_now"],
            "copy_small_s": small_copy["copy_s"],
        }
        print(
            f"postgresql: {big_copy['url']} "
            f"({'copied now' if big_copy['copied_now'] else 'reused'};"
            f" the copy took {big_copy['copy_s']} s)"
        )
        generator = Generator(size, setup.tagger)
        with (
            Store(DataHome(home / "small", store=bench_database_url(url, small_size))) as small,
            Store(DataHome(home / "big", store=bench_database_url(url, size))) as big,
        ):
            figures["store_mb"] = round(postgres_mb(big), 1)
            print(
                f"store: {figures['store_mb']:,.0f} MB in PostgreSQL "
                f"(pg_database_size), {figures['store_mb_sqlite']:,.0f} MB as SQLite"
            )
            measure(small, big, generator, size, setup.rounds, figures)
    repetitions = int(getattr(args, "crawl_repetitions", None) or 3)
    print(f"crawlers: one crawl of every sample outlet vs two (each half), x{repetitions}")
    crawled = crawlers_bench.measure(url, repetitions)
    figures.update(crawlers_bench.figures_of(crawled))
    figures["peak_rss_mb"] = round(rss_mb(), 1)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB; {figures['seconds']:.0f} s in all")
    print(f"server: {redacted(url)}")
    print(json.dumps(figures, sort_keys=True, ensure_ascii=False))
    return figures


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Build or reuse the stores, measure, print the figures; the last line is one JSON object.

    With ``args.store`` (a ``postgresql://`` URL) the same figures on PostgreSQL copies of the
    cached stores instead (``main_postgres``).
    """
    if getattr(args, "store", None):
        return main_postgres(args)
    started = time.perf_counter()
    setup = prepare(args)
    size, cache_dir, rounds, tagger, record = (
        setup.size,
        setup.cache_dir,
        setup.rounds,
        setup.tagger,
        setup.record,
    )
    quick_size = setup.quick_size
    figures: dict[str, Any] = {
        "store_size": size,
        "builder_version": BUILDER_VERSION,
        "build_s": round(record["seconds"], 1),
        "store_mb": record["store_mb"],
        "build_peak_rss_mb": record.get("build_peak_rss_mb"),
    }
    generator = Generator(size, tagger)
    small_root = cache_root(cache_dir, min(SMALL_SIZE, size))
    with Store(DataHome(small_root)) as small, Store(DataHome(cache_root(cache_dir, size))) as big:
        measure(small, big, generator, size, rounds, figures)
    print("reprocess: jobs=1 vs jobs=2, interleaved")
    captures = int(getattr(args, "reprocess_captures", None) or (40 if quick_size else 300))
    # Five repetitions of bench/parallel_bench.py's default 300 captures: with three of 150 one
    # repetition that a neighbour on the host slowed read 1.05 against 1.59-1.86 for the others.
    reprocessed = reprocess_figures(captures, 3 if quick_size else 5)
    if reprocessed is None:
        figures["reprocess_speedup_2_jobs"] = None
    else:
        speed = spread(reprocessed["ratios"])
        show(f"speed-up with 2 jobs ({captures} captures)", speed, "x")
        figures["reprocess_speedup_2_jobs"] = speed["median"]
        figures["reprocess_speedup_spread"] = speed
        ceiling = spread(reprocessed["machine"])
        show("the machine's own, two processes of pure CPU work", ceiling, "x")
        figures["machine_speedup_2_processes"] = ceiling["median"]
    figures["peak_rss_mb"] = round(rss_mb(), 1)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB; {figures['seconds']:.0f} s in all")
    print(json.dumps(figures, sort_keys=True, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--store", help="postgresql://USER@HOST/DB: the figures on PostgreSQL")
    main(parser.parse_args())
