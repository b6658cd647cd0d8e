"""Edits and take-downs are evidence: a refreshed crawl keeps every version and marks removals."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tests.helpers import crawl_args, invoke, run_cli
from tmwatch.samples.render import ALL_ARTICLES, Resource, article_page
from tmwatch.samples.server import SampleServer
from tmwatch.store import Store
from tmwatch.store.home import DataHome

EDITED = next(a for a in ALL_ARTICLES if a.path == "taganova-osvobozhdena/")
REMOVED = next(a for a in ALL_ARTICLES if a.path == "konsulstvo-pasporta/")


def test_refresh_keeps_versions_and_marks_takedowns(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with SampleServer(slow_delay=5.0) as server:
        args = [*crawl_args(server, "--source", "turkmen-news-ru")]
        first = run_cli(*args, home=home)
        assert first.returncode == 0, first.stderr

        changed = dataclasses.replace(
            EDITED, paras=(*EDITED.paras[:-1], "Редакция уточнила: активистка обжалует решение.")
        )
        site = server.httpd.site
        site[f"/{EDITED.outlet}/{EDITED.path}"] = Resource(
            article_page(changed, server.base, []).encode("utf-8")
        )
        del site[f"/{REMOVED.outlet}/{REMOVED.path}"]

        plain = run_cli(*args, home=home)  # without --refresh nothing is fetched again
        assert plain.returncode == 0
        refreshed = run_cli(*args, "--refresh", home=home)
        assert refreshed.returncode == 0, refreshed.stderr
        assert "taken down" in refreshed.stderr

    digest = json.loads(invoke("digest", "--all", home=home).stdout)
    by_path = {a["url"].split("/", 4)[4]: a for a in digest["articles"]}
    edited = by_path[EDITED.path]
    assert edited["edited"] is True and edited["versions"] == 2
    assert "обжалует решение" in edited["text"]  # the digest shows the latest text
    removed = by_path[REMOVED.path]
    assert removed["status"] == "taken_down" and removed["taken_down_at"]
    assert removed["text"]  # what was captured is kept
    assert all(a["status"] == "live" for p, a in by_path.items() if p != REMOVED.path)
    with Store(DataHome(home)) as store:
        versions = store.archive.versions(edited["id"])
    assert [("обжалует" in v["text"]) for v in versions] == [False, True]

    # Versions and take-downs survive a rebuild of the derived data.
    assert invoke("reprocess", home=home).returncode == 0
    again = json.loads(invoke("digest", "--all", home=home).stdout)
    again_by_path = {a["url"].split("/", 4)[4]: a for a in again["articles"]}
    assert again_by_path[EDITED.path]["versions"] == 2
    assert again_by_path[REMOVED.path]["status"] == "taken_down"


def test_sample_registry_is_named_for_reprocess(tmp_path: Path) -> None:
    """The store names the registry (not an installed path, which an upgrade would move)."""
    with SampleServer(slow_delay=5.0) as server:
        assert run_cli(*crawl_args(server, "--source", "ng"), home=tmp_path).returncode == 0
    with Store(DataHome(tmp_path)) as store:
        assert store.get_meta("registry") == "samples"
        assert store.get_meta("registry_path") is None
        assert store.get_meta("registry_base") == server.base
