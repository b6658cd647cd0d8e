"""Subscriptions delivered through the outbox to real receivers on 127.0.0.1.

The store is filled the way ingest fills it (a capture, then its article); ``tmwatch run
--no-crawl`` then queues and sends. The SMTP server is aiosmtpd and the webhook receiver a real
HTTP server (tests/receivers.py); nothing here leaves the loopback interface.
"""

from __future__ import annotations

import email
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from tests.helpers import FAST, ROOT, SAMPLE_REGISTRY, cli_env, invoke, make_article
from tests.receivers import HookReceiver, SmtpReceiver
from tmwatch.config.secrets import Secrets
from tmwatch.config.subscriptions import load_subscriptions
from tmwatch.delivery.cycle import deliver
from tmwatch.delivery.queue import queue_due
from tmwatch.delivery.webhook import verify
from tmwatch.record import Capture, Evidence
from tmwatch.samples.server import SampleServer
from tmwatch.store import DataHome, Store

SECRET = "hook-secret-for-tests"
TAGANOVA = "Dursoltan Taganova"


def store_article(
    home: Path, key: str, *, cluster: str | None = None, persons: tuple[str, ...] = (TAGANOVA,)
) -> str:
    """Commit one article naming ``persons`` (and its capture), as ingest would."""
    article_id = f"{key:a<10}"[:10]
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    with Store(DataHome(home)) as store, store.transaction():
        capture = Capture("ng", f"https://o/{key}", f"https://o/{key}", 200, {}, b"x", now)
        capture_id = store.archive.add_capture(capture)
        sentence = f"Дурсолтан Таганова задержана, сообщает {key}."
        store.archive.save_article(
            make_article(
                f"ng:{key}",
                id=article_id,
                source="ng",
                outlet=f"Outlet {key}",
                url=f"https://o/{key}",
                canonical_url=f"https://o/{key}",
                title=f"Задержание ({key})",
                text=sentence,
                first_seen=now,
                fetched_at=now,
                capture_id=capture_id,
                persons=list(persons),
                tags=["detention"],
                evidence=[
                    Evidence("person", TAGANOVA, "text", 0, 17, sentence, ("Дурсолтан", "Таганова"))
                ]
                if persons
                else [],
            )
        )
        if cluster:
            store.archive.set_cluster(article_id, cluster)
    return article_id


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def hook() -> Iterator[HookReceiver]:
    with HookReceiver(secret=SECRET) as receiver:
        yield receiver


@pytest.fixture
def env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMWATCH_HOOK_SECRET", SECRET)


def write_subscriptions(
    path: Path, smtp: SmtpReceiver | None, hook: HookReceiver | None, extra: str = ""
) -> Path:
    parts = [
        "[delivery]\nattempts_per_run = 1\nbackoff = 0\ntimeout = 3\n",
    ]
    if smtp is not None:
        parts.append(
            f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nstarttls = false\n'
            f'from = "tmwatch@example.org"\ntimeout = 5\n'
            '[[subscription]]\nname = "team"\nchannel = "email"\nto = ["monitor@example.org"]\n'
            'cadence = "daily"\n'
        )
    if hook is not None:
        parts.append(
            f'[[subscription]]\nname = "bridge"\nchannel = "webhook"\nurl = "{hook.url()}"\n'
            'secret_env = "TMWATCH_HOOK_SECRET"\ncadence = "immediate"\n'
        )
    path.write_text("\n".join(parts) + extra)
    return path


def run(home: Path, subs: Path, *extra: str) -> object:
    return invoke("run", "--no-crawl", "--subscriptions", str(subs), *extra, home=home)


