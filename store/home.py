"""The data home: one owner-only directory holding the store, WARC captures and digests.

The store holds names of people at risk, so the home and everything created in it are readable
by the owner alone, whatever the user's umask.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

ENV_VAR = "TMWATCH_HOME"


def default_home() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "tmwatch"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) as 0700 and tighten it if it already existed."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists and is 0600 before anything is written into it."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


class DataHome:
    """Paths inside a data home; creating it is explicit so read-only commands create nothing."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        store: str | None = None,
        warc_dir: Path | str | None = None,
        worker: str | None = None,
    ) -> None:
        """``store``: a ``postgresql://`` URL when the store is a PostgreSQL database (the
        home then holds only the digests, and the WARC captures unless ``warc_dir`` is
        elsewhere); None for the SQLite file.

        ``warc_dir``: where the WARC captures are, when not in the home: a directory every
        crawler host and the web interface reach (a network share), so that any of them reads
        any capture. ``worker``: this crawler's name in capture rows and WARC file names
        (default: the host name), which tells apart the crawlers sharing a store.
        """
        self.root = Path(root).expanduser() if root else default_home()
        self.store = store or None
        self._warc_dir = Path(warc_dir).expanduser() if warc_dir else None
        self.worker = worker or socket.gethostname() or "tmwatch"

    @property
    def db_path(self) -> Path:
        return self.root / "tmwatch.sqlite3"

    def has_store(self) -> bool:
        """Whether there may be a store to read: the SQLite file exists, or a PostgreSQL
        database is named (opening it tells whether it holds one)."""
        return self.store is not None or self.db_path.exists()

    @property
    def warc_dir(self) -> Path:
        return self._warc_dir or self.root / "warc"

    @property
    def digest_dir(self) -> Path:
        return self.root / "digests"

    def create(self) -> DataHome:
        ensure_private_dir(self.root)
        ensure_private_dir(self.warc_dir)
        ensure_private_dir(self.digest_dir)
        return self
