"""Discovery of listing pages: rubric pages that list articles, and how they page back.

Many outlets that matter here publish a feed of their last twenty items only, or no feed at all
(the Turkmen Helsinki Foundation's language editions, Gundogar). Their archive is reachable
through rubric listings: a menu link whose page lists articles and links to the next page.
Discovery reads the home page's menu, fetches a few of those pages, and proposes as listings
the ones that list article URLs (the feed's items extended by the ones it misses) and says how
they page: ``page_url`` with ``{n}`` when the next-page link carries a page number (WordPress
``/page/2/``, Bitrix ``?PAGEN_1=2``, Pangea ``?p=1``).

With no feed and no sitemap, the article URL pattern itself comes from these pages: the links
in their content (menus, header and footer left out) grouped by shape, the largest group taken,
and the groups that merge into its pattern (a language edition's ``/en/`` prefix) added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

from tmwatch.pipeline.extract import ExtractionError, decode_html
from tmwatch.pipeline.process import read_page
from tmwatch.spiders.polite_fetch import Fetched, Fetcher, same_site
from tmwatch.spiders.proposal import ProposedListing
from tmwatch.spiders.url_patterns import Inferred, PatternError, infer_article_url, segments_of

MAX_PROBES = 4
"""Menu pages fetched to look for listings: a handful, not a crawl of the menu."""
MAX_LISTINGS = 3
MIN_LINKS = 2
"""A page listing fewer article links than this is not a listing."""
MAX_PAGES = 3
"""Pages per listing per run that discovery proposes (older pages are read by --since)."""
_PAGE_NUMBER = (
    re.compile(r"(?P<pre>/page/)(?P<n>\d+)(?P<post>/?)$"),  # WordPress
    re.compile(r"(?P<pre>[?&](?:PAGEN_\d+|page|p|paged|pg|start)=)(?P<n>\d+)(?P<post>)(?=&|$)"),
)


@dataclass
class Listed:
    """A fetched page and what it lists."""

    url: str
    html: str
    links: list[str] = field(default_factory=list)  # content links within the site, in order
    titles: dict[str, str | None] = field(default_factory=dict)  # link -> its anchor's text


def within(url: str, home: str) -> bool:
    """On the home page's site and below its path (the sample outlets share one host)."""
    a, b = urlsplit(url), urlsplit(home)
    scope = b.path if b.path.endswith("/") else b.path.rsplit("/", 1)[0] + "/"
    return same_site(a.netloc, b.netloc) and a.path.startswith(scope)


def menu_links(html: str | Selector, home: str) -> list[str]:
    """Links in the page's menus, header and footer: sections and pages, never articles."""
    selector = html if isinstance(html, Selector) else Selector(text=html)
    hrefs = selector.css("nav a::attr(href), header a::attr(href), footer a::attr(href)").getall()
    return list(dict.fromkeys(_absolute(home, h) for h in hrefs if h.strip()))


def listed(html: str, page_url: str, home: str) -> Listed:
    """The page and what it lists: the links of its content within the site (menus left out),
    in page order, each with the text of its first anchor (the headline)."""
    selector = Selector(text=html)
    menus = set(menu_links(selector, page_url))
    titles: dict[str, str | None] = {}
    for anchor in selector.css("a[href]"):
        link = _absolute(page_url, anchor.attrib["href"])
        if not link or link in menus or not within(link, home):
            continue
        if link.rstrip("/") == home.rstrip("/"):
            continue
        text = " ".join(" ".join(anchor.css("::text").getall()).split()) or None
        if titles.get(link) is None:
            titles[link] = text
    return Listed(page_url, html, list(titles), titles)


def _absolute(base: str, href: str) -> str:
    link = urljoin(base, href.strip())
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https"):
        return ""
    return urlunsplit(parts._replace(fragment=""))


def probe(fetcher: Fetcher, urls: Sequence[str], home: str, lines: list[str]) -> list[Listed]:
    """Fetch up to MAX_PROBES of ``urls`` (leaving one request for an example article).

    A menu's links that differ only in their last segment (``/section/1``, ``/section/2``) are
    one kind of page: when one cannot be fetched, its siblings are not tried.
    """
    pages: list[Listed] = []
    failed: set[str] = set()
    tried = 0
    for url in dict.fromkeys(urls):
        if tried >= MAX_PROBES or fetcher.left <= 1:
            break
        parent = url.rstrip("/").rsplit("/", 1)[0]
        if parent in failed:
            continue
        tried += 1
        try:
            fetched = fetcher.get(url)
        except OSError as exc:
            lines.append(f"menu page {url}: {getattr(exc, 'code', '') or exc}")
            failed.add(parent)
            continue
        if not _is_html(fetched):
            continue
        html = decode_html(fetched.body, fetched.content_type)
        pages.append(listed(html, fetched.url, home))
    return pages


def _is_html(fetched: Fetched) -> bool:
    kind = fetched.content_type.split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml", "")


