"""Synthetic sample outlets: the demo's and the tests' stand-in for the live outlets.

Every text here was written for tmwatch (no sentence is copied from a real article or from the
appeal); names, dates and places are the public facts the monitors track. The pages, feeds and
sitemaps mimic each real outlet's structure (docs/outlets.md) so the spiders and extractors
meet the same shapes they meet on the web.
"""

from pathlib import Path

SAMPLE_REGISTRY = Path(__file__).with_name("sources.toml")
"""The registry of the sample outlets; its URLs hold ``{base}``, the sample server's address."""
