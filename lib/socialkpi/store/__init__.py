"""The DuckDB file store: open and create it, upsert by natural key, read slices as pandas
frames, keep the import ledger and the brands' settings, and publish the serving copy. The
sums per period and platform live in ``totals``.

Each import runs in one transaction (see :func:`transaction`), so a file that fails leaves the
store exactly as it was. Other modules write files of their own (the report bundle, goals and
action logs, the sample exports, the dashboard's log), always atomically (``files``).

DuckDB lets one process write a file, and no other process open it meanwhile. Long-lived
readers (dashboards, notebooks in JupyterLab) therefore read a *serving copy* next to the store
(:func:`open_serving`), republished after each import (:func:`publish`): an import never waits
for a dashboard, and a dashboard keeps the previous data until it reloads.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from socialkpi.config import DEFAULT_TIMEZONE, brands
from socialkpi.store.schema import TABLES, TYPES, conform

DEFAULT_DB = Path("data/socialkpi.duckdb")

# the column that places a row in time, per table (for period slices)
TIME_COLUMN = {
    "posts": "published_at",
    "account_daily": "date",
    "audience": "snapshot_date",
    "comments": "created_at",
    "web_sessions": "date",
    "competitors": "date",
    "competitor_posts": "published_at",
    "content_plan": "planned_for",
    "ad_results": "date",
    "costs": "date",
    "line_deliveries": "date",
    "line_messages": "snapshot_date",
    "line_clicks": None,
    "line_quota": "snapshot_date",
}

_EXTRA_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    file_sha256 VARCHAR PRIMARY KEY, importer VARCHAR, source_path VARCHAR, brand VARCHAR,
    rows JSON, imported_at TIMESTAMPTZ, export_date DATE, encoding VARCHAR, warnings JSON
);
CREATE TABLE IF NOT EXISTS brands (
    brand VARCHAR PRIMARY KEY, timezone VARCHAR NOT NULL, engagement_rate VARCHAR, business_hours VARCHAR,
    display_name VARCHAR, currency VARCHAR, competitors VARCHAR, pillars VARCHAR, country VARCHAR,
    branding VARCHAR
);

"""


class StoreBusy(RuntimeError):
    """Another process holds the store (an import writing, or a reader while we want to write)."""


