"""The command line, what readers open: socialkpi report, dashboard, clients, sample."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from socialkpi import store
from socialkpi.cli._common import (
    FAILED,
    OK,
    UsageError,
    WorkFailed,
    _command,
    _counted,
    _month,
    _open_for,
)
from socialkpi.config import brands


def _add_report(sub, shared) -> None:
    cmd = _command(
        sub,
        "report",
        "the monthly report bundle (Papermill + HTML) for brands",
        "socialkpi report --month 2026-10 --brand lumi_tea --lang en",
        [shared["lang"], shared["db"]],
    )
    cmd.add_argument(
        "--month", type=_month, metavar="YYYY-MM", help="default: the latest complete month"
    )
    who = cmd.add_mutually_exclusive_group()
    who.add_argument("--brand", nargs="+", metavar="NAME", type=brands.argument)
    who.add_argument("--all", action="store_true", help="every brand (the default)")
    cmd.add_argument("--notebooks", help="which notebooks (default: all seven), e.g. 03,04")
    cmd.add_argument("--out", default="reports", help="folder (default %(default)s)")
    cmd.add_argument(
        "--pdf",
        action="store_true",
        help="also print each brand's pages into one A4 PDF with the local Chromium",
    )
    cmd.add_argument("--jobs", type=int, help="brands in parallel (default: CPU count)")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run each brand as a task on the Dask cluster with this scheduler",
    )
    where.add_argument(
        "--cluster",
        metavar="local:N",
        help="start a Dask cluster of N worker processes on this machine for the run",
    )
    cmd.add_argument(
        "--timeout", type=int, default=600, help="seconds per notebook cell before giving up"
    )
    cmd.add_argument(
        "--import-sample", action="store_true", help="import data/sample first if there is no store"
    )
    cmd.add_argument(
        "--actions",
        metavar="DIR",
        help="folder of the action logs the retrospective appends to "
        "(default: $SOCIALKPI_ACTIONS, else data/actions)",
    )
    cmd.set_defaults(run=_report)


def _add_dashboard(sub, shared) -> None:
    cmd = _command(
        sub,
        "dashboard",
        "serve the SOP dashboards with Voila (one per step with a page)",
        "socialkpi dashboard --port 8866   (then open http://127.0.0.1:8866/)",
        [shared["db"]],
    )
    cmd.add_argument("--port", type=int, default=8866)
    cmd.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default %(default)s: this machine)"
    )
    cmd.add_argument("--goals", help="folder of <brand>.yaml goals files (default data/goals)")
    cmd.add_argument(
        "--pool-size",
        type=int,
        default=1,
        help="preheated kernels per dashboard, each about 300 MiB (default 1; 0 = none)",
    )
    cmd.add_argument(
        "--token-env",
        metavar="VAR",
        help="viewers must give the token held in this environment variable",
    )
    cmd.add_argument(
        "--idle-timeout",
        type=int,
        default=300,
        help="seconds before the kernel of a closed page stops (default 300)",
    )
    cmd.add_argument(
        "--clients",
        metavar="FILE",
        help="each viewer logs in with a client's token from this file and sees only that "
        "client's brands (see `socialkpi clients`)",
    )
    cmd.set_defaults(run=_dashboard)


def _add_clients(sub, shared) -> None:
    cmd = _command(
        sub,
        "clients",
        "dashboard logins per client: which brands each client's token opens",
        "socialkpi clients add lumi --brands lumi_tea   (prints the token once)",
    )
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    where = {
        "default": "data/clients.yaml",
        "metavar": "FILE",
        "help": "the clients file (default %(default)s)",
    }
    add = actions.add_parser("add", help="add a client, or give it a new token (printed once)")
    add.add_argument("client", metavar="CLIENT", help="the client's id, e.g. lumi")
    add.add_argument(
        "--brands",
        required=True,
        help="the brands it may see, comma-separated, or * for every brand (the agency)",
    )
    add.add_argument("--name", default="", help="a name for people")
    add.add_argument(
        "--url", default="http://127.0.0.1:8866/", help="the dashboards' address, for the link"
    )
    add.add_argument("--file", **where)
    listing = actions.add_parser("list", help="every client and its brands (never a token)")
    listing.add_argument("--file", **where)
    remove = actions.add_parser(
        "remove", help="remove a client: its token and sessions stop working"
    )
    remove.add_argument("client", metavar="CLIENT")
    remove.add_argument("--file", **where)
    cmd.set_defaults(run=_clients)


def _clients(args) -> int:
    from socialkpi.dashboard import access

    try:
        if args.action == "add":
            chosen = (
                "*"
                if args.brands.strip() == "*"
                else [brands.check(b.strip()) for b in args.brands.split(",") if b.strip()]
            )
            token = access.add(args.file, args.client, chosen, args.name)
            print(f"client {args.client}: {args.brands}")
            print(f"its link (shown once; the file keeps only a hash): {args.url}?token={token}")
            return OK
        found = access.load(args.file)
        if args.action == "list":
            for cid, c in sorted(found.clients.items()):
                seen = "every brand" if c.brands == "*" else ", ".join(c.brands)
                print(f"{cid}\t{c.name or '-'}\t{seen}")
            return OK
        if not access.remove(args.file, args.client):
            raise UsageError(f"no client {args.client!r} in {args.file}")
        print(f"removed {args.client}: its token and open sessions no longer work")
        return OK
    except (access.ClientsError, brands.BrandNameError) as err:
        raise UsageError(str(err)) from err


def _add_sample(sub, shared) -> None:
    cmd = _command(
        sub,
        "sample",
        "write the deterministic sample exports",
        "socialkpi sample --out /tmp/sample",
    )
    cmd.add_argument("--out", default="data/sample", help="folder (default %(default)s)")
    cmd.add_argument("--seed", type=int, default=2026, help="random seed (default %(default)s)")
    cmd.set_defaults(run=_sample)


def _report(args) -> int:
    from socialkpi.outputs import bundle

    if args.import_sample and not Path(args.db).exists():
        from socialkpi.ingest import import_paths
        from socialkpi.presentation.notebook import REPO

        con = store.open_store(args.db)
        import_paths(con, [REPO / "data" / "sample"])
        con.close()
    keys = [
        k.strip() for k in (args.notebooks or ",".join(bundle.NOTEBOOKS)).split(",") if k.strip()
    ]
    bad = [k for k in keys if k not in bundle.NOTEBOOKS]
    if bad:
        raise UsageError(f"unknown notebooks {bad}; use {', '.join(bundle.NOTEBOOKS)}")
    con, zones = _open_for(args.db, None)
    month = args.month or store.latest_complete_month(con)
    con.close()
    chosen = args.brand or sorted(zones)
    unknown = [b for b in chosen if b not in zones]
    if unknown:
        raise UsageError(f"unknown brands {unknown}; known: {', '.join(zones)}")
    if month is None:
        raise WorkFailed("the store has no daily data yet; import exports first")
    from socialkpi.outputs.cluster import ClusterError

    try:
        results = bundle.run(
            month,
            chosen,
            args.lang,
            keys,
            args.out,
            args.jobs,
            args.db,
            args.timeout,
            pdf=args.pdf,
            cluster=args.scheduler or args.cluster,
            actions=args.actions,
        )
    except ValueError as err:  # a brand name from an old store, a path leaving --out
        raise UsageError(str(err)) from err
    except ClusterError as err:
        raise WorkFailed(str(err)) from err
    failed = [(r.brand, n, e) for r in results for n, e in r.failed.items()]
    for brand, name, error in failed:
        print(f"FAILED {brand}/{name}: {error}", file=sys.stderr)
    print(
        f"report: {Path(args.out) / month / 'index.html'} "
        f"({_counted(len(results), 'brand')}, {_counted(len(failed), 'failure')})"
    )
    return FAILED if failed else OK


def _dashboard(args) -> int:
    from socialkpi import dashboard
    from socialkpi.presentation import notebook

    token = os.environ.get(args.token_env, "") if args.token_env else ""
    if args.token_env and not token:
        raise UsageError(f"${args.token_env} is empty; set it to the token viewers must give")
    if args.clients:
        from socialkpi.dashboard import access

        if token:
            raise UsageError("--clients and --token-env: choose one (a client's token logs in)")
        try:
            if not access.load(args.clients).clients:
                raise UsageError(
                    f"{args.clients} has no clients: add one with `socialkpi clients add`"
                )
        except access.ClientsError as err:
            raise UsageError(str(err)) from err
    try:
        notebook.open_store(args.db).close()  # builds the sample store on first use, publishes it
    except FileNotFoundError as err:
        raise WorkFailed(str(err)) from err
    if args.ip not in ("127.0.0.1", "localhost", "::1") and not (token or args.clients):
        print(
            f"warning: listening on {args.ip}: anyone who can reach it sees every brand; "
            "see README 'Dashboards for a team' for a token or a reverse proxy",
            file=sys.stderr,
        )
    command = dashboard.voila_command(
        args.port, args.ip, args.pool_size, args.idle_timeout, bool(token), bool(args.clients)
    )
    env = dashboard.voila_env(args.db, args.goals, clients=args.clients)
    if token:
        env["JUPYTER_TOKEN"] = token
    print(f"dashboards: http://{args.ip}:{args.port}/ (Ctrl-C stops)", flush=True)
    os.execve(command[0], command, env)


def _sample(args) -> int:
    from socialkpi.sample import write_sample

    files = write_sample(Path(args.out), seed=args.seed)
    print(f"wrote {len(files)} export files to {args.out}")
    return OK


# the commands this module adds, in the order `socialkpi --help` lists them
COMMANDS = (
    _add_report,
    _add_dashboard,
    _add_clients,
    _add_sample,
)
