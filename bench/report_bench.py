"""Report bundle speed: one brand's notebooks against the floor (the same number of Papermill
runs of a notebook that only imports socialkpi; each measured ``--repeat`` times, interleaved,
and compared by their medians), and brands per minute for generated brands
(copies of the sample brand under new names), locally with --jobs 2 and on a Dask cluster of
two single-threaded workers on this machine (``cluster="local:2"``, started inside the timing),
with the peak memory of a worker: its process tree (pool process or nanny and worker) and the
kernel it runs, sampled every 0.2 s.

    python bench/report_bench.py [--brands 8 32]

Appends one JSON object per run to bench/results/report_bench.jsonl.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import papermill as pm
from _results import RESULTS, record

from socialkpi import store
from socialkpi.ingest import import_paths
from socialkpi.outputs import bundle
from socialkpi.presentation.notebook import REPO

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
    import_paths(con, [REPO / "data" / "sample"])
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


def floor(runs: int, tmp: Path, code: str = "import socialkpi") -> float:
    """Papermill runs of a notebook that only runs ``code``, each in a new kernel, stopped at
    once when the notebook is done, as the bundle stops its kernels: asked to stop politely
    instead, about one kernel in ten here took 3.5 s more to exit ("Kernel is taking too long
    to finish, terminating"), which made the floor jump between 4.7 and 12 s."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    src = tmp / "floor.ipynb"
    nbformat.write(nb, src)
    start = time.perf_counter()
    for i in range(runs):
        pm.execute_notebook(
            str(src),
            str(tmp / f"floor_{i}.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            shutdown_kernel="immediate",
        )
    return time.perf_counter() - start


class PeakMemory:
    """The peak resident memory of each child process tree of this process while running."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peaks, self._stop = interval, {}, threading.Event()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            for child in me.children():
                try:
                    tree = [child, *child.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in tree)
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def worst_mb(self) -> float:
        """The largest peak over the trees that ran a brand (more than an idle manager)."""
        return round(max(self.peaks.values(), default=0) / 2**20, 1)


def brands_per_minute(names, tmp: Path, where: str) -> tuple[float, float]:
    """Brands per minute and the worst worker's peak memory (MB) for one run."""
    with PeakMemory() as memory:
        start = time.perf_counter()
        bundle.run(
            "2026-10",
            names,
            "zh-TW",
            None,
            tmp / where.replace(":", "_") / str(len(names)),
            2,
            tmp / "bench.duckdb",
            cluster=None if where == "local" else where,
        )
        seconds = time.perf_counter() - start
    return round(len(names) / (seconds / 60), 2), memory.worst_mb()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brands", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--out", default=str(RESULTS / "report_bench.jsonl"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of one brand and the floor")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["SOCIALKPI_ACTIONS"] = str(tmp / "actions")  # not the project's data/actions
        names = sample_store(tmp / "bench.duckdb", max(args.brands))
        ones, bases = [], []
        for i in range(args.repeat):  # interleaved: a busy moment slows both, not one
            start = time.perf_counter()
            out = tmp / f"one{i}"
            bundle.run("2026-10", ["lumi_tea"], "zh-TW", None, out, 1, tmp / "bench.duckdb")
            ones.append(time.perf_counter() - start)
            bases.append(floor(len(bundle.NOTEBOOKS), tmp))
        one, base = statistics.median(ones), statistics.median(bases)
        speed, memory = {}, {}
        for n in args.brands:
            for where in ("local", "local:2"):
                label = "jobs2" if where == "local" else "cluster2"
                rate, peak = brands_per_minute(names[:n], tmp, where)
                speed.setdefault(label, {})[str(n)] = rate
                memory.setdefault(label, {})[str(n)] = peak
    overhead = {n: round(1 - speed["cluster2"][n] / speed["jobs2"][n], 3) for n in speed["jobs2"]}
    record(
        args.out,
        {
            "notebooks": len(bundle.NOTEBOOKS),
            "one_brand_bundle_s": round(one, 1),
            "floor_s": round(base, 1),
            "ratio": round(one / base, 2),
            "one_brand_runs_s": [round(x, 1) for x in ones],
            "floor_runs_s": [round(x, 1) for x in bases],
            "brands_per_minute_jobs2": speed["jobs2"],
            "brands_per_minute_cluster2": speed["cluster2"],
            "cluster_overhead": overhead,
            "target_overhead": 0.10,
            "peak_worker_mb_jobs2": memory["jobs2"],
            "peak_worker_mb_cluster2": memory["cluster2"],
        },
    )


if __name__ == "__main__":
    main()
