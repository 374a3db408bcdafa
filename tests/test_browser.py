"""The report bundle in a real browser (Debian's Chromium driven by Playwright), offline:
every chart renders, nothing is requested from the network, no console errors."""

import pytest
from playwright.sync_api import sync_playwright

from socialkpi.outputs import bundle
from tests._browser import ARGS, CHROMIUM, need_chromium, screenshot

pytestmark = pytest.mark.browser  # Chromium: left out of make test-fast


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    bundle.run("2026-10", ["lumi_tea"], "zh-TW", ["02", "03"], out, 1, sample_db[0], pdf=True)
    return out / "2026-10"


def test_one_a4_pdf_per_brand_summary_first_and_no_near_empty_page(report):
    """``--pdf`` prints the brand's pages into one A4 file, the KPI review (and its executive
    summary) first, linked from the index; no sheet but the last is nearly empty (a sheet
    with only a title, or a table's last row)."""
    from pypdf import PdfReader

    need_chromium()
    path = report / "lumi_tea" / "lumi_tea-2026-10.pdf"
    assert sorted(p.name for p in (report / "lumi_tea").glob("*.pdf")) == [path.name]
    pdf = PdfReader(path)
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {(595, 842)}  # A4 in points
    texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) >= 3 and "重點摘要" in texts[0] and "KPI 檢視" in texts[0]
    assert texts[0].index("重點摘要") < texts[0].index("成績單") if "成績單" in texts[0] else True
    assert "受眾分析" in "".join(texts)  # the audience page follows in the same file
    lengths = [len("".join(t.split())) for t in texts]
    assert min(lengths[:-1]) > 250, lengths  # characters on each sheet but the last
    index = (report / "index.html").read_text("utf-8")
    assert "lumi_tea/lumi_tea-2026-10.pdf" in index and "整月報表 PDF" in index


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("brand", ["lumi_tea", "northwind_cloud"])
def test_the_print_document_keeps_every_cell_on_the_sheet(bundles, lang, brand, tmp_path):
    """The document a brand's PDF is printed from (all seven pages), laid out for print at an
    A4 sheet's width: no table runs past the sheet, no cell's content spills into its
    neighbour, and numbers never wrap (a minus sign stays with its digits)."""
    from socialkpi.outputs import pdf as printout

    need_chromium()
    doc = tmp_path / "print.html"
    pages = printout.pages_in_order(bundles[lang] / brand)
    assert len(pages) == 7
    doc.write_text(printout.document(pages), "utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 710, "height": 1000})  # 188 mm at 96 dpi
        page.emulate_media(media="print")
        page.goto(doc.as_uri(), wait_until="load")
        found = page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              const out = {tables: 0, wide: [], spill: [], wrapped: []};
              for (const table of document.querySelectorAll('table')) {
                out.tables += 1;
                if (table.getBoundingClientRect().right > width + 1) out.wide.push(table.innerText.slice(0, 40));
              }
              for (const cell of document.querySelectorAll('td')) {
                if (cell.scrollWidth > cell.clientWidth + 1) out.spill.push(cell.innerText.slice(0, 30));
                if (cell.classList.contains('gt_right') && getComputedStyle(cell).whiteSpace !== 'nowrap')
                  out.wrapped.push(cell.innerText.slice(0, 30));
              }
              return out;
            }"""
        )
        screenshot(page, f"report_print_{lang}_{brand}")
        browser.close()
    assert found["tables"] > 10
    assert found["wide"] == [] and found["spill"] == [] and found["wrapped"] == [], found


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
        assert page.locator("a").count() == 3 and "社群月報" in page.title()  # 2 pages, 1 PDF
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
