"""Documented platform changes (Meta's impressions -> views, 2025) stop comparisons across
the day of the change, and pages and the summary say so."""

from datetime import date

import pandas as pd
import pytest

from socialkpi import metrics, reads, store
from socialkpi.metrics import kpi
from socialkpi.presentation.notebook import intro
from socialkpi.presentation.page import open_page
from socialkpi.words import narrative


def _post(platform, post_id, published, impressions, views, likes):
    return {
        "brand": "t",
        "platform": platform,
        "post_id": post_id,
        "snapshot_date": "2025-07-31",
        "published_at": pd.Timestamp(published, tz="UTC"),
        "impressions": impressions,
        "views": views,
        "reactions": likes,
    }


@pytest.fixture
def con(tmp_path):
    con = store.open_store(tmp_path / "d.duckdb")
    store.set_brand(con, "t", "UTC", engagement_rate="engagement_rate_exposure")
    posts = [
        _post("instagram", "m1", "2025-03-10 04:00", 1000, 1200, 50),
        _post("instagram", "a1", "2025-04-10 04:00", 800, 1000, 40),
        _post("instagram", "y1", "2025-05-10 04:00", 600, 900, 30),
        _post("instagram", "j1", "2025-06-10 04:00", 500, 700, 35),
        _post("facebook", "fm", "2025-03-12 04:00", 300, 400, 9),
        _post("facebook", "fa", "2025-04-12 04:00", 330, 420, 11),
    ]
    store.upsert(con, "posts", pd.DataFrame(posts))
    yield con
    con.close()


def _row(report, kpi_id, platform):
    return report.set_index(["platform", "kpi"]).loc[(platform, kpi_id)]


def test_the_dictionary_records_metas_changes():
    changes = {(c.platform, c.component): c for c in metrics.definition_changes()}
    assert changes[("instagram", "impressions")].since == date(2025, 4, 21)
    assert changes[("facebook", "impressions")].since == date(2025, 11, 15)
    assert all(
        c.replaced_by == "views" and c.source.startswith("https://") for c in changes.values()
    )


def test_impressions_are_not_compared_across_the_change(con):
    report = kpi.kpi_report(con, "t", "2025-04", ids=["impressions", "views"])
    ig = _row(report, "impressions", "instagram")
    assert ig["value"] == 800 and pd.isna(ig["previous"]) and pd.isna(ig["change"])
    assert ig["assessment"] == "not_comparable"
    assert [(c.platform, c.component) for c in ig["redefined"]] == [("instagram", "impressions")]
    # views did not change: 1000 against 1200
    views = _row(report, "views", "instagram")
    assert (views["previous"], views["change"]) == (1200, -200)
    # Facebook's impressions changed in November: April compares with March (330 - 300)
    fb = _row(report, "impressions", "facebook")
    assert fb["change"] == 30 and fb["redefined"] == ()
    # the total holds Instagram's part: not comparable either
    assert _row(report, "impressions", "all")["assessment"] == "not_comparable"


def test_a_month_after_the_change_compares_with_months_after_it_only(con):
    report = kpi.kpi_report(con, "t", "2025-06", platforms=["instagram"], ids=["impressions"])
    ig = _row(report, "impressions", "instagram")
    # May (600) is after 21 April: compared; June last year and March/April are not
    assert (ig["previous"], ig["change"]) == (600, -100)
    assert pd.isna(ig["last_year"])
    assert ig["trailing_median"] == 600  # only May of the twelve months before


def test_an_exposure_rate_switches_to_views_or_is_not_compared(con):
    report = kpi.kpi_report(con, "t", "2025-04", ["instagram"], ids=["engagement_rate_exposure"])
    row = _row(report, "engagement_rate_exposure", "instagram")
    # every April post has impressions: the rate is by impressions, so not compared
    assert row["exposure_basis"] == "impressions" and row["assessment"] == "not_comparable"
    # a post published after the change has no impressions: the rate switches to views
    late = _post("instagram", "a2", "2025-04-25 04:00", None, 1000, 60)
    store.upsert(con, "posts", pd.DataFrame([late]))
    report = kpi.kpi_report(con, "t", "2025-04", ["instagram"], ids=["engagement_rate_exposure"])
    row = _row(report, "engagement_rate_exposure", "instagram")
    # by views: (40 + 60) / 2000 = 5% in April against 50 / 1200 in March
    assert row["exposure_basis"] == "views" and row["redefined"] == ()
    assert row["value"] == pytest.approx(0.05)
    assert row["previous"] == pytest.approx(50 / 1200)
    assert row["assessment"] != "not_comparable"


def test_pages_and_the_summary_name_the_change(con):
    page = open_page(con, "t", "2025-04", "en", ["instagram"])
    said = intro(page, "kpi_review").data
    assert "Instagram: the platform stopped reporting impressions on" in said
    assert "Facebook" not in said  # its change is in November, outside April's comparisons
    zh = intro(open_page(con, "t", "2025-04", "zh-TW", ["instagram"]), "kpi_review").data
    assert "Instagram：平台自" in zh and "曝光次數" in zh and "瀏覽次數" in zh
    s = reads.executive_summary(con, "t", "2025-04", ["instagram"])
    notes = narrative.say(s, "en", None, "UTC").notes
    assert any("stopped reporting impressions" in n for n in notes)
    # a month whose comparisons reach no change says nothing
    assert open_page(con, "t", "2027-01", "en", ["instagram"]).redefinition_notes() == []
