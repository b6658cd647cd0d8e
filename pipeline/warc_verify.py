"""Checking the WARC evidence behind every capture row: is each record still what was stored?

A capture is the archive's proof that an outlet published a page; its row names a WARC file, an
offset, a length, a record id and the sha256 of the page. ``verify_captures`` reads each record
back and reports, per capture, everything that no longer holds: a missing or truncated file, an
offset where no record starts, a record of another length or id, a block or payload digest that
the bytes contradict, a page whose sha256 differs from the stored one.

Each record is read from its stored offset alone (not by walking the file), so one damaged record
never hides the others, and a stored offset or length that is off is itself found. Captures are
read a page at a time and files stay open across consecutive records, so a store of a million
captures is checked in the memory of one page and one record.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tmwatch.store import Store

_GZIP_MAGIC = b"\x1f\x8b"
_HEADER_END = b"\r\n\r\n"
_OPEN_FILES = 8  # crawlers sharing a store interleave a few files in id order
_MAX_OVERRUN = 64 << 20  # how far past a stored length to look for the record's real end


@dataclass(frozen=True)
class CaptureCheck:
    """What reading one capture's WARC record back found (no problems: it is intact)."""

    capture_id: int
    source: str
    warc_file: str
    warc_offset: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        where = f"capture {self.capture_id} ({self.warc_file} @ {self.warc_offset})"
        return [f"{where}: {problem}" for problem in self.problems]


