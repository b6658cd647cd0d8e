"""The web interface in a real browser: Debian's chromium, headless, driven by Playwright.

One browser and one server for the module (the app over the `demo_archive` data home, on a
free loopback port); a fresh browser context per test. Every test fails on a request to
another origin, on anything chromium tries to reach beyond loopback (the sinkhole proxy, see
`tests/browser.py`), and on a console error, an uncaught error or a CSP violation. Outside CI a
missing chromium skips the module (`apt-get install chromium`); with CI=true it fails it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, Response, expect, sync_playwright

from tests.browser import (
    LiveServer,
    Recorder,
    Sinkhole,
    assert_accessible,
    launch_chromium,
    new_context,
    opened,
    require_chromium,
    run_axe,
    serious_violations,
)
from tests.web_support import web_config
from tmwatch.store import DataHome, Store
from tmwatch.web.app import create_app

PERSON = "Dursoltan Taganova"
PASSWORD = "a long enough password"
LANGUAGES = {"ru", "tk", "tr", "en"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
WIDTHS = (1280, 390)

# Every page kind, as a path; {article} is a Russian report naming Taganova.
PAGES: dict[str, tuple[str, int]] = {
    "home": ("/", 200),
    "home-russian-interface": ("/?lang=ru", 200),
    "search-form": ("/search", 200),
    "search-results": ("/search?q=Taganova", 200),
    "search-faceted": ("/search?q=Taganova&language=ru", 200),
    "article": ("/article/{article}", 200),
    "capture": ("/article/{article}/capture", 200),
    "person": ("/person/Taganova", 200),
    "sources": ("/sources", 200),
    "not-found": ("/article/zzzzzzzzzz", 404),
    "bad-request": ("/search?since=someday", 400),
}


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    require_chromium()
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def sinkhole() -> Iterator[Sinkhole]:
    with Sinkhole() as sink:
        yield sink


@pytest.fixture(scope="module")
def browser(playwright: Playwright, sinkhole: Sinkhole) -> Iterator[Browser]:
    browser = launch_chromium(playwright, sinkhole)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def site(demo_archive: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(web_config(demo_archive))) as server:
        yield server


@pytest.fixture(scope="module")
def reports(demo_archive: Path) -> dict[str, str]:
    """Every stored report naming Taganova (id → language), read from the store itself."""
    with Store(DataHome(demo_archive), create=False, readonly=True) as store:
        rows = store.db.execute(
            "SELECT id, language FROM articles WHERE persons LIKE ? ORDER BY id", (f"%{PERSON}%",)
        ).fetchall()
    found = {row[0]: row[1] for row in rows}
    assert set(found.values()) == LANGUAGES, found  # the demo covers all four languages
    return found


@pytest.fixture(scope="module")
def article(reports: dict[str, str]) -> str:
    return next(id_ for id_, language in reports.items() if language == "ru")


@pytest.fixture
def page(browser: Browser, site: LiveServer, sinkhole: Sinkhole) -> Iterator[tuple[Page, Recorder]]:
    with opened(browser, site.base, sinkhole, locale="en-US") as (page, recorder):
        yield page, recorder


def result_languages(page: Page) -> list[str]:
    return page.locator("ol.results > li.result h3").evaluate_all(
        "(headings) => headings.map((h) => h.lang)"
    )


def result_ids(page: Page) -> list[str]:
    return page.locator("ol.results > li.result h3 a").evaluate_all(
        "(links) => links.map((a) => new URL(a.href).pathname.split('/').pop())"
    )


def marks_by_language(page: Page) -> dict[str, list[str]]:
    """The matched words of each result's snippet, by the result's language."""
    pairs: list[list[Any]] = page.locator("ol.results > li.result").evaluate_all(
        """(items) => items.map((li) => [li.querySelector("h3").lang,
             [...li.querySelectorAll(".snippet mark")].map((m) => m.textContent)])"""
    )
    out: dict[str, list[str]] = {}
    for language, marks in pairs:
        out.setdefault(language, []).extend(marks)
    return out


def visit(tab: Page, recorder: Recorder, site: LiveServer, name: str, article: str) -> Response:
    """Open the page ``name`` of ``PAGES``; an error page's own status line is expected."""
    path, status = PAGES[name]
    url = site.url(path.format(article=article))
    if status >= 400:
        recorder.expect_error_page(url)
    response = tab.goto(url)
    assert response is not None and response.status == status, (url, response)
    return response


