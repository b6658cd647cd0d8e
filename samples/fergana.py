"""The Fergana sample: Russian news at ``/news/<id>/`` on an API-backed front end, RSS at /rss.php.

fergana.media (formerly fergana.agency, fergana.news) numbers its articles (``/news/<id>/``);
the markup copies what a public spider read: ``div.article-top h1`` for the title,
``div.article-content--narrow`` for the body, ``li.news-list__item`` on listings. The feed
address ``/rss.php`` is the unverified candidate the registry tries first (docs/outlets.md).

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "fergana"
SITE_NAME = "Фергана"
_SECTIONS = (("Новости", "news/"), ("Статьи", "articles/"), ("Фото", "photos/"))

ARTICLES = [
    A(
        OUTLET,
        "news/124810/",
        "ru",
        "2021-10-20T16:40:00+03:00",
        "Туркменских активистов Рахманова и Абулова держат в депортационном центре",
        (
            "Двое туркменских оппозиционеров, Ахмед Рахманов и Камил Абулов, находятся в "
            "депортационном центре в Тузле. Рахманова задержали в миграционной службе Антальи.",
            "Родственники Абулова говорят, что турецкие полицейские упоминали список из двадцати "
            "пяти человек, который будто бы передало консульство Туркменистана.",
            "Правозащитники опасаются, что после высылки активистов ждут преследования и пытки, "
            "и просят Турцию не отправлять их в Ашхабад.",
        ),
        author="Редакция «Ферганы»",
    ),
    A(
        OUTLET,
        "news/125202/",
        "ru",
        "2021-11-03T11:15:00+03:00",
        "Туркменские мигранты в Турции жалуются на проверки документов",
        (
            "В Стамбуле участились проверки документов у граждан Туркменистана, рассказали "
            "«Фергане» несколько мигрантов из района Кумкапы.",
            "Людей с просроченными паспортами задерживают и отвозят в миграционную службу, "
            "откуда часть из них попадает в депортационные центры.",
            "Мигранты говорят, что консульство не продлевает паспорта и советует ехать за "
            "новыми документами домой, а вернуться оттуда удаётся не всем.",
        ),
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    head = kit.published_head(article, base, SITE_NAME)
    author = ""
    if article.author:
        author = f'<div class="article-top__author">{escape(article.author)}</div>'
    related = kit.related_links(others, base, "news-list__item")
    body = (
        '<nav class="menu"><a href="/">Новости</a> <a href="/">Статьи</a> <a href="/">Фото</a></nav>'
        f'<div class="article-top"><h1>{escape(article.title)}</h1>'
        f'<div class="article-top__date">{kit.visible_date(article, with_time=True)}</div>'
        f'{author}</div><div class="article-content article-content--narrow">'
        f'{kit.paragraphs(article)}</div><ul class="news-list">{related}</ul>'
    )
    return kit.page("ru", f"{article.title} — {SITE_NAME}", head, body)


def home(base: str) -> str:
    """The home page: the menu (the /news/ listing first), the /rss.php feed, the latest news."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="ru", feed="rss.php")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The feed at /rss.php and the /news/ listing."""
    items = sorted(ARTICLES, key=lambda a: a.published, reverse=True)
    links = "".join(
        f'<li class="news-list__item"><div class="news-list__content">'
        f'<a href="{kit.url_of(a, base)}">{escape(a.title)}</a></div></li>'
        for a in items
    )
    listing = kit.page("ru", SITE_NAME, "", f'<ul class="news-list">{links}</ul>')
    return {
        f"/{OUTLET}/rss.php": (kit.rss(SITE_NAME, f"{base}/{OUTLET}/", items, base), kit.RSS_TYPE),
        f"/{OUTLET}/news/": (listing, kit.HTML_TYPE),
    }
