"""The web interface's frame: headers on every response, the sign-in gate, CSRF, languages,
errors that never show internals, and a store the interface cannot write through."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.web_support import client
from tmwatch.store import DataHome, Store
from tmwatch.web.i18n import Catalogs
from tmwatch.web.passwords import check_password, hash_password, read_password_hash
from tmwatch.web.security import CSP

PASSWORD = "correct horse battery"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    Store(DataHome(tmp_path / "home")).close()
    return tmp_path / "home"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def test_every_response_carries_the_security_headers(home: Path) -> None:
    web = client(home)
    for path in ("/", "/login", "/no-such-page", "/static/style.css"):
        response = web.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "server" not in response.headers
    assert web.get("/").headers["cache-control"] == "no-store"
    assert "'unsafe-inline'" not in CSP and "http" not in CSP


def test_unknown_pages_and_methods_are_4xx_pages(home: Path) -> None:
    web = client(home)
    missing = web.get("/nowhere")
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text
    assert web.post("/").status_code == 405


def test_pages_load_nothing_from_other_origins(home: Path) -> None:
    html = client(home).get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_without_a_password_the_interface_is_open_on_loopback(home: Path) -> None:
    assert client(home).get("/").status_code == 200


def test_with_a_password_every_page_asks_for_it(home: Path) -> None:
    web = client(home, password=PASSWORD)
    page = web.get("/?x=1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/%3Fx%3D1"
    assert web.get("/api/search").status_code == 401
    assert web.get("/static/style.css").status_code == 200
    login = web.get("/login")
    token = csrf_of(login.text)
    wrong = web.post("/login", data={"password": "nope", "csrf": token, "next": "/"})
    assert wrong.status_code == 401 and "Wrong password" in wrong.text
    right = web.post(
        "/login",
        data={"password": PASSWORD, "csrf": token, "next": "/?x=1"},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/?x=1"
    cookie = right.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback
    assert web.get("/").status_code == 200


def test_over_tls_the_session_cookie_is_secure(home: Path) -> None:
    web = client(home, password=PASSWORD, https=True)
    token = csrf_of(web.get("/login").text)
    right = web.post("/login", data={"password": PASSWORD, "csrf": token}, follow_redirects=False)
    assert "secure" in right.headers["set-cookie"].lower()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_never_redirects_to_another_site(home: Path, target: str) -> None:
    web = client(home, password=PASSWORD)
    token = csrf_of(web.get("/login").text)
    right = web.post(
        "/login",
        data={"password": PASSWORD, "csrf": token, "next": target},
        follow_redirects=False,
    )
    assert right.headers["location"] == "/"


def test_sign_in_and_out_need_the_form_token(home: Path) -> None:
    web = client(home, password=PASSWORD)
    web.get("/login")
    stale = web.post("/login", data={"password": PASSWORD, "csrf": "forged"})
    assert stale.status_code == 400
    token = csrf_of(web.get("/login").text)
    web.post("/login", data={"password": PASSWORD, "csrf": token})
    page = web.get("/")
    assert web.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert web.get("/").status_code == 200
    web.post("/logout", data={"csrf": csrf_of(page.text)})
    assert web.get("/", follow_redirects=False).status_code == 303


def test_a_request_from_another_origin_is_refused(home: Path) -> None:
    web = client(home, password=PASSWORD)
    token = csrf_of(web.get("/login").text)
    forged = web.post(
        "/login",
        data={"password": PASSWORD, "csrf": token},
        headers={"origin": "https://evil.example"},
    )
    assert forged.status_code == 400


def test_the_language_follows_the_browser_and_the_switch(home: Path) -> None:
    web = client(home)
    assert '<html lang="en">' in web.get("/").text
    russian = web.get("/", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in russian.text and "Поиск" in russian.text
    switched = web.get("/?lang=en", headers={"accept-language": "ru"})
    assert '<html lang="en">' in switched.text and "lang=en" in switched.headers["set-cookie"]
    assert '<html lang="en">' in web.get("/", headers={"accept-language": "ru"}).text
    assert '<html lang="en">' in web.get("/?lang=xx").text  # an unknown code is ignored


def test_a_translator_adds_a_language_without_code(tmp_path: Path) -> None:
    po = tmp_path / "tk" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: tk\\n"\n\nmsgid "Search"\nmsgstr "Gözleg"\n')
    catalogs = Catalogs(tmp_path)
    assert catalogs.languages == ["en", "tk"]
    assert catalogs.choose(None, None, "tk,en;q=0.5") == "tk"
    assert catalogs.translations["tk"].gettext("Search") == "Gözleg"


def test_every_russian_message_is_translated() -> None:
    """The shipped Russian catalog has no empty or fuzzy entry."""
    from babel.messages.pofile import read_po

    path = Path(__file__).parent.parent / "web" / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_the_interface_reads_through_a_connection_sqlite_will_not_write(home: Path) -> None:
    store = Store(DataHome(home), readonly=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.db.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
    store.close()


def test_passwords_are_stored_as_scrypt_hashes(tmp_path: Path) -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert check_password(PASSWORD, stored) and not check_password("other", stored)
    assert not check_password(PASSWORD, "garbage")
    assert read_password_hash(tmp_path) is None


def test_the_russian_catalog_covers_every_message_of_the_interface() -> None:
    """A message added to a page or template without a translation fails here; run
    `python -m tmwatch.web.catalogs update ru` and translate what it adds."""
    from babel.messages.pofile import read_po

    from tmwatch.web.catalogs import extract

    path = Path(__file__).parent.parent / "web" / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        russian = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    assert sorted(wanted - russian) == []


def test_lang_in_the_api_is_a_filter_not_the_interface_language(home: Path) -> None:
    response = client(home).get("/api/search?lang=ru")
    assert "lang=ru" not in response.headers.get("set-cookie", "")
    assert response.headers["content-type"].startswith("application/json")
