"""``tmwatch doctor``: check each enabled source live and print what works and what does not."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tmwatch.cli.app import (
    UsageFailure,
    chosen_sources,
    config_files,
    load_registry,
    main,
    registry_options,
    setting_option,
    source_option,
)
from tmwatch.samples import SAMPLE_REGISTRY

if TYPE_CHECKING:  # the doctor loads the extraction stack: imported when the command runs
    from tmwatch.spiders.doctor import DoctorOptions, SourceReport

# The crawl settings the doctor reads; -s with another name is a usage error, not ignored.
_SETTINGS = {
    "DOWNLOAD_DELAY": ("delay", float),
    "DOWNLOAD_TIMEOUT": ("timeout", float),
    "DOWNLOAD_MAXSIZE": ("max_bytes", int),
    "USER_AGENT": ("user_agent", str),
}
_MARK = {"ok": "ok", "warn": "warn", "fail": "FAIL", "skip": "-"}


@main.command()
@source_option("Check")
@registry_options
@click.option("--json", "as_json", is_flag=True, help="One record per source, for a bug report.")
@click.option("--proxy", help="Send every request through this HTTP(S) proxy.", metavar="URL")
@click.option("--user-agent", help="User-Agent header (default: the crawl's, naming tmwatch).")
@setting_option("Override DOWNLOAD_DELAY, DOWNLOAD_TIMEOUT or DOWNLOAD_MAXSIZE (as for crawl).")
@click.pass_context
def doctor(
    ctx: click.Context,
    source_names: tuple[str, ...],
    registry: Path | None,
    base: str | None,
    as_json: bool,
    proxy: str | None,
    user_agent: str | None,
    raw_settings: tuple[str, ...],
) -> None:
    """Check each enabled source live, from this machine, with a handful of requests.

    Per source: reachable (HTTP status, TLS problems by name), robots.txt allows the URLs used,
    discovery (feeds parse with entries, or the sitemap or listing yields URLs), pattern (the
    newest items match article_url), article (the newest one extracts with title, date and
    text) and language (as registered). Each is ok, warn or FAIL with a reason; "-" was not
    checked because an earlier check failed. A warning passes: e.g. one zombie feed beside
    working ones, or a malformed feed whose entries are still read.

    Same User-Agent, robots.txt rules, per-host delay, timeout and page limit as a crawl; at
    most four discovery documents and one article per source, plus robots.txt once per host.
    No proxy from the environment unless --proxy is given. Exit 0 when every source passes,
    1 when one fails, 2 for bad usage or configuration.
    """
    from tmwatch.spiders.doctor import DoctorOptions, run_doctor

    options = _options(DoctorOptions(proxy=proxy), raw_settings)
    if user_agent:
        options = replace(options, user_agent=user_agent)
    if base is None and registry is not None and registry.resolve() == SAMPLE_REGISTRY.resolve():
        raise UsageFailure(
            "the sample registry needs the sample server's address: run "
            "`tmwatch samples serve > samples.toml` and use --registry samples.toml"
        )
    loaded = load_registry(config_files(ctx, registry, registry_base=base))
    chosen = chosen_sources(loaded, source_names, "check")
    reports = run_doctor(loaded, chosen, options)
    if as_json:
        records = [r.as_dict() for r in reports]
        click.echo(json.dumps({"sources": records}, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(reports))
    ctx.exit(0 if all(r.passed for r in reports) else 1)


def _options(options: DoctorOptions, raw_settings: tuple[str, ...]) -> DoctorOptions:
    """``-s NAME=VALUE`` applied to the doctor's options; bad names and values exit 2."""
    for item in raw_settings:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in _SETTINGS:
            known = ", ".join(_SETTINGS)
            raise UsageFailure(f"--setting {item!r}: use NAME=VALUE with NAME one of {known}")
        field, kind = _SETTINGS[name]
        try:
            converted = kind(value)
        except ValueError:
            raise UsageFailure(f"--setting {item!r}: {value!r} is not a number") from None
        options = replace(options, **{field: converted})
    return options


def _table(reports: list[SourceReport]) -> str:
    """One row per source: a column per check, then the first failure's (or warning's) reason."""
    from tmwatch.spiders.doctor import CHECKS

    width = max([len("source"), *(len(r.source) for r in reports)])
    head = [f"{'source':<{width}}", *(f"{c:<9}" for c in CHECKS), "reason"]
    lines = ["  ".join(head).rstrip()]
    for report in reports:
        cells = [f"{report.source:<{width}}", *(f"{_MARK[c.status]:<9}" for c in report.checks)]
        lines.append("  ".join([*cells, report.reason]).rstrip())
    failed = sum(not r.passed for r in reports)
    warned = sum(r.status == "warn" for r in reports)
    lines.append(
        f"\n{len(reports) - failed} of {len(reports)} sources pass"
        + (f" ({warned} with warnings)" if warned else "")
        + (f"; {failed} fail" if failed else "")
    )
    return "\n".join(lines)
