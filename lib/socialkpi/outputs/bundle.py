"""The headless monthly report bundle: every SOP notebook for every brand, executed with
Papermill and rendered to self-contained HTML (:mod:`socialkpi.outputs.runner`), plus an index page
and the run's manifest (:mod:`socialkpi.outputs.manifest`).

Layout: ``reports/<month>/<brand>/NN_name.ipynb`` + ``.html``, ``reports/<month>/index.html``
and ``reports/<month>/run.json``. Each brand is built in a temporary folder and renamed into
place only when complete; one failing notebook or brand does not stop the others. Brands run
in local worker processes, or as tasks on a Dask cluster (:mod:`socialkpi.outputs.cluster`);
either way the pages are published through :mod:`socialkpi.outputs.publish`.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from socialkpi import store
from socialkpi.config.brands import check as check_brand
from socialkpi.config.brands import file_for as brand_file
from socialkpi.files import inside, write_atomically
from socialkpi.metrics.periods import parse_period
from socialkpi.outputs import processes
from socialkpi.outputs.manifest import Manifest
from socialkpi.outputs.publish import Job, publish_brand, published, staging
from socialkpi.outputs.runner import KINDS, NOTEBOOKS, BrandResult, find_chromium, render, summary
from socialkpi.presentation.notebook import GOALS_DIR

__all__ = ["NOTEBOOKS", "BrandResult", "run", "write_index"]
log = logging.getLogger("socialkpi.report")


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
    env: dict[str, str] | None = None,
    run: str | None = None,
) -> tuple[BrandResult, list[str]]:
    """Run and render one brand's notebooks into ``out/<month>/<brand>`` (atomically), and print
    them into one PDF when ``chromium`` is given. ``progress`` (a queue) hears of each notebook.
    Returns the result and the files this run wrote. ``run``: the report run's id, under which
    this process keeps its kernel for its next brand (``runner.render``).

    ``coordinator``: the pid of the process that asked for this build; if it is gone by the
    time the pages are ready, nothing is published."""
    brand = check_brand(brand)
    month_dir = inside(out, month)
    tmp = staging(month_dir, brand)
    try:
        result = render(
            brand,
            month,
            lang,
            notebooks,
            tmp,
            db,
            brand_file(goals_dir or GOALS_DIR, brand),
            timeout,
            progress,
            month_dir / "run.log",
            env,
            run,
        )
        if processes.orphaned(coordinator):
            raise RuntimeError("the report run was stopped: nothing published")
        files = publish_brand(tmp, month_dir, brand, notebooks, result, lang, chromium)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after a publish; a failed build's leftovers
    return result, files


def _pdf(month_dir: Path, brand: str) -> str:
    """The brand's combined PDF in the month's folder, by name ("" when there is none)."""
    from socialkpi.outputs import pdf as printout

    name = printout.pdf_name(brand, month_dir.name)
    return name if (month_dir / brand / name).exists() else ""


def write_index(
    out: Path,
    month: str,
    lang: str,
    db: Path,
    goals_dir: Path | None = None,
    built: Iterable[str] = (),
) -> Path:
    """``<out>/<month>/index.html`` in ``lang`` for every brand published there (by this run
    or an earlier one): a card per brand (``overview``), each in its brand's colours; and in
    each brand's folder its own ``index.html``, only that brand, in its look and in the
    language its pages were made in (what a client is given). The brands ``built`` by this
    run bring the card their kernel made with their pages; the others' are made here."""
    from socialkpi.outputs import index_page as overview
    from socialkpi.presentation.look import look_for

    month_dir = inside(out, month)
    goals = goals_dir or GOALS_DIR
    con = store.open_store(db, read_only=True)
    try:
        cards = []
        for brand, status in published(month_dir).items():
            pdf, own = _pdf(month_dir, brand), _pages_lang(status, lang)
            common = (con, brand, month)
            bodies = {
                language: _made(month_dir / brand / overview.body_file(language))
                if brand in built
                else None
                for language in (lang, own)
            }
            cards.append(
                overview.card(*common, lang, status, goals, _titles(lang), pdf, body=bodies[lang])
            )
            alone = overview.card(
                *common, own, status, goals, _titles(own), pdf, prefix="", body=bodies[own]
            )
            write_atomically(
                month_dir / brand / "index.html",
                overview.page_html(
                    month, own, [alone], look_for(con, brand), store.brand_name(con, brand, own)
                ),
            )
    finally:
        con.close()
    for brand in built:  # used: the folder keeps only what its readers open
        for part in inside(month_dir, brand).glob(overview.body_file("*")):
            part.unlink()
    path = month_dir / "index.html"
    write_atomically(path, overview.page_html(month, lang, cards))
    return path


def _made(path: Path) -> str | None:
    """The card body a brand's kernel made with its pages, if it did."""
    return path.read_text("utf-8") if path.exists() else None


def _titles(lang: str) -> dict[str, str]:
    from socialkpi.words.i18n import t

    return {name: t(f"page.{KINDS[key]}.title", lang) for key, name in NOTEBOOKS.items()}


