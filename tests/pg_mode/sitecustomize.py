"""Run the whole test suite against PostgreSQL: ``TMWATCH_TEST_BACKEND=postgresql pytest``.

Every data home a test opens without naming a store gets a PostgreSQL database of its own,
named after the home's path, so that two homes in one test stay two stores and a CLI
subprocess reaches the same database as the test that started it. ``tests/conftest.py`` puts
this directory on ``PYTHONPATH`` in that mode, so that Python imports this file at the start
of every process: the test process and each CLI subprocess. Without the variable it does nothing.

The tests that must always cover both engines are parametrized over them instead; this mode
is for finding what else differs. Expect failures that are not the store's: tests that read
the SQLite file directly, copy a data home directory (the database stays behind), check file
modes of the SQLite file, or match SQLite's wording. Its first run found two real defects,
since fixed and tested: `tmwatch subscriptions` looked for the SQLite file before reading any
store (tests/test_outbox_claims.py), and the web interface left PostgreSQL connections for the
garbage collector (tests/test_web_postgres.py).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _install() -> None:
    admin = os.environ.get("TMWATCH_TEST_POSTGRES")
    if os.environ.get("TMWATCH_TEST_BACKEND") != "postgresql" or not admin:
        return
    try:
        from tmwatch.store import home as home_module
    except ImportError:  # a process that is not tmwatch's (pip, the cluster's tools)
        return
    created: set[str] = set()
    original = home_module.DataHome.__init__

    def database_for(root: Any) -> str:
        import psycopg

        name = "h_" + hashlib.sha1(str(root).encode()).hexdigest()[:20]
        if name not in created:
            with psycopg.connect(admin, autocommit=True) as db:
                found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if found.fetchone() is None:
                    try:
                        db.execute(f'CREATE DATABASE "{name}"')
                    except psycopg.errors.DuplicateDatabase:
                        pass
            created.add(name)
        return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))

    derived: set[str] = set()

    def with_store(self: Any, root: Any = None, *, store: str | None = None, **more: Any) -> None:
        original(self, root, store=store, **more)
        # A store this mode gave another home (``demo_home`` passes the default home's on)
        # is replaced by this home's own, as the SQLite file would be.
        if self.store is None or self.store in derived:
            self.store = database_for(self.root.resolve())
            derived.add(self.store)

    home_module.DataHome.__init__ = with_store  # type: ignore[method-assign]


_install()
