"""Running a crawl in-process and reporting on it per source.

Scrapy's reactor cannot be restarted in one process, so a process runs one crawl: the CLI calls
``run_crawl`` once per command, and tests run the CLI as a subprocess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from tmwatch.config.registry import Registry
from tmwatch.logs import quiet_libraries
from tmwatch.pipeline.warc import repair_torn_tail
from tmwatch.spiders.outlets import OutletsSpider, stat_key
from tmwatch.store import Store
from tmwatch.store.home import DataHome

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("found", "fetched", "new", "edited", "skipped", "errors")


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

    @property
    def stored(self) -> int:
        return sum(r.counts.get("new", 0) for r in self.sources)

    def as_dict(self) -> dict[str, Any]:
        return {
            "finish_reason": self.finish_reason,
            "sources": {r.source: {**r.counts, "problems": r.problems[:20]} for r in self.sources},
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
        for r in self.sources:
            for message in r.problems[:5]:
                lines.append(f"! {r.source}: {message}")
            if len(r.problems) > 5:
                lines.append(f"! {r.source}: ... and {len(r.problems) - 5} more problems")
        return "\n".join(lines)


def build_settings(
    *,
    home: DataHome,
    registry: Registry,
    registry_path: Path,
    base: str | None,
    sources: list[str],
    since: date | None,
    refresh: bool,
    proxy: str | None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule("tmwatch.config.settings", priority="project")
    settings.set("TMWATCH_HOME", str(home.root), priority="cmdline")
    settings.set("TMWATCH_REGISTRY", str(registry_path), priority="cmdline")
    settings.set("TMWATCH_REGISTRY_BASE", base or "", priority="cmdline")
    settings.set("TMWATCH_SOURCES", ",".join(sources), priority="cmdline")
    settings.set("TMWATCH_SINCE", since.isoformat() if since else "", priority="cmdline")
    settings.set("TMWATCH_REFRESH", refresh, priority="cmdline")
    if proxy:
        settings.set("TMWATCH_PROXY", proxy, priority="cmdline")
    slots: dict[str, dict[str, Any]] = {}
    for source in registry.sources.values():
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
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(settings: Settings, command: str, verbose: int = 0) -> CrawlReport:
    """Run the outlets spider to completion and record the run in the store."""
    home = DataHome(settings.get("TMWATCH_HOME"))
    with Store(home) as store:
        if store.last_run_interrupted():
            # Listing pages stop where the stored articles begin; after an interrupted run the
            # older pages may never have been read, so this run walks the listings in full.
            logger.info("the previous run was interrupted: resuming it")
            settings.set("TMWATCH_FULL_LISTINGS", True, priority="cmdline")
            # Each run writes its own WARC file: the newest is the interrupted run's.
            warcs = sorted(home.warc_dir.glob("*.warc.gz"), key=lambda p: p.stat().st_mtime)
            if warcs and (cut := repair_torn_tail(warcs[-1])):
                logger.warning(
                    "%s: removed %d bytes of a record torn by the interruption", warcs[-1].name, cut
                )
        run_id = store.start_run(command)
        # reprocess needs the registry the captures were crawled with (sample homes: its base).
        store.set_meta("registry_path", str(Path(settings.get("TMWATCH_REGISTRY")).resolve()))
        store.set_meta("registry_base", settings.get("TMWATCH_REGISTRY_BASE") or "")
    process = CrawlerProcess(settings)
    quiet_libraries(verbose)  # Scrapy's logging set-up has just reset the library loggers to DEBUG
    crawler = process.create_crawler(OutletsSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    reports = []
    for key in getattr(spider, "sources", {}):
        counts = {
            name: int(stats.get(stat_key(key, name), 0))
            for name in (
                *SUMMARY_COLUMNS,
                "updated",
                "taken_down",
                "not_article",
                "too_old",
                "not_modified",
                "resumed",
            )
        }
        reports.append(SourceReport(key, counts, list(spider.problems.get(key, []))))
    report = CrawlReport(reports, str(stats.get("finish_reason", "unknown")), stats)
    with Store(home) as store:
        store.finish_run(run_id, report.finish_reason, report.as_dict())
    return report
