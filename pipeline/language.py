"""Language identification that knows Turkmen.

langdetect has no Turkmen profile and calls Turkmen text Turkish; py3langid (a langid.py fork)
does know Turkmen. tmwatch asks py3langid first, restricted to the languages that appear on these
outlets, and uses langdetect as a second opinion only where py3langid is unsure between
Russian/English and the Turkic languages. Letters that exist in Turkmen Latin but not in Turkish
(ä ň ý ž) settle a tk/tr disagreement. Everything is deterministic (langdetect is seeded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Languages that actually occur on the registered outlets, plus close neighbours so that an Uzbek
# or Azerbaijani page is not forced into Turkish or Turkmen.
_CANDIDATES = ["ru", "tk", "tr", "en", "az", "uz", "kk", "ky", "uk", "de", "fr"]
_TURKMEN_ONLY = re.compile(r"[äňýžÄŇÝŽ]")
_TURKISH_ONLY = re.compile(r"[ığİ]")
_NON_RUSSIAN_CYRILLIC = re.compile(r"[іїєґўәғқңөұүһІЇЄҐЎӘҒҚҢӨҰҮҺ]")
_LETTERS = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MAX_CHARS = 4000  # identification is as good on the first few thousand characters


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    method: str  # "registry", "py3langid", "letters", "langdetect", "none"


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(Path(MODEL_DIR) / MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    return identifier


def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None
    return str(best.lang)


def detect_language(text: str, title: str = "", declared: str | None = None) -> LanguageGuess:
    """Best language code for an article; ``declared`` is the registry's single language."""
    if declared:
        return LanguageGuess(declared, "registry")
    sample = f"{title}\n{text}"[:_MAX_CHARS]
    letters = _LETTERS.findall(sample)
    if len(letters) < 3:
        return LanguageGuess(None, "none")
    cyrillic = sum(1 for ch in letters if _CYRILLIC.match(ch))
    if cyrillic / len(letters) >= 0.5 and not _NON_RUSSIAN_CYRILLIC.search(sample):
        # Statistical detectors confuse short Russian with Ukrainian/Bulgarian; letters do not.
        return LanguageGuess("ru", "letters")
    language, probability = _identifier().classify(sample)
    if cyrillic / len(letters) < 0.5 and language in ("tk", "tr", "az", "uz"):
        turkmen = len(_TURKMEN_ONLY.findall(sample))
        turkish = len(_TURKISH_ONLY.findall(sample))
        if turkmen > turkish:
            return LanguageGuess("tk", "letters")
        if turkish > turkmen:
            return LanguageGuess("tr", "letters")
    if probability >= 0.9 or len(letters) < 20:
        return LanguageGuess(language, "py3langid")
    second = _langdetect(sample)
    if second in _CANDIDATES and second != "tr":
        return LanguageGuess(second, "langdetect")
    return LanguageGuess(language, "py3langid")
