"""Import throughput on a generated 1,000,000-post Meta Business Suite export, compared in
the same run with DuckDB's own ``read_csv`` of that file (target: within 2x), and the
import's peak memory in a fresh process above what the process held before it, as a
multiple of the file (target: under 9x; a large file is read in windows, see
``ingest._pipeline.parse_windows``).

    make bench            # or: python bench/import_bench.py --rows 1000000

Results are appended to bench/results/import_bench.jsonl (one JSON object per run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
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
        base_mb, peak_mb = peak_memory(export, Path(tmp) / "memory.duckdb")
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
            "process_before_mb": base_mb,
            "peak_mb": peak_mb,
            "peak_over_file": round((peak_mb - base_mb) / size_mb * 1.048576, 1),
            "target_peak_over_file": 9.0,
        },
    )


def peak_memory(export: Path, db: Path) -> tuple[int, int]:
    """The resident memory (MB) of a fresh process importing ``export``: before the
    import (interpreter, libraries, an open store) and at its peak."""
    code = textwrap.dedent(
        f"""
        from datetime import date
        from socialkpi import store
        from socialkpi.ingest import Options, import_paths

        def high_water():  # VmHWM, in MB (ru_maxrss would carry the parent's over exec)
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024

        con = store.open_store({str(db)!r})
        before = high_water()
        (result,) = import_paths(con, [{str(export)!r}], Options("bench", date(2026, 10, 31)))
        assert result.status == "imported", result.error
        print(before, high_water())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, peak = map(int, out.stdout.split())
    return before, peak


if __name__ == "__main__":
    main()
