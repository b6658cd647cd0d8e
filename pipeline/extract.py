"""Extraction: text and metadata from a captured article page.

trafilatura gives the main text; authors and dates are taken first from structured data
the outlets publish (JSON-LD ``NewsArticle``, OpenGraph/``article:*`` meta), then from the feed
entry, because those are what the outlet itself asserts. See ``pipeline.dates`` for precedence.
The title is the headline the page shows (``_choose_title``), because appeal footnotes cite it.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura.utils import detect_encoding
from w3lib.encoding import html_to_unicode

from tmwatch.pipeline.date_locales import install as limit_htmldate_locales
from tmwatch.pipeline.dates import (
    date_from_text,
    date_from_url,
    fetch_day,
    in_offset,
    is_utc,
    parse_date,
    shown_offset,
    shown_times,
)
from tmwatch.record import FeedHints

logger = logging.getLogger(__name__)

limit_htmldate_locales()  # htmldate's dateparser reads the language rules' languages only

_ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
}
# Agency credits are not authors (RFE/RL pages credit "RFE/RL's Turkmen Service").
_AGENCY_AUTHOR = re.compile(r"^(RFE/RL|Radio Free Europe|Azatlyk|Азатлык|Redaksiýa|Редакция)", re.I)
_WS = re.compile(r"\s+")


class ExtractionError(ValueError):
    """The page holds no article text (empty, not HTML, or a player/challenge page)."""


@dataclass
class Extracted:
    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    date_source: str | None = None
    modified: str | None = None
    canonical: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    html_lang: str | None = None


# Some CMSs serve XHTML with an XML declaration first. Its encoding is read while decoding; then
# it is dropped, since the text is no longer in that encoding (lxml refuses such a string).
_XML_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]*>")


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page as text: decoded by its BOM, else the HTTP charset, else the page's own
    declaration (``<?xml … encoding?>`` or ``<meta charset>``, whichever comes first), else as
    UTF-8 when the bytes are valid UTF-8, else by detection (a windows-1251 page declaring
    nothing). Without the XML declaration, so that every later reader can parse the text."""
    _, text = html_to_unicode(content_type or "", body, auto_detect_fun=_detect_encoding)
    return _XML_DECLARATION.sub("", str(text), count=1)


