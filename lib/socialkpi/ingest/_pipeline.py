"""Import export files into the store: walk paths, detect formats, parse, validate, upsert.

One file is one transaction: it lands whole or not at all, and a file already imported
(same sha256) is skipped. A failing file is reported and the others still import.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import io
import itertools
import json
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import pandas as pd

from socialkpi import metrics, store
from socialkpi.config import brands, settings
from socialkpi.config.limits import Limits, limits
from socialkpi.ingest import _furniture, _limits, landing
from socialkpi.ingest._errors import ExportError, cell, shown
from socialkpi.ingest._finishers import FINISHERS
from socialkpi.ingest._grid import EXCEL_SUFFIXES, Block, read_blocks
from socialkpi.ingest._headers import (
    CURRENCY_IN_HEADER,
    Context,
    Format,
    Match,
    add_aliases,
    builtin_formats,
    furniture_aliases,
    match_header,
    normalize,
    typed_frame,
)
from socialkpi.ingest._shape import LINK_FIELDS, PLATFORM_WORDS, platform_of_links
from socialkpi.ingest._values import visible
from socialkpi.metrics.periods import DEFAULT_TIMEZONE
from socialkpi.store.schema import TABLES, conform, validate

SUFFIXES = (".csv", ".tsv", ".txt", ".json", *EXCEL_SUFFIXES)  # .json: API landing files
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass
class Options:
    """What the command line says about the files: brand, export date, platform, time zone, aliases."""

    brand: str | None = None
    export_date: date | None = None
    platform: str | None = None
    timezone: str | None = None
    alias_files: tuple[str, ...] = ()


@dataclass
class FileResult:
    """One file's outcome: imported, skipped or failed, its formats, rows per table and warnings."""

    path: str
    status: str  # imported | skipped | failed
    brand: str | None = None
    formats: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def import_paths(con, paths: list[str | Path], options: Options | None = None) -> list[FileResult]:
    """Import files, folders and ZIP archives; return one result per file, in order.

    Without ``options.brand`` the brand is the name of the first folder below a folder
    argument (``data/sample/<brand>/...``). A ``brands.yaml`` in a folder argument sets
    brands' time brand_config (``<brand>: {timezone: Asia/Taipei}``).
    """
    options = options or Options()
    formats = builtin_formats()
    for alias_file in options.alias_files:
        formats = add_aliases(formats, alias_file)
    _furniture_words(tuple(options.alias_files))  # a bad alias file stops before any import
    results = []
    with _duckdb_memory(con, IMPORT_MEMORY):
        for root in map(Path, paths):
            brand_config = _brand_config(root)
            for display, name, brand_hint, data in _walk(root):
                brand = options.brand or brand_hint
                held = data if isinstance(data, list) else [data]  # let go of once decoded
                del data
                results.append(
                    _import_one(con, display, name, held, brand, brand_config, options, formats)
                )
    return results


# DuckDB's memory while importing: what a transaction holds beyond it goes to disk (a large
# file's rows are written in one transaction; bench/import_bench.py measures the peak)
IMPORT_MEMORY = "512MB"


@contextlib.contextmanager
def _duckdb_memory(con, limit: str):
    before = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{before}'")


def _brand_config(root: Path) -> dict[str, dict]:
    """The brands' settings from a ``brands.yaml`` in a folder argument, checked
    (``settings.brands_file``); a problem in it stops the run before any import."""
    config = root / "brands.yaml" if root.is_dir() else None
    if config is None or not config.exists():
        return {}
    try:
        return settings.brands_file(config)
    except settings.SettingsError as err:
        raise ExportError(err.path, err.problems, err.fix) from err


def _same_zone(con, display: str, brand: str, options, brand_config: dict) -> None:
    """Refuse a time zone other than the one a brand's stored rows were read in (local times
    become UTC on import: two zones in one store would shift some posts by hours)."""
    wanted = options.timezone or brand_config.get(brand, {}).get("timezone")
    stored = store.brand_settings(con, brand)["timezone"]
    if not wanted or not stored or wanted == stored:
        return
    said = "--timezone" if options.timezone else "brands.yaml"
    raise ExportError(
        display,
        f"brand {brand}'s imported rows were read in time zone {stored}, and {said} now says "
        f"{wanted}: one brand's times would be read in two zones",
        f"to read the brand in {wanted}, run `socialkpi imports remove --brand {brand}` and "
        f"import its files again; to keep {stored}, set `timezone: {stored}` for {brand}",
    )


def _checked_brand(display: str, brand: str, from_folder: bool) -> str:
    try:
        return brands.check(brand)
    except brands.BrandNameError as err:
        fix = (
            "rename the folder (it names the brand), or pass --brand NAME"
            if from_folder
            else "pass a valid --brand NAME"
        )
        raise ExportError(display, str(err), fix) from err


