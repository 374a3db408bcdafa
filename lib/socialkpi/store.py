"""The DuckDB file store: create, upsert by natural key, read slices as pandas frames.

Only this module and ``ingest`` touch disk. Each import runs in one transaction
(see :func:`transaction`), so a file that fails leaves the store exactly as it was.

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
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from socialkpi import brands
from socialkpi.periods import DEFAULT_TIMEZONE
from socialkpi.schema import TABLES, TYPES, conform

DEFAULT_DB = Path("data/socialkpi.duckdb")

# the column that places a row in time, per table (for period slices)
TIME_COLUMN = {
    "posts": "published_at",
    "account_daily": "date",
    "audience": "snapshot_date",
    "comments": "created_at",
    "web_sessions": "date",
    "competitors": "date",
    "content_plan": "planned_for",
}

_EXTRA_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    file_sha256 VARCHAR PRIMARY KEY, importer VARCHAR, source_path VARCHAR, brand VARCHAR,
    rows JSON, imported_at TIMESTAMPTZ, export_date DATE, encoding VARCHAR, warnings JSON
);
CREATE TABLE IF NOT EXISTS brands (
    brand VARCHAR PRIMARY KEY, timezone VARCHAR NOT NULL, engagement_rate VARCHAR, business_hours VARCHAR,
    display_name VARCHAR, currency VARCHAR
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
    return con


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
    return reader


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
    if frame.empty:
        return 0
    spec = TABLES[table]
    frame = conform(frame, table)[[c for c in spec.columns if c in frame.columns]]
    if frame.duplicated(list(spec.key)).any():
        raise ValueError(f"{table}: two incoming rows share a key {spec.key}")
    cols = list(frame.columns)
    on = " AND ".join(f"{table}.{k} = _incoming.{k}" for k in spec.key)
    sets = ", ".join(
        f"{c} = COALESCE(_incoming.{c}, {table}.{c})" for c in cols if c not in spec.key
    )
    matched = f"WHEN MATCHED THEN UPDATE SET {sets} " if sets else ""
    values = ", ".join(f"_incoming.{c}" for c in cols)
    con.register("_frame", frame)
    try:  # the frame is converted once; the ledger and the merge both read the copy
        con.execute("CREATE OR REPLACE TEMP TABLE _incoming AS SELECT * FROM _frame")
        con.unregister("_frame")
        if source is not None:
            con.execute(
                f"INSERT INTO {ledger(table)} ({', '.join(cols)}, file_sha256) "
                f"SELECT {', '.join(cols)}, ? FROM _incoming",
                [source],
            )
        con.execute(
            f"MERGE INTO {table} USING _incoming ON ({on}) {matched}"
            f"WHEN NOT MATCHED THEN INSERT ({', '.join(cols)}) VALUES ({values})"
        )
    finally:
        con.unregister("_frame")
        con.execute("DROP TABLE IF EXISTS _incoming")
    return len(frame)


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
        if value is not None:
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


BRAND_SETTINGS = ("timezone", "engagement_rate", "business_hours", "display_name", "currency")


def set_brand(con: duckdb.DuckDBPyConnection, brand: str, timezone: str, **settings) -> None:
    """Remember a brand's IANA time zone (used to cut days and months) and, when given, its
    other settings (see :data:`BRAND_SETTINGS`): the engagement-rate definition it reports
    (locked for comparisons across periods), its opening hours for response times
    (``Mon-Fri 09:00-18:00``), the name readers see and the currency of its revenue."""
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
    stored = brand_settings(con, brand)["display_name"]
    if not stored:
        return brand
    name = json.loads(stored) if stored.startswith(("{", '"')) else stored
    if isinstance(name, dict):
        return name.get(lang) or next(iter(name.values()), brand)
    return str(name)


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
    """The brand's time zone, or :data:`~socialkpi.periods.DEFAULT_TIMEZONE` if it has none."""
    return brand_timezones(con).get(brand) or DEFAULT_TIMEZONE


# --- period totals, computed inside DuckDB ---------------------------------------------
# Each function sums one table's components per (period, platform) over [start, end), where
# ``period`` is the local calendar month (``grain="month"``) or the whole range (``"range"``).

SOCIAL_SOURCES = {
    "facebook": ["facebook", "fb.com", "fb.me"],
    "instagram": ["instagram"],
    "youtube": ["youtube", "youtu.be"],
    "tiktok": ["tiktok"],
    "linkedin": ["linkedin", "lnkd.in"],
    "x": ["t.co", "twitter", "x.com"],
    "threads": ["threads"],
    "line": ["line.me"],
}
POST_SUMS = (
    "reach",
    "impressions",
    "views",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "watch_time_s",
    "follows",
)


def _filters(brand, platforms) -> tuple[str, list]:
    sql, args = "brand = ?", [brand]
    if platforms:
        sql += f" AND platform IN ({', '.join('?' * len(platforms))})"
        args += list(platforms)
    return sql, args


def _bucket(day_expr: str, grain: str) -> str:
    return f"strftime({day_expr}, '%Y-%m')" if grain == "month" else "'range'"


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    table = con.sql(sql, params=params).to_arrow_table()
    if table.num_rows == 0:  # typeless empty Arrow columns cannot be merged: plain empty frame
        return pd.DataFrame(columns=table.column_names)
    return table.to_pandas()


def _local_day(column: str) -> str:
    return f"CAST(timezone(?, {column}) AS DATE)"


