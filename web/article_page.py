"""The article page, its raw capture and WARC record, its citation, and the one write.

Everything a monitor checks before citing an article in an appeal sits on one page: the text
with the evidence for each label marked, where the date came from (``date_source``), the
versions the outlet published and what changed, where else the story ran, whether it was taken
down, and the footnote ready to copy.

The page reads through the thread's read-only connection, by primary key or index only (the
article, its versions, its cluster, its alternates), so it stays fast on a large store. The raw
capture is shown as escaped source text, never rendered: a captured page is hostile content and
would otherwise run its scripts and load from its outlet (telling it who reads). The WARC record
is offered as the exact bytes of the archive, so a third party can verify it with any WARC tool.

The English title is the web interface's only write. It goes through a short-lived writable
store opened for that request alone (the same ``annotations`` row ``tmwatch cite --title-en``
writes), after the session's CSRF token and the request's origin are checked.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator

from tmwatch.output.citation import as_csl, as_text, needs_english_title
from tmwatch.pipeline.warc import WarcError, read_capture
from tmwatch.store import DataHome, Store
from tmwatch.web.common import bad_request, config_of, reader, render
from tmwatch.web.i18n import gettext_ as _
from tmwatch.web.i18n import ngettext_
from tmwatch.web.marking import (
    diff_versions,
    evidence_sentences,
    marked_line,
    marked_paragraphs,
    spans_of,
)
from tmwatch.web.security import check_csrf

ARTICLE_ID = re.compile(r"[a-z2-7]{10}")
"""``tmwatch.record.article_id``: ten base32 characters, lower case."""
MAX_TITLE = 300
"""An English title longer than this is a paste gone wrong, not a title."""
MAX_FORM_BYTES = 16 * 1024
MAX_CAPTURE_CHARS = 200_000
"""Source text shown on the capture page; the WARC download always has all of it."""
MAX_WARC_RECORD = 64 * 1024 * 1024
MAX_CLUSTER_SHOWN = 50
_VISIBLE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _date_sources() -> dict[str, str]:
    """What each ``date_source`` means, for a reader deciding how far to trust the date."""
    return {
        "jsonld": _("the outlet's structured data (JSON-LD datePublished)"),
        "meta": _("the page's article:published_time meta tag"),
        "feed": _("the date the outlet's feed or sitemap gave"),
        "htmldate": _("found in the page by htmldate (a guess from the page's dates)"),
        "url": _("the date in the article's URL"),
        "text": _("a date written on the page or in the text"),
    }


def article_id_param(request: Request) -> str:
    """The path's article id, checked before it reaches a query."""
    value = str(request.path_params.get("article_id", ""))
    if not ARTICLE_ID.fullmatch(value):
        shown = value[:40] + ("…" if len(value) > 40 else "")
        raise bad_request(
            _("%(id)r is not an article id (ten characters a-z and 2-7, as digests show them)")
            % {"id": shown}
        )
    return value


def _not_found(article_id: str) -> HTTPException:
    return HTTPException(404, detail=_("No article with id %(id)s.") % {"id": article_id})


def load_article(store: Store, article_id: str) -> dict[str, Any]:
    article = store.archive.article(article_id)
    if article is None:
        raise _not_found(article_id)
    return article


# -- the page -----------------------------------------------------------------------------------


Describe = Callable[[dict[str, Any]], str]
DescribeHit = Callable[[dict[str, Any], str], str]


def _describers(request: Request) -> tuple[Describe, DescribeHit]:
    """How an evidence item is named in the list, and the note on one of its marks."""
    topics = {t.key: t.label for t in config_of(request).topics}
    kinds = {"person": _("person"), "place": _("place"), "topic": _("topic")}

    def label(item: dict[str, Any]) -> str:
        kind = str(item.get("kind") or "")
        name = str(item.get("label") or "")
        shown = topics.get(name, name) if kind == "topic" else name
        return f"{kinds.get(kind, kind)}: {shown}"

    def hit(item: dict[str, Any], words: str) -> str:
        return _("evidence for %(label)s (matched “%(words)s”)") % {
            "label": label(item),
            "words": " ".join(words.split()),
        }

    return label, hit


def _small_int(value: str) -> int | None:
    """A whole number of at most nine digits (a sign allowed), else None: a longer one is no
    version or capture number and would only end up quoted in full in an error."""
    if not re.fullmatch(r"[+-]?\d{1,9}", value.strip()):
        return None
    return int(value)


def _diff_param(request: Request, count: int) -> int | None:
    """``?diff=N``: compare version N with version N-1 (default: the latest two, if any)."""
    value = request.query_params.get("diff")
    if value is None or value == "":
        return count if count >= 2 else None
    number = _small_int(value)
    if number is None:
        raise bad_request(_("diff: %(value)r is not a version number") % {"value": value[:40]})
    if number < 2:
        raise bad_request(_("diff: compares a version with the one before it; use 2 or more"))
    if number > count:
        raise HTTPException(
            404,
            detail=ngettext_(
                "diff: this article has %(n)d version, no version %(v)d",
                "diff: this article has %(n)d versions, no version %(v)d",
                count,
            )
            % {"n": count, "v": number},
        )
    return number


