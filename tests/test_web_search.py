"""The search page, its facets, histogram and pages, the exports and ``/api/search``, over the
data home of a real ``tmwatch demo`` crawl (never written: a test that changes a store copies it
first). Pages are read with parsel, the way a browser would see them; every count is checked
against the store or against the command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest
from parsel import Selector
from starlette.testclient import TestClient

from tests.helpers import invoke
from tests.web_support import client
from tmwatch.folding import fold
from tmwatch.output.search import SearchResult
from tmwatch.store import DataHome, Store
from tmwatch.web import export as export_module
from tmwatch.web import search_page, searching
from tmwatch.web.search_page import PAGE_SIZE, paging, segments
from tmwatch.web.searching import PAGE_NAMES, SearchParams, in_params
from tmwatch.web.security import CSP

# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(demo_archive: Path) -> Iterator[TestClient]:
    """One client for the module, so its worker threads (and their store connections) stay."""
    with client(demo_archive) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def stored(demo_archive: Path) -> dict[str, Any]:
    """What the demo store holds, read with plain SQL: the reference the facets must match."""
    with Store(DataHome(demo_archive), create=False, readonly=True) as store:
        db = store.db
        rows = [dict(r) for r in db.execute("SELECT * FROM articles")]
        labels = [tuple(r) for r in db.execute("SELECT kind, value, article_id FROM labels")]
    return {"articles": rows, "labels": labels}


def page(web: TestClient, params: dict[str, str] | str = "", status: int = 200) -> Selector:
    url = params if isinstance(params, str) and params.startswith("/") else "/search"
    response = web.get(url, params=None if isinstance(params, str) else params)
    assert response.status_code == status, response.text[-600:]
    return Selector(response.text)


def results(html: Selector) -> list[dict[str, Any]]:
    """Each result of a page as the reader sees it."""
    out = []
    for item in html.css("ol.results > li.result"):
        out.append(
            {
                "id": item.css("h3 a::attr(href)").get().rsplit("/", 1)[1],
                "title_lang": item.css("h3::attr(lang)").get(),
                "outlet": item.css(".meta .outlet::text").get(),
                "language": item.css(".meta span:not(.outlet)::text").get(),
                "day": item.css(".meta time::attr(datetime)").get(),
                "persons": item.css(".labels a.person::text").getall(),
                "tags": item.css(".labels a.tag::text").getall(),
                "marked": item.css(".snippet mark::text").getall(),
                "snippet_lang": item.css(".snippet::attr(lang)").get(),
            }
        )
    return out


def total(html: Selector) -> str:
    return " ".join(html.css("#results-heading::text").get().split())


def facet(html: Selector, name: str) -> dict[str, tuple[int, str]]:
    """A facet's values: label -> (count, link)."""
    found = {}
    for item in html.css(f"#facet-{name} ~ ul li, #facet-{name} ~ details li"):
        found[item.css("a::text").get()] = (
            int(item.css(".count::text").get()),
            item.css("a::attr(href)").get(),
        )
    return found


def histogram(html: Selector) -> dict[str, tuple[int, str | None]]:
    rows = {}
    for row in html.css("table.histogram tbody tr"):
        label = row.css("th a::text").get() or row.css("th::text").get()
        rows[label] = (int(row.css("td.num::text").get()), row.css("th a::attr(href)").get())
    return rows


def api(web: TestClient, **params: str) -> dict[str, Any]:
    response = web.get("/api/search", params=params)
    # ``lang`` also switches the interface language (a cookie): later pages stay in English.
    web.cookies.clear()
    assert response.status_code == 200, response.text
    return response.json()


def cli_json(home: Path, *args: str) -> dict[str, Any]:
    ran = invoke("search", *args, "--json", home=home)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def error_of(response: httpx.Response) -> str:
    return " ".join(Selector(response.text).css("p.error::text").get("").split())


# -- searching across scripts ------------------------------------------------------------------


def test_a_latin_name_finds_the_cyrillic_turkmen_and_turkish_reports(web: TestClient) -> None:
    html = page(web, {"q": "Taganova"})
    found = results(html)
    assert {r["language"] for r in found} >= {"ru", "tk", "tr", "en"}
    for result in found:
        assert "Dursoltan Taganova" in result["persons"]
        # matched words are marked, in the article's own script and inflection
        assert result["marked"], result
        assert all(fold(word).startswith("tagan") for word in result["marked"]), result
        assert result["title_lang"] == result["language"] == result["snippet_lang"]
    spellings = {w for r in found for w in r["marked"]}
    assert {"Таганова", "Taganowa"} & spellings and "Taganova" in spellings
    assert total(html) == f"{len(found)} results"


