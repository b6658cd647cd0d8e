"""The interface's password: a scrypt hash in the user's configuration, never the password.

``tmwatch serve --set-password`` prompts for it and writes ``web.toml`` (owner-only) in the
configuration directory. Serving on any address but loopback requires it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tomllib
from pathlib import Path

FILE_NAME = "web.toml"
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~50 ms and 16 MiB per check on this machine class
MIN_LENGTH = 10


class PasswordError(ValueError):
    """The password file cannot be used, or a new password is too weak; one line."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    encoded = [base64.b64encode(x).decode("ascii") for x in (salt, digest)]
    return f"scrypt${_N}${_R}${_P}${encoded[0]}${encoded[1]}"


def check_password(password: str, stored: str) -> bool:
    """Constant-time comparison against a stored hash; False for a malformed hash."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def read_password_hash(directory: Path) -> str | None:
    """The stored hash, or None when no password is set."""
    path = directory / FILE_NAME
    if not path.exists():
        return None
    if path.stat().st_mode & 0o077:
        raise PasswordError(f"{path}: readable by others; run chmod 600 {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PasswordError(f"{path}: cannot be read ({exc})") from None
    value = data.get("password_hash")
    if not isinstance(value, str) or not value.startswith("scrypt$"):
        raise PasswordError(f"{path}: no valid password_hash; run tmwatch serve --set-password")
    return value


def write_password_hash(directory: Path, password: str) -> Path:
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password must have at least {MIN_LENGTH} characters")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / FILE_NAME
    tmp = path.with_suffix(".toml.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            "# Written by `tmwatch serve --set-password`: the hash, never the password.\n"
            f'password_hash = "{hash_password(password)}"\n'
        )
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path
