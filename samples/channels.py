"""Sample channels: a public Telegram channel and a YouTube channel, as their platforms serve them.

``turkmen_habarlary`` is a Telegram channel read through its public web preview
(``/telegram/s/<channel>``, older posts at ``?before=<id>``) and each post's embed page
(``/telegram/<channel>/<id>?embed=1``), in Telegram's markup (``div.tgme_widget_message`` with
``data-post``, ``a.tgme_widget_message_date time[datetime]``, ``div.tgme_widget_message_text``).
One post reposts Radio Azatlyk's sample story on Ahmet Rahmanow (samples/corpus_tk.py), so the
demo shows a channel joining an outlet story's cluster.

The YouTube channel serves its Atom feed (``/youtube/feeds/videos.xml?channel_id=…``, with
``media:group/media:description``) and watch pages whose text is only in ``<meta>`` tags, as
YouTube's script-built pages are, with the description cut as YouTube cuts it.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from html import escape

from tmwatch.samples import corpus_tk

TELEGRAM = "turkmen_habarlary"
TELEGRAM_TITLE = "Türkmen habarlary"
YOUTUBE = "UCq5tmWatchSampleChan01A"  # "UC" + 22 characters, as YouTube channel ids are
YOUTUBE_TITLE = "Türkmen Gündeligi"
PER_PAGE = 3

_RAHMANOW = next(a for a in corpus_tk.ARTICLES if "Rahmanow" in a.title)

# (id, ISO date, text): oldest first; "\n" separates the lines a post shows.
POSTS: tuple[tuple[int, str, str], ...] = (
    (
        101,
        "2021-10-05T10:12:00+00:00",
        "Stambulyň migrasiýa edarasynda türkmen raýatlaryna ýaşaýyş rugsadyny uzaltmak üçin "
        "täze resminamalar talap edilýär.\nHabarlaşan okyjylarymyz nobatlaryň uzalandygyny "
        "we käbirleriniň bir aýdan bäri jogap garaşýandygyny aýdýarlar.",
    ),
    (
        102,
        "2021-10-12T14:40:00+00:00",
        "Dursoltan Taganowa deportasiýa merkezinden boşadyldy.\nAktiwistka goldaw beren "
        "ähli adamlara minnetdarlyk bildirdi we Türkiýede galjakdygyny aýtdy.",
    ),
    (
        103,
        "2021-10-15T08:05:00+00:00",
        "Туркменские студенты в Стамбуле жалуются на задержки с продлением паспортов в "
        "консульстве.\nПо их словам, без действующего паспорта они не могут продлить вид на "
        "жительство и рискуют попасть в депортационный центр.",
    ),
    (
        104,
        "2021-10-19T05:30:00+00:00",
        _RAHMANOW.title + "\n" + "\n".join(_RAHMANOW.paras),  # the repost of Azatlyk's story
    ),
    (
        105,
        "2021-10-20T16:20:00+00:00",
        "Kamil Abulowyň aýaly adamsynyň Tuzladaky deportasiýa merkezinde saklanýandygyny "
        "tassyklady.\nHukuk goraýjylar onuň Türkmenistana gaýtarylmazlygyny talap edýärler.",
    ),
)

# (video id, ISO date, title, description)
VIDEOS: tuple[tuple[str, str, str, str], ...] = (
    (
        "tmw0Video01",
        "2021-10-14T12:00:00+00:00",
        "Stambuldaky türkmen zähmet migrantlary: pasport meselesi",
        "Reportažymyzda Stambulda işleýän türkmen zähmet migrantlary konsullykda "
        "pasportlaryny uzaltmak üçin näçe wagt garaşýandyklaryny gürrüň berýärler. Olaryň "
        "köpüsi ýaşaýyş rugsady bolmazdan işe alynmaýandygyny aýdýar.",
    ),
    (
        "tmw0Video02",
        "2021-10-20T09:00:00+00:00",
        "Ahmet Rahmanow näme üçin saklandy?",
        "Antalýada saklanyp, Tuzladaky deportasiýa merkezine geçirilen aktiwist Ahmet "
        "Rahmanowyň işi barada hukukçy bilen söhbetdeşlik. Ol Türkmenistana gaýtarylsa "
        "yzarlanmak howpy bar diýip, hukuk goraýjylar duýduryş berýärler.",
    ),
    (
        "tmw0Video03",
        "2021-10-27T18:30:00+00:00",
        "Türkiýede türkmen talyplarynyň ýagdaýy",
        "Türkiýäniň uniwersitetlerinde okaýan türkmen talyplary okuw tölegleri, "
        "ýaşaýyş rugsady we pasportlaryň möhleti barada öz aladalaryny paýlaşýarlar. "
        "Wideoda üç talyp bilen gürrüňdeşlik berilýär.",
    ),
)


def _post(base: str, post_id: int, when: str, text: str) -> str:
    """One message in Telegram's widget markup (the preview and the embed page share it)."""
    body = "<br/>".join(escape(line) for line in text.split("\n"))
    return (
        f'<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" '
        f'data-post="{TELEGRAM}/{post_id}">'
        f'<div class="tgme_widget_message_author"><span>{escape(TELEGRAM_TITLE)}</span></div>'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>'
        '<div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">1.2K'
        f'</span><a class="tgme_widget_message_date" href="{base}/telegram/{TELEGRAM}/{post_id}">'
        f'<time datetime="{when}" class="time">{when[11:16]}</time></a></div></div></div>'
    )


