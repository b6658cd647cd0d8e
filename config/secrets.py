"""Credentials for delivery: the environment first, then an owner-only ``secrets.toml``.

Secrets never live in ``subscriptions.toml`` (which users share and paste into bug reports) and
never on a command line (where ``ps`` shows them). ``secrets.toml`` sits in the user's
configuration directory; its keys are the variable names, so moving a value between the file
and the environment changes nothing else::

    TMWATCH_SMTP_USER = "monitor"
    TMWATCH_SMTP_PASSWORD = "..."
    TMWATCH_HOOK_SECRET = "..."

A secrets file that others can read is refused, not used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tmwatch.config.errors import ConfigError, read_toml

FILE_NAME = "secrets.toml"
SMTP_USER = "TMWATCH_SMTP_USER"
SMTP_PASSWORD = "TMWATCH_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a password


class SecretsError(ConfigError):
    """The secrets file cannot be used (readable by others, bad TOML, a value that is no text)."""


class Secrets:
    """Looks a secret up by name: the environment, else the secrets file (read once, lazily)."""

    def __init__(self, file: Path | None, environ: Mapping[str, str] | None = None) -> None:
        self.file = file
        self.environ = os.environ if environ is None else environ
        self._values: dict[str, str] | None = None

    def get(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value:
            return value
        return self._file_values().get(name)

    def _file_values(self) -> dict[str, str]:
        if self._values is None:
            self._values = _read(self.file) if self.file and self.file.exists() else {}
        return self._values


def _read(path: Path) -> dict[str, str]:
    mode = path.stat().st_mode
    if mode & 0o077:
        raise SecretsError(
            str(path), [f"readable by others (mode {mode & 0o777:o}): run chmod 600 {path}"]
        )
    data = read_toml(path, SecretsError)
    bad = sorted(k for k, v in data.items() if not isinstance(v, str))
    if bad:
        raise SecretsError(str(path), [f"{k}: must be text" for k in bad])
    return dict(data)
