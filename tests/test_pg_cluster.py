"""The PostgreSQL test harness itself: a real server, reachable only as documented.

The PostgreSQL store's tests trust these fixtures; if the harness quietly listened on every
interface, accepted any password or shared one database between tests, those tests would prove
less than they claim. Everything here talks to a real server through psycopg.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.pg_cluster import (
    DIR_VARIABLE,
    URL_VARIABLE,
    ClusterStartError,
    ThrowawayCluster,
    scratch_database,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def own_cluster(postgres_bindir: Path) -> Iterator[ThrowawayCluster]:
    """A cluster of this module's own, for the checks that need its directory and handle
    (the shared ``postgres_url`` may come from ``.ci/run`` as a bare URL)."""
    with ThrowawayCluster() as cluster:
        yield cluster


def test_server_answers_on_the_url(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        version = conn.execute("SELECT version()").fetchone()
        database = conn.execute("SELECT current_database(), current_user").fetchone()
    assert version is not None and version[0].startswith("PostgreSQL ")
    assert database == ("tmwatch_test", "tmwatch")


def test_listens_on_loopback_only(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        row = conn.execute("SHOW listen_addresses").fetchone()
    assert row == ("127.0.0.1",)
    assert urlsplit(postgres_url).hostname == "127.0.0.1"


def test_wrong_password_is_refused(postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    wrong = postgres_url.replace(f":{parts.password}@", ":not-the-password@", 1)
    assert wrong != postgres_url
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=10).close()


def test_no_password_is_refused(postgres_url: str) -> None:
    """scram-sha-256 everywhere, so even the superuser has no trust path over TCP."""
    parts = urlsplit(postgres_url)
    bare = postgres_url.replace(f":{parts.password}@", "@", 1)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(bare, connect_timeout=10, password="").close()


@pytest.fixture
def second_db(postgres_url: str) -> Iterator[str]:
    """Another per-test database, made the way ``postgres_db`` makes its own."""
    with scratch_database(postgres_url) as url:
        yield url


def test_each_test_gets_its_own_empty_database(
    postgres_url: str, postgres_db: str, second_db: str
) -> None:
    assert postgres_db != second_db
    with psycopg.connect(postgres_db, autocommit=True) as first:
        tables = first.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        assert tables == (0,)
        first.execute("CREATE TABLE only_here (x int)")
        first.execute("INSERT INTO only_here VALUES (1)")
    for other in (second_db, postgres_url):
        with psycopg.connect(other, autocommit=True) as conn:
            with pytest.raises(psycopg.errors.UndefinedTable):
                conn.execute("SELECT * FROM only_here")


def test_per_test_database_is_dropped_even_with_a_leaked_connection(postgres_url: str) -> None:
    with scratch_database(postgres_url) as url:
        name = urlsplit(url).path.lstrip("/")
        leaked = psycopg.connect(url, autocommit=True)
    # WITH (FORCE) ended the leaked session on the server side.
    with pytest.raises(psycopg.OperationalError):
        leaked.execute("SELECT 1")
    leaked.close()
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        assert row.fetchone() == (0,)


def test_directory_is_private_to_the_server_user(own_cluster: ThrowawayCluster) -> None:
    for path in (own_cluster.data_dir, own_cluster.data_dir.parent):
        info = path.stat()
        assert stat.S_IMODE(info.st_mode) == 0o700, path
        if os.geteuid() == 0:
            # initdb refuses root, so the server must run as someone else, who owns the files.
            assert own_cluster.run_as in ("postgres", "nobody")
            assert info.st_uid == pwd.getpwnam(own_cluster.run_as).pw_uid != 0, path
        else:
            assert info.st_uid == os.geteuid()
    with psycopg.connect(own_cluster.url) as conn:
        row = conn.execute("SELECT current_setting('data_directory')").fetchone()
    assert row == (str(own_cluster.data_dir),)


def test_password_stays_out_of_repr(own_cluster: ThrowawayCluster) -> None:
    assert own_cluster.password in own_cluster.url
    assert own_cluster.password not in repr(own_cluster)
    assert own_cluster.password not in own_cluster.log_file.read_text(errors="replace")


def test_stop_leaves_nothing_behind(postgres_bindir: Path) -> None:
    with ThrowawayCluster() as cluster:
        directory = cluster.directory
        assert directory is not None
        pid = int((cluster.data_dir / "postmaster.pid").read_text().splitlines()[0])
        url = cluster.url
        assert _running(pid)
    assert not directory.exists()
    assert not _running(pid)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3).close()


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for init to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\tZ" not in status.split("State:", 1)[1].splitlines()[0]


def test_failed_start_is_one_line_with_the_log_and_cleans_up(postgres_bindir: Path) -> None:
    cluster = ThrowawayCluster(settings={"shared_buffers": "'not a size'"})
    with pytest.raises(ClusterStartError) as raised:
        cluster.start()
    message = str(raised.value)
    assert "\n" not in message
    assert "shared_buffers" in message  # the server log's own complaint
    assert cluster.directory is None


def test_command_line_start_and_stop(postgres_bindir: Path, tmp_path: Path) -> None:
    """What .ci/run does: start writes a private env file, stop removes server and files."""
    env_file = tmp_path / "pg.env"
    script = str(ROOT / "tests" / "pg_cluster.py")
    started = subprocess.run(
        [sys.executable, script, "start", "--env-file", str(env_file)],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    try:
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        values = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
        url = values[URL_VARIABLE].strip("'")
        password = urlsplit(url).password
        assert password and password not in started.stdout + started.stderr
        with psycopg.connect(url, connect_timeout=10) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        directory = Path(values[DIR_VARIABLE].strip("'"))
    finally:
        stopped = subprocess.run(
            [sys.executable, script, "stop", "--env-file", str(env_file)],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert stopped.returncode == 0, stopped.stderr
    assert not directory.exists()
    assert not env_file.exists()
