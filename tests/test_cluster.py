"""The report bundle on a real Dask cluster: a `dask scheduler` and `dask worker` processes on
127.0.0.1, the same pages as a local run, a worker killed midway, a brand whose worker keeps
dying, and a worker with other code refused."""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from socialkpi.outputs import bundle, cluster, manifest, runner
from tests._pagetext import visible
from tests.conftest import report_command

pytestmark = pytest.mark.cluster  # a Dask scheduler and workers: left out of make test-fast

FIXTURES = Path(__file__).parent / "fixtures" / "cluster"
DASK = Path(sys.executable).with_name("dask")
STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # when each page was generated


@contextlib.contextmanager
def dask_processes(folder: Path, workers: int = 2, preload: Path | None = None):
    """`dask scheduler` and `workers` × `dask worker` (one thread each, with a nanny), each in
    its own process group; yields the scheduler's address and the workers' processes by name."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "scheduler.json"
    started = []

    def start(name, *args):
        log = (folder / f"{name}.log").open("w")
        started.append(
            subprocess.Popen(
                [str(DASK), *args], stdout=log, stderr=log, start_new_session=True, cwd=folder
            )
        )
        log.close()
        return started[-1]

    try:
        start(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(file),
        )
        deadline = time.time() + 60
        while not file.exists() and time.time() < deadline:
            time.sleep(0.1)
        assert file.exists(), (folder / "scheduler.log").read_text()
        procs = {}
        for i in range(workers):
            extra = ["--preload", str(preload)] if preload else []
            procs[f"w{i}"] = start(
                f"w{i}",
                "worker",
                "--scheduler-file",
                str(file),
                "--nthreads",
                "1",
                "--name",
                f"w{i}",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--local-directory",
                str(folder / f"w{i}"),
                *extra,
            )
        address = json.loads(file.read_text())["address"]
        with _client(address) as client:
            client.wait_for_workers(workers, timeout=90)
        yield address, procs
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def _client(address):
    from distributed import Client

    with Client(address, timeout="30s") as client:
        yield client


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    with dask_processes(folder) as (address, _):
        yield address


def _report(*args, out: Path, db: Path, actions: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        report_command(*args, out=out, db=db, actions=actions),
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@contextlib.contextmanager
def _started_report(address: str, tmp_path: Path, db: Path):
    """Both sample brands' pages 01 and 03 on the cluster at ``address``, into tmp_path/out;
    a report still running when the block ends (a failed assertion) is killed and reaped."""
    with subprocess.Popen(
        report_command(
            "--brand",
            "lumi_tea",
            "northwind_cloud",
            "--notebooks",
            "01,03",
            "--scheduler",
            address,
            out=tmp_path / "out",
            db=db,
            actions=tmp_path / "actions",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as report:
        try:
            yield report
        finally:
            if report.poll() is None:
                report.kill()
                report.communicate()


def _page_text(path: Path) -> list[str]:
    return [STAMP.sub("", line) for line in visible(path.read_text("utf-8"))]


def test_the_cluster_bundle_equals_the_local_one(
    scheduler, sample_db, tmp_path, monkeypatch, capsys
):
    brands = ["lumi_tea", "northwind_cloud"]
    runs = {}
    for where, cluster_address in (("local", None), ("cluster", scheduler)):
        monkeypatch.setenv("SOCIALKPI_ACTIONS", str(tmp_path / where / "actions"))
        results = bundle.run(
            "2026-10",
            brands,
            "en",
            ["01", "04"],
            tmp_path / where,
            2,
            sample_db[0],
            cluster=cluster_address,
            show_progress=True,
        )
        assert all(not r.failed for r in results), [r.failed for r in results]
        assert "4/4" in capsys.readouterr().err  # the progress bar counted every notebook
        runs[where] = tmp_path / where / "2026-10"
        # the kernels the workers kept between brands were stopped at the end of the run,
        # and the run's folders on the workers removed
        assert _kernels(psutil.Process()) == []
        with _client(scheduler) as client:
            on_workers = client.run(_KERNELS_HERE)
            folders = client.run(_RUN_FOLDERS_HERE)
        assert on_workers and all(found == [] for found in on_workers.values()), on_workers
        assert all(found == [] for found in folders.values()), folders
    local, remote = runs["local"], runs["cluster"]
    files = {p.relative_to(local) for p in local.rglob("*") if p.is_file()}
    assert files == {p.relative_to(remote) for p in remote.rglob("*") if p.is_file()}
    assert Path("lumi_tea/04_retrospective.html") in files and Path("run.json") in files
    for page in sorted(p for p in files if p.suffix == ".html"):
        assert _page_text(local / page) == _page_text(remote / page), page  # same numbers
    # the retrospective's action log came back from the worker, with the same entries
    logs = [tmp_path / where / "actions" / "lumi_tea.yaml" for where in ("local", "cluster")]
    assert logs[1].read_text("utf-8") == logs[0].read_text("utf-8")
    assert "month: 2026-10" in logs[1].read_text("utf-8")
    ran = manifest.read(remote)
    assert ran["status"] == "finished" and ran["where"] == scheduler
    for brand in brands:
        entry = ran["brands"][brand]
        assert entry["status"] == "ok" and entry["retries"] == 0
        assert entry["worker"].startswith("tcp://127.0.0.1:")
        assert entry["files"] == [
            "01_goal_setting.html",
            "01_goal_setting.ipynb",
            "04_retrospective.html",
            "04_retrospective.ipynb",
        ]
    assert re.fullmatch(r"\S+ pid \d+", manifest.read(local)["brands"]["lumi_tea"]["worker"])


# run on each worker (by value: workers cannot import this module)
_KERNELS_HERE = lambda: [  # noqa: E731
    c.pid
    for c in __import__("psutil").Process().children(recursive=True)
    if "ipykernel" in " ".join(c.cmdline())
]

_RUN_FOLDERS_HERE = lambda dask_worker: [  # noqa: E731
    p.name for p in __import__("pathlib").Path(dask_worker.local_directory).glob("socialkpi-run-*")
]


def _kernels(process: psutil.Process) -> list[int]:
    """The Jupyter kernels among ``process``'s descendants that are still running."""
    found = []
    for child in process.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()) and child.status() != "zombie":
                found.append(child.pid)
        except psutil.Error:  # gone meanwhile
            continue
    return found


