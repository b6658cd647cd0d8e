"""``python bench/run.py --scale``: the 1M-article benchmark, run at a tiny size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBERS = (
    "search_p95_ms_1m",
    "search_p50_ms_1m",
    "dedup_growth_1m",
    "digest_ms_1m",
    "digest_ms_1m_volume",
    "store_mb",
    "peak_rss_mb",
    "build_s",
)


@pytest.mark.slow
def test_scale_benchmark_ends_with_every_figure(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "bench/run.py", "--scale", "--size", "3000", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    figures = json.loads(ran.stdout.strip().splitlines()[-1])
    for key in NUMBERS:
        assert isinstance(figures[key], int | float) and figures[key] > 0, (key, figures[key])
    speedup = figures["reprocess_speedup_2_jobs"]
    assert speedup is None or (isinstance(speedup, float) and speedup > 0)
    spread = figures["dedup_growth_spread"]
    assert spread["min"] <= spread["median"] <= spread["max"]
    assert figures["store_size"] == 3000
    assert "cache: " in ran.stdout and "per-query p95" in ran.stdout
    # The stores stay cached: a second build call reuses them without building.
    assert (tmp_path / "store-v1-n3000" / "build.json").exists()
    assert (tmp_path / "store-v1-n1000" / "build.json").exists()


@pytest.mark.slow
def test_an_interrupted_build_resumes_to_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench import scale
    from tmwatch.pipeline.tagging import Tagger
    from tmwatch.store import DataHome, Store

    monkeypatch.setattr(scale, "CHUNK", 400)
    tagger = Tagger.from_files()
    scale.build(tmp_path / "whole", 1000, tagger, log=False)

    chunk = scale.Generator.chunk

    def dies_at_the_second_chunk(self: scale.Generator, index: int):  # type: ignore[no-untyped-def]
        if index == 1:
            raise KeyboardInterrupt
        return chunk(self, index)

    monkeypatch.setattr(scale.Generator, "chunk", dies_at_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        scale.build(tmp_path / "killed", 1000, tagger, log=False)
    monkeypatch.setattr(scale.Generator, "chunk", chunk)
    record = scale.build(tmp_path / "killed", 1000, tagger, log=False)
    assert record["complete"]

    def contents(root: Path) -> list[tuple[str, str, str, str]]:
        with Store(DataHome(scale.cache_root(root, 1000)), create=False) as store:
            rows = store.db.execute(
                "SELECT id, text, cluster, published FROM articles ORDER BY id"
            ).fetchall()
        return [tuple(r) for r in rows]

    whole = contents(tmp_path / "whole")
    assert len(whole) == 1000
    assert contents(tmp_path / "killed") == whole
