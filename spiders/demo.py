"""``tmwatch demo``: serve the sample outlets on 127.0.0.1, crawl them, write a digest.

The demo always uses the packaged watchlist and topics and the sample registry, never the
user's own configuration, and keeps its data in a home of its own so that sample data never
mixes with real monitoring data. On a home without any run yet it first records two weeks of
simulated runs (samples/history.py, marked ``simulated``), so that source health has a past to
judge the real crawl against; a home that has runs is never given invented history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tmwatch.clock import utc_datetime
from tmwatch.config.user import ConfigFiles
from tmwatch.output.digest import Selection, build_digest, mark_digest_written, save_json, save_text
from tmwatch.output.health import HealthReport, assess
from tmwatch.output.render import to_html
from tmwatch.pipeline.tagging import Tagger
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.history import HISTORY_DAYS, simulated_runs
from tmwatch.samples.server import SampleServer
from tmwatch.spiders.crawl import CrawlPlan, CrawlReport, run_crawl
from tmwatch.store import DataHome, Store, upgrade
from tmwatch.store.home import default_home

logger = logging.getLogger(__name__)

# The demo talks only to its own loopback server, so it can drop the live-site politeness.
DEMO_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 3,
    "RETRY_TIMES": 1,
}


class DemoError(RuntimeError):
    """The demo cannot start (its port is taken); the message says what to do."""


@dataclass(frozen=True)
class DemoResult:
    home: DataHome
    report: CrawlReport
    digest: dict[str, Any]
    json_path: Path
    html_path: Path
    health: HealthReport
    seeded: int = 0

    def summary(self) -> str:
        articles = self.digest["articles"]
        languages = sorted({a["language"] for a in articles if a["language"]})
        outlets = sorted({a["outlet"] for a in articles})
        lines = [
            f"{self.digest['count']} articles from {len(outlets)} outlets in "
            f"{', '.join(languages)}; digest: {self.json_path} (and {self.html_path.name})",
            f"data home: {self.home.root}",
        ]
        if self.seeded:
            lines.append(
                f"recorded {self.seeded} simulated runs over the {HISTORY_DAYS} days before "
                "today, so source health has a history to judge this crawl against"
            )
        flagged = [s for s in self.health.sources if s.flags]
        if flagged:
            lines.append("source health flags (`tmwatch health` explains them):")
            lines += [f"  {s.source}: {', '.join(s.flags)}" for s in flagged]
        else:
            lines.append("source health: no source flagged")
        return "\n".join(lines)


def demo_home(root: Path | None, store: str | None = None) -> DataHome:
    """The given home, or ``tmwatch-demo`` beside the default data home (and the given
    PostgreSQL store, if any)."""
    return DataHome(root or default_home().with_name("tmwatch-demo"), store=store)


def run_demo(home: DataHome, *, slow_delay: float = 4.0, verbose: int = 0) -> DemoResult:
    """Crawl the sample outlets into ``home`` (created already) and write the demo digest."""
    if home.store is None and home.db_path.exists():
        upgrade(home)  # sample data: bring a demo home from an older tmwatch up to date
    # Sample URLs contain the server's port; reusing the port of the first demo run keeps them
    # stable, so a second run recognises every stored article.
    port_file = home.root / "demo-port"
    port = int(port_file.read_text()) if port_file.exists() else 0
    try:
        server = SampleServer(slow_delay=slow_delay, port=port)
    except OSError as exc:
        raise DemoError(
            f"cannot serve the sample outlets on 127.0.0.1:{port} ({exc.strerror}); "
            f"free that port, or use another --home"
        ) from None
    port_file.write_text(server.base.rsplit(":", 1)[1])
    with server:
        logger.info("sample outlets served at %s", server.base)
        files = ConfigFiles(packaged_only=True, registry=SAMPLE_REGISTRY, registry_base=server.base)
        registry = files.load_registry()
        plan = CrawlPlan(
            home=home,
            files=files,
            registry=registry,
            tagger=Tagger(files.load_watchlist(), files.load_topics()),
            sources=tuple(registry.choose()),
            overrides=DEMO_SETTINGS,
            command="demo",
        )
        seeded = seed_history(home, server.base, [s.key for s in plan.sources], utc_datetime())
        report = run_crawl(plan, verbose)
    with Store(home) as store:
        digest = build_digest(store, Selection(everything=True))
        json_path = save_json(digest, home.digest_dir / "demo.json")
        html_path = save_text(to_html(digest), home.digest_dir / "demo.html")
        mark_digest_written(store, digest)
        health = assess(store, utc_datetime())
    return DemoResult(home, report, digest, json_path, html_path, health, seeded)


def seed_history(home: DataHome, base: str, sources: list[str], now: datetime) -> int:
    """Record the samples' simulated runs before ``now``, in a home with no run and no article
    yet (a fresh demo home); how many were recorded. Never twice, never into real data."""
    with Store(home) as store:
        if store.crawl.has_runs() or store.archive.count():
            return 0
        runs = simulated_runs(base, now, sources)
        with store.transaction():
            for run in runs:
                store.crawl.add_simulated_run(run.started_at, run.finished_at, run.stats)
    logger.info("recorded %d simulated runs as the demo's history", len(runs))
    return len(runs)
