"""Article text as HTML with marks: the evidence behind each label, and the edits between versions.

Article text comes from outlets and is hostile until proven otherwise (a sample title carries a
``<script>``). So the HTML is built here piece by piece: every slice of stored text goes through
``markupsafe.escape`` (after ``render.clean`` drops control characters and bidi overrides, which
can disguise what a sentence says), and only the tags written in this module are ``Markup``.
Templates print the result as it is, never with ``|safe``.

Offsets: an evidence item gives its sentence's offsets in the field (``start``/``end``); a
person's name hits are absolute offsets in the field, a topic's or place's terms are found again
inside the sentence. ``clean`` removes characters one by one, so slicing first and cleaning each
slice keeps the offsets right.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from tmwatch.output.render import clean


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` of a field are evidence; ``note`` says for what."""

    start: int
    end: int
    note: str
    ref: str  # the id of the evidence sentence in the page's list


@dataclass
class Sentence:
    """One evidence sentence, with every label it proves (a sentence often proves several)."""

    ref: str
    field: str
    start: int
    end: int
    text: str
    labels: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    html: Markup = field(default_factory=Markup)


def _term_spans(sentence: str, term: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``sentence``: as written, else ignoring case (a lexicon term in
    lower case matches a capitalised word at the start of a sentence)."""
    if not term:
        return []
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(term), sentence)]
    if not found:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(term), sentence, re.I)]
    return found


def evidence_sentences(
    evidence: Iterable[dict[str, Any]],
    describe: Callable[[dict[str, Any]], str],
    describe_hit: Callable[[dict[str, Any], str], str],
) -> list[Sentence]:
    """The evidence grouped by sentence, title first, in reading order.

    ``describe(item)`` is the label shown in the list ("person: Dursoltan Taganova");
    ``describe_hit(item, words)`` the note on one marked passage.
    """
    by_place: dict[tuple[str, int, int], Sentence] = {}
    for item in evidence:
        try:
            key = (str(item["field"]), int(item["start"]), int(item["end"]))
            text = str(item["sentence"])
        except (KeyError, TypeError, ValueError):
            continue  # a malformed stored item is skipped, not a broken page
        sentence = by_place.get(key)
        if sentence is None:
            sentence = Sentence("", key[0], key[1], key[2], text)
            by_place[key] = sentence
        label = describe(item)
        if label not in sentence.labels:
            sentence.labels.append(label)
        if item.get("matches"):
            hits = [(int(m["start"]), int(m["end"])) for m in item["matches"]]
        else:
            hits = [
                (key[1] + s, key[1] + e)
                for term in item.get("terms") or []
                for s, e in _term_spans(text, str(term))
            ]
        for start, end in hits:
            if key[1] <= start < end <= key[2]:
                words = text[start - key[1] : end - key[1]]
                sentence.spans.append(Span(start, end, describe_hit(item, words), ""))
    ordered = sorted(by_place.values(), key=lambda s: (s.field != "title", s.start, s.end))
    for number, sentence in enumerate(ordered, 1):
        sentence.ref = f"evidence-{number}"
        sentence.spans = [Span(s.start, s.end, s.note, sentence.ref) for s in sentence.spans]
        # In the list itself a mark needs no pointer to the item it sits in.
        relative = [
            Span(s.start - sentence.start, s.end - sentence.start, s.note, "")
            for s in sentence.spans
        ]
        sentence.html = marked_line(sentence.text, relative)
    return ordered


def spans_of(sentences: Sequence[Sentence], field_name: str) -> list[Span]:
    return [span for s in sentences if s.field == field_name for span in s.spans]


def _segments(text: str, spans: Sequence[Span]) -> list[tuple[str, list[Span]]]:
    """``text`` cut at every span boundary; each piece with the spans covering it (overlapping
    evidence, a place term inside a topic term, gets one mark naming both)."""
    cuts = {0, len(text)}
    for span in spans:
        if 0 <= span.start < span.end <= len(text):
            cuts.update((span.start, span.end))
    points = sorted(cuts)
    pieces: list[tuple[str, list[Span]]] = []
    for start, end in itertools.pairwise(points):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        if pieces and pieces[-1][1] == covering:
            pieces[-1] = (pieces[-1][0] + text[start:end], covering)
        else:
            pieces.append((text[start:end], covering))
    return pieces


def _mark(text: str, covering: list[Span]) -> Markup:
    if not covering:
        return escape(clean(text))
    notes = list(dict.fromkeys(s.note for s in covering))
    refs = " ".join(dict.fromkeys(s.ref for s in covering if s.ref))
    described = Markup(' aria-describedby="{}"').format(refs) if refs else Markup("")
    return Markup('<mark title="{}"{}>{}</mark>').format("; ".join(notes), described, clean(text))


def marked_line(text: str, spans: Sequence[Span]) -> Markup:
    """One line (a title, a sentence) with its evidence marked."""
    return Markup("").join(_mark(piece, covering) for piece, covering in _segments(text, spans))


def marked_paragraphs(text: str, spans: Sequence[Span]) -> list[Markup]:
    """The article text as paragraphs (one per line of the stored text) with evidence marked; a
    mark that would cross a paragraph break is split in two."""
    paragraphs: list[list[Markup]] = [[]]
    for piece, covering in _segments(text, spans):
        for number, line in enumerate(piece.split("\n")):
            if number:
                paragraphs.append([])
            if line:
                paragraphs[-1].append(_mark(line, covering))
    return [Markup("").join(p) for p in paragraphs if p and "".join(p).strip()]


# -- diffs between versions -------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
CONTEXT_CHARS = 160
"""Unchanged text kept on each side of an edit; the rest of a long unchanged paragraph is
elided, so an edit in a long article is found without scrolling through all of it."""


@dataclass
class Diff:
    """What changed from one version to the next, as escaped paragraphs with ins/del."""

    paragraphs: list[Markup]
    inserted_words: int
    deleted_words: int
    title: Markup | None  # the title's own diff, when the title changed


def _words(text: str) -> int:
    return sum(1 for t in _TOKEN.findall(text) if t[0].isalnum() or t[0] == "_")


def _changed(tag: str, text: str, hidden: str) -> Markup:
    if not text:
        return Markup("")
    return Markup('<{0}><span class="visually-hidden">{1} </span>{2}</{0}>').format(
        tag, hidden, clean(text)
    )


def _elide(text: str, head: bool, tail: bool) -> Markup:
    """Unchanged text, shortened in the middle when long (``head``/``tail``: keep that end)."""
    if len(text) <= 2 * CONTEXT_CHARS + 20:
        return escape(clean(text))
    start = text[:CONTEXT_CHARS] if head else ""
    end = text[-CONTEXT_CHARS:] if tail else ""
    return Markup('{} <span class="elided">…</span> {}').format(clean(start), clean(end))


def _inline(old: str, new: str, inserted: str, deleted: str) -> tuple[Markup, int, int]:
    """A word-level diff of two lines; the counts are words inserted and deleted."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Markup] = []
    plus = minus = 0
    codes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            out.append(_elide(before, head=index > 0, tail=index < len(codes) - 1))
            continue
        out.append(_changed("del", before, deleted))
        out.append(_changed("ins", after, inserted))
        minus += _words(before)
        plus += _words(after)
    return Markup("").join(out), plus, minus


def diff_versions(
    old_title: str,
    old_text: str,
    new_title: str,
    new_text: str,
    *,
    inserted: str = "inserted:",
    deleted: str = "deleted:",
    unchanged: Callable[[int], str] = lambda n: f"{n} unchanged paragraphs",
) -> Diff:
    """Paragraphs are matched first, then words inside a changed paragraph: edits to articles
    are usually a sentence added or a figure corrected, and a word diff of the whole text
    would pair unrelated paragraphs. Unchanged paragraphs far from any edit are counted, not
    shown. ``inserted``/``deleted`` are read out by screen readers (ins/del are not)."""
    a = [p for p in old_text.split("\n") if p.strip()]
    b = [p for p in new_text.split("\n") if p.strip()]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    paragraphs: list[Markup] = []
    plus = minus = 0
    codes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            same = a[i1:i2]
            first, last = index > 0, index < len(codes) - 1
            if len(same) <= 2:
                paragraphs += [escape(clean(p)) for p in same]
                continue
            if first:
                paragraphs.append(escape(clean(same[0])))
            hidden = len(same) - int(first) - int(last)
            paragraphs.append(Markup('<span class="elided">{}</span>').format(unchanged(hidden)))
            if last:
                paragraphs.append(escape(clean(same[-1])))
            continue
        old, new = a[i1:i2], b[j1:j2]
        for pair in range(max(len(old), len(new))):
            if pair < len(old) and pair < len(new):
                line, p, m = _inline(old[pair], new[pair], inserted, deleted)
            elif pair < len(old):
                line, p, m = _changed("del", old[pair], deleted), 0, _words(old[pair])
            else:
                line, p, m = _changed("ins", new[pair], inserted), _words(new[pair]), 0
            paragraphs.append(line)
            plus, minus = plus + p, minus + m
    title = None
    if old_title != new_title:
        title, p, m = _inline(old_title, new_title, inserted, deleted)
        plus, minus = plus + p, minus + m
    return Diff(paragraphs, plus, minus, title)
