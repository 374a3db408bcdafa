import pandas as pd

from socialkpi import store


def test_facebook_post_export(load, con):
    result = load("good/meta_facebook_posts.csv")
    assert result.formats == ["meta_facebook_posts"] and result.encoding == "utf-8-sig"
    posts = store.read(con, "posts").set_index("post_id")
    first = posts.loc["6157100000001_1001"]
    # 11/10/2025 21:00 in Asia/Taipei (UTC+8) is 13:00 UTC
    assert first.published_at == pd.Timestamp("2025-11-10 13:00", tz="UTC")
    assert (first.views, first.reach, first.reactions, first.comments, first.shares) == (
        12400,
        8000,
        300,
        40,
        12,
    )
    assert first.caption == "新品上市！" and first.content_type == "image"
    assert first.snapshot_date == pd.Timestamp("2026-10-31")
    reel = posts.loc["6157100000001_1002"]
    # the longer of Title/Description is the caption; a reel's views are its video views
    assert reel.caption == "Behind the scenes reel"
    assert (reel.content_type, reel.video_views, reel.watch_time_s) == ("reel", 5000, 4200.0)
    assert posts.loc["6157100000001_1003"].link_clicks == 44


def test_facebook_post_export_zh_tw_headers(load, con):
    load("good/meta_facebook_posts_zh_tw_cp950.csv")
    post = store.read(con, "posts").iloc[0]
    assert (post.caption, post.content_type, post.reach, post.views) == (
        "中秋限定禮盒開賣",
        "image",
        4200,
        5000,
    )


def test_instagram_export_with_reordered_columns(load, con):
    load("good/meta_instagram_posts_reordered.csv")
    posts = store.read(con, "posts").set_index("post_id")
    image = posts.loc["17900000000000001"]
    assert image.platform == "instagram"
    assert (image.views, image.reach, image.reactions, image.saves, image.follows) == (
        15000,
        12400,
        900,
        41,
        5,
    )
    assert posts.loc["17900000000000002"].content_type == "reel"


def test_page_daily_series_utf16(load, con):
    result = load("good/meta_page_daily_follows_utf16.csv", platform="facebook")
    assert result.encoding == "utf-16"
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [20, 35, 0]
    assert daily["platform"].unique().tolist() == ["facebook"]


def test_audience_stacked_blocks(load, con):
    result = load("good/facebook_audience_stacked.csv")
    assert (
        "skipped the block at line 17: not a table socialkpi imports" in result.warnings
    )  # Top pages
    audience = store.read(con, "audience").set_index(["dimension", "segment"])["share"]
    assert audience[("age_gender", "25-34|female")] == 0.30
    assert audience[("age_gender", "18-24|male")] == 0.075
    assert audience[("city", "Taipei, Taiwan")] == 0.5
    assert audience[("country", "HK")] == 0.1


def test_gender_percent_becomes_fraction(load, con):
    result = load("good/facebook_gender_percent.csv")
    assert any("read as percentages" in w for w in result.warnings)
    shares = store.read(con, "audience").set_index("segment")["share"]
    assert shares["female"] == 0.737 and shares["male"] == 0.263
