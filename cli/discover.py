"""``tmwatch sources discover URL``: propose (and with --add, append) a registry entry.

The command only prints and appends: the visit and the inference live in
``tmwatch.spiders.discover``; validation is the registry loader's, on the merged registry, so an
appended entry is accepted exactly when ``tmwatch sources --check`` accepts it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from tmwatch.cli.app import UsageFailure, config_files
from tmwatch.cli.collect import sources
from tmwatch.config.errors import ConfigError
from tmwatch.config.user import ConfigFiles, template
from tmwatch.spiders.discover import discover
from tmwatch.spiders.proposal import DiscoveryError, Proposal

HEADER = "# Proposed by `tmwatch sources discover`: check the `assumed` notes before relying on it."


@sources.command("discover")
@click.argument("url")
@click.option("--key", metavar="KEY", help="The source key (default: from the host and path).")
@click.option("--add", is_flag=True, help="Append the entry to your sources file and validate.")
@click.option("--proxy", metavar="URL", help="Fetch through this proxy (default: none).")
@click.option("--json", "as_json", is_flag=True, help="The proposal as JSON instead of TOML.")
@click.pass_context
def discover_command(
    ctx: click.Context, url: str, key: str | None, add: bool, proxy: str | None, as_json: bool
) -> None:
    """Propose a sources entry for the outlet at URL (its home page, or a Telegram or YouTube
    channel): feeds, sitemaps, article_url, languages and name, as TOML for your sources file.

    Also proposes the menu's rubric listings that list more articles than the feeds, and for a
    site with neither feed nor sitemap, reads its articles through listings. Makes at most 16
    requests, obeying robots.txt. Exit 1 when no feed, sitemap or listing with articles is
    found.
    """
    try:
        proposal = discover(url, proxy=proxy)
    except DiscoveryError as exc:
        for line in exc.found:
            click.echo(f"found: {line}", err=True)
        raise click.ClickException(str(exc)) from None
    if key:
        proposal.key = key
    if add:
        path, total = add_proposal(config_files(ctx), proposal)
        click.echo(f"added [sources.{proposal.key}] to {path}; {total} sources, no problems")
        return
    if as_json:
        click.echo(json.dumps(proposal.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{HEADER}\n{proposal.to_toml()}", nl=False)


def add_proposal(files: ConfigFiles, proposal: Proposal) -> tuple[Path, int]:
    """Append ``proposal`` to the user's sources file and validate the merged registry.

    Refuses a key the registry has already (packaged or user). On a validation failure the file
    is restored byte for byte (or removed, if this call created it) and the problems raised.
    """
    path = files.user_file("sources")
    current = _loaded(files)
    if proposal.key in current:
        raise UsageFailure(
            f"source {proposal.key!r} is already in the registry; choose another with --key"
        )
    before = path.read_bytes() if path.exists() else None
    text = before.decode("utf-8") if before is not None else template("sources")
    separator = "" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    try:
        _write(path, text + separator + f"{HEADER}\n{proposal.to_toml()}", created=before is None)
    except OSError as exc:
        raise UsageFailure(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        total = len(files.load_registry().sources)
    except ConfigError as exc:
        _restore(path, before)
        raise UsageFailure(exc.report("sources registry") + "\n(nothing was added)") from None
    return path, total


def _loaded(files: ConfigFiles) -> set[str]:
    try:
        return set(files.load_registry().sources)
    except ConfigError as exc:
        raise UsageFailure(exc.report("sources registry")) from None


def _write(path: Path, text: str, created: bool) -> None:
    """Write owner-only; a new file's directory is created owner-only too."""
    if created:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    if created:
        os.chmod(path, 0o600)


def _restore(path: Path, before: bytes | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)
