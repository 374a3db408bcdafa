"""One number, one scope: the platforms a KPI's total covers, the scope a page names, the
ledger of figures a page carries and the check over a whole bundle that no KPI, scope,
period and measure shows two values (on the sample, and on a store of one platform)."""

import shutil

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.ingest import import_paths
from socialkpi.metrics import kpi, scope
from socialkpi.metrics.scope import Figure, Ledger, Scope
from socialkpi.outputs import bundle
from socialkpi.presentation.notebook import REPO
from socialkpi.presentation.page import open_page


def test_the_ledger_round_trips_through_a_page_and_its_rewrites():
    ledger = Ledger()
    ledger.add("reach", ["instagram", "facebook"], "2026-10", 900, where="scorecard")
    ledger.add("reach", ["facebook"], "2026-10", float("nan"))  # nothing shown: not a figure
    ledger.add("reach", ["facebook"], "2026-10", None)
    html = ledger.html("acme")
    # nbconvert rewrites attribute quotes and drops bare attributes; the reader does not care
    rewritten = html.replace('"', "'", 2).replace(" hidden", "")
    for page in (html, rewritten):
        (f,) = scope.read(page, "03", brand="acme")
        assert f == Figure(
            "reach", Scope(("facebook", "instagram"), "2026-10"), "value", 900.0, "03 · scorecard"
        )
    assert scope.read(html, brand="other") == []
    with pytest.raises(ValueError):
        ledger.add("reach", ["x"], "2026-10", 1, measure="share")


def test_conflicts_are_the_same_kpi_scope_period_and_measure_with_two_values():
    fb = Scope.of(["facebook"], "2026-10")
    both = Scope.of(["facebook", "instagram"], "2026-10")
    figures = [
        Figure("engagements", both, "relative_change", 0.113, "summary driver"),
        Figure(
            "engagements",
            Scope.of(["facebook", "instagram", "tiktok"], "2026-10"),
            "relative_change",
            -0.277,
            "scorecard",
        ),  # another scope: no conflict
        Figure("engagements", fb, "value", 100.0, "scorecard"),
        Figure("engagements", fb, "value", 100.0000000001, "index"),  # the same number
        Figure("engagements", fb, "change", 5.0, "scorecard"),  # another measure
    ]
    assert scope.conflicts(figures) == []
    figures.append(Figure("engagements", fb, "value", 90.0, "summary"))
    (found,) = scope.conflicts(figures)
    assert found["kpi"] == "engagements" and found["scope"] == fb
    assert [w for _, w in found["values"]] == ["scorecard", "index", "summary"]


def test_partial_scope_is_named_only_for_what_platforms_report():
    assert scope.partial("posts", ("facebook",), ("facebook", "linkedin"))
    assert not scope.partial("posts", ("facebook", "linkedin"), ("facebook", "linkedin"))
    assert not scope.partial("web_sessions", ("facebook",), ("facebook", "linkedin"))  # counted
    assert not scope.partial("posts", (), ("facebook",))  # no value at all: "not reported"


def test_the_report_says_which_platforms_a_total_covers(con):
    """Facebook posts report reach, X posts only impressions: reach's total covers Facebook,
    engagements' both, and each platform row covers itself."""
    posts = pd.DataFrame(
        {
            "brand": "acme",
            "platform": ["facebook", "x"],
            "post_id": ["f1", "x1"],
            "snapshot_date": ["2026-10-31", "2026-10-31"],
            "published_at": pd.to_datetime(["2026-10-05 02:00", "2026-10-06 02:00"], utc=True),
            "reach": [1000, None],
            "impressions": [None, 5000],
            "reactions": [50, 40],
            "comments": [5, 4],
            "shares": [5, 6],
        }
    )
    store.upsert(con, "posts", posts)
    report = kpi.kpi_report(con, "acme", "2026-10", ids=["reach", "engagements"])
    rows = report.set_index(["kpi", "platform"])
    assert rows.loc[("reach", "all"), "platforms"] == ("facebook",)
    assert rows.loc[("reach", "all"), "value"] == 1000
    assert rows.loc[("engagements", "all"), "platforms"] == ("facebook", "x")
    assert rows.loc[("engagements", "x"), "platforms"] == ("x",)
    assert rows.loc[("reach", "x"), "platforms"] == ()
    page = open_page(con, "acme", "2026-10", "zh-TW")
    assert page.scope_platforms == ("facebook", "x")
    assert page.scope_note(("facebook",), "reach") == "僅 Facebook"
    assert page.scope_note(("facebook", "x"), "engagements") == ""
    assert open_page(con, "acme", "2026-10", "en").scope_note(("facebook",), "reach") == (
        "Facebook only"
    )


def test_the_sample_bundle_shows_each_number_once_per_scope(bundles):
    for lang, month in bundles.items():
        assert scope.check_month(month) == {}, lang
        figures = [
            f
            for page in sorted((month / "lumi_tea").glob("*.html"))
            for f in scope.read(page.read_text("utf-8"), page.stem)
        ]
        where = {f.where for f in figures}
        # the scorecard, the summary (on the KPI review and the retrospective), the goals and
        # the drivers are all in the check, so a second value for one of them would be caught
        assert {"03_kpi_review · scorecard", "03_kpi_review · summary"} <= where, lang
        assert {"04_retrospective · summary", "04_retrospective · drivers"} <= where, lang
        # the reach-based rate's parts cover Facebook and Instagram only, and say so
        parts = [f for f in figures if f.kpi == "engagements" and f.measure == "relative_change"]
        assert parts and all(f.scope.platforms == ("facebook", "instagram") for f in parts)


@pytest.mark.slow
def test_a_one_platform_store_checks_clean_and_names_no_platform(tmp_path):
    """A brand with Instagram exports only: every number covers the whole page, so no
    "only" label appears, and the bundle's check finds nothing."""
    sample = REPO / "data" / "sample"
    root = tmp_path / "exports"
    (root / "lumi_tea").mkdir(parents=True)
    shutil.copy(sample / "brands.yaml", root / "brands.yaml")
    shutil.copytree(sample / "logos", root / "logos")  # brands.yaml names Lumi Tea's logo
    shutil.copytree(sample / "lumi_tea" / "instagram", root / "lumi_tea" / "instagram")
    db = tmp_path / "one.duckdb"
    con = store.open_store(db)
    import_paths(con, [root])
    assert sorted(store.freshness(con, "lumi_tea")) == ["instagram"]
    con.close()
    out = tmp_path / "reports"
    results = bundle.run("2026-10", ["lumi_tea"], "zh-TW", None, out, 1, db)
    assert not results[0].failed, results[0].failed
    assert scope.check_month(out / "2026-10") == {}
    page = (out / "2026-10" / "lumi_tea" / "03_kpi_review.html").read_text("utf-8")
    assert "skpi-scope" not in page and "僅 Instagram" not in page
    figures = scope.read(page)
    assert figures and all(
        f.scope.platforms == ("instagram",) for f in figures if f.scope.platforms
    )
