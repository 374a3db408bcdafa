import pandas as pd

from socialkpi import store
from socialkpi.ingest.x import snowflake_time


def test_legacy_favorites_variant(load, con):
    load("good/x_tweet_activity_favorites_2015.csv")
    post = store.read(con, "posts").iloc[0]
    assert post.published_at == pd.Timestamp("2015-09-30 18:42", tz="UTC")
    assert (post.impressions, post.reactions, post.shares) == (424, 2, 1)
    assert post.caption == "New post & news\nsecond line"  # X wrote &amp;


def test_legacy_likes_variant_clicks_and_paid(load, con):
    load("good/x_tweet_activity_likes.csv")
    post = store.read(con, "posts").iloc[0]
    # clicks = profile 3 + url 10 + hashtag 1 + detail expands 6 + permalink 2
    assert (post.reactions, post.clicks, post.link_clicks, post.paid) == (20, 22, 10, True)


def test_content_export_time_from_snowflake(load, con):
    load("good/x_account_analytics_content_2026-09-01_2026-09-30.csv", export_date=None)
    post = store.read(con, "posts").iloc[0]
    # the id encodes 2026-09-13 03:00 UTC (11:00 in Taipei, the listed "Sun, Sep 13, 2026")
    assert post.published_at == pd.Timestamp("2026-09-13 03:00", tz="UTC")
    assert (post.shares, post.saves, post.comments) == (10, 5, 6)  # reposts 8 + shares 2
    assert post.snapshot_date == pd.Timestamp("2026-09-30")


def test_snowflake_time_by_hand():
    # the top bits are milliseconds after the Twitter epoch 1288834974657; 1e12 ms later:
    post_id = (10**12 << 22) | 5
    expected = pd.Timestamp(1288834974657 + 10**12, unit="ms", tz="UTC")
    assert snowflake_time(pd.Series([str(post_id)])).iloc[0] == expected
    assert pd.isna(snowflake_time(pd.Series(["123"])).iloc[0])


def test_snowflake_time_only_for_whole_number_ids():
    """A damaged id ('2101978491909.46756') is no Snowflake: no time, and no crash."""
    import pandas as pd

    from socialkpi.ingest.x import snowflake_time

    times = snowflake_time(pd.Series(["2094653223859126735", "2101978491909.46756", "12", None]))
    assert times.iloc[0] == pd.Timestamp("2026-09-01 05:07:00", tz="UTC")
    assert times.iloc[1:].isna().all()


def test_the_late_2024_layout_of_the_content_export(load, con):
    """X's content export of late 2024 - early 2025: "Link" and singular "Share", lower-case
    second words and dates written "Mon Feb 17 2025"; the shares land where the current
    layout's "Shares" do."""
    result = load("good/x_account_analytics_content_2024-11-21_2025-02-19.csv")
    assert result.status == "imported", result.error
    posts = store.read(con, "posts").set_index("post_id")
    launch = posts.loc["1891391063530426749"]
    assert launch.shares == 3 + 8  # Share + Reposts: X's reposts are shares too
    assert launch.link_clicks == 12 and launch.saves == 5
    assert launch.permalink == "https://x.com/acme/status/1891391063530426749"
    # the id's time (07:35 UTC on Feb 17) is within a day of the listed date, so it is kept
    assert launch.published_at == pd.Timestamp("2025-02-17 07:35:44.549", tz="UTC")
    assert (
        posts.loc["1876270129845588233", "published_at"].date() == pd.Timestamp("2025-01-06").date()
    )


def test_a_placeholder_row_with_an_undefined_link_is_skipped_not_refused(load, con):
    """X writes a row with no post id, no date and a ``status/undefined`` link, all zeros:
    it is no post, so it is skipped and counted, and the file's posts import."""
    result = load("good/x_placeholder_account_analytics_content_2026-09-01_2026-09-30.csv")
    assert result.status == "imported", result.error
    assert sorted(store.read(con, "posts")["post_id"]) == [
        "2097000000000000000",
        "2098969917649846279",
    ]
    assert "1 placeholder row skipped (rows that are not data)" in result.warnings


def test_the_daily_overview_export_is_the_accounts_days(load, con):
    """X's account_overview_analytics.csv (header from five real files): one row per day."""
    from socialkpi.metrics import kpi

    result = load("good/account_overview_analytics.csv")
    assert result.status == "imported" and result.formats == ["x_overview"]
    assert result.warnings == []  # every column read or left aside on purpose
    days = store.read(con, "account_daily").sort_values("date")
    assert days["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-03-01",
        "2025-03-02",
        "2025-03-03",
    ]
    assert days["impressions"].tolist() == [1210, 980, 1520]
    assert days["follower_gains"].tolist() == [3, 1, 4]
    assert days["follower_losses"].tolist() == [0, 2, 1]
    assert days["shares"].tolist() == [2, 1, 4]  # reposts + shares, as the content export
    assert days["comments"].tolist() == [4, 2, 5]
    # no post file: the month is reviewed from these days (1210 + 980 + 1520 impressions,
    # 51 + 40 + 77 engagements, 8 follows gained and 3 lost)
    report = kpi.kpi_report(
        con, "acme", "2025-03", ids=["impressions", "engagements", "net_follower_growth"]
    )
    v = report[report["platform"] == "all"].set_index("kpi")["value"]
    assert (v["impressions"], v["engagements"], v["net_follower_growth"]) == (3710, 168, 5)
    assert kpi.account_levels(report) == ("x",)


def test_the_daily_overview_in_japanese(load, con):
    result = load("good/account_overview_analytics (1).csv")
    assert result.status == "imported" and result.warnings == []
    days = store.read(con, "account_daily").sort_values("date")
    assert days["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-12-30", "2025-12-31"]
    assert days["shares"].tolist() == [3, 1] and days["follower_losses"].tolist() == [0, 1]
