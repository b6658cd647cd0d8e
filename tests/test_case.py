"""Case files (``tmwatch case``) on a crawled sample store: statuses, timelines, footnotes that
resolve to stored articles in every format, documents LibreOffice opens, and corrections that
survive ``tmwatch reprocess``."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import ROOT, crawl_args, invoke, run_cli
from tests.tools import require_program
from tmwatch.samples.server import SampleServer
from tmwatch.store import DataHome, Store

SCHEMA = json.loads((ROOT / "output" / "case.schema.json").read_text(encoding="utf-8"))
DETAINED = ("Dursoltan Taganova", "Akhmed Rakhmanov", "Kamil Abulov", "Bayram Allalyev")
TYPED = ("Taganova", "Rakhmanov", "Abulov", "Allalyev")  # as a user types them
FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]: (.+)$", re.M)
MD_URL = re.compile(r"<(https?://[^>\s]+)>")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> Path:
    path = tmp_path_factory.mktemp("case-home")
    proc = run_cli(*crawl_args(sample_server), home=path)
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def stored(home: Path) -> dict[str, str]:
    """Every stored article's URL -> its ID."""
    with Store(DataHome(home), create=False) as store:
        return {a["url"]: a["id"] for a in store.archive.articles()}


@pytest.fixture
def copy(home: Path, tmp_path: Path) -> Path:
    """A private copy of the crawled home, for tests that change it (WARC paths are relative)."""
    target = tmp_path / "home"
    shutil.copytree(home, target)
    return target


def case_json(home: Path, *persons: str) -> dict:
    ran = invoke("case", *persons, "--format", "json", home=home)
    assert ran.exit_code == 0, ran.output
    return json.loads(ran.stdout)


