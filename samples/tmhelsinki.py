"""The Turkmen Helsinki Foundation sample: one site in three languages, no feed, uuid URLs.

tmhelsinki.org publishes Russian articles at ``/article/<uuid>`` and their English and Turkmen
editions at ``/en/article/<uuid>`` and ``/tk/article/<uuid>``; no feed was found, so the crawler
reads the home pages of the editions (a listing). Every page opens with the logo's alt text
("Логотип Туркменского Хельсинкского Фонда"), boilerplate extraction must drop (docs/outlets.md).
The markup beyond that is assumed (``article:published_time``, an ``<article>``, ``<time>``).

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "tmhelsinki"
SITE_NAME = "Туркменский Хельсинкский Фонд"
_LOGO = {
    "ru": "Логотип Туркменского Хельсинкского Фонда",
    "en": "Turkmen Helsinki Foundation logo",
    "tk": "Türkmen Helsinki Gaznasynyň nyşany",
}
_EDITION = {"ru": "", "en": "en/", "tk": "tk/"}
_SECTIONS = (("Русский", ""), ("English", "en/"), ("Türkmençe", "tk/"))
_SITE_NAMES = {
    "ru": SITE_NAME,
    "en": "Turkmen Helsinki Foundation",
    "tk": "Türkmen Helsinki Gaznasy",
}

ARTICLES = [
    A(
        OUTLET,
        "article/5b0e6f2a-3c41-4d8e-9a17-2f6c80d4b913",
        "ru",
        "2021-10-25T18:00:00+03:00",
        "Туркменские мигранты в депортационном центре Тузлы просят о помощи",
        (
            "Несколько граждан Туркменистана, которых держат в депортационном центре в Тузле под "
            "Стамбулом, обратились к правозащитникам через родственников.",
            "По их словам, среди задержанных есть люди с действующими видами на жительство. "
            "Им не дают позвонить адвокату и не объясняют, когда решится их судьба.",
            "Фонд напоминает, что высылка в Туркменистан грозит активистам, в том числе Байраму "
            "Аллалыеву, преследованием, и просит турецкие власти не допустить депортации.",
        ),
    ),
    A(
        OUTLET,
        "en/article/5b0e6f2a-3c41-4d8e-9a17-2f6c80d4b913",
        "en",
        "2021-10-25T18:30:00+03:00",
        "Turkmen migrants held at Tuzla deportation centre ask for help",
        (
            "Several citizens of Turkmenistan detained at the Tuzla deportation centre near "
            "Istanbul have reached human rights defenders through their relatives.",
            "They say some of those held have valid residence permits, are refused a call to a "
            "lawyer and are not told when their cases will be decided.",
            "The Foundation warns that activists such as Bayram Allalyev face persecution if "
            "returned to Turkmenistan and urges the Turkish authorities not to deport them.",
        ),
    ),
    A(
        OUTLET,
        "tk/article/c7d2a914-8e3b-4f60-b5a1-0d9e47c2f318",
        "tk",
        "2021-10-02T12:00:00+03:00",
        "Dursoltan Taganowa Stambulda tussag edildi",
        (
            "Stambulda ýaşaýan raýat aktiwisti Dursoltan Taganowa sentýabr aýynyň ahyrynda "
            "polisiýa tarapyndan saklanyp, deportasiýa merkezine eltildi.",
            "Onuň ýakynlarynyň aýtmagyna görä, aktiwistiň Türkiýede wagtlaýyn gorag statusy bar, "
            "emma migrasiýa edarasy bu resminamany tapmandygyny aýdýar.",
            "Gazna türk häkimiýetlerini Taganowany Türkmenistana gaýtarmazlyga we ony azat "
            "etmäge çagyrýar, sebäbi ol watanynda yzarlanmak howpy bilen ýüzbe-ýüz bolar.",
        ),
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    """An article page: the logo's alt text first, then the article, then the menu."""
    head = kit.published_head(article, base, SITE_NAME, kit.hreflang(article, base))
    related = kit.related_links(others, base)
    body = (
        f'<header><a class="logo" href="{base}/{OUTLET}/{_EDITION[article.lang]}">'
        f'<img src="/logo.svg" alt="{_LOGO[article.lang]}">{_LOGO[article.lang]}</a></header>'
        f'<main><article class="article"><h1>{escape(article.title)}</h1>'
        f'<time datetime="{article.published}">{kit.visible_date(article)}</time>'
        f'<div class="article__text">{kit.paragraphs(article)}</div></article>'
        f"<aside><ul>{related}</ul></aside></main>"
    )
    return kit.page(article.lang, f"{article.title} — {SITE_NAME}", head, body)


def edition(base: str, lang: str) -> str:
    """An edition's home page, which is also its listing (no feed): the logo's text, a menu of
    the three editions, the latest articles in its language."""
    items = [a for a in ARTICLES if a.lang == lang]
    return kit.home_page(
        base,
        OUTLET,
        _SITE_NAMES[lang],
        items,
        _SECTIONS,
        lang=lang,
        edition=_EDITION[lang],
        logo=_LOGO[lang],
    )


def home(base: str) -> str:
    """The Russian edition's home page, the site's home page."""
    return edition(base, "ru")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The edition home pages (no feed): each links the latest articles in its language."""
    return {
        f"/{OUTLET}/{path}": (edition(base, lang), kit.HTML_TYPE) for lang, path in _EDITION.items()
    }
