"""Loading and validating the watchlist (people, places) and the topic lexicons.

Like the sources registry: typed, strict, and every problem reported with the entry and field it
was found in. Users edit these files; a typo must be a clear message, not a silent miss.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmwatch.config.errors import ConfigError
from tmwatch.config.registry import LANGUAGES

DEFAULT_WATCHLIST = Path(__file__).with_name("watchlist.toml")
DEFAULT_TOPICS = Path(__file__).with_name("topics.toml")


class LexiconError(ConfigError):
    """The watchlist or a topic file cannot be used; ``problems`` name entry and field."""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    first: tuple[str, ...]
    last: tuple[str, ...]
    gender: str = "m"
    distinctive: bool = False


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Watchlist:
    people: tuple[Person, ...]
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    event: str | None = None
    subject: dict[str, tuple[str, ...]] = field(default_factory=dict)
    place: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_place: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def scoped(self) -> bool:
        return self.event is not None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(str(path), [f"cannot read: {exc.strerror or exc}"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(str(path), [f"invalid TOML: {exc}"]) from None


def _strings(value: Any, where: str, problems: list[str], required: bool = True) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: must be a list of non-empty strings")
        return ()
    if required and not value:
        problems.append(f"{where}: must not be empty")
    return tuple(v.strip() for v in value)


def _by_language(value: Any, where: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a table of language = [terms]")
        return {}
    result = {}
    for lang, terms in value.items():
        if lang not in LANGUAGES:
            problems.append(f"{where}.{lang}: unknown language (use {sorted(LANGUAGES)})")
            continue
        result[lang] = _strings(terms, f"{where}.{lang}", problems)
    return result


def load_watchlist(path: str | Path = DEFAULT_WATCHLIST) -> Watchlist:
    path = Path(path)
    data = _read(path)
    problems: list[str] = []
    people = []
    raw_people = data.get("people", {})
    if not isinstance(raw_people, dict):
        raise LexiconError(str(path), ["[people.<key>] tables expected"])
    for key, raw in raw_people.items():
        where = f"person {key!r}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        unknown = set(raw) - {"name", "first", "last", "gender", "distinctive"}
        problems += [f"{where}, field {u!r}: unknown field (typo?)" for u in sorted(unknown)]
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}, field 'name': required text is missing")
            name = key
        gender = raw.get("gender", "m")
        if gender not in ("m", "f"):
            problems.append(f'{where}, field \'gender\': use "m" or "f"')
        distinctive = raw.get("distinctive", False)
        if not isinstance(distinctive, bool):
            problems.append(f"{where}, field 'distinctive': must be true or false")
        people.append(
            Person(
                key=key,
                name=name.strip(),
                first=_strings(raw.get("first"), f"{where}, field 'first'", problems),
                last=_strings(raw.get("last"), f"{where}, field 'last'", problems),
                gender=gender,
                distinctive=bool(distinctive),
            )
        )
    places = []
    for key, raw in (data.get("places") or {}).items():
        where = f"place {key!r}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            problems.append(f"{where}: needs name and terms")
            continue
        places.append(
            Place(key, raw["name"], _strings(raw.get("terms"), f"{where}, field 'terms'", problems))
        )
    if problems:
        raise LexiconError(str(path), problems)
    return Watchlist(tuple(people), tuple(places))


def load_topics(path: str | Path = DEFAULT_TOPICS) -> tuple[Topic, ...]:
    path = Path(path)
    data = _read(path)
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, dict) or not raw_topics:
        raise LexiconError(str(path), ["no [topics.<key>] tables"])
    problems: list[str] = []
    topics = []
    for key, raw in raw_topics.items():
        where = f"topic {key!r}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        unknown = set(raw) - {"label", "terms", "event", "subject", "place", "not_place"}
        problems += [f"{where}, field {u!r}: unknown field (typo?)" for u in sorted(unknown)]
        topic = Topic(
            key=key,
            label=str(raw.get("label") or key),
            terms=_by_language(raw.get("terms"), f"{where}, field 'terms'", problems),
            event=raw.get("event"),
            subject=_by_language(raw.get("subject"), f"{where}, field 'subject'", problems),
            place=_by_language(raw.get("place"), f"{where}, field 'place'", problems),
            not_place=_by_language(raw.get("not_place"), f"{where}, field 'not_place'", problems),
        )
        if topic.event is None and not topic.terms:
            problems.append(f"{where}, field 'terms': an event topic needs terms")
        topics.append(topic)
    keys = {t.key for t in topics}
    for topic in topics:
        if topic.event is not None and (topic.event not in keys or topic.event == topic.key):
            problems.append(
                f"topic {topic.key!r}, field 'event': {topic.event!r} is not an event topic"
            )
        if topic.event is not None and not topic.place:
            problems.append(f"topic {topic.key!r}, field 'place': a scoped topic needs places")
    if problems:
        raise LexiconError(str(path), problems)
    return tuple(topics)
