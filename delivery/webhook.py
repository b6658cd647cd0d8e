"""POSTing a JSON document to a webhook the user configured, and to nothing else.

http.client, not urllib: urllib follows redirects and honours ``http_proxy``/``https_proxy``
from the environment, and either would send names of people at risk somewhere the user never
configured. Here a redirect is a failure, no proxy is ever used, and plain http goes only to
this machine unless the subscription allows it.

Receivers authenticate deliveries with ``X-Tmwatch-Signature``: ``sha256=`` and the hex
HMAC-SHA256 of the exact body bytes under the shared secret. An NGO's own receiver checks it
with ``verify`` (or the same three lines in its language) before trusting the body, and drops
repeats by ``Idempotency-Key``: the outbox may deliver a message more than once.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import re
import ssl
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from tmwatch import __version__
from tmwatch.config.subscriptions import is_loopback
from tmwatch.delivery.errors import DeliveryError, network_reason

SIGNATURE_HEADER = "X-Tmwatch-Signature"
KEY_HEADER = "Idempotency-Key"
DELIVERY_HEADER = "X-Tmwatch-Delivery"
USER_AGENT = f"tmwatch/{__version__}"
MAX_RESPONSE = 64 * 1024
"""At most this much of a receiver's answer is read; nobody needs more than its status."""

_RETRYABLE_4XX = frozenset({408, 425, 429})
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex HMAC-SHA256 of body>``, the value of ``X-Tmwatch-Signature``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` under ``secret`` (constant time)."""
    if not header:
        return False
    expected = sign(body, secret).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "replace"))


def post_json(
    url: str,
    body: bytes,
    *,
    key: str,
    secret: str | None,
    timeout: float,
    allow_insecure: bool = False,
    user_agent: str = USER_AGENT,
    ca_file: Path | None = None,
) -> int:
    """POST ``body`` as it is to ``url``; the 2xx status, else ``DeliveryError``.

    ``ca_file`` adds a CA to the system's for a receiver with its own certificate authority.
    """
    parts = urlsplit(url)
    where = f"webhook {shown_url(parts)}"
    _check(parts, where, key, allow_insecure)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        KEY_HEADER: key,
        DELIVERY_HEADER: key,
        "User-Agent": user_agent,
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    connection = _connection(parts, timeout, ca_file, where)
    try:
        connection.request("POST", _target(parts), body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE)
        status = response.status
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise DeliveryError(f"{where}: {network_reason(error, timeout)}") from error
    finally:
        connection.close()
    return _accepted(status, where)


def shown_url(parts: SplitResult) -> str:
    """The URL for messages: no user name, password, query or fragment (where tokens hide)."""
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _check(parts: SplitResult, where: str, key: str, allow_insecure: bool) -> None:
    """Refuse, before any connection, what must not be sent."""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(f"{where}: not an http(s) URL", permanent=True)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise DeliveryError(f"{where}: bad port", permanent=True) from error
    if parts.scheme == "http" and not allow_insecure and not is_loopback(parts.hostname):
        raise DeliveryError(
            f"{where}: plain http to {parts.hostname} refused (use https or allow_insecure)",
            permanent=True,
        )
    if not _KEY.match(key):
        raise DeliveryError(f"{where}: the idempotency key is not printable ASCII", permanent=True)


def _connection(
    parts: SplitResult, timeout: float, ca_file: Path | None, where: str
) -> http.client.HTTPConnection:
    host = parts.hostname or ""
    if parts.scheme == "http":
        return http.client.HTTPConnection(host, parts.port, timeout=timeout)
    context = ssl.create_default_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except (OSError, ssl.SSLError) as error:
            raise DeliveryError(
                f"{where}: cannot read ca_file {ca_file}: {network_reason(error, 0)}",
                permanent=True,
            ) from error
    return http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=context)


def _target(parts: SplitResult) -> str:
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def _accepted(status: int, where: str) -> int:
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        raise DeliveryError(
            f"{where}: HTTP {status} redirect not followed", permanent=status in (301, 308)
        )
    permanent = 400 <= status < 500 and status not in _RETRYABLE_4XX
    raise DeliveryError(f"{where}: HTTP {status}", permanent=permanent)