def test_the_page_equals_the_command_line_search(web: TestClient, demo_archive: Path) -> None:
    html = page(web, {"q": "Rakhmanov", "language": "ru"})
    expected = cli_json(demo_archive, "Rakhmanov", "--lang", "ru")
    assert [r["id"] for r in results(html)] == [r["id"] for r in expected["results"]]
    assert total(html) == f"{expected['total']} results"


def test_article_text_and_queries_are_escaped(web: TestClient) -> None:
    response = web.get("/search", params={"q": '<b onmouseover="x">Taganova</b> Taganova'})
    assert response.status_code == 200
    assert "<b onmouseover" not in response.text
    assert 'value="&lt;b onmouseover=&#34;x&#34;&gt;Taganova&lt;/b&gt; Taganova"' in response.text
    refused = web.get("/search", params={"tag": "<script>alert(1)</script>"})
    assert refused.status_code == 400 and "<script>alert" not in refused.text
    assert error_of(refused).startswith("unknown tag '<script>alert(1)</script>'")


def test_words_side_by_side_must_all_be_there(web: TestClient, demo_archive: Path) -> None:
    both = api(web, q="Tuzla Abulov", limit="100")
    assert both == api(web, q="Tuzla AND Abulov", limit="100")
    assert both["total"] and both == cli_json(demo_archive, "Tuzla Abulov", "--limit", "100")
    phrase_and_word = api(web, q='"Dursoltan Taganova" Taganova', limit="100")
    assert phrase_and_word["total"] == api(web, q='"Dursoltan Taganova"', limit="100")["total"]


def test_snippet_segments_follow_the_match_offsets() -> None:
    assert segments("Dursoltan Taganova walked", [[10, 18]]) == [
        ("Dursoltan ", False),
        ("Taganova", True),
        (" walked", False),
    ]
    # overlapping or empty spans are skipped, never duplicated
    assert segments("abcdef", [[0, 3], [2, 4], [5, 5]]) == [("abc", True), ("def", False)]
    assert segments("<b>", []) == [("<b>", False)]


# -- facets and the histogram ------------------------------------------------------------------


def test_facet_counts_match_the_store(web: TestClient, stored: dict[str, Any]) -> None:
    html = page(web, {})
    articles = stored["articles"]
    assert total(html) == f"{len(articles)} results"
    assert not html.css("aside .note"), "the demo store is small enough for complete counts"
    tags = Counter(value for kind, value, _ in stored["labels"] if kind == "tag")
    persons = Counter(value for kind, value, _ in stored["labels"] if kind == "person")
    assert {k: v[0] for k, v in facet(html, "tag").items()} == dict(tags)
    assert {k: v[0] for k, v in facet(html, "person").items()} == dict(persons)
    assert {k: v[0] for k, v in facet(html, "outlet").items()} == dict(
        Counter(a["outlet"] for a in articles)
    )
    assert {k: v[0] for k, v in facet(html, "language").items()} == dict(
        Counter(a["language"] for a in articles if a["language"])
    )
    months = Counter((a["published_day"] or "")[:7] or "undated" for a in articles)
    shown = histogram(html)
    assert {k: v[0] for k, v in shown.items() if v[0]} == dict(months)
    assert sum(count for count, _ in shown.values()) == len(articles)


def test_facets_of_a_query_count_its_matches(web: TestClient) -> None:
    html = page(web, {"q": "Taganova"})
    matched = api(web, q="Taganova", limit="1000")["results"]
    assert {k: v[0] for k, v in facet(html, "language").items()} == dict(
        Counter(r["language"] for r in matched)
    )
    assert {k: v[0] for k, v in facet(html, "tag").items()} == dict(
        Counter(t for r in matched for t in r["tags"])
    )
    assert sum(count for count, _ in histogram(html).values()) == len(matched)


