"""Real receivers on 127.0.0.1 for delivery tests: an SMTP server and a webhook endpoint.

Transports are tested against servers that speak the protocol, not against mocks of smtplib or
urllib: what matters is what arrives (the exact bytes, the headers, whether TLS was used) and
what happens when the receiver refuses, stalls or disappears. Both receivers bind loopback only,
pick a free port, and can be stopped and started again on the same port ("down, then up").

    with SmtpReceiver() as smtp, HookReceiver(secret="s") as hook:
        ...  # smtp.host, smtp.port, smtp.messages; hook.url(), hook.requests
"""

from __future__ import annotations

import email
import email.policy
import logging
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tmwatch.delivery.webhook import SIGNATURE_HEADER, verify

HOST = "127.0.0.1"
# aiosmtpd logs every connection at INFO; tmwatch's own log set-up would print them in tests.
logging.getLogger("mail.log").setLevel(logging.WARNING)
# aiosmtpd would otherwise ask DNS for this machine's name (socket.getfqdn) on every connection.
SERVER_NAME = "receiver.tmwatch.test"


class _Running:
    """Context manager protocol over start() and stop()."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


# -- SMTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    sender: str
    recipients: list[str]
    content: bytes  # exactly the DATA the client sent (dot-unstuffed)
    message: EmailMessage
    tls: bool  # the session was encrypted (STARTTLS or implicit TLS)
    authenticated: bool


class _SmtpHandler:
    """aiosmtpd hooks: enforce AUTH when required, refuse chosen recipients, fail DATA."""

    def __init__(self, receiver: SmtpReceiver) -> None:
        self.receiver = receiver

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.receiver.auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.receiver.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        code = self.receiver.fail_with
        if code:
            return f"{code} {'4.3.0 Try again later' if code < 500 else '5.7.1 Rejected'}"
        content = envelope.original_content or b""
        transport = server.transport
        self.receiver.messages.append(
            Received(
                sender=envelope.mail_from or "",
                recipients=list(envelope.rcpt_tos),
                content=content,
                message=email.message_from_bytes(content, policy=email.policy.default),  # type: ignore[arg-type]
                tls=transport is not None and transport.get_extra_info("ssl_object") is not None,
                authenticated=bool(session.authenticated),
            )
        )
        return "250 2.0.0 Message accepted"


class _Controller(Controller):
    def factory(self) -> SMTP:
        # Passing the loop keeps aiosmtpd from probing for one under warnings.catch_warnings,
        # which swaps the process-wide warning filters from this thread while pytest uses them.
        return SMTP(self.handler, loop=self.loop, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # Bound to port 0: learn the port the system chose before the base class connects.
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpReceiver(_Running):
    """An SMTP server on 127.0.0.1 that keeps every message it accepts.

    ``auth``: require AUTH (LOGIN or PLAIN) with these credentials before MAIL FROM; offered in
    plain text too unless ``tls_context`` is given (the client refuses that off loopback).
    ``tls_context``: a server context; STARTTLS is then offered and required, or, with
    ``implicit_tls``, TLS starts with the first byte (port 465 style).
    ``fail_with``: answer DATA with this code (451, 554 ...); settable while running.
    ``refuse``: recipient addresses answered with 550.
    """

    def __init__(
        self,
        *,
        auth: tuple[str, str] | None = None,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        fail_with: int | None = None,
        refuse: set[str] | None = None,
    ) -> None:
        self.auth = auth
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.fail_with = fail_with
        self.refuse = set(refuse or ())
        self.messages: list[Received] = []
        self.host = HOST
        self.port = 0
        self._controller: _Controller | None = None

    def start(self) -> None:
        """Listen (again): on a free port the first time, on the same port after ``stop``."""
        if self._controller is not None:
            return
        controller = _Controller(
            _SmtpHandler(self),
            hostname=HOST,
            port=self.port,
            ready_timeout=15.0,
            server_hostname=SERVER_NAME,
            **self._smtp_options(),
        )
        controller.start()
        self.port = controller.port
        self._controller = controller

    def _smtp_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"timeout": 30}
        if self.tls_context is not None and self.implicit_tls:
            options["ssl_context"] = self.tls_context
        elif self.tls_context is not None:
            options.update(tls_context=self.tls_context, require_starttls=True)
        if self.auth is not None:
            # Required by handle_MAIL rather than auth_required, which warns without TLS.
            options["authenticator"] = self._authenticate
            options["auth_require_tls"] = self.tls_context is not None and not self.implicit_tls
        return options

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if self.auth is None or not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = (value.encode("utf-8") for value in self.auth)
        if (data.login, data.password) != (user, password):
            return AuthResult(success=False, handled=False)  # handled=False: aiosmtpd says 535
        return AuthResult(success=True, auth_data=data)

    def stop(self) -> None:
        """Stop listening; connections are refused until ``start``."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()


