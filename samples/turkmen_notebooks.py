"""The Turkmen Notebooks sample (Turkmen Initiative for Human Rights): Russian, ``/smi/<slug>/``.

Recorded (docs/outlets.md): turkmennotebooks.org ("Туркменские тетради", TIHR, which also
publishes Chronicles of Turkmenistan) has pages at ``/smi/<slug>/`` in stored copies; no feed
was seen. Assumed, as the registry entry assumes: Russian only, and the ``/smi/`` page lists
those pages (the registry's listing). The markup is assumed too: an ``<article>`` with ``h1``,
a ``<time datetime>`` and ``div.entry``.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "turkmennotebooks"
SITE_NAME = "Туркменские тетради"
_SECTIONS = (("СМИ", "smi/"), ("Доклады", "doklady/"), ("О проекте", "o-proekte/"))

ARTICLES = [
    A(
        OUTLET,
        "smi/spisok-konsulstva/",
        "ru",
        "2021-10-22T13:00:00+05:00",
        "Активисты в Турции говорят о «списке консульства»",
        (
            "Несколько туркменских активистов, живущих в Турции, рассказали нам, что при "
            "задержании полицейские показывали им распечатанный список фамилий. По их словам, "
            "в нём около двух десятков человек, и все они открыто критиковали власти "
            "Туркменистана в соцсетях.",
            "Среди задержанных в октябре были Ахмед Рахманов и Камил Абулов; обоих отвезли в "
            "депортационный центр в Тузле. Откуда взялся список, полицейские не объясняли, но "
            "активисты уверены, что его передали сотрудники консульства.",
            "Мы не можем независимо подтвердить существование такого списка. Однако история "
            "повторяется: в прошлые годы туркменские дипломаты уже добивались высылки "
            "неугодных соотечественников из Турции и России.",
        ),
    ),
    A(
        OUTLET,
        "smi/pasport-i-deportacionnyj-centr/",
        "ru",
        "2021-11-06T10:30:00+05:00",
        "Просроченный паспорт как путь в депортационный центр",
        (
            "Каждую неделю к нам обращаются туркменские мигранты из Стамбула, у которых истёк "
            "срок паспорта. Консульство отказывается его продлевать и предлагает получить "
            "документ в Ашхабаде, а без паспорта турецкая миграционная служба не продлевает "
            "вид на жительство.",
            "Люди, оставшиеся без документов, боятся полицейских проверок в Кумкапы и Аксарае. "
            "Задержанных отправляют в депортационные центры, где они могут провести месяцы, "
            "прежде чем их вышлют на родину.",
            "Мы просим турецкие власти учитывать, что мигранты оказались без документов не по "
            "своей вине, и не высылать тех, кому на родине грозит преследование, как это "
            "случилось с Дурсолтан Тагановой, задержанной в сентябре.",
        ),
    ),
    A(
        OUTLET,
        "smi/badrov-skryvaetsya/",
        "ru",
        "2021-10-30T15:20:00+05:00",
        "Мердан Бадров: «Я перестал ночевать дома»",
        (
            "Активист Мердан Бадров, к которому в октябре приходила стамбульская полиция, "
            "рассказал нам, что теперь живёт у знакомых и меняет адреса. Полицейские искали "
            "его по месту регистрации вместе с несколькими другими туркменами, но дома никого "
            "не застали.",
            "Бадров говорит, что у него есть вид на жительство и он ничего не нарушал. Он "
            "связывает визит полиции со своими видеообращениями, в которых критиковал "
            "туркменские власти, и боится, что его, как и других активистов, отправят в "
            "депортационный центр.",
            "Юристы советуют активистам в такой ситуации заранее оформить доверенность на "
            "адвоката и сообщить родственникам, как действовать в случае задержания.",
        ),
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    """A page of the /smi/ section: the site menu, the article, links to other pages."""
    head = kit.page_head(article, base, SITE_NAME)
    body = (
        f"<header>{kit.nav(base, OUTLET, _SECTIONS)}</header><main><article><h1>{escape(article.title)}</h1>"
        f'<time datetime="{article.published}">{kit.visible_date(article)}</time>'
        f'<div class="entry">{kit.paragraphs(article)}</div></article>'
        f"<aside><h3>Другие материалы</h3><ul>{kit.related_links(others, base)}</ul></aside></main>"
        "<footer><p>Туркменская инициатива по правам человека, Вена.</p></footer>"
    )
    return kit.page("ru", f"{article.title} | {SITE_NAME}", head, body)


def home(base: str) -> str:
    """The home page (no feed): the menu, the /smi/ listing first, and the latest pages."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="ru")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The /smi/ listing, the registry's only way in."""
    body = f'<header>{kit.nav(base, OUTLET, _SECTIONS)}</header><main><h1>СМИ</h1><ul class="smi-list">{kit.news_items(ARTICLES, base)}</ul></main>'
    return {f"/{OUTLET}/smi/": (kit.page("ru", f"СМИ | {SITE_NAME}", "", body), kit.HTML_TYPE)}
