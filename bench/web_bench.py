"""Speed of `tmwatch serve`: search page and article page, p50/p95 on the benchmark store.

    python bench/web_bench.py                          # builds the 100,000-article store
    python bench/web_bench.py --store ~/bench-home     # builds it there once, reuses it after
    python bench/web_bench.py --articles 10000         # a smaller, quicker store

The store is bench/run.py's (``build_store``: Zipf-distributed words of the corpus in ru, tk,
tr, en, with whole corpus sentences naming watched people in every 50th article). Those
watched-person stories are also tagged here by the real tagger, as ingest would tag them, so
that their pages carry evidence marks, persons and places, and the person filter has people to
find. Requests go through the whole application in process (Starlette's TestClient: routing,
middleware, the read-only store, templates), not over a socket, so network time is not counted.

Each search query runs once to warm the caches, then ``--rounds`` times; the article page is
measured over ``--article-samples`` ids, half of them watched-person stories. Targets: search
page p95 <= 150 ms, article page p95 <= 50 ms. Prints figures; asserts nothing. The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.testclient import TestClient

from bench.run import build_store
from tmwatch.config.user import ConfigFiles
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Article
from tmwatch.store import DataHome, Store
from tmwatch.web.app import create_app
from tmwatch.web.common import WebConfig

SEARCH_TARGET_MS = 150.0
ARTICLE_TARGET_MS = 50.0

# What researchers type: names in Latin, Cyrillic and Turkmen spellings, phrases, the query
# language, and the form's filters and facet links (tag, person, language, outlet, a month).
SEARCHES: list[dict[str, str]] = [
    {"q": "Taganova"},
    {"q": "Таганова"},
    {"q": "Taganowa"},
    {"q": "Rakhmanov"},
    {"q": "Rahmanow"},
    {"q": "Allalyev"},
    {"q": '"Dursoltan Taganova"'},
    {"q": '"deportation centre"'},
    {"q": '"депортационный центр"'},
    {"q": "migrant AND Turkey"},
    {"q": "консульство OR konsullyk"},
    {"q": "Abulov NOT Tuzla"},
    {"q": "Tuzla"},
    {"tag": "detention", "page": "3"},
    {"q": "Taganova", "language": "ru"},
    {"q": "passport", "language": "en"},
    {"q": "Stambul", "language": "tk"},
    {"q": "aktivist", "tag": "detention"},
    {"q": "Istanbul", "since": "2020-01-01", "until": "2022-12-31"},
    {"q": "Istanbul", "since": "2021-10-01", "until": "2021-10-31"},
    {"q": "deport", "outlet": "Bench"},
    {"person": "Dursoltan Taganova"},
    {"person": "Taganova", "language": "tk"},
    {"tag": "detention"},
    {"language": "ru", "since": "2021-01-01"},
    {},
]


BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def web_id(synthetic: str) -> str:
    """A stored-article id of the form real ones have (ten of a-z, 2-7), for ``s000000123``."""
    number, out = int(synthetic[1:]), ""
    for _ in range(9):
        number, digit = divmod(number, 32)
        out = BASE32[digit] + out
    return "b" + out


def build(home: DataHome, total: int, tagger: Tagger) -> float:
    """bench/run.py's store, with ids the web accepts and its watched-person stories tagged;
    seconds taken."""
    start = time.perf_counter()
    with Store(home) as store:
        save = store.archive.save_article

        def save_tagged(article: Article) -> bool:
            # build_store passes this same record on to the fingerprint and the cluster.
            number = int(article.id[1:])
            article.id = web_id(article.id)
            if number % 50 == 0:  # build_store put corpus sentences (names, places) in it
                tagged = tagger.tag(article.text, article.title, article.language)
                article.tags = sorted(set(article.tags) | set(tagged.tags))
                article.persons, article.places = tagged.persons, tagged.places
                article.evidence = tagged.evidence
            return save(article)

        store.archive.save_article = save_tagged  # type: ignore[method-assign]
        build_store(store, total, (), 0, random.Random(5))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def summary(timings: list[float], target: float) -> dict[str, Any]:
    return {
        "n": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "target_p95_ms": target,
        "met": percentile(timings, 0.95) <= target,
    }


def timed(client: TestClient, url: str, params: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: HTTP {response.status_code}: {response.text[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="data home to build once and reuse")
    parser.add_argument("--articles", type=int, default=100_000, help="store size to build")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each search")
    parser.add_argument("--article-samples", type=int, default=400, help="article pages timed")
    args = parser.parse_args()
    started = time.perf_counter()
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )
    files = ConfigFiles(packaged_only=True)
    watchlist, topics = files.load_watchlist(), files.load_topics()
    figures: dict[str, Any] = {}
    with ExitStack() as stack:
        root = args.store or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        home = DataHome(root)
        if (root / "tmwatch.sqlite3").exists():
            print(f"reusing the store in {root}")
        else:
            seconds = build(home, args.articles, Tagger(watchlist, topics))
            figures["build_s"] = round(seconds, 1)
            print(f"built a {args.articles:,}-article store in {seconds:.0f} s")
        with Store(home, create=False, readonly=True) as store:
            count = store.db.execute("SELECT count(*) FROM articles").fetchone()[0]
            stories = [
                row[0] for row in store.db.execute("SELECT id FROM articles WHERE persons != '[]'")
            ]
            others = [
                row[0]
                for row in store.db.execute(
                    "SELECT id FROM articles WHERE rowid % 97 = 3 AND persons = '[]'"
                )
            ]
        size = sum(p.stat().st_size for p in root.glob("tmwatch.sqlite3*"))
        figures |= {"store_size": count, "store_mb": round(size / 2**20, 1)}
        print(f"store: {count:,} articles ({len(stories):,} tagged stories), {size / 2**20:.0f} MB")

        config = WebConfig(home=home, watchlist=watchlist, topics=topics, registry=None)
        client = stack.enter_context(TestClient(create_app(config)))

        per_query: dict[str, list[float]] = {}
        for params in SEARCHES:  # warm-up: connections, page cache, the form's choice lists
            timed(client, "/search", params)
        for _ in range(args.rounds):
            for params in SEARCHES:
                key = json.dumps(params, ensure_ascii=False)
                per_query.setdefault(key, []).append(timed(client, "/search", params))
        search_ms = [t for times in per_query.values() for t in times]

        rng = random.Random(11)
        half = args.article_samples // 2
        sample = rng.sample(stories, min(half, len(stories)))
        sample += rng.sample(others, min(args.article_samples - len(sample), len(others)))
        rng.shuffle(sample)
        for article_id in sample[:20]:
            timed(client, f"/article/{article_id}")
        story_ms, other_ms = [], []
        for article_id in sample:
            elapsed = timed(client, f"/article/{article_id}")
            (story_ms if article_id in set(stories) else other_ms).append(elapsed)

    figures["search_page"] = summary(search_ms, SEARCH_TARGET_MS)
    figures["article_page"] = summary(story_ms + other_ms, ARTICLE_TARGET_MS)
    figures["article_page_stories"] = summary(story_ms, ARTICLE_TARGET_MS)
    print("\nslowest searches (p95 ms over the rounds):")
    slowest = sorted(per_query.items(), key=lambda kv: -percentile(kv[1], 0.95))
    for key, times in slowest[:6]:
        print(f"  {percentile(times, 0.95):7.1f}  {key}")
    print()
    for name in ("search_page", "article_page", "article_page_stories"):
        f = figures[name]
        verdict = "met" if f["met"] else "MISSED"
        print(
            f"{name:>22}: p50 {f['p50_ms']:6.1f} ms  p95 {f['p95_ms']:6.1f} ms  "
            f"max {f['max_ms']:6.1f} ms  (n={f['n']}; target p95 <= {f['target_p95_ms']:.0f} ms:"
            f" {verdict})"
        )
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
