"""Propose a registry entry for a site the user names (``tmwatch sources discover URL``).

Adding an outlet by hand means reading its HTML head, guessing feed paths, reading robots.txt and
writing an ``article_url`` regular expression: the slow, error-prone part of extending coverage.
This module does the reading and proposes the entry, saying what it checked (``confirmed``) and
what it guessed (``assumed``); the user decides. It makes a handful of polite requests with the
standard library (the crawl's User-Agent, robots.txt obeyed, a size cap, redirects only within
the site), never Scrapy: it is one short, sequential conversation, not a crawl.

Parsing reuses the crawl's own parsers (feeds, sitemaps, language), so a proposal that parses
here parses the same way in ``tmwatch crawl``.
"""

from __future__ import annotations

import http.client
import logging
import re
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

from tmwatch.config.registry import LANGUAGES
from tmwatch.config.settings import USER_AGENT
from tmwatch.pipeline.extract import decode_html
from tmwatch.pipeline.language import detect_language
from tmwatch.spiders.feeds import parse_feed
from tmwatch.spiders.sitemaps import parse_sitemap

logger = logging.getLogger(__name__)

MAX_REQUESTS = 10
"""One discovery is a short visit: robots.txt, the home page, a few feeds and sitemaps."""
MAX_BYTES = 5 * 1024 * 1024
"""Larger answers are not read: a home page or feed is far smaller; a huge sitemap is skipped."""
TIMEOUT = 15.0
FEED_PROBES = ("feed/", "rss/", "rss.xml", "atom.xml", "feed.xml", "index.xml", "api/")
"""Common feed paths (WordPress, Bitrix, static generators, Pangea), tried below the home page."""
RESERVED_SLUGS = ("page/", "tag/", "category/", "author/", "feed/", "wp-")
"""First path segments that are never articles on slug-URL sites (WordPress and the like)."""
FEW_ITEMS = 5
MAX_PATTERNS = 3
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_TELEGRAM = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z0-9_]{4,})/?$")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com")
_YOUTUBE_PATH = re.compile(r"^/(?:channel/(UC[A-Za-z0-9_-]{10,})|(@[A-Za-z0-9_.-]+))/?")
_SEPARATORS = re.compile(r"\s+[|–—:·-]\s+|\s+::\s+")