def _preview(base: str, posts: list[tuple[int, str, str]]) -> str:
    oldest = min(p[0] for p in posts)
    messages = "".join(_post(base, *p) for p in posts)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(TELEGRAM_TITLE)} – Telegram</title>"
        f'<meta property="og:title" content="{escape(TELEGRAM_TITLE)}">'
        '<meta property="og:site_name" content="Telegram"></head><body>'
        '<div class="tgme_channel_info"><div class="tgme_channel_info_header">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{escape(TELEGRAM_TITLE)}'
        '</span></div><div class="tgme_channel_info_header_username">'
        f'<a href="{base}/telegram/s/{TELEGRAM}">@{TELEGRAM}</a></div></div></div>'
        f'<section class="tgme_channel_history js-message_history">'
        f'<div class="tme_messages_more" data-before="{oldest}"></div>{messages}</section>'
        "</body></html>"
    )


def _embed(base: str, post_id: int, when: str, text: str) -> str:
    first = text.split("\n", 1)[0]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(TELEGRAM_TITLE)} – Telegram</title>"
        f'<meta property="og:title" content="{escape(TELEGRAM_TITLE)}">'
        f'<meta property="og:description" content="{escape(first)}"></head>'
        f'<body class="widget_frame_base">{_post(base, post_id, when, text)}</body></html>'
    )


def _feed(base: str) -> str:
    entries = "".join(
        "<entry>"
        f"<id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>"
        f"<yt:channelId>{YOUTUBE}</yt:channelId><title>{escape(title)}</title>"
        f'<link rel="alternate" href="{base}/youtube/watch?v={vid}"/>'
        f"<author><name>{escape(YOUTUBE_TITLE)}</name></author>"
        f"<published>{when}</published><updated>{when}</updated>"
        f"<media:group><media:title>{escape(title)}</media:title>"
        f"<media:description>{escape(desc)}</media:description></media:group>"
        "</entry>"
        for vid, when, title, desc in reversed(VIDEOS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
        f'<link rel="self" href="{base}/youtube/feeds/videos.xml?channel_id={YOUTUBE}"/>'
        f"<id>yt:channel:{YOUTUBE}</id><yt:channelId>{YOUTUBE}</yt:channelId>"
        f"<title>{escape(YOUTUBE_TITLE)}</title>{entries}</feed>"
    )


def _watch(vid: str, when: str, title: str, desc: str) -> str:
    cut = desc if len(desc) <= 160 else desc[:157] + "..."
    return (
        '<!DOCTYPE html><html lang="tk"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - YouTube</title>"
        f'<meta name="title" content="{escape(title)}">'
        f'<meta name="description" content="{escape(cut)}">'
        f'<meta property="og:title" content="{escape(title)}">'
        f'<meta itemprop="datePublished" content="{when}">'
        f'</head><body><div id="player" data-video="{vid}"></div>'
        "<script>var ytInitialData = {};</script></body></html>"
    )


def _channel_page(base: str) -> str:
    """The channel's home page as YouTube serves it: what identifies the channel is in the
    ``<head>`` (canonical URL, ``itemprop="identifier"``, the RSS ``<link>``), the rest is
    built by script."""
    channel = f"{base}/youtube/channel/{YOUTUBE}"
    feed = f"{base}/youtube/feeds/videos.xml?channel_id={YOUTUBE}"
    title = escape(YOUTUBE_TITLE)
    return (
        '<!DOCTYPE html><html lang="tk"><head><meta charset="utf-8">'
        f"<title>{title} - YouTube</title>"
        f'<link rel="canonical" href="{channel}">'
        f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{feed}">'
        '<meta property="og:site_name" content="YouTube">'
        f'<meta property="og:url" content="{channel}">'
        f'<meta property="og:title" content="{title}">'
        f'<meta itemprop="identifier" content="{YOUTUBE}">'
        f'<meta itemprop="name" content="{title}">'
        '</head><body><div id="content"></div>'
        "<script>var ytInitialData = {};</script></body></html>"
    )


def site(base: str) -> dict[str, tuple[str, str]]:
    """Every channel page, path (with query string) -> (body, content type)."""
    html = "text/html; charset=utf-8"
    pages: dict[str, tuple[str, str]] = {}
    newest = sorted(POSTS, key=lambda p: -p[0])
    preview = f"/telegram/s/{TELEGRAM}"
    for start in range(0, len(newest), PER_PAGE):
        chunk = sorted(newest[start : start + PER_PAGE])
        path = preview if start == 0 else f"{preview}?before={newest[start - 1][0]}"
        pages[path] = (_preview(base, chunk), html)
    for post_id, when, text in POSTS:
        pages[f"/telegram/{TELEGRAM}/{post_id}?embed=1"] = (_embed(base, post_id, when, text), html)
    pages[f"/youtube/feeds/videos.xml?channel_id={YOUTUBE}"] = (
        _feed(base),
        "application/atom+xml; charset=UTF-8",
    )
    for video in VIDEOS:
        pages[f"/youtube/watch?v={video[0]}"] = (_watch(*video), html)
    pages[f"/youtube/channel/{YOUTUBE}"] = (_channel_page(base), html)
    return pages
