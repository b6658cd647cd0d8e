"""Precision, recall and F1 of event extraction on the labelled sets, date accuracy, negation
errors, and the stage's cost per article.

    python bench/events_eval.py [--split dev|heldout|all] [--errors]

Events are keyed on (person, type) per text. Date accuracy counts the labelled dated events whose
(person, type) was found: right when an extracted event of that key has the labelled day (or,
for a month-precision label, a date in that month). ``negated`` counts extracted events the text
denies (must be 0). The sets are bench/data/events_eval_dev.jsonl (tuned on) and
events_eval_heldout.jsonl (never tuned on); regenerate them with bench/make_events_eval.py.
The cost is the event stage alone, after tagging, on the sample corpus (ms per article).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tmwatch.config.events import EVENT_TYPES
from tmwatch.pipeline.events import EventExtractor, extract_events
from tmwatch.pipeline.tagging import Tagger

DATA = Path(__file__).with_name("data")
SPLITS = ("dev", "heldout")


def load(split: str) -> list[dict]:
    path = DATA / f"events_eval_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(
    split: str, tagger: Tagger | None = None, extractor: EventExtractor | None = None
) -> tuple[dict, list[str]]:
    """Figures for one split, and one line per wrong decision."""
    tagger = tagger or Tagger.from_files()
    extractor = extractor or EventExtractor.default()
    counts = {kind: [0, 0, 0] for kind in EVENT_TYPES}  # tp, fp, fn
    dated = dates_right = negated = 0
    errors: list[str] = []
    rows = load(split)
    for row in rows:
        tagged = tagger.tag(row["text"], row["title"], row["language"])
        events = extract_events(
            row["text"], row["title"], row["language"], row["published"], tagged, extractor
        )
        predicted = {(e.person, e.type) for e in events}
        gold = {(e["person"], e["type"]) for e in row["events"]}
        for person, kind in predicted | gold:
            cell = counts[kind]
            cell[0] += (person, kind) in predicted and (person, kind) in gold
            cell[1] += (person, kind) in predicted and (person, kind) not in gold
            cell[2] += (person, kind) in gold and (person, kind) not in predicted
        for person, kind in sorted(predicted ^ gold):
            where = "extra" if (person, kind) in predicted else "missed"
            errors.append(f"{row['id']} {where} {person} {kind}: {row['text'][:110]}")
        for label in row["events"]:
            key = (label["person"], label["type"])
            if label["date"] is None or key not in predicted:
                continue
            dated += 1
            found = [e.date for e in events if e.key == key and e.date]
            want = label["date"]
            if any(d == want or (len(want) == 7 and d[:7] == want) for d in found):
                dates_right += 1
            else:
                errors.append(f"{row['id']} date {key}: labelled {want}, found {found}")
        denied = {(n["person"], n["type"]) for n in row["negated"]}
        for key in sorted((predicted & denied) - gold):
            negated += 1
            errors.append(f"{row['id']} NEGATED {key}: {row['text'][:110]}")
    figures: dict = {"texts": len(rows), "types": {}}
    total = [0, 0, 0]
    for kind, (tp, fp, fn) in counts.items():
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        figures["types"][kind] = _prf(tp, fp, fn)
    figures["overall"] = _prf(*total)
    figures["date_accuracy"] = round(_ratio(dates_right, dated), 3)
    figures["dated_events"] = dated
    figures["negated_events"] = negated
    return figures, errors


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "support": tp + fn,
    }


def ms_per_article(tagger: Tagger, extractor: EventExtractor, rounds: int = 5) -> float:
    """The event stage's cost on the sample corpus (tagging done beforehand, not counted)."""
    from tmwatch.samples.render import ALL_ARTICLES

    articles = [("\n".join(a.paras), a.title, a.lang, a.published) for a in ALL_ARTICLES]
    tagged = [tagger.tag(text, title, lang) for text, title, lang, _ in articles]
    extract_events(*articles[0][:4], tagged[0], extractor)  # compile the language's terms
    for lang in ("ru", "tk", "tr", "en"):
        extractor.resources(lang)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for (text, title, lang, published), tags in zip(articles, tagged, strict=True):
            extract_events(text, title, lang, published, tags, extractor)
        best = min(best, (time.perf_counter() - start) / len(articles) * 1000)
    return round(best, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args()
    tagger, extractor = Tagger.from_files(), EventExtractor.default()
    result: dict = {}
    for split in SPLITS if args.split == "all" else (args.split,):
        figures, errors = evaluate(split, tagger, extractor)
        result[split] = figures
        print(f"\n{split}: {figures['texts']} labelled texts")
        print(f"{'':20} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}")
        for name, f in [*figures["types"].items(), ("overall", figures["overall"])]:
            print(
                f"{name:20} {f['precision']:9.3f} {f['recall']:7.3f} {f['f1']:6.3f} "
                f"{f['support']:7d}"
            )
        print(
            f"date accuracy {figures['date_accuracy']:.3f} on {figures['dated_events']} dated "
            f"events found; events from negated statements: {figures['negated_events']}"
        )
        if args.errors:
            print("\n".join(errors) or "no errors")
    result["ms_per_article"] = ms_per_article(tagger, extractor)
    print(f"\nevent stage: {result['ms_per_article']} ms/article on the sample corpus")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