def _walk(root: Path):
    """Yield ``(display path, name, brand from folder, bytes)`` for every export file under
    root. ``name`` is the path below the argument (only the file name for a file argument):
    platform and export date are read from it, never from the folders above, so a checkout in
    ``/home/x/`` does not make every file an X export."""
    if not root.exists():
        yield str(root), root.name, None, None
        return
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for path in files:
        rel = path.relative_to(root).parts if root.is_dir() else ()
        if any(part.startswith(".") for part in rel) or path.name in ("brands.yaml", "README.md"):
            continue
        brand = rel[0] if len(rel) > 1 else None
        name = "/".join(rel) if rel else path.name
        if path.suffix.lower() == ".zip":
            yield from _zip_members(path, name, brand)
        elif path.suffix.lower() in SUFFIXES:
            size = path.stat().st_size
            if size > limits().file_mb * MB:
                too_big = Unread(*_limits.exceeded("the file is", size, "file_mb", MB))
                yield str(path), name, brand, too_big
            else:
                yield str(path), name, brand, path.read_bytes()


log = logging.getLogger("socialkpi.import")


@dataclass(frozen=True)
class Unread:
    """Stands for a file that was not read (a damaged archive, an input over a limit):
    reported as that file's failure, with what to do."""

    problem: str
    fix: str


MAX_ZIP_DEPTH = 3
MB = 2**20
_DAMAGED_ZIP = Unread(
    f"is not a readable ZIP archive (damaged, or nested more than {MAX_ZIP_DEPTH} archives deep)",
    "download it again, or unpack it and import the files",
)


def _zip_members(path: Path, name: str, brand: str | None):
    yield from _archive(str(path), name, brand, functools.partial(zipfile.ZipFile, path), 1)


def _archive(display: str, name: str, brand: str | None, opener, depth: int):
    """Every export file in a ZIP, and in the ZIPs inside it (a user zipping a Studio
    download); an archive that cannot be read is reported, never skipped in silence."""
    try:
        archive = opener()
    except (zipfile.BadZipFile, OSError, EOFError):
        yield display, name, brand, _DAMAGED_ZIP
        return
    limit = limits()
    unpacked = 0
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = PurePosixPath(info.filename)
            if info.is_dir() or member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            inner_display, inner_name = f"{display}!{info.filename}", f"{name}!{info.filename}"
            suffix = member.suffix.lower()
            if suffix not in SUFFIXES and suffix != ".zip":
                continue
            unpacked += info.file_size
            refused = _too_big(info, unpacked, limit)
            if refused is not None:
                yield inner_display, inner_name, brand, refused
                continue
            try:  # never more than the limit, whatever the member's header claims
                with archive.open(info) as stream:
                    data = stream.read(limit.file_mb * MB + 1)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                yield inner_display, inner_name, brand, _DAMAGED_ZIP
                continue
            if len(data) > limit.file_mb * MB:
                what = "the member unpacks to more than"
                too_big = Unread(*_limits.exceeded(what, len(data), "file_mb", MB))
                yield inner_display, inner_name, brand, too_big
                continue
            if suffix != ".zip":
                box = [data]  # taken by the import: this frame keeps no copy meanwhile
                del data
                yield inner_display, inner_name, brand, box
            elif depth < MAX_ZIP_DEPTH:
                opener = functools.partial(zipfile.ZipFile, io.BytesIO(data))
                yield from _archive(inner_display, inner_name, brand, opener, depth + 1)
            else:
                yield inner_display, inner_name, brand, _DAMAGED_ZIP


# a file larger than this is read in windows of about WINDOW_CHARS characters where its
# format allows (parse_windows): the memory its parsing takes then follows the window
STREAM_BYTES = 16 * MB
WINDOW_CHARS = 8_000_000


def _no_key_twice(display: str, staging: store.Staging) -> None:
    """Refuse a file read in windows whose rows share a key across windows (each window's
    own rows were checked as it was read): the same refusal a whole read gives."""
    for table in list(staging.columns):
        twice = staging.keys_twice(table)
        if twice:
            shown = "; ".join(", ".join(f"{k} {v}" for k, v in key.items()) for key in twice)
            raise ExportError(
                display,
                f"rows far apart in the file describe the same {table} row ({shown})",
                "download the export again; if it repeats, keep one of the rows",
            )


def _too_big(info: zipfile.ZipInfo, unpacked: int, limit) -> Unread | None:
    """Why a ZIP member is not unpacked (over a limit), or None."""
    if info.file_size > limit.file_mb * MB:
        return Unread(*_limits.exceeded("the member unpacks to", info.file_size, "file_mb", MB))
    if unpacked > limit.zip_mb * MB:
        return Unread(*_limits.exceeded("the archive unpacks to", unpacked, "zip_mb", MB))
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _limits.RATIO_FLOOR and ratio > limit.zip_ratio:
        variable = Limits.variable("zip_ratio")
        return Unread(
            f"the member unpacks to {ratio:,.0f} times its packed size "
            f"({info.file_size // MB:,} MB), over the limit of {limit.zip_ratio} ({variable}): "
            "no export compresses like that",
            f"if the file is a genuine export, raise the limit: {variable}={int(ratio) + 1}",
        )
    return None


