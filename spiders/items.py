"""Items passed from the spider to the item pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from tmwatch.record import Capture


@dataclass
class CaptureItem:
    """A fetched article page on its way to the WARC file and the store."""

    capture: Capture