@pytest.mark.parametrize("name", ["tag", "person", "outlet", "language"])
def test_following_a_facet_narrows_to_it(web: TestClient, name: str) -> None:
    before = page(web, {"q": "Taganova OR Rakhmanov"})
    values = facet(before, name)
    assert values, f"no {name} facet"
    label, (count, href) = sorted(values.items(), key=lambda kv: kv[1][0])[0]
    assert parse_qs(urlsplit(href).query)["q"] == ["Taganova OR Rakhmanov"]
    after = page(web, href)
    found = results(after)
    assert total(after) == (f"{count} results" if count > 1 else "1 result")
    field = {"tag": "tags", "person": "persons", "outlet": "outlet", "language": "language"}[name]
    for result in found:
        value = result[field]
        assert label in value if isinstance(value, list) else value == label, result
    # the active facet is shown with a link that removes it, and removing it widens again
    remove = after.css(f"#facet-{name} ~ p a::attr(href)").get()
    assert after.css(f"#facet-{name} ~ p strong::text").get() == label
    assert total(page(web, remove)) == total(before)


def test_following_a_month_narrows_to_it(web: TestClient) -> None:
    before = page(web, {})
    month, (count, href) = max(histogram(before).items(), key=lambda kv: kv[1][0])
    after = page(web, href)
    assert total(after) == f"{count} results"
    pages = -(-count // 20)  # every page of the month's results
    found = [r for n in range(1, pages + 1) for r in results(page(web, f"{href}&page={n}"))]
    assert len(found) == count and all(r["day"].startswith(month) for r in found)
    assert "month" in " ".join(after.css(".active-filters li").xpath("string()").getall())
    assert set(histogram(after)) == {month}


def test_the_histogram_shows_gaps_and_counts_odd_days_as_undated() -> None:
    months = [("2021-10", 4), ("2021-12", 2), ("2021-00", 1), ("", 1)]
    bars = search_page.histogram(SearchParams(q="x"), months)
    assert [(b.label, b.count, b.width) for b in bars] == [
        ("2021-10", 4, 100),
        ("2021-11", 0, 0),
        ("2021-12", 2, 50),
        ("undated", 2, 50),
    ]
    assert bars[0].href == "/search?q=x&since=2021-10-01&until=2021-10-31"
    assert bars[1].href is None and bars[3].href is None
    # a long span lists only the months with matches
    apart = search_page.histogram(SearchParams(), [("2001-01", 1), ("2021-01", 1)])
    assert [b.label for b in apart] == ["2001-01", "2021-01"]


# -- pages -------------------------------------------------------------------------------------


def test_page_numbers_are_a_window_with_gaps() -> None:
    found = SearchResult([{}] * PAGE_SIZE, 1000, "newest", total_is_lower_bound=True)
    shown = paging(SearchParams(q="x"), 10, found)
    assert [n for n, _ in shown.numbers] == [1, None, 8, 9, 10, 11, 12, None, 50]
    assert shown.more and shown.prev == "/search?q=x&page=9" and shown.next == "/search?q=x&page=11"
    assert shown.numbers[0][1] == "/search?q=x"
    # beyond the counted total, pages go on while they are full
    deep = paging(SearchParams(), 60, found)
    assert deep.next == "/search?page=61" and deep.last == 61
    end = paging(SearchParams(), 3, SearchResult([{}] * 5, 45, "date"))
    assert end.next is None and end.last == 3 and not end.more


def test_pages_cover_every_result_once(web: TestClient, stored: dict[str, Any]) -> None:
    count = len(stored["articles"])
    last = -(-count // PAGE_SIZE)
    assert last >= 3, "the demo store should fill several pages"
    first = page(web, {})
    assert first.css('a[rel="next"]::attr(href)').get() == "/search?page=2"
    assert not first.css('a[rel="prev"]')
    seen: list[str] = []
    for number in range(1, last + 1):
        html = page(web, {"page": str(number)})
        assert total(html) == f"{count} results"
        assert html.css('nav.pages a[aria-current="page"]::text').get() == str(number)
        shown = [r["id"] for r in results(html)]
        assert html.css("ol.results::attr(start)").get() == str(len(seen) + 1)
        assert 0 < len(shown) <= PAGE_SIZE
        seen += shown
        if number > 1:
            assert (
                html.css('a[rel="prev"]::attr(href)')
                .get()
                .endswith(f"page={number - 1}" if number > 2 else "/search")
            )
        assert bool(html.css('a[rel="next"]')) == (number < last)
    assert len(seen) == len(set(seen)) == count
    assert set(seen) == {a["id"] for a in stored["articles"]}


def test_paging_keeps_the_query(web: TestClient) -> None:
    html = page(web, {"q": "Turkmen", "page": "2"})
    assert html.css('a[rel="prev"]::attr(href)').get() == "/search?q=Turkmen"
    first = {r["id"] for r in results(page(web, {"q": "Turkmen"}))}
    assert first.isdisjoint({r["id"] for r in results(html)})


def test_a_page_past_the_end_is_not_found(web: TestClient, stored: dict[str, Any]) -> None:
    last = -(-len(stored["articles"]) // PAGE_SIZE)
    response = web.get("/search", params={"page": str(last + 1)})
    assert response.status_code == 404
    assert error_of(response) == f"page {last + 1} is past the last page of results ({last})"
    assert response.headers["content-security-policy"] == CSP


def test_api_pages_with_offset(web: TestClient, demo_archive: Path) -> None:
    ten = cli_json(demo_archive, "Turkmen", "--limit", "10")
    later = api(web, q="Turkmen", limit="5", offset="5")
    assert later["results"] == ten["results"][5:10]
    assert later["total"] == ten["total"]


# -- bad requests ------------------------------------------------------------------------------

BAD = [
    ({"tag": "nope"}, "unknown tag 'nope'; tags in the store: detention, turkmen-detention-turkey"),
    ({"language": "xx"}, "unknown language 'xx'; languages in the store: en, ru, tk, tr"),
    ({"person": "Nobody"}, "no watched person in the store matches person 'Nobody'; persons"),
    ({"outlet": "nope"}, "no stored outlet matches outlet 'nope'; outlets in the store:"),
    ({"since": "2021-13-40"}, "since: '2021-13-40' is not a date (use YYYY-MM-DD)"),
    ({"until": "yesterday"}, "until: 'yesterday' is not a date (use YYYY-MM-DD)"),
    ({"since": "2021-11-01", "until": "2021-10-01"}, "since 2021-11-01 is after until 2021-10-01"),
    ({"page": "999999999"}, "page: must be from 1 to 10000"),
    ({"page": "0"}, "page: must be from 1 to 10000"),
    ({"page": "two"}, "page: 'two' is not a whole number"),
    ({"q": '"Taganova'}, "bad query: unbalanced quote in the query"),
    ({"q": "*"}, "bad query: the query has no words to search for"),
    ({"q": "AND"}, "bad query: the query has no words to search for"),
    ({"q": "NEAR("}, "bad query: cannot understand the query"),
    ({"q": "Taganova AND"}, "bad query: cannot understand the query"),
    ({"q": "') OR 1=1 --"}, "bad query: cannot understand the query"),
    ({"q": "x" * 501}, "q: longer than 500 characters"),
    ({"q": "Taganova\x00"}, "q: control characters are not allowed"),
    ({"tag": "t" * 201}, "tag: longer than 200 characters"),
]


@pytest.mark.parametrize(("params", "message"), BAD, ids=[repr(p)[:40] for p, _ in BAD])
def test_bad_parameters_are_a_400_page_with_one_line(
    web: TestClient, params: dict[str, str], message: str
) -> None:
    response = web.get("/search", params=params)
    assert response.status_code == 400, response.text[-400:]
    assert error_of(response).startswith(message)
    assert "\n" not in error_of(response)
    assert response.headers["content-security-policy"] == CSP
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "OR",
        "NOT Taganova",
        "(",
        ")",
        "Taganova)",
        "'; DROP TABLE articles; --",
        "folded : x",
        "article_id:x",
        "NEAR(Taganova Tuzla, 2)",
        "^Taganova",
        "Taganova*",
        "-Taganova",
        "\u202eTaganova",
        "\t\tTaganova",
        "🙂 Taganova",
        '""',
        "a" * 500,
        " ".join(["a"] * 250),
    ],
)
def test_hostile_queries_get_results_or_a_400_never_a_500(web: TestClient, query: str) -> None:
    for path in ("/search", "/api/search", "/export.csv"):
        response = web.get(path, params={"q": query})
        assert response.status_code in (200, 400), (path, response.status_code, response.text)
        if response.status_code == 400:
            message = error_of(response) if path == "/search" else response.text
            assert message and "Traceback" not in response.text


def test_a_search_that_takes_too_long_is_stopped(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searching, "SEARCH_SECONDS", -1.0)
    monkeypatch.setattr(searching, "CHECK_EVERY", 10)  # the demo store is searched in fewer
    response = web.get("/search", params={"q": "Turkmen"})
    assert response.status_code == 400
    assert "took longer than" in error_of(response)
    assert (
        web.get("/api/search", params={"q": "Turkmen"})
        .json()["error"]
        .startswith("the search took longer")
    )
    monkeypatch.undo()
    assert web.get("/search", params={"q": "Turkmen"}).status_code == 200  # handler removed


def test_only_get_is_allowed(web: TestClient) -> None:
    for path in ("/search", "/api/search", "/export.csv", "/export.jsonl", "/export.csl.json"):
        assert web.post(path).status_code == 405, path
        assert web.delete(path).status_code == 405, path


def test_the_api_answers_errors_in_json(web: TestClient) -> None:
    cases = {
        "tag=nope": "unknown tag 'nope'; tags in the store: detention, turkmen-detention-turkey",
        "lang=xx": "unknown lang 'xx'; languages in the store: en, ru, tk, tr",
        "since=2021-13-40": "since: '2021-13-40' is not a date (use YYYY-MM-DD)",
        "limit=0": "limit: must be from 1 to 10000",
        "offset=-1": "offset: must be from 0 to 200000",
        "q=%22": "bad query: unbalanced quote in the query",
    }
    for query, message in cases.items():
        response = web.get(f"/api/search?{query}")
        web.cookies.clear()
        assert response.status_code == 400, query
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"error": message}, query