def _import_one(con, display, name, held, brand, brand_config, options, formats) -> FileResult:
    """Import one file (``held``: a list holding its bytes, emptied once they are read, so
    that a large file's bytes and its decoded text are not both kept)."""
    result = FileResult(display, "failed", brand)
    data = held[0]
    try:
        if data is None:
            raise ExportError(display, "no such file or folder", "check the path")
        if isinstance(data, Unread):
            raise ExportError(display, data.problem, data.fix)
        if not brand:
            raise ExportError(
                display,
                "which brand is this file for?",
                "pass --brand NAME, or put files in a folder per brand (data/<brand>/...)",
            )
        brand = _checked_brand(display, brand, from_folder=options.brand is None)
        _same_zone(con, display, brand, options, brand_config)
        sha = hashlib.sha256(data).hexdigest()
        earlier = store.find_import(con, sha)
        if earlier is not None and earlier["brand"] != brand:
            raise ExportError(
                display,
                f"these bytes were already imported for brand {earlier['brand']} "
                f"({earlier['imported_at'][:16]}, from {earlier['source_path']})",
                f"if {earlier['brand']} was the wrong brand, run `socialkpi imports remove "
                f"{sha[:12]}` and import the file again",
            )
        if earlier is not None:
            known = store.brand_settings(con, brand)["timezone"]
            if known:  # brands.yaml may have changed since: its settings still apply
                with store.transaction(con):
                    _set_brand(con, brand, known, brand_config)
            result.status = "skipped"
            result.warnings.append(
                f"already imported from {earlier['source_path']} ({earlier['brand']}): nothing changed"
            )
            return result
        stream = WINDOW_CHARS if len(data) > STREAM_BYTES else None
        del data
        windows = parse_windows(
            display, held, brand, brand_config, options, formats, con, name, stream
        )
        first, ctx, names, encoding = next(windows)  # a bad first window: nothing begun
        result.formats, result.encoding, result.warnings = names, encoding, ctx.warnings
        with store.transaction(con):  # a bad later window undoes the earlier ones
            _set_brand(con, brand, ctx.timezone, brand_config)
            staging = store.Staging(con, source=sha)
            for frames, *_ in itertools.chain([(first,)], windows):
                for table, frame in frames.items():
                    written = staging.add(table, frame, validated=True)
                    result.rows[table] = result.rows.get(table, 0) + written
            _no_key_twice(display, staging)
            staging.merge()
            staging.drop()
            store.record_import(
                con,
                {
                    "file_sha256": sha,
                    "importer": "+".join(names),
                    "source_path": display,
                    "brand": brand,
                    "rows": result.rows,
                    "export_date": ctx.export_date,
                    "encoding": encoding,
                    "warnings": ctx.warnings,
                },
            )
        result.status = "imported"
    except ExportError as err:
        if not err.path:
            err = ExportError(display, err.problems, err.fix)
        result.error, result.rows = err.message(), {}
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as err:  # a file no rule foresaw: reported, and the others still import
        log.debug("importing %s", display, exc_info=True)
        result.rows = {}  # nothing was imported
        result.error = ExportError(
            display,
            f"could not be read: {type(err).__name__}: {str(err)[:300]} (nothing was imported "
            "from it)",
            "check that it is an unchanged platform export; if it is, report this message",
        ).message()
    return result


def parse_file(display, data, brand, brand_config, options, formats, con=None, name=None):
    """Parse one file into canonical frames per table, validated; nothing is written.

    ``name`` (default ``display``) is what the platform and export date are read from."""
    windows = parse_windows(display, data, brand, brand_config, options, formats, con, name)
    (out, ctx, names, encoding), *_ = list(windows)  # without window_chars: one window
    return out, ctx, names, encoding


def parse_windows(
    display, data, brand, brand_config, options, formats, con=None, name=None, window_chars=None
):
    """:func:`parse_file` in windows: ``(frames per table, ctx, format names, encoding)`` for
    each ``window_chars`` characters of a large table whose format reads each row on its own
    (``streams: true`` in its map), so that a file of any size is never all in memory at
    once; one window for every other file. Each window is validated; ``ctx`` is shared and
    its warnings are complete once the last window is out.

    The steps: decode into blocks (``read_blocks``), detect each block's format
    (:func:`_detect`), set up the file's context (:func:`_context`), then type, finish and
    conform each table (:class:`_Tables`)."""
    name = name or display
    if isinstance(data, list):  # the caller's holder: taken, so the bytes go once decoded
        data = data.pop()
    if landing.is_landing(data):  # an API response as received (connectors.landing)
        yield _landing(display, data, brand, brand_config, options, con)
        return
    blocks, encoding = read_blocks(display, data)
    del data
    parts, misses = _detect(display, blocks, formats)
    ctx = _context(display, name, brand, brand_config, options, con, parts, encoding)
    _warn_other_blocks(ctx, blocks, parts, misses)
    names = list(dict.fromkeys(m.format.name for _, m in parts))
    if window_chars and len(parts) == 1 and parts[0][1].format.extra.get("streams"):
        args = (display, name, brand, brand_config, options, ctx)
        for frames in _streamed(*args, *parts[0], window_chars):
            yield frames, ctx, names, encoding
        return
    tables = _Tables(display, name, brand, brand_config, options, con, ctx)
    for block, match in parts:
        start, wanted = _begin_table(block, match, ctx)
        tables.finish(typed_frame(block, match, ctx, (*block.body(start, wanted), True)), match)
    out = tables.validated()
    _end_file(ctx, out)
    yield out, ctx, names, encoding


