"""Extraction quality on labelled pages: refusals, exact titles, main-text word P/R/F1, ms/page.

    python bench/extraction_eval.py            # tmwatch and trafilatura on every set
    python bench/extraction_eval.py --errors   # also list every wrong title and weak text

Three labelled sets:

* ``synthetic``: small pages written here, one group per defect class of issue 11 (pages with
  an XML declaration in several encodings, HTML entities in titles, site-name affixes, a
  visible headline worded differently from the JSON-LD one, long articles that precision-first
  extraction loses), each with its expected title and text.
* ``samples``: the 67 synthetic sample-outlet articles (``tmwatch.samples``) as the sample
  server renders them.
* ``real``: real news pages that ship inside the newspaper4k sdist (MIT licence; its
  ``tests/data/html``, ``txt`` and ``metadata``), copied gzipped under
  ``bench/data/real/newspaper4k/`` with the package's LICENSE. The reference titles are
  newspaper4k's, except where ``corrections.json`` there gives the headline the page shows
  (a footnote cites what the reader sees; the reason is recorded for each). ``title_shipped``
  scores against the shipped titles unchanged. trafilatura's and goose3's sdists ship no page
  with a reference text, so they give nothing to score against.

Text is scored as a bag of words against the reference: precision is the share of extracted
words found in the reference, recall the share of reference words extracted (CJK and Thai
characters count one each, since those scripts do not separate words). P, R and F1 are means
over pages; a refused page scores 0. The same pages go through trafilatura alone
(``bare_extraction`` with metadata, default options) for comparison. The last line is one
JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from tmwatch.pipeline.extract import ExtractionError, extract
from tmwatch.samples.render import ALL_ARTICLES, article_page

REAL = Path(__file__).with_name("data") / "real" / "newspaper4k"
BASE = "http://127.0.0.1:9"
SETS = ("synthetic", "samples", "real")
_TOKEN = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


@dataclass(frozen=True)
class Page:
    """One labelled page: bytes as served, and what a footnote and a reader need from it."""

    set: str
    name: str
    body: bytes
    url: str
    title: str
    text: str
    content_type: str | None = None
    site_names: tuple[str, ...] = ()
    kind: str = ""
    title_shipped: str | None = None  # the real set's reference before corrections


@dataclass
class Reading:
    title: str | None
    text: str
    ms: float


@dataclass
class Scores:
    pages: int = 0
    refused: int = 0
    titles: int = 0
    titles_shipped: int = 0
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "pages": self.pages,
            "refused": self.refused,
            "title_exact": round(self.titles / self.pages, 3),
            "text_p": round(statistics.fmean(self.precision), 3),
            "text_r": round(statistics.fmean(self.recall), 3),
            "text_f1": round(statistics.fmean(self.f1), 3),
            "ms_per_page": round(statistics.fmean(self.ms), 1),
        }
        return out


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def text_scores(extracted: str, reference: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``extracted`` against ``reference``."""
    got, want = Counter(tokens(extracted)), Counter(tokens(reference))
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def same_title(got: str | None, want: str) -> bool:
    """Exact after Unicode NFC and whitespace normalisation (NBSP and ideographic spaces too)."""

    def norm(value: str) -> str:
        return " ".join(unicodedata.normalize("NFC", value).split())

    return got is not None and norm(got) == norm(want)


# -- the synthetic set --------------------------------------------------------------------------

