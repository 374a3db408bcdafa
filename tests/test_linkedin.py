import pandas as pd

from socialkpi import store


def test_content_workbook_header_on_row_two(load, con):
    result = load("good/linkedin_content_1761955200000.xlsx", export_date=None)
    assert result.formats == ["linkedin_metrics", "linkedin_posts"]
    daily = store.read(con, "account_daily").set_index("date")
    assert daily.loc["2025-10-01", "impressions"] == 1000
    # clicks 30 + reactions 20 + comments 3 + reposts 2: the 0.055 rate LinkedIn shows on 1000
    assert daily.loc["2025-10-01", "engagements"] == 55
    assert daily.loc["2025-10-02", "impressions"] == 1200  # a number stored as text
    posts = store.read(con, "posts").set_index("post_id")
    webinar = posts.loc["7100000000000000002"]
    assert (webinar.paid, webinar.content_type, webinar.views, webinar.shares) == (
        True,
        "video",
        300,
        4,
    )
    # the export date comes from the epoch milliseconds in the file name
    assert webinar.snapshot_date == pd.Timestamp("2025-11-01")


def test_followers_binary_xls(load, con):
    result = load("good/linkedin_followers_1761955200000.xls")
    assert result.encoding == "xls"
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [10, 4]  # "Total followers" is new followers per day
    seniority = store.read(con, "audience").set_index("segment")
    assert seniority.loc["Senior", "count"] == 300 and seniority.loc["Senior", "share"] == 0.75
    assert seniority["dimension"].unique().tolist() == ["seniority"]
