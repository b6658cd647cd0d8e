"""``tmwatch doctor`` and ``tmwatch samples serve`` against the real sample server, over real HTTP.

The sample outlets include broken ones on purpose (docs/outlets.md): the doctor must pass the
healthy sources and name the right reason for each broken one, without contacting anything but
the registry's loopback hosts.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import trustme

from tests.helpers import ROOT, SAMPLE_REGISTRY, Ran, cli_env, invoke
from tmwatch.config.registry import load_registry
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.doctor import CHECKS, DoctorOptions, run_doctor

# Loopback needs no politeness delay; a short timeout keeps a hanging page from slowing the file.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_TIMEOUT=3"]
HEALTHY = ("azathabar-ru", "ng", "turkmen-news-ru", "turkmen-news-en", "bianet")
WARNED = ("azathabar-tk", "evrensel")  # a zombie feed among good ones; a malformed feed
BROKEN = ("hronikatm-ru", "gundogar")  # a 404 newest article; pages extraction refuses


def doctor(server: SampleServer, *extra: str) -> Ran:
    return invoke(
        "doctor", "--registry", str(SAMPLE_REGISTRY), "--base", server.base, *FAST, *extra
    )


def checks_of(record: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["check"]: c for c in record["checks"]}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def sample_report(sample_server: SampleServer) -> tuple[Ran, dict[str, dict[str, Any]]]:
    """One `doctor --json` over every sample source, shared by the tests that read it."""
    ran = doctor(sample_server, "--json")
    records = json.loads(ran.stdout)["sources"]
    return ran, {r["source"]: r for r in records}


def test_json_has_one_record_per_source_with_every_check(sample_report: Any) -> None:
    ran, records = sample_report
    assert ran.exit_code == 1  # the broken samples fail
    assert set(records) >= {*HEALTHY, *WARNED, "hronikatm-ru", "gundogar"}
    for record in records.values():
        assert set(record) == {"source", "status", "checks"}
        assert [c["check"] for c in record["checks"]] == list(CHECKS)
        for check in record["checks"]:
            assert set(check) == {"check", "status", "reason"}
            assert check["status"] in {"ok", "warn", "fail", "skip"}
            assert check["reason"] and "\n" not in check["reason"]


def test_healthy_samples_pass_every_check(sample_report: Any) -> None:
    """Every sample outlet and channel but the deliberately broken ones passes: the Telegram
    channel's post too, fetched as its embed page like the crawl does (it was a 404 before)."""
    _, records = sample_report
    healthy = set(records) - {*WARNED, *BROKEN}
    assert len(healthy) >= 16 and {*HEALTHY, "telegram-turkmen-habarlary"} <= healthy
    for name in sorted(healthy):
        assert records[name]["status"] == "ok", records[name]
        checks = checks_of(records[name])
        assert {c["status"] for c in checks.values()} == {"ok"}, name
        assert checks["reachable"]["reason"].startswith("HTTP 200")
    assert "as registered" in checks_of(records["turkmen-news-en"])["language"]["reason"]


def test_a_zombie_feed_beside_working_feeds_is_a_warning(sample_report: Any) -> None:
    _, records = sample_report
    record = records["azathabar-tk"]
    assert record["status"] == "warn"
    discovery = checks_of(record)["discovery"]
    assert discovery["status"] == "warn"
    assert "zombie feed" in discovery["reason"] and "/azathabar/api/zombie" in discovery["reason"]
    assert "feed body is only 11 bytes" in discovery["reason"]  # feeds.py's own wording
    assert {c["status"] for c in record["checks"]} == {"ok", "warn"}  # articles still come


def test_a_malformed_feed_with_entries_is_a_warning(sample_report: Any) -> None:
    _, records = sample_report
    discovery = checks_of(records["evrensel"])["discovery"]
    assert discovery["status"] == "warn" and "malformed feed" in discovery["reason"]


def test_a_404_newest_article_fails_the_article_check(sample_report: Any) -> None:
    _, records = sample_report
    checks = checks_of(records["hronikatm-ru"])
    assert records["hronikatm-ru"]["status"] == "fail"
    assert checks["article"]["status"] == "fail"
    assert "HTTP 404" in checks["article"]["reason"]
    assert "/hronikatm/2021/11/udalennaya-statya/" in checks["article"]["reason"]
    assert checks["language"] == {
        "check": "language",
        "status": "skip",
        "reason": "not checked: article failed",
    }


