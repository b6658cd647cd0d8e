"""Loading and validating the event lexicons (``config/events.toml``).

The event stage decides what happened to a watched person from words: which words state each
event type, which cues deny it, make it hypothetical or a threat, tie it to a speaker, and how
dates are written. Monitors extend those words without touching code, so the file is strict like
the watchlist: every problem names the file, the entry (type or language) and the field.

The set of event types is closed (``EVENT_TYPES``): digests, case files and status derivation
rely on it, so the file must define every type and may not invent new ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmwatch.config.errors import ConfigError, Problems, Where, read_toml
from tmwatch.config.registry import LANGUAGES, language_choices, normalise_language

DEFAULT_EVENTS = Path(__file__).with_name("events.toml")

EVENT_TYPES = (
    "detained",
    "deportation_centre",
    "released",
    "deported",
    "deportation_threat",
    "summoned",
    "attacked",
    "threatened",
    "hunger_strike",
    "legal",
)
"""The closed set of event types, custody events first."""

_TYPE_FIELDS = frozenset(
    {"label", "terms", "place_terms", "places", "not_after", "exclude_morphs", "yields_to"}
)
_TERM_CUES = (
    "negation",
    "negation_exceptions",
    "negation_after",
    "denial",
    "hypothetical",
    "hypothetical_after",
    "threat",
    "future",
    "speech_before_person",
    "speech_after_person",
    "speech_final",
    "complementizers",
    "clause_breaks",
    "later",
    "during",
    "same_day",
    "next_day",
    "coordinators",
    "anaphora",
    "anaphora_plural",
    "other_subjects",
    "namesake",
    "month_markers",
    "next_words",
    "last_words",
    "ago",
    "day_units",
    "year_words",
)
_MORPH_CUES = ("negation_morphs", "hypothetical_morphs", "future_morphs")
_NUMBER_TABLES = {"months": (1, 12), "weekdays": (0, 6), "relative": (-30, 30), "numbers": (1, 31)}
_FLAGS = ("pro_drop", "months_capitalised", "verb_final")
_LANGUAGE_FIELDS = frozenset({*_TERM_CUES, *_MORPH_CUES, *_NUMBER_TABLES, *_FLAGS, "ordinal"})
_SETTINGS = {
    "negation_window": 3,
    "hypothetical_window": 6,
    "after_window": 3,
    "place_window": 8,
    "carry_sentences": 2,
}


class EventLexiconError(ConfigError):
    """The event lexicon cannot be used; ``problems`` name entry and field."""


@dataclass(frozen=True)
class EventTypeLexicon:
    """The words of one event type, per language."""

    key: str
    label: str
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    place_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    places: tuple[str, ...] = ()
    not_after: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude_morphs: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    yields_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageCues:
    """The cue words, morphs and date words of one language (see events.toml for each field)."""

    language: str
    terms: dict[str, tuple[str, ...]]
    morphs: dict[str, tuple[re.Pattern[str], ...]]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    numbers: dict[str, int]
    pro_drop: bool = False
    months_capitalised: bool = False
    verb_final: bool = False
    ordinal: str = ""

    def cue(self, name: str) -> tuple[str, ...]:
        return self.terms.get(name, ())


@dataclass(frozen=True)
class EventLexicon:
    types: tuple[EventTypeLexicon, ...]
    languages: dict[str, LanguageCues]
    settings: dict[str, int]

    def type(self, key: str) -> EventTypeLexicon:
        return next(t for t in self.types if t.key == key)


def load_event_lexicon(path: str | Path = DEFAULT_EVENTS) -> EventLexicon:
    path = Path(path)
    return build_event_lexicon(read_toml(path, EventLexiconError), str(path))


def _strings(value: Any, where: str, problems: Problems, at: Where) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(f"{where}: must be a list of non-empty strings", at)
        return ()
    return tuple(v.strip() for v in value)


def _patterns(value: Any, where: str, problems: Problems, at: Where) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, text in enumerate(_strings(value, where, problems, at)):
        try:
            compiled.append(re.compile(text))
        except re.error as exc:
            problems.add(f"{where}[{index}]: invalid regular expression {text!r}: {exc}", at)
    return tuple(compiled)


def _language(code: Any, where: str, problems: Problems, at: Where) -> str | None:
    normal = normalise_language(code) if isinstance(code, str) else None
    if normal not in LANGUAGES:
        problems.add(f"{where}: unknown language {code!r}, not one of {language_choices()}", at)
        return None
    return normal


def _per_language(
    value: Any, where: str, problems: Problems, at: Where, *, morphs: bool = False
) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(f"{where}: must be a table of language = [terms]", at)
        return {}
    result: dict[str, Any] = {}
    for lang, items in value.items():
        code = _language(lang, f"{where}.{lang}", problems, (*at, lang))
        if code is None:
            continue
        reader = _patterns if morphs else _strings
        result[code] = reader(items, f"{where}.{lang}", problems, (*at, lang))
    return result


def _build_type(key: str, raw: Any, problems: Problems) -> EventTypeLexicon | None:
    where, at = f"type {key!r}", ("types", key)
    if key not in EVENT_TYPES:
        problems.add(f"{where}: unknown event type (the types are {', '.join(EVENT_TYPES)})", at)
        return None
    if not isinstance(raw, dict):
        problems.add(f"{where}: must be a table", at)
        return None
    problems.unknown_fields(raw, _TYPE_FIELDS, where, at)
    label = raw.get("label", key)
    if not isinstance(label, str) or not label.strip():
        problems.add(f"{where}, field 'label': must be text", (*at, "label"))
        label = key

    def table(name: str, morphs: bool = False) -> dict[str, Any]:
        return _per_language(
            raw.get(name), f"{where}, field {name!r}", problems, (*at, name), morphs=morphs
        )

    yields_to = _strings(raw.get("yields_to"), f"{where}, field 'yields_to'", problems, at)
    for other in yields_to:
        if other not in EVENT_TYPES or other == key:
            problems.add(
                f"{where}, field 'yields_to': {other!r} is not another event type",
                (*at, "yields_to"),
            )
    lexicon = EventTypeLexicon(
        key=key,
        label=label.strip(),
        terms=table("terms"),
        place_terms=table("place_terms"),
        places=_strings(raw.get("places"), f"{where}, field 'places'", problems, (*at, "places")),
        not_after=table("not_after"),
        exclude_morphs=table("exclude_morphs", morphs=True),
        yields_to=tuple(t for t in yields_to if t in EVENT_TYPES and t != key),
    )
    if not any(lexicon.terms.values()):
        problems.add(f"{where}, field 'terms': an event type needs terms", (*at, "terms"))
    if lexicon.place_terms and not lexicon.places:
        problems.add(f"{where}, field 'places': place_terms need places", (*at, "places"))
    return lexicon


def _numbers(value: Any, name: str, where: str, problems: Problems, at: Where) -> dict[str, int]:
    low, high = _NUMBER_TABLES[name]
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(f"{where}, field {name!r}: must be a table of word = number", at)
        return {}
    result = {}
    for word, number in value.items():
        if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
            problems.add(
                f"{where}, field '{name}.{word}': must be a whole number from {low} to {high}",
                (*at, word),
            )
            continue
        if not word.strip():
            problems.add(f"{where}, field {name!r}: empty word", at)
            continue
        result[word.strip()] = number
    return result


def _build_language(lang: str, raw: Any, problems: Problems) -> LanguageCues | None:
    where, at = f"language {lang!r}", ("languages", lang)
    code = _language(lang, where, problems, at)
    if code is None:
        return None
    if not isinstance(raw, dict):
        problems.add(f"{where}: must be a table", at)
        return None
    problems.unknown_fields(raw, _LANGUAGE_FIELDS, where, at)
    terms = {
        name: _strings(raw.get(name), f"{where}, field {name!r}", problems, (*at, name))
        for name in _TERM_CUES
    }
    morphs = {
        name: _patterns(raw.get(name), f"{where}, field {name!r}", problems, (*at, name))
        for name in _MORPH_CUES
    }
    tables = {
        name: _numbers(raw.get(name), name, where, problems, (*at, name)) for name in _NUMBER_TABLES
    }
    flags = {name: problems.flag(raw, name, where, at, False) for name in _FLAGS}
    ordinal = raw.get("ordinal", "")
    if not isinstance(ordinal, str):
        problems.add(f"{where}, field 'ordinal': must be a regular expression", (*at, "ordinal"))
        ordinal = ""
    try:
        re.compile(ordinal)
    except re.error as exc:
        problems.add(f"{where}, field 'ordinal': invalid regular expression: {exc}", at)
        ordinal = ""
    if not tables["months"]:
        problems.add(f"{where}, field 'months': needs the month names", (*at, "months"))
    return LanguageCues(
        language=code,
        terms=terms,
        morphs=morphs,
        months=tables["months"],
        weekdays=tables["weekdays"],
        relative=tables["relative"],
        numbers=tables["numbers"],
        pro_drop=flags["pro_drop"],
        months_capitalised=flags["months_capitalised"],
        verb_final=flags["verb_final"],
        ordinal=ordinal,
    )


def _settings(raw: Any, problems: Problems) -> dict[str, int]:
    settings = dict(_SETTINGS)
    if raw is None:
        return settings
    if not isinstance(raw, dict):
        problems.add("[settings]: must be a table", ("settings",))
        return settings
    for name, value in raw.items():
        if name not in _SETTINGS:
            problems.add(f"settings, field {name!r}: unknown setting (typo?)", ("settings", name))
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
            problems.add(
                f"settings, field {name!r}: must be a whole number from 0 to 50",
                ("settings", name),
            )
        else:
            settings[name] = value
    return settings


def build_event_lexicon(data: Mapping[str, Any], path: str) -> EventLexicon:
    """Validate parsed event-lexicon data; every problem is raised at once."""
    problems = Problems(path)
    for unknown in sorted(set(data) - {"settings", "types", "languages"}):
        problems.add(
            f"[{unknown}]: unknown table (use [settings], [types.<type>], [languages.<lang>])",
            (unknown,),
        )
    raw_types = data.get("types", {})
    if not isinstance(raw_types, dict):
        problems.add("[types.<type>] tables expected", ("types",))
        raw_types = {}
    types = [t for k, v in raw_types.items() if (t := _build_type(k, v, problems)) is not None]
    for missing in [k for k in EVENT_TYPES if k not in raw_types]:
        problems.add(f"type {missing!r}: missing (every event type needs terms)", ("types",))
    raw_languages = data.get("languages", {})
    if not isinstance(raw_languages, dict) or not raw_languages:
        problems.add("[languages.<lang>] tables expected", ("languages",))
        raw_languages = {}
    languages = {}
    for lang, raw in raw_languages.items():
        cues = _build_language(lang, raw, problems)
        if cues is not None:
            languages[cues.language] = cues
    settings = _settings(data.get("settings"), problems)
    problems.raise_if_any(EventLexiconError)
    order = {k: i for i, k in enumerate(EVENT_TYPES)}
    return EventLexicon(tuple(sorted(types, key=lambda t: order[t.key])), languages, settings)
