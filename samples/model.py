"""The shape of a sample article."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SampleArticle:
    """One synthetic article. ``path`` is relative to its outlet's prefix on the sample server."""

    outlet: str
    path: str
    lang: str
    published: str  # ISO-8601 with offset
    title: str
    paras: tuple[str, ...]
    author: str | None = None
    modified: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> "outlet/path"
    amp: bool = False  # also serve an AMP twin
    slow: bool = False  # answer only after the server's slow delay
    redirect_from: str | None = None  # "outlet/path" answering 301 to this article
    in_feed: bool = True
    encoding: str = "utf-8"
