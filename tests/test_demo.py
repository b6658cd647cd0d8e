"""`tmwatch demo` as a newcomer runs it: twice, the second run adding nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli


def test_demo_twice(tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    # A user's own lists never reach the demo: this overlay would stop tagging Taganova.
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "watchlist.toml").write_text(
        "[people.dursoltan-taganova]\nenabled = false\n", encoding="utf-8"
    )
    first = run_cli("--home", str(home), "--config-dir", str(config_dir), "demo")
    assert first.returncode == 0, first.stderr
    assert "found" in first.stdout and "fetched" in first.stdout and "errors" in first.stdout
    assert "progress:" in first.stderr  # progress is shown while it runs
    digest = json.loads((home / "digests" / "demo.json").read_text(encoding="utf-8"))
    articles = digest["articles"]
    assert len(articles) >= 50
    assert len({a["outlet"] for a in articles}) >= 6
    assert {a["language"] for a in articles} == {"ru", "tk", "tr", "en"}
    assert all(a["title"] and a["text"] and a["published"] and a["outlet"] for a in articles)
    assert any("Dursoltan Taganova" in a["persons"] for a in articles)

    second = run_cli("--home", str(home), "demo")
    assert second.returncode == 0, second.stderr
    total = next(line for line in second.stdout.splitlines() if line.startswith("total"))
    found, fetched, new = (int(x) for x in total.split()[1:4])
    assert found > 0  # the feeds and sitemaps were read again
    assert fetched == 0 and new == 0, second.stdout
    again = json.loads((home / "digests" / "demo.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in again["articles"]] == [a["id"] for a in articles]
