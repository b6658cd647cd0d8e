"""Running a crawl in-process, reporting on it per source, and deciding its exit code.

Scrapy's reactor cannot be restarted in one process, so a process runs one crawl: the CLI calls
``run_crawl`` once per command, and tests run the CLI as a subprocess.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from tmwatch.config.reference import registry_reference
from tmwatch.config.registry import Registry, Source
from tmwatch.config.user import ConfigFiles
from tmwatch.logs import quiet_libraries
from tmwatch.pipeline.cases import Status
from tmwatch.pipeline.statuses import announce_status_changes
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.warc import repair_torn_tail, worker_tag, writer_of
from tmwatch.spiders.context import CrawlContext, bind, stat_key
from tmwatch.spiders.outlets import OutletsSpider
from tmwatch.store import DataHome, Store

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 1000
"""Failures kept per source in a run's record (and so in the digest); the count is kept too."""
INTERRUPTED = ("shutdown", "unknown")

SUMMARY_COLUMNS = ("found", "fetched", "new", "edited", "skipped", "errors")
_COUNTERS = (
    *SUMMARY_COLUMNS,
    "updated",
    "taken_down",
    "not_article",  # feed, sitemap or listing entries outside the article URL pattern
    "refused",  # pages fetched but not stored as articles by extraction (source health)
    "too_old",
    "not_modified",
    "resumed",
)


@dataclass
class SourceReport:
    source: str
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems) and not self.counts.get("new") and not self.counts.get("skipped")


@dataclass
class CrawlReport:
    sources: list[SourceReport]
    finish_reason: str
    stats: dict[str, Any]
    status_changes: list[Status] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(r.counts.get("new", 0) for r in self.sources)

    @property
    def interrupted(self) -> bool:
        """Stopped by the user (Ctrl-C: Scrapy's "shutdown"; a second Ctrl-C leaves no reason)."""
        return self.finish_reason in INTERRUPTED

    @property
    def failure(self) -> str | None:
        """Why the crawl as a whole did not succeed (exit code 1, or 130 when interrupted).

        A crawl fails when it ended early or when every source failed; single failing sources
        are reported in the table and the digest, and the others' articles are still stored.
        """
        if self.interrupted:
            return (
                "crawl interrupted: what it stored is kept; run the same command again to resume "
                "(the URLs it had found and not fetched are fetched first)"
            )
        if self.finish_reason != "finished":
            return f"crawl ended early: {self.finish_reason}"
        if self.sources and all(r.failed for r in self.sources):
            return "every source failed"
        return None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130  # the shell's convention for a command stopped by SIGINT
        return 1 if self.failure else 0

    @property
    def status(self) -> str:
        """What the run record says: finished, interrupted, or Scrapy's own reason."""
        return "interrupted" if self.interrupted else self.finish_reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "finish_reason": self.status,
            "sources": {
                r.source: {**r.counts, "problems": r.problems[:MAX_PROBLEMS]} for r in self.sources
            },
        }

    def table(self) -> str:
        header = ("source", *SUMMARY_COLUMNS)
        rows = [header] + [
            (r.source, *(str(r.counts.get(c, 0)) for c in SUMMARY_COLUMNS)) for r in self.sources
        ]
        total = (
            "total",
            *(str(sum(r.counts.get(c, 0) for r in self.sources)) for c in SUMMARY_COLUMNS),
        )
        rows.append(total)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        for status in self.status_changes:
            lines.append(f"* status: {status.person}: {status.describe()}")
        for r in self.sources:
            for message in r.problems[:5]:
                lines.append(f"! {r.source}: {message}")
            if len(r.problems) > 5:
                lines.append(f"! {r.source}: ... and {len(r.problems) - 5} more problems")
        return "\n".join(lines)


@dataclass(frozen=True)
class CrawlPlan:
    """Everything a crawl needs, loaded and validated once by the caller."""

    home: DataHome
    files: ConfigFiles
    registry: Registry
    tagger: Tagger
    sources: tuple[Source, ...]
    since: date | None = None
    refresh: bool = False
    proxy: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    command: str = "crawl"
    jobs: int = 1
    """Worker processes that read the pages (1: the reactor's own process, no pool)."""