# threads typing the windows of a large file (beyond two, the interpreter's lock leaves
# little to gain, and each window in flight holds its memory)
WINDOW_THREADS = 2


def _streamed(display, name, brand, brand_config, options, ctx, block, match, window_chars):
    """The validated frames of each window of a large table, in the file's order. Windows
    are read and typed on :data:`WINDOW_THREADS` threads while the caller stores the
    earlier ones; each has its own context (``Context.for_window``), whose notes join the
    file's in order, so the warnings and errors are those of a read in one piece."""
    start, wanted = _begin_table(block, match, ctx)

    def read(piece, last):  # the store is not read here: a streamed format names no rivals
        # the piece is typed as a table of its own: a damaged row is told as in a whole read
        own = ctx.for_window()
        tables = _Tables(display, name, brand, brand_config, options, None, own)
        tables.finish(typed_frame(piece, match, own, (*piece.body(start, wanted), last)), match)
        return tables.validated(), own, last

    rows = 0
    for out, own, last in _in_order(read, block.pieces(start, window_chars), WINDOW_THREADS):
        ctx.absorb(own)
        if last:
            _end_file(ctx, out, rows)
        rows += sum(len(f) for f in out.values())
        yield out


def _in_order(work, items, threads: int):
    """``work(*item)`` for each item on ``threads`` threads, results in the items' order,
    with no more than ``threads`` items begun ahead of the one the caller holds; an error
    is raised where its item's result would be, and stopping early cancels the rest."""
    pool = ThreadPoolExecutor(threads, thread_name_prefix="socialkpi-window")
    pending: collections.deque = collections.deque()
    try:
        for item in items:
            pending.append(pool.submit(work, *item))
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _begin_table(block: Block, match: Match, ctx: Context) -> tuple[int, dict[int, bool]]:
    """Set the context for one table of the file; return where its rows start and which
    of its columns may arrive as numbers (``Block.body``)."""
    ctx.preamble, ctx.sheet = block.rows[: match.header_row], block.sheet
    ctx.comments, ctx.decimal = block.comments, block.decimal
    _account_for_columns(match, ctx)
    if block.decimal == ",":
        ctx.warn("numbers read with ',' as the decimal mark (373,0 = 373.0; 1.234 = 1234)")
    skip = 2 if match.format.extra.get("description_row") else 1
    numeric = {"count", "signed", "number", "share"}
    wanted = {j: match.format.columns[f].type in numeric for f, j in match.fields.items()}
    return match.header_row + skip, wanted


def _end_file(ctx: Context, last: dict[str, pd.DataFrame], earlier_rows: int = 0) -> None:
    """The file's closing notes: the furniture skipped, the posts whose totals differ, and a
    header with no rows under it (``last``: the frames of the file's last window)."""
    if ctx.skipped:
        ctx.warn(_furniture.summary(ctx.skipped))
    _warn_engagements(ctx)
    if last and not earlier_rows and not any(len(f) for f in last.values()):
        ctx.warn("the file has a header but no data rows")


def _landing(display, data, brand, brand_config, options, con):
    """One landing file's frames, checked like any file's (``ingest.landing``)."""
    timezone = options.timezone or brand_config.get(brand, {}).get("timezone")
    if timezone is None and con is not None:
        timezone = store.brand_timezones(con).get(brand)
    ctx = Context(display, brand, timezone or DEFAULT_TIMEZONE, date.today())
    found, name = landing.frames(display, data, ctx)
    frames = {}
    for table, frame in found.items():
        frame = frame.assign(brand=brand)
        if table == "posts":
            frame["source_file"] = display
        frames[table] = [frame]
    headers = {t: {c: c for c in f[0].columns} for t, f in frames.items()}
    return _validated(display, frames, headers, {t: [] for t in frames}), ctx, [name], "utf-8"


def _detect(display: str, blocks: list[Block], formats) -> tuple[list, list]:
    """Each block's format: ``(block, match)`` for the blocks socialkpi imports and
    ``(block, closest match)`` for the others; a file with none is refused, and so is a
    blank line inside a table or a link of another platform."""
    parts, misses, previous = [], [], None
    for block in blocks:
        match = _best_match(block, formats)
        if match is None and previous is not None and _continues(block, previous):
            raise ExportError(
                display,
                f"line {block.first_line - 1} is blank inside the table that starts on line "
                f"{previous[0].first_line}: the rows after it are more rows of that table",
                "the file was damaged or edited: delete the blank line, or download it again",
            )
        (parts if match is not None else misses).append((block, match or _closest(block, formats)))
        previous = (block, match) if match is not None and not block.sheet else None
    if not parts:
        raise _unknown(display, misses, blocks)
    for block, match in parts:
        _check_links(display, block, match)
    return parts, misses


