"""``tmwatch cite``: CSL-JSON that Zotero and citeproc read correctly, and English titles that
stay one line, can be cleared and are asked for when missing.

Every article here is synthetic and stored directly (no crawl), so each test states exactly the
record it cites.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import invoke, make_article
from tmwatch.output.citation import as_csl
from tmwatch.store import Store
from tmwatch.store.home import DataHome

# A compact, faithful subset of the CSL-JSON 1.0.2 schema (citation-style-language/schema,
# csl-data.json): the item, name and date definitions as published, with every variable of the
# specification listed so that a field CSL does not define (a "translated-title", a misspelt
# "orginal-title") fails, as it does for citeproc, which ignores it silently.
_STRING_VARIABLES = """
    abstract annote archive archive_collection archive_location archive-place authority
    call-number chapter-number citation-label citation-number collection-number collection-title
    container-title container-title-short dimensions division DOI edition event event-title
    event-place first-reference-note-number genre ISBN ISSN issue jurisdiction keyword language
    locator medium note number number-of-pages number-of-volumes original-publisher
    original-publisher-place original-title page page-first part part-title PMCID PMID printing
    publisher publisher-place references reviewed-genre reviewed-title scale section source status
    supplement title title-short URL version volume volume-title volume-title-short year-suffix
    citation-key journalAbbreviation shortTitle
""".split()
_NAME_VARIABLES = """
    author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator
""".split()
_DATE_VARIABLES = "accessed available-date event-date issued original-date submitted".split()
_TYPES = """
    article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture musical_score
    pamphlet paper-conference patent performance periodical personal_communication post
    post-weblog regulation report review review-book software song speech standard thesis treaty
    webpage
