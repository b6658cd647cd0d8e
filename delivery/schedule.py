"""What makes ``tmwatch run`` run by itself: a systemd user timer, or a cron line.

tmwatch prints these and installs nothing: a scheduler entry that runs a program on someone's
machine should be read before it is enabled. The run's own lock keeps two runs apart, so the
timer needs no locking of its own; exit code 75 (another run was busy) counts as success.
"""

from __future__ import annotations

from tmwatch.config.subscriptions import parse_duration


class ScheduleError(ValueError):
    """An interval neither systemd's calendar nor cron can say plainly."""


def _interval(every: str) -> tuple[int, int]:
    """(minutes, hours) for an interval that divides the hour or the day evenly."""
    duration = parse_duration(every)
    if duration is None or duration.total_seconds() <= 0:
        raise ScheduleError(f"--every {every!r}: use a duration such as 30m, 1h, 6h or 1d")
    minutes = int(duration.total_seconds() // 60)
    if duration.total_seconds() % 60 or minutes < 5:
        raise ScheduleError(f"--every {every!r}: use whole minutes, at least 5 (be polite)")
    if minutes < 60 and 60 % minutes == 0:
        return minutes, 0
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        return 0, minutes // 60
    if minutes == 1440:
        return 0, 24
    raise ScheduleError(
        f"--every {every!r}: choose an interval that divides an hour (5m…30m) or a day (1h…24h)"
    )


def systemd_units(command: str, every: str) -> str:
    """A user service and timer, with the commands that install and enable them."""
    minutes, hours = _interval(every)
    if minutes:
        calendar = f"*-*-* *:00/{minutes}:00"
    elif hours == 24:
        calendar = "*-*-* 06:00:00"
    else:
        calendar = f"*-*-* 00/{hours}:00:00"
    return f"""\
# ~/.config/systemd/user/tmwatch.service
[Unit]
Description=tmwatch: crawl the outlets, write the digest, deliver subscriptions
After=network-online.target

[Service]
Type=oneshot
ExecStart={command}
# 75: another tmwatch job held the data home; the next timer tick runs again.
SuccessExitStatus=75
Nice=10
UMask=0077

# ~/.config/systemd/user/tmwatch.timer
[Unit]
Description=Run tmwatch every {every}

[Timer]
OnCalendar={calendar}
RandomizedDelaySec=120
Persistent=true

[Install]
WantedBy=timers.target

# Install: save the two parts above as those files, then
#   systemctl --user daemon-reload && systemctl --user enable --now tmwatch.timer
#   loginctl enable-linger "$USER"    # keep running while you are logged out
# Logs: journalctl --user -u tmwatch.service
"""


def cron_line(command: str, every: str) -> str:
    """One crontab line (``crontab -e``); output is appended to an owner-only log (it names
    sources and people), in the state directory."""
    minutes, hours = _interval(every)
    if minutes:
        when = f"*/{minutes} * * * *"
    elif hours == 24:
        when = "0 6 * * *"
    elif hours == 1:
        when = "0 * * * *"
    else:
        when = f"0 */{hours} * * *"
    log = "$HOME/.local/state/tmwatch-run.log"
    return (
        f"# crontab -e, then add (tmwatch run every {every}; output appended to {log}):\n"
        f"{when} umask 077 && mkdir -p $HOME/.local/state && {command} >> {log} 2>&1"
    )
