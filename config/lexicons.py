"""Loading and validating the watchlist (people, places) and the topic lexicons.

Like the sources registry: typed, strict, and every problem reported with the entry and field it
was found in. Users edit these files; a typo must be a clear message, not a silent miss.

Every person, place and topic may say ``enabled = false``: it is then validated and dropped. That
is how a user's overlay (``tmwatch.config.user``) stops watching a packaged entry.

A person may have *aliases*: another name the person is reported under (a legal name beside the
name they are known by), each a table of its own under the person so that an overlay adds or
changes one alias without repeating the others. The name policy (``name_policy.toml``: endings,
namesakes, what a misspelling may be) is the same for everybody and is loaded here too.
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
DEFAULT_NAME_POLICY = Path(__file__).with_name("name_policy.toml")

GENDERS = {"m": "m", "male": "m", "man": "m", "f": "f", "female": "f", "woman": "f"}
"""Accepted spellings of ``gender`` (after trimming and lowercasing) and what they mean.

``gender`` picks the Russian/Turkmen surname endings to expect, so only two values exist; the
spelled-out forms are unambiguous and accepted, anything else is an error naming the choices.
"""

_PERSON_FIELDS = frozenset(
    {"name", "first", "last", "gender", "distinctive", "aliases", "namesakes", "enabled"}
)
_ALIAS_FIELDS = frozenset({"name", "first", "last", "distinctive", "enabled"})
_PLACE_FIELDS = frozenset({"name", "terms", "enabled"})
_TOPIC_FIELDS = frozenset({"label", "terms", "event", "subject", "place", "not_place", "enabled"})


class LexiconError(ConfigError):
    """The watchlist or a topic file cannot be used; ``problems`` name entry and field."""


@dataclass(frozen=True)
class Alias:
    """Another name a watched person is reported under: tagging maps it to the person.

    ``first`` empty means the person's own first names; ``name`` is how evidence names the alias.
    """

    key: str
    name: str
    last: tuple[str, ...]
    first: tuple[str, ...] = ()
    distinctive: bool = False


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    first: tuple[str, ...]
    last: tuple[str, ...]
    gender: str = "m"
    distinctive: bool = False
    aliases: tuple[Alias, ...] = ()
    namesakes: tuple[str, ...] = ()
    """Surnames close to this person's that belong to other people: never read as a misspelling
    of this person's surname (Rahmonov, a Tajik surname one letter from Rahmanov)."""


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
    return problems.flag(raw, "enabled", where, at, True)


def _entries(
    data: Mapping[str, Any], section: str, expected: str, problems: Problems
) -> dict[str, Any]:
    raw = data.get(section, {})
    if not isinstance(raw, dict):
        problems.add(f"[{section}.<key>] tables expected ({expected})", (section,))
        return {}
    return raw


