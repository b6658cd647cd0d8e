"""``fold_text`` remembers folded words (``core.folding._fold_word``); answers are unchanged."""

from __future__ import annotations


def test_fold_text_remembers_words_with_the_same_answers() -> None:
    """``fold_text`` folds through a cache of ``fold``: the same column as folding each word."""
    from tmwatch.folding import WORD, _fold_word, fold, fold_text

    text = "Ýazgulyýew Язгулыев O’g’uz Rahmannowy Türkmenistanyň Ёлкин Khodjaev Ýazgulyýew"
    expected = " ".join(
        fold(m.group(0).replace("’", "'").split("'")[0]) for m in WORD.finditer(text)
    )
    assert fold_text(text) == expected
    assert fold_text(text) == expected
    assert _fold_word.cache_info().hits > 0