def _detect_encoding(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    for guess in detect_encoding(body):
        try:
            codecs.lookup(guess)
        except LookupError:
            continue
        return guess
    return None


# lxml.html picks a Python class per element through a lookup written in Python, called each
# time an element is touched from Python (trafilatura touches some 16,000 per 300 KB page, on a
# copy of this tree that keeps its parser). The same classes chosen in C, except that form
# controls are plain HtmlElements (no reader here uses their form API), spare ~0.4 µs each.
_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _parse(html: str) -> lxml.html.HtmlElement:
    """The decoded page parsed from UTF-8 bytes with that encoding fixed: libxml2 then ignores a
    ``<meta charset>`` or XML declaration that described the bytes before decoding."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    parser.set_element_class_lookup(_CLASSES)
    return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)


def _clean(value: Any) -> str:
    return _WS.sub(" ", str(value)).strip() if value else ""


def _jsonld_articles(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = set(kind) if isinstance(kind, list) else {kind}
            if kinds & _ARTICLE_TYPES:
                found.append(node)
            walk(node.get("@graph", []))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content() or "null"))
        except (json.JSONDecodeError, RecursionError):
            logger.debug("skipping malformed JSON-LD block")
    return found


def _authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        name = _clean(name)
        if name and not _AGENCY_AUTHOR.match(name) and name not in names:
            names.append(name)
    return names


_META_ATTRS = ("property", "name", "itemprop")


class _Metas:
    """The page's ``<meta content>`` values, read in one pass over the tree.

    A page has a few dozen of them but is asked for some twenty names; one XPath search of a
    300 KB tree per name and attribute cost more than the rest of the metadata together.
    """

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self._first: dict[tuple[str, str], str] = {}
        self._all: dict[str, list[str]] = {}
        for element in tree.iter("meta"):
            content = element.get("content")
            if content is None:
                continue
            keys = {}
            for attr in _META_ATTRS:
                value = element.get(attr)
                if value is not None:
                    self._first.setdefault((attr, value), content)
                    if attr != "itemprop":
                        keys[value] = None
            for value in keys:
                self._all.setdefault(value, []).append(content)

    def first(self, *names: str) -> str | None:
        """The first non-blank value by name, trying property, name and itemprop in turn (the
        first ``<meta>`` with that attribute decides: a blank one gives way to the next attribute
        or name, as ``//meta[@attr=name]/@content`` did)."""
        for name in names:
            for attr in _META_ATTRS:
                value = self._first.get((attr, name))
                if value and value.strip():
                    return value.strip()
        return None

    def every(self, name: str) -> list[str]:
        """Every value of ``<meta property=name>`` or ``<meta name=name>``, in page order."""
        return self._all.get(name, [])


# -- titles ---------------------------------------------------------------------------------
# A title is cited in appeal footnotes, so it must read as the page shows it: entities decoded,
# the outlet's name and a date around it removed, and the visible headline preferred.

# An entity still present in text lxml has already unescaped once: the page escaped it twice.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# Words for comparing titles and counting text: a CJK or Thai character counts as a word,
# since those scripts do not separate words with spaces.
_WORD = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")
# What separates a headline from the site name, a section or a date in <title> and og:title.
# Unspaced only the full-width forms CJK titles use; a plain hyphen needs spaces around it.
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|~·•»«/]|[-–—:]{1,2}|::)\s+|\s*[|｜：]\s*)")
_DATE_SEGMENT = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}"
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?,?\s+\d{4}(?:,?\s+\d{1,2}:\d{2})?"
    r"|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4}"
)
# Domain endings seen in site names ("Sott.net", "CNN.com"); ".news" is left out because
# "Turkmen" alone must not read as Turkmen.News's name.
_TLDS = frozenset(
    "com net org info ru tm tr kz kg uz tj az am ge ua by tv fm io eu asia co uk de fr".split()
)
# A headline shorter than this many words, unlike any title in the metadata, is a section name
# or a logo rather than the article's headline.
_MIN_HEADLINE_WORDS = 3
# Dice similarity of word sets above which a visible headline is the metadata's title reworded.
_SAME_HEADLINE = 0.5
_CHROME = "ancestor::nav or ancestor::footer or ancestor::aside or ancestor::form"


def _title_text(value: Any) -> str:
    """A title as the reader sees it: entities decoded (repeatedly: ``&amp;#039;`` is a page's
    double escape of an apostrophe, as in Turkish ``İstanbul'da``), invisible characters dropped
    and whitespace (NBSP and ideographic spaces too) collapsed."""
    text = str(value) if value else ""
    for _ in range(3):
        if not _ENTITY.search(text):
            break
        text = unescape(text)
    return _clean(_INVISIBLE.sub("", text))


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_words(name))


def _site_names(
    metas: _Metas, ld: dict[str, Any], url: str, given: Sequence[str]
) -> list[tuple[str, ...]]:
    """The site's names as word tuples: what the caller knows (the registry's outlet names),
    what the page says (og:site_name, application-name, the JSON-LD publisher) and its host."""
    names = list(given)
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
        names.extend(metas.every(key))
    publisher = ld.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    if host:
        names.append(host)
    found: list[tuple[str, ...]] = []
    for name in names:
        words = _name_words(_title_text(name))
        if words and words not in found:
            found.append(words)
    return found


