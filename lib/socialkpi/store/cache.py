"""Reads of a read-only store, kept for the life of the process: the bundle runs a brand's
seven pages in one kernel and a dashboard answers every control in one, so the month's posts,
KPI totals, goal status and executive summary are computed once and shared by every page and
view that asks for them.

A result is kept only while it cannot change: the connection reads a read-only file (the
serving copy) and the key holds that file's path, size and time of change, so a new import
(a new serving copy) is a new key. Writable and in-memory stores are never cached. Every
caller gets its own deep copy, so a page that changes a frame changes no other page's.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import os
from collections import OrderedDict
from datetime import date

import pandas as pd


class _Unkeyable(Exception):
    """An argument with no value-based key (the call is not cached)."""


def store_key(con) -> tuple | None:
    """The read-only file ``con`` reads, with its size and time of change; None when the store
    can change under the connection (writable, in memory) and nothing may be cached."""
    try:
        rows = con.execute(
            "SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchall()
    except Exception:  # not a DuckDB connection (a test's stand-in): no caching
        return None
    if not rows or not rows[0][0] or not rows[0][1]:
        return None
    path = rows[0][0]
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (path, stat.st_size, stat.st_mtime_ns)


def frozen(value):
    """A hashable key for an argument, by value: scalars, dates, enums and frozen dataclasses
    as they are, lists and dicts item by item, frames by their content, pydantic models by
    their JSON. Anything else raises (and the call is not cached: an object keyed by its
    identity could meet another one later at the same address)."""
    if value is None or isinstance(value, (str, int, float, bool, date, enum.Enum)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), frozen(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:
        return (type(value).__qualname__, *(frozen(v) for v in dataclasses.astuple(value)))
    if isinstance(value, pd.DataFrame):
        try:
            digest = int(pd.util.hash_pandas_object(value, index=True).sum())
        except TypeError as err:  # cells that are lists
            raise _Unkeyable from err
        return ("frame", tuple(map(str, value.columns)), value.shape, digest)
    if hasattr(value, "model_dump_json"):
        return (type(value).__qualname__, value.model_dump_json())
    raise _Unkeyable(type(value).__name__)


def cached(maxsize: int = 16):
    """Keep up to ``maxsize`` results of a read ``fn(con, ...)`` per store state (see the module
    docstring); the least recently used goes first."""

    def decorate(fn):
        kept: OrderedDict = OrderedDict()

        @functools.wraps(fn)
        def read(con, *args, **kwargs):
            where = store_key(con)
            try:
                key = (where, frozen(args), frozen(kwargs)) if where else None
            except _Unkeyable:
                key = None
            if key is None:
                return fn(con, *args, **kwargs)
            if key in kept:
                kept.move_to_end(key)
                return copy.deepcopy(kept[key])
            result = fn(con, *args, **kwargs)
            kept[key] = copy.deepcopy(result)
            while len(kept) > maxsize:
                kept.popitem(last=False)
            return result

        read.cache_clear = kept.clear
        return read

    return decorate
