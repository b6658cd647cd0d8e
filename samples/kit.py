"""Small shared pieces for the self-contained sample outlet modules (samples/<outlet>.py).

Each such module renders its own pages, in its real outlet's markup; what they all need alike
(an RSS 2.0 channel, a page shell, visible dates per language) lives here so the modules stay
about the outlet and not about XML. Nothing here imports ``render`` (which imports the modules).
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape

from tmwatch.samples.model import SampleArticle

RSS_TYPE = "application/rss+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
Sections = tuple[tuple[str, str], ...]
"""A site menu: (label, path below the outlet's prefix) pairs."""

_MONTHS = {
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "en": "January February March April May June July August September October November December",
    "tk": "ýanwar fewral mart aprel maý iýun iýul awgust sentýabr oktýabr noýabr dekabr",
}


def url_of(article: SampleArticle, base: str) -> str:
    return f"{base}/{article.outlet}/{article.path}"


def visible_date(article: SampleArticle, with_time: bool = False) -> str:
    """The date as the page shows it in its language ("13 Ekim 2021 20:49" at T24)."""
    when = datetime.fromisoformat(article.published)
    month = _MONTHS[article.lang].split()[when.month - 1]
    day = f"{when.day}-nji {month}" if article.lang == "tk" else f"{when.day} {month}"
    if article.lang == "en":
        day = f"{month} {when.day},"
    text = f"{day} {when.year}"
    return f"{text} {when:%H:%M}" if with_time else text


def jsonld(article: SampleArticle, base: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published,
        "mainEntityOfPage": url_of(article, base),
        "inLanguage": article.lang,
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def published_head(article: SampleArticle, base: str, site_name: str, extra: str = "") -> str:
    """``page_head`` with the ``article:published_time`` meta most of these outlets carry."""
    published = f'<meta property="article:published_time" content="{article.published}">'
    return page_head(article, base, site_name, published + extra)


def page_head(article: SampleArticle, base: str, site_name: str, extra: str = "") -> str:
    """The ``<head>`` lines every article page of these outlets opens with: canonical URL,
    og:title and og:site_name, then the outlet's own ``extra`` metadata."""
    return (
        f'<link rel="canonical" href="{url_of(article, base)}">'
        f'<meta property="og:title" content="{escape(article.title)}">'
        f'<meta property="og:site_name" content="{site_name}">{extra}'
    )


def hreflang(article: SampleArticle, base: str) -> str:
    """``<link rel="alternate" hreflang>`` to the article's editions in other languages."""
    return "".join(
        f'<link rel="alternate" hreflang="{lang}" href="{base}/{path}">'
        for lang, path in sorted(article.alternates.items())
    )


def related_links(others: list[SampleArticle], base: str, item_class: str = "") -> str:
    """The "read also" list items: links to up to three other articles of the outlet."""
    attribute = f' class="{item_class}"' if item_class else ""
    return "".join(
        f'<li{attribute}><a href="{url_of(o, base)}">{escape(o.title)}</a></li>' for o in others[:3]
    )


def paragraphs(article: SampleArticle) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in article.paras)


def page(lang: str, title: str, head: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head><body>{body}</body></html>"
    )


def rss(title: str, link: str, items: list[SampleArticle], base: str) -> str:
    """An RSS 2.0 channel with RFC-822 dates, as every outlet here serves."""
    entries = "".join(
        f"<item><title>{escape(a.title)}</title><link>{url_of(a, base)}</link>"
        f"<guid>{url_of(a, base)}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(a.published))}</pubDate>"
        f"<description>{escape(a.paras[0])}</description></item>"
        for a in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{link}</link>{entries}</channel></rss>"
    )


def nav(base: str, outlet: str, sections: Sections, css_class: str = "menu") -> str:
    """The site menu: ``sections`` are (label, path below the outlet's prefix) pairs."""
    links = "".join(
        f'<li><a href="{base}/{outlet}/{path}">{escape(label)}</a></li>' for label, path in sections
    )
    return f'<nav class="{css_class}"><ul>{links}</ul></nav>'


def news_items(items: list[SampleArticle], base: str) -> str:
    """A listing's ``<li>`` items, newest first: the article link and its ``<time>``."""
    return "".join(
        f'<li class="news-item"><a href="{url_of(a, base)}">{escape(a.title)}</a> '
        f'<time datetime="{a.published}">{visible_date(a)}</time></li>'
        for a in sorted(items, key=lambda a: a.published, reverse=True)
    )


def home_page(
    base: str,
    outlet: str,
    name: str,
    latest: list[SampleArticle],
    sections: Sections,
    *,
    lang: str,
    feed: str | None = None,
    edition: str = "",
    logo: str = "",
) -> str:
    """An outlet's home page (``/<outlet>/<edition>``), as `tmwatch sources discover` reads it:
    og:site_name, the ``<link rel="alternate">`` to the feed the registry reads (``feed``, a path
    below the prefix), a ``<nav>`` menu of ``sections`` (listings among them) and the latest
    articles, newest first, each with its date. ``logo`` opens the header."""
    home = f"{base}/{outlet}/{edition}"
    head = (
        f'<meta property="og:site_name" content="{escape(name)}">'
        f'<meta property="og:type" content="website"><meta property="og:url" content="{home}">'
    )
    if feed:
        href = f"{base}/{outlet}/{feed}"
        head += f'<link rel="alternate" type="application/rss+xml" title="{escape(name)}" href="{href}">'
    body = (
        f"<header>{logo}{nav(base, outlet, sections)}</header>"
        f'<main><ul class="news">{news_items(latest, base)}</ul></main>'
        f"<footer><p>© 2021 {escape(name)}</p></footer>"
    )
    return page(lang, name, head, body)


def feed(outlet: str, name: str, path: str, items: list[SampleArticle], base: str) -> dict:
    """``{"/<outlet>/<path>": (RSS of ``items`` newest first, RSS type)}``: a module's feed."""
    newest = sorted(items, key=lambda a: a.published, reverse=True)
    return {f"/{outlet}/{path}": (rss(name, f"{base}/{outlet}/", newest, base), RSS_TYPE)}


def wordpress_post(
    article: SampleArticle,
    base: str,
    others: list[SampleArticle],
    site_name: str,
    sections: Sections,
    related: str,
    footer: str,
) -> str:
    """A WordPress single post as the common themes render it: the menu, the entry header
    (``h1.entry-title``, ``time.entry-date``), ``div.entry-content``, related posts under the
    ``related`` heading, the ``footer`` line; ``article:published_time`` in the head."""
    head = published_head(article, base, site_name)
    byline = (
        f'<span class="byline author">{escape(article.author)}</span>' if article.author else ""
    )
    body = (
        f'<header class="site-header">{nav(base, article.outlet, sections)}</header>'
        '<main id="main"><article class="post type-post status-publish">'
        f'<header class="entry-header"><h1 class="entry-title">{escape(article.title)}</h1>'
        f'<div class="entry-meta"><time class="entry-date published" datetime="{article.published}">'
        f"{visible_date(article)}</time> {byline}</div></header>"
        f'<div class="entry-content">{paragraphs(article)}</div></article>'
        f'<section class="related-posts"><h3>{escape(related)}</h3>'
        f"<ul>{related_links(others, base)}</ul></section></main>"
        f"<footer><p>{escape(footer)}</p></footer>"
    )
    return page(article.lang, f"{article.title} – {site_name}", head, body)
