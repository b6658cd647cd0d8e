"""Citations in the format NGO appeals use (see the seed appeal's footnote 1):

    [<English title>. In <Language>] <Original title>. <Author>, <Outlet>, <DD.MM.YYYY> <URL>

No stop is added after a title that already ends in ? ! or . ; English-language articles have no
bracket; the author appears only when known (Cyrillic names are romanised, as appeals print them);
the date is the publication date, never the modified one. A missing English title is shown as
missing, never invented. CSL-JSON output imports into Zotero.
"""

from __future__ import annotations

import html
from typing import Any

from tmwatch.folding import CYRILLIC_TO_LATIN
from tmwatch.output.render import clean, md_escape
from tmwatch.store import Store

LANGUAGE_NAMES = {"ru": "Russian", "tk": "Turkmen", "tr": "Turkish", "en": "English"}
MISSING_TITLE = "English title needed"

# Romanisation as appeals print names (Айтаков -> Aitakov, Рахманов -> Rakhmanov): the folding
# table used for matching, with the letters that are printed differently from how they fold.
_ROMAN = {**CYRILLIC_TO_LATIN, "й": "i", "х": "kh", "ё": "yo"}


def romanise(name: str) -> str:
    """Cyrillic names as appeals print them: Сердар Айтаков -> Serdar Aitakov."""
    out = []
    for ch in name:
        low = ch.lower()
        if low in _ROMAN:
            latin = _ROMAN[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


def _cleaned(article: dict[str, Any]) -> dict[str, Any]:
    """The article with control characters and bidi overrides removed from its text fields."""
    return {
        k: clean(v) if isinstance(v, str) else [clean(x) for x in v] if k == "authors" and v else v
        for k, v in article.items()
    }


def _stop(title: str) -> str:
    """``title`` followed by a full stop unless it already ends a sentence."""
    title = title.strip()
    return title if title.endswith(("?", "!", ".", "…")) else f"{title}."


def _day(published: str | None) -> str | None:
    if not published or len(published) < 10:
        return None
    year, month, day = published[:10].split("-")
    return f"{day}.{month}.{year}"


def parts(article: dict[str, Any]) -> dict[str, str | None]:
    """The pieces of a footnote, for the text, Markdown and HTML renderings.

    Control characters and bidi overrides are removed: a footnote must read as it displays.
    """
    article = _cleaned(article)
    language = article.get("language") or ""
    bracket = None
    if language != "en":
        english = _stop(article["title_en"]) if article.get("title_en") else f"{MISSING_TITLE}."
        bracket = f"{english} In {LANGUAGE_NAMES.get(language, language or 'unknown language')}"
    authors = ", ".join(romanise(a) for a in article.get("authors") or [])
    return {
        "bracket": bracket,
        "title": _stop(article["title"]),
        "author": authors or None,
        "outlet": article["outlet"],
        "date": _day(article.get("published")),
        "url": article["url"],
    }


def as_text(article: dict[str, Any]) -> str:
    p = parts(article)
    head = f"[{p['bracket']}] " if p["bracket"] else ""
    tail = ", ".join(x for x in (p["author"], p["outlet"], p["date"]) if x)
    return f"{head}{p['title']} {tail} {p['url']}"


def as_markdown(article: dict[str, Any]) -> str:
    p = parts(article)
    head = f"\\[{md_escape(p['bracket'])}\\] " if p["bracket"] else ""
    tail = ", ".join(md_escape(x) for x in (p["author"], p["outlet"], p["date"]) if x)
    url = (p["url"] or "").replace(">", "%3E").replace(" ", "%20")
    return f"{head}{md_escape(p['title'])} {tail} <{url}>"


def as_html(article: dict[str, Any]) -> str:
    p = parts(article)
    e = html.escape
    head = f"[{e(p['bracket'])}] " if p["bracket"] else ""
    tail = ", ".join(e(x) for x in (p["author"], p["outlet"], p["date"]) if x)
    url = e(p["url"] or "", quote=True)
    return (
        f"{head}{e(p['title'] or '')} {tail} "
        f'<a href="{url}" rel="noreferrer noopener">{e(p["url"] or "")}</a>'
    )


def as_csl(article: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item (Zotero: File > Import from Clipboard or a .json file)."""
    article = _cleaned(article)
    item: dict[str, Any] = {
        "id": article["id"],
        "type": "article-newspaper",
        "title": article["title"],
        "container-title": article["outlet"],
        "URL": article["url"],
        "language": article.get("language") or "",
    }
    if article.get("authors"):
        item["author"] = [{"literal": romanise(a)} for a in article["authors"]]
    day = (article.get("published") or "")[:10]
    if len(day) == 10:
        item["issued"] = {"date-parts": [[int(day[:4]), int(day[5:7]), int(day[8:10])]]}
    if article.get("title_en"):
        item["note"] = f"English title: {article['title_en']}"
    if article.get("fetched_at"):
        item["accessed"] = {"date-parts": [[int(x) for x in article["fetched_at"][:10].split("-")]]}
    return item


def english_version_hint(store: Store, article: dict[str, Any]) -> str | None:
    """Where a non-English article lacks an English title but has an English version (hreflang),
    say so, with that version's stored title: it is what the footnote's bracket needs."""
    english = article["alternates"].get("en")
    if article.get("title_en") or article.get("language") == "en" or not english:
        return None
    twin = store.archive.article_by_url(english)
    stored = f" ({twin['title']!r}, id {twin['id']})" if twin else ""
    return f"{article['id']}: {MISSING_TITLE.lower()}; an English version exists: {english}{stored}"
