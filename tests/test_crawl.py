"""End-to-end crawls: real Scrapy against the sample outlets on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import ROOT, crawl_args, invoke, run_cli
from tmwatch.output.digest import Selection, build_digest
from tmwatch.pipeline.warc import read_capture_body
from tmwatch.samples import channels
from tmwatch.samples.render import ALL_ARTICLES
from tmwatch.samples.server import SampleServer
from tmwatch.store import Store
from tmwatch.store.home import DataHome

# Articles the sample outlets publish that must not end up stored: two non-Turkmenistan stories on
# the merged Azattyq Asia site (require_terms), and the slow page that times out.
NOT_STORED = {"vybory-v-kyrgyzstane", "tseny-na-gaz-v-kazakhstane", "252010"}
EXPECTED = [a for a in ALL_ARTICLES if not any(mark in a.path for mark in NOT_STORED)]
# The sample Telegram and YouTube channels are stored too (their own checks: test_channels.py).
CHANNEL_ITEMS = len(channels.POSTS) + len(channels.VIDEOS)
FIXED = datetime(2026, 11, 28, tzinfo=UTC)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    hits: list[str]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> dict:
    home = tmp_path_factory.mktemp("home")
    runs = []
    for _ in range(2):
        before = len(sample_server.hits)
        proc = run_cli(*crawl_args(sample_server), home=home)
        runs.append(Run(proc.returncode, proc.stdout, proc.stderr, sample_server.hits[before:]))
    return {"home": home, "first": runs[0], "second": runs[1]}


def articles(home: Path) -> list[dict]:
    with Store(DataHome(home)) as store:
        return list(store.archive.articles())


def test_first_crawl_stores_every_sample_article(crawled: dict) -> None:
    first = crawled["first"]
    assert first.code == 0, first.stderr
    stored = articles(crawled["home"])
    assert len(stored) == len(EXPECTED) + CHANNEL_ITEMS and len(EXPECTED) >= 60
    assert {a["outlet"] for a in stored} >= {
        "Radio Azatlyk – Turkmen Service of Radio Liberty",
        "Nezavisimaya Gazeta",
        "Turkmen.News",
        "Chronicles of Turkmenistan",
        "bianet",
        "Evrensel",
    }
    assert {a["language"] for a in stored} == {"ru", "tk", "tr", "en"}
    for article in stored:
        assert article["title"] and article["text"] and article["outlet"], article["url"]
        assert article["published"] and article["date_source"], article["url"]


def test_titles_and_dates_match_what_the_outlets_published(crawled: dict) -> None:
    by_title = {
        a["title"]: a
        for a in articles(crawled["home"])
        if "252401" not in a["url"] and "channel" not in a["outlet"]
    }
    for sample in EXPECTED:
        stored = by_title.get(sample.title)
        assert stored is not None, f"missing {sample.outlet}/{sample.path}"
        assert stored["published"][:10] == sample.published[:10], sample.path
        assert stored["language"] == sample.lang


def test_windows_1251_page_is_decoded(crawled: dict) -> None:
    ng = [a for a in articles(crawled["home"]) if a["source"] == "ng"]
    assert len(ng) == 6
    aitakov = [a for a in ng if a["authors"] == ["Сердар Айтаков"]]
    assert aitakov and "Ашхабад" in aitakov[-1]["text"]


def test_redirected_article_is_stored_under_its_new_address(crawled: dict) -> None:
    taganova = next(a for a in articles(crawled["home"]) if "31478011" in a["url"])
    assert "/azattyqasia/a/" in taganova["url"]
    assert taganova["source"] == "azathabar-ru"


def test_out_of_scope_articles_of_a_merged_site_are_not_stored(crawled: dict) -> None:
    urls = [a["url"] for a in articles(crawled["home"])]
    assert not [u for u in urls if "kyrgyzstane" in u or "kazakhstane" in u]


def test_amp_twin_is_not_a_second_article(crawled: dict) -> None:
    stored = articles(crawled["home"])
    assert len([a for a in stored if "31518870" in a["url"]]) == 1
    assert not [h for h in crawled["first"].hits if "/amp/" in h]


def test_every_article_has_a_readable_warc_capture_with_its_hash(crawled: dict) -> None:
    home = DataHome(crawled["home"])
    db = sqlite3.connect(home.db_path)
    rows = db.execute(
        "SELECT a.html_sha256, c.warc_file, c.warc_offset FROM articles a "
        "JOIN captures c ON c.id = a.capture_id"
    ).fetchall()
    assert len(rows) == len(EXPECTED) + CHANNEL_ITEMS
    for sha, warc_file, offset in rows:
        body = read_capture_body(home.warc_dir, warc_file, offset)
        assert hashlib.sha256(body).hexdigest() == sha


def test_failures_are_logged_while_other_sources_complete(crawled: dict) -> None:
    first = crawled["first"]
    assert "udalennaya-statya/: HTTP 404" in first.stdout
    assert "252010" in first.stdout and "took longer than" in first.stdout
    assert "evrensel: feed" in first.stderr and "malformed feed" in first.stderr
    # The zone feeds found on /rssfeeds are read; the RFE/RL-style empty "zombie" feed is an error.
    assert "azathabar/api/zombie: feed body is only 11 bytes" in first.stdout
    assert "/azathabar/api/zpqoteqvoi" in first.hits
    evrensel = [a for a in articles(crawled["home"]) if a["source"] == "evrensel"]
    assert len(evrensel) == 6  # the sitemap still yields what the broken feed lost


def test_default_output_is_progress_one_line_per_failure_and_the_summary(crawled: dict) -> None:
    first = crawled["first"]
    for noise in ("Scrapy 2.", "Versions:", " DEBUG ", "Traceback", "Gave up retrying", "{'lxml'"):
        assert noise not in first.stderr, noise
    assert "progress:" in first.stderr
    # Each failure on one line of the log (the summary table repeats it on stdout).
    lines = first.stderr.splitlines()
    assert len([line for line in lines if "udalennaya-statya/" in line]) == 1
    assert len([line for line in lines if "252010" in line]) == 1


def test_the_digest_shows_every_failure_and_partial_sources(crawled: dict) -> None:
    data = json.loads(invoke("digest", "--all", "--no-mark", home=crawled["home"]).stdout)
    sources = data["sources"]
    hronika, bianet = sources["hronikatm-ru"], sources["bianet"]
    assert hronika["state"] == "partial" and bianet["state"] == "partial"
    assert any("udalennaya-statya/: HTTP 404" in p for p in hronika["problems"])
    assert any("252010" in p for p in bianet["problems"])
    assert sources["ng"]["state"] == "ok"
    for fmt in ("md", "html"):
        text = invoke("digest", "--all", "--no-mark", "--format", fmt, home=crawled["home"]).stdout
        assert "udalennaya-statya" in text and "252010" in text and "partial" in text


def test_robots_txt_is_fetched_and_obeyed(crawled: dict) -> None:
    hits = crawled["first"].hits
    assert "/robots.txt" in hits
    assert not [h for h in hits if h.startswith("/private/")]


def test_second_run_fetches_no_stored_article(crawled: dict) -> None:
    second = crawled["second"]
    assert second.code == 0, second.stderr
    article_paths = {f"/{a.outlet}/{a.path}" for a in EXPECTED}
    refetched = [h for h in second.hits if h in article_paths]
    assert refetched == [], second.stdout + second.stderr[-3000:]
    assert len(articles(crawled["home"])) == len(EXPECTED) + CHANNEL_ITEMS
    # Unchanged feeds answered 304 to the conditional GET.
    with Store(DataHome(crawled["home"])) as store:
        last = store.crawl.last_run()
    assert last is not None
    assert sum(s["not_modified"] for s in last["stats"]["sources"].values()) >= 5


def test_data_home_is_owner_only(crawled: dict) -> None:
    home = Path(crawled["home"])
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_warc_files_are_valid_with_correct_digests(crawled: dict) -> None:
    from warcio.archiveiterator import ArchiveIterator

    files = sorted(DataHome(crawled["home"]).warc_dir.glob("*.warc.gz"))
    assert len(files) == 2  # one per run
    responses = 0
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests="raise"):
                record.content_stream().read()
                responses += record.rec_type == "response"
    assert responses >= len(EXPECTED)


def test_every_article_is_clustered_and_copies_share_a_cluster(crawled: dict) -> None:
    stored = articles(crawled["home"])
    assert all(a["cluster"] for a in stored)
    by_path = {a["url"].split("/", 3)[3]: a for a in stored}
    syndicated = [a for p, a in by_path.items() if "allalyev-zaderzhan" in p]
    assert len(syndicated) == 2 and syndicated[0]["cluster"] == syndicated[1]["cluster"]
    exact = [a for p, a in by_path.items() if "afgan-gocmenler" in p]
    assert len(exact) == 2 and exact[0]["cluster"] == exact[1]["cluster"]
    # Mediazona's sample reprints Chronicles' story on the attack on the Oghuz office.
    reprint = [a for p, a in by_path.items() if "ofis-oguzov" in p or p.endswith("/oguzy")]
    assert len(reprint) == 2 and reprint[0]["cluster"] == reprint[1]["cluster"]
    clusters = {}
    for a in stored:
        clusters.setdefault(a["cluster"], []).append(a)
    # ... and the sample Telegram channel reposts Azatlyk's story on Ahmet Rahmanow.
    assert sorted(len(v) for v in clusters.values() if len(v) > 1) == [2, 2, 2, 2]


def test_digest_lists_the_other_members_of_a_cluster(crawled: dict) -> None:
    proc = invoke("digest", "--all", home=crawled["home"])
    assert proc.returncode == 0, proc.stderr
    digest = json.loads(proc.stdout)
    syndicated = [a for a in digest["articles"] if "allalyev-zaderzhan" in a["url"]]
    for a in syndicated:
        [other] = a["also_at"]
        assert other["url"] != a["url"] and other["outlet"] != a["outlet"]
    odd = [a["url"] for a in digest["articles"] if a["versions"] != 1 or a["edited"]]
    assert odd == []
    assert all(a["cluster"] for a in digest["articles"])


def test_reprocess_rebuilds_the_same_derived_data(crawled: dict, tmp_path: Path) -> None:
    home = tmp_path / "copy"
    shutil.copytree(crawled["home"], home)

    def snapshot() -> list[dict]:
        with Store(DataHome(home)) as store:
            return build_digest(store, Selection(everything=True), clock=lambda: FIXED)["articles"]

    before = snapshot()
    with Store(DataHome(home)) as store, store.transaction():
        store.archive.clear_derived()
    assert snapshot() == []
    for _ in range(2):  # idempotent
        proc = invoke("reprocess", home=home)
        assert proc.returncode == 0, proc.stderr
        assert "reprocessed 64 of 66 captures" in proc.stderr or "reprocessed" in proc.stderr
        assert snapshot() == before


def test_crawled_coverage_is_tagged_with_evidence(crawled: dict) -> None:
    stored = articles(crawled["home"])
    by_title = {a["title"]: a for a in stored}
    rakhmanov = by_title["Ахмеда Рахманова отправили в депортационный центр в Тузле"]
    assert rakhmanov["tags"] == ["detention", "turkmen-detention-turkey"]
    assert "Akhmed Rakhmanov" in rakhmanov["persons"]
    assert rakhmanov["evidence"] and all(e["sentence"] for e in rakhmanov["evidence"])
    taganowa = by_title["Türkmen aktiwistkasy Dursoltan Taganowa Stambulda saklandy"]
    assert "turkmen-detention-turkey" in taganowa["tags"]
    assert taganowa["persons"] == ["Dursoltan Taganova"]
    afghan = by_title["Van'da 40 Afgan göçmen gözaltına alındı"]
    assert afghan["tags"] == ["detention"] and afghan["persons"] == []
    football = by_title["Ýokary ligada «Ahal» toparynyň ýeňşi çempionlyk bäsleşigini gyzyşdyrdy"]
    assert football["tags"] == [] and football["persons"] == []
    scoped = [a for a in stored if "turkmen-detention-turkey" in a["tags"]]
    assert len(scoped) >= 15
    assert {a["language"] for a in scoped} == {"ru", "tk", "tr", "en"}


def test_changing_the_watchlist_and_reprocessing_retags(crawled: dict, tmp_path: Path) -> None:
    home = tmp_path / "copy"
    shutil.copytree(crawled["home"], home)
    watchlist = tmp_path / "watchlist.toml"
    text = (ROOT / "config" / "watchlist.toml").read_text(encoding="utf-8")
    start = text.index("[people.nurmukhamed-annayev]")
    watchlist.write_text(text[:start] + text[text.index("# Places", start) :], encoding="utf-8")
    before = [a for a in articles(home) if "Nurmukhamed Annayev" in a["persons"]]
    assert before
    proc = invoke("--watchlist", str(watchlist), "reprocess", home=home)
    assert proc.returncode == 0, proc.stderr
    assert not [a for a in articles(home) if "Nurmukhamed Annayev" in a["persons"]]


def test_the_summary_announces_each_status_change_once(crawled: dict) -> None:
    first, second = crawled["first"].stdout, crawled["second"].stdout
    assert "* status: Bayram Allalyev: released on 2021-11-01" in first
    assert "* status: Dursoltan Taganova:" in first
    assert "* status:" not in second  # nothing changed between the two crawls
