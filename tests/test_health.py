"""Source health: error kinds, every flag rule and its non-flagging cases, the command, and the
digest's flags and undelivered messages. Real stores; the rules also run on plain run lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import ROOT, invoke
from tmwatch.clock import utc_datetime
from tmwatch.output.digest import Selection, build_digest
from tmwatch.output.health import (
    LAYOUT_MIN_FETCHED,
    MIN_BASELINE_RUNS,
    SourceRun,
    assess,
    classify,
    source_health,
)
from tmwatch.output.render import to_html, to_markdown
from tmwatch.store import DataHome, Store

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
ZOMBIE = "feed http://a.example/api/zombie: feed body is only 11 bytes"
SCHEMA = json.loads((ROOT / "output" / "digest.schema.json").read_text(encoding="utf-8"))


def stats(**counts: Any) -> dict[str, Any]:
    """One source's counts in one run; a feed read with entries unless told otherwise."""
    values: dict[str, Any] = {"found": 10, "fetched": 0, "new": 0, "errors": 0, "refused": 0}
    values.update(counts)
    values.setdefault("problems", [])
    values["errors"] = counts.get("errors", len(values["problems"]))
    values.setdefault("skipped", max(0, values["found"] - values["fetched"]))
    return values


def run(days_ago: int, hour: int = 6, now: datetime = NOW, **counts: Any) -> SourceRun:
    moment = datetime.combine(now.date() - timedelta(days=days_ago), datetime.min.time(), UTC)
    finished = (moment + timedelta(hours=hour)).isoformat()
    return SourceRun(finished, stats(**counts), simulated=False)


def daily(days: range, **counts: Any) -> list[SourceRun]:
    """One run a day, oldest first, for the days ago in ``days`` (counted down)."""
    return [run(d, **counts) for d in sorted(days, reverse=True)]


def flags(runs: list[SourceRun]) -> list[str]:
    return source_health("s", runs, NOW).flags


# -- error kinds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "place", "kind"),
    [
        (ZOMBIE, "feed", "empty-feed"),
        ("feed http://a/feed/: feed has no entries", "feed", "empty-feed"),
        (
            "feed http://a/rss: an HTML page was served instead of a feed (challenge page?)",
            "feed",
            "not-a-feed",
        ),
        ("feed http://a/rss: malformed feed (SAXParseException: junk)", "feed", "malformed-feed"),
        ("sitemap http://a/s.xml: sitemap is not XML: bad", "sitemap", "malformed-feed"),
        ("listing http://a/news/: no article links", "listing", "no-links"),
        ("feed page http://a/rssfeeds: lists no feeds", "feed page", "no-links"),
        ("http://a:8080/timeout-story/: HTTP 404", "page", "http-4xx"),
        ("http://a/b: HTTP 503", "page", "http-5xx"),
        ("http://a/b: DownloadTimeoutError: took longer than 3.0 seconds.", "page", "timeout"),
        ("http://a/b: TCPTimedOutError: TCP connection timed out: 110", "page", "timeout"),
        (
            "http://a/b: ConnectionRefusedError: Connection was refused by other side: 111",
            "page",
            "connection",
        ),
        ("http://a/b: DNSLookupError: DNS lookup failed: no results", "page", "connection"),
        (
            "http://a/b: ResponseNeverReceived: [<Failure OpenSSL.SSL.Error: certificate verify "
            "failed>]",
            "page",
            "tls",
        ),
        ("http://a/b: IgnoreRequest: Forbidden by robots.txt", "page", "robots"),
        ("something nobody foresaw", "page", "other"),
    ],
)
def test_problems_are_classified_by_kind(problem: str, place: str, kind: str) -> None:
    found = classify(problem)
    assert (found.place, found.kind) == (place, kind)


def test_errors_beyond_the_kept_problems_count_as_other() -> None:
    health = source_health("s", [run(0, problems=[ZOMBIE], errors=3)], NOW)
    assert health.errors_last == {"empty-feed": 1, "other": 2}


# -- items per day ------------------------------------------------------------------------------


