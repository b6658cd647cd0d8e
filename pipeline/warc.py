"""Raw captures as WARC files (warcio): the evidence behind every stored article.

Each crawl appends to its own gzip WARC file; each record is flushed and fsynced before the store
row that points at it is committed, so a killed crawl leaves at worst one trailing record that no
row references. Records are found again by (file, offset), which is what ``reprocess`` uses.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tmwatch import __version__
from tmwatch.clock import utc_datetime
from tmwatch.record import Capture
from tmwatch.store.home import private_file

# Headers describing the transfer, not the payload: Scrapy has already decoded the body.
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class WarcError(RuntimeError):
    """A capture cannot be read back from its WARC file."""


def worker_tag(worker: str) -> str:
    """A worker's name as it appears in WARC file names."""
    return re.sub(r"[^A-Za-z0-9._]+", "_", worker)[:64]


def writer_of(name: str) -> str | None:
    """The worker tag in a WARC file name ``tmwatch-<worker>-<stamp>-<pid>.warc.gz``; None for
    a file named before workers were (``tmwatch-<stamp>-<pid>``)."""
    parts = name.removesuffix(".warc.gz").split("-")
    return parts[1] if len(parts) >= 4 else None


class WarcCaptureWriter:
    """Appends response records to one WARC file; open per crawl, close at the end."""

    def __init__(self, directory: Path, prefix: str = "tmwatch", worker: str = "") -> None:
        """One new file in ``directory``, named after the time, the ``worker`` (the crawler's
        host) and the process, so that crawlers writing into one shared directory never
        append to the same file."""
        stamp = utc_datetime().strftime("%Y%m%dT%H%M%S")
        host = worker_tag(worker)
        name = "-".join(p for p in (prefix, host, stamp, str(os.getpid())) if p)
        self.worker = worker
        self.path = directory / f"{name}.warc.gz"
        private_file(self.path)
        self._file = open(self.path, "ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        info = self._writer.create_warcinfo_record(
            self.path.name, {"software": f"tmwatch/{__version__}", "format": "WARC/1.1"}
        )
        self._writer.write_record(info)
        self._sync()

    def write(self, capture: Capture) -> None:
        """Write ``capture`` and fill in its ``warc_*`` fields."""
        headers = [(k, v) for k, v in capture.headers.items() if k.lower() not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(capture.body))))
        http_headers = StatusAndHeaders(f"{capture.status} OK", headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            capture.final_url,
            "response",
            payload=io.BytesIO(capture.body),
            length=len(capture.body),  # known length: warcio then needs no temporary file
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": capture.fetched_at.replace("+00:00", "Z")},
        )
        offset = self._file.tell()
        self._writer.write_record(record)
        self._sync()
        capture.warc_file = self.path.name
        capture.warc_offset = offset
        capture.warc_length = self._file.tell() - offset
        capture.warc_record_id = record.rec_headers.get_header("WARC-Record-ID")
        capture.worker = self.worker

    def _sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def read_capture_body(warc_dir: Path, warc_file: str, offset: int) -> bytes:
    """The HTTP payload of the record at ``offset`` in ``warc_file`` (raises WarcError)."""
    return read_capture(warc_dir, warc_file, offset)[1]


def read_capture(warc_dir: Path, warc_file: str, offset: int) -> tuple[dict[str, str], bytes]:
    """HTTP headers and payload of the record at ``offset`` in ``warc_file`` (raises WarcError)."""
    path = warc_dir / Path(warc_file).name
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            for record in ArchiveIterator(handle):
                headers = dict(record.http_headers.headers) if record.http_headers else {}
                return headers, bytes(record.content_stream().read())
    except OSError as exc:
        raise WarcError(f"{path}: {exc.strerror or exc}") from None
    except Exception as exc:  # warcio raises bare exceptions on damaged input
        raise WarcError(f"{path} at {offset}: unreadable record ({exc})") from None
    raise WarcError(f"{path} at {offset}: no record")


def repair_torn_tail(path: Path) -> int:
    """Cut a record left half-written by a killed crawl off the end of a WARC file.

    Complete records are kept; returns the number of bytes removed (0 for an intact file).
    Only the tail can be torn: records are appended and fsynced one at a time.
    """
    good_end = 0
    size = path.stat().st_size
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle, check_digests="raise")  # a short payload fails
        try:
            for record in iterator:
                record.content_stream().read()
                headers = record.rec_headers
                if not (
                    headers.get_header("WARC-Record-ID") and headers.get_header("Content-Length")
                ):
                    break  # a header cut short parses as a nameless record
                good_end = iterator.get_record_offset() + iterator.get_record_length()
        except Exception:  # noqa: S110 - warcio signals a torn record with assorted errors
            pass
    if good_end == size:
        return 0
    with open(path, "r+b") as handle:
        handle.truncate(good_end)
        handle.flush()
        os.fsync(handle.fileno())
    return size - good_end
