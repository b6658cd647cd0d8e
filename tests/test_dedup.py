"""Near-duplicate detection keeps its measured quality (figures: bench/dedup_eval.py)."""

from __future__ import annotations

from bench.dedup_eval import lsh_rates, prf, scores
from tmwatch.pipeline.dedup import THRESHOLD, Fingerprint, normalise_text, text_hash


def test_threshold_separates_labelled_pairs() -> None:
    precision, recall, f1 = prf(scores(), THRESHOLD)
    assert precision >= 0.99 and recall >= 0.98 and f1 >= 0.98


def test_lsh_finds_same_story_pairs_and_few_others() -> None:
    found, noise = lsh_rates()
    assert found >= 0.97 and noise <= 0.02


def test_exact_text_ignores_case_punctuation_and_spacing() -> None:
    assert normalise_text("Ёлка,  ЁЛКА!") == "елка елка"
    assert text_hash("Taganowa boşadyldy.") == text_hash("taganowa   BOŞADYLDY")
    assert Fingerprint.of("a b c d").text_hash != Fingerprint.of("a b c e").text_hash


def test_short_texts_have_fingerprints() -> None:
    assert len(Fingerprint.of("two words").bands) > 0
