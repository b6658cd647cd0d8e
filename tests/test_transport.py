"""The transports against real receivers on 127.0.0.1: what arrives is exactly what was composed,
encryption is never dropped, credentials and secrets never leak into errors, and nothing goes
anywhere but the configured receiver (no proxies, no redirects, no plain text off this machine).

Every failure must be one ``DeliveryError`` line naming the receiver, quickly: the outbox retries
on the next run, and a stalled receiver must not stall the other subscriptions.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.receivers import HookReceiver, SmtpReceiver
from tmwatch.config.subscriptions import SmtpSettings
from tmwatch.delivery.email_message import (
    compose_email,
    digest_subject,
    message_id,
    strip_remote_references,
)
from tmwatch.delivery.errors import DeliveryError
from tmwatch.delivery.smtp import send_email
from tmwatch.delivery.webhook import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    USER_AGENT,
    post_json,
    sign,
    verify,
)
from tmwatch.output.render import to_html, to_markdown
from tmwatch.record import article_id

ALLALYEV, TAGANOVA = "Байрам Аллалыев", "Dursoltan Taganova"
SENDER, TO = "tmwatch@monitor.test", ["desk@ngo.test", "satlyk@ngo.test"]
WHEN = datetime(2026, 11, 29, 7, 0, tzinfo=timezone(timedelta(hours=5)))
TEST_NET = "192.0.2.1"  # RFC 5737: never routed; a test must fail before reaching it
REMOTE_REFERENCE = re.compile(
    r"""(?:src|srcset|background|poster)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|<link[^>]+href\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


# -- digests ----------------------------------------------------------------------------------


def article(key: str, **changes: Any) -> dict[str, Any]:
    """A digest article as ``build_digest`` shapes it; ``changes`` override fields."""
    values: dict[str, Any] = {
        "id": article_id(key),
        "url": f"https://outlet.example/{key}",
        "source": "ng",
        "outlet": "Nezavisimaya Gazeta",
        "language": "ru",
        "title": f"Заголовок {key}",
        "published": "2021-10-19T10:00:00+03:00",
        "first_seen": "2026-11-29T05:00:00+00:00",
        "cluster": None,
        "status": "live",
        "tags": ["detention"],
        "persons": [],
        "evidence": [],
        "also_at": [],
        "edited": False,
        "new": True,
    }
    return values | changes


def change(person: str, state: str = "detained") -> dict[str, Any]:
    return {
        "person": person,
        "state": state,
        "since": "2026-11-28",
        "place": None,
        "previous": None,
        "description": state,
    }


def digest(articles: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "schema_version": 2,
        "generated_at": "2026-11-29T02:00:00+00:00",
        "selection": {"new_since_mark": "subscription:desk"},
        "filters": {"tag": None, "persons": []},
        "mark": None,
        "mark_name": "subscription:desk",
        "status_changes": [],
        "count": len(articles),
        "counts": {"outlet": {}, "language": {}},
        "sources": {},
        "articles": articles,
    }
    return values | changes


def sample_digest() -> dict[str, Any]:
    return digest(
        [article("a", title="Аллалыев задержан в Стамбуле", persons=[ALLALYEV])],
        status_changes=[change(ALLALYEV)],
        sources={"ng": {"state": "ok", "new": 1, "problems": []}},
    )


def composed(data: dict[str, Any], key: str = "digest.desk.2026-11-29") -> tuple[bytes, str]:
    mid = message_id(key, "monitor.test")
    payload = compose_email(
        sender=SENDER,
        recipients=TO,
        subject=digest_subject(data),
        text=to_markdown(data),
        html=to_html(data),
        message_id=mid,
        date=WHEN,
        extra_headers={"X-Tmwatch-Subscription": "desk"},
    )
    return payload, mid


# -- receivers and settings -------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "relay-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def hook() -> Iterator[HookReceiver]:
    with HookReceiver(secret="hook-secret") as receiver:
        yield receiver


def settings(receiver: SmtpReceiver | None = None, **changes: Any) -> SmtpSettings:
    values: dict[str, Any] = {
        "host": receiver.host if receiver else "127.0.0.1",
        "port": receiver.port if receiver else 25,
        "sender": SENDER,
        "starttls": False,
        "tls": False,
        "local_hostname": "monitor.test",
        "timeout": 5.0,
    }
    return SmtpSettings(**(values | changes))


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unix(text: str) -> str:
    """A part's text as written: the wire's CRLF line ends back to LF."""
    return text.replace("\r\n", "\n")


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


