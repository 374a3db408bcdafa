"""The dashboards' logic without a browser: views from query strings, cards equal to the
library's numbers, escaping, and in-place updates (tests/test_voila.py drives them in Chromium)."""

from pathlib import Path

import pytest

from socialkpi import dashboard, store
from socialkpi.dashboard import controls
from socialkpi.metrics import kpi
from socialkpi.presentation import number as fmt
from socialkpi.presentation.notebook import REPO

CHOICES = {
    "brand": ["lumi_tea", "northwind_cloud"],
    "month": ["2026-10", "2026-09"],
    "platform": ["facebook", "x"],
    "lang": ["zh-TW", "en"],
    "kpi": ["reach", "followers"],
}
DEFAULT = dashboard.View("lumi_tea", "2026-10", "", "reach", "zh-TW")


def test_a_shared_link_reopens_the_same_view():
    view = dashboard.View("northwind_cloud", "2026-09", "x", "followers", "en")
    assert dashboard.view_from_query(dashboard.query_of(view), CHOICES, DEFAULT) == view
    assert dashboard.view_from_query("?month=2026-09", CHOICES, DEFAULT) == dashboard.View(
        "lumi_tea", "2026-09", "", "reach", "zh-TW"
    )


def test_unknown_or_hostile_query_values_fall_back_to_defaults():
    asked = "brand=<script>&month=1999-01&platform=myspace&lang=fr&kpi=reach&kpi=followers"
    assert dashboard.view_from_query(asked, CHOICES, DEFAULT) == dashboard.View(
        "lumi_tea", "2026-10", "", "followers", "zh-TW"
    )
    assert dashboard.view_from_query(None, CHOICES, DEFAULT) == DEFAULT


def test_cards_escape_every_text():
    page = dashboard.cards_html(
        [{"kpi": 'x"', "name": "<b>n</b>", "value": "1", "note": "<img src=x>"}]
    )
    assert "<b>" not in page and "&lt;img src=x&gt;" in page and 'data-kpi="x&quot;"' in page


@pytest.fixture(scope="module")
def served(sample_db):
    return str(sample_db[0])


@pytest.mark.slow
def test_kpi_review_cards_follow_the_controls_and_equal_the_library(served, sample_db):
    board = dashboard.show("kpi_review", "brand=lumi_tea&month=2026-10&lang=en", db=served)
    con = store.open_store(sample_db[0], read_only=True)

    def followers(brand, platforms):
        r = kpi.kpi_report(con, brand, "2026-10", platforms, ["followers"])
        return fmt(r[(r.platform == "all") & (r.kpi == "followers")].value.iloc[0], "count")

    assert (
        f'data-kpi="followers"><div class="skpi-card-name">Followers</div><div class="skpi-card-value">{followers("lumi_tea", None)}<'
        in board.cards.value
    )
    board.controls["brand"].value = "northwind_cloud"
    assert f">{followers('northwind_cloud', None)}<" in board.cards.value
    board.controls["platform"].value = "linkedin"
    assert f">{followers('northwind_cloud', ['linkedin'])}<" in board.cards.value
    before = board.chart.chart.to_dict()["title"]["text"]
    board.controls["kpi"].value = "reach"
    # LinkedIn exports impressions, not reach: the chart's place says so in a sentence
    assert before != board.chart.chart.to_dict()["title"]["text"]
    assert board.chart.chart.to_dict()["title"]["text"].startswith(
        "Reach has only 0 month(s) of data"
    )
    board.controls["platform"].value = ""
    assert board.chart.chart.to_dict()["title"]["text"] == "Reach"
    board.controls["lang"].value = "zh-TW"
    assert board.controls["brand"].description == "品牌" and "粉絲數" in board.cards.value
    assert "share" not in board.header.value and "本頁連結" in board.header.value
    assert "北風雲端 · 2026年10月" in board.header.value  # the name follows the language
    assert [label for label, _ in board.controls["brand"].options] == ["露米茶飲", "北風雲端"]
    assert (
        "brand=northwind_cloud&amp;month=2026-10&amp;kpi=reach&amp;lang=zh-TW" in board.header.value
    )
    con.close()


