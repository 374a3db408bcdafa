"""Reads kept for the life of a process (store.cache): only for a read-only store, keyed by
value, a new serving copy is a new key, every caller gets its own copy, and a page rendered
after others in one kernel is the page rendered alone."""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.store.cache import cached, frozen, store_key


@dataclass(frozen=True)
class _Month:
    label: str


def _counting():
    calls = []

    @cached(maxsize=2)
    def read(con, brand, platforms=None):
        calls.append((brand, platforms))
        return pd.DataFrame({"brand": [brand], "n": [len(calls)]})

    return read, calls


def test_a_read_only_store_is_read_once_and_each_caller_gets_its_own_copy(sample_db):
    con = store.open_serving(sample_db[0])
    read, calls = _counting()
    first = read(con, "acme", ["x", "facebook"])
    first.loc[0, "n"] = 99  # a page changing its frame changes no other page's
    again = read(con, "acme", ("x", "facebook"))
    assert calls == [("acme", ["x", "facebook"])]  # a list and a tuple of the same ids: one key
    assert again.loc[0, "n"] == 1
    read(con, "acme", ["x"])
    assert len(calls) == 2
    con.close()


def test_the_least_recently_used_result_goes_first(sample_db):
    con = store.open_serving(sample_db[0])
    read, calls = _counting()
    for brand in ("a", "b", "a", "c", "a", "b"):  # maxsize 2: b is dropped for c, read again
        read(con, brand)
    assert [c[0] for c in calls] == ["a", "b", "c", "b"]
    con.close()


def test_a_writable_store_is_never_cached(tmp_path):
    con = store.open_store(tmp_path / "w.duckdb")
    assert store_key(con) is None
    read, calls = _counting()
    read(con, "acme")
    read(con, "acme")
    assert len(calls) == 2
    con.close()


