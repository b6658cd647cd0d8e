"""`tmwatch serve` and `tmwatch demo --serve` as a user runs them: real processes on real ports.

Listening anywhere but loopback needs a password; the refusal comes before the port is bound.
The password is prompted (so it is in no shell history) and only its hash is written, owner-only.
"""

from __future__ import annotations

import http.client
import queue
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tests.helpers import ROOT, cli_env, invoke, run_cli
from tmwatch.web.passwords import check_password, read_password_hash

PASSWORD = "correct horse battery"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _forward(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


@contextmanager
def running(
    *args: str, home: Path | None = None
) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    """``python -m tmwatch ARGS`` in the background; its stdout lines arrive on the queue."""
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        [sys.executable, "-m", "tmwatch", *args],
        cwd=ROOT,
        env=cli_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        reader = threading.Thread(target=_forward, args=(process.stdout, lines), daemon=True)
        reader.start()
        try:
            yield process, lines
        finally:
            process.terminate()  # uvicorn stops on SIGTERM as on Ctrl-C
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join(timeout=5)


def wait_for_line(
    process: subprocess.Popen[str], lines: queue.Queue[str], pattern: str, timeout: float
) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found
    stderr = process.stderr.read() if process.poll() is not None and process.stderr else ""
    raise AssertionError(
        f"no line matching {pattern!r}; stdout: {seen[-10:]}; stderr: {stderr[-2000:]}"
    )


def get(port: int, path: str = "/", timeout: float = 20) -> http.client.HTTPResponse:
    """GET once the port answers (no redirect is followed)."""
    deadline = time.monotonic() + timeout
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            connection.close()


def test_serving_beyond_loopback_without_a_password_is_refused_before_binding(
    demo_archive: Path, tmp_path: Path
) -> None:
    port = free_port("0.0.0.0")
    ran = run_cli(
        "--config-dir", str(tmp_path), "serve", "--host", "0.0.0.0", "--port", str(port),
        home=demo_archive, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 2
    message = ran.stderr.strip().splitlines()
    assert len(message) == 1, ran.stderr
    assert "refusing to serve on 0.0.0.0 without a password" in message[0]
    assert "--set-password" in message[0]
    assert "serving" not in ran.stdout
    with socket.socket() as sock:  # nothing was bound: the port is still free
        sock.bind(("0.0.0.0", port))


def test_set_password_prompts_twice_and_writes_an_owner_only_hash(tmp_path: Path) -> None:
    config = tmp_path / "config"
    short = invoke("--config-dir", str(config), "serve", "--set-password", stdin="pw\npw\n")
    assert short.exit_code == 2
    assert "at least 10 characters" in short.output
    assert not (config / "web.toml").exists()

    differ = invoke(
        "--config-dir", str(config), "serve", "--set-password", stdin=f"{PASSWORD}\nother one!\n"
    )
    assert differ.exit_code != 0
    assert not (config / "web.toml").exists()

    ran = invoke(
        "--config-dir", str(config), "serve", "--set-password", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert ran.exit_code == 0, ran.output
    path = config / "web.toml"
    assert "written to" in ran.stdout and str(path) in ran.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and PASSWORD not in ran.output
    stored = read_password_hash(config)
    assert stored is not None and stored.startswith("scrypt$")
    assert check_password(PASSWORD, stored)
    assert not check_password("correct horse battery!", stored)


def test_with_a_password_any_address_is_served_behind_the_sign_in(
    demo_archive: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    ran = invoke(
        "--config-dir", str(config), "serve", "--set-password", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert ran.exit_code == 0, ran.output
    port = free_port("0.0.0.0")
    args = ("--config-dir", str(config), "serve", "--host", "0.0.0.0", "--port", str(port))
    with running(*args, home=demo_archive) as (process, lines):
        wait_for_line(process, lines, rf"serving .* at http://0\.0\.0\.0:{port}/", timeout=60)
        response = get(port, "/")
        assert response.status == 303
        assert response.getheader("location") == "/login?next=/"
        assert get(port, "/login").status == 200
        assert process.poll() is None


def test_demo_serve_crawls_then_serves_the_demo_archive_at_the_printed_url(
    tmp_path: Path,
) -> None:
    port = free_port()
    home = tmp_path / "demo-home"
    args = ("demo", "--home", str(home), "--slow-delay", "0.2", "--serve", "--port", str(port))
    with running(*args) as (process, lines):
        found = wait_for_line(
            process, lines, r"serving (?P<home>\S+) at (?P<url>http://127\.0\.0\.1:\d+/)", 300
        )
        assert found["url"] == f"http://127.0.0.1:{port}/"
        assert Path(found["home"]) == home
        response = get(port, "/")
        assert response.status == 200
        assert response.getheader("content-type", "").startswith("text/html")
        assert "default-src 'self'" in response.getheader("content-security-policy", "")
        assert process.poll() is None
    assert (home / "tmwatch.sqlite3").exists()