def _context(display, name, brand, brand_config, options, con, parts, encoding) -> Context:
    """The file's context: the brand's zone, the export day (from the options or the file
    name, with a warning where it is today's), the furniture words and the scorer."""
    timezone = options.timezone or brand_config.get(brand, {}).get("timezone")
    if timezone is None and con is not None:
        timezone = store.brand_timezones(con).get(brand)
    ctx = Context(display, brand, timezone or DEFAULT_TIMEZONE, options.export_date or date.today())
    ctx.furniture_words = _furniture_words(tuple(options.alias_files))
    ctx.scorer = brand_config.get(brand, {}).get("sentiment", "lexicon")
    if encoding not in ("utf-8", "utf-8-sig", "xlsx", "xls"):
        ctx.warn(f"read as {encoding} (not UTF-8)")
    if options.export_date is not None:
        return ctx
    window = export_window_from_name(name)
    found = window[1] if window else export_date_from_name(name)
    ctx.window_start = window[0] if window else None
    ctx.export_known = found is not None
    dated = {"posts", "audience"}
    yearless = any(c.type == "yearless" for _, m in parts for c in m.format.columns.values())
    if found is None and not yearless and any(m.format.table in dated for _, m in parts):
        ctx.warn(
            f"no export date in the file name: used today ({ctx.export_date}); "
            "pass --export-date YYYY-MM-DD for the day it was downloaded"
        )
    ctx.export_date = found or ctx.export_date
    return ctx


def _warn_other_blocks(ctx: Context, blocks, parts, misses) -> None:
    """Say what was not read: a note below the table, a sheet or block of another kind."""
    ends = [b.last_line for b, _ in parts if not b.sheet]
    for block, miss in misses:
        if not block.sheet and ends and block.first_line > min(ends) and _is_note(block):
            ctx.warn(
                f"lines {block.first_line}-{block.last_line} below the table are a note, not "
                "data: not read"
                if block.last_line > block.first_line
                else f"line {block.first_line} below the table is a note, not data: not read"
            )
        elif miss.format is not None and len(blocks) > 1:
            where = (
                f"sheet {block.sheet!r}" if block.sheet else f"the block at line {block.first_line}"
            )
            ctx.warn(f"skipped {where}: not a table socialkpi imports")


class _Tables:
    """The canonical frames a file makes, table by table, as its typed tables (or windows
    of one) are finished; :meth:`validated` hands them out checked and starts afresh."""

    def __init__(self, display, name, brand, brand_config, options, con, ctx):
        self.display, self.name, self.brand = display, name, brand
        self.brand_config, self.options, self.con, self.ctx = brand_config, options, con, ctx
        self.frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
        self.headers: dict[str, dict[str, str]] = defaultdict(dict)  # column -> file's header
        self.sources: dict[str, list] = defaultdict(list)  # the typed frames of each table

    def finish(self, typed: pd.DataFrame, match: Match) -> None:
        """A typed table through its format's finisher into canonical frames, each with the
        brand, its platform and the checks every table gets."""
        ctx = self.ctx
        for table, frame in FINISHERS[match.format.name](typed, ctx, match).items():
            self.headers[table].update({f: match.headers[j] for f, j in match.fields.items()})
            self.sources[table].append((typed, match))
            frame = frame.copy()
            frame["brand"] = self.brand
            needs = "platform" in TABLES[table].key or table == "content_plan"
            if needs and ("platform" not in frame or frame["platform"].isna().all()):
                frame["platform"] = match.format.platform or _platform(
                    self.name, self.display, self.options, match
                )
            if table == "posts":
                frame["source_file"] = self.display
                _check_engagements(frame, ctx)
            if "competitor" in frame:
                frame = _name_competitors(
                    frame, self.brand, self.brand_config, self.con, ctx, match
                )
            self.frames[table].append(frame)

    def validated(self) -> dict[str, pd.DataFrame]:
        out = _validated(self.display, self.frames, self.headers, self.sources)
        self.frames.clear(), self.sources.clear()
        return out


def _validated(display, frames, headers, sources) -> dict[str, pd.DataFrame]:
    """The canonical frames of a file (or of a window of it), conformed and checked."""
    out = {}
    for table, parts_ in frames.items():
        if not parts_:
            continue
        frame = pd.concat(parts_, ignore_index=True) if len(parts_) > 1 else parts_[0]
        conformed = conform(frame, table)
        _check(display, table, conformed, frame["_row"].to_numpy(), headers[table], sources[table])
        provided = [c for c in conformed if c in frame or c in TABLES[table].key]
        out[table] = conformed[provided]
    return out


_NUMBER = re.compile(r"[+-]?[$€£¥]?[\d.,\s]*\d[\d.,\s]*[%KkMm]?")


def _is_note(block: Block) -> bool:
    """Whether a block below a table is someone's note (a few lines of text, no number
    standing alone in a cell) rather than a second table.

    >>> _is_note(Block([["Note, the campaign started on Oct 2"], ["Checked by Mei"]], 13))
    True
    >>> _is_note(Block([["Date", "Views"], ["2026-10-01", "12"]], 13))
    False
    """
    cells = [c.strip() for row in block.rows for c in row if c and c.strip()]
    return 0 < len(block.rows) <= 5 and not any(_NUMBER.fullmatch(c) for c in cells)


