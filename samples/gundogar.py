"""The Gundogar sample: a rarely updated, table-laid-out site whose new layout extraction refuses.

Gundogar (gundogar.org, Russian) has no feed: a listing of opaque query-string URLs
(``/?02540520577000000000000011000000``) in a table layout with inline styles, the title
prefixed "Гундогар :: " (docs/outlets.md). The sample serves that listing and four pages after
an imagined redesign: each page now carries its headline and date but loads the article text
by script, so the HTML holds a handful of words and extraction refuses every page (under
``min_words``). With the demo's simulated history (samples/history.py) this source shows the
``layout-changed`` and ``silent`` health flags. The pages are not articles, so they are not in
``ALL_ARTICLES``: nothing of them is ever stored.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

PREFIX = "/gundogar/"

# (opaque id, "dd.mm.yyyy, HH:MM", headline): short synthetic headlines.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("02541108142000000000000011000000", "08.11.2021, 14:20", "Письма из Стамбула"),
    ("02541105093000000000000011000000", "05.11.2021, 09:30", "Мигранты и продление виз"),
    ("02541102181500000000000011000000", "02.11.2021, 18:15", "Обзор прессы за неделю"),
    ("02541029120000000000000011000000", "29.10.2021, 12:00", "Вопросы читателей"),
)

_STYLE_DATE = "font-size: 12px; color: #4D4D4D;"
_STYLE_TITLE = "font-weight: bold; padding-bottom: 9px"
_STYLE_MENU = "color: #FFFFFF; font-size: 11px;"
# The top menu: a row of links in a table cell, no <nav> (the layout predates it).
_MENU = (("news", "Новости"), ("analytics", "Аналитика"), ("archive", "Архив"), ("about", "О нас"))


def page_path(page_id: str) -> str:
    return f"{PREFIX}?{page_id}"


def listing_html(base: str) -> str:
    """The home page: og:site_name (the one modern touch), the top menu as a row of links, the
    news column as nested tables, as the real site lays it out. No feed is announced."""
    rows = "".join(
        f'<tr><td style="{_STYLE_DATE}">{escape(when)}</td></tr>'
        f'<tr><td style="{_STYLE_TITLE}"><a href="{base}{page_path(pid)}">{escape(title)}</a>'
        "</td></tr>"
        for pid, when, title in PAGES
    )
    menu = " | ".join(
        f'<a href="{base}{PREFIX}?section={section}" style="{_STYLE_MENU}">{label}</a>'
        for section, label in _MENU
    )
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        "<title>Гундогар :: Главная</title>"
        '<meta property="og:site_name" content="Гундогар"></head><body>'
        f'<table width="100%" cellpadding="0"><tr><td colspan="2" id="TOP_MENU">{menu}</td></tr><tr>'
        f'<td id="CONTENT_COLUMN"><table cellpadding="0">{rows}</table></td>'
        '<td id="ANONCES_COLUMN"><table cellpadding="0"><tr>'
        f'<td><a href="{base}{PREFIX}?section=analytics">Аналитика</a></td></tr></table></td>'
        "</tr></table></body></html>"
    )


def page_html(page_id: str, when: str, title: str) -> str:
    """A page after the redesign: headline, date, and a script placeholder for the text."""
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>Гундогар :: {escape(title)}</title></head><body>"
        '<table width="100%" cellpadding="0"><tr><td id="CONTENT_COLUMN">'
        f'<table cellpadding="0"><tr><td style="font-size: 11px; color: #A6A8AB">{escape(when)}'
        f'</td></tr><tr><td style="{_STYLE_TITLE}"><h1>{escape(title)}</h1></td></tr>'
        f'<tr><td style="padding-bottom: 18px;"><div id="text" data-id="{page_id}"></div>'
        "<noscript>Включите JavaScript.</noscript></td></tr></table>"
        "</td></tr></table></body></html>"
    )


def home(base: str) -> str:
    return listing_html(base)


def site(base: str) -> dict[str, str]:
    """Every page of the sample, path (with query string) -> HTML."""
    pages = {page_path(pid): page_html(pid, when, title) for pid, when, title in PAGES}
    return {PREFIX: home(base), **pages}
