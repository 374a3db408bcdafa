"""One brand's pages: its SOP notebooks executed with Papermill in one Jupyter kernel (reset
between notebooks) and rendered to self-contained HTML (``printout`` prints them to one PDF).

A worker that builds several brands of one run (a pool process, a Dask worker) keeps its
kernel between them (``render(..., run=)``) when they are built with the same settings (the
``SOCIALKPI_*`` variables the kernel was started with: settings reach a kernel only at its
start): the kernel's start, its imports and its reads of socialkpi's own files are paid once
per worker and run, not once per brand. Before each notebook the kernel's namespace is
cleared; a kernel whose notebook failed or hung is never reused.

:func:`render` fills a folder and publishes nothing: the bundle (:mod:`socialkpi.bundle`) runs it
in local worker processes, a Dask worker (:mod:`socialkpi.cluster`) on a copy of the brand's
data, and both publish through the bundle.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from socialkpi import store
from socialkpi.config import environment
from socialkpi.files import write_atomically
from socialkpi.outputs import processes
from socialkpi.presentation.notebook import REPO
from socialkpi.steps import WITH_PAGES

# the bundle's pages by number, and each one's step id (both from steps.STEPS)
NOTEBOOKS = {s.number: s.notebook for s in WITH_PAGES}
KINDS = {s.number: s.id for s in WITH_PAGES}
NO_HISTORY = ["--HistoryManager.enabled=False"]
log = logging.getLogger("socialkpi.report")


@dataclass
class BrandResult:
    """One brand's run: the pages that rendered, those that failed and why, its time, where it
    ran and how many times it was retried there (a worker that died)."""

    brand: str
    ok: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # notebook -> error summary
    seconds: float = 0.0
    worker: str = field(default_factory=lambda: f"{socket.gethostname()} pid {os.getpid()}")
    retries: int = 0


def render(
    brand: str,
    month: str,
    lang: str,
    notebooks: list[str],
    folder: Path,
    db: Path,
    goals: Path,
    timeout: int = 600,
    progress=None,
    log_file: Path | None = None,
    env: dict[str, str] | None = None,
    run: str | None = None,
) -> BrandResult:
    """Run and render ``notebooks`` (keys of :data:`NOTEBOOKS`) for one brand into ``folder``
    (the combined PDF is printed where the pages are published: ``printout``).
    ``progress`` (anything with ``put``) hears ``(brand, notebook)`` after each one; the
    kernel's warnings go to ``log_file``; ``env`` is added to the kernel's environment.
    ``run``: an id of the report run; the kernel is then kept for this process's next brand of
    the same run (:func:`stop_kept` stops what is left), else it is stopped at the end."""
    start = time.perf_counter()
    result = BrandResult(brand)
    con = store.open_store(db, read_only=True)
    meta = header(con, brand, month, lang)
    con.close()
    kernel_env = {**os.environ, **(env or {})}
    if log_file is not None:
        kernel_env["SOCIALKPI_LOG"] = str(log_file)
    kept_as = (run, _settings(kernel_env)) if run else None
    kernel = _take_kept(kept_as)  # one kernel per brand, or one kept from this run's last
    finished = False
    pages = _html_thread()  # makes each page's HTML while the kernel runs the next notebook
    rendered = []
    try:
        for key in notebooks:
            kernel, page = _run_one(
                kernel,
                key,
                brand,
                month,
                lang,
                folder,
                db,
                timeout,
                goals,
                meta,
                result,
                kernel_env,
            )
            if page is not None:
                rendered.append((NOTEBOOKS[key], pages.submit(_render_page, brand, *page)))
            if progress is not None:
                progress.put((brand, NOTEBOOKS[key]))
        if kernel is not None:
            _card(kernel, db, brand, month, lang, goals, folder, timeout)
        for name, made in rendered:
            failure = made.result()
            if failure:
                result.failed.setdefault(name, f"rendering failed: {failure}")
        finished = True
    finally:
        for _, made in rendered:  # interrupted: no page is left being written
            if not made.cancel():
                wait([made])
        if kernel is not None:
            if kept_as and finished:
                _keep(kept_as, kernel)
            else:  # interrupted: the kernel may still be running a notebook
                _stop_kernel(kernel)
    result.seconds = time.perf_counter() - start
    return result


def _card(kernel, db, brand, month, lang, goals, folder, timeout) -> None:
    """The brand's card for the index pages (``index_page.save_card_body``), made by the kernel
    that still holds the reads of the brand's pages; without it the index makes it again."""
    args = ", ".join(repr(str(a)) for a in (db, brand, month, lang, goals, folder))
    code = f"from socialkpi.outputs.index_page import save_card_body\nsave_card_body({args})"
    try:
        _execute(kernel, code, timeout)
    except Exception as err:
        log.warning("brand=%s card left to the index: %s", brand, summary(err))


