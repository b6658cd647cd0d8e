"""The sources registry: which outlets tmwatch reads and how their articles are found.

Site knowledge lives here as data (``sources.toml``), not in spider code. The loader is typed and
strict because a registry error found at 03:00 by an unattended crawl is a day of lost coverage:
every problem is reported with the source and the field it was found in, all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tmwatch.config.errors import ConfigError, Origins, Problems, parse_toml, read_toml
from tmwatch.days import UnknownTimeZone, zone

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")

LANGUAGES = frozenset({"ru", "tk", "tr", "en"})
"""Languages tmwatch processes; other languages can be crawled but are not tagged."""

_SOURCE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")

KINDS = ("site", "telegram", "youtube")
"""What a source is: a web site, a public Telegram channel, or a YouTube channel."""

_CHANNEL = {
    # Telegram usernames: 5-32 of letters, digits, '_'; YouTube channel ids: "UC" + 22 chars.
    "telegram": re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$"),
    "youtube": re.compile(r"^UC[A-Za-z0-9_-]{22}$"),
}
_KIND_LABEL = {"telegram": "Telegram channel", "youtube": "YouTube channel"}


_POST_ID = {"telegram": r"(?P<id>\d+)", "youtube": r"(?P<id>[A-Za-z0-9_-]{11})"}
"""The id a post URL carries: Telegram's message number, YouTube's 11-character video id."""


class RegistryError(ConfigError):
    """The registry cannot be used; ``problems`` lists every ``source.field: message``."""


@dataclass(frozen=True)
class Listing:
    """A paginated listing page: links matching the article pattern are followed.

    ``page_url`` is a template with ``{n}`` for page n >= 2 (or >= ``first_page`` + 1); the first
    page is ``url`` itself (Bitrix serves page 1 bare, Pangea counts from 0 with ``?p=0``).
    """

    url: str
    page_url: str | None = None
    first_page: int = 1
    next_selector: str | None = None
    date_selector: str | None = None
    max_pages: int = 3


@dataclass(frozen=True)
class Source:
    """One outlet edition: how to find its articles and how to cite it."""

    key: str
    name: str
    outlet: str
    homepage: str
    languages: tuple[str, ...]
    article_url: tuple[re.Pattern[str], ...]
    feeds: tuple[str, ...] = ()
    feed_pages: tuple[str, ...] = ()  # pages listing the outlet's feeds (Pangea /rssfeeds)
    sitemaps: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    platform: str = ""
    require_terms: tuple[str, ...] = ()
    download_delay: float | None = None
    concurrency: int | None = None
    min_words: int = 20
    # The outlet's IANA time zone: the day an article is cited and filtered by is the day there.
    timezone: str | None = None
    enabled: bool = True
    confirmed: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)
    # Channels (kind "telegram"/"youtube"): ``channel`` is the Telegram username or YouTube
    # channel id; ``post_url`` is the post's citable address with ``{id}``; ``channel_title``
    # is how footnotes name the channel (the username when not given).
    kind: str = "site"
    channel: str = ""
    channel_title: str = ""
    post_url: str | None = None

    @property
    def cited_outlet(self) -> str:
        """The outlet as footnotes name it: a channel's post is cited with its channel, e.g.
        ``Radio Azatlyk, Telegram channel "azathabar"`` (the registry says it, not the code)."""
        label = _KIND_LABEL.get(self.kind)
        if not label:
            return self.outlet
        return f'{self.outlet}, {label} "{self.channel_title or self.channel}"'

    def permalink(self, native_id: str | None) -> str | None:
        """A channel post's citable URL from its id (t.me/<channel>/<id>, not the embed page)."""
        return self.post_url.replace("{id}", native_id) if self.post_url and native_id else None

    def fetch_url(self, url: str) -> str:
        """The page fetched as a post's evidence: Telegram's public embed page of the post,
        which carries the message server-side; every other article is fetched as found."""
        if self.kind == "telegram":
            return url + ("&" if "?" in url else "?") + "embed=1"
        return url

    def article_key(self, url: str) -> str | None:
        """A stable key for ``url`` if it is an article of this source, else None.

        With a named group ``id`` in the pattern the key is the outlet's own article id, so slug
        changes, AMP twins and host moves (rus.azathabar.com -> azattyqasia.org) are one article.
        """
        for pattern in self.article_url:
            match = pattern.match(url)
            if match:
                native = match.groupdict().get("id")
                return f"{self.key}:{native}" if native else None
        return None

    def is_article(self, url: str) -> bool:
        return any(p.match(url) for p in self.article_url)

    @property
    def single_language(self) -> str | None:
        return self.languages[0] if len(self.languages) == 1 else None


