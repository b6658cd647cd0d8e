"""Language identification that knows Turkmen and its neighbours.

langdetect has no Turkmen profile and calls Turkmen text Turkish; py3langid (a langid.py fork)
knows Turkmen, Azerbaijani, Kazakh, Kyrgyz and Uzbek, but like every statistical identifier it
drifts to a neighbour on a short sentence, and it has no Cyrillic Turkmen at all. Alphabets
settle most of the drift: Azerbaijani writes ə, q and x, which Turkish does not; Turkish writes ı
and ğ, which Turkmen does not; Kazakh and Kyrgyz use every Russian letter and more, so Russian
letters alone prove nothing. The rules are data (``config/languages.toml``, loaded and validated
by ``tmwatch.config.languages``):

1. the script of most letters chooses the candidates: the languages with an alphabet for it;
2. a candidate whose alphabet misses more of the text's letters than names and loanwords explain
   is ruled out;
3. py3langid ranks the rest, with a class of its own for each ``learned`` language (Cyrillic
   Turkmen, estimated from the real Turkmen of ``language_samples.toml`` written in Cyrillic),
   weighted by how common the language is here (``other_prior`` for a language tmwatch does not
   support);
4. a supported language is answered as is; any other needs ``other_confidence``, else ``und``,
   so Polish or Tatar is never forced into the nearest language tmwatch tags.

Everything is deterministic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tmwatch.config.languages import (
    DEFAULT_LANGUAGES,
    Language,
    LanguageError,
    LanguageRules,
    load_languages,
)

_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u0259\u1e00-\u1eff\u02bb\u02bc]")
UNDETERMINED = "und"


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    method: str  # "registry", "py3langid", "letters", "none"


@lru_cache(maxsize=1)
def rules() -> LanguageRules:
    """The packaged language rules, loaded once."""
    return load_languages()


def supported_languages() -> frozenset[str]:
    """Codes detect_language answers with confidence (the rest: own code when sure, or und)."""
    return rules().supported


@dataclass(frozen=True)
class _Model:
    """py3langid's naive Bayes tables with the learned classes appended as columns."""

    identifier: Any  # py3langid LanguageIdentifier (for its byte-level feature walk)
    ptc: Any  # numpy (features x classes): log P(feature | class)
    pc: Any  # numpy (classes,): class bias
    columns: dict[tuple[str, str | None], tuple[int, ...]]
    """(code, learned script or None) -> its columns (py3langid has uz and sr in two scripts)."""


@lru_cache(maxsize=1)
def _model() -> _Model:
    from pathlib import Path

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(Path(MODEL_DIR) / MODEL_FILE)
    if not hasattr(identifier, "_full_model") or not hasattr(identifier, "_rowbase"):
        # The learned classes extend py3langid's own tables; 0.3 kept them private.
        raise RuntimeError("tmwatch needs py3langid 0.4 or later (pip install -U py3langid)")
    ptc, pc, classes = identifier._full_model
    columns: dict[tuple[str, str | None], tuple[int, ...]] = {}
    for index, code in enumerate(classes):
        columns[(code, None)] = (*columns.get((code, None), ()), index)
    config = rules()
    wanted = {lang.code for lang in config.languages} | set(config.detect.other_scripts)
    unknown = sorted(code for code in wanted if (code, None) not in columns)
    learned = [(lang, script) for lang in config.languages for script in sorted(lang.learned)]
    unknown = [code for code in unknown if not any(lang.code == code for lang, _ in learned)]
    if unknown:
        raise LanguageError(
            str(DEFAULT_LANGUAGES),
            [
                f"language {code!r}: py3langid has no model for it; add `learned`"
                for code in unknown
            ],
        )
    extra_ptc, extra_pc = [], []
    for lang, script in learned:
        counts = np.zeros(ptc.shape[0])
        for line in lang.learned_sample(script).splitlines():
            for feature, count in (_features(identifier, line) or {}).items():
                counts[feature] += count
        alpha = config.detect.learned_smoothing
        extra_ptc.append(np.log((alpha + counts) / (alpha * ptc.shape[0] + counts.sum())))
        extra_pc.append(float(np.mean(pc)))  # the bias of an average py3langid class
        columns[(lang.code, script)] = (len(classes) + len(extra_ptc) - 1,)
    if extra_ptc:
        ptc = np.concatenate([ptc, np.stack(extra_ptc, axis=1).astype(ptc.dtype)], axis=1)
        pc = np.concatenate([pc, np.asarray(extra_pc, dtype=pc.dtype)])
    return _Model(identifier, ptc, pc, columns)


