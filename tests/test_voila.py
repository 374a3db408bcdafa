"""The dashboards (one per SOP step with a page) served by a real Voila server and driven in Debian's Chromium, offline:
render, controls that update in place to the library's numbers, language switch, escaping, the
goal editor, and an import and a report run while dashboards stay open."""

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from socialkpi import dashboard, metrics, reads, steps, store
from socialkpi.metrics import kpi
from socialkpi.presentation import number as fmt
from socialkpi.presentation.notebook import REPO
from socialkpi.steps.calendar import reader as calendar_reader
from socialkpi.steps.competitors import reader as competitors_reader
from tests._browser import chromium, need_chromium, screenshot, voila_server

pytestmark = pytest.mark.voila  # Voila servers: left out of make test-fast
# a control change re-renders in a kernel: on a loaded 2-core machine that can take seconds,
# and speed is the dashboard benchmark's business, so these checks wait on the page's state
expect.set_options(timeout=30_000)

FIXTURES = REPO / "tests" / "fixtures"
PAYLOAD = "<img src=x onerror=window.__xss=1>"


SPANS_ITS_CONTAINER = """() => {
    const chart = document.querySelector(".vega-embed");
    const svg = chart && chart.querySelector("svg");
    return svg && svg.getBoundingClientRect().width > chart.clientWidth / 2;
}"""


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """Voila on a free loopback port over a copy of the sample store with one hostile post."""
    need_chromium()
    import pandas as pd

    root = tmp_path_factory.mktemp("voila")
    db, goals_dir = root / "store.duckdb", root / "goals"
    shutil.copy(sample_db[0], db)
    shutil.copytree(REPO / "data" / "goals", goals_dir)
    con = store.open_store(db)
    store.upsert(
        con,
        "posts",
        pd.DataFrame(
            {
                "brand": ["lumi_tea"],
                "platform": ["facebook"],
                "post_id": ["evil"],
                "snapshot_date": ["2026-10-31"],
                "published_at": [pd.Timestamp("2026-10-10 02:00", tz="UTC")],
                "caption": [PAYLOAD],
                "permalink": ["javascript:window.__xss=2"],
                "reach": [10**7],
                "reactions": [10**6],
            }
        ),
    )
    con.close()
    command = dashboard.voila_command(pool_size=1, idle_timeout=600)
    command = [c for c in command if not c.startswith("--port=")]
    env = dashboard.voila_env(db, goals_dir, root / "dashboard.log")
    with voila_server(command, env, root / "voila.err") as (url, proc):
        yield {"url": url, "db": db, "goals": goals_dir, "root": root, "proc": proc}


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as launched:
        yield launched


class Page:
    """A page that records requests leaving the machine and console errors."""

    def __init__(self, browser, server, path):
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.outside, self.errors = [], []
        self.page.on(
            "request",
            lambda r: (
                self.outside.append(r.url)
                if not r.url.startswith((server["url"], "data:", "blob:", "about:"))
                else None
            ),
        )
        # On reload, Voila's kernel-shutdown beacon from the old page is cut off or refused (403,
        # no XSRF token); idle culling stops that kernel. Every other failed request counts.
        beacon = "/voila/api/shutdown/"
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        self.page.on(
            "response",
            lambda r: (
                self.errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and beacon not in r.url
                else None
            ),
        )
        self.page.on(
            "requestfailed",
            lambda r: None if beacon in r.url else self.errors.append(f"failed: {r.url}"),
        )
        # a preheating kernel per dashboard, on two cores at start: the first render can take a while
        # (up to 150 s seen in a full run on 2 cores), so the waits are generous
        self.page.goto(server["url"] + path, wait_until="domcontentloaded", timeout=180_000)

    def ready(self, mark="symbol"):
        self.page.wait_for_selector(".skpi-card", timeout=180_000)
        self.page.wait_for_selector(f".vega-embed svg .mark-{mark} path", timeout=60_000)
        # drawn across its container: a chart Voila drew while its cells were hidden measured
        # no width and stayed empty until the page's script told it to measure again
        self.page.wait_for_function(SPANS_ITS_CONTAINER, timeout=60_000)
        return self.page

    def card(self, kpi_id):
        return self.page.locator(f'.skpi-card[data-kpi="{kpi_id}"] .skpi-card-value').first

    def title(self):
        return self.page.locator(".vega-embed svg .role-title-text").first.text_content()

    def close(self, name):
        screenshot(self.page, name)
        self.page.close()
        assert self.outside == [] and self.errors == []