@functools.cache
def _furniture_words(alias_files: tuple[str, ...]) -> dict:
    return furniture_aliases(alias_files)


def _account_for_columns(match: Match, ctx) -> None:
    """Every column of the file is read, known and left aside on purpose (the format's
    ``ignore`` list), or reported: a column no map knows, or a second column of a name
    already read, is named in the import summary, so nothing is dropped without a word."""
    ignored = {normalize(n) for n in match.format.extra.get("ignore", [])}
    used = set(match.fields.values())
    seen: dict[str, int] = {}
    unknown, repeated = [], []
    for j, name in enumerate(match.headers):
        key = normalize(name)
        if not key:
            continue
        if key in seen and j not in used:
            repeated.append(visible(name).strip())
        elif j not in used and key not in ignored and _with_currency(key) not in ignored:
            unknown.append(visible(name).strip())
        seen.setdefault(key, j)
    where = f" (sheet {ctx.sheet!r})" if ctx.sheet else ""
    if unknown:
        listed = ", ".join(f'"{u}"' for u in unknown[:8]) + (" ..." if len(unknown) > 8 else "")
        ctx.warn(
            f"{len(unknown)} {'column' if len(unknown) == 1 else 'columns'}{where} socialkpi does "
            f"not know, not read: {listed} (add them to an alias file if they hold a field "
            "socialkpi reads; otherwise nothing is lost)"
        )
    if repeated:
        listed = ", ".join(f'"{r}"' for r in repeated)
        ctx.warn(f"the file has a second column named {listed}{where}: the first was read")


def _with_currency(key: str) -> str:
    """A header with its currency code as a map names it: ``cpm (twd)`` -> ``cpm ({currency})``."""
    return CURRENCY_IN_HEADER.sub("({currency})", key)


def _continues(block: Block, previous: tuple[Block, Match]) -> bool:
    """Whether a block no format knows reads as more rows of the table before it (a blank line
    inside a table), rather than a table of its own that socialkpi does not import (a stacked
    block with its own header, such as "Top pages" in Meta's Audience.csv).

    Its first row is probed under the table's header: it continues the table if it reads as a
    row, or if it is a damaged row (the header's width, some number or date cell reads), which
    a header row, all words, is not."""
    before, match = previous
    row = block.rows[0]
    probe = Block(
        [match.headers, row],
        block.first_line - 1,
        delimiter=block.delimiter,
        decimal=before.decimal,
    )
    typed = [f for f in match.fields if match.format.columns[f].type not in ("text", "id")]
    try:
        frame = typed_frame(
            probe, replace(match, header_row=0), Context("", "", DEFAULT_TIMEZONE, date.today())
        )
    except ExportError as err:
        return len(row) == len(match.headers) and len(err.problems) < len(typed)
    return len(frame) == 1 and all(frame[f].notna().all() for f in match.format.required)


def _best_match(block: Block, formats: dict[str, Format]) -> Match | None:
    complete = [m for m in (match_header(block.rows, f) for f in formats.values()) if not m.missing]
    complete = [m for m in complete if m.fields and _explains(m)]
    return max(complete, key=lambda m: (len(m.fields), -m.header_row), default=None)


def _explains(match: Match) -> bool:
    """A format with few required columns must explain a fair share of the header, so that
    "Date, Views" (YouTube Totals) does not claim a 30-column post export."""
    ignored = {normalize(n) for n in match.format.extra.get("ignore", ())}
    cells = [normalize(visible(c)) for c in match.headers if str(c).strip()]
    known = len(match.fields) + sum(1 for c in cells if c in ignored)
    return len(match.format.required) >= 3 or known >= 0.3 * len(cells)


def _check_links(display: str, block: Block, match: Match) -> None:
    """Refuse a table whose post links (its permalink column) point to another platform than
    its format's: its rows would be stored under the wrong platform."""
    fields = [f for f in LINK_FIELDS if f in match.fields]
    if not match.format.platform or not fields:
        return
    j = match.fields[fields[0]]
    body = block.rows[match.header_row + 1 :]
    seen = platform_of_links(body, j)
    if seen is None or seen == match.format.platform:
        return
    header = visible(match.headers[j]).strip()
    line, link = next(
        (block.first_line + match.header_row + 1 + i, row[j])
        for i, row in enumerate(body)
        if j < len(row) and _platform_of_host_in(row[j]) == seen
    )
    raise ExportError(
        display,
        f'row {line}, column "{header}": its links are {seen}\'s ({link}), but its columns '
        f"read as {match.format.title}, so its rows would be stored as "
        f"{match.format.platform} {match.format.table.replace('_', ' ')}",
        "check that the file is the unchanged export it looks like; if an alias file maps its "
        f"headers to {match.format.name}, move them to a {seen} format (socialkpi import "
        "--explain FILE names the closest one)",
    )


def _platform_of_host_in(cell: str) -> str | None:
    return platform_of_links([[cell]], 0)