# -- composing --------------------------------------------------------------------------------


def test_a_digest_email_arrives_exactly_as_composed(smtp: SmtpReceiver) -> None:
    data = sample_digest()
    payload, mid = composed(data)

    refused = send_email(settings(smtp), payload, SENDER, TO, None)

    assert refused == {}
    [received] = smtp.messages
    assert received.content == payload  # not re-serialised on the way
    assert (received.sender, received.recipients) == (SENDER, TO)
    message = received.message
    assert message["Subject"] == "tmwatch: 1 new, 1 status change (Аллалыев)"
    assert message["Message-ID"] == mid == "<digest.desk.2026-11-29@monitor.test>"
    assert message["From"] == SENDER and message["To"] == ", ".join(TO)
    assert message["Date"].datetime == WHEN
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Tmwatch-Subscription"] == "desk"
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None and unix(plain.get_content()) == to_markdown(data)
    assert unix(html_part(message)) == to_html(data)  # the digest page needs no stripping
    assert not REMOTE_REFERENCE.search(html_part(message))
    assert "Аллалыев задержан в Стамбуле" in html_part(message)


def test_the_message_is_seven_bit_with_crlf_line_ends() -> None:
    payload, _ = composed(sample_digest())
    assert payload.isascii()  # encoded words and quoted-printable: any relay carries it
    assert b"\n" not in payload.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in payload.split(b"\r\n"))


def test_composing_twice_gives_identical_bytes() -> None:
    first, mid = composed(sample_digest())
    again, _ = composed(sample_digest())
    other, _ = composed(sample_digest(), key="digest.desk.2026-11-30")
    assert first == again
    boundary = re.search(rb'boundary="([^"]+)"', first)
    assert boundary and boundary.group(1).startswith(b"=_tmwatch_")
    assert boundary.group(1) not in other  # derived from the Message-ID
    assert mid.encode() in first


@pytest.mark.parametrize(
    "subject",
    ["Аллалыев задержан", "Şatlyk Hojaýew: täze habar", "tmwatch: 2 new (Аллалыев, Taganova)"],
)
def test_non_ascii_subjects_round_trip(subject: str) -> None:
    payload = compose_email(
        sender=SENDER,
        recipients=TO[:1],
        subject=subject,
        text="Текст",
        html=None,
        message_id="<k@monitor.test>",
        date=WHEN,
    )
    message = message_from_bytes(payload, policy=policy.default)
    assert message["Subject"] == subject
    assert message.get_content_type() == "text/plain"  # no HTML: one part
    assert unix(message.get_content()) == "Текст\n"


def test_a_subject_cannot_inject_headers() -> None:
    payload = compose_email(
        sender=SENDER,
        recipients=TO[:1],
        subject="hello\r\nBcc: spy@elsewhere.test",
        text="x",
        html=None,
        message_id="<k@monitor.test>",
        date=WHEN,
    )
    assert b"\r\nBcc:" not in payload


def test_the_date_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        compose_email(
            sender=SENDER,
            recipients=TO,
            subject="s",
            text="t",
            html=None,
            message_id="<k@monitor.test>",
            date=datetime(2026, 11, 29, 7, 0),  # naive: under test
        )


def test_message_ids_are_deterministic_and_safe() -> None:
    assert message_id("digest.desk.2026-11-29", "monitor.test") == (
        "<digest.desk.2026-11-29@monitor.test>"
    )
    assert message_id("a b<c>@d", "monitor.test") == "<a-b-c--d@monitor.test>"
    assert message_id("..x..y.", "bad host>") == "<x.y@bad-host->"
    assert message_id("", "") == "<-@localhost>"
    assert message_id("k", "m.test") == message_id("k", "m.test")
    long = message_id("alert.desk." + "ab" * 32, "monitor.example.org")
    payload = compose_email(
        sender=SENDER, recipients=TO, subject="s", text="t", html=None, message_id=long, date=WHEN
    )
    assert message_from_bytes(payload, policy=policy.default)["Message-ID"] == long


# -- the HTML part ----------------------------------------------------------------------------

