"""The Markdown, HTML and Atom renderings of a digest, from digests built as plain dicts (and one
built by ``build_digest`` from a store of constructed articles): what a monitor reads must list
every article under every person it names, every crawl failure, each article's ID, say what was
selected, stay readable on a phone, and the feed must be valid Atom."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.helpers import make_article
from tmwatch.output.digest import Selection, build_digest
from tmwatch.output.render import (
    NO_PERSON_LABEL,
    feed_id,
    group,
    h,
    md_escape,
    shorten,
    to_atom,
    to_html,
    to_markdown,
)
from tmwatch.record import Evidence, NameHit, article_id
from tmwatch.store import Store
from tmwatch.store.home import DataHome

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 8141: "urn:" NID ":" NSS, the NSS made of pchar (unreserved, %-encoded, sub-delims, : @)
# and "/" after the first character; no "?", "#", spaces or raw non-ASCII.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
URN = re.compile(rf"urn:[A-Za-z0-9][A-Za-z0-9-]{{0,30}}[A-Za-z0-9]:{_PCHAR}(?:{_PCHAR}|/)*")

RAKHMANOV, ABULOV, TAGANOVA = "Akhmed Rakhmanov", "Kamil Abulov", "Dursoltan Taganova"


# -- factories --------------------------------------------------------------------------------


def topic_evidence(sentence: str, term: str, label: str = "detention") -> dict[str, Any]:
    return {
        "kind": "topic",
        "label": label,
        "field": "text",
        "start": 0,
        "end": len(sentence),
        "sentence": sentence,
        "terms": [term],
    }


def article(key: str, **changes: Any) -> dict[str, Any]:
    """A digest article with plausible defaults; ``changes`` override fields."""
    values: dict[str, Any] = {
        "id": article_id(key),
        "url": f"https://outlet.example/{key}",
        "canonical_url": f"https://outlet.example/{key}",
        "source": "ng",
        "outlet": "Nezavisimaya Gazeta",
        "language": "ru",
        "title": f"Заголовок {key}",
        "authors": [],
        "published": "2021-10-19T10:00:00+03:00",
        "date_source": "jsonld",
        "modified": None,
        "first_seen": "2026-11-29T05:00:00+00:00",
        "fetched_at": "2026-11-29T05:00:00+00:00",
        "text": "Текст статьи.",
        "html_sha256": "0" * 64,
        "found_via": "feed",
        "alternates": {},
        "cluster": None,
        "status": "live",
        "taken_down_at": None,
        "tags": [],
        "persons": [],
        "places": [],
        "evidence": [],
        "also_at": [],
        "versions": 1,
        "edited": False,
        "new": True,
    }
    values.update(changes)
    return values


def digest(articles: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """A digest dict in the shape ``build_digest`` returns; ``changes`` override fields."""
    values: dict[str, Any] = {
        "schema_version": 2,
        "generated_at": "2026-11-29T07:00:00+00:00",
        "selection": {"all": "articles"},
        "filters": {"tag": None, "persons": []},
        "mark": None,
        "mark_name": "daily",
        "count": len(articles),
        "counts": {
            "outlet": dict(Counter(a["outlet"] for a in articles)),
            "language": dict(Counter(a["language"] or "?" for a in articles)),
        },
        "sources": {},
        "articles": articles,
    }
    values.update(changes)
    return values


def md_section(md: str, heading: str) -> str:
    """The Markdown under ``heading`` up to the next heading of any level."""
    start = md.index(f"{heading}\n")
    rest = md[start + len(heading) + 1 :]
    end = re.search(r"^#", rest, re.M)
    return rest[: end.start()] if end else rest


def md_sections(md: str, heading: str) -> list[str]:
    parts = md.split(f"\n{heading}\n")[1:]
    return [re.split(r"^#", p, maxsplit=1, flags=re.M)[0] for p in parts]


# -- 1. people --------------------------------------------------------------------------------


def people_digest() -> dict[str, Any]:
    both = article(
        "both",
        title="Рахманов и Абулов задержаны",
        tags=["detention"],
        persons=[ABULOV, RAKHMANOV],
        cluster="story1",
    )
    syndicated = article(
        "both-copy",
        title="Рахманов и Абулов задержаны (перепечатка)",
        outlet="Turkmen.News",
        tags=["detention"],
        persons=[RAKHMANOV, ABULOV],
        cluster="story1",
    )
    nobody = article("nobody", title="Задержан неизвестный активист", tags=["detention"])
    only_rakhmanov = article(
        "rakh", title="Рахманов в Тузле", tags=["detention"], persons=[RAKHMANOV]
    )
    return digest([both, syndicated, nobody, only_rakhmanov])


def test_an_article_is_listed_under_every_person_it_names() -> None:
    data = people_digest()
    [(topic, people)] = group(data["articles"])
    by_person = {p: [[m["id"] for m in c] for c in clusters] for p, clusters in people}
    both, copy, nobody, rakh = (a["id"] for a in data["articles"])
    assert topic == "detention"
    assert by_person == {
        ABULOV: [[both, copy]],  # the story once per person heading, its copy folded in
        RAKHMANOV: [[both, copy], [rakh]],
        "": [[nobody]],
    }

    md = to_markdown(data)
    for person in (RAKHMANOV, ABULOV):
        section = md_section(md, f"### {person}")
        assert section.count("Рахманов и Абулов задержаны") == 1  # once, the copy as also-at
        assert "also at:" in section
        assert "неизвестный" not in section
    assert "Рахманов в Тузле" in md_section(md, f"### {RAKHMANOV}")
    assert "Рахманов в Тузле" not in md_section(md, f"### {ABULOV}")
    # An article naming nobody watched never reads as being under a person's heading.
    headings = re.findall(r"^#+ .*$", md[: md.index("Задержан неизвестный")], re.M)
    assert headings[-1] == f"### {NO_PERSON_LABEL}"

    page = to_html(data)
    sections = re.split(r"<h[23]>", page)
    named = [s for s in sections if s.startswith((RAKHMANOV, ABULOV))]
    assert len(named) == 2 and all("Рахманов и Абулов задержаны<" in s for s in named)
    assert all("неизвестный" not in s for s in named)
    headings = re.findall(r"<h[23][^>]*>([^<]*)<", page[: page.index("Задержан неизвестный")])
    assert headings[-1] == NO_PERSON_LABEL


def test_articles_naming_nobody_get_no_person_heading_when_nobody_is_named() -> None:
    md = to_markdown(digest([article("a", tags=["detention"]), article("b")]))
    assert "###" not in md and NO_PERSON_LABEL not in md


# -- 2. failures ------------------------------------------------------------------------------


SOURCES = {
    "azathabar-tk": {
        "state": "ok",  # ok, and still a failure worth seeing
        "new": 3,
        "errors": 1,
        "problems": ["feed http://a.example/api/zombie: feed body is only 11 bytes"],
    },
    "bianet": {
        "state": "partial",
        "new": 5,
        "errors": 7,
        "problems": [f"http://b.example/haber/{n}_x: HTTP 503" for n in range(6)]
        + ["http://b.example/slow: DownloadTimeoutError: took longer than 2.0 seconds."],
    },
    "evrensel": {
        "state": "failed",
        "new": 0,
        "errors": 2,
        "problems": ["http://e.example/: HTTP 403 `refused`", "http://e.example/rss: HTTP 500"],
    },
    "ng": {"state": "empty", "new": 0, "errors": 0, "problems": []},
    "turkmen-news-en": {"state": "ok", "new": 2, "errors": 0, "problems": []},
}


def test_every_problem_of_every_source_is_listed() -> None:
    data = digest([article("a")], sources=SOURCES)
    md = to_markdown(data)
    page = to_html(data)
    problems = [p for info in SOURCES.values() for p in info["problems"]]
    assert len(problems) == 10
    for problem in problems:
        assert md.count(md_escape(problem)) == 1, problem
        assert page.count(f"<code>{h(problem)}</code>") == 1, problem
    assert "| bianet | partial | 5 | 7 |" in md
    assert "- **bianet** (partial):" in md
    assert "<tr><td>bianet</td><td>partial</td>" in page
    assert "| evrensel | failed |" in md and "| ng | empty |" in md
    assert "| turkmen-news-en | ok |" in md


def test_a_digest_without_source_health_has_no_sources_section() -> None:
    md = to_markdown(digest([article("a")]))
    assert "## Sources" not in md


# -- 3. IDs -----------------------------------------------------------------------------------


def test_each_article_shows_its_id_for_cite() -> None:
    main = article("a", cluster="c1")
    copy = article("b", cluster="c1", outlet="Turkmen.News")
    elsewhere = {"id": "zzzzzzzzzz", "url": "https://x.example/1", "outlet": "X", "language": "en"}
    main["also_at"] = [{k: copy[k] for k in ("id", "url", "outlet", "language")}, elsewhere]
    data = digest([main, copy])
    md = to_markdown(data)
    page = to_html(data)
    for aid in (main["id"], copy["id"], "zzzzzzzzzz"):
        assert re.fullmatch(r"[a-z2-7]{10}", aid)
        assert f"`{aid}`" in md
        assert f"<code>{aid}</code>" in page


# -- 4. titles and counts ---------------------------------------------------------------------


def test_title_names_the_day_the_filters_and_the_mark() -> None:
    data = digest(
        [article("a", tags=["detention"], persons=[TAGANOVA])],
        selection={"published_on": "2021-10-19"},
        filters={"tag": "detention", "persons": [TAGANOVA]},
        mark={"name": "daily", "sequence": 123, "at": "2026-11-29T06:00:00+00:00"},
        count=1,
        counts={"outlet": {"Nezavisimaya Gazeta": 1}, "language": {"ru": 1}},
    )
    md = to_markdown(data)
    title = md.splitlines()[0]
    assert title == f"# tmwatch digest — 2021-10-19 — {TAGANOVA} — tag detention"
    assert "all articles" not in md
    assert "new since the `daily` mark of 2026-11-29 06:00 UTC" in md
    assert "1 article, 1 new" in md
    page = to_html(data)
    assert f"<title>tmwatch digest — 2021-10-19 — {TAGANOVA} — tag detention</title>" in page
    assert f"<h1>tmwatch digest — 2021-10-19 — {TAGANOVA} — tag detention</h1>" in page
    assert "new since the <code>daily</code> mark of 2026-11-29 06:00 UTC" in page


@pytest.mark.parametrize(
    ("selection", "title"),
    [
        ({"all": "articles"}, "all articles"),
        ({"published_since": "2021-10-01", "published_until": "2021-10-31"}, "2021-10-01 to"),
        ({"published_since": "2021-10-01"}, "published since 2021-10-01"),
        ({"first_seen_within": "24h"}, "first seen in the last 24h"),
        ({"new_since_mark": "weekly"}, "new since the weekly mark"),
    ],
)
def test_title_describes_each_selection(selection: dict[str, str], title: str) -> None:
    assert title in to_markdown(digest([], selection=selection)).splitlines()[0]


def test_without_an_earlier_digest_everything_is_new() -> None:
    data = digest(
        [article("a")], selection={"new_since_mark": "weekly"}, mark=None, mark_name="weekly"
    )
    assert "no earlier `weekly` digest: everything is new" in to_markdown(data)
    assert "no earlier <code>weekly</code> digest: everything is new" in to_html(data)


def test_counts_are_the_digests_own_filtered_counts() -> None:
    rakh = article("a", persons=[RAKHMANOV], outlet="bianet", language="tr")
    data = digest(
        [rakh],
        filters={"tag": None, "persons": [RAKHMANOV]},
        count=1,
        counts={"outlet": {"bianet": 1}, "language": {"tr": 1}},
    )
    md = to_markdown(data)
    assert "| bianet | 1 |" in md and "| tr | 1 |" in md and "Nezavisimaya" not in md
    assert md.splitlines()[0] == f"# tmwatch digest — all articles — {RAKHMANOV}"
    assert "; 1 article, 1 new;" in md


# -- 5. HTML ----------------------------------------------------------------------------------


class Page(HTMLParser):
    """Every start tag with its attributes, and the CSS, of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.css = ""
        self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def html_digest() -> dict[str, Any]:
    long_url = "https://outlet.example/" + "a-very-long-slug-" * 20
    return digest(
        [
            article(
                "ru",
                tags=["turkmen-detention-turkey"],
                persons=[RAKHMANOV],
                url=long_url,
                evidence=[topic_evidence("Рахманова задержали в Анталье.", "задержали")],
            ),
            article(
                "tk",
                language="tk",
                title="Rahmanow saklandy",
                tags=["detention"],
                evidence=[topic_evidence("Rahmanow saklandy.", "saklandy")],
            ),
            article(
                "tr",
                language="tr",
                title="<script>alert(1)</script> Rahmanov \u202egözaltında",
                tags=["protest"],
                evidence=[topic_evidence("Rahmanov gözaltına alındı.", "gözaltına")],
            ),
            article("en", language="en", title="Other news"),
        ],
        sources=SOURCES,
    )


