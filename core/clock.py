"""UTC timestamps, one definition: every stored time is ISO 8601 in UTC, to the second.

Seconds are enough for fetch and run times, and a fixed precision keeps stored timestamps
comparable as strings (the store orders and filters on them).
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_datetime() -> datetime:
    """Now, in UTC, without microseconds."""
    return datetime.now(UTC).replace(microsecond=0)


def utc_now() -> str:
    """Now as an ISO 8601 string with ``+00:00``."""
    return utc_datetime().isoformat()
