"""`tmwatch demo` as a newcomer runs it: twice, the second run adding nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import invoke, run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two demo runs on one fresh home, and what the first left behind (the second rewrites
    the digest and changes what health says)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    home = tmp_path / "demo-home"
    # A user's own lists never reach the demo: this overlay would stop tagging Taganova.
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "watchlist.toml").write_text(
        "[people.dursoltan-taganova]\nenabled = false\n", encoding="utf-8"
    )
    first = run_cli("--home", str(home), "--config-dir", str(config_dir), "demo")
    assert first.returncode == 0, first.stderr
    after_first = {
        "digest": json.loads((home / "digests" / "demo.json").read_text(encoding="utf-8")),
        "html": (home / "digests" / "demo.html").read_text(encoding="utf-8"),
        "health": invoke("health", "--json", home=home),
        "simulated": _simulated_runs(home),
    }
    second = run_cli("--home", str(home), "demo")
    return {"home": home, "first": first, "second": second, **after_first}


def _simulated_runs(home: Path) -> int:
    db = sqlite3.connect(home / "tmwatch.sqlite3")
    try:
        return db.execute("SELECT count(*) FROM runs WHERE command = 'simulated'").fetchone()[0]
    finally:
        db.close()


def test_demo_twice(demo: dict) -> None:
    first = demo["first"]
    assert "found" in first.stdout and "fetched" in first.stdout and "errors" in first.stdout
    assert "progress:" in first.stderr  # progress is shown while it runs
    articles = demo["digest"]["articles"]
    assert len(articles) >= 50
    assert len({a["outlet"] for a in articles}) >= 6
    assert {a["language"] for a in articles} == {"ru", "tk", "tr", "en"}
    assert all(a["title"] and a["text"] and a["published"] and a["outlet"] for a in articles)
    assert any("Dursoltan Taganova" in a["persons"] for a in articles)

    second = demo["second"]
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    total = next(line for line in lines if line.startswith("total"))
    found, fetched, new = (int(x) for x in total.split()[1:4])
    assert found > 0  # the feeds and sitemaps were read again
    # Only the pages extraction refused are fetched again (a listing has no conditional GET).
    gundogar = next(line for line in lines if line.startswith("gundogar "))
    assert fetched == int(gundogar.split()[2]) and new == 0, second.stdout
    again = json.loads((demo["home"] / "digests" / "demo.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in again["articles"]] == [a["id"] for a in articles]


def test_demo_shows_every_health_flag(demo: dict) -> None:
    """Simulated history + the real crawl: each flag on the sample source made to show it."""
    expected = {
        "azathabar-tk": ["zombie-feed"],
        "gundogar": ["silent", "layout-changed"],
        "hronikatm-ru": ["degraded"],
    }
    health = demo["health"]
    assert health.exit_code == 1, health.output
    report = json.loads(health.stdout)
    flags = {s["source"]: s["flags"] for s in report["sources"]}
    assert {k: v for k, v in flags.items() if v} == expected
    assert all(s["simulated_runs"] > 0 for s in report["sources"])
    # Pages extraction refused are counted as refused (gundogar's new layout, and the merged
    # Azattyq Asia site's out-of-scope stories), not as feed entries that are no articles.
    records = {s["source"]: s for s in report["sources"]}
    assert records["gundogar"]["refused"]["last_run"] == {"refused": 4, "fetched": 4, "share": 1.0}
    assert records["azathabar-ru"]["refused"]["last_run"]["refused"] == 2
    # A day without any run is no data, not a day without news.
    series = report["sources"][0]["items_per_day"]
    assert len(series) == 14 and any(d["items"] is None for d in series)
    # The digest carries the same flags and the HTML page shows them.
    digest_flags = {k: v["flags"] for k, v in demo["digest"]["sources"].items() if v["flags"]}
    assert digest_flags == expected
    assert "<th>flags</th>" in demo["html"] and "silent, layout-changed" in demo["html"]
    # The summary names them too.
    assert "gundogar: silent, layout-changed" in demo["first"].stdout
    # History is seeded once: the second demo on the same home adds no simulated run.
    assert demo["simulated"] > 0 and _simulated_runs(demo["home"]) == demo["simulated"]
    assert "simulated runs" not in demo["second"].stdout
