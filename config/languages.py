"""Loading and validating the language-identification rules (``languages.toml``).

The letters that tell Turkish from Azerbaijani, or Russian from Kyrgyz, are facts about
alphabets, not code: they live in a data file that a reviewer can check against a grammar and
that grows by an entry when a new neighbour turns up. Like the other loaders this one is strict
and reports every problem with its table and field at once, because a typo in an alphabet would
otherwise silently rule a language out of every article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmwatch.config.errors import ConfigError, Problems, Where, read_toml
from tmwatch.config.registry import LANGUAGES

DEFAULT_LANGUAGES = Path(__file__).with_name("languages.toml")
DEFAULT_SAMPLES = Path(__file__).with_name("language_samples.toml")

SCRIPTS = ("Latn", "Cyrl")
"""Scripts an alphabet can be given for: the two this region writes its languages in. Text in
any other script is answered from ``detect.other_scripts``."""

_CODE = re.compile(r"^[a-z]{2,3}$")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_DETECT_FIELDS = frozenset(
    {
        "max_chars",
        "min_letters",
        "foreign_allowed",
        "foreign_per_100",
        "other_confidence",
        "other_prior",
        "learned_smoothing",
        "other_scripts",
    }
)
_LANGUAGE_FIELDS = frozenset({"name", "supported", "prior", "alphabet", "learned"})
_SAMPLE_FIELDS = frozenset({"source", "text"})
WORD_START = "^"
"""Prefix of a transcription key that applies at the start of a word only (Turkmen ``^e`` = э)."""
SAMPLE_MIN_LETTERS = 2000
"""A learned class needs a sample of at least this many letters to be better than a guess."""


class LanguageError(ConfigError):
    """The language rules cannot be used; ``problems`` name the table and field."""


@dataclass(frozen=True)
class Transcription:
    """How a language's Latin spelling is written in another of its scripts.

    ``table`` maps one or two lower-case letters, optionally prefixed ``^`` (at a word start
    only), to letters of the other script. Two letters are tried before one, a word-start key
    before the plain one; a capital stays a capital; anything not in the table is kept (names
    in letters the language does not use stay as they are, as they do in print).
    """

    table: Mapping[str, str]

    def __call__(self, text: str) -> str:
        out = []
        i = 0
        while i < len(text):
            at_start = i == 0 or not text[i - 1].isalpha()
            for size in (2, 1):
                chunk = text[i : i + size]
                low = chunk.lower()
                written = self.table.get(WORD_START + low) if at_start else None
                if written is None:
                    written = self.table.get(low)
                if written is not None:
                    capital = chunk[0].isupper()
                    out.append(written[:1].upper() + written[1:] if capital else written)
                    i += size
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


@dataclass(frozen=True)
class Language:
    """One ``[languages.<code>]`` table: what identifies the language and how it is answered."""

    code: str
    name: str
    supported: bool
    alphabets: Mapping[str, frozenset[str]]
    learned: Mapping[str, Transcription] = field(default_factory=dict)
    sample: str = ""
    """Real Latin-script text of the language from which its ``learned`` classes are built."""
    prior: float | None = None
    """How common the language is expected to be, relative to a supported one (1.0); None:
    1.0 if supported, else ``detect.other_prior``."""

    def learned_sample(self, script: str) -> str:
        """The sample written in ``script``: the text a learned class is estimated from."""
        return self.learned[script](self.sample)


@dataclass(frozen=True)
class DetectRules:
    """Thresholds of ``detect_language`` (documented in ``languages.toml``)."""

    max_chars: int = 4000
    min_letters: int = 3
    foreign_allowed: int = 1
    foreign_per_100: float = 2.0
    other_confidence: float = 0.75
    other_prior: float = 0.2
    learned_smoothing: float = 0.01
    other_scripts: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageRules:
    detect: DetectRules
    languages: tuple[Language, ...]

    @property
    def supported(self) -> frozenset[str]:
        return frozenset(lang.code for lang in self.languages if lang.supported)

    def written_in(self, script: str) -> tuple[Language, ...]:
        """Languages with an alphabet for ``script``."""
        return tuple(lang for lang in self.languages if script in lang.alphabets)


def load_languages(
    path: str | Path = DEFAULT_LANGUAGES, samples: str | Path = DEFAULT_SAMPLES
) -> LanguageRules:
    """The rules of ``path`` with the sample texts of ``samples`` (for learned classes)."""
    path, samples = Path(path), Path(samples)
    return build_languages(
        read_toml(path, LanguageError),
        str(path),
        read_toml(samples, LanguageError),
        str(samples),
    )


def _number(
    raw: Mapping[str, Any],
    name: str,
    default: float,
    low: float,
    high: float,
    problems: Problems,
    integer: bool = False,
) -> Any:
    value = raw.get(name, default)
    kind = "a whole number" if integer else "a number"
    ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or not low <= value <= high:
        problems.add(
            f"[detect], field {name!r}: must be {kind} from {low:g} to {high:g}",
            ("detect", name),
        )
        return default
    return value


def _detect(raw: Any, problems: Problems) -> DetectRules:
    if raw is None:
        return DetectRules()
    if not isinstance(raw, dict):
        problems.add("[detect] must be a table", ("detect",))
        return DetectRules()
    for unknown in sorted(set(raw) - _DETECT_FIELDS):
        problems.add(f"[detect], field {unknown!r}: unknown field (typo?)", ("detect", unknown))
    defaults = DetectRules()
    scripts = raw.get("other_scripts", [])
    if not isinstance(scripts, list) or not all(
        isinstance(c, str) and _CODE.match(c) for c in scripts
    ):
        problems.add(
            "[detect], field 'other_scripts': must be a list of language codes (2-3 letters)",
            ("detect", "other_scripts"),
        )
        scripts = []
    return DetectRules(
        max_chars=_number(raw, "max_chars", defaults.max_chars, 100, 10**6, problems, True),
        min_letters=_number(raw, "min_letters", defaults.min_letters, 1, 1000, problems, True),
        foreign_allowed=_number(
            raw, "foreign_allowed", defaults.foreign_allowed, 0, 1000, problems, True
        ),
        foreign_per_100=_number(raw, "foreign_per_100", defaults.foreign_per_100, 0, 100, problems),
        other_confidence=_number(
            raw, "other_confidence", defaults.other_confidence, 0, 1, problems
        ),
        other_prior=_number(raw, "other_prior", defaults.other_prior, 0.001, 1, problems),
        learned_smoothing=_number(
            raw, "learned_smoothing", defaults.learned_smoothing, 1e-6, 10, problems
        ),
        other_scripts=tuple(scripts),
    )


def _alphabet(value: Any, where: str, at: Where, script: str, problems: Problems) -> frozenset[str]:
    if not isinstance(value, str) or not value:
        problems.add(f"{where}: must be a non-empty string of letters", at)
        return frozenset()
    bad = sorted({ch for ch in value if not ch.isalpha() or ch != ch.lower()})
    if bad:
        problems.add(f"{where}: not lower-case letters: {' '.join(bad)}", at)
    wrong = sorted({ch for ch in value if bool(_CYRILLIC.match(ch)) != (script == "Cyrl")})
    if wrong:
        problems.add(f"{where}: letters of another script: {' '.join(wrong)}", at)
    repeated = sorted({ch for ch in value if value.count(ch) > 1})
    if repeated:
        problems.add(f"{where}: repeated letters: {' '.join(repeated)}", at)
    return frozenset(value)


def _learned(
    value: Any,
    where: str,
    at: Where,
    alphabets: Mapping[str, frozenset[str]],
    problems: Problems,
) -> dict[str, Transcription]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(f"{where}: must be a table of script = {{latin letters = letters}}", at)
        return {}
    result = {}
    latin = alphabets.get("Latn")
    for script, table in value.items():
        here, at_script = f"{where}.{script}", (*at, script)
        if script not in alphabets or script == "Latn":
            problems.add(
                f"{here}: learn a script the language has an alphabet for, other than Latn",
                at_script,
            )
            continue
        if latin is None:
            problems.add(f"{here}: the language needs alphabet.Latn to learn from", at_script)
            continue
        if not isinstance(table, dict) or not table:
            problems.add(f"{here}: must be a table of latin letters = letters", at_script)
            continue
        letters = alphabets[script]
        for key, target in table.items():
            bare = key.removeprefix(WORD_START)
            if not bare or len(bare) > 2 or any(ch not in latin for ch in bare):
                problems.add(
                    f"{here}: key {key!r} must be one or two letters of alphabet.Latn, "
                    f"optionally after {WORD_START!r}",
                    (*at_script, key),
                )
            if not isinstance(target, str) or any(ch not in letters for ch in target):
                problems.add(
                    f"{here}.{key}: must be letters of alphabet.{script} (or empty)",
                    (*at_script, key),
                )
        missing = sorted(latin - set(table))
        if missing:
            problems.add(f"{here}: no entry for {' '.join(missing)}", at_script)
        result[script] = Transcription({str(k): str(v) for k, v in table.items()})
    return result


def _sample(
    code: str,
    samples: Mapping[str, Any],
    alphabet: frozenset[str],
    problems: Problems,
    origins_path: str,
) -> str:
    """The language's sample text, checked: long enough and written in its Latin alphabet."""
    where, at = f"{origins_path}: [{code}]", ("languages", code, "learned")
    raw = samples.get(code)
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        problems.add(f'{where}: a learned language needs text = """..."""', at)
        return ""
    for unknown in sorted(set(raw) - _SAMPLE_FIELDS):
        problems.add(f"{where}, field {unknown!r}: unknown field (typo?)", at)
    text = raw["text"]
    letters = [ch.lower() for ch in text if ch.isalpha()]
    if len(letters) < SAMPLE_MIN_LETTERS:
        problems.add(f"{where}: text has {len(letters)} letters, {SAMPLE_MIN_LETTERS} needed", at)
    elif sum(ch in alphabet for ch in letters) < 0.95 * len(letters):
        problems.add(f"{where}: text is not mostly in the language's Latin alphabet", at)
    return text


