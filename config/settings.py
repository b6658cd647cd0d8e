"""Scrapy settings for tmwatch (``scrapy.cfg`` points here).

Defaults are for crawling the live outlets politely: robots.txt obeyed, AutoThrottle on, at most
two requests in flight per domain, bounded page size, retries with backoff. ``tmwatch demo``
overrides the throttle for the local sample server only. Every tmwatch-specific setting is
prefixed ``TMWATCH_`` and documented where it is declared.
"""

from __future__ import annotations

BOT_NAME = "tmwatch"
SPIDER_MODULES = ["tmwatch.spiders.outlets"]
NEWSPIDER_MODULE = "tmwatch.spiders"

# TMWATCH_USER_AGENT: sent on every request; names the tool so outlets can tell who reads them.
TMWATCH_USER_AGENT = "tmwatch/0.1 (media monitoring for human-rights research)"
USER_AGENT = TMWATCH_USER_AGENT

# TMWATCH_HOME: the data home (store, WARC captures, digests); the CLI fills it from --home or
# the TMWATCH_HOME environment variable.
TMWATCH_HOME = ""
# TMWATCH_REGISTRY: path of the sources registry; TMWATCH_REGISTRY_BASE fills {base} in it.
TMWATCH_REGISTRY = ""
TMWATCH_REGISTRY_BASE = ""
# TMWATCH_SOURCES: comma-separated source keys to crawl (empty: every enabled source).
TMWATCH_SOURCES = ""
# TMWATCH_SINCE: ISO date; older feed/sitemap entries are skipped and listings stop there.
TMWATCH_SINCE = ""
# TMWATCH_REFRESH: fetch articles again even when already stored (new versions are kept).
TMWATCH_REFRESH = False
# TMWATCH_FULL_LISTINGS: read listings up to their max_pages even where a page holds only stored
# articles (set automatically after an interrupted run).
TMWATCH_FULL_LISTINGS = False
# TMWATCH_WATCHLIST / TMWATCH_TOPICS: watchlist and topic lexicons (default: config/*.toml).
TMWATCH_WATCHLIST = ""
TMWATCH_TOPICS = ""
# TMWATCH_PROXY: optional HTTP(S) proxy URL for every request (e.g. a SOCKS-to-HTTP bridge).
TMWATCH_PROXY = ""
# TMWATCH_MAX_LISTING_PAGES: hard cap on pages per listing when --since asks for a backfill.
TMWATCH_MAX_LISTING_PAGES = 500
# TMWATCH_PROGRESS_EVERY: log a progress line every N stored articles (0: never).
TMWATCH_PROGRESS_EVERY = 10

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control (2.19+: an HTTP server on localhost that runs the Python code it is
# sent, its token in a job file) is off like the telnet console, and left unloaded: not importing
# it spares every crawl's start-up aiohttp's web server (~0.25 s CPU). Older Scrapy has no such
# extension; a None entry is then simply nothing to load.
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None}
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ru,tk;q=0.9,tr;q=0.8,en;q=0.7",
}
# TMWATCH_GUARD_HOSTS: drop every request to a host outside the registry (spiders.offsite_guard).
TMWATCH_GUARD_HOSTS = True
DOWNLOADER_MIDDLEWARES = {
    "tmwatch.spiders.offsite_guard.RegistryHostsMiddleware": 50,
    # Frontier leases and request slots shared by crawlers on one store (after the guard:
    # a dropped request needs neither).
    "tmwatch.spiders.shared_frontier.SharedFrontierMiddleware": 60,
}
ITEM_PIPELINES = {
    "tmwatch.spiders.adapters.StoreCapturePipeline": 300,
}
LOG_LEVEL = "INFO"
# The CLI installs its own stderr handler; tmwatch logs its own line for each skipped page.
LOG_INSTALL_ROOT_HANDLER = False
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