def test_html_has_viewport_languages_and_contents() -> None:
    data = html_digest()
    text = to_html(data)
    page = Page(text)
    [html_tag] = page.all("html")
    assert html_tag["lang"] == "en"
    viewport = [m for m in page.all("meta") if m.get("name") == "viewport"]
    assert viewport == [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]
    for item in data["articles"]:
        title = next(a for a in page.all("a") if a["href"] == item["url"])
        assert title["lang"] == item["language"]
    quote_langs = [q["lang"] for q in page.all("blockquote")]
    assert sorted(quote_langs) == ["ru", "tk", "tr"]
    # The table of contents links every topic section by its id.
    assert len(page.all("nav")) == 1
    ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    toc = re.search(r"<nav[^>]*>(.*?)</nav>", text, re.S)
    assert toc
    targets = re.findall(r'href="#([^"]+)"', toc.group(1))
    assert set(targets) <= ids
    topic_sections = [s["id"] for s in page.all("section") if s["id"].startswith("topic-")]
    assert len(topic_sections) == 4 and set(topic_sections) <= set(targets)
    assert len(set(ids)) == len([a for _, a in page.tags if a.get("id")])  # ids are unique


def test_html_is_readable_from_390_to_1280_pixels() -> None:
    text = to_html(html_digest())
    page = Page(text)
    css = re.sub(r"\s+", "", page.css)
    assert "box-sizing:border-box" in css
    assert re.search(r"body\{[^}]*max-width:\d+(\.\d+)?rem", css)
    assert "overflow-wrap:anywhere" in css
    # No fixed widths: only max-width and relative units; nothing wider than a phone.
    assert not re.search(r"(?<![-\w])(width|min-width)\s*:", css)
    assert all(int(px) < 390 for px in re.findall(r"(\d+)px", css))
    assert not any("style" in attrs for _, attrs in page.tags)
    assert not re.search(r"<(img|pre|iframe)", text)
    # Tables scroll inside their own box.
    assert re.search(r"\.scroll\{[^}]*overflow-x:auto", css)
    assert text.count("<table>") == text.count('<div class="scroll"><table>') == 3