# -- webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HookRequest:
    """One HTTP request as the receiver got it."""

    method: str
    path: str  # the request target as sent (absolute when a client talks to it as a proxy)
    headers: dict[str, str]
    body: bytes
    valid_signature: bool | None  # None when the receiver has no secret
    tls: bool = False

    def header(self, name: str) -> str | None:
        """A header's value, whatever the case of its name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class _HookHandler(BaseHTTPRequestHandler):
    server: _HookServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()  # here, in the request's thread, not in accept()
        super().setup()

    def _receive(self) -> None:
        receiver = self.server.receiver
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        valid = None
        if receiver.secret is not None:
            valid = verify(body, receiver.secret, self.headers.get(SIGNATURE_HEADER))
        receiver.requests.append(
            HookRequest(
                method=self.command,
                path=self.path,
                headers=dict(self.headers.items()),
                body=body,
                valid_signature=valid,
                tls=isinstance(self.request, ssl.SSLSocket),
            )
        )
        if receiver.delay:
            receiver.stopping.wait(receiver.delay)
        self._answer(receiver)

    def _answer(self, receiver: HookReceiver) -> None:
        self.send_response(receiver.status)
        if receiver.location:
            self.send_header("Location", receiver.location)
        payload = b"" if receiver.status in (204, 304) else receiver.response_body
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    do_POST = do_PUT = do_GET = do_CONNECT = _receive

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: test output is for test failures."""


class _HookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receiver: HookReceiver) -> None:
        self.receiver = receiver
        super().__init__((HOST, receiver.port), _HookHandler)

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        context = self.receiver.tls_context
        if context is not None:
            sock = context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or reject the certificate are what some tests are about."""
        self.receiver.errors += 1


class HookReceiver(_Running):
    """An HTTP(S) endpoint on 127.0.0.1 that records every request and answers ``status``.

    ``delay``: seconds to wait before answering (timeouts); ``secret``: check each request's
    signature into ``valid_signature``; ``location``: a Location header (redirect tests);
    ``tls_context``: serve https with this server context. All settable while running.
    """

    def __init__(
        self,
        *,
        status: int = 204,
        delay: float = 0.0,
        secret: str | None = None,
        location: str | None = None,
        response_body: bytes = b"",
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.status = status
        self.delay = delay
        self.secret = secret
        self.location = location
        self.response_body = response_body
        self.tls_context = tls_context
        self.port = 0
        self.requests: list[HookRequest] = []
        self.errors = 0  # requests that broke off (client timeouts, rejected certificates)
        self.stopping = threading.Event()
        self._server: _HookServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return HOST

    def url(self, path: str = "/hook") -> str:
        scheme = "https" if self.tls_context is not None else "http"
        return f"{scheme}://{HOST}:{self.port}{path}"

    def start(self) -> None:
        """Listen (again): on a free port the first time, on the same port after ``stop``."""
        if self._server is not None:
            return
        self.stopping.clear()
        server = _HookServer(self)
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._server = server
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wake any delayed answer; connections are refused until ``start``."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
