"""The report bundle on a Dask cluster: each brand's notebooks run as one task on a worker.

Nothing is shared but the scheduler. The coordinator (the machine running ``socialkpi
report``) packs each brand's inputs, its slice of the store (``store.extract_brand``) and its
goals, action and experiment files, into the task; the worker renders the pages in a private
folder (:func:`socialkpi.outputs.runner.render`) and returns them with the action log the
retrospective updated; the coordinator publishes the brand's folder exactly as a local run
does (``publish.publish_brand``). Workers report each notebook as an event, so the progress bar
moves as it does locally.

Faults: a task whose worker dies is run again on another worker by the scheduler; a brand
whose task starts a third time, or that the scheduler gives up on (``KilledWorker``), is
reported as failed and the others go on. If the coordinator stops, its tasks are cancelled
and, since only the coordinator publishes, nothing more appears in ``reports/``.

Workers must run the same socialkpi (version and code: :func:`fingerprint`); one that does not
is refused before any task starts.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import queue
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from socialkpi import store
from socialkpi.config.brands import file_for as brand_file
from socialkpi.files import inside, write_atomically
from socialkpi.outputs import manifest, publish, runner
from socialkpi.presentation.notebook import REPO, actions_log
from socialkpi.steps.experiments.reader import experiments_file

MAX_ATTEMPTS = 2  # a brand whose worker died twice is reported as failed
WAIT_FOR_WORKERS = 60  # seconds a scheduler may take to have a first worker
log = logging.getLogger("socialkpi.report")


class ClusterError(RuntimeError):
    """The cluster cannot run this report (unreachable, no workers, another socialkpi)."""


# --- the same code everywhere ----------------------------------------------------------


@functools.cache
def _code_hash() -> str:
    digest = hashlib.sha256()
    for root in ("lib/socialkpi", "notebooks", "templates"):
        for path in sorted((REPO / root).rglob("*")):
            rel = path.relative_to(REPO)
            if path.is_file() and not any(
                p.startswith(".") or p == "__pycache__" for p in rel.parts
            ):
                digest.update(str(rel.as_posix()).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def fingerprint() -> str:
    """This installation's socialkpi: its version and a hash of the code, notebooks and
    templates that make the pages, e.g. ``"0.1.0 (code 3f2a9c1b7d04)"``."""
    return f"{version('socialkpi')} (code {_code_hash()})"


def check_workers(client) -> None:
    """Refuse a cluster with no worker, or with a worker whose socialkpi differs from this
    machine's (nothing has been submitted yet)."""
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except TimeoutError as err:
        raise ClusterError(
            f"the Dask scheduler at {client.scheduler.address} has no worker after "
            f"{WAIT_FOR_WORKERS} s: start one with `dask worker {client.scheduler.address}`"
        ) from err
    here = fingerprint()
    theirs = client.run(fingerprint, on_error="return")
    wrong = {w: v for w, v in theirs.items() if v != here}
    if wrong:
        lines = [
            f"  {w}: {v if isinstance(v, str) else f'cannot run socialkpi ({v!r})'}"
            for w, v in sorted(wrong.items())
        ]
        raise ClusterError(
            f"{len(wrong)} of {len(theirs)} workers run another socialkpi than this machine's "
            f"{here}:\n" + "\n".join(lines) + "\ninstall this version on every worker "
            "(README, 'More brands than one machine'); no brand was started"
        )


@contextlib.contextmanager
def settings():
    """Dask settings for a report run: the inputs travel inside the tasks (no shared
    filesystem), a few hundred kB per brand, so large tasks are expected."""
    import dask
    import distributed  # noqa: F401  its defaults must be in dask's config before we set one:
    # dask.config.set restores what it found on exit, and would drop defaults loaded meanwhile

    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "64MB"}):
        yield


