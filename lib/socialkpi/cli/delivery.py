"""``socialkpi deliver`` and ``connect-smtp``: email each brand's month (the executive summary,
the combined PDF, the bundle's link) to the brand's readers, hold messages for review and
approve them, or write them as .eml files (``outputs.delivery``)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from socialkpi.cli._common import FAILED, OK, UsageError, _command
from socialkpi.config import REPO

SETTINGS = REPO / "data" / "delivery.yaml"


def _add_connect_smtp(sub, shared) -> None:
    cmd = _command(
        sub,
        "connect-smtp",
        "keep the SMTP password reports are sent with in the credentials store",
        "SMTP_PASSWORD=... socialkpi connect-smtp --user reports@agency.example --password-env SMTP_PASSWORD",
        [],
    )
    cmd.add_argument("--user", required=True, help="the SMTP user (as in delivery.yaml)")
    cmd.add_argument("--password-env", metavar="VAR", help="read it from this variable")
    cmd.set_defaults(run=_connect_smtp)


def _add_deliver(sub, shared) -> None:
    cmd = _command(
        sub,
        "deliver",
        "email each brand's month: the summary, the combined PDF, the bundle's link",
        "socialkpi deliver --month 2026-10 --hold",
        [shared["db"]],
    )
    cmd.add_argument("--month", required=True, metavar="YYYY-MM")
    cmd.add_argument("--brand", nargs="+", metavar="NAME", help="default: every brand of the file")
    cmd.add_argument("--out", default="reports", help="the report folder (default reports)")
    cmd.add_argument("--settings", default=str(SETTINGS), help="default data/delivery.yaml")
    how = cmd.add_mutually_exclusive_group()
    how.add_argument("--hold", action="store_true", help="write for review; send on --approve")
    how.add_argument("--approve", action="store_true", help="send the held messages")
    how.add_argument("--dry-run", metavar="DIR", help="write .eml files to DIR; send nothing")
    cmd.set_defaults(run=_deliver)


def _connect_smtp(args) -> int:
    from socialkpi.connectors import credentials

    password = os.environ.get(args.password_env, "") if args.password_env else ""
    if args.password_env and not password:
        raise UsageError(f"the environment variable {args.password_env} is empty")
    password = password or getpass.getpass(f"SMTP password for {args.user}: ")
    if not password:
        raise UsageError("no password given")
    where = credentials.path()
    credentials.save(
        where, credentials.Connection("*", "smtp", args.user, credentials.Token(password))
    )
    print(f"SMTP password of {args.user} kept in {where}")
    return OK


def _settings(path: str, need_password: bool):
    """The delivery file, checked, and the SMTP password the credentials store keeps for its
    user (refused when sending needs one and there is none)."""
    from socialkpi.connectors import credentials
    from socialkpi.outputs import delivery

    try:
        settings = delivery.load(Path(path))
    except ValueError as err:
        raise UsageError(str(err)) from None
    user = settings.smtp.user
    found = [
        c
        for c in credentials.load(credentials.path())
        if user and c.platform == "smtp" and c.account_id == user
    ]
    if user and not found and need_password:
        raise UsageError(
            f"no SMTP password for {user}: keep it with `socialkpi connect-smtp --user {user}`"
        )
    return settings, found[0].token.reveal() if found else None


def _deliver(args) -> int:
    from socialkpi import store
    from socialkpi.metrics.periods import parse_period
    from socialkpi.outputs import delivery

    try:
        parse_period(args.month)
    except ValueError as err:
        raise UsageError(str(err)) from None
    settings, password = _settings(args.settings, not (args.dry_run or args.hold))
    out = Path(args.out)
    if args.approve:
        results = delivery.approve(settings, out, args.month, args.brand, password)
    else:
        con = store.open_serving(args.db)
        try:
            results = delivery.deliver(
                con,
                settings,
                out,
                args.month,
                args.brand,
                hold=args.hold,
                dry_run=Path(args.dry_run) if args.dry_run else None,
                password=password,
            )
        finally:
            con.close()
    for r in results:
        line = f"{r.status:<12} {r.brand}" + (f": {r.detail}" if r.detail else "")
        print(line, file=sys.stderr if r.status == "failed" else sys.stdout)
    if not results:
        print("nothing to deliver" if not args.approve else "no message is held")
    return FAILED if any(r.status == "failed" for r in results) else OK


def _add_schedule(sub, shared) -> None:
    cmd = _command(
        sub,
        "schedule",
        "run the monthly autopilot on a day and time: a systemd user timer, else a crontab line",
        "socialkpi schedule --day 3 --time 08:00 --timezone Asia/Taipei --print",
        [],
    )
    cmd.add_argument("--day", type=int, default=3, help="day of the month, 1-28 (default 3)")
    cmd.add_argument("--time", default="08:00", metavar="HH:MM", help="default 08:00")
    cmd.add_argument("--timezone", default="Asia/Taipei", help="the zone of --time")
    what = cmd.add_mutually_exclusive_group()
    what.add_argument("--print", action="store_true", help="show what would be installed")
    what.add_argument("--remove", action="store_true", help="take the autopilot out")
    cmd.add_argument("--cron", action="store_true", help="a crontab line even where systemd runs")
    cmd.set_defaults(run=_schedule)


def _schedule(args) -> int:
    import shutil
    import subprocess

    from socialkpi.outputs import schedule

    try:
        hour, minute = (int(x) for x in args.time.split(":"))
        command = str(Path(sys.executable).with_name("socialkpi"))  # the environment's own
        plan = schedule.Plan(args.day, hour, minute, args.timezone, REPO, command)
    except (ValueError, KeyError) as err:
        raise UsageError(
            f"cannot schedule {args.time} on day {args.day} in {args.timezone}: {err}"
        ) from None
    zone = _machine_zone()
    if args.print:
        print(f"# ~/.config/systemd/user/{schedule.NAME}.service\n{schedule.service(plan)}")
        print(f"# ~/.config/systemd/user/{schedule.NAME}.timer\n{schedule.timer(plan)}")
        print(f"# crontab (machine zone {zone})\n{schedule.cron_line(plan, zone)}")
        return OK
    systemd = not args.cron and shutil.which("systemctl") and Path("/run/systemd/system").exists()
    if systemd:
        return _systemd(plan, args.remove, subprocess)
    if not shutil.which("crontab"):
        raise UsageError("neither systemd nor crontab is on this machine: install cron, or run "
                         "`socialkpi autopilot --month previous` from another scheduler")  # fmt: skip
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True).stdout
    line = None if args.remove else schedule.cron_line(plan, zone)
    subprocess.run(["crontab", "-"], input=schedule.with_line(current, line), text=True, check=True)
    print("crontab: autopilot " + ("removed" if args.remove else f"added: {line}"))
    return OK


def _systemd(plan, remove: bool, subprocess) -> int:
    from socialkpi.outputs import schedule

    units = schedule.unit_dir(Path.home())
    timer = f"{schedule.NAME}.timer"
    if remove:
        subprocess.run(["systemctl", "--user", "disable", "--now", timer], check=False)
        for suffix in (".service", ".timer"):
            (units / f"{schedule.NAME}{suffix}").unlink(missing_ok=True)
        print(f"systemd: {timer} removed")
        return OK
    units.mkdir(parents=True, exist_ok=True)
    (units / f"{schedule.NAME}.service").write_text(schedule.service(plan), "utf-8")
    (units / timer).write_text(schedule.timer(plan), "utf-8")
    subprocess.run(["systemctl", "--user", "daemon-reload"], check=True)
    subprocess.run(["systemctl", "--user", "enable", "--now", timer], check=True)
    print(f"systemd: {timer} enabled in {units} (missed runs catch up at the next start)")
    return OK


def _machine_zone() -> str:
    """The machine's zone name (cron runs in it): /etc/timezone, else /etc/localtime's link,
    else UTC."""
    found = Path("/etc/timezone")
    if found.exists() and found.read_text().strip():
        return found.read_text().strip()
    link = Path("/etc/localtime")
    if link.is_symlink() and "zoneinfo/" in str(link.resolve()):
        return str(link.resolve()).split("zoneinfo/", 1)[1]
    return "UTC"


def _add_autopilot(sub, shared) -> None:
    cmd = _command(
        sub,
        "autopilot",
        "the monthly run: pull, import the drop folder, build the bundles and PDFs, deliver",
        "socialkpi autopilot --month previous",
        [shared["db"]],
    )
    cmd.add_argument("--month", default="previous", help="YYYY-MM, or previous (the default)")
    cmd.add_argument("--out", default="reports", help="the report folder (default reports)")
    cmd.add_argument("--settings", default=str(SETTINGS), help="default data/delivery.yaml")
    cmd.add_argument("--drop", default=str(REPO / "data" / "drop"), help="default data/drop")
    cmd.add_argument("--timezone", default="Asia/Taipei", help="whose month is 'previous'")
    cmd.add_argument("--hold", action="store_true", help="hold the messages for --approve")
    cmd.set_defaults(run=_autopilot)


def _autopilot(args) -> int:
    from datetime import UTC, datetime

    from socialkpi.metrics.periods import parse_period
    from socialkpi.outputs import autopilot

    settings, password = _settings(args.settings, not args.hold)
    try:
        month = (
            autopilot.previous_month(datetime.now(UTC), args.timezone)
            if args.month == "previous"
            else parse_period(args.month).label
        )
    except ValueError as err:
        raise UsageError(str(err)) from None
    result = autopilot.run(
        Path(args.db), Path(args.out), settings, month, drop=Path(args.drop), hold=args.hold,
        password=password,
    )  # fmt: skip
    for problem in result.problems:
        print(f"problem: {problem}", file=sys.stderr)
    for o in result.delivered:
        print(f"{o.status:<14} {o.brand}" + (f": {o.detail}" if o.detail else ""))
    return OK if result.ok else FAILED


COMMANDS = (_add_connect_smtp, _add_deliver, _add_schedule, _add_autopilot)