def _closest(block: Block, formats: dict[str, Format]) -> Match:
    """The known format a table comes closest to, among those of the platform its links
    point to (an Instagram file is never told it is nearly a Facebook export)."""
    platform = platform_of_links(block.rows)
    fitting = [
        f for f in formats.values() if platform is None or f.platform in (None, platform)
    ] or list(formats.values())
    matches = (match_header(block.rows, f) for f in fitting)
    return max(matches, key=lambda m: (len(m.fields), m.score[0]))


def _unknown(display: str, misses, blocks) -> ExportError:
    if not blocks:
        return ExportError(display, "the file is empty", "download the export again")
    block, closest = max(misses, key=lambda bm: len(bm[1].fields))
    fmt = closest.format
    found = [visible(c).strip() for c in block.rows[closest.header_row] if visible(c).strip()][:12]
    if not closest.fields:
        return ExportError(
            display,
            [
                "not a known export format: none of its column names belongs to an export socialkpi knows",
                "columns found: "
                + ", ".join(f'"{visible(c).strip()}"' for c in block.rows[0][:12]),
            ],
            "import the file exactly as the platform exported it, or use a socialkpi canonical CSV "
            "(see README: comments, content plan, competitors)",
        )
    missing = ", ".join(f'"{fmt.label(f)}"' for f in closest.missing)
    return ExportError(
        display,
        [
            "not a known export format",
            f"closest known format: {fmt.title} ({fmt.name}), missing required columns: {missing}",
            "columns found: " + ", ".join(f'"{c}"' for c in found),
        ],
        "check that this is an unmodified platform export; if a column was renamed or your "
        f"UI language is new to socialkpi, add its header names under {fmt.name} in an alias "
        "file and pass --aliases FILE",
    )


def _platform(name: str, display: str, options: Options, match: Match) -> str:
    if options.platform:
        return options.platform
    words = re.split(r"[^a-z0-9]+", name.lower())
    for word in reversed(words):
        if word in PLATFORM_WORDS:
            return PLATFORM_WORDS[word]
    raise ExportError(
        display,
        f"this {match.format.title} file has the same columns on several platforms",
        "put it in a folder named after its platform (e.g. tiktok/) or pass --platform NAME",
    )


def _check(
    display: str, table: str, frame: pd.DataFrame, lines, headers: dict[str, str], sources=()
) -> None:
    """The store's rules on the canonical rows; a break is reported in the file's own terms:
    its row, and the header of the column the value came from (found by the value where the
    reader renamed the field), what was expected and a fix that can work."""
    problems = validate(frame, table)
    if problems:
        texts = []
        for p in problems:
            row = int(lines[p.row]) if p.row is not None and p.row < len(lines) else None
            found = "" if p.value is None else f", found {shown(p.value)}"
            column = headers.get(p.column) or _source_header(sources, row, p.value) or p.column
            texts.append(f"{cell(row, column)}: expected {p.expected}{found}")
        raise ExportError(
            display,
            texts,
            "the platform does not write such values in these columns: correct the cells in "
            "the file as you downloaded it (not a copy re-saved by a spreadsheet), or tell us "
            "if the platform now writes them (the file was not imported)",
        )


def _source_header(sources, row: int | None, value) -> str | None:
    """The header of the file's column that holds ``value`` on ``row``: where a reader made
    a canonical column from a field of another name."""
    if row is None or value is None:
        return None
    for typed, match in sources:
        at = typed.index[typed["_row"] == row]
        for fld, j in match.fields.items():
            if len(at) and fld in typed and _same(typed.at[at[0], fld], value):
                return match.headers[j]
    return None


def _same(a, b) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def export_window_from_name(path: str) -> tuple[date, date] | None:
    """The first and last day of an export's window where the file name gives both: TikTok
    Studio's ``Overview_<first day>_<end, Unix seconds>_<handle>.zip``
    (docs/sources/youtube_tiktok.md, section 4.3).

    >>> export_window_from_name("Overview_2026-09-25_1790891174_atavernanerd.zip!Overview.csv")
    (datetime.date(2026, 9, 25), datetime.date(2026, 10, 1))
    """
    found = re.findall(r"(\d{4})-(\d{2})-(\d{2})_(\d{10})(?:\D|$)", path)
    if not found:
        return None
    year, month, day, end = found[-1]
    try:
        first = date(int(year), int(month), int(day))
    except ValueError:
        return None
    last = datetime.fromtimestamp(int(end), UTC).date()
    return (first, last) if first <= last else None


