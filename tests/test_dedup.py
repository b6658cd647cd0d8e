"""Near-duplicate detection keeps its measured quality (figures: bench/dedup_eval.py)."""

from __future__ import annotations

from bench.dedup_eval import lsh_rates, prf, scores
from tmwatch.pipeline.dedup import (
    MIN_SHARED_BANDS,
    THRESHOLD,
    Fingerprint,
    candidate_probability,
    normalise_text,
    text_hash,
)
from tmwatch.store import Store
from tmwatch.store.home import DataHome


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


def test_candidates_share_two_bands() -> None:
    """Unrelated texts meet in one band often enough, across a large archive, to make most of
    the dedup cost; the rule keeps the lightest measured edits found."""
    assert MIN_SHARED_BANDS == 2
    assert candidate_probability(0.02) < 1e-6 < candidate_probability(0.02, min_shared=1)
    assert candidate_probability(0.55) > 0.99 and candidate_probability(0.5) > 0.95


def test_an_article_sharing_one_band_is_not_a_candidate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Store(DataHome(tmp_path)) as store:
        for article_id in ("one", "two"):
            store.db.execute(
                "INSERT INTO articles(id, article_key, source, outlet, url, canonical_url, title,"
                " first_seen, fetched_at, text, html_sha256) VALUES (?, ?, 's', 'S', ?, ?, 't',"
                " '2026', '2026', 'x', '')",
                (article_id, article_id, article_id, article_id),
            )
        store.archive.save_fingerprint("one", "h1", b"sig1", [1, 2, 3])
        store.archive.save_fingerprint("two", "h2", b"sig2", [3, 4, 5])
        assert store.archive.near_candidates([3, 9], "new", MIN_SHARED_BANDS) == []
        assert [c[0] for c in store.archive.near_candidates([2, 3], "new", 2)] == ["one"]
        assert [c[0] for c in store.archive.near_candidates([3], "new")] == ["one", "two"]


def test_signatures_are_datasketchs_own() -> None:
    """``signature`` computes datasketch's MinHash itself (without importing it): the
    signatures must stay exactly those of ``MinHash(num_perm=128, seed=1)``, or the fingerprints
    stored so far would stop matching new ones."""
    import random

    import numpy as np
    from datasketch import MinHash

    from tmwatch.pipeline.dedup import NUM_PERM, shingles, signature

    rng = random.Random(4)
    words = ["Рахманов", "задержан", "Stambul", "tussag", "merkezi", "the", "a", "ýaşaýan"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(60)]
    for text in ["Рахманов задержан в Стамбуле", "one two three four five six " * 40, "x", *texts]:
        fresh = MinHash(num_perm=NUM_PERM, seed=1)
        fresh.update_batch(shingles(text))
        assert np.array_equal(signature(text), fresh.hashvalues.astype(np.uint32))
