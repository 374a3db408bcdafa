"""Writing user files safely: whole or not at all, readable as any file the user makes, and
never outside the folder they belong in."""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from pathlib import Path


class UnsafePath(ValueError):
    """A path built from user input that would leave its root folder."""


def inside(root: str | Path, *parts: str) -> Path:
    """``root / parts``, resolved, after checking it stays inside ``root`` (no ``..``, no
    absolute part, no symlink that leads out). Raises :class:`UnsafePath` otherwise.

    Examples
    --------
    >>> inside("/srv/reports", "2026-10", "lumi_tea").as_posix()
    '/srv/reports/2026-10/lumi_tea'
    >>> inside("/srv/reports", "../etc")
    Traceback (most recent call last):
    ...
    socialkpi.files.UnsafePath: '../etc' would lead outside /srv/reports
    """
    base = Path(root).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"{'/'.join(parts)!r} would lead outside {base}")
    return target


def write_atomically(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to a temporary file beside ``path``, then rename it over ``path``: a
    reader sees the old file or the new one, never half of one. A new file gets the mode the
    umask gives any new file (0644 usually, so a web server running as another user can serve
    it); a replaced file keeps its mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):  # on a read-only disk the unlink fails too
            tmp.unlink()
        if isinstance(err, OSError) and str(err.filename) == str(tmp):  # name the file asked for
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise


# the errors of a disk that cannot take a file: full, over quota, read-only, not ours
DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)


def write_problem(err: OSError) -> str:
    """What went wrong writing a file, and what to do, in words (no traceback): a full
    disk, a read-only or someone else's folder, a file where a folder should be.

    >>> write_problem(OSError(errno.ENOSPC, "No space left on device", "out/x.csv"))
    'cannot write out/x.csv: the disk is full (free some space, or write to another folder)'
    """
    where = f" {err.filename}" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"cannot write{where}: the disk is full (free some space, or write to another folder)"
        )
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"cannot write{where}: the folder is read-only or not yours (choose another "
            "folder, or ask for write access)"
        )
    if err.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return f"cannot write{where}: a file and a folder have the same name there (choose another path)"
    return f"cannot write{where}: {err.strerror or err}"


# a spreadsheet runs a cell that starts with one of these as a formula (OWASP CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a
    leading apostrophe (OWASP's rule); numbers and other values are left alone.

    >>> inert("=HYPERLINK(\\"http://x\\")"), inert("+cmd|' /C calc'!A0"), inert("新品"), inert(-5)
    ('\\'=HYPERLINK("http://x")', "'+cmd|' /C calc'!A0", '新品', -5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def uninert(value: object) -> object:
    """The text :func:`inert` protected, as the user wrote it (a draft imported back).

    >>> uninert("'=1+1"), uninert("'quoted'")
    ('=1+1', "'quoted'")
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def csv_bytes(frame) -> bytes:
    """A table as the CSV socialkpi writes for people: UTF-8 with a BOM (so Excel reads it),
    CRLF lines, and every text cell inert (:func:`inert`)."""
    safe = frame.copy()
    for col in safe.columns:
        safe[col] = safe[col].map(inert)  # numbers and empty cells stay as they are
    safe.columns = [inert(c) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
