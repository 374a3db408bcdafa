"""The autopilot's scheduler entries: the systemd user units (checked by systemd-analyze where
it is installed) and the crontab line, printed and installed into a crontab the user's other
lines survive."""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from socialkpi.outputs import schedule

PLAN = schedule.Plan(3, 8, 0, "Asia/Taipei", Path("/srv/skpi"), "/srv/skpi/.venv/bin/socialkpi")


def test_the_timer_runs_on_the_day_in_the_zone_and_catches_up():
    timer = schedule.timer(PLAN)
    assert "OnCalendar=*-*-03 08:00:00 Asia/Taipei" in timer
    assert "Persistent=true" in timer and "WantedBy=timers.target" in timer
    service = schedule.service(PLAN)
    assert "ExecStart=/srv/skpi/.venv/bin/socialkpi autopilot --month previous" in service
    assert "WorkingDirectory=/srv/skpi" in service and "Type=oneshot" in service


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not here")
def test_systemd_accepts_the_units(tmp_path):
    repo = Path(__file__).resolve().parent.parent
    plan = schedule.Plan(3, 8, 0, "Asia/Taipei", repo, shutil.which("true"))
    (tmp_path / f"{schedule.NAME}.service").write_text(schedule.service(plan), "utf-8")
    (tmp_path / f"{schedule.NAME}.timer").write_text(schedule.timer(plan), "utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    when = subprocess.run(
        ["systemd-analyze", "calendar", "*-*-03 08:00:00 Asia/Taipei"],
        capture_output=True,
        text=True,
    )
    assert when.returncode == 0 and "Next elapse" in when.stdout


def test_the_cron_line_is_in_the_machines_zone():
    # 08:00 in Taipei (UTC+8) is midnight UTC; 05:00 in Taipei is 21:00 UTC the day before
    line = schedule.cron_line(PLAN, "UTC", datetime(2026, 12, 1))
    assert line.startswith("0 0 3 * * cd /srv/skpi && ") and "autopilot --month previous" in line
    early = schedule.Plan(3, 5, 30, "Asia/Taipei", PLAN.repo, PLAN.command)
    assert schedule.cron_line(early, "UTC", datetime(2026, 12, 1)).startswith("30 21 2 * * ")
    assert schedule.cron_line(PLAN, "Asia/Taipei", datetime(2026, 12, 1)).startswith("0 8 3 * * ")


def test_installing_twice_and_removing_keep_the_users_own_lines():
    mine = "15 4 * * * /usr/bin/backup\n"
    line = schedule.cron_line(PLAN, "UTC", datetime(2026, 12, 1))
    once = schedule.with_line(mine, line)
    twice = schedule.with_line(once, line)
    assert twice == once and twice.count(schedule.MARK) == 1 and twice.startswith(mine)
    assert schedule.with_line(twice, None) == mine


def test_a_day_some_month_lacks_or_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="1 to 28"):
        schedule.Plan(31, 8, 0, "Asia/Taipei", PLAN.repo, PLAN.command)
    with pytest.raises(Exception):  # noqa: B017, PT011 - zoneinfo's own error
        schedule.Plan(3, 8, 0, "Asia/Taipeh", PLAN.repo, PLAN.command)


def test_schedule_print_shows_units_and_cron_line(capsys):
    from socialkpi.cli import main

    assert main(["schedule", "--day", "5", "--time", "09:30", "--print"]) == 0
    out = capsys.readouterr().out
    assert "OnCalendar=*-*-05 09:30:00 Asia/Taipei" in out
    assert "# crontab (machine zone" in out and "autopilot --month previous" in out
    assert main(["schedule", "--day", "31", "--print"]) == 2