def _is_site_name(segment: str, names: Sequence[tuple[str, ...]]) -> bool:
    """Whether a title segment names the site: one of ``names`` with or without its domain
    ending, a run of two or more words of a longer name ("Radio Azatlyk" in the registry's
    "Radio Azatlyk – Turkmen Service of Radio Liberty"), or a name with one more word."""
    words = _name_words(segment)
    if not words:
        return False
    joined = "".join(words)
    bare = "".join(words[:-1]) if words[-1] in _TLDS else None
    for name in names:
        name_joined = "".join(name)
        if joined == name_joined or bare == name_joined:
            return True
        if name[-1] in _TLDS and joined == "".join(name[:-1]):
            return True
        if len(name) > len(words) and _contains(name, words):
            if len(words) >= 2 or (words[0] == name[0] and len(words[0]) >= 5):
                return True
        if len(words) == len(name) + 1 and (words[1:] == name or words[:-1] == name):
            return True
    return False


def _contains(outer: Sequence[str], inner: Sequence[str]) -> bool:
    size = len(inner)
    return any(tuple(outer[i : i + size]) == tuple(inner) for i in range(len(outer) - size + 1))


def _strip_site_affixes(title: str, names: Sequence[tuple[str, ...]]) -> str:
    """``title`` without the site's name (and a date next to it) before or after the headline:
    "Headline | Outlet", "Headline – Outlet | 28.04.2023", "Outlet - Headline". A segment goes
    only when it is a known name, so a headline with a dash in it keeps its dash."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 3 or not names:
        return title
    segments, separators = parts[0::2], parts[1::2]
    start, end = 0, len(segments)

    def joined(first: int, last: int) -> str:
        out = segments[first]
        for index in range(first + 1, last):
            out += separators[index - 1] + segments[index]
        return out

    for at_end in (True, False):
        stripped = False
        while end - start > 1:
            # A name may itself contain a separator: try runs of up to three segments.
            run = next(
                (
                    size
                    for size in (1, 2, 3)
                    if end - start - size >= 1
                    and _is_site_name(
                        joined(end - size, end) if at_end else joined(start, start + size), names
                    )
                ),
                0,
            )
            if run:
                end, start = (end - run, start) if at_end else (end, start + run)
                stripped = True
                continue
            edge = segments[end - 1] if at_end else segments[start]
            inner = segments[end - 2] if at_end else segments[start + 1]
            if _DATE_SEGMENT.fullmatch(edge.strip()) and (
                stripped or (end - start > 2 and _is_site_name(inner, names))
            ):
                end, start = (end - 1, start) if at_end else (end, start + 1)
                continue
            break
    return joined(start, end).strip()


def _similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice coefficient of two word sets."""
    first, second = set(a), set(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def _visible_headline(
    tree: lxml.html.HtmlElement,
    url: str,
    canonical: str | None,
    metadata: Sequence[str],
    names: Sequence[tuple[str, ...]],
) -> str | None:
    """The headline the reader sees (an ``<h1>``), or None when the page shows none.

    An ``<h1>`` is the headline when it, or one of its parts (an ``<h1>`` may carry a byline, a
    kicker or the site's logo link), is the metadata's title or that title reworded; the part most
    like the metadata wins. Otherwise, where the metadata is worded quite differently, the one
    ``<h1>`` outside navigation is the headline if it has a few words and is not the site's name
    or a link to another page (a logo).
    """
    own_paths = {_path(url, u) for u in (url, canonical) if u} - {None}
    wanted = [_words(m) for m in metadata]
    best: tuple[float, str] | None = None
    standalone: list[str] = []
    for h1 in tree.iter("h1"):
        whole, parts, full = _headline_parts(h1, url, own_paths)
        # An <h1> that is only a link elsewhere may still be the headline linking to itself
        # under another address; it counts only if the metadata says so.
        for candidate in (whole, *parts) if whole else (full,):
            if not candidate:
                continue
            candidate = _strip_site_affixes(candidate, names)
            if _is_site_name(candidate, names):
                continue
            words = _words(candidate)
            score = max((_similarity(words, w) for w in wanted), default=0.0)
            if score >= _SAME_HEADLINE and (best is None or score > best[0]):
                best = (score, candidate)
        if (
            whole
            and h1.xpath(f"not({_CHROME})")
            and not _is_site_name(whole, names)
            and len(_words(whole)) >= _MIN_HEADLINE_WORDS
        ):
            standalone.append(_strip_site_affixes(whole, names))
    if best is not None:
        return best[1]
    return standalone[0] if len(standalone) == 1 else None


def _headline_parts(
    h1: lxml.html.HtmlElement, url: str, own_paths: set[str | None]
) -> tuple[str, list[str], str]:
    """The text of an ``<h1>`` without links to other pages (a logo, a section), its parts
    (separate child elements and the text between them) and its full text."""

    def foreign(element: Any) -> bool:
        href = element.get("href") if element.tag == "a" else None
        if href is None:
            return False
        return _path(url, href) not in own_paths

    parts = [_title_text(h1.text)]
    whole = [h1.text or ""]
    for child in h1:
        if not isinstance(child.tag, str) or child.tag in ("script", "style"):
            pass
        elif not foreign(child) and not any(foreign(a) for a in child.iter("a")):
            text = child.text_content()
            parts.append(_title_text(text))
            whole.append(" " if child.tag == "br" else text)
        whole.append(child.tail or "")
        parts.append(_title_text(child.tail))
    full = _title_text(" ".join(h1.xpath(".//text()[not(ancestor::script or ancestor::style)]")))
    return _title_text("".join(whole)), [p for p in parts if p], full


def _path(base: str, href: str) -> str | None:
    """The path ``href`` points to from ``base``; None for a malformed address."""
    try:
        return urlsplit(urljoin(base, href.strip())).path.rstrip("/")
    except ValueError:
        return None


def _choose_title(
    tree: lxml.html.HtmlElement,
    metas: _Metas,
    ld: dict[str, Any],
    hints: FeedHints,
    url: str,
    canonical: str | None,
    site_names: Sequence[str],
) -> str:
    """The visible headline where the page shows one (what a footnote cites), else the first of
    the JSON-LD headline, og:title, twitter:title, <title> and the feed's title; each without
    the site's name around it."""
    names = _site_names(metas, ld, url, site_names)
    metadata = []
    for raw in (
        ld.get("headline") if isinstance(ld.get("headline"), str) else None,
        metas.first("og:title"),
        metas.first("twitter:title"),
        next(iter(tree.xpath("/html/head/title//text()") or tree.xpath("//title//text()")), None),
        hints.title,
    ):
        value = _strip_site_affixes(_title_text(raw), names)
        if value and value not in metadata:
            metadata.append(value)
    visible = _visible_headline(tree, url, canonical, metadata, names)
    if visible or metadata:
        return visible or metadata[0]
    # Nothing but headings: the first <h1> with text, as before there was any choice to make.
    for h1 in tree.iter("h1"):
        text = _title_text(" ".join(h1.xpath(".//text()[not(ancestor::script)]")))
        if text:
            return text
    return ""


def extract(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    hints: FeedHints | None = None,
    fetched_at: str | None = None,
    site_names: Sequence[str] = (),
) -> Extracted:
    """Extract an article from raw page bytes; raises ExtractionError when there is none.

    ``site_names`` are the outlet's names as the caller knows them (the registry's), used with
    the names the page gives itself to take the site's name off the title.
    """
    hints = hints or FeedHints()
    if not body.strip():
        raise ExtractionError("empty page")
    html = decode_html(body, content_type)
    try:
        tree = _parse(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None

    # The page is parsed once (the cost that matters on 300 KB pages): the metadata is read from
    # this tree, trafilatura extracts from a copy of it, and htmldate reads it where it needs
    # the page (``_fallback_date``).
    jsonld = _jsonld_articles(tree)
    ld = jsonld[0] if jsonld else {}
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), None)
    metas = _Metas(tree)
    title = _choose_title(tree, metas, ld, hints, url, canonical, site_names)
    authors = _authors(ld.get("author")) if ld.get("author") else []
    if not authors:
        meta_author = metas.first("article:author", "author")
        if meta_author and not meta_author.startswith("http"):
            authors = _authors(meta_author)
    if not authors and hints.author:
        authors = _authors(hints.author)
    alternates = {}
    for link in tree.xpath('//link[@rel="alternate"][@hreflang][@href]'):
        lang = link.get("hreflang", "").split("-")[0].lower()
        if lang and lang != "x":
            alternates[lang] = link.get("href").strip()
    html_lang = (tree.get("lang") or "").split("-")[0].lower() or None
    modified = parse_date(_clean(ld.get("dateModified"))) or parse_date(
        metas.first("article:modified_time")
    )
    structured = _structured_date(tree, metas, ld, hints)

    if not title:
        raise ExtractionError("no title found")
    text = _main_text(tree, url)
    first, _, rest = text.partition("\n")
    if first == title:
        text = rest  # the headline kept inside the article body: it is the title, not text
    # No main text (a video player page) is still a page with a title, a date and a language:
    # whether it is worth storing is the crawl's storing rule (``min_words``), not extraction's.
    published, date_source = structured or _fallback_date(html, tree, url, text, fetched_at)
    return Extracted(
        title=title,
        text=text,
        authors=authors,
        published=published,
        date_source=date_source,
        modified=modified,
        canonical=canonical,
        alternates=alternates,
        html_lang=html_lang,
    )


