"""Sending one email through the configured relay, and nowhere else.

Encryption is never optional once configured: with ``starttls`` a server that does not offer
STARTTLS gets nothing (a stripped STARTTLS is how mail is read in transit), and certificates and
host names are always checked. Credentials never cross an unencrypted connection to another
machine, whatever the configuration says. ``local_hostname`` is always passed: smtplib's default
looks the machine's name up in DNS, which hangs offline and tells the relay the machine's name.

Every failure becomes one ``DeliveryError`` line, "smtp HOST:PORT: reason", without the password.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence

from tmwatch.config.subscriptions import SmtpSettings, is_loopback
from tmwatch.delivery.errors import DeliveryError, network_reason, one_line

# Failures after which the server still listens, so a polite QUIT is worth sending.
_ANSWERED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, DeliveryError)


def send_email(
    settings: SmtpSettings,
    message: bytes,
    sender: str,
    recipients: Sequence[str],
    credentials: tuple[str, str] | None,
) -> dict[str, tuple[int, bytes]]:
    """Send ``message`` as given; the recipients the server refused (others got it).

    Raises ``DeliveryError`` when nobody got it: connection, TLS, authentication, a refused
    sender or message, or every recipient refused.
    """
    where = f"smtp {_address(settings)}"
    if not recipients:
        raise DeliveryError(f"{where}: no recipients", permanent=True)
    unsendable = [a for a in (sender, *recipients) if not a.isascii()]
    if unsendable:
        raise DeliveryError(
            f"{where}: non-ASCII address {unsendable[0]} is not supported (no SMTPUTF8)",
            permanent=True,
        )
    if credentials and not settings.encrypted and not is_loopback(settings.host):
        raise DeliveryError(
            f"{where}: refusing to send the password over an unencrypted connection "
            "(configure starttls or tls)",
            permanent=True,
        )
    context = _tls_context(settings, where) if settings.encrypted else None
    try:
        client = _connect(settings, context)
    except (OSError, ValueError) as error:
        raise _failure(where, error, settings.timeout) from error
    answered = True
    try:
        if settings.starttls:
            _starttls(client, context, where)
        if credentials:
            client.login(*credentials)
        return client.sendmail(sender, list(recipients), message)
    except DeliveryError as error:
        answered = isinstance(error, _ANSWERED)
        raise
    except (OSError, ValueError) as error:
        answered = isinstance(error, _ANSWERED)
        raise _failure(where, error, settings.timeout) from error
    finally:
        _hang_up(client, answered)


def _address(settings: SmtpSettings) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"{host}:{settings.port}"


def _tls_context(settings: SmtpSettings, where: str) -> ssl.SSLContext:
    """The system's CAs (plus the configured one), host names checked."""
    context = ssl.create_default_context()
    if settings.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(settings.ca_file))
        except (OSError, ssl.SSLError) as error:
            raise DeliveryError(
                f"{where}: cannot read ca_file {settings.ca_file}: {network_reason(error, 0)}",
                permanent=True,
            ) from error
    return context


def _connect(settings: SmtpSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if settings.tls:
        return smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            local_hostname=settings.local_hostname,
            timeout=settings.timeout,
            context=context,
        )
    return smtplib.SMTP(
        settings.host,
        settings.port,
        local_hostname=settings.local_hostname,
        timeout=settings.timeout,
    )


def _starttls(client: smtplib.SMTP, context: ssl.SSLContext | None, where: str) -> None:
    """Upgrade to TLS or fail: there is no fallback to plain text."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("starttls"):
        raise DeliveryError(
            f"{where}: the server does not offer STARTTLS; not sending in plain text"
        )
    code, reply = client.starttls(context=context)
    if code != 220:  # pragma: no cover - smtplib raises for any other answer
        raise DeliveryError(f"{where}: STARTTLS refused ({code} {_text(reply)})")


def _hang_up(client: smtplib.SMTP, answered: bool) -> None:
    """QUIT when the server is still talking to us, then close; a failing QUIT changes nothing
    (the message was already accepted or the attempt already failed)."""
    try:
        if answered:
            client.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        client.close()


def _text(reply: bytes | str) -> str:
    value = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return one_line(value, 200)


def _failure(where: str, error: BaseException, timeout: float) -> DeliveryError:
    """One line for what went wrong; permanent for 5xx answers."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"{where}: authentication failed ({error.smtp_code})", permanent=True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        first = next(iter(error.recipients.values()), (0, b""))
        return DeliveryError(
            f"{where}: all recipients refused ({first[0]} {_text(first[1])})",
            permanent=all(500 <= code < 600 for code in codes),
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _answer(where, f"sender {error.sender} refused", error)
    if isinstance(error, smtplib.SMTPDataError):
        return _answer(where, "message refused", error)
    if isinstance(error, smtplib.SMTPConnectError):
        return _answer(where, "server refused the connection", error)
    if isinstance(error, smtplib.SMTPHeloError):
        return _answer(where, "greeting refused", error)
    if isinstance(error, smtplib.SMTPResponseException):
        return _answer(where, "server error", error)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return DeliveryError(f"{where}: {_text(str(error))}", permanent=True)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"{where}: connection closed unexpectedly")
    return DeliveryError(f"{where}: {network_reason(error, timeout)}")


def _answer(where: str, what: str, error: smtplib.SMTPResponseException) -> DeliveryError:
    return DeliveryError(
        f"{where}: {what} ({error.smtp_code} {_text(error.smtp_error)})",
        permanent=500 <= error.smtp_code < 600,
    )