def search_from_the_box(page: Page, site: LiveServer, query: str) -> None:
    """On the home page, type ``query`` into the header's search box and press Enter."""
    page.goto(site.url("/"))
    box = page.get_by_role("searchbox", name="Search the archive")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))


# -- the list -------------------------------------------------------------------------


def test_a_latin_name_in_the_search_box_finds_the_cyrillic_and_turkmen_reports(
    page: tuple[Page, Recorder], site: LiveServer, reports: dict[str, str]
) -> None:
    tab, recorder = page
    search_from_the_box(tab, site, "Taganova")
    assert set(result_ids(tab)) == set(reports)  # every report, in every script
    assert set(result_languages(tab)) == LANGUAGES
    marks = marks_by_language(tab)
    assert marks["ru"] and all(CYRILLIC.search(m) for m in marks["ru"]), marks  # Таганова
    assert any(m.startswith("Taganow") for m in marks["tk"]), marks  # Turkmen: Taganowa
    expect(tab.locator("#results-heading")).to_have_text(f"{len(reports)} results")
    recorder.assert_clean()


def test_a_facet_click_narrows_the_results(
    page: tuple[Page, Recorder], site: LiveServer, reports: dict[str, str]
) -> None:
    tab, recorder = page
    tab.goto(site.url("/search?q=Taganova"))
    before = result_ids(tab)
    facet = tab.locator("section.facet[aria-labelledby='facet-language'] li").filter(
        has=tab.get_by_role("link", name="ru", exact=True)
    )
    announced = int(facet.locator(".count").inner_text())
    facet.get_by_role("link", name="ru", exact=True).click()
    tab.wait_for_url(re.compile(r"language=ru"))
    after = result_ids(tab)
    assert 0 < len(after) < len(before)
    assert len(after) == announced == sum(1 for lang in reports.values() if lang == "ru")
    assert set(result_languages(tab)) == {"ru"}
    assert set(after) <= set(before)
    # The active facet is shown, and removing it gives the wider results back.
    tab.get_by_role("link", name="Remove Languages ru").click()
    tab.wait_for_url(re.compile(r"/search\?q=Taganova$"))
    assert sorted(result_ids(tab)) == sorted(before)
    recorder.assert_clean()


def test_the_cite_button_puts_the_footnote_on_the_clipboard(
    browser: Browser, site: LiveServer, sinkhole: Sinkhole, article: str
) -> None:
    with opened(browser, site.base, sinkhole, locale="en-US") as (tab, recorder):
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
        tab.goto(site.url(f"/article/{article}"))
        footnote = tab.locator("#footnote").inner_text().strip()
        assert footnote and "http" in footnote
        tab.get_by_role("button", name="Copy footnote").click()
        expect(tab.locator("#footnote-status")).to_have_text("Footnote copied")
        assert tab.evaluate("navigator.clipboard.readText()") == footnote
        recorder.assert_clean()


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_at_desktop_and_phone_widths(
    browser: Browser,
    site: LiveServer,
    sinkhole: Sinkhole,
    article: str,
    width: int,
    tmp_path: Path,
) -> None:
    """Full-page screenshots of every main page (kept in the test's tmp directory for a look),
    none wider than the screen: no horizontal scrolling at 390 px."""
    shots = {
        "home": "/",
        "search": "/search?q=Taganova",
        "article": f"/article/{article}",
        "person": "/person/Taganova",
        "sources": "/sources",
    }
    viewport = {"width": width, "height": 900}
    with opened(browser, site.base, sinkhole, locale="en-US", viewport=viewport) as (tab, rec):
        for name, path in shots.items():
            tab.goto(site.url(path))
            scroll_width = tab.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width + 1, f"{path} scrolls sideways at {width} px"
            shot = tmp_path / f"{name}-{width}.png"
            tab.screenshot(path=str(shot), full_page=True)
            shot_width, shot_height = png_size(shot)
            assert shot_width == width and shot_height >= 300, (name, shot_width, shot_height)
            assert shot.stat().st_size > 8_000, f"{shot} looks blank"
        rec.assert_clean()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_loads_from_elsewhere_or_logs_an_error(
    page: tuple[Page, Recorder], site: LiveServer, article: str, name: str
) -> None:
    tab, recorder = page
    response = visit(tab, recorder, site, name, article)
    url = response.url
    assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
    recorder.assert_clean()
    assert recorder.requests[0] == url and len(recorder.requests) >= 3  # page, css, js