def _clean_text(text: str) -> str:
    """One paragraph per line, whitespace collapsed. ``str.split`` splits on exactly the
    characters ``\\s`` matches, so this is ``_WS.sub(" ", line).strip()`` without a regex."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# -- main text ------------------------------------------------------------------------------
# trafilatura runs first in precision mode (no menus, promos or related links in the text), and
# in its fast mode: its own extractor alone, without the comparison with readability and
# justext that its full cascade runs on every page (a third of its time on real pages). That
# comparison replaces the own extractor's text only on signs that this page shows
# (``_worth_comparing``): a short or empty text, one without paragraphs or dominated by tables,
# one holding page chrome, or one much shorter than the page's own paragraphs. On those pages
# the full cascade runs, as before. On some layouts precision mode keeps a small part of the
# article, or nothing (a body in a layout table beside a link menu); its default mode then
# keeps the article. The default run costs another extraction (of the same tree: trafilatura
# works on a copy), so it runs only when the precise text is short against the page's own
# paragraphs (counted before trafilatura prunes the tree), and its text is taken only when it is
# much longer (figures:
# bench/extraction_eval.py, where the fast first run changes no page's text).
_RECHECK_SHARE = 0.5  # precise words under this share of the page's paragraph words: recheck
_FULLER_SHARE = 0.4  # precise words under this share of the default run's words: take it
_PARAGRAPHS = etree.XPath(f"//p[not({_CHROME})]")
_MIN_EXTRACTED_CHARS = 250  # trafilatura's MIN_EXTRACTED_SIZE: shorter texts go to justext
# What trafilatura's comparison treats as an unclean extraction (its SANITIZED_XPATH).
_UNCLEAN = etree.XPath(
    ".//aside|.//audio|.//button|.//fencedframe|.//fieldset|.//figure|.//footer|.//iframe"
    "|.//input|.//label|.//link|.//nav|.//noindex|.//noscript|.//object|.//option|.//select"
    "|.//source|.//svg|.//time"
)
_PARAGRAPH_TEXT = etree.XPath(".//p//text()")


def _paragraph_words(tree: lxml.html.HtmlElement) -> int:
    """Words in the page's largest block of sibling paragraphs (outside navigation, leaving out
    link lists): a cheap estimate of the article body's length.

    An article's paragraphs share one container; teasers, comments and footers are spread over
    many. Counting only the largest block keeps boilerplate-heavy pages (most real pages) from
    triggering a second, slower extraction that would find nothing more.
    """
    blocks: dict[Any, int] = {}
    for paragraph in _PARAGRAPHS(tree):
        text = paragraph.text_content()
        linked = sum(len(a.text_content()) for a in paragraph.iter("a"))
        if text and linked <= len(text) / 2:
            parent = paragraph.getparent()
            blocks[parent] = blocks.get(parent, 0) + len(_words(text))
    return max(blocks.values(), default=0)


def _main_text(tree: lxml.html.HtmlElement, url: str) -> str:
    """The article's main text, one paragraph per line (see the note above on the modes)."""
    paragraph_words = _paragraph_words(tree)
    body, text = _trafilatura_text(tree, url, precision=True, fast=True)
    words = len(_words(text))
    if _worth_comparing(body, text, words, paragraph_words):
        _, text = _trafilatura_text(tree, url, precision=True, fast=False)
        words = len(_words(text))
    if words < _RECHECK_SHARE * paragraph_words:
        _, fuller = _trafilatura_text(tree, url, precision=False, fast=False)
        if words < _FULLER_SHARE * len(_words(fuller)):
            logger.debug(
                "precision mode kept %d words of %s; default mode's text taken", words, url
            )
            return fuller
    return text


