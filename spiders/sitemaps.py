"""Sitemaps and news sitemaps, including sitemap indexes and mislabelled .gz files.

Parsed with lxml with entity resolution and network access off, so a hostile sitemap cannot
expand entities or make the parser fetch anything.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field

from lxml import etree

from tmwatch.pipeline.dates import parse_date

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    published: str | None = None
    title: str | None = None


@dataclass
class SitemapResult:
    kind: str = "urlset"  # or "sitemapindex"
    entries: list[SitemapEntry] = field(default_factory=list)
    problem: str | None = None


def _maybe_gunzip(body: bytes) -> bytes:
    """Pangea's ``*.xml.gz`` shards are sometimes plain XML: gunzip only real gzip data."""
    if body[:2] != b"\x1f\x8b":
        return body
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = decompressor.decompress(body, MAX_SITEMAP_BYTES + 1)
    if len(data) > MAX_SITEMAP_BYTES:
        raise ValueError("sitemap larger than 50 MB uncompressed")
    return data


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> SitemapResult:
    try:
        data = _maybe_gunzip(body)
    except (ValueError, zlib.error, gzip.BadGzipFile) as exc:
        return SitemapResult(problem=f"bad compressed sitemap: {exc}")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=True, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        return SitemapResult(problem=f"sitemap is not XML: {exc}")
    if root is None:
        return SitemapResult(problem="sitemap is empty")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        return SitemapResult(problem=f"not a sitemap (root element <{kind}>)")
    result = SitemapResult(kind=kind)
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = published = title = None
        lastmod = None
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and child.getparent() is node:
                loc = text
            elif name == "publication_date":
                published = parse_date(text)
            elif name == "title" and text:
                title = text
            elif name == "lastmod":
                lastmod = parse_date(text)
        if loc:
            # A news sitemap's publication date is a publication date; <lastmod> is not, but it
            # bounds the publication from above, which is all --since needs for an index.
            result.entries.append(
                SitemapEntry(
                    loc=loc,
                    published=published or (lastmod if kind == "sitemapindex" else None),
                    title=title,
                )
            )
    if not result.entries:
        result.problem = "sitemap lists no URLs"
    return result
