"""Real-browser helpers: the web app on a loopback port, Debian's chromium driven by Playwright
(never a downloaded browser), a record of everything a page asks for or complains about, and
axe-core's accessibility check.

What leaves the browser is watched twice:

* ``Recorder`` sees every request a page makes (``context.on("request")``), its console
  messages, uncaught errors and ``securitypolicyviolation`` events;
* ``Sinkhole`` is chromium's HTTP proxy: a loopback listener that records the first line of
  anything sent to it and answers 403. Chromium never proxies loopback, so the app is reached
  directly while every other host lands here; nothing reaches the network, and the browser's
  own traffic, which Playwright's events do not show (favicon fetches, update checks), is seen.

axe-core runs from ``tests/vendor/axe-core`` (vendored from the npm registry). The page's CSP
(``script-src 'self'``) rightly refuses it as an inline ``<script>``, so ``run_axe`` hands its
source to ``page.evaluate``: DevTools' ``Runtime.evaluate`` is not subject to a page's CSP, the
way a developer's console is not. Nothing is relaxed for that: the context keeps
``bypass_csp=False``, the served CSP header is untouched, the page's own resources were loaded
and checked under it before axe is injected, and the recorder stays attached while axe runs
(axe makes no request).
"""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request
from starlette.applications import Starlette

from tests.tools import require_program

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Browser-internal services pointed at the discard port: nothing listens there, so a call fails
# at once on loopback instead of reaching Google (the component updater and GAIA sign-in keep
# calling despite --disable-background-networking and --disable-component-update).
UNREACHABLE = "http://127.0.0.1:9/"

# Chromium keeps only the last --disable-features it is given, and Playwright passes its own
# list first, so this list repeats those of Playwright's entries that stop network traffic
# (time queries, HTTPS upgrades of http://127.0.0.1, search preconnects) or that its
# automation relies on, beside the ones the tests add (Translate, and autofill's field-type
# queries that chromium sends for every page with a form).
DISABLED_FEATURES = (
    "Translate",
    "AutofillServerCommunication",
    "OptimizationHints",
    "MediaRouter",
    "NetworkTimeServiceQuerying",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "AimEnabled",
    "PreconnectToSearch",
    "LensOverlay",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
)

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",  # the tests run as root in CI, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    f"--disable-features={','.join(DISABLED_FEATURES)}",
    f"--gaia-url={UNREACHABLE}",
    f"--component-updater=url-source={UNREACHABLE}",
)

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")