def _worth_comparing(body: Any, text: str, words: int, paragraph_words: int) -> bool:
    """Whether trafilatura's comparison with readability and justext could replace this text
    of its own extractor: the signs its comparison acts on (``trafilatura.external``), and a
    text much shorter than the page's paragraphs, where readability may find more."""
    if len(text) < _MIN_EXTRACTED_CHARS or words < _RECHECK_SHARE * paragraph_words:
        return True
    if body is None:
        return True
    tables = len(body.findall(".//table"))
    return not _PARAGRAPH_TEXT(body) or tables > len(body.findall(".//p")) or bool(_UNCLEAN(body))


def _trafilatura_text(
    tree: lxml.html.HtmlElement, url: str, *, precision: bool, fast: bool
) -> tuple[Any, str]:
    """trafilatura's extracted body element (None without one) and its text. trafilatura
    copies the tree it is given, so ``tree`` stays whole for the next reader."""
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,  # tmwatch reads metadata itself, from the page's structured data
        include_comments=False,
        include_tables=False,
        favor_precision=precision,
        deduplicate=False,
        fast=fast,
    )
    if doc is None:
        return None, ""
    return doc.body, _clean_text(doc.text or "")


def _structured_date(
    tree: lxml.html.HtmlElement, metas: _Metas, ld: dict[str, Any], hints: FeedHints
) -> tuple[str, str] | None:
    """What the outlet asserts: JSON-LD, then article:published_time, then the feed's date.

    A time stamped in UTC is written at the offset the page prints it with, where it prints one
    (``_as_shown``): the same moment, with the outlet's own day.
    """
    value, source = parse_date(_clean(ld.get("datePublished"))), "jsonld"
    if not value:
        value, source = parse_date(metas.first("article:published_time", "datePublished")), "meta"
    if not value:
        value, source = parse_date(hints.published), "feed"
    if not value:
        return None
    return _as_shown(tree, value), source


