"""Canonical URLs: one address per document, whatever variant a feed or link used.

Handles rel=canonical, AMP twins, mobile ``m.`` hosts, tracking parameters, fragments, default
ports and trailing-slash variants. The scheme is kept (some outlets are http-only); ``url_key``
drops it for comparisons.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|yclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|ref_src|"
    r"amp|amp_js_v|usqp|outputType)$",
    re.IGNORECASE,
)
_AMP_PATH = re.compile(r"(^|/)amp(/|$)")


def clean_url(url: str) -> str:
    """Normalise host case, default port, fragment and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("m.") and host.count(".") >= 2:
        host = "www." + host[2:]
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = parts.path or "/"
    path = _AMP_PATH.sub(r"\1", path, count=1) if "/amp" in path else path
    if path.endswith("/amp"):
        path = path[: -len("/amp")] or "/"
    return urlunsplit((scheme, host, path or "/", urlencode(query), ""))


def canonical_url(url: str, declared: str | None = None) -> str:
    """The page's rel=canonical (when on the same site) or the cleaned fetch URL."""
    if declared:
        absolute = urljoin(url, declared.strip())
        if _same_site(absolute, url):
            return clean_url(absolute)
    return clean_url(url)


def url_key(url: str) -> str:
    """Scheme-less, slash-insensitive form for comparing URLs."""
    parts = urlsplit(clean_url(url))
    path = parts.path.rstrip("/") or "/"
    return f"{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def _site(host: str) -> str:
    host = host.lower().split(":")[0]
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def _same_site(a: str, b: str) -> bool:
    return (
        _site(urlsplit(a).netloc) == _site(urlsplit(b).netloc)
        or urlsplit(a).netloc == urlsplit(b).netloc
    )
