"""The report bundle in a real browser (Debian's Chromium driven by Playwright), offline:
every chart renders, nothing is requested from the network, no console errors."""

import re

import pytest
from playwright.sync_api import sync_playwright

from socialkpi import bundle
from tests._browser import ARGS, CHROMIUM, need_chromium, screenshot


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    bundle.run("2026-10", ["lumi_tea"], "zh-TW", ["02", "03"], out, 1, sample_db[0], pdf=True)
    return out / "2026-10"


def test_pdf_copies_with_print_page_breaks(report):
    need_chromium()
    pages = {}
    for name in ("02_audience_analysis", "03_kpi_review"):
        pdf = (report / "lumi_tea" / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        pages[name] = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages["03_kpi_review"] >= 3  # sections start on new pages (print stylesheet)


def test_report_pages_render_offline(report, tmp_path):
    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        page.goto((report / "index.html").as_uri(), wait_until="load")
        assert page.locator("a").count() == 2 and "社群月報" in page.title()
        screenshot(page, "report_index")
        page.goto((report / "lumi_tea" / "03_kpi_review.html").as_uri(), wait_until="load")
        charts = page.locator('img[src^="data:image/svg+xml"]')
        assert charts.count() >= 3
        for i in range(charts.count()):
            assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("header.skpi-header h1").inner_text() == "KPI 檢視"
        screenshot(page, "report_kpi_review")
        browser.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "about:"))]
    assert outside == [] and errors == []


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_report_page_renders_offline_in_both_languages(bundles, lang):
    """Each page of the bundle in Chromium: charts drawn, nothing fetched off the machine, no
    console errors, and a full-page screenshot in test-artifacts/ to look at."""
    need_chromium()
    month = bundles[lang]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for html in sorted(month.rglob("*.html")):
            page.goto(html.as_uri(), wait_until="load")
            assert page.locator("html").get_attribute("lang") == lang
            for chart in page.locator("img.skpi-chart").all():
                assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
                assert chart.evaluate("img => img.getBoundingClientRect().width") > 900  # page wide
            name = "index" if html.name == "index.html" else f"{html.parent.name}_{html.stem}"
            screenshot(page, f"report_{lang}_{name}")
        browser.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "about:"))]
    assert outside == [] and errors == []
