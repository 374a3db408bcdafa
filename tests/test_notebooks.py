"""The SOP notebooks: house rules, and Papermill runs with non-default parameters whose
generated text is checked against the KPI engine."""

import json
from pathlib import Path

import papermill as pm
import pytest

from socialkpi import metrics, steps, store
from socialkpi.metrics import kpi

pytestmark = pytest.mark.slow  # Papermill report runs: left out of make test-fast

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
NAMES = [s.notebook for s in steps.WITH_PAGES]


def _cells(name):
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text("utf-8"))["cells"]


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_documented_for_papermill(name):
    params = pm.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    assert {"brand", "month", "db", "goals", "lang", "platforms"} <= set(params)
    assert all(p["help"] for p in params.values())


@pytest.mark.parametrize("name", NAMES)
def test_notebook_hygiene(name):
    cells = _cells(name)
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    source = "".join(params[0]["source"])
    for key in (
        "brand: str",
        "month: str",
        "db: str",
        "goals: str",
        "lang: str",
        "platforms: list",
    ):
        assert key in source
    assert all(
        "#" in line for line in source.splitlines() if line.strip()
    )  # every parameter has help
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    for c in code:
        lines = "".join(c["source"]).splitlines()
        assert not any(line.startswith(("def ", "class ")) for line in lines)


def _run(tmp_path, name, db, html_only=False, **parameters):
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        parameters={"db": str(db), "interactive": False, **parameters},
    )
    return _text(out, html_only)


def _bundled(bundles, lang, brand, name):
    """The text of a page the session's sample bundle already ran with Papermill (October
    2026, the sample's latest month; its parameters are a report's: the brand's goals file)."""
    return _text(bundles[lang] / brand / f"{name}.ipynb")


def _text(executed: Path, html_only=False) -> str:
    """What an executed notebook shows: every output's text, HTML and SVG; no error."""
    nb = json.loads(executed.read_text("utf-8"))
    text = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            data = output.get("data", {})
            if not html_only:
                plain = data.get("text/markdown", data.get("text/plain", output.get("text", "")))
                text.append("".join(plain))
            text.append("".join(data.get("text/html", "")))
            text.append("".join(data.get("image/svg+xml", "")))
    return "\n".join(text)


def test_kpi_review_in_english_for_the_other_brand(tmp_path, sample_db):
    db, _ = sample_db
    text = _run(tmp_path, "03_kpi_review", db, brand="northwind_cloud", month="2026-09", lang="en")
    con = store.open_store(db, read_only=True)
    report = kpi.kpi_report(con, "northwind_cloud", "2026-09")
    con.close()
    row = report[(report.platform == "all") & (report.kpi == "engagement_rate")].iloc[0]
    name = metrics.dictionary()["engagement_rate_exposure"].name["en"]  # the brand's choice
    scorecard = text.split("Scorecard")[1]
    assert name in scorecard and f"{row.value * 100:.2f}%" in scorecard
    assert f"{row.previous * 100:.2f}%" in scorecard and "Executive summary" in text
    assert "<svg" in text and "Definition: Engagements" in text  # charts name their definition


def test_kpi_review_in_zh_tw_with_a_missing_platform(tmp_path, sample_db):
    db, _ = sample_db
    text = _run(tmp_path, "03_kpi_review", db, lang="zh-TW", platforms=["facebook", "threads"])
    assert "互動率（依觸及）" in text and "範圍：Facebook、Threads，2026年10月" in text
    assert "instagram" not in text.split("危機預警")[0]  # only the platforms asked for


def test_a_brand_without_goals_file_says_so(tmp_path, sample_db):
    db, _ = sample_db
    text = _run(tmp_path, "01_goal_setting", db, lang="en", goals=str(tmp_path / "none.yaml"))
    assert "This brand has no goals file yet. Add data/goals/" in text
    assert "Traceback" not in text


def test_a_month_without_data_explains_itself(tmp_path, sample_db):
    db, _ = sample_db
    text = _run(tmp_path, "03_kpi_review", db, month="2023-01", lang="en")
    assert "There is no KPI data for this month. Ask whoever keeps the reports to import" in text
    assert "There are no posts this month." in text and "Traceback" not in text


