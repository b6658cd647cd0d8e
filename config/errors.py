"""The one error every configuration loader raises: a file and all its problems at once.

A user's overlay file is merged with the packaged defaults as raw TOML data before validation, so
a single validation pass sees fields from two files. ``Origins`` remembers which file each entry
and field came from, and ``Problems`` uses it to blame the file the user has to edit: the user's
own file for a field they wrote, the packaged file for one tmwatch ships.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

Where = tuple[str, ...]
"""A position in TOML data: ("people",), ("people", "aziz-mamedov", "gender"), ..."""


class ConfigError(ValueError):
    """A configuration file cannot be used; ``problems`` lists every ``entry.field: message``.

    ``path`` is the file to fix first (the user's file when the user's data is at fault). A problem
    found in another file of the same merged configuration starts with that file's path.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))

    def report(self, what: str) -> str:
        """Several lines for the command line: what is invalid, then one problem a line."""
        lines = "\n".join(f"  {p}" for p in self.problems)
        return f"invalid {what} {self.path}:\n{lines}"


class Origins:
    """Which file each part of (possibly merged) configuration data came from.

    Marks are positions; the most specific mark wins, anything unmarked belongs to ``default``
    (the packaged file, or the only file when nothing was merged).
    """

    def __init__(self, default: str) -> None:
        self.default = default
        self._files: dict[Where, str] = {}

    def mark(self, where: Where, path: str) -> None:
        self._files[where] = path

    def file_of(self, where: Where) -> str:
        for end in range(len(where), 0, -1):
            found = self._files.get(where[:end])
            if found is not None:
                return found
        return self.default

    def files(self) -> list[str]:
        """Every file that contributed, the default first."""
        return list(dict.fromkeys([self.default, *self._files.values()]))


class Problems:
    """Collects ``entry, field: message`` lines with their position, then raises them at once."""

    def __init__(self, path: str, origins: Origins | None = None) -> None:
        self.origins = origins or Origins(path)
        self._found: list[tuple[str, str]] = []  # (file, message)

    def add(self, message: str, where: Where = ()) -> None:
        self._found.append((self.origins.file_of(where), message))

    def __len__(self) -> int:
        return len(self._found)

    # The checks every loader makes of an entry's fields, with one wording for each.

    def unknown_fields(
        self, raw: Mapping[str, Any], allowed: AbstractSet[str], where: str, at: Where
    ) -> None:
        """A problem for every field of ``raw`` that is not ``allowed`` (a typo, most often)."""
        for name in sorted(set(raw) - allowed):
            self.add(f"{where}, field {name!r}: unknown field (typo?)", (*at, name))

    def text(self, raw: Mapping[str, Any], field: str, where: str, at: Where, default: str) -> str:
        """A required, non-blank text field; ``default`` (and a problem) when it is not one."""
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            self.add(f"{where}, field {field!r}: required text is missing", (*at, field))
            return default
        return value

    def flag(
        self, raw: Mapping[str, Any], field: str, where: str, at: Where, default: bool
    ) -> bool:
        """A true/false field, ``default`` when absent (or, with a problem, when not a bool)."""
        value = raw.get(field, default)
        if not isinstance(value, bool):
            self.add(f"{where}, field {field!r}: must be true or false", (*at, field))
            return default
        return value

    def raise_if_any(self, error: type[ConfigError]) -> None:
        """Raise ``error`` naming the file to fix; problems of other files carry their path.

        The error's file is a non-default (user's) file if any problem is there: that is the
        file the reader can edit, and the packaged file is only blamed when it alone is at fault.
        """
        if not self._found:
            return
        files = [f for f, _ in self._found]
        user_files = [f for f in files if f != self.origins.default]
        main = user_files[0] if user_files else self.origins.default
        raise error(main, [m if f == main else f"{f}: {m}" for f, m in self._found])


def read_toml(path: Path, error: type[ConfigError]) -> dict[str, Any]:
    """The parsed file, or ``error`` with one clear reason (unreadable, not UTF-8, bad TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.lexists(path) else "no such file"
        raise error(str(path), [f"cannot read: {reason}"]) from None
    except OSError as exc:
        raise error(str(path), [f"cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise error(str(path), ["not UTF-8 text"]) from None
    return parse_toml(text, str(path), error)


def parse_toml(text: str, path: str, error: type[ConfigError]) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, [f"invalid TOML: {exc}"]) from None