def pattern_from_pages(pages: Sequence[Listed], negatives: Sequence[str]) -> Inferred:
    """An article_url from listing pages' links, for a site with no feed and no sitemap.

    Links are grouped by shape (segment count, trailing slash, query, and whether the last
    segment holds a number). The largest group is taken as the articles (at equal size, the
    one with numbers: articles carry ids or dates, sections do not); each other group joins
    when it merges into the same patterns (``/en/article/…`` beside ``/article/…``). Raises
    PatternError when fewer than MIN_LINKS + 1 links are left.
    """
    groups: dict[tuple[int, bool, bool, bool], list[str]] = {}
    for page in pages:
        for link in page.links:
            segments, trailing = segments_of(link)
            numbered = bool(segments and re.search(r"\d{3,}", segments[-1]))
            groups.setdefault((len(segments), trailing, "?" in link, numbered), []).append(link)
    ordered = sorted(
        ((key[3], list(dict.fromkeys(group))) for key, group in groups.items()),
        key=lambda g: (-len(g[1]), not g[0], g[1][0]),
    )
    if not ordered:
        raise PatternError("the pages link no articles")
    chosen = ordered[0][1]
    inferred = infer_article_url(chosen, negatives)
    lengths = {len(segments_of(chosen[0])[0])}
    for _numbered, group in ordered[1:]:
        length = len(segments_of(group[0])[0])
        if length in lengths:  # it would only widen the articles' columns: a different kind
            continue
        try:
            wider = infer_article_url(chosen + group, negatives)
        except PatternError:
            continue
        if len(wider.patterns) == len(inferred.patterns):
            chosen, inferred = chosen + group, wider
            lengths.add(length)
    if len(chosen) <= MIN_LINKS:
        raise PatternError(f"the pages link only {len(chosen)} URLs of one shape")
    inferred.confirmed[0] = inferred.confirmed[0].replace("item URLs", "links on listing pages")
    return inferred


def listings_of(
    pages: Sequence[Listed], patterns: Sequence[str], known: set[str], all_pages: bool
) -> tuple[list[ProposedListing], list[str]]:
    """Listings among ``pages`` and a confirmed note for each.

    ``all_pages`` (a site with no feed and no sitemap): every page listing articles is one.
    Otherwise only pages that reach articles the feeds and sitemaps do not: by listing them,
    or by paging back past the feed's window; the most new articles first, then paged ones.
    """
    compiled = [re.compile(p) for p in patterns]
    scored = []
    for page in pages:
        articles = [u for u in page.links if any(p.match(u) for p in compiled)]
        new = [u for u in articles if u not in known]
        listing = paging(page.html, page.url)
        if len(articles) < (1 if all_pages else MIN_LINKS):
            continue
        if all_pages or new or listing.page_url:  # it reaches articles the feeds do not
            scored.append((len(new), bool(listing.page_url), page, articles, listing))
    if not all_pages:
        scored.sort(key=lambda s: (-s[0], not s[1]))
    chosen, notes = [], []
    for new, _paged, page, articles, listing in scored if all_pages else scored[:MAX_LISTINGS]:
        chosen.append(listing)
        how = f"pages as {listing.page_url}" if listing.page_url else "shows no next-page link"
        extra = (
            ""
            if all_pages
            else f", {new} of them not in the feeds"
            if new
            else ", all in the feeds too"
        )
        count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
        notes.append(f"listings: {page.url} lists {count}{extra}; {how}")
    return chosen, notes


def paging(html: str, url: str) -> ProposedListing:
    """The listing at ``url`` and, from its next-page link, the ``page_url`` template."""
    selector = Selector(text=html)
    candidates = selector.css(
        'a[rel~="next"]::attr(href), link[rel~="next"]::attr(href), a.next::attr(href)'
    ).getall()
    base = url.split("?", 1)[0]
    for href in candidates:
        link = _absolute(url, href)
        if not link.startswith(base.rstrip("/")):
            continue
        for pattern in _PAGE_NUMBER:
            match = pattern.search(link)
            if match:
                number = int(match.group("n"))
                template = link[: match.start("n")] + "{n}" + link[match.end("n") :]
                return ProposedListing(url, template, max(number - 1, 0), MAX_PAGES)
    return ProposedListing(url, max_pages=1)


def check_example(
    fetcher: Fetcher, url: str, confirmed: list[str], assumed: list[str], min_words: int = 20
) -> None:
    """Read one article URL the pattern matches, as the crawl will, and say what it gave
    (fewer than ``min_words``, the crawl's default for a site, is not stored)."""
    if fetcher.left <= 0:
        return
    try:
        fetched = fetcher.get(url)
        page = read_page(fetched.body, fetched.url, content_type=fetched.content_type)
    except (OSError, ExtractionError) as exc:
        assumed.append(f"article_url: the example {url} could not be read ({exc}); check it")
        return
    words = len(page.text.split())
    if words < min_words:
        assumed.append(
            f"article_url: the example {url} gave only {words} words: perhaps not an article, "
            "or its text is loaded by script"
        )
    else:
        confirmed.append(f"article_url: the example {url} reads as an article ({words} words)")
