"""Digest and alert emails as bytes: deterministic, self-contained, readable in any client.

The outbox stores what it will send and may send it again after a failure; a message rebuilt
from the same inputs must be byte-identical, so the multipart boundary derives from the
Message-ID and nothing reads the clock, the host name or DNS (``email.utils.make_msgid`` and
``socket.getfqdn`` can hang offline and put the machine's name into every message).

The HTML part must not make a mail client fetch anything: a remote image or stylesheet tells
whoever serves it (and whoever watches the network) that a monitor opened a message about a
person at risk. ``render.to_html`` already loads nothing; ``strip_remote_references`` removes
anything that would, should a later change or an odd article slip something through.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from types import MappingProxyType
from typing import Any

import lxml.html

from tmwatch.output.render import clean

_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_DOMAIN_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")
_DOTS = re.compile(r"\.{2,}")
_SUBJECT_LIMIT = 120
_MAX_SURNAMES = 3

# Attributes that make a client load something when the message is displayed (not clicked).
_LOADING_ATTRIBUTES = frozenset(
    {
        "src",
        "srcset",
        "background",
        "poster",
        "lowsrc",
        "dynsrc",
        "longdesc",
        "codebase",
        "archive",
        "classid",
        "ping",
        "xlink:href",
        "{http://www.w3.org/1999/xlink}href",
    }
)
# Elements whose mere presence may load or navigate: dropped whole.
_LOADING_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
)
# Where ``href`` is a link to click, not a resource to load (a remote ``<link>`` is dropped whole).
_KEEPS_HREF = frozenset({"a", "area", "link"})
_LOCAL_SCHEMES = re.compile(r"^\s*(?:data:|cid:|#)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_CSS_REMOTE_STRING = re.compile(r"(['\"])\s*(?:https?:)?//.*?\1", re.IGNORECASE | re.DOTALL)


# -- identifiers and headers ------------------------------------------------------------------


def message_id(key: str, domain: str) -> str:
    """``<key@domain>``, from characters valid in any Message-ID; no DNS, same key same ID."""
    left = _DOTS.sub(".", _ID_UNSAFE.sub("-", key)).strip(".") or "-"
    right = _DOTS.sub(".", _DOMAIN_UNSAFE.sub("-", domain)).strip(".") or "localhost"
    return f"<{left}@{right}>"


def _boundary(message_id: str) -> str:
    """A boundary no quoted-printable body can contain ("=" is always encoded there)."""
    return "=_tmwatch_" + hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:24]


def _header_text(value: str) -> str:
    """A header value on one line: a newline would end the header (or inject another)."""
    return " ".join(clean(value).split())


# Header lines up to RFC 5322's hard limit: the stdlib's folding at 78 moves a whole subject to
# a continuation line, which readers then show with a leading space. Subjects stay under 120
# characters, and bodies are quoted-printable with their own 76-character lines.
_POLICY = policy.SMTP.clone(max_line_length=998)


def compose_email(
    *,
    sender: str,
    recipients: Sequence[str],
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    date: datetime,
    extra_headers: Mapping[str, str] = _NO_HEADERS,
) -> bytes:
    """The message as bytes with CRLF line ends: text/plain, then (if given) text/html.

    Bodies are quoted-printable UTF-8, so no relay has to support 8BITMIME and long HTML lines
    survive. The HTML passes through ``strip_remote_references`` first.
    """
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("compose_email needs an aware datetime for the Date header")
    msg = EmailMessage(policy=policy.SMTP)  # bodies: quoted-printable lines of 76
    msg["From"] = _header_text(sender)
    msg["To"] = ", ".join(_header_text(r) for r in recipients)
    msg["Subject"] = _header_text(subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = _header_text(message_id)
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in extra_headers.items():
        msg[name] = _header_text(value)
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(
            strip_remote_references(html), subtype="html", charset="utf-8", cte="quoted-printable"
        )
        msg.set_boundary(_boundary(message_id))
    return msg.as_bytes(policy=_POLICY)


# -- the HTML part ----------------------------------------------------------------------------


def strip_remote_references(html: str) -> str:
    """``html`` without anything a mail client would fetch on display; links stay clickable.

    Removes loading attributes (``src``, ``srcset``, ``background``, ``poster`` ...), elements
    that load or navigate by themselves (``script``, ``iframe``, ``object``, ``base`` ...),
    ``<link>`` elements pointing anywhere remote, refresh redirects, and remote ``url()`` and
    ``@import`` in style attributes and ``<style>`` blocks. A document with nothing to remove
    is returned unchanged, byte for byte.
    """
    if not html.strip():
        return html
    document = lxml.html.document_fromstring(html)
    changed = False
    for element in list(document.iter()):
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        changed |= _strip_element(element)
    if not changed:
        return html
    doctype = "<!DOCTYPE html>" if html.lstrip()[:9].lower() == "<!doctype" else None
    return lxml.html.tostring(document, doctype=doctype, encoding="unicode", method="html")


def _strip_element(element: Any) -> bool:
    """Disarm one element in place; True when something was removed or rewritten."""
    tag = element.tag.lower()
    if tag in _LOADING_ELEMENTS or _loads_remote_link(element, tag) or _refreshes(element, tag):
        element.drop_tree()
        return True
    changed = False
    for name in list(element.attrib):
        lowered = name.lower()
        if lowered in _LOADING_ATTRIBUTES or (lowered == "href" and tag not in _KEEPS_HREF):
            del element.attrib[name]
            changed = True
        elif lowered == "style":
            cleaned = _clean_css(element.attrib[name])
            if cleaned != element.attrib[name]:
                element.attrib[name] = cleaned
                changed = True
    if tag == "style" and element.text:
        cleaned = _clean_css(element.text)
        if cleaned != element.text:
            element.text = cleaned
            changed = True
    return changed


def _loads_remote_link(element: Any, tag: str) -> bool:
    """A ``<link>`` to anything but this message itself (stylesheet, icon, preload, font)."""
    if tag != "link":
        return False
    return not _LOCAL_SCHEMES.match(element.get("href") or "#") or bool(element.get("imagesrcset"))


def _refreshes(element: Any, tag: str) -> bool:
    return tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh"


def _clean_css(css: str) -> str:
    """CSS without remote ``url()`` values, ``@import`` rules or remote strings (image-set)."""

    def url(match: re.Match[str]) -> str:
        target = match.group(2)
        return match.group(0) if _LOCAL_SCHEMES.match(target) else "none"

    without_imports = _CSS_IMPORT.sub("", css)
    return _CSS_REMOTE_STRING.sub('""', _CSS_URL.sub(url, without_imports))


# -- the subject ------------------------------------------------------------------------------


def _surname(name: str) -> str:
    words = _header_text(name).split()
    return words[-1] if words else ""


def _surnames(names: list[str]) -> list[str]:
    return [s for s in dict.fromkeys(_surname(n) for n in names) if s]


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _flagged(sources: Mapping[str, Any]) -> int:
    return sum(
        1
        for info in sources.values()
        if isinstance(info, Mapping) and (info.get("flags") or info.get("state") == "failed")
    )


def _people(surnames: list[str], room: int) -> str:
    """`` (A, B, C, ...)`` fitting in ``room`` characters; fewer names when they do not fit.

    ASCII dots, not an ellipsis: a non-ASCII character makes the whole subject an encoded word
    that the stdlib folds with a doubled space before it.
    """
    for count in range(min(len(surnames), _MAX_SURNAMES), 0, -1):
        shown = surnames[:count] + (["..."] if len(surnames) > count else [])
        text = f" ({', '.join(shown)})"
        if len(text) <= room:
            return text
    return ""


def digest_subject(digest: Mapping[str, Any]) -> str:
    """What is inside, e.g. "tmwatch: 3 new, 1 status change (Allalyev), 1 source flagged"."""
    articles = [a for a in digest.get("articles") or [] if a.get("new")]
    changes = digest.get("status_changes") or []
    flagged = _flagged(digest.get("sources") or {})
    if not (articles or changes or flagged):
        return "tmwatch: nothing new"
    parts = [f"{len(articles)} new"] if articles else []
    if changes:
        parts.append(_plural(len(changes), "status change", "status changes"))
        names = _surnames([str(c.get("person") or "") for c in changes])
    else:
        names = _surnames([str(p) for a in articles for p in a.get("persons") or [] if p])
    flags = f"{_plural(flagged, 'source', 'sources')} flagged" if flagged else ""
    if not parts:
        return f"tmwatch: {flags}"
    head = "tmwatch: " + ", ".join(parts)
    tail = f", {flags}" if flags else ""
    return (head + _people(names, _SUBJECT_LIMIT - len(head) - len(tail)) + tail)[:_SUBJECT_LIMIT]
