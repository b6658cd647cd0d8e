"""One writer job at a time per data home: ``tmwatch run`` (and ``crawl``) take ``run.lock``.

The lock is an ``flock`` on a file in the home, so the kernel releases it when its process dies,
however it dies: a killed run can never leave a lock that blocks the next one. The file also
records who holds it (pid, host, command, start), which lets a waiting run say who it waits for,
and lets the next run notice a holder that ended without releasing (the stale-lock check): that
run was killed, and this one completes its work.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmwatch.clock import utc_now

LOCK_NAME = "run.lock"
LOCK_BUSY = 75
"""Exit code of a job that found the lock taken: sysexits' EX_TEMPFAIL, "try again later"."""


class LockBusy(RuntimeError):
    """Another job holds the home's lock; the message names it."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    started_at: str

    def describe(self) -> str:
        return f"`tmwatch {self.command}` (pid {self.pid} on {self.host}, since {self.started_at})"


class RunLock:
    """``with RunLock(home_root, "run", wait=0):`` — raises ``LockBusy`` when taken.

    ``stale`` is the holder the file still named when this process took the lock: a job that
    was killed before it could release it.
    """

    def __init__(self, root: Path, command: str, wait: float = 0.0) -> None:
        self.path = root / LOCK_NAME
        self.command = command
        self.wait = wait
        self.stale: Holder | None = None
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read(fd)
                    os.close(fd)
                    who = holder.describe() if holder else "another tmwatch job"
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise LockBusy(
                        f"{who} is using this data home{waited}; this run exits without "
                        f"doing anything (use --wait SECONDS to wait for it)"
                    ) from None
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        self.stale = _read(fd)
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "started_at": utc_now(),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)  # released cleanly: nothing stale for the next run to report
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def _read(fd: int) -> Holder | None:
    try:
        data: Any = json.loads(os.pread(fd, 4096, 0) or b"null")
        return Holder(int(data["pid"]), str(data["host"]), str(data["command"]), data["started_at"])
    except (ValueError, TypeError, KeyError):
        return None