_TR = [
    "İstanbul'da gözaltına alınan Türkmen aktivistler geri gönderme merkezine götürüldü.",
    "Avukatları, müvekkillerinin sınır dışı edilmesi halinde Türkmenistan'da işkence "
    "görebileceklerini söyledi.",
    "Aktivistlerin aileleri, gözaltıların ardından kendilerine hiçbir bilgi verilmediğini anlattı.",
    "İnsan hakları örgütleri, Türkiye'nin geri göndermeme ilkesine uyması gerektiğini hatırlattı.",
    "Göç idaresi yetkilileri ise işlemlerin yasal çerçevede yürütüldüğünü açıkladı.",
    "Gözaltındakilerden biri, sosyal medyada Aşgabat yönetimini eleştiren videolar yayımlamıştı.",
    "Merkezde tutulanların telefonlarına el konulduğu ve avukatla görüşmelerinin "
    "geciktirildiği belirtildi.",
    "Benzer bir olay geçen yıl Ankara'da yaşanmış, iki aktivist kısa süre sonra serbest "
    "bırakılmıştı.",
]
_RU = [
    "В Стамбуле задержаны туркменские активисты, их доставили в центр депортации.",
    "Адвокаты заявили, что в случае высылки в Туркменистан их подзащитным грозят пытки.",
    "Родственники задержанных говорят, что им не сообщили, где находятся активисты.",
    "Правозащитники напомнили Турции о принципе невысылки.",
    "В миграционной службе ответили, что все процедуры проводятся в рамках закона.",
    "Один из задержанных публиковал в соцсетях видео с критикой властей Ашхабада.",
    "У задержанных изъяли телефоны, встречи с адвокатом откладываются.",
    "В прошлом году похожий случай произошёл в Анкаре, тогда активистов вскоре отпустили.",
]
_TK = [
    "Stambulda saklanan türkmen aktiwistleri deportasiýa merkezine äkidildi.",
    "Aklawçylaryň aýtmagyna görä, olar Türkmenistana iberilse, gynamalara sezewar bolup bilerler.",
    "Saklananlaryň maşgalalary özlerine hiç hili maglumat berilmändigini aýtdy.",
    "Adam hukuklary guramalary Türkiýäni yzyna ibermezlik ýörelgesini berjaý etmäge çagyrdy.",
    "Migrasiýa gullugy ähli işleriň kanun çäginde alnyp barylýandygyny aýtdy.",
    "Saklananlaryň biri sosial ulgamlarda Aşgabadyň häkimiýetlerini tankytlaýan wideolar "
    "ýaýradypdy.",
]
_EN = [
    "Turkmen activists detained in Istanbul were taken to a removal centre on Tuesday.",
    "Their lawyers said the men could face torture if they were deported to Turkmenistan.",
    "Relatives said nobody had told them where the activists were being held.",
    "Rights groups reminded Turkey of its obligations under the principle of non-refoulement.",
    "The migration authority said every step had been taken in accordance with the law.",
    "One of the detained men had posted videos criticising the authorities in Ashgabat.",
    "Their phones were confiscated and meetings with a lawyer were postponed.",
    "A similar case in Ankara last year ended with the activists' release a few days later.",
]
_SENTENCES = {"tr": _TR, "ru": _RU, "tk": _TK, "en": _EN}
_MENU = {
    "tr": ("Ana sayfa", "Gündem", "Dünya", "Tüm hakları saklıdır."),
    "ru": ("Главная", "Политика", "В мире", "Все права защищены."),
    "tk": ("Baş sahypa", "Syýasat", "Dünýä", "Ähli hukuklar goralan."),
    "en": ("Home", "Politics", "World", "All rights reserved."),
}


def _nav(lang: str) -> str:
    home, section, world, _ = _MENU[lang]
    return (
        f'<nav><a href="/">{home}</a> <a href="/politics">{section}</a> '
        f'<a href="/world">{world}</a></nav>'
    )


def _footer(lang: str) -> str:
    return f"<footer><p>2023 {_MENU[lang][3]}</p></footer>"


# One sentence per paragraph that no other paragraph has: extractors drop repeated paragraphs.
_FACTS = {
    "tr": "Dosyada {n} sayılı karar ve {city} valiliğinin {m} tarihli yazısı bulunuyor.",
    "ru": "В деле есть решение № {n} и письмо из города {city} от {m} числа.",
    "tk": "Işde {n} belgili karar we {city} şäherinden {m}-nji senedäki hat bar.",
    "en": "The file holds decision no. {n} and a letter from {city} dated the {m}th.",
}
_CITIES = ["Istanbul", "Ankara", "Izmir", "Bursa", "Antalya", "Kayseri", "Konya", "Mersin"]


def _paragraphs(lang: str, count: int, offset: int = 0) -> list[str]:
    """``count`` distinct paragraphs: three of the language's sentences in rotation, and a
    sentence of facts (numbers, a city) of the paragraph's own."""
    pool = _SENTENCES[lang]
    paragraphs = []
    for i in range(count):
        sentences = [pool[(offset + 3 * i + k) % len(pool)] for k in range(3)]
        fact = _FACTS[lang].format(n=1041 + 37 * i, city=_CITIES[i % len(_CITIES)], m=1 + i % 28)
        paragraphs.append(" ".join([*sentences[:2], fact, sentences[2]]))
    return paragraphs


