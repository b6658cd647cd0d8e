"""The article, person and sources pages of ``tmwatch serve``, and its one write.

They run on the archive a real ``tmwatch demo`` crawl filled (``demo_archive``), read-only; a
test that writes (the English title, an extra version, a hostile capture row) works on a copy.
Every bad parameter must be a 4xx with a message: the test client re-raises any server error,
so a 500 fails the test that caused it.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from tests.helpers import dead_letter
from tests.web_support import client
from tmwatch.clock import utc_datetime
from tmwatch.output.health import assess
from tmwatch.store import DataHome, Store
from tmwatch.store.archive import ArticleFilter
from tmwatch.web import article_page

TAGANOVA = "Dursoltan Taganova"
WATCHED = (
    "Taganova",
    "Mamedov",
    "Rakhmanov",
    "Abulov",
    "Badrov",
    "Allalyev",
    "Durdyev",
    "Annayev",
)


def _read(home: Path) -> Store:
    return Store(DataHome(home), create=False, readonly=True)


@pytest.fixture(scope="module")
def ids(demo_archive: Path) -> dict[str, Any]:
    """Articles the tests need, found by what they are (ids depend on the sample server's port)."""
    with _read(demo_archive) as store:
        taganova = [
            a
            for a in store.archive.articles(ArticleFilter(persons=(TAGANOVA,)))
            if a["language"] == "ru"
            and a["date_source"]
            and any(e["kind"] == "person" and e["field"] == "text" for e in a["evidence"])
        ]
        every = list(store.archive.articles())
        hostile = next(a for a in every if "<script>" in a["title"])
        capture = store.db.execute(
            "SELECT url, final_url FROM captures WHERE id = ?", (taganova[0]["capture_id"],)
        ).fetchone()
    return {
        "taganova": taganova[0],
        "hostile": hostile,
        "capture_url": capture["final_url"],
        "all": every,
    }


@pytest.fixture(scope="module")
def web(demo_archive: Path) -> TestClient:
    return client(demo_archive)


@pytest.fixture
def home_copy(demo_archive: Path, tmp_path: Path) -> Path:
    """A writable copy of the demo archive: the shared one is never changed."""
    target = tmp_path / "home"
    shutil.copytree(demo_archive, target)
    return target


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _alert(page: str) -> str:
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    assert found, "the error page has no message"
    return found.group(1)


# -- every page ----------------------------------------------------------------------------------


def test_every_page_answers_with_the_security_headers(web: TestClient, ids: dict[str, Any]) -> None:
    article = ids["taganova"]["id"]
    pages = [
        f"/article/{article}",
        f"/article/{article}/capture",
        f"/article/{article}/warc",
        f"/article/{article}/cite.json",
        "/person/Taganova",
        "/sources",
        "/sources?days=30",
    ]
    for path in pages:
        response = web.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, path
        assert response.headers["cache-control"] == "no-store", path


def test_pages_load_nothing_inline_or_remote(web: TestClient, ids: dict[str, Any]) -> None:
    """CSP allows only this origin: no inline script or style may be needed by any page."""
    article = ids["taganova"]["id"]
    for path in (
        f"/article/{article}",
        f"/article/{article}/capture",
        "/person/Taganova",
        "/sources",
    ):
        page = web.get(path).text
        assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/app.js" defer>']
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"<[^>]+\son[a-z]+=", page), path


# -- article -------------------------------------------------------------------------------------


def test_article_page_marks_the_evidence_and_names_the_date_source(
    web: TestClient, ids: dict[str, Any]
) -> None:
    article = ids["taganova"]
    page = web.get(f"/article/{article['id']}").text
    marks = re.findall(r'<mark title="([^"]*)"[^>]*>([^<]*)</mark>', page)
    assert any(TAGANOVA in note and "person" in note for note, _ in marks)
    person_hits = [
        m["text"]
        for e in article["evidence"]
        if e["kind"] == "person" and e["field"] == "text"
        for m in e["matches"]
    ]
    marked_words = {words for _, words in marks}
    assert set(person_hits) <= marked_words
    # The evidence list: every sentence, with what it proves.
    assert 'class="evidence"' in page and 'id="evidence-1"' in page
    assert f"person: {TAGANOVA}" in page
    # Metadata: the date and where it came from.
    assert f'<code class="date-source">{article["date_source"]}</code>' in page
    assert article["published_day"] in page
    assert 'rel="noreferrer noopener"' in page
    assert f'href="/person/{TAGANOVA.replace(" ", "%20")}"' in page
    # The cite block: footnote to copy, status for the copy button, CSL-JSON link, title form.
    assert 'id="footnote"' in page and 'data-copy="footnote"' in page
    assert re.search(r'id="footnote-status"[^>]*aria-live="polite"', page)
    assert f'href="/article/{article["id"]}/cite.json"' in page
    assert 'name="title_en"' in page and '<label for="title-en">' in page