# Reported by the page's own script on every document, before anything else runs (an init
# script is DevTools-injected: the page's CSP does not apply to it, nor does it relax it).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ` +
                `${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


# Hosts chromium is known to call on its own, and what on a page makes it do so.
KNOWN_CALLERS = {
    "redirector.gvt1.com": "the spell-checker's dictionary download: a text field without "
    'spellcheck="false" got focus (Chrome\'s enhanced spell-check would also send what is '
    "typed there to Google)",
    "content-autofill.googleapis.com": "autofill's field-type queries for a form",
    "update.googleapis.com": "the component updater",
    "accounts.google.com": "Google sign-in (GAIA)",
    "clients2.google.com": "network time queries",
}


def explain(line: str) -> str:
    reasons = [why for host, why in KNOWN_CALLERS.items() if host in line]
    return f" ({reasons[0]})" if reasons else ""


def require_chromium() -> str:
    """Debian's chromium: a skip outside CI, a failure with CI=true (``.ci/run`` installs it)."""
    return require_program("chromium", "chromium")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class LiveServer:
    """The app served by uvicorn on 127.0.0.1, on a free port, from a background thread."""

    def __init__(self, app: Starlette) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)
        self.base = ""

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        return self

    def url(self, path: str) -> str:
        return self.base + path

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


class _SinkholeHandler(socketserver.StreamRequestHandler):
    server: Sinkhole

    def handle(self) -> None:
        line = self.rfile.readline(4096).decode("latin-1").strip()
        if line:
            with self.server.lock:
                self.server.seen.append(line)
        self.wfile.write(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )


class Sinkhole(socketserver.ThreadingTCPServer):
    """Chromium's proxy: records the first line of every attempt to reach another host."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SinkholeHandler)
        self.seen: list[str] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, name="sinkhole", daemon=True)

    @property
    def proxy(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Sinkhole:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.thread.join(timeout=5)
        self.server_close()

    def attempts(self) -> list[str]:
        with self.lock:
            return list(self.seen)


def launch_chromium(playwright: Playwright, sinkhole: Sinkhole) -> Browser:
    """Headless chromium from the system package, every outside host routed to ``sinkhole``."""
    return playwright.chromium.launch(
        executable_path=require_chromium(),
        args=[*CHROMIUM_ARGS, f"--proxy-server={sinkhole.proxy}"],
    )


@dataclass
class Recorder:
    """What the pages of one browser context requested and reported."""

    origin: str
    sinkhole: Sinkhole | None = None
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_pages: set[str] = field(default_factory=set)
    _sink_from: int = 0

    def expect_error_page(self, url: str) -> None:
        """``url`` answers 4xx on purpose: chromium's console line about its own status is
        expected (any other error on that page still counts)."""
        self.error_pages.add(url)

    def attach(self, context: BrowserContext) -> Recorder:
        self._sink_from = len(self.sinkhole.attempts()) if self.sinkhole else 0
        context.add_init_script(script=CSP_LISTENER)
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        return self

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        where = message.location.get("url", "") if message.location else ""
        own_status = where in self.error_pages and text.startswith("Failed to load resource")
        if not own_status and (message.type == "error" or any(w in text for w in CSP_WORDS)):
            self.errors.append(f"console {message.type}: {text} ({where})")
        self.console.append(f"{message.type}: {text}")

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and origin_of(url) != self.origin
        ]

    def problems(self) -> list[str]:
        found = [f"request to another origin: {url}" for url in self.foreign_requests()]
        found += self.errors
        if self.sinkhole is not None:
            found += [
                f"chromium tried to reach: {line}{explain(line)}"
                for line in self.sinkhole.attempts()[self._sink_from :]
            ]
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


def new_context(
    browser: Browser, origin: str, sinkhole: Sinkhole | None, **options: Any
) -> tuple[BrowserContext, Recorder]:
    """A fresh context (its own cookies and storage) with a recorder attached."""
    context = browser.new_context(bypass_csp=False, **options)
    return context, Recorder(origin, sinkhole).attach(context)


@contextmanager
def opened(
    browser: Browser, origin: str, sinkhole: Sinkhole | None, **options: Any
) -> Iterator[tuple[Page, Recorder]]:
    context, recorder = new_context(browser, origin, sinkhole, **options)
    try:
        yield context.new_page(), recorder
    finally:
        context.close()


# Rules that every form control has a name by: a label, aria-label(ledby), a button's text.
LABEL_RULES = ("label", "button-name", "select-name", "input-button-name", "aria-input-field-name")

_AXE_RUN = """async (labelRules) => {
  const result = await axe.run(document, {resultTypes: ["violations", "passes"]});
  return {
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    })),
    labelled: result.passes.filter((p) => labelRules.includes(p.id))
      .flatMap((p) => p.nodes.map((n) => n.target.join(" "))),
  };
}"""


@dataclass(frozen=True)
class AxeReport:
    violations: list[dict[str, Any]]  # every impact: id, impact, help, targets
    labelled: frozenset[str]  # selectors of the controls that passed a naming rule

    def serious(self) -> list[str]:
        """One line per serious or critical violation: rule, impact, the elements' selectors."""
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'][:8])}"
            for v in self.violations
            if v["impact"] in ("serious", "critical")
        ]

    def unnamed_controls(self) -> list[str]:
        """Violations, of any impact, of the rules that give form controls their names."""
        return [
            f"{v['id']}: {', '.join(v['targets'])}"
            for v in self.violations
            if v["id"] in LABEL_RULES
        ]


def run_axe(page: Page) -> AxeReport:
    """axe-core's findings on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Runtime.evaluate, not a <script>: see the module's docstring for why that is sound.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(_AXE_RUN, list(LABEL_RULES))
    return AxeReport(found["violations"], frozenset(found["labelled"]))


def serious_violations(page: Page) -> list[str]:
    return run_axe(page).serious()


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)
