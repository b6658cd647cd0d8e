"""``tmwatch tag`` keeps "one result line per input line" whatever the input holds: bad bytes,
bad JSON, lone surrogates, huge lines and unknown languages each give an error line, and the
stream goes on. Every text here is synthetic.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from typing import Any

from tests.helpers import invoke
from tmwatch.pipeline.tag_lines import tag_input_lines
from tmwatch.pipeline.tagging import Tagger


def line(**record: Any) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def run(stdin: bytes, *args: str) -> tuple[list[dict[str, Any]], list[str], int]:
    proc = invoke("tag", *args, stdin=stdin)
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    return out, proc.stderr.splitlines(), proc.returncode


GOOD_RU = line(id="ru", text="Ахмеда Рахманова задержали в Анталье.")
GOOD_TK = line(id="tk", text="Taganowa Stambulda saklandy.")


def test_invalid_utf8_gives_an_error_line_and_the_stream_goes_on() -> None:
    bad = b'{"id": "bad", "text": "\xff\xfe caf\xe9"}\n'
    out, err, code = run(GOOD_RU + bad + GOOD_TK)
    assert [o.get("id") for o in out] == ["ru", "bad", "tk"]
    assert "not UTF-8" in out[1]["error"] and set(out[1]) == {"id", "error"}
    assert out[2]["persons"] == ["Dursoltan Taganova"]
    assert err == [f"line 2: {out[1]['error']}"]
    assert code == 1


def test_bytes_that_break_even_the_id_give_an_error_without_it() -> None:
    out, err, code = run(b'{"id": "\xc3(", "text": "x"}\n\xff\n' + GOOD_TK)
    assert out[0] == {"error": out[0]["error"]} and out[1] == {"error": out[1]["error"]}
    assert err[0].startswith("line 1: not UTF-8") and err[1].startswith("line 2: not UTF-8")
    assert out[2]["id"] == "tk" and code == 1


def test_lone_surrogates_give_an_error_line() -> None:
    escaped = b'{"id": "s", "text": "Rahmanow \\ud800 tussag"}\n'  # valid JSON, not Unicode
    encoded = b'{"id": "e", "text": "\xed\xa0\x80"}\n'  # a surrogate written as UTF-8 bytes
    in_id = b'{"id": "\\udfff", "text": "x"}\n'
    out, err, code = run(escaped + encoded + in_id + GOOD_TK)
    assert out[0]["id"] == "s" and "surrogate" in out[0]["error"]
    assert out[1]["id"] == "e" and "not UTF-8" in out[1]["error"]
    assert "id" not in out[2] and "surrogate" in out[2]["error"]
    assert out[3]["id"] == "tk"
    assert [e.split(":")[0] for e in err] == ["line 1", "line 2", "line 3"] and code == 1


def test_invalid_json_gives_an_error_line_with_the_id_when_readable() -> None:
    broken = b'{"id": "k", "text": "unterminated\n'
    deep = b"[" * 100_000 + b"\n"
    big_number = b'{"id": ' + b"9" * 5000 + b', "text": "x"}\n'
    out, err, code = run(broken + b"not json\n" + deep + big_number + GOOD_TK)
    assert out[0] == {"id": "k", "error": out[0]["error"]} and out[0]["error"].startswith(
        "not JSON"
    )
    assert out[1] == {"error": out[1]["error"]} and out[1]["error"].startswith("not JSON")
    assert "error" in out[2] and "error" in out[3] and out[4]["id"] == "tk"
    assert len(err) == 4 and err[0].startswith("line 1: not JSON") and code == 1


def test_an_over_long_line_gives_an_error_line() -> None:
    long_ascii = line(id="long", text="x" * 500)
    long_bytes = line(id="wide", text="ж" * 60)  # 60 characters, 120 bytes: within the limit
    too_wide = line(id="wider", text="ж" * 400)  # past even 4 bytes a character
    out, err, code = run(long_ascii + long_bytes + too_wide + GOOD_TK, "--max-chars", "100")
    assert out[0] == {"id": "long", "error": "line longer than 100 characters"}
    assert "error" not in out[1]
    assert out[2] == {"id": "wider", "error": "line longer than 100 characters"}
    assert out[3]["id"] == "tk" and err[0] == "line 1: line longer than 100 characters"
    assert code == 1


class EndlessLine(io.RawIOBase):
    """A binary stream with one line of ``size`` bytes, made as it is read, then a good line."""

    def __init__(self, size: int, tail: bytes) -> None:
        self.left, self.tail = size, tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left > 0:
            n = min(len(buffer), self.left)
            buffer[:n] = b"x" * n
            self.left -= n
            return n
        n = min(len(buffer), len(self.tail))
        buffer[:n], self.tail = self.tail[:n], self.tail[n:]
        return n


def test_a_huge_line_is_never_held_in_memory() -> None:
    size = 256 * 1024 * 1024  # 256 MB in one line; with the limit below ~64 kB may be held
    stream = io.BufferedReader(EndlessLine(size, b"\n" + GOOD_TK))
    tagger = Tagger.from_files()
    tracemalloc.start()
    try:
        results = list(tag_input_lines(tagger, stream, max_chars=10_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results[0] == (1, {"error": "line longer than 10000 characters"})
    assert results[1][1]["id"] == "tk"
    assert peak < 20 * 1024 * 1024  # the tagger's own work, not the 256 MB line


def test_unknown_language_code_gives_an_error_line() -> None:
    stdin = line(id="x", text="Hallo", language="de") + line(id="y", text="t", language="RUS")
    out, err, code = run(stdin + line(id="z", text="Weather.", language="en"))
    assert out[0]["id"] == "x" and "unknown \"language\" 'de'" in out[0]["error"]
    assert out[1]["id"] == "y" and "error" in out[1]
    assert out[2]["language"] == "en" and "error" not in out[2]
    assert len(err) == 2 and code == 1


def test_evidence_is_capped_per_label_with_the_rest_counted() -> None:
    sentences = " ".join(f"Ахмеда Рахманова задержали в Анталье {n} раз." for n in range(1, 9))
    stdin = line(id="many", text=sentences)
    [full], _, _ = run(stdin, "--max-evidence", "1000")
    [capped], _, code = run(stdin)  # default: 5 per label
    [none], _, _ = run(stdin, "--max-evidence", "0")
    assert code == 0 and full["evidence_omitted"] == {}
    totals: dict[str, int] = {}
    for item in full["evidence"]:
        totals[item["label"]] = totals.get(item["label"], 0) + 1
    assert totals["Akhmed Rakhmanov"] == 8 and totals["detention"] == 8
    kept: dict[str, int] = {}
    for item in capped["evidence"]:
        kept[item["label"]] = kept.get(item["label"], 0) + 1
    assert kept == {label: 5 for label in totals}
    assert capped["evidence_omitted"] == {label: n - 5 for label, n in totals.items()}
    assert capped["evidence"] == [e for e in full["evidence"] if e in capped["evidence"]]  # order
    assert none["evidence"] == [] and none["evidence_omitted"] == totals
    assert capped["tags"] == full["tags"] and capped["persons"] == full["persons"]


def test_every_non_blank_line_gives_one_line_and_a_clean_run_exits_0() -> None:
    crlf = GOOD_TK[:-1] + b"\r\n"  # a file written on Windows
    stdin = b"\xef\xbb\xbf" + GOOD_RU + b"\n   \n" + crlf + line(id=3, text="ok")
    out, err, code = run(stdin)
    assert [o["id"] for o in out] == ["ru", "tk", 3]
    assert code == 0 and err == []
    assert all(set(o) >= {"evidence", "evidence_omitted"} for o in out)


def test_help_documents_the_output_shape_and_limits() -> None:
    text = invoke("tag", "--help").stdout
    for word in ("evidence_omitted", "--max-evidence", "--max-chars", '{"id", "error"}'):
        assert word in text
