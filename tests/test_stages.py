"""Processing stages on strings and bytes: dates, canonical URLs, language, extraction."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import SAMPLE_REGISTRY
from tmwatch.config.registry import load_registry
from tmwatch.pipeline.canonical import canonical_url, clean_url, url_key
from tmwatch.pipeline.dates import date_from_text, date_from_url, parse_date
from tmwatch.pipeline.extract import ExtractionError, extract
from tmwatch.pipeline.language import detect_language
from tmwatch.pipeline.process import SkipArticle, process_capture
from tmwatch.record import Capture, FeedHints
from tmwatch.samples.render import ALL_ARTICLES, build_site

BASE = "http://127.0.0.1:9"
SITE = build_site(BASE)
REGISTRY = load_registry(SAMPLE_REGISTRY, base=BASE)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-10-03T20:01:00+03:00", "2021-10-03T20:01:00+03:00"),
        ("2021-10-03T17:01:00Z", "2021-10-03T17:01:00+00:00"),
        ("2021-10-03", "2021-10-03"),
        ("Sun, 03 Oct 2021 20:01:00 +0300", "2021-10-03T20:01:00+03:00"),
        ("2021-02-30", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_date(raw: str | None, expected: str | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Опубликовано 3 октября 2021 года", "2021-10-03"),
        ("Habar 3-nji oktýabr 2021 ýylda", "2021-10-03"),
        ("12-nji noýabrda, 2021", "2021-11-12"),
        ("Yayın Tarihi: 24 Ağustos 2025 20:57", "2025-08-24"),
        ("19.Сен.2021", "2021-09-19"),
        ("9 мая 2021", "2021-05-09"),
        ("обновлено 03.10.2021", "2021-10-03"),
        ("no date here", None),
    ],
)
def test_dates_in_words(text: str, expected: str | None) -> None:
    assert date_from_text(text) == expected


def test_text_dates_after_the_fetch_are_ignored() -> None:
    assert date_from_text("3 октября 2031, 1 октября 2021", not_after=date(2026, 1, 1)) == (
        "2021-10-01"
    )


def test_url_dates() -> None:
    assert date_from_url("https://www.ng.ru/courier/2021-10-03/11_8267_turkmenia.html") == (
        "2021-10-03"
    )
    assert date_from_url("https://medyascope.tv/2025/08/27/slug/") == "2025-08-27"
    assert date_from_url("https://www.hronikatm.com/2021/10/slug/") is None


def test_canonical_urls() -> None:
    assert clean_url("HTTPS://M.Example.com:443/a/1.html?utm_source=x&id=2#top") == (
        "https://www.example.com/a/1.html?id=2"
    )
    assert clean_url("https://www.tamgaturk.com/amp/haber/slug/123/") == (
        "https://www.tamgaturk.com/haber/slug/123/"
    )
    amp = "https://www.azathabar.com/amp/31518870.html"
    assert canonical_url(amp, "/a/slug/31518870.html") == (
        "https://www.azathabar.com/a/slug/31518870.html"
    )
    # A canonical pointing at another site is not trusted.
    assert canonical_url("https://bianet.org/haber/x-1", "https://evil.example/x") == (
        "https://bianet.org/haber/x-1"
    )
    assert url_key("http://turkmen.news/x/") == url_key("https://turkmen.news/x")


@pytest.mark.parametrize("sample", ALL_ARTICLES, ids=lambda a: f"{a.outlet}/{a.path}"[:60])
def test_language_of_every_sample_article(sample) -> None:  # type: ignore[no-untyped-def]
    guess = detect_language("\n".join(sample.paras), sample.title)
    assert guess.language == sample.lang


def test_registry_language_wins_for_single_language_outlets() -> None:
    assert detect_language("Some English words", declared="ru").language == "ru"


def _capture(path: str, hints: FeedHints | None = None) -> Capture:
    resource = SITE[path]
    return Capture(
        source="",
        url=f"{BASE}{path}",
        final_url=f"{BASE}{path}",
        status=200,
        headers={"Content-Type": resource.content_type},
        body=resource.body,
        fetched_at="2026-11-28T07:00:00+00:00",
        hints=hints or FeedHints(),
    )


def test_jsonld_date_wins_and_modified_is_not_published() -> None:
    sample = next(a for a in ALL_ARTICLES if a.modified)
    extracted = extract(_capture(f"/{sample.outlet}/{sample.path}").body, sample.path)
    assert extracted.published == sample.published and extracted.date_source == "jsonld"
    assert extracted.modified == sample.modified


def test_feed_date_is_used_when_the_page_has_no_structured_date() -> None:
    sample = next(a for a in ALL_ARTICLES if a.outlet == "hronikatm")
    hint = FeedHints(published="2021-10-22T21:30:00+03:00")
    extracted = extract(_capture(f"/hronikatm/{sample.path}", hint).body, sample.path, hints=hint)
    assert extracted.date_source == "feed"


def test_windows_1251_page_decodes_by_its_charset() -> None:
    sample = next(a for a in ALL_ARTICLES if a.encoding == "windows-1251")
    capture = _capture(f"/ng/{sample.path}")
    extracted = extract(capture.body, capture.url, content_type="text/html; charset=windows-1251")
    assert extracted.title == sample.title
    assert extracted.authors == [sample.author]


def test_boilerplate_is_left_out() -> None:
    sample = next(a for a in ALL_ARTICLES if a.outlet == "evrensel")
    extracted = extract(_capture(f"/evrensel/{sample.path}").body, sample.path)
    assert "abone" not in extracted.text.lower()
    assert "Gündem" not in extracted.text


def test_hreflang_alternates_are_recorded() -> None:
    sample = next(a for a in ALL_ARTICLES if a.alternates and a.lang == "ru")
    extracted = extract(_capture(f"/turkmen-news/{sample.path}").body, sample.path)
    assert extracted.alternates["en"].startswith(f"{BASE}/en-turkmen-news/news/")


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01\x02", b"<html><body></body></html>"])
def test_pages_without_articles_raise_extraction_error(body: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract(body, "https://example.org/a")


def test_process_capture_applies_scope_and_ids() -> None:
    source = REGISTRY.sources["azathabar-ru"]
    out_of_scope = next(a for a in ALL_ARTICLES if "kyrgyzstane" in a.path)
    capture = _capture(f"/azattyqasia/{out_of_scope.path}")
    with pytest.raises(SkipArticle, match="require_terms"):
        process_capture(capture, source)
    sample = next(a for a in ALL_ARTICLES if "31519100" in a.path)
    article = process_capture(_capture(f"/azattyqasia/{sample.path}"), source)
    assert article.article_key == "azathabar-ru:31519100"
    assert article.language == "ru" and article.outlet == source.outlet


def test_amp_twin_maps_to_the_article() -> None:
    sample = next(a for a in ALL_ARTICLES if a.amp)
    source = REGISTRY.sources["azathabar-tk"]
    main = process_capture(_capture(f"/azathabar/{sample.path}"), source)
    amp = process_capture(_capture(f"/azathabar/amp/{sample.path.rsplit('/', 1)[-1]}"), source)
    assert amp.article_key == main.article_key and amp.id == main.id
    assert amp.canonical_url == main.canonical_url == f"{BASE}/azathabar/{sample.path}"


def test_without_outlet_ids_the_canonical_url_is_the_key() -> None:
    sample = next(a for a in ALL_ARTICLES if a.outlet == "turkmen-news")
    source = REGISTRY.sources["turkmen-news-ru"]
    capture = _capture(f"/turkmen-news/{sample.path}")
    variant = Capture(
        **{
            **capture.__dict__,
            "url": capture.url + "?utm_source=tg",
            "final_url": capture.url + "?utm_source=tg",
        }
    )
    assert (
        process_capture(variant, source).article_key == process_capture(capture, source).article_key
    )


def test_a_headline_repeated_in_the_body_is_not_text() -> None:
    sample = next(a for a in ALL_ARTICLES if a.outlet == "turkmen-news")
    extracted = extract(_capture(f"/turkmen-news/{sample.path}").body, sample.path)
    assert extracted.title == sample.title
    assert not extracted.text.startswith(sample.title)
    assert extracted.text.startswith(sample.paras[0][:40])
