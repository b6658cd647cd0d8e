"""Events (pipeline/events.py), their dates (event_dates.py), cases and statuses (cases.py), the
lexicon's validation (config/events.py), and floors on bench/events_eval.py's figures.

Every text here is synthetic, written for these tests.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bench.events_eval import evaluate
from tmwatch.config.events import (
    DEFAULT_EVENTS,
    EVENT_TYPES,
    EventLexiconError,
    build_event_lexicon,
    load_event_lexicon,
)
from tmwatch.pipeline.cases import (
    Report,
    merge_events,
    person_statuses,
    reports_from_article,
    status_changes,
)
from tmwatch.pipeline.event_dates import DateFinder, resolve
from tmwatch.pipeline.events import Event, EventEvidence, EventExtractor, extract_events
from tmwatch.pipeline.tagging import Tagger

TAG = "Dursoltan Taganova"
MAM = "Aziz Mamedov"
RAH = "Akhmed Rakhmanov"
ABU = "Kamil Abulov"
BAD = "Merdan Badrov"
ALL = "Bayram Allalyev"
DUR = "Farkhad Durdyev"
TUZLA = "Tuzla deportation centre"
PENDIK = "Pendik deportation centre"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.from_files()


def events(
    tagger: Tagger,
    text: str,
    language: str | None,
    published: str = "2021-10-25",
    title: str = "",
) -> list[Event]:
    tagged = tagger.tag(text, title, language)
    return extract_events(text, title, language, published, tagged)


def found(
    tagger: Tagger,
    text: str,
    language: str | None,
    published: str = "2021-10-25",
    title: str = "",
) -> set[tuple[str, str, str | None]]:
    """{(person, type, date)} of a text."""
    return {(e.person, e.type, e.date) for e in events(tagger, text, language, published, title)}


# -- the lexicon -------------------------------------------------------------------------------


def test_packaged_lexicon_defines_every_type_in_every_language() -> None:
    lexicon = load_event_lexicon()
    assert [t.key for t in lexicon.types] == list(EVENT_TYPES)
    assert set(lexicon.languages) == {"ru", "tk", "tr", "en"}
    for kind in lexicon.types:
        assert set(kind.terms) == {"ru", "tk", "tr", "en"}, kind.key


def _packaged() -> dict:
    return tomllib.loads(DEFAULT_EVENTS.read_text(encoding="utf-8"))


def test_errors_name_file_entry_and_field() -> None:
    data = _packaged()
    data["types"]["arrested"] = {"terms": {"en": ["arrested"]}}
    data["types"]["detained"]["terms"]["xx"] = ["nope"]
    data["types"]["released"]["colour"] = "red"
    data["languages"]["tr"]["negation_morphs"] = ["m[ae"]
    data["languages"]["ru"]["months"]["январ"] = 13
    del data["types"]["legal"]
    with pytest.raises(EventLexiconError) as caught:
        build_event_lexicon(data, "my-events.toml")
    error = caught.value
    assert error.path == "my-events.toml"
    text = "\n".join(error.problems)
    assert "type 'arrested': unknown event type" in text
    assert "type 'detained', field 'terms'.xx: unknown language 'xx'" in text
    assert "type 'released', field 'colour': unknown field" in text
    assert "language 'tr', field 'negation_morphs'[0]: invalid regular expression" in text
    assert "language 'ru', field 'months.январ': must be a whole number from 1 to 12" in text
    assert "type 'legal': missing" in text
    assert str(error).startswith("my-events.toml: ")


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text("[types.detained\n", encoding="utf-8")
    with pytest.raises(EventLexiconError, match="invalid TOML"):
        load_event_lexicon(path)


# -- dates -------------------------------------------------------------------------------------


def _dates(language: str, text: str, published: str | None) -> list[tuple[str | None, str | None]]:
    finder = DateFinder([load_event_lexicon().languages[language]])
    return [(d.value, d.basis) for d in (resolve(m, published) for m in finder.find(text))]


@pytest.mark.parametrize(
    ("language", "text", "published", "expected"),
    [
        ("ru", "задержали 22 октября", "2021-10-25", ("2021-10-22", "no-year")),
        ("ru", "22 октября 2020 года", "2021-10-25", ("2020-10-22", "stated")),
        ("ru", "22.10.2021", "2021-12-25", ("2021-10-22", "stated")),
        ("ru", "вчера вечером", "2021-10-25T09:00:00+05:00", ("2021-10-24", "relative")),
        ("ru", "в пятницу", "2021-10-25", ("2021-10-22", "relative")),
        ("ru", "два дня назад", "2021-10-25", ("2021-10-23", "relative")),
        ("ru", "в середине октября", "2021-11-03", ("2021-10", "no-year")),
        ("tk", "22-nji oktýabrda", "2021-10-25", ("2021-10-22", "no-year")),
        ("tk", "2021-nji ýylyň 18-nji oktýabrynda", "2022-03-01", ("2021-10-18", "stated")),
        ("tk", "Düýn", "2021-10-25", ("2021-10-24", "relative")),
        ("tk", "anna güni", "2021-10-25", ("2021-10-22", "relative")),
        ("tr", "22 Ekim'de", "2021-10-25", ("2021-10-22", "no-year")),
        ("tr", "dün akşam", "2021-10-25", ("2021-10-24", "relative")),
        ("tr", "cuma günü", "2021-10-25", ("2021-10-22", "relative")),
        ("tr", "ekim ayında", "2021-11-03", ("2021-10", "no-year")),
        ("en", "on 22 October", "2021-10-25", ("2021-10-22", "no-year")),
        ("en", "on October 22, 2021", "2021-12-25", ("2021-10-22", "stated")),
        ("en", "on Friday", "2021-10-25", ("2021-10-22", "relative")),
        ("en", "on Friday", "2021-10-22", ("2021-10-22", "relative")),  # published that Friday
        ("en", "next Monday", "2021-10-25", ("2021-11-01", "relative")),
        ("en", "last Monday", "2021-10-25", ("2021-10-18", "relative")),
        ("en", "yesterday", "2021-10-25", ("2021-10-24", "relative")),
    ],
)
def test_dates_resolve_against_the_publication(
    language: str, text: str, published: str, expected: tuple[str, str]
) -> None:
    assert _dates(language, text, published) == [expected]


@pytest.mark.parametrize(
    ("language", "text", "published", "value"),
    [
        # A January article's late-December day is last year's ...
        ("ru", "задержали 28 декабря", "2022-01-04", "2021-12-28"),
        ("tr", "28 Aralık'ta", "2022-01-04", "2021-12-28"),
        # ... and a late-December article's early-January day is the coming January.
        ("ru", "слушание назначено на 5 января", "2021-12-30", "2022-01-05"),
        ("en", "set for 5 January", "2021-12-30", "2022-01-05"),
        ("tk", "5-nji ýanwara", "2021-12-30", "2022-01-05"),
    ],
)
def test_a_date_without_a_year_is_the_one_nearest_the_publication(
    language: str, text: str, published: str, value: str
) -> None:
    assert _dates(language, text, published) == [(value, "no-year")]


def test_without_a_publication_date_only_full_dates_resolve() -> None:
    assert _dates("ru", "вчера", None) == [(None, None)]  # no date, so no basis claimed
    assert _dates("ru", "22 октября", None) == [(None, None)]
    assert _dates("ru", "22 октября 2021 года", None) == [("2021-10-22", "stated")]


def test_may_the_verb_is_no_month() -> None:
    assert _dates("en", "he may be deported in May", "2021-10-25") == [("2021-05", "no-year")]


# -- extraction, per language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Полиция задержала Ахмеда Рахманова 18 октября в Анталье."),
        ("tk", "Ahmet Rahmanow 18-nji oktýabrda Antalýada polisiýa tarapyndan saklandy."),
        ("tr", "Ahmet Rahmanov 18 Ekim'de Antalya'da gözaltına alındı."),
        ("en", "Police detained Akhmed Rakhmanov in Antalya on 18 October."),
    ],
)
def test_a_detention_with_its_date(tagger: Tagger, language: str, text: str) -> None:
    (event,) = events(tagger, text, language, "2021-10-20")
    assert (event.person, event.type, event.date) == (RAH, "detained", "2021-10-18")
    assert (event.date_precision, event.date_basis) == ("day", "no-year")
    assert event.evidence.sentence == text
    assert event.evidence.trigger in text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Камила Абулова перевели в депортационный центр в Тузле."),
        ("tk", "Kamil Abulow Tuzladaky deportasiýa merkezine geçirildi."),
        ("tr", "Kamil Abulov Tuzla Geri Gönderme Merkezi'ne nakledildi."),
        ("en", "Kamil Abulov was moved to the Tuzla deportation centre."),
    ],
)
def test_a_deportation_centre_with_its_place_and_no_date(
    tagger: Tagger, language: str, text: str
) -> None:
    (event,) = events(tagger, text, language, "2021-10-20")
    assert (event.person, event.type, event.place) == (ABU, "deportation_centre", TUZLA)
    assert event.date is None  # the publication date is never the event's date
    assert event.date_precision is None and event.date_basis is None


@pytest.mark.parametrize(
    ("language", "text", "denied"),
    [
        ("ru", "Азиза Мамедова не задерживали, он находится дома.", "detained"),
        ("ru", "Аллалыев не был освобождён и остаётся в Пендике.", "released"),
        ("tk", "Aziz Mämmedow tussag edilmedi.", "detained"),
        ("tk", "Baýram Allalyýew heniz boşadylmady.", "released"),
        ("tr", "Aziz Memmedov gözaltına alınmadı.", "detained"),
        ("tr", "Kamil Abulov sınır dışı edilmedi.", "deported"),
        ("en", "Aziz Mamedov was not detained.", "detained"),
        ("en", "Kamil Abulov has never been deported.", "deported"),
        ("en", "Police denied that Aziz Mamedov had been arrested.", "detained"),
    ],
)
def test_negated_statements_produce_no_event(
    tagger: Tagger, language: str, text: str, denied: str
) -> None:
    assert not [e for e in events(tagger, text, language) if e.type == denied]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Аллалыева могут депортировать в ближайшие дни."),
        ("ru", "Родные Абулова опасаются, что его арестуют."),
        ("tk", "Baýram Allalyýew deport edilip bilner."),
        ("tr", "Bayram Allalıyev'in tutuklanmasından korkuluyor."),
        ("tr", "Bayram Allalıyev sınır dışı edilebilir."),
        ("en", "Bayram Allalyev may be deported."),
        ("en", "Kamil Abulov fears arrest."),
        ("en", "Police came to Merdan Badrov's home in order to detain him."),
    ],
)
def test_hypothetical_statements_produce_no_event(tagger: Tagger, language: str, text: str) -> None:
    assert events(tagger, text, language) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Абулову пригрозили депортацией."),
        ("ru", "Азизу Мамедову сообщили, что его вышлют из Турции."),
        ("tk", "Kamil Abulowa deportasiýa ediljekdigini aýtdylar."),
        ("tr", "Kamil Abulov'a sınır dışı edileceği bildirildi."),
        ("en", "Kamil Abulov was threatened with deportation."),
        ("en", "Officials told Kamil Abulov he would be deported."),
    ],
)
def test_a_stated_threat_is_at_most_a_deportation_threat(
    tagger: Tagger, language: str, text: str
) -> None:
    assert {e.type for e in events(tagger, text, language)} == {"deportation_threat"}


def test_reported_speech_attaches_the_event_to_its_subject(tagger: Tagger) -> None:
    assert found(
        tagger, "According to Aziz Mamedov, Kamil Abulov was detained on Friday.", "en"
    ) == {(ABU, "detained", "2021-10-22")}
    assert found(tagger, "По словам Азиза Мамедова, Абулова задержали в пятницу.", "ru") == {
        (ABU, "detained", "2021-10-22")
    }
    # The speaker is the subject when the report is about themselves.
    assert found(tagger, "Farkhad Durdyev says he was beaten outside the consulate.", "en") == {
        (DUR, "attacked", None)
    }
    assert found(tagger, "Farhad Durdıyev, dövüldüğünü söyledi.", "tr") == {(DUR, "attacked", None)}


def test_several_people_and_dates_in_one_sentence(tagger: Tagger) -> None:
    text = (
        "Rakhmanov's friend Kamil Abulov was released on 26 October, while Akhmed Rakhmanov "
        "was detained again on 28 October."
    )
    assert found(tagger, text, "en", "2021-10-30") == {
        (ABU, "released", "2021-10-26"),
        (RAH, "detained", "2021-10-28"),
    }
    text = "Абулова задержали 18 октября, а 26 октября освободили вместе с Ахмедом Рахмановым."
    assert (ABU, "detained", "2021-10-18") in found(tagger, text, "ru", "2021-10-30")


def test_respectively_pairs_names_and_days(tagger: Tagger) -> None:
    text = "Ахмед Рахманов и Камил Абулов освобождены 26 и 27 октября."
    assert found(tagger, text, "ru", "2021-10-28") == {
        (RAH, "released", "2021-10-26"),
        (ABU, "released", "2021-10-27"),
    }


def test_release_after_detention_across_sentences(tagger: Tagger) -> None:
    text = (
        "Bayram Allalyev was detained at the migration office on 22 October. "
        "He was released from the Pendik deportation centre on 1 November."
    )
    result = events(tagger, text, "en", "2021-11-02")
    assert {(e.type, e.date) for e in result} == {
        ("detained", "2021-10-22"),
        ("released", "2021-11-01"),
    }
    released = next(e for e in result if e.type == "released")
    assert released.place == PENDIK
    assert released.evidence.person_via == "context" and released.evidence.person_text == "He"


def test_a_namesake_arrest_is_nobody_s_event(tagger: Tagger) -> None:
    assert (
        events(tagger, "Rustam Rakhmanov was arrested; Akhmed Rakhmanov is his namesake.", "en")
        == []
    )
    text = "В Измире задержан Мурад Абулов, не имеющий отношения к Камилу Абулову."
    assert events(tagger, text, "ru") == []


def test_a_relative_s_event_is_not_the_person_s(tagger: Tagger) -> None:
    text = "Kamil Abulov spoke to reporters. His wife was threatened by phone."
    assert events(tagger, text, "en") == []


def test_court_decisions_are_legal_events(tagger: Tagger) -> None:
    assert found(
        tagger, "İdare mahkemesi 9 Kasım'da Kamil Abulov'un itirazını reddetti.", "tr"
    ) == {(ABU, "legal", "2021-11-09")}
    assert found(tagger, "Kazyýet Kamil Abulowyň şikaýatyny kanagatlandyrdy.", "tk") == {
        (ABU, "legal", None)
    }


def test_a_summons_that_ends_in_detention_is_a_detention(tagger: Tagger) -> None:
    text = "Байрама Аллалыева вызвали в миграционную службу и там задержали 22 октября."
    assert {e.type for e in events(tagger, text, "ru")} == {"detained"}


def test_the_title_names_the_person_of_a_pronoun_in_the_text(tagger: Tagger) -> None:
    result = events(
        tagger, "Aktivist 22 Ekim'de gözaltına alındı.", "tr", title="Bayram Allalıyev gözaltında"
    )
    assert (ALL, "detained", "2021-10-22") in {(e.person, e.type, e.date) for e in result}


def test_unknown_language_uses_every_lexicon(tagger: Tagger) -> None:
    text = "Kamil Abulov was detained on 18 October."
    assert found(tagger, text, None) == {(ABU, "detained", "2021-10-18")}


def test_no_watched_person_no_events(tagger: Tagger) -> None:
    assert events(tagger, "Police detained three migrants in Istanbul yesterday.", "en") == []


def test_event_shape_is_stable(tagger: Tagger) -> None:
    (event,) = events(tagger, "Merdan Badrov was deported on 30 November.", "en", "2021-12-03")
    data = event.as_dict()
    assert list(data) == [
        "person",
        "type",
        "date",
        "date_precision",
        "date_basis",
        "place",
        "evidence",
    ]
    assert list(data["evidence"]) == [
        "field",
        "start",
        "end",
        "sentence",
        "trigger",
        "trigger_start",
        "trigger_end",
        "person_text",
        "person_via",
        "date_text",
        "place_terms",
    ]
    text = "Merdan Badrov was deported on 30 November."
    evidence = data["evidence"]
    assert text[evidence["trigger_start"] : evidence["trigger_end"]] == "deported"
    assert (data["date"], evidence["date_text"]) == ("2021-11-30", "30 November")


def test_extractor_built_with_a_user_watchlist(tagger: Tagger) -> None:
    extractor = EventExtractor(load_event_lexicon(), tagger.watchlist, namesake_first_names=[])
    text = "Kamil Abulov was sent to Tuzla."
    tagged = tagger.tag(text, "", "en")
    (event,) = extract_events(text, "", "en", date(2021, 10, 20), tagged, extractor)
    assert (event.type, event.place) == ("deportation_centre", TUZLA)


# -- cases -------------------------------------------------------------------------------------


def _event(person: str, kind: str, day: str | None, place: str | None = None) -> Event:
    precision = None if day is None else {10: "day", 7: "month", 4: "year"}[len(day)]
    evidence = EventEvidence("text", 0, 1, ".", "x", 0, 1, person, "name")
    return Event(person, kind, day, precision, "stated" if day else None, place, evidence)


def _report(
    outlet: str, published: str, person: str, kind: str, day: str | None, place: str | None = None
) -> Report:
    return Report(f"{outlet}-{published}", outlet, published, _event(person, kind, day, place))


def test_one_event_many_reports_with_a_date_conflict_kept() -> None:
    reports = [
        _report("azathabar", "2021-10-23", ALL, "detained", "2021-10-22"),
        _report("hronikatm", "2021-10-22", ALL, "detained", "2021-10-22"),
        _report("bianet", "2021-10-22", ALL, "detained", "2021-10-21"),
        _report("ng", "2021-10-25", ALL, "detained", None),  # undated: the same detention
    ]
    (event,) = merge_events(reports)
    assert (event.person, event.type, event.date) == (ALL, "detained", "2021-10-22")
    assert event.date_conflict == {"2021-10-21": 1, "2021-10-22": 2}
    assert event.note == "21.10 per one outlet, 22.10 per two"
    assert len(event.reports) == 4 and event.outlets == ["azathabar", "bianet", "hronikatm", "ng"]
    assert event.as_dict()["date_conflict"] == {"2021-10-21": 1, "2021-10-22": 2}


def test_events_two_days_apart_or_at_other_places_stay_apart() -> None:
    reports = [
        _report("a", "2021-10-25", ABU, "detained", "2021-08-01"),
        _report("b", "2021-10-25", ABU, "detained", "2021-10-18"),
        _report("c", "2021-10-25", ABU, "detained", "2021-10-20"),
        _report("d", "2021-10-25", RAH, "deportation_centre", "2021-10-18", TUZLA),
        _report("e", "2021-10-25", RAH, "deportation_centre", "2021-10-18", PENDIK),
        _report("f", "2021-10-25", RAH, "deportation_centre", "2021-10-19", None),
    ]
    merged = merge_events(reports)
    abulov = [e.date for e in merged if e.person == ABU]
    assert abulov == ["2021-08-01", "2021-10-18", "2021-10-20"]
    centres = [(e.place, len(e.reports)) for e in merged if e.person == RAH]
    assert sorted(centres, key=str) == [(PENDIK, 1), (TUZLA, 2)]
    assert all(e.date_conflict is None or e.place == TUZLA for e in merged)


def test_undated_and_month_reports_join_a_dated_event_only_when_unambiguous() -> None:
    reports = [
        _report("a", "2021-10-14", MAM, "attacked", "2021-10-11"),
        _report("b", "2021-10-20", MAM, "attacked", "2021-10"),  # one event in October: that one
        _report("c", "2021-10-15", MAM, "attacked", None),
        _report("d", "2021-08-02", MAM, "attacked", "2021-08-01"),
        _report("e", "2021-12-30", MAM, "attacked", None),  # nothing dated in the month before
        _report("f", "2022-01-05", MAM, "attacked", None),
    ]
    merged = merge_events(reports)
    assert [(e.date, len(e.reports)) for e in merged] == [
        ("2021-08-01", 1),
        ("2021-10-11", 3),
        (None, 2),
    ]


def test_reports_from_an_article(tagger: Tagger) -> None:
    text = "Kamil Abulov was released on 26 October."
    extracted = events(tagger, text, "en", "2021-10-28")
    (report,) = reports_from_article("abc", "en-turkmen-news", "2021-10-28", extracted)
    assert report.as_dict()["evidence"]["sentence"] == text


# -- status ------------------------------------------------------------------------------------


def test_status_follows_custody_events_only() -> None:
    reports = [
        _report("a", "2021-10-19", RAH, "detained", "2021-10-18"),
        _report("a", "2021-10-19", RAH, "deportation_centre", "2021-10-18", TUZLA),
        _report("b", "2021-10-23", RAH, "hunger_strike", "2021-10-22"),
        _report("b", "2021-10-24", RAH, "deportation_threat", None),
        _report("c", "2021-10-15", MAM, "deportation_threat", None),
        _report("c", "2021-10-16", MAM, "summoned", "2021-10-15"),
        _report("d", "2021-10-13", TAG, "deportation_centre", "2021-09-27"),
        _report("d", "2021-10-13", TAG, "released", "2021-10-12"),
        _report("e", "2021-12-03", BAD, "deported", "2021-11-30"),
        _report("f", "2021-10-23", ALL, "detained", "2021-10-22"),
    ]
    statuses = person_statuses(merge_events(reports), [ABU])
    assert statuses[RAH].describe() == f"in deportation centre ({TUZLA}) since 2021-10-18"
    assert statuses[RAH].latest_evidence == "2021-10-24"  # the threat is evidence, not a status
    assert statuses[MAM].state == "unknown" and statuses[MAM].describe() == "unknown"
    assert statuses[TAG].describe() == "released on 2021-10-12"
    assert statuses[BAD].describe() == "deported on 2021-11-30"
    assert statuses[ALL].describe() == "detained since 2021-10-22"
    assert statuses[ABU].state == "unknown" and statuses[ABU].latest_evidence is None
    assert statuses[RAH].as_dict()["description"] == statuses[RAH].describe()


def test_undated_custody_events_are_ordered_by_their_reports() -> None:
    reports = [
        _report("a", "2021-10-19", ABU, "detained", "2021-10-18"),
        _report("b", "2021-10-20", ABU, "deportation_centre", None, TUZLA),
        _report("c", "2021-10-28", ABU, "released", None),
    ]
    status = person_statuses(merge_events(reports))[ABU]
    assert status.state == "released" and status.since is None
    assert status.describe() == "released on date unknown"


def test_a_release_report_recalling_the_centre_does_not_put_her_back_in_it() -> None:
    """ "Released from the centre where she was held": the undated centre stage of that report
    is background to the release it reports, not a new placement after it."""
    reports = [
        _report("a", "2021-10-13", TAG, "detained", "2021-09-27"),
        _report("a", "2021-10-13", TAG, "released", "2021-10-12"),
        _report("m", "2021-10-28", TAG, "deportation_centre", None),
        _report("m", "2021-10-28", TAG, "released", None),
    ]
    status = person_statuses(merge_events(reports))[TAG]
    assert status.state == "released"
    # A report of the centre alone, after the release, still means she is back in one.
    again = [*reports, _report("n", "2021-11-05", TAG, "deportation_centre", None)]
    assert person_statuses(merge_events(again))[TAG].state == "deportation_centre"


def test_status_changes_between_two_event_sets() -> None:
    before = [
        _report("a", "2021-10-19", RAH, "deportation_centre", "2021-10-18", TUZLA),
        _report("a", "2021-10-19", ABU, "detained", "2021-10-18"),
        _report("a", "2021-10-19", TAG, "released", "2021-10-12"),
    ]
    after = [
        *before,
        _report("b", "2021-10-28", RAH, "released", "2021-10-26"),
        _report("b", "2021-10-28", ABU, "deportation_threat", None),
        _report("c", "2021-10-23", ALL, "detained", "2021-10-22"),
    ]
    changes = status_changes(merge_events(before), merge_events(after), [BAD])
    assert [c.describe() for c in changes] == [
        f"{RAH}: in deportation centre ({TUZLA}) since 2021-10-18 → released on 2021-10-26",
        f"{ALL}: unknown → detained since 2021-10-22",
    ]
    assert changes[0].as_dict()["new"]["state"] == "released"


def test_sample_corpus_statuses(tagger: Tagger) -> None:
    """End to end on the sample outlets: extraction, merging across outlets, statuses."""
    from tmwatch.samples.render import ALL_ARTICLES

    reports = []
    for article in ALL_ARTICLES:
        text = "\n".join(article.paras)
        tagged = tagger.tag(text, article.title, article.lang)
        extracted = extract_events(text, article.title, article.lang, article.published, tagged)
        reports += reports_from_article(article.path, article.outlet, article.published, extracted)
    merged = merge_events(reports)
    statuses = person_statuses(merged)
    assert statuses[TAG].describe() == "released on 2021-10-12"
    assert statuses[ALL].describe() == "released on 2021-11-01"
    assert statuses[ABU].state == statuses[RAH].state == "released"
    detained = next(e for e in merged if e.person == ALL and e.type == "detained")
    assert detained.date == "2021-10-22" and len(detained.outlets) >= 4


# -- floors on the evaluation (figures: python bench/events_eval.py) ---------------------------


@pytest.fixture(scope="module")
def figures(tagger: Tagger) -> dict[str, dict]:
    extractor = EventExtractor.default()
    return {split: evaluate(split, tagger, extractor)[0] for split in ("dev", "heldout")}


def test_heldout_floors(figures: dict[str, dict]) -> None:
    heldout = figures["heldout"]
    assert heldout["texts"] >= 60
    assert heldout["overall"]["f1"] >= 0.80
    assert heldout["overall"]["precision"] >= 0.85
    assert heldout["date_accuracy"] >= 0.85
    assert heldout["negated_events"] == 0


def test_dev_floors(figures: dict[str, dict]) -> None:
    dev = figures["dev"]
    assert dev["texts"] >= 110
    assert dev["overall"]["f1"] >= 0.95
    assert dev["date_accuracy"] >= 0.95
    assert dev["negated_events"] == 0