# htmldate's answer with its time and offset where the page gives them (its default is the day
# alone, which is the UTC day for a page stamped in UTC).
_HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_ELEMENTS = (
    "//time | //*[@class][contains(@class, 'date') or contains(@class, 'time') "
    "or contains(@class, 'publish') or contains(@class, 'posted') or contains(@class, 'byline') "
    "or contains(@class, 'meta')]"
)
_MACHINE_TIMES = (
    "//time/@datetime | //*[@itemprop='datePublished']/@content "
    "| //*[@itemprop='datePublished']/@datetime"
)
_MAX_DATE_ELEMENTS = 60
_MAX_DATE_TEXT = 300
_SAME_MOMENT = timedelta(minutes=1)


def _as_shown(tree: lxml.html.HtmlElement | None, value: str) -> str:
    """``value`` written at the offset the page shows it with, when it is stamped in UTC.

    Many CMSs stamp structured data in UTC while the page prints the outlet's local time (or a
    ``<time datetime>`` with the local offset). Where the page prints this very moment at
    another offset, the moment is kept and that offset is used, so that the day derived from it
    (``tmwatch.days.local_day``) is the outlet's even for a source the registry gives no time
    zone. Otherwise ``value`` is returned unchanged.
    """
    if tree is None or not is_utc(value):
        return value
    instant = datetime.fromisoformat(value)
    offset = _machine_offset(tree, instant)
    if offset is None:
        offset = shown_offset(instant, shown_times(_date_lines(tree)))
    if offset is None or not offset.utcoffset(None):
        return value
    return in_offset(value, offset)


