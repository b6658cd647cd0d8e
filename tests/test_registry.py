"""The sources registry: the real one is complete; broken ones say exactly what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SAMPLE_REGISTRY, invoke
from tmwatch.config.registry import DEFAULT_REGISTRY, RegistryError, load_registry, parse_registry

REGISTRY = load_registry()

GOOD = """
[sources.demo]
name = "Demo"
outlet = "Demo Outlet"
homepage = "https://example.org/"
languages = ["ru"]
feeds = ["https://example.org/feed/"]
article_url = ['^https://example\\.org/a/(?P<id>\\d+)\\.html$']
examples = ["https://example.org/a/12.html"]
"""


@pytest.mark.parametrize("key", sorted(REGISTRY.sources))
def test_every_source_is_complete(key: str) -> None:
    source = REGISTRY.sources[key]
    assert source.outlet and source.languages and source.article_url
    assert source.feeds or source.sitemaps or source.listings
    # Discovery URLs are never themselves articles.
    for url in (source.homepage, *source.feeds, *source.sitemaps):
        assert not source.is_article(url), url


def test_required_outlets_are_registered() -> None:
    keys = set(REGISTRY.sources)
    assert {
        "azathabar-tk",
        "azathabar-ru",
        "ng",
        "turkmen-news-ru",
        "turkmen-news-en",
        "hronikatm-ru",
    } <= keys
    turkish = [s for s in REGISTRY.sources.values() if "tr" in s.languages]
    assert len(turkish) >= 2
    assert REGISTRY.sources["azathabar-tk"].outlet == (
        "Radio Azatlyk – Turkmen Service of Radio Liberty"
    )
    assert any(s.assumed for s in REGISTRY.sources.values())


def test_outlet_ids_make_twins_one_article() -> None:
    tk = REGISTRY.sources["azathabar-tk"]
    assert tk.article_key("https://www.azathabar.com/a/some-slug/31508531.html") == (
        tk.article_key("https://www.azathabar.com/amp/31508531.html")
    )
    ru = REGISTRY.sources["azathabar-ru"]
    assert ru.article_key("https://rus.azathabar.com/a/31508531.html") == ru.article_key(
        "https://www.azattyqasia.org/a/slug/31508531.html"
    )


def test_sample_registry_needs_a_base() -> None:
    with pytest.raises(RegistryError, match="contains \\{base\\}"):
        load_registry(SAMPLE_REGISTRY)
    registry = load_registry(SAMPLE_REGISTRY, base="http://127.0.0.1:8080")
    assert len({s.outlet for s in registry.sources.values()}) >= 6


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('languages = ["ru"]', 'languages = ["xx"]'), "source 'demo', field 'languages'"),
        (("article_url = ['^", "article_url = ['(^"), "field 'article_url[0]': invalid regular"),
        (('feeds = ["https://example.org/feed/"]', 'feeds = ["ftp://x"]'), "field 'feeds[0]'"),
        (('outlet = "Demo Outlet"', ""), "field 'outlet': required text is missing"),
        (('name = "Demo"', 'name = "Demo"\nfeeds_url = "x"'), "field 'feeds_url': unknown field"),
        (('12.html"]', 'x.html"]'), "field 'examples[0]'"),
        (('feeds = ["https://example.org/feed/"]', ""), "needs at least one of feeds"),
        (("[sources.demo]", "[sources.Demo_X]"), "field '<key>'"),
    ],
)
def test_problems_name_source_and_field(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(RegistryError) as info:
        parse_registry(GOOD.replace(*change))
    assert expected in str(info.value)


def test_all_problems_are_reported_at_once() -> None:
    text = GOOD.replace('languages = ["ru"]', 'languages = ["xx"]').replace(
        'outlet = "Demo Outlet"', ""
    )
    with pytest.raises(RegistryError) as info:
        parse_registry(text)
    assert len(info.value.problems) == 2


def test_invalid_toml_is_one_clear_error() -> None:
    with pytest.raises(RegistryError, match="invalid TOML"):
        parse_registry("[sources.x\nname=")


def test_cli_lists_and_checks(tmp_path: Path) -> None:
    listed = invoke("sources")
    assert listed.returncode == 0
    assert "azathabar-tk" in listed.stdout and "Nezavisimaya Gazeta" in listed.stdout
    checked = invoke("sources", "--check")
    assert checked.returncode == 0 and "no problems" in checked.stdout
    bad = tmp_path / "sources.toml"
    bad.write_text(GOOD.replace('languages = ["ru"]', 'languages = ["xx"]'), encoding="utf-8")
    failed = invoke("sources", "--check", "--registry", str(bad))
    assert failed.returncode == 2
    assert "source 'demo', field 'languages'" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_default_registry_path_is_inside_config() -> None:
    assert DEFAULT_REGISTRY.parent.name == "config"
