"""The record of every imported file: list the imports, and remove one.

Each import writes its rows twice: merged into the canonical tables, and as they came into
that table's ledger (``store.ledger``), tagged with the file's sha256. Removing an import
deletes its ledger rows and rebuilds the canonical rows it touched from the imports that remain,
in the order they were made: for each column the latest import's known value wins, exactly as
when they were imported. So an export imported for the wrong brand can be taken out and
imported again, and rows it shared with other files keep those files' values.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from socialkpi import store
from socialkpi.store.schema import TABLES

MIN_PREFIX = 8


class ImportNotFound(LookupError):
    """No import, or more than one, matches the sha256 prefix given."""


class ImportNotRemovable(RuntimeError):
    """An import made before socialkpi kept ledgers: its rows cannot be told apart."""


def list_imports(con: duckdb.DuckDBPyConnection, brand: str | None = None) -> pd.DataFrame:
    """Every import, oldest first: sha256, when, brand, format, source file and rows written."""
    sql = """SELECT file_sha256, imported_at, brand, importer, source_path, rows
             FROM imports {where} ORDER BY imported_at, file_sha256"""
    frame = (
        con.sql(
            sql.format(where="WHERE brand = ?" if brand else ""), params=[brand] if brand else []
        )
        .to_arrow_table()
        .to_pandas()
    )
    frame["rows"] = frame["rows"].map(lambda r: sum(json.loads(r).values()) if r else 0)
    return frame


def find(con: duckdb.DuckDBPyConnection, prefix: str) -> str:
    """The full sha256 of the one import whose sha256 starts with ``prefix``."""
    prefix = prefix.strip().lower()
    if len(prefix) < MIN_PREFIX or not all(c in "0123456789abcdef" for c in prefix):
        raise ImportNotFound(
            f"{prefix!r} is not a sha256 prefix: give at least {MIN_PREFIX} hex characters, "
            "as `socialkpi imports list` shows them"
        )
    found = [
        r[0]
        for r in con.execute(
            "SELECT file_sha256 FROM imports WHERE starts_with(file_sha256, ?)", [prefix]
        ).fetchall()
    ]
    if len(found) != 1:
        what = "no import" if not found else f"{len(found)} imports"
        raise ImportNotFound(f"{what} with sha256 starting {prefix}; see `socialkpi imports list`")
    return found[0]


def remove(con: duckdb.DuckDBPyConnection, sha256: str) -> dict[str, dict[str, int]]:
    """Remove one import in one transaction; return, per table, how many rows were deleted
    and how many were rebuilt from other imports that had written them too."""
    ((brand, rows),) = con.execute(
        "SELECT brand, rows FROM imports WHERE file_sha256 = ?", [sha256]
    ).fetchall()
    written = sum(json.loads(rows).values()) if rows else 0
    kept = sum(
        con.execute(
            f"SELECT count(*) FROM {store.ledger(t)} WHERE file_sha256 = ?", [sha256]
        ).fetchall()[0][0]
        for t in TABLES
    )
    if written and not kept:
        raise ImportNotRemovable(
            f"import {sha256[:12]} was made before socialkpi kept a copy of each import's rows, "
            "so its rows cannot be told apart from other files': rebuild the store (delete it and "
            "import your exports again)"
        )
    outcome = {}
    with store.transaction(con):
        for table in TABLES:
            counts = _remove_from(con, table, sha256)
            if any(counts.values()):
                outcome[table] = counts
        con.execute("DELETE FROM imports WHERE file_sha256 = ?", [sha256])
        if not _has_rows(con, brand):
            con.execute("DELETE FROM brands WHERE brand = ?", [brand])
    return outcome


def remove_brand(con: duckdb.DuckDBPyConnection, brand: str) -> dict[str, int]:
    """Remove every import of ``brand`` in one transaction (its rows, ledgers, import records
    and stored settings: the next import reads the brand afresh, e.g. in a new time zone);
    return the rows deleted per table. Other brands are untouched."""
    if not con.execute("SELECT 1 FROM imports WHERE brand = ? LIMIT 1", [brand]).fetchall():
        raise ImportNotFound(f"no import of brand {brand}; see `socialkpi imports list`")
    outcome = {}
    with store.transaction(con):
        for table in TABLES:
            ((count,),) = con.execute(
                f"SELECT count(*) FROM {table} WHERE brand = ?", [brand]
            ).fetchall()
            con.execute(f"DELETE FROM {table} WHERE brand = ?", [brand])
            con.execute(f"DELETE FROM {store.ledger(table)} WHERE brand = ?", [brand])
            if count:
                outcome[table] = count
        con.execute("DELETE FROM imports WHERE brand = ?", [brand])
        con.execute("DELETE FROM brands WHERE brand = ?", [brand])
    return outcome


def _remove_from(con, table: str, sha256: str) -> dict[str, int]:
    spec = TABLES[table]
    key, rest = list(spec.key), [c for c in spec.columns if c not in spec.key]
    log = store.ledger(table)
    joins = " AND ".join(f"t.{k} IS NOT DISTINCT FROM g.{k}" for k in key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _touched AS "
        f"SELECT DISTINCT {', '.join(key)} FROM {log} WHERE file_sha256 = ?",
        [sha256],
    )
    touched = con.execute("SELECT count(*) FROM _touched").fetchall()[0][0]
    if not touched:
        return {"deleted": 0, "rebuilt": 0}
    con.execute(f"DELETE FROM {log} WHERE file_sha256 = ?", [sha256])
    con.execute(f"DELETE FROM {table} t USING _touched g WHERE {joins}")
    latest = ", ".join(
        f"arg_max(l.{c}, i.imported_at) FILTER (WHERE l.{c} IS NOT NULL) AS {c}" for c in rest
    )
    con.execute(
        f"""INSERT INTO {table} ({", ".join(key + rest)})
            SELECT {", ".join(f"l.{k}" for k in key)}, {latest}
            FROM {log} l JOIN imports i USING (file_sha256)
            SEMI JOIN _touched g ON {joins.replace("t.", "l.")}
            GROUP BY ALL"""
    )
    rebuilt = con.execute(
        f"SELECT count(*) FROM {table} t SEMI JOIN _touched g ON {joins}"
    ).fetchall()[0][0]
    con.execute("DROP TABLE _touched")
    return {"deleted": touched - rebuilt, "rebuilt": rebuilt}


def _has_rows(con, brand: str) -> bool:
    return any(
        con.execute(f"SELECT 1 FROM {t} WHERE brand = ? LIMIT 1", [brand]).fetchall()
        for t in TABLES
    )