HOSTILE = """<!DOCTYPE html>
<html><head><link rel="stylesheet" href="https://cdn.example/x.css">
<link rel="icon" href="//cdn.example/favicon.ico">
<meta http-equiv="refresh" content="0;url=https://tracker.test/">
<style>@import url("https://fonts.example/f.css");
body{background:url( 'http://tracker.test/b.png' )}
.l{background:url(#local)} p{color:red}</style><base href="https://tracker.test/"></head>
<body background="https://tracker.test/bg.png">
<img src="https://tracker.test/pixel.gif" alt="pixel">
<img srcset="//tracker.test/a.png 2x"><video poster="https://tracker.test/p.jpg"></video>
<script src="https://tracker.test/s.js"></script><iframe src="https://tracker.test/f"></iframe>
<p style="background-image: URL(//tracker.test/q.png); color: blue">Аллалыев</p>
<svg><image href="https://tracker.test/i.svg"></image></svg>
<a href="https://outlet.example/article" rel="noreferrer">read the article</a></body></html>
"""


def test_remote_references_are_removed_and_links_kept() -> None:
    cleaned = strip_remote_references(HOSTILE)
    assert "tracker.test" not in cleaned and "cdn.example" not in cleaned
    assert "fonts.example" not in cleaned
    assert not REMOTE_REFERENCE.search(cleaned)
    assert '<a href="https://outlet.example/article" rel="noreferrer">read the article</a>' in (
        cleaned
    )
    assert "Аллалыев" in cleaned and "color: blue" in cleaned and "p{color:red}" in cleaned
    assert "url(#local)" in cleaned
    assert cleaned.startswith("<!DOCTYPE html>")


def test_a_rendered_digest_passes_through_unchanged() -> None:
    page = to_html(sample_digest())
    assert strip_remote_references(page) == page
    assert strip_remote_references("") == ""


def test_an_email_never_carries_remote_references() -> None:
    payload = compose_email(
        sender=SENDER,
        recipients=TO,
        subject="s",
        text="t",
        html=HOSTILE,
        message_id="<k@monitor.test>",
        date=WHEN,
    )
    message = message_from_bytes(payload, policy=policy.default)
    assert isinstance(message, EmailMessage)
    page = html_part(message)
    assert "tracker.test" not in page and "read the article" in page


# -- subjects ---------------------------------------------------------------------------------


def test_subject_nothing_new() -> None:
    assert digest_subject(digest([])) == "tmwatch: nothing new"
    assert digest_subject(digest([article("old", new=False)])) == "tmwatch: nothing new"
    assert digest_subject({}) == "tmwatch: nothing new"


def test_subject_new_articles_name_their_people() -> None:
    assert digest_subject(digest([article("a"), article("b")])) == "tmwatch: 2 new"
    data = digest(
        [
            article("a", persons=[TAGANOVA]),
            article("b", persons=[ALLALYEV, TAGANOVA]),
            article("c", persons=["Old Person"], new=False),
        ]
    )
    assert digest_subject(data) == "tmwatch: 2 new (Taganova, Аллалыев)"


def test_subject_status_changes_come_first() -> None:
    data = digest([article("a", persons=[TAGANOVA])], status_changes=[change(ALLALYEV)])
    assert digest_subject(data) == "tmwatch: 1 new, 1 status change (Аллалыев)"
    two = digest([], status_changes=[change(ALLALYEV), change(ALLALYEV, "released")])
    assert digest_subject(two) == "tmwatch: 2 status changes (Аллалыев)"


def test_subject_lists_three_surnames_at_most() -> None:
    names = ["Ana Aman", "Berdi Bayew", "Gulnara Chary", "Dovlet Dur"]
    data = digest([], status_changes=[change(n) for n in names])
    assert digest_subject(data) == "tmwatch: 4 status changes (Aman, Bayew, Chary, ...)"


def test_subject_counts_flagged_sources() -> None:
    sources = {
        "a": {"state": "failed", "problems": ["x"]},
        "b": {"state": "ok", "flags": ["quiet for 3 days"]},
        "c": {"state": "ok", "flags": []},
        "d": {"state": "partial"},
    }
    data = digest([article("a", persons=[TAGANOVA])], sources=sources)
    assert digest_subject(data) == "tmwatch: 1 new (Taganova), 2 sources flagged"
    only = digest([], sources={"a": {"state": "failed"}})
    assert digest_subject(only) == "tmwatch: 1 source flagged"


def test_subject_stays_short() -> None:
    long = ["Person " + "Longsurname" * 8 + str(n) for n in range(5)]
    data = digest([article("a")], status_changes=[change(n) for n in long], sources={})
    subject = digest_subject(data)
    assert len(subject) <= 120
    assert subject.startswith("tmwatch: 1 new, 5 status changes")
    bad = digest([], status_changes=[change("Evil\r\nBcc: x")])
    assert "\n" not in digest_subject(bad) and "\r" not in digest_subject(bad)