def export_date_from_name(path: str) -> date | None:
    """The export (download) date a platform or user wrote into a file or folder name.

    Meta's ``Aug-01-2025_Aug-31-2025_123.csv`` gives the range's end; otherwise the last
    ``YYYY-MM-DD`` or ``YYYYMMDD`` in the path.

    Examples
    --------
    >>> export_date_from_name("x/Aug-01-2025_Aug-31-2025_1039829308656930.csv")
    datetime.date(2025, 8, 31)
    >>> export_date_from_name("tweet_activity_metrics_acme_20150901_20150930_en.csv")
    datetime.date(2015, 9, 30)
    """
    name = path.lower()
    epoch = re.findall(r"_(1\d{12})(?:\D|$)", name)  # LinkedIn: <page>_content_<epoch-ms>.xls
    if epoch:
        return datetime.fromtimestamp(int(epoch[-1]) / 1000, UTC).date()
    meta = re.findall(r"(" + "|".join(_MONTHS) + r")-(\d{2})-(\d{4})", name)
    if meta:
        mon, day, year = meta[-1]
        return date(int(year), _MONTHS.index(mon) + 1, int(day))
    found = re.findall(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)", name)
    for year, month, day in reversed(found):
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def _check_engagements(posts: pd.DataFrame, ctx) -> None:
    """Count where the export's own engagements differ from socialkpi's (metrics.yaml's
    parts), over every window of a file: :func:`_warn_engagements` says it once."""
    if "engagements_platform" not in posts or posts["engagements_platform"].isna().all():
        return
    ours = metrics.post_engagements(posts)
    theirs = posts["engagements_platform"].astype("Int64")
    off = (ours.notna() & theirs.notna() & (ours != theirs)).fillna(False)
    tally = ctx.engagements_off
    tally["off"] = tally.get("off", 0) + int(off.sum())
    tally["known"] = tally.get("known", 0) + int(theirs.notna().sum())
    if off.any() and "example" not in tally:
        first = posts.index[off.to_numpy()][0]
        tally["example"] = (posts.loc[first, "_row"], theirs[first], ours[first])


def _warn_engagements(ctx) -> None:
    tally = ctx.engagements_off
    if tally.get("off"):
        row, theirs, ours = tally["example"]
        ctx.warn(
            f"{tally['off']} of {tally['known']} posts where the export's own "
            f"engagements differ from the sum of the parts socialkpi counts (row "
            f"{row}: {theirs} in the export, {ours} counted); "
            "reports show the counted sum, as metrics.yaml defines it for this platform"
        )


def _name_competitors(frame, brand, brand_config, con, ctx, match) -> pd.DataFrame:
    """The file's competitor names as the ids ``brands.yaml`` lists (this import's, else the
    store's). Rows naming the brand itself are dropped with a warning (LinkedIn's competitor
    workbook lists the page beside its rivals); any other name not on the list is an error."""
    settings = brand_config.get(brand)
    listed = settings.get("competitors") if settings else None
    if not listed and con is not None:
        listed = store.competitors(con, brand)
    field_ = "page" if match.format.name == "linkedin_competitors" else "competitor"
    header = match.headers[match.fields[field_]]
    if not listed:
        raise ExportError(
            ctx.path,
            f"brand {brand} lists no competitors, so the names in column {header!r} cannot be checked",
            f"list them under {brand}: competitors: in brands.yaml (id, name, and the spellings "
            "files use as aliases) and import the folder with brands.yaml again",
        )
    names = frame["competitor"].astype("string").str.strip()
    ids = pd.Series(brands.match_names(names.tolist(), listed), index=frame.index)
    own = pd.Series(
        brands.match_names(
            names.tolist(), {brand: {"name": _own_name(settings, con, brand), "aliases": []}}
        ),
        index=frame.index,
    ).notna()
    if own.any():
        ctx.warn(
            f"{int(own.sum())} rows name the brand itself ({names[own].iloc[0]}): left out, as "
            "the brand's own numbers come from its own exports"
        )
    unknown = ids.isna() & ~own
    if unknown.any():
        rows = frame.loc[unknown, "_row"].tolist()
        found = sorted(set(names[unknown].fillna("").tolist()))
        raise ExportError(
            ctx.path,
            [
                f"{cell(int(r), header)}: expected a competitor of {brand}, found {shown(n)}"
                for r, n in zip(rows, names[unknown].fillna(""), strict=True)
            ],
            f"{', '.join(map(repr, found))} {'is' if len(found) == 1 else 'are'} not among "
            f"{brand}'s competitors ({', '.join(listed)}): correct the spelling, add it as an "
            "alias, or list the competitor in brands.yaml (the file was not imported)",
        )
    return frame.loc[~own].assign(competitor=ids[~own].astype("string"))


def _own_name(settings: dict | None, con, brand: str) -> object:
    name = (settings or {}).get("name")
    if name is None and con is not None:
        name = store.display_names(con, brand)
    return name or brand


def _set_brand(con, brand: str, timezone: str, brand_config: dict) -> None:
    """Store the brand's time zone and its settings from ``brands.yaml``."""
    settings = brand_config.get(brand, {})
    name = settings.get("name")
    store.set_brand(
        con,
        brand,
        timezone,
        engagement_rate=settings.get("engagement_rate"),
        business_hours=settings.get("business_hours"),
        display_name=json.dumps(name, ensure_ascii=False) if name else None,
        currency=settings.get("currency"),
        country=settings.get("country"),
        competitors=(
            json.dumps(settings["competitors"], ensure_ascii=False)
            if settings.get("competitors")
            else None
        ),
        pillars=(
            json.dumps(settings["pillars"], ensure_ascii=False) if settings.get("pillars") else None
        ),
        # listed in brands.yaml without a look: socialkpi's look again (an empty one)
        branding=(
            json.dumps(settings.get("branding") or {}, ensure_ascii=False)
            if brand in brand_config
            else None
        ),
    )
