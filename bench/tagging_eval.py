"""Precision, recall and F1 of tagging on the labelled evaluation set.

    python bench/tagging_eval.py [--errors]

Per topic and per watched person, plus micro-averaged figures for all persons. The set is
bench/data/tagging_eval.jsonl (synthetic texts; regenerate with bench/make_tagging_eval.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tmwatch.pipeline.tagging import Tagger

DATA = Path(__file__).with_name("data") / "tagging_eval.jsonl"


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def evaluate(tagger: Tagger | None = None) -> tuple[dict[str, dict[str, float]], list[str]]:
    tagger = tagger or Tagger.from_files()
    rows = load()
    labels = sorted({t for r in rows for t in r["tags"]})
    people = sorted({p.name for p in tagger.watchlist.people})
    counts = {name: [0, 0, 0] for name in [*labels, *people, "persons (all)"]}  # tp, fp, fn
    errors = []
    for row in rows:
        result = tagger.tag(row["text"], language=row["language"])
        for name, predicted, gold in (
            *((t, t in result.tags, t in row["tags"]) for t in labels),
            *((p, p in result.persons, p in row["persons"]) for p in people),
        ):
            cell = counts[name]
            everyone = counts["persons (all)"] if name in people else None
            for target in filter(None, (cell, everyone)):
                target[0] += predicted and gold
                target[1] += predicted and not gold
                target[2] += gold and not predicted
            if predicted != gold:
                errors.append(
                    f"{row['id']} {name}: predicted {predicted}, labelled {gold}: {row['text']}"
                )
    figures = {}
    for name, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[name] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return figures, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args()
    figures, errors = evaluate()
    print(f"{len(load())} labelled texts")
    print(f"{'':28} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}")
    for name, f in figures.items():
        print(
            f"{name:28} {f['precision']:9.3f} {f['recall']:7.3f} {f['f1']:6.3f} {f['support']:7d}"
        )
    if args.errors:
        print("\n".join(errors) or "no errors")


if __name__ == "__main__":
    main()
