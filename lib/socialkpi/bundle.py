"""The headless monthly report bundle: every SOP notebook for every brand, executed with
Papermill and rendered to self-contained HTML, plus an index page.

Layout: ``reports/<month>/<brand>/NN_name.ipynb`` + ``.html`` and ``reports/<month>/index.html``.
Each brand is built in a temporary folder and renamed into place only when complete; one
failing notebook or brand does not stop the others. (Over 400 lines: running the kernels,
publishing brand folders and writing the index share the run's state; the runner moves to a
module of its own when brands are mapped over a Dask cluster.)
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from socialkpi import processes, store
from socialkpi.brands import check as check_brand
from socialkpi.brands import file_for as brand_file
from socialkpi.files import inside, write_atomically
from socialkpi.notebook import GOALS_DIR, REPO
from socialkpi.periods import parse_period

NOTEBOOKS = {
    "01": "01_goal_setting",
    "02": "02_audience_analysis",
    "03": "03_kpi_review",
    "04": "04_retrospective",
    "05": "05_competitors",
    "06": "06_content_calendar",
    "07": "07_experiments",
}
KINDS = {
    "01": "goal_setting",
    "02": "audience",
    "03": "kpi_review",
    "04": "retrospective",
    "05": "competitors",
    "06": "calendar",
    "07": "experiments",
}
NO_HISTORY = ["--HistoryManager.enabled=False"]
log = logging.getLogger("socialkpi.report")


@dataclass
class BrandResult:
    """One brand's run: the pages that rendered, those that failed and why, and its time."""

    brand: str
    ok: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # notebook -> error summary
    seconds: float = 0.0


def latest_complete_month(con) -> str | None:
    """The last month whose final day the store has daily data for."""
    rows = con.execute("SELECT CAST(max(date) AS VARCHAR) FROM account_daily").fetchall()
    if not rows or rows[0][0] is None:
        return None
    last = date.fromisoformat(rows[0][0])
    next_day = last + timedelta(days=1)
    if next_day.day == 1:
        return f"{last:%Y-%m}"
    return f"{last.replace(day=1) - timedelta(days=1):%Y-%m}"


def find_chromium() -> str | None:
    """The local Chromium for ``--pdf``: ``$SOCIALKPI_CHROMIUM`` or the first one on PATH."""
    names = [
        os.environ.get("SOCIALKPI_CHROMIUM", ""),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ]
    return next((found for n in names if n and (found := shutil.which(n))), None)


def to_pdf(page: Path, pdf: Path, chromium: str, timeout: int = 120) -> None:
    """Print an HTML page to PDF with headless Chromium (print stylesheet applies, offline)."""
    with tempfile.TemporaryDirectory(prefix="socialkpi-chromium-") as profile:
        done = subprocess.run(
            processes.tied(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}",
                    page.resolve().as_uri(),
                ]
            ),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF (exit {done.returncode}): {done.stderr[-300:]}")


