"""Search: totals and truncation, phrases and watched names across scripts, filter checking,
plain-text snippets. Stores are built directly from synthetic texts (and from the sample corpus's
texts, without crawling), tagged by the real tagger so person labels are what a crawl would give.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import invoke, make_article
from tmwatch.config.user import ConfigFiles
from tmwatch.output.filters import CheckedFilters, FilterError, check_filters, resolve_person
from tmwatch.output.search import Filters, QueryError, SearchResult, search, snippet, translate
from tmwatch.pipeline.tagging import Tagger
from tmwatch.samples.render import ALL_ARTICLES
from tmwatch.store import Store
from tmwatch.store.home import DataHome

WATCHLIST = ConfigFiles(packaged_only=True).load_watchlist()
TAGGER = Tagger(WATCHLIST, ConfigFiles(packaged_only=True).load_topics())


@dataclass(frozen=True)
class Doc:
    language: str
    title: str
    text: str
    outlet: str = "Test Outlet"
    source: str = "test"
    published: str = "2021-10-19T10:00:00+03:00"


def build(home: Path, docs: list[Doc]) -> Path:
    """A store holding ``docs`` as articles a0, a1, … labelled by the packaged tagger."""
    with Store(DataHome(home)) as store, store.transaction():
        for i, doc in enumerate(docs):
            tagged = TAGGER.tag(doc.text, doc.title, doc.language)
            store.archive.save_article(
                make_article(
                    f"{doc.source}:{i}",
                    id=f"a{i}",
                    source=doc.source,
                    outlet=doc.outlet,
                    url=f"https://example.test/{doc.source}/{i}",
                    canonical_url=f"https://example.test/{doc.source}/{i}",
                    language=doc.language,
                    title=doc.title,
                    text=doc.text,
                    published=doc.published,
                    tags=tagged.tags,
                    persons=tagged.persons,
                )
            )
    return home


def run(home: Path, *args: str) -> dict:
    proc = invoke("search", *args, "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def ids(home: Path, *args: str) -> set[str]:
    return {r["id"] for r in run(home, *args, "--limit", "1000")["results"]}


# Synthetic reports about the watched people, in the four languages, with inflections, Turkmen
# and Turkish spellings, an initial, a namesake and a distinctive surname alone.
NAMES = [
    Doc("ru", "Задержание в Стамбуле", "Полиция задержала Дурсолтан Таганову у дома в Стамбуле."),
    Doc("tk", "Tussag edildi", "Polisiýa Dursoltan Taganowany Stambulda tussag etdi."),
    Doc("en", "Another Taganova", "Taganova was seen; Dursoltan, her sister, was not."),
    Doc("ru", "Перевод", "Ахмеда Рахманова перевели в депортационный центр в Тузле."),
    Doc("tk", "Aktiwist", "Aktiwist Ahmet Rahmanow Antalýada saklanyldy."),
    Doc("tr", "Avukat", "Türkmen aktivist Ahmet Rahmanov'un avukatı açıklama yaptı."),
    Doc("en", "Moved", "A. Rakhmanov, a Turkmen activist, was moved to the Tuzla centre."),
    Doc("en", "Football", "Rustam Rakhmanov scored twice for the home side on Sunday."),
    Doc("ru", "Суд", "Абулов остаётся под стражей, сообщил адвокат."),
    Doc("tr", "Mahkeme", "Aziz Mammadov hakkında sınır dışı kararı verildi."),
]


@pytest.fixture(scope="module")
def names_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("names"), NAMES)


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample outlets' articles, stored straight from their text (no crawl needed)."""
    docs = [
        Doc(a.lang, a.title, "\n\n".join(a.paras), a.outlet, a.outlet, a.published)
        for a in ALL_ARTICLES
    ]
    return build(tmp_path_factory.mktemp("corpus"), docs)


# -- 9: total and truncation -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = [
        Doc(
            "ru" if i % 2 else "en",
            f"Report {i}",
            f"Hearing number {i} on the deportation order was postponed.",
            published=f"2021-10-{i + 1:02}T10:00:00+03:00",
        )
        for i in range(22)
    ]
    docs.append(Doc("en", "Other", "Nothing about courts here."))
    return build(tmp_path_factory.mktemp("many"), docs)


