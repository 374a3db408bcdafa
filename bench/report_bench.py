"""Report bundle speed: one brand's four notebooks against the floor (the same number of
Papermill runs of a notebook that only imports socialkpi), and brands per minute with
--jobs 2 for generated brands (copies of the sample brand under new names).

    python bench/report_bench.py [--brands 2 8 32]

Appends one JSON object per run to bench/results/report_bench.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from _results import RESULTS, record

from socialkpi import bundle, store
from socialkpi.ingest import import_paths

TABLES = (
    "posts",
    "account_daily",
    "audience",
    "comments",
    "web_sessions",
    "competitors",
    "content_plan",
)


def sample_store(path: Path, copies: int) -> list[str]:
    con = store.open_store(path)
    import_paths(con, [bundle.REPO / "data" / "sample"])
    names = []
    for i in range(copies):
        name = f"brand_{i:03d}"
        for table in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "brand"]
            con.execute(
                f"INSERT INTO {table} (brand, {', '.join(cols)}) SELECT ?, {', '.join(cols)} "
                f"FROM {table} WHERE brand = 'lumi_tea'",
                [name],
            )
        store.set_brand(con, name, "Asia/Taipei", engagement_rate="engagement_rate_reach")
        names.append(name)
    con.close()
    return names


def floor(runs: int, tmp: Path) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import socialkpi")]
    src = tmp / "floor.ipynb"
    nbformat.write(nb, src)
    start = time.perf_counter()
    for i in range(runs):
        pm.execute_notebook(
            str(src), str(tmp / f"floor_{i}.ipynb"), kernel_name="python3", progress_bar=False
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brands", type=int, nargs="+", default=[2, 8, 32])
    parser.add_argument("--out", default=str(RESULTS / "report_bench.jsonl"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        names = sample_store(tmp / "bench.duckdb", max(args.brands))
        start = time.perf_counter()
        bundle.run("2026-10", ["lumi_tea"], "zh-TW", None, tmp / "one", 1, tmp / "bench.duckdb")
        one = time.perf_counter() - start
        base = floor(4, tmp)
        scaling = {}
        for n in args.brands:
            start = time.perf_counter()
            bundle.run(
                "2026-10", names[:n], "zh-TW", None, tmp / f"many_{n}", 2, tmp / "bench.duckdb"
            )
            scaling[str(n)] = round(n / ((time.perf_counter() - start) / 60), 2)
    record(
        args.out,
        {
            "one_brand_bundle_s": round(one, 1),
            "floor_s": round(base, 1),
            "ratio": round(one / base, 2),
            "target_ratio": 1.5,
            "brands_per_minute_jobs2": scaling,
        },
    )


if __name__ == "__main__":
    main()