def _render(executed: Path, out_html: Path, meta: dict) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="socialkpi",
        extra_template_basedirs=[str(REPO / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    title = f"{meta['title']} · {meta['brand']} · {meta['month']}"
    body, _ = exporter.from_notebook_node(
        nbformat.read(executed, as_version=4),
        resources={"socialkpi": meta, "metadata": {"name": title}},
    )
    # nbconvert takes only ISO 639-1 codes ("zh"), and the page's is "zh-TW"
    body = body.replace('<html lang="en">', f'<html lang="{html.escape(meta["lang"])}">', 1)
    write_atomically(out_html, body)


STATUS = "status.json"  # per brand folder: each page's outcome, so the index can be rebuilt


def build_brand(
    brand: str,
    month: str,
    lang: str,
    notebooks: list[str],
    out: Path,
    db: Path,
    timeout: int = 600,
    goals_dir: Path | None = None,
    chromium: str | None = None,
    progress=None,
    coordinator: int | None = None,
) -> BrandResult:
    """Run and render one brand's notebooks into ``out/<month>/<brand>`` (atomically), and print
    each page to PDF when ``chromium`` is given. ``progress`` (a queue) hears of each notebook.

    Pages of notebooks not in ``notebooks`` that an earlier run left in the folder are kept.
    ``coordinator``: the pid of the process that asked for this build; if it is gone by the
    time the pages are ready, nothing is published."""
    start = time.perf_counter()
    brand = check_brand(brand)
    result = BrandResult(brand)
    month_dir = inside(out, month)
    final = inside(month_dir, brand)
    tmp = inside(month_dir, f".{brand}.tmp-{os.getpid()}")
    for stale in [*month_dir.glob(f".{brand}.tmp-*"), *month_dir.glob(f".{brand}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
    tmp.mkdir(parents=True)
    try:
        con = store.open_store(db, read_only=True)
        meta = header(con, brand, month, lang)
        con.close()
        goals = brand_file(goals_dir or GOALS_DIR, brand)
        kernel = None  # one kernel per brand, its namespace reset between notebooks
        try:
            for key in notebooks:
                kernel = _run_one(
                    kernel,
                    key,
                    brand,
                    month,
                    lang,
                    tmp,
                    db,
                    timeout,
                    goals,
                    meta,
                    chromium,
                    result,
                    month_dir / "run.log",
                )
                if progress is not None:
                    progress.put((brand, NOTEBOOKS[key]))
        finally:
            if kernel is not None:
                _stop_kernel(kernel)
        _keep_other_pages(final, tmp, [NOTEBOOKS[k] for k in notebooks], result, lang)
        if processes.orphaned(coordinator):
            raise RuntimeError("the report run was stopped: nothing published")
        _publish(tmp, final, month_dir, brand)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after a publish; a failed build's leftovers
    result.seconds = time.perf_counter() - start
    log.info(
        "brand=%s ok=%d failed=%d seconds=%.1f",
        brand,
        len(result.ok),
        len(result.failed),
        result.seconds,
    )
    return result


def _keep_other_pages(
    final: Path, tmp: Path, rebuilt: list[str], result: BrandResult, lang: str
) -> None:
    """Carry the pages of notebooks this run did not rebuild from the published folder into
    the new one, and write the merged status file."""
    status = read_status(final)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    for name in rebuilt:
        status[name] = {
            "ok": name not in result.failed,
            "error": result.failed.get(name, ""),
            "lang": lang,
            "generated": generated,
        }
    for name in list(status):
        if name in rebuilt:
            continue
        kept = [p for p in final.glob(f"{name}.*") if p.suffix in (".ipynb", ".html", ".pdf")]
        if not kept:
            del status[name]  # its pages were removed by hand
        for page in kept:
            shutil.copy2(page, tmp / page.name)
    write_atomically(tmp / STATUS, json.dumps(status, ensure_ascii=False, indent=1))


def read_status(folder: Path) -> dict[str, dict]:
    """The per-notebook outcome recorded in a brand's folder (empty if there is none). A folder
    from before status files existed counts each page present as ok."""
    path = folder / STATUS
    if path.exists():
        try:
            return json.loads(path.read_text("utf-8"))
        except ValueError:
            pass
    return {p.stem: {"ok": True, "error": ""} for p in sorted(folder.glob("*.html"))}


def _publish(tmp: Path, final: Path, month_dir: Path, brand: str) -> None:
    old = month_dir / f".{brand}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def header(con, brand: str, month: str, lang: str) -> dict:
    """What every page's header says: the brand's name, the month, when the page was made and
    how fresh each platform's data is, in the page's language."""
    from socialkpi import presentation
    from socialkpi.i18n import t

    return {
        "brand": store.brand_name(con, brand, lang),
        "month": presentation.date(month, lang, "month"),
        "generated_label": t("report.generated", lang),
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "freshness_label": t("report.freshness", lang),
        "freshness": presentation.freshness(store.freshness(con, brand), lang),
        "failure_label": t("report.failed", lang),
        "chart_alt": t("chart.alt", lang),
        "lang": lang,
    }


def _start_kernel(log_file: Path):
    """A Python kernel in notebooks/, as Papermill would start it, for one brand's notebooks.
    It talks over Unix sockets in a private folder: brands start kernels in parallel, and
    random TCP ports can collide between processes. It keeps no IPython history (parallel
    kernels sharing one history database print errors into the pages), and its Python
    warnings go to the month's run.log (``notebook.setup``)."""
    from jupyter_client import KernelManager

    sockets = tempfile.mkdtemp(prefix="socialkpi-kernel-")
    # nbclient needs an async client to enforce cell timeouts on a kernel it did not start
    kernel = KernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=os.path.join(sockets, "kernel"),
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    kernel.socialkpi_sockets = sockets
    kernel.start_kernel(
        cwd=str(REPO / "notebooks"),
        extra_arguments=NO_HISTORY,
        env={**os.environ, "SOCIALKPI_LOG": str(log_file)},
    )
    return kernel


def _stop_kernel(kernel) -> None:
    kernel.shutdown_kernel(now=True)
    shutil.rmtree(kernel.socialkpi_sockets, ignore_errors=True)


def _reset(kernel) -> None:
    """Clear the namespace between notebooks; imported modules stay loaded (the point: each
    brand pays for pandas, Altair and socialkpi imports once, not per notebook)."""
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel.get_connection_info())
    client.start_channels()
    try:
        reply = client.execute_interactive(
            "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1",
            store_history=False,
            timeout=60,
            output_hook=lambda _msg: None,
        )
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue')}")


def _run_one(
    kernel, key, brand, month, lang, tmp, db, timeout, goals, meta, chromium, result, log_file
):
    """Execute, render (and print) one notebook; returns the kernel to reuse, or None."""
    import papermill as pm

    from socialkpi.i18n import t

    name = NOTEBOOKS[key]
    executed = tmp / f"{name}.ipynb"
    meta = {**meta, "title": t(f"page.{KINDS[key]}.title", lang)}
    kernel = kernel or _start_kernel(log_file)
    try:
        pm.execute_notebook(
            str(REPO / "notebooks" / f"{name}.ipynb"),
            str(executed),
            cwd=str(REPO / "notebooks"),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
            km=kernel,
            parameters={
                "brand": brand,
                "month": month,
                "db": str(db),
                "lang": lang,
                "interactive": False,
                "goals": str(goals),
            },
        )
        result.ok.append(name)
    except Exception as err:  # papermill raises several types; every one is reported
        result.failed[name] = _summary(err)
        log.error("brand=%s notebook=%s failed: %s", brand, name, result.failed[name])
    try:
        if name not in result.ok:
            raise RuntimeError("not reused after a failure")  # a failed or hung kernel is replaced
        _reset(kernel)
    except Exception:
        _stop_kernel(kernel)
        kernel = None
    meta["failure"] = result.failed.get(name, "")
    if executed.exists():
        try:
            _render(executed, tmp / f"{name}.html", meta)
        except Exception as err:
            result.failed.setdefault(name, f"rendering failed: {_summary(err)}")
    if chromium and (tmp / f"{name}.html").exists():
        try:
            to_pdf(tmp / f"{name}.html", tmp / f"{name}.pdf", chromium)
        except Exception as err:
            result.failed.setdefault(name, f"PDF failed: {_summary(err)}")
    return kernel


def _summary(err: BaseException) -> str:
    """One line for logs and the index: the error's last meaningful line (a cell's exception),
    or its first for a timeout (the rest is a preview of the cell)."""
    lines = [line.strip() for line in str(err).strip().splitlines()]
    lines = [line for line in lines if line and not set(line) <= set("-=_ ")]
    pick = lines[:1] if "timed out" in str(err) else lines[-1:]
    return f"{type(err).__name__}: {(pick or [''])[0][:300]}"


def published(month_dir: Path) -> dict[str, dict[str, dict]]:
    """Every brand bundle published in a month's folder: brand -> notebook -> outcome."""
    if not month_dir.is_dir():
        return {}
    return {
        d.name: read_status(d)
        for d in sorted(month_dir.iterdir())
        if d.is_dir() and not d.name.startswith(".")
    }


def write_index(out: Path, month: str, lang: str, db: Path, goals_dir: Path | None = None) -> Path:
    """``<out>/<month>/index.html`` for every brand published there (by this run or an
    earlier one): a card per brand (``overview``)."""
    from socialkpi import overview
    from socialkpi.i18n import t

    month_dir = inside(out, month)
    titles = {name: t(f"page.{KINDS[key]}.title", lang) for key, name in NOTEBOOKS.items()}
    con = store.open_store(db, read_only=True)
    try:
        cards = [
            overview.card(con, brand, month, lang, status, goals_dir or GOALS_DIR, titles)
            for brand, status in published(month_dir).items()
        ]
    finally:
        con.close()
    path = month_dir / "index.html"
    write_atomically(path, overview.page_html(month, lang, cards))
    return path


def run(
    month: str,
    brands: list[str],
    lang: str = "zh-TW",
    notebooks: list[str] | None = None,
    out: str | Path = "reports",
    jobs: int | None = None,
    db: str | Path = store.DEFAULT_DB,
    timeout: int = 600,
    goals_dir: str | Path | None = None,
    pdf: bool = False,
    show_progress: bool | None = None,
) -> list[BrandResult]:
    """Build every brand's bundle (in parallel) and the month's index page. ``pdf`` also prints
    every page to PDF if a local Chromium is found (else it says so and goes on)."""
    out, db = Path(out).resolve(), Path(db).resolve()
    goals_dir = Path(goals_dir).resolve() if goals_dir else GOALS_DIR
    notebooks = notebooks or list(NOTEBOOKS)
    if parse_period(month).kind != "month":
        raise ValueError(f"a report is for a month (YYYY-MM), not {month!r}")
    brands = [check_brand(b) for b in brands]
    month_dir = inside(out, month)
    month_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(month_dir / "run.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.info(
        "month=%s brands=%s lang=%s notebooks=%s",
        month,
        ",".join(brands),
        lang,
        ",".join(notebooks),
    )
    chromium = find_chromium() if pdf else None
    if pdf and not chromium:
        log.warning("pdf=skipped reason=no Chromium found")
        print(
            "PDF skipped: no Chromium found (install the `chromium` package or set SOCIALKPI_CHROMIUM)",
            file=sys.stderr,
        )
    results = []
    try:
        results = _build_all(
            month,
            brands,
            lang,
            notebooks,
            out,
            db,
            timeout,
            goals_dir,
            chromium,
            jobs,
            show_progress,
        )
        write_index(out, month, lang, db, goals_dir)
    finally:
        log.removeHandler(handler)
        handler.close()
    for r in sorted(results, key=lambda r: r.brand):
        failed = f", failed: {', '.join(r.failed)}" if r.failed else ""
        print(f"{r.brand}: {len(r.ok)}/{len(notebooks)} notebooks ok in {r.seconds:.0f} s{failed}")
    return results


def _build_all(
    month, brands, lang, notebooks, out, db, timeout, goals_dir, chromium, jobs, show_progress
) -> list[BrandResult]:
    """Brands in worker processes, with a progress bar that moves once per notebook."""
    from multiprocessing.managers import SyncManager

    from tqdm import tqdm

    results = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(brands)))
    disable = None if show_progress is None else not show_progress  # None: only on a terminal
    me = os.getpid()  # helpers die with this process, and publish nothing once it is gone
    manager = SyncManager()
    manager.start(processes.die_with, (me,))
    with (
        manager,
        ProcessPoolExecutor(workers, initializer=processes.die_with, initargs=(me,)) as pool,
    ):
        queue = manager.Queue()
        futures = {
            pool.submit(
                build_brand,
                b,
                month,
                lang,
                notebooks,
                out,
                db,
                timeout,
                goals_dir,
                chromium,
                queue,
                me,
            ): b
            for b in brands
        }
        with tqdm(
            total=len(brands) * len(notebooks),
            unit="notebook",
            disable=disable,
            file=sys.stderr,
            desc=month,
        ) as bar:
            pending = set(futures)
            while pending or not queue.empty():
                while not queue.empty():
                    brand, name = queue.get()
                    bar.set_postfix_str(f"{brand}/{name}", refresh=False)
                    bar.update(1)
                finished = {f for f in pending if f.done()}
                for future in finished:
                    try:
                        results.append(future.result())
                    except Exception as err:  # the worker died: the brand is reported, not lost
                        results.append(
                            BrandResult(futures[future], failed={"(brand)": _summary(err)})
                        )
                pending -= finished
                if pending:
                    time.sleep(0.2)
            bar.n = bar.total
            bar.refresh()
    return results