@pytest.fixture
def con(server):
    connection = store.open_store(server["db"], read_only=True)
    yield connection
    connection.close()


def _followers(con, brand, platforms=None):
    r = kpi.kpi_report(con, brand, "2026-10", platforms, ["followers"])
    return fmt(r[(r.platform == "all") & (r.kpi == "followers")].value.iloc[0], "count")


def test_the_landing_page_lists_every_dashboard(browser, server):
    view = Page(browser, server, "/")
    links = view.page.locator(".skpi-dashboards a")
    expect(links).to_have_count(len(steps.WITH_PAGES))
    assert links.all_inner_texts() == [
        "目標設定",
        "受眾分析",
        "KPI 檢視",
        "成效檢討",
        "競品參考",
        "內容日曆",
        "內容測試",
        "預算與投資報酬",
    ]  # one language, in the SOP's order
    assert links.first.get_attribute("href").endswith("goal_setting.ipynb?lang=zh-TW")
    assert view.page.locator("html").get_attribute("lang") == "zh-TW"
    view.page.locator(".skpi-switch a").click()
    expect(links.first).to_have_text("Goal setting")
    assert "受眾" not in view.page.locator("body").inner_text()
    view.close("dashboard_landing")


_STATE = """() => {
  const board = document.querySelector('.skpi-dashboard');
  const value = document.querySelector('.skpi-card[data-kpi="followers"] .skpi-card-value');
  const view = value && value.closest('.skpi-view');
  return {
    shown: !!view && getComputedStyle(view).visibility !== 'hidden',
    updating: board.classList.contains('skpi-updating'),
    header: document.querySelector('.skpi-view-of').dataset.brand,
    control: document.querySelector('.skpi-brand select').selectedOptions[0].text.replace(/\u00a0/g, ' '),
    progress: (document.querySelector('.skpi-progress') || {}).textContent || '',
    value: value ? value.textContent : null,
  };
}"""


# a MutationObserver keeps the state after every change of the dashboard: a view computed from
# reads kept on disk changes in a few dozen milliseconds, between two polls
_WATCH = (
    "() => { window.__states = []; const state = "
    + _STATE
    + "; new MutationObserver(() => window.__states.push(state())).observe("
    "document.querySelector('.skpi-dashboard'), "
    "{attributes: true, childList: true, subtree: true, characterData: true}); }"
)


def test_kpi_review_shows_the_librarys_numbers_as_text_and_follows_the_brand_control(
    browser, server, con, written
):
    """The KPI review in English: the library's followers on six cards, in one language, a
    hostile caption shown as text. Then the brand control: from the moment it changes until
    the new numbers are in place, the old brand's numbers are hidden behind a progress line
    naming the brand asked for; whenever numbers are visible, the header and the control name
    the brand they belong to. Every state the page passes through is kept (a MutationObserver),
    and the page is photographed a few times while it updates."""
    view = Page(
        browser, server, "/voila/render/kpi_review.ipynb?brand=lumi_tea&month=2026-10&lang=en"
    )
    page = view.ready()
    old, new = _followers(con, "lumi_tea"), _followers(con, "northwind_cloud")
    assert old != new
    expect(view.card("followers")).to_have_text(old)
    assert page.locator(".skpi-card").count() == 6
    _speaks_one_language(view, "en", written)
    # the hostile caption: text, and no script, image or javascript: link made of it
    expect(page.locator("td", has_text=PAYLOAD)).to_have_count(1)
    assert page.locator('img[src="x"]').count() == 0 and page.evaluate("window.__xss") is None
    assert page.locator('a[href^="javascript"]').count() == 0
    links = page.locator('a[rel="noopener noreferrer"][target="_blank"]')
    assert links.count() >= 4  # the other top posts link to their permalinks
    screenshot(page, "dashboard_xss")
    page.evaluate(_WATCH)  # every state the page passes through, however short
    page.locator(".skpi-brand select").select_option(label="Northwind Cloud")
    polled, shots, deadline = [], 0, time.time() + 150
    while time.time() < deadline:
        polled.append(page.evaluate(_STATE))
        if polled[-1]["shown"]:
            break
        if shots < 3 and len(polled) % 4 == 1:
            screenshot(page, f"dashboard_brand_update_{shots}")
            shots += 1
        time.sleep(0.05)  # sampling the page as a viewer sees it: the point is to look often
    assert polled[-1]["shown"] and polled[-1]["value"] == new, polled[-3:]
    seen = page.evaluate("() => window.__states") + polled
    for state in (s for s in seen if s["shown"]):  # numbers visible: only the new brand's
        assert state["value"] == new and state["header"] == "northwind_cloud", state
        assert state["control"] == "Northwind Cloud", state
    hidden = [s for s in seen if not s["shown"]]
    assert hidden and all("Northwind Cloud" in s["progress"] for s in hidden if s["progress"])
    assert any(s["progress"] for s in hidden)  # the viewer was told what is happening
    expect(view.card("followers")).to_have_text(new)
    view.close("dashboard_kpi_review")