def _connect(path: Path, read_only: bool, wait: float, attach_to=None):
    """Connect (or attach to ``attach_to`` as ``source``), retrying for up to ``wait`` seconds
    while another process holds the file."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if attach_to is not None:
                return attach_to.execute(f"ATTACH '{path}' AS source (READ_ONLY)")
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                raise
            if time.monotonic() >= deadline:
                holder = str(err).split("Conflicting lock is held in")[-1].split(".")[0].strip()
                raise StoreBusy(
                    f"{path} is in use by another process ({holder}) for {wait:.0f} s; "
                    "wait for the import or report to finish and try again"
                ) from err
            time.sleep(0.2)


def open_store(
    path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at ``path`` with every canonical table in place.
    While another process holds the file, retry for up to ``wait`` seconds."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only, wait)
    if not read_only:
        con.execute("SET TimeZone = 'UTC'")
        for table in TABLES.values():
            # no PRIMARY KEY: keys stay unique because every write is a MERGE on the natural key
            # of validated, duplicate-free rows; an ART index would triple the cost of a big import
            _ensure_table(con, table.name, table.columns)
            _ensure_table(con, ledger(table.name), {**table.columns, "file_sha256": "str"})
        con.execute(_EXTRA_DDL)
        have = {r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE brands)").fetchall()}
        for column in BRAND_SETTINGS[1:]:
            if column not in have:
                con.execute(f"ALTER TABLE brands ADD COLUMN {column} VARCHAR")
    else:
        _newer_columns_as_empty(con)
    return con


def _newer_columns_as_empty(con) -> None:
    """A store written by an older socialkpi, opened read-only (a dashboard's serving copy),
    lacks the columns added since: a temporary view of each such table adds them, empty, so
    every query reads the current schema (the next import adds them for good)."""
    db = con.execute("SELECT current_database()").fetchone()[0]
    found = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main'",
        [db],
    ).fetchall()
    have: dict[str, set[str]] = {}
    for table, column in found:
        have.setdefault(table, set()).add(column)
    for table in TABLES.values():
        if table.name not in have:  # a table added since: empty
            cols = ", ".join(f"{c} {TYPES[k][1]}" for c, k in table.columns.items())
            con.execute(f"CREATE TEMP TABLE {table.name} ({cols})")
            continue
        missing = [c for c in table.columns if c not in have[table.name]]
        if missing:
            extra = ", ".join(f"NULL::{TYPES[table.columns[c]][1]} AS {c}" for c in missing)
            con.execute(
                f'CREATE TEMP VIEW {table.name} AS SELECT *, {extra} FROM "{db}".main.{table.name}'
            )


def _ensure_table(con, name: str, columns: dict[str, str]) -> None:
    """Create ``name`` with ``columns``, or add the columns a store made by an older socialkpi
    lacks."""
    cols = ", ".join(f"{c} {TYPES[t][1]}" for c, t in columns.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")
    have = {r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {name})").fetchall()}
    for column, kind in columns.items():
        if column not in have:
            con.execute(f"ALTER TABLE {name} ADD COLUMN {column} {TYPES[kind][1]}")


def serving_path(path: str | Path) -> Path:
    """Where readers find the store's serving copy: ``socialkpi.duckdb`` -> ``socialkpi.serving.duckdb``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.serving{path.suffix or '.duckdb'}")


def _changed_at(path: Path) -> float:
    wal = path.with_name(path.name + ".wal")
    return max(p.stat().st_mtime for p in (path, wal) if p.exists())


def publish(path: str | Path, wait: float = 0.0) -> Path:
    """Copy the store to its serving copy (written beside it, then renamed into place, so a
    reader sees the old or the new copy, never half of one). Raises :class:`StoreBusy` if a
    writer holds the store for longer than ``wait`` seconds."""
    path = Path(path)
    target = serving_path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    copier = duckdb.connect(":memory:")
    try:
        _connect(path, True, wait, attach_to=copier)  # a shared lock: blocks writers while copying
        changed = _changed_at(path)
        copier.execute(f"ATTACH '{tmp}' AS serving_copy")
        copier.execute("COPY FROM DATABASE source TO serving_copy")
    except BaseException:
        copier.close()
        tmp.unlink(missing_ok=True)
        raise
    copier.close()
    os.utime(tmp, (changed, changed))  # the serving copy carries the time of the data it holds
    os.replace(tmp, target)
    return target


def open_serving(path: str | Path = DEFAULT_DB, wait: float = 30.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the serving copy, refreshed first if the store changed since.
    While an import holds the store, the previous copy is served; with no copy yet, wait up to
    ``wait`` seconds for the import to end."""
    path = Path(path)
    target = serving_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: run `make import` first")
    if not target.exists() or target.stat().st_mtime != _changed_at(path):
        try:
            publish(path, wait=0 if target.exists() else wait)
        except StoreBusy:
            if not target.exists():
                raise
    reader = duckdb.connect(":memory:")  # not connect(target): DuckDB caches open files by path
    reader.execute(f"ATTACH '{target}' AS serving (READ_ONLY)")
    reader.execute("USE serving")
    reader.execute("SET TimeZone = 'UTC'")
    _newer_columns_as_empty(reader)  # a copy written by an older socialkpi: today's schema
    return reader


def extract_brand(path: str | Path, brand: str, target: str | Path) -> Path:
    """A new store at ``target`` holding one brand's rows of every table (read from the serving
    copy, so an import may run meanwhile), its settings and its import records; the import
    ledgers stay behind (only imports and undo read them). What a report on another machine
    needs of the store.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> con = open_store(folder / "all.duckdb")
    >>> set_brand(con, "a", "Asia/Taipei"); set_brand(con, "b", "Europe/Berlin"); con.close()
    >>> one = open_store(extract_brand(folder / "all.duckdb", "b", folder / "b.duckdb"))
    >>> brand_timezones(one)
    {'b': 'Europe/Berlin'}
    """
    open_store(target).close()
    con = open_serving(path)
    try:
        con.execute(f"ATTACH '{Path(target)}' AS brand_slice")
        for table in [*TABLES, "brands", "imports"]:
            con.execute(
                f"INSERT INTO brand_slice.{table} BY NAME "
                f"SELECT * FROM serving.{table} WHERE brand = ?",
                [brand],
            )
    finally:
        con.close()
    return Path(target)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction: commit on success, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def ledger(table: str) -> str:
    """The table holding every import's rows for ``table`` as they came (see ``imports``)."""
    return f"ledger_{table}"


def upsert(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, source: str | None = None
) -> int:
    """Insert or update rows by the table's natural key; return the number of rows written.

    Only the columns ``frame`` carries are written, and a null never overwrites a known
    value, so two exports that each fill part of a row (a page's follows file and its views
    file, say) merge into one row. ``source`` (an import's sha256) also keeps the rows as
    they came in the table's ledger, so that the import can be removed later.
    """
    staging = Staging(con, source)
    try:
        written = staging.add(table, frame)
        staging.merge()
    finally:
        staging.drop()
    return written


class Staging:
    """One import's rows, gathered table by table in temporary tables and written by
    :meth:`merge` in one statement per table (a large file arrives in windows: merging
    each window into a growing table would cost more with every window).

    Used as ``staging = Staging(con, source=sha)``, then ``staging.add(table, frame)`` per
    window, :meth:`keys_twice`, ``staging.merge()`` and ``staging.drop()``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, source: str | None = None):
        self.con, self.source = con, source
        self.columns: dict[str, list[str]] = {}  # table -> the columns its frames carried

    @staticmethod
    def _name(table: str) -> str:
        return f"_staged_{table}"

    def add(self, table: str, frame: pd.DataFrame, validated: bool = False) -> int:
        """Stage ``frame``'s rows for ``table``; return how many. Two rows of one frame
        sharing a key are a ValueError (rows of different frames: :meth:`keys_twice`).
        ``validated``: the frame is conformed and passed :func:`schema.validate` (an
        import's frames), so neither is done again."""
        if frame.empty:
            return 0
        spec = TABLES[table]
        if not validated:
            frame = conform(frame, table)
            if frame.duplicated(list(spec.key)).any():
                raise ValueError(f"{table}: two incoming rows share a key {spec.key}")
        frame = frame[[c for c in spec.columns if c in frame.columns]]
        staged, known = self._name(table), self.columns.get(table)
        self.con.register("_frame", frame)
        try:
            if known is None:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS SELECT * FROM _frame")
                self.columns[table] = list(frame.columns)
            else:
                described = self.con.execute("DESCRIBE SELECT * FROM _frame").fetchall()
                types = {row[0]: row[1] for row in described}
                for column in frame.columns:
                    if column not in known:
                        self.con.execute(
                            f"ALTER TABLE {staged} ADD COLUMN {column} {types[column]}"
                        )
                        known.append(column)
                self.con.execute(f"INSERT INTO {staged} BY NAME SELECT * FROM _frame")
        finally:
            self.con.unregister("_frame")
        return len(frame)

    def keys_twice(self, table: str, limit: int = 3) -> list[dict]:
        """Up to ``limit`` natural keys (without the brand) staged more than once."""
        if table not in self.columns:
            return []
        key = [k for k in TABLES[table].key if k != "brand"]
        cols = ", ".join(key)
        rows = self.con.execute(
            f"SELECT {cols} FROM {self._name(table)} "
            f"GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT {int(limit)}"
        ).fetchall()
        return [dict(zip(key, r, strict=True)) for r in rows]

    def merge(self) -> None:
        """Write every staged row into its table (and, with a source, into its ledger)."""
        for table, cols in self.columns.items():
            staged, key = self._name(table), TABLES[table].key
            names = ", ".join(cols)
            if self.source is not None:
                self.con.execute(
                    f"INSERT INTO {ledger(table)} ({names}, file_sha256) "
                    f"SELECT {names}, ? FROM {staged}",
                    [self.source],
                )
            if self._all_new(table):  # nothing to update: a plain insert, at half the cost
                self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staged}")
                continue
            on = " AND ".join(f"{table}.{k} = _incoming.{k}" for k in key)
            sets = ", ".join(
                f"{c} = COALESCE(_incoming.{c}, {table}.{c})" for c in cols if c not in key
            )
            matched = f"WHEN MATCHED THEN UPDATE SET {sets} " if sets else ""
            values = ", ".join(f"_incoming.{c}" for c in cols)
            self.con.execute(
                f"MERGE INTO {table} USING {staged} AS _incoming ON ({on}) {matched}"
                f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({values})"
            )

    def _all_new(self, table: str) -> bool:
        """Whether ``table`` holds no row of the staged rows' brands (every key has the brand,
        so no staged row can match one): a brand's first import of a kind of data."""
        return (
            self.con.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE brand IN "
                f"(SELECT DISTINCT brand FROM {self._name(table)}) LIMIT 1)"
            ).fetchone()[0]
            == 0
        )

    def drop(self) -> None:
        """Remove the temporary tables (a failed import leaves nothing behind)."""
        for table in self.columns:
            self.con.execute(f"DROP TABLE IF EXISTS {self._name(table)}")
        self.columns = {}


