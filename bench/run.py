"""tmwatch benchmark: per-stage cost on pages of realistic size. Prints figures, asserts nothing.

    python bench/run.py [--quick]

Pages are the sample articles wrapped in the boilerplate real news pages carry (menus, sidebars of
links, inline scripts and JSON, footers, comment threads) to 50-300 KB. Stages: extraction
(trafilatura + metadata), language, dedup (fingerprint + cluster lookup in a real SQLite store),
tagging (watchlist and topic lexicons).
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from output.home import DataHome
from output.store import Store
from pipeline.dedup import Fingerprint, to_blob
from pipeline.extract import extract
from pipeline.ingest import assign_cluster
from pipeline.language import detect_language
from pipeline.tagging import Tagger
from tmwatch.record import Article
from tmwatch.samples.render import ALL_ARTICLES, article_page

BASE = "http://127.0.0.1:9"
SIZES_KB = (50, 100, 200, 300)


def padded_page(index: int, size_kb: int) -> str:
    """A sample article inside boilerplate until the page reaches ``size_kb``."""
    article = ALL_ARTICLES[index % len(ALL_ARTICLES)]
    others = ALL_ARTICLES[index + 1 :] + ALL_ARTICLES[:index]
    page = article_page(article, BASE, others)
    blocks = []
    n = 0
    while len(page) + sum(map(len, blocks)) < size_kb * 1024:
        n += 1
        blocks.append(
            f'<div class="sidebar-block"><h4>Popular {n}</h4><ul>'
            + "".join(
                f'<li><a href="{BASE}/x/{n}/{i}">Headline number {i} in block {n}</a></li>'
                for i in range(20)
            )
            + f"</ul></div><script>window.__STATE_{n} = {json.dumps({'k': list(range(60))})};"
            + "</script>"
            + '<div class="comment"><p>Comment text that readers left below the article, '
            "with some words about the topic of the day.</p></div>"
        )
    return page.replace("</body>", "".join(blocks) + "</body>")


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages (about a minute)")
    args = parser.parse_args()
    per_size = 10 if args.quick else 40
    stage_ms: dict[str, list[float]] = {"extract": [], "language": [], "dedup": [], "tag": []}
    tagger = Tagger.from_files()
    detect_language("warm-up: load the language model once, as a crawl does")
    by_size: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(DataHome(tmp)) as store:
        for size in SIZES_KB:
            for i in range(per_size):
                html = padded_page(i + size, size).encode("utf-8")
                url = f"{BASE}/bench/{size}/{i}"
                extracted, ms_extract = timed(extract, html, url)
                guess, ms_lang = timed(detect_language, extracted.text, extracted.title)
                article = Article(
                    id=f"b{size}x{i}",
                    article_key=url,
                    source="bench",
                    outlet="Bench",
                    url=url,
                    canonical_url=url,
                    language=guess.language,
                    title=extracted.title,
                    text=extracted.text,
                    first_seen="2026-01-01T00:00:00+00:00",
                    fetched_at="2026-01-01T00:00:00+00:00",
                )
                store.save_article(article)

                def dedup(article: Article = article) -> str:
                    fp = Fingerprint.of(article.text)
                    store.save_fingerprint(
                        article.id, fp.text_hash, to_blob(fp.signature), fp.bands
                    )
                    return assign_cluster(store, article.id, fp)

                _, ms_dedup = timed(dedup)
                _, ms_tag = timed(tagger.tag, extracted.text, extracted.title, guess.language)
                stage_ms["tag"].append(ms_tag)
                stage_ms["extract"].append(ms_extract)
                stage_ms["language"].append(ms_lang)
                stage_ms["dedup"].append(ms_dedup)
                by_size.setdefault(size, []).append(ms_extract)
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}"
    )
    print(f"{sum(len(v) for v in by_size.values())} pages of {', '.join(map(str, SIZES_KB))} KB")
    for size, values in by_size.items():
        print(f"  extraction at {size:>3} KB: median {statistics.median(values):7.1f} ms/article")
    figures = {f"{k}_ms_per_article": round(statistics.mean(v), 2) for k, v in stage_ms.items()}
    for key, value in figures.items():
        print(f"{key:>28}: {value}")
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
