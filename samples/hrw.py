"""The Human Rights Watch sample: one news release in English, Russian and Turkish, no feed.

Recorded (docs/outlets.md): hrw.org has English, Turkish and Russian editions; only the home page
is recorded. Assumed, as the registry entry assumes: releases at ``/news/<YYYY>/<MM>/<DD>/<slug>``
with ``/ru/`` and ``/tr/`` prefixes for the editions, and the Turkmenistan country page
``/europe/central-asia/turkmenistan`` as the one listing. The sample's country page lists the
English release with HRW's "Available in" links to its translations, so one listing reaches all
three editions (assumed too). The markup (``h1.headline``, ``div.article-body``, JSON-LD,
hreflang links between the editions) is an assumption of a typical Drupal news page.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "hrw"
SITE_NAME = "Human Rights Watch"
COUNTRY_PAGE = "europe/central-asia/turkmenistan"
_DAY = "news/2021/11/04/"
_PATHS = {
    "en": f"{_DAY}turkey-halt-deportations-turkmen-critics",
    "ru": f"ru/{_DAY}turkey-halt-deportations-turkmen-critics",
    "tr": f"tr/{_DAY}turkiye-turkmen-muhaliflerin-sinir-disi-edilmesini-durdurmali",
}
_LANGUAGE_NAME = {"en": "English", "ru": "Русский", "tr": "Türkçe"}
# The site menu: the Turkmenistan country page (the registry's listing) first.
_SECTIONS = (
    ("Turkmenistan", COUNTRY_PAGE),
    ("News", "news"),
    ("Reports", "publications"),
    ("Русский", "ru"),
    ("Türkçe", "tr"),
)


def _alternates(lang: str) -> dict[str, str]:
    return {other: f"{OUTLET}/{path}" for other, path in _PATHS.items() if other != lang}


ARTICLES = [
    A(
        OUTLET,
        _PATHS["en"],
        "en",
        "2021-11-04T09:00:00-04:00",
        "Turkey: Halt Deportations of Turkmen Critics",
        (
            "Turkish authorities should immediately stop efforts to deport Turkmen activists "
            "who have criticized their government, Human Rights Watch said today. Police in "
            "Istanbul detained the activist Dursoltan Taganova in late September. On October 22 "
            "they detained Bayram Allalyev, a blogger, and took him to the removal centre in "
            "Tuzla.",
            "Turkmenistan is one of the world's most repressive countries. Peaceful critics "
            "returned there face a real risk of arbitrary detention, torture and enforced "
            "disappearance, and their relatives at home are routinely harassed by the security "
            "services.",
            "Under international law, Turkey may not return anyone to a country where they "
            "would face torture or persecution. The authorities should give each detained "
            "activist access to a lawyer of their choosing and a fair chance to seek "
            "protection.",
        ),
        alternates=_alternates("en"),
    ),
    A(
        OUTLET,
        _PATHS["ru"],
        "ru",
        "2021-11-04T09:00:00-04:00",
        "Турция: прекратить высылку туркменских критиков власти",
        (
            "Власти Турции должны немедленно прекратить попытки выслать туркменских "
            "активистов, критикующих своё правительство, заявила сегодня Human Rights Watch. В конце "
            "сентября полиция Стамбула задержала активистку Дурсолтан Таганову. 22 октября был "
            "задержан блогер Байрам Аллалыев, его поместили в центр для высылки в Тузле.",
            "Туркменистан остаётся одной из самых закрытых и репрессивных стран мира. "
            "Мирным критикам, возвращённым на родину, реально грозят произвольное задержание, "
            "пытки и насильственное исчезновение, а их родственников преследуют спецслужбы.",
            "Международное право запрещает Турции возвращать людей туда, где им грозят пытки "
            "или преследование. Каждому задержанному активисту нужно обеспечить доступ к "
            "выбранному им адвокату и реальную возможность просить о защите.",
        ),
        alternates=_alternates("ru"),
    ),
    A(
        OUTLET,
        _PATHS["tr"],
        "tr",
        "2021-11-04T09:00:00-04:00",
        "Türkiye, Türkmen muhaliflerin sınır dışı edilmesini durdurmalı",
        (
            "İnsan Hakları İzleme Örgütü bugün yaptığı açıklamada, Türk makamlarının kendi "
            "hükümetlerini eleştiren Türkmen aktivistleri sınır dışı etme girişimlerini derhal "
            "durdurması gerektiğini söyledi. İstanbul polisi aktivist Dursoltan Taganova'yı Eylül "
            "sonunda gözaltına aldı. Blog yazarı Bayram Allalyev ise 22 Ekim'de gözaltına "
            "alınarak Tuzla'daki geri gönderme merkezine götürüldü.",
            "Türkmenistan dünyanın en baskıcı ülkelerinden biri. Ülkesine iade edilen barışçıl "
            "eleştirmenler keyfi gözaltı, işkence ve zorla kaybedilme tehlikesiyle karşı "
            "karşıya kalıyor; ülkedeki yakınları da güvenlik güçlerinin baskısına maruz kalıyor.",
            "Uluslararası hukuk, Türkiye'nin hiç kimseyi işkence ya da zulüm göreceği bir ülkeye "
            "göndermesini yasaklıyor. Yetkililer gözaltındaki her aktivistin kendi seçtiği bir "
            "avukata ulaşmasını ve koruma talebinde bulunabilmesini sağlamalı.",
        ),
        alternates=_alternates("tr"),
    ),
]


def _available_in(article: A, base: str) -> str:
    """HRW's "Available in" links to the other editions of a release."""
    links = " ".join(
        f'<a hreflang="{lang}" href="{base}/{path}">{_LANGUAGE_NAME[lang]}</a>'
        for lang, path in sorted(article.alternates.items())
    )
    return f'<div class="translations">Available in {links}</div>'


def article_html(article: A, base: str, others: list[A]) -> str:
    """A news release: headline, date, the translations, the body, related content."""
    head = kit.page_head(
        article, base, SITE_NAME, kit.jsonld(article, base) + kit.hreflang(article, base)
    )
    body = (
        f"<header>{kit.nav(base, OUTLET, _SECTIONS)}</header><main><article>"
        f'<h1 class="headline"><span class="headline__title">{escape(article.title)}</span></h1>'
        f'<span class="news-header__date"><time datetime="{article.published}">'
        f"{kit.visible_date(article)}</time></span>{_available_in(article, base)}"
        f'<div class="article-body">{kit.paragraphs(article)}</div></article>'
        f'<aside class="related-content"><ul>{kit.related_links(others, base)}</ul></aside></main>'
        "<footer><p>© 2021 Human Rights Watch</p></footer>"
    )
    return kit.page(article.lang, f"{article.title} | {SITE_NAME}", head, body)


def home(base: str) -> str:
    """The home page (no feed): the menu with the country page, the latest releases."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="en")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The Turkmenistan country page, the registry's listing: the English release and the
    links to its translations."""
    items = "".join(
        f'<div class="media-block"><h3><a href="{kit.url_of(a, base)}">{escape(a.title)}</a></h3>'
        f'<time datetime="{a.published}">{kit.visible_date(a)}</time>{_available_in(a, base)}</div>'
        for a in ARTICLES
        if a.lang == "en"
    )
    body = f"<header>{kit.nav(base, OUTLET, _SECTIONS)}</header><main><h1>Turkmenistan</h1>{items}</main>"
    country = kit.page("en", f"Turkmenistan | {SITE_NAME}", "", body)
    return {f"/{OUTLET}/{COUNTRY_PAGE}": (country, kit.HTML_TYPE)}
