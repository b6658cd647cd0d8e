"""Home: the daily digest since the ``daily`` mark, status changes first (the mark is not moved:
reading a page is not writing a digest)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tmwatch.output.digest import Selection, build_digest
from tmwatch.store.marks import DEFAULT_MARK
from tmwatch.web.common import reader, render


def home(request: Request) -> Response:
    digest = build_digest(reader(request), Selection(), mark_name=DEFAULT_MARK)
    flagged = {
        key: health
        for key, health in digest["sources"].items()
        if health.get("flags") or health.get("state") == "failed"
    }
    return render(request, "home.html", {"digest": digest, "flagged": flagged})


routes = [Route("/", home)]