def test_html_keeps_its_safety() -> None:
    text = to_html(html_digest())
    assert "default-src 'none'" in text and '<meta name="referrer" content="no-referrer">' in text
    assert "<script" not in text.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\u202e" not in text
    assert not re.search(r"""(src|srcset|action)\s*=|<link|@import|url\(""", text, re.I)
    assert not re.search(
        r"(https?:)?//(?!outlet\.example|[abex]\.example)", text.split("<body>")[1]
    )
    for anchor in re.findall(r"<a [^>]*>", text):
        assert 'rel="noreferrer noopener"' in anchor


# -- 6. Markdown quotes -----------------------------------------------------------------------


def quote_blocks(md: str) -> list[list[str]]:
    """CommonMark's view of block quotes, enough for a list of entries: blocks are separated by
    blank lines, a block quote starts with ">" after at most the list's indentation, and a
    line straight after a quote line (no blank line) continues that quote's paragraph."""
    blocks: list[list[str]] = []
    for block in re.split(r"\n[ \t]*\n", md):
        lines = block.splitlines()
        start = next((i for i, line in enumerate(lines) if re.match(r" {0,5}>", line)), None)
        if start is not None:
            blocks.append(lines[start:])
    return blocks


def test_each_evidence_quote_is_its_own_paragraph() -> None:
    sentences = [
        "Рахманова задержали в Анталье.",
        "Абулова задержали в Стамбуле.",
        "Обоих отправили в депортационный центр.",
    ]
    item = article(
        "q",
        tags=["detention"],
        persons=[RAKHMANOV],
        evidence=[topic_evidence(s, s.split()[1]) for s in sentences],
    )
    md = to_markdown(digest([item]))
    blocks = quote_blocks(md)
    assert len(blocks) == 3
    assert all(len(b) == 1 for b in blocks), blocks  # no quote runs into the next
    for block, sentence in zip(blocks, sentences, strict=True):
        assert block[0].startswith("  > ") and sentence.split()[0] in block[0]
        assert "**задержали**" in block[0] or "**отправили**" in block[0]


