"""Render the sample outlets: article pages, feeds, sitemaps and listings, as each real outlet
structures them (RFE/RL Pangea, Bitrix at NG, WordPress/Divi at Turkmen.News, WordPress/tagDiv
at Chronicles, the Turkish outlets). The result is a plain mapping path -> Resource.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape

from tmwatch.samples import (
    channels,
    corpus_en,
    corpus_ru,
    corpus_tk,
    corpus_tr,
    currenttime,
    fergana,
    gundogar,
    hrw,
    mediazona,
    medyascope,
    t24,
    tmhelsinki,
    tng,
    turkmen_notebooks,
)
from tmwatch.samples.model import SampleArticle

ALL_ARTICLES: list[SampleArticle] = [
    *corpus_tk.ARTICLES,
    *corpus_ru.ARTICLES,
    *corpus_tr.ARTICLES,
    *corpus_en.ARTICLES,
]
# Outlets that render their own pages and feeds (samples/<outlet>.py), keyed by path prefix.
# Each also renders its home page (``home(base)``, served at /<prefix>/).
OUTLET_MODULES = {
    m.OUTLET: m
    for m in (
        tmhelsinki,
        fergana,
        t24,
        mediazona,
        medyascope,
        currenttime,
        turkmen_notebooks,
        tng,
        hrw,
    )
}
ALL_ARTICLES += [a for m in OUTLET_MODULES.values() for a in m.ARTICLES]
MISSING = corpus_ru.MISSING

PLATFORM = {
    "azathabar": "pangea",
    "azattyqasia": "pangea",
    "ng": "bitrix",
    "turkmen-news": "divi",
    "en-turkmen-news": "divi",
    "hronikatm": "tagdiv",
    "bianet": "turkish",
    "evrensel": "turkish",
}
SITE_NAME = {
    "azathabar": "Azat Ýewropa/Azatlyk Radiosy",
    "azattyqasia": "Азаттык Азия",
    "ng": "Независимая газета",
    "turkmen-news": "Turkmen.News",
    "en-turkmen-news": "Turkmen.News",
    "hronikatm": "Хроника Туркменистана",
    "bianet": "bianet",
    "evrensel": "Evrensel",
}
_MONTHS = {
    "tk": [
        "ýanwar",
        "fewral",
        "mart",
        "aprel",
        "maý",
        "iýun",
        "iýul",
        "awgust",
        "sentýabr",
        "oktýabr",
        "noýabr",
        "dekabr",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "tr": [
        "Ocak",
        "Şubat",
        "Mart",
        "Nisan",
        "Mayıs",
        "Haziran",
        "Temmuz",
        "Ağustos",
        "Eylül",
        "Ekim",
        "Kasım",
        "Aralık",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
# Boilerplate is part of realism: extraction must see past menus, promos and related links.
_NAV = {
    "tk": ["Türkmenistan", "Halkara", "Dünýä Türkmenleri", "Wideo", "Suratlar", "Blog", "Arhiw"],
    "ru": ["Главное", "Политика", "Экономика", "Общество", "Мнения", "Видео", "Архив"],
    "tr": ["Gündem", "Ekonomi", "Dünya", "Kültür", "Spor", "Yazarlar", "Video"],
    "en": ["News", "Politics", "Economy", "Society", "Opinion", "Video", "Archive"],
}
_PROMO = {
    "tk": "Azatlygyň habarlaryny Telegram kanalymyzda okaň. Habarlaryňyzy bize iberiň.",
    "ru": "Подпишитесь на наш телеграм-канал. Поддержите независимую журналистику.",
    "tr": "Evrensel'e abone ol. Reklamsız deneyim için dijital aboneliğe geçin.",
    "en": "Subscribe to our newsletter. Support independent journalism today.",
}


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    slow: bool = False
    last_modified: str = "Mon, 08 Nov 2021 12:00:00 GMT"
    etag: str = field(default="")

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


def human_date(article: SampleArticle) -> str:
    when = datetime.fromisoformat(article.published)
    month = _MONTHS[article.lang][when.month - 1]
    if article.lang == "tk":
        return f"{when.day}-nji {month}, {when.year}"
    if article.lang == "en":
        return f"{month} {when.day}, {when.year}"
    return f"{when.day} {month} {when.year}"


def _id_of(article: SampleArticle) -> str:
    return article.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")


def _jsonld(article: SampleArticle, url: str, with_dates: bool = True) -> str:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "mainEntityOfPage": url,
        "inLanguage": article.lang,
    }
    if with_dates:
        data["datePublished"] = article.published
        if article.modified:
            data["dateModified"] = article.modified
    if article.author:
        data["author"] = [{"@type": "Person", "name": article.author}]
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _nav(lang: str, base: str) -> str:
    items = "".join(
        f'<li><a href="{base}/section/{i}">{escape(n)}</a></li>' for i, n in enumerate(_NAV[lang])
    )
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'


def _related(article: SampleArticle, base: str, others: list[SampleArticle]) -> str:
    links = "".join(
        f'<li><a href="{base}/{o.outlet}/{o.path}">{escape(o.title)}</a></li>' for o in others[:4]
    )
    label = {"tk": "Okaň", "ru": "Читайте также", "tr": "İlgili haberler", "en": "Read more"}
    return f'<aside class="related"><h3>{label[article.lang]}</h3><ul>{links}</ul></aside>'


def _footer(article: SampleArticle) -> str:
    name = SITE_NAME[article.outlet]
    return (
        f"<footer><p>{escape(_PROMO[article.lang])}</p>"
        f"<p>© 2021 {escape(name)}. All rights reserved.</p></footer>"
    )


def article_page(article: SampleArticle, base: str, others: list[SampleArticle]) -> str:
    if article.outlet in OUTLET_MODULES:
        return OUTLET_MODULES[article.outlet].article_html(article, base, others)
    url = f"{base}/{article.outlet}/{article.path}"
    platform = PLATFORM[article.outlet]
    title = escape(article.title)
    paras = "".join(f"<p>{escape(p)}</p>" for p in article.paras)
    charset = article.encoding
    head = [
        f'<meta charset="{charset}">',
        f"<title>{title} | {escape(SITE_NAME[article.outlet])}</title>",
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:site_name" content="{escape(SITE_NAME[article.outlet])}">',
        f'<meta property="og:url" content="{url}">',
    ]
    for lang, path in sorted(article.alternates.items()):
        head.append(f'<link rel="alternate" hreflang="{lang}" href="{base}/{path}">')
    if article.alternates:
        head.append(f'<link rel="alternate" hreflang="{article.lang}" href="{url}">')
    date_html = f'<time datetime="{article.published}">{escape(human_date(article))}</time>'
    author_html = f'<span class="author">{escape(article.author)}</span>' if article.author else ""
    if platform == "pangea":
        if article.amp:
            head.append(
                f'<link rel="amphtml" href="{base}/{article.outlet}/amp/{_id_of(article)}.html">'
            )
        head.append(_jsonld(article, url))
        body = (
            f'<body class="pg-article">{_nav(article.lang, base + "/" + article.outlet)}'
            f'<div id="content"><h1 class="title pg-title">{title}</h1>'
            f'<div class="publishing-details"><span class="date">{date_html}</span>{author_html}</div>'
            f'<div id="article-content" class="content-floated-wrap"><div class="wsw">{paras}</div></div>'
            f"{_related(article, base, others)}</div>{_footer(article)}</body>"
        )
    elif platform == "bitrix":
        head.append(_jsonld(article, url, with_dates=False))
        body = (
            f'<body><div class="header">{_nav(article.lang, base + "/ng")}</div>'
            f'<div class="rubrics"><a href="{base}/ng/politics/">Политика</a> '
            f'<a href="{base}/ng/economics/">Экономика</a> <a href="{base}/ng/world/">В мире</a></div>'
            f'<div class="article"><h1>{title}</h1><div class="author">{author_html} '
            f'Обозреватель «НГ»</div><div class="typical">{paras}</div></div>'
            f"{_related(article, base, others)}{_footer(article)}</body>"
        )
    elif platform == "divi":
        head.append(f'<meta property="article:published_time" content="{article.published}">')
        if article.modified:
            head.append(f'<meta property="article:modified_time" content="{article.modified}">')
        body = (
            f'<body class="single single-post">{_nav(article.lang, base + "/" + article.outlet)}'
            f'<article id="post-{int(hashlib.sha256(article.path.encode()).hexdigest()[:5], 16)}" class="post">'
            f'<div class="et_pb_title_container"><h1 class="entry-title">{title}</h1>'
            f'<p class="post-meta"><span class="published">{escape(human_date(article))}</span> '
            f'{author_html}</p></div><div id="single-post-custom">{paras}</div></article>'
            f"{_related(article, base, others)}{_footer(article)}</body>"
        )
    elif platform == "tagdiv":
        body = (
            f'<body class="td-theme">{_nav(article.lang, base + "/hronikatm")}'
            f'<article data-post-title="{title}"><div class="tdb-block-inner td-fix-index">'
            f'<h1 class="tdb-title-text">{title}</h1>'
            f'<time class="entry-date updated td-module-date" datetime="{article.published}">'
            f"{escape(human_date(article))}</time></div>"
            f'<div class="tdb-block-inner td-fix-index entry-content">{paras}</div></article>'
            f'<div class="tdb_module_related">{_related(article, base, others)}</div>'
            f"{_footer(article)}</body>"
        )
    else:  # the Turkish outlets
        if article.outlet == "bianet":
            head.append(_jsonld(article, url))
            meta = f'<div class="meta">Yayın Tarihi: {escape(human_date(article))}</div>'
        else:
            meta = f'<div class="meta">Yayınlanma: {escape(human_date(article))}</div>'
        body = (
            f"<body>{_nav(article.lang, base + '/' + article.outlet)}<main><article>"
            f'<h1 class="headline">{title}</h1>{meta}{author_html}'
            f'<div class="article-body">{paras}</div>'
            f'<div class="evr-sub-cta">{escape(_PROMO["tr"])}</div></article></main>'
            f"{_related(article, base, others)}{_footer(article)}</body>"
        )
    return (
        f'<!DOCTYPE html><html lang="{article.lang}" dir="ltr"><head>{"".join(head)}</head>'
        f"{body}</html>"
    )


def amp_page(article: SampleArticle, base: str) -> str:
    url = f"{base}/{article.outlet}/{article.path}"
    paras = "".join(f"<p>{escape(p)}</p>" for p in article.paras)
    return (
        f'<!DOCTYPE html><html amp lang="{article.lang}"><head><meta charset="utf-8">'
        f'<title>{escape(article.title)}</title><link rel="canonical" href="{url}">'
        f"{_jsonld(article, url)}</head><body><h1>{escape(article.title)}</h1>"
        f'<div class="wsw">{paras}</div></body></html>'
    )


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss(title: str, link: str, items: list[SampleArticle], base: str, author: bool = False) -> str:
    entries = []
    for a in items:
        url = f"{base}/{a.outlet}/{a.path}"
        creator = f"<dc:creator>{escape(a.author)}</dc:creator>" if author and a.author else ""
        entries.append(
            f"<item><title>{escape(a.title)}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{_rfc822(a.published)}</pubDate>{creator}"
            f"<description>{escape(a.paras[0])}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>{link}</link>"
        "<generator>tmwatch sample outlet</generator><ttl>60</ttl>"
        + "".join(entries)
        + "</channel></rss>"
    )


def atom(title: str, link: str, items: list[SampleArticle], base: str) -> str:
    entries = []
    for a in items:
        url = f"{base}/{a.outlet}/{a.path}"
        entries.append(
            f'<entry><title>{escape(a.title)}</title><link rel="alternate" href="{url}"/>'
            f"<id>{url}</id><published>{a.published}</published><updated>{a.modified or a.published}</updated>"
            + (f"<author><name>{escape(a.author)}</name></author>" if a.author else "")
            + f"<summary>{escape(a.paras[0])}</summary></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="{link}"/><id>{link}</id>'
        "<updated>2021-11-08T12:00:00Z</updated>" + "".join(entries) + "</feed>"
    )


def news_sitemap(items: list[SampleArticle], base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}/{a.outlet}/{a.path}</loc><news:news><news:publication>"
        f"<news:name>{escape(SITE_NAME[a.outlet])}</news:name><news:language>{a.lang}</news:language>"
        f"</news:publication><news:publication_date>{a.published}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
    )


def listing_page(
    title: str,
    items: list[SampleArticle],
    base: str,
    lang: str,
    next_url: str | None,
    date_class: str = "date",
) -> str:
    blocks = "".join(
        f'<li class="media-block"><div class="media-block__content">'
        f'<a href="{base}/{a.outlet}/{a.path}"><h4 class="media-block__title"><span class="title">'
        f"{escape(a.title)}</span></h4></a>"
        f'<span class="{date_class}"><time class="entry-date" datetime="{a.published}">'
        f"{escape(human_date(a))}</time></span></div></li>"
        for a in items
    )
    pager = f'<a class="next" rel="next" href="{next_url}">›</a>' if next_url else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body>{_nav(lang, base)}<h1>{escape(title)}</h1><ul>{blocks}</ul>"
        f'<div class="pager">{pager}</div></body></html>'
    )


def build_site(base: str) -> dict[str, Resource]:
    """Every path the sample server answers, keyed by path (with query string, no host)."""
    site: dict[str, Resource] = {}
    by_outlet: dict[str, list[SampleArticle]] = {}
    for article in ALL_ARTICLES:
        by_outlet.setdefault(article.outlet, []).append(article)
    for outlet, articles in by_outlet.items():
        articles.sort(key=lambda a: a.published, reverse=True)
        for i, article in enumerate(articles):
            others = articles[i + 1 :] + articles[:i]
            page = article_page(article, base, others)
            content_type = f"text/html; charset={article.encoding}"
            site[f"/{outlet}/{article.path}"] = Resource(
                page.encode(article.encoding), content_type, slow=article.slow
            )
            if article.amp:
                site[f"/{outlet}/amp/{_id_of(article)}.html"] = Resource(
                    amp_page(article, base).encode()
                )
            if article.redirect_from:
                site[f"/{article.redirect_from}"] = Resource(
                    b"", status=301, location=f"{base}/{outlet}/{article.path}"
                )

    xml = "application/xml; charset=utf-8"
    rss_type = "application/rss+xml; charset=utf-8"
    # Radio Azatlyk (Turkmen): zone feed, sitemap index -> a ".gz" shard served as plain XML,
    # and the "Dünýä Türkmenleri" listing paginated with ?p=<n> from 0.
    tk = by_outlet["azathabar"]
    site["/azathabar/api/z-$g_eqvi-q_t"] = Resource(
        rss("Azatlyk Radiosy", f"{base}/azathabar/", tk[:8], base).encode(), rss_type
    )
    site["/azathabar/sitemap.xml"] = Resource(
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/azathabar/sitemap_426_latest.xml.gz</loc>"
            "<lastmod>2021-11-08</lastmod></sitemap></sitemapindex>"
        ).encode(),
        xml,
    )
    site["/azathabar/sitemap_426_latest.xml.gz"] = Resource(
        news_sitemap(tk, base).encode(), "application/octet-stream"
    )
    # The /rssfeeds page lists the zone feeds: one of the "Dünýä Türkmenleri" zone, one already
    # known, and an RFE/RL "zombie" feed answering 200 with an 11-byte body.
    diaspora = [a for a in tk if "Taganowa" in a.title or "Rahmanow" in a.title]
    site["/azathabar/api/zpqoteqvoi"] = Resource(
        rss("Dünýä Türkmenleri", f"{base}/azathabar/p/5001.html", diaspora, base).encode(),
        rss_type,
    )
    site["/azathabar/api/zombie"] = Resource(b"<rss></rss>", rss_type)
    feeds_list = "".join(
        f'<li><a href="{base}/azathabar/api/{path}">{escape(label)}</a></li>'
        for path, label in (
            ("z-$g_eqvi-q_t", "Habarlar"),
            ("zpqoteqvoi", "Dünýä Türkmenleri"),
            ("zombie", "Wideo"),
        )
    )
    site["/azathabar/rssfeeds"] = Resource(
        (
            '<!DOCTYPE html><html lang="tk"><head><meta charset="utf-8"><title>RSS</title>'
            f"</head><body>{_nav('tk', base + '/azathabar')}<h1>RSS</h1><ul>{feeds_list}</ul>"
            f'<p><a href="{base}/azathabar/z/17199">Habarlar gündeligi</a></p></body></html>'
        ).encode()
    )
    pages = [tk[i : i + 5] for i in range(0, len(tk), 5)]
    for n, chunk in enumerate(pages):
        nxt = f"{base}/azathabar/p/5001.html?p={n + 1}" if n + 1 < len(pages) else None
        html = listing_page("Dünýä Türkmenleri", chunk, base, "tk", nxt)
        site[f"/azathabar/p/5001.html?p={n}"] = Resource(html.encode())
        if n == 0:
            site["/azathabar/p/5001.html"] = Resource(html.encode())
    # Radio Azatlyk (Russian): the old host's feed links old-host URLs that redirect.
    ru_az = by_outlet["azattyqasia"]
    feed = rss("Азатлык", f"{base}/rus-azathabar/", ru_az, base)
    for a in ru_az:
        if a.redirect_from:
            feed = feed.replace(f"{base}/{a.outlet}/{a.path}", f"{base}/{a.redirect_from}")
    site["/rus-azathabar/api/"] = Resource(feed.encode(), rss_type)
    # NG: RSS with the latest items, the /courier/ rubric paginated Bitrix-style.
    ng = by_outlet["ng"]
    site["/ng/rss/"] = Resource(
        rss("Независимая газета", f"{base}/ng/", ng[:3], base, author=True).encode(), rss_type
    )
    site["/ng/courier/"] = Resource(
        listing_page("Содружество", ng[:3], base, "ru", f"{base}/ng/courier/?PAGEN_1=2").encode()
    )
    site["/ng/courier/?PAGEN_1=2"] = Resource(
        listing_page("Содружество", ng[3:], base, "ru", None).encode()
    )
    # Turkmen.News: RSS (ru) and Atom (en).
    site["/turkmen-news/feed/"] = Resource(
        rss(
            "Turkmen.News", f"{base}/turkmen-news/", by_outlet["turkmen-news"], base, author=True
        ).encode(),
        rss_type,
    )
    site["/en-turkmen-news/feed/"] = Resource(
        atom(
            "Turkmen.News", f"{base}/en-turkmen-news/", by_outlet["en-turkmen-news"], base
        ).encode(),
        "application/atom+xml; charset=utf-8",
    )
    # Chronicles: RSS whose last item is gone (404), and /novosti/page/<n>/ listings.
    hr = by_outlet["hronikatm"]
    feed = rss("Хроника Туркменистана", f"{base}/hronikatm/", hr[:5], base)
    gone = "".join(
        f"<item><title>Удалённая статья</title><link>{base}/{path}</link>"
        "<pubDate>Thu, 04 Nov 2021 10:00:00 +0300</pubDate></item>"
        for path in MISSING
    )
    site["/hronikatm/feed/"] = Resource(
        feed.replace("</channel>", gone + "</channel>").encode(), rss_type
    )
    site["/hronikatm/novosti/"] = Resource(
        listing_page("Новости", hr[:4], base, "ru", f"{base}/hronikatm/novosti/page/2/").encode()
    )
    site["/hronikatm/novosti/page/2/"] = Resource(
        listing_page("Новости", hr[4:], base, "ru", None).encode()
    )
    # bianet: plain RSS.
    site["/bianet/rss/bianet"] = Resource(
        rss("bianet", f"{base}/bianet/", by_outlet["bianet"], base).encode(), rss_type
    )
    # Evrensel: a broken feed (truncated mid-item, bare ampersand) and a news sitemap.
    ev = by_outlet["evrensel"]
    broken = rss("Evrensel & Emek", f"{base}/evrensel/", ev[:3], base)
    broken = broken.replace("<title>Evrensel &amp; Emek</title>", "<title>Evrensel & Emek</title>")
    site["/evrensel/rss/haber.xml"] = Resource(broken[: int(len(broken) * 0.6)].encode(), rss_type)
    site["/evrensel/sitemap-news.xml"] = Resource(news_sitemap(ev, base).encode(), xml)
    # Gundogar: a table-layout listing of query-string URLs whose pages extraction refuses.
    for path, page in gundogar.site(base).items():
        site[path] = Resource(page.encode())
    for module in OUTLET_MODULES.values():
        site[f"/{module.OUTLET}/"] = Resource(module.home(base).encode())
        for path, (text, content_type) in module.site(base).items():
            site[path] = Resource(text.encode(), content_type)
    site["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    add_home_pages(site, base, by_outlet)
    # A Telegram channel's preview and embed pages, a YouTube channel's feed and watch pages.
    for path, (page, kind) in channels.site(base).items():
        site[path] = Resource(page.encode(), kind)
    return site


def article_urls(base: str) -> list[str]:
    return [f"{base}/{a.outlet}/{a.path}" for a in ALL_ARTICLES]


# Home pages, for `tmwatch sources discover`: each mimics the real site's <head> (og:site_name,
# <link rel="alternate"> to the feed the registry reads, Pangea's <link rel="sitemap">) and links
# its latest articles. No spider fetches them; robots.txt gains the sitemap Evrensel's sample has.
HOME_FEEDS: dict[str, tuple[str, str, str, str]] = {
    # home prefix: (site name key, language, feed path, feed type)
    "azathabar": ("azathabar", "tk", "api/z-$g_eqvi-q_t", "application/rss+xml"),
    "rus-azathabar": ("azattyqasia", "ru", "api/", "application/rss+xml"),
    "ng": ("ng", "ru", "rss/", "application/rss+xml"),
    "turkmen-news": ("turkmen-news", "ru", "feed/", "application/rss+xml"),
    "en-turkmen-news": ("en-turkmen-news", "en", "feed/", "application/atom+xml"),
    "hronikatm": ("hronikatm", "ru", "feed/", "application/rss+xml"),
    "bianet": ("bianet", "tr", "rss/bianet", "application/rss+xml"),
    "evrensel": ("evrensel", "tr", "rss/haber.xml", "application/rss+xml"),
}


# Rubric listings the registry reads, linked from the home page's menu as on the real sites.
HOME_RUBRICS: dict[str, tuple[tuple[str, str], ...]] = {
    "ng": (("Содружество", "courier/"),),
    "hronikatm": (("Новости", "novosti/"),),
}


def home_page(prefix: str, base: str, articles: list[SampleArticle]) -> bytes:
    """An outlet's home page: the head discovery reads, a menu, the latest article links."""
    site_key, lang, feed, feed_type = HOME_FEEDS[prefix]
    name = escape(SITE_NAME[site_key])
    home = f"{base}/{prefix}/"
    charset = "windows-1251" if prefix == "ng" else "utf-8"
    head = [
        f'<meta charset="{charset}">',
        f"<title>{name}</title>",
        f'<meta property="og:site_name" content="{name}">',
        f'<meta property="og:url" content="{home}">',
        f'<link rel="alternate" type="{feed_type}" title="{name}" href="{home}{feed}">',
    ]
    if prefix == "azathabar":
        head.append(f'<link rel="sitemap" type="application/xml" href="{home}sitemap.xml">')
    links = "".join(
        f'<li><a href="{base}/{a.outlet}/{a.path}">{escape(a.title)}</a></li>' for a in articles[:5]
    )
    body_class = ' class="pg-section pg-home"' if PLATFORM.get(prefix) == "pangea" else ""
    rubrics = "".join(
        f'<a href="{home}{path}">{escape(label)}</a>'
        for label, path in HOME_RUBRICS.get(prefix, ())
    )
    html = (
        f'<!DOCTYPE html><html lang="{lang}" dir="ltr"><head>{"".join(head)}</head>'
        f"<body{body_class}><header>{_nav(lang, base + '/' + prefix)}{rubrics}</header>"
        f"<main><ul>{links}</ul></main><footer><p>© 2021 {name}</p></footer></body></html>"
    )
    return html.encode(charset)


def add_home_pages(
    site: dict[str, Resource], base: str, by_outlet: dict[str, list[SampleArticle]]
) -> None:
    for prefix, (site_key, *_rest) in HOME_FEEDS.items():
        charset = "windows-1251" if prefix == "ng" else "utf-8"
        site[f"/{prefix}/"] = Resource(
            home_page(prefix, base, by_outlet[site_key]), f"text/html; charset={charset}"
        )
    robots = site["/robots.txt"]
    extra = f"Sitemap: {base}/evrensel/sitemap-news.xml\n".encode()
    site["/robots.txt"] = Resource(robots.body + extra, robots.content_type)