class DiscoveryError(Exception):
    """Discovery found no usable entry; ``found`` says what it did find, for the user."""

    def __init__(self, message: str, found: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.found = list(found)


class PatternError(ValueError):
    """No article_url pattern fits the item URLs (they share no shape, or it matches non-items)."""


# -- the proposal --------------------------------------------------------------------------------


@dataclass
class Proposal:
    """A proposed ``[sources.<key>]`` entry. ``kind`` other than "web" cannot be crawled yet."""

    key: str
    name: str
    outlet: str
    homepage: str
    kind: str = "web"  # "web", "telegram", "youtube"
    languages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_url: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    channel: str = ""  # a Telegram channel or YouTube channel id / handle

    @property
    def crawlable(self) -> bool:
        return self.kind == "web"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", [])}

    def to_toml(self) -> str:
        """The entry as TOML for the user's overlay file (commented out if not crawlable)."""
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
        if self.crawlable:
            return text
        note = cannot_crawl_note(self.kind)
        return f"# {note}\n" + "".join(f"# {line}\n" for line in text.splitlines())

    def _scalars(self) -> list[tuple[str, str]]:
        pairs = [("name", self.name), ("outlet", self.outlet), ("homepage", self.homepage)]
        if not self.crawlable:
            pairs += [("platform", self.kind), ("channel", self.channel)]
        return pairs


def cannot_crawl_note(kind: str) -> str:
    label = {"telegram": "Telegram channels", "youtube": "YouTube channels"}.get(kind, kind)
    return f"this tmwatch version cannot crawl {label} yet: the entry is a proposal only"


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


# -- offline recognition and names -------------------------------------------------------------


def source_key(url: str) -> str:
    """``https://www.tmhelsinki.org/ru/`` -> ``tmhelsinki-org-ru``: host without www. and port,
    then the home page's path, in the registry's key alphabet."""
    parts = urlsplit(url if "//" in url else f"https://{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    raw = "-".join([host, *[s for s in parts.path.split("/") if s]])
    key = re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")
    return key or "source"


def recognise_platform(url: str) -> Proposal | None:
    """A Telegram or YouTube channel URL as a proposal, without fetching anything."""
    match = _TELEGRAM.match(url.strip())
    if match:
        channel = match.group(1)
        return Proposal(
            key=f"telegram-{source_key(channel)}",
            name=channel,
            outlet=channel,
            homepage=f"https://t.me/s/{channel}",
            kind="telegram",
            channel=channel,
            assumed=["name and outlet: the channel's handle; give the outlet's own name"],
        )
    parts = urlsplit(url.strip() if "//" in url else f"https://{url.strip()}")
    if (parts.hostname or "").lower() not in _YOUTUBE_HOSTS:
        return None
    channel = parse_qs(parts.query).get("channel_id", [""])[0]
    path = _YOUTUBE_PATH.match(parts.path)
    if parts.path.rstrip("/") == "/feeds/videos.xml" and channel:
        pass
    elif path:
        channel = path.group(1) or path.group(2)
    else:
        return None
    homepage = (
        f"https://www.youtube.com/{channel}"
        if channel.startswith("@")
        else f"https://www.youtube.com/channel/{channel}"
    )
    return Proposal(
        key=f"youtube-{source_key(channel.lstrip('@'))}",
        name=channel,
        outlet=channel,
        homepage=homepage,
        kind="youtube",
        channel=channel,
        assumed=["name and outlet: the channel's id or handle; give the outlet's own name"],
    )


def site_name(html: str) -> tuple[str, bool]:
    """The outlet's name and whether it is sure: og:site_name, else the <title>'s first part."""
    selector = Selector(text=html)
    og = (selector.css('meta[property="og:site_name"]::attr(content)').get() or "").strip()
    if og:
        return og, True
    title = " ".join((selector.css("title::text").get() or "").split())
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    return (parts[0] if parts else ""), False  # a home page's title starts with the name


# -- article_url inference ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    """One path segment of a pattern: its regex, literal or not, and whether it holds the id."""

    regex: str
    literal: bool = False
    generic: bool = False  # any one segment: may become optional when shapes are merged
    optional: bool = False
    id_template: str | None = None  # the regex with the id group, when ids are used


_CLASSES: tuple[tuple[str, re.Pattern[str], str, str | None], ...] = (
    # name, recogniser, regex, regex with id group ("{id}" where the group goes)
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$"), r"\d{4}-\d{2}-\d{2}", None),
    ("num", re.compile(r"^(\d+)$"), r"\d+", r"(?P<id>\d+)"),
    ("num-ext", re.compile(r"^(\d+)\.(html?|php|aspx?)$"), r"\d+\.{ext}", r"(?P<id>\d+)\.{ext}"),
    ("slug-num", re.compile(r"^[^/]*[a-z][^/]*-(\d{4,})$"), r"[^/?#]+-\d+", r"[^/?#]+-(?P<id>\d+)"),
    ("num-slug", re.compile(r"^(\d{4,})-[^/]+$"), r"\d+-[^/?#]+", r"(?P<id>\d+)-[^/?#]+"),
    ("slug-ext", re.compile(r"^[^/]+\.(html?|php|aspx?)$"), r"[^/?#]+\.{ext}", None),
    ("slug", re.compile(r"^.+$"), r"[^/?#]+", None),
)


def _classify(value: str) -> tuple[str, str | None, str]:
    """(class name, the numeric id candidate in it or None, the extension if any)."""
    for name, pattern, _regex, _with_id in _CLASSES:
        match = pattern.match(value)
        if match:
            number = match.group(1) if name in ("num", "num-ext", "slug-num", "num-slug") else None
            ext = (
                match.group(2)
                if name == "num-ext"
                else match.group(1)
                if name == "slug-ext"
                else ""
            )
            return name, number, ext or ""
    return "slug", None, ""


def _segments(url: str) -> tuple[list[str], bool]:
    """Path segments (a query string is one more, marked with '?') and the trailing slash."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    trailing = parts.path.endswith("/") and bool(segments)
    if parts.query:
        segments.append("?" + parts.query)
    return segments, trailing


def _column(values: list[str], last: bool) -> tuple[_Token, list[str | None]]:
    """Generalise one position across the URLs of a shape; also each URL's id candidate there.

    A number is an id when it differs between every URL of the shape (one URL: 5+ digits),
    unless it reads as a date part: a year 1990-2099, a month or day of one or two digits.
    """
    query = values[0].startswith("?")
    plain = [v[1:] if query else v for v in values]
    prefix = r"\?" if query else ""
    classes = [_classify(v) for v in plain]
    names = {c[0] for c in classes}
    numbers = [c[1] for c in classes]
    exts = {c[2] for c in classes}
    alone = len(values) == 1
    if len(set(plain)) == 1 and names <= {"slug", "slug-ext"} and not (alone and last):
        return _Token(prefix + re.escape(plain[0]), literal=True), [None] * len(values)
    if len(names) == 1 and len(exts) <= 1:
        name = names.pop()
        entry = next(c for c in _CLASSES if c[0] == name)
        ext = re.escape(exts.pop() if exts else "")
        regex = entry[2].replace("{ext}", ext)
        date_like = name == "num" and all(_date_part(v) for v in plain)
        if date_like and len({len(v) for v in plain}) == 1:
            regex = rf"\d{{{len(plain[0])}}}"  # years, months, days: fixed width
        digits = {len(n or "") for n in numbers}
        distinct = len(set(numbers)) == len(numbers)
        long_enough = not alone or max(digits) >= 5
        id_like = entry[3] is not None and distinct and long_enough and not date_like
        with_id = entry[3].replace("{ext}", ext) if entry[3] and id_like else None
        return (
            _Token(prefix + regex, generic=name == "slug", id_template=prefix + with_id)
            if with_id
            else _Token(prefix + regex, generic=name == "slug" and not query),
            numbers if with_id else [None] * len(values),
        )
    if len(exts - {""}) == 1 and names <= {"num-ext", "slug-ext"}:
        return _Token(prefix + r"[^/?#]+\." + re.escape(exts.pop())), [None] * len(values)
    return _Token(prefix + r"[^/?#]+", generic=not query), [None] * len(values)


def _date_part(value: str) -> bool:
    return len(value) <= 2 or (len(value) == 4 and 1990 <= int(value) <= 2099)


@dataclass
class _Shape:
    tokens: list[_Token]
    trailing: bool
    ids: dict[str, str]  # url -> its id candidate (only when the shape has an id token)
    urls: list[str]


def _shape(urls: list[str]) -> _Shape:
    split = [_segments(u)[0] for u in urls]
    tokens: list[_Token] = []
    ids: dict[str, str] = {}
    for position in range(len(split[0])):
        last = position == len(split[0]) - 1
        token, numbers = _column([s[position] for s in split], last)
        if token.id_template:
            # The last id-like segment holds the id (Pangea: /a/<slug>/<id>.html).
            tokens = [_without_id(t) for t in tokens]
            ids = {u: n for u, n in zip(urls, numbers, strict=True) if n is not None}
        tokens.append(token)
    return _Shape(tokens, _segments(urls[0])[1], ids, urls)


def _without_id(token: _Token) -> _Token:
    return _Token(token.regex, token.literal, token.generic, token.optional, None)


def _merge(short: _Shape, long: _Shape) -> _Shape | None:
    """One shape if ``long`` is ``short`` with one extra generic segment (an optional slug,
    as in Pangea's /a/<id>.html and /a/<slug>/<id>.html), literals differing becoming
    alternatives (rus-azathabar | azattyqasia); else None."""
    if len(long.tokens) != len(short.tokens) + 1 or long.trailing != short.trailing:
        return None
    for skip in range(len(long.tokens) - 1):  # the last segment is never optional
        if not long.tokens[skip].generic:
            continue
        rest = long.tokens[:skip] + long.tokens[skip + 1 :]
        merged = [_merge_tokens(a, b) for a, b in zip(short.tokens, rest, strict=True)]
        if all(t is not None for t in merged):
            optional = _optional(long.tokens[skip])
            tokens = [t for t in merged if t is not None]
            tokens.insert(skip, optional)
            return _Shape(tokens, long.trailing, {**short.ids, **long.ids}, short.urls + long.urls)
    return None


def _optional(token: _Token) -> _Token:
    return _Token(token.regex, token.literal, token.generic, True, token.id_template)


def _merge_tokens(a: _Token, b: _Token) -> _Token | None:
    if a.regex == b.regex and bool(a.id_template) == bool(b.id_template):
        return a
    if a.literal and b.literal:
        options = sorted(set(_alternatives(a.regex) + _alternatives(b.regex)))
        return _Token("(?:" + "|".join(options) + ")", literal=True)
    return None


def _alternatives(regex: str) -> list[str]:
    return regex[3:-1].split("|") if regex.startswith("(?:") else [regex]


def _host_regex(urls: Iterable[str]) -> str:
    """The items' hosts, escaped; www./m. variants of one host become an optional prefix."""
    hosts = sorted({urlsplit(u).netloc.lower() for u in urls})
    bases: dict[str, set[str]] = {}
    for host in hosts:
        prefix, _, rest = host.partition(".")
        if prefix in ("www", "m", "mobile", "amp") and "." in rest:
            bases.setdefault(rest, set()).add(prefix)
        else:
            bases.setdefault(host, set()).add("")
    parts = []
    for base, prefixes in sorted(bases.items()):
        named = sorted(p for p in prefixes if p)
        if not named:
            parts.append(re.escape(base))
        else:
            alt = named[0] if len(named) == 1 else "(?:" + "|".join(named) + ")"
            parts.append(f"(?:{alt}\\.)?{re.escape(base)}")
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _render(shape: _Shape, host: str, with_id: bool, exclude: Sequence[str]) -> str:
    first = _first_variable(shape)
    path = ""
    for index, token in enumerate(shape.tokens):
        regex = token.id_template if (with_id and token.id_template) else token.regex
        query = token.regex.startswith(r"\?")
        if index == first and exclude:
            lookahead = "(?!" + "|".join(re.escape(e) for e in exclude) + ")"
            regex = regex[:2] + lookahead + regex[2:] if query else lookahead + regex
        if query and shape.trailing:
            path += "/"
        if token.optional:
            path += f"(?:/{regex})?"
        else:
            path += regex if query else "/" + regex
    if shape.trailing and not (shape.tokens and shape.tokens[-1].regex.startswith(r"\?")):
        path += "/"
    return f"^https?://{host}{path}$"


def _first_variable(shape: _Shape) -> int:
    return next((i for i, t in enumerate(shape.tokens) if not t.literal), -1)


@dataclass
class Inferred:
    patterns: list[str]
    with_id: bool
    confirmed: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)


def infer_article_url(items: Sequence[str], negatives: Sequence[str] = ()) -> Inferred:
    """An ``article_url`` list matching every item URL and none of ``negatives`` (the home
    page, feeds, sitemaps, menu links). Raises PatternError when the items share no shape.

    Per path position: equal words stay literal; dates, numbers and slugs become classes
    (``\\d{4}``, ``\\d+``, ``[^/?#]+``); a numeric segment that differs between every item
    becomes the ``id`` group; URLs one optional slug apart, or differing only in a literal,
    share one pattern.
    """
    urls = list(dict.fromkeys(u for u in items if urlsplit(u).scheme in ("http", "https")))
    if not urls:
        raise PatternError("no item URLs to infer article_url from")
    groups: dict[tuple[int, bool, bool], list[str]] = {}
    for url in urls:
        segments, trailing = _segments(url)
        groups.setdefault((len(segments), trailing, "?" in url), []).append(url)
    shapes = [_shape(group) for _, group in sorted(groups.items())]
    shapes = _merge_all(shapes)
    singletons = sum(len(s.urls) == 1 for s in shapes)
    if len(shapes) > MAX_PATTERNS or (len(urls) >= 3 and singletons * 2 > len(urls)):
        raise PatternError(
            f"the {len(urls)} item URLs share no common shape ({len(shapes)} different shapes)"
        )
    all_ids = [s.ids.get(u) for s in shapes for u in s.urls]
    with_id = all(all_ids) and len(set(all_ids)) == len(all_ids)
    host = _host_regex(urls)
    inferred = Inferred([], with_id)
    for shape in shapes:
        inferred.patterns.append(_excluding(shape, host, with_id, negatives, inferred))
    for url in urls:
        if not any(re.match(p, url) for p in inferred.patterns):  # a bug here, not the site's
            raise PatternError(f"the inferred article_url does not match item {url}")
    inferred.confirmed.insert(
        0,
        f"article_url: inferred from {len(urls)} item URLs; matches every one and none of "
        f"{len(set(negatives))} home, feed, sitemap and menu URLs",
    )
    if with_id:
        inferred.confirmed.append("article_url: every item URL has its own number, the id")
    return inferred


def _merge_all(shapes: list[_Shape]) -> list[_Shape]:
    merged = True
    while merged:
        merged = False
        for a in shapes:
            for b in shapes:
                one = _merge(a, b) if a is not b else None
                if one is not None:
                    shapes = [s for s in shapes if s is not a and s is not b] + [one]
                    merged = True
                    break
            if merged:
                break
    return shapes


def _excluding(
    shape: _Shape, host: str, with_id: bool, negatives: Sequence[str], inferred: Inferred
) -> str:
    """The shape's pattern, with a negative lookahead for what it must not match."""
    first = _first_variable(shape)
    exclude: list[str] = []
    if first >= 0 and shape.tokens[first].regex == r"[^/?#]+" and first == len(shape.tokens) - 1:
        exclude = list(RESERVED_SLUGS)
        inferred.assumed.append(
            "article_url: excludes the usual non-article paths " + ", ".join(RESERVED_SLUGS)
        )
    pattern = _render(shape, host, with_id, exclude)
    for negative in negatives:
        if not re.match(pattern, negative):
            continue
        segments = _segments(negative)[0]
        if first < 0 or first >= len(segments):
            raise PatternError(f"the inferred article_url also matches {negative}")
        word = segments[first] + "/"
        exclude.append(word)
        pattern = _render(shape, host, with_id, exclude)
        if re.match(pattern, negative):
            raise PatternError(f"the inferred article_url also matches {negative}")
        inferred.confirmed.append(f"article_url: excludes {word} (it matched {negative})")
    return pattern


# -- fetching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def same_site(a: str, b: str) -> bool:
    """Hosts of one site: equal apart from a www./m. prefix (port included)."""

    def bare(host: str) -> str:
        host = host.lower()
        for prefix in ("www.", "m."):
            host = host.removeprefix(prefix)
        return host

    return bare(a) == bare(b)


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, home_host: str) -> None:
        self.home_host = home_host

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str):  # type: ignore[no-untyped-def]
        host = urlsplit(newurl).netloc
        if not same_site(host, self.home_host):
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirect to another site ({host}) not followed", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """Sequential, polite GETs: User-Agent, robots.txt, a request budget, a size cap."""

    def __init__(
        self,
        home_host: str,
        user_agent: str = USER_AGENT,
        proxy: str | None = None,
        max_requests: int = MAX_REQUESTS,
        timeout: float = TIMEOUT,
    ) -> None:
        self.user_agent = user_agent
        self.max_requests = max_requests
        self.timeout = timeout
        self.requests = 0
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.robots_sitemaps: dict[str, list[str]] = {}
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(proxies), _SameSiteRedirects(home_host)
        )

    @property
    def left(self) -> int:
        return self.max_requests - self.requests

    def _open(self, url: str) -> Fetched:
        if urlsplit(url).scheme not in ("http", "https"):
            raise OSError(f"{url}: not an http(s) URL")
        self.requests += 1
        # S310: the scheme is checked just above (no file: or custom schemes).
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                final, status = response.geturl(), response.status
                content_type = response.headers.get("Content-Type", "")
        except (http.client.HTTPException, ValueError) as exc:  # bad answers, bad URLs
            raise OSError(f"{type(exc).__name__}: {exc}") from exc
        if len(body) > MAX_BYTES:
            raise OSError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB, not read")
        return Fetched(final, status, content_type, body)

    def robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt (read once; a missing or unreadable one allows everything)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            lines: list[str] = []
            try:
                fetched = self._open(origin + "/robots.txt")
                lines = fetched.body.decode("utf-8", "replace").splitlines()
            except (OSError, ValueError) as exc:
                logger.debug("no robots.txt at %s: %s", origin, exc)
            parser.parse(lines)
            self.robots[origin] = parser
            self.robots_sitemaps[origin] = list(parser.site_maps() or [])
        return self.robots[origin]

    def get(self, url: str) -> Fetched:
        """Fetch ``url``; OSError (URLError, HTTPError, timeouts) on failure or refusal."""
        robots = self.robots_for(url)
        if not robots.can_fetch(self.user_agent, url):
            raise PermissionError(f"{url}: disallowed by robots.txt")
        if self.left <= 0:
            raise OSError(f"{url}: not fetched (at most {self.max_requests} requests)")
        return self._open(url)


# -- discovery -----------------------------------------------------------------------------------


@dataclass
class _Found:
    """What discovery has learnt so far; ``lines`` is what it tells the user on failure."""

    feeds: dict[str, int] = field(default_factory=dict)  # url -> entries
    sitemaps: dict[str, int] = field(default_factory=dict)
    items: dict[str, str | None] = field(default_factory=dict)  # url -> title
    confirmed: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def discover(url: str, proxy: str | None = None, user_agent: str = USER_AGENT) -> Proposal:
    """Visit ``url`` (an outlet's home page) and propose its registry entry.

    Raises DiscoveryError with a one-line message (and what was found) when the page cannot be
    read, is not HTML, or leads to neither a feed nor a sitemap with article URLs.
    """
    social = recognise_platform(url)
    if social is not None:
        return social
    url = url.strip() if "//" in url else f"https://{url.strip()}"
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise DiscoveryError(f"not an http(s) URL: {url}")
    fetcher = Fetcher(urlsplit(url).netloc, user_agent=user_agent, proxy=proxy)
    home = _home_page(fetcher, url)
    html = decode_html(home.body, home.content_type)
    found = _Found()
    name, sure = site_name(html)
    found.lines.append(f"name: {name or '(none)'}")
    _find_feeds(fetcher, home.url, html, found)
    _find_sitemaps(fetcher, home.url, html, found)
    if not found.feeds and not found.sitemaps:
        raise DiscoveryError(f"{home.url}: no feed and no sitemap found", found.lines)
    if not found.items:
        raise DiscoveryError(
            f"{home.url}: the feeds and sitemaps list no article URLs", found.lines
        )
    negatives = [home.url, url, *found.feeds, *found.sitemaps, *_menu_links(html, home.url)]
    try:
        inferred = infer_article_url(list(found.items), negatives)
    except PatternError as exc:
        raise DiscoveryError(f"{home.url}: {exc}", found.lines) from None
    return _proposal(home.url, name, sure, found, inferred)


def _home_page(fetcher: Fetcher, url: str) -> Fetched:
    try:
        home = fetcher.get(url)
    except urllib.error.HTTPError as exc:
        raise DiscoveryError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DiscoveryError(f"{url}: cannot connect ({exc.reason})") from None
    except OSError as exc:
        raise DiscoveryError(f"{url}: {exc}") from None
    kind = home.content_type.split(";")[0].strip().lower()
    head = home.body[:512].lstrip().lower()
    if kind not in ("text/html", "application/xhtml+xml") and not head.startswith(
        (b"<!doctype html", b"<html")
    ):
        raise DiscoveryError(f"{home.url}: not an HTML page ({kind or 'no content type'})")
    return home


def _feed_candidates(html: str, home: str) -> list[str]:
    selector = Selector(text=html)
    found = []
    for link in selector.css("link[rel~=alternate]"):
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        href = (link.attrib.get("href") or "").strip()
        if kind in _FEED_TYPES and href:
            found.append(urljoin(home, href))
    return list(dict.fromkeys(found))


def _find_feeds(fetcher: Fetcher, home: str, html: str, found: _Found) -> None:
    """Feeds announced by <link rel="alternate">, else the first common path that parses."""
    announced = _feed_candidates(html, home)
    host = urlsplit(home).netloc
    for feed in announced[:3]:
        if not same_site(urlsplit(feed).netloc, host):
            found.assumed.append(f"feeds: {feed} is announced but on another site; not checked")
            continue
        entries = _read_feed(fetcher, feed, found)
        if entries:
            found.confirmed.append(
                f"feeds: {feed} autodiscovered from the home page, parsed with {entries} entries"
            )
    if found.feeds:
        return
    for path in FEED_PROBES:
        if fetcher.left <= 2:
            break
        feed = urljoin(home if home.endswith("/") else home + "/", path)
        entries = _read_feed(fetcher, feed, found, probing=True)
        if entries:
            found.confirmed.append(
                f"feeds: {feed} (a common feed path) parsed with {entries} entries"
            )
            found.assumed.append("feeds: found by trying common paths, not announced by the site")
            return


def _read_feed(fetcher: Fetcher, feed: str, found: _Found, probing: bool = False) -> int:
    try:
        fetched = fetcher.get(feed)
    except OSError as exc:
        if not probing:
            found.lines.append(f"feed {feed}: {exc}")
        return 0
    result = parse_feed(fetched.body, fetched.url, fetched.content_type)
    if result.problem:
        if not probing:
            found.lines.append(f"feed {feed}: {result.problem}")
        return 0
    found.feeds[feed] = len(result.entries)
    found.lines.append(f"feed {feed}: {len(result.entries)} entries")
    if result.warning:
        found.assumed.append(f"feeds: {feed}: {result.warning}; its entries were read")
    for entry in result.entries:
        found.items.setdefault(entry.link, entry.title)
    return len(result.entries)


def _find_sitemaps(fetcher: Fetcher, home: str, html: str, found: _Found) -> None:
    """Sitemaps named by robots.txt (within the home page's site and path) or <link rel=sitemap>.

    A sitemap index's newest child is read when the budget allows, for its article URLs; only a
    news sitemap's URLs (with a title or a publication date) count as items.
    """
    parts = urlsplit(home)
    origin = f"{parts.scheme}://{parts.netloc}"
    fetcher.robots_for(home)
    from_robots = [s for s in fetcher.robots_sitemaps.get(origin, []) if _within(s, home)]
    selector = Selector(text=html)
    linked = [urljoin(home, h) for h in selector.css("link[rel=sitemap]::attr(href)").getall()]
    candidates = [(u, "robots.txt") for u in from_robots]
    candidates += [(u, '<link rel="sitemap"> on the home page') for u in linked]
    seen = set()
    for sitemap, origin_note in candidates[:3]:
        if sitemap in seen or fetcher.left <= 0:
            continue
        seen.add(sitemap)
        try:
            fetched = fetcher.get(sitemap)
        except OSError as exc:
            found.lines.append(f"sitemap {sitemap}: {exc}")
            continue
        result = parse_sitemap(fetched.body)
        if result.problem:
            found.lines.append(f"sitemap {sitemap}: {result.problem}")
            continue
        found.sitemaps[sitemap] = len(result.entries)
        found.lines.append(f"sitemap {sitemap}: {len(result.entries)} {result.kind} entries")
        found.confirmed.append(
            f"sitemaps: {sitemap} named by {origin_note}, a {result.kind} of "
            f"{len(result.entries)} entries"
        )
        if result.kind == "sitemapindex":
            result = _newest_child(fetcher, result, found)
        if result is not None and any(e.title or e.published for e in result.entries):
            for entry in result.entries:
                found.items.setdefault(entry.loc, entry.title)


def _within(url: str, home: str) -> bool:
    """On the home page's site and below its path (sample outlets share one host)."""
    a, b = urlsplit(url), urlsplit(home)
    scope = b.path if b.path.endswith("/") else b.path.rsplit("/", 1)[0] + "/"
    return same_site(a.netloc, b.netloc) and a.path.startswith(scope)


def _newest_child(fetcher: Fetcher, index: Any, found: _Found) -> Any:
    if fetcher.left <= 0 or not index.entries:
        return None
    child = max(index.entries, key=lambda e: e.published or "").loc
    try:
        result = parse_sitemap(fetcher.get(child).body)
    except OSError as exc:
        found.lines.append(f"sitemap {child}: {exc}")
        return None
    return None if result.problem or result.kind != "urlset" else result


def _menu_links(html: str, home: str) -> list[str]:
    """Links in the page's menus, header and footer: sections and pages, never articles."""
    selector = Selector(text=html)
    hrefs = selector.css("nav a::attr(href), header a::attr(href), footer a::attr(href)").getall()
    return [urljoin(home, h.strip()) for h in hrefs if h.strip()]


def _languages(found: _Found) -> tuple[list[str], list[str], bool]:
    """Languages of the item titles (several if mixed), unsupported ones, and whether sure."""
    counts: Counter[str] = Counter()
    for title in found.items.values():
        if title:
            guess = detect_language("", title=title).language
            if guess:
                counts[guess] += 1
    total = sum(counts.values())
    chosen = [lang for lang, n in counts.most_common() if n * 4 >= total and n >= 1]
    supported = [lang for lang in chosen if lang in LANGUAGES]
    unsupported = [lang for lang in chosen if lang not in LANGUAGES]
    return supported, unsupported, total >= FEW_ITEMS


def _proposal(home: str, name: str, sure: bool, found: _Found, inferred: Inferred) -> Proposal:
    host_name = urlsplit(home).hostname or home
    proposal = Proposal(
        key=source_key(home),
        name=name or host_name,
        outlet=name or host_name,
        homepage=home,
        feeds=list(found.feeds),
        sitemaps=list(found.sitemaps),
        article_url=inferred.patterns,
        examples=list(found.items)[:2],
        confirmed=list(found.confirmed),
        assumed=list(found.assumed),
    )
    if sure:
        proposal.confirmed.append("name and outlet: og:site_name of the home page")
    else:
        proposal.assumed.append(
            "name and outlet: from the page title (no og:site_name); use the name appeals cite"
        )
    languages, unsupported, many = _languages(found)
    if not languages:
        other = ", ".join(unsupported) or "undetermined"
        raise DiscoveryError(
            f"{home}: the items are in a language tmwatch does not process ({other})", found.lines
        )
    proposal.languages = languages
    note = f"languages: {'/'.join(languages)} detected in {len(found.items)} item titles"
    (proposal.confirmed if many else proposal.assumed).append(
        note + ("" if many else " (few items)")
    )
    if unsupported:
        proposal.assumed.append(f"languages: also {', '.join(unsupported)}, which tmwatch ignores")
    proposal.confirmed += inferred.confirmed
    proposal.assumed += inferred.assumed
    if len(found.items) < FEW_ITEMS:
        proposal.assumed.append("article_url: inferred from few items; check it on more articles")
    return proposal