@dataclass(frozen=True)
class Registry:
    path: str
    sources: Mapping[str, Source]

    def choose(self, names: Iterable[str] = ()) -> list[Source]:
        """Enabled sources, or exactly the named ones; an unknown name is an error."""
        wanted = list(names)
        unknown = [n for n in wanted if n not in self.sources]
        if unknown:
            known = ", ".join(sorted(self.sources))
            raise RegistryError(
                self.path, [f"unknown source {n!r} (known: {known})" for n in unknown]
            )
        if wanted:
            return [self.sources[n] for n in wanted]
        return [s for s in self.sources.values() if s.enabled]

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset().union(*(s.hosts for s in self.sources.values()))


def load_registry(path: str | Path = DEFAULT_REGISTRY, base: str | None = None) -> Registry:
    """Read and validate a registry file.

    ``base`` fills ``{base}`` placeholders, which is how the bundled sample outlets get the
    address of the local server they are served from (escaped inside regular expressions).
    """
    path = Path(path)
    return build_registry(read_toml(path, RegistryError), str(path), base=base)


def parse_registry(text: str, path: str = "<registry>", base: str | None = None) -> Registry:
    """Validate registry text; ``path`` only names it in errors (tests, generated registries)."""
    return build_registry(parse_toml(text, path, RegistryError), path, base=base)


def build_registry(
    data: Mapping[str, Any],
    path: str,
    base: str | None = None,
    origins: Origins | None = None,
    *,
    problems: Problems | None = None,
) -> Registry:
    """Validate parsed registry data, which may be the packaged file merged with a user's.

    ``origins`` says which file each source and field came from, so that every problem names
    the file to fix; ``path`` becomes ``Registry.path``. ``problems`` may already hold problems
    found while merging (they are raised together with these).
    """
    problems = problems if problems is not None else Problems(path, origins)
    for unknown in sorted(set(data) - {"sources"}):
        problems.add(f"[{unknown}]: unknown table (sources are [sources.<key>])", (unknown,))
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, dict) or not raw_sources:
        problems.add("no [sources.<key>] tables", ("sources",))
        raw_sources = {}
    sources: dict[str, Source] = {}
    for key, raw in raw_sources.items():
        checker = _SourceChecker(key, raw, base, problems)
        source = checker.build()
        if source is not None:
            sources[key] = source
    problems.raise_if_any(RegistryError)
    return Registry(path=path, sources=sources)


def normalise_language(value: str) -> str:
    """``"RU"``, ``" ru "`` -> ``"ru"``: case and spaces are typing noise, not another code.

    Nothing else is guessed (``"tm"`` is not Turkmen, ``"tk"`` is): an unknown code is an error
    that names the allowed ones.
    """
    return value.strip().lower()


def language_choices() -> str:
    return ", ".join(sorted(LANGUAGES))


