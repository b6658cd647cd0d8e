"""Labelled evaluation sets built from texts written for tmwatch (the sample corpus and
``bench/data``). Used by the benchmark scripts to print figures and by the tests to keep floors.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tmwatch.samples.render import ALL_ARTICLES

DATA = Path(__file__).with_name("data")

_EPILOGUE = {
    "ru": "Материал подготовлен при участии наших корреспондентов.",
    "tk": "Habar biziň habarçylarymyzyň gatnaşmagynda taýýarlandy.",
    "tr": "Haber muhabirlerimizin katkısıyla hazırlandı.",
    "en": "Our correspondents contributed reporting.",
}


def language_samples() -> list[tuple[str, str, str]]:
    """(kind, language, text): whole sample articles ("long") and titles ("title")."""
    rows = [("long", a.lang, "\n".join(a.paras)) for a in ALL_ARTICLES]
    rows += [("title", a.lang, a.title) for a in ALL_ARTICLES if "<" not in a.title]
    for line in (DATA / "language_titles.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append(("title", lang, text))
    return rows


def _variants(paras: tuple[str, ...], lang: str) -> list[str]:
    """Light edits a reposting outlet makes: a credit line, a dropped closing paragraph,
    a reworded word or two, a new first line."""
    text = "\n".join(paras)
    words = text.split()
    swapped = list(words)
    for i in (len(words) // 3, 2 * len(words) // 3):
        swapped[i] = swapped[i].upper() + "ы"
    variants = [
        text + "\n" + _EPILOGUE[lang],
        " ".join(swapped),
        _EPILOGUE[lang] + "\n" + text,
    ]
    if len(paras) >= 3:
        variants.append("\n".join(paras[:-1]))
    return variants


def dedup_pairs() -> list[tuple[str, str, bool]]:
    """(text a, text b, same story?) pairs.

    Positives: light edits of every sample article, plus the corpus's own copies (a syndicated
    repost and a word-for-word republication).
    Negatives: every pair of distinct sample articles (same language and same event included:
    several outlets report the same detention in their own words).
    """
    pairs: list[tuple[str, str, bool]] = []
    for article in ALL_ARTICLES:
        text = "\n".join(article.paras)
        for variant in _variants(article.paras, article.lang):
            pairs.append((text, variant, True))
    syndicated = {a.path for a in ALL_ARTICLES if "allalyev-zaderzhan" in a.path}
    for a, b in itertools.combinations(ALL_ARTICLES, 2):
        # The corpus's own copies are the same story: the syndicated repost, and the story
        # republished word for word under a second URL.
        same = {a.path, b.path} == syndicated or a.paras == b.paras
        pairs.append(("\n".join(a.paras), "\n".join(b.paras), same))
    return pairs
