"""Several hosts sending one PostgreSQL store's outbox: each message goes out once.

Two senders with their own connections run ``send_pending`` at the same time against a webhook
receiver that is slow to answer, so that they overlap on every message; a sender killed while it
holds a claim loses its lock with its connection, and the message stays pending for the next run.
Everything is real: the PostgreSQL server, the HTTP receiver, a separate process that is killed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import ROOT, cli_env, dead_letter, invoke
from tests.receivers import HookReceiver
from tmwatch.config.secrets import Secrets
from tmwatch.config.subscriptions import Subscriptions, load_subscriptions
from tmwatch.delivery.send import Attempted, send_pending
from tmwatch.delivery.webhook import KEY_HEADER
from tmwatch.store import DataHome, Store

NO_SECRETS = Secrets(None, {})


def subscriptions(path: Path, hook: HookReceiver) -> Subscriptions:
    path.write_text(
        "[delivery]\nattempts_per_run = 1\nbackoff = 0\ntimeout = 20\n"
        f'[[subscription]]\nname = "bridge"\nchannel = "webhook"\nurl = "{hook.url()}"\n'
        'cadence = "immediate"\n'
    )
    return load_subscriptions(path)


def queue(home: DataHome, hook: HookReceiver, count: int) -> list[str]:
    """``count`` pending webhook messages, as ``queue_due`` leaves them; their keys."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    keys = [f"claim-test-{i}" for i in range(count)]
    with Store(home) as store, store.transaction():
        for key in keys:
            store.outbox.add(
                subscription="bridge",
                kind="alert",
                channel="webhook",
                key=key,
                summary=f"alert {key}",
                payload=b'{"key": "' + key.encode() + b'"}',
                meta={"url": hook.url()},
                created_at=now,
            )
    return keys


def received(hook: HookReceiver) -> Counter[str]:
    return Counter(request.header(KEY_HEADER) or "" for request in hook.requests)


def states(home: DataHome) -> dict[str, tuple[str, int]]:
    with Store(home, create=False) as store:
        return {m.key: (m.state, m.attempts) for m in store.outbox.recent(100)}


def test_two_senders_at_once_send_each_message_once(tmp_path: Path, postgres_db: str) -> None:
    home = DataHome(tmp_path / "home", store=postgres_db)
    with HookReceiver(delay=0.3) as hook:
        subs = subscriptions(tmp_path / "subs.toml", hook)
        keys = queue(home, hook, 6)
        start = threading.Barrier(2)
        results: dict[str, list[Attempted]] = {}
        errors: list[BaseException] = []

        def sender(name: str) -> None:
            try:
                with Store(home, create=False) as store:
                    start.wait(timeout=10)
                    results[name] = send_pending(store, subs, NO_SECRETS)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=sender, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert received(hook) == Counter(dict.fromkeys(keys, 1))
    assert states(home) == dict.fromkeys(keys, ("sent", 1))
    outcomes = [a.outcome for run in results.values() for a in run]
    sent = Counter(a.message.key for run in results.values() for a in run if a.outcome == "sent")
    assert sent == Counter(dict.fromkeys(keys, 1))
    # They overlapped: each saw messages the other was sending or had sent; none failed.
    assert set(outcomes) <= {"sent", "busy", "done"}
    assert "busy" in outcomes and all(len(run) == len(keys) for run in results.values())
    busy = next(a for run in results.values() for a in run if a.outcome == "busy")
    assert busy.line().startswith("busy: bridge (webhook alert #") and "another host" in busy.line()


SENDER = """
import sys
from pathlib import Path
from tmwatch.config.secrets import Secrets
from tmwatch.config.subscriptions import load_subscriptions
from tmwatch.delivery.send import send_pending
from tmwatch.store import DataHome, Store

home = DataHome(sys.argv[1], store=sys.argv[2])
subscriptions = load_subscriptions(Path(sys.argv[3]))
with Store(home, create=False) as store:
    send_pending(store, subscriptions, Secrets(None, {}))
"""


def test_a_sender_killed_mid_send_leaves_the_message_pending(
    tmp_path: Path, postgres_db: str
) -> None:
    home = DataHome(tmp_path / "home", store=postgres_db)
    with HookReceiver(delay=60) as hook:
        subs_path = tmp_path / "subs.toml"
        subs = subscriptions(subs_path, hook)
        first, second = queue(home, hook, 2)
        log = tmp_path / "sender.log"
        with log.open("wb") as errors:
            process = subprocess.Popen(
                [sys.executable, "-c", SENDER, str(home.root), postgres_db, str(subs_path)],
                cwd=ROOT,
                env=cli_env(),
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            try:
                deadline = time.monotonic() + 30
                while not hook.requests and time.monotonic() < deadline:
                    assert process.poll() is None, log.read_text()
                    time.sleep(0.05)
                assert received(hook) == Counter({first: 1})  # the child holds the first claim
                hook.delay = 0
                # Meanwhile another host leaves the claimed message alone and sends the next one.
                with Store(home, create=False) as store:
                    meanwhile = send_pending(store, subs, NO_SECRETS)
                assert [(a.message.key, a.outcome) for a in meanwhile] == [
                    (first, "busy"),
                    (second, "sent"),
                ]
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
        assert states(home)[first] == ("pending", 0)  # the killed attempt left no trace
        # The server notices the closed connection and drops the lock: the next run sends it.
        deadline = time.monotonic() + 10
        while True:
            with Store(home, create=False) as store:
                after = send_pending(store, subs, NO_SECRETS)
            if (after and after[0].outcome != "busy") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert [(a.message.key, a.outcome) for a in after] == [(first, "sent")]
        assert received(hook) == Counter({first: 2, second: 1})  # killed attempt, then the send
    assert states(home) == {first: ("sent", 1), second: ("sent", 1)}


@pytest.mark.parametrize("taken", ["sent", "pending"])
def test_claim_on_sqlite_is_a_fresh_read(tmp_path: Path, taken: str) -> None:
    """SQLite keeps sending outside transactions: the claim only re-reads the message."""
    home = DataHome(tmp_path / "home")
    with HookReceiver() as hook:
        (key,) = queue(home, hook, 1)
    with Store(home) as store:
        (message,) = store.outbox.pending()
        if taken == "sent":
            with store.transaction():
                store.outbox.sent(message.id, "2026-01-01T00:00:00+00:00")
        with store.outbox.claim(message.id) as claimed:
            assert not store.db.in_transaction
            assert (claimed is None) == (taken == "sent")
            if claimed is not None:
                assert claimed.key == key


def test_subscriptions_lists_a_postgresql_stores_dead_letters(
    postgres_db: str, tmp_path: Path
) -> None:
    """`tmwatch subscriptions` looked for the SQLite file before reading the store, so on
    PostgreSQL it showed no message at all."""
    home = tmp_path / "home"
    with Store(DataHome(home, store=postgres_db)) as store, store.transaction():
        message = dead_letter(
            store, "bridge", "k1", "an alert", "HTTP 500", datetime(2026, 11, 30, tzinfo=UTC)
        )
    subs = tmp_path / "subs.toml"
    subs.write_text('[[subscription]]\nname = "bridge"\nchannel = "directory"\npath = "out"\n')
    listed = invoke(
        "--store", postgres_db, "subscriptions", "--subscriptions", str(subs), "--json", home=home
    )
    assert listed.exit_code == 0, listed.output
    dead = json.loads(listed.stdout)["dead_letters"]
    assert [(d["id"], d["state"], d["last_error"]) for d in dead] == [(message, "dead", "HTTP 500")]
