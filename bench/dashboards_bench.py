"""Every dashboard in a real Voila server and Debian's Chromium, on the sample store, or with
``--posts N`` on the sample store plus a generated brand ("bench") with N posts over 25 months
(``kpi_bench.fill``: four platforms, comments, daily followers, web sessions):

- first render (header, cards and chart drawn) of each of the eight dashboards, against the
  floor (a trivial Voila notebook served with the same settings), median of ``--runs``;
- a brand change (the control that recomputes the whole view), alternating between the two
  sample brands (with ``--posts``: Lumi Tea and the generated brand) ``--changes`` times:
  the first visit to each brand ("cold": nothing computed yet in that kernel, whose reads
  come from what the dashboard's first kernel kept on disk) and the later ones ("warm",
  p50/p95: the kernel keeps each brand's reads in memory);
- the server's memory (server and kernels, RSS) with each dashboard open, per viewer.

    python bench/dashboards_bench.py [--changes 20] [--runs 3] [--posts 1000000] [--only money]

Each measurement starts once the server is idle (``Server.settle``: the pool has refilled the
kernel a page took), so it times the view, not a kernel starting beside it. Appends one JSON
object per run to bench/results/dashboards_bench.jsonl.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _results import RESULTS, record
from dashboard_bench import ARGS, Server, first_render, sample_store, trivial_floor
from kpi_bench import fill
from playwright.sync_api import sync_playwright

from socialkpi import store
from socialkpi.steps import WITH_PAGES

SAMPLE_BRANDS = ("lumi_tea", "northwind_cloud")
# a view is on screen: its header names the brand and nothing is being recomputed
SHOWN = ".skpi-dashboard:not(.skpi-updating) .skpi-view-of[data-brand='{brand}']"
READY = ".skpi-dashboard:not(.skpi-updating) .skpi-dash-header h1"


def brand_changes(browser, server: Server, url: str, changes: int, names: dict[str, str]) -> dict:
    """Seconds from choosing a brand to its view on screen, cold (first visit) and warm;
    ``names`` holds the two brands, the one ``url`` opens first. Measured once the pool has
    refilled the kernel this page took."""
    brands = list(names)
    page = browser.new_page()
    page.goto(url, wait_until="domcontentloaded", timeout=180_000)
    page.wait_for_selector(SHOWN.format(brand=brands[0]), timeout=180_000)
    server.settle()
    cold, warm, seen = [], [], {brands[0]}
    for i in range(changes):
        brand = brands[(i + 1) % 2]
        start = time.perf_counter()
        page.locator(".skpi-brand select").select_option(label=names[brand])
        page.wait_for_selector(SHOWN.format(brand=brand), timeout=180_000)
        (warm if brand in seen else cold).append(time.perf_counter() - start)
        seen.add(brand)
    page.close()
    warm.sort()
    return {
        "cold_ms": [round(1000 * s) for s in cold],
        "warm_p50_ms": round(1000 * statistics.median(warm)) if warm else None,
        "warm_p95_ms": round(1000 * warm[int(0.95 * (len(warm) - 1))]) if warm else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--posts", type=int, default=0, help="add a generated brand this large")
    parser.add_argument("--only", default="", help="comma-separated step ids (default: all)")
    parser.add_argument("--out", default=str(RESULTS / "dashboards_bench.jsonl"))
    args = parser.parse_args()
    result: dict = {
        "store": f"sample + generated brand of {args.posts:,} posts" if args.posts else "sample",
        "changes": args.changes,
        "targets": {"first_render_ratio": 1.5, "change_p95_ms": 300},
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        sample = sample_store(tmp)
        brands = SAMPLE_BRANDS
        if args.posts:
            con = store.open_store(sample)
            fill(con, args.posts, args.posts // 10)
            con.close()
            brands = ("bench", SAMPLE_BRANDS[0])  # each dashboard opens on the large brand
        con = store.open_store(sample, read_only=True)
        names = {b: store.brand_name(con, b, "en") for b in brands}  # the brand control's labels
        con.close()
        floor = trivial_floor(browser, sample, tmp, args.runs)
        result["floor_s"] = round(floor, 2)
        server = Server(sample)
        try:
            dashboards, idle = _every_dashboard(browser, server, floor, names, args)
        finally:
            server.stop()
        result["dashboards"] = dashboards
        result["idle_server_mib"] = round(idle)
        browser.close()
    record(args.out, result)


def _every_dashboard(browser, server: Server, floor: float, names, args) -> tuple[dict, float]:
    """Each dashboard's first render, brand changes and memory per viewer; the idle server."""
    server.settle()  # every dashboard's preheated kernel finishes its imports and warm-up
    idle = server.rss_mib()
    dashboards = {}
    only = set(filter(None, args.only.split(",")))
    for step in (s for s in WITH_PAGES if not only or s.id in only):
        first_brand = next(iter(names))
        url = f"{server.url}/voila/render/{step.dashboard}.ipynb?brand={first_brand}&lang=en"
        first = first_render(browser, server, url, READY, args.runs)
        before = server.rss_mib()
        changes = brand_changes(browser, server, url, args.changes, names)
        dashboards[step.id] = {
            "first_render_s": round(first, 2),
            "ratio": round(first / floor, 2),
            **changes,
            "viewer_mib": round(max(0.0, server.rss_mib() - before)),
        }
        print(step.id, dashboards[step.id], flush=True)
    return dashboards, idle


if __name__ == "__main__":
    main()
