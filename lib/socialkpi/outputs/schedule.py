"""The monthly autopilot's place in the machine's own scheduler: a systemd user timer where
systemd runs (``Persistent=true``: a run missed while the machine was off happens at the next
start), a crontab line otherwise. Both run one command, ``socialkpi autopilot --month
previous``, from the repository, on a chosen day of the month and time in the brand's zone.

systemd reads the zone itself (``OnCalendar=*-*-03 08:00:00 Asia/Taipei``, systemd.time(7));
cron runs in the machine's zone, so the crontab line carries the time converted to it (and
says the zone's time in a comment)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

NAME = "socialkpi-autopilot"
MARK = f"# {NAME}"  # the crontab line's marker: remove finds it by this


@dataclass(frozen=True)
class Plan:
    """When and what the autopilot runs."""

    day: int  # of the month, 1-28 (every month has it)
    hour: int
    minute: int
    timezone: str
    repo: Path
    command: str  # the socialkpi executable

    def __post_init__(self):
        if not 1 <= self.day <= 28:
            raise ValueError(f"day {self.day}: use 1 to 28, a day every month has")
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"{self.hour}:{self.minute:02d} is not a time of day")
        ZoneInfo(self.timezone)  # an unknown zone raises here

    @property
    def run(self) -> str:
        return f"{shlex.quote(self.command)} autopilot --month previous"


def service(plan: Plan) -> str:
    """The systemd user service the timer starts."""
    return (
        "[Unit]\n"
        "Description=socialkpi monthly autopilot: pull, import, report and deliver\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={plan.repo}\n"
        f"ExecStart={plan.run}\n"
    )


def timer(plan: Plan) -> str:
    """The systemd user timer: the day and time in the zone, catching up a missed run."""
    return (
        "[Unit]\n"
        "Description=socialkpi monthly autopilot\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-{plan.day:02d} {plan.hour:02d}:{plan.minute:02d}:00 {plan.timezone}\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def cron_line(plan: Plan, machine_zone: str, when: datetime | None = None) -> str:
    """The crontab line, its time converted to the machine's zone (as of ``when``, default
    now: a zone with summer time shifts it), with a comment naming the zone's time.

    >>> p = Plan(3, 8, 0, "Asia/Taipei", Path("/srv/skpi"), "/srv/skpi/.venv/bin/socialkpi")
    >>> print(cron_line(p, "UTC", datetime(2026, 12, 1)))
    0 0 3 * * cd /srv/skpi && /srv/skpi/.venv/bin/socialkpi autopilot --month previous >> /srv/skpi/reports/autopilot.log 2>&1 # socialkpi-autopilot (08:00 on the 3rd, Asia/Taipei)
    """
    base = when or datetime.now()
    local = datetime(base.year, base.month, plan.day, plan.hour, plan.minute,
                     tzinfo=ZoneInfo(plan.timezone))  # fmt: skip
    here = local.astimezone(ZoneInfo(machine_zone))
    log = shlex.quote(str(plan.repo / "reports" / "autopilot.log"))
    return (
        f"{here.minute} {here.hour} {here.day} * * cd {shlex.quote(str(plan.repo))} && "
        f"{plan.run} >> {log} 2>&1 "
        f"{MARK} ({plan.hour:02d}:{plan.minute:02d} on the {_nth(plan.day)}, {plan.timezone})"
    )


def _nth(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def with_line(crontab: str, line: str | None) -> str:
    """A crontab with the autopilot's line replaced by ``line`` (None: taken out); the
    user's other lines are kept as they were."""
    kept = [row for row in crontab.splitlines() if MARK not in row]
    if line:
        kept.append(line)
    return "\n".join(kept) + "\n" if kept else ""


def unit_dir(home: Path) -> Path:
    """Where systemd looks for a user's units."""
    return home / ".config" / "systemd" / "user"