_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def _lang(value: str | None) -> str:
    """A ``lang`` attribute value, or "" for a missing or odd stored language."""
    return value if value and _LANG_TAG.fullmatch(value) else ""


def is_web(url: str | None) -> bool:
    """Only http(s) addresses become links: a stored ``javascript:`` URL stays text."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _also_at(store: Store, article: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    cluster = article.get("cluster")
    if not cluster:
        return [], 0
    members = [m for m in store.archive.cluster_members(cluster) if m["id"] != article["id"]]
    return members[:MAX_CLUSTER_SHOWN], len(members)


def _alternates(store: Store, article: dict[str, Any]) -> list[dict[str, Any]]:
    """The outlet's other language editions (hreflang), with the stored article when known."""
    found = []
    for language, url in sorted((article.get("alternates") or {}).items()):
        if not isinstance(url, str) or url in (article["url"], article.get("canonical_url")):
            continue
        stored = store.archive.article_by_url(url)
        found.append(
            {
                "language": language,
                "url": url,
                "id": stored["id"] if stored and stored["id"] != article["id"] else None,
            }
        )
    return found


def article_page(request: Request) -> Response:
    article_id = article_id_param(request)
    store = reader(request)
    with store.snapshot():
        article = load_article(store, article_id)
        versions = store.archive.versions(article_id)
        also_at, also_count = _also_at(store, article)
        alternates = _alternates(store, article)
    for number, version in enumerate(versions, 1):
        version["number"] = number
        version["words"] = len(version["text"].split())
    shown_diff = _diff_param(request, len(versions))
    diff = None
    if shown_diff is not None:
        older, newer = versions[shown_diff - 2], versions[shown_diff - 1]
        diff = diff_versions(
            older["title"],
            older["text"],
            newer["title"],
            newer["text"],
            inserted=_("inserted:"),
            deleted=_("deleted:"),
            unchanged=lambda n: _("… %(n)d unchanged paragraphs …") % {"n": n},
        )
    label, hit = _describers(request)
    sentences = evidence_sentences(article.get("evidence") or [], label, hit)
    date_source = article.get("date_source")
    context = {
        "article": article,
        "article_lang": _lang(article.get("language")),
        "title_html": marked_line(article["title"] or "", spans_of(sentences, "title")),
        "paragraphs": marked_paragraphs(article["text"] or "", spans_of(sentences, "text")),
        "sentences": sentences,
        "date_source": date_source,
        "date_source_text": _date_sources().get(date_source or "", ""),
        "versions": versions,
        "diff": diff,
        "diff_number": shown_diff,
        "also_at": also_at,
        "also_count": also_count,
        "alternates": alternates,
        "footnote": as_text(article),
        "needs_title": needs_english_title(article),
        "max_title": MAX_TITLE,
        "flash": request.session.pop("flash", None),
        "is_web": is_web,
        "is_lang": lambda value: bool(_lang(value)),
    }
    return render(request, "article.html", context)


# -- raw capture and WARC record -----------------------------------------------------------------


def _capture_of(request: Request) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """The article, the capture asked for (``?capture=N``, one of the article's own; default
    its latest) and the ids of all its captures."""
    article_id = article_id_param(request)
    store = reader(request)
    with store.snapshot():
        article = load_article(store, article_id)
        own = [v["capture_id"] for v in store.archive.versions(article_id)]
        own += [article.get("first_capture_id"), article.get("capture_id")]
        ids = sorted({int(c) for c in own if c is not None})
        wanted = request.query_params.get("capture")
        if wanted:
            capture_id = _small_int(wanted)
            if capture_id is None:
                raise bad_request(
                    _("capture: %(value)r is not a capture number") % {"value": wanted[:40]}
                )
            if capture_id not in ids:
                raise HTTPException(
                    404,
                    detail=_("capture: %(c)d is not a capture of article %(id)s")
                    % {"c": capture_id, "id": article_id},
                )
        elif article.get("capture_id") is not None:
            capture_id = int(article["capture_id"])
        elif ids:
            capture_id = ids[-1]
        else:
            raise HTTPException(404, detail=_("This article has no stored capture."))
        capture = store.archive.capture(capture_id)
    if capture is None:
        raise HTTPException(404, detail=_("Capture %(c)d is not in the store.") % {"c": capture_id})
    return article, capture, ids


def _warc_path(home: DataHome, warc_file: str) -> Path:
    """The capture's WARC file inside the home's warc directory, or a 404: a stored name that
    points anywhere else (a path, a link out of the directory) is never opened."""
    directory = home.warc_dir.resolve()
    name = Path(warc_file).name
    if not name or name != warc_file or name in (".", ".."):
        raise HTTPException(404, detail=_("The capture's WARC file name is not usable."))
    path = (directory / name).resolve()
    if not path.is_relative_to(directory) or not path.is_file():
        raise HTTPException(404, detail=_("The capture's WARC file is missing from the archive."))
    return path


