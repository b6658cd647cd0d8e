"""Fixtures: the sample server, trafilatura's caches reset, no user configuration.

Helpers (running the CLI, building records) live in ``tests/helpers.py``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import NO_USER_CONFIG, run_cli
from tests.pg_cluster import (
    URL_VARIABLE,
    PostgresNotFound,
    ThrowawayCluster,
    find_bindir,
    scratch_database,
    unprivileged_user,
)
from tmwatch.samples.server import SampleServer


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process code never reads the developer's own configuration directory."""
    monkeypatch.setenv("TMWATCH_CONFIG", str(NO_USER_CONFIG))


@pytest.fixture(autouse=True)
def _reset_trafilatura_caches() -> Iterator[None]:
    """trafilatura keeps module-global caches; tests must not see each other's documents."""
    yield
    from trafilatura.meta import reset_caches

    # htmldate logs an ERROR for one cache it cannot clear; the others are cleared all the same.
    htmldate_log = logging.getLogger("htmldate.meta")
    level = htmldate_log.level
    htmldate_log.setLevel(logging.CRITICAL)
    try:
        reset_caches()
    finally:
        htmldate_log.setLevel(level)


@pytest.fixture(scope="session")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer(slow_delay=5.0) as server:
        yield server


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home filled by one real `tmwatch demo` (the sample outlets, crawled by Scrapy):
    the web interface's tests read it, never write it."""
    home = tmp_path_factory.mktemp("demo-archive")
    ran = run_cli("demo", "--home", str(home), "--slow-delay", "0.2", timeout=600)
    assert ran.returncode == 0, ran.stderr[-2000:]
    return home


@pytest.fixture(scope="session")
def postgres_bindir() -> Path:
    """The PostgreSQL server binaries' directory, for the tests that start a cluster.

    Missing PostgreSQL is a skip on a developer's machine but a failure in CI (``CI=true``):
    a real component the tests need must never quietly turn into skipped tests there.
    """
    try:
        bindir = find_bindir()
        unprivileged_user()  # as root, someone else must be there to run the server
    except PostgresNotFound as error:
        missing = str(error)
    else:
        return bindir
    # Outside the except block, so the report is the one line below, not a chained traceback.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but PostgreSQL is missing: {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a real PostgreSQL server's test database (``tmwatch_test``), as superuser.

    ``.ci/run`` starts one cluster for the whole run and exports ``TMWATCH_TEST_POSTGRES``;
    without it the session starts its own throwaway cluster (a couple of seconds), once.
    """
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    request.getfixturevalue("postgres_bindir")
    with ThrowawayCluster() as cluster:
        yield cluster.url


@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[str]:
    """The URL of a fresh, empty database of its own for one test, dropped afterwards.

    A database per test (rather than a schema, or truncating tables) keeps tests independent
    of each other and of the order they run in.
    """
    with scratch_database(postgres_url) as url:
        yield url


def _postgres_mode() -> None:
    """``TMWATCH_TEST_BACKEND=postgresql``: the whole suite on PostgreSQL (see
    ``tests/pg_mode/sitecustomize.py``), in this process and in every CLI subprocess."""
    if os.environ.get("TMWATCH_TEST_BACKEND") != "postgresql":
        return
    here = str(Path(__file__).parent / "pg_mode")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (here, os.environ.get("PYTHONPATH", "")) if p
    )
    import importlib.util

    spec = importlib.util.spec_from_file_location("tmwatch_pg_mode", f"{here}/sitecustomize.py")
    assert spec and spec.loader
    spec.loader.exec_module(importlib.util.module_from_spec(spec))


_postgres_mode()
