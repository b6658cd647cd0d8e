"""What a failed delivery attempt says, in one line the outbox can store and a monitor can read.

Transports turn every network, TLS and protocol failure into a ``DeliveryError`` naming the
receiver and the reason, so the outbox needs no knowledge of smtplib or http.client. The text
goes into logs and the outbox, which users paste into bug reports: it never holds a password, a
webhook secret or a URL's query string.
"""

from __future__ import annotations

import http.client
import socket
import ssl

_MAX_REASON = 300


class DeliveryError(Exception):
    """One attempt failed; ``str(error)`` is one line naming the receiver and the reason.

    ``permanent`` says retrying the same message will not help (a refused recipient, an HTTP
    404); it is informational: the outbox still decides when to give up.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(one_line(message))
        self.permanent = permanent


def one_line(text: str, limit: int = _MAX_REASON) -> str:
    """``text`` with all whitespace runs (newlines too) as one space, cut to ``limit``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def network_reason(error: BaseException, timeout: float) -> str:
    """Why a connection failed, in words: refused, timed out, TLS, reset, DNS."""
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g}s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset by the peer"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted ({error.verify_message or error.reason})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or type(error).__name__})"
    if isinstance(error, socket.gaierror):
        return "host name not resolved"
    if isinstance(error, http.client.RemoteDisconnected):
        return "connection closed without a response"
    if isinstance(error, http.client.HTTPException):
        return f"bad HTTP response ({type(error).__name__})"
    if isinstance(error, OSError) and error.strerror:
        return one_line(error.strerror)
    return one_line(str(error) or type(error).__name__)