@pytest.mark.slow
def test_goal_setting_saves_from_the_dashboard_and_refreshes_its_cards(served, tmp_path):
    import shutil

    goals_dir = tmp_path / "goals"
    goals_dir.mkdir()
    shutil.copy(REPO / "data" / "goals" / "lumi_tea.yaml", goals_dir / "lumi_tea.yaml")
    board = dashboard.show("goal_setting", "lang=en", db=served, goals_dir=str(goals_dir))
    editor = board.editor.children[1]
    assert "target 320" in board.cards.value
    editor.children[2].children[0].value = 400.0
    editor.save()
    assert "target 400" in board.cards.value
    assert (goals_dir / "lumi_tea.yaml.bak").exists() and "400" in (
        goals_dir / "lumi_tea.yaml"
    ).read_text("utf-8")


def test_a_failing_view_shows_one_line_and_logs_the_traceback(served, tmp_path, monkeypatch):
    log_file = tmp_path / "dash.log"
    monkeypatch.setenv("SOCIALKPI_LOG", str(log_file))
    monkeypatch.setattr(controls.log, "handlers", [])
    board = dashboard.show("audience", "lang=en", db=served)

    def boom(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(dashboard.PANELS, "audience", boom)
    board.controls["month"].value = "2026-09"
    assert (
        "the error was logged (ref " in board.message.value and "secret" not in board.message.value
    )
    ref = board.message.value.split("(ref ")[1][:8]
    for handler in controls.log.handlers:
        handler.close()
    logged = log_file.read_text("utf-8")
    assert ref in logged and "RuntimeError: secret internals" in logged and "Traceback" in logged


def test_a_missing_store_says_what_to_do_and_logs_the_rest(tmp_path, monkeypatch):
    log_file = tmp_path / "dash.log"
    monkeypatch.setenv("SOCIALKPI_LOG", str(log_file))
    monkeypatch.setattr(controls.log, "handlers", [])
    page = dashboard.show("kpi_review", None, db=str(tmp_path / "nowhere.duckdb"))
    assert "無法開啟儀表板" in page.value and "先匯入平台匯出檔" in page.value
    assert "The dashboard" not in page.value and "Traceback" not in page.value  # one language
    english = dashboard.show("kpi_review", "lang=en", db=str(tmp_path / "nowhere.duckdb"))
    assert "The dashboard could not open" in english.value and "無法" not in english.value
    for handler in controls.log.handlers:
        handler.close()
    assert "FileNotFoundError" in log_file.read_text("utf-8")


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_kpi_control_choice_has_a_label(lang):
    from socialkpi.dashboard import views

    labels = {k: views.measure_name(k, lang) for kind in views.KINDS for k in views.KPIS[kind]}
    assert all(labels.values())
    assert labels["pillar_mix"] != labels["cadence"]


@pytest.mark.parametrize("kind", dashboard.KINDS)
def test_warm_up_of_every_dashboard_logs_no_failure(kind, sample_db, tmp_path, monkeypatch):
    """A preheated kernel computes the default view of its dashboard; the calendar's KPI
    control (pillar_mix) and the experiments' (effect) are no KPI ids and must not be read
    as ones."""
    log_file = tmp_path / "dash.log"
    monkeypatch.setenv("SOCIALKPI_LOG", str(log_file))
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(controls.log, "handlers", [])
    monkeypatch.setattr(controls, "_WARMED", {})  # its panels are for no other test's viewer
    dashboard.warm_up(kind, db=str(sample_db[0]))
    for handler in controls.log.handlers:
        handler.close()
    logged = log_file.read_text("utf-8") if log_file.exists() else ""
    assert "failed" not in logged, logged


def test_the_first_warm_up_computes_every_brand_and_later_ones_the_default(
    sample_db, tmp_path, monkeypatch
):
    """The first preheated kernel of a dashboard computes each other brand's view in one
    language (their reads are then on disk for every kernel) and the default view in both,
    last; later kernels compute only the default view, and hand it to their first viewer."""
    import shutil

    from socialkpi.dashboard import views

    db = tmp_path / "own.duckdb"
    shutil.copy(sample_db[0], db)
    monkeypatch.setenv("SOCIALKPI_LOG", str(tmp_path / "dash.log"))
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("SOCIALKPI_SHARED_READS", "1")
    monkeypatch.setattr(controls, "_WARMED", {})
    made = []
    real = views.PANELS["audience"]
    monkeypatch.setitem(
        views.PANELS,
        "audience",
        lambda con, v, ctx: made.append((v.brand, v.lang)) or real(con, v, ctx),
    )
    dashboard.warm_up("audience", db=str(db))
    assert made == [("northwind_cloud", "zh-TW"), ("lumi_tea", "zh-TW"), ("lumi_tea", "en")]
    assert list(Path(f"{store.serving_path(db)}.reads").rglob("*.pickle"))
    made.clear()
    dashboard.warm_up("audience", db=str(db))  # the next kernel
    assert made == [("lumi_tea", "zh-TW"), ("lumi_tea", "en")]
    made.clear()  # its first viewer takes the default view's panel as the warm-up made it
    dashboard.show("audience", "lang=en", db=str(db))
    assert made == []
    dashboard.show("audience", "lang=en", db=str(db))  # taken: the next viewer's is made
    assert made == [("lumi_tea", "en")]


def test_the_platform_control_offers_only_the_brands_platforms(sample_db):
    from socialkpi.dashboard import views

    con = store.open_store(sample_db[0], read_only=True)
    try:
        assert views.brand_platforms(con, "northwind_cloud") == [
            "facebook",
            "linkedin",
            "threads",
            "x",
        ]
        assert views.brand_platforms(con, "lumi_tea") == [
            "facebook",
            "instagram",
            "line",  # its LINE Official Account
            "threads",
            "tiktok",
            "youtube",
        ]
    finally:
        con.close()


def test_a_view_seen_before_is_shown_again_without_recomputing_it(served, monkeypatch):
    """Going back to a brand shows the view kept from before (the same cards), computed once;
    more than KEPT_VIEWS views keep only the newest."""
    from socialkpi.dashboard import views

    board = dashboard.show("audience", "brand=lumi_tea&month=2026-10&lang=en", db=served)
    first = board.cards.value
    made = []
    real = views.PANELS["audience"]
    monkeypatch.setitem(
        views.PANELS, "audience", lambda con, v, ctx: made.append(v.brand) or real(con, v, ctx)
    )
    board.controls["brand"].value = "northwind_cloud"
    board.controls["brand"].value = "lumi_tea"
    assert made == ["northwind_cloud"] and board.cards.value == first
    monkeypatch.setattr(controls, "KEPT_VIEWS", 2)
    board.controls["lang"].value = "zh-TW"  # a third view: the oldest, northwind in en, goes
    board.controls["lang"].value = "en"  # kept
    board.controls["brand"].value = "northwind_cloud"  # made again
    assert made == ["northwind_cloud", "lumi_tea", "northwind_cloud"]


def test_kernels_use_unix_sockets_where_their_paths_fit():
    assert dashboard.server.kernel_transport("/tmp") == ["--KernelManager.transport=ipc"]
    # 38 characters leave 65 for Voila's folder and the kernel's name: 103 in all (macOS)
    assert dashboard.server.kernel_transport("/" + "t" * 37) == ["--KernelManager.transport=ipc"]
    assert dashboard.server.kernel_transport("/" + "t" * 38) == []  # TCP ports on 127.0.0.1
