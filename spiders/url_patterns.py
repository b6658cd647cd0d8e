"""Inferring an ``article_url`` pattern from example article URLs.

Writing the regular expression by hand is the error-prone part of adding an outlet. The rules
here are pure functions over URL strings, so they can be tested without any site: per path
position, equal words stay literal; dates, numbers and slugs become classes; a number that
differs between every URL becomes the ``id`` group; shapes one optional slug apart merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

RESERVED_SLUGS = ("page/", "tag/", "category/", "author/", "feed/", "wp-")
"""First path segments that are never articles on slug-URL sites (WordPress and the like)."""
MAX_PATTERNS = 3


class PatternError(ValueError):
    """No article_url pattern fits the item URLs (they share no shape, or it matches non-items)."""


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
    # a slug, then the id after "-", "_" or "," (T24: /haber/<slug>,985120)
    (
        "slug-num",
        re.compile(r"^[^/]*[a-z][^/]*[-,_](\d{4,})$"),
        r"[^/?#]+[-,_]\d+",
        r"[^/?#]+[-,_](?P<id>\d+)",
    ),
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


def segments_of(url: str) -> tuple[list[str], bool]:
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
    split = [segments_of(u)[0] for u in urls]
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
    return _Shape(tokens, segments_of(urls[0])[1], ids, urls)


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
        if query and (shape.trailing or index == 0):
            path += "/" if shape.trailing else "/?"  # a query on the site's root: /?02541…
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
        segments, trailing = segments_of(url)
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
        segments = segments_of(negative)[0]
        if first < 0 or first >= len(segments):
            raise PatternError(f"the inferred article_url also matches {negative}")
        word = segments[first] + "/"
        exclude.append(word)
        pattern = _render(shape, host, with_id, exclude)
        if re.match(pattern, negative):
            raise PatternError(f"the inferred article_url also matches {negative}")
        inferred.confirmed.append(f"article_url: excludes {word} (it matched {negative})")
    return pattern
