"""Digest marks: named positions in commit order, moved only by a digest that was written.

Articles are stored here the way ingest stores them (a capture row, then the article in the
same position in commit order), with fetch times chosen to expose the old time-based mark.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import invoke, make_article
from tmwatch.record import Capture
from tmwatch.store import Store
from tmwatch.store.home import DataHome

# A first digest (no mark yet) holds the last 24 hours by fetch time, so "recent" is relative to
# the run, never a calendar date that a later run would find too old.
RECENT = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")
LATER = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")


def store_article(home: Path, key: str, fetched_at: str, **changes: object) -> str:
    """Commit one article (and its capture) now, whatever its fetch time says."""
    article_id = f"{key:a<10}"[:10]
    with Store(DataHome(home)) as store, store.transaction():
        capture = Capture("s", f"https://o/{key}", f"https://o/{key}", 200, {}, b"x", fetched_at)
        capture_id = store.archive.add_capture(capture)
        article = make_article(
            key,
            id=article_id,
            url=f"https://o/{key}",
            canonical_url=f"https://o/{key}",
            first_seen=fetched_at,
            fetched_at=fetched_at,
            capture_id=capture_id,
            **changes,
        )
        store.archive.save_article(article)
    return article_id


def digest(home: Path, *args: str) -> dict:
    result = invoke("digest", *args, home=home)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def new_ids(data: dict) -> set[str]:
    return {a["id"] for a in data["articles"] if a["new"]}


def test_an_article_committed_after_a_digest_is_new_whatever_its_fetch_time(
    tmp_path: Path,
) -> None:
    """Fetched before the digest ran, committed after it: the next digest must show it."""
    first = store_article(tmp_path, "first", RECENT)
    daily = digest(tmp_path)
    assert new_ids(daily) == {first} and daily["mark"] is None
    late = store_article(tmp_path, "late", "2020-01-01T00:00:00+00:00")
    again = digest(tmp_path, "--all")
    assert new_ids(again) == {late}
    assert again["mark"]["name"] == "daily" and again["mark"]["at"] == daily["generated_at"]


def test_the_default_digest_holds_what_is_new_since_its_mark(tmp_path: Path) -> None:
    store_article(tmp_path, "one", RECENT)
    digest(tmp_path)
    assert digest(tmp_path)["count"] == 0  # nothing stored since
    two = store_article(tmp_path, "two", LATER)
    following = digest(tmp_path)
    assert [a["id"] for a in following["articles"]] == [two]
    assert following["selection"] == {"new_since_mark": "daily"}


def test_a_failed_output_moves_no_mark(tmp_path: Path) -> None:
    home = tmp_path / "home"
    article = store_article(home, "one", RECENT)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = invoke("digest", "-o", str(blocker / "digest.json"), home=home)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot write the digest" in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("**/*.part"))
    assert new_ids(digest(home)) == {article}  # still new: the failed digest moved nothing


def test_filtered_digests_move_only_a_mark_named_for_them(tmp_path: Path) -> None:
    article = store_article(tmp_path, "one", RECENT, tags=["detention"])
    for args in (["--tag", "detention"], ["--all"], ["--date", "2021-10-19"]):
        assert new_ids(digest(tmp_path, *args)) == {article}
    tagged = digest(tmp_path, "--tag", "detention", "--mark", "detentions")
    assert new_ids(tagged) == {article}
    assert new_ids(digest(tmp_path, "--tag", "detention", "--mark", "detentions")) == set()
    assert new_ids(digest(tmp_path)) == {article}  # `daily` never moved


def test_no_mark_compares_but_does_not_move(tmp_path: Path) -> None:
    article = store_article(tmp_path, "one", RECENT)
    assert new_ids(digest(tmp_path, "--no-mark")) == {article}
    assert new_ids(digest(tmp_path, "--no-mark")) == {article}
    assert invoke("digest", "--no-mark", "--mark", "x", home=tmp_path).exit_code == 2


def test_each_mark_is_its_own(tmp_path: Path) -> None:
    article = store_article(tmp_path, "one", RECENT)
    weekly = digest(tmp_path, "--mark", "weekly")
    assert weekly["mark"] is None and new_ids(weekly) == {article}
    assert digest(tmp_path, "--mark", "weekly")["mark"]["name"] == "weekly"
    assert new_ids(digest(tmp_path)) == {article}  # `daily` is untouched by `weekly`


def test_counts_and_selection_describe_the_filtered_digest(tmp_path: Path) -> None:
    store_article(tmp_path, "one", RECENT, persons=["Dursoltan Taganova"])
    store_article(tmp_path, "two", RECENT, language="tk")
    only = digest(tmp_path, "--all", "--person", "Taganova")
    assert only["count"] == 1 == sum(only["counts"]["language"].values())
    assert only["counts"]["language"] == {"ru": 1}
    assert only["filters"] == {"tag": None, "persons": ["Dursoltan Taganova"]}
    assert digest(tmp_path, "--date", "2021-10-19")["selection"] == {"published_on": "2021-10-19"}


def test_a_data_home_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for home in (blocker / "home", Path("/proc/tmwatch-cannot-be-here")):
        result = invoke("crawl", "--home", str(home), "--source", "ng")
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "cannot create the data home" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_the_digest_names_the_mark_it_compared_against(tmp_path: Path, fmt: str) -> None:
    store_article(tmp_path, "one", RECENT)
    digest(tmp_path)
    data = digest(tmp_path, "--all", "--no-mark")
    assert data["mark"]["name"] == "daily"
    text = invoke("digest", "--all", "--no-mark", "--format", fmt, home=tmp_path).stdout
    assert "daily" in text
