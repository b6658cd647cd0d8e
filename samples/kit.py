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


def page_head(article: SampleArticle, base: str, site_name: str, extra: str = "") -> str:
    """The ``<head>`` lines every article page of these outlets opens with: canonical URL,
    og:title and og:site_name, then the outlet's own ``extra`` metadata."""
    return (
        f'<link rel="canonical" href="{url_of(article, base)}">'
        f'<meta property="og:title" content="{escape(article.title)}">'
        f'<meta property="og:site_name" content="{site_name}">{extra}'
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
