"""A throwaway PostgreSQL cluster for the tests: a real server, never a mock.

The PostgreSQL store backend must be tested against the server users run, so this module builds
one from the installed binaries: ``initdb`` into a fresh temporary directory, password
authentication, loopback only, a free port, and the durability settings turned off because a
test cluster is thrown away anyway (that keeps the whole start to a few seconds).

Used two ways:

* as a context manager (``with ThrowawayCluster() as cluster: cluster.url``), which the
  ``postgres_url`` fixture does when no cluster is given in the environment;
* as a command line, so ``.ci/run`` starts one cluster before pytest and stops it afterwards::

      python tests/pg_cluster.py start --env-file F   # writes TMWATCH_TEST_POSTGRES=... to F
      python tests/pg_cluster.py stop --env-file F

This file runs as a script too, so it imports nothing from the ``tests`` package.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, urlsplit, urlunsplit

#: The superuser the tests connect as, and the database created for them.
SUPERUSER = "tmwatch"
DATABASE = "tmwatch_test"
#: The variable ``.ci/run`` exports and the ``postgres_url`` fixture reads.
URL_VARIABLE = "TMWATCH_TEST_POSTGRES"
#: Where the env file records the cluster's directory, so ``stop`` finds what ``start`` made.
DIR_VARIABLE = "TMWATCH_TEST_POSTGRES_DIR"

START_TIMEOUT = 30.0
PORT_ATTEMPTS = 5

#: Durability off (the cluster is deleted afterwards) and small memory, for speed on CI.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "16MB",
    "max_connections": "50",
    "unix_socket_permissions": "0700",
    "logging_collector": "off",
}


class PostgresNotFound(RuntimeError):
    """No PostgreSQL server binaries on this machine (``initdb``, ``pg_ctl``, ``postgres``)."""


class ClusterStartError(RuntimeError):
    """The server did not come up; the message is one line and ends with the log's tail."""


