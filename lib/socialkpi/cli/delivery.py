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


def _password(user: str) -> str | None:
    from socialkpi.connectors import credentials

    found = [
        c
        for c in credentials.load(credentials.path())
        if c.platform == "smtp" and c.account_id == user
    ]
    return found[0].token.reveal() if found else None


def _deliver(args) -> int:
    from socialkpi import store
    from socialkpi.metrics.periods import parse_period
    from socialkpi.outputs import delivery

    try:
        parse_period(args.month)
        settings = delivery.load(Path(args.settings))
    except ValueError as err:
        raise UsageError(str(err)) from None
    password = _password(settings.smtp.user) if settings.smtp.user else None
    if settings.smtp.user and password is None and not args.dry_run and not args.hold:
        raise UsageError(
            f"no SMTP password for {settings.smtp.user}: keep it with "
            f"`socialkpi connect-smtp --user {settings.smtp.user}`"
        )
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


COMMANDS = (_add_connect_smtp, _add_deliver)
