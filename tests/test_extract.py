"""``tmwatch extract``: saved pages through the crawl's own per-page stage, as JSON Lines."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tmwatch.cli import main
from tmwatch.config.registry import Source, load_registry
from tmwatch.config.settings import DOWNLOAD_MAXSIZE
from tmwatch.pipeline import pages
from tmwatch.pipeline.pages import read_input_line, read_input_lines, read_input_record
from tmwatch.pipeline.process import PageReading, SkipArticle, process_capture, read_page
from tmwatch.record import Capture
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.model import SampleArticle
from tmwatch.samples.render import ALL_ARTICLES, article_page

BASE = "http://127.0.0.1:8000"
FETCHED = "2021-11-08T12:00:00+00:00"  # after every sample article
REGISTRY = load_registry(SAMPLE_REGISTRY, base=BASE)
OUTPUT_FIELDS = [
    "url",
    "title",
    "text",
    "published",
    "date_source",
    "language",
    "canonical_url",
    "authors",
]
CP1251 = next(a for a in ALL_ARTICLES if a.encoding == "windows-1251")
TURKMEN = next(a for a in ALL_ARTICLES if a.outlet == "azathabar")


def url_of(article: SampleArticle) -> str:
    return f"{BASE}/{article.outlet}/{article.path}"


def html_of(article: SampleArticle) -> str:
    """The page as the sample server renders it, related links and all."""
    others = [a for a in ALL_ARTICLES if a.outlet == article.outlet and a is not article]
    return article_page(article, BASE, others)


def bytes_of(article: SampleArticle) -> bytes:
    return html_of(article).encode(article.encoding)


def expected_published(article: SampleArticle, date_source: str | None) -> tuple[str, ...]:
    """Structured data gives the outlet's timestamp with its own offset; htmldate a day, or the
    timestamp when the page gives one in ``<time datetime>`` (Turkmen Notebooks' sample)."""
    if date_source in ("jsonld", "meta"):
        return (article.published,)
    return (article.published[:10], article.published)


def source_of(article: SampleArticle) -> Source:
    """The sample registry's source whose article pattern the page's URL matches."""
    return next(s for s in REGISTRY.sources.values() if s.is_article(url_of(article)))


def jsonl(*records: Any) -> str:
    """JSON Lines; a string record is written as it is (for malformed lines)."""
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    )


