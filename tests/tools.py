"""Real programs the tests need (LibreOffice, ...): present, or a failure in CI, never a skip.

Outside CI a missing program skips the test with the command that installs it; with CI=true it
fails the run, because `.ci/run` installs every program the tests need.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, debian_package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is missing: apt-get install {debian_package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