TEXT_FIELDS = "input:is([type=text], [type=search], :not([type])):visible, textarea:visible"
VISIBLE_CONTROLS = (
    "input:not([type=hidden]):visible, select:visible, textarea:visible, button:visible"
)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_passes_axe_and_names_every_control(
    page: tuple[Page, Recorder], site: LiveServer, article: str, name: str
) -> None:
    """axe-core: no serious or critical violation; and every visible form control passed a
    naming rule (label, button-name, select-name...), with no violation of any impact there."""
    tab, recorder = page
    url = visit(tab, recorder, site, name, article).url
    report = run_axe(tab)
    assert not report.serious(), f"{url}:\n" + "\n".join(report.serious())
    assert not report.unnamed_controls(), report.unnamed_controls()
    controls = tab.locator(VISIBLE_CONTROLS).count()
    assert controls >= 2  # at least the header's search box and its button
    assert len(report.labelled) >= controls
    recorder.assert_clean()  # axe itself loads nothing and breaks no rule


def test_the_sign_in_page_and_a_signed_in_page_pass_axe(
    browser: Browser, sinkhole: Sinkhole, demo_archive: Path
) -> None:
    with (
        LiveServer(create_app(web_config(demo_archive, password=PASSWORD))) as locked,
        opened(browser, locked.base, sinkhole, locale="en-US") as (tab, recorder),
    ):
        tab.goto(locked.url("/search?q=Taganova"))
        assert "/login?next=" in tab.url
        assert_accessible(tab)
        expect(tab.get_by_label("Password")).to_be_focused()  # autofocus: type at once
        tab.keyboard.type(PASSWORD)
        tab.keyboard.press("Enter")
        tab.wait_for_url(re.compile(r"/search\?q=Taganova$"))
        expect(tab.get_by_role("button", name="Sign out")).to_be_visible()
        assert_accessible(tab)
        recorder.assert_clean()


def test_typing_a_name_in_any_text_field_sends_it_nowhere(
    page: tuple[Page, Recorder], site: LiveServer, article: str
) -> None:
    """Names typed into the interface stay on this machine: every text field is
    spellcheck="false" (chromium otherwise fetches spelling dictionaries, and Chrome's enhanced
    spell-check sends what is typed to Google), and nothing is asked of another host."""
    tab, recorder = page
    checked = []
    for name in PAGES:
        visit(tab, recorder, site, name, article)
        fields = tab.locator(TEXT_FIELDS)
        for index in range(fields.count()):
            field = fields.nth(index)
            where = f"{name}: {field.evaluate('(el) => el.tagName.toLowerCase() + `#${el.id}`')}"
            checked.append(where)
            assert field.evaluate("(el) => el.spellcheck") is False, f"{where} is spell-checked"
            field.fill("")
            field.press_sequentially("Дурсолтан Таганова Taganowa")
    assert any(where.startswith("article: input#title-en") for where in checked), checked
    tab.wait_for_timeout(2000)  # the dictionary request follows the typing within a second
    recorder.assert_clean()


def test_the_recorder_sees_a_csp_violation_a_foreign_load_and_an_uncaught_error(
    page: tuple[Page, Recorder], site: LiveServer
) -> None:
    """The negative control of every check above: what the page is forbidden to do is caught."""
    tab, recorder = page
    tab.goto(site.url("/"))
    assert recorder.problems() == []
    tab.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
          const image = new Image();
          image.src = "http://example.org/pixel.png";
          document.body.append(image);
          setTimeout(() => { throw new Error("boom"); });
        }"""
    )
    tab.wait_for_timeout(300)
    problems = "\n".join(recorder.problems())
    assert tab.evaluate("window.ran") is None  # the inline script was refused
    assert "script-src" in problems and "img-src" in problems
    assert "uncaught: boom" in problems or "Error: boom" in problems


# -- keyboard and labels ----------------------------------------------------------------------


def focused(tab: Page) -> dict[str, Any]:
    return tab.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                  own: el.matches(":focus"),
                  text: (el.textContent || el.value || "").trim().slice(0, 40),
                  inMain: !!el.closest("main"), visible: box.width > 0 && box.height > 0 &&
                  box.right > 0 && box.bottom > 0 && box.left < innerWidth,
                  outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0};
        }"""
    )


