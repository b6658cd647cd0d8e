"""Language identification keeps its measured accuracy (figures: bench/language_eval.py)."""

from __future__ import annotations

from bench.language_eval import accuracy
from tmwatch.pipeline.language import detect_language


def test_accuracy_floors() -> None:
    table = accuracy(lambda text: detect_language(text).language)
    for kind, floor in (("long", 0.98), ("title", 0.95)):
        right = sum(v[0] for k, v in table.items() if k[0] == kind)
        total = sum(v[1] for k, v in table.items() if k[0] == kind)
        assert right / total >= floor, (kind, right, total)
    tk_right, tk_total = table[("title", "tk")]
    assert tk_right / tk_total >= 0.95  # the case langdetect alone gets wrong every time


def test_detection_is_deterministic() -> None:
    text = "Aktiwist saklandy"
    assert len({detect_language(text).language for _ in range(5)}) == 1
