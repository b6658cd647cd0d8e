"""What the users touch: digests (JSON, Markdown, HTML, Atom), search and citations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest

from tests.helpers import ROOT, crawl_args, invoke, run_cli
from tmwatch.output.search import snippet
from tmwatch.samples.render import ALL_ARTICLES
from tmwatch.samples.server import SampleServer

SCHEMA = json.loads((ROOT / "output" / "digest.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> Path:
    path = tmp_path_factory.mktemp("outputs")
    proc = run_cli(*crawl_args(sample_server), home=path)
    assert proc.returncode == 0, proc.stderr
    return path


def cli(home: Path, *args: str) -> str:
    proc = invoke(*args, home=home)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def article_id(home: Path, title: str) -> str:
    digest = json.loads(cli(home, "digest", "--all"))
    return next(a["id"] for a in digest["articles"] if a["title"] == title)


# -- digests ---------------------------------------------------------------------------------------


def validate(digest: dict) -> None:
    """The schema, its formats included (date-time, date, uri)."""
    jsonschema.validate(
        digest, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_json_digest_follows_its_schema_and_marks_new(home: Path) -> None:
    first = json.loads(cli(home, "digest", "--all", "--mark", "daily"))
    validate(first)
    second = json.loads(cli(home, "digest", "--all"))
    validate(second)
    for field, bad in (("generated_at", "yesterday"), ("read_up_to", -1)):
        with pytest.raises(jsonschema.ValidationError):
            validate({**second, field: bad})
    broken = {**second["articles"][0], "url": "not a url", "published": "19.10.2021"}
    with pytest.raises(jsonschema.ValidationError):
        validate({**second, "articles": [broken]})
    assert second["mark"] == {
        "name": "daily",
        "sequence": first["read_up_to"],
        "at": first["generated_at"],
        "status_id": first["status_up_to"],
    }
    assert second["status_changes"] == []  # shown by the first digest already
    assert not any(a["new"] for a in second["articles"])  # nothing new since the last digest
    assert sum(second["counts"]["outlet"].values()) == second["count"]
    assert second["sources"]["hronikatm-ru"]["state"] == "partial"  # stored, but one 404


def test_markdown_groups_by_topic_person_and_story(home: Path) -> None:
    md = cli(home, "digest", "--all", "--format", "md")
    scoped = md.index("## Turkmen nationals detained in or deported from Turkey")
    other = md.index("## Other detentions and deportations")
    assert scoped < other < md.index("## Other articles")
    assert md.index("### Bayram Allalyev", scoped) < other
    assert "also at:" in md  # the syndicated Allalyev story is one entry per person heading
    allalyev = md[md.index("### Bayram Allalyev", scoped) :]
    allalyev = allalyev[: allalyev.index("\n#", 1)]
    assert (
        allalyev.count("Байрам Аллалыев задержан в Стамбуле")
        + allalyev.count("В Стамбуле задержан туркменский активист Байрам Аллалыев")
        == 1
    )
    assert "**задержали**" in md or "**задержан**" in md  # matched words highlighted
    assert "| Nezavisimaya Gazeta | 6 |" in md
    for entry in md.split("\n- ")[1:]:  # an evidence sentence is quoted once per entry
        quotes = [line for line in entry.splitlines() if line.startswith("  > ")]
        assert len(quotes) == len(set(quotes)), entry


def test_html_is_self_contained_and_escapes_hostile_text(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    cli(home, "digest", "--all", "--format", "html", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(" in page  # the sample title with a script tag, inert
    assert not re.search(r"""(src|srcset|action)\s*=|<link|@import|url\(""", page, re.I)
    for anchor in re.findall(r"<a [^>]*>", page):
        assert 'rel="noreferrer noopener"' in anchor
    assert "default-src 'none'" in page and '<meta name="referrer" content="no-referrer">' in page
    assert "<mark>" in page and "also at:" in page
    assert oct(out.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "narrow", [("--tag", "turkmen-detention-turkey"), ("--person", "Rakhmanov"), ()]
)
def test_atom_feeds_parse_cleanly(home: Path, narrow: tuple[str, ...]) -> None:
    feed = feedparser.parse(cli(home, "digest", "--all", "--format", "atom", *narrow).encode())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries
    if narrow and narrow[0] == "--person":
        assert all(any(t.term == "Akhmed Rakhmanov" for t in e.tags) for e in feed.entries)
    if narrow and narrow[0] == "--tag":
        assert all(any(t.term == narrow[1] for t in e.tags) for e in feed.entries)


def test_digest_for_an_unknown_person_is_a_clear_error(home: Path) -> None:
    proc = invoke("digest", "--all", "--person", "Nobody Atall", home=home)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "Nobody Atall" in proc.stderr and "Dursoltan Taganova" in proc.stderr  # the valid ones


# -- search ----------------------------------------------------------------------------------------


def search(home: Path, *args: str) -> list[dict]:
    return json.loads(cli(home, "search", *args, "--json", "--limit", "100"))["results"]


def test_latin_query_finds_cyrillic_only_spellings(home: Path) -> None:
    results = search(home, "Taganova")
    cyrillic_only = [
        r for r in results if "Tagan" not in r["title"] and "Tagan" not in r["snippet"]
    ]
    assert cyrillic_only and all("Таганов" in r["snippet"] for r in cyrillic_only)
    assert {"ru", "tk", "tr", "en"} <= {r["language"] for r in results}
    for r in results:
        assert {
            "id",
            "title",
            "outlet",
            "published",
            "language",
            "tags",
            "persons",
            "snippet",
            "url",
        } <= set(r)


def test_rakhmanov_finds_every_spelling_and_inflection(home: Path) -> None:
    matched = {
        r["snippet"][start:end] for r in search(home, "Rakhmanov") for start, end in r["matches"]
    }
    for form in ("Рахманов", "Рахманова", "Rahmanow", "Rahmanov"):
        assert form in matched, form
    assert snippet("Avukat Rahmanov'un durumunu anlattı.", ["rahmanov"]).marked() == (
        "Avukat **Rahmanov'un** durumunu anlattı."
    )


def test_phrases_booleans_and_filters(home: Path) -> None:
    tuzla = {r["id"] for r in search(home, "Tuzla")}
    both = {r["id"] for r in search(home, "Tuzla AND Abulov")}
    assert both and both < tuzla
    assert not {r["id"] for r in search(home, "Tuzla NOT Abulov")} & both
    phrase = search(home, '"deportation centre"')
    assert phrase and all(r["language"] == "en" for r in phrase)
    ru = search(home, "Rakhmanov", "--lang", "ru")
    assert ru and all(r["language"] == "ru" for r in ru)
    tagged = search(home, "--tag", "turkmen-detention-turkey")
    assert tagged and all("turkmen-detention-turkey" in r["tags"] for r in tagged)
    person = search(home, "--person", "Рахманов")
    assert person and all("Akhmed Rakhmanov" in r["persons"] for r in person)
    dated = search(home, "--since", "2021-10-20", "--until", "2021-10-31")
    assert dated and all("2021-10-20" <= r["published"][:10] <= "2021-10-31" for r in dated)
    outlet = search(home, "--outlet", "bianet")
    assert outlet and all(r["outlet"] == "bianet" for r in outlet)
    assert len(json.loads(cli(home, "search", "Tuzla", "--json", "--limit", "2"))["results"]) == 2


@pytest.mark.parametrize("query", ['"unbalanced', "Tuzla AND (", "AND OR", "***", ")"])
def test_malformed_queries_get_one_line(home: Path, query: str) -> None:
    proc = invoke("search", query, home=home)
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


# -- citations -------------------------------------------------------------------------------------


def test_cite_matches_the_appeal_format_exactly(home: Path, sample_server: SampleServer) -> None:
    sample = next(a for a in ALL_ARTICLES if a.path == "courier/2021-10-03/11_8267_turkmenia.html")
    aid = article_id(home, sample.title)
    out = cli(home, "cite", aid, "--title-en", "Ashgabat between Ankara and the Turkic Council")
    assert out.strip() == (
        "[Ashgabat between Ankara and the Turkic Council. In Russian] "
        "Ашхабад между Анкарой и Тюркским советом. Serdar Aitakov, Nezavisimaya Gazeta, "
        f"03.10.2021 {sample_server.base}/ng/{sample.path}"
    )
    # The English title was stored: the next citation needs no option, and survives reprocess.
    assert cli(home, "cite", aid).strip() == out.strip()
    cli(home, "reprocess")
    assert cli(home, "cite", aid).strip() == out.strip()


def test_titles_ending_in_a_question_mark_get_no_extra_stop(home: Path) -> None:
    title = "Почему в Стамбуле снова нападают на туркменских активистов?"
    out = cli(home, "cite", article_id(home, title), "--title-en", "Who is behind it?")
    assert out.startswith("[Who is behind it? In Russian] " + title + " Radio Azatlyk")
    assert "?." not in out and ".." not in out


def test_missing_english_title_is_shown_not_invented_and_alternate_offered(home: Path) -> None:
    aid = article_id(home, "Дурсолтан Таганова освобождена из депортационного центра")
    proc = invoke("cite", aid, home=home)
    assert proc.stdout.startswith("[English title needed. In Russian] Дурсолтан Таганова")
    assert "an English version exists" in proc.stderr
    assert "dursoltan-taganova-released" in proc.stderr


def test_english_articles_have_no_bracket_and_lists_are_numbered(home: Path) -> None:
    en = article_id(home, "Bayram Allalyev freed from Pendik deportation centre")
    tk = article_id(home, "Baýram Allalyýew Pendik merkezinden azat edildi")
    out = cli(home, "cite", en, tk).splitlines()
    assert out[0].startswith(
        "1. Bayram Allalyev freed from Pendik deportation centre. Turkmen.News, "
    )
    assert out[1].startswith("2. [English title needed. In Turkmen] Baýram Allalyýew")
    md = cli(home, "cite", tk, "--format", "md")
    assert md.startswith("\\[English title needed. In Turkmen\\]")
    html = cli(home, "cite", tk, "--format", "html")
    assert 'rel="noreferrer noopener"' in html


def test_csl_json_for_zotero(home: Path) -> None:
    aid = article_id(home, "Туркменских мигрантов в Турции держат в депортационных центрах")
    [item] = json.loads(cli(home, "cite", aid, "--format", "csl-json"))
    assert item["type"] == "article-newspaper"
    assert item["container-title"] == "Nezavisimaya Gazeta"
    assert item["issued"] == {"date-parts": [[2021, 10, 25]]}
    assert item["author"] == [{"family": "Aitakov", "given": "Serdar"}]  # APA/Chicago invert
    assert item["language"] == "ru" and item["URL"].endswith("11_8282_migranty.html")


def test_unknown_id_is_a_clear_error(home: Path) -> None:
    proc = invoke("cite", "nosuchid00", home=home)
    assert proc.returncode == 1 and "unknown article id 'nosuchid00'" in proc.stderr


def test_very_broad_queries_come_newest_first(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tmwatch.output.search as search_module
    import tmwatch.store.archive as archive_module
    from tmwatch.store import Store
    from tmwatch.store.home import DataHome

    with Store(DataHome(home), create=False) as store:
        ranked = search_module.search(store, "Tuzla", search_module.Filters(limit=50))
        monkeypatch.setattr(archive_module, "RANK_LIMIT", 1)
        newest = search_module.search(store, "Tuzla", search_module.Filters(limit=50))
        filtered = search_module.search(
            store, "Tuzla", search_module.Filters(limit=50, language="ru")
        )
    assert ranked.ranked_by == "relevance" and newest.ranked_by == "newest"
    assert {r["id"] for r in newest.results} == {r["id"] for r in ranked.results}
    assert newest.total == ranked.total == len(ranked.results)
    assert filtered.results and all(r["language"] == "ru" for r in filtered.results)