def build_languages(
    data: Mapping[str, Any],
    path: str,
    samples: Mapping[str, Any] | None = None,
    samples_path: str = str(DEFAULT_SAMPLES),
) -> LanguageRules:
    """Validate parsed language rules and their samples; every problem is raised at once."""
    problems = Problems(path)
    samples = samples or {}
    for unknown in sorted(set(data) - {"detect", "languages"}):
        problems.add(f"[{unknown}]: unknown table (use [detect] or [languages.<code>])", (unknown,))
    detect = _detect(data.get("detect"), problems)
    raw_languages = data.get("languages")
    if not isinstance(raw_languages, dict) or not raw_languages:
        problems.add("no [languages.<code>] tables", ("languages",))
        raw_languages = {}
    languages = []
    for code, raw in raw_languages.items():
        where, at = f"language {code!r}", ("languages", code)
        if not _CODE.match(code):
            problems.add(f"{where}: the key must be a 2-3 letter ISO 639 code in lower case", at)
        if not isinstance(raw, dict):
            problems.add(f"{where}: must be a table", at)
            continue
        problems.unknown_fields(raw, _LANGUAGE_FIELDS, where, at)
        name = problems.text(raw, "name", where, at, code)
        supported = problems.flag(raw, "supported", where, at, False)
        raw_alphabets = raw.get("alphabet")
        alphabets: dict[str, frozenset[str]] = {}
        if not isinstance(raw_alphabets, dict) or not raw_alphabets:
            problems.add(
                f"{where}, field 'alphabet': needs alphabet.<script> for at least one of "
                f"{', '.join(SCRIPTS)}",
                (*at, "alphabet"),
            )
            raw_alphabets = {}
        for script, letters in raw_alphabets.items():
            field_where, field_at = f"{where}, field 'alphabet.{script}'", (*at, "alphabet", script)
            if script not in SCRIPTS:
                problems.add(
                    f"{field_where}: unknown script (one of {', '.join(SCRIPTS)})", field_at
                )
                continue
            alphabets[script] = _alphabet(letters, field_where, field_at, script, problems)
        learned = _learned(
            raw.get("learned"), f"{where}, field 'learned'", (*at, "learned"), alphabets, problems
        )
        sample = ""
        if learned:
            sample = _sample(code, samples, alphabets["Latn"], problems, samples_path)
        prior = raw.get("prior")
        if prior is not None and (
            isinstance(prior, bool) or not isinstance(prior, int | float) or not 0 < prior <= 10
        ):
            problems.add(
                f"{where}, field 'prior': must be a number above 0, at most 10", (*at, "prior")
            )
            prior = None
        languages.append(Language(code, name.strip(), supported, alphabets, learned, sample, prior))
    supported_codes = {lang.code for lang in languages if lang.supported}
    for code in sorted(LANGUAGES - supported_codes):
        problems.add(
            f"language {code!r}: tmwatch tags this language, so it must be listed with "
            "supported = true",
            ("languages", code),
        )
    problems.raise_if_any(LanguageError)
    return LanguageRules(detect, tuple(languages))
