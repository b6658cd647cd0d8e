"""Saved pages in, readings out: the input side of ``tmwatch extract``.

The reading itself is ``process.read_page``, the crawl's own code, so a researcher's saved page
gives what the crawl would have derived from the same bytes. This module only turns one JSON Lines
input record into its arguments, refusing what the crawl would never have read (non-HTML, pages
over the crawl's size limit), and the reading into one output record. A bad line is a result
(``{"url", "error"}``), never an exception, so one bad page does not stop a batch.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import logging
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from tmwatch.config.settings import DOWNLOAD_MAXSIZE
from tmwatch.pipeline.extract import ExtractionError
from tmwatch.pipeline.process import PageReading, read_page
from tmwatch.pipeline.workers import Failed, WorkerPool

logger = logging.getLogger(__name__)

# What the crawl accepts as an article page (a missing Content-Type is read as HTML too).
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PAGE_BYTES = DOWNLOAD_MAXSIZE
# A JSON string may spell every byte of a page as a six-character escape; longer lines are
# refused without being held in memory.
MAX_LINE_BYTES = 6 * MAX_PAGE_BYTES + 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_SCHEMES = ("http", "https")


class InputError(ValueError):
    """An input record the command cannot read; the message says why."""


def error_record(url: str | None, message: str) -> dict[str, Any]:
    return {"url": url, "error": message}


def page_record(url: str, page: PageReading) -> dict[str, Any]:
    """The output record for a page that was read."""
    return {
        "url": url,
        "title": page.title,
        "text": page.text,
        "published": page.published,
        "date_source": page.date_source,
        "language": page.language,
        "canonical_url": page.canonical_url,
        "authors": list(page.authors),
    }


def load_page(path: str, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a saved page, gunzipped when the file starts with gzip's magic bytes.

    At most ``limit`` bytes are accepted, compressed or not (the crawl's download limit), and no
    more than ``limit + 1`` are ever read or inflated, so a large file or a gzip bomb costs little.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise InputError(f"{path} is larger than the page size limit ({limit} bytes)")
    if raw.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as inflated:
                raw = inflated.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot decompress {path}: {exc}") from None
        if len(raw) > limit:
            raise InputError(f"{path} inflates beyond the page size limit ({limit} bytes)")
    return raw


def _usable_url(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        return None
    return value.strip()


def is_html(content_type: str) -> bool:
    """An HTML media type, or none given (the crawl and ``extract`` refuse anything else)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return not media or media.startswith(HTML_TYPES)


def _outlet_names(record: dict[str, Any]) -> tuple[str, ...]:
    """The optional ``outlet``: the outlet's name (or names) as a footnote cites it, which the
    crawl knows from the registry; it takes the site's name off the title."""
    outlet = record.get("outlet")
    if outlet is None:
        return ()
    names = [outlet] if isinstance(outlet, str) else outlet
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError('"outlet" must be a string or a list of strings')
    return tuple(n.strip() for n in names if n.strip())


def _page_arguments(record: dict[str, Any]) -> tuple[bytes, str | None, str | None]:
    """Body, content type and fetch time for ``read_page``; InputError for a bad record."""
    has_path, has_html = record.get("path") is not None, record.get("html") is not None
    if has_path == has_html:
        raise InputError('give exactly one of "path" (a file) and "html" (a string)')
    content_type = record.get("content_type")
    if content_type is not None:
        if not isinstance(content_type, str):
            raise InputError('"content_type" must be a string')
        if not is_html(content_type):
            raise InputError(f"not HTML ({content_type})")
    fetched_at = record.get("fetched_at")
    if fetched_at is not None:
        try:
            # Normalised, because the date stages read the day from the first ten characters.
            fetched_at = datetime.fromisoformat(fetched_at).isoformat()
        except (TypeError, ValueError):
            raise InputError('"fetched_at" must be an ISO 8601 date or datetime') from None
    if has_html:
        html = record["html"]
        if not isinstance(html, str):
            raise InputError('"html" must be a string')
        body = html.encode("utf-8", "replace")
        if len(body) > MAX_PAGE_BYTES:
            raise InputError(f"html is larger than the page size limit ({MAX_PAGE_BYTES} bytes)")
        # The string is already text: whatever charset a header or <meta> names, it is UTF-8 now.
        media = (content_type or "text/html").split(";", 1)[0].strip() or "text/html"
        return body, f"{media}; charset=utf-8", fetched_at
    path = record["path"]
    if not isinstance(path, str) or not path:
        raise InputError('"path" must be a file name')
    return load_page(path), content_type, fetched_at


def read_input_record(record: Any) -> dict[str, Any]:
    """One output record for one decoded input record (see ``docs/extract.md``)."""
    if not isinstance(record, dict):
        return error_record(None, "expected a JSON object")
    url = _usable_url(record.get("url"))
    if url is None:
        return error_record(None, 'no usable "url" (an absolute http or https URL)')
    try:
        body, content_type, fetched_at = _page_arguments(record)
        page = read_page(
            body,
            url,
            content_type=content_type,
            fetched_at=fetched_at,
            site_names=_outlet_names(record),
        )
    except (InputError, ExtractionError) as exc:
        return error_record(url, str(exc))
    except Exception as exc:
        # A bug or a library failure on one odd page must not lose the rest of a batch.
        logger.exception("unexpected failure reading %s", url)
        return error_record(url, f"internal error: {type(exc).__name__}: {exc}")
    return page_record(url, page)


def read_input_line(line: bytes | str) -> dict[str, Any]:
    """One output record for one JSON Lines input line."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return error_record(None, f"not UTF-8 (byte {exc.start + 1})")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return error_record(None, f"not JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return error_record(None, f"not readable JSON ({exc})")
    return read_input_record(record)


def read_input_lines(stream: BinaryIO, jobs: int = 1) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, output record)`` for every non-blank line of ``stream``, in order.

    With ``jobs`` > 1 the lines are read in that many worker processes (a line whose worker dies
    gives an error record); lines are still answered in input order and only a few are held in
    memory at a time.
    """
    if jobs <= 1:
        for number, line in input_lines(stream):
            yield number, line if isinstance(line, dict) else read_input_line(line)
        return
    with WorkerPool(jobs, preload=PRELOAD) as pool:
        for (number, _line), result in pool.map_ordered(_read_numbered, input_lines(stream)):
            if isinstance(result, Failed):
                result = error_record(None, result.message)
            yield number, result


PRELOAD = ("tmwatch.pipeline.preload",)
"""Imported once in the fork server, so each worker starts with the stages loaded and the
configuration-free tables built (``tmwatch.pipeline.preload``)."""


def _read_numbered(numbered: tuple[int, bytes | dict[str, Any]]) -> dict[str, Any]:
    """The worker's task: one input line (or the error record it already is) to its output."""
    line = numbered[1]
    return line if isinstance(line, dict) else read_input_line(line)


def input_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | dict[str, Any]]]:
    """``(line number, line)`` for every non-blank line, or an error record in place of a line
    too long to read (it is skipped without being held in memory)."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            rest = line
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(64 * 1024)
            yield number, error_record(None, f"line longer than {MAX_LINE_BYTES} bytes")
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if line.strip():
            yield number, line