# -- 7. Atom ----------------------------------------------------------------------------------


def parse_feed(text: str) -> tuple[ET.Element, Any]:
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML
    feed = feedparser.parse(text.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    return root, feed


def test_feed_ids_are_valid_stable_urns_one_per_filter_combination() -> None:
    combos = [
        None,
        {"tag": "detention", "persons": []},
        {"tag": "turkmen-detention-turkey", "persons": []},
        {"tag": None, "persons": [TAGANOVA]},
        {"tag": None, "persons": ["Дурсолтан Таганова"]},
        {"tag": None, "persons": [TAGANOVA, RAKHMANOV]},
        {"tag": "detention", "persons": [TAGANOVA]},
        {"tag": "a:b", "persons": ["x,y"]},
        {"tag": "a", "persons": ["b:x", "y"]},
    ]
    ids = [feed_id(c) for c in combos]
    assert len(set(ids)) == len(ids)
    for value in ids:
        assert URN.fullmatch(value), value
    assert feed_id({"tag": None, "persons": []}) == feed_id(None)
    assert feed_id({"tag": None, "persons": [RAKHMANOV, TAGANOVA]}) == ids[5]  # order-free

    data = digest([article("a")], filters={"tag": "detention", "persons": [TAGANOVA]})
    root, feed = parse_feed(to_atom(data))
    assert feed.feed.id == ids[6] == root.findtext(f"{ATOM}id")
    assert feed.feed.title == f"tmwatch — {TAGANOVA} — tag detention"
    for entry in root.iter(f"{ATOM}entry"):
        assert URN.fullmatch(entry.findtext(f"{ATOM}id") or "")
    assert to_atom(data) == to_atom(data)


def test_self_link_only_when_the_feed_url_is_known() -> None:
    data = digest([article("a")])
    root, _ = parse_feed(to_atom(data, "https://ngo.example/feeds/taganova.atom"))
    [link] = root.findall(f"{ATOM}link")
    assert link.attrib["rel"] == "self"
    assert link.attrib["href"] == "https://ngo.example/feeds/taganova.atom"
    root, _ = parse_feed(to_atom(data))
    assert root.findall(f"{ATOM}link") == []


def test_date_only_articles_get_the_outlets_local_midnight() -> None:
    articles = [
        article("n1", published="2021-10-18T10:00:00+03:00"),
        article("n2", published="2021-10-17T09:00:00+03:00"),
        article("n3", published="2021-10-16T09:00:00+05:00"),
        article("n4", published="2021-10-19"),
        article("n5", published="2021-10-19T08:30:00"),  # no zone: the outlet's too
        article("o1", source="other", outlet="Other", published="2021-10-20"),
    ]
    root, feed = parse_feed(to_atom(digest(articles)))
    published = {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}published")
        for e in root.iter(f"{ATOM}entry")
    }
    assert published["Заголовок n4"] == "2021-10-19T00:00:00+03:00"
    assert published["Заголовок n5"] == "2021-10-19T08:30:00+03:00"
    assert published["Заголовок o1"] == "2021-10-20T00:00:00+00:00"
    assert published["Заголовок n1"] == "2021-10-18T10:00:00+03:00"
    assert all(e.get("published_parsed") for e in feed.entries)