def test_audience_follows_the_platform_control(browser, server, con, written):
    view = Page(browser, server, "/voila/render/audience.ipynb?brand=lumi_tea&lang=en")
    view.ready()
    _speaks_one_language(view, "en", written)
    view.page.locator(".skpi-platform select").select_option(label="Instagram")
    expect(view.card("followers")).to_have_text(_followers(con, "lumi_tea", ["instagram"]))
    assert _followers(con, "lumi_tea", ["instagram"]) != _followers(con, "lumi_tea")
    view.close("dashboard_audience")
    # the server's kernels talk over Unix sockets (TCP ports raced with other processes')
    assert _kernel_transports(server["proc"]) == {"ipc"}


def _kernel_transports(server: subprocess.Popen) -> set[str]:
    """The transport in the connection file of each kernel the server runs."""
    commands = [c.cmdline() for c in psutil.Process(server.pid).children(recursive=True)]
    files = [c[c.index("-f") + 1] for c in commands if "ipykernel_launcher" in " ".join(c)]
    assert files
    return {json.loads(Path(f).read_text("utf-8"))["transport"] for f in files}


def test_competitors_follow_the_competitor_picker(browser, server, con, written):
    bm = competitors_reader.benchmark(con, "lumi_tea", "2026-10")
    shares = bm.table[bm.table["platform"] == "all"].set_index("account")["share_of_engagement"]
    view = Page(browser, server, "/voila/render/competitors.ipynb?brand=lumi_tea&lang=en")
    view.ready()
    _speaks_one_language(view, "en", written)
    expect(view.card("share_of_voice:lumi_tea")).to_have_text(fmt(shares["lumi_tea"], "share"))
    assert view.page.locator('.skpi-card[data-kpi="share_of_voice:forest_tea"]').count() == 0
    view.page.locator(".skpi-competitor select").select_option(label="Forest Tea")
    expect(view.card("share_of_voice:forest_tea")).to_have_text(fmt(shares["forest_tea"], "share"))
    # the chart and the table now hold the brand and the picked competitor only
    expect(view.page.locator(".vega-embed svg .role-legend-label")).to_have_count(2)
    assert "Leaf &amp; Co." not in view.page.locator(".skpi-dashboard table").first.inner_html()
    view.page.locator(".skpi-kpi select").select_option(label="Posts per week")
    expect(view.page.locator(".vega-embed svg .role-title-text").first).to_have_text(
        "Posts per week"
    )
    view.close("dashboard_competitors")


def test_the_calendar_grid_and_cards_follow_the_platform_control(browser, server, con, written):
    everything = calendar_reader.content_calendar(con, "lumi_tea", "2026-10")
    instagram = calendar_reader.content_calendar(con, "lumi_tea", "2026-10", ["instagram"])
    view = Page(
        browser, server, "/voila/render/calendar.ipynb?brand=lumi_tea&month=2026-10&lang=en"
    )
    view.ready("rect")
    _speaks_one_language(view, "en", written)
    expect(view.card("planned")).to_have_text(str(int(everything.counts()["planned"].iloc[0])))
    grid = view.page.locator(".skpi-dashboard table.skpi-cal")
    expect(grid).to_have_count(1)
    missed = int(everything.counts()["missed"].iloc[0])
    expect(grid.locator(".skpi-cal-missed")).to_have_count(missed)
    expect(grid.locator("td.skpi-cal-holiday").first).to_contain_text("National Day")
    view.page.locator(".skpi-platform select").select_option(label="Instagram")
    expect(view.card("planned")).to_have_text(str(int(instagram.counts()["planned"].iloc[0])))
    assert "Facebook ·" not in grid.inner_text()
    view.page.locator(".skpi-kpi select").select_option(label="Posts per week")
    expect(view.page.locator(".vega-embed svg .role-title-text").first).to_have_text(
        "Posts per week"
    )
    view.close("dashboard_calendar")