def build_settings(plan: CrawlPlan) -> Settings:
    """Scrapy settings for a plan: tmwatch's defaults, the TMWATCH_* values, per-host slots.

    The TMWATCH_* values also let a bare ``scrapy crawl outlets`` rebuild the same context.
    """
    files = plan.files
    settings = Settings()
    settings.setmodule("tmwatch.config.settings", priority="project")
    values: dict[str, Any] = {
        "TMWATCH_HOME": str(plan.home.root),
        "TMWATCH_STORE": plan.home.store or "",
        "TMWATCH_WARC_DIR": str(plan.home.warc_dir),
        "TMWATCH_WORKER": plan.home.worker,
        "TMWATCH_CONFIG_DIR": str(files.config_dir or ""),
        "TMWATCH_PACKAGED_ONLY": files.packaged_only,
        "TMWATCH_REGISTRY": str(files.registry or ""),
        "TMWATCH_REGISTRY_BASE": files.registry_base or "",
        "TMWATCH_WATCHLIST": str(files.watchlist or ""),
        "TMWATCH_TOPICS": str(files.topics or ""),
        "TMWATCH_SOURCES": ",".join(s.key for s in plan.sources),
        "TMWATCH_SINCE": plan.since.isoformat() if plan.since else "",
        "TMWATCH_REFRESH": plan.refresh,
        "TMWATCH_PROXY": plan.proxy or "",
        "TMWATCH_JOBS": plan.jobs,
    }
    for key, value in values.items():
        settings.set(key, value, priority="cmdline")
    slots: dict[str, dict[str, Any]] = {}
    for source in plan.registry.sources.values():
        if source.download_delay is None and source.concurrency is None:
            continue
        for host in source.hosts:
            slot = slots.setdefault(urlsplit(f"//{host}").hostname or host, {})
            if source.download_delay is not None:
                slot["delay"] = source.download_delay
            if source.concurrency is not None:
                slot["concurrency"] = source.concurrency
    if slots:
        settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    for key, value in plan.overrides.items():
        settings.set(key, value, priority="cmdline")
    return settings


def interrupted_warc(directory: Path, worker: str) -> Path | None:
    """The WARC file an interrupted run of this worker was writing: its newest, unless the
    process named in the file name still runs here (a WARC directory may be shared by
    several crawlers, and a live writer's file is never to be cut)."""
    own = [
        path
        for path in directory.glob("*.warc.gz")
        if writer_of(path.name) in (worker_tag(worker), None)
    ]
    if not own:
        return None
    newest = max(own, key=lambda p: p.stat().st_mtime)
    pid = newest.name.removesuffix(".warc.gz").rsplit("-", 1)[-1]
    if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
        return None
    return newest


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_crawl(plan: CrawlPlan, verbose: int = 0) -> CrawlReport:
    """Run the outlets spider to completion and record the run in the store."""
    settings = build_settings(plan)
    full_listings = False
    with Store(plan.home) as store:
        if store.crawl.last_run_interrupted(plan.home.worker):
            # Listing pages stop where the stored articles begin; after an interrupted run the
            # older pages may never have been read, so this run walks the listings in full.
            logger.info("the previous run was interrupted: resuming it")
            full_listings = True
            torn = interrupted_warc(plan.home.warc_dir, plan.home.worker)
            if torn and (cut := repair_torn_tail(torn)):
                logger.warning(
                    "%s: removed %d bytes of a record torn by the interruption", torn.name, cut
                )
        run_id = store.crawl.start_run(plan.command, plan.home.worker)
        # reprocess needs the registry the captures were crawled with (samples: their base).
        store.set_meta("registry", registry_reference(plan.files))
        store.set_meta("registry_base", plan.files.registry_base or "")
    context = CrawlContext(
        home=plan.home,
        registry=plan.registry,
        sources={s.key: s for s in plan.sources},
        tagger=plan.tagger,
        since=plan.since,
        refresh=plan.refresh,
        proxy=plan.proxy,
        max_listing_pages=settings.getint("TMWATCH_MAX_LISTING_PAGES", 500),
        full_listings=full_listings,
        lease_seconds=settings.getint("TMWATCH_LEASE_SECONDS", 600),
    )
    process = CrawlerProcess(settings)
    quiet_libraries(verbose)  # Scrapy's logging set-up has just reset the library loggers to DEBUG
    crawler = process.create_crawler(OutletsSpider)
    bind(crawler, context)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reports = [
        SourceReport(
            key,
            {name: int(stats.get(stat_key(key, name), 0)) for name in _COUNTERS},
            list(context.problems.get(key, [])),
        )
        for key in context.sources
    ]
    report = CrawlReport(reports, str(stats.get("finish_reason", "unknown")), stats)
    with Store(plan.home) as store:
        report.status_changes = announce_status_changes(store)
        store.crawl.finish_run(run_id, report.status, report.as_dict())
    return report