def _pages_lang(status: dict[str, dict], default: str) -> str:
    """The language a brand's published pages were made in (its newest page's)."""
    dated = sorted((s.get("generated", ""), s.get("lang", "")) for s in status.values())
    return next((lang for _, lang in reversed(dated) if lang), default)


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
    cluster: str | None = None,
    actions: str | Path | None = None,
) -> list[BrandResult]:
    """Build every brand's bundle (in parallel) and the month's index page. ``pdf`` also prints
    each brand's pages into one A4 PDF (``printout``) if a local Chromium is found (else it
    says so and goes on).

    ``cluster``: run each brand as a task on a Dask cluster instead of local processes, either
    a scheduler's address (``tcp://host:8786``) or ``local:N`` for N worker processes started
    here (:mod:`socialkpi.outputs.cluster`); ``jobs`` is then the cluster's business. ``actions``: the
    folder of the brands' action logs (default ``$SOCIALKPI_ACTIONS``, else ``data/actions``)."""
    if parse_period(month).kind != "month":
        raise ValueError(f"a report is for a month (YYYY-MM), not {month!r}")
    job = Job(
        month,
        lang,
        notebooks or list(NOTEBOOKS),
        Path(out).resolve(),
        Path(db).resolve(),
        timeout,
        Path(goals_dir).resolve() if goals_dir else GOALS_DIR,
        None,
        Path(actions).resolve() if actions else None,
    )
    brands = [check_brand(b) for b in brands]
    job.month_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(job.month_dir / "run.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.info(
        "month=%s brands=%s lang=%s notebooks=%s where=%s",
        month,
        ",".join(brands),
        lang,
        ",".join(job.notebooks),
        cluster or "local",
    )
    if pdf:
        job = replace(job, chromium=find_chromium())
        if not job.chromium:
            log.warning("pdf=skipped reason=no Chromium found")
            print(
                "PDF skipped: no Chromium found (install the `chromium` package or set SOCIALKPI_CHROMIUM)",
                file=sys.stderr,
            )
    names = [NOTEBOOKS[k] for k in job.notebooks]
    manifest = Manifest(job.month_dir, month, lang, names, brands, cluster or "local")
    results, ended = [], "interrupted"
    try:
        with Progress(month, len(brands), names, show_progress) as progress:
            if cluster:
                from socialkpi.outputs import cluster as dask_cluster  # dask: only here

                results = dask_cluster.build_all(cluster, job, brands, progress, manifest)
            else:
                results = _build_all(job, brands, jobs, progress, manifest)
        write_index(job.out, month, lang, job.db, job.goals_dir, [r.brand for r in results])
        _check_figures(job.month_dir)
        ended = "finished"
    finally:
        manifest.close(ended)
        log.removeHandler(handler)
        handler.close()
    for r in sorted(results, key=lambda r: r.brand):
        failed = f", failed: {', '.join(r.failed)}" if r.failed else ""
        ok = len([n for n in r.ok if n not in r.failed])  # ran, then failed to render: failed
        print(f"{r.brand}: {ok}/{len(names)} notebooks ok in {r.seconds:.0f} s{failed}")
    return results


def _check_figures(month_dir: Path) -> None:
    """Log and say any KPI the month's pages show with two values for one scope
    (``scope.check_month``); a well-built bundle has none."""
    from socialkpi.metrics import scope

    for brand, found in scope.check_month(month_dir).items():
        for c in found:
            values = "; ".join(f"{v:g} ({where})" for v, where in c["values"])
            log.error(
                "brand=%s inconsistent kpi=%s platforms=%s period=%s measure=%s values=%s",
                brand,
                c["kpi"],
                ",".join(c["scope"].platforms),
                c["scope"].period,
                c["measure"],
                values,
            )
            print(f"INCONSISTENT {brand}: {c['kpi']} shows {values}", file=sys.stderr)


class Progress:
    """The run's progress bar (on a terminal, or when ``show``): one step per notebook. A brand
    that is retried elsewhere reports its notebooks again; each counts once."""

    def __init__(self, month: str, brands: int, names: list[str], show: bool | None):
        from tqdm import tqdm

        self.seen = set()
        self.bar = tqdm(
            total=brands * len(names),
            unit="notebook",
            disable=None if show is None else not show,  # None: only on a terminal
            file=sys.stderr,
            desc=month,
        )

    def heard(self, brand: str, name: str) -> None:
        if (brand, name) not in self.seen:
            self.seen.add((brand, name))
            self.bar.set_postfix_str(f"{brand}/{name}", refresh=False)
            self.bar.update(1)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.bar.n = self.bar.total
            self.bar.refresh()
        self.bar.close()


def _build_all(job: Job, brands, jobs, progress: Progress, manifest: Manifest) -> list[BrandResult]:
    """Brands in local worker processes; each publishes its own folder."""
    from multiprocessing.managers import SyncManager

    results = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(brands)))
    me = os.getpid()  # helpers die with this process, and publish nothing once it is gone
    run = uuid.uuid4().hex  # a pool process keeps its kernel between this run's brands
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
                job.month,
                job.lang,
                job.notebooks,
                job.out,
                job.db,
                job.timeout,
                job.goals_dir,
                job.chromium,
                queue,
                me,
                job.kernel_env,
                run,
            ): b
            for b in brands
        }
        pending = set(futures)
        while pending or not queue.empty():
            while not queue.empty():
                progress.heard(*queue.get())
            finished = {f for f in pending if f.done()}
            for future in finished:
                try:
                    result, files = future.result()
                except Exception as err:  # the worker died: the brand is reported, not lost
                    result, files = (
                        BrandResult(futures[future], failed={"(brand)": summary(err)}),
                        [],
                    )
                results.append(result)
                manifest.done(result, files)
            pending -= finished
            if pending:
                time.sleep(0.2)
    return results
