"""What every command shares: exit codes, errors, option types, opening the store."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from socialkpi import store

OK, FAILED, USAGE, CRISIS = 0, 1, 2, 3
STOPPED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)
log = logging.getLogger("socialkpi.cli")


class UsageError(Exception):
    """The command was called wrong (exit 2)."""


class WorkFailed(Exception):
    """The command could not do its work (exit 1)."""


def _command(sub, name: str, summary: str, example: str, parents=()) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        parents=list(parents),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _positive(text: str) -> float:
    """``argparse`` type for a number above zero."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _count(text: str) -> int:
    """``argparse`` type for a whole number of 2 or more."""
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"expected a whole number of 2 or more, got {text!r}")
    return int(text)


def _month(text: str) -> str:
    """``argparse`` type for a report month: ``YYYY-MM`` only."""
    from socialkpi.metrics.periods import parse_period

    try:
        period = parse_period(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    if period.kind != "month":
        raise argparse.ArgumentTypeError(f"a report is for a month (YYYY-MM), not {text!r}")
    return period.label


def _counted(n: int, noun: str) -> str:
    """``1 brand``, ``2 brands``, ``0 failures``: a count with its noun, singular for one.

    >>> _counted(1, "brand"), _counted(0, "failure")
    ('1 brand', '0 failures')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _open_for(db: str, brand: str | None):
    """The store, read-only, and its brands' time zones; ``brand`` must be one of them."""
    if not Path(db).exists():
        raise WorkFailed(f"no store at {db}; run `make import` first")
    con = store.open_store(db, read_only=True)
    zones = store.brand_timezones(con)
    if brand is not None and brand not in zones:
        con.close()
        raise UsageError(f"unknown brand {brand!r}; known: {', '.join(zones) or 'none'}")
    return con, zones


def _plain(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isprintable())  # no terminal control codes


def _known(value) -> bool:
    return value is not None and value == value  # NaN is not equal to itself
