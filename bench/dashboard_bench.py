"""Dashboard speed and memory in a real Voila server and Debian's Chromium:

- first render of the KPI review dashboard (cards and chart drawn) against the floor, a trivial
  Voila notebook served with the same settings;
- control-change-to-updated-chart latency, p50/p95 over ``--changes`` KPI changes, on the
  sample store and on a generated store with ``--posts`` posts;
- memory per concurrent viewer (the server and its kernels' RSS) for 1, 5 and 20 sessions.

    python bench/dashboard_bench.py [--posts 1000000] [--changes 50] [--sessions 1 5 20]

Appends one JSON object per run to bench/results/dashboard_bench.jsonl.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
from _results import RESULTS, record
from kpi_bench import fill
from playwright.sync_api import sync_playwright

from socialkpi import dashboard, metrics, store
from socialkpi.ingest import import_paths
from socialkpi.outputs.runner import CHROMIUM_FLAGS
from socialkpi.presentation.notebook import REPO

ARGS = CHROMIUM_FLAGS


class Server:
    """``socialkpi dashboard`` as a subprocess on a free port (optionally over another folder)."""

    def __init__(self, db: Path, root: Path | None = None, pool_size: int = 1):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        command = dashboard.voila_command(self.port, "127.0.0.1", pool_size, 900)
        if root:
            command[3] = str(root)
        self.proc = subprocess.Popen(
            command,
            env=dashboard.voila_env(db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        self.settle()  # the preheated kernels finish their imports and warm-up

    def settle(self, timeout: float = 120.0) -> None:
        """Wait until the server and its kernels are idle (under 10% of one core for half a
        second), e.g. while the pool refills a preheated kernel: a measurement then times the
        view, not a kernel starting beside it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(True)]
            for proc in procs:
                proc.cpu_percent(None)
            time.sleep(0.5)
            busy = 0.0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    busy += proc.cpu_percent(None)
            if busy < 10:
                return

    def rss_mib(self) -> float:
        procs = [
            psutil.Process(self.proc.pid),
            *psutil.Process(self.proc.pid).children(recursive=True),
        ]
        return sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def first_render(browser, server: Server, url: str, ready: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded", timeout=180_000)
        page.wait_for_selector(ready, timeout=180_000)
        times.append(time.perf_counter() - start)
        page.close()
        server.settle()  # the pool refills its preheated kernel
    return statistics.median(times)


def sample_store(tmp: Path) -> Path:
    """The bundled sample imported into a new store under ``tmp``."""
    path = tmp / "sample.duckdb"
    con = store.open_store(path)
    import_paths(con, [REPO / "data" / "sample"])
    con.close()
    return path


def trivial_floor(browser, db: Path, tmp: Path, runs: int = 3) -> float:
    """First render of a trivial Voila notebook (one widget) served with the same settings."""
    trivial = tmp / "trivial"
    trivial.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import ipywidgets as w\nw.HTML(\"<p class='done'>ok</p>\")")
    ]
    nbformat.write(nb, trivial / "trivial.ipynb")
    server = Server(db, trivial)
    try:
        url = f"{server.url}/voila/render/trivial.ipynb"
        return first_render(browser, server, url, ".done", runs)
    finally:
        server.stop()


def latency(browser, url: str, changes: int) -> dict:
    page = browser.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".vega-embed svg .mark-symbol path", timeout=120_000)
    names = [metrics.dictionary()[k].name["en"] for k in ("followers", "reach", "engagements")]
    waits = []
    for i in range(changes):
        name = names[i % len(names)]
        start = time.perf_counter()
        page.locator(".skpi-kpi select").select_option(label=name)
        page.wait_for_function(
            "name => document.querySelector('.vega-embed svg .role-title-text')?.textContent === name",
            arg=name,
            timeout=60_000,
        )
        waits.append(time.perf_counter() - start)
    page.close()
    waits.sort()
    return {
        "p50_ms": round(1000 * statistics.median(waits)),
        "p95_ms": round(1000 * waits[int(0.95 * (len(waits) - 1))]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--out", default=str(RESULTS / "dashboard_bench.jsonl"))
    args = parser.parse_args()
    result = {
        "posts": args.posts,
        "changes": args.changes,
        "targets": {"first_render_ratio": 2.0, "p95_ms": 300},
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        sample = sample_store(tmp)
        floor = trivial_floor(browser, sample, tmp)

        server = Server(sample)
        page_url = (
            f"{server.url}/voila/render/kpi_review.ipynb?brand=lumi_tea&month=2026-10&lang=en"
        )
        render = first_render(browser, server, page_url, ".vega-embed svg .mark-symbol path")
        result.update(
            first_render_s=round(render, 2), floor_s=round(floor, 2), ratio=round(render / floor, 2)
        )
        result["sample"] = latency(browser, page_url, args.changes)
        idle = server.rss_mib()
        memory, pages = {}, []
        for n in args.sessions:
            while len(pages) < n:
                page = browser.new_page()
                page.goto(page_url, wait_until="domcontentloaded")
                page.wait_for_selector(".skpi-card", timeout=300_000)
                pages.append(page)
            time.sleep(5)
            memory[str(n)] = round((server.rss_mib() - idle) / n)
        for page in pages:
            page.close()
        result["mib_per_viewer"] = memory
        result["idle_server_mib"] = round(idle)
        server.stop()

        big = tmp / "big.duckdb"
        con = store.open_store(big)
        fill(con, args.posts, args.posts // 10)
        con.close()
        server = Server(big)
        result["generated"] = latency(
            browser,
            f"{server.url}/voila/render/kpi_review.ipynb?brand=bench&month=2026-10&lang=en",
            args.changes,
        )
        server.stop()
        browser.close()
        shutil.rmtree(tmp, ignore_errors=True)
    record(args.out, result)


if __name__ == "__main__":
    main()