# this process's idle kernels by run and settings, kept between brands (a Dask worker may
# build brands in several threads: each takes a kernel of its own), and the runs that ended
_KEPT: dict[tuple, list] = {}
_ENDED: set[str] = set()
_KEPT_LOCK = threading.Lock()


def _settings(env: dict[str, str]) -> tuple:
    """The settings a kernel started with ``env`` has for good (its SOCIALKPI_* variables)."""
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith("SOCIALKPI_")))


def _take_kept(kept_as: tuple | None):
    """An idle kernel kept from an earlier brand of the same run and settings, or None; the
    others are stopped (another run's code or settings may have changed since)."""
    with _KEPT_LOCK:
        stale = [k for key in list(_KEPT) if key != kept_as for k in _KEPT.pop(key)]
        kernel = _KEPT[kept_as].pop() if _KEPT.get(kept_as) else None
    for old in stale:
        _stop_kernel(old)
    if kernel is not None and not kernel.is_alive():
        _stop_kernel(kernel)
        return None
    return kernel


def _keep(kept_as: tuple, kernel) -> None:
    """Keep ``kernel`` for the run's next brand, emptied of this brand's names, reads, open
    files and connections (a worker removes the brand's folder next); stop it if it cannot be
    emptied or the run has ended (a brand that was given up on can still finish later)."""
    try:
        _reset(kernel, brand_changed=True)
    except Exception as err:
        log.warning("kernel not kept: its reset failed: %s", summary(err))
        _stop_kernel(kernel)
        return
    with _KEPT_LOCK:
        ended = kept_as[0] in _ENDED
        if not ended:
            _KEPT.setdefault(kept_as, []).append(kernel)
        if not _FINALIZER:  # a pool process exits through multiprocessing's finalizers
            from multiprocessing import util

            _FINALIZER.append(util.Finalize(None, stop_kept, exitpriority=10))
    if ended:
        _stop_kernel(kernel)


_FINALIZER: list = []


def stop_kept(run: str | None = None) -> int:
    """Stop the kernels this process keeps for ``run`` (default: every run's) at the end of a
    report run; a brand of ``run`` that finishes later keeps none. Returns how many."""
    with _KEPT_LOCK:
        keys = [key for key in _KEPT if run is None or key[0] == run]
        _ENDED.update([run] if run else [key[0] for key in keys])
        kernels = [k for key in keys for k in _KEPT.pop(key)]
    for kernel in kernels:
        _stop_kernel(kernel)
    return len(kernels)


def find_chromium() -> str | None:
    """The local Chromium for ``--pdf``: ``$SOCIALKPI_CHROMIUM`` or the first one on PATH."""
    names = [
        environment().chromium or "",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ]
    return next((found for n in names if n and (found := shutil.which(n))), None)


