"""The ``socialkpi`` command line.

Commands: ``import``, ``imports`` (list, remove), ``metrics``, ``kpi``, ``summary``,
``competitors``, ``plan``, ``money``, ``experiment``, ``alerts``, ``sentiment``, ``report``, ``dashboard``, ``clients``, ``sample``; ``socialkpi COMMAND --help``
shows each one's options and an example. Each command is one ``_add_*`` function declaring
its options and one function running it, in one module per command group: ``imports``,
``review`` (metrics, kpi, summary, competitors, plan), ``money``, ``experiments``, ``alerts`` (and
sentiment), ``outputs`` (report, dashboard, clients, sample); ``_common`` holds what they share. The
work itself lives in the library.

Exit codes, for scripts and cron jobs:

====  ===================================================================================
0     done
1     the work failed: a file was not imported, a notebook failed, no store, no data
2     usage error: an unknown option or value, an unknown brand or file; nothing was done
3     a crisis is open (``alerts``)
====  ===================================================================================
"""

from __future__ import annotations

import argparse
import os
import sys

from socialkpi import store
from socialkpi.cli import (
    alerts,
    connections,
    delivery,
    experiments,
    imports,
    money,
    outputs,
    review,
)
from socialkpi.cli._common import (
    CRISIS,
    FAILED,
    OK,
    STOPPED,
    USAGE,
    UsageError,
    WorkFailed,
    _month,
)
from socialkpi.config import brands
from socialkpi.words.i18n import LANGS

__all__ = [
    "CRISIS",
    "FAILED",
    "OK",
    "STOPPED",
    "USAGE",
    "UsageError",
    "WorkFailed",
    "main",
    "parser",
]


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (argparse itself exits 2 on bad options)."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE
    except (WorkFailed, store.StoreBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return FAILED
    except OSError as err:  # a full disk, a read-only folder: which file, and what to do
        from socialkpi import files

        print(f"error: {files.write_problem(err)}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:  # Ctrl-C: what was finished stays, nothing half made is published
        print("stopped", file=sys.stderr)
        return STOPPED
    except BrokenPipeError:  # `socialkpi imports list | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK


def parser() -> argparse.ArgumentParser:
    """The ``socialkpi`` parser: every command, its options and its ``--help``."""
    top = argparse.ArgumentParser(
        prog="socialkpi",
        description="Social-media KPIs, reports and dashboards from native platform exports. "
        "Run `socialkpi COMMAND --help` for a command's options and an example.",
        epilog="exit codes: 0 done, 1 the work failed, 2 usage error, 3 a crisis is open",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = _shared_options()
    for group in (imports, connections, review, money, experiments, alerts, outputs, delivery):
        for add in group.COMMANDS:
            add(sub, shared)
    return top


def _shared_options() -> dict[str, argparse.ArgumentParser]:
    """Options several commands take, declared once with one default each."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db", default=str(store.DEFAULT_DB), help="DuckDB store (default %(default)s)"
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGS, default=LANGS[0], help="default %(default)s")
    brand = argparse.ArgumentParser(add_help=False)
    brand.add_argument("--brand", required=True, type=brands.argument, help="brand id")
    goals = argparse.ArgumentParser(add_help=False)
    goals.add_argument("--goals", help="goals file (default data/goals/<brand>.yaml)")
    month = argparse.ArgumentParser(add_help=False)  # a calendar month, for the monthly steps
    month.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    month.add_argument("--platform", nargs="+", metavar="NAME", help="default: every platform")
    return {"db": db, "lang": lang, "brand": brand, "goals": goals, "month": month}