def _features(identifier: Any, text: str) -> dict[int, int] | None:
    """py3langid's byte n-gram features of ``text`` (feature index -> count)."""
    from py3langid.langid import visit_counts

    return visit_counts(
        identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, identifier._encode(text)
    )


def _probabilities(
    text: str, columns: dict[str, tuple[int, ...]], prior: dict[str, float]
) -> dict[str, float]:
    """P(language | text) among ``columns``: py3langid's tempered naive Bayes, times ``prior``.

    Like py3langid with ``norm_probs`` the log scores are divided by the square root of the
    text's length in bytes, which keeps the probabilities comparable across lengths; a language
    with two script columns scores as the better one, as in py3langid.
    """
    import numpy as np

    model = _model()
    codes = list(columns)
    counts = _features(model.identifier, text)
    if not counts:
        scores = np.zeros(len(codes))
    else:
        index = np.asarray([i for c in codes for i in columns[c]])
        features = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = np.log1p(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        table = model.ptc[np.ix_(features, index)].astype(np.float64)
        raw = dict(zip(index.tolist(), (weights @ table).tolist(), strict=True))
        scores = np.asarray([max(raw[i] + float(model.pc[i]) for i in columns[c]) for c in codes])
        scores /= math.sqrt(len(text.encode("utf-8")) or 1)
    scores += np.log([prior[c] for c in codes])
    scores = np.exp(scores - scores.max())
    scores /= scores.sum()
    return dict(zip(codes, scores.tolist(), strict=True))


def _prior(lang: Language, other_prior: float) -> float:
    if lang.prior is not None:
        return lang.prior
    return 1.0 if lang.supported else other_prior


def _script(letters: list[str]) -> tuple[str | None, list[str]]:
    """The script most letters are in (``None`` for neither Latin nor Cyrillic) and its letters.

    Each letter is one character and each script expression matches one, so one search of the
    joined letters finds the same letters as matching them one by one (thousands of calls)."""
    joined = "".join(letters)
    cyrillic = _CYRILLIC.findall(joined)
    latin = _LATIN.findall(joined)
    if len(cyrillic) >= len(latin) and len(cyrillic) * 2 >= len(letters):
        return "Cyrl", cyrillic
    if len(latin) * 2 >= len(letters):
        return "Latn", latin
    return None, []


def _lower(word: str) -> str:
    """Lower case for the alphabet check: dotted İ and I are i (Turkish ı is its own letter)."""
    return word.replace("İ", "i").replace("I", "i").lower()


class _Foreign:
    """Letters of a text's words outside an alphabet; a word in plain ASCII counts once at most.

    A Latin word without a single letter beyond ASCII that does not fit the alphabet (Exec,
    Facebook, Caja) is a name or a foreign word quoted in the text: one piece of evidence, not
    one per letter. Letters beyond ASCII (ə, ı, ň, ў) are the language's own spelling and count
    each time. ``words`` are lower-cased with their counts.

    Some twenty alphabets are tried on every article, so the words are indexed by letter once:
    each alphabet then looks only at the words holding one of its outside letters (usually
    few) instead of reading every letter of every word again.
    """

    def __init__(self, words: Counter[str]) -> None:
        self._times = list(words.values())
        self._ascii = [word.isascii() for word in words]
        self._where: dict[str, list[tuple[int, int]]] = {}
        for index, word in enumerate(words):
            for letter in set(word):
                self._where.setdefault(letter, []).append((index, word.count(letter)))

    def count(self, alphabet: frozenset[str]) -> int:
        outside = self._where.keys() - alphabet
        if not outside:
            return 0
        per_word: dict[int, int] = {}
        for letter in outside:
            for index, times in self._where[letter]:
                per_word[index] = per_word.get(index, 0) + times
        return sum(
            self._times[index] * (1 if self._ascii[index] else count)
            for index, count in per_word.items()
        )


def detect_language(text: str, title: str = "", declared: str | None = None) -> LanguageGuess:
    """Best language code for an article; ``declared`` is the registry's single language.

    Returns a supported code, another language's code when py3langid is sure of it, ``und``
    when the text is in a language tmwatch cannot name, or None when there is too little text.
    """
    if declared:
        return LanguageGuess(declared, "registry")
    config = rules()
    detect = config.detect
    sample = unicodedata.normalize("NFC", f"{title}\n{text}"[: detect.max_chars])
    letters = _LETTERS.findall(sample)
    if len(letters) < detect.min_letters:
        return LanguageGuess(None, "none")
    script, script_letters = _script(letters)
    if script is None:
        return _other_script(sample)
    in_script = _CYRILLIC if script == "Cyrl" else _LATIN
    words = Counter(_lower(w) for w in _WORDS.findall(sample) if in_script.match(w))
    foreign = _Foreign(words)
    allowed = detect.foreign_allowed + detect.foreign_per_100 * len(script_letters) / 100
    fits = [
        lang
        for lang in config.written_in(script)
        if foreign.count(lang.alphabets[script]) <= allowed
    ]
    if not fits:
        return LanguageGuess(UNDETERMINED, "letters")
    if len(fits) == 1 and fits[0].supported:
        return LanguageGuess(fits[0].code, "letters")
    model = _model()
    columns = {
        lang.code: model.columns[(lang.code, script if script in lang.learned else None)]
        for lang in fits
    }
    prior = {lang.code: _prior(lang, detect.other_prior) for lang in fits}
    probabilities = _probabilities(sample, columns, prior)
    best = max(fits, key=lambda lang: probabilities[lang.code])
    if not best.supported and probabilities[best.code] < detect.other_confidence:
        others = {lang.code for lang in fits if not lang.supported}
        named = _second_opinion(sample, others) if len(letters) >= _SECOND_OPINION_LETTERS else None
        return LanguageGuess(named or UNDETERMINED, "langdetect" if named else "py3langid")
    return LanguageGuess(best.code, "py3langid")


_SECOND_OPINION_LETTERS = 400
"""langdetect names languages reliably on paragraphs, not on titles: below this it is not asked."""


def _second_opinion(sample: str, allowed: set[str]) -> str | None:
    """langdetect's name for a language outside the supported set that py3langid is unsure of.

    langdetect has profiles for some 55 languages (European ones well covered) but none for
    Turkmen, so it is asked only to *name* a language the alphabets already allow and that
    tmwatch does not support; it never overrides a supported answer.
    """
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # deterministic: the same text always gets the same answer
    try:
        guesses = detect_langs(sample)
    except LangDetectException:
        return None
    top = guesses[0]
    code = top.lang.split("-")[0]
    return code if top.prob >= rules().detect.other_confidence and code in allowed else None


def _other_script(sample: str) -> LanguageGuess:
    """Text in a script none of the alphabets cover: py3langid's answer when it is sure."""
    detect = rules().detect
    model = _model()
    columns = {code: model.columns[(code, None)] for code in detect.other_scripts}
    if not columns:
        return LanguageGuess(UNDETERMINED, "none")
    probabilities = _probabilities(sample, columns, dict.fromkeys(columns, 1.0))
    code = max(probabilities, key=lambda c: probabilities[c])
    if probabilities[code] < detect.other_confidence:
        return LanguageGuess(UNDETERMINED, "py3langid")
    return LanguageGuess(code, "py3langid")