def lines_of(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(autouse=True)
def _restore_process_state() -> Iterator[None]:
    """The command sets the umask and the root log handler; other tests must not inherit them."""
    umask = os.umask(0o022)
    os.umask(umask)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    os.umask(umask)
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data home that must never be created."""
    return tmp_path / "home-must-not-exist"


def run(home: Path, *args: str, stdin: bytes | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(main, ["extract", *args], input=stdin, env={"TMWATCH_HOME": str(home)})


@pytest.fixture(scope="module")
def saved_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleArticle]]:
    """Every sample article saved as a file, every third one gzip-compressed, plus a list."""
    folder = tmp_path_factory.mktemp("pages")
    records = []
    for number, article in enumerate(ALL_ARTICLES):
        body = bytes_of(article)
        if number % 3 == 0:
            path = folder / f"{number:03}.html.gz"
            path.write_bytes(gzip.compress(body))
        else:
            path = folder / f"{number:03}.html"
            path.write_bytes(body)
        records.append({"url": url_of(article), "path": str(path), "fetched_at": FETCHED})
    (folder / "list.jsonl").write_text(jsonl(*records), encoding="utf-8")
    return folder, list(ALL_ARTICLES)


# -- the command on good input ----------------------------------------------------------------


def test_a_directory_of_saved_pages_in_one_invocation(
    saved_pages: tuple[Path, list[SampleArticle]], home: Path
) -> None:
    folder, articles = saved_pages
    assert len(articles) >= 60
    assert any(a.encoding == "windows-1251" for a in articles)
    assert len(list(folder.glob("*.gz"))) >= 20
    result = run(home, str(folder / "list.jsonl"))
    assert result.exit_code == 0, result.stderr
    out = lines_of(result)
    assert [r["url"] for r in out] == [url_of(a) for a in articles]  # one line each, in order
    for record, article in zip(out, articles, strict=True):
        assert list(record) == OUTPUT_FIELDS
        assert record["title"] == article.title, article.path
        assert all(para in record["text"] for para in article.paras), article.path
        assert record["canonical_url"] == url_of(article)
        assert record["language"] == article.lang, article.path
        assert record["date_source"] in ("jsonld", "meta", "htmldate")
        assert record["published"] in expected_published(article, record["date_source"])
    assert not home.exists()


def test_timestamps_keep_the_pages_own_offset(home: Path) -> None:
    """Structured dates are not converted to UTC; a day-only date stays a day."""
    result = run(
        home,
        stdin=jsonl(
            {"url": url_of(TURKMEN), "html": html_of(TURKMEN)},
            {"url": url_of(CP1251), "html": html_of(CP1251)},
        ).encode(),
    )
    turkmen, russian = lines_of(result)
    assert turkmen["published"] == TURKMEN.published and TURKMEN.published.endswith("+05:00")
    assert turkmen["date_source"] == "jsonld"
    assert TURKMEN.author and turkmen["authors"] == []  # an agency credit is not an author
    assert russian["published"] == CP1251.published[:10]  # NG publishes no structured date
    assert russian["date_source"] == "htmldate"
    assert russian["authors"] == [CP1251.author]


def test_windows_1251_page_from_a_file_with_or_without_content_type(
    tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "ng.html"
    path.write_bytes(bytes_of(CP1251))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really windows-1251 on disk
    result = run(
        home,
        stdin=jsonl(
            {"url": url_of(CP1251), "path": str(path)},  # <meta charset> decides
            {
                "url": url_of(CP1251),
                "path": str(path),
                "content_type": "text/html; charset=windows-1251",
            },
        ).encode(),
    )
    assert result.exit_code == 0, result.stderr
    for record in lines_of(result):
        assert record["title"] == CP1251.title
        assert CP1251.paras[0] in record["text"]
        assert record["language"] == "ru"


def test_html_string_is_text_whatever_charset_it_declares(home: Path) -> None:
    """An "html" string is already decoded: its <meta charset="windows-1251"> must not apply."""
    html = html_of(CP1251)
    assert 'charset="windows-1251"' in html
    result = run(
        home,
        stdin=jsonl(
            {"url": url_of(CP1251), "html": html},
            {"url": url_of(CP1251), "html": html, "content_type": "text/html; charset=cp1251"},
        ).encode(),
    )
    assert result.exit_code == 0, result.stderr
    for record in lines_of(result):
        assert record["title"] == CP1251.title
        assert CP1251.paras[-1] in record["text"]


def test_fetched_at_bounds_the_page_date_as_in_the_crawl(home: Path) -> None:
    """No date after the fetch day is taken from the page; any ISO 8601 spelling is read."""
    html = (
        '<html lang="en"><head><title>Title</title><meta name="date" content="2021-10-20">'
        "</head><body><h1>Title</h1><p>Activists were detained in Istanbul and taken to a "
        "removal centre, their lawyer said on Tuesday.</p></body></html>"
    )
    url = "https://example.org/a/1"
    fetches = ["2021-12-01T00:00:00+00:00", "2021-10-05T10:00:00+00:00", "20211005T100000"]
    result = run(
        home, stdin=jsonl(*({"url": url, "html": html, "fetched_at": f} for f in fetches)).encode()
    )
    assert result.exit_code == 0, result.stderr
    later, earlier, basic = (r["published"] for r in lines_of(result))
    assert later == "2021-10-20"
    assert earlier is None or earlier <= "2021-10-05"
    assert basic == earlier


def test_a_page_too_short_to_store_still_gives_title_date_and_language(home: Path) -> None:
    short = dataclasses.replace(TURKMEN, paras=("Aktiwistka Stambulda saklandy.",))
    body = bytes_of(short)
    source = source_of(short)
    result = run(home, stdin=jsonl({"url": url_of(short), "html": body.decode()}).encode())
    assert result.exit_code == 0, result.stderr
    (record,) = lines_of(result)
    assert record["title"] == short.title
    assert record["language"] == "tk"
    assert record["published"] == short.published
    assert 0 < len(record["text"].split()) < source.min_words
    # Storing is the crawl's decision, not extraction's.
    capture = Capture(source.key, url_of(short), url_of(short), 200, {}, body, FETCHED)
    with pytest.raises(SkipArticle, match="words of text"):
        process_capture(capture, source)


def test_a_page_with_a_title_and_no_text_still_gives_its_title(home: Path) -> None:
    """A video-player page: nothing to read but its title; the crawl skips it, extract reads it."""
    player = dataclasses.replace(TURKMEN, paras=())
    body = bytes_of(player)
    result = run(home, stdin=jsonl({"url": url_of(player), "html": body.decode()}).encode())
    assert result.exit_code == 0, result.stderr
    (record,) = lines_of(result)
    assert record["title"] == player.title and record["text"] == ""
    assert record["published"] == player.published
    source = source_of(player)
    capture = Capture(source.key, url_of(player), url_of(player), 200, {}, body, FETCHED)
    with pytest.raises(SkipArticle, match="no main text"):
        process_capture(capture, source)


def test_stdin_default_and_dash_skip_blank_lines(home: Path) -> None:
    record = {"url": url_of(TURKMEN), "html": html_of(TURKMEN)}
    stdin = ("\n  \n" + jsonl(record) + "\r\n\n" + jsonl(record)).encode()
    for args in ((), ("-",)):
        result = run(home, *args, stdin=stdin)
        assert result.exit_code == 0, result.stderr
        out = lines_of(result)
        assert [r["title"] for r in out] == [TURKMEN.title, TURKMEN.title]
    assert not home.exists()


def test_no_data_home_is_created(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(bytes_of(TURKMEN)))
    result = run(home, stdin=jsonl({"url": url_of(TURKMEN), "path": str(path)}).encode())
    assert result.exit_code == 0, result.stderr
    assert lines_of(result)[0]["title"] == TURKMEN.title
    assert not home.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html.gz"]


# -- errors: one {"url", "error"} line each, the stream goes on ----------------------------------


def test_every_error_is_a_line_and_the_stream_continues(tmp_path: Path, home: Path) -> None:
    good = {"url": url_of(TURKMEN), "html": html_of(TURKMEN)}
    url = "https://example.org/a/1.html"
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.truncate(DOWNLOAD_MAXSIZE + 1)  # sparse: cheap to make, refused before reading
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b" " * DOWNLOAD_MAXSIZE))
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    cases: list[tuple[Any, str | None, str]] = [
        ("{not json", None, "not JSON"),
        ("[1, 2]", None, "expected a JSON object"),
        ('"just a string"', None, "expected a JSON object"),
        ({"html": "<p>x</p>"}, None, 'no usable "url"'),
        ({"url": "page.html", "html": "<p>x</p>"}, None, 'no usable "url"'),
        ({"url": "ftp://example.org/a", "html": "<p>x</p>"}, None, 'no usable "url"'),
        ({"url": 42, "html": "<p>x</p>"}, None, 'no usable "url"'),
        ({"url": url, "html": "<p>x</p>", "path": str(big)}, url, "exactly one of"),
        ({"url": url}, url, "exactly one of"),
        ({"url": url, "path": str(tmp_path / "missing.html")}, url, "cannot read"),
        ({"url": url, "path": str(tmp_path)}, url, "cannot read"),
        ({"url": url, "path": str(big)}, url, "page size limit"),
        ({"url": url, "path": str(bomb)}, url, "page size limit"),
        ({"url": url, "path": str(broken)}, url, "cannot decompress"),
        ({"url": url, "html": " " * (DOWNLOAD_MAXSIZE + 1)}, url, "page size limit"),
        ({"url": url, "html": "%PDF-1.4", "content_type": "application/pdf"}, url, "not HTML"),
        ({"url": url, "html": "<p>x</p>", "content_type": 5}, url, "content_type"),
        ({"url": url, "html": 5}, url, '"html" must be a string'),
        ({"url": url, "html": "<p>x</p>", "fetched_at": "last week"}, url, "fetched_at"),
        ({"url": url, "html": ""}, url, "empty page"),
        ({"url": url, "html": "<html><body><div></div></body></html>"}, url, "no title"),
    ]
    lines = [good]
    for case, _, _ in cases:
        lines += [case, ""]  # a blank line after each: skipped, not counted
    lines.append(good)
    stdin = jsonl(*lines).encode() + b"\xff\xfe not utf-8\n" + jsonl(good).encode()
    result = run(home, stdin=stdin)
    assert result.exit_code == 1
    out = lines_of(result)
    assert len(out) == 1 + len(cases) + 1 + 1 + 1
    assert out[0]["title"] == out[-3]["title"] == out[-1]["title"] == TURKMEN.title
    for record, (case, expected_url, message) in zip(out[1:-3], cases, strict=True):
        assert list(record) == ["url", "error"], case
        assert record["url"] == expected_url, case
        assert message in record["error"], (case, record)
    assert out[-2] == {"url": None, "error": "not UTF-8 (byte 1)"}
    # stderr names the input line of each error (blank lines count as lines).
    assert "line 2: not JSON" in result.stderr
    assert f"line {2 * len(cases) + 3}: not UTF-8" in result.stderr
    assert not home.exists()


def test_an_overlong_line_is_refused_without_losing_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages, "MAX_LINE_BYTES", 1000)
    html = "<html><head><title>Kept</title></head><body><p>A page that fits.</p></body></html>"
    good = {"url": "https://example.org/kept", "html": html}
    long_line = {"url": "https://example.org/long", "html": "x" * 5000}
    stream = io.BytesIO(jsonl(long_line, good).encode())
    out = list(read_input_lines(stream))
    assert [n for n, _ in out] == [1, 2]
    assert out[0][1] == {"url": None, "error": "line longer than 1000 bytes"}
    assert out[1][1]["title"] == "Kept"
    assert out[1][1]["url"] == "https://example.org/kept"


def test_usage_errors_exit_2(tmp_path: Path, home: Path) -> None:
    result = run(home, str(tmp_path / "no-such.jsonl"))
    assert result.exit_code == 2
    assert "no-such.jsonl" in result.stderr
    assert run(home, "a.jsonl", "b.jsonl").exit_code == 2


def test_help_describes_input_and_output() -> None:
    result = CliRunner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0
    for name in ["path", "html", "fetched_at", "content_type", *OUTPUT_FIELDS, "error"]:
        assert f'"{name}"' in result.stdout, name
    assert "extract" in CliRunner().invoke(main, ["--help"]).stdout


# -- the same code as the crawl ----------------------------------------------------------------


def test_output_equals_what_the_crawl_derives(home: Path) -> None:
    """One page per outlet through ``tmwatch extract`` and through the crawl's process_capture."""
    first: dict[str, SampleArticle] = {}
    for article in ALL_ARTICLES:
        first.setdefault(source_of(article).key, article)
    sample = [*first.values(), CP1251]
    # Every sample source that publishes articles (gundogar's pages are all refused: none).
    # Channels (kind telegram/youtube) are read by pipeline/channels.py: test_channels.py.
    sites = {key for key, source in REGISTRY.sources.items() if source.kind == "site"}
    assert len(sample) == len(sites - {"gundogar"}) + 1
    captures = []
    for article in sample:
        headers = {"Content-Type": f"text/html; charset={article.encoding}"}
        body = bytes_of(article)
        url = url_of(article)
        captures.append(Capture(source_of(article).key, url, url, 200, headers, body, FETCHED))
    stdin = jsonl(
        *(
            {
                "url": c.final_url,
                "html": c.body.decode(a.encoding),
                "content_type": c.headers["Content-Type"],
                "fetched_at": c.fetched_at,
            }
            for c, a in zip(captures, sample, strict=True)
        )
    )
    result = run(home, stdin=stdin.encode())
    assert result.exit_code == 0, result.stderr
    for record, capture in zip(lines_of(result), captures, strict=True):
        source = REGISTRY.sources[capture.source]
        # Without the registry's declared language the crawl detects it, as extract does.
        undeclared = dataclasses.replace(
            source, languages=("ru", "tk", "tr", "en"), require_terms=()
        )
        article = process_capture(capture, undeclared)
        assert record["title"] == article.title
        assert record["text"] == article.text
        assert record["published"] == article.published
        assert record["date_source"] == article.date_source
        assert record["canonical_url"] == article.canonical_url
        assert record["language"] == article.language
        assert record["authors"] == article.authors
        declared = dataclasses.replace(source, require_terms=())
        # One declared language is taken as given; among several, detection chooses.
        expected = source.single_language or article.language
        assert process_capture(capture, declared).language == expected


def test_read_page_is_the_crawls_per_page_stage() -> None:
    body, url = bytes_of(TURKMEN), url_of(TURKMEN) + "?utm_source=feed"
    page = read_page(body, url, content_type="text/html; charset=utf-8", fetched_at=FETCHED)
    assert isinstance(page, PageReading)
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "changed"  # type: ignore[misc]
    assert page.title == TURKMEN.title
    assert page.canonical_url == url_of(TURKMEN)  # rel=canonical, tracking dropped
    assert page.language == "tk"
    assert read_page(body, url, declared_language="ru").language == "ru"  # the registry's say
    capture = Capture("azathabar-tk", url, url, 200, {}, body, FETCHED)
    article = process_capture(capture, source_of(TURKMEN))
    assert (article.title, article.text, article.canonical_url, article.published) == (
        page.title,
        page.text,
        page.canonical_url,
        page.published,
    )
    assert pages.read_page is read_page  # extract has no extraction code of its own


def test_pipeline_function_reads_one_record() -> None:
    record = read_input_record({"url": url_of(TURKMEN), "html": html_of(TURKMEN)})
    assert list(record) == OUTPUT_FIELDS
    assert record["title"] == TURKMEN.title
    assert read_input_line(json.dumps({"url": url_of(TURKMEN), "html": html_of(TURKMEN)})) == (
        record
    )
    assert read_input_record(None) == {"url": None, "error": "expected a JSON object"}
    assert read_input_line(b"[") == {"url": None, "error": "not JSON (Expecting value at column 2)"}
