"""tmwatch benchmark: figures for speed, scale and memory. Prints figures; asserts nothing.

    python bench/run.py --quick      # under 5 minutes on 2 cores
    python bench/run.py              # more pages and queries
    python bench/run.py --scale      # a cached 1M-article store instead: see bench/scale.py
    python bench/run.py --scale --store postgresql://USER@HOST/DB   # the same on PostgreSQL

1. Per-stage ms/article on the sample articles wrapped in realistic boilerplate (menus, sidebars,
   inline scripts and JSON, comments) to 50-300 KB; ``pipeline_over_extract`` is the whole
   per-article pipeline (extraction, language, tagging, dedup, storing: ``pipeline.ingest``) over
   trafilatura's own extraction of the same pages with the options tmwatch uses.
2. A 100k-article store (synthetic Zipf-distributed text in the corpus's four languages, with the
   watched names sprinkled in): ``dedup_growth`` is the dedup cost per new article with 100k
   stored over that with 1k stored; ``search_p95_ms`` is the p95 of a mix of searches.
3. ``crawl_pages_per_s``: real Scrapy against the local sample server, throttling off.
4. ``peak_rss_mb``: peak resident memory of this process.
The last line is one JSON object with these figures.
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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura
from htmldate import find_date

from tmwatch.config.registry import load_registry
from tmwatch.output.search import Filters, search
from tmwatch.pipeline.dedup import NUM_PERM, Fingerprint, band_keys, to_blob
from tmwatch.pipeline.extract import extract
from tmwatch.pipeline.ingest import assign_cluster, ingest
from tmwatch.pipeline.language import detect_language
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Article, Capture
from tmwatch.samples.render import ALL_ARTICLES, article_page
from tmwatch.store import Store
from tmwatch.store.home import DataHome

BASE = "http://127.0.0.1:9"
SIZES_KB = (50, 100, 200, 300)
from tmwatch.samples import SAMPLE_REGISTRY  # noqa: E402


def padded_page(index: int, size_kb: int) -> str:
    """A sample article inside boilerplate until the page reaches ``size_kb``."""
    article = ALL_ARTICLES[index % len(ALL_ARTICLES)]
    others = ALL_ARTICLES[index + 1 :] + ALL_ARTICLES[:index]
    page = article_page(article, BASE, others)
    blocks = []
    n = 0
    while len(page) + sum(map(len, blocks)) < size_kb * 1024:
        n += 1
        links = "".join(
            f'<li><a href="{BASE}/x/{n}/{i}">Headline number {i} in block {n}</a></li>'
            for i in range(20)
        )
        state = json.dumps({"k": list(range(60))})
        blocks.append(
            f'<div class="sidebar-block"><h4>Popular {n}</h4><ul>{links}</ul></div>'
            f"<script>window.__STATE_{n} = {state};</script>"
            '<div class="comment"><p>Comment text that readers left below the article, '
            "with some words about the topic of the day.</p></div>"
        )
    return page.replace("</body>", "".join(blocks) + "</body>")


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _capture(url: str, body: bytes) -> Capture:
    return Capture(
        source="bianet",
        url=url,
        final_url=url,
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8"},
        body=body,
        fetched_at="2026-11-28T00:00:00+00:00",
    )


WARM_DATE_PAGE = "<html><body><p>Опубликовано 22 октября 2021 года</p></body></html>"
"""A page whose only date is written in words: htmldate reaches dateparser for it."""


def stage_figures(per_size: int) -> dict[str, float]:
    registry = load_registry(SAMPLE_REGISTRY, base=BASE)
    source = registry.sources["bianet"]  # any single-language source: its min_words and scope
    source = type(source)(
        **{**source.__dict__, "languages": ("ru", "tk", "tr", "en"), "require_terms": ()}
    )
    tagger = Tagger.from_files()
    detect_language("warm-up: load the language model once, as a crawl does")
    pages = [
        (size, padded_page(i + size, size).encode()) for size in SIZES_KB for i in range(per_size)
    ]
    stages: dict[str, list[float]] = {"extract": [], "language": [], "tag": [], "dedup": []}
    trafilatura_ms, pipeline_ms = [], []
    by_size: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(DataHome(tmp)) as store:
        # Both sides warmed on one untimed page, as a crawl is after its first page: the
        # tagger's and the event lexicons' expressions compile on first use. And htmldate's
        # date parser, which both sides call on a page without a structured date: its first
        # call loads dateparser's data for every locale (0.4 s on a quiet machine, once per
        # process: a crawl pays it on one page of thousands, these 32 pages would share it).
        find_date(WARM_DATE_PAGE, extensive_search=True, original_date=True)
        warm = padded_page(len(pages), SIZES_KB[0]).encode()
        trafilatura.bare_extraction(warm.decode(), url=f"{BASE}/bench/warm", favor_precision=True)
        ingest(store, _capture(f"{BASE}/bench/warm", warm), source, tagger)
        for n, (size, body) in enumerate(pages):
            url = f"{BASE}/bench/{size}/{n}"
            start = time.perf_counter()
            # trafilatura with the options tmwatch gives it: the cost tmwatch cannot avoid.
            trafilatura.bare_extraction(
                body.decode(),
                url=url,
                include_comments=False,
                include_tables=False,
                favor_precision=True,
                deduplicate=False,
            )
            trafilatura_ms.append(ms(start))
            capture = _capture(url, body)
            start = time.perf_counter()
            outcome = ingest(store, capture, source, tagger)
            pipeline_ms.append(ms(start))
            assert outcome.state in ("new", "updated"), outcome
            # Stage by stage, for the per-stage figures.
            start = time.perf_counter()
            extracted = extract(body, url)
            stages["extract"].append(ms(start))
            by_size.setdefault(size, []).append(stages["extract"][-1])
            start = time.perf_counter()
            guess = detect_language(extracted.text, extracted.title)
            stages["language"].append(ms(start))
            start = time.perf_counter()
            tagger.tag(extracted.text, extracted.title, guess.language)
            stages["tag"].append(ms(start))
            start = time.perf_counter()
            fp = Fingerprint.of(extracted.text)
            assign_cluster(store, outcome.article.id if outcome.article else "x", fp)
            stages["dedup"].append(ms(start))
    for size, values in by_size.items():
        print(f"  extraction at {size:>3} KB: median {statistics.median(values):6.1f} ms/article")
    figures = {f"{k}_ms_per_article": round(statistics.mean(v), 2) for k, v in stages.items()}
    figures["trafilatura_ms_per_article"] = round(statistics.mean(trafilatura_ms), 2)
    figures["pipeline_ms_per_article"] = round(statistics.mean(pipeline_ms), 2)
    figures["pipeline_over_extract"] = round(sum(pipeline_ms) / sum(trafilatura_ms), 3)
    return figures


def _vocabulary() -> list[str]:
    """Lower-case words of the corpus, most frequent first. Capitalised words (names, places)
    are left out: in a real archive a watched name is in a small share of the articles, so
    names enter the synthetic store only with the whole corpus sentences sprinkled in."""
    words: dict[str, int] = {}
    for article in ALL_ARTICLES:
        for word in " ".join(article.paras).split():
            word = word.strip('.,:;«»"()')
            if word and word[0].islower():
                words[word] = words.get(word, 0) + 1
    return [w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])]


def build_store(
    store: Store, total: int, dedup_at: tuple[int, ...], probes: int, rng: random.Random
) -> dict[int, float]:
    """Fill ``store`` with ``total`` synthetic articles; time dedup of new articles at sizes."""
    vocab = _vocabulary()
    zipf = np.random.default_rng(7).zipf(1.3, size=total * 160) % len(vocab)
    sentences = [p for a in ALL_ARTICLES for p in a.paras]
    np_rng = np.random.default_rng(11)
    languages = ["ru", "tk", "tr", "en"]
    dedup_cost: dict[int, float] = {}
    position = 0
    with store.transaction():
        for n in range(total):
            if n in dedup_at:
                dedup_cost[n] = _time_dedup(store, sentences, rng, probes)
            words = [vocab[i] for i in zipf[position : position + 160]]
            position += 160
            if n % 50 == 0:  # a watched-person story now and then, as in a real archive
                words[40:40] = rng.choice(sentences).split()
            text = " ".join(words)
            article = Article(
                id=f"s{n:09d}",
                article_key=f"synthetic:{n}",
                source="bench",
                outlet="Bench",
                url=f"https://bench.invalid/{n}",
                canonical_url=f"https://bench.invalid/{n}",
                language=languages[n % 4],
                title=" ".join(words[:8]),
                text=text,
                published=f"20{15 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                first_seen="2026-01-01T00:00:00+00:00",
                fetched_at="2026-01-01T00:00:00+00:00",
                tags=["detention"] if n % 7 == 0 else [],
            )
            store.archive.save_article(article)
            # Random signatures: an archive of distinct stories has no near-duplicate candidates.
            signature = np_rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32)
            store.archive.save_fingerprint(
                article.id, f"h{n}", to_blob(signature), band_keys(signature)
            )
            store.archive.set_cluster(article.id, article.id)
        if total in dedup_at:
            dedup_cost[total] = _time_dedup(store, sentences, rng, probes)
    return dedup_cost


def _time_dedup(store: Store, sentences: list[str], rng: random.Random, probes: int) -> float:
    """Mean ms to fingerprint, index and cluster one new article of four corpus sentences."""
    return dedup_ms(store, [" ".join(rng.sample(sentences, 4)) for _ in range(probes)])


def dedup_ms(store: Store, texts: list[str]) -> float:
    """Mean ms to fingerprint, index and cluster one new article (rolled back afterwards)."""
    timings = []
    store.db.execute("SAVEPOINT probe")
    try:
        for i, text in enumerate(texts):
            article_id = f"probe{i}"
            store.db.execute(
                "INSERT INTO articles(id, article_key, source, outlet, url, canonical_url, "
                "title, first_seen, fetched_at, text, html_sha256) VALUES (?, ?, 'b', 'B', ?, "
                "?, 't', '2026', '2026', ?, '')",
                (article_id, article_id, article_id, article_id, text),
            )
            start = time.perf_counter()
            fp = Fingerprint.of(text)
            store.archive.save_fingerprint(
                article_id, fp.text_hash, to_blob(fp.signature), fp.bands
            )
            store.archive.set_cluster(article_id, assign_cluster(store, article_id, fp))
            timings.append(ms(start))
    finally:
        store.db.execute("ROLLBACK TO probe")
        store.db.execute("RELEASE probe")
    return statistics.mean(timings)


QUERIES = [
    ("Tuzla", {}),
    ("Rakhmanov", {}),
    ("Таганова", {}),
    ("Rahmanow", {}),
    ("Allalyev", {}),
    ('"deportation centre"', {}),
    ('"депортационный центр"', {}),
    ("migrant AND Turkey", {}),
    ("консульство OR konsullyk", {}),
    ("Abulov NOT Tuzla", {}),
    ("passport", {"language": "en"}),
    ("Stambul", {"language": "tk"}),
    ("aktivist", {"tag": "detention"}),
    ("Istanbul", {"since": "2020-01-01", "until": "2022-12-31"}),
    (None, {"tag": "detention"}),
    (None, {"language": "ru", "since": "2021-01-01"}),
]


def search_figures(store: Store, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        for query, filters in QUERIES:
            start = time.perf_counter()
            search(store, query, Filters(limit=20, **filters))
            timings.append(ms(start))
    timings.sort()
    return timings[int(len(timings) * 0.95) - 1]


def crawl_figure() -> float:
    from tmwatch.config.user import ConfigFiles
    from tmwatch.samples.server import SampleServer
    from tmwatch.spiders.crawl import CrawlPlan, run_crawl

    with tempfile.TemporaryDirectory() as tmp, SampleServer(slow_delay=0.2) as server:
        files = ConfigFiles(packaged_only=True, registry=SAMPLE_REGISTRY, registry_base=server.base)
        registry = files.load_registry()
        plan = CrawlPlan(
            home=DataHome(tmp).create(),
            files=files,
            registry=registry,
            tagger=Tagger(files.load_watchlist(), files.load_topics()),
            sources=tuple(registry.sources.values()),
            overrides={
                "AUTOTHROTTLE_ENABLED": False,
                "DOWNLOAD_DELAY": 0,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                "LOG_LEVEL": "ERROR",
            },
            command="bench",
        )
        report = run_crawl(plan)
        stats = report.stats
        seconds = (stats["finish_time"] - stats["start_time"]).total_seconds()
        return round(stats.get("response_received_count", 0) / seconds, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages and queries")
    parser.add_argument("--articles", type=int, default=100_000, help="store size for scale")
    parser.add_argument(
        "--scale", action="store_true", help="the 1M-article figures instead (bench/scale.py)"
    )
    parser.add_argument("--size", type=int, help="--scale: articles in the store (1,000,000)")
    parser.add_argument(
        "--cache-dir", type=Path, help="--scale: where stores are kept (~/.cache/tmwatch-bench)"
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help="--scale: the figures on PostgreSQL copies of the stores (postgresql://USER@HOST/DB;"
        " the user needs CREATEDB)",
    )
    args = parser.parse_args()
    if args.store and not args.scale:
        parser.error("--store goes with --scale")
    if args.scale:
        from bench import scale

        scale.main(args)
        return
    started = time.perf_counter()
    rng = random.Random(5)
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}, "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )
    figures = stage_figures(8 if args.quick else 30)
    for key, value in figures.items():
        print(f"{key:>30}: {value}")
    with tempfile.TemporaryDirectory() as tmp:
        home = DataHome(tmp)
        with Store(home) as store:
            start = time.perf_counter()
            low = min(1000, args.articles)
            costs = build_store(store, args.articles, (low, args.articles), 50, rng)
            print(f"built a {args.articles}-article store in {time.perf_counter() - start:.0f} s")
            figures["dedup_ms_at_1k"] = round(costs[low], 3)
            figures["dedup_ms_at_100k"] = round(costs[args.articles], 3)
            figures["dedup_growth"] = round(costs[args.articles] / costs[low], 3)
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            figures["store_size"] = args.articles
            size = sum(p.stat().st_size for p in Path(tmp).glob("tmwatch.sqlite3*"))
            figures["store_mb"] = round(size / 2**20, 1)
            figures["search_p95_ms"] = round(search_figures(store, 3 if args.quick else 10), 2)
    for key in (
        "dedup_ms_at_1k",
        "dedup_ms_at_100k",
        "dedup_growth",
        "store_size",
        "store_mb",
        "search_p95_ms",
    ):
        print(f"{key:>30}: {figures[key]}")
    figures["crawl_pages_per_s"] = crawl_figure()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    for key in ("crawl_pages_per_s", "peak_rss_mb", "seconds"):
        print(f"{key:>30}: {figures[key]}")
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