def test_days_without_runs_are_no_data_not_zero() -> None:
    health = source_health("s", [run(3, new=4), run(1, new=2), run(0, new=0)], NOW)
    series = dict(health.days)
    assert len(series) == 14 and series[NOW.date() - timedelta(days=2)] is None
    assert series[NOW.date()] == 0
    assert health.mean == pytest.approx(2.0)  # (4 + 2 + 0) / 3: the empty days do not count
    assert health.as_dict()["days_without_data"] == 11


def test_band_is_mean_plus_minus_two_sigma_floored_at_zero() -> None:
    health = source_health("s", [*daily(range(4), new=3), run(0, hour=7, new=7)], NOW)
    assert health.band is not None and health.band[0] == 0.0
    assert health.band[1] == pytest.approx(health.mean + 2 * health.stdev)


def test_last_successful_fetch_skips_a_failed_run() -> None:
    runs = [run(2, new=3, fetched=3), run(1, found=0, problems=["http://a/rss: HTTP 503"])]
    health = source_health("s", runs, NOW)
    assert health.state == "failed"
    assert health.last_ok_fetch_at == runs[0].finished_at == health.last_new_at


# -- silent -------------------------------------------------------------------------------------


def test_silent_after_more_than_its_usual_gap() -> None:
    runs = daily(range(13, 4, -1), new=3, fetched=3) + daily(range(4, -1, -1))
    assert flags(runs) == ["silent"]
    assert "usual gap: 3 days" in source_health("s", runs, NOW).reasons["silent"]


def test_a_weekly_outlet_is_not_silent_after_five_days() -> None:
    runs = [run(d, new=2 if d in (13, 10, 7, 5) else 0) for d in range(13, -1, -1)]
    assert flags(runs) == []  # gaps 3, 3, 2: usual gap 6 days; quiet for 5


def test_a_crawler_that_did_not_run_is_not_a_silent_outlet() -> None:
    assert flags(daily(range(13, 4, -1), new=3)) == []  # no run since day -5


def test_one_day_of_new_items_gives_no_usual_gap() -> None:
    assert flags([run(12, new=40), *daily(range(11, -1, -1))]) == []


# -- degraded -----------------------------------------------------------------------------------


def test_first_error_after_a_clean_history_is_degraded() -> None:
    runs = [*daily(range(10, 0, -1), new=2), run(0, problems=["http://a/x: HTTP 404"])]
    assert flags(runs) == ["degraded"]


def test_one_more_flaky_fetch_is_normal_for_a_flaky_source() -> None:
    timeout = "http://a/x: DownloadTimeoutError: took longer than 3.0 seconds."
    runs = [run(d, new=2, problems=[timeout] if d % 3 == 0 else []) for d in range(13, 0, -1)]
    assert flags([*runs, run(0, new=2, problems=[timeout])]) == []


def test_a_new_source_without_history_gets_no_flag() -> None:
    runs = [run(1, new=2)] * (MIN_BASELINE_RUNS - 1)
    assert flags([*runs, run(0, fetched=5, refused=5, problems=[ZOMBIE, "x: HTTP 500"])]) == []


def test_more_refused_pages_than_normal_is_degraded() -> None:
    runs = daily(range(10, 0, -1), new=10, fetched=10)
    health = source_health("s", [*runs, run(0, new=7, fetched=10, refused=3)], NOW)
    assert health.flags == ["degraded"] and "30% of pages refused" in health.reasons["degraded"]


# -- zombie-feed --------------------------------------------------------------------------------


def test_an_empty_feed_that_persists_is_a_zombie() -> None:
    runs = [run(d, new=2, problems=[ZOMBIE]) for d in range(10, -1, -1)]
    assert flags(runs) == ["zombie-feed"]  # always there: a zombie, and not degraded


def test_a_one_off_empty_feed_is_not_a_zombie() -> None:
    assert "zombie-feed" not in flags([*daily(range(10, 0, -1), new=2), run(0, problems=[ZOMBIE])])
    assert "zombie-feed" not in flags([run(3, problems=[ZOMBIE]), *daily(range(2, -1, -1))])
    other = ZOMBIE.replace("zombie", "another")
    assert "zombie-feed" not in flags([run(3, problems=[other]), run(0, problems=[ZOMBIE])])


