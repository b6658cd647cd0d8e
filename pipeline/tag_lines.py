"""``tmwatch tag``: the tagger and the event stage over JSON Lines, one result per input line.

Kept apart from ``tagging`` because it also runs the event stage, which builds on the tagger.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from tmwatch.pipeline.events import extract_events, extractor_for
from tmwatch.pipeline.language import detect_language, supported_languages
from tmwatch.pipeline.tagging import Tagger
from tmwatch.record import Evidence

DEFAULT_MAX_CHARS = 5_000_000
"""Longest ``tmwatch tag`` input line, in characters: far above any article, far below memory."""
DEFAULT_MAX_EVIDENCE = 5
"""Evidence items per label in ``tmwatch tag`` output: enough to verify a tag, not a flood."""

_CHUNK = 1 << 16  # bytes read at a time: an over-long line is skipped without being held
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d{1,300}(?![\d.eE]))')
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def cap_evidence(evidence: Iterable[Evidence], limit: int) -> tuple[list[Evidence], dict[str, int]]:
    """At most ``limit`` evidence items per label (tag, person or place), in order, and how many
    were left out per label: a text naming a person 300 times should not bury the result."""
    kept: list[Evidence] = []
    seen: dict[str, int] = {}
    omitted: dict[str, int] = {}
    for item in evidence:
        seen[item.label] = seen.get(item.label, 0) + 1
        if seen[item.label] <= limit:
            kept.append(item)
        else:
            omitted[item.label] = omitted.get(item.label, 0) + 1
    return kept, omitted


def _raw_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) per line of a binary stream, read in bounded chunks.

    A line longer than ``max_bytes`` is read to its end but only its first chunk is kept (to
    report its id), so a 4 GB line costs one chunk of memory. ``readline`` returns as soon as a
    line ends, so a producer that waits for each result is answered at once.
    """
    number = 0
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk:
            return
        number += 1
        parts, size, too_long = [chunk], len(chunk), False
        while not chunk.endswith(b"\n"):
            chunk = stream.readline(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if too_long:
                continue
            if size > max_bytes:
                too_long, parts = True, parts[:1]
            else:
                parts.append(chunk)
        yield number, b"".join(parts), too_long


def _valid_id(value: Any) -> bool:
    """An id this command can echo: a string (valid Unicode) or an integer, not a boolean."""
    if isinstance(value, str):
        return not _SURROGATE.search(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _leading_id(text: str) -> Any:
    """The id of a line that could not be parsed, when it is the object's first member."""
    match = _LEADING_ID.match(text[:4096])
    if match is None:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    return value if _valid_id(value) else None


def _error(message: str, record_id: Any = None) -> dict[str, Any]:
    return {"error": message} if record_id is None else {"id": record_id, "error": message}


def _tag_input_problem(record: Any) -> str | None:
    """What makes a parsed line unusable, or None: checked before tagging so that every
    string the result echoes (id, evidence sentences) is valid Unicode and writable."""
    if not isinstance(record, dict):
        return "expected a JSON object"
    record_id = record.get("id")
    if not isinstance(record_id, str | int) or isinstance(record_id, bool):
        return 'missing "id" (a string or number)'
    if not isinstance(record.get("text"), str):
        return 'missing "text" (a string)'
    for name in ("title", "url", "language", "published"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return f'"{name}" must be a string'
    for name in ("id", "text", "title", "url"):
        value = record.get(name)
        bad = _SURROGATE.search(value) if isinstance(value, str) else None
        if bad:
            return f'"{name}" contains a lone surrogate (U+{ord(bad.group()):04X}), not Unicode'
    published = record.get("published")
    if published and not _ISO_DAY.match(published):
        return f'"published" {published[:40]!r} is not an ISO date or date-time'
    language = record.get("language")
    if language and language not in supported_languages():
        shown = language if len(language) <= 20 else language[:20] + "…"
        return (
            f'unknown "language" {shown!r} (one of {", ".join(sorted(supported_languages()))}; '
            "omit it to detect)"
        )
    return None


def _parse_line(raw: bytes, number: int, max_chars: int) -> dict[str, Any]:
    """A usable input record, or an ``{"id"?, "error"}`` result for the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The id, when the bad bytes are elsewhere: invalid bytes become lone surrogates here.
        lenient = raw.decode("utf-8", "surrogateescape")
        try:
            record = json.loads(lenient)
            record_id = record.get("id") if isinstance(record, dict) else None
        except (ValueError, RecursionError):
            record_id = _leading_id(lenient)
        record_id = record_id if _valid_id(record_id) else None
        at = f"invalid byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}"
        return _error(f"not UTF-8 ({at})", record_id)
    if number == 1:
        text = text.removeprefix("\ufeff")  # a byte order mark some editors write
    text = text.rstrip("\r\n")
    if len(text) > max_chars:
        return _error(f"line longer than {max_chars} characters", _leading_id(text))
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(f"not JSON ({exc.msg} at column {exc.colno})", _leading_id(text))
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:80]
        return _error(f"not JSON ({reason})", _leading_id(text))
    problem = _tag_input_problem(record)
    if problem:
        record_id = record.get("id") if isinstance(record, dict) else None
        return _error(problem, record_id if _valid_id(record_id) else None)
    return {"record": record}


def tag_input_lines(
    tagger: Tagger,
    stream: BinaryIO,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``tmwatch tag``: (line number, result) for every non-blank line of a binary stream, in
    order, so a caller can keep "one result line per input line" whatever the input holds.

    A result is ``{"id", "language", "tags", "persons", "places", "evidence",
    "evidence_omitted", "events"}`` (at most ``max_evidence`` evidence items per label; the
    count of the rest per label), or ``{"id"?, "error"}`` for a line that is not valid UTF-8,
    not JSON, not a usable object, longer than ``max_chars`` characters or naming an unknown
    language (the id when it could be read). Lines are read as bytes and decoded one by one,
    so a bad byte spoils only its line. The language, when not given, is detected as the
    crawl detects it.
    ``events`` are what the text states happened to each watched person (``Event.as_dict()``);
    an optional ``"published"`` (ISO date or date-time) resolves "yesterday" and dates without
    a year, and is never taken as an event's date.
    """
    max_bytes = 4 * max_chars + 2  # UTF-8 needs at most 4 bytes a character; then "\r\n"
    for number, raw, too_long in _raw_lines(stream, max_bytes):
        if too_long:
            head = raw.decode("utf-8", "surrogateescape")
            yield number, _error(f"line longer than {max_chars} characters", _leading_id(head))
            continue
        if not raw.strip():
            continue
        parsed = _parse_line(raw, number, max_chars)
        if "error" in parsed:
            yield number, parsed
            continue
        record = parsed["record"]
        title = record.get("title") or ""
        try:
            language = record.get("language") or detect_language(record["text"], title).language
            result = tagger.tag(record["text"], title, language)
            events = extract_events(
                record["text"],
                title,
                language,
                record.get("published"),
                result,
                extractor_for(tagger.watchlist),
            )
        except Exception as exc:  # one bad line must not end the stream for every later line
            yield number, _error(f"tagging failed ({type(exc).__name__})", record["id"])
            continue
        evidence, omitted = cap_evidence(result.evidence, max_evidence)
        out = {"id": record["id"], **result.as_dict()}
        out["evidence"] = [e.as_dict() for e in evidence]
        out["evidence_omitted"] = omitted
        out["events"] = [e.as_dict() for e in events]
        yield number, out
