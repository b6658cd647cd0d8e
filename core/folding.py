"""Script folding: one skeleton for a word in any script, shared by name matching and search.

Cyrillic is transliterated, Turkmen and Turkish letters are reduced (ä->a, ň->n, ý/ı/ы->y, w->v,
kh->h), doubled letters collapse and a y between vowels drops (Аннаев = Annayev = Annaýew ->
"anaev"). The store's search column, the search query and the watchlist's names are all folded by
this one module, so they cannot drift apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
"""A word: letters, optionally with one apostrophe-joined suffix (Taganova'nın, Rakhmanov's)."""

CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ә": "a",
    "ң": "n",
    "ө": "o",
    "ү": "u",
    "җ": "zh",
    "ғ": "g",
    "қ": "k",
    "һ": "h",
    "і": "i",
}
_LATIN = {
    "ä": "a",
    "ň": "n",
    "ö": "o",
    "ü": "u",
    "ý": "y",
    "ž": "zh",
    "ş": "sh",
    "ç": "ch",
    "ı": "y",
    "ğ": "g",
    "â": "a",
    "î": "i",
    "û": "u",
    "é": "e",
    "w": "v",
    "q": "k",
    "x": "ks",
}
_TABLE = str.maketrans({**CYRILLIC_TO_LATIN, **_LATIN})
_VOWELS = "aeiou"
_Y_BETWEEN_VOWELS = re.compile(f"(?<=[{_VOWELS}])y(?=[{_VOWELS}])")
_DOUBLES = re.compile(r"(.)\1+")


def lower(text: str) -> str:
    """Lowercase for matching: Python turns "İ" into "i" plus a combining dot; Turkish means "i"."""
    return text.replace("İ", "i").lower()


def fold(word: str) -> str:
    """The script-independent skeleton of a word."""
    word = word.replace("İ", "i").casefold().replace("kh", "h").translate(_TABLE)
    word = word.replace("kh", "h")
    word = _DOUBLES.sub(r"\1", word)
    return _Y_BETWEEN_VOWELS.sub("", word)


_fold_word = lru_cache(maxsize=65536)(fold)
"""``fold`` remembered for ``fold_text``: every stored article's text is folded for the index,
and its words are mostly words folded before (the folding is pure, so the answers are the same)."""


def fold_text(text: str) -> str:
    """Every word of ``text`` folded: the search index's script-independent column."""
    return " ".join(
        _fold_word(m.group(0).replace("’", "'").split("'")[0]) for m in WORD.finditer(text)
    )
