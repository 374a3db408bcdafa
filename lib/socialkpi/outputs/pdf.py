"""One brand's month as one A4 PDF: its rendered pages joined into a single print document
(the KPI review with the executive summary first), printed by a local headless Chromium.

The pages share one template, so the first page's ``<head>`` (styles) serves them all; each
page's body follows the one before under its own header, on the same sheet (a new sheet per
page leaves the last sheet of each nearly empty). The print styles keep a heading with what
follows it, let long tables break between rows (never inside one), keep numbers on one line
(a minus sign never wraps away from its digits) and scale wide tables to the sheet, so no
sheet holds only a title and no cell runs into its neighbour.
"""

from __future__ import annotations

import re
from pathlib import Path

from socialkpi.files import write_atomically

# the summary first (the KPI review opens with it), then the SOP's order
ORDER = (
    "03_kpi_review",
    "04_retrospective",
    "01_goal_setting",
    "02_audience_analysis",
    "05_competitors",
    "06_content_calendar",
    "07_experiments",
)
PRINT_CSS = """
@page { size: A4; margin: 12mm 11mm 14mm; }
@media print {
  html, body { background: #fff; }
  body { font-size: 11px; }
  .jp-Notebook { max-width: none; padding: 0; }
  /* pages follow each other on the same sheet, so none ends on a near-empty one */
  .skpi-doc + .skpi-doc { margin-top: 10mm; border-top: 2px solid var(--skpi-accent, #2b6cb0); }
  .skpi-header { break-after: avoid; }
  .skpi-doc:not(:first-child) .skpi-summary { display: none; }
  /* JupyterLab lays outputs out as flex rows, which Chromium will not split across sheets */
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output { display: block !important; break-inside: auto !important; }
  .jp-OutputArea-output h2, .jp-OutputArea-output h3 { break-after: avoid; }
  .jp-Cell { break-inside: auto; }
  table { width: 100% !important; table-layout: auto !important; }
  tr, .skpi-card, .skpi-experiment, li { break-inside: avoid; }
  thead { display: table-header-group; }
  td, th { overflow-wrap: break-word; }
  table { font-size: 10px !important; }
  .gt_table td, .gt_table th { padding: 3px 4px !important; }
  /* cells that show nothing on paper (the hidden figures ledger) take no space */
  .jp-Cell:has(.skpi-figures), .jp-Cell:not(:has(.jp-OutputArea-output)) { display: none !important; }
  td.gt_right { white-space: nowrap !important; }
  th { white-space: normal !important; }
  img.skpi-chart { break-inside: avoid; max-height: 120mm; object-fit: contain; }
  a[href^="data:"] { display: none; }
}
"""
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_HEAD = re.compile(r"(.*?</head>)", re.S)


def pages_in_order(folder: Path) -> list[Path]:
    """The rendered pages of a brand's folder, summary first (:data:`ORDER`)."""
    found = {p.stem: p for p in folder.glob("*.html") if not p.name.startswith(".")}
    return [found[name] for name in ORDER if name in found]


def document(pages: list[Path]) -> str:
    """One HTML document of ``pages``: the first page's head and every page's body, each in
    a ``skpi-doc`` block that starts a new sheet."""
    texts = [p.read_text("utf-8") for p in pages]
    if not texts:
        raise ValueError("no rendered page to print")
    head = _HEAD.match(texts[0]).group(1).replace("</head>", f"<style>{PRINT_CSS}</style></head>")
    bodies = []
    for text in texts:
        found = _BODY.search(text)
        bodies.append(f'<div class="skpi-doc">{found.group(1) if found else ""}</div>')
    return f'{head}<body class="skpi-print">{"".join(bodies)}</body></html>'


def pdf_name(brand: str, month: str) -> str:
    """The combined PDF's file name: ``lumi_tea-2026-10.pdf``."""
    return f"{brand}-{month}.pdf"


def print_brand(folder: Path, brand: str, month: str, chromium: str) -> Path:
    """Print every rendered page in ``folder`` into one A4 PDF beside them (see the module
    docstring); returns its path."""
    from socialkpi.outputs.runner import to_pdf

    combined = folder / f".{brand}-{month}.print.html"
    pdf = folder / pdf_name(brand, month)
    try:
        write_atomically(combined, document(pages_in_order(folder)))
        to_pdf(combined, pdf, chromium)
    finally:
        combined.unlink(missing_ok=True)
    return pdf
