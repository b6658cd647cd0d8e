"""Events in the archive: statuses announced once, opening the digest, rebuilt by reprocess.

Articles are stored the way the crawl stores them (a WARC record, then ingest), from sample
pages whose text is written here.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tests.helpers import invoke
from tmwatch.config.registry import load_registry
from tmwatch.pipeline.ingest import ingest
from tmwatch.pipeline.statuses import announce_status_changes, current_statuses
from tmwatch.pipeline.tagging import Tagger
from tmwatch.pipeline.warc import WarcCaptureWriter
from tmwatch.record import Capture
from tmwatch.samples import SAMPLE_REGISTRY
from tmwatch.samples.render import ALL_ARTICLES, article_page
from tmwatch.store import Store
from tmwatch.store.home import DataHome

BASE = "http://127.0.0.1:8000"
REGISTRY = load_registry(SAMPLE_REGISTRY, base=BASE)
TAGGER = Tagger.from_files()
SAMPLE = next(a for a in ALL_ARTICLES if a.outlet == "ng")

DETAINED = (
    "Туркменского активиста Байрама Аллалыева задержали 22 октября в миграционной службе "
    "Стамбула. 25 октября его перевели в депортационный центр Пендик.",
    "Правозащитники просят не высылать активиста на родину, где ему грозит преследование.",
)
RELEASED = (
    "Байрама Аллалыева освободили из депортационного центра Пендик 1 ноября. Активист "
    "вернулся домой, но его адвокат говорит, что дело о депортации не закрыто.",
    "Друзья активиста благодарят всех, кто следил за его судьбой в эти две недели.",
)


def store_story(home: Path, path: str, paras: tuple[str, ...], published: str) -> None:
    page = dataclasses.replace(SAMPLE, path=path, paras=paras, published=published)
    url = f"{BASE}/ng/{path}"
    body = article_page(page, BASE, []).encode(page.encoding)
    headers = {"Content-Type": f"text/html; charset={page.encoding}"}
    capture = Capture("ng", url, url, 200, headers, body, "2021-11-02T08:00:00+00:00")
    data = DataHome(home).create()
    writer = WarcCaptureWriter(data.warc_dir)
    writer.write(capture)
    writer.close()
    with Store(data) as store:
        assert ingest(store, capture, REGISTRY.sources["ng"], TAGGER).state == "new"
        store.set_meta("registry", "samples")
        store.set_meta("registry_base", BASE)
        announce_status_changes(store)


def digest(home: Path, *args: str) -> dict:
    result = invoke("digest", *args, home=home)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_status_change_opens_the_digest_once(tmp_path: Path) -> None:
    store_story(
        tmp_path, "courier/2021-10-25/1_detained.html", DETAINED, "2021-10-25T10:00:00+03:00"
    )
    md = invoke("digest", "--no-mark", "--format", "md", home=tmp_path).stdout
    assert md.index("## Status changes") < md.index("## Counts")
    assert "Bayram Allalyev: in deportation centre (Pendik deportation centre)" in md
    first = digest(tmp_path)
    [change] = first["status_changes"]
    assert change["person"] == "Bayram Allalyev"
    assert (
        change["state"] == "deportation_centre" and change["place"] == "Pendik deportation centre"
    )
    assert change["since"] == "2021-10-25" and change["previous"] == "unknown"
    assert digest(tmp_path)["status_changes"] == []  # the mark moved past it

    store_story(
        tmp_path, "courier/2021-11-01/2_released.html", RELEASED, "2021-11-01T18:00:00+03:00"
    )
    [released] = digest(tmp_path)["status_changes"]
    assert (released["state"], released["since"], released["previous"]) == (
        "released",
        "2021-11-01",
        "deportation_centre",
    )


def test_reprocess_rebuilds_events_without_announcing_again(tmp_path: Path) -> None:
    store_story(
        tmp_path, "courier/2021-10-25/1_detained.html", DETAINED, "2021-10-25T10:00:00+03:00"
    )
    digest(tmp_path)
    with Store(DataHome(tmp_path)) as store:
        before = store.events.reports()
        logged = store.db.execute("SELECT count(*) FROM status_log").fetchone()[0]
    result = invoke("reprocess", home=tmp_path)
    assert result.exit_code == 0, result.output
    with Store(DataHome(tmp_path)) as store:
        after = store.events.reports()
        assert store.db.execute("SELECT count(*) FROM status_log").fetchone()[0] == logged
        assert current_statuses(store)["Bayram Allalyev"].state == "deportation_centre"
    assert [(r["person"], r["type"], r["date"]) for r in after] == [
        (r["person"], r["type"], r["date"]) for r in before
    ]
    assert digest(tmp_path)["status_changes"] == []


def test_tag_emits_events_with_their_own_dates() -> None:
    lines = [
        {"id": 1, "text": DETAINED[0], "published": "2021-10-26", "language": "ru"},
        {"id": 2, "text": DETAINED[0], "language": "ru"},
        {
            "id": 3,
            "text": "Байрама Аллалыева не задерживали, сообщили в полиции.",
            "language": "ru",
        },
    ]
    result = invoke("tag", stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    detained = next(e for e in out[0]["events"] if e["type"] == "detained")
    assert (detained["date"], detained["date_precision"], detained["date_basis"]) == (
        "2021-10-22",
        "day",
        "no-year",
    )
    assert set(detained) == {
        "person",
        "type",
        "date",
        "date_precision",
        "date_basis",
        "place",
        "evidence",
    }
    # Without a publication date, "22 October" has no year: never the publication's day.
    undated = next(e for e in out[1]["events"] if e["type"] == "detained")
    assert (undated["date"], undated["date_precision"], undated["date_basis"]) == (None, None, None)
    assert out[2]["events"] == []  # negated: no event
