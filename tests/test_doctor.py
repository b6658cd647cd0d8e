"""``tmwatch doctor`` and ``tmwatch samples serve`` against the real sample server, over real HTTP.

The sample outlets include broken ones on purpose (docs/outlets.md): the doctor must pass the
healthy sources and name the right reason for each broken one, without contacting anything but
the registry's loopback hosts.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import ROOT, SAMPLE_REGISTRY, Ran, cli_env, invoke
from tmwatch.config.registry import load_registry
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.doctor import CHECKS, DoctorOptions, run_doctor

# Loopback needs no politeness delay; a short timeout keeps a hanging page from slowing the file.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_TIMEOUT=3"]
HEALTHY = ("azathabar-ru", "ng", "turkmen-news-ru", "turkmen-news-en", "bianet")
WARNED = ("azathabar-tk", "evrensel")  # a zombie feed among good ones; a malformed feed


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
    _, records = sample_report
    for name in HEALTHY:
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