def test_entries_carry_their_language_and_word_boundary_summaries() -> None:
    words = "Туркменский активист Рахманов остаётся в депортационном центре Тузлы " * 20
    evidence = [topic_evidence(words.strip(), "депортационном")]
    articles = [
        article("ru", text=words),
        article("tk", language="tk", text="Aktiwist Rahmanow " * 60),
        article("ev", evidence=evidence),
        article("un", language=None, text="Short text."),
    ]
    root, feed = parse_feed(to_atom(digest(articles)))
    assert root.get(XML_LANG) == "en"
    entries = list(root.iter(f"{ATOM}entry"))
    assert [e.get(XML_LANG) for e in entries] == ["ru", "tk", "ru", ""]
    assert [e.title_detail.language for e in feed.entries[:3]] == ["ru", "tk", "ru"]
    for entry, source in zip(entries[:3], [words, "Aktiwist Rahmanow " * 60, words], strict=True):
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert summary.endswith("…") and not summary.endswith(" …")
        kept = summary[:-1]
        flat = " ".join(source.split())
        assert flat.startswith(kept) and flat[len(kept)] == " "  # never mid-word
    assert entries[3].findtext(f"{ATOM}summary") == "Short text."


def test_shorten_never_cuts_a_word() -> None:
    assert shorten("one two three", 100) == "one two three"
    assert shorten("one two three", 9) == "one two…"
    assert shorten("one two three", 7) == "one two…"
    assert shorten("one two, three", 8) == "one two…"
    assert shorten("x" * 50 + " y", 10) == "x" * 50 + "…"


