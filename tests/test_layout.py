"""The generic top-level names resolve to this repository, and every command documents itself."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

COMMANDS = ["sources", "crawl", "demo", "digest"]


@pytest.mark.parametrize(
    "name", ["tmwatch.config", "tmwatch.spiders", "tmwatch.pipeline", "tmwatch.output", "tmwatch"]
)
def test_top_level_package_is_ours(name: str) -> None:
    module = importlib.import_module(name)
    assert Path(module.__file__ or "").resolve().is_relative_to(ROOT), module.__file__


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command: str | None) -> None:
    args = [command, "--help"] if command else ["--help"]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout
    if command is None:
        for name in COMMANDS:
            assert name in proc.stdout


def test_pipeline_and_output_do_not_import_scrapy() -> None:
    """Stages and outputs must run without Scrapy (tag, reprocess, benchmark)."""
    code = (
        "import sys, tmwatch.pipeline.process, tmwatch.pipeline.warc, tmwatch.store,"
        " tmwatch.output.digest;"
        "print('scrapy' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
