"""Import throughput on a generated 1,000,000-post Meta Business Suite export, compared in
the same run with DuckDB's own ``read_csv`` of that file. Target: within 2x.

    make bench            # or: python bench/import_bench.py --rows 1000000

Results are appended to bench/results/import_bench.jsonl (one JSON object per run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
from _results import record

from socialkpi import store
from socialkpi.ingest import Options, import_paths

HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Permalink,Post type,"
    'Date,Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Link Clicks\n'
)


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    reach = rng.lognormal(7, 1.2, rows).astype(int)
    reactions = (reach * rng.uniform(0.01, 0.06, rows)).astype(int)
    comments = (reach * 0.004).astype(int)
    shares = (reach * 0.003).astype(int)
    minutes = rng.integers(0, 730 * 1440, rows)
    kinds = np.array(["Photos", "Videos", "Reels", "Links"])[rng.integers(0, 4, rows)]
    base = np.datetime64("2024-11-01T00:00")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            when = (base + np.timedelta64(int(minutes[i]), "m")).astype(datetime)
            r, c, s = reactions[i], comments[i], shares[i]
            out.write(
                f"6157100000001_{i},6157100000001,Bench,,Post {i},,{when:%m/%d/%Y %H:%M},"
                f"https://www.facebook.com/{i},{kinds[i]},Lifetime,{int(reach[i] * 1.3)},{reach[i]},"
                f"{r + c + s},{r},{c},{s},{r // 3},{s}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--out", default=str(Path(__file__).parent / "results" / "import_bench.jsonl")
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / f"Oct-01-2026_Oct-31-2026_{args.rows}.csv"
        write_export(export, args.rows)
        size_mb = export.stat().st_size / 1e6

        start = time.perf_counter()
        con = duckdb.connect(str(Path(tmp) / "raw.duckdb"))
        con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{export}', all_varchar=true)")
        duck_s = time.perf_counter() - start
        con.close()

        con = store.open_store(Path(tmp) / "socialkpi.duckdb")
        start = time.perf_counter()
        (result,) = import_paths(con, [export], Options("bench", date(2026, 10, 31)))
        ours_s = time.perf_counter() - start
        con.close()
    assert result.status == "imported", result.error
    record(
        args.out,
        {
            "rows": args.rows,
            "file_mb": round(size_mb, 1),
            "duckdb_read_csv_s": round(duck_s, 2),
            "socialkpi_import_s": round(ours_s, 2),
            "ratio": round(ours_s / duck_s, 2),
            "target_ratio": 2.0,
            "rows_per_s": int(args.rows / ours_s),
        },
    )


if __name__ == "__main__":
    main()
