"""``tmwatch warc verify`` on a real crawl's WARC files, intact and then damaged in each way.

The demo archive (a real Scrapy crawl of the sample outlets) is copied before anything is
damaged; each kind of damage must be reported for the captures it touches, with its reason,
while every other capture still passes.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

from tests.helpers import invoke, run_cli
from tmwatch.pipeline.warc_verify import verify_captures
from tmwatch.store import DataHome, Store


@pytest.fixture
def home(demo_archive: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(demo_archive, copy)
    return copy


def captures(home: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(home / "tmwatch.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM captures ORDER BY id").fetchall()


def update(home: Path, sql: str, params: tuple[object, ...]) -> None:
    db = sqlite3.connect(home / "tmwatch.sqlite3")
    with db:
        db.execute(sql, params)
    db.close()


def verify(home: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, the problem lines and the summary line."""
    ran = invoke("warc", "verify", *args, home=home)
    lines = ran.stdout.splitlines()
    return ran.exit_code, lines[:-1], lines[-1]


def test_an_intact_crawl_passes(home: Path) -> None:
    rows = captures(home)
    files = {row["warc_file"] for row in rows}
    code, problems, summary = verify(home)
    assert (code, problems) == (0, [])
    assert summary == f"{len(rows)} captures checked, {len(files)} files, 0 problems"
    assert len(rows) > 50