def test_story_cluster_links_the_other_copies(web: TestClient, ids: dict[str, Any]) -> None:
    clusters: dict[str, list[str]] = {}
    for a in ids["all"]:
        clusters.setdefault(a["cluster"] or a["id"], []).append(a["id"])
    members = next(m for m in clusters.values() if len(m) > 1)
    page = web.get(f"/article/{members[0]}").text
    assert f'href="/article/{members[1]}"' in page


def test_hostile_title_is_text_on_the_article_and_capture_pages(
    web: TestClient, ids: dict[str, Any]
) -> None:
    article = ids["hostile"]["id"]
    page = web.get(f"/article/{article}").text
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    capture = web.get(f"/article/{article}/capture").text
    assert "&lt;script&gt;" in capture and "<script>alert" not in capture
    assert re.findall(r"<script\b[^>]*>", capture) == ['<script src="/static/app.js" defer>']
    assert "&lt;html" in capture.lower()  # the page is shown as its source


def test_capture_page_truncates_a_large_page(
    web: TestClient, ids: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_page, "MAX_CAPTURE_CHARS", 100)
    page = web.get(f"/article/{ids['taganova']['id']}/capture").text
    assert "Only the first 100 of" in page
    assert f'href="/article/{ids["taganova"]["id"]}/warc?capture=' in page


def test_warc_download_is_the_archived_record(web: TestClient, ids: dict[str, Any]) -> None:
    article = ids["taganova"]
    response = web.get(f"/article/{article['id']}/warc")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/warc"
    assert response.headers["content-disposition"].startswith("attachment;")
    records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(response.content))
    ]
    assert len(records) == 1
    kind, target, body = records[0]
    assert kind == "response"
    assert target == ids["capture_url"] == article["url"]
    assert b"<html" in body.lower()


def test_cite_json_is_csl_json(web: TestClient, ids: dict[str, Any]) -> None:
    article = ids["taganova"]
    response = web.get(f"/article/{article['id']}/cite.json")
    assert response.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    assert "attachment" in response.headers["content-disposition"]
    items = json.loads(response.content)
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert item["id"] == article["id"] and item["type"] == "article-newspaper"
    assert item["URL"] == article["url"] and item["container-title"] == article["outlet"]
    assert item["language"] == "ru" and item["issued"]["date-parts"][0][0] >= 2021


# -- the one write -------------------------------------------------------------------------------


def _stored_title(home: Path, article_id: str) -> str | None:
    with _read(home) as store:
        article = store.archive.article(article_id)
        assert article is not None
        return article["title_en"]


