"""The records every pipeline stage reads and writes.

``Capture`` is what was fetched (raw evidence, never changed); ``Article`` is what tmwatch derived
from it (re-derivable by ``tmwatch reprocess``). Both are plain dataclasses so the stages run
without Scrapy, from the CLI, tests and the benchmark alike.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EvidenceKind = Literal["person", "place", "topic"]


def article_id(key: str) -> str:
    """Short, stable id used by ``cite`` and the digest: 10 base32 chars of SHA-256(key).

    The key is the outlet's own article id where the registry names one, otherwise the canonical
    URL, so an article keeps its id across slug changes, AMP twins and host moves.
    """
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


@dataclass(frozen=True)
class FeedHints:
    """What a feed, sitemap or listing said about an article before it was fetched."""

    title: str | None = None
    published: str | None = None
    author: str | None = None
    # A channel's own text for the item (a YouTube video's description in the feed), kept
    # because the watch page may hold less of it than the feed.
    summary: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> FeedHints:
        data = data or {}
        return cls(
            data.get("title"), data.get("published"), data.get("author"), data.get("summary")
        )


@dataclass(frozen=True)
class NameHit:
    """Where a watched person's name matched, and which form of the name fired."""

    text: str
    start: int
    end: int
    variant: str

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "variant": self.variant}


@dataclass(frozen=True)
class Evidence:
    """Why a tag, person or place was given: the sentence, its offsets and the words matched.

    ``field`` is "title" or "text"; ``start``/``end`` are the sentence's offsets in that field.
    A person's evidence lists each name hit (offsets in the field, and the form that fired);
    a topic's or place's lists the lexicon terms found in the sentence.
    """

    kind: EvidenceKind
    label: str
    field: str
    start: int
    end: int
    sentence: str
    terms: tuple[str, ...] = ()
    names: tuple[NameHit, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The stored and published shape (digest schema: ``evidence`` items)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "label": self.label,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
        }
        if self.kind == "person":
            data["matches"] = [hit.as_dict() for hit in self.names]
        else:
            data["terms"] = list(self.terms)
        return data


@dataclass
class Capture:
    """One fetched article response, as written to the WARC file."""

    source: str
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    found_via: str = ""
    hints: FeedHints = field(default_factory=FeedHints)
    html_sha256: str = ""
    warc_file: str = ""
    warc_offset: int = 0
    warc_length: int = 0
    warc_record_id: str = ""
    worker: str = ""  # the crawler that fetched it (its name is in the WARC file's name too)
    capture_id: int | None = None

    def __post_init__(self) -> None:
        if not self.html_sha256:
            self.html_sha256 = hashlib.sha256(self.body).hexdigest()


@dataclass
class Article:
    """The derived article record: what every stage after extraction reads and writes."""

    id: str
    article_key: str
    source: str
    outlet: str
    url: str
    canonical_url: str
    language: str | None
    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    # The day of ``published`` in the outlet's time zone (``tmwatch.days.local_day``), ISO.
    published_day: str | None = None
    date_source: str | None = None
    modified: str | None = None
    first_seen: str = ""
    fetched_at: str = ""
    html_sha256: str = ""
    found_via: str = ""
    alternates: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    capture_id: int | None = None
    tags: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