def post_totals(
    con, brand, start, end, timezone, platforms=None, engagement_parts=None, grain="range"
):
    """Posts published in [start, end) (local dates in ``timezone``), latest snapshot of each:
    count, summed metrics, engagements (``engagement_parts``: platform -> columns, key
    ``default``), and how many posts reported impressions and views."""
    parts = engagement_parts or {"default": ["reactions", "comments", "shares", "saves"]}

    def total(cols):  # NULL when the platform reports none of the parts, else the sum
        present = f"coalesce({', '.join(cols)}) IS NULL"
        return f"CASE WHEN {present} THEN NULL ELSE {' + '.join(f'coalesce({c}, 0)' for c in cols)} END"

    cases = " ".join(f"WHEN '{p}' THEN {total(c)}" for p, c in parts.items() if p != "default")
    engagements = (
        f"CASE platform {cases} ELSE {total(parts['default'])} END"
        if cases
        else total(parts["default"])
    )
    where, args = _filters(brand, platforms)
    sums = ", ".join(f"sum({c}) AS {c}" for c in POST_SUMS)
    sql = f"""
        WITH latest AS (
            SELECT *, {_local_day("published_at")} AS day FROM posts WHERE {where}
            QUALIFY row_number() OVER (PARTITION BY platform, post_id ORDER BY snapshot_date DESC) = 1
        )
        SELECT {_bucket("day", grain)} AS period, platform, count(*) AS posts, {sums},
               sum({engagements}) AS engagements,
               sum(CASE WHEN watch_time_s IS NOT NULL THEN video_views END) AS watched_views,
               count(impressions) AS with_impressions, count(views) AS with_views
        FROM latest WHERE day >= ? AND day < ? GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [timezone, *args, start, end])


def follower_totals(con, brand, start, end, platforms=None, grain="range"):
    """Gains, losses, followers at the end of each period and just before it."""
    where, args = _filters(brand, platforms)
    sql = f"""
        WITH days AS (SELECT * FROM account_daily WHERE {where} AND date < ?),
        periods AS (
            SELECT {_bucket("date", grain)} AS period, platform, min(date) AS first_day,
                   sum(follower_gains) AS follower_gains, sum(follower_losses) AS follower_losses,
                   arg_max(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_end,
                   arg_min(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_first
            FROM days WHERE date >= ? GROUP BY ALL
        )
        SELECT p.period, p.platform, p.follower_gains, p.follower_losses, p.followers_end,
               coalesce((SELECT arg_max(d.followers, d.date) FROM days d
                         WHERE d.platform = p.platform AND d.date < p.first_day AND d.followers IS NOT NULL),
                        p.followers_first) AS followers_start
        FROM periods p ORDER BY ALL
    """
    return _frame(con, sql, [*args, end, start])


def web_totals(con, brand, start, end, grain="range"):
    """GA4 sessions, key events and revenue whose source is a social platform, per platform."""
    cases = " ".join(
        "WHEN " + " OR ".join("lower(source_medium) LIKE ?" for _ in words) + f" THEN '{p}'"
        for p, words in SOCIAL_SOURCES.items()
    )
    likes = [f"%{w}%" for words in SOCIAL_SOURCES.values() for w in words]
    sql = f"""
        SELECT {_bucket("date", grain)} AS period, platform, sum(sessions) AS sessions,
               sum(key_events) AS key_events, sum(revenue) AS revenue
        FROM (SELECT CASE {cases} END AS platform, * FROM web_sessions
              WHERE brand = ? AND date >= ? AND date < ?)
        WHERE platform IS NOT NULL GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [*likes, brand, start, end])


def comment_totals(
    con, brand, start, end, timezone, platforms=None, grain="range", business_hours=None
):
    """Customer comments (not the brand's replies) created in [start, end): volume, sentiment
    counts, replies, first-response time quantiles in hours (business hours when the brand's
    ``business_hours`` are given, else clock hours); one row per platform and one pooled row
    (platform ``all``, its quantiles over every comment) per period, in one scan."""
    where, args = _filters(brand, platforms)
    wait = (
        f"({business_hours.sql_seconds('replied_at')} - {business_hours.sql_seconds('created_at')})"
        if business_hours
        else "epoch(replied_at - created_at)"
    )
    sql = f"""
        SELECT period, coalesce(platform, 'all') AS platform,
               count(*) AS mentions,
               count(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
               count(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
               count(*) FILTER (WHERE sentiment_label IS NOT NULL) AS scored,
               count(replied_at) AS responded,
               quantile_cont(wait_h, 0.5) AS response_p50_h,
               quantile_cont(wait_h, 0.9) AS response_p90_h
        FROM (SELECT {_bucket("day", grain)} AS period, platform, sentiment_label, replied_at,
                     {wait} / 3600 AS wait_h
              FROM (SELECT *, {_local_day("created_at")} AS day FROM comments
                    WHERE {where} AND NOT coalesce(is_brand_reply, false))
              WHERE day >= ? AND day < ?)
        GROUP BY GROUPING SETS ((period, platform), (period)) ORDER BY ALL
    """
    return _frame(con, sql, [timezone, *args, start, end])


def competitor_totals(con, brand, start, end, platforms=None, grain="range"):
    """Competitors' public engagements per platform."""
    where, args = _filters(brand, platforms)
    sql = f"""
        SELECT {_bucket("date", grain)} AS period, platform,
               sum(engagements) AS competitor_engagements
        FROM competitors WHERE {where} AND date >= ? AND date < ? GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [*args, start, end])