def test_filter_messages_name_the_request_parameters() -> None:
    message = "unknown --lang 'x'; languages in the store: --lang-like, ru"
    assert in_params(message, PAGE_NAMES) == (
        "unknown language 'x'; languages in the store: --lang-like, ru"
    )


# -- the JSON API ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "args"),
    [
        ({"q": "Taganova"}, ["Taganova"]),
        ({"q": "Таганова", "lang": "ru"}, ["Таганова", "--lang", "ru"]),
        ({"q": '"Dursoltan Taganova"'}, ['"Dursoltan Taganova"']),
        ({"tag": "detention", "limit": "5"}, ["--tag", "detention", "--limit", "5"]),
        ({"person": "Rahmanow"}, ["--person", "Rahmanow"]),
        ({"outlet": "turkmen.news"}, ["--outlet", "turkmen.news"]),
        (
            {"q": "Tuzla", "since": "2021-10-01", "until": "2021-10-31"},
            ["Tuzla", "--since", "2021-10-01", "--until", "2021-10-31"],
        ),
        ({"q": "nothingmatchesthis"}, ["nothingmatchesthis"]),
    ],
)
def test_the_api_returns_what_the_command_returns(
    web: TestClient, demo_archive: Path, params: dict[str, str], args: list[str]
) -> None:
    assert api(web, **params) == cli_json(demo_archive, *args)