def test_goal_setting_chart_follows_the_kpi_and_the_editor_saves_safely(
    browser, server, con, written
):
    view = Page(
        browser, server, "/voila/render/goal_setting.ipynb?brand=lumi_tea&month=2026-10&lang=en"
    )
    page = view.ready()
    _speaks_one_language(view, "en", written)
    page.locator(".skpi-kpi select").select_option(label="Reach")
    expect(page.locator(".vega-embed svg .role-title-text").first).to_have_text("Reach")
    months = kpi.monthly_series(con, "lumi_tea", "reach", "2025-10", "2026-10").notna().sum()
    expect(page.locator(".vega-embed svg .mark-symbol path")).to_have_count(int(months))
    path = server["goals"] / "lumi_tea.yaml"
    target = page.locator(".widget-text", has_text="Conversions (key events)").locator("input")
    target.fill("-5")
    target.press("Enter")
    page.get_by_role("button", name="Save goals").click()
    expect(page.locator(".skpi-goal-message")).to_contain_text("Not saved, please fix")
    assert "320" in path.read_text("utf-8") and not path.with_name("lumi_tea.yaml.bak").exists()
    target.fill("400")
    target.press("Enter")
    page.get_by_role("button", name="Save goals").click()
    expect(page.locator(".skpi-goal-message")).to_contain_text("Saved")
    assert "value: 400" in path.read_text("utf-8") and path.with_name("lumi_tea.yaml.bak").exists()
    expect(page.locator(".skpi-card", has_text="Conversions (key events)")).to_contain_text(
        "target 400"
    )
    view.close("dashboard_goal_setting")


def test_retrospective_follows_the_month_control(browser, server, con, written):
    view = Page(
        browser, server, "/voila/render/retrospective.ipynb?brand=lumi_tea&month=2026-10&lang=en"
    )
    view.ready()
    _speaks_one_language(view, "en", written)
    goals_file = reads.load_goals_or_none(server["goals"] / "lumi_tea.yaml")
    status = reads.goal_status(con, "lumi_tea", "2026-09", goals_file).set_index("goal")
    view.page.locator(".skpi-month select").select_option(label="Sep 2026")
    reach_goal = view.page.locator(".skpi-card", has_text="Net new followers").locator(
        ".skpi-card-value"
    )
    expect(reach_goal).to_have_text(
        fmt(status.loc["follower-growth", "latest"], status.loc["follower-growth", "unit"])
    )
    view.close("dashboard_retrospective")


def test_language_switch_shows_taiwan_labels(browser, server):
    view = Page(browser, server, "/voila/render/kpi_review.ipynb?brand=lumi_tea&lang=en")
    page = view.ready()
    assert "KPI review" in page.locator(".skpi-dash-header h1").inner_text()
    page.locator(".skpi-lang select").select_option(label="中文（台灣）")
    expect(page.locator(".skpi-dash-header h1")).to_have_text("KPI 檢視")
    expect(page.locator('.skpi-card[data-kpi="followers"] .skpi-card-name')).to_have_text(
        metrics.dictionary()["followers"].name["zh-TW"]
    )
    expect(page.locator(".skpi-brand label")).to_have_text("品牌")
    view.close("dashboard_zh_tw")


