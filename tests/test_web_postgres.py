"""The web interface over a PostgreSQL store: pages read it, and its connections are closed.

A SQLite reader holds nothing on a server; a PostgreSQL reader is a server connection, one per
worker thread of the web server, so each must be closed when its thread ends rather than left
to the garbage collector (which psycopg reports, and a long-running server would pile up).
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from starlette.requests import Request
from starlette.testclient import TestClient

from tests.helpers import make_article
from tests.web_support import web_config
from tmwatch.store import DataHome, Store
from tmwatch.web.app import create_app
from tmwatch.web.common import reader


def _home(tmp_path: Path, url: str) -> DataHome:
    home = DataHome(tmp_path / "home", store=url)
    with Store(home) as store, store.transaction():
        store.archive.save_article(make_article("s:1", id="pgwebtesta", title="Taganova in Tuzla"))
    return home


def test_pages_read_a_postgresql_store(postgres_db: str, tmp_path: Path) -> None:
    config = web_config(tmp_path / "home")
    config.home = _home(tmp_path, postgres_db)
    with TestClient(create_app(config)) as client:
        page = client.get("/article/pgwebtesta")
        found = client.get("/search", params={"q": "Taganova"})
    assert page.status_code == 200 and "Taganova in Tuzla" in page.text
    assert found.status_code == 200, found.text[-500:]
    assert "pgwebtesta" in found.text


def test_a_reader_thread_closes_its_postgresql_connection(postgres_db: str, tmp_path: Path) -> None:
    config = web_config(tmp_path / "home")
    config.home = _home(tmp_path, postgres_db)
    app = create_app(config)
    request = Request({"type": "http", "app": app, "headers": []})
    opened: list[Store] = []
    worker = threading.Thread(target=lambda: opened.append(reader(request)))
    worker.start()
    worker.join()
    connection = opened[0].db.connection
    assert not connection.closed  # the thread's store, kept for its next request
    opened.clear()
    del worker
    gc.collect()
    assert connection.closed