def test_tab_reaches_the_skip_link_first_and_enter_moves_focus_to_main(
    page: tuple[Page, Recorder], site: LiveServer
) -> None:
    tab, recorder = page
    tab.goto(site.url("/search?q=Taganova"))
    tab.keyboard.press("Tab")
    first = focused(tab)
    assert first["cls"] == "skip" and first["visible"] and first["outline"], first
    tab.keyboard.press("Enter")
    assert focused(tab)["id"] == "main"
    tab.keyboard.press("Tab")  # the next stop is inside the content, past the header
    assert focused(tab)["inMain"], focused(tab)
    recorder.assert_clean()


@pytest.mark.parametrize(
    "name", ["home", "search-results", "article", "capture", "person", "sources", "not-found"]
)
def test_every_tab_stop_is_visible_and_shows_where_the_focus_is(
    page: tuple[Page, Recorder], site: LiveServer, article: str, name: str
) -> None:
    """Tab through the whole page: each stop is on screen and drawn with a focus outline, and
    the order comes back round to the skip link (no keyboard trap)."""
    tab, recorder = page
    visit(tab, recorder, site, name, article)
    stops: list[dict[str, Any]] = []
    for _ in range(400):
        tab.keyboard.press("Tab")
        stop = focused(tab)
        if stop["cls"] == "skip" and stops:
            break
        # A stop that is not the element itself is a control of the browser's own inside it
        # (the calendar button of a date field), which chromium draws focused itself.
        if stop["tag"] != "body" and stop["own"]:
            stops.append(stop)
    else:
        pytest.fail(f"Tab never came back to the skip link: {stops[-3:]}")
    assert len(stops) > 5
    hidden = [s for s in stops if not s["visible"]]
    unmarked = [s for s in stops if not s["outline"]]
    assert not hidden, hidden[:5]
    assert not unmarked, unmarked[:5]
    recorder.assert_clean()


# -- the researcher's journey -----------------------------------------------------------------


def test_a_researcher_finds_every_taganova_report_opens_one_and_copies_its_footnote(
    browser: Browser, site: LiveServer, sinkhole: Sinkhole, reports: dict[str, str]
) -> None:
    """The issue's "done when": from the URL, a Latin-letter query finds the reports in four
    languages; one opens with why it was tagged; its footnote goes to the clipboard."""
    context, recorder = new_context(browser, site.base, sinkhole, locale="en-US")
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
        tab = context.new_page()
        tab.goto(site.base + "/")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Digest")
        # The keyboard alone: Tab to the search box, type, Enter.
        for _ in range(20):
            tab.keyboard.press("Tab")
            if focused(tab)["id"] == "quick-q":
                break
        tab.keyboard.type("Taganova")
        tab.keyboard.press("Enter")
        tab.wait_for_url(re.compile(r"/search\?q=Taganova"))
        assert set(result_ids(tab)) == set(reports)
        assert set(result_languages(tab)) == LANGUAGES

        cyrillic = (
            tab.locator("ol.results > li.result").filter(has=tab.locator("h3[lang=ru]")).first
        )
        title = cyrillic.locator("h3").inner_text()
        cyrillic.locator("h3 a").click()
        tab.wait_for_url(re.compile(r"/article/\w+$"))
        expect(tab.get_by_role("heading", level=1)).to_have_text(title)

        # Why it was tagged: the evidence sentences name the person and mark the words.
        evidence = tab.locator("ol.evidence > li")
        assert evidence.count() >= 1
        expect(evidence.first.locator(".evidence-for")).to_contain_text(f"person: {PERSON}")
        marked = evidence.locator("mark").all_inner_texts()
        assert any(CYRILLIC.search(word) and "Таганов" in word for word in marked), marked
        assert tab.locator(".article-text mark").count() >= 1

        footnote = tab.locator("#footnote").inner_text().strip()
        tab.get_by_role("button", name="Copy footnote").click()
        expect(tab.locator("#footnote-status")).to_have_text("Footnote copied")
        assert tab.evaluate("navigator.clipboard.readText()") == footnote
        assert not serious_violations(tab)
        recorder.assert_clean()
    finally:
        context.close()


def test_chromium_itself_contacted_no_outside_host(sinkhole: Sinkhole) -> None:
    """Last in the module: over every test above, nothing but loopback was asked for (each
    test checks its own span; this also covers the moments between tests)."""
    assert sinkhole.attempts() == []