@contextlib.contextmanager
def connect(address: str):
    """A client for ``tcp://host:port`` (a running scheduler), or for ``local:N``: a cluster of
    N single-threaded worker processes on this machine, closed afterwards."""
    from distributed import Client, LocalCluster

    if address.startswith("local:"):
        workers = address.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise ClusterError(f"--cluster local:N takes a number of workers, not {address!r}")
        with (
            LocalCluster(
                n_workers=int(workers),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
                scheduler_kwargs={"allowed_failures": MAX_ATTEMPTS - 1},
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:  # waits up to distributed.comm.timeouts.connect (30 s; DASK_DISTRIBUTED__COMM__...)
        client = Client(address)
    except OSError as err:
        raise ClusterError(
            f"cannot reach a Dask scheduler at {address} ({err}); check the address, or start "
            "one with `dask scheduler`"
        ) from err
    with client:
        yield client


# --- one brand, as a task ----------------------------------------------------------------


def pack(job: publish.Job, brand: str) -> dict[str, bytes]:
    """What a worker needs for one brand: its slice of the store and the files its notebooks
    read, as ``{name: bytes}`` (a file the brand does not have is left out)."""
    files = {
        "goals.yaml": brand_file(job.goals_dir, brand),
        "actions.yaml": actions_log(brand, folder=job.actions),
        "experiments.yaml": experiments_file(brand),
    }
    packed = {name: path.read_bytes() for name, path in files.items() if path.exists()}
    with tempfile.TemporaryDirectory(prefix="socialkpi-slice-") as tmp:
        slice_path = store.extract_brand(job.db, brand, Path(tmp) / "store.duckdb")
        packed["store.duckdb"] = _zip({"store.duckdb": slice_path.read_bytes()})
    return packed


class _Events:
    """The worker's side of the progress bar: each notebook done is an event on ``topic``."""

    def __init__(self, worker, topic: str):
        self.worker, self.topic = worker, topic

    def put(self, item: tuple[str, str]) -> None:
        self.worker.log_event(self.topic, {"event": "page", "brand": item[0], "name": item[1]})


def run_brand(task: dict) -> dict:
    """Runs on a worker: render one brand's pages from the packed inputs in a private folder.
    Returns the result (``BrandResult`` fields), the pages zipped, the action log as the
    retrospective left it, and the lines the notebooks logged. Never raises: an error comes
    back as the brand's failure (an exception's traceback may not survive the trip)."""
    from distributed import get_worker

    worker = get_worker()
    brand = task["brand"]
    try:
        if task["fingerprint"] != fingerprint():
            raise ClusterError(
                f"worker {worker.address} runs socialkpi {fingerprint()}, the report "
                f"{task['fingerprint']}; install the same version everywhere"
            )
        worker.log_event(
            task["topic"], {"event": "start", "brand": brand, "worker": worker.address}
        )
        with tempfile.TemporaryDirectory(prefix="socialkpi-", dir=worker.local_directory) as tmp:
            return _render_here(task, Path(tmp), worker)
    except Exception as err:
        failed = runner.BrandResult(
            brand, failed={"(brand)": runner.summary(err)}, worker=worker.address
        )
        return {"result": asdict(failed), "pages": None, "actions": None, "log": ""}


def _render_here(task: dict, tmp: Path, worker) -> dict:
    """One brand in ``tmp`` (its store slice, goals and pages). Its action log, experiments
    and log are in the run's folder for this thread (:func:`_run_folder`), the same for each
    brand, so that the thread's kernel, whose settings are fixed at its start, serves every
    brand of the run; the brand's files there are removed when it is done."""
    brand = task["brand"]
    inputs = dict(task["inputs"])
    _unzip(inputs.pop("store.duckdb"), tmp)
    shared = _run_folder(worker, task["topic"])
    mine = {
        name: brand_file((shared if name != "goals" else tmp) / name, brand)
        for name in ("goals", "actions", "experiments")
    }
    logged = shared / "run.log"
    try:
        for name, data in inputs.items():
            path = mine[name.removesuffix(".yaml")]  # goals/<brand>.yaml, ...
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        pages = tmp / "pages"
        pages.mkdir()
        result = runner.render(
            brand,
            task["month"],
            task["lang"],
            task["notebooks"],
            pages,
            tmp / "store.duckdb",
            mine["goals"],
            task["timeout"],
            _Events(worker, task["topic"]),
            logged,
            {
                "SOCIALKPI_ACTIONS": str(mine["actions"].parent),
                "SOCIALKPI_EXPERIMENTS": str(mine["experiments"].parent),
            },
            task["topic"],  # the run's: the thread keeps its kernel for its next brand
        )
        result.worker = worker.address
        return {
            "result": asdict(result),
            "pages": _zip({p.name: p.read_bytes() for p in pages.iterdir() if p.is_file()}),
            "actions": mine["actions"].read_bytes() if mine["actions"].exists() else None,
            "log": logged.read_text("utf-8") if logged.exists() else "",
        }
    finally:  # the kernel closed the log when the brand was done
        for path in (mine["actions"], mine["experiments"], logged):
            path.unlink(missing_ok=True)


RUN_FOLDER = "socialkpi-run-"


def _run_folder(worker, run: str) -> Path:
    """This thread's folder for the run on ``worker`` (removed at the run's end, ``end_run``)."""
    folder = Path(worker.local_directory) / f"{RUN_FOLDER}{run[-12:]}-{threading.get_ident()}"
    folder.mkdir(exist_ok=True)
    return folder


def end_run(run: str, dask_worker=None) -> int:
    """Runs on each worker at the end of a run: stop the kernels kept for it and remove its
    folders. Returns how many kernels were stopped."""
    stopped = runner.stop_kept(run)
    if dask_worker is not None:
        for folder in Path(dask_worker.local_directory).glob(f"{RUN_FOLDER}{run[-12:]}-*"):
            shutil.rmtree(folder, ignore_errors=True)
    return stopped


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _unzip(data: bytes, folder: Path) -> list[str]:
    """Extract an archive of plain file names into ``folder`` (a name with a folder in it, or
    one leaving ``folder``, is refused)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            if Path(name).name != name:
                raise ClusterError(f"unexpected file {name!r} in a worker's pages")
            inside(folder, name).write_bytes(archive.read(name))
    return names


# --- the coordinator ---------------------------------------------------------------------


def build_all(
    address: str, job: publish.Job, brands: list[str], progress, record: manifest.Manifest
) -> list[runner.BrandResult]:
    """Every brand as a task on the cluster at ``address``; each brand's folder is published
    here as its pages arrive. Returns the brands' results, failed ones included."""
    events = queue.SimpleQueue()
    results = []
    with settings(), connect(address) as client:
        check_workers(client)
        topic = f"socialkpi-report-{uuid.uuid4().hex}"
        client.subscribe_topic(topic, lambda event: events.put(event[1]))
        shared = {
            "month": job.month,
            "lang": job.lang,
            "notebooks": job.notebooks,
            "timeout": job.timeout,
            "pdf": job.chromium is not None,
            "fingerprint": fingerprint(),
            "topic": topic,
        }
        futures, shipped = {}, {}
        try:
            for brand in brands:
                inputs = pack(job, brand)
                shipped[brand] = inputs.get("actions.yaml")
                future = client.submit(
                    run_brand,
                    {**shared, "brand": brand, "inputs": inputs},
                    key=f"socialkpi-{job.month}-{brand}-{topic[-8:]}",
                    pure=False,
                    retries=0,  # notebook failures are caught inside; only dead workers retry
                )
                futures[future] = brand
            results = _follow(client, futures, shipped, events, job, progress, record)
        except BaseException:
            client.cancel(list(futures))
            raise
        finally:
            client.unsubscribe_topic(topic)
            _stop_kernels(client, topic)
    return results


def _stop_kernels(client, run: str) -> None:
    """Stop the kernels the workers kept for the run's next brands (a worker that is gone or
    busy elsewhere keeps its own until its next run or its end)."""
    try:
        client.run(end_run, run, wait=True)
    except Exception as err:  # a worker that died meanwhile: its kernel died with it
        log.warning("kernels kept by workers not all stopped: %s", runner.summary(err))


def _follow(client, futures, shipped, events, job, progress, record) -> list[runner.BrandResult]:
    """Wait for the tasks, moving the progress bar, noting retries and publishing each brand."""
    attempts, workers, results = Counter(), {}, []
    by_brand = {brand: future for future, brand in futures.items()}
    pending = set(futures)
    while pending:
        while not events.empty():
            event = events.get()
            brand = event["brand"]
            if event["event"] == "page":
                progress.heard(brand, event["name"])
                continue
            attempts[brand] += 1
            workers[brand] = event["worker"]
            if attempts[brand] <= MAX_ATTEMPTS:
                record.started(brand, event["worker"], attempts[brand] - 1)
            elif by_brand[brand] in pending:  # the scheduler allows more deaths than we do
                pending.discard(by_brand[brand])
                by_brand[brand].release()  # the scheduler forgets it once no client wants it
                results.append(_lost(brand, MAX_ATTEMPTS, workers[brand]))
                record.done(results[-1], [])
        done = {f for f in pending if f.status in ("finished", "error", "cancelled")}
        for future in done:
            brand = futures[future]
            result, files = _collect(future, brand, attempts, workers, shipped[brand], job)
            results.append(result)
            record.done(result, files)
        pending -= done
        if pending:
            time.sleep(0.2)
    return results


def _collect(
    future, brand, attempts, workers, shipped, job
) -> tuple[runner.BrandResult, list[str]]:
    """The brand's result, and the files it published (none if its task failed)."""
    from distributed import KilledWorker

    retries = max(attempts[brand] - 1, 0)
    try:
        output = future.result()
    except KilledWorker:
        return _lost(brand, attempts[brand] or MAX_ATTEMPTS, workers.get(brand, "")), []
    except Exception as err:
        return runner.BrandResult(
            brand,
            failed={"(brand)": runner.summary(err)},
            worker=workers.get(brand, ""),
            retries=retries,
        ), []
    result = runner.BrandResult(**{**output["result"], "retries": retries})
    if output["pages"] is None:  # the task failed before it had pages
        log.error("brand=%s failed: %s", brand, result.failed)
        return result, []
    for line in output["log"].splitlines():
        log.info("brand=%s worker=%s %s", brand, result.worker, line)
    tmp = publish.staging(job.month_dir, brand)
    try:
        _unzip(output["pages"], tmp)
        _return_actions(brand, shipped, output["actions"], result, job.actions)
        files = publish.publish_brand(
            tmp, job.month_dir, brand, job.notebooks, result, job.lang, job.chromium
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result, files


def _lost(brand: str, attempts: int, worker: str) -> runner.BrandResult:
    message = (
        f"WorkerLost: the worker running this brand stopped {attempts} times (last {worker or 'unknown'}); "
        "not tried again. See that worker's log"
    )
    log.error("brand=%s failed: %s", brand, message)
    return runner.BrandResult(
        brand, failed={"(brand)": message}, worker=worker, retries=attempts - 1
    )


def _return_actions(
    brand: str, shipped: bytes | None, returned: bytes | None, result, folder: Path | None = None
) -> None:
    """Write back the action log the worker's retrospective updated, unless it was changed
    here while the brand ran (then this run's new entries are not saved, and it says so)."""
    if returned is None or returned == shipped:
        return
    path = actions_log(brand, folder=folder)
    now = path.read_bytes() if path.exists() else None
    if now != shipped:
        result.failed.setdefault(
            runner.NOTEBOOKS["04"],
            f"ActionLogChanged: {path} was edited during the run; its new entries were not "
            "saved. Run the retrospective again",
        )
        return
    write_atomically(path, returned)