# -- layout-changed -----------------------------------------------------------------------------


def test_a_sudden_rise_in_refused_pages_is_a_layout_change() -> None:
    runs = [*daily(range(10, 0, -1), new=3, fetched=3), run(0, fetched=4, refused=4)]
    health = source_health("s", runs, NOW)
    assert health.flags == ["layout-changed"]  # not degraded as well: one cause, one flag
    assert health.refused_last == (4, 4) and "4 of 4 pages" in health.reasons["layout-changed"]


def test_no_layout_change_without_enough_pages_or_a_clean_before() -> None:
    few = LAYOUT_MIN_FETCHED - 1
    clean = daily(range(10, 0, -1), new=3, fetched=3)
    assert "layout-changed" not in flags([*clean, run(0, fetched=few, refused=few)])
    chronic = daily(range(10, 0, -1), fetched=5, refused=3)
    assert "layout-changed" not in flags([*chronic, run(0, fetched=5, refused=5)])
    assert flags([run(0, fetched=5, refused=5)]) == []  # no before at all


# -- the store, the command ---------------------------------------------------------------------


def seed(home: Path, runs: dict[str, list[tuple[int, dict[str, Any]]]], now: datetime) -> None:
    """Runs in a real store: per source, (days ago, counts); one run per distinct day."""
    by_day: dict[int, dict[str, Any]] = {}
    for key, entries in runs.items():
        for days_ago, counts in entries:
            by_day.setdefault(days_ago, {})[key] = stats(**counts)
    with Store(DataHome(home)) as store, store.transaction():
        for days_ago in sorted(by_day, reverse=True):
            end = now - timedelta(days=days_ago)  # day 0 ends at ``now``: the same UTC day
            store.crawl.add_simulated_run(
                (end - timedelta(minutes=2)).isoformat(),
                end.isoformat(),
                {"finish_reason": "finished", "sources": by_day[days_ago]},
            )


def healthy(days: int = 8) -> list[tuple[int, dict[str, Any]]]:
    return [(d, {"new": 3, "fetched": 3}) for d in range(days, -1, -1)]


def dead_letter(home: Path, summary: str, error: str) -> None:
    with Store(DataHome(home)) as store, store.transaction():
        message = store.outbox.add(
            subscription="ngo-team",
            kind="digest",
            channel="email",
            key="<k1@tmwatch>",
            summary=summary,
            payload=b"x",
            meta={},
            created_at=utc_datetime().isoformat(),
        )
        state = store.outbox.failed(
            message, error, utc_datetime(), max_attempts=1, give_up_after=timedelta(0)
        )
    assert state == "dead"


def test_runs_since_reads_finished_runs_oldest_first(tmp_path: Path) -> None:
    now = utc_datetime()
    seed(tmp_path, {"ng": healthy(3)}, now)
    with Store(DataHome(tmp_path)) as store:
        store.crawl.start_run("crawl")  # still running: its counts are not final
        runs = store.crawl.runs_since((now - timedelta(days=1, hours=12)).isoformat())
    assert [r["command"] for r in runs] == ["simulated"] * 2
    assert runs[0]["finished_at"] < runs[1]["finished_at"]
    assert runs[0]["stats"]["simulated"] is True and "ng" in runs[0]["stats"]["sources"]


def test_healthy_sources_exit_0(tmp_path: Path) -> None:
    seed(tmp_path, {"ng": healthy(), "bianet": healthy()}, utc_datetime())
    result = invoke("health", home=tmp_path)
    assert result.exit_code == 0, result.output
    assert "items/day (mean ± 2σ)" in result.stdout and "3.0 ± 0.0" in result.stdout
    assert "Undelivered messages (dead letters):\n  none" in result.stdout


def test_json_report_and_exit_1_when_flagged(tmp_path: Path) -> None:
    now = utc_datetime()
    seed(tmp_path, {"ng": healthy(), "hronikatm-ru": [*healthy()[:-1], (0, {"errors": 1})]}, now)
    result = invoke("health", "--json", "--days", "7", home=tmp_path)
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["flagged"] == ["hronikatm-ru"]
    assert report["days"] == 7 and set(report) >= {"sources", "undelivered", "thresholds"}
    record = report["sources"][0]
    assert set(record) >= {
        "source",
        "state",
        "items_per_day",
        "mean",
        "stdev",
        "band",
        "last_new_at",
        "last_ok_fetch_at",
        "errors",
        "refused",
        "flags",
        "reasons",
    }
    assert len(record["items_per_day"]) == 7