def test_imports_and_reports_run_while_dashboards_stay_open(browser, server, tmp_path):
    view = Page(browser, server, "/voila/render/kpi_review.ipynb?brand=lumi_tea&lang=en")
    view.ready()
    brands = view.page.locator(".skpi-brand select option")
    assert "acme" not in brands.all_inner_texts()
    cli = [sys.executable, "-m", "socialkpi.cli"]
    # a long import holding the store: a new viewer is still served (the previous data)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(server['db'])!r}); "
            "print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    second = Page(browser, server, "/voila/render/audience.ipynb?brand=lumi_tea&lang=en")
    second.ready()
    holder.communicate("")
    second.close("dashboard_during_import")
    # a real import and a report run while both kernels hold the data open
    imported = subprocess.run(
        [
            *cli,
            "import",
            str(FIXTURES / "good" / "meta_page_daily_follows_utf16.csv"),
            "--brand",
            "acme",
            "--db",
            str(server["db"]),
        ],
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    reported = subprocess.run(
        [
            *cli,
            "report",
            "--month",
            "2026-10",
            "--brand",
            "lumi_tea",
            "--notebooks",
            "01",
            "--out",
            str(tmp_path),
            "--db",
            str(server["db"]),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert reported.returncode == 0, reported.stderr
    assert (tmp_path / "2026-10" / "lumi_tea" / "01_goal_setting.html").exists()
    view.page.locator(".skpi-platform select").select_option(label="Instagram")  # still works
    expect(view.card("followers")).not_to_have_text("")
    view.page.reload(wait_until="domcontentloaded")
    view.ready()
    expect(view.page.locator(".skpi-brand select option", has_text="acme")).to_have_count(1)
    assert "acme" in brands.all_inner_texts()  # no name in brands.yaml: its id is shown
    view.close("dashboard_after_import")


def _command_server(db, log, *args, env=None):
    """``socialkpi dashboard`` itself, on a free port (a context: yields url and process)."""
    import os

    command = [sys.executable, "-m", "socialkpi.cli", "dashboard", "--db", str(db),
               "--pool-size", "0", *args]  # fmt: skip
    return voila_server(command, {**os.environ, **(env or {})}, log)


def test_the_dashboard_command_serves_and_can_require_a_token(sample_db, tmp_path):
    import psutil

    db = tmp_path / "store.duckdb"
    shutil.copy(sample_db[0], db)
    with _command_server(db, tmp_path / "plain.log") as (url, _):
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "社群儀表板" in page and page.count("/voila/render/") == len(steps.WITH_PAGES)
    token_env = {"SKPI_TOKEN": "s3cret-token"}
    with _command_server(
        db, tmp_path / "token.log", "--token-env", "SKPI_TOKEN", env=token_env
    ) as (url, proc):
        import http.client

        for path in ("/voila/render/kpi_review.ipynb", "/?token=wrong"):
            conn = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
            conn.request("GET", path)
            refused = conn.getresponse()
            assert refused.status == 302 and refused.getheader("Location").startswith("/login")
            conn.close()
        landing = urllib.request.urlopen(f"{url}/?token=s3cret-token", timeout=10).read().decode()
        assert "社群儀表板" in landing
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        assert not any("s3cret-token" in " ".join(p.cmdline()) for p in family)  # not in `ps`
    empty = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialkpi.cli",
            "dashboard",
            "--db",
            str(db),
            "--token-env",
            "NOPE",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin"},
        timeout=60,
    )
    assert empty.returncode == 2 and "$NOPE is empty" in empty.stderr


@pytest.fixture
def written(server, page_data):
    """What the dashboards show as written, per language: the sample's strings, the store's
    brand names in that language and the hostile post's caption and link. Read as each test
    starts: the import test adds a brand, "acme", whose only name is its id."""
    con = store.open_store(server["db"], read_only=True)
    brands = store.brand_timezones(con)
    names = {lang: {store.brand_name(con, b, lang) for b in brands} for lang in LANGS}
    con.close()
    return {
        lang: page_data | names[lang] | {PAYLOAD, "javascript:window.__xss=2"} for lang in LANGS
    }


LANGS = ("zh-TW", "en")
KINDS = tuple(step.dashboard for step in steps.WITH_PAGES)  # in the SOP's order


def _speaks_one_language(view, lang, written) -> None:
    """The dashboard has no machine noise, no identifiers and no UI text in the other
    language (its language control names each language in its own words, as pickers do)."""
    from tests._pagetext import problems

    text_only = view.page.evaluate(
        "(() => { const d = document.querySelector('.skpi-dashboard').cloneNode(true);"
        " d.querySelector('.skpi-lang').remove(); return d.outerHTML; })()"
    )
    found = problems(text_only, lang, written[lang])
    assert not found, found


@pytest.mark.parametrize(
    ("lang", "kinds"),
    [("zh-TW", KINDS), ("en", ("experiments",))],
    ids=["zh-TW", "en"],
)
def test_every_dashboard_speaks_one_language(browser, server, written, lang, kinds):
    """Every dashboard in each language, with a full-page screenshot in test-artifacts/. In
    English, the six with controls are checked by their control tests, on the view they open
    with (their screenshots are taken after the controls changed); the experiments dashboard,
    which has none, here."""
    for kind in kinds:
        view = Page(
            browser, server, f"/voila/render/{kind}.ipynb?brand=lumi_tea&month=2026-10&lang={lang}"
        )
        view.ready("rect" if kind == "calendar" else "symbol")
        _speaks_one_language(view, lang, written)
        view.close(f"dashboard_{kind}_{lang}")