class _Files:
    """The few WARC files being read, kept open: consecutive captures share a file, and
    reopening it per record would cost a million opens on a large store."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.handles: OrderedDict[str, BinaryIO] = OrderedDict()
        self.missing: dict[str, str] = {}
        self.seen: set[str] = set()

    def open(self, name: str) -> BinaryIO | str:
        """The open file, or why it cannot be read."""
        self.seen.add(name)
        if name in self.missing:
            return self.missing[name]
        handle = self.handles.get(name)
        if handle is not None:
            self.handles.move_to_end(name)
            return handle
        try:
            handle = open(self.directory / Path(name).name, "rb")  # kept open: see the class
        except FileNotFoundError:
            self.missing[name] = "WARC file missing"
            return self.missing[name]
        except OSError as exc:
            self.missing[name] = f"WARC file unreadable ({exc.strerror or exc})"
            return self.missing[name]
        self.handles[name] = handle
        if len(self.handles) > _OPEN_FILES:
            self.handles.popitem(last=False)[1].close()
        return handle

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()


def verify_captures(
    store: Store,
    warc_dir: Path,
    *,
    sources: tuple[str, ...] = (),
    since: str | None = None,
    files_seen: set[str] | None = None,
) -> Iterator[CaptureCheck]:
    """One ``CaptureCheck`` per capture (of ``sources``, fetched since ``since``), in id order.

    ``files_seen`` collects the names of the WARC files the captures point at, for a summary.
    """
    files = _Files(warc_dir)
    try:
        for row in store.archive.capture_locations(sources=sources, since=since):
            opened = files.open(row["warc_file"])
            if isinstance(opened, str):
                problems = [opened]
            else:
                problems = check_record(
                    opened,
                    int(row["warc_offset"]),
                    int(row["warc_length"]),
                    record_id=row["warc_record_id"],
                    sha256=row["html_sha256"],
                    gzipped=row["warc_file"].endswith(".gz"),
                )
            yield CaptureCheck(
                int(row["id"]),
                row["source"],
                row["warc_file"],
                int(row["warc_offset"]),
                tuple(problems),
            )
    finally:
        files.close()
        if files_seen is not None:
            files_seen.update(files.seen)


def check_record(
    handle: BinaryIO,
    offset: int,
    length: int,
    *,
    record_id: str,
    sha256: str,
    gzipped: bool = True,
) -> list[str]:
    """Everything wrong with the record stored at ``offset`` (``length`` bytes) in ``handle``."""
    handle.seek(offset)
    data = handle.read(length)
    if not data:
        return ["the file ends before the record's offset (truncated file or wrong offset)"]
    if len(data) < length:
        return [f"record cut short: the file ends {len(data)} of {length} bytes into it"]
    if gzipped:
        raw, problem = _gunzip_member(data, handle, length)
        if problem:
            return [problem]
    else:
        raw = data
    return _check_warc(raw, length, gzipped, record_id=record_id, sha256=sha256)


def _gunzip_member(data: bytes, handle: BinaryIO, length: int) -> tuple[bytes, str]:
    """The record inside the gzip member that must fill ``data`` exactly (each record is one
    member). A member that ends early, or goes on past ``data`` in the file, tells a wrong
    stored length (the record's real length is then given) from damaged bytes."""
    if not data.startswith(_GZIP_MAGIC):
        return b"", "no record starts at this offset"
    inflater = zlib.decompressobj(wbits=31)
    try:
        raw = inflater.decompress(data)
        extra = 0
        while not inflater.eof and extra < _MAX_OVERRUN:
            chunk = handle.read(65536)
            if not chunk:
                break
            extra += len(chunk)
            inflater.decompress(chunk)
    except zlib.error as exc:
        return b"", f"record damaged (gzip: {exc})"
    if not inflater.eof:
        return b"", "record damaged (its gzip member does not end)"
    real = length + extra - len(inflater.unused_data)
    if real != length and (extra or inflater.unused_data.startswith(_GZIP_MAGIC)):
        return b"", f"record length differs: {real} bytes, {length} stored"
    if real != length:
        return b"", "record damaged (its gzip member ends early)"
    return raw, ""


def _check_warc(
    raw: bytes, length: int, gzipped: bool, *, record_id: str, sha256: str
) -> list[str]:
    end = raw.find(_HEADER_END)
    if not raw.startswith(b"WARC/") or end < 0:
        return ["no WARC record at this offset"]
    headers = _headers(raw[:end])
    try:
        declared = int(headers.get("content-length", ""))
    except ValueError:
        return ["WARC record without a valid Content-Length"]
    block = raw[end + len(_HEADER_END) : end + len(_HEADER_END) + declared]
    if len(block) < declared:
        return [f"record block cut short ({len(block)} of {declared} bytes)"]
    problems = []
    real = end + len(_HEADER_END) + declared + len(_HEADER_END)
    if not gzipped and real != length:
        problems.append(f"record length differs: {real} bytes, {length} stored")
    kind = headers.get("warc-type", "")
    if kind != "response":
        problems.append(f"a {kind or 'untyped'} record, not a response")
    found_id = headers.get("warc-record-id", "")
    if found_id != record_id:
        problems.append(f"record id differs (the file has {found_id or 'none'})")
    if not _digest_matches(headers.get("warc-block-digest"), block):
        problems.append("block digest does not match the record's bytes")
    head_end = block.find(_HEADER_END)
    if kind == "response" and head_end < 0:
        problems.append("no HTTP headers in the response record")
        return problems
    payload = block[head_end + len(_HEADER_END) :] if head_end >= 0 else block
    if not _digest_matches(headers.get("warc-payload-digest"), payload):
        problems.append("payload digest does not match the page")
    if hashlib.sha256(payload).hexdigest() != sha256.lower():
        problems.append("page sha256 differs from the stored html_sha256")
    return problems


def _headers(head: bytes) -> dict[str, str]:
    found = {}
    for line in head.decode("utf-8", "replace").split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            found[name.strip().lower()] = value.strip()
    return found


def _digest_matches(declared: str | None, data: bytes) -> bool:
    """A ``WARC-*-Digest`` (``algorithm:value``, base32 or hex) against ``data``; an absent
    digest, or one in an algorithm hashlib lacks, has nothing to contradict."""
    if not declared:
        return True
    algorithm, _, value = declared.partition(":")
    name = algorithm.strip().lower().replace("-", "")
    if name not in hashlib.algorithms_available:
        return True
    digest = hashlib.new(name, data).digest()
    value = value.strip()
    return value.upper() in (base64.b32encode(digest).decode(), digest.hex().upper()) or (
        value == base64.b64encode(digest).decode()
    )


def summary(checked: int, files: int, problems: int) -> str:
    return f"{checked} captures checked, {files} files, {problems} problems"


__all__ = ["CaptureCheck", "check_record", "summary", "verify_captures"]