def read(
    con: duckdb.DuckDBPyConnection,
    table: str,
    brand: str | None = None,
    platform: str | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    latest: bool = False,
) -> pd.DataFrame:
    """Read a slice of ``table`` as a frame with canonical dtypes.

    ``start`` is inclusive and ``end`` exclusive, compared with the table's time column
    (``posts``: ``published_at``). ``latest=True`` keeps only each post's newest snapshot.
    """
    where, args = [], []
    for col, value in (("brand", brand), ("platform", platform)):
        if value is not None:
            where.append(f"{col} = ?")
            args.append(value)
    time_col = TIME_COLUMN[table]
    for op, value in ((">=", start), ("<", end)):
        if value is not None and time_col is not None:
            where.append(f"{time_col} {op} ?")
            args.append(pd.Timestamp(value).to_pydatetime())
    sql = f"SELECT * FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if latest and table == "posts":
        sql += " QUALIFY row_number() OVER (PARTITION BY brand, platform, post_id ORDER BY snapshot_date DESC) = 1"
    sql += " ORDER BY " + ", ".join(TABLES[table].key)
    return conform(con.sql(sql, params=args).to_arrow_table().to_pandas(), table)


def counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows per table and brand, for summaries."""
    parts = [
        f"SELECT '{t}' AS table_name, brand, count(*) AS rows FROM {t} GROUP BY brand"
        for t in TABLES
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY table_name, brand"
    return con.sql(sql).to_arrow_table().to_pandas()


def find_import(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """The ``imports`` record of a file already imported, or None."""
    rows = con.execute(
        "SELECT source_path, brand, CAST(imported_at AS VARCHAR) FROM imports WHERE file_sha256 = ?",
        [sha256],
    ).fetchall()
    if not rows:
        return None
    return dict(zip(("source_path", "brand", "imported_at"), rows[0], strict=True))


def record_import(con: duckdb.DuckDBPyConnection, record: dict) -> None:
    """Append one row to ``imports`` (sha256, importer, path, brand, rows per table, ...)."""
    con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, now(), ?, ?, ?)",
        [
            record["file_sha256"],
            record["importer"],
            record["source_path"],
            record["brand"],
            json.dumps(record["rows"]),
            record.get("export_date"),
            record.get("encoding"),
            json.dumps(record.get("warnings", []), ensure_ascii=False),
        ],
    )


BRAND_SETTINGS = (
    "timezone",
    "engagement_rate",
    "business_hours",
    "display_name",
    "currency",
    "competitors",
    "pillars",
    "country",
    "branding",
)


def set_brand(con: duckdb.DuckDBPyConnection, brand: str, timezone: str, **settings) -> None:
    """Remember a brand's IANA time zone (used to cut days and months) and, when given, its
    other settings (see :data:`BRAND_SETTINGS`): the engagement-rate definition it reports
    (locked for comparisons across periods), its opening hours for response times
    (``Mon-Fri 09:00-18:00``), the name readers see, the currency of its revenue and its
    competitors (``brands.roster``) and content pillars (``brands.pillars``), as JSON."""
    brand = brands.check(brand)  # the last door: nothing unchecked becomes a brand
    unknown = set(settings) - set(BRAND_SETTINGS)
    if unknown:
        raise TypeError(f"unknown brand settings {sorted(unknown)}")
    values = [settings.get(c) for c in BRAND_SETTINGS[1:]]
    keep = ", ".join(f"{c} = coalesce(excluded.{c}, brands.{c})" for c in BRAND_SETTINGS[1:])
    con.execute(
        f"INSERT INTO brands (brand, {', '.join(BRAND_SETTINGS)}) "
        f"VALUES ({', '.join('?' * (1 + len(BRAND_SETTINGS)))}) "
        f"ON CONFLICT (brand) DO UPDATE SET timezone = excluded.timezone, {keep}",
        [brand, timezone, *values],
    )


def brand_settings(con: duckdb.DuckDBPyConnection, brand: str) -> dict:
    """A brand's stored settings (see :data:`BRAND_SETTINGS`; None if unset)."""
    result = con.execute("SELECT * FROM brands WHERE brand = ?", [brand])
    names = [d[0] for d in result.description]  # a store made before a setting existed lacks it
    rows = result.fetchall()
    found = dict(zip(names, rows[0], strict=True)) if rows else {}
    return {c: found.get(c) for c in BRAND_SETTINGS}