def test_pages_extraction_refuses_fail_saying_there_is_no_text(sample_report: Any) -> None:
    _, records = sample_report
    article = checks_of(records["gundogar"])["article"]
    assert article["status"] == "fail"
    assert "no article text" in article["reason"] and "no main text found" in article["reason"]
    assert checks_of(records["gundogar"])["discovery"]["status"] == "ok"


def test_table_has_a_column_per_check_and_the_first_failure(sample_server: SampleServer) -> None:
    ran = doctor(sample_server, "--source", "ng", "--source", "gundogar")
    assert ran.exit_code == 1
    header, ng, gundogar, *rest = ran.stdout.splitlines()
    assert header.split() == ["source", *CHECKS, "reason"]
    assert ng.split() == ["ng", *["ok"] * 6]
    assert gundogar.split()[:7] == ["gundogar", "ok", "ok", "ok", "ok", "FAIL", "-"]
    assert "article: no article text in" in gundogar
    assert rest[-1] == "1 of 2 sources pass; 1 fail"


def test_exit_0_only_when_every_selected_source_passes(sample_server: SampleServer) -> None:
    selected = [arg for name in (*HEALTHY, *WARNED) for arg in ("--source", name)]
    ran = doctor(sample_server, *selected)
    assert ran.exit_code == 0, ran.stdout
    assert ran.stdout.splitlines()[-1] == "7 of 7 sources pass (2 with warnings)"
    assert doctor(sample_server, "--source", "hronikatm-ru").exit_code == 1


def test_usage_errors_exit_2(sample_server: SampleServer) -> None:
    unknown = doctor(sample_server, "--source", "nope")
    assert unknown.exit_code == 2
    assert "unknown source 'nope'" in unknown.stderr and "gundogar" in unknown.stderr
    without_base = invoke("doctor", "--registry", str(SAMPLE_REGISTRY))
    assert without_base.exit_code == 2 and "tmwatch samples serve" in without_base.stderr
    bad_setting = doctor(sample_server, "-s", "CONCURRENT_REQUESTS=4")
    assert bad_setting.exit_code == 2 and "DOWNLOAD_DELAY" in bad_setting.stderr


