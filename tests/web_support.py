"""Helpers for the web interface's tests: the app over a data home, in process."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tmwatch.config.user import ConfigFiles
from tmwatch.store import DataHome
from tmwatch.web.app import create_app
from tmwatch.web.common import WebConfig
from tmwatch.web.passwords import hash_password


def web_config(home: Path, password: str | None = None, https: bool = False) -> WebConfig:
    files = ConfigFiles(packaged_only=True)
    return WebConfig(
        home=DataHome(home),
        watchlist=files.load_watchlist(),
        topics=files.load_topics(),
        registry=files.load_registry(),
        password_hash=hash_password(password) if password else None,
        https=https,
    )


def client(home: Path, password: str | None = None, https: bool = False) -> TestClient:
    """A test client; ``base_url`` is https when ``https`` so Secure cookies are sent back."""
    base = "https://testserver" if https else "http://testserver"
    return TestClient(create_app(web_config(home, password, https)), base_url=base)