# -- SMTP -------------------------------------------------------------------------------------


def test_starttls_with_the_relays_own_ca(server_tls: ssl.SSLContext, ca_file: Path) -> None:
    payload, _ = composed(sample_digest())
    with SmtpReceiver(tls_context=server_tls) as receiver:
        send_email(settings(receiver, starttls=True, ca_file=ca_file), payload, SENDER, TO, None)
    [received] = receiver.messages
    assert received.tls and received.content == payload


def test_implicit_tls(server_tls: ssl.SSLContext, ca_file: Path) -> None:
    with SmtpReceiver(tls_context=server_tls, implicit_tls=True) as receiver:
        send_email(
            settings(receiver, tls=True, ca_file=ca_file),
            b"Subject: x\r\n\r\nx\r\n",
            SENDER,
            TO,
            None,
        )
    [received] = receiver.messages
    assert received.tls


def test_an_untrusted_certificate_is_refused(server_tls: ssl.SSLContext) -> None:
    with SmtpReceiver(tls_context=server_tls) as receiver:
        with pytest.raises(DeliveryError, match="TLS certificate not accepted") as caught:
            send_email(settings(receiver, starttls=True), b"x\r\n", SENDER, TO, None)
    assert str(caught.value).startswith(f"smtp 127.0.0.1:{receiver.port}: ")
    assert receiver.messages == []