def test_wrong_article_pattern_is_reported_with_an_example(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    text = SAMPLE_REGISTRY.read_text(encoding="utf-8")
    right = r"article_url = ['^{base}/turkmen-news/(?!page/|tag/|category/|author/|feed/|wp-)"
    assert right in text
    wrong = text.replace(right, r"article_url = ['^{base}/turkmen-news/\d{4}/(?!page/)")
    registry = tmp_path / "wrong-pattern.toml"
    registry.write_text(wrong, encoding="utf-8")
    ran = invoke(
        "doctor", "--registry", str(registry), "--base", sample_server.base, *FAST,
        "--source", "turkmen-news-ru", "--json",
    )  # fmt: skip
    assert ran.exit_code == 1
    checks = checks_of(json.loads(ran.stdout)["sources"][0])
    assert checks["discovery"]["status"] == "ok"  # the feed itself is fine
    assert checks["pattern"]["status"] == "fail"
    reason = checks["pattern"]["reason"]
    assert re.fullmatch(
        rf"0 of 6 newest items match article_url, e\.g\. {re.escape(sample_server.base)}"
        r"/turkmen-news/[a-z0-9-]+/",
        reason,
    ), reason
    assert checks["article"]["status"] == "skip"


def test_a_dead_host_fails_in_one_line_and_the_run_goes_on(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    text = SAMPLE_REGISTRY.read_text(encoding="utf-8").replace("{base}/ng/", f"{dead}/ng/")
    # And a source whose feed robots.txt forbids: the doctor must not fetch it.
    text += (
        '\n[sources.private]\nname = "Private"\noutlet = "Private"\nhomepage = "{base}/"\n'
        'languages = ["en"]\nfeeds = ["{base}/private/feed"]\n'
        "article_url = ['^{base}/private/a/\\d+$']\n"
    )
    registry = tmp_path / "dead.toml"
    registry.write_text(text, encoding="utf-8")
    ran = invoke(
        "doctor", "--registry", str(registry), "--base", sample_server.base, *FAST, "--json",
        "--source", "ng", "--source", "private", "--source", "bianet",
    )  # fmt: skip
    assert ran.exit_code == 1
    ng, private, bianet = json.loads(ran.stdout)["sources"]
    reachable = checks_of(ng)["reachable"]
    assert reachable == {
        "check": "reachable",
        "status": "fail",
        "reason": f"connection refused: {dead}/robots.txt",
    }
    assert {c["status"] for c in ng["checks"][1:]} == {"skip"}
    robots = checks_of(private)["robots"]
    assert robots["status"] == "fail"
    assert robots["reason"].startswith(f"robots.txt disallows {sample_server.base}/private/feed")
    assert "/private/feed" not in sample_server.hits
    assert bianet["status"] == "ok"


def test_only_registry_hosts_are_contacted_and_no_environment_proxy(
    sample_server: SampleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy in the environment that would fail every request changes nothing."""
    nowhere = f"http://127.0.0.1:{closed_port()}"
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.setenv(name, nowhere)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    registry = load_registry(SAMPLE_REGISTRY, base=sample_server.base)
    sources = [registry.sources[name] for name in (*HEALTHY, "azathabar-tk")]
    reports = run_doctor(registry, sources, DoctorOptions(delay=0, timeout=3))
    assert [r.status for r in reports] == ["ok"] * len(HEALTHY) + ["warn"]
    requested = [url for r in reports for url in r.requested]
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(sample_server.base).netloc}
    # robots.txt once per host per run; at most four discovery documents and one article each
    assert sum(url.endswith("/robots.txt") for url in requested) == 1
    assert all(len(r.requested) <= 6 for r in reports)


def test_samples_serve_prints_a_usable_registry_and_stops_on_sigint(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tmwatch", "samples", "serve", "--port", "0"],
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("# serving"):
                break
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", lines[-1])
        assert found, lines[-3:]
        base = found.group(1)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{base}/bianet/rss/bianet", timeout=5) as response:
            assert response.status == 200
        saved = tmp_path / "samples.toml"
        saved.write_text("".join(lines), encoding="utf-8")
        checked = invoke("sources", "--check", "--registry", str(saved))
        assert checked.exit_code == 0, checked.output
        expected = load_registry(SAMPLE_REGISTRY, base=base).sources
        loaded = load_registry(saved).sources
        assert {k: [p.pattern for p in s.article_url] for k, s in loaded.items()} == {
            k: [p.pattern for p in s.article_url] for k, s in expected.items()
        }
        assert f"{len(expected)} sources, no problems" in checked.stdout
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


# -- network failures, against real local servers ----------------------------------------------
#
# Each broken source is checked beside the healthy sample source `ng` in the same run, through
# the CLI: the broken one fails at `reachable` with one clear line, `ng` still passes.

TIMEOUT = 1  # seconds: -s DOWNLOAD_TIMEOUT for these runs (the silent server's test waits it)


class _Quiet(http.server.BaseHTTPRequestHandler):
    """No robots.txt (404: all allowed); every other path answers the server's ``status``."""

    def do_GET(self) -> None:
        status = 404 if self.path == "/robots.txt" else self.server.status  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(status: int = 200, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """An HTTP(S) server on 127.0.0.1 in a thread; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    server.status = status  # type: ignore[attr-defined]
    server.handle_error = lambda *_: None  # type: ignore[method-assign]  # aborted handshakes
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def tls_context(cert: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    return context


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust the throwaway CA the way a user trusts a corporate one: SSL_CERT_FILE."""
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def broken_registry(tmp_path: Path, sites: dict[str, str]) -> Path:
    """The sample registry plus one source per ``sites`` entry (key → scheme://host:port)."""
    text = SAMPLE_REGISTRY.read_text(encoding="utf-8")
    for key, site in sites.items():
        text += (
            f'\n[sources.{key}]\nname = "{key}"\noutlet = "{key}"\nhomepage = "{site}/"\n'
            f'languages = ["en"]\nfeeds = ["{site}/feed"]\n'
            f"article_url = ['^{re.escape(site)}/a/\\d+$']\n"
        )
    registry = tmp_path / "broken.toml"
    registry.write_text(text, encoding="utf-8")
    return registry


def doctor_beside_ng(
    server: SampleServer, tmp_path: Path, sites: dict[str, str], *extra: str
) -> Ran:
    selected = [arg for key in ("ng", *sites) for arg in ("--source", key)]
    return invoke(
        "doctor", "--registry", str(broken_registry(tmp_path, sites)), "--base", server.base,
        *FAST, "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}", *selected, *extra,
    )  # fmt: skip


def unreachable(server: SampleServer, tmp_path: Path, site: str) -> str:
    """Run doctor --json on ``site`` beside ng; check the shape of the failure; its reason."""
    ran = doctor_beside_ng(server, tmp_path, {"broken": site}, "--json")
    assert ran.exit_code == 1, ran.output
    ng, broken = json.loads(ran.stdout)["sources"]
    assert ng["source"] == "ng" and ng["status"] == "ok", ng
    assert broken["source"] == "broken" and broken["status"] == "fail"
    reachable, *others = broken["checks"]
    assert reachable["check"] == "reachable" and reachable["status"] == "fail"
    # The host did not answer at all: nothing else was asked of it.
    assert {(c["status"], c["reason"]) for c in others} == {
        ("skip", "not checked: reachable failed")
    }
    reason: str = reachable["reason"]
    assert "\n" not in reason and "_ssl.c" not in reason and "Errno" not in reason, reason
    assert reason.endswith(f": {site}/robots.txt"), reason  # the first request to the host
    return reason.removesuffix(f": {site}/robots.txt")


def test_a_certificate_from_an_untrusted_ca_is_a_tls_problem(
    sample_server: SampleServer, tmp_path: Path, ca: trustme.CA
) -> None:
    with serving(tls=tls_context(ca.issue_cert("127.0.0.1", "localhost"))) as port:
        reason = unreachable(sample_server, tmp_path, f"https://127.0.0.1:{port}")
    assert (
        reason == "TLS problem: certificate verify failed (unable to get local issuer certificate)"
    )


def test_a_self_signed_certificate_is_a_tls_problem(
    sample_server: SampleServer, tmp_path: Path, ca: trustme.CA
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert, key = tmp_path / "self.pem", tmp_path / "self.key"
    ca.cert_pem.write_to_path(str(cert))  # the CA's own certificate signs itself
    ca.private_key_pem.write_to_path(str(key))
    context.load_cert_chain(cert, key)
    with serving(tls=context) as port:
        reason = unreachable(sample_server, tmp_path, f"https://127.0.0.1:{port}")
    assert re.fullmatch(
        r"TLS problem: certificate verify failed \(self[- ]signed certificate\)", reason
    )


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize(
    ("host", "mismatch"),
    [("127.0.0.1", "IP address mismatch"), ("localhost", "Hostname mismatch")],
)
def test_a_certificate_for_another_host_is_a_tls_problem(
    sample_server: SampleServer, tmp_path: Path, ca: trustme.CA, host: str, mismatch: str
) -> None:
    with serving(tls=tls_context(ca.issue_cert("other.example"))) as port:
        reason = unreachable(sample_server, tmp_path, f"https://{host}:{port}")
    expected = f"({mismatch}, certificate is not valid for '{host}')"
    assert reason == f"TLS problem: certificate verify failed {expected}"


@pytest.mark.usefixtures("trusted")
def test_a_trusted_certificate_for_the_right_host_passes_tls(
    sample_server: SampleServer, tmp_path: Path, ca: trustme.CA
) -> None:
    """The control for the TLS tests: the same server, certificate right, TLS is no problem."""
    with serving(status=404, tls=tls_context(ca.issue_cert("127.0.0.1"))) as port:
        site = f"https://127.0.0.1:{port}"
        ran = doctor_beside_ng(sample_server, tmp_path, {"broken": site}, "--json")
    records = {r["source"]: r for r in json.loads(ran.stdout)["sources"]}
    assert checks_of(records["broken"])["reachable"]["reason"] == f"HTTP 404: {site}/feed"
    assert records["ng"]["status"] == "ok"


def test_https_to_a_plain_http_port_is_a_tls_problem_in_words(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    """OpenSSL's words, not ``[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:…)``."""
    with serving() as port:
        reason = unreachable(sample_server, tmp_path, f"https://127.0.0.1:{port}")
    assert re.fullmatch(r"TLS problem: [a-z][a-z ]+", reason), reason


def test_a_host_name_that_does_not_resolve_is_a_dns_failure(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    try:
        socket.getaddrinfo("nonexistent.invalid", 443)
    except socket.gaierror:
        pass
    else:  # pragma: no cover - a resolver that answers for .invalid breaks RFC 6761
        pytest.skip("this machine's resolver answers for .invalid")
    if time.monotonic() - started > 3:  # pragma: no cover
        pytest.skip("this machine's resolver is slow to fail")
    reason = unreachable(sample_server, tmp_path, "https://nonexistent.invalid")
    assert reason == "host name not found (DNS)"


def test_a_server_that_never_answers_times_out(sample_server: SampleServer, tmp_path: Path) -> None:
    # Listening but never accepting: the kernel completes the TCP handshake, nobody answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        reason = unreachable(sample_server, tmp_path, f"http://127.0.0.1:{port}")
    assert reason == f"timed out after {TIMEOUT} s"
    assert time.monotonic() - started < TIMEOUT + 2.5  # one attempt, no retry


def test_a_closed_port_is_connection_refused(sample_server: SampleServer, tmp_path: Path) -> None:
    reason = unreachable(sample_server, tmp_path, f"http://127.0.0.1:{closed_port()}")
    assert reason == "connection refused"


def test_a_server_that_hangs_up_without_answering(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    with socket.socket() as rude:
        rude.bind(("127.0.0.1", 0))
        rude.listen()
        rude.settimeout(5)  # the thread ends once the doctor is done with it
        port = rude.getsockname()[1]

        def hang_up() -> None:
            with contextlib.suppress(OSError):
                while True:
                    conn, _ = rude.accept()
                    with conn:
                        conn.recv(4096)

        threading.Thread(target=hang_up, daemon=True).start()
        reason = unreachable(sample_server, tmp_path, f"http://127.0.0.1:{port}")
    assert reason == "the server closed the connection without a response"


@pytest.mark.parametrize("status", [404, 503])
def test_an_http_error_on_the_feed_names_the_status(
    sample_server: SampleServer, tmp_path: Path, status: int
) -> None:
    with serving(status=status) as port:
        site = f"http://127.0.0.1:{port}"
        ran = doctor_beside_ng(sample_server, tmp_path, {"broken": site}, "--json")
    assert ran.exit_code == 1
    ng, broken = json.loads(ran.stdout)["sources"]
    assert ng["status"] == "ok" and broken["status"] == "fail"
    checks = checks_of(broken)
    assert checks["reachable"] == {
        "check": "reachable",
        "status": "fail",
        "reason": f"HTTP {status}: {site}/feed",
    }
    assert checks["discovery"]["status"] == "fail"
    assert checks["discovery"]["reason"] == f"feed {site}/feed: HTTP {status}"
    assert checks["robots"]["status"] == "ok"  # robots.txt 404: all allowed


def test_the_table_gives_each_failing_source_one_line_with_its_reason(
    sample_server: SampleServer, tmp_path: Path, ca: trustme.CA
) -> None:
    silent = socket.socket()
    with (
        silent,
        serving(tls=tls_context(ca.issue_cert("127.0.0.1"))) as tls_port,
        serving(status=503) as http_port,
    ):
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        sites = {
            "untrusted": f"https://127.0.0.1:{tls_port}",
            "dns": "http://nonexistent.invalid",
            "silent": f"http://127.0.0.1:{silent.getsockname()[1]}",
            "refused": f"http://127.0.0.1:{closed_port()}",
            "unavailable": f"http://127.0.0.1:{http_port}",
        }
        ran = doctor_beside_ng(sample_server, tmp_path, sites)
    assert ran.exit_code == 1
    header, ng, *rows, blank, summary = ran.stdout.splitlines()
    assert header.split() == ["source", *CHECKS, "reason"]
    assert ng.split() == ["ng", *["ok"] * 6]
    assert (blank, summary) == ("", "1 of 6 sources pass; 5 fail")
    expected = {
        "untrusted": "TLS problem: certificate verify failed (unable to get local issuer "
        f"certificate): {sites['untrusted']}/robots.txt",
        "dns": f"host name not found (DNS): {sites['dns']}/robots.txt",
        "silent": f"timed out after {TIMEOUT} s: {sites['silent']}/robots.txt",
        "refused": f"connection refused: {sites['refused']}/robots.txt",
        "unavailable": f"HTTP 503: {sites['unavailable']}/feed",
    }
    for row, (key, reason) in zip(rows, expected.items(), strict=True):
        # Down hosts: nothing else checked. A 503 feed: robots.txt read, discovery failed too.
        marks = ["ok", "FAIL", "FAIL", "-", "-"] if key == "unavailable" else ["-"] * 5
        assert row.split()[:7] == [key, "FAIL", *marks], row
        assert row.endswith(f"  reachable: {reason}"), row
