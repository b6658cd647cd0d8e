"""The Medyascope sample: Turkish WordPress news at ``/<YYYY>/<MM>/<DD>/<slug>/``, RSS at /feed/.

Recorded (docs/outlets.md): medyascope.tv runs WordPress, its feed is ``/feed/`` and its articles
live at ``/<YYYY>/<MM>/<DD>/<slug>/``. Assumed: the WordPress theme's usual markup
(``h1.entry-title``, ``time.entry-date``, ``div.entry-content``, ``article:published_time``) and
the ``/category/<slug>/`` section pages the menu links.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "medyascope"
SITE_NAME = "Medyascope"
_CATEGORIES = (("Gündem", "gundem"), ("Dünya", "dunya"), ("Podcast", "podcast"), ("Video", "video"))
_SECTIONS = tuple((label, f"category/{slug}/") for label, slug in _CATEGORIES)

ARTICLES = [
    A(
        OUTLET,
        "2021/10/27/tuzla-geri-gonderme-merkezindeki-turkmen-aktivistler-avukat-bekliyor/",
        "tr",
        "2021-10-27T14:45:00+03:00",
        "Tuzla Geri Gönderme Merkezi'ndeki Türkmen aktivistler avukat bekliyor",
        (
            "İstanbul Tuzla'daki geri gönderme merkezinde tutulan Türkmenistan vatandaşı "
            "aktivistlerin avukatlarıyla görüşmesine günlerdir izin verilmediği öne sürüldü. "
            "Aralarında Bayram Allalyev'in de bulunduğu grubun aileleri, yakınlarından telefonla "
            "bile haber alamadıklarını anlatıyor.",
            "Medyascope'a konuşan bir hukukçu, idari gözetim kararlarına itiraz için tanınan "
            "sürenin kısa olduğunu, müvekkillerine ulaşamadıkları her günün aleyhlerine "
            "işlediğini söyledi. Göç İdaresi ise konuyla ilgili sorularımızı yanıtlamadı.",
            "Türkmenistan'daki yönetimi sosyal medyada eleştiren aktivistler, ülkelerine "
            "gönderilirlerse cezaevine atılacaklarından korkuyor. İnsan hakları örgütleri, "
            "Türkiye'den geri gönderme işlemlerini durdurmasını ve dosyaların tek tek "
            "incelenmesini istiyor.",
        ),
        author="Medyascope",
    ),
    A(
        OUTLET,
        "2021/11/05/dursoltan-taganova-serbest-kaldi-ama-tehdit-suruyor/",
        "tr",
        "2021-11-05T18:20:00+03:00",
        "Dursoltan Taganova serbest kaldı ama sınır dışı tehdidi sürüyor",
        (
            "Eylül sonunda İstanbul'da gözaltına alınan Türkmen muhalif Dursoltan Taganova, "
            "bir aydan uzun süre kaldığı geri gönderme merkezinden ayrıldı. Taganova, "
            "serbest bırakılmasının ardından destek veren herkese teşekkür etti.",
            "Ancak aktivistin hukuki durumu hâlâ belirsiz. Avukatı, hakkında verilen sınır dışı "
            "kararının kaldırılmadığını, müvekkilinin imza yükümlülüğüyle serbest bırakıldığını "
            "ve her an yeniden gözaltına alınabileceğini belirtti.",
            "Kumkapı ve Zeytinburnu'nda yaşayan Türkmen göçmenler, Taganova'nın tahliyesini "
            "sevinçle karşıladıklarını ama kendilerinin de benzer bir akıbetle "
            "karşılaşmaktan çekindiklerini söylüyor.",
        ),
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    """A WordPress single post (the theme's markup is assumed)."""
    related, footer = (
        "İlgili haberler",
        "Medyascope'u destekleyin: bağımsız gazetecilik okurlarıyla ayakta kalır.",
    )
    return kit.wordpress_post(article, base, others, SITE_NAME, _SECTIONS, related, footer)


def home(base: str) -> str:
    """The home page: category menu, the /feed/ link, the latest posts."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="tr", feed="feed/")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The WordPress feed at /feed/."""
    return kit.feed(OUTLET, SITE_NAME, "feed/", ARTICLES, base)