def _machine_offset(tree: lxml.html.HtmlElement, instant: datetime) -> timezone | None:
    """The offset of another machine-readable stamp of the same moment on the page
    (``<time datetime>``, ``itemprop=datePublished``) written at a local offset."""
    for raw in tree.xpath(_MACHINE_TIMES):
        value = parse_date(str(raw))
        if not value or len(value) <= 10:
            continue
        moment = datetime.fromisoformat(value)
        delta = moment.utcoffset()
        if delta and moment.tzinfo is not None and abs(moment - instant) <= _SAME_MOMENT:
            return timezone(delta)
    return None


def _fallback_date(
    html: str, tree: lxml.html.HtmlElement, url: str, text: str, fetched_at: str | None
) -> tuple[str | None, str | None]:
    """htmldate, then the URL, then a date written in words or digits on the page's date line,
    then one in the text.

    Never later than the fetch, and never a modified date (htmldate's ``original_date``).
    htmldate's time and offset are kept where the page gives them; a UTC one is written at the
    offset the page shows (``_as_shown``). htmldate's 1 January of a year it found alone (it does
    not read Turkmen months, and guesses from a bare year) is no date. ``tree`` is the page as
    ``extract`` parsed it, still whole (trafilatura works on a copy): htmldate is given it where
    it is the very tree htmldate would parse itself (``_htmldate_input``), which spares a second
    parse of the page, and the date line is read from it.
    """
    today = fetch_day(fetched_at) if fetched_at else None
    max_date = datetime.combine(today, time.max) if today else None
    try:
        found = find_date(
            _htmldate_input(html, tree),
            extensive_search=True,
            original_date=True,
            url=url,
            max_date=max_date,
            outputformat=_HTMLDATE_FORMAT,
        )
    except (ValueError, TypeError):
        found = None
    value = _htmldate_value(found)
    if value and not _year_guess(value, html):
        return (_as_shown(tree, value) if is_utc(value) else value), "htmldate"
    value = date_from_url(url)
    if value:
        return value, "url"
    value = date_from_text(_date_lines(tree), not_after=today)
    value = value or date_from_text(text, not_after=today)
    if value:
        return value, "text"
    return None, None


def _htmldate_value(found: str | None) -> str | None:
    """htmldate's answer as tmwatch stores dates: a day found without a time is a bare date
    (htmldate writes it as naive midnight), a time keeps its offset."""
    if not found:
        return None
    if found.endswith("T00:00:00"):
        return parse_date(found[:10])
    return parse_date(found)


_JANUARY_FIRST = re.compile(
    r"\b0?1(?:\.0?1\.|\.?\s+(?:jan|ýanwar|ocak|январ|янв)[^\W\d]*\.?,?\s+)(?P<year>\d{4})"
    r"|\b(?:jan|ýanwar|ocak)[^\W\d]*\.?\s+0?1,?\s+(?P<year2>\d{4})",
    re.IGNORECASE,
)