def find_bindir() -> Path:
    """The directory holding ``initdb``/``pg_ctl``/``postgres``.

    ``pg_config --bindir`` is asked first, but only believed if ``initdb`` is really there:
    the client-only ``libpq-dev`` also ships a ``pg_config``. Debian installs the server under
    ``/usr/lib/postgresql/<major>/bin``, off PATH, so the newest of those is the fallback.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out:
                candidates.append(Path(out))

    def major(path: str) -> tuple[int, ...]:
        version = Path(path).parent.name
        return tuple(int(part) for part in re.findall(r"\d+", version))

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True)
    candidates.extend(Path(path) for path in debian)
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise PostgresNotFound(
        "PostgreSQL server binaries not found (no initdb via `pg_config --bindir` or in "
        "/usr/lib/postgresql/*/bin); install Debian's `postgresql` package"
    )


def unprivileged_user() -> str | None:
    """The user to run the server as, or None to run it as ourselves.

    ``initdb`` and ``postgres`` refuse to run as root, and CI runs as root: then they run as
    ``postgres`` (Debian's package creates it), else as ``nobody``.
    """
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresNotFound("running as root, but neither a `postgres` nor a `nobody` user exists")


def free_port() -> int:
    """A port nobody listens on right now (the server may still lose a race for it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line(text: str, limit: int = 15) -> str:
    """The last lines of a log joined into one line, for an error message CI shows whole."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-limit:]) or "(server log empty)"


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary directory, deleted again by :meth:`stop`.

    Layout of :attr:`directory` (mode 0700, owned by the user the server runs as)::

        data/        the cluster (initdb), mode 0700
        socket/      the unix socket, so no system-wide /var/run/postgresql is needed
        server.log   the server's log, quoted when the start fails
    """

    def __init__(self, *, settings: dict[str, str] | None = None) -> None:
        self.bindir = find_bindir()
        self.run_as = unprivileged_user()
        self.settings = {**SERVER_SETTINGS, **(settings or {})}
        self.password = secrets.token_urlsafe(24)
        self.directory: Path | None = None
        self.port: int | None = None

    # -- where things are ------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._dir / "data"

    @property
    def log_file(self) -> Path:
        return self._dir / "server.log"

    @property
    def _dir(self) -> Path:
        if self.directory is None:
            raise RuntimeError("the cluster is not started")
        return self.directory

    @property
    def url(self) -> str:
        """The libpq URL of the test database, password included (keep it out of logs)."""
        return self.url_for(DATABASE)

    def url_for(self, database: str) -> str:
        """The URL of another database on the same server (``postgres``, a per-test one)."""
        if self.port is None:
            raise RuntimeError("the cluster is not started")
        password = quote(self.password, safe="")
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def __repr__(self) -> str:
        # Never the password: this ends up in pytest's failure output.
        return f"ThrowawayCluster(port={self.port}, directory={self.directory})"

    # -- life cycle ------------------------------------------------------------------------

    def __enter__(self) -> ThrowawayCluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """initdb, configure, start on a free loopback port, create the test database.

        Anything half-made is removed again if a step fails.
        """
        try:
            self._make_directory()
            self._initdb()
            self._configure()
            self._start_server()
            self._create_database()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (fast, then immediate, then SIGKILL) and delete the directory."""
        if self.directory is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                done = self._pg_ctl("stop", "-m", mode, "-w", "-t", "15", timeout=30)
                if done.returncode == 0:
                    break
            else:
                self._kill_postmaster()
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None
        self.port = None

    # -- steps -----------------------------------------------------------------------------

    def _make_directory(self) -> None:
        # /tmp rather than $TMPDIR or pytest's tmp_path: the unprivileged user must be able to
        # reach the directory, and pytest's base directory is private to root. Short, too: the
        # unix socket's path must stay under ~100 bytes.
        base = "/tmp" if self.run_as else None
        directory = Path(tempfile.mkdtemp(prefix="tmwatch-pg-", dir=base))
        self.directory = directory
        (directory / "socket").mkdir(mode=0o700)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            for path in (directory, directory / "socket"):
                os.chown(path, user.pw_uid, user.pw_gid)
        directory.chmod(0o700)

    def _initdb(self) -> None:
        pwfile = self._dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        pwfile.chmod(0o600)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chown(pwfile, user.pw_uid, user.pw_gid)
        try:
            done = self._run(
                self.bindir / "initdb",
                "--pgdata",
                str(self.data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "scram-sha-256",
                "--pwfile",
                str(pwfile),
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",  # the cluster is thrown away; fsync only costs time
                timeout=120,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise ClusterStartError(f"initdb failed: {_one_line(done.stdout + done.stderr)}")

    def _configure(self) -> None:
        settings = {
            **self.settings,
            "unix_socket_directories": f"'{self._dir / 'socket'}'",
        }
        lines = [f"{name} = {value}" for name, value in settings.items()]
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# tests/pg_cluster.py: a throwaway test cluster\n")
            conf.write("\n".join(lines) + "\n")

    def _start_server(self) -> None:
        """Start on a free port; if another process takes the port first, try another."""
        for _attempt in range(PORT_ATTEMPTS):
            port = free_port()
            log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
            done = self._pg_ctl(
                "start",
                "-w",
                "-t",
                str(int(START_TIMEOUT)),
                "-l",
                str(self.log_file),
                "-o",
                f"-p {port}",
                timeout=START_TIMEOUT + 15,
            )
            if done.returncode == 0:
                self.port = port
                return
            log = self._read_log(log_start)
            if "could not bind" in log or "already in use" in log:
                continue  # lost the race for the port
            raise ClusterStartError(
                f"PostgreSQL did not start within {START_TIMEOUT:.0f} s "
                f"(pg_ctl: {_one_line(done.stdout + done.stderr, 3)}); "
                f"server log: {_one_line(log)}"
            )
        raise ClusterStartError(f"no free port on 127.0.0.1 after {PORT_ATTEMPTS} attempts")

    def _create_database(self) -> None:
        """With the server's own ``createdb`` (not psycopg): ``.ci/run`` starts the cluster
        with the system's Python, before the README's command makes the venv. The password
        goes by the environment, never on a command line."""
        done = subprocess.run(
            [
                str(self.bindir / "createdb"),
                "--host=127.0.0.1",
                f"--port={self.port}",
                f"--username={SUPERUSER}",
                "--no-password",
                DATABASE,
            ],
            env={**os.environ, "PGPASSWORD": self.password},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            reason = " ".join(done.stderr.split()) or f"exit {done.returncode}"
            raise ClusterStartError(f"createdb {DATABASE}: {reason}")

    # -- helpers ---------------------------------------------------------------------------

    def _read_log(self, offset: int = 0) -> str:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _pg_ctl(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return self._run(self.bindir / "pg_ctl", "-D", str(self.data_dir), *args, timeout=timeout)

    def _run(self, program: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a server program, as the unprivileged user when we are root.

        The working directory is the cluster's own, which that user can enter (root's may be
        /root). stdin is closed so nothing ever waits for a terminal.
        """
        command = [str(program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        try:
            return subprocess.run(
                command,
                cwd=self._dir,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            output = (expired.stdout or b"") + (expired.stderr or b"")
            text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
            return subprocess.CompletedProcess(command, -1, f"timed out after {timeout} s", text)

    def _kill_postmaster(self) -> None:
        """Last resort when pg_ctl cannot stop it: the pid is the postmaster we started."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.data_dir / "postmaster.pid").read_text().splitlines()[0])
            # A stale pid file may name a reused pid: only kill a process living in our data
            # directory (the postmaster's working directory).
            if Path(f"/proc/{pid}/cwd").resolve() != self.data_dir.resolve():
                return
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                os.kill(pid, 0)  # raises once it is gone
                time.sleep(0.1)


@contextlib.contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``admin_url``; its URL, then it is dropped.

    ``admin_url`` is any database the user may connect to; ``CREATE DATABASE`` copies
    template1, which takes milliseconds, so a database per test is affordable. The drop uses
    ``WITH (FORCE)``: a connection the test leaked must not keep the database (or the run) alive.
    """
    import psycopg

    name = f"t_{secrets.token_hex(8)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- command line (for .ci/run) ----------------------------------------------------------------


def _write_env_file(path: Path, cluster: ThrowawayCluster) -> None:
    """Shell-sourceable ``NAME=value`` lines, mode 0600 because the URL holds the password."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as env:
        env.write(f"{URL_VARIABLE}={shlex.quote(cluster.url)}\n")
        env.write(f"{DIR_VARIABLE}={shlex.quote(str(cluster.directory))}\n")


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep:
            values[name.strip()] = " ".join(shlex.split(value))
    return values


def _cli_start(env_file: Path) -> int:
    cluster = ThrowawayCluster()
    cluster.start()
    try:
        _write_env_file(env_file, cluster)
    except BaseException:
        cluster.stop()
        raise
    print(
        f"PostgreSQL ({cluster.bindir}) listening on 127.0.0.1:{cluster.port}, "
        f"data in {cluster.directory}; URL in {env_file}"
    )
    return 0


def _cli_stop(env_file: Path) -> int:
    try:
        values = _read_env_file(env_file)
    except FileNotFoundError:
        print(f"{env_file} not found: no cluster to stop", file=sys.stderr)
        return 0
    directory = values.get(DIR_VARIABLE)
    if directory and Path(directory).is_dir():
        cluster = ThrowawayCluster()
        # Recreate the handle start() had: same directory; the server runs as the owner.
        cluster.directory = Path(directory)
        if cluster.run_as:
            cluster.run_as = pwd.getpwuid(Path(directory).stat().st_uid).pw_name
        cluster.stop()
        print(f"PostgreSQL stopped, {directory} removed")
    env_file.unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``start``/``stop`` one cluster that outlives this process (``.ci/run`` uses it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument(
        "--env-file",
        type=Path,
        required=True,
        help=f"file that start writes {URL_VARIABLE}=... to (mode 0600) and stop reads",
    )
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            return _cli_start(args.env_file)
        return _cli_stop(args.env_file)
    except (PostgresNotFound, ClusterStartError) as error:
        print(f"pg_cluster {args.action}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