def test_hostile_text_makes_a_well_formed_feed() -> None:
    hostile = article(
        "h",
        title="<b>&amp;</b> \x00\x1b\u202e\ud800\uffff Рахманов ]]>",
        url="https://outlet.example/a?b=1&c=<2>",
        text="\x07" + "слово " * 100,
        tags=["detention"],
        persons=[RAKHMANOV],
        authors=["A & B <c>"],
    )
    root, feed = parse_feed(to_atom(digest([hostile], filters={"tag": "x y", "persons": ["ä"]})))
    assert feed.entries[0].title.startswith("<b>&amp;</b>")
    assert URN.fullmatch(root.findtext(f"{ATOM}id") or "")


# -- a real digest ----------------------------------------------------------------------------


def test_a_real_digest_of_constructed_articles(tmp_path: Path) -> None:
    """``build_digest`` over a store holding constructed articles, rendered three ways."""
    sentence = "Ахмед Рахманов и Камил Абулов задержаны в Стамбуле."
    evidence = [
        Evidence("topic", "detention", "text", 0, len(sentence), sentence, ("задержаны",)),
        Evidence(
            "person", RAKHMANOV, "text", 0, len(sentence), sentence,
            names=(NameHit("Ахмед Рахманов", 0, 14, "Рахманов"),),
        ),
        Evidence(
            "person", ABULOV, "text", 0, len(sentence), sentence,
            names=(NameHit("Камил Абулов", 17, 29, "Абулов"),),
        ),
    ]  # fmt: skip
    both = make_article(
        "ng:1",
        id=article_id("ng:1"),
        source="ng",
        outlet="Nezavisimaya Gazeta",
        url="https://ng.example/1",
        canonical_url="https://ng.example/1",
        title="Рахманов и Абулов задержаны",
        text=sentence,
        published="2021-10-19",
        tags=["detention"],
        persons=[ABULOV, RAKHMANOV],
        evidence=evidence,
    )
    timed = make_article(
        "ng:2",
        id=article_id("ng:2"),
        source="ng",
        outlet="Nezavisimaya Gazeta",
        url="https://ng.example/2",
        canonical_url="https://ng.example/2",
        title="Прочее",
        published="2021-10-18T12:00:00+03:00",
    )
    problems = [f"http://ng.example/{n}: HTTP 503" for n in range(7)]
    with Store(DataHome(tmp_path / "home")) as store:
        with store.transaction():
            store.archive.save_article(both)
            store.archive.save_article(timed)
            run = store.crawl.start_run("crawl")
            stats = {"sources": {"ng": {"found": 9, "new": 2, "errors": 7, "problems": problems}}}
            store.crawl.finish_run(run, "finished", stats)
        data = build_digest(store, Selection(everything=True))

    md = to_markdown(data)
    for person in (RAKHMANOV, ABULOV):
        section = md_section(md, f"### {person}")
        assert "Рахманов и Абулов задержаны" in section and f"`{both.id}`" in section
    assert "**задержаны**" in md
    for problem in problems:
        assert md_escape(problem) in md
    assert "| ng | partial |" in md

    page = to_html(data)
    assert f"<code>{both.id}</code>" in page and f"<code>{timed.id}</code>" in page
    assert all(f"<code>{h(p)}</code>" in page for p in problems)

    root, feed = parse_feed(to_atom(data, "https://ngo.example/all.atom"))
    assert len(feed.entries) == 2
    published = {
        e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}published") for e in root.iter(f"{ATOM}entry")
    }
    assert published[f"urn:tmwatch:article:{both.id}"] == "2021-10-19T00:00:00+03:00"
