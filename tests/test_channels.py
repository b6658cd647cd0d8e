"""Public Telegram and YouTube channels as sources: parsers on bytes, the registry kinds, and a
real crawl of the sample channels (samples/channels.py) with the Azatlyk story one post reposts."""

from __future__ import annotations

import pytest

from tests.helpers import crawl_args, run_cli
from tmwatch.config.registry import Registry, RegistryError, load_registry, parse_registry
from tmwatch.output.citation import as_text
from tmwatch.pipeline.channels import post_title, read_telegram_post, read_youtube_video
from tmwatch.pipeline.extract import ExtractionError
from tmwatch.pipeline.process import process_capture
from tmwatch.pipeline.warc import read_capture_body
from tmwatch.record import Capture, FeedHints
from tmwatch.samples import SAMPLE_REGISTRY, channels
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.feeds import parse_feed
from tmwatch.spiders.listings import parse_telegram_preview
from tmwatch.store import Store
from tmwatch.store.home import DataHome

BASE = "http://127.0.0.1:9"
TELEGRAM = "telegram-turkmen-habarlary"
YOUTUBE = "youtube-turkmen-gundeligi"

REAL = """
[sources.tg]
name = "Azatlyk on Telegram"
outlet = "Radio Azatlyk"
languages = ["tk"]
kind = "telegram"
channel = "azathabar"

[sources.yt]
name = "Azatlyk on YouTube"
outlet = "Radio Azatlyk"
languages = ["tk"]
kind = "youtube"
channel = "UCq5tmWatchSampleChan01A"
"""


def sample_registry() -> Registry:
    return load_registry(SAMPLE_REGISTRY, base=BASE)


# -- registry ------------------------------------------------------------------------------------


def test_a_channel_needs_three_lines_the_rest_is_derived() -> None:
    registry = parse_registry(REAL)
    tg, yt = registry.sources["tg"], registry.sources["yt"]
    assert tg.listings[0].url == "https://t.me/s/azathabar"
    assert tg.hosts == {"t.me"} and tg.homepage == "https://t.me/s/azathabar"
    assert tg.article_key("https://t.me/azathabar/1234") == "tg:1234"
    assert tg.article_key("https://t.me/azathabar/1234?embed=1") == "tg:1234"
    assert tg.article_key("https://t.me/otherchannel/1234") is None
    assert tg.fetch_url("https://t.me/azathabar/1234") == "https://t.me/azathabar/1234?embed=1"
    assert tg.cited_outlet == 'Radio Azatlyk, Telegram channel "azathabar"'
    assert yt.feeds == (
        "https://www.youtube.com/feeds/videos.xml?channel_id=UCq5tmWatchSampleChan01A",
    )
    assert yt.hosts == {"www.youtube.com"}
    assert yt.article_key("https://www.youtube.com/watch?v=tmw0Video02") == "yt:tmw0Video02"
    assert yt.fetch_url("https://www.youtube.com/watch?v=tmw0Video02").endswith("tmw0Video02")
    assert tg.min_words == yt.min_words == 5


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('kind = "tiktok"\nchannel = "azathabar"', "source 'x', field 'kind': 'tiktok' is not"),
        ('kind = "telegram"', "source 'x', field 'channel': required for kind 'telegram'"),
        ('kind = "youtube"\nchannel = "azathabar"', "source 'x', field 'channel': required"),
        (
            'kind = "telegram"\nchannel = "azathabar"\npost_url = "https://t.me/a"',
            "source 'x', field 'post_url': must be a URL template containing {id}",
        ),
        (
            'channel = "azathabar"\nfeeds = ["https://a.example/feed"]\n'
            'homepage = "https://a.example/"\narticle_url = ["x"]',
            "source 'x', field 'channel': only for kind",
        ),
    ],
)
def test_channel_fields_are_validated_with_one_line_problems(extra: str, problem: str) -> None:
    text = f'[sources.x]\nname = "X"\noutlet = "X"\nlanguages = ["tk"]\n{extra}\n'
    with pytest.raises(RegistryError) as caught:
        parse_registry(text)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


