"""The PostgreSQL side of the scale benchmark: copies made once and reused, and the crawler
benchmark's two-host registry."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import crawlers_bench, scale  # noqa: E402
from tmwatch.config.registry import parse_registry  # noqa: E402


def test_each_half_of_the_outlets_is_served_from_its_own_host() -> None:
    sources = crawlers_bench.sample_sources()
    first, second = crawlers_bench.halves(sources, {})
    assert sorted(first + second) == sorted(sources) and first and second
    bases = {s: "http://127.0.0.1:1001" for s in first} | {
        s: "http://localhost:1002" for s in second
    }
    text = crawlers_bench.registry_text(bases)
    assert "{base}" not in "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")
    )
    registry = parse_registry(text)
    for key, source in registry.sources.items():
        host, other = ("127.0.0.1:1001", "localhost:1002")[:: 1 if key in first else -1]
        assert host in source.homepage and other not in source.homepage, key
        for pattern in source.article_url:
            assert host in pattern.pattern and other not in pattern.pattern, key


def test_halves_balance_the_work() -> None:
    weights = {"a": 10, "b": 9, "c": 2, "d": 1}
    first, second = crawlers_bench.halves(list(weights), weights)
    loads = [sum(weights[s] + 1 for s in group) for group in (first, second)]
    assert abs(loads[0] - loads[1]) <= 2


def test_bench_databases_are_named_after_the_url_the_version_and_the_size() -> None:
    url = "postgresql://me:secret@db.example:5432/archive?sslmode=require"
    assert scale.bench_database_url(url, 300_000) == (
        f"postgresql://me:secret@db.example:5432/archive_bench_v{scale.BUILDER_VERSION}_n300000"
        "?sslmode=require"
    )


@pytest.mark.slow
def test_a_copy_is_made_once_and_made_again_when_unfinished(
    postgres_db: str, tmp_path: Path
) -> None:
    import psycopg

    from tmwatch.pipeline.tagging import Tagger

    scale.build(tmp_path / "cache", 1000, Tagger.from_files(), log=False)
    root = scale.cache_root(tmp_path / "cache", 1000)
    target = scale.bench_database_url(postgres_db, 1000)
    try:
        first = scale.postgres_copy(postgres_db, 1000, root, tmp_path / "h1")
        again = scale.postgres_copy(postgres_db, 1000, root, tmp_path / "h2")
        assert first["copied_now"] and not again["copied_now"]
        assert again["checksum"] == first["checksum"]
        with psycopg.connect(target, autocommit=True) as db:
            db.execute("DELETE FROM meta WHERE key = %s", (scale.COPY_META,))
        assert scale.postgres_copy(postgres_db, 1000, root, tmp_path / "h3")["copied_now"]
        with psycopg.connect(target) as db:
            assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1000
    finally:
        name = scale.database_name(target)
        scale.admin_execute(postgres_db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