def test_ctrl_c_on_the_coordinator_publishes_nothing(scheduler, sample_db, tmp_path):
    out = tmp_path / "out"
    with _started_report(scheduler, tmp_path, sample_db[0]) as report, _client(scheduler) as client:
        _wait_until_both_busy(client)
        report.send_signal(signal.SIGINT)
        said, errors = report.communicate(timeout=120)
        deadline = time.time() + 30
        while any(client.processing().values()) and time.time() < deadline:
            time.sleep(0.2)
        assert not any(client.processing().values())  # the scheduler dropped the brands
    assert report.returncode == 130 and "stopped" in errors.splitlines()
    month = out / "2026-10"
    assert sorted(p.name for p in month.iterdir()) == ["run.json", "run.log"]
    ran = manifest.read(month)
    assert ran["status"] == "interrupted"
    assert {b["status"] for b in ran["brands"].values()} <= {"pending", "running"}


def test_a_worker_killed_midway_still_gives_a_complete_bundle(sample_db, tmp_path):
    """SIGKILL to one `dask worker` (nanny, worker and its kernel) while both workers are
    rendering: its brand is run again on the other worker and the bundle is complete."""
    out = tmp_path / "out"
    with (
        dask_processes(tmp_path / "dask") as (address, procs),
        _started_report(address, tmp_path, sample_db[0]) as report,
    ):
        with _client(address) as client:
            busy, names = _wait_until_both_busy(client)
            victim = next(a for a in busy if names[a] == "w0")
            killed_brand = busy[victim]
            survivor = next(a for a in names if a != victim)
            _wait_for_kernel(procs["w0"])  # into the brand's first notebook
            os.killpg(procs["w0"].pid, signal.SIGKILL)
        said, errors = report.communicate(timeout=600)
    assert report.returncode == 0, errors[-2000:]
    month = out / "2026-10"
    for brand in ("lumi_tea", "northwind_cloud"):
        assert sorted(p.name for p in (month / brand).glob("*.html")) == [
            "01_goal_setting.html",
            "03_kpi_review.html",
            "index.html",  # the brand's own index
        ]
    assert not list(month.glob(".*tmp*"))
    ran = manifest.read(month)
    assert ran["status"] == "finished"
    assert ran["brands"][killed_brand]["retries"] == 1
    assert ran["brands"][killed_brand]["worker"] == survivor
    other = "northwind_cloud" if killed_brand == "lumi_tea" else "lumi_tea"
    assert ran["brands"][other]["retries"] == 0
    assert "2 brands, 0 failures" in said


def _wait_for_kernel(worker: subprocess.Popen, timeout: float = 120) -> None:
    """Until a `dask worker` process tree runs a Jupyter kernel (a brand's notebooks began)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for child in psutil.Process(worker.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a process may end while looked at
                if "ipykernel" in " ".join(child.cmdline()):
                    return
        time.sleep(0.1)
    raise AssertionError("the worker never started a kernel")


def _wait_until_both_busy(client, timeout: float = 120) -> tuple[dict[str, str], dict[str, str]]:
    """The brand each worker is running, once both are running one, and every worker's name by
    address, both read from the scheduler at that moment (the client's cached worker list can
    lag behind a worker that restarted)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        processing = {a: keys for a, keys in client.processing().items() if keys}
        names = client.run_on_scheduler(  # a lambda travels by value; a test function would not
            lambda dask_scheduler: {a: w.name for a, w in dask_scheduler.workers.items()}
        )
        if len(processing) == 2 and processing.keys() <= names.keys():
            busy = {
                a: re.match(r"socialkpi-2026-10-(\w+?)-\w+$", str(keys[0])).group(1)
                for a, keys in processing.items()
            }
            return busy, names
        time.sleep(0.1)
    raise AssertionError("the workers never both started a brand")


