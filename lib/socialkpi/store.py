"""The DuckDB file store: create, upsert by natural key, read slices as pandas frames.

Only this module and ``ingest`` touch disk. Each import runs in one transaction
(see :func:`transaction`), so a file that fails leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

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
    brand VARCHAR PRIMARY KEY, timezone VARCHAR NOT NULL
);

"""


def open_store(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at ``path`` with every canonical table in place."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        con.execute("SET TimeZone = 'UTC'")
        for table in TABLES.values():
            cols = ", ".join(f"{c} {TYPES[t][1]}" for c, t in table.columns.items())
            # no PRIMARY KEY: keys stay unique because every write is a MERGE on the natural key
            # of validated, duplicate-free rows; an ART index would triple the cost of a big import
            con.execute(f"CREATE TABLE IF NOT EXISTS {table.name} ({cols})")
        con.execute(_EXTRA_DDL)
    return con


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


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert or update rows by the table's natural key; return the number of rows written.

    Only the columns ``frame`` carries are written, and a null never overwrites a known
    value, so two exports that each fill part of a row (a page's follows file and its views
    file, say) merge into one row.
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
    con.register("_incoming", frame)
    try:
        con.execute(
            f"MERGE INTO {table} USING _incoming ON ({on}) {matched}"
            f"WHEN NOT MATCHED THEN INSERT ({', '.join(cols)}) VALUES ({values})"
        )
    finally:
        con.unregister("_incoming")
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


def set_brand(con: duckdb.DuckDBPyConnection, brand: str, timezone: str) -> None:
    """Remember a brand's IANA time zone (used to cut days and months)."""
    con.execute(
        "INSERT INTO brands VALUES (?, ?) ON CONFLICT (brand) DO UPDATE SET timezone = excluded.timezone",
        [brand, timezone],
    )


def brand_timezones(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every known brand and its time zone."""
    return dict(con.execute("SELECT brand, timezone FROM brands ORDER BY brand").fetchall())
