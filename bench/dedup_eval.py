"""Choose and check the near-duplicate threshold on labelled pairs.

    python bench/dedup_eval.py

Prints precision, recall and F1 of "same story" for each candidate threshold, using the MinHash
estimate tmwatch uses (``pipeline.dedup``), and marks the threshold in force.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.evaluation import dedup_pairs
from tmwatch.pipeline.dedup import (
    MIN_SHARED_BANDS,
    THRESHOLD,
    band_keys,
    candidate_probability,
    signature,
    similarity,
)


def scores() -> list[tuple[float, bool]]:
    cache: dict[str, object] = {}

    def sig(text: str):  # type: ignore[no-untyped-def]
        if text not in cache:
            cache[text] = signature(text)
        return cache[text]

    return [(similarity(sig(a), sig(b)), label) for a, b, label in dedup_pairs()]


def lsh_rates() -> tuple[float, float]:
    """Share of same-story pairs that share ``MIN_SHARED_BANDS`` LSH bands (found at all), and
    of other pairs (candidates that cost a signature comparison)."""
    same = other = same_hit = other_hit = 0
    for a, b, label in dedup_pairs():
        shared = len(set(band_keys(signature(a))) & set(band_keys(signature(b))))
        hit = shared >= MIN_SHARED_BANDS
        if label:
            same, same_hit = same + 1, same_hit + hit
        else:
            other, other_hit = other + 1, other_hit + hit
    return same_hit / same, other_hit / other


def prf(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    scored = scores()
    positives = sum(y for _, y in scored)
    print(f"{len(scored)} labelled pairs: {positives} same story, {len(scored) - positives} not")
    top_negative = max(s for s, y in scored if not y)
    low_positive = min(s for s, y in scored if y)
    print(
        f"highest different-story similarity {top_negative:.3f}; "
        f"lowest same-story similarity {low_positive:.3f}"
    )
    print("threshold  precision  recall  F1")
    for step in range(2, 10):
        threshold = step / 10
        p, r, f = prf(scored, threshold)
        mark = "  <- in force" if abs(threshold - THRESHOLD) < 1e-9 else ""
        print(f"{threshold:9.2f}  {p:9.3f}  {r:6.3f}  {f:.3f}{mark}")
    found, noise = lsh_rates()
    print(
        f"LSH: {found:.3f} of same-story pairs share {MIN_SHARED_BANDS} bands;"
        f" {noise:.3f} of other pairs do"
    )
    curve = ", ".join(
        f"{j:.2f}: {candidate_probability(j):.2g}" for j in (0.02, 0.06, 0.3, 0.4, 0.5, 0.55, 0.7)
    )
    print(f"chance of being a candidate at Jaccard {curve}")


if __name__ == "__main__":
    main()
