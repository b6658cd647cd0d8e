"""Subscriptions: who gets what, how and when (``subscriptions.toml`` in the user's directory).

A subscription names a channel (an email address list, a webhook URL or a directory), filters
(people, tags, languages, outlets; empty means all), a cadence (a ``daily`` digest or
``immediate`` alerts) and its own digest mark. The file also holds the SMTP relay and the
delivery policy (retries, dead letters). Credentials never live here: they come from the
environment or from the owner-only ``secrets.toml`` beside this file (``tmwatch.config.secrets``).

The loader refuses what would leak data about people at risk: plain SMTP or plain HTTP to any
host but this machine's loopback, unless the subscription says ``allow_insecure = true``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tmwatch.config.errors import ConfigError, Problems, read_toml
from tmwatch.config.lexicons import Topic, Watchlist
from tmwatch.config.registry import Registry
from tmwatch.folding import fold_text

FILE_NAME = "subscriptions.toml"
CHANNELS = ("email", "webhook", "directory")
CADENCES = ("daily", "immediate")
ALERT_KINDS = ("articles", "statuses", "sources")
"""Immediate alerts: a new article naming a watched person, a status change, a source problem."""
DIRECTORY_FORMATS = ("html", "md", "json", "atom")
MARK_PREFIX = "subscription:"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# ASCII only: a non-ASCII address needs SMTPUTF8, which tmwatch does not speak.
_LOCAL_PART = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
_ADDRESS = re.compile(rf"^{_LOCAL_PART}@(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|localhost)$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class SubscriptionsError(ConfigError):
    """The subscriptions file cannot be used; every problem names the subscription and field."""


@dataclass(frozen=True)
class SmtpSettings:
    """The relay every email subscription goes through.

    ``starttls`` upgrades a plain connection (port 587); ``tls`` is implicit TLS from the first
    byte (port 465). ``local_hostname`` is what tmwatch says in EHLO and puts in Message-IDs:
    smtplib's and email's defaults look the machine's name up in DNS, which can hang offline.
    """

    host: str
    port: int = 587
    sender: str = ""
    starttls: bool = True
    tls: bool = False
    local_hostname: str = "localhost"
    timeout: float = 30.0
    ca_file: Path | None = None  # a CA to trust besides the system's (a relay's own CA)

    @property
    def encrypted(self) -> bool:
        return self.starttls or self.tls


@dataclass(frozen=True)
class SubscriptionFilters:
    """What a subscription selects; an empty tuple selects everything of that kind."""

    persons: tuple[str, ...] = ()  # canonical names of watched persons
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()  # registry source keys

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "persons": list(self.persons),
            "tags": list(self.tags),
            "languages": list(self.languages),
            "outlets": list(self.outlets),
        }


@dataclass(frozen=True)
class Subscription:
    name: str
    channel: str
    cadence: str = "daily"
    filters: SubscriptionFilters = SubscriptionFilters()
    to: tuple[str, ...] = ()  # email
    url: str = ""  # webhook
    secret_env: str = ""  # webhook: the variable (or secrets.toml key) holding the HMAC key
    path: Path | None = None  # directory
    format: str = "html"  # directory: html | md | json | atom
    alerts: tuple[str, ...] = ALERT_KINDS  # immediate: which kinds
    quiet: timedelta = timedelta(hours=6)  # immediate: one alert per story, person or source
    max_alerts: int = 10  # immediate: per run; the rest arrive as one summary alert
    timezone: str = "UTC"  # daily: the day a digest belongs to
    send_empty: bool = False  # daily: send a digest that has nothing new
    allow_insecure: bool = False
    enabled: bool = True

    @property
    def mark(self) -> str:
        """The digest mark of this subscription, apart from the user's own ``daily``."""
        return MARK_PREFIX + self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard tmwatch tries before a message becomes a dead letter.

    A message is retried on every run (and ``attempts_per_run`` times within one, waiting
    ``backoff`` seconds, doubled each time); it becomes a dead letter once it has failed
    ``max_attempts`` times *and* its first failure is ``give_up_after`` old, so a receiver that
    is down for a night loses nothing.
    """

    max_attempts: int = 10
    give_up_after: timedelta = timedelta(days=3)
    attempts_per_run: int = 3
    backoff: float = 2.0
    timeout: float = 20.0


@dataclass(frozen=True)
class Subscriptions:
    path: Path | None = None
    smtp: SmtpSettings | None = None
    delivery: DeliveryPolicy = DeliveryPolicy()
    entries: tuple[Subscription, ...] = field(default=())

    @property
    def enabled(self) -> tuple[Subscription, ...]:
        return tuple(s for s in self.entries if s.enabled)

    def get(self, name: str) -> Subscription | None:
        return next((s for s in self.entries if s.name == name), None)


def parse_duration(value: Any) -> timedelta | None:
    """``"6h"``, ``"30m"``, ``"2d"``, ``"45s"`` or a number of seconds; None when not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return timedelta(seconds=value) if value >= 0 else None
    if isinstance(value, str) and (match := _DURATION.match(value)):
        return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])
    return None


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: the only places plain text may go without consent."""
    if not host:
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Vocabulary:
    """The valid filter values, from the configuration in use; None skips that check."""

    persons: Mapping[str, str] | None = None  # a folded spelling, key or surname -> canonical
    tags: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    outlets: frozenset[str] | None = None

    @classmethod
    def of(cls, watchlist: Watchlist, topics: tuple[Topic, ...], registry: Registry) -> Vocabulary:
        """Filters a user may name: a person by canonical name, key, any listed spelling or a
        surname only one person has (in any script); a topic key; a registry source key."""
        persons: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        for person in watchlist.people:
            persons[person.key] = person.name
            persons[fold_text(person.name)] = person.name
            for first in person.first:
                for last in person.last:
                    persons[fold_text(f"{first} {last}")] = person.name
            for last in person.last:
                surnames.setdefault(fold_text(last), set()).add(person.name)
        for surname, names in surnames.items():
            if len(names) == 1:
                persons.setdefault(surname, next(iter(names)))
        languages = {lang for s in registry.sources.values() for lang in s.languages}
        return cls(
            persons=persons,
            tags=frozenset(t.key for t in topics),
            languages=frozenset(languages | {"ru", "tk", "tr", "en"}),
            outlets=frozenset(registry.sources),
        )


def load_subscriptions(path: Path, vocabulary: Vocabulary = Vocabulary()) -> Subscriptions:
    """The subscriptions of ``path``; ``SubscriptionsError`` lists every problem at once."""
    return build_subscriptions(read_toml(path, SubscriptionsError), str(path), vocabulary, path)


def build_subscriptions(
    data: Mapping[str, Any],
    path: str,
    vocabulary: Vocabulary = Vocabulary(),
    file: Path | None = None,
) -> Subscriptions:
    problems = Problems(path)
    problems.unknown_fields(data, {"smtp", "delivery", "subscription"}, "file", ())
    smtp = _smtp(data.get("smtp"), problems)
    delivery = _delivery(data.get("delivery", {}), problems)
    raw_entries = data.get("subscription", [])
    entries: list[Subscription] = []
    if not isinstance(raw_entries, list):
        problems.add("[[subscription]] must be an array of tables", ("subscription",))
        raw_entries = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries):
        at = ("subscription", str(index))
        if not isinstance(raw, Mapping):
            problems.add(f"subscription #{index + 1}: must be a table", at)
            continue
        entry = _subscription(raw, index, smtp, vocabulary, problems, file)
        if entry is None:
            continue
        if entry.name in seen:
            problems.add(f"subscription {entry.name!r}: the name is used twice", (*at, "name"))
        seen.add(entry.name)
        entries.append(entry)
    problems.raise_if_any(SubscriptionsError)
    return Subscriptions(file, smtp, delivery, tuple(entries))


_SMTP_FIELDS = {"host", "port", "starttls", "tls", "from", "local_hostname", "timeout", "ca_file"}


def _smtp(raw: Any, problems: Problems) -> SmtpSettings | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.add("[smtp] must be a table", ("smtp",))
        return None
    where, at = "[smtp]", ("smtp",)
    problems.unknown_fields(raw, _SMTP_FIELDS, where, at)
    host = problems.text(raw, "host", where, at, "localhost")
    sender = problems.text(raw, "from", where, at, "tmwatch@localhost")
    if sender and not _ADDRESS.match(sender):
        problems.add(f"{where}, field 'from': not an email address: {sender!r}", (*at, "from"))
    tls = problems.flag(raw, "tls", where, at, False)
    starttls = problems.flag(raw, "starttls", where, at, not tls)
    if tls and starttls:
        problems.add(
            f"{where}: 'tls' (implicit TLS, port 465) and 'starttls' (port 587) exclude each other",
            (*at, "starttls"),
        )
    port = _integer(raw, "port", where, at, 465 if tls else 587, problems, 1, 65535)
    local = raw.get("local_hostname", "localhost")
    if not isinstance(local, str) or not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", local):
        problems.add(f"{where}, field 'local_hostname': not a host name", (*at, "local_hostname"))
        local = "localhost"
    timeout = _seconds(raw, "timeout", where, at, 30.0, problems)
    ca_file = None
    if "ca_file" in raw:
        value = raw["ca_file"]
        if not isinstance(value, str) or not Path(value).expanduser().is_file():
            problems.add(f"{where}, field 'ca_file': no such file: {value!r}", (*at, "ca_file"))
        else:
            ca_file = Path(value).expanduser()
    return SmtpSettings(host, port, sender, starttls, tls, local, timeout, ca_file)


_DELIVERY_FIELDS = {"max_attempts", "give_up_after", "attempts_per_run", "backoff", "timeout"}


def _delivery(raw: Any, problems: Problems) -> DeliveryPolicy:
    if not isinstance(raw, Mapping):
        problems.add("[delivery] must be a table", ("delivery",))
        return DeliveryPolicy()
    where, at = "[delivery]", ("delivery",)
    problems.unknown_fields(raw, _DELIVERY_FIELDS, where, at)
    default = DeliveryPolicy()
    give_up = default.give_up_after
    if "give_up_after" in raw:
        parsed = parse_duration(raw["give_up_after"])
        if parsed is None:
            problems.add(
                f"{where}, field 'give_up_after': {_DURATION_HINT}", (*at, "give_up_after")
            )
        else:
            give_up = parsed
    return DeliveryPolicy(
        max_attempts=_integer(raw, "max_attempts", where, at, default.max_attempts, problems, 1),
        give_up_after=give_up,
        attempts_per_run=_integer(
            raw, "attempts_per_run", where, at, default.attempts_per_run, problems, 1, 10
        ),
        backoff=_seconds(raw, "backoff", where, at, default.backoff, problems),
        timeout=_seconds(raw, "timeout", where, at, default.timeout, problems),
    )


_COMMON = {
    "name",
    "channel",
    "cadence",
    "persons",
    "tags",
    "languages",
    "outlets",
    "allow_insecure",
    "enabled",
    "quiet",
    "alerts",
    "timezone",
    "send_empty",
    "max_alerts",
}
_BY_CHANNEL = {
    "email": {"to"},
    "webhook": {"url", "secret_env"},
    "directory": {"path", "format"},
}
_DURATION_HINT = 'a duration such as "30m", "6h", "2d" or a number of seconds'


def _subscription(
    raw: Mapping[str, Any],
    index: int,
    smtp: SmtpSettings | None,
    vocabulary: Vocabulary,
    problems: Problems,
    file: Path | None,
) -> Subscription | None:
    at = ("subscription", str(index))
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.add(
            f"subscription #{index + 1}, field 'name': required; letters, digits, '.', '_', '-'",
            (*at, "name"),
        )
        return None
    where = f"subscription {name!r}"
    channel = raw.get("channel")
    if channel not in CHANNELS:
        problems.add(
            f"{where}, field 'channel': must be one of {', '.join(CHANNELS)}", (*at, "channel")
        )
        return None
    problems.unknown_fields(raw, _COMMON | _BY_CHANNEL[channel], where, at)
    cadence = raw.get("cadence", "daily")
    if cadence not in CADENCES:
        problems.add(
            f"{where}, field 'cadence': must be one of {', '.join(CADENCES)}", (*at, "cadence")
        )
        cadence = "daily"
    allow_insecure = problems.flag(raw, "allow_insecure", where, at, False)
    filters = SubscriptionFilters(
        persons=_choices(raw, "persons", where, at, vocabulary.persons, problems),
        tags=_choices(raw, "tags", where, at, vocabulary.tags, problems),
        languages=_choices(raw, "languages", where, at, vocabulary.languages, problems),
        outlets=_choices(raw, "outlets", where, at, vocabulary.outlets, problems),
    )
    quiet = timedelta(hours=6)
    if "quiet" in raw:
        parsed = parse_duration(raw["quiet"])
        if parsed is None:
            problems.add(f"{where}, field 'quiet': {_DURATION_HINT}", (*at, "quiet"))
        else:
            quiet = parsed
    alerts = _strings(raw, "alerts", where, at, problems) if "alerts" in raw else ALERT_KINDS
    for kind in alerts:
        if kind not in ALERT_KINDS:
            problems.add(
                f"{where}, field 'alerts': unknown kind {kind!r} (valid: {', '.join(ALERT_KINDS)})",
                (*at, "alerts"),
            )
    timezone = raw.get("timezone", "UTC")
    try:
        ZoneInfo(timezone) if isinstance(timezone, str) and timezone else ZoneInfo("")
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(
            f"{where}, field 'timezone': not an IANA time zone: {timezone!r}", (*at, "timezone")
        )
        timezone = "UTC"
    entry: dict[str, Any] = {
        "name": name,
        "channel": channel,
        "cadence": cadence,
        "filters": filters,
        "alerts": tuple(alerts),
        "quiet": quiet,
        "max_alerts": _integer(raw, "max_alerts", where, at, 10, problems, 2, 1000),
        "timezone": timezone,
        "send_empty": problems.flag(raw, "send_empty", where, at, False),
        "allow_insecure": allow_insecure,
        "enabled": problems.flag(raw, "enabled", where, at, True),
    }
    if channel == "email":
        to = _strings(raw, "to", where, at, problems)
        if not to:
            problems.add(f"{where}, field 'to': at least one address is required", (*at, "to"))
        for address in to:
            if not _ADDRESS.match(address):
                problems.add(f"{where}, field 'to': not an email address: {address!r}", (*at, "to"))
        if smtp is None:
            problems.add(
                f"{where}: an email subscription needs an [smtp] section", (*at, "channel")
            )
        elif not smtp.encrypted and not is_loopback(smtp.host) and not allow_insecure:
            problems.add(
                f"{where}: [smtp] has neither starttls nor tls, so mail to {smtp.host} would "
                f"travel in plain text; refused unless the subscription sets allow_insecure = true",
                (*at, "allow_insecure"),
            )
        entry["to"] = tuple(to)
    elif channel == "webhook":
        url = problems.text(raw, "url", where, at, "")
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.hostname):
            problems.add(f"{where}, field 'url': not an http(s) URL: {url!r}", (*at, "url"))
        elif parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure:
            problems.add(
                f"{where}, field 'url': plain http to {parts.hostname} would send names in "
                f"plain text; use https, or set allow_insecure = true",
                (*at, "url"),
            )
        secret_env = raw.get("secret_env", "")
        if secret_env and (not isinstance(secret_env, str) or not _ENV_NAME.match(secret_env)):
            problems.add(
                f"{where}, field 'secret_env': the name of an environment variable "
                f"(A-Z, 0-9, _), not the secret itself",
                (*at, "secret_env"),
            )
            secret_env = ""
        entry.update(url=url, secret_env=secret_env)
    else:
        target = problems.text(raw, "path", where, at, "")
        directory = Path(target).expanduser() if target else None
        if directory is not None and not directory.is_absolute() and file is not None:
            directory = file.parent / directory
        fmt = raw.get("format", "html")
        if fmt not in DIRECTORY_FORMATS:
            problems.add(
                f"{where}, field 'format': must be one of {', '.join(DIRECTORY_FORMATS)}",
                (*at, "format"),
            )
            fmt = "html"
        entry.update(path=directory, format=fmt)
    return Subscription(**entry)


def _strings(
    raw: Mapping[str, Any], name: str, where: str, at: tuple[str, ...], problems: Problems
) -> list[str]:
    value = raw.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(f"{where}, field {name!r}: must be a list of texts", (*at, name))
        return []
    return [v.strip() for v in value]


def _choices(
    raw: Mapping[str, Any],
    name: str,
    where: str,
    at: tuple[str, ...],
    valid: Mapping[str, str] | frozenset[str] | None,
    problems: Problems,
) -> tuple[str, ...]:
    """A filter list, each value checked against ``valid`` (and mapped to its canonical form)."""
    values = _strings(raw, name, where, at, problems)
    if valid is None:
        return tuple(values)
    chosen = []
    for value in values:
        if isinstance(valid, Mapping):
            canonical = valid.get(value) or valid.get(fold_text(value))
        else:
            canonical = value if value in valid else None
        if canonical is None:
            names = sorted(set(valid.values()) if isinstance(valid, Mapping) else valid)
            shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
            problems.add(
                f"{where}, field {name!r}: unknown {value!r} (valid: {shown})", (*at, name)
            )
        else:
            chosen.append(canonical)
    return tuple(dict.fromkeys(chosen))


def _integer(
    raw: Mapping[str, Any],
    name: str,
    where: str,
    at: tuple[str, ...],
    default: int,
    problems: Problems,
    low: int = 0,
    high: int | None = None,
) -> int:
    value = raw.get(name, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        problems.add(f"{where}, field {name!r}: must be a whole number {bound}", (*at, name))
        return default
    return value


def _seconds(
    raw: Mapping[str, Any],
    name: str,
    where: str,
    at: tuple[str, ...],
    default: float,
    problems: Problems,
) -> float:
    if name not in raw:
        return default
    parsed = parse_duration(raw[name])
    if parsed is None:
        problems.add(f"{where}, field {name!r}: {_DURATION_HINT}", (*at, name))
        return default
    return parsed.total_seconds()