def test_a_server_without_starttls_gets_nothing(smtp: SmtpReceiver) -> None:
    with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
        send_email(settings(smtp, starttls=True), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    assert smtp.messages == []


def test_auth_over_starttls(server_tls: ssl.SSLContext, ca_file: Path) -> None:
    with SmtpReceiver(auth=("monitor", "s3cret-pass"), tls_context=server_tls) as receiver:
        config = settings(receiver, starttls=True, ca_file=ca_file)
        send_email(config, b"Subject: x\r\n\r\nx\r\n", SENDER, TO, ("monitor", "s3cret-pass"))
    [received] = receiver.messages
    assert received.tls and received.authenticated


def test_wrong_credentials_never_show_the_password() -> None:
    with SmtpReceiver(auth=("monitor", "right-pass")) as receiver:
        with pytest.raises(DeliveryError) as caught:
            send_email(settings(receiver), b"x\r\n", SENDER, TO, ("monitor", "Wr0ng-Pa55"))
        with pytest.raises(DeliveryError, match=r"sender .* refused \(530"):
            send_email(settings(receiver), b"x\r\n", SENDER, TO, None)
        send_email(settings(receiver), b"x\r\n", SENDER, TO, ("monitor", "right-pass"))
    text = str(caught.value)
    assert text == f"smtp 127.0.0.1:{receiver.port}: authentication failed (535)"
    assert "Wr0ng-Pa55" not in text and caught.value.permanent
    assert [r.authenticated for r in receiver.messages] == [True]


def test_credentials_never_travel_in_plain_text_off_this_machine() -> None:
    start = time.monotonic()
    with pytest.raises(DeliveryError, match="unencrypted") as caught:
        send_email(
            settings(host=TEST_NET, port=25, timeout=30), b"x", SENDER, TO, ("monitor", "Pa55-x")
        )
    assert time.monotonic() - start < 0.5  # refused before any connection
    assert caught.value.permanent and "Pa55-x" not in str(caught.value)


def test_non_ascii_addresses_are_refused_before_connecting() -> None:
    with pytest.raises(DeliveryError, match=r"non-ASCII address Şatlyk@ngo\.test") as caught:
        send_email(settings(port=closed_port()), b"x", SENDER, ["Şatlyk@ngo.test"], None)
    assert caught.value.permanent


def test_a_closed_port_fails_at_once() -> None:
    port = closed_port()
    start = time.monotonic()
    with pytest.raises(DeliveryError) as caught:
        send_email(settings(port=port), b"x", SENDER, TO, None)
    assert time.monotonic() - start < 2
    assert str(caught.value) == f"smtp 127.0.0.1:{port}: connection refused"
    assert not caught.value.permanent


def test_a_refusal_at_data_fails_until_the_server_recovers(smtp: SmtpReceiver) -> None:
    smtp.fail_with = 451
    with pytest.raises(DeliveryError, match=r"message refused \(451 ") as caught:
        send_email(settings(smtp), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    assert not caught.value.permanent and smtp.messages == []
    smtp.fail_with = 554
    with pytest.raises(DeliveryError, match=r"\(554 ") as caught:
        send_email(settings(smtp), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    assert caught.value.permanent
    smtp.fail_with = None
    send_email(settings(smtp), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    assert len(smtp.messages) == 1


def test_smtp_down_then_up_on_the_same_port(smtp: SmtpReceiver) -> None:
    port = smtp.port
    smtp.stop()
    with pytest.raises(DeliveryError, match="connection refused"):
        send_email(settings(smtp), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    smtp.start()
    assert smtp.port == port
    send_email(settings(smtp), b"Subject: x\r\n\r\nx\r\n", SENDER, TO, None)
    assert len(smtp.messages) == 1


def test_partly_refused_recipients_are_returned() -> None:
    with SmtpReceiver(refuse={"gone@ngo.test"}) as receiver:
        refused = send_email(
            settings(receiver), b"x\r\n", SENDER, ["desk@ngo.test", "gone@ngo.test"], None
        )
        assert set(refused) == {"gone@ngo.test"} and refused["gone@ngo.test"][0] == 550
        with pytest.raises(DeliveryError, match=r"all recipients refused \(550 ") as caught:
            send_email(settings(receiver), b"x\r\n", SENDER, ["gone@ngo.test"], None)
    assert caught.value.permanent
    assert [r.recipients for r in receiver.messages] == [["desk@ngo.test"]]


# -- webhooks ---------------------------------------------------------------------------------

BODY = '{"kind":"alert","person":"Аллалыев","key":"alert.desk.1"}'.encode()


def test_a_webhook_gets_the_exact_signed_body(hook: HookReceiver) -> None:
    status = post_json(hook.url(), BODY, key="alert.desk.1", secret="hook-secret", timeout=5)
    assert status == 204
    [request] = hook.requests
    assert (request.method, request.path, request.body) == ("POST", "/hook", BODY)
    assert request.valid_signature is True
    assert request.header(SIGNATURE_HEADER) == sign(BODY, "hook-secret")
    assert request.header(KEY_HEADER) == "alert.desk.1"
    assert request.header("X-Tmwatch-Delivery") == "alert.desk.1"
    assert request.header("Content-Type") == "application/json; charset=utf-8"
    assert request.header("User-Agent") == USER_AGENT


def test_a_wrong_secret_does_not_verify(hook: HookReceiver) -> None:
    post_json(hook.url(), BODY, key="k1", secret="another-secret", timeout=5)
    post_json(hook.url(), BODY, key="k2", secret=None, timeout=5)
    assert [r.valid_signature for r in hook.requests] == [False, False]
    assert hook.requests[1].header(SIGNATURE_HEADER) is None


def test_verify() -> None:
    header = sign(BODY, "s")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify(BODY, "s", header) and verify(BODY, "s", f" {header} ")
    assert not verify(BODY + b" ", "s", header)
    assert not verify(BODY, "t", header)
    assert not verify(BODY, "s", None) and not verify(BODY, "s", "")
    assert not verify(BODY, "s", "sha256=ü")


@pytest.mark.parametrize(
    ("status", "permanent"), [(503, False), (500, False), (429, False), (404, True), (410, True)]
)
def test_an_error_status_fails(hook: HookReceiver, status: int, permanent: bool) -> None:
    hook.status = status
    with pytest.raises(DeliveryError) as caught:
        post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=5)
    assert str(caught.value) == f"webhook {hook.url()}: HTTP {status}"
    assert caught.value.permanent is permanent


def test_a_redirect_is_not_followed(hook: HookReceiver) -> None:
    with HookReceiver() as elsewhere:
        hook.status, hook.location = 302, elsewhere.url("/stolen")
        with pytest.raises(DeliveryError, match="HTTP 302 redirect not followed"):
            post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=5)
        assert len(hook.requests) == 1
        assert elsewhere.requests == []


def test_a_stalled_receiver_times_out(hook: HookReceiver) -> None:
    hook.delay = 5
    start = time.monotonic()
    with pytest.raises(DeliveryError) as caught:
        post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=0.3)
    assert time.monotonic() - start < 2
    assert str(caught.value) == f"webhook {hook.url()}: timed out after 0.3s"


def test_a_closed_webhook_port_fails_at_once() -> None:
    url = f"http://127.0.0.1:{closed_port()}/hook"
    with pytest.raises(DeliveryError) as caught:
        post_json(url, BODY, key="k", secret=None, timeout=5)
    assert str(caught.value) == f"webhook {url}: connection refused"


def test_plain_http_off_this_machine_is_refused_before_connecting() -> None:
    start = time.monotonic()
    with pytest.raises(DeliveryError, match=r"plain http to 192\.0\.2\.1 refused") as caught:
        post_json(f"http://{TEST_NET}/hook", BODY, key="k", secret="s", timeout=30)
    assert time.monotonic() - start < 0.1
    assert caught.value.permanent
    for url in ("ftp://127.0.0.1/x", "file:///etc/passwd", "http:///nohost"):
        with pytest.raises(DeliveryError, match="not an http"):
            post_json(url, BODY, key="k", secret=None, timeout=30)


def test_environment_proxies_are_ignored(
    hook: HookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HookReceiver(status=200) as proxy:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.url("/"))
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        # The trap works: a default opener does send this request to the "proxy" (built here:
        # urlopen's global opener keeps the proxies of whichever test first used it).
        request = urllib.request.Request(hook.url(), data=BODY, method="POST")
        with urllib.request.build_opener().open(request, timeout=5) as response:
            response.read()
        assert [r.path for r in proxy.requests] == [hook.url()]

        post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=5)
    assert len(proxy.requests) == 1  # only the trap's own request
    assert [r.path for r in hook.requests] == ["/hook"]


def test_errors_hold_no_secret_and_no_query(hook: HookReceiver) -> None:
    hook.status = 503
    url = "http://user:pa55word@127.0.0.1:{port}/hook/T0KEN?token=Q-S3CRET"
    with pytest.raises(DeliveryError) as caught:
        post_json(url.format(port=hook.port), BODY, key="k", secret="hook-secret", timeout=5)
    text = str(caught.value)
    assert text == f"webhook http://127.0.0.1:{hook.port}/hook/T0KEN: HTTP 503"
    assert "hook-secret" not in text and "pa55word" not in text and "Q-S3CRET" not in text
    assert hook.requests[0].path == "/hook/T0KEN?token=Q-S3CRET"


def test_https_webhook_with_its_own_ca(server_tls: ssl.SSLContext, ca_file: Path) -> None:
    with HookReceiver(tls_context=server_tls) as receiver:
        url = receiver.url()
        with pytest.raises(DeliveryError, match="TLS certificate not accepted"):
            post_json(url, BODY, key="k", secret=None, timeout=5)
        assert post_json(url, BODY, key="k", secret=None, timeout=5, ca_file=ca_file) == 204
    assert [(r.tls, r.body) for r in receiver.requests] == [(True, BODY)]


def test_webhook_down_then_up_on_the_same_port(hook: HookReceiver) -> None:
    port = hook.port
    hook.stop()
    with pytest.raises(DeliveryError, match="connection refused"):
        post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=5)
    hook.start()
    assert hook.port == port
    assert post_json(hook.url(), BODY, key="k", secret="hook-secret", timeout=5) == 204
    assert len(hook.requests) == 1


def test_a_large_answer_is_not_read_whole(hook: HookReceiver) -> None:
    hook.status, hook.response_body = 200, b"x" * (4 * 1024 * 1024)
    assert post_json(hook.url(), BODY, key="k", secret=None, timeout=5) == 200


def test_the_date_header_keeps_the_given_zone() -> None:
    """Composing reads no clock: the date is an argument, an aware one in any zone."""
    payload, _ = composed(sample_digest())
    assert b"\r\nDate: Sun, 29 Nov 2026 07:00:00 +0500\r\n" in payload


def test_a_long_subject_reads_back_without_a_leading_space() -> None:
    """The stdlib folds at 78 by moving the whole subject to a continuation line."""
    subject = "tmwatch: 64 new, 4 status changes (Rakhmanov, Allalyev, Taganova, ...)"
    raw = compose_email(
        sender="tmwatch@example.org",
        recipients=["monitor@example.org"],
        subject=subject,
        text="x" * 300,
        html="<p>" + "y" * 500 + "</p>",
        message_id="<long@example.org>",
        date=datetime(2026, 11, 29, 7, 0, tzinfo=UTC),
    )
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    body_lines = raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n")
    assert max(len(line) for line in body_lines) <= 78