class _SourceChecker:
    """Builds one Source, appending ``key.field: problem`` lines instead of stopping early."""

    _known = frozenset(
        {
            "name",
            "outlet",
            "homepage",
            "languages",
            "article_url",
            "feeds",
            "feed_pages",
            "sitemaps",
            "listings",
            "platform",
            "require_terms",
            "download_delay",
            "concurrency",
            "min_words",
            "timezone",
            "enabled",
            "confirmed",
            "assumed",
            "notes",
            "examples",
            "kind",
            "channel",
            "channel_title",
            "preview",
            "post_url",
        }
    )

    def __init__(self, key: str, raw: Any, base: str | None, problems: Problems) -> None:
        self.key = key
        self.raw = raw
        self.base = base
        self.problems = problems

    def problem(self, field_name: str, message: str) -> None:
        # "feeds[0]" and "listings[1].url" belong to the field the file wrote: feeds, listings.
        top = re.split(r"[\[.]", field_name, maxsplit=1)[0]
        where = ("sources", self.key) if top.startswith("<") else ("sources", self.key, top)
        self.problems.add(f"source {self.key!r}, field {field_name!r}: {message}", where)

    def build(self) -> Source | None:
        if not _SOURCE_KEY.match(self.key):
            self.problem("<key>", "use lowercase letters, digits and '-'")
        if not isinstance(self.raw, dict):
            self.problem("<table>", "must be a table")
            return None
        for unknown in sorted(set(self.raw) - self._known):
            self.problem(unknown, "unknown field (typo?)")
        before = len(self.problems)
        name = self.text("name")
        outlet = self.text("outlet")
        homepage = self.url("homepage", self.raw.get("homepage", self.channel_homepage()))
        languages = [normalise_language(x) for x in self.strings("languages", required=True)]
        for lang in languages:
            if lang not in LANGUAGES:
                self.problem("languages", f"{lang!r} is not one of {language_choices()}")
        patterns = self.patterns(required=self.raw.get("kind", "site") == "site")
        feeds = tuple(self.url(f"feeds[{i}]", u) for i, u in enumerate(self.strings("feeds")))
        sitemaps = tuple(
            self.url(f"sitemaps[{i}]", u) for i, u in enumerate(self.strings("sitemaps"))
        )
        feed_pages = tuple(
            self.url(f"feed_pages[{i}]", u) for i, u in enumerate(self.strings("feed_pages"))
        )
        listings = self.listings()
        kind, channel, post_url = self.channel_fields()
        if kind == "telegram" and channel:
            preview = self.raw.get("preview", f"https://t.me/s/{channel}")
            if not listings:
                listings = (Listing(url=self.url("preview", preview), max_pages=3),)
        elif kind == "youtube" and channel and not feeds:
            feeds = (f"https://www.youtube.com/feeds/videos.xml?channel_id={channel}",)
        if not (feeds or feed_pages or sitemaps or listings):
            self.problem(
                "feeds", "a source needs at least one of feeds, feed_pages, sitemaps, listings"
            )
        for i, example in enumerate(self.strings("examples")):
            if patterns and not any(p.match(self.fill(example)) for p in patterns):
                self.problem(f"examples[{i}]", f"{example!r} does not match article_url")
        delay = self.number("download_delay")
        concurrency = self.number("concurrency")
        min_words = self.number("min_words")
        timezone = self.timezone()
        enabled = self.raw.get("enabled", True)
        if not isinstance(enabled, bool):
            self.problem("enabled", "must be true or false")
        if len(self.problems) > before:
            return None
        if not patterns and post_url:
            patterns = (
                re.compile(
                    "^" + re.escape(post_url).replace(r"\{id\}", _POST_ID[kind]) + r"(?:[?&#].*)?$"
                ),
            )
        urls = [homepage, *feeds, *feed_pages, *sitemaps, *(lst.url for lst in listings)]
        urls += [post_url or ""]
        hosts = frozenset(urlsplit(u).netloc for u in urls if u)
        return Source(
            key=self.key,
            name=name,
            outlet=outlet,
            homepage=homepage,
            languages=tuple(languages),
            article_url=patterns,
            feeds=feeds,
            feed_pages=feed_pages,
            sitemaps=sitemaps,
            listings=listings,
            platform=str(self.raw.get("platform", "")),
            require_terms=tuple(self.strings("require_terms")),
            download_delay=delay,
            concurrency=int(concurrency) if concurrency else None,
            # A channel post is a few sentences; a site's page under 20 words is a stub.
            min_words=int(min_words) if min_words is not None else (20 if kind == "site" else 5),
            timezone=timezone,
            enabled=enabled,
            confirmed=tuple(self.strings("confirmed")),
            assumed=tuple(self.strings("assumed")),
            hosts=hosts,
            kind=kind,
            channel=channel,
            channel_title=str(self.raw.get("channel_title", "")).strip(),
            post_url=post_url,
        )

    def fill(self, value: str, regex: bool = False) -> str:
        if self.base is None or "{base}" not in value:
            return value
        return value.replace("{base}", re.escape(self.base) if regex else self.base)

    def text(self, name: str) -> str:
        value = self.raw.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(name, "required text is missing")
            return ""
        return value.strip()

    def strings(self, name: str, required: bool = False) -> list[str]:
        value = self.raw.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(name, "must be a list of strings")
            return []
        if required and not value:
            self.problem(name, "must not be empty")
        return value

    def timezone(self) -> str | None:
        """An IANA time-zone name, checked against the zone database (``tzdata``)."""
        value = self.raw.get("timezone")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem("timezone", "must be an IANA time-zone name such as Asia/Ashgabat")
            return None
        try:
            zone(value.strip())
        except UnknownTimeZone as exc:
            self.problem("timezone", str(exc))
            return None
        return value.strip()

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.problem(name, "must be a non-negative number")
            return None
        return float(value)

    def url(self, name: str, value: Any) -> str:
        if not isinstance(value, str):
            self.problem(name, "required URL is missing")
            return ""
        if "{base}" in value and self.base is None:
            self.problem(
                name, "contains {base}: this is a sample registry, load it with a base URL"
            )
            return ""
        value = self.fill(value)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problem(name, f"not an http(s) URL: {value!r}")
        return value

    def channel_homepage(self) -> str | None:
        """A channel's public page, so that a channel entry need not repeat it."""
        channel = self.raw.get("channel")
        if not isinstance(channel, str):
            return None
        kind = self.raw.get("kind")
        if kind == "telegram":
            return f"https://t.me/s/{channel.strip()}"
        if kind == "youtube":
            return f"https://www.youtube.com/channel/{channel.strip()}"
        return None

    def channel_fields(self) -> tuple[str, str, str | None]:
        """``kind``, ``channel`` and the post URL template, with what a channel implies.

        A channel needs three lines (kind, channel, outlet...): its preview page or feed, its
        hosts, its article pattern and post URLs follow from the kind. The sample registry
        gives ``preview``/``feeds``/``post_url``/``article_url`` explicitly ({base}).
        """
        kind = self.raw.get("kind", "site")
        if kind not in KINDS:
            self.problem("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
            return "site", "", None
        channel = self.raw.get("channel", "")
        if kind == "site":
            for name in ("channel", "channel_title", "preview", "post_url"):
                if name in self.raw:
                    self.problem(name, f'only for kind "telegram" or "youtube", not {kind!r}')
            return kind, "", None
        if not isinstance(channel, str) or not _CHANNEL[kind].match(channel.strip()):
            expected = (
                "a public username such as 'azathabar'"
                if kind == "telegram"
                else "a channel id: 'UC' and 22 letters, digits, '-' or '_'"
            )
            self.problem("channel", f"required for kind {kind!r}: {expected}")
            return kind, "", None
        channel = channel.strip()
        if kind == "youtube" and "preview" in self.raw:
            self.problem("preview", 'only for kind "telegram" (a YouTube channel has feeds)')
        default = (
            f"https://t.me/{channel}/{{id}}"
            if kind == "telegram"
            else "https://www.youtube.com/watch?v={id}"
        )
        post_url = self.raw.get("post_url", default)
        if not isinstance(post_url, str) or "{id}" not in post_url:
            self.problem("post_url", "must be a URL template containing {id}")
            return kind, channel, None
        checked = self.url("post_url", post_url.replace("{id}", "1"))
        return kind, channel, self.fill(post_url) if checked else None

    def patterns(self, required: bool = True) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for i, pattern in enumerate(self.strings("article_url", required=required)):
            try:
                compiled.append(re.compile(self.fill(pattern, regex=True)))
            except re.error as exc:
                self.problem(f"article_url[{i}]", f"invalid regular expression: {exc}")
        return tuple(compiled)

    def listings(self) -> tuple[Listing, ...]:
        raw = self.raw.get("listings", [])
        if not isinstance(raw, list):
            self.problem("listings", "must be an array of tables ([[sources.x.listings]])")
            return ()
        result = []
        for i, item in enumerate(raw):
            where = f"listings[{i}]"
            if not isinstance(item, dict):
                self.problem(where, "must be a table")
                continue
            unknown = set(item) - {
                "url",
                "page_url",
                "first_page",
                "next_selector",
                "date_selector",
                "max_pages",
            }
            for name in sorted(unknown):
                self.problem(f"{where}.{name}", "unknown field (typo?)")
            url = self.url(f"{where}.url", item.get("url"))
            page_url = item.get("page_url")
            if page_url is not None:
                if not isinstance(page_url, str) or "{n}" not in page_url:
                    self.problem(f"{where}.page_url", "must be a URL template containing {n}")
                    page_url = None
                else:
                    page_url = self.url(f"{where}.page_url", page_url.replace("{n}", "0")) and (
                        self.fill(page_url)
                    )
            ints = {}
            for name, default in (("first_page", 1), ("max_pages", 3)):
                value = item.get(name, default)
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    self.problem(f"{where}.{name}", "must be a non-negative integer")
                    value = default
                ints[name] = value
            selectors = {}
            for name in ("next_selector", "date_selector"):
                value = item.get(name)
                if value is not None and not isinstance(value, str):
                    self.problem(f"{where}.{name}", "must be a CSS selector string")
                    value = None
                selectors[name] = value
            result.append(Listing(url=url, page_url=page_url, **ints, **selectors))
        return tuple(result)