def _page(
    *,
    head: str = "",
    h1: str | None = None,
    paras: list[str],
    lang: str = "tr",
    charset_meta: str | None = "utf-8",
    prologue: str = "<!DOCTYPE html>",
    html_attrs: str = "",
    around: tuple[str, str] = ("<article>", "</article>"),
) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    heading = f"<h1>{h1}</h1>" if h1 is not None else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (
        f'{prologue}<html lang="{lang}"{html_attrs}><head>{meta}{head}</head><body>{_nav(lang)}'
        f"<main>{around[0]}{heading}{body}{around[1]}</main>{_footer(lang)}</body></html>"
    )


def _ld(headline: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def _xml_pages() -> Iterator[Page]:
    """Pages starting with an XML declaration (XHTML as some CMSs serve it), and the same
    encodings without one: every way a charset reaches us (BOM, HTTP, XML, meta, nothing)."""
    xhtml = (
        ' xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}"',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    )
    titles = {
        "ru": "Туркменских активистов задержали в Стамбуле",
        "tr": "Türkmen aktivistler İstanbul'da gözaltına alındı",
        "tk": "Türkmen aktiwistleri Stambulda saklandy",
    }
    cases = [
        # name, lang, encoding, xml declaration's encoding, meta charset, HTTP charset, BOM
        ("utf8-decl", "tr", "utf-8", "utf-8", "utf-8", None, False),
        ("utf8-decl-no-meta", "tk", "utf-8", "utf-8", None, None, False),
        ("utf8-bom-decl", "tk", "utf-8", "utf-8", None, None, True),
        ("utf8-decl-http", "tr", "utf-8", "utf-8", None, "utf-8", False),
        ("cp1251-decl-only", "ru", "windows-1251", "windows-1251", None, None, False),
        ("cp1251-decl-meta", "ru", "windows-1251", "windows-1251", "windows-1251", None, False),
        ("cp1251-decl-http", "ru", "windows-1251", "windows-1251", None, "windows-1251", False),
        ("cp1251-http-over-decl", "ru", "windows-1251", "utf-8", None, "windows-1251", False),
        ("cp1251-meta", "ru", "windows-1251", None, "windows-1251", None, False),
        ("cp1251-http", "ru", "windows-1251", None, None, "windows-1251", False),
        ("cp1251-undeclared", "ru", "windows-1251", None, None, None, False),
        ("utf8-plain", "tr", "utf-8", None, "utf-8", None, False),
        ("utf8-undeclared", "ru", "utf-8", None, None, None, False),
    ]
    for name, lang, encoding, declared, meta, http, bom in cases:
        paras = _paragraphs(lang, 4)
        title = titles[lang]
        prologue = "<!DOCTYPE html>"
        attrs = ""
        if declared:
            prologue = f'<?xml version="1.0" encoding="{declared}"?>\n{xhtml[1]}'
            attrs = xhtml[0].format(lang=lang)
        head = f"<title>{escape(title)}</title>"
        html = _page(
            head=head,
            h1=escape(title),
            paras=paras,
            lang=lang,
            charset_meta=meta,
            prologue=prologue,
            html_attrs=attrs,
        )
        body = html.encode(encoding)
        if bom:
            body = b"\xef\xbb\xbf" + body
        content_type = f"text/html; charset={http}" if http else "text/html"
        if name == "utf8-decl-http":
            content_type = f"application/xhtml+xml; charset={http}"
        yield Page(
            "synthetic",
            f"xml/{name}",
            body,
            f"https://example.org/xml/{name}",
            title,
            "\n".join(paras),
            content_type=content_type,
            kind="xml",
        )


def _entity_pages() -> Iterator[Page]:
    """Titles as real CMSs escape them: numeric and named entities, escaped once too often."""
    paras = _paragraphs("tr", 4)
    title = "Türkmen aktivistler İstanbul'da gözaltına alındı"
    cases = [
        # JSON-LD with an entity in the JSON string (a CMS escaping for HTML, not JSON)
        ("jsonld-numeric", _ld("Türkmen aktivistler İstanbul&#039;da gözaltına alındı"), None),
        # og:title escaped twice: the attribute holds "&amp;#039;"
        (
            "og-double",
            '<meta property="og:title" content="Türkmen aktivistler İstanbul&amp;#039;da '
            'gözaltına alındı">',
            None,
        ),
        # the <title> escaped twice, nothing else
        (
            "title-double",
            "<title>Türkmen aktivistler İstanbul&amp;#039;da gözaltına alındı</title>",
            None,
        ),
        # a named entity in JSON-LD
        ("jsonld-named", _ld("T&uuml;rkmen aktivistler İstanbul'da gözaltına alındı"), None),
        # the visible headline escaped twice by the theme
        ("h1-double", "", "Türkmen aktivistler İstanbul&amp;#039;da gözaltına alındı"),
    ]
    for name, head, h1 in cases:
        yield Page(
            "synthetic",
            f"entities/{name}",
            _page(head=head, h1=h1, paras=paras).encode(),
            f"https://example.org/entities/{name}",
            title,
            "\n".join(paras),
            kind="entities",
        )
    quoted = 'Avukat: "Aktivistler sınır dışı edilmemeli"'
    yield Page(
        "synthetic",
        "entities/quot-double",
        _page(
            head='<meta property="og:title" content="Avukat: &amp;quot;Aktivistler sınır dışı '
            'edilmemeli&amp;quot;">',
            paras=paras,
        ).encode(),
        "https://example.org/entities/quot-double",
        quoted,
        "\n".join(paras),
        kind="entities",
    )


def _site_name_pages() -> Iterator[Page]:
    """Site names around titles, known from the page (og:site_name, application-name) or only
    from the registry (passed as ``site_names``); headlines that contain separators themselves."""
    tr, ru = _paragraphs("tr", 4), _paragraphs("ru", 4)
    tr_title = "Türkmen aktivistler İstanbul'da gözaltına alındı"
    ru_title = "Туркменских активистов задержали в Стамбуле"
    dash_title = "Ankara - Aşgabat hattında yeni sınır dışı etme iddiası"
    cases: list[tuple[str, str, list[str], str, tuple[str, ...]]] = [
        (
            "pipe-og-site-name",
            f"<title>{tr_title} | Evrensel</title>"
            '<meta property="og:site_name" content="Evrensel">',
            tr,
            tr_title,
            (),
        ),
        (
            "dash-and-date",
            f'<meta property="og:title" content="{tr_title} – bianet | 28.04.2023">'
            '<meta name="application-name" content="bianet">',
            tr,
            tr_title,
            (),
        ),
        ("prefix-registry", f"<title>Evrensel - {tr_title}</title>", tr, tr_title, ("Evrensel",)),
        (
            "cyrillic-site",
            f"<title>{ru_title} - Хроника Туркменистана</title>"
            '<meta property="og:site_name" content="Хроника Туркменистана">',
            ru,
            ru_title,
            (),
        ),
        (
            "registry-long-name",
            f"<title>{ru_title} — Независимая газета</title>",
            ru,
            ru_title,
            ("Nezavisimaya Gazeta", "Независимая газета"),
        ),
        (
            "dash-in-headline",
            f'<title>{dash_title} | bianet</title><meta property="og:site_name" content="bianet">',
            tr,
            dash_title,
            (),
        ),
        (
            "domain-suffix",
            f"<title>{ru_title} :: Turkmen.News</title>",
            ru,
            ru_title,
            ("Turkmen.News",),
        ),
        (
            "no-name-known",
            f"<title>{dash_title}</title>",
            tr,
            dash_title,
            (),
        ),
    ]
    for name, head, paras, title, names in cases:
        # The headline is not in an <h1> here (a themed <div>), so only the <title>/og:title
        # and the site names decide.
        html = _page(
            head=head,
            paras=paras,
            lang="ru" if paras is ru else "tr",
            around=(f'<article><div class="headline">{escape(title)}</div>', "</article>"),
        )
        yield Page(
            "synthetic",
            f"sitename/{name}",
            html.encode(),
            f"https://example.org/sitename/{name}",
            title,
            "\n".join(paras),
            site_names=names,
            kind="sitename",
        )


def _headline_pages() -> Iterator[Page]:
    """The visible headline against differently worded JSON-LD, og and <title> headlines, and
    h1 elements that are not the headline (the logo, a section name)."""
    paras = _paragraphs("en", 4)
    seo = "Turkey detains Turkmen activists, lawyers fear deportation | Outlet"
    visible = "Four Turkmen activists held in Istanbul removal centre"
    ld_seo = _ld("Turkey detains Turkmen activists, lawyers fear deportation")
    og_seo = '<meta property="og:title" content="Turkey detains Turkmen activists">'
    cases: list[tuple[str, str, str, str]] = [
        # name, head, body before the article paragraphs, expected title
        ("in-article", ld_seo + og_seo + f"<title>{seo}</title>", f"<h1>{visible}</h1>", visible),
        (
            "kicker-in-jsonld",
            _ld(f"Exclusive: {visible}") + f"<title>{seo}</title>",
            f"<h1>{visible}</h1>",
            visible,
        ),
        (
            "not-in-article",
            ld_seo,
            f'</article><div id="content"><h1 class="pg-title">{visible}</h1></div><article>',
            visible,
        ),
        (
            "logo-h1",
            ld_seo + og_seo,
            '</article><h1 class="logo"><a href="/">Outlet</a></h1><article>'
            '<h2 class="title">Turkey detains Turkmen activists, lawyers fear deportation</h2>',
            "Turkey detains Turkmen activists, lawyers fear deportation",
        ),
        (
            "section-h1",
            ld_seo,
            "</article><h1>World</h1><article>",
            "Turkey detains Turkmen activists, lawyers fear deportation",
        ),
        (
            "h1-with-byline",
            og_seo + f"<title>{visible} | Outlet</title>",
            f"<h1><span>{visible}</span><br><small>By a correspondent</small></h1>",
            visible,
        ),
        (
            "h1-with-home-link",
            f"<title>{visible} » World » Outlet</title>",
            f'<h1><span>{visible}</span><a href="/">Outlet</a></h1>',
            visible,
        ),
    ]
    for name, head, before, title in cases:
        html = _page(head=head, paras=paras, lang="en", around=(f"<article>{before}", "</article>"))
        yield Page(
            "synthetic",
            f"headline/{name}",
            html.encode(),
            f"https://example.org/headline/{name}",
            title,
            "\n".join(paras),
            kind="headline",
        )


def _recall_pages() -> Iterator[Page]:
    """Long articles whose layout makes precision-first extraction drop most of the text, and a
    page where the default mode would add boilerplate that precision mode rightly leaves out."""
    menu = "".join(
        f'<li><a href="/haber/{i}">Arşivden haber başlığı {i}: bölgede olaylar</a></li>'
        for i in range(40)
    )
    for lang, title in (
        ("tr", "Türkmen aktivistlerin avukatları sınır dışı kararına itiraz etti"),
        ("ru", "Адвокаты туркменских активистов обжаловали решение о высылке"),
    ):
        paras = _paragraphs(lang, 24, offset=1)
        lead, rest = paras[:2], paras[2:]
        # An old table layout: lead above, the body in a cell beside an archive menu.
        html = (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body>{_nav(lang)}<h1>{escape(title)}</h1>"
            f'<div class="summary">{"".join(f"<p>{escape(p)}</p>" for p in lead)}</div>'
            f'<table><tr><td class="side"><ul>{menu}</ul></td><td class="main">'
            f"{''.join(f'<p>{escape(p)}</p>' for p in rest)}</td></tr></table>"
            f"{_footer(lang)}</body></html>"
        )
        yield Page(
            "synthetic",
            f"recall/table-layout-{lang}",
            html.encode(),
            f"https://example.org/recall/{lang}",
            title,
            "\n".join(paras),
            kind="recall",
        )
    paras = _paragraphs("en", 8)
    teasers = "".join(
        f'<div class="teaser"><p>{escape(s)} Read the full story in our archive.</p></div>'
        for s in _EN[:6]
    )
    title = "Lawyers appeal deportation order for Turkmen activists"
    nav, footer = _nav("en"), _footer("en")
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{nav}<main><article><h1>{title}</h1>"
        f"{''.join(f'<p>{escape(p)}</p>' for p in paras)}</article>"
        f'<section class="more">{teasers}</section></main>{footer}</body></html>'
    )
    yield Page(
        "synthetic",
        "recall/teasers-stay-out",
        html.encode(),
        "https://example.org/recall/teasers",
        title,
        "\n".join(paras),
        kind="recall",
    )