def test_a_new_serving_copy_is_a_new_key(sample_db, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copy(sample_db[0], db)
    reader = store.open_serving(db)
    before = store_key(reader)
    reader.close()
    writer = store.open_store(db)
    store.set_brand(writer, "newcomer", "Asia/Taipei")
    writer.close()
    reader = store.open_serving(db)
    assert store_key(reader) not in (None, before)
    reader.close()


def test_arguments_are_keyed_by_value_and_objects_without_one_are_not_cached(sample_db):
    assert frozen({"b": [1, 2], "a": _Month("2026-10")}) == frozen(
        {"a": _Month("2026-10"), "b": (1, 2)}
    )
    one = pd.DataFrame({"x": [1.0, 2.0]})
    assert frozen(one) == frozen(one.copy()) != frozen(one.assign(x=[1.0, 3.0]))
    con = store.open_serving(sample_db[0])
    read, calls = _counting()
    anything = object()  # keyed by identity it could meet another object at its address
    read(con, anything)
    read(con, anything)
    assert len(calls) == 2
    con.close()


def _comparable(page: str) -> str:
    """A page without what differs between any two renders: the time it was made (the header's
    "· generated ..."), the cell id Papermill gives its parameters cell, and great_tables'
    random table ids (numbered in order of appearance instead)."""
    page = re.sub(r"· generated [^<]*", "· generated", page)  # the minute can turn between runs
    page = re.sub(r"cell-id=[0-9a-f]{8}\b", "cell-id=", page)
    ids = dict.fromkeys(re.findall(r'<div id="([a-z]{10})"', page))
    for i, found in enumerate(ids):
        page = page.replace(found, f"table{i}")
    return page


_RENDER = """
import sys
from pathlib import Path
from socialkpi.config import REPO
from socialkpi.outputs import runner
folder, db, keys = Path(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
starts, start = [], runner._start_kernel
runner._start_kernel = lambda env: starts.append(1) or start(env)
actions = {"SOCIALKPI_ACTIONS": str(folder / "actions")}  # each run logs its own actions
for brand in sys.argv[4].split(","):  # in one kernel, kept from one brand to the next
    goals = REPO / "data" / "goals" / f"{brand}.yaml"
    pages = folder / brand
    pages.mkdir()
    result = runner.render(brand, "2026-10", "en", keys, pages, db, goals, env=actions, run="r")
    if result.failed:
        sys.exit(f"failed: {result.failed}")
kept = runner.stop_kept()
sys.exit(0 if (len(starts), kept) == (1, 1) else f"{len(starts)} kernels started, {kept} kept")
"""


def _render_in_one_process(folder: Path, db: Path, keys: str, brands: str) -> None:
    import subprocess
    import sys

    folder.mkdir()
    command = [sys.executable, "-c", _RENDER, str(folder), str(db), keys, brands]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.slow
def test_pages_rendered_after_others_in_one_kernel_are_the_pages_rendered_alone(
    sample_db, tmp_path
):
    """A brand's pages share one kernel, and a worker keeps it for its next brand. Northwind's
    retrospective rendered first in a fresh kernel is the one rendered after Lumi Tea's pages
    (white-labelled, with its own accent colour, summary and actions) and after Northwind's
    KPI review, whose summary, goal status and posts it reuses; Northwind's KPI review (its
    charts in its own colour) is the same after either. Each run is its own process, as a
    worker is; the script checks that one kernel served both brands and was kept to the end,
    and the kernel left each brand's index card beside its pages."""
    _render_in_one_process(tmp_path / "alone", sample_db[0], "04,03", "northwind_cloud")
    _render_in_one_process(tmp_path / "after", sample_db[0], "03,04", "lumi_tea,northwind_cloud")
    for name in ("03_kpi_review", "04_retrospective"):
        alone, after = (
            _comparable((tmp_path / run / "northwind_cloud" / f"{name}.html").read_text("utf-8"))
            for run in ("alone", "after")
        )
        assert "Northwind" in alone
        assert alone == after, name
    for brand in ("lumi_tea", "northwind_cloud"):
        assert (tmp_path / "after" / brand / ".card-en.part").exists()


def test_a_kept_kernel_forgets_the_last_notebooks_names_and_the_last_brands_log(tmp_path):
    """Between notebooks the kernel forgets the last notebook's names; after a brand, its
    warnings log is closed too (the next brand logs to its own file)."""
    import os

    from jupyter_client.blocking import BlockingKernelClient

    from socialkpi.outputs import runner

    log = tmp_path / "brand.log"
    kernel = runner._start_kernel(dict(os.environ))
    try:
        client = BlockingKernelClient()
        client.load_connection_info(kernel.get_connection_info())
        client.start_channels()
        client.wait_for_ready(timeout=60)

        def ask(code: str) -> str:
            said = []
            client.execute_interactive(
                code, timeout=60, output_hook=lambda m: said.append(m["content"].get("text", ""))
            )
            return "".join(said).strip()

        ask("left_over = 1")
        runner._reset(kernel)
        found = ask("print('left_over' in dir())")
        ask(  # a brand's warnings log, as notebook.setup opens it
            "import logging; logging.getLogger('py.warnings').addHandler("
            f"logging.FileHandler({str(log)!r}))"
        )
        runner._reset(kernel, brand_changed=True)
        handlers = ask("import logging; print(logging.getLogger('py.warnings').handlers)")
        client.stop_channels()
    finally:
        runner._stop_kernel(kernel)
    assert found == "False"
    assert handlers == "[]"


class _Kernel:
    """A stand-in for a kept kernel: alive until stopped."""

    socialkpi_client = socialkpi_nbclient = None
    socialkpi_sockets = "/nonexistent"

    def __init__(self):
        self.stopped = False

    def is_alive(self) -> bool:
        return not self.stopped

    def shutdown_kernel(self, now: bool) -> None:
        self.stopped = True


def test_a_kept_kernel_serves_only_its_runs_brands_with_its_settings(monkeypatch):
    """Settings reach a kernel only when it starts: a brand built with other SOCIALKPI_*
    variables (or in another run) gets a new kernel, and the idle one is stopped."""
    from socialkpi.outputs import runner

    monkeypatch.setattr(runner, "_KEPT", {})
    here = runner._settings({"SOCIALKPI_ACTIONS": "/a", "HOME": "/root"})
    assert here == (("SOCIALKPI_ACTIONS", "/a"),)
    kept = _Kernel()
    runner._KEPT[("run", here)] = [kept]
    assert runner._take_kept(("run", (("SOCIALKPI_ACTIONS", "/b"),))) is None
    assert kept.stopped and runner._KEPT == {}
    again = _Kernel()
    runner._KEPT[("run", here)] = [again]
    assert runner._take_kept(("run", here)) is again and not again.stopped


# --- shared reads: results kept on disk beside the serving copy for every process -----------

_MODULE = """
import sys
import time

from socialkpi.store.cache import cached


@cached(4)
def slow_read(con, brand, kinds):
    with open(sys.argv[2], "a", encoding="utf-8") as log:
        log.write(brand + "\\n")
    time.sleep(1)
    return sorted(kinds)
"""

_CALL = """
import sys
sys.path.insert(0, sys.argv[3])
from socialkpi import store
import shared_read
con = store.open_serving(sys.argv[1])
print(shared_read.slow_read(con, "acme", {"reach", "reactions", "comments", "shares"}))
"""


def _own_store(sample_db, tmp_path):
    """A copy of the sample store with its serving copy published (its shared reads are this
    test's alone)."""
    db = tmp_path / "own.duckdb"
    shutil.copy(sample_db[0], db)
    store.open_serving(db).close()
    return db


def test_two_processes_asking_at_once_compute_a_shared_read_once(sample_db, tmp_path):
    """Two kernels asking for the same read at the same time: one computes it while the other
    waits and reads its result, though their set arguments are ordered differently (each
    process hashes strings with its own seed)."""
    import os
    import subprocess
    import sys

    db = _own_store(sample_db, tmp_path)
    (tmp_path / "shared_read.py").write_text(_MODULE, encoding="utf-8")
    log = tmp_path / "computed.log"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _CALL, str(db), str(log), str(tmp_path)],
            env={**os.environ, "SOCIALKPI_SHARED_READS": "1", "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    expected = "['comments', 'reach', 'reactions', 'shares']"
    assert [out.strip() for out, _ in outputs] == [expected, expected]
    assert log.read_text("utf-8") == "acme\n"  # computed by one of the two


@pytest.fixture
def shared(monkeypatch, tmp_path):
    """Shared reads on, with a rates file of this test's own as one of their inputs."""
    from socialkpi.store import cache

    monkeypatch.setenv("SOCIALKPI_SHARED_READS", "1")
    rates = tmp_path / "rates.yaml"
    rates.write_text("TWD: 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "RATES_FILE", rates)
    cache._inputs.cache_clear()
    yield rates
    cache._inputs.cache_clear()


def test_an_edited_rates_file_makes_a_new_state_and_the_old_one_goes(shared, sample_db, tmp_path):
    from socialkpi.store import cache

    con = store.open_serving(_own_store(sample_db, tmp_path))
    read, calls = _counting()
    read(con, "acme")
    read.cache_clear()  # as another process would: nothing in memory
    assert read(con, "acme").loc[0, "n"] == 1 and len(calls) == 1  # found on disk
    kept = Path(f"{store.serving_path(tmp_path / 'own.duckdb')}.reads")
    (before,) = kept.iterdir()
    shared.write_text("TWD: 1\nUSD: 32\n", encoding="utf-8")
    cache._inputs.cache_clear()  # a new process sees the edited file
    read.cache_clear()
    assert read(con, "acme").loc[0, "n"] == 2  # computed again
    assert [p.name for p in kept.iterdir()] != [before.name] and len(list(kept.iterdir())) == 1
    con.close()


def test_a_result_that_cannot_be_kept_on_disk_is_still_returned(shared, sample_db, tmp_path):
    con = store.open_serving(_own_store(sample_db, tmp_path))
    calls = []

    @cached(2)
    def read(con, brand):
        calls.append(brand)
        return {"brand": brand, "format": lambda x: x}  # a lambda cannot be pickled

    assert read(con, "acme")["brand"] == "acme"
    read.cache_clear()
    assert read(con, "acme")["brand"] == "acme" and calls == ["acme", "acme"]
    kept = Path(f"{store.serving_path(tmp_path / 'own.duckdb')}.reads")
    assert not [p for p in kept.rglob("*") if p.suffix in (".pickle", ".tmp")]
    con.close()


def test_only_the_first_process_to_ask_is_told_it_is_first(
    shared, sample_db, tmp_path, monkeypatch
):
    from socialkpi.store.cache import first_to_ask

    con = store.open_serving(_own_store(sample_db, tmp_path))
    assert first_to_ask(con, "warm-up audience") is True
    assert first_to_ask(con, "warm-up audience") is False
    assert first_to_ask(con, "warm-up money") is True
    monkeypatch.delenv("SOCIALKPI_SHARED_READS")
    assert first_to_ask(con, "warm-up calendar") is False  # no shared reads: never first
    con.close()


def test_a_reads_folder_others_can_write_in_is_never_read(shared, sample_db, tmp_path):
    """A kept result is a pickle, which runs code when read: a folder another user could
    write a result into is not used."""
    con = store.open_serving(_own_store(sample_db, tmp_path))
    read, calls = _counting()
    read(con, "acme")
    (state,) = Path(f"{store.serving_path(tmp_path / 'own.duckdb')}.reads").iterdir()
    assert list(state.glob("*.pickle"))
    state.chmod(0o777)
    read.cache_clear()
    read(con, "acme")
    assert len(calls) == 2  # computed again, not read from there
    con.close()