def test_json_carries_total_and_truncated(many_home: Path) -> None:
    page = run(many_home, "hearing")
    assert (len(page["results"]), page["total"], page["truncated"]) == (20, 22, True)
    assert page["ranked_by"] == "relevance"
    whole = run(many_home, "hearing", "--limit", "30")
    assert (len(whole["results"]), whole["total"], whole["truncated"]) == (22, 22, False)
    ru = run(many_home, "hearing", "--lang", "ru", "--limit", "5")
    assert (len(ru["results"]), ru["total"], ru["truncated"]) == (5, 11, True)
    everything = run(many_home, "--limit", "3")  # no query: all stored articles, newest first
    assert (everything["total"], everything["truncated"], everything["ranked_by"]) == (
        23,
        True,
        "date",
    )


def test_plain_output_ends_with_how_many_were_shown(many_home: Path) -> None:
    proc = invoke("search", "hearing", home=many_home)
    assert proc.returncode == 0
    assert proc.stderr.strip().splitlines()[-1] == "showing 20 of 22 (use --limit)"
    assert proc.stdout.count("Report ") == 20
    complete = invoke("search", "hearing", "--limit", "22", home=many_home)
    assert "showing" not in complete.stderr


def test_total_holds_when_too_many_matches_to_rank(
    many_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tmwatch.store.archive as archive_module

    monkeypatch.setattr(archive_module, "RANK_LIMIT", 5)
    with Store(DataHome(many_home), create=False) as store:
        newest = search(store, "hearing", Filters(limit=4))
        filtered = search(store, "hearing", Filters(limit=4, language="ru"))
    assert isinstance(newest, SearchResult)
    assert (newest.ranked_by, newest.total, newest.truncated, len(newest.results)) == (
        "newest",
        22,
        True,
        4,
    )
    assert (filtered.total, len(filtered.results)) == (11, 4)
    assert all(r["language"] == "ru" for r in filtered.results)


def test_filtered_pages_beyond_the_counted_matches_are_still_the_newest(
    many_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too many matches to rank, with a filter: the count and the first pages come from one
    pass over the newest matches; a page beyond that pass is read on its own, in the same
    order, so pages neither overlap nor skip."""
    import tmwatch.store.archive as archive_module

    monkeypatch.setattr(archive_module, "RANK_LIMIT", 5)
    with Store(DataHome(many_home), create=False) as store:
        everything = search(store, "hearing", Filters(limit=20, language="ru"))
        monkeypatch.setattr(archive_module, "COUNT_LIMIT", 5)
        pages = [
            search(store, "hearing", Filters(limit=4, offset=offset, language="ru"))
            for offset in (0, 4, 8)
        ]
    assert everything.total == 11 and everything.ranked_by == "newest"
    ids = [r["id"] for page in pages for r in page.results]
    assert ids == [r["id"] for r in everything.results]
    assert pages[0].total == 5 and pages[0].total_is_lower_bound  # counted only so far


# -- 10: phrases and watched names -----------------------------------------------------------------


def test_phrase_words_are_prefix_stems_in_sequence(names_home: Path) -> None:
    found = ids(names_home, '"Dursoltan Taganova"')
    assert found == {"a0", "a1"}  # ru accusative, tk accusative; a2 has the words apart
    assert ids(names_home, '"Дурсолтан Таганова"') == found  # any script
    assert ids(names_home, '"Taganova Dursoltan"') == set()  # order matters
    expression, _ = translate('"Dursoltan Taganova"')
    assert expression == 'folded : ("dursoltan" * + "taganov" *)'


def test_phrase_words_take_the_watchlists_spellings(names_home: Path) -> None:
    assert ids(names_home, '"Ahmet Rahmanow"') >= {"a3", "a4", "a5"}  # Ахмеда Рахманова too
    assert "a7" not in ids(names_home, '"Ahmet Rahmanow"')  # Rustam Rakhmanov


def test_a_watched_name_finds_every_spelling_in_every_language(names_home: Path) -> None:
    found = ids(names_home, "Akhmed Rakhmanov")
    assert {"a3", "a4", "a5", "a6"} <= found  # ru, tk, tr, en (an initial before the surname)
    assert "a7" not in found  # a namesake with another first name
    assert ids(names_home, "Ahmet") >= {"a3", "a4", "a5"}  # spellings of one name part
    assert ids(names_home, "Mamedov") == {"a9"}  # Mammadov: folding alone cannot join it
    assert ids(names_home, "Kamil Abulov") == {"a8"}  # distinctive surname: alone it names him
    assert ids(names_home, "Akhmed Rakhmanov AND Tuzla") == {"a3", "a6"}
    assert ids(names_home, "(Akhmed Rakhmanov) NOT Антальи") >= {"a3", "a6"}


def test_person_filter_results_are_within_the_name_query(
    names_home: Path, corpus_home: Path
) -> None:
    checked = 0
    for home in (names_home, corpus_home):
        with Store(DataHome(home), create=False) as store:
            persons = store.archive.person_labels()
        assert persons
        for name in persons:
            labelled = ids(home, "--person", name)
            assert labelled, name
            assert labelled <= ids(home, name), name
            checked += 1
    assert checked >= 6
    assert {"a4", "a5", "a6"} <= ids(names_home, "--person", "Akhmed Rakhmanov")


def test_person_option_accepts_any_listed_spelling(names_home: Path) -> None:
    with Store(DataHome(names_home), create=False) as store:
        assert resolve_person(store, "Ahmet Rahmanow", WATCHLIST) == ["Akhmed Rakhmanov"]
        assert resolve_person(store, "Ахмед") == ["Akhmed Rakhmanov"]
    assert ids(names_home, "--person", "Ahmet Rahmanow") == ids(
        names_home, "--person", "Akhmed Rakhmanov"
    )


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from(
    ["Akhmed", "Rakhmanov", "Ahmet", "Kamil", "Abulov", '"', "(", ")", "AND", "OR", "NOT", "*"]
)


@FUZZ
@given(st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=6).map(" ".join))
def test_queries_with_names_give_results_or_a_query_error(names_home: Path, query: str) -> None:
    with Store(DataHome(names_home), create=False) as store:
        try:
            result = search(store, query, Filters(), WATCHLIST)
        except QueryError as exc:
            assert "\n" not in str(exc)
            return
    assert isinstance(result, SearchResult)


# -- 11: filters that match nothing stored ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (("--lang", "de"), "languages in the store: en, ru, tk, tr"),
        (("--tag", "no-such-topic"), "tags in the store: "),
        (("--outlet", "Pravda"), "outlets in the store: Test Outlet (test)"),
        (("--person", "Nobody Atall"), "persons in the store: Akhmed Rakhmanov, "),
        (("--since", "2021-10-31", "--until", "2021-10-20"), "after --until 2021-10-20"),
    ],
)
def test_unknown_filter_values_are_a_one_line_usage_error(
    names_home: Path, args: tuple[str, ...], listed: str
) -> None:
    for extra in ((), ("Rakhmanov",), ("--json",)):
        proc = invoke("search", *args, *extra, home=names_home)
        assert proc.returncode == 2, proc.stdout
        assert len(proc.stderr.strip().splitlines()) == 1 and listed in proc.stderr
        assert proc.stdout == ""


def test_check_filters_resolves_what_exists(corpus_home: Path) -> None:
    with Store(DataHome(corpus_home), create=False) as store:
        checked = check_filters(
            store,
            tag="TURKMEN-DETENTION-TURKEY",
            person="Рахманов",
            language="RU",
            outlet="azat",
            since=date(2021, 10, 1),
            until="2021-10-31",
            watchlist=WATCHLIST,
        )
        assert checked == CheckedFilters(
            tag="turkmen-detention-turkey",
            persons=("Akhmed Rakhmanov",),
            language="ru",
            sources=("azathabar", "azattyqasia"),
            since="2021-10-01",
            until="2021-10-31",
        )
        assert check_filters(store) == CheckedFilters()
        assert check_filters(store, outlet="NG").sources == ("ng",)  # a source key
        with pytest.raises(FilterError) as caught:
            check_filters(store, tag="nope")
        assert isinstance(caught.value, ValueError) and "\n" not in str(caught.value)
        assert "turkmen-detention-turkey" in str(caught.value)


def test_outlet_names_fold_case_the_unicode_way(tmp_path: Path) -> None:
    home = build(tmp_path, [Doc("tr", "Haber", "Gözaltı.", outlet="BirGün", source="birgun")])
    with Store(DataHome(home), create=False) as store:
        assert check_filters(store, outlet="BİRGÜN").sources == ("birgun",)
    assert ids(home, "--outlet", "birgün") == {"a0"}
    assert invoke("search", "--outlet", "%", home=home).returncode == 2


def test_empty_store_says_so(tmp_path: Path) -> None:
    build(tmp_path, [])
    proc = invoke("search", "--lang", "ru", home=tmp_path)
    assert proc.returncode == 2 and "the store has no languages yet" in proc.stderr


# -- 12: snippets ----------------------------------------------------------------------------------


def test_json_snippets_are_plain_text_with_match_offsets(names_home: Path) -> None:
    results = run(names_home, "Akhmed Rakhmanov")["results"]
    assert results
    for r in results:
        assert "**" not in r["snippet"]
        assert r["matches"]
        for start, end in r["matches"]:
            word = r["snippet"][start:end]
            assert re.fullmatch(r"\w+(?:'\w+)?", word), word
    tr = next(r for r in results if r["id"] == "a5")
    assert [tr["snippet"][s:e] for s, e in tr["matches"]] == ["Ahmet", "Rahmanov'un"]


LONG = (
    "Правозащитники, журналисты и родственники задержанных в течение нескольких недель "
    "собирали сведения о том, где находятся туркменские граждане, задержанные в разных "
    "районах Стамбула и Анкары, и только в конце месяца стало известно, что Ахмед Рахманов "
    "содержится в депортационном центре, куда адвокатов не пускают без предварительной записи, "
    "а родственникам не разрешают передавать ни лекарства, ни тёплую одежду для заключённых."
)


def test_long_sentences_are_cut_at_word_boundaries_around_the_match() -> None:
    cut = snippet(LONG, ["rahmanov"], width=120)
    assert len(cut.text) <= 124
    assert cut.text.startswith("… ") and cut.text.endswith(" …")
    body = cut.text[2:-2]
    assert body in LONG
    start = LONG.index(body)
    end = start + len(body)
    assert not LONG[start - 1].isalpha() and not LONG[end].isalpha()  # whole words only
    assert [cut.text[s:e] for s, e in cut.matches] == ["Рахманов"]


def test_no_query_snippet_is_the_start_cut_at_a_word() -> None:
    cut = snippet(LONG, [], width=100)
    assert cut.matches == () and cut.text.endswith(" …") and not cut.text.startswith("…")
    assert LONG.startswith(cut.text[:-2]) and not LONG[len(cut.text) - 2].isalpha()


def test_whitespace_in_titles_and_texts_keeps_the_plain_output_aligned(tmp_path: Path) -> None:
    home = build(
        tmp_path,
        [
            Doc(
                "en",
                "Two-line\ntitle  here",
                "Tuzla\ncentre:\tthe detainees\n\nwere moved.\r\nThen nothing.",
            )
        ],
    )
    proc = invoke("search", "detainees", home=home)
    assert proc.returncode == 0, proc.stderr
    block = proc.stdout.rstrip("\n").split("\n")
    assert len(block) == 4, proc.stdout
    assert block[1] == "  Two-line title here"
    assert block[2] == "  centre: the **detainees**"  # sentence split at the line break
    page = run(home, "detainees")["results"][0]
    assert page["snippet"] == "centre: the detainees" and page["matches"] == [[12, 21]]
    assert snippet("a\n\nb  c", []).text == "a b c"  # no query: the start, on one line


def test_broad_filtered_totals_are_bounded_and_say_so(
    many_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filtered total is counted only so far (an exact count would cost more than the page);
    the result then says the total is a lower bound. Unfiltered totals stay exact."""
    import tmwatch.store.archive as archive_module

    monkeypatch.setattr(archive_module, "COUNT_LIMIT", 5)
    page = run(many_home, "hearing", "--lang", "ru", "--limit", "3")
    assert (page["total"], page["total_is_lower_bound"], page["truncated"]) == (5, True, True)
    exact = run(many_home, "hearing", "--limit", "3")
    assert (exact["total"], exact["total_is_lower_bound"]) == (22, False)
    proc = invoke("search", "hearing", "--lang", "ru", "--limit", "3", home=many_home)
    assert proc.stderr.strip().splitlines()[-1] == "showing 3 of more than 5 (use --limit)"
