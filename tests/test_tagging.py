"""Tagging: people across scripts and inflections, scoped topics, evidence, the `tag` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.tagging_eval import evaluate
from tests.helpers import invoke
from tmwatch.config.lexicons import DEFAULT_WATCHLIST, LexiconError, load_topics, load_watchlist
from tmwatch.pipeline.tagging import Tagger

TAGGER = Tagger.from_files()


def test_evaluation_floors() -> None:
    figures, errors = evaluate(TAGGER)
    people = [p.name for p in TAGGER.watchlist.people]
    assert figures["persons (all)"]["f1"] >= 0.95, errors
    for name in people:
        assert figures[name]["f1"] >= 0.95, (name, errors)
    for topic in ("detention", "turkmen-detention-turkey"):
        assert figures[topic]["f1"] >= 0.90, (topic, errors)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Дурсолтан Таганова выступила.", "Dursoltan Taganova"),
        ("Тагановой не дали встретиться с адвокатом.", "Dursoltan Taganova"),
        ("Полиция задержала Таганову.", "Dursoltan Taganova"),
        ("Taganowanyň aklawçysy geldi.", "Dursoltan Taganova"),
        ("Taganova'nın avukatı konuştu.", "Dursoltan Taganova"),
        ("Ахмед Рахманов дал интервью.", "Akhmed Rakhmanov"),
        ("Адвокат Ахмеда Рахманова подал жалобу.", "Akhmed Rakhmanov"),
        ("Мы поговорили с Ахмедом Рахмановым.", "Akhmed Rakhmanov"),
        ("Ahmet Rahmanov'un avukatı açıklama yaptı.", "Akhmed Rakhmanov"),
        ("Ahmet Rahmanowy deportasiýa merkezine ugratdylar.", "Akhmed Rakhmanov"),
        ("A. Rakhmanov spoke to reporters.", "Akhmed Rakhmanov"),
        ("Baýram Allalyýewiň dostlary gürrüň berdi.", "Bayram Allalyev"),
        ("Аннаева Нурмухамеда ограбили.", "Nurmukhamed Annayev"),
    ],
)
def test_names_in_any_script_and_inflection(text: str, person: str) -> None:
    assert TAGGER.tag(text).persons == [person]


@pytest.mark.parametrize(
    "text",
    [
        "Мамедов задержан в Стамбуле.",  # a common surname alone
        "Mämmedow ýaryşda ýeňdi.",
        "Рустам Рахманов задержан.",  # a namesake with another first name
        "Mustafa Allalıyev geldi.",  # even a distinctive surname after another first name
        "Rakhmanov spoke at the rally.",
    ],
)
def test_common_surnames_and_namesakes_do_not_tag(text: str) -> None:
    assert TAGGER.tag(text).persons == []


def test_evidence_points_at_the_sentence_and_the_words() -> None:
    title = "Новости"
    text = "Погода хорошая.\nВ Анталье задержали Ахмеда Рахманова. Он туркменский активист."
    result = TAGGER.tag(text, title, "ru")
    assert result.tags == ["detention", "turkmen-detention-turkey"]
    for item in result.evidence:
        assert item.field == "text"
        assert text[item.start : item.end] == item.sentence
    person = next(e for e in result.evidence if e.kind == "person")
    match = person.names[0]
    assert text[match.start : match.end] == "Ахмеда Рахманова"
    assert match.variant == "full name"
    scoped = next(e for e in result.evidence if e.label == "turkmen-detention-turkey")
    assert {"задержали", "Анталье"} <= set(scoped.terms)
    stored = person.as_dict()  # the shape the store and the digest schema hold
    assert stored["matches"][0]["variant"] == "full name" and "terms" not in stored


def test_scope_is_the_sentence_or_paragraph_not_the_article() -> None:
    text = (
        "Туркменские активисты в Стамбуле провели акцию.\n"
        "Отдельно сообщается: в Москве задержали граждан Туркменистана."
    )
    result = TAGGER.tag(text, language="ru")
    assert result.tags == ["detention"]


def test_users_add_people_without_code(tmp_path: Path) -> None:
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text(
        DEFAULT_WATCHLIST.read_text(encoding="utf-8")
        + '\n[people.ogulsapar-example]\nname = "Ogulsapar Berdiyeva"\n'
        'first = ["Ogulsapar", "Огулсапар"]\nlast = ["Berdiyeva", "Бердиева"]\n'
        'gender = "f"\ndistinctive = true\n',
        encoding="utf-8",
    )
    tagger = Tagger(load_watchlist(watchlist), load_topics())
    assert tagger.tag("Бердиеву вызвали в полицию.").persons == ["Ogulsapar Berdiyeva"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[people.x]\nname = "X"\nfirst = ["A"]\nlast = []\n', "person 'x', field 'last'"),
        ('[people.x]\nname = "X"\nfirst = ["A"]\nlast = ["B"]\ngender = "x"\n', "field 'gender'"),
        ('[people.x]\nname = "X"\nfirst = ["A"]\nlast = ["B"]\nnick = 1\n', "field 'nick'"),
        ("[people.x\n", "invalid TOML"),
    ],
)
def test_watchlist_errors_name_entry_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_watchlist(path)
    assert message in str(info.value)
    proc = invoke("--watchlist", str(path), "tag", stdin='{"id": 1, "text": "x"}\n')
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_topic_errors_name_topic_and_field(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[topics.a]\nlabel = "A"\n[topics.a.terms]\nxx = ["b"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"topic 'a', field 'terms'\.xx: unknown language"):
        load_topics(path)


def test_tag_command_contract(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Ахмеда Рахманова задержали в Анталье."},
        {"id": 2, "text": "Taganowa Stambulda saklandy.", "title": "Habar"},
        {"id": "c", "text": "Weather is fine.", "language": "en", "url": "https://x.org/a"},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    home = tmp_path / "no-home"
    proc = invoke("tag", "-", stdin=stdin, home=home)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c"]  # same order
    assert out[0]["language"] == "ru" and out[1]["language"] == "tk"  # detected: Turkmen is tk
    assert out[0]["persons"] == ["Akhmed Rakhmanov"]
    assert out[1]["tags"] == ["detention", "turkmen-detention-turkey"]
    assert out[2] == {**out[2], "tags": [], "persons": [], "evidence": []}
    assert {"id", "language", "tags", "persons", "evidence"} <= set(out[0])
    assert not home.exists()  # needs no data home


def test_tag_command_reports_bad_lines_by_number(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "ok"}\nnot json\n[1]\n{"id": 3}\n', encoding="utf-8")
    proc = invoke("tag", str(path))
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]  # one result line per line
    assert [o.get("id") for o in out] == [1, None, None, 3]
    assert ["error" in o for o in out] == [False, True, True, True]
    assert "line 2: not JSON" in proc.stderr
    assert "line 3: expected a JSON object" in proc.stderr
    assert 'line 4: missing "text"' in proc.stderr
