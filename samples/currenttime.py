"""The Current Time sample: RFE/RL's Russian-language Pangea site, ``/a/<slug>/<id>.html``.

Recorded (docs/outlets.md): currenttime.tv runs RFE/RL's Pangea CMS and its stories live at
``/amp/<slug>/<id>.html`` (seen in stored pages, e.g. ``/amp/turkmenistan-bekdzhanova/33314891.html``).
Assumed by Pangea convention, as the registry entry assumes: the ``/a/<slug>/<id>.html`` pages
the AMP URLs twin (the sample serves those, as the feed links them), the ``/api/`` top-stories
feed and the ``/rssfeeds`` page listing zone feeds (here one, "Центральная Азия", at an opaque
``/api/<id>`` path). The article markup copies the Pangea pages of the ``azathabar-tk`` sample:
``h1.pg-title``, ``div.publishing-details time``, ``div#article-content div.wsw``, JSON-LD.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "currenttime"
SITE_NAME = "Настоящее Время"
ZONE_FEED = "api/zkqveqmyiq"  # an opaque Pangea zone id, as RFE/RL's zone feeds have
_SECTIONS = (
    ("Новости", "z/17317"),
    ("Центральная Азия", "z/22272"),
    ("Видео", "z/17318"),
    ("RSS", "rssfeeds"),
)

ARTICLES = [
    A(
        OUTLET,
        "a/turkmenistan-allalyev-deportatsiya/31531127.html",
        "ru",
        "2021-10-26T11:40:00+02:00",
        "Туркменскому блогеру Байраму Аллалыеву грозит высылка из Турции",
        (
            "Туркменский блогер Байрам Аллалыев, которого полиция задержала в Стамбуле, "
            "находится в депортационном центре в Тузле. Об этом «Настоящему Времени» рассказали "
            "его знакомые, которые поддерживают связь с семьёй.",
            "Аллалыев несколько лет записывал видео о жизни в Туркменистане и критиковал "
            "власти страны. По словам его друзей, после задержания ему сказали, что документы "
            "на высылку уже готовы, но не показали никакого решения суда.",
            "Правозащитники напоминают, что в Туркменистане критиков власти сажают в тюрьмы "
            "по сфабрикованным обвинениям. Они просят турецкие власти дать Аллалыеву "
            "возможность подать прошение о защите.",
        ),
    ),
    A(
        OUTLET,
        "a/turkmenskie-migranty-kumkapy/31548803.html",
        "ru",
        "2021-11-03T16:05:00+01:00",
        "«Боимся выходить на улицу»: как живут туркменские мигранты в стамбульском Кумкапы",
        (
            "В стамбульском районе Кумкапы живут тысячи выходцев из Туркменистана. Многие "
            "работают в швейных цехах и на стройках, снимают комнаты на несколько человек и "
            "отправляют почти весь заработок родным.",
            "Последние недели мигранты стараются реже выходить из дома: полиция проверяет "
            "документы на улицах и в кафе. Тех, у кого истёк паспорт или вид на жительство, "
            "увозят в миграционную службу, а оттуда в депортационный центр.",
            "Продлить паспорт в консульстве Туркменистана, по словам мигрантов, почти "
            "невозможно: им советуют ехать домой, откуда многих уже не выпускают. Так люди "
            "оказываются в Турции без документов не по своей вине.",
        ),
        author="Настоящее Время",
    ),
    A(
        OUTLET,
        "a/abulov-osvobozhden/31562210.html",
        "ru",
        "2021-10-29T09:30:00+01:00",
        "Активиста Камила Абулова отпустили из депортационного центра",
        (
            "Турецкие власти 27 октября освободили туркменского активиста Камила Абулова, "
            "который около десяти дней провёл в депортационном центре в Тузле. Его адвокат "
            "сообщил, что решение о высылке пока не отменено и будет обжаловано.",
            "Абулова задержали вместе с другими критиками туркменских властей. Его жена "
            "говорила, что полицейские при задержании упоминали список, составленный, по их "
            "словам, по просьбе туркменской стороны.",
            "Сам Абулов сказал, что продолжит рассказывать о нарушениях прав человека на "
            "родине, несмотря на угрозы, и что боится не за себя, а за родственников в "
            "Туркменистане.",
        ),
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    """A Pangea article page: the section menu, headline, publishing details, ``div.wsw``."""
    head = kit.page_head(article, base, SITE_NAME, kit.jsonld(article, base))
    author = f'<span class="links__item">{escape(article.author)}</span>' if article.author else ""
    body = (
        f'{kit.nav(base, OUTLET, _SECTIONS, "main-menu")}<div id="content" class="pg-article">'
        f'<h1 class="title pg-title">{escape(article.title)}</h1>'
        f'<div class="publishing-details"><span class="date"><time datetime="{article.published}">'
        f"{kit.visible_date(article, with_time=True)}</time></span>{author}</div>"
        f'<div id="article-content" class="content-floated-wrap"><div class="wsw">'
        f"{kit.paragraphs(article)}</div></div>"
        f'<div class="media-block-wrap"><h2>Читайте также</h2><ul>'
        f"{kit.related_links(others, base, 'media-block')}</ul></div></div>"
        "<footer><p>Настоящее Время — телеканал RFE/RL при участии VOA.</p></footer>"
    )
    return kit.page("ru", article.title, head, body)


def home(base: str) -> str:
    """The home page: the zone menu and /rssfeeds, the /api/ feed link, the latest stories."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="ru", feed="api/")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The /api/ feed, the /rssfeeds page and the one zone feed it lists."""
    links = (
        f'<li><a href="{base}/{OUTLET}/{ZONE_FEED}">Центральная Азия</a></li>'
        f'<li><a href="{base}/{OUTLET}/api/">Главное</a></li>'
    )
    feeds_page = kit.page(
        "ru",
        f"RSS — {SITE_NAME}",
        "",
        f"{kit.nav(base, OUTLET, _SECTIONS, 'main-menu')}<h1>RSS</h1><ul>{links}</ul>",
    )
    return {
        **kit.feed(OUTLET, SITE_NAME, "api/", ARTICLES, base),
        **kit.feed(OUTLET, SITE_NAME, ZONE_FEED, ARTICLES[:2], base),
        f"/{OUTLET}/rssfeeds": (feeds_page, kit.HTML_TYPE),
    }