# -- exports -----------------------------------------------------------------------------------


def test_jsonl_export_holds_the_search_results(web: TestClient, demo_archive: Path) -> None:
    response = web.get("/export.jsonl", params={"q": "Taganova"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="tmwatch-')
    assert "Taganova" not in response.headers["content-disposition"]  # no names in file names
    lines = [json.loads(line) for line in response.text.splitlines()]
    expected = cli_json(demo_archive, "Taganova", "--limit", "5000")
    assert lines == expected["results"]
    assert response.headers["x-tmwatch-exported"] == str(len(lines))
    assert response.headers["x-tmwatch-matches"] == str(expected["total"])


def test_csl_json_export_is_what_cite_prints(web: TestClient, demo_archive: Path) -> None:
    response = web.get("/export.csl.json", params={"q": "Taganova", "language": "ru"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('.csl.json"')
    items = response.json()
    ids = [r["id"] for r in api(web, q="Taganova", lang="ru", limit="100")["results"]]
    assert [item["id"] for item in items] == ids
    assert all(item["type"] == "article-newspaper" and item["language"] == "ru" for item in items)
    cited = invoke("cite", *ids, "--format", "csl-json", home=demo_archive)
    assert items == json.loads(cited.stdout)


def test_exports_are_capped_and_say_so(
    web: TestClient, stored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "EXPORT_LIMIT", 5)
    response = web.get("/export.jsonl")
    assert len(response.text.splitlines()) == 5
    assert response.headers["x-tmwatch-exported"] == "5"
    assert response.headers["x-tmwatch-matches"] == str(len(stored["articles"]))
    assert response.headers["x-tmwatch-export-limit"] == "5"
    assert response.headers["content-disposition"].endswith('-first-5.jsonl"')


def test_exports_know_they_are_capped_when_the_total_is_a_lower_bound(
    web: TestClient, stored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tmwatch.store.archive as archive

    detained = sum(1 for label in stored["labels"] if label[:2] == ("tag", "detention"))
    monkeypatch.setattr(archive, "COUNT_LIMIT", 3)  # filtered totals counted to 3 only
    monkeypatch.setattr(export_module, "EXPORT_LIMIT", 10)
    capped = web.get("/export.jsonl", params={"tag": "detention"})
    assert len(capped.text.splitlines()) == 10
    assert capped.headers["x-tmwatch-matches"] == "10+"
    assert capped.headers["content-disposition"].endswith('-first-10.jsonl"')
    monkeypatch.setattr(export_module, "EXPORT_LIMIT", 100)
    whole = web.get("/export.jsonl", params={"tag": "detention"})
    assert len(whole.text.splitlines()) == detained
    assert whole.headers["x-tmwatch-matches"] == str(detained)
    assert "-first-" not in whole.headers["content-disposition"]


def test_export_errors_are_400_pages(web: TestClient) -> None:
    response = web.get("/export.csv", params={"tag": "nope"})
    assert response.status_code == 400
    assert error_of(response).startswith("unknown tag 'nope'")


def test_the_page_links_its_exports(web: TestClient) -> None:
    html = page(web, {"q": "Taganova", "tag": "detention"})
    links = html.css("p.exports a::attr(href)").getall()
    assert links == [
        f"/export.{suffix}?q=Taganova&tag=detention" for suffix in ("csv", "jsonl", "csl.json")
    ]
    assert all(web.get(link).status_code == 200 for link in links)


HOSTILE = {
    '=HYPERLINK("http://evil.invalid","click")': "'=HYPERLINK(",
    "+cmd|' /C calc'!A0": "'+cmd",
    "-2+3": "'-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM",
    "\tTab start": "'\tTab start",
    "\rCR start": "'\rCR start",
    'Quotes, "commas"\nand lines': 'Quotes, "commas"\nand lines',
}


@pytest.fixture
def hostile_home(demo_archive: Path, tmp_path: Path) -> Path:
    """A copy of the demo store whose titles (and one text) start spreadsheet formulas."""
    home = tmp_path / "hostile"
    shutil.copytree(demo_archive, home)
    with Store(DataHome(home)) as store, store.transaction():
        ids = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY id")]
        for article_id, title in zip(ids, HOSTILE, strict=False):
            store.db.execute("UPDATE articles SET title = ? WHERE id = ?", (title, article_id))
        store.db.execute(
            "UPDATE articles SET text = ?, outlet = ? WHERE id = ?",
            ("=1+1 starts this text.", "@outlet", ids[0]),
        )
    return home


def test_csv_export_neutralises_formulas(hostile_home: Path) -> None:
    with client(hostile_home) as hostile:
        response = hostile.get("/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet apps
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header == list(export_module.CSV_COLUMNS)
    by_title = {row[4]: row for row in body}
    for title, shown in HOSTILE.items():
        assert any(t.startswith(shown) for t in by_title), (title, shown)
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    first = next(row for row in body if row[4].startswith("'=HYPERLINK"))
    assert first[2] == "'@outlet" and first[8] == "'=1+1 starts this text."
    assert any(ord(c) > 0x400 for row in body for c in row[4]), "Cyrillic titles survive"
    assert '"' in response.text.splitlines()[0]  # every cell quoted


# -- headers -----------------------------------------------------------------------------------


def test_search_pages_and_errors_carry_the_security_headers(web: TestClient) -> None:
    for params, status in (({"q": "Taganova"}, 200), ({"tag": "nope"}, 400)):
        response = web.get("/search", params=params)
        assert response.status_code == status
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["cache-control"] == "no-store"
        assert 'style="' not in response.text  # the CSP forbids inline styles
    assert web.get("/export.csv").headers["content-security-policy"] == CSP


def test_every_form_control_has_a_label(web: TestClient) -> None:
    html = page(web, {"q": "Taganova"})
    form = html.css("form.search-form")
    labelled = set(form.css("label::attr(for)").getall())
    controls = form.css("input::attr(id), select::attr(id)").getall()
    assert controls and set(controls) <= labelled
    # Names of people at risk must not go to a browser's online spell-checker.
    for field in form.css('input:not([type="date"])'):
        assert field.attrib.get("spellcheck") == "false", field.get()
