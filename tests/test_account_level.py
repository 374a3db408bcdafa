"""A platform with no post-level export (TikTok Overview, YouTube Totals alone) is reviewed
from its daily account series, compared month over month, and every page says so."""

import pandas as pd
import pytest

from socialkpi import reads, store
from socialkpi.metrics import kpi
from socialkpi.presentation.notebook import intro
from socialkpi.presentation.page import open_page
from socialkpi.words import narrative


def _days(month: str, views: int, likes: int, comments: int, shares: int) -> pd.DataFrame:
    days = pd.date_range(f"{month}-01", periods=pd.Period(month).days_in_month, freq="D")
    return pd.DataFrame(
        {
            "brand": "t",
            "platform": "tiktok",
            "date": days,
            "views": views,
            "likes": likes,
            "comments": comments,
            "shares": shares,
        }
    )


@pytest.fixture
def con(tmp_path):
    con = store.open_store(tmp_path / "a.duckdb")
    store.set_brand(con, "t", "Asia/Taipei", engagement_rate="engagement_rate_exposure")
    # September: 30 days of 10 views, 1 like; October: 31 days of 20 views, 2 likes, 1 comment
    daily = pd.concat([_days("2026-09", 10, 1, 0, 0), _days("2026-10", 20, 2, 1, 0)])
    store.upsert(con, "account_daily", daily)
    yield con
    con.close()


def test_kpis_come_from_the_daily_series_with_a_previous_month(con):
    report = kpi.kpi_report(con, "t", "2026-10")
    row = report[(report["platform"] == "all")].set_index("kpi")
    # views: 31 x 20 = 620 against 30 x 10 = 300; engagements: 31 x (2 + 1) = 93 against 30
    assert (row.loc["views", "value"], row.loc["views", "previous"]) == (620, 300)
    assert (row.loc["engagements", "value"], row.loc["engagements", "previous"]) == (93, 30)
    # engagement rate by views: 93 / 620 = 15%, against 30 / 300 = 10%
    assert row.loc["engagement_rate_exposure", "value"] == pytest.approx(0.15)
    assert row.loc["engagement_rate_exposure", "previous"] == pytest.approx(0.10)
    assert row.loc["views", "account_level"] == ("tiktok",)
    # a month's unique people are not the sum of its days', and no post was counted
    assert pd.isna(row.loc["reach", "value"]) and pd.isna(row.loc["posts_published", "value"])
    assert kpi.account_levels(report) == ("tiktok",)


def test_post_level_wins_where_a_platform_has_posts(con):
    posts = pd.DataFrame(
        {
            "brand": ["t"],
            "platform": ["tiktok"],
            "post_id": ["v1"],
            "snapshot_date": ["2026-10-31"],
            "published_at": [pd.Timestamp("2026-10-05 02:00", tz="UTC")],
            "views": [77],
            "reactions": [7],
        }
    )
    store.upsert(con, "posts", posts)
    report = kpi.kpi_report(con, "t", "2026-10")
    row = report[report["platform"] == "all"].set_index("kpi")
    assert row.loc["views", "value"] == 77 and row.loc["posts_published", "value"] == 1
    assert kpi.account_levels(report) == ()


def test_the_summary_compares_and_names_the_level(con):
    s = reads.executive_summary(con, "t", "2026-10")
    assert s.comparable and s.account_level == ("tiktok",)
    said = narrative.say(s, "en", None, "Asia/Taipei")
    assert any(n.startswith("TikTok: no post-level export") for n in said.notes)
    assert not any("no previous month" in m for m in said.movers)
    zh = narrative.say(s, "zh-TW", None, "Asia/Taipei")
    assert any(n.startswith("TikTok：未匯入貼文層級") for n in zh.notes)


def test_the_kpi_pages_say_which_level_they_used(con):
    page = open_page(con, "t", "2026-10", "en")
    assert page.account_level == ("tiktok",)
    assert "TikTok: no post-level export" in intro(page, "kpi_review").data
    assert "TikTok" not in intro(page, "audience").data  # no post KPI there


def test_a_platform_with_only_followers_is_not_called_account_level(con):
    store.upsert(
        con,
        "account_daily",
        pd.DataFrame(
            {"brand": "t", "platform": "linkedin", "date": ["2026-10-03"], "follower_gains": [4]}
        ),
    )
    assert open_page(con, "t", "2026-10", "en").account_level == ("tiktok",)


def test_a_read_only_store_from_an_older_release_reads_the_new_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    con = store.open_store(path)
    store.upsert(con, "account_daily", _days("2026-10", 20, 2, 1, 0))
    con.execute("ALTER TABLE account_daily DROP COLUMN likes")  # as an older release wrote it
    con.close()
    ro = store.open_store(path, read_only=True)
    assert ro.execute("SELECT count(*), count(likes) FROM account_daily").fetchall() == [(31, 0)]
    report = kpi.kpi_report(ro, "t", "2026-10")
    assert report.set_index(["platform", "kpi"]).loc[("all", "views"), "value"] == 620
    ro.close()
