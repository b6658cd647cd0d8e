"""Citations in the format NGO appeals use (see the seed appeal's footnote 1):

    [<English title>. In <Language>] <Original title>. <Author>, <Outlet>, <DD.MM.YYYY> <URL>

No stop is added after a title that already ends in ? ! or . ; English-language articles have no
bracket; the author appears only when known (Cyrillic names are romanised, as appeals print them);
the date is the publication date, never the modified one. A missing English title is shown as
missing, never invented (and ``missing_title_warning`` says how to add it). A footnote is one
line: line breaks inside stored fields are printed as spaces.

CSL-JSON (1.0.2, as Zotero and citeproc read it) imports into Zotero:

* ``title`` is the English title when one is known, with the original in ``original-title`` and
  the original's language (BCP 47: ru, tk, tr, en) in ``language``; CSL-JSON has no field for a
  translated title, so this is how citation styles print "English title [original]". Without an
  English title, ``title`` is the original. Nothing goes in ``note``.
* A personal author is ``{"family", "given"}`` so that APA and Chicago can invert and sort it
  ("Serdar Aitakov" -> given Serdar, family Aitakov; "Aitakov, Serdar" and Russian order with a
  patronymic, "Айтаков Сердар Мухаммедович", are recognised). Cyrillic names are romanised as
  in the footnote (Айтаков -> Aitakov), so a bibliography Zotero makes prints and sorts the name
  as tmwatch's footnotes and the appeals do. An organisation ("Redaksiýa", "RFE/RL", a one-word
  byline, a news agency, the outlet itself) stays ``{"literal"}``: it must not be inverted.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tmwatch.days import article_day
from tmwatch.folding import CYRILLIC_TO_LATIN
from tmwatch.output.render import clean, md_escape
from tmwatch.store import Store

LANGUAGE_NAMES = {
    "ru": "Russian",
    "tk": "Turkmen",
    "tr": "Turkish",
    "en": "English",
    "az": "Azerbaijani",
    "kk": "Kazakh",
    "ky": "Kyrgyz",
    "uz": "Uzbek",
    "und": "an unidentified language",
}
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


# Line breaks that survive ``clean`` (it keeps newlines for article text): a footnote is one line.
_LINE_BREAK = re.compile(r"\s*[\n\u2028\u2029]+\s*")


def _one_line(text: str) -> str:
    """``text`` cleaned and on one line: what a citation may print of a stored field."""
    return _LINE_BREAK.sub(" ", clean(text)).strip()


def _cleaned(article: dict[str, Any]) -> dict[str, Any]:
    """The article with control characters, bidi overrides and line breaks removed from the
    fields a citation prints; an English title that cleans to nothing counts as missing."""
    out = {
        k: _one_line(v)
        if isinstance(v, str)
        else [_one_line(x) for x in v]
        if k == "authors" and v
        else v
        for k, v in article.items()
        if k != "text"  # never printed; cleaning a long text would only cost time
    }
    out["title_en"] = out.get("title_en") or None
    return out


def needs_english_title(article: dict[str, Any]) -> bool:
    """Whether the footnote prints the "English title needed" placeholder for this article."""
    article = _cleaned(article)
    return article.get("language") != "en" and not article["title_en"]


def _stop(title: str) -> str:
    """``title`` followed by a full stop unless it already ends a sentence."""
    title = title.strip()
    return title if title.endswith(("?", "!", ".", "…")) else f"{title}."


def _day(article: dict[str, Any]) -> str | None:
    """The footnote's DD.MM.YYYY: the publication day in the outlet's time zone."""
    day = article_day(article)
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}" if day else None


def parts(article: dict[str, Any]) -> dict[str, str | None]:
    """The pieces of a footnote, for the text, Markdown and HTML renderings.

    Control characters and bidi overrides are removed: a footnote must read as it displays.
    """
    article = _cleaned(article)
    language = article.get("language") or ""
    bracket = None
    if language != "en":
        english = _stop(article["title_en"]) if article["title_en"] else f"{MISSING_TITLE}."
        bracket = f"{english} In {LANGUAGE_NAMES.get(language, language or 'unknown language')}"
    authors = ", ".join(romanise(a) for a in article.get("authors") or [])
    return {
        "bracket": bracket,
        "title": _stop(article["title"]),
        "author": authors or None,
        "outlet": article["outlet"],
        "date": _day(article),
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


# Words that mark a byline as an organisation, not a person (lower case, any script).
_ORGANISATION_WORDS = frozenset(
    """
    redaksiýa redaksiya redaksion redaksiyon redaksiyonu редакция редакции editorial editors
    editor staff newsroom desk team bureau service services agency agence ajans ajansı ajansi
    агентство служба пресс-служба корреспондент correspondent reporters radio radiosy радио
    azatlyk azattyk азатлык азаттык rfe/rl rferl reuters afp ap dpa tass тасс interfax интерфакс
    риа ria novosti новости news habarlary haberleri haber bianet anadolu dha iha hronika хроника
    chronicles turkmen.news gundogar memorial мемориал centre center центр committee комитет
    initiative инициатива association foundation fund фонд watch amnesty network group
    """.split()
)
# Particles that belong before the family name ("Ludwig van Beethoven"): CSL keeps them apart.
_PARTICLES = frozenset("de da di del della der den van von du le la ter ten bin ibn al el".split())
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|ovich|evich|ovna|evna|ichna)$", re.I)
_INITIAL = re.compile(r"^(?:\w\.)+$")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _is_organisation(name: str, outlet: str) -> bool:
    """Whether a byline names an organisation (kept literal) rather than a person."""
    words = name.replace(",", " ").split()
    if len(words) < 2 or len(words) > 4 or name.casefold() == outlet.casefold():
        return True
    if any(w.casefold() in _ORGANISATION_WORDS for w in words):
        return True
    if any(("." in w and not _INITIAL.match(w)) or "/" in w or "@" in w for w in words):
        return True  # a domain (Turkmen.News), RFE/RL, an e-mail address
    if any(ch.isdigit() for ch in name):
        return True
    # An acronym beside ordinary words (AP Staff, НГ ...); a name printed all in capitals is not.
    shouting = all(w.isupper() for w in words)
    acronyms = (w for w in words if not _INITIAL.match(w))  # S. or S.A. is an initial
    return not shouting and any(w.isupper() and 2 <= len(w) <= 5 for w in acronyms)


def csl_name(name: str, outlet: str = "") -> dict[str, str]:
    """A CSL name: ``{"family", "given"}`` for a person, ``{"literal"}`` for an organisation.

    Given names come first except after a comma ("Aitakov, Serdar") or when the last of three
    words is a Russian patronymic ("Айтаков Сердар Мухаммедович"). Cyrillic is romanised as the
    footnote romanises it.
    """
    name = " ".join(name.split())
    if _is_organisation(name, outlet):
        return {"literal": romanise(name)}
    if "," in name:
        family_part, _, given_part = name.partition(",")
        family, given = family_part.split(), given_part.split()
    else:
        words = name.split()
        if len(words) == 3 and _PATRONYMIC.search(words[2]) and not _PATRONYMIC.search(words[1]):
            family, given = words[:1], words[1:]
        else:
            family, given = words[-1:], words[:-1]
    particles = []
    while len(given) > 1 and given[-1].casefold() in _PARTICLES:
        particles.insert(0, given.pop())
    if not family or not given:
        return {"literal": romanise(name)}
    out = {"family": romanise(" ".join(family)), "given": romanise(" ".join(given))}
    if particles:
        out["non-dropping-particle"] = " ".join(particles)
    return out


def as_csl(article: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON 1.0.2 item (Zotero: File > Import from Clipboard or a .json file).

    See the module docstring for the title, language and author mapping.
    """
    article = _cleaned(article)
    language = article.get("language") or ""
    item: dict[str, Any] = {
        "id": article["id"],
        "type": "article-newspaper",
        "title": article["title"],
        "container-title": article["outlet"],
        "URL": article["url"],
    }
    if article["title_en"] and language != "en":
        item["title"] = article["title_en"]
        item["original-title"] = article["title"]
    if _LANGUAGE_TAG.match(language):
        item["language"] = language
    if article.get("authors"):
        item["author"] = [csl_name(a, article["outlet"]) for a in article["authors"]]
    day = article_day(article)
    if day:
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if article.get("fetched_at"):
        item["accessed"] = {"date-parts": [[int(x) for x in article["fetched_at"][:10].split("-")]]}
    return item


def missing_title_warning(store: Store, article: dict[str, Any]) -> str | None:
    """One stderr line for a citation printed without its English title: the article's id, the
    command that adds the title, and an English version (hreflang) where one exists, with that
    version's stored title, since that is usually what the bracket needs."""
    if not needs_english_title(article):
        return None
    aid = article["id"]
    line = f'{aid}: {MISSING_TITLE.lower()}; add it with: tmwatch cite {aid} --title-en "..."'
    english = (article.get("alternates") or {}).get("en")
    if english:
        twin = store.archive.article_by_url(english)
        stored = f" ({_one_line(twin['title'])!r}, id {twin['id']})" if twin else ""
        line += f"; an English version exists: {_one_line(english)}{stored}"
    return line