def test_a_brand_whose_worker_keeps_dying_fails_alone(sample_db, tmp_path):
    """Every worker dies when it starts northwind_cloud: it is tried twice, then reported
    failed (the scheduler would allow more); lumi_tea is published."""
    out = tmp_path / "out"
    preload = FIXTURES / "dies_on_northwind.py"
    with dask_processes(tmp_path / "dask", preload=preload) as (address, _):
        done = _report(
            "--brand",
            "lumi_tea",
            "northwind_cloud",
            "--notebooks",
            "01",
            "--scheduler",
            address,
            out=out,
            db=sample_db[0],
            actions=tmp_path / "actions",
        )
    assert done.returncode == 1, done.stderr[-2000:]
    assert (
        "FAILED northwind_cloud/(brand): WorkerLost: the worker running this brand stopped 2 times"
        in (done.stderr)
    )
    month = out / "2026-10"
    assert (month / "lumi_tea" / "01_goal_setting.html").exists()
    assert not (month / "northwind_cloud").exists()
    ran = manifest.read(month)
    assert ran["status"] == "finished"
    assert ran["brands"]["northwind_cloud"]["status"] == "failed"
    assert ran["brands"]["northwind_cloud"]["retries"] == 1
    assert ran["brands"]["lumi_tea"]["status"] == "ok"


def test_a_worker_with_other_code_is_refused_before_any_task(sample_db, tmp_path):
    out = tmp_path / "out"
    preload = FIXTURES / "other_socialkpi.py"
    with dask_processes(tmp_path / "dask", workers=1, preload=preload) as (address, _):
        done = _report(
            "--brand",
            "lumi_tea",
            "--notebooks",
            "01",
            "--scheduler",
            address,
            out=out,
            db=sample_db[0],
            actions=tmp_path / "actions",
        )
    assert done.returncode == 1
    here = cluster.fingerprint()
    assert f"1 of 1 workers run another socialkpi than this machine's {here}" in done.stderr
    assert "(code 0123456789ab)" in done.stderr and "no brand was started" in done.stderr
    assert not (out / "2026-10" / "lumi_tea").exists()
    assert manifest.read(out / "2026-10")["status"] == "interrupted"


def test_an_unreachable_scheduler_is_named(sample_db, tmp_path):
    done = _report(
        "--brand",
        "lumi_tea",
        "--scheduler",
        "tcp://127.0.0.1:9",
        out=tmp_path / "out",
        db=sample_db[0],
        actions=tmp_path / "actions",
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert done.returncode == 1
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:9" in done.stderr


def test_local_cluster_takes_a_number(sample_db, tmp_path):
    with pytest.raises(cluster.ClusterError, match="local:N takes a number of workers"):
        bundle.run(
            "2026-10", ["lumi_tea"], "en", ["01"], tmp_path, 1, sample_db[0], cluster="local:x"
        )


def test_a_worker_archive_may_not_name_folders(tmp_path):
    archive = cluster._zip({"../escape.html": b"x"})
    with pytest.raises((cluster.ClusterError, ValueError)):
        cluster._unzip(archive, tmp_path)
    assert not (tmp_path.parent / "escape.html").exists()
    assert cluster._unzip(cluster._zip({"a.html": b"x"}), tmp_path) == ["a.html"]


def test_the_action_log_is_not_overwritten_if_it_changed_during_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALKPI_ACTIONS", str(tmp_path))
    log = tmp_path / "lumi_tea.yaml"
    log.write_bytes(b"- id: edited here\n")
    result = runner.BrandResult("lumi_tea", ok=["04_retrospective"])
    cluster._return_actions("lumi_tea", b"- id: a\n", b"- id: a\n- id: b\n", result)
    assert log.read_bytes() == b"- id: edited here\n"
    assert result.failed["04_retrospective"].startswith("ActionLogChanged:")
    log.write_bytes(b"- id: a\n")
    result = runner.BrandResult("lumi_tea", ok=["04_retrospective"])
    cluster._return_actions("lumi_tea", b"- id: a\n", b"- id: a\n- id: b\n", result)
    assert log.read_bytes() == b"- id: a\n- id: b\n" and result.failed == {}


def test_a_run_leaves_dasks_settings_whole():
    """In a fresh interpreter (distributed not yet imported) the run's settings come and go
    without taking distributed's defaults with them: a second run in the process can start."""
    code = (
        "from socialkpi.outputs import cluster\n"
        "with cluster.settings(): pass\n"
        "import dask\n"
        "print(dask.config.get('distributed.comm.require-encryption'),"
        " dask.config.get('distributed.admin.large-graph-warning-threshold'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-1000:]
    assert done.stdout.split() == ["None", "10MB"]