def brand_name(con: duckdb.DuckDBPyConnection, brand: str, lang: str) -> str:
    """The name readers see in ``lang``: ``brands.yaml``'s ``name`` (one name, or one per
    language), else the brand id."""
    return brands.display_name(display_names(con, brand), lang, brand)


def display_names(con: duckdb.DuckDBPyConnection, brand: str) -> str | dict | None:
    """``brands.yaml``'s ``name`` as stored: one name, a name per language, or None."""
    stored = brand_settings(con, brand)["display_name"]
    if not stored:
        return None
    return json.loads(stored) if stored.startswith(("{", '"')) else stored


def branding(con: duckdb.DuckDBPyConnection, brand: str) -> dict:
    """The brand's look from ``brands.yaml`` (``config.branding``; empty: socialkpi's look)."""
    stored = brand_settings(con, brand)["branding"]
    return json.loads(stored) if stored else {}


def competitors(con: duckdb.DuckDBPyConnection, brand: str) -> dict[str, dict]:
    """The brand's competitor list from ``brands.yaml`` (``brands.roster``; empty if none)."""
    stored = brand_settings(con, brand)["competitors"]
    return json.loads(stored) if stored else {}


def pillars(con: duckdb.DuckDBPyConnection, brand: str) -> dict[str, dict]:
    """The brand's content pillars from ``brands.yaml`` (``brands.pillars``; empty if none)."""
    stored = brand_settings(con, brand)["pillars"]
    return json.loads(stored) if stored else {}