# -- parsers on bytes ----------------------------------------------------------------------------


def test_preview_page_gives_posts_dates_and_the_older_page() -> None:
    site = channels.site(BASE)
    source = sample_registry().sources[TELEGRAM]
    url = f"{BASE}/telegram/s/turkmen_habarlary"
    page = parse_telegram_preview(site["/telegram/s/turkmen_habarlary"][0], url, source)
    assert page.links == [f"{BASE}/telegram/turkmen_habarlary/{n}" for n in (103, 104, 105)]
    assert page.hints[page.links[1]].published == "2021-10-19T05:30:00+00:00"
    assert page.next_url == f"{url}?before=103"
    older = parse_telegram_preview(site["/telegram/s/turkmen_habarlary?before=103"][0], url, source)
    assert [link.rsplit("/", 1)[1] for link in older.links] == ["101", "102"]
    assert parse_telegram_preview("<html><body></body></html>", url, source).next_url is None


def test_embed_page_reads_as_a_post() -> None:
    body = channels.site(BASE)["/telegram/turkmen_habarlary/105?embed=1"][0].encode()
    post = read_telegram_post(body)
    assert post.title == "Kamil Abulowyň aýaly adamsynyň Tuzladaky deportasiýa merkezinde " + (
        "saklanýandygyny tassyklady."
    )
    assert post.text.split("\n")[1].startswith("Hukuk goraýjylar")
    assert post.published == "2021-10-20T16:20:00+00:00"
    with pytest.raises(ExtractionError):
        read_telegram_post(b"<html><body><p>Channel is private</p></body></html>")


def test_post_title_is_the_first_sentence_within_120_characters() -> None:
    assert post_title("Short one. Then more.\nSecond line") == "Short one."
    long = "söz " * 60
    assert len(post_title(long)) <= 120 and post_title(long).endswith("…")


def test_youtube_feed_and_watch_page() -> None:
    site = channels.site(BASE)
    feed, kind = site[f"/youtube/feeds/videos.xml?channel_id={channels.YOUTUBE}"]
    entries = parse_feed(feed.encode(), BASE, kind).entries
    assert [e.link.rsplit("=", 1)[1] for e in entries] == [
        "tmw0Video03",
        "tmw0Video02",
        "tmw0Video01",
    ]
    assert entries[1].summary and "Ahmet Rahmanowyň" in entries[1].summary
    watch = site["/youtube/watch?v=tmw0Video02"][0].encode()
    hints = FeedHints(entries[1].title, entries[1].published, None, entries[1].summary)
    video = read_youtube_video(watch, hints=hints)
    assert video.title == "Ahmet Rahmanow näme üçin saklandy?"
    assert video.text.endswith("hukuk goraýjylar duýduryş berýärler.")  # the feed's whole text
    assert video.published == "2021-10-20T09:00:00+00:00"
    cut = read_youtube_video(watch)  # no feed text: the page's cut description still counts
    assert cut.text.endswith("...") and len(cut.text) < len(video.text)


def test_a_captured_post_is_cited_by_its_channel_and_post_url() -> None:
    source = sample_registry().sources[TELEGRAM]
    post = f"{BASE}/telegram/turkmen_habarlary/104"
    capture = Capture(
        source=TELEGRAM,
        url=post,
        final_url=post + "?embed=1",
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8"},
        body=channels.site(BASE)["/telegram/turkmen_habarlary/104?embed=1"][0].encode(),
        fetched_at="2021-10-19T06:00:00+00:00",
    )
    article = process_capture(capture, source)
    assert article.url == article.canonical_url == post
    assert article.article_key == f"{TELEGRAM}:104"
    assert article.outlet == 'Türkmen habarlary, Telegram channel "turkmen_habarlary"'
    assert article.language == "tk"