def test_english_title_needs_the_session_csrf_token(home_copy: Path, ids: dict[str, Any]) -> None:
    article = ids["taganova"]["id"]
    web = client(home_copy)
    token = _csrf(web.get(f"/article/{article}").text)
    url = f"/article/{article}/title"

    for form in ({"title_en": "Forged"}, {"title_en": "Forged", "csrf": "not-the-token"}):
        refused = web.post(url, data=form, follow_redirects=False)
        assert refused.status_code == 403 and "reload the page" in _alert(refused.text)
    other = client(home_copy)  # another browser: its session has another token
    other.get("/")
    assert other.post(url, data={"title_en": "Forged", "csrf": token}).status_code == 403
    cross = web.post(
        url, data={"title_en": "Forged", "csrf": token}, headers={"origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    assert _stored_title(home_copy, article) is None

    title = "Turkmen activist Dursoltan Taganova detained in Istanbul"
    saved = web.post(url, data={"title_en": f"  {title} ", "csrf": token}, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/article/{article}#english-title"
    assert _stored_title(home_copy, article) == title
    page = web.get(saved.headers["location"]).text
    assert "English title saved." in page
    assert f"[{title}. In Russian]" in page
    assert f'value="{title}"' in page
    csl = web.get(f"/article/{article}/cite.json").json()[0]
    assert csl["title"] == title and csl["original-title"] == ids["taganova"]["title"]

    # The same storage as ``tmwatch cite --title-en``: the CLI's footnote has it too.
    from tests.helpers import invoke

    assert f"[{title}. In Russian]" in invoke("cite", article, home=home_copy).stdout

    cleared = web.post(url, data={"title_en": "", "csrf": token}, follow_redirects=False)
    assert cleared.status_code == 303 and _stored_title(home_copy, article) is None


def test_english_title_bad_input_is_refused_and_nothing_stored(
    home_copy: Path, ids: dict[str, Any]
) -> None:
    article = ids["taganova"]["id"]
    web = client(home_copy)
    token = _csrf(web.get(f"/article/{article}").text)
    cases = [
        (f"/article/{article}/title", {"title_en": "two\nlines", "csrf": token}, 400),
        (f"/article/{article}/title", {"title_en": "x" * 301, "csrf": token}, 400),
        (f"/article/{article}/title", {"title_en": "bell\x07", "csrf": token}, 400),
        ("/article/aaaaaaaaaa/title", {"title_en": "Unknown", "csrf": token}, 404),
        ("/article/NOT-AN-ID/title", {"title_en": "Bad id", "csrf": token}, 400),
    ]
    for url, form, status in cases:
        response = web.post(url, data=form)
        assert response.status_code == status, (url, form)
        assert _alert(response.text)
    huge = web.post(
        f"/article/{article}/title",
        content=f"csrf={token}&title_en={'a' * 20_000}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413
    assert web.get(f"/article/{article}/title").status_code == 405
    assert _stored_title(home_copy, article) is None


# -- versions ------------------------------------------------------------------------------------


def test_versions_show_what_changed(home_copy: Path, ids: dict[str, Any]) -> None:
    article = ids["taganova"]
    paragraphs = article["text"].split("\n")
    first = paragraphs[0].split()
    replaced = next(w for w in first if len(w) > 5 and w.isalpha())
    edited = [
        paragraphs[0].replace(replaced, "ЗАМЕНЕНО", 1),
        *paragraphs[1:],
        "Редакция уточнила: активистка обжалует решение.",
    ]
    with Store(DataHome(home_copy), create=False) as store, store.transaction():
        later = SimpleNamespace(
            id=article["id"],
            title=article["title"],
            text="\n".join(edited),
            fetched_at="2030-01-01T00:00:00+00:00",
        )
        assert store.archive.add_version(later, "edited-hash", article["capture_id"])  # type: ignore[arg-type]

    web = client(home_copy)
    page = web.get(f"/article/{article['id']}").text
    assert "Changes from version 1 to version 2" in page
    hidden = '<span class="visually-hidden">{}: </span>'
    inserted = re.findall("<ins>" + hidden.format("inserted") + "(.*?)</ins>", page)
    deleted = re.findall("<del>" + hidden.format("deleted") + "(.*?)</del>", page)
    assert "ЗАМЕНЕНО" in inserted
    assert replaced in deleted
    assert any("обжалует решение" in text for text in inserted)
    assert web.get(f"/article/{article['id']}?diff=2").status_code == 200
    assert web.get(f"/article/{article['id']}?diff=3").status_code == 404
    assert web.get(f"/article/{article['id']}?diff=1").status_code == 400


def test_a_capture_row_pointing_outside_the_archive_is_never_opened(
    home_copy: Path, ids: dict[str, Any]
) -> None:
    article = ids["taganova"]
    outside = home_copy.parent / "outside.warc.gz"
    outside.write_bytes(b"not yours")
    with Store(DataHome(home_copy), create=False) as store, store.transaction():
        store.db.execute(
            "UPDATE captures SET warc_file = ? WHERE id = ?",
            ("../outside.warc.gz", article["capture_id"]),
        )
    web = client(home_copy)
    for path in (f"/article/{article['id']}/warc", f"/article/{article['id']}/capture"):
        response = web.get(path)
        assert response.status_code == 404 and "not yours" not in response.text
        assert "WARC file" in _alert(response.text)


# -- person --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["Dursoltan Taganova", "Дурсолтан Таганова", "Taganowa", "taganova", "Таганову"]
)
def test_person_page_resolves_every_spelling(
    web: TestClient, demo_archive: Path, spelling: str
) -> None:
    page = web.get(f"/person/{spelling}").text
    assert f'<h1 id="person-name">{TAGANOVA}</h1>' in page
    assert "Taganowa" in page and "Таганова" in page  # the watchlist's spellings
    # The status the store's events establish, as the case file states it.
    from tmwatch.config.user import ConfigFiles
    from tmwatch.output.casefile import build_case
    from tmwatch.store import DataHome, Store

    with Store(DataHome(demo_archive), readonly=True) as store:
        case = build_case(store, [TAGANOVA], ConfigFiles(packaged_only=True).load_watchlist())
    assert html.escape(case["persons"][0]["status"]["description"]) in page


def test_person_timeline_footnotes_cite_and_link_the_articles(
    web: TestClient, ids: dict[str, Any]
) -> None:
    page = web.get("/person/Taganova").text
    refs = re.findall(r'<sup id="fnref-(\d+)"><a href="#fn-(\d+)"', page)
    assert refs and all(a == b for a, b in refs)
    notes = re.findall(r'<li id="fn-(\d+)">(.*?)</ul>\s*</li>', page, re.S)
    assert [n for n, _ in notes] == [a for a, _ in refs]
    linked = set()
    for _, note in notes:
        articles = re.findall(r'href="/article/([a-z2-7]{10})"', note)
        assert articles
        linked.update(articles)
        assert 'class="footnote"' in note
    assert ids["taganova"]["id"] in linked
    for article in sorted(linked)[:3]:
        assert web.get(f"/article/{article}").status_code == 200
    # Coverage over time: an accessible table with a meter per month.
    assert "<caption>" in page and re.search(r"<meter min=\"0\" max=\"\d+\" value=\"\d+\"", page)


def test_ambiguous_name_lists_the_matches(web: TestClient) -> None:
    response = web.get("/person/A")
    assert response.status_code == 200
    assert "Several people match" in response.text
    assert response.text.count('href="/person/') >= 2


def test_unknown_person_is_a_404_naming_nobody(web: TestClient) -> None:
    for name in ("Nobody Atall", "<img src=x onerror=alert(1)>", "!!!"):
        response = web.get(f"/person/{name}")
        assert response.status_code == 404
        message = _alert(response.text)
        assert "No watched person" in message
        assert not any(surname in response.text for surname in WATCHED)
        assert "<img src=x" not in response.text


# -- sources -------------------------------------------------------------------------------------


def test_sources_page_lists_every_source_with_its_flags(
    web: TestClient, demo_archive: Path
) -> None:
    with _read(demo_archive) as store:
        report = assess(store, utc_datetime())
    assert report.flagged  # the demo makes sources show flags
    page = web.get("/sources").text
    rows = dict(re.findall(r'<tr id="source-([\w-]+)"[^>]*>(.*?)</tr>', page, re.S))
    assert set(rows) == {s.source for s in report.sources}
    for health in report.sources:
        for flag in health.flags:
            assert f'href="#flag-{flag}">{flag}</a>' in rows[health.source]
            assert health.reasons[flag].split(":")[0] in rows[health.source]
        if not health.flags:
            assert "none" in rows[health.source]
    for flag in ("silent", "degraded", "zombie-feed", "layout-changed"):
        assert f'<dt id="flag-{flag}">' in page  # every flag explained
    # Registry sources that did not run in the window still get an anchor.
    assert 'id="source-rferl"' in page
    assert "Undelivered messages" in page


def test_sources_page_shows_dead_letters(home_copy: Path) -> None:
    with Store(DataHome(home_copy), create=False) as store, store.transaction():
        dead_letter(
            store,
            "ngo-desk",
            "alert:test:1",
            "<b>New story</b> naming a watched person",
            "HTTP 500 from receiver",
            datetime(2030, 1, 1, tzinfo=UTC),
        )
    page = client(home_copy).get("/sources").text
    section = page[page.index('id="h-dead"') :]
    assert "ngo-desk" in section and "HTTP 500 from receiver" in section
    assert "&lt;b&gt;New story&lt;/b&gt;" in section and "<b>New story" not in section


# -- bad parameters ------------------------------------------------------------------------------


def test_every_bad_parameter_is_a_4xx_with_a_message(web: TestClient, ids: dict[str, Any]) -> None:
    article = ids["taganova"]["id"]
    cases = [
        ("/article/ABCDEFGHIJ", 400),
        ("/article/short", 400),
        ("/article/aaaaaaaaa1", 400),
        ("/article/" + "a" * 5000, 400),
        ("/article/%3Cscript%3E", 400),
        ("/article/aaaaaaaaaa", 404),
        ("/article/aaaaaaaaaa/capture", 404),
        ("/article/aaaaaaaaaa/warc", 404),
        ("/article/aaaaaaaaaa/cite.json", 404),
        ("/article/bad/cite.json", 400),
        ("/article/bad/warc", 400),
        (f"/article/{article}?diff=abc", 400),
        (f"/article/{article}?diff=999", 404),
        (f"/article/{article}?diff=0", 400),
        (f"/article/{article}?diff=-3", 400),
        (f"/article/{article}?diff=" + "9" * 400, 400),
        (f"/article/{article}?diff=12345", 404),
        (f"/article/{article}/capture?capture=x", 400),
        (f"/article/{article}/capture?capture=999999", 404),
        (f"/article/{article}/warc?capture=1e3", 400),
        (f"/article/{article}/warc?capture=999999", 404),
        ("/sources?days=0", 400),
        ("/sources?days=x", 400),
        ("/sources?days=91", 400),
        ("/sources?days=" + "1" * 1000, 400),
        ("/person/Nobody%20Atall", 404),
        ("/person/" + "x" * 5000, 400),
        ("/person/%00", 400),
        ("/person/a%0Ab", 400),
        ("/person/%20", 400),
    ]
    for path, status in cases:
        response = web.get(path)
        assert response.status_code == status, (path[:80], response.status_code)
        assert response.headers["content-security-policy"]
        message = _alert(response.text)
        assert message and len(message) < 400, path[:80]
        assert "Traceback" not in response.text