def test_flagged_source_and_its_reason_in_the_table(tmp_path: Path) -> None:
    now = utc_datetime()
    seed(tmp_path, {"ng": healthy(), "hronikatm-ru": [*healthy()[:-1], (0, {"errors": 1})]}, now)
    result = invoke("health", home=tmp_path)
    assert result.exit_code == 1
    assert "! hronikatm-ru: degraded: 1 error in the last run" in result.stdout
    only = json.loads(invoke("health", "--json", "--source", "ng", home=tmp_path).stdout)
    assert [s["source"] for s in only["sources"]] == ["ng"] and only["flagged"] == []


def test_unknown_source_is_bad_usage_and_lists_the_known_ones(tmp_path: Path) -> None:
    seed(tmp_path, {"ng": healthy(), "bianet": healthy()}, utc_datetime())
    result = invoke("health", "--source", "nope", home=tmp_path)
    assert result.exit_code == 2
    assert "nope" in result.stderr and "known: bianet, ng" in result.stderr


def test_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    result = invoke("health", home=tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no tmwatch store at" in result.stderr and len(result.stderr.splitlines()) == 1
    assert invoke("health", "--days", "0", home=tmp_path).exit_code == 2


def test_dead_letters_are_shown_and_exit_1(tmp_path: Path) -> None:
    seed(tmp_path, {"ng": healthy()}, utc_datetime())
    dead_letter(tmp_path, "Daily digest 2026-11-29", "SMTP 550 mailbox unavailable")
    text = invoke("health", home=tmp_path)
    assert text.exit_code == 1
    assert "ngo-team" in text.stdout and "SMTP 550 mailbox unavailable" in text.stdout
    report = json.loads(invoke("health", "--json", home=tmp_path).stdout)
    (message,) = report["undelivered"]
    assert message["state"] == "dead" and message["summary"] == "Daily digest 2026-11-29"
    assert "payload" not in message


# -- the digest ---------------------------------------------------------------------------------


def test_digest_carries_flags_and_undelivered_escaped(tmp_path: Path) -> None:
    now = utc_datetime()
    runs = [(d, {"new": 3, "fetched": 3}) for d in range(8, 0, -1)]
    seed(tmp_path, {"ng": healthy(), "gundogar": [*runs, (0, {"fetched": 4, "refused": 4})]}, now)
    hostile = "<script>alert(1)</script> & Co"
    dead_letter(tmp_path, hostile, "refused: <b>bad</b>")
    with Store(DataHome(tmp_path)) as store:
        digest = build_digest(store, Selection(everything=True), clock=lambda: now)
        report = assess(store, now)
    jsonschema.validate(
        digest, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert digest["sources"]["gundogar"]["flags"] == ["layout-changed"]
    assert digest["sources"]["ng"]["flags"] == []
    assert [m["summary"] for m in digest["undelivered"]] == [hostile]
    assert report.flagged == ["gundogar"]

    page = to_html(digest)
    assert "<script>alert(1)" not in page and "<b>bad</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert '<section id="undelivered"><h2>Undelivered messages</h2>' in page
    assert '<td class="flag">layout-changed</td>' in page
    md = to_markdown(digest)
    assert "## Undelivered messages" in md and "| gundogar | ok | 0 | 0 | layout-changed |" in md
    assert "- **gundogar** (ok) — flags: layout-changed: no failure recorded" in md


def test_a_digest_without_dead_letters_has_no_undelivered_section(tmp_path: Path) -> None:
    seed(tmp_path, {"ng": healthy()}, utc_datetime())
    with Store(DataHome(tmp_path)) as store:
        digest = build_digest(store, Selection(everything=True))
    assert digest["undelivered"] == [] and digest["sources"]["ng"]["flags"] == []
    assert "Undelivered" not in to_html(digest) and "Undelivered" not in to_markdown(digest)
