"""The store and the WARC captures: permissions, transactions, readable evidence."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.helpers import invoke, make_article
from tmwatch.pipeline.warc import WarcCaptureWriter, WarcError, read_capture_body, repair_torn_tail
from tmwatch.record import Capture, FeedHints
from tmwatch.store import Store, StoreError
from tmwatch.store.home import DataHome


def test_new_store_is_owner_only(tmp_path: Path) -> None:
    home = DataHome(tmp_path / "home")
    Store(home).close()
    for path in [home.root, home.db_path, home.warc_dir]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_save_article_keeps_first_seen(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        assert store.archive.save_article(make_article()) is True
        again = make_article(first_seen="2027-01-01T00:00:00+00:00", title="T2")
        assert store.archive.save_article(again) is False
        [row] = list(store.archive.articles())
    assert row["title"] == "T2" and row["first_seen"] == "2026-01-01T00:00:00+00:00"


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.archive.save_article(make_article())
            raise RuntimeError("crash between writes")
        assert store.archive.count() == 0 and store.archive.count("article_urls") == 0


def test_frontier_resume_and_attempt_limit(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        assert store.crawl.discover("https://o/a/1", "s", "feed", FeedHints(title="T"))
        assert not store.crawl.discover("https://o/a/1", "s", "feed", FeedHints())
        [pending] = store.crawl.pending(["s"])
        assert pending.hints.title == "T"
        for _ in range(3):
            store.crawl.settle("https://o/a/1", "failed", "HTTP 500")
        assert store.crawl.pending(["s"]) == []


def test_missing_or_foreign_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no tmwatch store"):
        Store(DataHome(tmp_path / "none"), create=False)
    home = DataHome(tmp_path / "bad")
    home.create()
    home.db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable tmwatch store"):
        Store(home)


def test_warc_roundtrip_and_truncated_tail(tmp_path: Path) -> None:
    writer = WarcCaptureWriter(tmp_path)
    captures = []
    for i in range(3):
        capture = Capture(
            source="s",
            url=f"https://o/a/{i}",
            final_url=f"https://o/a/{i}",
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
            body=f"<html><body><p>Статья {i}</p></body></html>".encode(),
            fetched_at="2026-11-28T07:00:00+00:00",
        )
        writer.write(capture)
        captures.append(capture)
    writer.close()
    # A kill while the last record was being written leaves a torn tail.
    path = tmp_path / captures[-1].warc_file
    path.write_bytes(path.read_bytes()[: captures[-1].warc_offset + 10])
    for capture in captures[:2]:
        assert read_capture_body(tmp_path, capture.warc_file, capture.warc_offset) == capture.body
    with pytest.raises(WarcError):
        read_capture_body(tmp_path, captures[-1].warc_file, captures[-1].warc_offset)
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    # The next run cuts the torn record off; every complete record stays readable.
    assert repair_torn_tail(path) == 10
    assert path.stat().st_size == captures[-1].warc_offset
    assert repair_torn_tail(path) == 0
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        assert len(list(ArchiveIterator(handle, check_digests="raise"))) == 3  # warcinfo + 2


def test_digest_cli(tmp_path: Path) -> None:
    with Store(DataHome(tmp_path)) as store:
        store.archive.save_article(make_article())
        store.archive.save_article(
            make_article("s:2", id="def", url="https://o/a/2", published="2021-11-01")
        )
    out = tmp_path / "d.json"
    proc = invoke("digest", "--all", "-o", str(out), home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    digest = json.loads(out.read_text(encoding="utf-8"))
    assert digest["schema_version"] == 2 and digest["generated_at"]
    assert {
        "id",
        "url",
        "canonical_url",
        "source",
        "outlet",
        "language",
        "title",
        "published",
        "date_source",
        "first_seen",
        "text",
        "html_sha256",
    } <= set(digest["articles"][0])
    day = json.loads(invoke("digest", "--date", "2021-10-19", home=tmp_path).stdout)
    assert [a["id"] for a in day["articles"]] == ["abc"]
    ranged = json.loads(
        invoke("digest", "--since", "2021-10-20", "--until", "2021-12-31", home=tmp_path).stdout
    )
    assert [a["id"] for a in ranged["articles"]] == ["def"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["digest", "--date", "19.10.2021"], 2, "is not a date"),
        (["digest", "--date", "2021-10-19", "--all"], 2, "use one of"),
        (["digest", "--all"], 1, "no tmwatch store"),
    ],
)
def test_digest_errors_are_one_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    proc = invoke(*args, home=tmp_path / "empty")
    assert proc.returncode == code
    assert message in proc.stderr and "Traceback" not in proc.stderr
