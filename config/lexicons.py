"""Loading and validating the watchlist (people, places) and the topic lexicons.

Like the sources registry: typed, strict, and every problem reported with the entry and field it
was found in. Users edit these files; a typo must be a clear message, not a silent miss.

Every person, place and topic may say ``enabled = false``: it is then validated and dropped. That
is how a user's overlay (``tmwatch.config.user``) stops watching a packaged entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmwatch.config.errors import ConfigError, Origins, Problems, Where, read_toml
from tmwatch.config.registry import LANGUAGES, language_choices, normalise_language

DEFAULT_WATCHLIST = Path(__file__).with_name("watchlist.toml")
DEFAULT_TOPICS = Path(__file__).with_name("topics.toml")

GENDERS = {"m": "m", "male": "m", "man": "m", "f": "f", "female": "f", "woman": "f"}
"""Accepted spellings of ``gender`` (after trimming and lowercasing) and what they mean.

``gender`` picks the Russian/Turkmen surname endings to expect, so only two values exist; the
spelled-out forms are unambiguous and accepted, anything else is an error naming the choices.
"""

_PERSON_FIELDS = frozenset({"name", "first", "last", "gender", "distinctive", "enabled"})
_PLACE_FIELDS = frozenset({"name", "terms", "enabled"})
_TOPIC_FIELDS = frozenset({"label", "terms", "event", "subject", "place", "not_place", "enabled"})


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


def normalise_gender(value: Any) -> str | None:
    """``"F"``, ``"female"`` -> ``"f"``; None for anything that is not a known spelling."""
    if not isinstance(value, str):
        return None
    return GENDERS.get(value.strip().lower())


def _strings(
    value: Any, where: str, problems: Problems, at: Where, required: bool = True
) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(f"{where}: must be a list of non-empty strings", at)
        return ()
    if required and not value:
        problems.add(f"{where}: must not be empty", at)
    return tuple(v.strip() for v in value)


def _by_language(
    value: Any, where: str, problems: Problems, at: Where
) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(f"{where}: must be a table of language = [terms]", at)
        return {}
    result = {}
    for lang, terms in value.items():
        code = normalise_language(lang)
        if code not in LANGUAGES:
            problems.add(
                f"{where}.{lang}: unknown language: {lang!r} is not one of {language_choices()}",
                (*at, lang),
            )
            continue
        result[code] = _strings(terms, f"{where}.{lang}", problems, (*at, lang))
    return result


def _enabled(raw: Mapping[str, Any], where: str, problems: Problems, at: Where) -> bool:
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.add(f"{where}, field 'enabled': must be true or false", (*at, "enabled"))
        return True
    return enabled


def _entries(
    data: Mapping[str, Any], section: str, expected: str, problems: Problems
) -> dict[str, Any]:
    raw = data.get(section, {})
    if not isinstance(raw, dict):
        problems.add(f"[{section}.<key>] tables expected ({expected})", (section,))
        return {}
    return raw


def load_watchlist(path: str | Path = DEFAULT_WATCHLIST) -> Watchlist:
    path = Path(path)
    return build_watchlist(read_toml(path, LexiconError), str(path))


def build_watchlist(
    data: Mapping[str, Any],
    path: str,
    origins: Origins | None = None,
    *,
    problems: Problems | None = None,
) -> Watchlist:
    """Validate parsed watchlist data (maybe merged with a user's overlay; see ``origins``).

    ``problems`` may already hold problems found while merging; all are raised together.
    """
    problems = problems if problems is not None else Problems(path, origins)
    for unknown in sorted(set(data) - {"people", "places"}):
        problems.add(
            f"[{unknown}]: unknown table (use [people.<key>] or [places.<key>])", (unknown,)
        )
    people = []
    for key, raw in _entries(data, "people", "one per watched person", problems).items():
        where, at = f"person {key!r}", ("people", key)
        if not isinstance(raw, dict):
            problems.add(f"{where}: must be a table", at)
            continue
        unknown = set(raw) - _PERSON_FIELDS
        for u in sorted(unknown):
            problems.add(f"{where}, field {u!r}: unknown field (typo?)", (*at, u))
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(f"{where}, field 'name': required text is missing", (*at, "name"))
            name = key
        gender = normalise_gender(raw.get("gender", "m"))
        if gender is None:
            problems.add(
                f"{where}, field 'gender': {raw.get('gender')!r} is not one of f, m "
                "(female and male are accepted too)",
                (*at, "gender"),
            )
            gender = "m"
        distinctive = raw.get("distinctive", False)
        if not isinstance(distinctive, bool):
            problems.add(
                f"{where}, field 'distinctive': must be true or false", (*at, "distinctive")
            )
        person = Person(
            key=key,
            name=name.strip(),
            first=_strings(raw.get("first"), f"{where}, field 'first'", problems, (*at, "first")),
            last=_strings(raw.get("last"), f"{where}, field 'last'", problems, (*at, "last")),
            gender=gender,
            distinctive=bool(distinctive),
        )
        if _enabled(raw, where, problems, at):
            people.append(person)
    places = []
    for key, raw in _entries(data, "places", "one per place", problems).items():
        where, at = f"place {key!r}", ("places", key)
        if not isinstance(raw, dict):
            problems.add(f"{where}: must be a table with name and terms", at)
            continue
        for u in sorted(set(raw) - _PLACE_FIELDS):
            problems.add(f"{where}, field {u!r}: unknown field (typo?)", (*at, u))
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(f"{where}, field 'name': required text is missing", (*at, "name"))
            name = key
        terms = _strings(raw.get("terms"), f"{where}, field 'terms'", problems, (*at, "terms"))
        if _enabled(raw, where, problems, at):
            places.append(Place(key, name.strip(), terms))
    problems.raise_if_any(LexiconError)
    return Watchlist(tuple(people), tuple(places))


def load_topics(path: str | Path = DEFAULT_TOPICS) -> tuple[Topic, ...]:
    path = Path(path)
    return build_topics(read_toml(path, LexiconError), str(path))


def build_topics(
    data: Mapping[str, Any],
    path: str,
    origins: Origins | None = None,
    *,
    problems: Problems | None = None,
) -> tuple[Topic, ...]:
    """Validate parsed topic data (maybe merged with a user's overlay; see ``origins``).

    ``problems`` may already hold problems found while merging; all are raised together.
    """
    problems = problems if problems is not None else Problems(path, origins)
    for unknown in sorted(set(data) - {"topics"}):
        problems.add(f"[{unknown}]: unknown table (topics are [topics.<key>])", (unknown,))
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, dict) or not raw_topics:
        problems.add("no [topics.<key>] tables", ("topics",))
        raw_topics = {}
    topics: list[Topic] = []
    disabled: set[str] = set()
    for key, raw in raw_topics.items():
        where, at = f"topic {key!r}", ("topics", key)
        if not isinstance(raw, dict):
            problems.add(f"{where}: must be a table", at)
            continue
        for u in sorted(set(raw) - _TOPIC_FIELDS):
            problems.add(f"{where}, field {u!r}: unknown field (typo?)", (*at, u))
        label, event = raw.get("label", key), raw.get("event")
        if not isinstance(label, str) or not label.strip():
            problems.add(f"{where}, field 'label': must be text", (*at, "label"))
            label = key
        if event is not None and not isinstance(event, str):
            problems.add(f"{where}, field 'event': must be the key of a topic", (*at, "event"))
            event = None

        def lexicon(name: str, where: str = where, at: Where = at, raw: Any = raw) -> Any:
            return _by_language(raw.get(name), f"{where}, field {name!r}", problems, (*at, name))

        topic = Topic(
            key=key,
            label=label.strip(),
            terms=lexicon("terms"),
            event=event,
            subject=lexicon("subject"),
            place=lexicon("place"),
            not_place=lexicon("not_place"),
        )
        if topic.event is None and not topic.terms:
            problems.add(f"{where}, field 'terms': an event topic needs terms", (*at, "terms"))
        if _enabled(raw, where, problems, at):
            topics.append(topic)
        else:
            disabled.add(key)
    keys = {t.key for t in topics}
    for topic in topics:
        at = ("topics", topic.key)
        if topic.event in disabled:
            problems.add(
                f"topic {topic.key!r}, field 'event': {topic.event!r} is disabled "
                f"(disable {topic.key!r} too, or enable {topic.event!r})",
                ("topics", topic.event, "enabled"),
            )
        elif topic.event is not None and (topic.event not in keys or topic.event == topic.key):
            problems.add(
                f"topic {topic.key!r}, field 'event': {topic.event!r} is not an event topic",
                (*at, "event"),
            )
        if topic.event is not None and not topic.place:
            problems.add(
                f"topic {topic.key!r}, field 'place': a scoped topic needs places", (*at, "place")
            )
    problems.raise_if_any(LexiconError)
    return tuple(topics)
