"""``socialkpi connect``, ``connections`` and ``pull``: keep a brand's API tokens in the
credentials store, list them (never the token), and pull the API into the landing folder and
the store (``--replay`` imports a landing folder without the network)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from socialkpi.cli._common import FAILED, OK, UsageError, _command
from socialkpi.config import REPO, brands

LANDING = REPO / "data" / "landing"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _add_connect(sub, shared) -> None:
    from socialkpi.connectors.credentials import PLATFORMS

    cmd = _command(
        sub,
        "connect",
        "keep a brand's API token (Facebook Page, Instagram, Threads, LINE Official Account) in the credentials store",
        "THREADS_TOKEN=... socialkpi connect threads --brand lumi_tea --account-id 1784 --token-env THREADS_TOKEN",
        [shared["brand"]],
    )
    cmd.add_argument("platform", choices=PLATFORMS)
    cmd.add_argument(
        "--account-id",
        required=True,
        help="the Page, Instagram or Threads user id, or the LINE Official Account's @ id",
    )
    cmd.add_argument(
        "--token-env",
        metavar="VAR",
        help="read the long-lived token (LINE: the channel access token) from this environment "
        "variable (else it is asked for)",
    )
    cmd.add_argument("--app-id", default="", help="the Meta app the token belongs to")
    cmd.add_argument("--scopes", default="", help="comma-separated permissions the token holds")
    cmd.add_argument("--expires", type=_day, help="the day the token expires (YYYY-MM-DD)")
    cmd.set_defaults(run=_connect)


def _add_connections(sub, shared) -> None:
    cmd = _command(
        sub,
        "connections",
        "list the brands' API connections: account, scopes, expiry (never the token)",
        "socialkpi connections --format json",
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.set_defaults(run=_connections)


def _add_pull(sub, shared) -> None:
    cmd = _command(
        sub,
        "pull",
        "pull a brand's data from the APIs into the landing folder and the store",
        "socialkpi pull --brand lumi_tea --platform threads --since 2026-10-01 --until 2026-10-31",
        [shared["brand"], shared["db"]],
    )
    cmd.add_argument("--platform", choices=["facebook", "instagram", "threads", "line"])
    cmd.add_argument(
        "--since", type=_day, help="first day (default 28 days before --until; LINE: 7 days)"
    )
    cmd.add_argument("--until", type=_day, help="last day (default yesterday: today is not over)")
    cmd.add_argument(
        "--landing", default=str(LANDING), help="landing folder (default data/landing)"
    )
    cmd.add_argument("--replay", metavar="DIR", help="import a landing folder; no network")
    cmd.add_argument(
        "--messages",
        metavar="CSV",
        help="LINE: a CSV with request_id and title columns, the broadcasts and narrowcasts to "
        "ask statistics for (LINE lists no past messages: keep the X-Line-Request-Id of each send)",
    )
    cmd.set_defaults(run=_pull)


def _store():
    from socialkpi.connectors import credentials

    return credentials.path()


def _connect(args) -> int:
    from socialkpi.connectors import credentials

    brands.check(args.brand)
    token = os.environ.get(args.token_env, "") if args.token_env else ""
    if args.token_env and not token:
        raise UsageError(f"the environment variable {args.token_env} is empty")
    if not token:
        token = getpass.getpass(f"{args.platform} token for {args.brand}: ")
    if not token.strip():
        raise UsageError("no token given")
    connection = credentials.Connection(
        args.brand,
        args.platform,
        args.account_id,
        credentials.Token(token.strip()),
        args.app_id,
        tuple(s.strip() for s in args.scopes.split(",") if s.strip()),
        args.expires,
    )
    credentials.save(_store(), connection)
    print(
        f"connected {args.brand} to {args.platform} (account {args.account_id}); token kept in {_store()}"
    )
    return OK


def _connections(args) -> int:
    from socialkpi.connectors import credentials

    found = [c.public() for c in credentials.load(_store())]
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return OK
    if not found:
        print(f"no connections in {_store()}: add one with `socialkpi connect PLATFORM --brand B`")
        return OK
    today = date.today()
    for c in found:
        expiry = "no expiry given"
        if c["expires"]:
            left = (date.fromisoformat(c["expires"]) - today).days
            expiry = (
                f"expires {c['expires']} ({left} days)" if left >= 0 else f"EXPIRED {c['expires']}"
            )
        scopes = ", ".join(c["scopes"]) or "scopes not given"
        print(
            f"{c['brand']:<20} {c['platform']:<10} account {c['account_id']} · {scopes} · {expiry}"
        )
    return OK


def _pull(args) -> int:
    from socialkpi import store

    con = store.open_store(args.db)
    try:
        return _pull_into(con, args)
    finally:
        con.close()
        store.publish(args.db, wait=60)  # readers (pages, dashboards) see what came in


def _pull_into(con, args) -> int:
    from socialkpi.connectors import credentials
    from socialkpi.connectors.pull import pull_one, window
    from socialkpi.ingest import Options, import_paths

    if args.replay:
        folder = Path(args.replay)
        if not folder.exists():
            raise UsageError(f"no landing folder at {folder}")
        results = import_paths(con, [folder], Options(brand=args.brand))
        failed = [r for r in results if r.status == "failed"]
        for r in results:
            print(f"{r.status:<9} {r.path}" + (f"\n          {r.error}" if r.error else ""))
        return FAILED if failed else OK
    brands.check(args.brand)
    chosen = [
        c
        for c in credentials.load(_store())
        if c.brand == args.brand and (args.platform is None or c.platform == args.platform)
    ]
    if not chosen:
        what = args.platform or "any platform"
        raise UsageError(
            f"{args.brand} has no connection to {what}: add one with "
            f"`socialkpi connect {args.platform or 'PLATFORM'} --brand {args.brand}`"
        )
    now = datetime.now(UTC)
    messages = _messages(Path(args.messages)) if args.messages else {}
    failed = False
    for connection in chosen:
        # LINE allows 60 insight calls an hour (two a day pulled): a week unless asked
        days = 7 if connection.platform == "line" else 28
        since, until = window(args.since, args.until, now, days)
        result = pull_one(con, connection, Path(args.landing), since, until, now, messages=messages)
        if result.status == "pulled":
            rows = sum(sum(r.rows.values()) for r in result.imports)
            print(
                f"pulled {result.brand} {result.platform} {since}..{until}: {result.calls} calls, "
                f"{len(result.imports)} landing files, {rows} rows -> {result.folder}"
            )
            for note in dict.fromkeys(w for r in result.imports for w in r.warnings):
                print(f"  note: {note}")
        else:
            failed = True
            print(f"FAILED  {result.brand} {result.platform}: {result.error}", file=sys.stderr)
            for r in result.imports:
                if r.error:
                    print(f"        {r.error}", file=sys.stderr)
    return FAILED if failed else OK


def _messages(path: Path) -> dict[str, str]:
    """Request id -> title from a CSV with ``request_id`` and (optional) ``title`` columns."""
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {path}: {err}") from None
    if rows and "request_id" not in rows[0]:
        raise UsageError(f"{path}: expected a request_id column (and title), found {list(rows[0])}")
    out = {}
    for n, row in enumerate(rows, 2):
        request_id = (row.get("request_id") or "").strip()
        if not request_id:
            raise UsageError(f"{path}, row {n}: request_id is empty; give the X-Line-Request-Id")
        out[request_id] = (row.get("title") or "").strip()
    return out


COMMANDS = (_add_connect, _add_connections, _add_pull)