def parts(message: EmailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_two_runs_deliver_the_digest_once_and_each_alert_once(
    tmp_path: Path, smtp: SmtpReceiver, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one", cluster="story1")
    store_article(home, "two", cluster="story1")  # the same story syndicated
    store_article(home, "three")
    subs = write_subscriptions(tmp_path / "subs.toml", smtp, hook)

    first = run(home, subs)
    assert first.exit_code == 0, first.output
    assert len(smtp.messages) == 1
    message = smtp.messages[0].message
    assert message["Subject"] == "tmwatch: 3 new (Taganova)"
    assert message["To"] == "monitor@example.org"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    assert "Таганова" in body["text/plain"] and "Таганова" in body["text/html"]
    for needle in ('src="http', "src='http", 'src="//', "url(http", '<link href="http'):
        assert needle not in body["text/html"]
    # Two stories: one alert each, signed.
    assert len(hook.requests) == 2
    assert all(r.valid_signature for r in hook.requests)
    alerts = [json.loads(r.body) for r in hook.requests]
    assert {a["type"] for a in alerts} == {"alert"}
    assert sorted(len(a["articles"]) for a in alerts) == [1, 2]
    assert all(
        r.header("Idempotency-Key") == a["key"] for r, a in zip(hook.requests, alerts, strict=True)
    )

    second = run(home, subs)
    assert second.exit_code == 0, second.output
    assert "not due: team: today's digest is already queued" in second.stdout
    assert len(smtp.messages) == 1 and len(hook.requests) == 2
    # The run's own digest files, once a day.
    day_files = sorted(p.name for p in (home / "digests").iterdir())
    assert len([n for n in day_files if n.endswith(".json")]) == 1


def test_smtp_down_keeps_the_message_and_the_next_run_delivers_it_once(
    tmp_path: Path, smtp: SmtpReceiver
) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subs = write_subscriptions(tmp_path / "subs.toml", smtp, None)
    smtp.stop()
    failed = run(home, subs)
    assert failed.exit_code == 1
    assert "failed: team (email digest #1)" in failed.stdout
    assert "smtp 127.0.0.1:" in failed.stdout and "refused" in failed.stdout
    with Store(DataHome(home)) as store:
        assert store.outbox.delivered_up_to("team") == 0  # nothing counts as delivered
        assert [m.attempts for m in store.outbox.pending()] == [1]
    smtp.start()
    again = run(home, subs)
    assert again.exit_code == 0, again.output
    assert "sent: team (email digest #1)" in again.stdout
    assert len(smtp.messages) == 1
    assert run(home, subs).exit_code == 0
    assert len(smtp.messages) == 1
    with Store(DataHome(home)) as store:
        assert store.outbox.delivered_up_to("team") > 0 and not store.outbox.pending()


def test_a_retry_sends_the_same_bytes_with_the_same_key(
    tmp_path: Path, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook)
    hook.status = 503
    assert run(home, subs).exit_code == 1
    hook.status = 200
    assert run(home, subs).exit_code == 0
    assert len(hook.requests) == 2
    first, second = hook.requests
    assert first.body == second.body
    assert first.header("Idempotency-Key") == second.header("Idempotency-Key")
    assert first.header("X-Tmwatch-Signature") == second.header("X-Tmwatch-Signature")
    assert verify(second.body, SECRET, second.header("X-Tmwatch-Signature"))


def test_repeated_failures_become_a_dead_letter_that_stays_visible(
    tmp_path: Path, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook)
    subs.write_text(
        subs.read_text().replace(
            "[delivery]\n", '[delivery]\nmax_attempts = 2\ngive_up_after = "0s"\n'
        )
    )
    hook.status = 500
    assert run(home, subs).exit_code == 1
    last = run(home, subs)
    assert last.exit_code == 1 and "dead: bridge (webhook alert #1)" in last.stdout
    listed = invoke("subscriptions", "--subscriptions", str(subs), "--json", home=home)
    dead = json.loads(listed.stdout)["dead_letters"]
    assert [(d["id"], d["attempts"], d["state"]) for d in dead] == [(1, 2, "dead")]
    assert "HTTP 500" in dead[0]["last_error"]
    digest = json.loads(invoke("digest", "--all", "--no-mark", home=home).stdout)
    assert [u["id"] for u in digest["undelivered"]] == [1]
    # A dead letter is not retried by itself; --retry-dead queues it again.
    hook.status = 204
    assert run(home, subs).exit_code == 0 and len(hook.requests) == 2
    retried = invoke("subscriptions", "--subscriptions", str(subs), "--retry-dead", home=home)
    assert "1 dead letters queued again" in retried.stdout
    assert run(home, subs).exit_code == 0 and len(hook.requests) == 3


def test_the_quiet_period_folds_later_reports_of_the_same_story(
    tmp_path: Path, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one", cluster="story1")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook)
    assert run(home, subs).exit_code == 0 and len(hook.requests) == 1
    store_article(home, "two", cluster="story1")  # the same story, at another outlet
    quiet = run(home, subs)
    assert "quiet: 1 alerts already sent within the quiet period" in quiet.stdout
    assert len(hook.requests) == 1
    store_article(home, "three", cluster="story2")  # a new story is alerted at once
    assert run(home, subs).exit_code == 0 and len(hook.requests) == 2


def test_filters_choose_what_a_subscription_hears(
    tmp_path: Path, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook, 'persons = ["Allalyev"]\n')
    assert run(home, subs).exit_code == 0
    assert hook.requests == []
    store_article(home, "two", persons=("Bayram Allalyev",))
    assert run(home, subs).exit_code == 0
    assert [json.loads(r.body)["persons"] for r in hook.requests] == [["Bayram Allalyev"]]


def test_status_changes_are_alerted_and_open_the_digest_subject(
    tmp_path: Path, smtp: SmtpReceiver, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    store_article(home, "one", persons=())
    with Store(DataHome(home)) as store, store.transaction():
        store.events.log_status(
            "Bayram Allalyev",
            "detained",
            "2021-10-19",
            "Istanbul",
            "unknown",
            "detained since 2021-10-19 (Istanbul)",
            1,
        )
    subs = write_subscriptions(tmp_path / "subs.toml", smtp, hook)
    assert run(home, subs).exit_code == 0
    assert smtp.messages[0].message["Subject"] == "tmwatch: 1 new, 1 status change (Allalyev)"
    [alert] = [json.loads(r.body) for r in hook.requests]
    assert alert["alert"] == "status" and alert["person"] == "Bayram Allalyev"


def test_a_directory_subscription_writes_owner_only_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subs = tmp_path / "subs.toml"
    subs.write_text(
        '[[subscription]]\nname = "files"\nchannel = "directory"\npath = "out"\nformat = "md"\n'
    )
    assert run(home, subs).exit_code == 0
    [written] = list((tmp_path / "out").iterdir())
    assert written.name.startswith("tmwatch-files-digest-") and written.suffix == ".md"
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    assert "Таганова" in written.read_text()


def test_an_unwritable_directory_is_a_failure_not_a_loss(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    blocker = tmp_path / "file"
    blocker.write_text("a regular file")
    subs = tmp_path / "subs.toml"
    subs.write_text(
        f'[delivery]\nattempts_per_run = 1\n[[subscription]]\nname = "files"\n'
        f'channel = "directory"\npath = "{blocker}/sub"\n'
    )
    failed = run(home, subs)
    assert failed.exit_code == 1 and f"directory {blocker}/sub" in failed.stdout
    with Store(DataHome(home)) as store:
        assert len(store.outbox.pending()) == 1


def test_a_missing_signing_secret_never_sends_unsigned(
    tmp_path: Path, hook: HookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMWATCH_HOOK_SECRET", raising=False)
    home = tmp_path / "home"
    store_article(home, "one")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook)
    failed = run(home, subs)
    assert failed.exit_code == 1 and "TMWATCH_HOOK_SECRET is not set" in failed.stdout
    assert hook.requests == []


def test_a_queued_message_survives_a_crash_before_sending(
    tmp_path: Path, smtp: SmtpReceiver
) -> None:
    """Queued (mark moved) but never sent: the next run sends it, and queues nothing new."""
    home = tmp_path / "home"
    store_article(home, "one")
    subs_path = write_subscriptions(tmp_path / "subs.toml", smtp, None)
    subscriptions = load_subscriptions(subs_path)
    with Store(DataHome(home)) as store:
        queued = queue_due(store, subscriptions)
        assert [q.subscription for q in queued.queued] == ["team"]
        # ... the process dies here ...
    with Store(DataHome(home)) as store:
        report = deliver(store, subscriptions, Secrets(None, {}))
    assert [a.outcome for a in report.attempts] == ["sent"] and not report.queued.queued
    assert len(smtp.messages) == 1


def test_a_daily_subscription_gets_one_digest_per_day_in_its_zone(
    tmp_path: Path, smtp: SmtpReceiver
) -> None:
    home = tmp_path / "home"
    store_article(home, "one")
    subscriptions = load_subscriptions(write_subscriptions(tmp_path / "subs.toml", smtp, None))
    day = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    with Store(DataHome(home)) as store:
        assert len(queue_due(store, subscriptions, clock=lambda: day).queued) == 1
    store_article(home, "two")
    with Store(DataHome(home)) as store:
        later = day + timedelta(hours=3)  # 23:00 UTC: the same day in UTC
        assert queue_due(store, subscriptions, clock=lambda: later).queued == []
        tomorrow = day + timedelta(hours=5)
        [queued] = queue_due(store, subscriptions, clock=lambda: tomorrow).queued
        assert queued.summary == "tmwatch: 1 new (Taganova)"


def test_a_run_killed_while_sending_is_completed_by_the_next_with_the_same_message(
    tmp_path: Path,
) -> None:
    """SIGKILL while the receiver is slow to answer: the next run sends the same bytes again,
    with the same idempotency key, so the receiver can drop the repeat."""
    home = tmp_path / "home"
    store_article(home, "one")
    with HookReceiver(secret=SECRET, delay=30) as slow:
        subs = write_subscriptions(tmp_path / "subs.toml", None, slow)
        subs.write_text(subs.read_text().replace("timeout = 3", "timeout = 60"))
        env = {**cli_env(home), "TMWATCH_HOOK_SECRET": SECRET}
        with subprocess.Popen(
            [sys.executable, "-m", "tmwatch", "run", "--no-crawl", "--subscriptions", str(subs)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as running:
            deadline = time.monotonic() + 60
            while not slow.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert slow.requests, "the run never reached the receiver"
            running.send_signal(signal.SIGKILL)
            running.wait()
        slow.delay = 0
        slow.status = 200
        again = subprocess.run(
            [sys.executable, "-m", "tmwatch", "run", "--no-crawl", "--subscriptions", str(subs)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert "ended without finishing; completing it" in again.stdout
        assert len(slow.requests) == 2
        first, second = slow.requests
        assert first.body == second.body
        assert first.header("Idempotency-Key") == second.header("Idempotency-Key")


def test_the_html_part_survives_a_hostile_title(tmp_path: Path, smtp: SmtpReceiver) -> None:
    home = tmp_path / "home"
    article = store_article(home, "one")
    with Store(DataHome(home)) as store, store.transaction():
        store.db.execute(
            "UPDATE articles SET title = ? WHERE id = ?",
            ('<img src="https://tracker.example/p.gif"><script>x()</script>', article),
        )
    subs = write_subscriptions(tmp_path / "subs.toml", smtp, None)
    assert run(home, subs).exit_code == 0
    html = parts(email.message_from_bytes(smtp.messages[0].content, policy=default_policy))[
        "text/html"
    ]
    assert "<img" not in html and "<script>x()" not in html and "tracker.example/p.gif" in html


def test_on_the_sample_outlets_two_runs_deliver_each_digest_and_alert_once(
    tmp_path: Path, sample_server: SampleServer, smtp: SmtpReceiver, hook: HookReceiver
) -> None:
    """The issue's "done when": crawl the sample outlets with `tmwatch run`, twice."""
    home = tmp_path / "home"
    subs = write_subscriptions(tmp_path / "subs.toml", smtp, hook)
    env = {**cli_env(home), "TMWATCH_HOOK_SECRET": SECRET}
    command = [
        sys.executable,
        "-m",
        "tmwatch",
        "run",
        "--registry",
        str(SAMPLE_REGISTRY),
        "--base",
        sample_server.base,
        *FAST,
        "--subscriptions",
        str(subs),
    ]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode in (0, 1), first.stderr
    assert "sent: team (email digest" in first.stdout
    assert len(smtp.messages) == 1
    subject = smtp.messages[0].message["Subject"]
    assert subject.startswith("tmwatch: ") and " new" in subject
    alerts = [json.loads(r.body) for r in hook.requests]
    assert alerts and all(r.valid_signature for r in hook.requests)
    stories = [a["story"] for a in alerts if a["alert"] == "article"]
    assert stories and len(stories) == len(set(stories))  # one alert per story
    sent = len(hook.requests)

    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode in (0, 1), second.stderr
    assert "not due: team: today's digest is already queued" in second.stdout
    assert len(smtp.messages) == 1
    # The second crawl may store an article the first could not fetch (the slow page): that is
    # news. But no article is ever alerted twice.
    alerted = [
        article["id"]
        for request in hook.requests
        for article in json.loads(request.body).get("articles", [])
    ]
    assert len(alerted) == len(set(alerted)) and len(hook.requests) >= sent
    # Whatever the crawl's exit code, nothing waits in the outbox.
    with Store(DataHome(home)) as store:
        assert store.outbox.pending() == [] and store.outbox.dead_letters() == []


def test_a_burst_of_stories_is_capped_with_one_summary_alert(
    tmp_path: Path, hook: HookReceiver, env_secret: None
) -> None:
    home = tmp_path / "home"
    for n in range(5):
        store_article(home, f"s{n}")
    subs = write_subscriptions(tmp_path / "subs.toml", None, hook, "max_alerts = 3\n")
    assert run(home, subs).exit_code == 0
    alerts = [json.loads(r.body) for r in hook.requests]
    assert [a["alert"] for a in alerts] == ["article", "article", "summary"]
    assert len(alerts[2]["alerts"]) == 3 and "3 more reports" in alerts[2]["subject"]
