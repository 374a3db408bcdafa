"""The report bundle in a real browser (Debian's Chromium driven by Playwright), offline:
every chart renders, nothing is requested from the network, no console errors."""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from socialkpi import bundle

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    bundle.run("2026-10", ["lumi_tea"], "zh-TW", ["02", "03"], out, 1, sample_db[0], pdf=True)
    return out / "2026-10"


def _need_chromium():
    if not Path(CHROMIUM).exists():
        # CI installs it (.ci/run); on a laptop without it, say so rather than fail the suite
        assert not os.environ.get("CI"), "Debian's chromium is missing in CI"
        pytest.skip("install Debian's chromium (apt-get install chromium) to run the browser test")


def test_pdf_copies_with_print_page_breaks(report):
    _need_chromium()
    pages = {}
    for name in ("02_audience_analysis", "03_kpi_review"):
        pdf = (report / "lumi_tea" / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        pages[name] = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages["03_kpi_review"] >= 3  # sections start on new pages (print stylesheet)


def test_report_pages_render_offline(report, tmp_path):
    _need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        page.goto((report / "index.html").as_uri(), wait_until="load")
        assert page.locator("a").count() == 2 and "社群月報" in page.title()
        page.screenshot(path=str(tmp_path / "index.png"))
        page.goto((report / "lumi_tea" / "03_kpi_review.html").as_uri(), wait_until="load")
        charts = page.locator('img[src^="data:image/svg+xml"]')
        assert charts.count() >= 3
        for i in range(charts.count()):
            assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("header.skpi-header h1").inner_text() == "KPI 檢視"
        page.screenshot(path=str(tmp_path / "kpi_review.png"), full_page=True)
        browser.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "about:"))]
    assert outside == [] and errors == []
