"""The report bundle end to end on the sample store: files, links, numbers, language,
offline HTML, escaped captions and a failing brand isolated."""

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.metrics import kpi
from socialkpi.outputs import bundle
from socialkpi.presentation import number
from tests.conftest import report_command

pytestmark = pytest.mark.slow  # Papermill report runs: left out of make test-fast

REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_OR_JS_FETCH = re.compile(r"""url\(\s*["']?(?:https?:)?//|import[^;]*["']https?://""", re.I)


class _Links(HTMLParser):
    """Every attribute that would make the browser fetch from another host, except plain
    hyperlinks to posts opened with rel="noopener noreferrer"."""

    def __init__(self):
        super().__init__()
        self.remote, self.post_links = [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("src", "href", "srcset", "data", "poster", "action", "formaction"):
            if REMOTE.match(a.get(name) or ""):
                if (
                    tag == "a"
                    and name == "href"
                    and {"noopener", "noreferrer"} <= set((a.get("rel") or "").split())
                ):
                    self.post_links += 1
                else:
                    self.remote.append(f"<{tag} {name}={a[name]}>")


def _offline(path: Path) -> int:
    """Fails on anything in ``path`` that would fetch from the network; returns the number of
    post hyperlinks."""
    text = path.read_text("utf-8")
    parser = _Links()
    parser.feed(text)
    assert not parser.remote, f"{path} requests {parser.remote[:3]} from the network"
    assert not CSS_OR_JS_FETCH.search(text), f"{path} fetches a stylesheet or script"
    return parser.post_links


@pytest.fixture(scope="module")
def english(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    results = bundle.run(
        "2026-10", ["lumi_tea", "northwind_cloud"], "en", ["03"], out, 2, sample_db[0]
    )
    return out, results


def card_of(index: str, name: str) -> str:
    return index.split(f"<h2>{name}</h2>")[1].split("</section>")[0]


def test_bundle_files_links_and_numbers(english, sample_db):
    out, results = english
    assert all(not r.failed for r in results)
    index = (out / "2026-10" / "index.html").read_text("utf-8")
    for link in re.findall(r"href='([^']+)'", index):
        assert (out / "2026-10" / link).exists()
    con = store.open_store(sample_db[0], read_only=True)
    report = kpi.kpi_report(con, "northwind_cloud", "2026-10", ids=["followers"])
    con.close()
    followers = report[(report.platform == "all") & (report.kpi == "followers")].iloc[0]
    card = index.split("<h2>Northwind Cloud</h2>")[1].split("</section>")[0]
    assert f"<div class='value'>{number(followers.value)}</div>" in card
    tiles = card.split("<div class='kpis'>")[1].split("<p class='headline'>")[0]
    assert tiles.count("Engagement rate (by impressions or views)") == 1  # the alias, once
    assert "<h2>Lumi Tea</h2>" in index and ">lumi_tea<" not in index  # names, not ids
    page = (out / "2026-10" / "lumi_tea" / "03_kpi_review.html").read_text("utf-8")
    assert "Of 4 goals," in card_of(index, "Lumi Tea") and "Of 4 goals," in page  # the summary
    assert "Engagement rate (by reach)" in page and '<header class="skpi-header">' in page
    assert "<p>Lumi Tea · Oct 2026 · generated" in page
    assert (out / "2026-10" / "run.log").read_text("utf-8").count("brand=") >= 2
    links = {html.name: _offline(html) for html in (out / "2026-10").rglob("*.html")}
    assert links["03_kpi_review.html"] >= 5  # the top posts link to the posts themselves


def test_the_cards_the_kernels_made_are_the_cards_the_index_makes(english, sample_db, tmp_path):
    """Each brand's kernel makes its card with its pages (the reads are at hand there; see
    test_cache) and the index takes it; an index rebuilt from the store alone is the same
    page."""
    import shutil

    out, _ = english
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    month = copy / "2026-10"
    assert not list(month.glob("*/.card-*"))  # the index took them: the folders stay clean
    pages = ["index.html", "lumi_tea/index.html", "northwind_cloud/index.html"]
    made = {p: (month / p).read_text("utf-8") for p in pages}
    bundle.write_index(copy, "2026-10", "en", sample_db[0])  # every card made here
    assert "Lumi Tea" in made["lumi_tea/index.html"]
    for page in pages:
        assert (month / page).read_text("utf-8") == made[page], page
    part = month / "lumi_tea" / ".card-en.part"
    part.write_text("<h2>Made by the kernel</h2>", "utf-8")
    bundle.write_index(copy, "2026-10", "en", sample_db[0], built=["lumi_tea"])
    assert "<h2>Made by the kernel</h2>" in (month / "index.html").read_text("utf-8")
    assert not part.exists()


def test_bundle_in_traditional_chinese(sample_db, tmp_path):
    import json

    bundle.run("2026-10", ["lumi_tea"], "zh-TW", ["01", "04"], tmp_path, 1, sample_db[0])
    page = (tmp_path / "2026-10" / "lumi_tea" / "01_goal_setting.html").read_text("utf-8")
    assert "目標設定" in page and "SMART" in page and "露米茶飲 · 2026年10月" in page
    assert '<html lang="zh-TW">' in page
    assert "社群月報" in (tmp_path / "2026-10" / "index.html").read_text("utf-8")
    # the brand's notebooks share one kernel, reset in between: each starts from a clean slate
    retro = json.loads(
        (tmp_path / "2026-10" / "lumi_tea" / "04_retrospective.ipynb").read_text("utf-8")
    )
    code = [c for c in retro["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code[:3]] == [1, 2, 3]
    # no IPython history in report kernels: parallel kernels sharing it printed ERROR! lines
    assert not any("ERROR!" in str(o) for c in code for o in c["outputs"])
    assert not any(o.get("output_type") == "error" for c in code for o in c["outputs"])


def test_xss_caption_is_text(store_with_caption, tmp_path):
    db = store_with_caption("<img src=x onerror=alert(1)>")
    bundle.run("2026-10", ["lumi_tea"], "en", ["03"], tmp_path / "out", 1, db)
    page = (tmp_path / "out" / "2026-10" / "lumi_tea" / "03_kpi_review.html").read_text("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


def test_a_broken_brand_fails_alone(sample_db, tmp_path, capsys):
    goals = tmp_path / "goals"
    goals.mkdir()
    (goals / "lumi_tea.yaml").write_text("brand: lumi_tea\ngoals: [{id: broken}]\n", "utf-8")
    results = {
        r.brand: r
        for r in bundle.run(
            "2026-10",
            ["lumi_tea", "northwind_cloud"],
            "en",
            ["03"],
            tmp_path / "out",
            2,
            sample_db[0],
            goals_dir=goals,
            show_progress=True,
        )
    }
    said = capsys.readouterr()
    assert "2/2" in said.err  # the progress bar counted both notebooks
    assert "lumi_tea: 0/1 notebooks ok" in said.out and "failed: 03_kpi_review" in said.out
    assert "northwind_cloud: 1/1 notebooks ok" in said.out
    assert results["northwind_cloud"].failed == {}
    assert "03_kpi_review" in results["lumi_tea"].failed
    assert "goals[0].owner: Field required" in results["lumi_tea"].failed["03_kpi_review"]
    page = (tmp_path / "out" / "2026-10" / "lumi_tea" / "03_kpi_review.html").read_text("utf-8")
    assert "GoalsError" in page and "This page did not finish" in page  # the error is on the page
    index = (tmp_path / "out" / "2026-10" / "index.html").read_text("utf-8")
    assert "(did not finish)</span>" in index.split("Lumi Tea")[1]
    assert not list((tmp_path / "out" / "2026-10").glob(".*tmp*"))  # no half-built folder left


def test_latest_complete_month(sample_db):
    con = store.open_store(sample_db[0], read_only=True)
    assert store.latest_complete_month(con) == "2026-10"
    con.close()


def test_killing_the_coordinator_leaves_no_process_and_no_bundle(sample_db, tmp_path, request):
    """kill -9 of the main process alone (not its group): workers, the progress queue's
    manager and the kernels go with it, and nothing is published afterwards."""
    import os
    import shutil
    import signal
    import subprocess

    import psutil

    out = tmp_path / "out"
    import tempfile

    # the run's temporary folder, to see what a kill leaves there (short: a kernel's Unix
    # socket path has to fit in 107 bytes)
    temp = Path(tempfile.mkdtemp(prefix="skpi-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(temp, ignore_errors=True))
    proc = subprocess.Popen(
        report_command(
            "--brand",
            "lumi_tea",
            "northwind_cloud",
            "--notebooks",
            "01,02,03,04",
            "--jobs",
            "2",
            out=out,
            db=sample_db[0],
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    main = psutil.Process(proc.pid)
    deadline = time.time() + 120
    helpers = []
    while time.time() < deadline:
        helpers = main.children(recursive=True)
        kernels = [p for p in helpers if "ipykernel" in " ".join(_cmdline(p))]
        if len(kernels) >= 2 and list((out / "2026-10").glob(".*.tmp-*/*.ipynb")):
            break
        time.sleep(0.2)
    assert len(helpers) >= 5  # 2 workers, the manager, 2 kernels: caught midway
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(helpers, timeout=10)
    assert alive == [], f"left running: {[(p.pid, _cmdline(p)[:3]) for p in alive]}"
    month = out / "2026-10"  # every process that could publish is gone: nothing was published
    assert not (month / "lumi_tea").exists() and not (month / "northwind_cloud").exists()
    assert not (month / "index.html").exists()
    # SIGKILL leaves the kernels' folders (sockets, connection file); the next run removes them
    left = list(temp.glob("socialkpi-kernel-*"))
    assert left and all((f / "kernel.json").exists() for f in left)
    again = subprocess.run(
        report_command("--brand", "lumi_tea", "--notebooks", "01", out=out, db=sample_db[0]),
        capture_output=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert again.returncode == 0, again.stderr
    assert list(temp.glob("socialkpi-kernel-*")) == []


def _cmdline(process) -> list[str]:
    import psutil

    try:
        return process.cmdline()
    except psutil.Error:
        return []


def test_a_partial_rerun_keeps_the_rest_of_the_month(english, sample_db, tmp_path):
    import json
    import shutil

    out = tmp_path / "out"
    shutil.copytree(english[0], out)
    month = out / "2026-10"
    before = (month / "northwind_cloud" / "03_kpi_review.html").read_bytes()
    (result,) = bundle.run("2026-10", ["lumi_tea"], "en", ["01"], out, 1, sample_db[0])
    assert result.ok == ["01_goal_setting"]
    lumi = month / "lumi_tea"
    assert {p.name for p in lumi.glob("*.html")} == {
        "01_goal_setting.html",
        "03_kpi_review.html",
        "index.html",  # the brand's own index
    }
    assert (month / "northwind_cloud" / "03_kpi_review.html").read_bytes() == before
    status = json.loads((lumi / "status.json").read_text("utf-8"))
    assert set(status) == {"01_goal_setting", "03_kpi_review"}
    assert all(s["ok"] for s in status.values())
    index = (month / "index.html").read_text("utf-8")
    for link in (
        "lumi_tea/01_goal_setting.html",
        "lumi_tea/03_kpi_review.html",
        "northwind_cloud/03_kpi_review.html",
    ):
        assert f"href='{link}'" in index


def test_the_index_remembers_a_failure_of_an_earlier_run(sample_db, tmp_path):
    import json

    goals = tmp_path / "goals"
    goals.mkdir()
    (goals / "lumi_tea.yaml").write_text("brand: lumi_tea\ngoals: [{id: broken}]\n", "utf-8")
    bundle.run("2026-10", ["lumi_tea"], "en", ["03"], tmp_path, 1, sample_db[0], goals_dir=goals)
    bundle.run("2026-10", ["northwind_cloud"], "en", ["03"], tmp_path, 1, sample_db[0])
    index = (tmp_path / "2026-10" / "index.html").read_text("utf-8")
    lumi = index.split("<h2>Lumi Tea</h2>")[1].split("</section>")[0]
    assert "(did not finish)" in lumi
    status = json.loads((tmp_path / "2026-10" / "lumi_tea" / "status.json").read_text("utf-8"))
    assert "goals[0].owner: Field required" in status["03_kpi_review"]["error"]
    assert "northwind_cloud/03_kpi_review.html" in index


def test_report_pages_are_readable_by_other_users(english):
    import stat

    for page in (english[0] / "2026-10").rglob("*.html"):
        assert stat.S_IMODE(page.stat().st_mode) & 0o044 == 0o044, page


# a sitecustomize that makes every kernel's first import of the page helpers take 3 s: a
# notebook's first cell then outlasts a one-second cell timeout on any machine
_SLOW_START = """
import sys, time

class _Slow:
    def find_spec(self, name, path=None, target=None):
        if name == "socialkpi.presentation.notebook" and "ipykernel" in sys.modules:
            time.sleep(3)
        return None

sys.meta_path.insert(0, _Slow())
"""


def test_a_notebook_over_its_timeout_fails_alone_and_leaves_no_kernel(
    sample_db, tmp_path, monkeypatch
):
    import psutil

    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text(_SLOW_START, "utf-8")
    monkeypatch.setenv("PYTHONPATH", str(slow))
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    (result,) = bundle.run(
        "2026-10", ["lumi_tea"], "en", ["02", "03"], tmp_path, 1, sample_db[0], timeout=1
    )
    assert set(result.failed) == {"02_audience_analysis", "03_kpi_review"}
    assert all(
        error.startswith("CellTimeoutError: A cell timed out") for error in result.failed.values()
    )
    page = (tmp_path / "2026-10" / "lumi_tea" / "02_audience_analysis.html").read_text("utf-8")
    assert "This page did not finish" in page and "A cell timed out" in page  # said on the page
    kernels = [
        p
        for p in psutil.Process().children(recursive=True)
        if p.pid not in before and "ipykernel" in " ".join(p.cmdline())
    ]
    _, alive = psutil.wait_procs(kernels, timeout=10)  # a kernel may still be on its way out
    assert alive == []


_FLAKY_RENDER = """
import json
import sys
from pathlib import Path
from socialkpi.outputs import runner
folder, db = Path(sys.argv[1]), sys.argv[2]
real, tries = runner._render, {}
def render(executed, out_html, meta):  # 07 fails once, 08 every time
    tries[executed.stem] = tries.get(executed.stem, 0) + 1
    if executed.stem == "08_budget_and_return" or tries[executed.stem] == 1 and "07" in executed.stem:
        raise KeyError("made up")
    real(executed, out_html, meta)
runner._render = render
env = {"SOCIALKPI_ACTIONS": str(folder / "actions")}
result = runner.render("lumi_tea", "2026-10", "en", ["07", "08"], folder, db, folder / "none.yaml", env=env)
pages = sorted(p.name for p in folder.glob("*.html"))
print(json.dumps({"ok": result.ok, "failed": result.failed, "pages": pages, "tries": tries}))
"""


def test_a_page_made_while_the_next_notebook_runs_is_retried_once_and_reported(sample_db, tmp_path):
    """Pages are made on a thread while the kernel runs the next notebook: a page that fails
    once is made on the second try, one that fails twice is reported with its notebook, and
    the brand's other pages are made."""
    import json
    import subprocess
    import sys

    command = [sys.executable, "-c", _FLAKY_RENDER, str(tmp_path), str(sample_db[0])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ok"] == ["07_experiments", "08_budget_and_return"]  # both notebooks ran
    assert out["failed"] == {"08_budget_and_return": "rendering failed: KeyError: 'made up'"}
    assert out["pages"] == ["07_experiments.html"]  # made on its second try; 08 has none
    assert out["tries"] == {"07_experiments": 2, "08_budget_and_return": 2}