def _text_of(headers: dict[str, str], body: bytes) -> str:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    _, text = html_to_unicode(content_type, body)
    return str(text)


def _visible(text: str) -> str:
    """Control characters and bidi overrides shown as their code points, not applied: source
    text is evidence and must read as what it is."""
    return _VISIBLE_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def capture_page(request: Request) -> Response:
    article, capture, ids = _capture_of(request)
    home = config_of(request).home
    path = _warc_path(home, capture["warc_file"])
    try:
        headers, body = read_capture(path.parent, path.name, int(capture["warc_offset"]))
    except WarcError:
        raise HTTPException(
            404, detail=_("The WARC record of this capture cannot be read.")
        ) from None
    text = _text_of(headers, body)
    truncated = len(text) > MAX_CAPTURE_CHARS
    context = {
        "article": article,
        "capture": capture,
        "captures": ids,
        "headers": [(k, _visible(v)) for k, v in headers.items()],
        "source": _visible(text[:MAX_CAPTURE_CHARS]),
        "truncated": truncated,
        "total_chars": len(text),
        "shown_chars": MAX_CAPTURE_CHARS,
        "body_bytes": len(body),
    }
    return render(request, "capture.html", context)


def warc_record(request: Request) -> Response:
    """The capture's WARC record, byte for byte as archived (a gzip member), after checking
    that the bytes at the stored offset are the record the store names."""
    article, capture, _ids = _capture_of(request)
    path = _warc_path(config_of(request).home, capture["warc_file"])
    length = int(capture["warc_length"])
    if not 0 < length <= MAX_WARC_RECORD:
        raise HTTPException(404, detail=_("The capture's WARC record has no usable length."))
    with open(path, "rb") as handle:
        handle.seek(int(capture["warc_offset"]))
        data = handle.read(length)
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        record_id = record.rec_headers.get_header("WARC-Record-ID")
    except Exception:  # warcio raises assorted errors on damaged input
        record_id = None
    if len(data) != length or record_id != capture["warc_record_id"]:
        raise HTTPException(404, detail=_("The WARC record of this capture cannot be read."))
    name = f"tmwatch-{article['id']}-capture-{capture['id']}.warc.gz"
    return Response(
        data,
        media_type="application/warc",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def cite_json(request: Request) -> Response:
    """CSL-JSON (a list of one item) for Zotero and other reference managers."""
    article_id = article_id_param(request)
    article = load_article(reader(request), article_id)
    body = json.dumps([as_csl(article)], ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"),
        media_type="application/vnd.citationstyles.csl+json",
        headers={"content-disposition": f'attachment; filename="tmwatch-{article_id}.json"'},
    )


# -- the one write ------------------------------------------------------------------------------


def _checked_title(value: str) -> str:
    """The English title as ``tmwatch cite --title-en`` stores it: one line, outer spaces
    dropped; "" clears it."""
    title = value.strip()
    if len(title) > MAX_TITLE:
        raise bad_request(
            _("The English title is longer than %(n)d characters.") % {"n": MAX_TITLE}
        )
    if title and (title.splitlines() != [title] or any(ord(c) < 32 for c in title)):
        raise bad_request(_("The English title must be one line without control characters."))
    return title


def _store_title(home: DataHome, article_id: str, title: str) -> bool:
    """Write (or clear) the title in a transaction of its own; False for an unknown article."""
    with Store(home, create=False) as store:
        if store.archive.article(article_id) is None:
            return False
        with store.transaction():
            if title:
                store.archive.set_title_en(article_id, title)
            else:
                store.archive.clear_title_en(article_id)
    return True


async def set_title(request: Request) -> Response:
    article_id = article_id_param(request)
    try:
        size = int(request.headers.get("content-length", ""))
    except ValueError:
        raise HTTPException(411, detail=_("The form must say how long it is.")) from None
    if size > MAX_FORM_BYTES:
        raise HTTPException(413, detail=_("The form is too large."))
    form = await request.form(max_files=0, max_fields=10)
    token = form.get("csrf")
    if not check_csrf(request, token if isinstance(token, str) else None):
        raise HTTPException(
            403,
            detail=_(
                "The form expired or did not come from this site; reload the page and try again."
            ),
        )
    value = form.get("title_en")
    title = _checked_title(value if isinstance(value, str) else "")
    stored = await run_in_threadpool(_store_title, config_of(request).home, article_id, title)
    if not stored:
        raise _not_found(article_id)
    request.session["flash"] = _("English title saved.") if title else _("English title cleared.")
    return RedirectResponse(f"/article/{article_id}#english-title", status_code=303)


routes = [
    Route("/article/{article_id}", article_page),
    Route("/article/{article_id}/capture", capture_page),
    Route("/article/{article_id}/warc", warc_record),
    Route("/article/{article_id}/cite.json", cite_json),
    Route("/article/{article_id}/title", set_title, methods=["POST"]),
]
