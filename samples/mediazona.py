"""The Mediazona sample: Russian news at ``/news/<YYYY>/<MM>/<DD>/<slug>``, RSS at /rss.

Only the host (mediazona.ca) is recorded; the dated URL shape and the feed path are assumed
(docs/outlets.md). One story reprints Chronicles of Turkmenistan's report on the attack on
the Oghuz association's office almost word for word, so deduplication puts both in one cluster.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import corpus_ru, kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "mediazona"
SITE_NAME = "Медиазона"
_SECTIONS = (("Новости", "news"), ("Статьи", "articles"))

_REPRINTED = next(a for a in corpus_ru.ARTICLES if a.path == "2021/10/napadenie-na-ofis-oguzov/")

ARTICLES = [
    A(
        OUTLET,
        "news/2021/10/12/oguzy",
        "ru",
        "2021-10-12T17:20:00+03:00",
        "В Стамбуле избили туркменских активистов в офисе ассоциации",
        (*_REPRINTED.paras, "По сообщению «Хроники Туркменистана»."),
    ),
    A(
        OUTLET,
        "news/2021/10/28/taganova",
        "ru",
        "2021-10-28T20:10:00+03:00",
        "Дурсолтан Таганову отпустили из депортационного центра",
        (
            "Турецкие власти освободили туркменскую активистку Дурсолтан Таганову, которую "
            "больше месяца держали в депортационном центре.",
            "Таганову задержали в Стамбуле в конце сентября. Её адвокат добивался признания "
            "статуса временной защиты, который у активистки был и раньше.",
            "Правозащитники связывают освобождение с обращениями международных организаций и "
            "напоминают, что в Турции остаются под угрозой высылки другие туркменские активисты.",
        ),
        author="Медиазона",
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    head = kit.page_head(article, base, SITE_NAME, kit.jsonld(article, base))
    related = kit.related_links(others, base)
    body = (
        '<header><a href="/">Медиазона</a> <a href="/">Новости</a> <a href="/">Статьи</a></header>'
        f'<main><article class="mz-article"><h1>{escape(article.title)}</h1>'
        f'<time datetime="{article.published}">{kit.visible_date(article, with_time=True)}</time>'
        f'<div class="mz-publish__text">{kit.paragraphs(article)}</div></article>'
        f"<aside><ul>{related}</ul></aside></main>"
        "<footer>Подпишитесь на рассылку «Медиазоны».</footer>"
    )
    return kit.page("ru", f"{article.title} — {SITE_NAME}", head, body)


def home(base: str) -> str:
    """The home page: the news and articles sections, the /rss feed, the latest stories."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="ru", feed="rss")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The feed at /rss."""
    return kit.feed(OUTLET, SITE_NAME, "rss", ARTICLES, base)
