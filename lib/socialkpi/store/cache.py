"""Reads of a read-only store, kept for the life of the process: the bundle runs a brand's
seven pages in one kernel and a dashboard answers every control in one, so the month's posts,
KPI totals, goal status and executive summary are computed once and shared by every page and
view that asks for them.

A result is kept only while it cannot change: the connection reads a read-only file (the
serving copy) and the key holds that file's path, size and time of change, so a new import
(a new serving copy) is a new key. Writable and in-memory stores are never cached. Every
caller gets its own deep copy, so a page that changes a frame changes no other page's.

Where ``$SOCIALKPI_SHARED_READS`` is set (the dashboard server sets it for its kernels), a
result is also kept on disk beside the serving copy (``socialkpi.serving.duckdb.reads/``), so
that every kernel (each viewer has its own) finds what another one computed: a viewer's first
look at a brand then costs a file read, not the month's queries. One process computes a result
while the others wait for it (a lock file per result); the folder of the current store state
replaces those of earlier ones. A file's key also holds socialkpi's own files, the budget and
rates files a read may open and the versions of Python, pandas and numpy, so that changed code
or an edited file never meets an old result.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import enum
import functools
import hashlib
import os
import pickle
import shutil
import stat
import sys
import tempfile
from collections import OrderedDict
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from socialkpi.config import BUDGETS_DIR, RATES_FILE, environment

try:
    import fcntl  # file locks: one process computes a shared read while the others wait
except ImportError:  # Windows
    fcntl = None


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


_KEPT: list[OrderedDict] = []  # every cached read's results, for :func:`forget`


def forget() -> None:
    """Drop every result kept in this process's memory (a report kernel moving on to another
    brand; files of shared reads stay)."""
    for kept in _KEPT:
        kept.clear()


def cached(maxsize: int = 16):
    """Keep up to ``maxsize`` results of a read ``fn(con, ...)`` per store state (see the module
    docstring); the least recently used goes first."""

    def decorate(fn):
        kept: OrderedDict = OrderedDict()
        _KEPT.append(kept)

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
            result = _shared(fn, key, lambda: fn(con, *args, **kwargs))
            kept[key] = copy.deepcopy(result)
            while len(kept) > maxsize:
                kept.popitem(last=False)
            return result

        read.cache_clear = kept.clear
        return read

    return decorate


# what reading a kept result can raise when it is not there, half removed or not a result
_UNREADABLE = (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError)


def first_to_ask(con, what: str) -> bool:
    """True for the first process that asks about ``what`` for the store state ``con`` reads,
    False for every later one (and always without shared reads): one kernel of many does a
    piece of work for all of them."""
    where = store_key(con)
    folder = _state_folder(where) if where and environment().shared_reads else None
    if folder is None:
        return False
    mark = folder / f"{hashlib.sha256(what.encode()).hexdigest()[:32]}.asked"
    try:
        mark.open("x").close()
    except OSError:  # asked before (or nothing can be written here)
        return False
    return True


def _shared(fn, key: tuple, compute):
    """``compute()``, or the result another process kept on disk for ``fn`` and ``key``
    (computed and kept here if none did); just ``compute()`` without shared reads."""
    folder = _state_folder(key[0]) if environment().shared_reads else None
    if folder is None:
        return compute()
    name = hashlib.sha256(repr((fn.__module__, fn.__qualname__, _stable(key[1:]))).encode())
    path = folder / f"{name.hexdigest()[:32]}.pickle"
    with _one_at_a_time(path.with_suffix(".lock")):
        try:
            with path.open("rb") as kept:
                return pickle.load(kept)
        except _UNREADABLE:
            pass  # not there yet (or unreadable): compute it
        result = compute()
        _write(path, result)
        return result


def _stable(value):
    """``value`` (a :func:`frozen` key) with its sets in sorted order: its ``repr`` is then the
    same in every process (a set's order follows the process's string hashes)."""
    if isinstance(value, frozenset):
        return ("set", *sorted((_stable(v) for v in value), key=repr))
    if isinstance(value, tuple):
        return tuple(_stable(v) for v in value)
    return value


def _state_folder(where: tuple) -> Path | None:
    """The folder for results of the store state ``where`` (:func:`store_key`) under the
    current code and files, made if new (earlier states' folders are removed then); None when
    it cannot be made (a read-only place) or is not this user's alone: a kept result is a
    pickle, which runs code when read, so nobody else may be able to write one."""
    path, size, changed = where
    root = Path(f"{path}.reads")
    state = hashlib.sha256(repr((size, changed, _inputs())).encode()).hexdigest()[:16]
    folder = root / state
    if not folder.is_dir():
        try:
            root.mkdir(mode=0o700, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
        for old in root.iterdir():
            if old.name != state:
                shutil.rmtree(old, ignore_errors=True)
    return folder if all(_private(f) for f in (root, folder)) else None


def _private(folder: Path) -> bool:
    """``folder`` is this user's and nobody else can write in it (always so on Windows)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        found = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o022


@functools.cache
def _inputs() -> tuple:
    """What a read's result depends on besides the store and its arguments: socialkpi's own
    files (code, definitions, lexicon, catalogue), the budget and rates files, and the versions
    of Python, pandas and numpy (a result is unpickled by them)."""
    package = Path(__file__).resolve().parents[1]
    files = [p for p in sorted(package.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    if BUDGETS_DIR.is_dir():
        files += sorted(BUDGETS_DIR.iterdir())
    files.append(RATES_FILE)
    stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file()]
    return (sys.version, pd.__version__, np.__version__, tuple(stats))


@contextlib.contextmanager
def _one_at_a_time(lock: Path):
    """Hold ``lock`` (a file lock, released by the system even if the process dies) so that
    one process computes a result while the others wait for it; no lock where there is none
    (Windows, or a folder removed meanwhile: each process then computes for itself)."""
    handle = None
    if fcntl is not None:
        with contextlib.suppress(OSError):
            handle = lock.open("a")
    if handle is None:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _write(path: Path, result) -> None:
    """Keep ``result`` at ``path``: written beside it and renamed into place, so a reader finds
    a whole file or none; a result that cannot be pickled or a full disk keeps nothing."""
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
