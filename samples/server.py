"""A real HTTP server for the sample outlets, on 127.0.0.1 and a free port, in a thread.

It answers like a modest news site: conditional GET (ETag / Last-Modified -> 304), redirects,
404s, one deliberately slow page, and robots.txt. It never listens beyond loopback.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from tmwatch.samples.render import Resource, build_site

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server: _SampleHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.server.hit_times.append(time.monotonic())
        resource = self.server.site.get(self.path)
        if resource is None:
            self._send(Resource(b"<html><body><h1>404 Not Found</h1></body></html>", status=404))
            return
        if resource.slow:
            time.sleep(self.server.slow_delay)
        elif self.server.delay:
            time.sleep(self.server.delay)
        if resource.status == 200 and self.headers.get("If-None-Match") == resource.etag:
            self._send(Resource(b"", status=304, etag=resource.etag), head_only=True)
            return
        self._send(resource)

    def _send(self, resource: Resource, head_only: bool = False) -> None:
        try:
            self._write(resource, head_only)
        except (BrokenPipeError, ConnectionResetError):
            # The crawler gave up on a slow page and closed the connection: expected here.
            logger.debug("client went away during %s", self.path)

    def _write(self, resource: Resource, head_only: bool) -> None:
        self.send_response(resource.status)
        if resource.location:
            self.send_header("Location", resource.location)
        if resource.status in (200, 304):
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
        if not head_only:
            self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sample server: " + format, *args)


class _SampleHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default listen backlog of 5 drops connections when a crawler opens many at once.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """A crawler that gives up or is killed resets its connections: not worth a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError):
            logger.debug("connection from %s ended early: %s", client_address, exc)
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    site: dict[str, Resource]
    slow_delay: float
    delay: float
    hits: list[str]
    hit_times: list[float]


def mirror_prefixes(copies: int) -> list[str]:
    """The path prefixes of the copies of the site beyond the first: ``/m2`` ... ``/m<copies>``."""
    return [f"/m{k}" for k in range(2, copies + 1)]


class SampleServer:
    """``with SampleServer() as server: server.base`` -> ``http://127.0.0.1:<port>``."""

    def __init__(
        self,
        slow_delay: float = 4.0,
        port: int = 0,
        delay: float = 0.0,
        base_host: str | None = None,
        copies: int = 1,
    ) -> None:
        """``slow_delay``: seconds the one slow page waits; ``delay``: every other response.

        ``base_host``: the host name in ``base`` and in every link the pages carry (default
        127.0.0.1). Another name for loopback (``localhost``) makes a second server a second
        host to a crawler, as two outlets' sites are: politeness is per host name. The server
        still listens on 127.0.0.1 only.

        ``copies``: how many copies of the sample site the server holds (default 1: the site
        as it is). Copy ``k`` > 1 is the whole site rendered with the base ``<base>/m<k>``
        and served under the path prefix ``/m<k>`` (the one robots.txt stays at the root): to
        a crawler given a registry entry per copy (``mirror_bases``), the same hosts with
        ``copies`` times the feeds, listings, sitemaps and articles, every page reached the way
        a real crawl reaches it. A benchmark uses it so that a crawl lasts long enough for
        process start-up to be a small share, as on the live outlets; the copies' texts are
        the originals' (so a store clusters them as syndicated copies).
        """
        if copies < 1:
            raise ValueError(f"copies: {copies} (at least 1)")
        self.copies = copies
        self.httpd = _SampleHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.slow_delay = slow_delay
        self.httpd.delay = delay
        self.httpd.hits = []
        self.httpd.hit_times = []  # when each hit arrived: request spacing is politeness
        host, port = self.httpd.server_address[:2]
        self.base = f"http://{base_host or host}:{port}"
        self.httpd.site = build_site(self.base)
        for prefix in mirror_prefixes(copies):
            for path, resource in build_site(self.base + prefix).items():
                if path != "/robots.txt":  # robots.txt is the host's, at its root only
                    self.httpd.site[prefix + path] = resource
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def mirror_bases(self) -> list[str]:
        """The base of each copy of the site (``copies``), the original's first."""
        return [self.base + prefix for prefix in ("", *mirror_prefixes(self.copies))]

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits

    @property
    def hit_times(self) -> list[float]:
        """``time.monotonic()`` of each of ``hits``, in the same order."""
        return self.httpd.hit_times

    def start(self) -> SampleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