""".split()
_SCALAR = {"type": ["string", "number"]}
_NAME = {
    "type": "object",
    "properties": {
        **{
            k: {"type": "string"}
            for k in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
        },
        "literal": {"type": "string"},
        **{
            k: {"type": ["string", "number", "boolean"]}
            for k in ("comma-suffix", "static-ordering", "parse-names")
        },
    },
    "additionalProperties": False,
}
_DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "items": {"type": "array", "items": _SCALAR, "minItems": 1, "maxItems": 3},
            "minItems": 1,
            "maxItems": 2,
        },
        "season": _SCALAR,
        "circa": {"type": ["string", "number", "boolean"]},
        "literal": {"type": "string"},
        "raw": {"type": "string"},
        "edtf": {"type": "string"},
    },
    "additionalProperties": False,
}
CSL_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": _TYPES},
            "id": _SCALAR,
            "categories": {"type": "array", "items": {"type": "string"}},
            "custom": {"type": "object"},
            **{k: _SCALAR for k in _STRING_VARIABLES},
            **{k: {"type": "array", "items": _NAME} for k in _NAME_VARIABLES},
            **{k: _DATE for k in _DATE_VARIABLES},
        },
        "required": ["type", "id"],
        "additionalProperties": False,
    },
}


def store_articles(home: Path, *articles: dict[str, Any]) -> None:
    with Store(DataHome(home)) as store, store.transaction():
        for n, changes in enumerate(articles):
            store.archive.save_article(make_article(f"s:{n}", **changes))


def cite(home: Path, *args: str) -> Any:
    return invoke("cite", *args, home=home)


RU = {
    "id": "ruarticle1",
    "url": "https://ng.example/a/1",
    "canonical_url": "https://ng.example/a/1",
    "outlet": "Nezavisimaya Gazeta",
    "language": "ru",
    "title": "Туркменских активистов задерживают в Стамбуле",
    "authors": ["Сердар Айтаков"],
}
TK = {
    "id": "tkarticle1",
    "url": "https://azatlyk.example/a/2",
    "canonical_url": "https://azatlyk.example/a/2",
    "outlet": "Radio Azatlyk",
    "language": "tk",
    "title": "Aktiwistler Stambulda saklandy",
    "authors": ["Redaksiýa"],
}
EN = {
    "id": "enarticle1",
    "url": "https://tn.example/a/3",
    "canonical_url": "https://tn.example/a/3",
    "outlet": "Turkmen.News",
    "language": "en",
    "title": "Activists detained in Istanbul",
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    store_articles(path, RU, TK, EN)
    return path


# -- CSL-JSON --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Serdar Aitakov", {"family": "Aitakov", "given": "Serdar"}),
        ("Сердар Айтаков", {"family": "Aitakov", "given": "Serdar"}),  # romanised, as the footnote
        ("Aitakov, Serdar", {"family": "Aitakov", "given": "Serdar"}),
        ("Айтаков Сердар Мухаммедович", {"family": "Aitakov", "given": "Serdar Mukhammedovich"}),
        ("Mehmet Ali Yılmaz", {"family": "Yılmaz", "given": "Mehmet Ali"}),
        ("S. Aitakov", {"family": "Aitakov", "given": "S."}),
        ("Redaksiýa", {"literal": "Redaksiýa"}),
        ("RFE/RL", {"literal": "RFE/RL"}),
        ("Azatlyk", {"literal": "Azatlyk"}),
        ("Radio Azatlyk", {"literal": "Radio Azatlyk"}),
        ("Turkmen.News", {"literal": "Turkmen.News"}),
        ("Редакция НГ", {"literal": "Redaktsiya NG"}),
        ("AP Staff", {"literal": "AP Staff"}),
        ("Anadolu Ajansı", {"literal": "Anadolu Ajansı"}),
        ("The Outlet Itself", {"literal": "The Outlet Itself"}),
    ],
)
def test_csl_authors_are_family_given_people_or_literal_organisations(
    byline: str, name: dict[str, str]
) -> None:
    article = {**RU, "authors": [byline], "outlet": "The Outlet Itself"}
    assert as_csl(article)["author"] == [name]


def test_csl_title_is_english_with_the_original_and_its_language(home: Path) -> None:
    english = "Turkmen activists detained in Istanbul"
    assert cite(home, RU["id"], "--title-en", english).returncode == 0
    proc = cite(home, RU["id"], TK["id"], EN["id"], "--format", "csl-json")
    assert proc.returncode == 0, proc.stderr
    ru, tk, en = json.loads(proc.stdout)
    assert ru["title"] == english
    assert ru["original-title"] == RU["title"] and ru["language"] == "ru"
    assert tk["title"] == TK["title"] and "original-title" not in tk and tk["language"] == "tk"
    assert en["title"] == EN["title"] and "original-title" not in en and en["language"] == "en"
    assert not any("note" in item for item in (ru, tk, en))


def test_csl_output_follows_the_csl_json_schema(tmp_path: Path) -> None:
    home = tmp_path / "home"
    unknown = {**EN, "id": "nolanguage", "url": "https://x.example/4", "language": None}
    store_articles(home, RU, TK, EN, {**unknown, "canonical_url": unknown["url"], "published": ""})
    cite(home, RU["id"], "--title-en", "An English title")
    proc = cite(home, RU["id"], TK["id"], EN["id"], "nolanguage", "--format", "csl-json")
    items = json.loads(proc.stdout)
    jsonschema.validate(items, CSL_SCHEMA)
    for item in items:
        assert "language" not in item or item["language"] in {"ru", "tk", "tr", "en"}
        for name in item.get("author", []):  # a person to invert, or an organisation as is
            assert set(name) in ({"family", "given"}, {"literal"})


# -- --title-en ------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["First line\nsecond line", "One\r\nTwo", "Para\u2029graph"])
def test_title_en_with_a_line_break_is_refused_and_not_stored(home: Path, title: str) -> None:
    proc = cite(home, RU["id"], "--title-en", title)
    assert proc.returncode == 2 and "one line" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not proc.stdout
    assert cite(home, RU["id"]).stdout.startswith("[English title needed. In Russian] ")


def test_title_en_outer_whitespace_is_dropped(home: Path) -> None:
    proc = cite(home, RU["id"], "--title-en", "  Detained in Istanbul \n")
    assert proc.stdout.startswith("[Detained in Istanbul. In Russian] ")


def test_a_stored_title_with_a_line_break_still_prints_one_line(home: Path) -> None:
    with Store(DataHome(home)) as store, store.transaction():
        store.db.execute(  # as an older tmwatch could have stored it
            "INSERT INTO annotations(article_key, title_en) VALUES ('s:0', 'Two\nlines')"
        )
        with pytest.raises(ValueError, match="one non-empty line"):
            store.archive.set_title_en(RU["id"], "Two\nlines")
    out = cite(home, RU["id"]).stdout
    assert out.startswith("[Two lines. In Russian] ") and len(out.splitlines()) == 1


def test_title_en_can_be_cleared(home: Path) -> None:
    cite(home, RU["id"], "--title-en", "A mistaken title")
    proc = cite(home, RU["id"], "--clear-title-en")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("[English title needed. In Russian] ")
    assert cite(home, RU["id"]).stdout.startswith("[English title needed. In Russian] ")
    [item] = json.loads(cite(home, RU["id"], "--format", "csl-json").stdout)
    assert item["title"] == RU["title"] and "original-title" not in item
    both = cite(home, RU["id"], "--clear-title-en", "--title-en", "X")
    assert both.returncode == 2


def test_placeholder_footnotes_warn_once_per_article_on_stderr(home: Path) -> None:
    cite(home, RU["id"], "--title-en", "Known English title")
    proc = cite(home, RU["id"], TK["id"], EN["id"], "--format", "md")
    assert proc.returncode == 0
    warnings = proc.stderr.strip().splitlines()
    assert len(warnings) == 1  # RU has its title, EN needs none
    assert warnings[0].startswith(f"{TK['id']}: ")
    assert f"tmwatch cite {TK['id']} --title-en" in warnings[0]


def test_duplicate_ids_are_cited_once_in_first_seen_order(home: Path) -> None:
    proc = cite(home, TK["id"], EN["id"], TK["id"], EN["id"])
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1. [English title needed. In Turkmen] " + TK["title"])
    assert lines[1].startswith("2. " + EN["title"])
    assert len(proc.stderr.strip().splitlines()) == 1  # TK warned about once
    items = json.loads(cite(home, EN["id"], EN["id"], "--format", "csl-json").stdout)
    assert [i["id"] for i in items] == [EN["id"]]
    once = cite(home, RU["id"], RU["id"], "--title-en", "Detained")  # still exactly one article
    assert once.returncode == 0 and once.stdout.startswith("[Detained. In Russian] ")


def test_the_appeal_footnote_format_is_unchanged(home: Path) -> None:
    proc = cite(home, RU["id"], "--title-en", "Turkmen activists are being detained in Istanbul")
    assert proc.stdout.strip() == (
        "[Turkmen activists are being detained in Istanbul. In Russian] "
        "Туркменских активистов задерживают в Стамбуле. Serdar Aitakov, Nezavisimaya Gazeta, "
        "19.10.2021 https://ng.example/a/1"
    )
