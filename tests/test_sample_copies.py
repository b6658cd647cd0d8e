"""The sample server's optional copies of the site (``SampleServer(copies=N)``), which the
crawler benchmark uses for a crawl of realistic length, and the benchmark's registry of them.

The default site must stay exactly what the tests and ``tmwatch demo`` know."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import crawlers_bench  # noqa: E402
from tmwatch.config.registry import parse_registry  # noqa: E402
from tmwatch.samples.render import build_site  # noqa: E402
from tmwatch.samples.server import SampleServer, mirror_prefixes  # noqa: E402
from tmwatch.spiders.feeds import parse_feed  # noqa: E402


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type", "")


def test_the_default_server_serves_the_site_alone() -> None:
    server = SampleServer()
    try:
        assert server.copies == 1 and server.mirror_bases() == [server.base]
        site = build_site(server.base)
        assert server.httpd.site.keys() == site.keys()
        assert all(server.httpd.site[p].body == site[p].body for p in site)
    finally:
        server.httpd.server_close()


def test_copies_are_the_site_under_a_prefix_each_robots_at_the_root() -> None:
    assert mirror_prefixes(1) == [] and mirror_prefixes(3) == ["/m2", "/m3"]
    server = SampleServer(copies=3)
    try:
        site = server.httpd.site
        original = build_site(server.base)
        assert server.mirror_bases() == [server.base, f"{server.base}/m2", f"{server.base}/m3"]
        assert len(site) == 3 * len(original) - 2  # one robots.txt
        assert "/m2/robots.txt" not in site and "/robots.txt" in site
        copy = build_site(f"{server.base}/m3")
        assert all(site[f"/m3{p}"].body == copy[p].body for p in copy if p != "/robots.txt")
    finally:
        server.httpd.server_close()


def test_copies_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SampleServer(copies=0)


def test_a_copys_feed_links_the_copys_articles_which_its_registry_entry_matches() -> None:
    with SampleServer(copies=2) as server:
        second = server.mirror_bases()[1]
        entries = {
            "bianet": ("bianet", server.base),
            crawlers_bench.copy_key("bianet", 2): ("bianet", second),
        }
        registry = parse_registry(crawlers_bench.registry_text(entries))
        assert set(registry.sources) == {"bianet", "bianet-m2"}
        original, copy = registry.sources["bianet"], registry.sources["bianet-m2"]
        body, kind = fetch(copy.feeds[0])
        links = [e.link for e in parse_feed(body, copy.feeds[0], kind).entries]
        assert links and all(link.startswith(f"{second}/bianet/") for link in links)
        assert all(copy.is_article(link) and not original.is_article(link) for link in links)
        page, _ = fetch(links[0])
        assert b"<h1" in page


def test_the_benchmark_registry_has_an_entry_per_source_and_copy() -> None:
    sources = crawlers_bench.sample_sources()
    entries = {
        crawlers_bench.copy_key(s, k): (s, f"http://127.0.0.1:1001{prefix}")
        for k, prefix in ((1, ""), (2, "/m2"))
        for s in sources
    }
    registry = parse_registry(crawlers_bench.registry_text(entries))
    assert set(registry.sources) == set(entries)
    for key, (_source, base) in entries.items():
        assert registry.sources[key].homepage.startswith(base + "/"), key
