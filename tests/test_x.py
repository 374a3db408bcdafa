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
