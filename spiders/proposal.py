"""A proposed registry entry, as ``tmwatch sources discover`` prints it: TOML for the user's file.

Every value carries the evidence for it: ``confirmed`` notes say what discovery checked,
``assumed`` notes what it guessed. Rendering keeps regular expressions as TOML literal strings
so their backslashes survive, and writes only fields the registry loader knows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tmwatch.folding import CYRILLIC_TO_LATIN

_ASCII = str.maketrans(CYRILLIC_TO_LATIN)


class DiscoveryError(Exception):
    """Discovery found no usable entry; ``found`` says what it did find, for the user."""

    def __init__(self, message: str, found: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.found = list(found)


@dataclass
class ProposedListing:
    """A ``[[sources.<key>.listings]]`` table: a rubric page and how it pages."""

    url: str
    page_url: str | None = None
    first_page: int = 1
    max_pages: int = 3

    def to_toml(self, key: str) -> str:
        lines = [f"[[sources.{key}.listings]]", f"url = {_toml_str(self.url)}"]
        if self.page_url:
            lines += [f"page_url = {_toml_str(self.page_url)}", f"first_page = {self.first_page}"]
        lines.append(f"max_pages = {self.max_pages}")
        return "\n".join(lines) + "\n"


@dataclass
class Proposal:
    """A proposed ``[sources.<key>]`` entry: a web site (``kind`` "site") or a channel.

    A channel entry needs only ``kind``, ``channel``, ``outlet`` and ``languages``; ``preview``,
    ``feeds`` and ``post_url`` are written only where they differ from Telegram's and YouTube's
    own addresses (a mirror, or the sample channels).
    """

    key: str
    name: str
    outlet: str
    homepage: str
    kind: str = "site"  # "site", "telegram", "youtube"
    languages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_url: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    channel: str = ""  # a Telegram username or a YouTube channel id
    preview: str = ""  # a Telegram preview page other than https://t.me/s/<channel>
    post_url: str = ""  # a post URL template with {id}, other than the platform's own
    listings: list[ProposedListing] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if v not in ("", [])}
        if self.listings:
            data["listings"] = [
                {k: v for k, v in listing.__dict__.items() if v is not None}
                for listing in self.listings
            ]
        return data

    def to_toml(self) -> str:
        """The entry as TOML for the user's sources file."""
        lines = [f"[sources.{self.key}]"]
        lines += [f"{k} = {_toml_str(v)}" for k, v in self._scalars()]
        for name, values, literal in (
            ("languages", self.languages, False),
            ("feeds", self.feeds, False),
            ("sitemaps", self.sitemaps, False),
            ("article_url", self.article_url, True),
            ("examples", self.examples, False),
            ("confirmed", self.confirmed, False),
            ("assumed", self.assumed, False),
        ):
            if values:
                lines.append(_toml_list(name, values, literal))
        text = "\n".join(lines) + "\n"
        return text + "".join("\n" + listing.to_toml(self.key) for listing in self.listings)

    def _scalars(self) -> list[tuple[str, str]]:
        pairs = [("name", self.name), ("outlet", self.outlet), ("homepage", self.homepage)]
        if self.kind != "site":
            pairs += [("kind", self.kind), ("channel", self.channel)]
        pairs += [(k, v) for k, v in (("preview", self.preview), ("post_url", self.post_url)) if v]
        return pairs


def _toml_str(value: str, literal: bool = False) -> str:
    """A TOML string; regular expressions as literal strings ('...') so backslashes stay."""
    if literal and "'" not in value and "\n" not in value:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def _toml_list(name: str, values: Sequence[str], literal: bool) -> str:
    items = [_toml_str(v, literal) for v in values]
    one_line = f"{name} = [{', '.join(items)}]"
    if len(one_line) <= 100 and len(values) <= 2 and name not in ("confirmed", "assumed"):
        return one_line
    return f"{name} = [\n" + "".join(f"    {item},\n" for item in items) + "]"


def source_key(url: str) -> str:
    """``https://www.tmhelsinki.org/ru/`` -> ``tmhelsinki-org-ru``: host without www. and port,
    then the home page's path, in the registry's key alphabet."""
    parts = urlsplit(url if "//" in url else f"https://{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    return key_of("-".join([host, *[s for s in parts.path.split("/") if s]])) or "source"


def key_of(text: str) -> str:
    """``Türkmen Gündeligi`` -> ``turkmen-gundeligi``: a name in the registry's key alphabet
    (Cyrillic transliterated, diacritics dropped)."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