def _year_guess(value: str, html: str) -> bool:
    """Whether htmldate's ``value`` is its guess from a bare year: 1 January, with that day
    written nowhere on the page (as 2021-01-01, 01.01.2021, "1 January 2021", "1 ýanwar 2021")."""
    if value[4:10] != "-01-01":
        return False
    year = value[:4]
    if f"{year}-01-01" in html or f"{year}/01/01" in html:
        return False
    return not any(
        year in (match.group("year"), match.group("year2"))
        for match in _JANUARY_FIRST.finditer(html)
    )


def _date_lines(tree: lxml.html.HtmlElement) -> str:
    """The text of the page's date line(s): ``<time>`` and elements whose class says date,
    time, published, posted, byline or meta (where outlets print "20-nji oktýabr, 2021")."""
    texts = []
    for element in tree.xpath(_DATE_ELEMENTS)[:_MAX_DATE_ELEMENTS]:
        if isinstance(element.tag, str) and element.tag not in ("script", "style"):
            texts.append(_clean(element.text_content())[:_MAX_DATE_TEXT])
    return " | ".join(texts)


# lxml.html.fromstring, which htmldate parses a string with, reads a page not starting with
# <html> or a doctype as a fragment (the body, or its only element): htmldate then sees less.
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _htmldate_input(html: str, tree: lxml.html.HtmlElement) -> str | lxml.html.HtmlElement:
    """``tree`` where htmldate would build the very same tree from ``html``, else ``html``.

    htmldate parses with lxml's HTML parser as ``_parse`` does, but drops processing
    instructions, repairs two libxml2 pitfalls (an XHTML doctype, a self-closed ``<html/>``),
    reads a page without ``<html>``/doctype as a fragment and may refuse one whose first 50
    characters do not say "html". On a page with none of those
    the trees are the same, and htmldate's answer on ``tree`` is its answer on ``html``
    (it searches a copy, so ``tree`` stays whole); a 300 KB page is then not parsed again.

    The doctype repair also appends a newline to a page written on one line (most minified
    pages). After a closing ``</html>`` libxml2 drops it; only when that ``</html>`` was read as
    the text of an unclosed ``<script>``, ``<textarea>`` or comment would it land in the tree.
    """
    if "<?" in html or not _FULL_HTML.match(html) or "html" not in html[:50].lower():
        return html  # the last: htmldate refuses a page whose start does not say html
    repair = _htmldate_repair(html)
    if repair is None or (repair == "newline" and _closed_html(html, tree)):
        return tree
    return html


# htmldate's ``repair_faulty_html``, read without building the repaired copy of the page (its
# doctype expression alone scans a one-line 300 KB page for milliseconds); the tests hold the
# two to the same answers.
_DOCTYPE_OPEN = re.compile(r"< ?! ?DOCTYPE", re.I)


def _htmldate_repair(html: str) -> str | None:
    """What htmldate's ``repair_faulty_html`` would change in ``html``: None for nothing,
    "newline" for only a newline appended (a one-line page with a doctype), else "other"."""
    change = None
    if "doctype" in html[:50].lower():
        opened = _DOCTYPE_OPEN.match(html)
        line_end = html.find("\n")
        end = len(html) if line_end < 0 else line_end
        if opened and (
            html.find("/>", opened.end() + 1, end) >= 0
            or html.find("/ >", opened.end() + 1, end) >= 0
        ):
            return "other"  # the doctype up to the first "/>" of its line is dropped
        if line_end < 0:
            change = "newline"
    for line in html.split("\n", 4)[:4]:
        if "<html" in line and line.rstrip("\r").endswith("/>"):
            return "other"  # a self-closed <html/> opened again
    return change


def _closed_html(html: str, tree: lxml.html.HtmlElement) -> bool:
    """Whether the page ends with a ``</html>`` that libxml2 read as the end tag (then nothing
    more, not even a newline, joins the tree), not as text of the page's last node."""
    if html.rstrip()[-7:].lower() != "</html>":
        return False
    last = tree
    while len(last):
        last = last[-1]
    return not (last.text or "").rstrip().lower().endswith("</html>")