# -- a real crawl --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> dict:
    home = tmp_path_factory.mktemp("channels")
    chosen = ["--source", TELEGRAM, "--source", YOUTUBE, "--source", "azathabar-tk"]
    runs = []
    for _ in range(2):
        before = len(sample_server.hits)
        proc = run_cli(*crawl_args(sample_server, *chosen), home=home)
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs.append(sample_server.hits[before:])
    data = DataHome(home)
    with Store(data) as store:
        stored = list(store.archive.articles())
        bodies = {}
        for article in stored:
            if article["source"] in (TELEGRAM, YOUTUBE):
                row = store.archive.capture(article["capture_id"])
                assert row is not None
                bodies[article["url"]] = (
                    row["final_url"],
                    read_capture_body(data.warc_dir, row["warc_file"], row["warc_offset"]),
                )
    return {"home": home, "first": runs[0], "second": runs[1], "stored": stored, "bodies": bodies}


def _channel(crawled: dict, source: str) -> list[dict]:
    return sorted((a for a in crawled["stored"] if a["source"] == source), key=lambda a: a["url"])


def test_every_post_and_video_is_stored_with_its_url_date_and_channel(crawled: dict) -> None:
    base = _channel(crawled, TELEGRAM)[0]["url"].split("/telegram/")[0]
    posts = _channel(crawled, TELEGRAM)
    assert [a["url"] for a in posts] == [
        f"{base}/telegram/turkmen_habarlary/{n}" for n, _, _ in channels.POSTS
    ]
    assert [a["published"] for a in posts] == [when for _, when, _ in channels.POSTS]
    assert {a["outlet"] for a in posts} == {
        'Türkmen habarlary, Telegram channel "turkmen_habarlary"'
    }
    assert {a["language"] for a in posts} == {"tk", "ru"}
    videos = _channel(crawled, YOUTUBE)
    assert [a["url"] for a in videos] == [
        f"{base}/youtube/watch?v={vid}" for vid, *_ in channels.VIDEOS
    ]
    assert all(a["outlet"].startswith("Türkmen Gündeligi, YouTube channel") for a in videos)
    # The older preview page was read through ?before=, and each post through its embed page.
    assert "/telegram/s/turkmen_habarlary?before=103" in crawled["first"]
    assert "/telegram/turkmen_habarlary/101?embed=1" in crawled["first"]


def test_warc_holds_what_was_fetched(crawled: dict) -> None:
    assert len(crawled["bodies"]) == len(channels.POSTS) + len(channels.VIDEOS)
    for url, (fetched, body) in crawled["bodies"].items():
        if "/telegram/" in url:
            assert fetched == url + "?embed=1" and b"tgme_widget_message_text" in body
        else:
            assert fetched == url and b'itemprop="datePublished"' in body


def test_second_crawl_fetches_nothing_new(crawled: dict) -> None:
    second = crawled["second"]
    assert not [h for h in second if "embed=1" in h or "/youtube/watch" in h], second
    assert "/telegram/s/turkmen_habarlary?before=103" not in second  # incremental stop


def test_repost_joins_the_outlet_story_cluster_and_is_tagged(crawled: dict) -> None:
    story = next(a for a in crawled["stored"] if a["url"].endswith("/31518870.html"))
    repost = next(a for a in _channel(crawled, TELEGRAM) if a["url"].endswith("/104"))
    assert repost["cluster"] == story["cluster"]
    assert "Akhmed Rakhmanov" in repost["persons"]
    kamil = next(a for a in _channel(crawled, TELEGRAM) if a["url"].endswith("/105"))
    assert "Kamil Abulov" in kamil["persons"]


def test_footnote_names_the_channel_and_the_post_date(crawled: dict) -> None:
    repost = next(a for a in _channel(crawled, TELEGRAM) if a["url"].endswith("/104"))
    line = as_text(repost)
    assert 'Türkmen habarlary, Telegram channel "turkmen_habarlary", 19.10.2021 ' in line
    assert line.endswith(repost["url"])
