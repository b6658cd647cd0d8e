"""The T24 sample: Turkish news at ``/haber/<slug>,<id>`` (a comma before the id), RSS at /rss.

t24.com.tr shows dates as "13 Ekim 2021 20:49"; the sample adds JSON-LD (assumed, as on most
Turkish news sites) so the crawl need not parse the visible date (docs/outlets.md).

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "t24"
SITE_NAME = "T24"
_SECTIONS = (
    ("Gündem", "gundem"),
    ("Politika", "politika"),
    ("Dünya", "dunya"),
    ("Yazarlar", "yazarlar"),
)

ARTICLES = [
    A(
        OUTLET,
        "haber/turkmen-aktivist-bayram-allalyev-istanbul-da-gozaltina-alindi,985120",
        "tr",
        "2021-10-23T10:30:00+03:00",
        "Türkmen aktivist Bayram Allalyev İstanbul'da gözaltına alındı",
        (
            "Türkmenistan hükümetini eleştiren aktivist Bayram Allalyev, İstanbul'da polis "
            "tarafından gözaltına alınarak Tuzla'daki geri gönderme merkezine götürüldü.",
            "Allalyev'in yakınları, aktivistin sosyal medyada yayımladığı videolar nedeniyle "
            "hedef alındığını ve sınır dışı edilirse ağır bir tehlikeyle karşılaşacağını söyledi.",
            "Son bir hafta içinde gözaltına alınan Türkmen aktivistlerin sayısı üçe yükseldi; "
            "avukatlar Göç İdaresi'nden açıklama bekliyor.",
        ),
    ),
    A(
        OUTLET,
        "haber/kumkapi-da-turkmen-gocmenlere-kimlik-kontrolu,986004",
        "tr",
        "2021-11-02T19:05:00+03:00",
        "Kumkapı'da Türkmen göçmenlere yoğun kimlik kontrolü",
        (
            "İstanbul Kumkapı'da yaşayan Türkmenistanlı göçmenler, son günlerde sokakta ve iş "
            "yerlerinde sık sık kimlik kontrolüne tabi tutulduklarını anlattı.",
            "Pasaportunun süresi dolan birçok göçmen, konsolosluğun belgeleri yenilemediğini ve "
            "bu yüzden geri gönderme merkezine gönderilmekten korktuğunu söyledi.",
            "Göçmenlerle çalışan dernekler, yasal statüsü olan kişilerin de gözaltına "
            "alınabildiğini belirterek yetkilileri dikkatli olmaya çağırdı.",
        ),
        author="T24 Haber Merkezi",
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    head = kit.page_head(article, base, SITE_NAME, kit.jsonld(article, base))
    related = kit.related_links(others, base)
    byline = f'<span class="author">{escape(article.author)}</span>' if article.author else ""
    body = (
        '<nav><a href="/">Gündem</a> <a href="/">Politika</a> <a href="/">Dünya</a></nav>'
        f'<main><article><h1 class="title">{escape(article.title)}</h1>'
        f'<div class="date">{kit.visible_date(article, with_time=True)}</div>{byline}'
        f'<div class="story-content">{kit.paragraphs(article)}</div></article>'
        f'<section class="related"><h3>Benzer haberler</h3><ul>{related}</ul></section></main>'
        "<footer>T24 - Bağımsız İnternet Gazetesi</footer>"
    )
    return kit.page("tr", f"{article.title} - {SITE_NAME}", head, body)


def home(base: str) -> str:
    """The home page: the category menu, the /rss feed, the latest stories."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="tr", feed="rss")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The main feed at /rss."""
    return kit.feed(OUTLET, SITE_NAME, "rss", ARTICLES, base)