def test_audience_and_retrospective_run_and_log_actions_once(tmp_path, sample_db, bundles):
    db, _ = sample_db
    text = _bundled(bundles, "en", "northwind_cloud", "02_audience_analysis")
    assert (
        "LinkedIn: mostly Senior level, often in Information Technology, mostly in Taipei City, Taiwan."
        in text
    )
    log_path = str(tmp_path / "actions.yaml")
    run = dict(brand="northwind_cloud", lang="zh-TW", actions=log_path)
    september = _run(tmp_path, "04_retrospective", db, month="2026-09", **run)
    assert "LinkedIn：多安排「輪播」類型的貼文" in september  # 5 carousels against 10 other posts
    assert "本次新增 3 項" in september
    again = _run(tmp_path, "04_retrospective", db, month="2026-09", **run)
    assert "本次新增 0 項" in again  # re-running the month adds nothing
    first = _run(tmp_path, "04_retrospective", db, **run)
    assert "重點摘要" in first
    # September's item comes back in October with its own follow-up measured: LinkedIn's
    # typical post (the median of its posts' engagements ÷ impressions), counted here by hand
    con = store.open_store(db, read_only=True)
    posts = store.read(con, "posts", brand="northwind_cloud", latest=True)
    con.close()
    local = posts["published_at"].dt.tz_convert("Asia/Taipei")
    october = posts[(posts["platform"] == "linkedin") & (local.dt.strftime("%Y-%m") == "2026-10")]
    parts = october[["reactions", "comments", "shares", "clicks", "follows"]].sum(axis=1)
    typical = (parts / october["impressions"]).median()
    carried = first.split("上月延續的改進行動")[1].split("本月建議的改進行動")[0]
    assert "LinkedIn：多安排「輪播」類型的貼文" in carried
    assert "LinkedIn 一般貼文的互動率（依曝光或瀏覽）（中位數）" in carried
    assert f"{typical * 100:.2f}%" in carried
    log = (tmp_path / "actions.yaml").read_text("utf-8")
    ids = [line for line in log.splitlines() if line.startswith("- id:")]
    assert len(ids) == len(set(ids)) and any("2026-09-" in i for i in ids)  # each item once
    assert "statistic: post_median" in log


def test_user_captions_are_escaped(tmp_path, store_with_caption):
    db = store_with_caption("<script>alert(1)</script>")
    text = _run(tmp_path, "03_kpi_review", db, html_only=True, lang="en")  # what a browser renders
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text


def test_empty_brand_and_month_mean_the_only_brand_and_the_latest_month(tmp_path, sample_db):
    db, _ = sample_db
    text = _run(tmp_path, "03_kpi_review", db, brand="", month="", lang="en")
    assert "This report is for Lumi Tea; the store also holds Northwind Cloud." in text
    assert "No month given: this is Oct 2026, the latest month with complete data." in text


def test_headless_warnings_go_to_the_run_log_not_the_page(tmp_path, sample_db, monkeypatch):
    """A report kernel's Python warnings are logged to $SOCIALKPI_LOG (the month's run.log)."""
    import logging
    import warnings

    from socialkpi.presentation import notebook

    log_file = tmp_path / "run.log"
    monkeypatch.setenv("SOCIALKPI_LOG", str(log_file))
    logger = logging.getLogger("py.warnings")
    monkeypatch.setattr(logger, "handlers", [])
    notebook.setup("lumi_tea", "2026-10", str(sample_db[0]), interactive=False)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a pandas deprecation", UserWarning, stacklevel=1)
    for handler in logger.handlers:
        handler.close()
    logging.captureWarnings(False)
    assert "a pandas deprecation" in log_file.read_text("utf-8")


def test_tests_never_write_the_repositorys_action_logs():
    """Every retrospective a test runs (notebooks, bundles, dashboards) appends under
    $SOCIALKPI_ACTIONS, which conftest points at a temporary folder."""
    from socialkpi.presentation import notebook

    log = notebook.actions_log("acme")
    assert log.parent == notebook.actions_dir()
    assert notebook.REPO / "data" / "actions" not in [log.parent, *log.parents]


def test_competitors_in_english_for_the_other_brand(bundles):
    text = _bundled(bundles, "en", "northwind_cloud", "05_competitors")
    for words in ("Competitive landscape", "Contoso Systems", "Northwind Cloud (us)"):
        assert words in text
    assert "Compared on LinkedIn, X, where competitors are watched." in text
    assert "<svg" in text and "Traceback" not in text
    # northwind's LinkedIn and X exports give no follower totals: said, not shown as 0
    assert "this platform&#x27;s export does not report it" in text


def test_content_calendar_in_english_reconciles_and_drafts_next_month(bundles):
    text = _bundled(bundles, "en", "lumi_tea", "06_content_calendar")
    for words in ("Plan against actual", "Products and seasons", "Next month&#x27;s draft"):
        assert words in text
    assert "Double 11 (Singles&#x27; Day)" in text  # November's shopping day on the draft
    assert "National Day" in text  # October's holiday on the month's grid
    assert "data:text/calendar;charset=utf-8;base64," in text
    assert "Traceback" not in text


def test_experiments_show_both_sample_verdicts_in_both_languages(tmp_path, sample_db, bundles):
    db, _ = sample_db
    en = _bundled(bundles, "en", "lumi_tea", "07_experiments")
    # the sample built in a 40% lift for Instagram's question variant and none for captions
    assert "Question beats Description on" in en and "No detectable difference in" in en
    assert "2 tests ran this month: 2 finished (1 found a difference)" in en
    assert "Holm" not in en  # two variants each: no correction to state
    zh = _bundled(bundles, "zh-TW", "lumi_tea", "07_experiments")
    assert "「結尾提問」的" in zh and "沒有可偵測的差異" in zh
    september = _run(tmp_path, "07_experiments", db, brand="lumi_tea", month="2026-09", lang="en")
    assert "Running until" in september and "Question beats" not in september
    assert "Traceback" not in en + zh + september