def competitor_names(con: duckdb.DuckDBPyConnection, brand: str, lang: str) -> dict[str, str]:
    """Competitor id -> the name readers see in ``lang``, in the order ``brands.yaml`` lists them."""
    return {
        cid: brands.display_name(entry["name"], lang, cid)
        for cid, entry in competitors(con, brand).items()
    }


def freshness(con, brand: str) -> dict[str, str]:
    """The newest day of data per platform, e.g. ``{"facebook": "2026-10-31", "x": ...}``
    (``presentation.freshness`` says it in words)."""
    rows = con.execute(
        f"""SELECT platform, CAST(max(day) AS VARCHAR) FROM ({_DAYS_WITH_DATA})
           GROUP BY platform ORDER BY platform""",
        [brand, brand],
    ).fetchall()
    return dict(rows)


def platforms_with_data(con, brand: str, start: date, end: date) -> set[str]:
    """The platforms with posts or daily account data on a day in ``[start, end)``."""
    rows = con.execute(
        f"SELECT DISTINCT platform FROM ({_DAYS_WITH_DATA}) WHERE day >= ? AND day < ?",
        [brand, brand, start, end],
    ).fetchall()
    return {r[0] for r in rows}


_DAYS_WITH_DATA = """SELECT platform, snapshot_date AS day FROM posts WHERE brand = ?
                     UNION ALL SELECT platform, date FROM account_daily WHERE brand = ?"""


def brand_timezones(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every known brand and its time zone."""
    return dict(con.execute("SELECT brand, timezone FROM brands ORDER BY brand").fetchall())


def brand_timezone(con: duckdb.DuckDBPyConnection, brand: str) -> str:
    """The brand's time zone, or :data:`~socialkpi.metrics.periods.DEFAULT_TIMEZONE` if it has none."""
    return brand_timezones(con).get(brand) or DEFAULT_TIMEZONE


# --- period totals, computed inside DuckDB ---------------------------------------------
# Each function sums one table's components per (period, platform) over [start, end), where
# ``period`` is the local calendar month (``grain="month"``) or the whole range (``"range"``).


def latest_complete_month(con) -> str | None:
    """The last month whose final day the store has daily data for."""
    rows = con.execute("SELECT CAST(max(date) AS VARCHAR) FROM account_daily").fetchall()
    if not rows or rows[0][0] is None:
        return None
    last = date.fromisoformat(rows[0][0])
    next_day = last + timedelta(days=1)
    if next_day.day == 1:
        return f"{last:%Y-%m}"
    return f"{last.replace(day=1) - timedelta(days=1):%Y-%m}"