def _aliases(value: Any, where: str, problems: Problems, at: Where) -> tuple[Alias, ...]:
    """``[people.<key>.aliases.<alias>]`` tables: name, last, optional first and distinctive."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.add(
            f"{where}, field 'aliases': must be tables [people.<key>.aliases.<alias>] "
            "with name and last",
            (*at, "aliases"),
        )
        return ()
    aliases = []
    for alias_key, raw in value.items():
        inner, here = f"{where}, alias {alias_key!r}", (*at, "aliases", alias_key)
        if not isinstance(raw, dict):
            problems.add(f"{inner}: must be a table with name and last", here)
            continue
        problems.unknown_fields(raw, _ALIAS_FIELDS, inner, here)
        name = problems.text(raw, "name", inner, here, alias_key)
        distinctive = problems.flag(raw, "distinctive", inner, here, False)
        alias = Alias(
            key=alias_key,
            name=name.strip(),
            last=_strings(raw.get("last"), f"{inner}, field 'last'", problems, (*here, "last")),
            first=_strings(
                raw.get("first"), f"{inner}, field 'first'", problems, (*here, "first"), False
            ),
            distinctive=bool(distinctive),
        )
        if _enabled(raw, inner, problems, here):
            aliases.append(alias)
    return tuple(aliases)


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
        problems.unknown_fields(raw, _PERSON_FIELDS, where, at)
        name = problems.text(raw, "name", where, at, key)
        gender = normalise_gender(raw.get("gender", "m"))
        if gender is None:
            problems.add(
                f"{where}, field 'gender': {raw.get('gender')!r} is not one of f, m "
                "(female and male are accepted too)",
                (*at, "gender"),
            )
            gender = "m"
        distinctive = problems.flag(raw, "distinctive", where, at, False)
        person = Person(
            key=key,
            name=name.strip(),
            first=_strings(raw.get("first"), f"{where}, field 'first'", problems, (*at, "first")),
            last=_strings(raw.get("last"), f"{where}, field 'last'", problems, (*at, "last")),
            gender=gender,
            distinctive=bool(distinctive),
            aliases=_aliases(raw.get("aliases"), where, problems, at),
            namesakes=_strings(
                raw.get("namesakes"),
                f"{where}, field 'namesakes'",
                problems,
                (*at, "namesakes"),
                required=False,
            ),
        )
        if _enabled(raw, where, problems, at):
            people.append(person)
    places = []
    for key, raw in _entries(data, "places", "one per place", problems).items():
        where, at = f"place {key!r}", ("places", key)
        if not isinstance(raw, dict):
            problems.add(f"{where}: must be a table with name and terms", at)
            continue
        problems.unknown_fields(raw, _PLACE_FIELDS, where, at)
        name = problems.text(raw, "name", where, at, key)
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
        problems.unknown_fields(raw, _TOPIC_FIELDS, where, at)
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


SCRIPTS = ("cyrillic", "latin")
"""Scripts the name policy can speak of (``declining_scripts``), as Unicode names them."""


@dataclass(frozen=True)
class NamePolicy:
    """What is true of every watched name: endings, namesakes, gender forms, misspellings.

    Loaded from ``name_policy.toml`` (see its comments for why each value is what it is), so the
    forms that tag a person are reviewable data; ``tmwatch.pipeline.names`` applies them.
    """

    russian: tuple[str, ...]
    turkmen_after_consonant: tuple[str, ...]
    turkmen_after_vowel: tuple[str, ...]
    after_apostrophe: tuple[str, ...]
    namesake_first_names: tuple[str, ...]
    feminine_endings: tuple[str, ...] = ("a",)
    declining_scripts: tuple[str, ...] = ("cyrillic",)
    dative_endings: tuple[str, ...] = ()
    max_edits: int = 1
    min_length: int = 6
    same_first_letter: bool = True
    swaps: tuple[tuple[str, str], ...] = ()
    bracket_open: tuple[str, ...] = ("(",)
    bracket_close: tuple[str, ...] = (")",)


_POLICY_FIELDS = {
    "endings": frozenset(
        {"russian", "turkmen_after_consonant", "turkmen_after_vowel", "after_apostrophe"}
    ),
    "namesakes": frozenset({"first_names"}),
    "gender": frozenset({"feminine_endings", "declining_scripts", "dative_endings"}),
    "misspellings": frozenset({"max_edits", "min_length", "same_first_letter", "swaps"}),
    "brackets": frozenset({"open", "close"}),
}


def load_name_policy(path: str | Path = DEFAULT_NAME_POLICY) -> NamePolicy:
    path = Path(path)
    return build_name_policy(read_toml(path, LexiconError), str(path))


def build_name_policy(data: Mapping[str, Any], path: str) -> NamePolicy:
    """Validate parsed name-policy data; every problem names its table and field."""
    problems = Problems(path)
    for unknown in sorted(set(data) - set(_POLICY_FIELDS)):
        problems.add(f"[{unknown}]: unknown table (one of {', '.join(_POLICY_FIELDS)})")
    tables: dict[str, Mapping[str, Any]] = {}
    for section, fields in _POLICY_FIELDS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            problems.add(f"[{section}]: must be a table", (section,))
            table = {}
        for u in sorted(set(table) - fields):
            problems.add(f"[{section}], field {u!r}: unknown field (typo?)", (section, u))
        tables[section] = table

    def strings(section: str, name: str, required: bool = True) -> tuple[str, ...]:
        value = tables[section].get(name)
        if isinstance(value, list):  # "" is a real ending (the bare name): allow empty strings
            if all(isinstance(v, str) for v in value) and (value or not required):
                return tuple(v.strip() for v in value)
        elif value is None and not required:
            return ()
        problems.add(f"[{section}], field {name!r}: must be a list of strings", (section, name))
        return ()

    def number(section: str, name: str, default: int, low: int, high: int) -> int:
        value = tables[section].get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.add(
                f"[{section}], field {name!r}: must be a whole number from {low} to {high}",
                (section, name),
            )
            return default
        return value

    scripts = tuple(s.lower() for s in strings("gender", "declining_scripts", required=False))
    for script in scripts:
        if script not in SCRIPTS:
            problems.add(
                f"[gender], field 'declining_scripts': {script!r} is not one of "
                f"{', '.join(SCRIPTS)}",
                ("gender", "declining_scripts"),
            )
    swaps = []
    for pair in tables["misspellings"].get("swaps", []) or []:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(p, str) and p.strip() for p in pair)
        ):
            problems.add(
                "[misspellings], field 'swaps': each swap is a pair of letters, "
                f'["ks", "h"]; got {pair!r}',
                ("misspellings", "swaps"),
            )
            continue
        swaps.append((pair[0].strip(), pair[1].strip()))
    same_first = tables["misspellings"].get("same_first_letter", True)
    if not isinstance(same_first, bool):
        problems.add(
            "[misspellings], field 'same_first_letter': must be true or false",
            ("misspellings", "same_first_letter"),
        )
        same_first = True
    bracket_open = strings("brackets", "open", required=False)
    bracket_close = strings("brackets", "close", required=False)
    if len(bracket_open) != len(bracket_close):
        problems.add(
            "[brackets]: 'open' and 'close' must pair up, one closing bracket per opening one",
            ("brackets",),
        )
    policy = NamePolicy(
        russian=strings("endings", "russian"),
        turkmen_after_consonant=strings("endings", "turkmen_after_consonant"),
        turkmen_after_vowel=strings("endings", "turkmen_after_vowel"),
        after_apostrophe=strings("endings", "after_apostrophe"),
        namesake_first_names=strings("namesakes", "first_names", required=False),
        feminine_endings=strings("gender", "feminine_endings", required=False),
        declining_scripts=scripts,
        dative_endings=strings("gender", "dative_endings", required=False),
        max_edits=number("misspellings", "max_edits", 1, 0, 1),
        min_length=number("misspellings", "min_length", 6, 1, 100),
        same_first_letter=same_first,
        swaps=tuple(swaps),
        bracket_open=bracket_open,
        bracket_close=bracket_close,
    )
    problems.raise_if_any(LexiconError)
    return policy