def validate(case: dict) -> None:
    jsonschema.validate(case, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def person(case: dict, name: str) -> dict:
    return next(p for p in case["persons"] if p["name"] == name)


def report_keys(case: dict) -> set[tuple[str, str, str]]:
    return {
        (r["key"]["article_id"], r["key"]["person"], r["key"]["type"])
        for p in case["persons"]
        for e in p["events"]
        for r in e["reports"]
    }


# -- statuses and timelines --------------------------------------------------------------------


def test_every_detention_story_has_a_status_and_a_dated_timeline(home: Path) -> None:
    case = case_json(home, *TYPED)
    assert [p["name"] for p in case["persons"]] == list(DETAINED)  # one document, given order
    for name in DETAINED:
        entry = person(case, name)
        assert entry["status"]["state"] != "unknown", name
        assert entry["status"]["latest_evidence"], name
        assert entry["spellings"]["last"], name  # the watchlist's spellings
        assert entry["coverage"], name
        days = [p["published"] for p in entry["coverage"]]
        assert days == sorted(days, reverse=True)  # newest first
        for event in entry["events"]:
            published = [r["published"] or "" for r in event["reports"]]
            assert published == sorted(published)  # earliest report first
            assert event["reports"]
        dated = [e["date"] for e in entry["events"] if e["date"] and len(e["date"]) == 10]
        assert dated == sorted(dated)  # chronological
    allalyev = person(case, "Bayram Allalyev")
    assert allalyev["status"]["state"] == "released"
    assert allalyev["status"]["since"] == "2021-11-01"
    assert allalyev["status"]["description"] == "released on 2021-11-01"
    detained = next(e for e in allalyev["events"] if e["type"] == "detained")
    assert (detained["date"], detained["date_text"]) == ("2021-10-22", "22.10.2021")
    released = next(e for e in allalyev["events"] if e["type"] == "released")
    assert released["place"] == "Pendik deportation centre"
    # The appeal's dates: Taganova detained 27.09, released 12.10; Rakhmanov and Abulov
    # released 26 and 27 October.
    taganova = person(case, "Dursoltan Taganova")
    assert taganova["status"]["description"] == "released on 2021-10-12"
    assert any(e["type"] == "detained" and e["date"] == "2021-09-27" for e in taganova["events"])
    assert person(case, "Akhmed Rakhmanov")["status"]["since"] == "2021-10-26"
    assert person(case, "Kamil Abulov")["status"]["since"] == "2021-10-27"


def test_json_follows_its_schema_and_cites_stored_articles(home: Path, stored: dict) -> None:
    case = case_json(home, *TYPED)
    validate(case)
    ids = set(stored.values())
    for entry in case["persons"]:
        for event in entry["events"]:
            for report in event["reports"]:
                assert report["article_id"] in ids
                source = case["sources"][report["article_id"]]
                assert stored[source["url"]] == report["article_id"]
                assert report["citation"] == source["citation"]
                assert report["citation"].endswith(source["url"])
        for item in entry["coverage"]:
            assert stored[item["url"]] == item["article_id"]
    broken = json.loads(json.dumps(case))
    broken["persons"][0]["events"][0]["date"] = "22.10.2021"
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    broken = json.loads(json.dumps(case))
    broken["persons"][0]["coverage"][0]["url"] = "not a url"
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


# -- Markdown and HTML -------------------------------------------------------------------------


def test_markdown_has_one_footnote_per_event_each_resolving(home: Path, stored: dict) -> None:
    ran = invoke("case", "Allalyev", "Abulov", home=home)
    assert ran.exit_code == 0, ran.output
    text = ran.stdout
    assert text.count("\n## ") == 2  # one document, both persons
    definitions = dict(FOOTNOTE_DEF.findall(text))
    body = FOOTNOTE_DEF.sub("", text)
    references = re.findall(r"\[\^(\d+)\]", body)
    assert references and sorted(references, key=int) == sorted(definitions, key=int)
    events = case_json(home, "Allalyev", "Abulov")
    assert len(definitions) == sum(len(p["events"]) for p in events["persons"])
    for note in definitions.values():
        urls = MD_URL.findall(note)
        assert urls and all(url in stored for url in urls), note
    first = events["persons"][0]["events"][0]  # Allalyev detained: its earliest report first
    earliest = events["sources"][first["reports"][0]["article_id"]]["url"]
    assert MD_URL.findall(definitions["1"])[0] == earliest
    assert "**Status:** released on 2021-11-01" in text
    report = first["reports"][0]
    assert f'tmwatch case --dismiss {report["article_id"]} "Bayram Allalyev" detained' in text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.langs: list[str] = []
        self.tags: set[str] = set()
        self.notes: dict[str, list[str]] = {}
        self._note: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        if values.get("id"):
            self.ids.add(str(values["id"]))
            if tag == "li" and str(values["id"]).startswith("fn-"):
                self._note = str(values["id"])
                self.notes[self._note] = []
        if values.get("lang"):
            self.langs.append(str(values["lang"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
            if self._note and not str(values["href"]).startswith("#"):
                self.notes[self._note].append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._note:
            self._note = None


def test_html_is_self_contained_with_linked_footnotes(home: Path, stored: dict) -> None:
    ran = invoke("case", *TYPED, "--format", "html", home=home)
    assert ran.exit_code == 0, ran.output
    page = ran.stdout
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page and " src=" not in page
    parsed = _Page()
    parsed.feed(page)
    assert "html" in parsed.tags and {"ru", "tk"} <= set(parsed.langs)
    assert parsed.notes
    for note, urls in parsed.notes.items():
        number = note.removeprefix("fn-")
        assert f"#fnref-{number}" in parsed.links  # the back-link
        assert f"fnref-{number}" in parsed.ids and f"#{note}" in parsed.links
        assert urls and all(url in stored for url in urls)
    for link in parsed.links:
        if link.startswith("#"):
            assert link[1:] in parsed.ids, link


def test_titles_are_escaped_in_every_format(copy: Path) -> None:
    case = case_json(copy, "Allalyev")
    article = case["persons"][0]["events"][0]["reports"][0]["article_id"]
    hostile = "<b>Freed</b> for $5 and $6 ^up^ @someone"
    assert invoke("cite", article, "--title-en", hostile, home=copy).exit_code == 0
    page = invoke("case", "Allalyev", "--format", "html", home=copy).stdout
    assert "<b>Freed" not in page and "&lt;b&gt;Freed&lt;/b&gt;" in page
    text = invoke("case", "Allalyev", home=copy).stdout
    assert r"\<b\>Freed\</b\> for \$5 and \$6 \^up\^ \@someone" in text
    assert hostile in case_json(copy, "Allalyev")["sources"][article]["citation"]


# -- documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_documents_have_real_footnotes_that_resolve(
    home: Path, stored: dict, tmp_path: Path, fmt: str
) -> None:
    soffice = require_program("soffice", "libreoffice-writer-nogui")
    path = tmp_path / f"annex.{fmt}"
    ran = invoke("case", *TYPED, "--format", fmt, "-o", str(path), home=home)
    assert ran.exit_code == 0, ran.output
    assert path.stat().st_mode & 0o077 == 0
    events = sum(len(p["events"]) for p in case_json(home, *TYPED)["persons"])
    with zipfile.ZipFile(path) as archive:
        if fmt == "docx":
            notes = archive.read("word/footnotes.xml").decode("utf-8")
            count = len(re.findall(r'<w:footnote w:id="[1-9]\d*"', notes))
            body = archive.read("word/_rels/footnotes.xml.rels").decode("utf-8")
            urls = re.findall(r'Target="(https?://[^"]+)"', body)
        else:
            notes = archive.read("content.xml").decode("utf-8")
            count = notes.count("<text:note ")
            urls = re.findall(r'xlink:href="(https?://[^"]+)"', notes)
    assert count == events
    assert urls and all(url.replace("&amp;", "&") in stored for url in urls)
    out = tmp_path / "html"
    proc = subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "html", "--outdir", str(out), path],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    converted = " ".join((out / "annex.html").read_text(encoding="utf-8", errors="replace").split())
    assert 'name="sdfootnote1sym"' in converted  # LibreOffice's own footnotes
    assert f'name="sdfootnote{events}sym"' in converted


def test_documents_need_an_output_file(home: Path) -> None:
    ran = invoke("case", "Allalyev", "--format", "docx", home=home)
    assert ran.exit_code == 2 and "-o" in ran.stderr


# -- errors ------------------------------------------------------------------------------------


def test_an_unknown_person_is_one_line_listing_the_watched(home: Path) -> None:
    ran = invoke("case", "Allalyev", "Nobody Atall", home=home)
    assert ran.exit_code == 2
    line = ran.stderr.strip()
    assert "\n" not in line and "Nobody Atall" in line
    assert all(name in line for name in DETAINED)
    assert ran.stdout == ""
    assert invoke("case", home=home).exit_code == 2


# -- corrections -------------------------------------------------------------------------------


def test_a_dismissed_report_leaves_and_stays_dismissed_after_reprocess(copy: Path) -> None:
    text = invoke("case", "Allalyev", home=copy).stdout
    command = re.search(r"`(tmwatch case --dismiss [^`]+ detained)`", text)
    assert command, text
    args = shlex.split(command.group(1))[2:]  # exactly what the case file shows
    article, name = args[1], args[2]
    ran = invoke("case", *args, "--note", "speaks of another arrest", home=copy)
    assert ran.exit_code == 0, ran.output
    key = (article, name, "detained")

    def check() -> None:
        case = case_json(copy, "Allalyev")
        validate(case)
        assert key not in report_keys(case)
        [correction] = person(case, name)["corrections"]
        assert correction["action"] == "dismiss"
        assert correction["note"] == "speaks of another arrest"
        markdown = invoke("case", "Allalyev", home=copy).stdout
        assert command.group(1) not in markdown
        assert "speaks of another arrest" in markdown

    check()
    reprocessed = invoke("reprocess", home=copy)
    assert reprocessed.exit_code == 0, reprocessed.output
    check()


def test_a_corrected_date_is_used_and_kept(copy: Path) -> None:
    case = case_json(copy, "Allalyev")
    undated = next(e for e in person(case, "Bayram Allalyev")["events"] if e["date"] is None)
    report = undated["reports"][0]
    ran = invoke(
        "case",
        "--set-date",
        report["article_id"],
        "Аллалыев",  # any spelling
        undated["type"],
        "2021-10-22",
        home=copy,
    )
    assert ran.exit_code == 0, ran.output
    for reprocess in (True, False):
        after = case_json(copy, "Allalyev")
        validate(after)
        event = next(
            e
            for e in person(after, "Bayram Allalyev")["events"]
            if e["type"] == undated["type"]
            and any(r["article_id"] == report["article_id"] for r in e["reports"])
        )
        assert (event["date"], event["date_text"]) == ("2021-10-22", "22.10.2021")
        mine = next(r for r in event["reports"] if r["article_id"] == report["article_id"])
        assert mine["date_basis"] == "corrected"
        assert mine["corrected"] == {"value": "2021-10-22", "note": ""}
        if reprocess:
            assert invoke("reprocess", home=copy).exit_code == 0


def test_dismissing_every_release_report_changes_the_status(copy: Path) -> None:
    case = case_json(copy, "Taganova")
    entry = person(case, "Dursoltan Taganova")
    assert entry["status"]["state"] == "released"
    released = [e for e in entry["events"] if e["type"] == "released"]
    for event in released:
        for report in event["reports"]:
            args = ("--dismiss", report["article_id"], "Taganova", "released")
            assert invoke("case", *args, home=copy).exit_code == 0
    after = person(case_json(copy, "Taganova"), "Dursoltan Taganova")
    assert after["status"]["state"] in ("detained", "deportation_centre")
    assert not [e for e in after["events"] if e["type"] == "released"]


def test_a_bad_correction_is_a_usage_error_that_changes_nothing(copy: Path) -> None:
    case = case_json(copy, "Allalyev")
    report = person(case, "Bayram Allalyev")["events"][0]["reports"][0]
    article = report["article_id"]
    for args in (
        ("--dismiss", "zzzzzzzzzz", "Allalyev", "detained"),  # no such article
        ("--dismiss", article, "Allalyev", "arrested"),  # no such type
        ("--dismiss", article, "Allalyev", "deported"),  # the article does not report it
        ("--dismiss", article, "Nobody", "detained"),
        ("--set-date", article, "Allalyev", "detained", "22.10.2021"),
        ("--set-date", article, "Allalyev", "detained", "2021-02-30"),
    ):
        ran = invoke("case", *args, home=copy)
        assert ran.exit_code == 2, (args, ran.output)
        assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert invoke("case", "Allalyev", "--note", "x", home=copy).exit_code == 2
    assert case_json(copy, "Allalyev")["persons"] == case["persons"]


def test_a_date_the_outlets_disagree_on_is_flagged(copy: Path) -> None:
    case = case_json(copy, "Allalyev")
    detained = next(e for e in person(case, "Bayram Allalyev")["events"] if e["type"] == "detained")
    article = next(r for r in detained["reports"] if r["date"] == "2021-10-22")["article_id"]
    args = ("--set-date", article, "Allalyev", "detained", "2021-10-21", "--note", "per lawyer")
    assert invoke("case", *args, home=copy).exit_code == 0
    after = case_json(copy, "Allalyev")
    validate(after)
    event = next(e for e in person(after, "Bayram Allalyev")["events"] if e["type"] == "detained")
    assert event["date"] == "2021-10-22"  # the day most outlets give, never an average
    assert event["date_conflict"]["2021-10-21"] == 1
    assert event["note"].startswith("21.10 per one outlet, 22.10 per")
    text = invoke("case", "Allalyev", home=copy).stdout
    assert f"the outlets give different dates: {event['note']}" in text
    assert "date corrected by the user: per lawyer" in text
    page = invoke("case", "Allalyev", "--format", "html", home=copy).stdout
    assert f'<span class="flag">(the outlets give different dates: {event["note"]})' in page