def test_a_flipped_byte_inside_a_record(home: Path) -> None:
    rows = captures(home)
    victim = rows[len(rows) // 2]
    path = home / "warc" / victim["warc_file"]
    data = bytearray(path.read_bytes())
    data[victim["warc_offset"] + victim["warc_length"] // 2] ^= 0x55
    path.write_bytes(bytes(data))
    code, problems, summary = verify(home)
    assert code == 1
    assert len(problems) == 1, problems
    where = f"capture {victim['id']} ({victim['warc_file']} @ {victim['warc_offset']}): "
    assert problems[0].startswith(where + "record damaged"), problems
    assert summary.endswith(", 1 problems")


def test_a_truncated_file(home: Path) -> None:
    rows = captures(home)
    cut = rows[-3]
    path = home / "warc" / cut["warc_file"]
    with path.open("r+b") as handle:
        handle.truncate(cut["warc_offset"] + cut["warc_length"] // 2)
    code, problems, _ = verify(home)
    assert code == 1
    assert [line.split(": ", 1)[0] for line in problems] == [
        f"capture {row['id']} ({row['warc_file']} @ {row['warc_offset']})" for row in rows[-3:]
    ]
    assert "record cut short" in problems[0]
    assert all("the file ends before the record's offset" in line for line in problems[1:])


def test_a_changed_offset(home: Path) -> None:
    rows = captures(home)
    moved, other, shifted = rows[10], rows[11], rows[20]
    # Pointing at another capture's record (with its length): another id, another page.
    update(
        home,
        "UPDATE captures SET warc_offset = ?, warc_length = ? WHERE id = ?",
        (other["warc_offset"], other["warc_length"], moved["id"]),
    )
    # Pointing into the middle of a record: nothing starts there.
    update(
        home,
        "UPDATE captures SET warc_offset = warc_offset + 7 WHERE id = ?",
        (shifted["id"],),
    )
    code, problems, summary = verify(home)
    assert code == 1
    by_capture = {line.split(" (", 1)[0]: line for line in problems}
    moved_lines = [line for line in problems if line.startswith(f"capture {moved['id']} ")]
    assert any("record id differs" in line for line in moved_lines), moved_lines
    assert any("page sha256 differs" in line for line in moved_lines), moved_lines
    assert by_capture[f"capture {shifted['id']}"].endswith("no record starts at this offset")
    assert set(by_capture) == {f"capture {moved['id']}", f"capture {shifted['id']}"}
    assert summary.endswith(f", {len(problems)} problems")


def test_a_record_of_the_wrong_kind_and_length(home: Path) -> None:
    """The file's first record is its warcinfo; a wrong stored length is found as such."""
    rows = captures(home)
    first, second = rows[0], rows[1]
    update(
        home,
        "UPDATE captures SET warc_offset = 0, warc_length = ? WHERE id = ?",
        (first["warc_offset"], first["id"]),
    )
    update(
        home,
        "UPDATE captures SET warc_length = warc_length - 1 WHERE id = ?",
        (second["id"],),
    )
    code, problems, _ = verify(home)
    assert code == 1
    assert (
        f"capture {first['id']} ({first['warc_file']} @ 0): a warcinfo record, not a response"
        in problems
    )
    length = second["warc_length"]
    wrong = f"record length differs: {length} bytes, {length - 1} stored"
    assert (
        f"capture {second['id']} ({second['warc_file']} @ {second['warc_offset']}): {wrong}"
        in problems
    )


def test_a_forged_page_with_valid_compression(home: Path) -> None:
    """A record rewritten with another page and compressed anew: gzip is happy, the digests
    written at capture time and the stored sha256 are not."""
    rows = captures(home)
    victim = rows[5]
    source = home / "warc" / victim["warc_file"]
    with source.open("rb") as handle:
        handle.seek(victim["warc_offset"])
        record = zlib.decompress(handle.read(victim["warc_length"]), wbits=31)
    at = record.rindex(b"</")  # inside the page, past the HTTP headers
    forged = gzip.compress(record[:at] + b"!" + record[at + 1 :])
    (home / "warc" / "forged.warc.gz").write_bytes(forged)
    update(
        home,
        "UPDATE captures SET warc_file = 'forged.warc.gz', warc_offset = 0, warc_length = ? "
        "WHERE id = ?",
        (len(forged), victim["id"]),
    )
    code, problems, summary = verify(home)
    assert code == 1
    where = f"capture {victim['id']} (forged.warc.gz @ 0): "
    assert problems == [
        where + "block digest does not match the record's bytes",
        where + "payload digest does not match the page",
        where + "page sha256 differs from the stored html_sha256",
    ]
    assert ", 2 files, 3 problems" in summary


def test_a_deleted_file(home: Path) -> None:
    """Half the captures moved to a second file, which is then deleted."""
    rows = captures(home)
    original = home / "warc" / rows[0]["warc_file"]
    shutil.copy(original, home / "warc" / "second.warc.gz")
    moved = [row["id"] for row in rows[::2]]
    for capture_id in moved:
        update(home, "UPDATE captures SET warc_file = 'second.warc.gz' WHERE id = ?", (capture_id,))
    code, problems, summary = verify(home)
    assert (code, problems) == (0, [])
    assert ", 2 files, " in summary
    (home / "warc" / "second.warc.gz").unlink()
    code, problems, summary = verify(home)
    assert code == 1
    assert [line.split(" ", 2)[1] for line in problems] == [str(i) for i in moved]
    assert all(line.endswith("): WARC file missing") for line in problems)
    assert summary == f"{len(rows)} captures checked, 2 files, {len(moved)} problems"


def test_source_and_since_limit_the_check(home: Path) -> None:
    rows = captures(home)
    source = rows[0]["source"]
    mine = [row for row in rows if row["source"] == source]
    code, _, summary = verify(home, "--source", source)
    assert code == 0 and summary.startswith(f"{len(mine)} captures checked, 1 files")
    code, _, summary = verify(home, "--since", "2999-01-01")
    assert code == 0 and summary == "0 captures checked, 0 files, 0 problems"


def test_bounded_pages_and_reused_files(home: Path) -> None:
    """Captures come a page at a time and the file is opened once, however many records."""
    opened: list[str] = []
    real_open = open

    def counting_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith(".warc.gz"):
            opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    with Store(DataHome(home), create=False) as store:
        pages = list(store.archive.capture_locations(page=7))
        assert [row["id"] for row in pages] == [row["id"] for row in captures(home)]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("builtins.open", counting_open)
            checks = list(verify_captures(store, home / "warc"))
    assert len(checks) == len(pages) and all(check.ok for check in checks)
    assert len(opened) == 1


def test_missing_store_and_missing_warc_directory(tmp_path: Path, home: Path) -> None:
    ran = invoke("warc", "verify", home=tmp_path / "nothing")
    assert ran.exit_code == 1 and ran.stderr.startswith("Error: no tmwatch store at ")
    ran = invoke("warc", "verify", "--warc-dir", str(tmp_path / "nowhere"), home=home)
    assert ran.exit_code == 2
    assert ran.stderr == f"Error: no WARC directory at {tmp_path / 'nowhere'}\n"


def test_on_a_postgresql_store(tmp_path: Path, postgres_db: str) -> None:
    home = tmp_path / "home"
    ran = run_cli("--store", postgres_db, "demo", "--home", str(home), "--slow-delay", "0.2")
    assert ran.returncode == 0, ran.stderr[-2000:]
    with Store(DataHome(home, store=postgres_db), create=False) as store:
        rows = list(store.archive.capture_locations())
    ran = invoke("--store", postgres_db, "warc", "verify", home=home)
    assert ran.exit_code == 0, ran.output
    assert ran.stdout == f"{len(rows)} captures checked, 1 files, 0 problems\n"
    victim = rows[3]
    path = home / "warc" / victim["warc_file"]
    data = bytearray(path.read_bytes())
    data[victim["warc_offset"] + victim["warc_length"] // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    ran = invoke("--store", postgres_db, "warc", "verify", home=home)
    assert ran.exit_code == 1
    assert ran.stdout.splitlines()[0].startswith(f"capture {victim['id']} (")
    assert "record damaged" in ran.stdout
    assert ran.stdout.endswith(f"{len(rows)} captures checked, 1 files, 1 problems\n")
