"""The subscriptions file, the secrets file, the schedule texts and the data home's run lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers import ROOT, cli_env, invoke
from tmwatch.config.secrets import Secrets, SecretsError
from tmwatch.config.subscriptions import (
    SubscriptionsError,
    Vocabulary,
    build_subscriptions,
    is_loopback,
    load_subscriptions,
    parse_duration,
)
from tmwatch.config.user import ConfigFiles
from tmwatch.delivery.schedule import ScheduleError, cron_line, systemd_units
from tmwatch.store import DataHome, Store
from tmwatch.store.lock import LOCK_BUSY, LockBusy, RunLock

SMTP = {"host": "smtp.example.org", "port": 587, "from": "tmwatch@example.org"}


def vocabulary() -> Vocabulary:
    files = ConfigFiles(packaged_only=True)
    return Vocabulary.of(files.load_watchlist(), files.load_topics(), files.load_registry())


def problems(data: dict) -> list[str]:
    with pytest.raises(SubscriptionsError) as caught:
        build_subscriptions(data, "subs.toml", vocabulary())
    return caught.value.problems


def test_the_issue_example_loads_with_filters_resolved_in_any_script() -> None:
    subs = build_subscriptions(
        {
            "smtp": {**SMTP, "starttls": True},
            "subscription": [
                {
                    "name": "team",
                    "channel": "email",
                    "to": ["monitor@example.org"],
                    "cadence": "daily",
                    "persons": ["Таганова", "allalyev"],
                    "tags": ["detention"],
                    "languages": ["ru"],
                    "outlets": ["ng"],
                },
                {
                    "name": "bridge",
                    "channel": "webhook",
                    "url": "https://hooks.example.org/tmwatch",
                    "secret_env": "TMWATCH_HOOK_SECRET",
                    "cadence": "immediate",
                    "quiet": "2h",
                },
            ],
        },
        "subs.toml",
        vocabulary(),
    )
    team, bridge = subs.entries
    assert team.filters.persons == ("Dursoltan Taganova", "Bayram Allalyev")
    assert team.mark == "subscription:team" and subs.smtp and subs.smtp.encrypted
    assert bridge.quiet == timedelta(hours=2) and bridge.secret_env == "TMWATCH_HOOK_SECRET"


def test_every_problem_names_the_subscription_and_field_at_once() -> None:
    found = problems(
        {
            "smtp": {**SMTP, "starttls": False},
            "subscription": [
                {"name": "team", "channel": "email", "to": ["not-an-address"], "persons": ["X"]},
                {"name": "team", "channel": "pigeon"},
                {"name": "hook", "channel": "webhook", "url": "http://hooks.example.org/x"},
                {"name": "s", "channel": "webhook", "url": "https://h.org", "secret_env": "s3cr3t"},
                {"name": "d", "channel": "directory", "path": "/tmp/x", "format": "pdf"},
                {"name": "q", "channel": "directory", "path": "/tmp/x", "quiet": "soon"},
                {"name": "typo", "channel": "email", "to": ["a@b.org"], "persns": []},
            ],
        }
    )
    text = "\n".join(found)
    assert "subscription 'team', field 'to': not an email address" in text
    assert "field 'persons': unknown 'X' (valid: Akhmed Rakhmanov" in text
    assert "plain text" in text and "allow_insecure" in text  # plain SMTP to a remote host
    assert "subscription 'team', field 'channel': must be one of email, webhook, directory" in text
    assert "subscription 'hook', field 'url': plain http to hooks.example.org" in text
    assert "field 'secret_env': the name of an environment variable" in text
    assert "subscription 'd', field 'format'" in text
    assert "subscription 'q', field 'quiet'" in text
    assert "subscription 'typo', field 'persns': unknown field (typo?)" in text
    assert all("\n" not in p for p in found)


def test_plain_text_is_allowed_to_loopback_or_when_the_subscription_consents() -> None:
    subs = build_subscriptions(
        {
            "smtp": {"host": "127.0.0.1", "port": 2525, "from": "t@example.org", "starttls": False},
            "subscription": [
                {"name": "a", "channel": "email", "to": ["m@example.org"]},
                {"name": "b", "channel": "webhook", "url": "http://127.0.0.1:9/h"},
                {
                    "name": "c",
                    "channel": "webhook",
                    "url": "http://intranet.example.org/h",
                    "allow_insecure": True,
                },
            ],
        },
        "subs.toml",
    )
    assert [s.name for s in subs.enabled] == ["a", "b", "c"]


def test_email_needs_smtp_and_tls_choices_exclude_each_other() -> None:
    found = problems({"subscription": [{"name": "a", "channel": "email", "to": ["m@x.org"]}]})
    assert found == ["subscription 'a': an email subscription needs an [smtp] section"]
    found = problems({"smtp": {**SMTP, "tls": True, "starttls": True}})
    assert "exclude each other" in found[0]


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.toml"
    path.write_text("[[subscription]\nname = 'x'\n")
    with pytest.raises(SubscriptionsError, match="invalid TOML"):
        load_subscriptions(path)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6h", 21600), ("30m", 1800), ("2d", 172800), ("45s", 45), (90, 90), ("1.5h", 5400)],
)
def test_durations(text: object, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["soon", "-1", -5, True, "6 weeks"])
def test_bad_durations(text: object) -> None:
    assert parse_duration(text) is None


def test_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.0.2.1") and not is_loopback("example.org") and not is_loopback("")


def test_secrets_come_from_the_environment_then_an_owner_only_file(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('TMWATCH_SMTP_PASSWORD = "from-file"\n')
    path.chmod(0o600)
    assert Secrets(path, {}).get("TMWATCH_SMTP_PASSWORD") == "from-file"
    assert Secrets(path, {"TMWATCH_SMTP_PASSWORD": "env"}).get("TMWATCH_SMTP_PASSWORD") == "env"
    assert Secrets(tmp_path / "none.toml", {}).get("X") is None
    path.chmod(0o640)
    with pytest.raises(SecretsError, match="readable by others"):
        Secrets(path, {}).get("TMWATCH_SMTP_PASSWORD")


def test_the_subscriptions_command_checks_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "subs.toml"
    path.write_text(
        '[[subscription]]\nname = "files"\nchannel = "directory"\npath = "out"\n'
        'persons = ["Taganova"]\n'
    )
    ok = invoke("subscriptions", "--subscriptions", str(path), "--check", home=tmp_path / "h")
    assert ok.exit_code == 0 and "1 subscriptions, no problems" in ok.stdout
    listed = invoke("subscriptions", "--subscriptions", str(path), "--json", home=tmp_path / "h")
    row = json.loads(listed.stdout)["subscriptions"][0]
    assert row["filters"]["persons"] == ["Dursoltan Taganova"]
    assert row["to"] == str(tmp_path / "out")  # relative to the subscriptions file
    path.write_text('[[subscription]]\nname = "x"\nchannel = "email"\n')
    bad = invoke("subscriptions", "--subscriptions", str(path), home=tmp_path / "h")
    assert bad.exit_code == 2 and "needs an [smtp] section" in bad.stderr


def test_init_writes_a_subscriptions_template_that_delivers_nothing(tmp_path: Path) -> None:
    result = invoke("--config-dir", str(tmp_path / "c"), "init")
    assert result.exit_code == 0
    path = tmp_path / "c" / "subscriptions.toml"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert load_subscriptions(path).entries == ()


# -- schedule --------------------------------------------------------------------------------


def test_systemd_units_run_the_command_on_a_calendar() -> None:
    text = systemd_units("/opt/tmwatch/bin/tmwatch run", "30m")
    assert "ExecStart=/opt/tmwatch/bin/tmwatch run" in text
    assert "OnCalendar=*-*-* *:00/30:00" in text and "SuccessExitStatus=75" in text
    assert "systemctl --user enable --now tmwatch.timer" in text
    assert "OnCalendar=*-*-* 00/6:00:00" in systemd_units("tmwatch run", "6h")


def test_cron_lines() -> None:
    assert "\n0 * * * * " in cron_line("tmwatch run", "1h")
    assert "\n*/15 * * * * " in cron_line("tmwatch run", "15m")
    assert "\n0 6 * * * " in cron_line("tmwatch run", "1d")
    for bad in ("7m", "1m", "5h", "soon"):
        with pytest.raises(ScheduleError):
            cron_line("tmwatch run", bad)


def test_the_schedule_command(tmp_path: Path) -> None:
    result = invoke("--home", str(tmp_path), "schedule", "--systemd", "--every", "2h")
    assert result.exit_code == 0 and f"--home {tmp_path}" in result.stdout
    assert invoke("schedule").exit_code == 2
    assert invoke("schedule", "--cron", "--every", "7m").exit_code == 2


# -- the run lock ----------------------------------------------------------------------------


def test_a_second_job_on_the_same_home_exits_with_a_clear_line(tmp_path: Path) -> None:
    with RunLock(tmp_path, "run"):
        with pytest.raises(LockBusy, match=r"`tmwatch run` \(pid \d+"):
            with RunLock(tmp_path, "crawl"):
                pass
    with RunLock(tmp_path, "crawl") as again:
        assert again.stale is None  # released cleanly, nothing stale


def test_a_waiting_job_runs_once_the_first_is_done(tmp_path: Path) -> None:
    first = RunLock(tmp_path, "run").__enter__()
    threading.Timer(0.5, first.__exit__).start()
    started = time.monotonic()
    with RunLock(tmp_path, "run", wait=10):
        assert 0.3 < time.monotonic() - started < 9


def test_a_killed_holder_never_blocks_and_is_reported_stale(tmp_path: Path) -> None:
    """The kernel drops a dead process's flock; the file still names it."""
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from tmwatch.store.lock import RunLock\n"
            "RunLock(Path(sys.argv[1]), 'run').__enter__(); print('held', flush=True); "
            "time.sleep(60)",
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy):
            RunLock(tmp_path, "run").__enter__()
        holder.kill()
        holder.wait()
    with RunLock(tmp_path, "run") as lock:
        assert lock.stale is not None and lock.stale.pid == holder.pid


def test_run_exits_75_while_another_job_holds_the_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store(DataHome(home).create()).close()
    with RunLock(home, "crawl"):
        ran = subprocess.run(
            [sys.executable, "-m", "tmwatch", "run", "--no-crawl"],
            cwd=ROOT,
            env=cli_env(home),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert ran.returncode == LOCK_BUSY, ran.stderr
    assert "`tmwatch crawl` (pid" in ran.stderr and "is using this data home" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert os.path.exists(home / "run.lock")