def synthetic_pages() -> list[Page]:
    return [
        *_xml_pages(),
        *_entity_pages(),
        *_site_name_pages(),
        *_headline_pages(),
        *_recall_pages(),
    ]


def sample_pages() -> list[Page]:
    """The sample outlets' articles, as served (charset included)."""
    pages = []
    for article in ALL_ARTICLES:
        others = [a for a in ALL_ARTICLES if a.outlet == article.outlet and a is not article]
        html = article_page(article, BASE, others)
        pages.append(
            Page(
                "samples",
                f"{article.outlet}/{article.path}",
                html.encode(article.encoding),
                f"{BASE}/{article.outlet}/{article.path}",
                article.title,
                "\n".join(article.paras),
                content_type=f"text/html; charset={article.encoding}",
                kind=article.outlet,
            )
        )
    return pages


def real_pages(folder: Path = REAL) -> list[Page]:
    """newspaper4k's labelled pages; empty when the folder is absent."""
    if not folder.is_dir():
        return []
    corrections = json.loads((folder / "corrections.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        fixed = corrections.get(name, {})
        pages.append(
            Page(
                "real",
                name,
                gzip.decompress(path.read_bytes()),
                meta.get("url") or f"https://example.org/{name}",
                fixed.get("title", meta["title"]),
                (folder / f"{name}.txt").read_text(encoding="utf-8"),
                kind=meta.get("language") or "",
                title_shipped=meta["title"],
            )
        )
    return pages


def all_pages(sets: tuple[str, ...] = SETS) -> list[Page]:
    found = {"synthetic": synthetic_pages, "samples": sample_pages, "real": real_pages}
    return [page for name in sets for page in found[name]()]


# -- readers ------------------------------------------------------------------------------------

Reader = Callable[[Page], Reading]


def tmwatch_reader(page: Page) -> Reading:
    """tmwatch's per-page extraction, with the site names where this version accepts them."""
    kwargs: dict[str, object] = {"content_type": page.content_type}
    if "site_names" in inspect.signature(extract).parameters:
        kwargs["site_names"] = page.site_names
    start = time.perf_counter()
    try:
        result = extract(page.body, page.url, **kwargs)  # type: ignore[arg-type]
    except ExtractionError:
        return Reading(None, "", (time.perf_counter() - start) * 1000)
    return Reading(result.title, result.text, (time.perf_counter() - start) * 1000)


def trafilatura_reader(page: Page) -> Reading:
    """trafilatura alone, default options, its own decoding and metadata."""
    start = time.perf_counter()
    doc = trafilatura.bare_extraction(
        page.body, url=page.url, with_metadata=True, include_comments=False, include_tables=False
    )
    elapsed = (time.perf_counter() - start) * 1000
    if doc is None:
        return Reading(None, "", elapsed)
    return Reading(doc.title, doc.text or "", elapsed)


def evaluate(pages: list[Page], reader: Reader) -> dict[str, Scores]:
    """Scores per set and over all pages (``"all"``)."""
    table: dict[str, Scores] = {}
    for page in pages:
        reading = reader(page)
        p, r, f = text_scores(reading.text, page.text) if reading.title else (0.0, 0.0, 0.0)
        for key in (page.set, "all"):
            scores = table.setdefault(key, Scores())
            scores.pages += 1
            scores.refused += reading.title is None
            scores.titles += same_title(reading.title, page.title)
            scores.titles_shipped += same_title(reading.title, page.title_shipped or page.title)
            scores.precision.append(p)
            scores.recall.append(r)
            scores.f1.append(f)
            scores.ms.append(reading.ms)
            if key == "all":
                continue
            if reading.title is None:
                scores.errors.append(f"{page.name}: refused")
            elif not same_title(reading.title, page.title):
                scores.errors.append(f"{page.name}: title {reading.title!r} != {page.title!r}")
            if reading.title is not None and f < 0.9:
                scores.errors.append(f"{page.name}: text P={p:.2f} R={r:.2f}")
    return table


def figures(table: dict[str, Scores]) -> dict[str, dict[str, float | int]]:
    out = {}
    for key, scores in table.items():
        out[key] = scores.figures()
        if key == "real":
            out[key]["title_shipped"] = round(scores.titles_shipped / scores.pages, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--errors", action="store_true", help="list wrong titles, weak texts")
    parser.add_argument("--set", choices=SETS, action="append", help="only these sets")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the comparison")
    args = parser.parse_args()
    pages = all_pages(tuple(args.set or SETS))
    readers: dict[str, Reader] = {"tmwatch": tmwatch_reader}
    if not args.no_trafilatura:
        readers["trafilatura"] = trafilatura_reader
    result = {}
    for name, reader in readers.items():
        reader(pages[0])  # warm-up: imports and caches are not a page's cost
        table = evaluate(pages, reader)
        result[name] = figures(table)
        print(f"\n{name}")
        print("set        pages refused titles  text P  text R  text F1  ms/page")
        for key, row in result[name].items():
            print(
                f"{key:<10} {row['pages']:5d} {row['refused']:7d} {row['title_exact']:6.3f} "
                f"{row['text_p']:7.3f} {row['text_r']:7.3f} {row['text_f1']:8.3f} "
                f"{row['ms_per_page']:8.1f}"
                + (
                    f"   (shipped titles {row['title_shipped']:.3f})"
                    if "title_shipped" in row
                    else ""
                )
            )
        if args.errors:
            for key, scores in table.items():
                for error in scores.errors:
                    print(f"  {key}: {error}")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
