"""The user's configuration: a directory of overlays on the packaged sources, watchlist and topics.

The packaged files live inside the installed package, where an upgrade replaces them. A user's
changes therefore live in their own directory (``default_config_dir``), in files of the same
names, and are *overlays*: they add entries, change single fields of packaged entries, or disable
them. Everything the user did not touch keeps following the packaged defaults, so an upgrade that
brings a new outlet, a new spelling of a name or a new place still reaches a user who ran
``tmwatch init`` long ago.

Merging happens on the raw TOML data before the usual validation (``build_registry``,
``build_watchlist``, ``build_topics``), with an ``Origins`` map, so every error still names the
file the offending field came from, the entry and the field.

``ConfigFiles`` is the one entry point for the command line, the crawl and reprocessing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from tmwatch.config.errors import ConfigError, Origins, Problems, read_toml
from tmwatch.config.lexicons import (
    DEFAULT_TOPICS,
    DEFAULT_WATCHLIST,
    LexiconError,
    Topic,
    Watchlist,
    build_topics,
    build_watchlist,
    load_topics,
    load_watchlist,
)
from tmwatch.config.registry import (
    DEFAULT_REGISTRY,
    Registry,
    RegistryError,
    build_registry,
    load_registry,
)

KINDS = ("sources", "watchlist", "topics")
"""The three kinds of configuration, in the order they are reported."""

FILE_NAMES = {"sources": "sources.toml", "watchlist": "watchlist.toml", "topics": "topics.toml"}
"""The user's file of each kind; the packaged defaults have the same names."""

DIR_MODE = 0o700
FILE_MODE = 0o600  # the watchlist names people at risk: owner-only, like the data home


@dataclass(frozen=True)
class _Kind:
    """How one kind of configuration is merged: its sections and how entries are identified."""

    name: str
    packaged: Path
    sections: Mapping[str, str]  # section -> the noun for one entry, used in messages
    by_name: frozenset[str]  # sections whose entries also match a packaged entry by `name`
    error: type[ConfigError]
    prefix_keys: bool  # report "people.x" rather than "x" (several sections in one file)


_KINDS = {
    "sources": _Kind(
        "sources", DEFAULT_REGISTRY, {"sources": "source"}, frozenset(), RegistryError, False
    ),
    "watchlist": _Kind(
        "watchlist",
        DEFAULT_WATCHLIST,
        {"people": "person", "places": "place"},
        frozenset({"people", "places"}),
        LexiconError,
        True,
    ),
    "topics": _Kind(
        "topics", DEFAULT_TOPICS, {"topics": "topic"}, frozenset(), LexiconError, False
    ),
}