# headless and quiet: no sandbox (containers, root), no GPU, nothing fetched in the background;
# the PDF printer, the browser tests and the dashboard benchmark all launch Chromium with these
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def to_pdf(page: Path, pdf: Path, chromium: str, timeout: int = 120) -> None:
    """Print an HTML page to PDF with headless Chromium (print stylesheet applies, offline)."""
    with tempfile.TemporaryDirectory(prefix="socialkpi-chromium-") as profile:
        done = subprocess.run(
            processes.tied(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
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


_EXPORTERS = threading.local()  # one per thread: its templates load once (about 0.08 s)


def _exporter():
    if not hasattr(_EXPORTERS, "html"):
        from nbconvert import HTMLExporter

        _EXPORTERS.html = HTMLExporter(
            template_name="socialkpi",
            extra_template_basedirs=[str(REPO / "templates")],
            exclude_input=True,
            exclude_markdown=True,  # the notebooks' markdown guides the analyst, not the reader
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return _EXPORTERS.html


def _render(executed: Path, out_html: Path, meta: dict) -> None:
    import nbformat

    title = f"{meta['title']} · {meta['brand']} · {meta['month']}"
    body, _ = _exporter().from_notebook_node(
        nbformat.read(executed, as_version=4),
        resources={"socialkpi": meta, "metadata": {"name": title}},
    )
    # nbconvert takes only ISO 639-1 codes ("zh"), and the page's is "zh-TW"
    body = body.replace('<html lang="en">', f'<html lang="{html.escape(meta["lang"])}">', 1)
    write_atomically(out_html, body)


def header(con, brand: str, month: str, lang: str) -> dict:
    """What every page's header says: the brand's name, the month, when the page was made and
    how fresh each platform's data is, in the page's language; and the brand's look (its
    colours and font as CSS, its logo, whom the report comes from)."""
    from socialkpi import presentation
    from socialkpi.presentation.look import look_for
    from socialkpi.words.i18n import t

    look = look_for(con, brand)
    sender = look.sender_name(lang)
    return {
        "look_css": look.css_vars() if look.branded else "",
        "logo": look.logo,
        "sender": t("report.prepared_by", lang, sender=sender) if sender else "",
        "brand": store.brand_name(con, brand, lang),
        "month": presentation.date(month, lang, "month"),
        "generated_label": t("report.generated", lang),
        "generated": presentation.stamp(datetime.now(UTC), store.brand_timezone(con, brand), lang),
        "freshness_label": t("report.freshness", lang),
        "freshness": presentation.freshness(store.freshness(con, brand), lang),
        "failure_label": t("report.failed", lang),
        "chart_alt": t("chart.alt", lang),
        "lang": lang,
    }


# a kernel's sockets and connection file live in one temporary folder named with the pid of
# the process that started it: a run killed with SIGKILL cannot remove its folders, the next
# run removes those whose process is gone
KERNEL_FOLDER = "socialkpi-kernel-"


def sweep_kernel_folders() -> list[Path]:
    """Remove the kernel folders of processes that no longer exist; return them."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER}*"):
        pid = folder.name[len(KERNEL_FOLDER) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to clean
        return True
    return True


def _start_kernel(env: dict[str, str]):
    """A Python kernel in notebooks/, as Papermill would start it, for one brand's notebooks.
    It talks over Unix sockets in a private folder: brands start kernels in parallel, and
    random TCP ports can collide between processes. It keeps no IPython history (parallel
    kernels sharing one history database print errors into the pages), and its Python
    warnings go to ``$SOCIALKPI_LOG`` in ``env`` (``notebook.setup``)."""
    from jupyter_client import KernelManager

    sweep_kernel_folders()
    sockets = tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER}{os.getpid()}-")
    # nbclient needs an async client to enforce cell timeouts on a kernel it did not start
    kernel = KernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=os.path.join(sockets, "kernel"),
        connection_file=os.path.join(sockets, "kernel.json"),  # not in Jupyter's runtime dir
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    kernel.socialkpi_sockets = sockets
    kernel.socialkpi_client = None  # connected at its first reset (``_client``)
    kernel.socialkpi_nbclient = None  # Papermill's, kept by the engine (``_engine``)
    kernel.start_kernel(
        cwd=str(REPO / "notebooks"),
        extra_arguments=NO_HISTORY,
        env=env,
    )
    return kernel


def _stop_kernel(kernel) -> None:
    """Stop a kernel and remove its sockets; a failure is logged (the kernel's own parent
    poller ends it with its worker at the latest)."""
    try:
        if kernel.socialkpi_client is not None:
            kernel.socialkpi_client.stop_channels()
        if kernel.socialkpi_nbclient is not None:
            kernel.socialkpi_nbclient[1].stop_channels()
        kernel.shutdown_kernel(now=True)
    except Exception as err:
        log.warning("kernel not stopped cleanly: %s", summary(err))
    shutil.rmtree(kernel.socialkpi_sockets, ignore_errors=True)


# Before a notebook on a kernel that ran one: a clear namespace (IPython's reset, without
# the second full collection ``%reset -f`` adds), then one collection of what the last
# notebook left and ``gc.freeze()`` of what survives (modules, kept reads), so that later
# collections, here and in the notebooks, skip them. When a brand is done, the reads kept for
# it are forgotten, its log file is closed, warnings shown once are shown again, and
# everything is collected once.
_RESET = """\
get_ipython().reset(new_session=False)
get_ipython().execution_count = 1
import gc as _gc
"""
_NEXT_NOTEBOOK = "_gc.collect(); _gc.freeze(); del _gc"
_NEXT_BRAND = """\
import logging as _logging, warnings as _warnings
from socialkpi.store import cache as _cache
_cache.forget()
for _handler in _logging.getLogger("py.warnings").handlers[:]:
    _logging.getLogger("py.warnings").removeHandler(_handler)
    _handler.close()
with _warnings.catch_warnings():  # entering and leaving clears the "shown once" records
    pass
_gc.unfreeze(); _gc.collect(); _gc.freeze()
del _gc, _cache, _handler, _logging, _warnings
"""


def _reset(kernel, brand_changed: bool = False) -> None:
    """Clear the namespace between notebooks; imported modules stay loaded (the point: a
    worker pays for pandas, Altair and socialkpi imports once, not per notebook).
    ``brand_changed``: the brand is done (see ``_NEXT_BRAND``)."""
    _execute(kernel, _RESET + (_NEXT_BRAND if brand_changed else _NEXT_NOTEBOOK))


def _execute(kernel, code: str, timeout: float = 60) -> None:
    """Run ``code`` in the kernel (outside any notebook); raises if it fails."""
    client = _client(kernel)
    sent = client.execute(code, store_history=False)
    deadline = time.monotonic() + timeout
    while True:  # replies to earlier requests (none expected) are skipped
        reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == sent:
            break
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def _client(kernel):
    """The kernel's own client for resets: its shell channel alone, connected once (it waits
    for nothing the notebooks print)."""
    if kernel.socialkpi_client is None:
        from jupyter_client.blocking import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(kernel.get_connection_info())
        client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        kernel.socialkpi_client = client
    return kernel.socialkpi_client


@functools.cache
def _engine() -> str:
    """The Papermill engine the runner uses (registered once): Papermill's nbclient engine,
    except that
    - a kernel's notebooks share one connected client: nbclient connects a new client for
      each notebook and waits for it at least 0.2 s (``wait_for_ready``), 1.6 s of each
      brand's eight pages;
    - the executed notebook is written when it is done (Papermill also writes it before and
      after every cell, for watching a long run: 0.7 s a brand)."""
    from papermill.engines import NBClientEngine, papermill_engines

    class KeptClient(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            **_unused,
        ):
            from papermill.clientwrap import PapermillNotebookClient

            runner = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            kept = getattr(km, "socialkpi_nbclient", None)
            # an asyncio client belongs to its thread's event loop
            if kept is not None and kept[0] == threading.get_ident():
                runner.kc = kept[1]
            output, nb_man.output_path = nb_man.output_path, None  # saved when done
            try:
                return runner.execute()
            finally:
                nb_man.output_path = output
                if km is not None and runner.kc is not None:  # nbclient leaves it connected
                    km.socialkpi_nbclient = (threading.get_ident(), runner.kc)

    papermill_engines.register("socialkpi", KeptClient)
    return "socialkpi"


def _run_one(kernel, key, brand, month, lang, tmp, db, timeout, goals, meta, result, env):
    """Execute one notebook; returns the kernel to reuse (or None) and the page to render
    (the executed notebook, its HTML file and header), or None if it did not run."""
    import papermill as pm

    from socialkpi.words.i18n import t

    name = NOTEBOOKS[key]
    executed = tmp / f"{name}.ipynb"
    meta = {**meta, "title": t(f"page.{KINDS[key]}.title", lang), "notebook": name}
    # a kernel that ran this brand's last notebook is reset; one kept from another brand was
    # emptied when it was kept, and one whose notebook failed was stopped
    if kernel is not None and result.ok:
        try:
            _reset(kernel)
        except Exception as err:  # a kernel that cannot be reset is replaced
            log.warning("brand=%s kernel replaced: its reset failed: %s", brand, summary(err))
            _stop_kernel(kernel)
            kernel = None
    kernel = kernel or _start_kernel(env)
    try:
        pm.execute_notebook(
            str(REPO / "notebooks" / f"{name}.ipynb"),
            str(executed),
            cwd=str(REPO / "notebooks"),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
            km=kernel,
            engine_name=_engine(),
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
        result.failed[name] = summary(err)
        log.error("brand=%s notebook=%s failed: %s", brand, name, result.failed[name])
    if name not in result.ok:  # a failed or hung kernel is replaced
        _stop_kernel(kernel)
        kernel = None
    meta["failure"] = result.failed.get(name, "")
    page = (executed, tmp / f"{name}.html", meta) if executed.exists() else None
    return kernel, page


_THREADS = threading.local()


def _html_thread() -> ThreadPoolExecutor:
    """The thread that makes the pages' HTML for this thread's brands (one per calling thread,
    kept: its exporter is made once)."""
    if getattr(_THREADS, "html", None) is None:
        _THREADS.html = ThreadPoolExecutor(1, thread_name_prefix="socialkpi-html")
    return _THREADS.html


def _render_page(brand: str, executed: Path, out_html: Path, meta: dict) -> str:
    """:func:`_render` a page; what went wrong if it failed twice ("" when it was made).
    Rendering is deterministic: a second failure is the page's."""
    for attempt in (1, 2):
        try:
            _render(executed, out_html, meta)
            return ""
        except Exception as err:
            # once seen under load in a clean checkout: nbconvert raised KeyError(<an object
            # id>) on a page that renders on any other try
            log.warning(
                "brand=%s notebook=%s rendering try %d failed: %s",
                brand,
                meta["notebook"],
                attempt,
                summary(err),
            )
            failure = summary(err)
    return failure


def summary(err: BaseException) -> str:
    """One line for logs and the index: the error's last meaningful line (a cell's exception),
    or its first for a timeout (the rest is a preview of the cell)."""
    from socialkpi import files

    if isinstance(err, OSError) and err.errno in files.DISK_ERRNOS:  # full, read-only
        return files.write_problem(err)
    lines = [line.strip() for line in str(err).strip().splitlines()]
    lines = [line for line in lines if line and not set(line) <= set("-=_ ")]
    pick = lines[:1] if "timed out" in str(err) else lines[-1:]
    return f"{type(err).__name__}: {(pick or [''])[0][:300]}"
