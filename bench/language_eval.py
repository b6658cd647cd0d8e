"""Accuracy of tmwatch's language identification on labelled ru/tk/tr/en texts.

    python bench/language_eval.py

Compares ``pipeline.language`` with plain langdetect (which has no Turkmen profile). The
region's other languages (Azerbaijani, Kazakh, Kyrgyz, Uzbek, Cyrillic Turkmen) and languages
tmwatch does not support are measured on real translated sentences by
``bench/language_neighbours_eval.py``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.evaluation import language_samples
from tmwatch.pipeline.language import detect_language


def accuracy(detector) -> dict[tuple[str, str], tuple[int, int]]:  # type: ignore[no-untyped-def]
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for kind, lang, text in language_samples():
        cell = table[(kind, lang)]
        cell[0] += detector(text) == lang
        cell[1] += 1
    return {k: (v[0], v[1]) for k, v in table.items()}


def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return str(detect(text))
    except LangDetectException:
        return None


def main() -> None:
    ours = accuracy(lambda text: detect_language(text).language)
    plain = accuracy(_langdetect)
    print("kind   lang  texts  tmwatch  langdetect")
    for key in sorted(ours):
        right, total = ours[key]
        print(
            f"{key[0]:<6} {key[1]:<5} {total:5d}  "
            f"{right / total:7.3f}  {plain[key][0] / total:10.3f}"
        )
    for kind in ("long", "title"):
        right = sum(v[0] for k, v in ours.items() if k[0] == kind)
        total = sum(v[1] for k, v in ours.items() if k[0] == kind)
        print(f"{kind}: {right}/{total} = {right / total:.3f}")


if __name__ == "__main__":
    main()