def config_dir_origin(environ: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """The user's configuration directory without ``--config-dir``, and why it is that one.

    ``$TMWATCH_CONFIG``, else ``$XDG_CONFIG_HOME/tmwatch``, else ``~/.config/tmwatch``. Empty
    variables count as unset, and a relative ``$XDG_CONFIG_HOME`` is ignored as the XDG base
    directory specification requires.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("TMWATCH_CONFIG", "").strip()
    if explicit:
        return Path(explicit).expanduser(), "$TMWATCH_CONFIG"
    xdg = env.get("XDG_CONFIG_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "tmwatch", "$XDG_CONFIG_HOME"
    return Path.home() / ".config" / "tmwatch", "default"


def default_config_dir() -> Path:
    """``$TMWATCH_CONFIG``, else ``$XDG_CONFIG_HOME/tmwatch``, else ``~/.config/tmwatch``."""
    return config_dir_origin()[0]


@dataclass(frozen=True)
class LayerReport:
    """What one kind of configuration is made of, for ``tmwatch config``.

    ``mode`` is ``overlay`` (the packaged file with the user's file on top), ``packaged`` (no
    user file exists), ``packaged-only`` (user files ignored on purpose, as by ``tmwatch demo``)
    or ``explicit`` (a file named on the command line replaces both). Keys are source and topic
    keys, and ``people.<key>`` / ``places.<key>`` for the watchlist. ``problems`` is empty when
    the configuration loads; otherwise it holds the error, and the command fails.
    """

    kind: str
    mode: str
    packaged: Path
    user: Path | None = None  # the overlay in use (mode "overlay")
    expected: Path | None = None  # where the user's file is looked for
    explicit: Path | None = None
    added: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    in_effect: str = ""
    problems: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("packaged", "user", "expected", "explicit"):
            data[name] = None if data[name] is None else str(data[name])
        for name in ("added", "overridden", "disabled", "problems"):
            data[name] = list(data[name])
        return data

    def lines(self) -> list[str]:
        """Human-readable lines: the files in use, then what the overlay changes."""
        lines = [self.kind]
        if self.mode == "explicit":
            lines += [
                f"  explicit:  {self.explicit} (used alone: neither packaged nor yours is read)",
                f"  packaged:  {self.packaged} (not used)",
            ]
        else:
            lines.append(f"  packaged:  {self.packaged}")
            if self.mode == "overlay":
                lines.append(f"  yours:     {self.user}")
            elif self.mode == "packaged-only":
                lines.append("  yours:     ignored (packaged lists only)")
            else:
                lines.append(f"  yours:     none at {self.expected} (`tmwatch init` writes one)")
        if self.mode == "overlay" and not self.problems:
            if not (self.added or self.overridden or self.disabled):
                lines.append("  changes:   none (your file adds, overrides and disables nothing)")
            for label, keys in (
                ("adds", self.added),
                ("overrides", self.overridden),
                ("disables", self.disabled),
            ):
                if keys:
                    lines.append(f"  {label + ':':<10} {', '.join(keys)}")
        if self.in_effect:
            lines.append(f"  in effect: {self.in_effect}")
        lines += [f"  problem:   {p}" for p in self.problems]
        return lines


@dataclass
class _Merged:
    """Raw data of one kind after the overlay, and what the overlay did."""

    data: dict[str, Any]
    problems: Problems  # the merge's own problems; validation adds the rest, then raises
    path: str  # the name a merged result goes by: the user's file if any, else the packaged one
    added: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ConfigFiles:
    """Which configuration a command uses.

    Without an explicit file, each kind is the packaged file with the user's file of the same
    name in ``directory()`` merged on top (unless ``packaged_only``). Every loader raises
    ``ConfigError`` (``RegistryError`` or ``LexiconError``) naming file, entry and field; a
    merged registry's ``path`` is the user's file.
    """

    config_dir: Path | None = None  # the user's directory; None: default_config_dir()
    packaged_only: bool = False  # `tmwatch demo`: packaged lists only, no user overlays
    registry: Path | None = None  # an explicit file (--registry) used alone, no overlay
    watchlist: Path | None = None  # an explicit file (--watchlist) used alone
    topics: Path | None = None  # an explicit file (--topics) used alone
    registry_base: str | None = None  # fills {base} in a sample registry

    def directory(self) -> Path:
        """The user's configuration directory (it need not exist)."""
        if self.config_dir is not None:
            return Path(self.config_dir).expanduser()
        return default_config_dir()

    def directory_origin(self) -> str:
        """Why ``directory()`` is that directory: ``--config-dir``, ``$TMWATCH_CONFIG``, ..."""
        return "--config-dir" if self.config_dir is not None else config_dir_origin()[1]

    def user_file(self, kind: str) -> Path:
        """Where the user's file of ``kind`` (sources, watchlist, topics) is looked for."""
        return self.directory() / FILE_NAMES[kind]

    def explicit_file(self, kind: str) -> Path | None:
        """The file given on the command line for ``kind``, which replaces packaged + overlay."""
        return {"sources": self.registry, "watchlist": self.watchlist, "topics": self.topics}[kind]

    def load_registry(self) -> Registry:
        explicit = self.explicit_file("sources")
        if explicit is not None:
            return load_registry(explicit, base=self.registry_base)
        merged = self._merge("sources")
        return build_registry(
            merged.data, merged.path, self.registry_base, problems=merged.problems
        )

    def load_watchlist(self) -> Watchlist:
        explicit = self.explicit_file("watchlist")
        if explicit is not None:
            return load_watchlist(explicit)
        merged = self._merge("watchlist")
        return build_watchlist(merged.data, merged.path, problems=merged.problems)

    def load_topics(self) -> tuple[Topic, ...]:
        explicit = self.explicit_file("topics")
        if explicit is not None:
            return load_topics(explicit)
        merged = self._merge("topics")
        return build_topics(merged.data, merged.path, problems=merged.problems)

    def report(self) -> list[LayerReport]:
        """One report per kind; a broken file is reported in ``problems``, not raised."""
        return [self._report(kind) for kind in KINDS]

    # -- internals ------------------------------------------------------------------------------

    def _overlay_path(self, kind: str) -> Path | None:
        """The user's file of ``kind`` if it exists (a dangling link counts: it is an error)."""
        if self.packaged_only:
            return None
        path = self.user_file(kind)
        return path if os.path.lexists(path) else None

    def _merge(self, kind: str) -> _Merged:
        spec = _KINDS[kind]
        packaged = read_toml(spec.packaged, spec.error)
        user_path = self._overlay_path(kind)
        if user_path is None:
            return _Merged(packaged, Problems(str(spec.packaged)), str(spec.packaged))
        return _merge_overlay(kind, packaged, read_toml(user_path, spec.error), str(user_path))

    def _report(self, kind: str) -> LayerReport:
        spec = _KINDS[kind]
        explicit = self.explicit_file(kind)
        base = LayerReport(kind=kind, mode="explicit", packaged=spec.packaged, explicit=explicit)
        if explicit is None:
            user = self._overlay_path(kind)
            mode = "packaged-only" if self.packaged_only else "overlay" if user else "packaged"
            expected = None if self.packaged_only else self.user_file(kind)
            base = LayerReport(
                kind=kind, mode=mode, packaged=spec.packaged, user=user, expected=expected
            )
        try:
            merged = self._merge(kind) if explicit is None else None
            summary = self._summary(kind)
        except ConfigError as exc:
            return replace(base, problems=tuple(f"{exc.path}: {p}" for p in exc.problems))
        if merged is not None:
            base = replace(
                base,
                added=tuple(merged.added),
                overridden=tuple(merged.overridden),
                disabled=tuple(merged.disabled),
            )
        return replace(base, in_effect=summary)

    def _summary(self, kind: str) -> str:
        if kind == "sources":
            sources = self.load_registry().sources.values()
            enabled = sum(s.enabled for s in sources)
            return f"{len(sources)} sources ({enabled} enabled)"
        if kind == "watchlist":
            watchlist = self.load_watchlist()
            return f"{len(watchlist.people)} people, {len(watchlist.places)} places"
        return f"{len(self.load_topics())} topics"


def _merge_overlay(
    kind: str, packaged: Mapping[str, Any], overlay: Mapping[str, Any], overlay_path: str
) -> _Merged:
    """The packaged data of ``kind`` with the user's ``overlay`` on top, field by field.

    An overlay entry with a packaged key (or, for people and places, a packaged canonical name
    as its key or its ``name``) changes only the fields it gives; tables inside an entry (a
    topic's terms per language) merge the same way, lists and values replace. Other entries are
    added. Unknown sections pass through so the validator rejects them, naming the user's file.
    Problems of the merge itself are collected for the validator to raise with its own.
    """
    spec = _KINDS[kind]
    packaged_path = str(_KINDS[kind].packaged)
    origins = Origins(packaged_path)
    problems = Problems(packaged_path, origins)
    merged = _Merged({**packaged}, problems, overlay_path)
    for section, entries in overlay.items():
        current = merged.data.get(section)
        if section not in spec.sections or not isinstance(entries, dict):
            merged.data[section] = entries
            origins.mark((section,), overlay_path)
            continue
        if not isinstance(current, dict):
            current = {}
        result = dict(current)
        names = _names(current) if section in spec.by_name else {}
        claimed: dict[str, str] = {}
        noun = spec.sections[section]
        label = f"{section}.{{}}" if spec.prefix_keys else "{}"
        for key, entry in entries.items():
            target = _match(key, entry, current, names)
            origins.mark((section, target or key), overlay_path)
            if target is None:
                if isinstance(entry, dict) and entry and set(entry) <= {"enabled"}:
                    problems.add(
                        f"{noun} {key!r}: no packaged {noun} {key!r} to "
                        f"{'disable' if entry['enabled'] is False else 'enable'} (typo?)",
                        (section, key),
                    )
                    continue
                result[key] = entry
                merged.added.append(label.format(key))
                continue
            if target in claimed:
                problems.add(
                    f"{noun} {key!r}: {claimed[target]!r} already changes this packaged "
                    f"{noun} ({target!r}); put both in one table",
                    (section, target),
                )
                continue
            claimed[target] = key
            base = current[target]
            if isinstance(entry, dict) and isinstance(base, dict):
                origins.mark((section, target), packaged_path)  # unchanged fields stay packaged
                result[target] = _deep_merge(base, entry, (section, target), overlay_path, origins)
            else:
                result[target] = entry
            if isinstance(entry, dict) and entry.get("enabled") is False:
                merged.disabled.append(label.format(target))
            else:
                merged.overridden.append(label.format(target))
        merged.data[section] = result
    return merged


def _names(entries: Mapping[str, Any]) -> dict[str, str]:
    """Packaged canonical names (case-folded) -> packaged key."""
    found = {}
    for key, entry in entries.items():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            found.setdefault(entry["name"].strip().casefold(), key)
    return found


def _match(
    key: str, entry: Any, packaged: Mapping[str, Any], names: Mapping[str, str]
) -> str | None:
    """The packaged key an overlay entry changes, or None when it adds a new entry."""
    if key in packaged:
        return key
    if key.strip().casefold() in names:
        return names[key.strip().casefold()]
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        return names.get(entry["name"].strip().casefold())
    return None


def _deep_merge(
    base: Mapping[str, Any],
    overlay: Mapping[str, Any],
    where: tuple[str, ...],
    path: str,
    origins: Origins,
) -> dict[str, Any]:
    result = dict(base)
    for key, value in overlay.items():
        inner = (*where, key)
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _deep_merge(result[key], value, inner, path, origins)
        else:
            result[key] = value
            origins.mark(inner, path)
    return result


# -- tmwatch init -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitResult:
    """What ``init_config_dir`` did with one file: ``wrote``, ``kept`` or ``replaced``."""

    path: Path
    action: str
    backup: Path | None = None
    note: str = ""

    def line(self) -> str:
        if self.action == "replaced":
            return f"replaced {self.path} (old file kept as {self.backup})"
        if self.action == "kept":
            extra = f"; {self.note}" if self.note else ""
            return f"kept     {self.path} (exists; --force replaces it, keeping a backup{extra})"
        return f"wrote    {self.path}"


EXTRA_TEMPLATES = ("subscriptions.toml",)
"""Files ``tmwatch init`` writes besides the overlays: whole files of the user's own."""


def _template_file(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text("utf-8")


def template(kind: str) -> str:
    """The commented starting file ``tmwatch init`` writes for ``kind``.

    Every example in it is a comment, so a fresh file changes nothing: the configuration in
    effect stays exactly the packaged one until the user uncomments something.
    """
    return _template_file(FILE_NAMES[kind])


def init_config_dir(
    directory: Path, *, force: bool = False, now: datetime | None = None
) -> list[InitResult]:
    """Write the user's three files into ``directory`` (owner-only), never losing an old one.

    An existing file is kept unless ``force``; then it is first renamed to a dated backup
    (``watchlist.toml.2026-11-29T170501.bak``) and a fresh template takes its place.
    Raises ConfigError when the directory or a file cannot be written.
    """
    stamp = (now or datetime.now()).strftime("%Y-%m-%dT%H%M%S")
    try:
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(directory, DIR_MODE)  # an existing directory is made owner-only as well
    except OSError as exc:
        raise ConfigError(str(directory), [f"cannot create: {exc.strerror or exc}"]) from None
    results = []
    texts = [(FILE_NAMES[kind], template(kind)) for kind in KINDS]
    texts += [(name, _template_file(name)) for name in EXTRA_TEMPLATES]
    for name, text in texts:
        path = directory / name
        try:
            results.append(_init_file(path, text, force, stamp))
        except OSError as exc:
            raise ConfigError(str(path), [f"cannot write: {exc.strerror or exc}"]) from None
    return results


def _init_file(path: Path, text: str, force: bool, stamp: str) -> InitResult:
    backup = None
    if os.path.lexists(path):
        if not force:
            note = ""
            if path.exists() and path.stat().st_mode & 0o077:
                note = "note: others can read it; chmod 600 it"
            return InitResult(path, "kept", note=note)
        backup = path.with_name(f"{path.name}.{stamp}.bak")
        counter = 1
        while os.path.lexists(backup):
            backup = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
            counter += 1
        path.rename(backup)
        if not backup.is_symlink():
            os.chmod(backup, FILE_MODE)
    # O_EXCL: never write through a file or link that appeared in the meantime.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, FILE_MODE)  # whatever the umask
    return InitResult(path, "replaced" if backup else "wrote", backup)
